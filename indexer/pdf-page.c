/* pdf-page.c — one page of a PDF as its printed lines in reading order:
 * the page turned back upright, its characters' boxes grouped into
 * fragments (no wide gap inside), and the fragments ordered by the columns
 * that the page's gutters divide it into. */
#include "pdf-private.h"

#include <glib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

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
	pline *v = ks_grow(pl->v, &pl->cap, pl->n + 1, sizeof *v, 256);
	if (!v)
		return -1;
	pl->v = v;
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
int ks_pdf_read_page(PopplerPage *page, int no, plines *pl)
{
	size_t first = pl->n;
	if (page_fragments(page, no, pl))
		return -1;
	return reading_order(pl->v + first, pl->n - first);
}
