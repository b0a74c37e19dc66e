/* route-pages.c — the pages whose address names something in the index:
 * the case page /sag/{nr} that intranet pages link to, and the item page.
 * The server checks what the URL names before it sends the page's file, so
 * a malformed or unknown case or id is a 4xx page that never echoes it. */
#include <stdio.h>
#include <string.h>

#include "server.h"
#include "validate.h"

ks_status ks_route_page_sag(ks_request *req, const char *rest)
{
	char sag[KS_SAGSNUMMER_SIZE];
	if (!ks_sagsnummer_parse(rest, sag))
		return ks_reply_error_page(req, 400, "Ugyldigt sagsnummer",
					   "Et sagsnummer har formen 25-002452 eller 21-046835K.");
	bool exists = false;
	ks_status st = ks_db_has_term(req->db, KS_FIELD_SAG, sag, &exists);
	if (st)
		return st;
	if (!exists) {
		char message[128];
		snprintf(message, sizeof message,
			 "Der er intet punkt med sagsnummer %s i søgningens dokumenter.", sag);
		char title[64];
		snprintf(title, sizeof title, "Sag %s findes ikke", sag);
		return ks_reply_error_page(req, 404, title, message);
	}
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
