/* pdf.c — a PDF's text as the lines the parser reads.  No Xapian here.
 *
 * Poppler gives each page's text with a box for every character, but its
 * lines may run across columns, and a turned page comes out in any order.
 * From the boxes this file rebuilds what a text file holds:
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

/* The page's rotation: which way its characters run from one to the
 * next, by the vote of every two neighbours of a line (a page turned with
 * /Rotate, or text set sideways).  Poppler's lines may jump between
 * printed lines on a turned page; most steps are still from a letter to
 * the next. */
typedef enum turn { TURN_0, TURN_90, TURN_180, TURN_270 } turn;

static turn page_turn(const char *text, const PopplerRectangle *r, size_t n)
{
	size_t votes[4] = { 0 };
	const char *p = text;
	for (size_t i = 0; i + 1 < n; i++) {
		const char *q = g_utf8_next_char(p);
		if (*p != '\n' && *p != ' ' && *q != '\n' && *q != ' ') {
			double dx = (r[i + 1].x1 + r[i + 1].x2 - r[i].x1 - r[i].x2) / 2;
			double dy = (r[i + 1].y1 + r[i + 1].y2 - r[i].y1 - r[i].y2) / 2;
			double size = fmax(r[i].x2 - r[i].x1, r[i].y2 - r[i].y1);
			if (fabs(dx) + fabs(dy) < 2 * size)
				votes[fabs(dx) >= fabs(dy) ? (dx >= 0 ? TURN_0 : TURN_180)
							   : (dy >= 0 ? TURN_90 : TURN_270)]++;
		}
		p = q;
	}
	turn best = TURN_0;
	for (int t = 1; t < 4; t++)
		if (votes[t] > votes[best])
			best = (turn)t;
	return best;
}

#define COORD_MAX 1e6 /* points: 350 m, past any page */

static double clamp(double x)
{
	return isfinite(x) ? fmax(-COORD_MAX, fmin(COORD_MAX, x)) : 0;
}

/* Box R turned back into the reading frame of a page W × H (as shown). */
static void to_frame(const PopplerRectangle *r, turn t, double w, double h, double *u1, double *u2,
		     double *v1, double *v2)
{
	double xs[2] = { r->x1, r->x2 }, ys[2] = { r->y1, r->y2 };
	*u1 = *v1 = INFINITY;
	*u2 = *v2 = -INFINITY;
	for (int i = 0; i < 2; i++)
		for (int j = 0; j < 2; j++) {
			double x = xs[i], y = ys[j], u, v;
			switch (t) {
			case TURN_90:
				u = y, v = w - x;
				break;
			case TURN_180:
				u = w - x, v = h - y;
				break;
			case TURN_270:
				u = h - y, v = x;
				break;
			default:
				u = x, v = y;
			}
			*u1 = fmin(*u1, u), *u2 = fmax(*u2, u);
			*v1 = fmin(*v1, v), *v2 = fmax(*v2, v);
		}
	/* A hostile file may place text anywhere: keep the numbers finite and
	 * small enough to count points with. */
	*u1 = clamp(*u1), *u2 = clamp(*u2), *v1 = clamp(*v1), *v2 = clamp(*v2);
}

static int push_line(plines *pl, pline l)
{
	if (pl->n == pl->cap) {
		size_t cap = pl->cap ? pl->cap * 2 : 256;
		pline *v = realloc(pl->v, cap * sizeof *v);
		if (!v)
			return -1;
		pl->v = v;
		pl->cap = cap;
	}
	pl->v[pl->n++] = l;
	return 0;
}

/* A gap between two characters of a line wider than this many line
 * heights separates two fragments: columns, or the cells of a table. */
#define FRAGMENT_GAP 1.2

/* One character: its bytes in the page's text and its box. */
typedef struct glyph {
	size_t at, len;
	double u1, u2, v1, v2;
} glyph;

/* Appends the fragment of glyphs [FROM, TO) of TEXT to PL, blanks at its
 * ends left out. */
static int push_fragment(plines *pl, int no, const char *text, const glyph *g, size_t from,
			 size_t to)
{
	while (from < to && text[g[from].at] == ' ')
		from++;
	while (to > from && text[g[to - 1].at] == ' ')
		to--;
	if (from == to)
		return 0;
	pline l = { .page = no, .u1 = INFINITY, .v1 = INFINITY, .u2 = -INFINITY, .v2 = -INFINITY };
	size_t bytes = 0;
	for (size_t i = from; i < to; i++)
		bytes += g[i].len;
	if (!(l.text = malloc(bytes + 1)))
		return -1;
	double word_end = -INFINITY;
	bool first_word = true;
	char *o = l.text;
	for (size_t i = from; i < to; i++) {
		memcpy(o, text + g[i].at, g[i].len);
		o += g[i].len;
		if (text[g[i].at] == ' ') {
			first_word = false;
			continue;
		}
		if (first_word)
			word_end = g[i].u2;
		l.u1 = fmin(l.u1, g[i].u1), l.u2 = fmax(l.u2, g[i].u2);
		l.v1 = fmin(l.v1, g[i].v1), l.v2 = fmax(l.v2, g[i].v2);
	}
	*o = '\0';
	l.first_word = word_end - l.u1;
	if (push_line(pl, l)) {
		free(l.text);
		return -1;
	}
	return 0;
}

