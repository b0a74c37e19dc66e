/* parse.h — council documents into records.  No Xapian here.
 *
 * A document is meeting minutes ("REFERAT …", plain text, Markdown or text
 * extracted from a PDF) or budget remarks ("Bemærkninger - <udvalg>" with
 * sections that each start with an area name and "Samlet nettobudget for
 * området: … kr.").  See README.md, "What it reads", and corpus/.
 */
#ifndef KS_PARSE_H
#define KS_PARSE_H

#include <stdbool.h>
#include <stddef.h>

#include "index-limits.h"
#include "record.h"
#include "schema.h"

/* Why a document could not be parsed: the 1-based line (0 when the whole
 * file is at fault), for a PDF the 1-based page instead (0 when none), and
 * a sentence.  A warning has the same shape. */
typedef struct ks_parse_error {
	int line;
	int page;
	char message[256];
} ks_parse_error;

/* The warnings one document keeps; past them they are only counted, so
 * that a file of 100,000 odd headings costs no more than a few. */
#define KS_MAX_WARNINGS 100

typedef struct ks_document {
	ks_meeting meeting; /* filled for minutes */
	int is_meeting;
	ks_record *records;
	size_t n_records;
	/* What was read but a person should check, for "FILE:LINE: warning:
	 * …": a closed mark in another spelling ("read \"Lukket punkt:\" as
	 * a closed item"), what was cut at a bound of index-limits.h
	 * (bound.c); in the order found, at most KS_MAX_WARNINGS, and how many
	 * more there were (ks_document_warn()). */
	ks_parse_error *warnings;
	size_t n_warnings;
	size_t more_warnings;
} ks_document;

/* Decode DATA (LEN bytes: UTF-8 with or without BOM, or Windows-1252; CRLF,
 * CR or LF line ends) into NUL-terminated UTF-8 with LF line ends.
 * Returns a malloc'd string (caller frees) and its length in *OUT_LEN, or
 * NULL with ERR filled for an empty or binary file or when out of memory. */
char *ks_decode(const char *data, size_t len, size_t *out_len, ks_parse_error *err);

/* Parse DATA (LEN bytes, as read from the file) named NAME (the file's
 * name, used for `source` and the ids).  On success returns 0 and fills
 * *DOC, which the caller releases with ks_document_clear().  On failure
 * returns -1, fills ERR and leaves *DOC empty. */
int ks_parse(const char *data, size_t len, const char *name, ks_document *doc, ks_parse_error *err);

/* Parse the PDF DATA (LEN bytes) named NAME as ks_parse() parses text
 * (pdf.c): its text page by page in reading order, running headers,
 * footers and page numbers left out; each record's `page` is the page it
 * starts on.  An encrypted, damaged or image-only PDF fails with ERR's
 * line 0 and a sentence saying which; a parse failure names the page. */
int ks_parse_pdf(const char *data, size_t len, const char *name, ks_document *doc,
		 ks_parse_error *err);

/* The slug of the file name NAME (a path or not) without its extension: the
 * stem of the ids of its records ("direktionen-2025-10-06" of
 * "2025/Direktionen 2025-10-06.txt").  A slug longer than KS_MAX_SLUG_BYTES
 * keeps its start and ends in '-' and the FNV-1a-64 of the whole slug in
 * hex, so that every id stays within KS_MAX_ID_BYTES.  Malloc'd; NULL when
 * out of memory. */
char *ks_name_slug(const char *name);

/* An id is the slug, '-' and the item number (up to 11 characters more),
 * and for a second file of the same name '-' and 16 hex digits of its hash
 * (settle_id() in ids.c): the slug leaves room for both. */
#define KS_MAX_SLUG_BYTES (KS_MAX_ID_BYTES - 12 - 17)

/* NAME, a file name (any bytes but NUL), as UTF-8 for `source`: valid UTF-8
 * as it is, any other byte as Windows-1252, as ks_decode() reads a document
 * (an old archive's names are Windows-1252 too); a byte that Windows-1252
 * leaves undefined becomes U+FFFD.  Malloc'd; NULL when out of memory. */
char *ks_decode_name(const char *name);

void ks_document_clear(ks_document *doc);

/* Cuts every line of TEXT (LEN bytes, NUL-terminated UTF-8 as ks_decode()
 * makes it) to KS_MAX_TEXT_BYTES, in place, adding a warning to DOC for
 * each; *LEN becomes the new length (bound.c).  0, or -1 when out of
 * memory. */
int ks_bound_lines(char *text, size_t *len, ks_document *doc);

/* Cuts each record of DOC to the bounds of index-limits.h (its text, its
 * fields, its lists, its meeting's), adding a warning to DOC for each
 * record and the meeting cut (bound.c).  0, or -1 when out of memory. */
int ks_bound_document(ks_document *doc);

/* Adds the warning "MESSAGE" about LINE (0: the whole file) to DOC, or,
 * when it holds KS_MAX_WARNINGS already, counts it in DOC->more_warnings.
 * 0, or -1 when out of memory. */
int ks_document_warn(ks_document *doc, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Text repair, exposed for the tests.  Each returns a malloc'd string. */

/* Markdown markup removed from one line: heading marks, **bold**, *italic*,
 * [text](target) links and backslash escapes; the text is kept. */
char *ks_demarkdown(const char *line);

/* Whether the line TEXT (trimmed, no Markdown) is one the structure hangs
 * on — a Punkt heading, a sagsnummer, a section heading, a line of the
 * meeting header — and so never part of a paragraph. */
bool ks_structural_line(const char *text);

/* Whether the line TEXT is a whole section heading ("Beslutning",
 * "Budgetgrundlag"): it never continues on the next line. */
bool ks_heading_line(const char *text);

#endif
