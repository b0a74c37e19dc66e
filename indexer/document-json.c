/* document-json.c — a parsed document as JSON Lines and back (see
 * document-json.h).
 *
 *   {"document":{"is_meeting":1,"meeting":{...}}}   or   {"error":{...}}
 *   {"record":{...}}       one a record, in order
 *   {"warning":{...}}      one a warning, in order
 *   {"end":{"records":N,"warnings":M,"more_warnings":K}}  (K: past KS_MAX_WARNINGS)
 *
 * The last line tells a complete answer from one cut off.  Every field is
 * written, strings as they are (NULL as null), numbers that a double holds
 * exactly as numbers, the amount in kroner (a long long) as a string.
 */
#include "document-json.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

/* A field added to these types must be carried here too (and compared by
 * tests/unit/test-document-json.c): the sizes make the build say so. */
#if defined(__x86_64__) && defined(__LP64__)
_Static_assert(sizeof(ks_record) == 240, "ks_record changed: update document-json.c");
_Static_assert(sizeof(ks_meeting) == 72, "ks_meeting changed: update document-json.c");
_Static_assert(sizeof(ks_document) == 120, "ks_document changed: update document-json.c");
_Static_assert(sizeof(ks_parse_error) == 264, "ks_parse_error changed: update document-json.c");
#endif

/* ---- writing ------------------------------------------------------------- */

/* cJSON returns NULL on every allocation failure: OK collects them. */
static void put_string(cJSON *o, const char *key, const char *s, bool *ok)
{
	if (!(s ? cJSON_AddStringToObject(o, key, s) : cJSON_AddNullToObject(o, key)))
		*ok = false;
}

static void put_number(cJSON *o, const char *key, double v, bool *ok)
{
	if (!cJSON_AddNumberToObject(o, key, v))
		*ok = false;
}

static void put_bool(cJSON *o, const char *key, bool v, bool *ok)
{
	if (!cJSON_AddBoolToObject(o, key, v))
		*ok = false;
}

static void put_strv(cJSON *o, const char *key, const ks_strv *sv, bool *ok)
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

static void put_error(cJSON *o, const char *key, const ks_parse_error *e, bool *ok)
{
	cJSON *x = cJSON_AddObjectToObject(o, key);
	if (!x) {
		*ok = false;
		return;
	}
	put_number(x, "line", e->line, ok);
	put_number(x, "page", e->page, ok);
	put_string(x, "message", e->message, ok);
}

static void put_meeting(cJSON *o, const ks_meeting *m, bool *ok)
{
	cJSON *x = cJSON_AddObjectToObject(o, "meeting");
	if (!x) {
		*ok = false;
		return;
	}
	put_string(x, "title", m->title, ok);
	put_string(x, "udvalg", m->udvalg, ok);
	put_string(x, "date", m->date, ok);
	put_string(x, "time", m->time, ok);
	put_string(x, "place", m->place, ok);
	put_strv(x, "participants", &m->participants, ok);
}

static void put_record(cJSON *o, const ks_record *r, const ks_meeting *m, bool *ok)
{
	cJSON *x = cJSON_AddObjectToObject(o, "record");
	if (!x) {
		*ok = false;
		return;
	}
	char amount[32];
	snprintf(amount, sizeof amount, "%lld", r->nettobudget);
	put_string(x, "id", r->id, ok);
	put_number(x, "type", r->type, ok);
	put_string(x, "title", r->title, ok);
	put_string(x, "sagsnummer", r->sagsnummer, ok);
	put_bool(x, "lukket", r->lukket, ok);
	put_string(x, "date", r->date, ok);
	put_number(x, "year", r->year, ok);
	put_string(x, "udvalg", r->udvalg, ok);
	put_number(x, "punkt", r->punkt, ok);
	/* The meeting is the document's, or none. */
	put_bool(x, "meeting", r->meeting == m, ok);
	cJSON *sections = cJSON_AddObjectToObject(x, "sections");
	if (!sections)
		*ok = false;
	for (int i = 0; sections && i < KS_SEC_COUNT; i++)
		put_string(sections, ks_section_names[i], r->sections[i], ok);
	put_strv(x, "behandling", &r->behandling, ok);
	put_strv(x, "bilag", &r->bilag, ok);
	put_string(x, "beslutning", r->beslutning, ok);
	put_bool(x, "has_nettobudget", r->has_nettobudget, ok);
	put_string(x, "nettobudget", amount, ok);
	put_string(x, "source", r->source, ok);
	put_number(x, "line", r->line, ok);
	put_number(x, "page", r->page, ok);
}

/* Writes O as one line of F and deletes it; OK says whether it was whole. */
static int put_line(FILE *f, cJSON *o, bool ok)
{
	char *s = ok && o ? cJSON_PrintUnformatted(o) : NULL;
	cJSON_Delete(o);
	int rc = s && fputs(s, f) >= 0 && putc('\n', f) != EOF ? 0 : -1;
	free(s);
	return rc;
}

