/* writer-csv.c — every hit as a row of CSV that a Danish Excel opens as it
 * is: UTF-8 with a byte order mark (without it, Excel reads the file as
 * Windows-1252: "budgetopfÃ¸lgning"), ';' between fields (Excel splits on
 * the list separator of the system's region, ';' in Denmark, and the
 * decimal comma there is why), CRLF line ends, a field quoted when it holds
 * a ';', a ',', a quote or a line break, quotes doubled (RFC 4180 with ';').
 * The RESULT fields without the snippet, the url absolute; null is an
 * empty field, booleans are true/false, numbers whole (no separator, so
 * the locale's decimal mark never matters).  A sep= line would do for the
 * separator, but Excel then ignores the byte order mark. */
#include "writer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ks-limits.h"

/* A field that a spreadsheet would run as a formula ("=HYPERLINK(...)")
 * gets a leading apostrophe (OWASP's advice against CSV injection); titles
 * never start with these characters. */
static void put_field(ks_sb *out, const char *s)
{
	bool formula = strchr("=+-@\t\r", s[0]) && s[0];
	if (!formula && !strpbrk(s, ";,\"\r\n")) {
		ks_sb_puts(out, s);
		return;
	}
	ks_sb_puts(out, formula ? "\"'" : "\"");
	for (const char *p = s; *p; p++) {
		size_t plain = strcspn(p, "\"");
		ks_sb_append(out, p, plain);
		p += plain;
		if (!*p)
			break;
		ks_sb_puts(out, "\"\"");
	}
	ks_sb_puts(out, "\"");
}

static bool skip(const char *field)
{
	return !strcmp(field, "snippet");
}

typedef struct {
	size_t rows;
} csv_state;

static void *csv_begin(ks_sb *out, const ks_listing *l)
{
	(void)l;
	csv_state *w = calloc(1, sizeof *w);
	if (!w)
		return NULL;
	ks_sb_puts(out, "\xEF\xBB\xBF"); /* the byte order mark */
	bool first = true;
	for (size_t i = 0; i < KS_RESULT_FIELDS; i++) {
		if (skip(ks_result_fields[i]))
			continue;
		ks_sb_puts(out, first ? "" : ";");
		ks_sb_puts(out, ks_result_fields[i]);
		first = false;
	}
	ks_sb_puts(out, "\r\n");
	return w;
}

static bool csv_hit(void *state, ks_sb *out, const ks_listing *l, const cJSON *record,
		    const char *snippet)
{
	(void)snippet;
	csv_state *w = state;
	bool first = true;
	for (size_t i = 0; i < KS_RESULT_FIELDS; i++) {
		const char *name = ks_result_fields[i];
		if (skip(name))
			continue;
		ks_sb_puts(out, first ? "" : ";");
		first = false;
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(record, name);
		char number[32];
		if (cJSON_IsString(v) && !strcmp(name, "url") && v->valuestring[0] == '/') {
			ks_sb link = { 0 };
			ks_sb_puts(&link, l->base);
			ks_sb_puts(&link, v->valuestring);
			put_field(out, link.oom ? "" : link.s);
			out->oom |= link.oom;
			ks_sb_free(&link);
		} else if (cJSON_IsString(v)) {
			put_field(out, v->valuestring);
		} else if (cJSON_IsBool(v)) {
			ks_sb_puts(out, cJSON_IsTrue(v) ? "true" : "false");
		} else if (cJSON_IsNumber(v)) {
			snprintf(number, sizeof number, "%.0f", v->valuedouble);
			ks_sb_puts(out, number);
		}
	}
	ks_sb_puts(out, "\r\n");
	w->rows++;
	return !out->oom;
}

/* The note of an export cut at its cap, as a last row of one field. */
static bool csv_end(void *state, ks_sb *out, const ks_listing *l)
{
	csv_state *w = state;
	ks_sb note = { 0 };
	ks_export_cap_note(l, w->rows, &note);
	if (note.n) {
		put_field(out, note.s);
		ks_sb_puts(out, "\r\n");
	}
	out->oom |= note.oom;
	ks_sb_free(&note);
	free(w);
	return !out->oom;
}

const ks_writer_class ks_writer_csv = {
	.content_type = "text/csv; charset=utf-8",
	.begin = csv_begin,
	.hit = csv_hit,
	.end = csv_end,
};
