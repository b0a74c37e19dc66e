/* route-pages.c — the pages whose address names something in the index:
 * the case page /sag/{nr} that intranet pages link to, and the item page.
 * The server checks what the URL names before it sends the page's file, so
 * a malformed or unknown case or id is a 4xx page that never echoes it. */
#include <stdio.h>
#include <string.h>

#include "server.h"
#include "validate.h"

/* The lettered cases of a number (ks_db_each_lettered_case()): the first
 * and how many. */
typedef struct lettered {
	char first[KS_SAGSNUMMER_SIZE];
	size_t n;
} lettered;

static int count_lettered(const char *sag, void *arg)
{
	lettered *l = arg;
	if (l->n++ == 0)
		snprintf(l->first, sizeof l->first, "%s", sag);
	return l->n > 1; /* two are several */
}

/* A redirect to the page of case SAG, an address made from the number
 * read, never from the request. */
static ks_status to_case(ks_request *req, unsigned status, const char *sag)
{
	char location[sizeof "/sag/" + KS_SAGSNUMMER_SIZE];
	snprintf(location, sizeof location, "/sag/%s", sag);
	return ks_reply_redirect(req, status, location);
}

/* The case page.  Its one address is the number as the documents write it:
 * any other way of writing it ("25-2452", "25-002452/", "21-046835k") is
 * sent there for good (301: the number alone decides).  A number that only
 * one lettered case has is sent to that case for now (302: the index
 * decides, and may get the number itself); several are listed by the page
 * (sag.js, from /api/sag/). */
ks_status ks_route_page_sag(ks_request *req, const char *rest)
{
	char sag[KS_SAGSNUMMER_SIZE];
	if (!ks_case_read_path(rest, sag))
		return ks_reply_error_page(req, 400, "Ugyldigt sagsnummer",
					   "Et sagsnummer har formen 25-002452 eller 21-046835K.");
	bool exists = false;
	ks_status st = ks_db_has_term(req->db, KS_FIELD_SAG, sag, &exists);
	if (st)
		return st;
	lettered l = { .n = 0 };
	if (!exists && (st = ks_db_each_lettered_case(req->db, sag, count_lettered, &l)))
		return st;
	if (!exists && l.n == 0) {
		char message[128];
		snprintf(message, sizeof message,
			 "Der er intet punkt med sagsnummer %s i søgningens dokumenter.", sag);
		char title[64];
		snprintf(title, sizeof title, "Sag %s findes ikke", sag);
		return ks_reply_error_page(req, 404, title, message);
	}
	if (!exists && l.n == 1)
		return to_case(req, 302, l.first);
	if (strcmp(rest, sag))
		return to_case(req, 301, sag);
	return ks_reply_web_file(req, 200, "sag.html");
}

ks_status ks_route_page_item(ks_request *req, const char *rest)
{
	bool exists = false;
	if (ks_valid_id(rest)) {
		ks_status st = ks_db_has_term(req->db, KS_FIELD_ID, rest, &exists);
		if (st)
			return st;
	}
	if (!exists)
		return ks_reply_error_page(req, 404, "Punktet findes ikke",
					   "Der er intet dagsordenspunkt eller budgetafsnit med "
					   "denne adresse. Det kan være fjernet fra søgningen.");
	return ks_reply_web_file(req, 200, "item.html");
}
