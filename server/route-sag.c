/* route-sag.c — GET /api/sag/{sagsnummer}: every item of a case, oldest
 * first (by meeting date, then punkt).  The case page that intranet pages
 * link to (/sag/{nr}, route-pages.c) fills itself from here. */
#include <string.h>

#include "server.h"
#include "validate.h"

/* More items than any case has had; the list is not paged. */
#define KS_MAX_CASE_ITEMS 1000

ks_status ks_route_api_sag(ks_request *req, const char *rest)
{
	char sag[KS_SAGSNUMMER_SIZE];
	if (!ks_sagsnummer_parse(rest, sag))
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
	cJSON *root = cJSON_CreateObject();
	cJSON *items = NULL;
	bool ok = root && cJSON_AddStringToObject(root, "sagsnummer", sag) &&
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
