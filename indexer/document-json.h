/* document-json.h — the outcome of parsing one document (its records,
 * meeting and warnings, or the error) as JSON Lines, and back, exactly:
 * what the PDF reader (pdf-child.c) sends the indexer over a pipe.
 *
 * Unlike ks_record_json() (the API's item, which leaves out what a closed
 * item may not show and adds what follows from the record), this carries
 * every field of ks_document, ks_meeting and ks_record as it is, so that a
 * document read back is the one written.
 */
#ifndef KS_DOCUMENT_JSON_H
#define KS_DOCUMENT_JSON_H

#include <stdio.h>

#include "parse.h"

/* Writes to F the outcome RC of a parse (0 or -1) with DOC (when RC is 0)
 * or ERR (when it is not), one JSON object a line, the last one saying how
 * many came before.  0, or -1 when out of memory or F failed. */
int ks_document_write(FILE *f, int rc, const ks_document *doc, const ks_parse_error *err);

/* Reads what ks_document_write() wrote: the LEN bytes at DATA.  Returns the
 * outcome written: 0 with *DOC filled (the caller releases it with
 * ks_document_clear()), -1 with *ERR filled; or -2, *DOC left empty, when
 * DATA is not all of such an answer (cut off, malformed, or memory ran
 * out reading it). */
int ks_document_read(const char *data, size_t len, ks_document *doc, ks_parse_error *err);

#endif
