/* test-search.c — searching (lib/search.cc) with ks_db_search() and
 * ks_db_query(): Danish stemming and the prefixes, each filter, the date and
 * amount orders, browsing, the case-number boost and pages past the end,
 * over records indexed as the indexer indexes them (fixtures.c). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "fixtures.h"
#include "ks-xapian.h"

struct term_seen {
	const char *want;
	bool found;
	size_t longest;
};

static int see_term(const char *term, void *arg)
{
	struct term_seen *t = arg;
	if (!strcmp(term, t->want))
		t->found = true;
	if (strlen(term) > t->longest)
		t->longest = strlen(term);
	return 0;
}

static void test_search(void)
{
	/* Written in a transaction, read by a reader of its own. */
	ks_db *w = make_db("search", true);
	if (!w)
		return;
	ks_db_close(w);
	ks_db *db = open_reader("search");
	if (!db)
		return;
	uint32_t n = 0;
	CHECK(ks_db_doccount(db, &n) == KS_OK && n == 2);

	/* Danish stemming: "hjemløse" finds "hjemløshed" and back. */
	CHECK(finds(db, "hjemløse", IDS("b-2", "a-1")) || finds(db, "hjemløse", IDS("a-1", "b-2")));
	CHECK(finds(db, "hjemløshed kalundborg", IDS("a-1")));
	/* A quoted word is not stemmed. */
	CHECK(finds(db, "\"hjemløshed\"", IDS("a-1")));
	CHECK(finds(db, "\"udviklet en hjemløsestrategi\"", IDS("a-1")));
	/* The title outranks the body. */
	CHECK(finds(db, "budgetopfølgning OR hjemløshed", IDS("b-2", "a-1")));
	CHECK(finds(db, "titel:hjemløsestrategi", IDS("a-1")));
	CHECK(finds(db, "titel:kalundborg", NO_IDS));
	/* No phrase across the end of the title and the start of the body. */
	CHECK(finds(db, "\"hjemløsestrategi kalundborg\"", NO_IDS));
	/* Boolean prefixes ignore the case typed. */
	CHECK(finds(db, "sag:21-046835k", IDS("a-1")));
	CHECK(finds(db, "sag:21-046835K", IDS("a-1")));
	CHECK(finds(db, "udvalg:økonomiudvalget", IDS("a-1")));
	CHECK(finds(db, "hjemløse -kalundborg", IDS("b-2")));
	CHECK(finds(db, "hjemløs*", IDS("a-1", "b-2")) || finds(db, "hjemløs*", IDS("b-2", "a-1")));
	CHECK(finds(db, "2025-01-01..2025-12-31", IDS("a-1")));
	/* An empty query browses all, newest first. */
	CHECK(finds(db, "", IDS("a-1", "b-2")));
	CHECK(finds(db, " \t ", IDS("a-1", "b-2")));
	/* A malformed query is no error. */
	CHECK(finds(db, "\"unbalanced AND (", NO_IDS));
	CHECK(finds(db, "kalundborg AND (", IDS("a-1")));
	CHECK(finds(db, "AND", NO_IDS));

	ks_hits *hits = NULL;
	CHECK(ks_db_search(db, "", 1, 10, &hits) == KS_OK);
	CHECK(ks_hits_size(hits) == 1 && ks_hits_total(hits) == 2);
	CHECK_STR(ks_hits_id(hits, 0), "b-2");
	CHECK_STR(ks_hits_data(hits, 0), "{\"id\":\"b-2\"}");
	CHECK(ks_hits_id(hits, 1) == NULL && ks_hits_data(hits, 1) == NULL);
	ks_hits_free(hits);
	ks_hits_free(NULL);

	bool has = false;
	CHECK(ks_db_has_term(db, KS_FIELD_UDVALG, "økonomiudvalget", &has) == KS_OK && has);
	has = false;
	CHECK(ks_db_has_term(db, KS_FIELD_UDVALG, "ØKONOMIUDVALGET", &has) == KS_OK && has);
	CHECK(ks_db_has_term(db, KS_FIELD_UDVALG, "Teknik", &has) == KS_OK && !has);
	CHECK(ks_db_has_term(db, KS_FIELD_UDVALG, "", &has) == KS_OK && !has);
	CHECK(ks_db_has_term(db, KS_FIELD_BODY, "x", &has) == KS_ERR_INVALID);
	/* A value too long for a term is cut, the same way on both sides, at
	 * a character boundary. */
	has = false;
	CHECK(ks_db_has_term(db, KS_FIELD_UDVALG, long_udvalg(), &has) == KS_OK && has);
	char cut[256];
	snprintf(cut, sizeof cut, "XUDV%.*s", 235, long_udvalg());
	struct term_seen t = { cut, false, 0 };
	CHECK(ks_db_each_term(db, "b-2", see_term, &t) == KS_OK);
	CHECK(t.found);
	CHECK(t.longest <= KS_MAX_TERM_BYTES);

	char *data = NULL;
	CHECK(ks_db_get_data(db, "a-1", &data) == KS_OK);
	CHECK_STR(data, "{\"id\":\"a-1\"}");
	free(data);
	data = NULL;
	CHECK(ks_db_get_data(db, "nope", &data) == KS_ERR_NOT_FOUND);
	CHECK(data == NULL);
	CHECK(*ks_db_error(db) != '\0');
	char *value = NULL;
	CHECK(ks_db_get_value(db, "a-1", KS_SLOT_DATE, &value) == KS_OK);
	CHECK_STR(value, "20251117");
	free(value);

	/* A reader refuses to write, and says why. */
	CHECK(ks_db_begin(db) == KS_ERR_INVALID);
	CHECK(*ks_db_error(db) != '\0');
	CHECK(ks_db_set_metadata(db, "k", "v") == KS_ERR_INVALID);
	ks_doc *doc = NULL;
	CHECK(ks_doc_new(db, &doc) == KS_ERR_INVALID && doc == NULL);

	char *desc = NULL;
	CHECK(ks_db_describe_query(db, "titel:budget sag:25-002452", &desc) == KS_OK);
	printf("# reader: titel:budget sag:25-002452 -> %s\n", desc ? desc : "(null)");
	CHECK_CONTAINS(desc, "ZSbudg");
	CHECK_CONTAINS(desc, "XSAG25-002452");
	free(desc);
	ks_db_close(db);
}

