/* pdf-text.c — the printed lines of a PDF into the text a .txt file holds:
 * running lines left out, a word-wrapped line joined to the next, a line
 * the structure hangs on standing alone, a wider gap a paragraph break;
 * and the page of every line of the text. */
#include "pdf-private.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "text.h"

/* Pages before and after a line's own whose lines show how wide its
 * column is: a page's last lines, or a narrow column, may have none that
 * filled it. */
#define NEIGHBOUR_PAGES 2

/* The extent of each column of a page, and of all its text, running lines
 * left out. */
typedef struct page_columns {
	int n_columns;
	double left[MAX_COLUMNS], right[MAX_COLUMNS];
	double page_right;
} page_columns;

/* The columns of every page of PL (PAGES of them), malloc'd. */
static page_columns *measure_columns(const plines *pl, int pages)
{
	page_columns *pc = malloc((size_t)(pages > 0 ? pages : 1) * sizeof *pc);
	if (!pc)
		return NULL;
	for (int p = 0; p < pages; p++) {
		pc[p] = (page_columns){ .page_right = -INFINITY };
		for (int c = 0; c < MAX_COLUMNS; c++)
			pc[p].left[c] = INFINITY, pc[p].right[c] = -INFINITY;
	}
	for (size_t i = 0; i < pl->n; i++) {
		const pline *l = &pl->v[i];
		page_columns *p = &pc[l->page - 1];
		if (l->running || isnan(l->u1))
			continue;
		p->page_right = fmax(p->page_right, l->u2);
		if (l->column < 0)
			continue;
		if (l->column + 1 > p->n_columns)
			p->n_columns = l->column + 1;
		p->left[l->column] = fmin(p->left[l->column], l->u1);
		p->right[l->column] = fmax(p->right[l->column], l->u2);
	}
	return pc;
}

/* The right edge of the column that line I stands in: the furthest its
 * column reaches on its page, or on the pages around it that have as many
 * columns, the same one starting at the same place. */
static double column_right(const plines *pl, const page_columns *pc, int pages, size_t i)
{
	const pline *l = &pl->v[i];
	const page_columns *own = &pc[l->page - 1];
	int c = l->column;
	if (c < 0)
		return fmax(own->page_right, l->u2);
	double right = fmax(own->right[c], l->u2);
	for (int p = l->page - NEIGHBOUR_PAGES; p <= l->page + NEIGHBOUR_PAGES; p++) {
		const page_columns *o = &pc[p - 1];
		if (p >= 1 && p <= pages && p != l->page && o->n_columns == own->n_columns &&
		    fabs(o->left[c] - own->left[c]) < 2)
			right = fmax(right, o->right[c]);
	}
	return right;
}

typedef enum joint { LINK_SPACE, LINK_LINE, LINK_PARAGRAPH } joint;

/* How printed line A continues with B, the next one read. */
static joint link_of(const plines *pl, size_t a, size_t b, double right)
{
	const pline *x = &pl->v[a], *y = &pl->v[b];
	if (isnan(x->v1) || isnan(y->v1))
		return LINK_LINE;
	double height = x->v2 - x->v1;
	bool next_line = y->page == x->page && y->v1 > x->v1 && y->v1 - x->v1 < 1.6 * height;
	/* A new column or page: above, or on the next page. */
	bool moved = y->page != x->page || y->v1 <= x->v1;
	/* A line was wrapped when the next word would not have fitted. */
	double space = 0.3 * height;
	bool wrapped = x->u2 + space + y->first_word > right + 0.5;
	size_t n = strlen(x->text), len;
	/* A line the structure hangs on starts a line of its own (a heading
	 * after a paragraph that filled its last line) unless it starts in
	 * lower case ("se" + "bilag" is no Bilag heading), and a heading
	 * ends its line, however long the next line's first word.  At
	 * a column or page break, a sentence that ends at the foot and a
	 * capital at the head are two paragraphs (seed 004's page breaks):
	 * joining them could make an area name part of a paragraph, and
	 * splitting a paragraph there only costs a line break. */
	bool own_line = (ks_structural_line(y->text) && !ks_is_lower(ks_utf8_get(y->text, &len))) ||
			ks_heading_line(x->text) ||
			(x->text[n - 1] == '-' && n > 1 && x->text[n - 2] != ' ') ||
			(moved && strchr(".!?:", x->text[n - 1]) &&
			 ks_is_upper(ks_utf8_get(y->text, &len)));
	if (wrapped && (next_line || moved) && !own_line)
		return LINK_SPACE;
	if (next_line || (moved && x->text[n - 1] == '-'))
		return LINK_LINE;
	return LINK_PARAGRAPH;
}

/* The text of PL's lines as a text file; LINE_PAGE[k] is the page of line
 * k + 1 of it. */
int ks_pdf_lines_to_text(const plines *pl, int n_pdf_pages, ks_sb *sb, int **line_page,
			 size_t *n_pages)
{
	size_t cap = 256, n = 0;
	int *pages = malloc(cap * sizeof *pages);
	page_columns *pc = measure_columns(pl, n_pdf_pages);
	if (!pages || !pc) {
		free(pages), free(pc);
		return -1;
	}
	size_t prev = pl->n;
	for (size_t i = 0; i < pl->n; i++) {
		if (pl->v[i].running)
			continue;
		joint l = prev == pl->n
				  ? LINK_LINE
				  : link_of(pl, prev, i, column_right(pl, pc, n_pdf_pages, prev));
		if (prev == pl->n) {
			/* The first line of the text. */
		} else if (l == LINK_SPACE) {
			ks_sb_puts(sb, " ");
		} else {
			ks_sb_puts(sb, l == LINK_PARAGRAPH ? "\n\n" : "\n");
		}
		if (prev == pl->n || l != LINK_SPACE) {
			int lines = prev == pl->n ? 1 : l == LINK_PARAGRAPH ? 2 : 1;
			for (int k = 0; k < lines; k++) {
				int *p = ks_grow(pages, &cap, n + 1, sizeof *p, 256);
				if (!p) {
					free(pages), free(pc);
					return -1;
				}
				pages = p;
				pages[n++] = pl->v[i].page;
			}
		}
		ks_sb_puts(sb, pl->v[i].text);
		prev = i;
	}
	ks_sb_puts(sb, "\n");
	free(pc);
	if (sb->oom) {
		free(pages);
		return -1;
	}
	*line_page = pages;
	*n_pages = n;
	return 0;
}
