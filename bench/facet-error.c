/* facet-error.c — how far the estimated facet counts are from the exact ones
 * (issue 18): for every query of a file, a search as the server makes it
 * (the top 20, the facets counted up to BOUND matches) and the same search
 * with every match counted; for each search that was estimated, the relative
 * error of each of the five most frequent values of each facet (by the exact
 * counts) and of the total.  Not a test: a benchmark, run by bench/run.sh.
 *
 *   facet-error INDEX QUERIES [BOUND]
 *
 * BOUND defaults to KS_FACETS_EXACT; a smaller one simulates on a small
 * corpus what the default does on a large one.  Prints one line of "key
 * value" pairs on stdout:
 *   "queries N estimated E values V mean_error X max_error Y
 *    total_mean_error T total_max_error U"
 * X and Y over the V values compared (a value the estimate lacks has error
 * 1), T and U over the E totals; errors are fractions (0.05 is 5 %). */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ks-xapian.h"

enum { TOP_VALUES = 5, PAGE = 20, LINE_BYTES = 4096 };

/* The count of VALUE in FACET of HITS, 0 when it has none. */
static uint32_t count_of(const ks_hits *hits, ks_facet facet, const char *value)
{
	const char *v;
	uint32_t n;
	for (size_t i = 0; ks_hits_facet(hits, facet, i, &v, &n); i++)
		if (!strcmp(v, value))
			return n;
	return 0;
}

typedef struct errors {
	unsigned long n;
	double sum, max;
} errors;

static void add_error(errors *e, double exact, double estimate)
{
	const double err = exact > 0 ? fabs(estimate - exact) / exact : 0;
	e->n++;
	e->sum += err;
	if (err > e->max)
		e->max = err;
}

static ks_status search(ks_db *db, const char *q, unsigned bound, ks_hits **out)
{
	ks_query query = { .q = q, .lukket = -1, .sort = KS_SORT_RELEVANCE };
	query.count = PAGE;
	query.facets = true;
	query.facets_exact = bound;
	return ks_db_query(db, &query, out);
}

int main(int argc, char **argv)
{
	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: %s INDEX QUERIES [BOUND]\n", argv[0]);
		return 2;
	}
	unsigned bound = KS_FACETS_EXACT;
	if (argc == 4) {
		char *end;
		const unsigned long b = strtoul(argv[3], &end, 10);
		if (*end || b < 1 || b > UINT_MAX) {
			fprintf(stderr, "%s: BOUND must be a number of matches, not %s\n", argv[0],
				argv[3]);
			return 2;
		}
		bound = (unsigned)b;
	}
	FILE *f = fopen(argv[2], "r");
	if (!f) {
		fprintf(stderr, "%s: cannot read %s\n", argv[0], argv[2]);
		return 2;
	}
	const char *paths[] = { argv[1] };
	ks_db *db = NULL;
	char *message = NULL;
	if (ks_db_open_read(paths, 1, &db, &message) != KS_OK) {
		fprintf(stderr, "%s: %s: %s\n", argv[0], argv[1],
			message ? message : "cannot open");
		free(message);
		fclose(f);
		return 1;
	}
	uint32_t docs = 0;
	if (ks_db_doccount(db, &docs) != KS_OK) {
		fprintf(stderr, "%s: %s: %s\n", argv[0], argv[1], ks_db_error(db));
		ks_db_close(db);
		fclose(f);
		return 1;
	}
	unsigned long queries = 0, estimated = 0;
	errors values = { 0 }, totals = { 0 };
	char line[LINE_BYTES];
	int status = 0;
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\r\n")] = '\0';
		if (!*line)
			continue;
		queries++;
		ks_hits *est = NULL, *exact = NULL;
		if (search(db, line, bound, &est) != KS_OK ||
		    search(db, line, docs ? docs : 1, &exact) != KS_OK) {
			fprintf(stderr, "%s: %s: %s\n", argv[0], line, ks_db_error(db));
			ks_hits_free(est);
			status = 1;
			break;
		}
		if (ks_hits_facets_estimated(est)) {
			estimated++;
			add_error(&totals, ks_hits_total(exact), ks_hits_total(est));
			for (int facet = 0; facet < KS_FACET_COUNT; facet++) {
				const char *v;
				uint32_t n;
				for (size_t i = 0; i < TOP_VALUES &&
						   ks_hits_facet(exact, (ks_facet)facet, i, &v, &n);
				     i++)
					add_error(&values, n, count_of(est, (ks_facet)facet, v));
			}
		}
		ks_hits_free(est);
		ks_hits_free(exact);
	}
	fclose(f);
	ks_db_close(db);
	if (status)
		return status;
	printf("queries %lu estimated %lu values %lu mean_error %.4f max_error %.4f "
	       "total_mean_error %.4f total_max_error %.4f\n",
	       queries, estimated, values.n, values.n ? values.sum / values.n : 0, values.max,
	       totals.n ? totals.sum / totals.n : 0, totals.max);
	return 0;
}