static void test_filter_type(void)
{
	ks_query q = query_of(NULL);
	q.type = "budget";
	CHECK(query_finds(&q, IDS("b-1", "b-2")));
	q.type = "PUNKT"; /* any letter case */
	CHECK(query_finds(&q, IDS("m1-1", "m1-3", "m2-2", "m2-5", "m3-1")));
	q.q = "hjemløse";
	q.type = "budget";
	CHECK(query_finds(&q, IDS("b-1")));
	q.type = "nothing";
	CHECK(query_finds(&q, NO_IDS));
}

static void test_filter_udvalg(void)
{
	ks_query q = query_of("");
	q.udvalg = "Direktionen";
	CHECK(query_finds(&q, IDS("m1-1", "m1-3")));
	/* The closed item of the Økonomiudvalget is found by its committee. */
	q.udvalg = "økonomiudvalget";
	CHECK(query_finds(&q, IDS("m2-2", "m2-5", "m3-1", "b-1", "b-2")));
	q.udvalg = "ØKONOMIUDVALGET";
	q.q = "hjemløse";
	CHECK(query_finds(&q, IDS("b-1")));
}

static void test_filter_beslutning(void)
{
	ks_query q = query_of(NULL);
	q.beslutning = "Anbefales";
	CHECK(query_finds(&q, IDS("m1-3", "m3-1")));
	q.beslutning = "taget til efterretning";
	CHECK(query_finds(&q, IDS("m1-1", "m2-5")));
	q.beslutning = "Taget";
	CHECK(query_finds(&q, NO_IDS));
}

