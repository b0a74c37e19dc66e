/* pdf-private.h — what the files of the PDF reader share; private to it
 * (the reader's entry point, ks_parse_pdf(), is in parse.h).
 *
 *   pdf.c          the document: opened with poppler, page by page, the
 *                  text given to ks_parse(), each record's page;
 *   pdf-page.c     one page as printed lines in reading order;
 *   pdf-running.c  running headers, footers and page numbers found;
 *   pdf-text.c     the lines into the text a .txt file holds.
 *
 * Each prototype's comment is above its definition.
 */
#ifndef KS_PDF_PRIVATE_H
#define KS_PDF_PRIVATE_H

#include <poppler.h>
#include <stdbool.h>
#include <stddef.h>

#include "text.h"

/* A printed line in the page's reading frame: U along the line, V down the
 * page, whatever the page's rotation. */
typedef struct pline {
	char *text;
	int page; /* 1-based */
	double u1, u2, v1, v2;
	double first_word; /* the width of its first word */
	int column;        /* of its page, from the left; -1 across the gutters */
	bool running;      /* a running header, footer or page number */
} pline;

typedef struct plines {
	pline *v;
	size_t n, cap;
} plines;

/* A page of more columns than this is a table, read row by row
 * (pdf-page.c). */
#define MAX_COLUMNS 4

int ks_pdf_read_page(PopplerPage *page, int no, plines *pl);
int ks_pdf_mark_running(plines *pl, int pages);
int ks_pdf_lines_to_text(const plines *pl, int n_pdf_pages, ks_sb *sb, int **line_page,
			 size_t *n_pages);

#endif
