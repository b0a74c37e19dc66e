/* record.c — a stored record as the API shows it.  The one place that
 * decides what of a closed item may be shown: its title, case number, date
 * and closed mark, nothing else (SPEC.md, "Closed items"); not even the
 * name of its file, which names the committee. */
#include "server.h"

#include <string.h>

const char *ks_record_str(const cJSON *record, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(record, name);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* Replaces field NAME of R with NEW (taking it); false when out of memory. */
static bool set(cJSON *r, const char *name, cJSON *new)
{
	if (!new)
		return false;
	if (cJSON_HasObjectItem(r, name))
		return cJSON_ReplaceItemInObjectCaseSensitive(r, name, new);
	return cJSON_AddItemToObject(r, name, new);
}

cJSON *ks_record_public(const char *data)
{
	cJSON *r = cJSON_Parse(data);
	if (!cJSON_IsObject(r)) {
		cJSON_Delete(r);
		return NULL;
	}
	if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r, "lukket")))
		return r;
	/* The indexer stores only these for a closed item anyway; the server
	 * makes sure, whatever an older or foreign index holds. */
	bool ok =
		set(r, "udvalg", cJSON_CreateNull()) && set(r, "punkt", cJSON_CreateNull()) &&
		set(r, "meeting", cJSON_CreateNull()) && set(r, "sections", cJSON_CreateObject()) &&
		set(r, "behandling", cJSON_CreateArray()) && set(r, "bilag", cJSON_CreateArray()) &&
		set(r, "nettobudget", cJSON_CreateNull()) &&
		set(r, "text", cJSON_CreateString("")) && set(r, "source", cJSON_CreateString(""));
	if (!ok) {
		cJSON_Delete(r);
		return NULL;
	}
	return r;
}

const char *const ks_result_fields[KS_RESULT_FIELDS] = {
	"id", "type", "title", "sagsnummer", "lukket", "date", "udvalg", "punkt", "snippet", "url",
};

cJSON *ks_record_result(const cJSON *record, const char *snippet)
{
	cJSON *out = cJSON_CreateObject();
	bool ok = out != NULL;
	for (size_t i = 0; ok && i < KS_RESULT_FIELDS; i++) {
		const char *name = ks_result_fields[i];
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(record, name);
		cJSON *copy = !strcmp(name, "snippet") ? cJSON_CreateString(snippet ? snippet : "")
			      : v                      ? cJSON_Duplicate(v, true)
						       : cJSON_CreateNull();
		ok = copy && cJSON_AddItemToObject(out, name, copy);
		if (copy && !ok)
			cJSON_Delete(copy);
	}
	if (!ok) {
		cJSON_Delete(out);
		return NULL;
	}
	return out;
}
