/* route-item.c — GET /api/item/{id}: one whole record, with what its page
 * shows around it: the words of the search that led there marked in its
 * text (?q=), the items before and after it at its meeting, and the link to
 * its original document (--source-url). */
#include <stdlib.h>
#include <string.h>

#include "ks-limits.h"
#include "server.h"

bool ks_valid_id(const char *id)
{
	size_t n = strspn(id, "abcdefghijklmnopqrstuvwxyz0123456789-");
	return n > 0 && n <= KS_MAX_ID_BYTES && id[n] == '\0';
}

/* The marks of one text: TEXT whole, HTML-escaped, every word of the
 * search in <mark>…</mark> (a snippet longer than the text, which Xapian
 * then neither cuts nor ends in "…"; only its blanks around are left out).
 * *COUNT grows by the marks.  NULL when out of memory; *ST a failure of
 * the index. */
static cJSON *marked(ks_hits *hits, const char *text, unsigned *count, ks_status *st)
{
	char *snippet = NULL;
	size_t n = strlen(text);
	if ((*st = ks_hits_snippet(hits, 0, text, 2 * n + 64, &snippet)))
		return NULL;
	/* Xapian ends a text that ends in a blank or a mark after its last
	 * word as if it were cut. */
	static const char cut[] = "…";
	size_t sn = strlen(snippet), tn = n, cn = sizeof cut - 1;
	while (tn > 0 && strchr(" \t\r\n", text[tn - 1]))
		tn--;
	if (sn >= cn && !strcmp(snippet + sn - cn, cut) &&
	    !(tn >= cn && !memcmp(text + tn - cn, cut, cn)))
		snippet[sn - cn] = '\0';
	for (const char *p = snippet; (p = strstr(p, "<mark>")); p++)
		(*count)++;
	cJSON *v = cJSON_CreateString(snippet);
	free(snippet);
	return v;
}

/* The strings of the array or object FROM, marked, into a new one of the
 * same kind. */
static cJSON *marked_all(ks_hits *hits, const cJSON *from, unsigned *count, ks_status *st)
{
	cJSON *out = cJSON_IsObject(from) ? cJSON_CreateObject() : cJSON_CreateArray();
	const cJSON *it;
	cJSON_ArrayForEach(it, from)
	{
		if (!out || *st)
			break;
		cJSON *m = cJSON_IsString(it) ? marked(hits, it->valuestring, count, st) : NULL;
		bool ok = m && (cJSON_IsObject(from) ? cJSON_AddItemToObject(out, it->string, m)
						     : cJSON_AddItemToArray(out, m));
		if (!ok) {
			cJSON_Delete(m);
			cJSON_Delete(out);
			out = NULL;
		}
	}
	return out;
}

/* "marks": the title, the sections, Behandling and Bilag of RECORD as
 * marked() makes them, and how many marks the title and the sections hold
 * (the lists are the words of two sections again); null without Q, for a
 * closed item (no text), for an item that Q does not find, and for a Q that
 * the search would refuse as too broad (the page is then shown unmarked). */
