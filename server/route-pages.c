/* route-pages.c — the pages whose address names something in the index:
 * the case page /sag/{nr} that intranet pages link to, and the item page.
 * The server checks what the URL names before it sends the page's file, so
 * a malformed or unknown case or id is a 4xx page that never echoes it, and
 * writes into the page's <head> what a link preview shows of it
 * (page-head.c); the page's script fills in the rest. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server.h"
#include "validate.h"

/* More items than any case has had (as /api/sag/). */
#define KS_MAX_CASE_ITEMS 1000

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

/* Appends NAME to the list LIST ("Direktionen, Økonomiudvalget") unless
 * it is in it. */
static void add_distinct(ks_sb *list, const char *name)
{
	if (!name || !*name)
		return;
	for (const char *p = list->s; p && (p = strstr(p, name)); p++) {
		size_t n = strlen(name);
		if ((p == list->s || p[-1] == ' ') && (p[n] == ',' || p[n] == '\0'))
			return;
	}
	ks_sb_puts(list, list->n ? ", " : "");
	ks_sb_puts(list, name);
}

/* "2 punkter, 18.08.2025–17.11.2025. Direktionen.": how many items, over
 * which dates, at which committees. */
static void case_description(ks_sb *out, size_t n, const char *first, const char *last,
			     const char *udvalg)
{
	char buf[64];
	snprintf(buf, sizeof buf, "%zu %s", n, n == 1 ? "punkt" : "punkter");
	ks_sb_puts(out, buf);
	char a[11], b[11];
	if (first && last) {
		ks_date_short(first, a);
		ks_date_short(last, b);
		ks_sb_puts(out, ", ");
		ks_sb_puts(out, a);
		if (strcmp(first, last)) {
			ks_sb_puts(out, "–");
			ks_sb_puts(out, b);
		}
	}
	ks_sb_puts(out, ".");
	if (*udvalg) {
		ks_sb_puts(out, " ");
		ks_sb_puts(out, udvalg);
		ks_sb_puts(out, ".");
	}
}

/* The case page of SAG (as the documents write it), its head naming the
 * case by its subject: the title of its newest item. */
static ks_status reply_case(ks_request *req, const char *sag)
{
	ks_query q = {
		.sag = sag, .lukket = -1, .sort = KS_SORT_DATE_ASC, .count = KS_MAX_CASE_ITEMS
	};
	ks_hits *hits = NULL;
	ks_status st = ks_db_query(req->db, &q, &hits);
	if (st)
		return st;
	size_t n = ks_hits_size(hits);
	char first[11] = "", last[11] = "";
	ks_sb udvalg = { 0 };
	char *subject = NULL;
	bool ok = true;
	for (size_t i = 0; ok && i < n; i++) {
		const char *data;
		if ((st = ks_hits_read(hits, i, &data)))
			break;
		cJSON *r = ks_record_listing(data);
		ok = r != NULL;
		const char *date = ks_record_str(r, "date"), *title = ks_record_str(r, "title");
		if (date && strlen(date) == 10) {
			if (!first[0])
				strcpy(first, date);
			strcpy(last, date);
		}
		add_distinct(&udvalg, ks_record_str(r, "udvalg"));
		if (title) {
			free(subject);
			ok = ok && (subject = strdup(title));
		}
		cJSON_Delete(r);
	}
	/* A number that several lettered cases have is no one case. */
	bool several = ks_hits_case_size(hits) > 1;
	ks_hits_free(hits);
	ks_sb title = { 0 }, description = { 0 };
	ks_sb_puts(&title, "Sag ");
	ks_sb_puts(&title, sag);
	if (subject && !several) {
		ks_sb_puts(&title, ": ");
		ks_sb_puts(&title, subject);
	}
	case_description(&description, n, first[0] ? first : NULL, last[0] ? last : NULL,
			 udvalg.oom ? ""
			 : udvalg.s ? udvalg.s
				    : "");
	char path[sizeof "/sag/" + KS_SAGSNUMMER_SIZE];
	snprintf(path, sizeof path, "/sag/%s", sag);
	if (!st && (!ok || title.oom || description.oom))
		st = KS_ERR_NOMEM;
	if (!st) {
		ks_head head = { .title = title.s,
				 .description = description.s,
				 .og_type = "website",
				 .path = path,
				 .feed_sag = sag };
		st = ks_reply_page_head(req, "sag.html", &head);
	}
	free(subject);
	ks_sb_free(&udvalg);
	ks_sb_free(&title);
	ks_sb_free(&description);
	return st;
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
	return reply_case(req, sag);
}

