/* route-suggest.c — GET /api/suggest: the completions of a query being
 * typed (ks_db_complete()), for the search box and, in the OpenSearch
 * suggestions form, for a browser's address bar. */
#include <string.h>

#include "ks-limits.h"
#include "server.h"

/* Adds COMPLETION to the list *ARG; out of memory, the list is deleted and
 * *ARG set to NULL, which answers 503. */
static int add_completion(const char *completion, void *arg)
{
	cJSON **list = arg;
	if (cJSON_AddItemToArray(*list, cJSON_CreateString(completion)))
		return 0;
	cJSON_Delete(*list);
	*list = NULL;
	return 1;
}

ks_status ks_route_suggest(ks_request *req, const char *rest)
{
	(void)rest;
	const char *q = ks_param(req, "q");
	if (!q)
		q = "";
	if (strlen(q) > KS_MAX_QUERY_BYTES)
		return ks_reply_error(req, 400, "q is too long: %zu bytes, at most %d", strlen(q),
				      KS_MAX_QUERY_BYTES);
	const char *format = ks_param(req, "format");
	bool opensearch = false;
	if (format && *format) {
		if (strcmp(format, "json") && strcmp(format, "opensearch"))
			return ks_reply_error(req, 400, "format must be json or opensearch");
		opensearch = !strcmp(format, "opensearch");
	}
	cJSON *list = cJSON_CreateArray();
	if (!list)
		return ks_reply_json(req, NULL);
	ks_status st = ks_db_complete(req->db, q, KS_SUGGEST_COUNT, KS_SUGGEST_WALK, add_completion,
				      &list);
	if (st || !list) {
		cJSON_Delete(list);
		return st ? st : ks_reply_json(req, NULL);
	}
	/* {"q": Q, "suggestions": [...]}, or OpenSearch's [Q, [...]]. */
	cJSON *root = opensearch ? cJSON_CreateArray() : cJSON_CreateObject();
	bool ok = root && (opensearch ? cJSON_AddItemToArray(root, cJSON_CreateString(q))
				      : cJSON_AddStringToObject(root, "q", q) != NULL);
	if (ok)
		ok = opensearch ? cJSON_AddItemToArray(root, list)
				: cJSON_AddItemToObject(root, "suggestions", list);
	if (!ok) { /* out of memory: LIST is not ROOT's */
		cJSON_Delete(list);
		cJSON_Delete(root);
		return ks_reply_json(req, NULL);
	}
	st = ks_reply_json(req, root);
	if (opensearch && req->status == 200)
		req->content_type = "application/x-suggestions+json; charset=utf-8";
	return st;
}