static void test_filter_year(void)
{
	/* The year of a budget section comes from its document, not a date. */
	ks_query q = query_of(NULL);
	q.year = "2024";
	CHECK(query_finds(&q, IDS("m2-2", "m2-5", "b-1", "b-2")));
	q.year = "2025";
	q.q = "budgettet";
	CHECK(query_finds(&q, IDS("m1-1")));
	q.year = "1999";
	CHECK(query_finds(&q, NO_IDS));
}

static void test_filter_sag(void)
{
	ks_query q = query_of(NULL);
	q.sag = "21-046835k";
	CHECK(query_finds(&q, IDS("m3-1")));
	q.sag = "21-046835K";
	CHECK(query_finds(&q, IDS("m3-1")));
	q.sag = "25-002452";
	CHECK(query_finds(&q, IDS("m1-3", "m2-2")));
	/* A filter adds no weight: the item that names the case number most
	 * often is no hit when it is not the case's own. */
	q.q = "25-002452";
	q.sort = KS_SORT_DATE_ASC;
	CHECK(query_finds(&q, IDS("m2-2", "m1-3")));
}

static void test_filter_lukket(void)
{
	ks_query q = query_of(NULL);
	q.lukket = 1;
	CHECK(query_finds(&q, IDS("m2-2")));
	q.lukket = 0;
	CHECK(query_finds(&q, IDS("m1-1", "m1-3", "m2-5", "m3-1", "b-1", "b-2")));
	q.lukket = -1;
	CHECK(query_finds(&q, IDS("m1-1", "m1-3", "m2-2", "m2-5", "m3-1", "b-1", "b-2")));
}

static void test_filter_dates(void)
{
	ks_query q = query_of(NULL);
	/* Both ends are inclusive; undated records match no date range. */
	q.from = "2024-01-15";
	q.to = "2025-03-03";
	CHECK(query_finds(&q, IDS("m1-1", "m1-3", "m2-2", "m2-5")));
	q.from = "2024-01-16";
	q.to = "2025-03-02";
	CHECK(query_finds(&q, NO_IDS));
	q.from = "2025-01-01";
	q.to = NULL;
	CHECK(query_finds(&q, IDS("m1-1", "m1-3")));
	q.from = "";
	q.to = "2023-12-31";
	CHECK(query_finds(&q, IDS("m3-1")));
	q.from = "2025-01-01";
	q.to = "2024-01-01"; /* an empty range is no error */
	CHECK(query_finds(&q, NO_IDS));
	q.from = "2024-02-29"; /* a leap day */
	q.to = NULL;
	q.q = "hjemløse";
	CHECK(query_finds(&q, IDS("m1-1", "m1-3")) || query_finds(&q, IDS("m1-3", "m1-1")));

	/* Junk is refused with a message, and nothing is returned. */
	static const char *const bad[] = {
		"2025-13-01", "2025-00-10", "2025-02-30", "2023-02-29",  "2025-1-01",
		"20250101",   "2025/01/01", "junk",       "2025-01-01x", "-2025-01-0",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		for (int end = 0; end < 2; end++) {
			ks_query b = query_of(NULL);
			*(end ? &b.to : &b.from) = bad[i];
			ks_hits *hits = NULL;
			ks_status st = ks_db_query(records_reader, &b, &hits);
			if (st != KS_ERR_INVALID)
				fprintf(stderr, "date %s: %s\n", bad[i], ks_status_str(st));
			CHECK(st == KS_ERR_INVALID && hits == NULL);
			CHECK_CONTAINS(ks_db_error(records_reader), end ? "to " : "from ");
			ks_hits_free(hits);
		}
	}
}

