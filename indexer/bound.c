/* bound.c — a document cut to the bounds of index-limits.h, with a warning
 * for every cut.  No Xapian here.
 *
 * Lines are cut as soon as the text is decoded, so that a file of one
 * enormous line costs no more to parse than its bytes; records are cut when
 * they are complete (their text is made of many lines), before anything
 * turns them into JSON or index terms.  Cutting keeps what a reader finds
 * first and keeps the file's other records; the warning says what was cut
 * and where.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

int ks_document_warn(ks_document *doc, int line, const char *fmt, ...)
{
	if (doc->n_warnings == KS_MAX_WARNINGS) {
		doc->more_warnings++;
		return 0;
	}
	ks_parse_error *v = realloc(doc->warnings, (doc->n_warnings + 1) * sizeof *v);
	if (!v)
		return -1;
	doc->warnings = v;
	ks_parse_error *w = &v[doc->n_warnings++];
	*w = (ks_parse_error){ .line = line };
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(w->message, sizeof w->message, fmt, ap);
	va_end(ap);
	return 0;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

/* Where to cut the LEN bytes of UTF-8 at S (LEN > MAX) to at most MAX: after
 * the last word that ends within KS_CUT_SPACE_BYTES of the bound, else
 * between two characters — or before the first word when that is all
 * there would be; blanks before the cut are dropped too. */
static size_t cut_point(const char *s, size_t len, size_t max)
{
	size_t n = max < len ? max : len;
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	size_t k = n;
	while (k > 0 && n - k < KS_CUT_SPACE_BYTES && !is_blank(s[k - 1]))
		k--;
	if (k > 0 && n - k < KS_CUT_SPACE_BYTES)
		n = k - 1; /* at the blank after a word */
	else if (k == 0)
		n = 0; /* a piece of the first word is no use */
	while (n > 0 && is_blank(s[n - 1]))
		n--;
	return n;
}

int ks_bound_lines(char *text, size_t *len, ks_document *doc)
{
	char *r = text, *w = text, *end = text + *len;
	for (int line = 1; r < end; line++) {
		char *nl = memchr(r, '\n', (size_t)(end - r));
		size_t n = nl ? (size_t)(nl - r) : (size_t)(end - r), keep = n;
		if (n > KS_MAX_TEXT_BYTES) {
			keep = cut_point(r, n, KS_MAX_TEXT_BYTES);
			if (ks_document_warn(
				    doc, line,
				    "a line of %zu bytes cut to its first %zu (a line holds "
				    "at most %u bytes, 1 MB)",
				    n, keep, KS_MAX_TEXT_BYTES))
				return -1;
		}
		if (w != r)
			memmove(w, r, keep);
		w += keep;
		r += n;
		if (nl) {
			*w++ = '\n';
			r++;
		}
	}
	*w = '\0';
	*len = (size_t)(w - text);
	return 0;
}

/* Cuts the string *S to at most MAX bytes; whether it did.  A string cut
 * to nothing becomes NULL (absent), as the parser leaves an empty one. */
static bool cut_string(char **s, size_t max)
{
	size_t len = *s ? strlen(*s) : 0;
	if (len <= max)
		return false;
	size_t n = cut_point(*s, len, max);
	if (n == 0) {
		free(*s);
		*s = NULL;
		return true;
	}
	(*s)[n] = '\0';
	char *shorter = realloc(*s, n + 1); /* give the rest back */
	if (shorter)
		*s = shorter;
	return true;
}

/* Cuts each entry of SV to KS_MAX_FIELD_BYTES and drops the entries past
 * KS_MAX_LIST_BYTES in all; whether it cut anything. */
static bool cut_list(ks_strv *sv)
{
	bool cut = false;
	size_t total = 0, keep = 0;
	for (size_t i = 0; i < sv->n; i++) {
		cut |= cut_string(&sv->v[i], KS_MAX_FIELD_BYTES);
		size_t len = sv->v[i] ? strlen(sv->v[i]) : 0;
		if (!len || total + len > KS_MAX_LIST_BYTES) {
			cut |= len > 0;
			free(sv->v[i]);
			continue;
		}
		total += len;
		sv->v[keep++] = sv->v[i];
	}
	sv->n = keep;
	return cut;
}

/* The length of R's text (ks_record_text(): its sections joined by blank
 * lines) and its longest section. */
static size_t text_length(ks_record *r, char ***longest)
{
	size_t total = 0, most = 0;
	*longest = NULL;
	for (size_t i = 0; i < KS_SEC_COUNT; i++) {
		char **s = &r->sections[i];
		if (!*s)
			continue;
		size_t len = strlen(*s);
		total += (total ? 2 : 0) + len;
		if (len >= most) {
			most = len;
			*longest = s;
		}
	}
	return total;
}

/* Cuts R's sections until its text holds at most KS_MAX_TEXT_BYTES, the
 * longest first (the one that made it too long, while a decision of a
 * few words stays whole); whether it cut anything. */
static bool cut_text(ks_record *r)
{
	bool cut = false;
	char **longest;
	for (size_t total; (total = text_length(r, &longest)) > KS_MAX_TEXT_BYTES; cut = true) {
		size_t len = strlen(*longest), excess = total - KS_MAX_TEXT_BYTES;
		if (len > excess && cut_string(longest, len - excess))
			continue;
		free(*longest);
		*longest = NULL;
	}
	return cut;
}

static int warn_field(ks_document *doc, const ks_record *r, const char *what, unsigned max)
{
	return ks_document_warn(doc, r->line, "%s %d: its %s cut to its first %u bytes",
				r->type == KS_RECORD_BUDGET ? "section" : "Punkt", r->punkt, what,
				max);
}

int ks_bound_document(ks_document *doc)
{
	ks_meeting *m = &doc->meeting;
	bool meeting = cut_string(&m->title, KS_MAX_FIELD_BYTES);
	meeting |= cut_string(&m->udvalg, KS_MAX_FIELD_BYTES);
	meeting |= cut_string(&m->place, KS_MAX_FIELD_BYTES);
	meeting |= cut_list(&m->participants);
	if (meeting && ks_document_warn(doc, 0,
					"the meeting's title, committee, place or participants "
					"cut to %u bytes each (%u for all participants)",
					KS_MAX_FIELD_BYTES, KS_MAX_LIST_BYTES))
		return -1;
	for (size_t i = 0; i < doc->n_records; i++) {
		ks_record *r = &doc->records[i];
		int rc = 0;
		if (cut_text(r))
			rc |= warn_field(doc, r, "text", KS_MAX_TEXT_BYTES);
		if (cut_string(&r->title, KS_MAX_FIELD_BYTES))
			rc |= warn_field(doc, r, "title", KS_MAX_FIELD_BYTES);
		if (cut_string(&r->udvalg, KS_MAX_FIELD_BYTES))
			rc |= warn_field(doc, r, "committee", KS_MAX_FIELD_BYTES);
		if (cut_list(&r->behandling))
			rc |= warn_field(doc, r, "Behandling list", KS_MAX_LIST_BYTES);
		if (cut_list(&r->bilag))
			rc |= warn_field(doc, r, "Bilag list", KS_MAX_LIST_BYTES);
		if (rc)
			return -1;
	}
	return 0;
}