static ks_status add_marks(ks_request *req, cJSON *record, const char *id, const char *q)
{
	cJSON *marks = NULL;
	ks_hits *hits = NULL;
	ks_status st = KS_OK;
	bool lukket = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(record, "lukket"));
	if (q && *q && !lukket)
		st = ks_db_item_hits(req->db, q, id, KS_MAX_QUERY_EXPANSION, &hits);
	if (st == KS_ERR_TOO_BROAD)
		st = KS_OK;
	if (!st && hits && ks_hits_size(hits) == 1) {
		unsigned count = 0, again = 0;
		const char *title = ks_record_str(record, "title");
		marks = cJSON_CreateObject();
		cJSON *t = marks && title ? marked(hits, title, &count, &st) : NULL;
		cJSON *sections =
			t ? marked_all(hits, cJSON_GetObjectItemCaseSensitive(record, "sections"),
				       &count, &st)
			  : NULL;
		cJSON *behandling =
			sections
				? marked_all(hits,
					     cJSON_GetObjectItemCaseSensitive(record, "behandling"),
					     &again, &st)
				: NULL;
		cJSON *bilag =
			behandling ? marked_all(hits,
						cJSON_GetObjectItemCaseSensitive(record, "bilag"),
						&again, &st)
				   : NULL;
		bool ok = bilag && cJSON_AddItemToObject(marks, "title", t);
		if (!ok)
			cJSON_Delete(t);
		ok = ok && cJSON_AddItemToObject(marks, "sections", sections);
		if (!ok)
			cJSON_Delete(sections);
		ok = ok && cJSON_AddItemToObject(marks, "behandling", behandling);
		if (!ok)
			cJSON_Delete(behandling);
		ok = ok && cJSON_AddItemToObject(marks, "bilag", bilag);
		if (!ok)
			cJSON_Delete(bilag);
		ok = ok && cJSON_AddNumberToObject(marks, "count", count);
		if (!ok) {
			cJSON_Delete(marks);
			marks = NULL;
			if (!st)
				st = KS_ERR_NOMEM;
		}
	}
	ks_hits_free(hits);
	if (st) {
		cJSON_Delete(marks);
		return st;
	}
	if (!marks)
		marks = cJSON_CreateNull();
	if (!marks || !cJSON_AddItemToObject(record, "marks", marks)) {
		cJSON_Delete(marks);
		return KS_ERR_NOMEM;
	}
	return KS_OK;
}

/* "previous", "next" (ks_meeting_neighbours()) and "source_url" of RECORD. */
static ks_status add_surroundings(ks_request *req, cJSON *record, const char *id)
{
	cJSON *previous = NULL, *next = NULL;
	ks_status st = ks_meeting_neighbours(req, record, &previous, &next);
	if (st)
		return st;
	char *url = NULL;
	bool lukket = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(record, "lukket"));
	/* A closed item's document may carry what the published minutes
	 * withhold, as its PDF page may (public-record.c). */
	if (!lukket && (st = ks_source_url_of(req, id, &url))) {
		cJSON_Delete(previous);
		cJSON_Delete(next);
		return st;
	}
	cJSON *source = url ? cJSON_CreateString(url) : cJSON_CreateNull();
	free(url);
	bool ok = cJSON_AddItemToObject(record, "previous", previous);
	if (!ok)
		cJSON_Delete(previous);
	ok = ok && cJSON_AddItemToObject(record, "next", next);
	if (!ok)
		cJSON_Delete(next);
	ok = ok && source && cJSON_AddItemToObject(record, "source_url", source);
	if (!ok)
		cJSON_Delete(source);
	return ok ? KS_OK : KS_ERR_NOMEM;
}

ks_status ks_route_api_item(ks_request *req, const char *rest)
{
	/* Ids are URL-safe ASCII (the indexer makes them from ks_slug());
	 * anything else cannot be one. */
	if (!ks_valid_id(rest))
		return ks_reply_error(req, 404, "no such item");
	const char *q = ks_param(req, "q");
	if (q && strlen(q) > KS_MAX_QUERY_BYTES)
		return ks_reply_error(req, 400, "q must be at most %d bytes", KS_MAX_QUERY_BYTES);
	char *data = NULL;
	ks_status st = ks_db_get_data(req->db, rest, &data);
	if (st == KS_ERR_NOT_FOUND)
		return ks_reply_error(req, 404, "no item has id %s", rest);
	if (st)
		return st;
	cJSON *record = ks_record_public(data, req->server->pdf_dir);
	free(data);
	if (record && ((st = add_surroundings(req, record, rest)) ||
		       (st = add_marks(req, record, rest, q)))) {
		cJSON_Delete(record);
		return st;
	}
	return ks_reply_json(req, record);
}
