/* mkpdf.c — a text document as a PDF, for the tests of the PDF input.
 *
 *   mkpdf [--columns 2] [--image] IN OUT.pdf
 *
 * Lays IN out on A4 pages with cairo's text API in DejaVu Sans: each line
 * of IN word-wrapped to the column, a blank line as a gap, a running header
 * (the file's name) and a footer ("Side N af M") on every page, as the
 * municipalities' PDFs have them.  Text extracted from a PDF (seed 004: most
 * lines end in a blank) is laid out as its PDF was: a run of three empty
 * lines is a page break, and a line that starts with one space is a list
 * item whose bullet glyph the extraction lost ("• " is drawn again).
 *   --columns 2  two columns per page, read left column first;
 *   --image      the pages as pictures, without any text (a scan).
 * Prints the number of pages on stdout.
 */
#include <cairo-pdf.h>
#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE_W      595.0 /* A4 in points */
#define PAGE_H      842.0
#define MARGIN      56.0
#define COL_GAP     24.0
#define FONT_SIZE   10.0
#define LINE_PITCH  13.0
#define HEADER_Y    32.0
#define FOOTER_Y    (PAGE_H - 24.0)
#define BODY_TOP    (MARGIN + 14.0)
#define BODY_BOTTOM (PAGE_H - MARGIN)

/* A line placed on a page. */
typedef struct placed {
	char *text;
	int page, column;
	double y;
} placed;

typedef struct layout {
	cairo_t *cr; /* for measuring */
	int columns;
	double col_w;
	placed *v;
	size_t n, cap;
	int page, column;
	double y;
} layout;

static void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n);
	if (!q) {
		fputs("mkpdf: out of memory\n", stderr);
		exit(2);
	}
	return q;
}

