/* writer-json.c — the API's search response:
 * {"query", "total", "page", "per_page", "results", "facets", "facets_estimated",
 * "suggestion", "notice"}. */
#include "writer.h"

#include <stdlib.h>

typedef struct json_writer {
	cJSON *root, *results;
} json_writer;

static void *json_begin(ks_sb *out, const ks_listing *l)
{
	(void)out;
	json_writer *w = malloc(sizeof *w);
	cJSON *root = cJSON_CreateObject();
	if (!w || !root || !cJSON_AddStringToObject(root, "query", l->q ? l->q : "") ||
	    !cJSON_AddNumberToObject(root, "total", l->total) ||
	    !cJSON_AddNumberToObject(root, "page", l->page) ||
	    !cJSON_AddNumberToObject(root, "per_page", l->per_page) ||
	    !(w->results = cJSON_AddArrayToObject(root, "results"))) {
		free(w);
		cJSON_Delete(root);
		return NULL;
	}
	w->root = root;
	return w;
}

static bool json_hit(void *state, ks_sb *out, const ks_listing *l, const cJSON *record,
		     const char *snippet)
{
	(void)out, (void)l;
	json_writer *w = state;
	cJSON *result = ks_record_result(record, snippet);
	if (!result || !cJSON_AddItemToArray(w->results, result)) {
		cJSON_Delete(result);
		return false;
	}
	return true;
}

/* {"punkt": 48, "budget": 17}, most frequent first as the binding gives them. */
static bool add_facets(cJSON *root, const ks_hits *hits)
{
	cJSON *facets = cJSON_AddObjectToObject(root, "facets");
	if (!facets)
		return false;
	for (int f = 0; f < KS_FACET_COUNT; f++) {
		cJSON *counts = cJSON_AddObjectToObject(facets, ks_facet_name((ks_facet)f));
		if (!counts)
			return false;
		const char *value;
		uint32_t count;
		for (size_t i = 0; ks_hits_facet(hits, (ks_facet)f, i, &value, &count); i++)
			if (!cJSON_AddNumberToObject(counts, value, count))
				return false;
	}
	return true;
}

static bool json_end(void *state, ks_sb *out, const ks_listing *l)
{
	json_writer *w = state;
	const char *suggestion = ks_hits_suggestion(l->hits);
	ks_sb notice = { 0 };
	ks_case_notice(l->hits, &notice);
	bool ok = !notice.oom && add_facets(w->root, l->hits) &&
		  cJSON_AddBoolToObject(w->root, "facets_estimated",
					ks_hits_facets_estimated(l->hits)) &&
		  (suggestion ? cJSON_AddStringToObject(w->root, "suggestion", suggestion)
			      : cJSON_AddNullToObject(w->root, "suggestion")) &&
		  (notice.n ? cJSON_AddStringToObject(w->root, "notice", notice.s)
			    : cJSON_AddNullToObject(w->root, "notice"));
	ks_sb_free(&notice);
	char *text = ok ? cJSON_PrintUnformatted(w->root) : NULL;
	if (text)
		ks_sb_put_json(out, text);
	free(text);
	cJSON_Delete(w->root);
	free(w);
	return text != NULL;
}

const ks_writer_class ks_writer_json = {
	.content_type = "application/json; charset=utf-8",
	.begin = json_begin,
	.hit = json_hit,
	.end = json_end,
};
