/* parse-private.h — what the files of the parser share; private to it (the
 * parser's header is parse.h).
 *
 * A document goes through these files in turn:
 *   decode.c      bytes into UTF-8 with LF line ends;
 *   bound.c       every line cut to its bound (and, last, every record);
 *   markdown.c    Markdown markup removed from each line;
 *   paragraphs.c  lines into units (paragraphs, list items, headings), the
 *                 PDF text repaired, and units into a section's text;
 *   sentences.c   where a sentence ends, abbreviations known (paragraphs.c
 *                 and fields.c ask);
 *   vocabulary.c  the headings and lines the structure hangs on;
 *   minutes.c     minutes into records (the header, "Punkt N:", sections);
 *   fields.c      an item's bodies (Behandling) and decision facet;
 *   budget.c      budget remarks into records;
 * and parse.c, ks_parse(), calls them and holds the records and ids.  Each
 * prototype's comment is above its definition.
 */
#ifndef KS_PARSE_PRIVATE_H
#define KS_PARSE_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "parse.h"
#include "text.h"

/* ---- parse.c: errors, records and ids ------------------------------------------ */

/* The parser of one document: its units, its name, the document it fills. */
typedef struct units units;
typedef struct parser {
	const units *us;
	const char *name;
	char *slug;
	ks_document *doc;
	size_t cap;
	ks_parse_error *err;
} parser;

int ks_parse_fail(ks_parse_error *err, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

int ks_parse_oom(parser *ps, int line);

int ks_push_record(ks_document *doc, size_t *cap, ks_record **out);

char *ks_make_id(const char *stem_slug, int n);

static inline bool starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

static inline bool starts_upper(const char *s)
{
	size_t len;
	return ks_is_upper(ks_utf8_get(s, &len));
}

/* ---- vocabulary.c: the structure's words -------------------------------------- */

#define NETTOBUDGET_LEAD "Samlet nettobudget for området"

int ks_item_heading(const char *text);
int ks_budget_heading(const char *text);

int ks_punkt_number(const char *text, const char **title);

/* ---- paragraphs.c: lines into units --------------------------------------------- */

/* One line of the document (paragraphs.c). */
typedef struct line line;

/* A paragraph, a list item or a heading, made of one or more lines. */
typedef struct unit {
	char *text;
	size_t len, cap; /* of text: a paragraph grows line by line */
	int line;
	int bullet;      /* 0, 1 for a list item, 2 for a sub-item */
	bool gap_before; /* blank lines separate it from the unit before */
	bool structural;
	bool heading; /* a short line standing alone above its text */
	int nlines;
	size_t last_width;
} unit;

struct units {
	unit *v;
	size_t n, cap;
	size_t max_width; /* the widest line: the page width of PDF text */
	bool pdf;
};

int ks_lines_split(char *text, line **out, size_t *out_n);
void ks_lines_free(line *lines, size_t n);

int ks_units_build(const line *lines, size_t n, units *us);
void ks_units_free(units *us);

void ks_section_append(ks_sb *sb, const unit *u, const unit *prev);

/* ---- sentences.c: where a sentence ends ---------------------------------------- */

bool ks_sentence_ends(const char *text, size_t at, const char *next);

size_t ks_sentence_first(const char *text, size_t n);

/* ---- fields.c: an item's fields --------------------------------------------------- */

int ks_split_list(const char *s, ks_strv *out, const char *seps);

int ks_parse_bodies(const char *text, ks_strv *out);

char *ks_beslutning_facet(const char *text);

/* ---- minutes.c and budget.c: the kinds of document -------------------------------- */

int ks_parse_meeting(parser *ps, size_t start);

int ks_parse_budget(parser *ps);

#endif