static char *xstrndup(const char *s, size_t n)
{
	char *d = xrealloc(NULL, n + 1);
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

static double width_of(layout *lo, const char *s, size_t n)
{
	char *t = xstrndup(s, n);
	cairo_text_extents_t e;
	cairo_text_extents(lo->cr, t, &e);
	free(t);
	return e.x_advance;
}

static void next_column(layout *lo)
{
	if (++lo->column == lo->columns) {
		lo->column = 0;
		lo->page++;
	}
	lo->y = BODY_TOP;
}

static void advance(layout *lo)
{
	lo->y += LINE_PITCH;
	if (lo->y > BODY_BOTTOM)
		next_column(lo);
}

static void place(layout *lo, const char *s, size_t n)
{
	if (lo->n == lo->cap) {
		lo->cap = lo->cap ? lo->cap * 2 : 1024;
		lo->v = xrealloc(lo->v, lo->cap * sizeof *lo->v);
	}
	lo->v[lo->n++] = (placed){ xstrndup(s, n), lo->page, lo->column, lo->y };
	advance(lo);
}

/* One line of the input, word-wrapped: each visual line takes as many
 * words as fit; a word wider than the column is cut where it must be. */
static void place_wrapped(layout *lo, const char *s)
{
	size_t len = strlen(s);
	const char *start = s, *end = s + len;
	while (start < end) {
		const char *fit = NULL;
		for (const char *p = start; p <= end; p++) {
			if (p < end && *p != ' ')
				continue;
			if (width_of(lo, start, (size_t)(p - start)) > lo->col_w)
				break;
			fit = p;
		}
		if (!fit) {
			/* No space in reach: cut the word at a character. */
			const char *p = start + 1;
			while (p < end && ((unsigned char)*p & 0xC0) == 0x80)
				p++;
			fit = p;
			while (fit < end) {
				const char *q = fit + 1;
				while (q < end && ((unsigned char)*q & 0xC0) == 0x80)
					q++;
				if (width_of(lo, start, (size_t)(q - start)) > lo->col_w)
					break;
				fit = q;
			}
		}
		place(lo, start, (size_t)(fit - start));
		start = fit;
		while (start < end && *start == ' ')
			start++;
	}
}

/* Tabs (the tables of seed 000) become spaces; trailing blanks go. */
static char *clean_line(const char *raw, size_t n)
{
	char *s = xstrndup(raw, n);
	for (char *p = s; *p; p++)
		if (*p == '\t' || *p == '\r')
			*p = ' ';
	size_t k = strlen(s);
	while (k && s[k - 1] == ' ')
		s[--k] = '\0';
	return s;
}

static bool is_layout_text(const char *data)
{
	size_t text = 0, trailing = 0;
	for (const char *p = data; *p;) {
		size_t n = strcspn(p, "\n");
		bool blank = strspn(p, " \t\r") >= n;
		if (!blank) {
			text++;
			trailing += p[n - 1] == ' ';
		}
		p += n + (p[n] == '\n');
	}
	return text >= 3 && trailing * 2 > text;
}

static void lay_out(layout *lo, const char *data)
{
	bool pdf_text = is_layout_text(data);
	int empty_run = 0;
	for (const char *p = data; *p;) {
		size_t n = strcspn(p, "\n");
		char *raw = clean_line(p, n);
		p += n + (p[n] == '\n');
		if (!*raw) {
			bool empty = n == 0 || (n == 1 && p[-2] == '\r');
			empty_run = pdf_text && empty ? empty_run + 1 : 0;
			if (empty_run == 3) {
				next_column(lo);
				while (lo->column != 0)
					next_column(lo);
			} else if (lo->y > BODY_TOP) {
				advance(lo);
			}
			free(raw);
			continue;
		}
		empty_run = 0;
		char *line = raw;
		if (pdf_text && line[0] == ' ' && line[1] != ' ') {
			/* The bullet glyph that the extraction lost. */
			size_t m = strlen(line);
			char *b = xrealloc(NULL, m + 4);
			memcpy(b, "\u2022", 3);
			memcpy(b + 3, line, m + 1);
			free(raw);
			line = raw = b;
		}
		place_wrapped(lo, line);
		free(raw);
	}
}

static char *read_all(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		exit(2);
	}
	size_t cap = 1 << 16, n = 0;
	char *buf = xrealloc(NULL, cap);
	size_t got;
	while ((got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
		n += got;
		if (cap - n - 1 == 0)
			buf = xrealloc(buf, cap *= 2);
	}
	fclose(f);
	buf[n] = '\0';
	return buf;
}

static void show(cairo_t *cr, double x, double y, const char *s)
{
	cairo_move_to(cr, x, y);
	cairo_show_text(cr, s);
}

static void draw_page(cairo_t *cr, const layout *lo, size_t *k, int page, int pages,
		      const char *title)
{
	char footer[64];
	cairo_set_source_rgb(cr, 0, 0, 0);
	cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
			       CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(cr, 8);
	show(cr, MARGIN, HEADER_Y, title);
	snprintf(footer, sizeof footer, "Side %d af %d", page + 1, pages);
	show(cr, PAGE_W - MARGIN - 60, FOOTER_Y, footer);
	cairo_set_font_size(cr, FONT_SIZE);
	for (; *k < lo->n && lo->v[*k].page == page; (*k)++) {
		const placed *pl = &lo->v[*k];
		show(cr, MARGIN + pl->column * (lo->col_w + COL_GAP), pl->y, pl->text);
	}
}

int main(int argc, char **argv)
{
	int columns = 1;
	bool image = false;
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--columns") && i + 1 < argc)
			columns = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--image"))
			image = true;
		else
			break;
	}
	if (argc - i != 2 || columns < 1 || columns > 3) {
		fputs("usage: mkpdf [--columns N] [--image] IN OUT.pdf\n", stderr);
		return 2;
	}
	const char *in = argv[i], *out = argv[i + 1];
	char *data = read_all(in);

	/* Measured on the PDF surface itself: an image surface rounds the
	 * advances (hinted metrics), and the lines would not fit. */
	cairo_surface_t *pdf = cairo_pdf_surface_create(out, PAGE_W, PAGE_H);
	cairo_t *cr = cairo_create(pdf);
	layout lo = { .cr = cr, .columns = columns, .y = BODY_TOP };
	lo.col_w = (PAGE_W - 2 * MARGIN - (columns - 1) * COL_GAP) / columns;
	cairo_select_font_face(lo.cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
			       CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(lo.cr, FONT_SIZE);
	lay_out(&lo, data);
	int pages = lo.n ? lo.v[lo.n - 1].page + 1 : 1;

	const char *slash = strrchr(in, '/');
	const char *title = slash ? slash + 1 : in;
	size_t k = 0;
	for (int page = 0; page < pages; page++) {
		if (image) {
			/* A scan: the page drawn into pixels, then placed as
			 * one picture; no text is left to extract. */
			cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24,
									  (int)PAGE_W, (int)PAGE_H);
			cairo_t *ic = cairo_create(img);
			cairo_set_source_rgb(ic, 1, 1, 1);
			cairo_paint(ic);
			draw_page(ic, &lo, &k, page, pages, title);
			cairo_destroy(ic);
			cairo_set_source_surface(cr, img, 0, 0);
			cairo_paint(cr);
			cairo_surface_destroy(img);
		} else {
			draw_page(cr, &lo, &k, page, pages, title);
		}
		cairo_show_page(cr);
	}
	cairo_destroy(cr);
	cairo_surface_finish(pdf);
	int rc = cairo_surface_status(pdf) != CAIRO_STATUS_SUCCESS;
	if (rc)
		fprintf(stderr, "mkpdf: %s: %s\n", out,
			cairo_status_to_string(cairo_surface_status(pdf)));
	cairo_surface_destroy(pdf);
	/* Cairo and fontconfig keep fonts for the next call: let them go, so
	 * that the sanitizer's leak check sees a clean exit. */
	cairo_debug_reset_static_data();
	FcFini();
	for (size_t j = 0; j < lo.n; j++)
		free(lo.v[j].text);
	free(lo.v);
	free(data);
	printf("%d\n", pages);
	return rc;
}