static void test_sort_dates(void)
{
	/* Newest or oldest meeting first, punkt ascending within a meeting,
	 * undated budget sections last in both orders. */
	ks_query q = query_of(NULL);
	q.sort = KS_SORT_DATE_DESC;
	CHECK(query_finds(&q, IDS("m1-1", "m1-3", "m2-2", "m2-5", "m3-1", "b-1", "b-2")));
	q.sort = KS_SORT_DATE_ASC;
	CHECK(query_finds(&q, IDS("m3-1", "m2-2", "m2-5", "m1-1", "m1-3", "b-1", "b-2")));
	/* The order holds for a query and across pages. */
	q.q = "hjemløse OR brandvæsen";
	CHECK(query_finds(&q, IDS("m1-1", "m1-3", "b-1", "b-2")));
	q.sort = KS_SORT_DATE_DESC;
	CHECK(query_finds(&q, IDS("m1-1", "m1-3", "b-1", "b-2")));
	q.offset = 2;
	q.count = 1;
	CHECK(query_finds(&q, IDS("b-1")));
	/* Relevance: BM25, the title match first; a word in title and body
	 * outweighs one in the title alone. */
	q = query_of("hjemløsestrategi OR brandvæsen");
	CHECK(query_finds(&q, IDS("b-2", "m1-3")));
	q = query_of("budgetopfølgning OR hjemløse");
	char first[32];
	size_t n;
	first_hit(&q, first, &n);
	CHECK_STR(first, "m1-1");
	CHECK(n == 3);
}

static void test_browse(void)
{
	/* A blank q matches everything; relevance falls back to newest first,
	 * and the filters still apply. */
	static const char *const blanks[] = { NULL, "", " ", " \t\r\n" };
	for (size_t i = 0; i < sizeof blanks / sizeof *blanks; i++) {
		ks_query q = query_of(blanks[i]);
		CHECK(query_finds(&q, IDS("m1-1", "m1-3", "m2-2", "m2-5", "m3-1", "b-1", "b-2")));
		q.lukket = 0;
		q.type = "punkt";
		CHECK(query_finds(&q, IDS("m1-1", "m1-3", "m2-5", "m3-1")));
	}
	ks_query q = query_of("");
	q.sort = KS_SORT_DATE_ASC;
	CHECK(query_finds(&q, IDS("m3-1", "m2-2", "m2-5", "m1-1", "m1-3", "b-1", "b-2")));
	ks_hits *hits = NULL;
	q = query_of(NULL);
	q.count = 2;
	CHECK(ks_db_query(records_reader, &q, &hits) == KS_OK);
	CHECK(ks_hits_size(hits) == 2 && ks_hits_total(hits) == 7);
	CHECK(ks_hits_suggestion(hits) == NULL);
	ks_hits_free(hits);
	/* The shorthand browses the same way. */
	hits = NULL;
	CHECK(ks_db_search(records_reader, "", 5, 10, &hits) == KS_OK);
	CHECK(ks_hits_size(hits) == 2);
	CHECK_STR(ks_hits_id(hits, 0), "b-1");
	CHECK_STR(ks_hits_id(hits, 1), "b-2");
	ks_hits_free(hits);
}

