/* record.c — a stored record as the API shows it.  The one place that
 * decides what of a closed item may be shown: its title, case number, date
 * and closed mark, nothing else (SPEC.md, "Closed items"); not even the
 * name of its file, which names the committee. */
#include "server.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

/* The decision as a field of its own, for result lists: the text of the
 * Beslutning section ("Anbefales."), or null when the item has none. */
static cJSON *beslutning_of(const cJSON *r)
{
	const cJSON *sections = cJSON_GetObjectItemCaseSensitive(r, "sections");
	const char *text = ks_record_str(sections, "beslutning");
	return text && *text ? cJSON_CreateString(text) : cJSON_CreateNull();
}

/* "/pdf/FILE#page=N" for the record's source, with every byte of the file
 * name that is not unreserved in a URL percent-encoded; null when there is
 * no such file to link to. */
static cJSON *pdf_link(const cJSON *r, const char *pdf_dir)
{
	const char *source = ks_record_str(r, "source");
	const cJSON *page = cJSON_GetObjectItemCaseSensitive(r, "page");
	size_t n = source ? strlen(source) : 0;
	if (!pdf_dir || !cJSON_IsNumber(page) || page->valueint < 1 || n < 5 ||
	    strcasecmp(source + n - 4, ".pdf") || !ks_file_below(pdf_dir, source))
		return cJSON_CreateNull();
	ks_sb sb = { 0 };
	ks_sb_puts(&sb, "/pdf/");
	for (const unsigned char *p = (const unsigned char *)source; *p; p++) {
		char hex[4];
		if (isalnum(*p) || strchr("-._~", *p)) {
			ks_sb_append(&sb, (const char *)p, 1);
		} else {
			snprintf(hex, sizeof hex, "%%%02X", *p);
			ks_sb_puts(&sb, hex);
		}
	}
	char frag[32];
	snprintf(frag, sizeof frag, "#page=%d", page->valueint);
	ks_sb_puts(&sb, frag);
	char *url = ks_sb_take(&sb);
	cJSON *v = url ? cJSON_CreateString(url) : NULL;
	free(url);
	return v;
}

cJSON *ks_record_public(const char *data, const char *pdf_dir)
{
	cJSON *r = cJSON_Parse(data);
	if (!cJSON_IsObject(r)) {
		cJSON_Delete(r);
		return NULL;
	}
	bool lukket = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r, "lukket"));
	/* An index written before PDFs were read has no page in its records. */
	bool ok = cJSON_HasObjectItem(r, "page") || set(r, "page", cJSON_CreateNull());
	if (ok && !lukket)
		ok = set(r, "beslutning", beslutning_of(r)) && set(r, "pdf", pdf_link(r, pdf_dir));
	else if (ok)
		/* The indexer stores only these for a closed item anyway; the
		 * server makes sure, whatever an older or foreign index holds. */
		ok = set(r, "udvalg", cJSON_CreateNull()) && set(r, "punkt", cJSON_CreateNull()) &&
		     set(r, "beslutning", cJSON_CreateNull()) &&
		     set(r, "meeting", cJSON_CreateNull()) &&
		     set(r, "sections", cJSON_CreateObject()) &&
		     set(r, "behandling", cJSON_CreateArray()) &&
		     set(r, "bilag", cJSON_CreateArray()) &&
		     set(r, "nettobudget", cJSON_CreateNull()) &&
		     set(r, "text", cJSON_CreateString("")) && set(r, "page", cJSON_CreateNull()) &&
		     set(r, "pdf", cJSON_CreateNull()) && set(r, "source", cJSON_CreateString(""));
	if (!ok) {
		cJSON_Delete(r);
		return NULL;
	}
	return r;
}

const char *const ks_result_fields[KS_RESULT_FIELDS] = {
	"id",     "type",  "title",      "sagsnummer", "lukket", "date",
	"udvalg", "punkt", "beslutning", "snippet",    "url",
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