/* The fragments of a page's text: runs of characters on one line without
 * a wide gap.  Poppler's own lines may run across columns ("06-11-2023"
 * and the right column's "Sagsfremstilling" as one word), so the boxes
 * decide. */
static int page_fragments(PopplerPage *page, int no, plines *pl)
{
	char *raw = poppler_page_get_text(page);
	if (!raw)
		return 0;
	/* Poppler's text is UTF-8; whatever else it might hold is replaced,
	 * and control characters (a form feed, a tab) are blanks, so that the
	 * parser reads text, never what looks like a binary file. */
	char *text = g_utf8_make_valid(raw, -1);
	g_free(raw);
	if (!text)
		return -1;
	for (char *c = text; *c; c++)
		if ((unsigned char)*c < 0x20 && *c != '\n')
			*c = ' ';
	PopplerRectangle *rects = NULL;
	guint n_rects = 0;
	size_t n_chars = (size_t)g_utf8_strlen(text, -1);
	if (!poppler_page_get_text_layout(page, &rects, &n_rects) || n_rects != n_chars) {
		/* No boxes to go by: poppler's lines as they are. */
		g_free(rects);
		int rc = 0;
		for (char *line = text; !rc && *line;) {
			size_t n = strcspn(line, "\n"), skip = strspn(line, " ");
			if (skip < n) {
				size_t end = n;
				while (line[end - 1] == ' ')
					end--;
				char *t = strndup(line + skip, end - skip);
				pline l = { .text = t,
					    .page = no,
					    .u1 = NAN,
					    .u2 = NAN,
					    .v1 = NAN,
					    .v2 = NAN };
				if (!t || push_line(pl, l)) {
					free(t);
					rc = -1;
				}
			}
			line += n + (line[n] == '\n');
		}
		g_free(text);
		return rc;
	}

	glyph *g = malloc((n_chars ? n_chars : 1) * sizeof *g);
	int rc = g ? 0 : -1;
	double w = 0, h = 0;
	poppler_page_get_size(page, &w, &h);
	turn t = page_turn(text, rects, n_chars);

	size_t n = 0, from = 0;
	const char *p = text;
	for (size_t c = 0; !rc && c < n_chars; c++, p = g_utf8_next_char(p)) {
		size_t len = (size_t)(g_utf8_next_char(p) - p);
		if (*p == '\n') {
			rc = push_fragment(pl, no, text, g, from, n);
			from = n;
			continue;
		}
		glyph x = { .at = (size_t)(p - text), .len = len };
		to_frame(&rects[c], t, w, h, &x.u1, &x.u2, &x.v1, &x.v2);
		/* The last character with ink before this one. */
		size_t last = n;
		while (last > from && text[g[last - 1].at] == ' ')
			last--;
		if (*p != ' ' && last > from) {
			const glyph *q = &g[last - 1];
			double height = fmax(q->v2 - q->v1, x.v2 - x.v1);
			double qc = (q->v1 + q->v2) / 2, xc = (x.v1 + x.v2) / 2;
			if (x.u1 - q->u2 > FRAGMENT_GAP * height || x.u2 < q->u1 ||
			    fabs(xc - qc) > height / 2) {
				rc = push_fragment(pl, no, text, g, from, n);
				from = n;
			}
		}
		g[n++] = x;
	}
	if (!rc)
		rc = push_fragment(pl, no, text, g, from, n);
	free(g);
	g_free(rects);
	g_free(text);
	return rc;
}

/* ---- reading order ----------------------------------------------------------- */

/* A gutter between columns is at least this wide, in points, and crossed
 * by at most this share of a page's fragments (a title over both).  A page
 * of more columns than MAX_COLUMNS is a table, read row by row. */
#define GUTTER_MIN   8
#define GUTTER_SHARE 0.15
#define MAX_COLUMNS  4

static double center(const pline *l)
{
	return (l->v1 + l->v2) / 2;
}

