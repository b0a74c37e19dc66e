/* route-sag.c — GET /api/sag/{sagsnummer}: every item of a case, oldest
 * first (by meeting date, then punkt).  The case page that intranet pages
 * link to (/sag/{nr}, route-pages.c) fills itself from here.  And the case
 * numbers of the server's addresses and answers: a number read from a
 * path as people paste it, and the search's word about a number searched
 * as its lettered cases. */
#include <stdio.h>
#include <string.h>

#include "server.h"
#include "validate.h"

/* More items than any case has had; the list is not paged. */
#define KS_MAX_CASE_ITEMS 1000

/* The longest path rest read as a case number: the number, blanks around
 * it, slashes after it.  Anything longer is no case number. */
#define KS_MAX_CASE_PATH_BYTES 64

bool ks_case_read_path(const char *rest, char *sag)
{
	size_t n = strlen(rest);
	while (n > 0 && rest[n - 1] == '/')
		n--;
	char nr[KS_MAX_CASE_PATH_BYTES + 1];
	if (n > KS_MAX_CASE_PATH_BYTES)
		return false;
	memcpy(nr, rest, n);
	nr[n] = '\0';
	return ks_sagsnummer_read(nr, sag);
}

void ks_case_notice(const ks_hits *hits, ks_sb *out)
{
	const char *asked, *shown, *next_asked;
	for (size_t i = 0; ks_hits_case(hits, i, &asked, &shown); i++) {
		bool first = i == 0 || (ks_hits_case(hits, i - 1, &next_asked, NULL) &&
					strcmp(next_asked, asked));
		bool last =
			!ks_hits_case(hits, i + 1, &next_asked, NULL) || strcmp(next_asked, asked);
		if (first) {
			ks_sb_puts(out, out->n ? " Sag " : "Sag ");
			ks_sb_puts(out, asked);
			ks_sb_puts(out, " findes ikke; viser ");
		} else {
			ks_sb_puts(out, last ? " og " : ", ");
		}
		ks_sb_puts(out, shown);
		if (last)
			ks_sb_puts(out, ".");
	}
}

/* The case numbers of HITS' lettered cases, as a JSON array in ROOT. */
static bool add_cases(cJSON *root, const ks_hits *hits)
{
	cJSON *cases = cJSON_AddArrayToObject(root, "cases");
	const char *shown;
	for (size_t i = 0; cases && ks_hits_case(hits, i, NULL, &shown); i++) {
		cJSON *s = cJSON_CreateString(shown);
		if (!s || !cJSON_AddItemToArray(cases, s)) {
			cJSON_Delete(s);
			return false;
		}
	}
	return cases != NULL;
}

ks_status ks_route_api_sag(ks_request *req, const char *rest)
{
	char sag[KS_SAGSNUMMER_SIZE];
	if (!ks_case_read_path(rest, sag))
		return ks_reply_error(req, 400,
				      "not a case number: expected the form 25-002452 "
				      "or 21-046835K");
	ks_query q = {
		.sag = sag, .lukket = -1, .sort = KS_SORT_DATE_ASC, .count = KS_MAX_CASE_ITEMS
	};
	ks_hits *hits = NULL;
	ks_status st = ks_db_query(req->db, &q, &hits);
	if (st)
		return st;
	if (ks_hits_size(hits) == 0) {
		ks_hits_free(hits);
		return ks_reply_error(req, 404, "no item has case number %s", sag);
	}
	/* A number that only lettered cases have: the one such case is
	 * answered as itself; several are listed, with all their items. */
	const char *shown = sag;
	size_t lettered = ks_hits_case_size(hits);
	if (lettered == 1)
		ks_hits_case(hits, 0, NULL, &shown);
	cJSON *root = cJSON_CreateObject();
	cJSON *items = NULL;
	bool ok = root && cJSON_AddStringToObject(root, "sagsnummer", shown) &&
		  (lettered < 2 || add_cases(root, hits)) &&
		  (items = cJSON_AddArrayToObject(root, "items"));
	for (size_t i = 0; ok && i < ks_hits_size(hits); i++) {
		const char *data;
		if ((st = ks_hits_read(hits, i, &data)))
			break; /* the index changed: the search is run again */
		cJSON *record = ks_record_public(data, req->server->pdf_dir);
		if (record && !cJSON_AddItemToArray(items, record)) {
			cJSON_Delete(record);
			ok = false;
		}
	}
	ks_hits_free(hits);
	if (st) {
		cJSON_Delete(root);
		return st;
	}
	if (!ok) {
		cJSON_Delete(root);
		root = NULL;
	}
	return ks_reply_json(req, root);
}