/* "50.190.100" for 50190100. */
static void put_amount(ks_sb *out, double amount)
{
	char digits[32], grouped[48];
	snprintf(digits, sizeof digits, "%.0f", amount < 0 ? -amount : amount);
	size_t n = strlen(digits), g = 0;
	if (amount < 0)
		grouped[g++] = '-';
	for (size_t i = 0; i < n; i++) {
		if (i && (n - i) % 3 == 0)
			grouped[g++] = '.';
		grouped[g++] = digits[i];
	}
	grouped[g] = '\0';
	ks_sb_puts(out, grouped);
}

/* What an item is, in a sentence or three: "Punkt 6 på mødet i Direktionen
 * 17.11.2025. Sag 25-008999. Beslutning: Anbefales."; of a closed item only
 * what the published minutes print; of a budget section its year, its
 * committee and its net budget. */
static void item_description(ks_sb *out, const cJSON *r)
{
	const char *type = ks_record_str(r, "type"), *udvalg = ks_record_str(r, "udvalg");
	const char *sag = ks_record_str(r, "sagsnummer"), *date = ks_record_str(r, "date");
	const char *decision = ks_record_str(r, "beslutning");
	const cJSON *punkt = cJSON_GetObjectItemCaseSensitive(r, "punkt");
	const cJSON *year = cJSON_GetObjectItemCaseSensitive(r, "year");
	const cJSON *amount = cJSON_GetObjectItemCaseSensitive(r, "nettobudget");
	char buf[64];
	if (type && !strcmp(type, "budget")) {
		ks_sb_puts(out, "Budgetbemærkninger");
		if (cJSON_IsNumber(year)) {
			snprintf(buf, sizeof buf, " %d", year->valueint);
			ks_sb_puts(out, buf);
		}
		if (udvalg) {
			ks_sb_puts(out, ", ");
			ks_sb_puts(out, udvalg);
		}
		ks_sb_puts(out, ".");
		if (cJSON_IsNumber(amount)) {
			ks_sb_puts(out, " Samlet nettobudget ");
			put_amount(out, amount->valuedouble);
			ks_sb_puts(out, " kr.");
		}
		return;
	}
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r, "lukket")))
		ks_sb_puts(out, "Lukket punkt. ");
	if (cJSON_IsNumber(punkt)) {
		snprintf(buf, sizeof buf, "Punkt %d på mødet", punkt->valueint);
		ks_sb_puts(out, buf);
	} else {
		ks_sb_puts(out, "Mødet");
	}
	if (udvalg) {
		ks_sb_puts(out, " i ");
		ks_sb_puts(out, udvalg);
	}
	if (date) {
		char d[11];
		ks_date_short(date, d);
		ks_sb_puts(out, " ");
		ks_sb_puts(out, d);
	}
	ks_sb_puts(out, ".");
	if (sag) {
		ks_sb_puts(out, " Sag ");
		ks_sb_puts(out, sag);
		ks_sb_puts(out, ".");
	}
	if (decision && *decision) {
		ks_sb_puts(out, " Beslutning: ");
		ks_sb_puts(out, decision);
	}
}

/* The item page of ID, its head naming the item. */
static ks_status reply_item(ks_request *req, const char *id)
{
	char *data = NULL;
	ks_status st = ks_db_get_data(req->db, id, &data);
	if (st == KS_ERR_NOT_FOUND)
		return ks_reply_error_page(req, 404, "Punktet findes ikke",
					   "Der er intet dagsordenspunkt eller budgetafsnit med "
					   "denne adresse. Det kan være fjernet fra søgningen.");
	if (st)
		return st;
	cJSON *r = ks_record_public(data, NULL);
	free(data);
	const char *title = ks_record_str(r, "title");
	ks_sb description = { 0 }, cut = { 0 }, path = { 0 };
	if (r)
		item_description(&description, r);
	if (description.s)
		ks_description_put(&cut, description.s);
	ks_sb_puts(&path, "/item/");
	ks_sb_puts(&path, id);
	if (!r || !cut.s || cut.oom || path.oom) {
		st = KS_ERR_NOMEM;
	} else {
		ks_head head = { .title = title ? title : "Punkt",
				 .description = cut.s,
				 .og_type = "article",
				 .path = path.s,
				 .feed_sag = ks_record_str(r, "sagsnummer") };
		st = ks_reply_page_head(req, "item.html", &head);
	}
	cJSON_Delete(r);
	ks_sb_free(&description);
	ks_sb_free(&cut);
	ks_sb_free(&path);
	return st;
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
	return reply_item(req, rest);
}