static int cmp_by_height(const void *a, const void *b)
{
	const pline *x = a, *y = b;
	double cx = center(x), cy = center(y);
	return (cx > cy) - (cx < cy);
}

static int cmp_by_side(const void *a, const void *b)
{
	const pline *x = a, *y = b;
	return (x->u1 > y->u1) - (x->u1 < y->u1);
}

/* Lines V[0..N) top to bottom, and left to right within a printed line. */
static void sort_rows(pline *v, size_t n)
{
	qsort(v, n, sizeof *v, cmp_by_height);
	for (size_t i = 0; i < n;) {
		size_t j = i + 1;
		double half = (v[i].v2 - v[i].v1) / 2;
		while (j < n && center(&v[j]) - center(&v[i]) < half)
			j++;
		qsort(v + i, j - i, sizeof *v, cmp_by_side);
		i = j;
	}
}

/* Puts the fragments V[0..N) of one page in reading order: the columns of
 * a band one after the other, left to right, each top to bottom; a line
 * across the gutters (a heading over both columns) ends a band.  Sets each
 * fragment's column. */
static int reading_order(pline *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		v[i].column = 0;
	if (n < 2 || isnan(v[0].v1))
		return 0;
	double lo = INFINITY, hi = -INFINITY;
	for (size_t i = 0; i < n; i++)
		lo = fmin(lo, v[i].u1), hi = fmax(hi, v[i].u2);
	/* One counter per point across the page's text (a page is far less
	 * than 100,000 points wide; clamp() bounds what a hostile file gives). */
	size_t width = (size_t)fmin(hi - lo, 100000) + 2;
	long *cover = calloc(width + 1, sizeof *cover);
	double gutter[MAX_COLUMNS]; /* where they are crossed least */
	pline *out = malloc(n * sizeof *out);
	bool *used = calloc(n, sizeof *used);
	if (!cover || !out || !used) {
		free(cover), free(out), free(used);
		return -1;
	}
	/* How many fragments cross each point: +1 where one starts, -1 after
	 * it ends, summed up. */
	for (size_t i = 0; i < n; i++) {
		size_t a = (size_t)(v[i].u1 - lo), b = (size_t)(v[i].u2 - lo);
		cover[a < width ? a : width - 1]++;
		cover[b + 1 < width ? b + 1 : width]--;
	}
	for (size_t x = 1; x < width; x++)
		cover[x] += cover[x - 1];
	size_t n_gutters = 0;
	bool table = false;
	long most = (long)(GUTTER_SHARE * (double)n);
	for (size_t x = 0; x < width && !table;) {
		size_t y = x;
		while (y < width && cover[y] <= most)
			y++;
		if (y > x && x > 0 && y < width && y - x >= GUTTER_MIN) {
			/* The gutter is where the fewest lines cross, not the
			 * middle of the run: the ragged ends of a column's
			 * lines reach into it. */
			size_t a = x;
			for (size_t z = x; z < y; z++)
				if (cover[z] < cover[a])
					a = z;
			size_t b = a;
			while (b + 1 < y && cover[b + 1] == cover[a])
				b++;
			if (n_gutters + 1 == MAX_COLUMNS)
				table = true;
			else
				gutter[n_gutters++] = lo + (double)(a + b) / 2;
		}
		x = y + (y == x);
	}
	free(cover);
	if (n_gutters == 0 || table) {
		sort_rows(v, n);
		free(out), free(used);
		return 0;
	}

	/* Bands between the lines that cross a gutter. */
	sort_rows(v, n);
	size_t o = 0;
	for (size_t i = 0; i < n;) {
		size_t j = i;
		bool spans = false;
		while (j < n) {
			for (size_t k = 0; k < n_gutters && !spans; k++)
				spans = v[j].u1 < gutter[k] && v[j].u2 > gutter[k];
			if (spans)
				break;
			j++;
		}
		/* [i, j) is a band: its columns in turn. */
		for (size_t col = 0; col <= n_gutters; col++) {
			double left = col ? gutter[col - 1] : -INFINITY;
			double right = col < n_gutters ? gutter[col] : INFINITY;
			for (size_t k = i; k < j; k++)
				if (!used[k] && v[k].u1 >= left && v[k].u1 < right) {
					out[o] = v[k];
					out[o++].column = (int)col;
					used[k] = true;
				}
		}
		if (j < n) {
			out[o] = v[j];
			out[o++].column = -1;
			used[j] = true;
			j++;
		}
		i = j;
	}
	memcpy(v, out, n * sizeof *v);
	free(out), free(used);
	return 0;
}

/* The printed lines of page NO (1-based), in reading order, appended to
 * PL. */