int ks_document_write(FILE *f, int rc, const ks_document *doc, const ks_parse_error *err)
{
	bool ok = true;
	cJSON *o = cJSON_CreateObject();
	if (o && rc) {
		put_error(o, "error", err, &ok);
	} else if (o) {
		cJSON *d = cJSON_AddObjectToObject(o, "document");
		if (!d)
			ok = false;
		else {
			put_number(d, "is_meeting", doc->is_meeting, &ok);
			put_meeting(d, &doc->meeting, &ok);
		}
	}
	if (put_line(f, o, ok))
		return -1;
	size_t n_records = rc ? 0 : doc->n_records, n_warnings = rc ? 0 : doc->n_warnings;
	for (size_t i = 0; i < n_records; i++) {
		o = cJSON_CreateObject();
		ok = o != NULL;
		if (o)
			put_record(o, &doc->records[i], &doc->meeting, &ok);
		if (put_line(f, o, ok))
			return -1;
	}
	for (size_t i = 0; i < n_warnings; i++) {
		o = cJSON_CreateObject();
		ok = o != NULL;
		if (o)
			put_error(o, "warning", &doc->warnings[i], &ok);
		if (put_line(f, o, ok))
			return -1;
	}
	o = cJSON_CreateObject();
	cJSON *end = o ? cJSON_AddObjectToObject(o, "end") : NULL;
	ok = end != NULL;
	if (end) {
		put_number(end, "records", (double)n_records, &ok);
		put_number(end, "warnings", (double)n_warnings, &ok);
		put_number(end, "more_warnings", rc ? 0 : (double)doc->more_warnings, &ok);
	}
	if (put_line(f, o, ok))
		return -1;
	return fflush(f) == 0 ? 0 : -1;
}

/* ---- reading ------------------------------------------------------------- */

/* Each getter checks the type and sets *OK false on anything unexpected,
 * so that a malformed answer is refused as a whole. */
static cJSON *get(const cJSON *o, const char *key, bool *ok)
{
	cJSON *x = cJSON_GetObjectItemCaseSensitive(o, key);
	if (!x)
		*ok = false;
	return x;
}

static int get_int(const cJSON *o, const char *key, bool *ok)
{
	cJSON *x = get(o, key, ok);
	if (!cJSON_IsNumber(x) || x->valuedouble != (double)(int)x->valuedouble ||
	    x->valuedouble < INT_MIN || x->valuedouble > INT_MAX) {
		*ok = false;
		return 0;
	}
	return (int)x->valuedouble;
}

static bool get_bool(const cJSON *o, const char *key, bool *ok)
{
	cJSON *x = get(o, key, ok);
	if (!cJSON_IsBool(x))
		*ok = false;
	return cJSON_IsTrue(x);
}

/* A copy of the string (NULL for null), malloc'd. */
static char *get_string(const cJSON *o, const char *key, bool *ok)
{
	cJSON *x = get(o, key, ok);
	if (cJSON_IsNull(x))
		return NULL;
	char *s = cJSON_IsString(x) ? strdup(x->valuestring) : NULL;
	if (!s)
		*ok = false;
	return s;
}

/* The string into the array OUT of SIZE bytes. */
static void get_fixed(const cJSON *o, const char *key, char *out, size_t size, bool *ok)
{
	cJSON *x = get(o, key, ok);
	if (!cJSON_IsString(x) || strlen(x->valuestring) >= size) {
		*ok = false;
		return;
	}
	memcpy(out, x->valuestring, strlen(x->valuestring) + 1);
}

static void get_strv(const cJSON *o, const char *key, ks_strv *out, bool *ok)
{
	cJSON *a = get(o, key, ok), *s;
	if (!cJSON_IsArray(a)) {
		*ok = false;
		return;
	}
	cJSON_ArrayForEach(s, a)
	{
		if (!cJSON_IsString(s) || ks_strv_push(out, s->valuestring, strlen(s->valuestring)))
			*ok = false;
	}
}

static void get_error(const cJSON *x, ks_parse_error *e, bool *ok)
{
	*e = (ks_parse_error){ .line = get_int(x, "line", ok), .page = get_int(x, "page", ok) };
	get_fixed(x, "message", e->message, sizeof e->message, ok);
}

static void get_meeting(const cJSON *x, ks_meeting *m, bool *ok)
{
	if (!cJSON_IsObject(x)) {
		*ok = false;
		return;
	}
	m->title = get_string(x, "title", ok);
	m->udvalg = get_string(x, "udvalg", ok);
	get_fixed(x, "date", m->date, sizeof m->date, ok);
	get_fixed(x, "time", m->time, sizeof m->time, ok);
	m->place = get_string(x, "place", ok);
	get_strv(x, "participants", &m->participants, ok);
}