static void test_case_number_boost(void)
{
	char first[32];
	size_t n;
	/* Without the boost, the item that names the number most often leads. */
	ks_query q = query_of("\"25 002452\"");
	first_hit(&q, first, &n);
	CHECK_STR(first, "m2-5");
	/* As a case number, in either letter case and with blanks around, the
	 * case's own items come first, then the other matches of the words. */
	static const char *const forms[] = { "25-002452",          " 25-002452\t", "25 - 002452",
					     "25 -002452",         "25- 002452",   "sag 25-002452",
					     "Sagsnr. 25 - 002452" };
	for (size_t i = 0; i < sizeof forms / sizeof *forms; i++) {
		q = query_of(forms[i]);
		CHECK(query_finds(&q, IDS("m1-3", "m2-2", "m2-5")) ||
		      query_finds(&q, IDS("m2-2", "m1-3", "m2-5")));
	}
	static const char *const suffixed[] = { "21-046835K", "21-046835k" };
	for (size_t i = 0; i < sizeof suffixed / sizeof *suffixed; i++) {
		q = query_of(suffixed[i]);
		CHECK(query_finds(&q, IDS("m3-1")));
	}
	/* The boost is no filter's business: a closed-only filter keeps it. */
	q = query_of("25-002452");
	q.lukket = 0;
	CHECK(query_finds(&q, IDS("m1-3", "m2-5")));
	/* A case number among other words selects the case: its items and
	 * the records that mention it, which match the other words. */
	q = query_of("25-002452 nævnes");
	CHECK(query_finds(&q, IDS("m2-5")));
	q = query_of("hjemløshed 25 - 002452");
	CHECK(query_finds(&q, IDS("m1-3")));
	q = query_of("hjemløse 21-046835k");
	CHECK(query_finds(&q, NO_IDS));
	/* Several select any of their cases; a dash between them is no word. */
	q = query_of("21-046835k - 24-000100");
	CHECK(query_finds(&q, IDS("m3-1", "m1-1")) || query_finds(&q, IDS("m1-1", "m3-1")));
	/* Not case numbers: part of a longer number, in quotes, a prefix. */
	static const char *const not_cases[] = { "125-002452", "25-0024521", "\"25-002452\"",
						 "25-002452x7" };
	for (size_t i = 0; i < sizeof not_cases / sizeof *not_cases; i++) {
		char *d = NULL;
		CHECK(ks_db_describe_query(records_reader, not_cases[i], &d) == KS_OK);
		CHECK_LACKS(d, "PostingSource");
		free(d);
	}

	char *desc = NULL;
	CHECK(ks_db_describe_query(records_reader, "21-046835k", &desc) == KS_OK);
	printf("# 21-046835k -> %s\n", desc ? desc : "(null)");
	CHECK_CONTAINS(desc, "PostingSource");
	CHECK_CONTAINS(desc, "FILTER XSAG21-046835k");
	free(desc);
	desc = NULL;
	CHECK(ks_db_describe_query(records_reader, "sag:21-046835k", &desc) == KS_OK);
	CHECK_STR(desc, "Query(0 * XSAG21-046835k)");
	free(desc);
}

static void test_out_of_range(void)
{
	ks_query q = query_of("hjemløse");
	ks_hits *hits = NULL;
	CHECK(ks_db_query(records_reader, &q, &hits) == KS_OK);
	size_t n = ks_hits_size(hits);
	CHECK(n == 3);
	CHECK(ks_hits_id(hits, n) == NULL && ks_hits_data(hits, n) == NULL);
	CHECK(ks_hits_id(hits, (size_t)-1) == NULL);
	CHECK_CONTAINS(ks_hits_data(hits, 0), "{\"id\":\"");
	char *out = NULL;
	CHECK(ks_hits_snippet(hits, n, "text", 10, &out) == KS_ERR_INVALID && out == NULL);
	CHECK(*ks_db_error(records_reader) != '\0');
	CHECK(ks_hits_snippet(hits, 0, NULL, 10, &out) == KS_ERR_INVALID && out == NULL);
	CHECK(ks_hits_snippet(hits, 0, "text", 10, NULL) == KS_ERR_INVALID);
	ks_hits_free(hits);

	CHECK(ks_hits_size(NULL) == 0 && ks_hits_total(NULL) == 0);
	CHECK(ks_hits_id(NULL, 0) == NULL && ks_hits_data(NULL, 0) == NULL);
	CHECK(ks_hits_suggestion(NULL) == NULL);
	CHECK(ks_hits_snippet(NULL, 0, "text", 10, &out) == KS_ERR_INVALID && out == NULL);

	/* A page past the end is empty, with the total still told; huge
	 * numbers neither overflow nor allocate. */
	static const unsigned offsets[] = { 3, 7, 1000, 4294967295u };
	for (size_t i = 0; i < sizeof offsets / sizeof *offsets; i++) {
		q = query_of("hjemløse");
		q.offset = offsets[i];
		q.count = 4294967295u;
		q.facets = i % 2;
		hits = NULL;
		CHECK(ks_db_query(records_reader, &q, &hits) == KS_OK);
		CHECK(ks_hits_size(hits) == 0 && ks_hits_total(hits) == 3);
		ks_hits_free(hits);
	}
	q = query_of(NULL);
	q.count = 4294967295u;
	hits = NULL;
	CHECK(ks_db_query(records_reader, &q, &hits) == KS_OK);
	CHECK(ks_hits_size(hits) == 7);
	ks_hits_free(hits);
	q.count = 0;
	hits = NULL;
	CHECK(ks_db_query(records_reader, &q, &hits) == KS_OK);
	CHECK(ks_hits_size(hits) == 0 && ks_hits_total(hits) == 7);
	ks_hits_free(hits);

	/* Bad arguments. */
	hits = NULL;
	CHECK(ks_db_query(NULL, &q, &hits) == KS_ERR_INVALID);
	CHECK(ks_db_query(records_reader, NULL, &hits) == KS_ERR_INVALID);
	CHECK(ks_db_query(records_reader, &q, NULL) == KS_ERR_INVALID);
	q.sort = (ks_sort)(KS_SORT_NETTOBUDGET_ASC + 1);
	CHECK(ks_db_query(records_reader, &q, &hits) == KS_ERR_INVALID);
	CHECK_STR(ks_db_error(records_reader), "no such sort order");
	q.sort = (ks_sort)-1;
	CHECK(ks_db_query(records_reader, &q, &hits) == KS_ERR_INVALID);
	CHECK(hits == NULL);
	CHECK(ks_db_search(NULL, "x", 0, 1, &hits) == KS_ERR_INVALID);
}

