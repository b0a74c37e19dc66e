/* pdf.c — a PDF's text as the lines the parser reads.  No Xapian here.
 *
 * Poppler gives each page's text with a box for every character, but its
 * lines may run across columns, and a turned page comes out in any order.
 * From the boxes the reader rebuilds what a text file holds (pdf-private.h
 * names the file of each step):
 *   - the page turned back upright (/Rotate, or text set sideways);
 *   - fragments: runs of characters on one line without a wide gap;
 *   - reading order: the columns of a page (found by the gutters that no
 *     line crosses) one after the other, each top to bottom;
 *   - running headers, footers and page numbers (a line at the top or the
 *     bottom of the page that recurs, digits aside, at the same height on
 *     most pages) are left out;
 *   - a printed line that was word-wrapped (the next line's first word
 *     would not have fitted after it) is joined to the next with a space,
 *     also across a column or page break; a line that ends in a hyphen
 *     stays a line of its own, so that the parser's hyphenation repair
 *     decides, and so does a line the structure hangs on (vocabulary.c);
 *   - a vertical gap wider than a line becomes a blank line (a paragraph).
 * The text then goes through ks_parse() like a .txt file, and each record
 * gets the page its first line came from.
 */
#include <ctype.h>
#include <glib.h>
#include <math.h>
#include <poppler.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "pdf-private.h"
#include "text.h"

static void plines_clear(plines *pl)
{
	for (size_t i = 0; i < pl->n; i++)
		free(pl->v[i].text);
	free(pl->v);
	*pl = (plines){ 0 };
}

static int pdf_fail(ks_parse_error *err, int page, const char *msg, const char *detail)
{
	snprintf(err->message, sizeof err->message, "%s%s%s", msg, detail ? ": " : "",
		 detail ? detail : "");
	err->line = 0;
	err->page = page;
	return -1;
}

/* ---- the document ------------------------------------------------------------ */

/* A PDF ends with "%%EOF" (and perhaps a line end or some padding); poppler
 * repairs a cut-off file silently, with pages missing. */
static bool has_eof_marker(const char *data, size_t len)
{
	size_t from = len > 1024 ? len - 1024 : 0;
	for (size_t i = len >= 5 ? len - 5 + 1 : 0; i-- > from;)
		if (!memcmp(data + i, "%%EOF", 5))
			return true;
	return false;
}

int ks_parse_pdf(const char *data, size_t len, const char *name, ks_document *doc,
		 ks_parse_error *err)
{
	*doc = (ks_document){ 0 };
	err->page = 0;
	/* The header may follow up to 1 kB of other bytes (PDF 1.7, 7.5.2). */
	if (!memmem(data, len < 1024 ? len : 1024, "%PDF-", 5))
		return pdf_fail(err, 0, "not a PDF: no %PDF- header", NULL);
	if (!has_eof_marker(data, len))
		return pdf_fail(err, 0, "damaged PDF: it ends before its %EOF marker (cut off?)",
				NULL);
	GBytes *bytes = g_bytes_new_static(data, len);
	GError *gerr = NULL;
	PopplerDocument *pdf = poppler_document_new_from_bytes(bytes, NULL, &gerr);
	g_bytes_unref(bytes);
	if (!pdf) {
		int rc = gerr && gerr->domain == POPPLER_ERROR &&
					 gerr->code == POPPLER_ERROR_ENCRYPTED
				 ? pdf_fail(err, 0, "encrypted PDF: it needs a password to be read",
					    NULL)
				 : pdf_fail(err, 0, "damaged PDF", gerr ? gerr->message : NULL);
		g_clear_error(&gerr);
		return rc;
	}
	int pages = poppler_document_get_n_pages(pdf);
	plines pl = { 0 };
	int rc = 0;
	for (int i = 0; i < pages && !rc; i++) {
		PopplerPage *page = poppler_document_get_page(pdf, i);
		if (!page) {
			rc = pdf_fail(err, i + 1, "damaged PDF: the page cannot be read", NULL);
			break;
		}
		if (ks_pdf_read_page(page, i + 1, &pl))
			rc = pdf_fail(err, i + 1, "out of memory", NULL);
		g_object_unref(page);
	}
	g_object_unref(pdf);
	if (!rc && pl.n == 0)
		rc = pdf_fail(err, 0,
			      pages ? "no text in the PDF: its pages are images (a scan needs "
				      "OCR first)"
				    : "damaged PDF: it has no pages",
			      NULL);
	if (!rc && ks_pdf_mark_running(&pl, pages))
		rc = pdf_fail(err, 0, "out of memory", NULL);

	ks_sb sb = { 0 };
	int *line_page = NULL;
	size_t n_lines = 0;
	if (!rc && ks_pdf_lines_to_text(&pl, pages, &sb, &line_page, &n_lines))
		rc = pdf_fail(err, 0, "out of memory", NULL);
	plines_clear(&pl);
	char *text = rc ? NULL : ks_sb_take(&sb);
	ks_sb_free(&sb);
	if (!rc && !text)
		rc = pdf_fail(err, 0, "out of memory", NULL);
	if (!rc && ks_parse(text, strlen(text), name, doc, err)) {
		/* The parser's line is one of the text made here: the page
		 * is what a reader of the PDF can find. */
		if (err->line > 0 && (size_t)err->line <= n_lines)
			err->page = line_page[err->line - 1];
		err->line = 0;
		rc = -1;
	}
	for (size_t i = 0; !rc && i < doc->n_records; i++) {
		int l = doc->records[i].line;
		doc->records[i].page = l > 0 && (size_t)l <= n_lines ? line_page[l - 1] : 0;
	}
	/* A warning, like an error, names the page. */
	for (size_t i = 0; !rc && i < doc->n_warnings; i++) {
		ks_parse_error *w = &doc->warnings[i];
		w->page = w->line > 0 && (size_t)w->line <= n_lines ? line_page[w->line - 1] : 0;
		w->line = 0;
	}
	free(line_page);
	free(text);
	return rc;
}
