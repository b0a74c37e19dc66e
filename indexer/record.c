/* record.c — the record type: growable string arrays, text and JSON. */
#include "record.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schema.h"
#include "text.h"

const char *const ks_section_names[KS_SEC_COUNT] = {
	[KS_SEC_BESLUTNING] = "beslutning",
	[KS_SEC_RESUME] = "resume",
	[KS_SEC_SAGSFREMSTILLING] = "sagsfremstilling",
	[KS_SEC_INDSTILLINGER] = "indstillinger",
	[KS_SEC_BEHANDLING] = "behandling",
	[KS_SEC_OEKONOMI] = "oekonomi",
	[KS_SEC_BILAG] = "bilag",
	[KS_SEC_BUDGETGRUNDLAG] = "budgetgrundlag",
	[KS_SEC_BESKRIVELSE] = "beskrivelse",
	[KS_SEC_UDVIKLING] = "udvikling",
};

/* The order in which sections make up `text`: the order of the documents,
 * where the resume precedes the body of Sagsfremstilling. */
const ks_section ks_text_order[KS_SEC_COUNT] = {
	KS_SEC_RESUME,      KS_SEC_INDSTILLINGER, KS_SEC_BEHANDLING, KS_SEC_SAGSFREMSTILLING,
	KS_SEC_OEKONOMI,    KS_SEC_BESLUTNING,    KS_SEC_BILAG,      KS_SEC_BUDGETGRUNDLAG,
	KS_SEC_BESKRIVELSE, KS_SEC_UDVIKLING,
};

int ks_strv_push(ks_strv *sv, const char *s, size_t len)
{
	char **v = ks_grow(sv->v, &sv->cap, sv->n + 1, sizeof *v, 4);
	if (!v)
		return -1;
	sv->v = v;
	char *copy = malloc(len + 1);
	if (!copy)
		return -1;
	memcpy(copy, s, len);
	copy[len] = '\0';
	sv->v[sv->n++] = copy;
	return 0;
}

void ks_strv_clear(ks_strv *sv)
{
	for (size_t i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	*sv = (ks_strv){ 0 };
}

void ks_meeting_clear(ks_meeting *m)
{
	free(m->title);
	free(m->udvalg);
	free(m->place);
	ks_strv_clear(&m->participants);
	*m = (ks_meeting){ 0 };
}

void ks_record_clear(ks_record *r)
{
	free(r->id);
	free(r->title);
	free(r->sagsnummer);
	free(r->udvalg);
	for (int i = 0; i < KS_SEC_COUNT; i++)
		free(r->sections[i]);
	ks_strv_clear(&r->behandling);
	ks_strv_clear(&r->bilag);
	free(r->beslutning);
	free(r->source);
	*r = (ks_record){ 0 };
}

char *ks_record_text(const ks_record *r)
{
	size_t len = 0;
	if (!r->lukket)
		for (size_t i = 0; i < KS_SEC_COUNT; i++)
			if (r->sections[ks_text_order[i]])
				len += strlen(r->sections[ks_text_order[i]]) + 2;
	char *text = malloc(len + 1), *p = text;
	if (!text)
		return NULL;
	if (!r->lukket)
		for (size_t i = 0; i < KS_SEC_COUNT; i++) {
			const char *s = r->sections[ks_text_order[i]];
			if (!s)
				continue;
			if (p != text) {
				*p++ = '\n';
				*p++ = '\n';
			}
			size_t n = strlen(s);
			memcpy(p, s, n);
			p += n;
		}
	*p = '\0';
	return text;
}

/* cJSON reports every allocation failure by returning NULL, and the
 * cJSON_Add… helpers leave the object intact; one check at the end of
 * ks_record_json() catches them all through this flag. */
static void add_string(cJSON *o, const char *key, const char *s, bool *ok)
{
	if (!(s ? cJSON_AddStringToObject(o, key, s) : cJSON_AddNullToObject(o, key)))
		*ok = false;
}

static void add_strv(cJSON *o, const char *key, const ks_strv *sv, bool *ok)
{
	cJSON *a = cJSON_AddArrayToObject(o, key);
	if (!a) {
		*ok = false;
		return;
	}
	for (size_t i = 0; i < sv->n; i++) {
		cJSON *s = cJSON_CreateString(sv->v[i]);
		if (!s || !cJSON_AddItemToArray(a, s)) {
			cJSON_Delete(s);
			*ok = false;
		}
	}
}

static void add_number(cJSON *o, const char *key, bool present, double v, bool *ok)
{
	if (!(present ? cJSON_AddNumberToObject(o, key, v) : cJSON_AddNullToObject(o, key)))
		*ok = false;
}

static void add_meeting(cJSON *o, const ks_meeting *m, bool *ok)
{
	if (!m) {
		if (!cJSON_AddNullToObject(o, "meeting"))
			*ok = false;
		return;
	}
	cJSON *mo = cJSON_AddObjectToObject(o, "meeting");
	if (!mo) {
		*ok = false;
		return;
	}
	add_string(mo, "title", m->title, ok);
	add_string(mo, "date", m->date[0] ? m->date : NULL, ok);
	add_string(mo, "time", m->time[0] ? m->time : NULL, ok);
	add_string(mo, "place", m->place, ok);
	add_strv(mo, "participants", &m->participants, ok);
}

char *ks_record_json(const ks_record *r)
{
	static const ks_strv none;
	bool ok = true;
	cJSON *o = cJSON_CreateObject();
	if (!o)
		return NULL;

	char url[512];
	snprintf(url, sizeof url, "%s%s", KS_ITEM_URL_PREFIX, r->id ? r->id : "");
	add_string(o, "id", r->id, &ok);
	add_string(o, "type", r->type == KS_RECORD_BUDGET ? KS_TYPE_BUDGET : KS_TYPE_PUNKT, &ok);
	add_string(o, "title", r->title, &ok);
	add_string(o, "sagsnummer", r->sagsnummer, &ok);
	if (!cJSON_AddBoolToObject(o, "lukket", r->lukket))
		ok = false;
	add_string(o, "date", r->date[0] ? r->date : NULL, &ok);
	add_number(o, "year", r->year > 0, r->year, &ok);
	add_string(o, "udvalg", r->udvalg, &ok);
	add_number(o, "punkt", r->type == KS_RECORD_PUNKT, r->punkt, &ok);
	add_string(o, "url", url, &ok);

	/* A closed item shows what the published minutes print of it (its
	 * title, case number, number and meeting) and nothing that they
	 * withhold. */
	add_meeting(o, r->meeting, &ok);
	cJSON *sections = cJSON_AddObjectToObject(o, "sections");
	if (!sections)
		ok = false;
	for (int i = 0; sections && !r->lukket && i < KS_SEC_COUNT; i++)
		if (r->sections[i])
			add_string(sections, ks_section_names[i], r->sections[i], &ok);
	add_strv(o, "behandling", r->lukket ? &none : &r->behandling, &ok);
	add_strv(o, "bilag", r->lukket ? &none : &r->bilag, &ok);
	add_number(o, "nettobudget", r->has_nettobudget, (double)r->nettobudget, &ok);
	char *text = ks_record_text(r);
	if (!text)
		ok = false;
	add_string(o, "text", text ? text : "", &ok);
	free(text);
	add_string(o, "source", r->source, &ok);
	add_number(o, "page", r->page > 0, r->page, &ok);

	char *json = ok ? cJSON_PrintUnformatted(o) : NULL;
	cJSON_Delete(o);
	return json;
}