static void get_record(const cJSON *x, ks_record *r, const ks_meeting *m, bool *ok)
{
	if (!cJSON_IsObject(x)) {
		*ok = false;
		return;
	}
	r->id = get_string(x, "id", ok);
	int type = get_int(x, "type", ok);
	if (type != KS_RECORD_PUNKT && type != KS_RECORD_BUDGET)
		*ok = false;
	r->type = (ks_record_type)type;
	r->title = get_string(x, "title", ok);
	r->sagsnummer = get_string(x, "sagsnummer", ok);
	r->lukket = get_bool(x, "lukket", ok);
	get_fixed(x, "date", r->date, sizeof r->date, ok);
	r->year = get_int(x, "year", ok);
	r->udvalg = get_string(x, "udvalg", ok);
	r->punkt = get_int(x, "punkt", ok);
	r->meeting = get_bool(x, "meeting", ok) ? m : NULL;
	cJSON *sections = get(x, "sections", ok);
	if (!cJSON_IsObject(sections))
		*ok = false;
	for (int i = 0; *ok && i < KS_SEC_COUNT; i++)
		r->sections[i] = get_string(sections, ks_section_names[i], ok);
	get_strv(x, "behandling", &r->behandling, ok);
	get_strv(x, "bilag", &r->bilag, ok);
	r->beslutning = get_string(x, "beslutning", ok);
	r->has_nettobudget = get_bool(x, "has_nettobudget", ok);
	cJSON *amount = get(x, "nettobudget", ok);
	char *end = NULL;
	errno = 0;
	r->nettobudget = cJSON_IsString(amount) ? strtoll(amount->valuestring, &end, 10) : 0;
	if (!end || end == amount->valuestring || *end || errno)
		*ok = false;
	r->source = get_string(x, "source", ok);
	r->line = get_int(x, "line", ok);
	r->page = get_int(x, "page", ok);
}

/* The one member of the object on a line, named KEY, or NULL. */
static const cJSON *member(const cJSON *line, const char *key)
{
	const cJSON *x = cJSON_IsObject(line) ? line->child : NULL;
	return x && !x->next && x->string && !strcmp(x->string, key) ? x : NULL;
}

static bool grow_records(ks_document *doc, size_t *cap)
{
	ks_record *v = ks_grow(doc->records, cap, doc->n_records + 1, sizeof *v, 16);
	if (!v)
		return false;
	doc->records = v;
	return true;
}

int ks_document_read(const char *data, size_t len, ks_document *doc, ks_parse_error *err)
{
	*doc = (ks_document){ 0 };
	bool ok = true, error = false, ended = false;
	size_t cap = 0, lines = 0;
	for (const char *p = data, *end = data + len; ok && p < end && !ended; lines++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl) {
			ok = false; /* cut off */
			break;
		}
		cJSON *o = cJSON_ParseWithLength(p, (size_t)(nl - p));
		const cJSON *x;
		p = nl + 1;
		if (!o) {
			ok = false;
		} else if (lines == 0 && (x = member(o, "error"))) {
			get_error(x, err, &ok);
			error = true;
		} else if (lines == 0 && (x = member(o, "document"))) {
			doc->is_meeting = get_int(x, "is_meeting", &ok);
			get_meeting(get(x, "meeting", &ok), &doc->meeting, &ok);
		} else if (lines > 0 && !error && (x = member(o, "record"))) {
			if (!doc->n_warnings && grow_records(doc, &cap)) {
				ks_record *r = &doc->records[doc->n_records++];
				*r = (ks_record){ 0 };
				get_record(x, r, &doc->meeting, &ok);
			} else {
				ok = false; /* out of order, or out of memory */
			}
		} else if (lines > 0 && !error && doc->n_warnings < KS_MAX_WARNINGS &&
			   (x = member(o, "warning"))) {
			ks_parse_error w;
			get_error(x, &w, &ok);
			if (ok && ks_document_warn(doc, w.line, "%s", w.message))
				ok = false;
			else if (ok)
				doc->warnings[doc->n_warnings - 1].page = w.page;
		} else if (lines > 0 && (x = member(o, "end"))) {
			ended = get_int(x, "records", &ok) == (int)doc->n_records &&
				get_int(x, "warnings", &ok) == (int)doc->n_warnings;
			int more = get_int(x, "more_warnings", &ok);
			ok &= more >= 0;
			doc->more_warnings = more >= 0 ? (size_t)more : 0;
			ok &= ended && p == end;
		} else {
			ok = false;
		}
		cJSON_Delete(o);
	}
	if (!ok || !ended) {
		ks_document_clear(doc);
		return -2;
	}
	if (error) {
		ks_document_clear(doc);
		return -1;
	}
	return 0;
}
