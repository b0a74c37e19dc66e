/* pdf-running.c — the running headers, footers and page numbers of a
 * PDF, found among the top and bottom lines of its pages, to be left out
 * of its text. */
#include "pdf-private.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

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
int ks_pdf_mark_running(plines *pl, int pages)
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
