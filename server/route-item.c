/* route-item.c — GET /api/item/{id}: one whole record. */
#include <stdlib.h>
#include <string.h>

#include "server.h"

bool ks_valid_id(const char *id)
{
	size_t n = strspn(id, "abcdefghijklmnopqrstuvwxyz0123456789-");
	return n > 0 && n <= KS_MAX_ID_BYTES && id[n] == '\0';
}

ks_status ks_route_api_item(ks_request *req, const char *rest)
{
	/* Ids are URL-safe ASCII (the indexer makes them from ks_slug());
	 * anything else cannot be one. */
	if (!ks_valid_id(rest))
		return ks_reply_error(req, 404, "no such item");
	char *data = NULL;
	ks_status st = ks_db_get_data(req->db, rest, &data);
	if (st == KS_ERR_NOT_FOUND)
		return ks_reply_error(req, 404, "no item has id %s", rest);
	if (st)
		return st;
	cJSON *record = ks_record_public(data, req->server->pdf_dir);
	free(data);
	return ks_reply_json(req, record);
}
