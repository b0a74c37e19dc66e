/* pdf-child.h — each PDF read in a child process under limits of memory
 * and CPU time, so that a PDF that would cost more than they allow is named
 * and the run goes on with the other files (pdf-child.c).
 */
#ifndef KS_PDF_CHILD_H
#define KS_PDF_CHILD_H

#include <stdbool.h>

#include "parse.h"

/* The hidden first argument that makes kommunesoeg-index the reader of
 * one PDF: SELF --pdf-child NAME MEMORY_MB SECONDS PARENT_PID. */
#define KS_PDF_CHILD_FLAG "--pdf-child"

typedef struct ks_pdf_limits {
	unsigned memory_mb; /* the child's address space (RLIMIT_AS), --pdf-memory */
	unsigned seconds;   /* its CPU time (RLIMIT_CPU), --pdf-seconds */
} ks_pdf_limits;

/* Whether this build can bound a child's address space: not under
 * AddressSanitizer, which reserves terabytes of it before main(). */
bool ks_pdf_memory_limited(void);

/* Parses the PDF DATA (LEN bytes) named NAME as ks_parse_pdf() does, in a
 * child process: SELF (the path of this program) run with
 * KS_PDF_CHILD_FLAG under LIMITS, the bytes given on its standard input
 * and the outcome read from its standard output (document-json.h), for
 * at most LIMITS->seconds * KS_PDF_WALL_FACTOR + KS_PDF_WALL_EXTRA seconds.
 * Returns what ks_parse_pdf() returns; a PDF past a limit fails with ERR's
 * message "too costly to read: ..." naming the limit, its value and the
 * flag that raises it.  Callable from any thread (posix_spawn). */
int ks_pdf_read(const char *self, const ks_pdf_limits *limits, const char *data, size_t len,
		const char *name, ks_document *doc, ks_parse_error *err);

/* The child's side: ARGC and ARGV as above.  Bounds itself, reads the PDF
 * from standard input (a file: the parent's memfd), parses it and writes
 * the outcome to standard output.  Returns the exit status: 0 when the
 * outcome (a document or a parse error) was written, KS_PDF_CHILD_NOMEM
 * when memory ran out in our own code, 2 for a wrong call. */
#define KS_PDF_CHILD_NOMEM 3
int ks_pdf_child_main(int argc, char **argv);

#endif
