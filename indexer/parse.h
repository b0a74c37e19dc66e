/* parse.h — council documents into records.  No Xapian here.
 *
 * A document is meeting minutes ("REFERAT …", plain text, Markdown or text
 * extracted from a PDF) or budget remarks ("Bemærkninger - <udvalg>" with
 * sections that each start with an area name and "Samlet nettobudget for
 * området: … kr.").  See ../shared/SPEC.md, "The documents".
 */
#ifndef KS_PARSE_H
#define KS_PARSE_H

#include <stdbool.h>
#include <stddef.h>

#include "ks-limits.h"
#include "record.h"

/* Why a document could not be parsed: the 1-based line (0 when the whole
 * file is at fault), for a PDF the 1-based page instead (0 when none), and
 * a sentence.  A warning (what was cut at a bound of ks-limits.h) says the
 * same of what was parsed all the same. */
typedef struct ks_parse_error {
	int line;
	int page;
	char message[256];
} ks_parse_error;

typedef struct ks_document {
	ks_meeting meeting; /* filled for minutes */
	int is_meeting;
	ks_record *records;
	size_t n_records;
	ks_parse_error *warnings; /* what was cut (bound.c), in the order found */
	size_t n_warnings;
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
 * "2025/Direktionen 2025-10-06.txt").  Malloc'd; NULL when out of memory. */
char *ks_name_slug(const char *name);

void ks_document_clear(ks_document *doc);

/* Cuts every line of TEXT (LEN bytes, NUL-terminated UTF-8 as ks_decode()
 * makes it) to KS_MAX_TEXT_BYTES, in place, adding a warning to DOC for
 * each; *LEN becomes the new length (bound.c).  0, or -1 when out of
 * memory. */
int ks_bound_lines(char *text, size_t *len, ks_document *doc);

/* Cuts each record of DOC to the bounds of ks-limits.h (its text, its
 * fields, its lists, its meeting's), adding a warning to DOC for each
 * record and the meeting cut (bound.c).  0, or -1 when out of memory. */
int ks_bound_document(ks_document *doc);

/* Adds the warning "MESSAGE" about LINE (0: the whole file) to DOC.  0, or
 * -1 when out of memory. */
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
