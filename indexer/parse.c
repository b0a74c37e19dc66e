/* parse.c — council documents into records.
 *
 * The text goes through three steps:
 *   1. ks_decode(): bytes into UTF-8 with LF line ends (decode.c);
 *   2. lines into "units": Markdown markup removed, blanks trimmed, and the
 *      PDF text repaired — hyphenation joined, paragraphs re-joined across
 *      line wraps and page breaks, lost bullet glyphs turned into list items;
 *   3. units into records, by the structure of minutes or budget remarks.
 * The documents of corpus/ show every rule.  Comments name them by the
 * numbers they were first given as seeds: 000 direktionen-2025-10-06.txt,
 * 001 direktionen-2023-11-06.txt, 002 direktionen-2025-11-17.txt,
 * 003 direktionen-2025-08-18.md, 004 budget-2024-oekonomiudvalget.txt.
 */
#include "parse.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse-private.h"
#include "schema.h"
#include "text.h"

/* ---- errors --------------------------------------------------------------- */

/* Fills ERR with LINE and the message of FMT; returns -1. */
int ks_parse_fail(ks_parse_error *err, int line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof err->message, fmt, ap);
	va_end(ap);
	err->line = line;
	return -1;
}

/* ks_parse_fail() with "out of memory" at LINE of PS's document; -1. */
int ks_parse_oom(parser *ps, int line)
{
	return ks_parse_fail(ps->err, line, "out of memory");
}

/* ---- records -------------------------------------------------------------- */

/* Adds an empty record to DOC (of *CAP allocated), into *OUT, owned by DOC.
 * 0, or -1 when out of memory. */
int ks_push_record(ks_document *doc, size_t *cap, ks_record **out)
{
	if (doc->n_records == *cap) {
		size_t c = *cap ? *cap * 2 : 16;
		ks_record *v = realloc(doc->records, c * sizeof *v);
		if (!v)
			return -1;
		doc->records = v;
		*cap = c;
	}
	*out = &doc->records[doc->n_records++];
	**out = (ks_record){ 0 };
	return 0;
}

/* The id of item N of the file whose slug is STEM_SLUG ("…-N").  Malloc'd;
 * NULL when out of memory. */
char *ks_make_id(const char *stem_slug, int n)
{
	char buf[32];
	snprintf(buf, sizeof buf, "-%d", n);
	size_t a = strlen(stem_slug), b = strlen(buf);
	char *id = malloc(a + b + 1);
	if (id) {
		memcpy(id, stem_slug, a);
		memcpy(id + a, buf, b + 1);
	}
	return id;
}

char *ks_name_slug(const char *name)
{
	const char *base = strrchr(name, '/');
	base = base ? base + 1 : name;
	char *stem = ks_decode_name(base);
	if (!stem)
		return NULL;
	char *dot = strrchr(stem, '.');
	if (dot && dot != stem)
		*dot = '\0';
	char *slug = ks_slug(stem);
	free(stem);
	if (slug && !*slug) {
		free(slug);
		slug = strdup("dokument");
	}
	size_t len = slug ? strlen(slug) : 0;
	if (len > KS_MAX_SLUG_BYTES) {
		/* A name of up to 255 bytes gives a slug of up to 510 ("æ" is
		 * "ae"): its start stays readable, the hash of the whole tells
		 * two long names apart. */
		uint64_t hash = ks_hash64(slug, len);
		size_t keep = KS_MAX_SLUG_BYTES - 17;
		while (keep > 0 && slug[keep - 1] == '-')
			keep--;
		snprintf(slug + keep, len + 1 - keep, "-%016llx", (unsigned long long)hash);
	}
	return slug;
}

/* ---- the document ----------------------------------------------------------- */

void ks_document_clear(ks_document *doc)
{
	for (size_t i = 0; i < doc->n_records; i++)
		ks_record_clear(&doc->records[i]);
	free(doc->records);
	ks_meeting_clear(&doc->meeting);
	free(doc->warnings);
	*doc = (ks_document){ 0 };
}

int ks_parse(const char *data, size_t len, const char *name, ks_document *doc, ks_parse_error *err)
{
	*doc = (ks_document){ 0 };
	err->page = 0;
	size_t text_len;
	char *text = ks_decode(data, len, &text_len, err);
	if (!text)
		return -1;
	if (ks_bound_lines(text, &text_len, doc)) {
		free(text);
		ks_document_clear(doc);
		return ks_parse_fail(err, 1, "out of memory");
	}
	line *lines = NULL;
	size_t n_lines = 0;
	units us = { 0 };
	/* `source` is JSON, UTF-8, whatever bytes the file's name has. */
	char *utf8_name = ks_decode_name(name);
	parser ps = { .us = &us, .name = utf8_name, .doc = doc, .err = err };
	int rc;
	if (!utf8_name || ks_lines_split(text, &lines, &n_lines) ||
	    ks_units_build(lines, n_lines, &us) || !(ps.slug = ks_name_slug(name))) {
		rc = ks_parse_fail(err, 1, "out of memory");
		goto out;
	}

	/* Minutes open with "REFERAT" (after Markdown is gone); budget
	 * remarks have "Samlet nettobudget" lines.  The header may follow a
	 * few lines of front matter, not pages of it. */
	size_t referat = us.n;
	for (size_t i = 0; i < us.n && i < 20; i++)
		if (starts_with(us.v[i].text, "REFERAT ")) {
			referat = i;
			break;
		}
	bool budget = false;
	for (size_t i = 0; i < us.n && !budget; i++)
		budget = ks_da_prefix(us.v[i].text, NETTOBUDGET_LEAD);
	if (referat < us.n)
		rc = ks_parse_meeting(&ps, referat);
	else if (budget)
		rc = ks_parse_budget(&ps);
	else
		rc = ks_parse_fail(err, us.n ? us.v[0].line : 1,
				   "not a council document: no 'REFERAT <udvalg> d. DD-MM-YYYY' "
				   "header and no 'Samlet nettobudget for området' line");
	if (!rc && ks_bound_document(doc))
		rc = ks_parse_fail(err, 1, "out of memory");
out:
	if (rc)
		ks_document_clear(doc);
	free(ps.slug);
	free(utf8_name);
	ks_units_free(&us);
	ks_lines_free(lines, n_lines);
	free(text);
	return rc;
}
