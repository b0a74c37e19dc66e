/* test-suggest.c — the completions of a query being typed (lib/suggest.cc)
 * over records indexed as the indexer indexes them (fixtures.c): the last
 * word completed from the spelling data and the titles, most frequent
 * first, in any letter case and spelling, within the walk's bound, and
 * nothing of a closed item's text. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "fixtures.h"
#include "ks-xapian.h"

#define MAX_GOT 16

typedef struct got {
	char *s[MAX_GOT];
	size_t n;
} got;

static int keep(const char *completion, void *arg)
{
	got *g = arg;
	if (g->n < MAX_GOT)
		g->s[g->n++] = strdup(completion);
	return 0;
}

static void got_free(got *g)
{
	for (size_t i = 0; i < g->n; i++)
		free(g->s[i]);
	g->n = 0;
}

/* The completions of Q (at most MAX, WALK words a list) as one string,
 * joined by '|'. */
static char *complete(const char *q, unsigned max, unsigned walk)
{
	got g = { .n = 0 };
	CHECK(ks_db_complete(records_reader, q, max, walk, keep, &g) == KS_OK);
	size_t size = 1;
	for (size_t i = 0; i < g.n; i++)
		size += strlen(g.s[i]) + 1;
	char *out = calloc(1, size);
	for (size_t i = 0; out && i < g.n; i++) {
		if (i)
			strcat(out, "|");
		strcat(out, g.s[i]);
	}
	got_free(&g);
	return out;
}

static void check_completes(const char *q, unsigned max, unsigned walk, const char *want)
{
	char *have = complete(q, max, walk);
	CHECK_STR(have, want);
	free(have);
}

static void test_complete(void)
{
	/* The spelling data counts a title's word with the title's weight,
	 * and a title's word counts once more as such: the title
	 * "Hjemløsestrategi" before "hjemløse", a word of two texts (and the
	 * title's part), before "hjemløshed", a word of one. */
	check_completes("hjem", 8, 0, "hjemløsestrategi|hjemløse|hjemløshed");
	check_completes("Hjem", 8, 0, "hjemløsestrategi|hjemløse|hjemløshed");
	check_completes("HJEMLØ", 8, 0, "hjemløsestrategi|hjemløse|hjemløshed");
	/* The ascii spelling completes as the documents spell the words. */
	check_completes("hjemloe", 8, 0, "hjemløsestrategi|hjemløse|hjemløshed");
	check_completes("hjem", 2, 0, "hjemløsestrategi|hjemløse");
	/* The words before the last are kept, operators in capitals. */
	check_completes("Budget OR Hjemløsh", 8, 0, "budget OR hjemløshed");
	check_completes("titel:jobc", 8, 0, "titel:jobcenter|titel:jobcenteret");
	/* Nothing to complete. */
	check_completes("hjem ", 8, 0, "");
	check_completes("", 8, 0, "");
	check_completes("\"", 8, 0, "");
	check_completes("hjem", 0, 0, "");
	check_completes("zzzz", 8, 0, "");
	/* A closed item gives nothing: neither its text (which the index does
	 * not hold) nor its title's words (which only the records' plain
	 * terms and the title's stems hold, not the spelling data). */
	check_completes("hemme", 8, 0, "");
	check_completes("forlæng", 8, 0, "");
}

static void test_walk_bound(void)
{
	/* The spelling data is walked for at most WALK words from the
	 * beginning on, for the word as typed and in its
	 * other spelling: a short beginning costs a bounded walk. */
	got all = { .n = 0 }, one = { .n = 0 };
	CHECK(ks_db_complete(records_reader, "b", 16, 0, keep, &all) == KS_OK);
	CHECK(ks_db_complete(records_reader, "b", 16, 1, keep, &one) == KS_OK);
	CHECK(all.n > 4);
	CHECK(one.n >= 1 && one.n <= 2);
	for (size_t i = 0; i < one.n; i++)
		CHECK(one.s[i][0] == 'b');
	got_free(&all);
	got_free(&one);
	CHECK(ks_db_complete(records_reader, "b", 8, 0, NULL, NULL) == KS_ERR_INVALID);
	CHECK(ks_db_complete(NULL, "b", 8, 0, keep, NULL) == KS_ERR_INVALID);
}

int main(void)
{
	if (!fixtures_init())
		return 2;
	records_reader = records_db("records");
	if (records_reader) {
		RUN(test_complete);
		RUN(test_walk_bound);
		ks_db_close(records_reader);
	}
	fixtures_done();
	return check_summary();
}
