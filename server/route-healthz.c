/* route-healthz.c — GET /healthz: {"status": "ok", "documents": N,
 * "updated": time}, for monitoring and for the load balancer in front of
 * shards.  It reads the index, so a server whose index is gone says so. */
#include <stdlib.h>

#include "server.h"

ks_status ks_route_healthz(ks_request *req, const char *rest)
{
	(void)rest;
	uint32_t documents;
	char *updated = NULL;
	ks_status st = ks_db_doccount(req->db, &documents);
	if (!st)
		st = ks_db_get_metadata(req->db, KS_META_UPDATED, &updated);
	if (st)
		return st;
	cJSON *root = cJSON_CreateObject();
	if (root && (!cJSON_AddStringToObject(root, "status", "ok") ||
		     !cJSON_AddNumberToObject(root, "documents", documents) ||
		     !(*updated ? cJSON_AddStringToObject(root, "updated", updated)
				: cJSON_AddNullToObject(root, "updated")))) {
		cJSON_Delete(root);
		root = NULL;
	}
	free(updated);
	return ks_reply_json(req, root);
}
