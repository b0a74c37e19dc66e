/* writer-csv.c — every hit as a row of RFC 4180 CSV: a header row, CRLF
 * line ends, a field quoted when it holds a comma, a quote or a line break,
 * quotes doubled.  The RESULT fields without the snippet; null is an empty
 * field, booleans are true/false. */
#include "writer.h"

#include <stdio.h>
#include <string.h>

/* A field that a spreadsheet would run as a formula ("=HYPERLINK(...)")
 * gets a leading apostrophe (OWASP's advice against CSV injection); titles
 * never start with these characters. */
static void put_field(ks_sb *out, const char *s)
{
	bool formula = strchr("=+-@\t\r", s[0]) && s[0];
	if (!formula && !strpbrk(s, ",\"\r\n")) {
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

static void *csv_begin(ks_sb *out, const ks_listing *l)
{
	(void)l;
	bool first = true;
	for (size_t i = 0; i < KS_RESULT_FIELDS; i++) {
		if (skip(ks_result_fields[i]))
			continue;
		ks_sb_puts(out, first ? "" : ",");
		ks_sb_puts(out, ks_result_fields[i]);
		first = false;
	}
	ks_sb_puts(out, "\r\n");
	return out; /* no state of its own; non-NULL means started */
}

static bool csv_hit(void *w, ks_sb *out, const ks_listing *l, const cJSON *record,
		    const char *snippet)
{
	(void)w, (void)l, (void)snippet;
	bool first = true;
	for (size_t i = 0; i < KS_RESULT_FIELDS; i++) {
		if (skip(ks_result_fields[i]))
			continue;
		ks_sb_puts(out, first ? "" : ",");
		first = false;
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(record, ks_result_fields[i]);
		char number[32];
		if (cJSON_IsString(v)) {
			put_field(out, v->valuestring);
		} else if (cJSON_IsBool(v)) {
			ks_sb_puts(out, cJSON_IsTrue(v) ? "true" : "false");
		} else if (cJSON_IsNumber(v)) {
			snprintf(number, sizeof number, "%.0f", v->valuedouble);
			ks_sb_puts(out, number);
		}
	}
	ks_sb_puts(out, "\r\n");
	return !out->oom;
}

static bool csv_end(void *w, ks_sb *out, const ks_listing *l)
{
	(void)w, (void)l;
	return !out->oom;
}

const ks_writer_class ks_writer_csv = {
	.content_type = "text/csv; charset=utf-8",
	.begin = csv_begin,
	.hit = csv_hit,
	.end = csv_end,
};
