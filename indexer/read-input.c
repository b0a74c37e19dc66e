/* read-input.c — one input read whole and parsed: a text by ks_parse(), a
 * PDF in a child process under the limits of --pdf-memory and
 * --pdf-seconds (pdf-child.c); what failed or was cut, said on stderr. */
#include "kommunesoeg-index.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "index-limits.h"
#include "text.h"

struct pdf_reader pdf_reader = { .limits = { .memory_mb = KS_PDF_MEMORY_MB,
					     .seconds = KS_PDF_SECONDS } };

/* What read_file()'s errno ERR means. */
const char *read_error(int err)
{
	return err == ENOTREGULAR ? "not a regular file" : strerror(err);
}

/* Reads the whole file PATH into a malloc'd buffer (caller frees), its
 * length in *LEN; NULL with errno set on failure.  Only a regular
 * file is read: opening a FIFO would wait for a writer, and reading a
 * device need not end.  The walk has checked already; the check on the
 * open file closes the gap after it (opening does not wait). */
char *read_file(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	if (fd < 0)
		return NULL;
	int bad = fstat(fd, &st) != 0 ? errno : !S_ISREG(st.st_mode) ? ENOTREGULAR : 0;
	if (bad) {
		close(fd);
		errno = bad;
		return NULL;
	}
	FILE *f = fdopen(fd, "rb");
	if (!f) {
		int saved = errno;
		close(fd);
		errno = saved;
		return NULL;
	}
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap);
	while (buf) {
		if (n == cap) {
			if (cap > KS_MAX_FILE_BYTES) {
				errno = EFBIG;
				break;
			}
			char *b = realloc(buf, cap * 2);
			if (!b)
				break;
			buf = b;
			cap *= 2;
		}
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0) {
			if (ferror(f))
				break;
			fclose(f);
			*len = n;
			return buf;
		}
	}
	int saved = errno ? errno : ENOMEM;
	free(buf);
	fclose(f);
	errno = saved;
	return NULL;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

static bool is_pdf(const char *path)
{
	const char *dot = strrchr(path, '.');
	return dot && !strcasecmp(dot, ".pdf");
}

/* Says on stderr what E says of input X: FILE:LINE: message for a text,
 * for a PDF FILE: page N: message, or FILE: message when the whole file is
 * meant; KIND ("", "warning: ") before the message. */
static void report(const input *x, const ks_parse_error *e, const char *kind)
{
	if (!is_pdf(x->path) && e->line > 0)
		fprintf(stderr, "%s:%d: %s%s\n", x->path, e->line, kind, e->message);
	else if (e->page > 0)
		fprintf(stderr, "%s: page %d: %s%s\n", x->path, e->page, kind, e->message);
	else
		fprintf(stderr, "%s: %s%s\n", x->path, kind, e->message);
}

/* Parses input X (DATA, LEN) into DOC, a PDF in a child process under the
 * limits of pdf_reader; unless QUIET says on stderr why it failed, or
 * what was cut at a bound (a warning: the file is indexed all the same). */
int parse_input(const input *x, const char *data, size_t len, ks_document *doc, bool quiet)
{
	ks_parse_error err;
	int rc;
	uint64_t hash = is_pdf(x->path) ? ks_hash64(data, len) : 0;
	if (!is_pdf(x->path)) {
		rc = ks_parse(data, len, base_name(x->path), doc, &err);
	} else if (x->failed && x->failed->hash == hash && x->failed->len == len) {
		*doc = (ks_document){ 0 };
		err = x->failed->err;
		rc = -1;
	} else {
		rc = ks_pdf_read(pdf_reader.self, &pdf_reader.limits, data, len, base_name(x->path),
				 doc, &err);
		pdf_failure *f = rc && !x->failed ? malloc(sizeof *f) : NULL;
		if (f) {
			*f = (pdf_failure){ .hash = hash, .len = len, .err = err };
			/* The inputs are shared by the writers, read-only but
			 * for this, which only X's own writer touches. */
			((input *)x)->failed = f;
		}
	}
	if (rc == 0 && !quiet) {
		for (size_t i = 0; i < doc->n_warnings; i++)
			report(x, &doc->warnings[i], "warning: ");
		if (doc->more_warnings)
			fprintf(stderr, "%s: warning: %zu more warnings like these\n", x->path,
				doc->more_warnings);
	}
	if (rc == 0 || quiet)
		return rc ? -1 : 0;
	report(x, &err, "");
	return -1;
}