static int read_page(PopplerPage *page, int no, plines *pl)
{
	size_t first = pl->n;
	if (page_fragments(page, no, pl))
		return -1;
	return reading_order(pl->v + first, pl->n - first);
}

/* ---- running headers and footers ----------------------------------------- */

/* How many lines at the top and at the bottom of a page may be running. */
#define RUNNING_LINES 2
/* Lines at heights within this many points are at the same height. */
#define SAME_HEIGHT 3.0

typedef struct candidate {
	char *key; /* the text with every run of digits as '#' */
	double v;
	int page;
	size_t line;
} candidate;

static char *digits_as_hash(const char *s)
{
	char *k = malloc(strlen(s) + 1);
	if (!k)
		return NULL;
	char *o = k;
	for (const char *p = s; *p;) {
		if (isdigit((unsigned char)*p)) {
			*o++ = '#';
			while (isdigit((unsigned char)*p))
				p++;
		} else {
			*o++ = *p++;
		}
	}
	*o = '\0';
	return k;
}

static int cmp_doubles(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* How many of the N sorted values V are less than X, and how many greater. */
static void rank(const double *v, size_t n, double x, size_t *less, size_t *greater)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (v[mid] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	*less = lo;
	hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (v[mid] <= x)
			lo = mid + 1;
		else
			hi = mid;
	}
	*greater = n - lo;
}

static int cmp_candidates(const void *a, const void *b)
{
	const candidate *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	return c ? c : (x->v > y->v) - (x->v < y->v);
}

/* Marks the running lines of PL: a top or bottom line of its page whose
 * text, digits aside ("Side 3 af 12"), stands at the same height on at
 * least half of the pages, and on two at least.  A one-page document has
 * none that could be told from its text. */
static int mark_running(plines *pl, int pages)
{
	if (pages < 2)
		return 0;
	candidate *c = calloc(pl->n ? pl->n : 1, sizeof *c);
	double *heights = malloc((pl->n ? pl->n : 1) * sizeof *heights);
	if (!c || !heights) {
		free(c), free(heights);
		return -1;
	}
	size_t n = 0;
	int rc = 0;
	for (size_t i = 0; i < pl->n && !rc;) {
		size_t j = i, m = 0;
		while (j < pl->n && pl->v[j].page == pl->v[i].page)
			j++;
		/* Lines [i, j) are one page's; its top and bottom lines by height. */
		for (size_t a = i; a < j; a++)
			if (!isnan(pl->v[a].v1))
				heights[m++] = pl->v[a].v1;
		qsort(heights, m, sizeof *heights, cmp_doubles);
		for (size_t a = i; a < j && !rc; a++) {
			if (isnan(pl->v[a].v1))
				continue;
			/* Heights grow down the page. */
			size_t above, below;
			rank(heights, m, pl->v[a].v1, &above, &below);
			if (above >= RUNNING_LINES && below >= RUNNING_LINES)
				continue;
			if (!(c[n].key = digits_as_hash(pl->v[a].text)))
				rc = -1;
			c[n].v = pl->v[a].v1;
			c[n].page = pl->v[a].page;
			c[n++].line = a;
		}
		i = j;
	}
	if (!rc)
		qsort(c, n, sizeof *c, cmp_candidates);
	int needed = pages / 2 > 2 ? pages / 2 : 2;
	for (size_t i = 0; !rc && i < n;) {
		size_t j = i;
		int distinct = 0, last_page = 0;
		while (j < n && !strcmp(c[j].key, c[i].key) && c[j].v - c[i].v <= SAME_HEIGHT) {
			/* Sorted by key and height, not page: count pages. */
			if (c[j].page != last_page)
				distinct++;
			last_page = c[j].page;
			j++;
		}
		if (distinct >= needed)
			for (size_t k = i; k < j; k++)
				pl->v[c[k].line].running = true;
		i = j;
	}
	for (size_t i = 0; i < n; i++)
		free(c[i].key);
	free(c);
	free(heights);
	return rc;
}

/* ---- lines into text -------------------------------------------------------- */

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
static int lines_to_text(const plines *pl, int n_pdf_pages, ks_sb *sb, int **line_page,
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
				if (n == cap) {
					int *p = realloc(pages, (cap *= 2) * sizeof *p);
					if (!p) {
						free(pages), free(pc);
						return -1;
					}
					pages = p;
				}
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
		if (read_page(page, i + 1, &pl))
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
	if (!rc && mark_running(&pl, pages))
		rc = pdf_fail(err, 0, "out of memory", NULL);

	ks_sb sb = { 0 };
	int *line_page = NULL;
	size_t n_lines = 0;
	if (!rc && lines_to_text(&pl, pages, &sb, &line_page, &n_lines))
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
