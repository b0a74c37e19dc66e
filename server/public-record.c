/* public-record.c — a stored record as the API shows it, and the one
 * place that decides what of a closed item may be shown: what the
 * published minutes print of it — its title, case number, number and
 * meeting (with the committee and date) — and its closed mark; none of
 * its text, no decision, and no link to a page of its source. */
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

/* The page of the meeting an agenda item was treated at; null for a budget
 * section, which has none. */
static cJSON *moede_link(const cJSON *r)
{
	const char *type = ks_record_str(r, "type");
	char *path = type && !strcmp(type, "punkt")
			     ? ks_meeting_path(ks_record_str(r, "udvalg"), ks_record_str(r, "date"))
			     : NULL;
	cJSON *v = path ? cJSON_CreateString(path) : cJSON_CreateNull();
	free(path);
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
	bool ok = (cJSON_HasObjectItem(r, "page") || set(r, "page", cJSON_CreateNull())) &&
		  set(r, "moede", moede_link(r));
	if (ok && !lukket)
		ok = set(r, "beslutning", beslutning_of(r)) && set(r, "pdf", pdf_link(r, pdf_dir));
	else if (ok)
		/* The indexer stores none of these for a closed item anyway;
		 * the server makes sure, whatever an older or foreign index
		 * holds.  The page and its link go too: a copy of the minutes
		 * may carry on that page what the published minutes withhold. */
		ok = set(r, "beslutning", cJSON_CreateNull()) &&
		     set(r, "sections", cJSON_CreateObject()) &&
		     set(r, "behandling", cJSON_CreateArray()) &&
		     set(r, "bilag", cJSON_CreateArray()) &&
		     set(r, "nettobudget", cJSON_CreateNull()) &&
		     set(r, "text", cJSON_CreateString("")) && set(r, "page", cJSON_CreateNull()) &&
		     set(r, "pdf", cJSON_CreateNull());
	if (!ok) {
		cJSON_Delete(r);
		return NULL;
	}
	return r;
}

/* ---- listings: the members a result needs, without the rest ----------
 *
 * A stored record is about 13 KB of JSON, most of it its text and its
 * sections (the same text again); a result needs the text (for its
 * snippet), the decision and a few short fields.  Parsing all of it with
 * cJSON was a large part of a search request's work, so a listing finds
 * where each member of the object starts and ends and parses only those
 * it needs.  The scanning is only as strict as finding the ends requires:
 * what is not parsed is not checked. */

static const char *json_space(const char *p)
{
	return p + strspn(p, " \t\r\n");
}

/* Past the end of the string that starts at P (its '"'); NULL when it does
 * not end. */
static const char *json_string_end(const char *p)
{
	for (p++;;) {
		p += strcspn(p, "\"\\");
		if (*p == '"')
			return p + 1;
		if (!*p || !p[1])
			return NULL;
		p += 2; /* a backslash and the character it escapes */
	}
}

/* Past the end of the value that starts at P; NULL when it does not end. */
static const char *json_value_end(const char *p)
{
	if (*p == '"')
		return json_string_end(p);
	if (*p != '{' && *p != '[') {
		size_t n = strcspn(p, ",}] \t\r\n");
		return n ? p + n : NULL;
	}
	for (unsigned depth = 0;;) {
		p += strcspn(p, "\"{}[]");
		if (!*p)
			return NULL;
		if (*p == '"') {
			if (!(p = json_string_end(p)))
				return NULL;
			continue;
		}
		if (*p == '{' || *p == '[')
			depth++;
		else if (--depth == 0)
			return p + 1;
		p++;
	}
}

/* Calls FN with each member of the object at P: its name (as written,
 * without the quotes), and its value as written.  FN returns false to
 * stop.  False when P is not an object or FN stopped. */
typedef bool (*json_member_fn)(const char *name, size_t name_len, const char *value,
			       size_t value_len, void *arg);
static bool json_members(const char *p, json_member_fn fn, void *arg)
{
	p = json_space(p);
	if (*p++ != '{')
		return false;
	p = json_space(p);
	if (*p == '}')
		return true;
	for (;;) {
		const char *name = p + 1, *name_end = *p == '"' ? json_string_end(p) : NULL;
		if (!name_end)
			return false;
		p = json_space(name_end);
		if (*p++ != ':')
			return false;
		p = json_space(p);
		const char *end = json_value_end(p);
		if (!end || !fn(name, (size_t)(name_end - 1 - name), p, (size_t)(end - p), arg))
			return false;
		p = json_space(end);
		if (*p == '}')
			return true;
		if (*p++ != ',')
			return false;
		p = json_space(p);
	}
}

static bool is_name(const char *name, size_t len, const char *want)
{
	return strlen(want) == len && !memcmp(name, want, len);
}

/* The members of a stored record that a listing reads. */
static const char *const listing_fields[] = {
	"id",   "type",   "title", "sagsnummer",  "lukket", "date",
	"year", "udvalg", "punkt", "nettobudget", "url",    "text",
};

/* Adds the members of listing_fields to the object ARG; "sections" gives
 * its "beslutning" as the member "sections" = {"beslutning": ...}. */
static bool listing_member(const char *name, size_t len, const char *value, size_t value_len,
			   void *arg)
{
	cJSON *r = arg;
	const char *want = NULL;
	for (size_t i = 0; !want && i < sizeof listing_fields / sizeof *listing_fields; i++)
		if (is_name(name, len, listing_fields[i]))
			want = listing_fields[i];
	if (!want && is_name(name, len, "sections")) {
		cJSON *sections = cJSON_CreateObject();
		if (!sections || !cJSON_AddItemToObject(r, "sections", sections)) {
			cJSON_Delete(sections);
			return false;
		}
		return json_members(value, listing_member, sections);
	}
	if (!want && is_name(name, len, "beslutning"))
		want = "beslutning"; /* inside "sections" */
	if (!want || cJSON_HasObjectItem(r, want))
		return true; /* as cJSON, the first of two members of a name counts */
	cJSON *v = cJSON_ParseWithLength(value, value_len);
	if (!v || !cJSON_AddItemToObject(r, want, v)) {
		cJSON_Delete(v);
		return false;
	}
	return true;
}

cJSON *ks_record_listing(const char *data)
{
	cJSON *r = cJSON_CreateObject();
	if (!r || !json_members(data, listing_member, r)) {
		cJSON_Delete(r);
		return NULL;
	}
	/* As ks_record_public() decides; a top-level "beslutning" of the
	 * data is none of the record's (listing_member takes it only from
	 * "sections"). */
	cJSON_DeleteItemFromObjectCaseSensitive(r, "beslutning");
	bool lukket = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r, "lukket"));
	bool ok;
	if (!lukket)
		ok = set(r, "beslutning", beslutning_of(r));
	else
		ok = set(r, "beslutning", cJSON_CreateNull()) &&
		     set(r, "nettobudget", cJSON_CreateNull()) &&
		     set(r, "text", cJSON_CreateString(""));
	cJSON_DeleteItemFromObjectCaseSensitive(r, "sections");
	if (!ok) {
		cJSON_Delete(r);
		return NULL;
	}
	return r;
}

const char *const ks_result_fields[KS_RESULT_FIELDS] = {
	"id",     "type",  "title",      "sagsnummer",  "lukket",  "date", "year",
	"udvalg", "punkt", "beslutning", "nettobudget", "snippet", "url",
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