static void test_amounts_and_order(void)
{
	ks_db *db = open_reader("words");
	if (!db)
		return;
	/* nettobudget: ranges in whole kroner, with or without dots. */
	CHECK(finds(db, "nettobudget:10000000..", IDS("w-1", "w-2")) ||
	      finds(db, "nettobudget:10000000..", IDS("w-2", "w-1")));
	CHECK(finds(db, "nettobudget:..10.000.000 vejledning", IDS("w-3")));
	CHECK(finds(db, "strategi nettobudget:20.000.000..60.000.000", IDS("w-1")));
	char *desc = NULL;
	CHECK(ks_db_describe_query(db, "beslutning:anbefales", &desc) == KS_OK);
	CHECK_STR(desc, "Query(ZXSBESanbefal@1)");
	free(desc);

	/* Sorted by nettobudget; a record without one last either way. */
	ks_query q = query_of(NULL);
	ks_hits *hits = NULL;
	static const struct {
		ks_sort sort;
		const char *ids[4];
	} sorts[] = {
		{ KS_SORT_NETTOBUDGET_DESC, { "w-1", "w-2", "w-3", "w-4" } },
		{ KS_SORT_NETTOBUDGET_ASC, { "w-3", "w-2", "w-1", "w-4" } },
	};
	for (size_t i = 0; i < sizeof sorts / sizeof *sorts; i++) {
		q.sort = sorts[i].sort;
		q.facets = true;
		CHECK(ks_db_query(db, &q, &hits) == KS_OK);
		CHECK(ks_hits_size(hits) == 4);
		for (size_t k = 0; k < 4 && k < ks_hits_size(hits); k++)
			CHECK_STR(ks_hits_id(hits, k), sorts[i].ids[k]);
		/* Facet values of equal counts in Danish order: æ, ø, å after z. */
		CHECK(facet_is(hits, KS_FACET_UDVALG,
			       IDS("Zoneudvalget=1", "Æbleudvalget=1", "Økonomiudvalget=1",
				   "Åbenråudvalget=1")));
		ks_hits_free(hits);
		hits = NULL;
	}
	ks_db_close(db);
}

int main(void)
{
	if (!fixtures_init())
		return 2;
	RUN(test_search);
	records_reader = records_db("records");
	if (records_reader) {
		RUN(test_filter_type);
		RUN(test_filter_udvalg);
		RUN(test_filter_beslutning);
		RUN(test_filter_year);
		RUN(test_filter_sag);
		RUN(test_filter_lukket);
		RUN(test_filter_dates);
		RUN(test_sort_dates);
		RUN(test_browse);
		RUN(test_case_number_boost);
		RUN(test_out_of_range);
		ks_db_close(records_reader);
	}
	/* The amounts are those of the word forms' texts. */
	ks_db_close(words_db());
	RUN(test_amounts_and_order);
	fixtures_done();
	return check_summary();
}
