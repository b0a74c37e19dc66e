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

#include "record.h"

/* Files larger than this are refused: no council document comes near it,
 * and it bounds the memory one bad input can take. */
#define KS_MAX_FILE_BYTES (64u * 1024u * 1024u)

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
	/* What was read but a person should check ("read \"Lukket punkt:\"
	 * as a closed item"), for "FILE:LINE: warning: …": at most
	 * KS_MAX_WARNINGS, and how many more there were. */
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
 * "2025/Direktionen 2025-10-06.txt").  Malloc'd; NULL when out of memory. */
char *ks_name_slug(const char *name);

void ks_document_clear(ks_document *doc);

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
