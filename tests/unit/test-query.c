/* test-query.c — the query language (lib/query.cc, lib/fields.cc) as
 * Xapian's query descriptions, one line per case as Omega's omegatest does
 * it; a malformed query with filters; and what one query may cost
 * (lib/query-cost.cc): the wildcards' expansion, a time limit, a caller's
 * stop, the hits of a long list read one at a time; the words a wildcard
 * expands to, kept by a reader until its database changes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "fixtures.h"
#include "ks-xapian.h"
#include "validate.h"

static void test_query_descriptions(void)
{
	ks_db *db = make_db("queries", false);
	if (!db)
		return;
	static const struct {
		const char *query, *description;
	} cases[] = {
		{ "hjemløshed", "Query(Zhjemløs@1)" },
		/* Letter case never matters: a capitalised or upper-case word is
		 * stemmed as its lower-case form, a prefix is one in any case,
		 * operators in capitals stay operators, an acronym stays one. */
		{ "Hjemløshed", "Query(Zhjemløs@1)" },
		{ "HJEMLØSHED", "Query(Zhjemløs@1)" },
		{ "Budget OR Hjemløse", "Query((Zbudg@1 OR Zhjemløs@2))" },
		{ "Budget NOT Hjemløse", "Query((Zbudg@1 AND_NOT Zhjemløs@2))" },
		{ "Budget AND Hjemløse", "Query((Zbudg@1 AND Zhjemløs@2))" },
		{ "\"Hjemløse Borgere\"", "Query((hjemløse@1 PHRASE 2 borgere@2))" },
		{ "Hjemløs*", "Query(WILDCARD SYNONYM hjemløs)" },
		/* A word that is its own stem is its stem's term ("kb",
		 * "plan"), in a phrase too. */
		{ "K.B.", "Query(Zkb@1)" },
		{ "\"Ny Plan\"", "Query((Zny@1 PHRASE 2 Zplan@2))" },
		{ "Titel:Budget", "Query(ZSbudg@1)" },
		{ "TITEL:budget", "Query(ZSbudg@1)" },
		{ "Type:Budget", "Query(0 * XTYPEbudget)" },
		{ "Udvalg:Direktionen", "Query(0 * XUDVdirektionen)" },
		{ "Sag:25-002452", "Query(0 * XSAG25-002452)" },
		{ "ÅR:2025 Budget", "Query((Zbudg@1 FILTER Y2025))" },
		{ "Beslutning:Anbefales", "Query(ZXSBESanbefal@1)" },
		/* "aar:" is "år:", "økonomi:" is "oekonomi:", in any case. */
		{ "aar:2025", "Query(0 * Y2025)" },
		{ "Aar:2025", "Query(0 * Y2025)" },
		{ "år:2024 AAR:2025", "Query(0 * (Y2024 OR Y2025))" },
		{ "økonomi:mindreforbrug", "Query(ZXSOEKmindreforbrug@1)" },
		/* A query of only -words is everything but those, as NOT. */
		{ "-hjemløse", "Query((<alldocuments> AND_NOT Zhjemløs@1))" },
		{ "-budget -Hjemløse",
		  "Query(((<alldocuments> AND_NOT Zbudg@1) AND_NOT Zhjemløs@2))" },
		{ "-\"hjemløse borgere\"",
		  "Query((<alldocuments> AND_NOT (hjemløse@1 PHRASE 2 borgere@2)))" },
		{ "-lukket:true", "Query((<alldocuments> AND_NOT XLUKtrue))" },
		{ "\"hjemløse borgere\"", "Query((hjemløse@1 PHRASE 2 borgere@2))" },
		{ "budget hjemløse", "Query((Zbudg@1 AND Zhjemløs@2))" },
		{ "budget OR hjemløse", "Query((Zbudg@1 OR Zhjemløs@2))" },
		{ "budget -hjemløse", "Query((Zbudg@1 AND_NOT Zhjemløs@2))" },
		{ "budget NOT hjemløse", "Query((Zbudg@1 AND_NOT Zhjemløs@2))" },
		{ "NOT hjemløse", "Query((<alldocuments> AND_NOT Zhjemløs@1))" },
		{ "hjemløs*", "Query(WILDCARD SYNONYM hjemløs)" },
		/* A wildcard repeated under AND or OR is searched once. */
		{ "hjem* hjem* hjem*", "Query(WILDCARD SYNONYM hjem)" },
		{ "hjem* OR hjem*", "Query(WILDCARD SYNONYM hjem)" },
		{ "(hjem* plan*) OR (plan* hjem*) OR (hjem* plan*)",
		  "Query(((WILDCARD SYNONYM hjem AND WILDCARD SYNONYM plan) OR "
		  "(WILDCARD SYNONYM plan AND WILDCARD SYNONYM hjem)))" },
		{ "hjem* -hjem*", "Query((WILDCARD SYNONYM hjem AND_NOT WILDCARD SYNONYM hjem))" },
		{ "titel:budget", "Query(ZSbudg@1)" },
		{ "titel:budget sag:25-002452", "Query((ZSbudg@1 FILTER XSAG25-002452))" },
		{ "sag:21-046835K", "Query(0 * XSAG21-046835k)" },
		/* Case numbers as people write them: without the zeros, and
		 * without the letter of the one lettered case the index has. */
		{ "sag:25-2452", "Query(0 * XSAG25-002452)" },
		{ "sag:21-046835", "Query(0 * XSAG21-046835k)" },
		{ "sag:21-46835k", "Query(0 * XSAG21-046835k)" },
		{ "sag:99-1", "Query(0 * XSAG99-000001)" },
		{ "25-2452", "Query(((25@1 PHRASE 2 002452@2) OR "
			     "(PostingSource(Xapian::FixedWeightPostingSource("
			     "wt=1000000)) FILTER XSAG25-002452)))" },
		{ "21-046835", "Query(((21@1 PHRASE 2 046835@2) OR "
			       "(PostingSource(Xapian::FixedWeightPostingSource("
			       "wt=1000000)) FILTER XSAG21-046835k)))" },
		/* A short number that is no case of the index is words: a time,
		 * a range of pages. */
		{ "kl 10-12", "Query((Zkl@1 AND (10@2 PHRASE 2 12@3)))" },
		{ "udvalg:Økonomiudvalget", "Query(0 * XUDVøkonomiudvalget)" },
		{ "udvalg:Økonomiudvalget udvalg:Direktionen",
		  "Query(0 * (XUDVøkonomiudvalget OR XUDVdirektionen))" },
		{ "år:2025 budget", "Query((Zbudg@1 FILTER Y2025))" },
		{ "type:budget", "Query(0 * XTYPEbudget)" },
		{ "2025-01-01..2025-06-30", "Query(VALUE_RANGE 0 20250101 20250630)" },
		{ "budget 2025-01-01..", "Query((Zbudg@1 FILTER VALUE_GE 0 20250101))" },
		/* Malformed queries are answered as plain words. */
		{ "\"hjemløse borgere", "Query((hjemløse@1 PHRASE 2 borgere@2))" },
		{ "budget AND", "Query(Zbudg@1)" },
		{ "OR budget NOT", "Query(Zbudg@1)" },
		{ "(budget", "Query(Zbudg@1)" },
		{ "2024..2025", "Query((2024@1 AND 2025@2))" },
		{ "", "Query()" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char *got = NULL;
		CHECK(ks_db_describe_query(db, cases[i].query, &got) == KS_OK);
		printf("# %-42s %s\n", cases[i].query, got ? got : "(null)");
		CHECK_STR(got, cases[i].description);
		free(got);
	}
	/* What is not shown in a line: the same query as its lower case. */
	static const char *const same[][2] = {
		{ "Nettobudget:10000000..", "nettobudget:10000000.." },
		{ "NETTOBUDGET:..50.000.000 Budget", "nettobudget:..50.000.000 budget" },
		{ "Budget 2025-01-01..2025-06-30", "budget 2025-01-01..2025-06-30" },
	};
	for (size_t i = 0; i < sizeof same / sizeof *same; i++) {
		char *a = NULL, *b = NULL;
		CHECK(ks_db_describe_query(db, same[i][0], &a) == KS_OK);
		CHECK(ks_db_describe_query(db, same[i][1], &b) == KS_OK);
		CHECK_STR(a, b);
		CHECK_CONTAINS(a, "VALUE_");
		free(a);
		free(b);
	}
	ks_db_close(db);
}

/* A case number as a person writes it, in the one form the index holds. */
static void test_sagsnummer_read(void)
{
	static const struct {
		const char *in, *out;
	} good[] = {
		{ "25-002452", "25-002452" },   { "25-2452", "25-002452" },
		{ "25-2", "25-000002" },        { "21-046835k", "21-046835K" },
		{ "21-46835K", "21-046835K" },  { " 25-2452 ", "25-002452" },
		{ "25-002452\t", "25-002452" },
	};
	for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
		char out[KS_SAGSNUMMER_SIZE] = "";
		CHECK(ks_sagsnummer_read(good[i].in, out));
		CHECK_STR(out, good[i].out);
	}
	static const char *const bad[] = { "",         "25-",       "25-0024521",  "2025-002452",
					   "5-002452", "25_002452", "25-002452KK", "25-00 2452",
					   "-002452",  "25-0024é",  "25-2452/",    " ",
					   NULL };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		CHECK(!ks_sagsnummer_read(bad[i], NULL));
	/* The indexer's form stays strict: what a document writes. */
	CHECK(!ks_sagsnummer_parse("25-2452", NULL));
}

/* The sag filter and the case's lettered cases. */
static void test_sag_filter(void)
{
	ks_query q = query_of("");
	q.sag = "25-2452";
	CHECK(query_finds(&q, IDS("m1-3", "m2-2")) || query_finds(&q, IDS("m2-2", "m1-3")));
	q.sag = "21-046835";
	CHECK(query_finds(&q, IDS("m3-1")));
	ks_hits *hits = NULL;
	CHECK(ks_db_query(records_reader, &q, &hits) == KS_OK && hits);
	const char *asked = NULL, *shown = NULL;
	CHECK(ks_hits_case_size(hits) == 1);
	CHECK(ks_hits_case(hits, 0, &asked, &shown));
	CHECK_STR(asked, "21-046835");
	CHECK_STR(shown, "21-046835K");
	CHECK(!ks_hits_case(hits, 1, &asked, &shown));
	ks_hits_free(hits);
	/* In the box too, once however often it is written. */
	q = query_of("sag:21-046835 21-046835");
	CHECK(query_finds(&q, IDS("m3-1")));
	hits = NULL;
	CHECK(ks_db_query(records_reader, &q, &hits) == KS_OK && hits);
	CHECK(ks_hits_case_size(hits) == 1);
	ks_hits_free(hits);
	/* A case of its own says nothing. */
	q = query_of("sag:25-2452");
	hits = NULL;
	CHECK(ks_db_query(records_reader, &q, &hits) == KS_OK && hits);
	CHECK(ks_hits_case_size(hits) == 0);
	ks_hits_free(hits);
}

/* The lettered cases of a number, for the case page. */
static int collect(const char *term, void *arg)
{
	char *all = arg;
	strcat(all, term);
	strcat(all, " ");
	return 0;
}

static void test_lettered_cases(void)
{
	char all[256] = "";
	CHECK(ks_db_each_lettered_case(records_reader, "21-046835", collect, all) == KS_OK);
	CHECK_STR(all, "21-046835K ");
	all[0] = '\0';
	CHECK(ks_db_each_lettered_case(records_reader, "25-002452", collect, all) == KS_OK);
	CHECK_STR(all, "");
	CHECK(ks_db_each_lettered_case(records_reader, "x", collect, all) == KS_ERR_INVALID);
}

static void test_malformed_with_filters(void)
{
	/* A malformed q is answered as plain words, and the filters hold. */
	ks_query q = query_of("hjemløse AND (");
	q.udvalg = "Direktionen";
	CHECK(query_finds(&q, IDS("m1-1", "m1-3")) || query_finds(&q, IDS("m1-3", "m1-1")));
	q.type = "budget";
	CHECK(query_finds(&q, NO_IDS));
	q = query_of("hjemløse OR (");
	q.from = "2025-01-01";
	q.sort = KS_SORT_DATE_ASC;
	CHECK(query_finds(&q, IDS("m1-1", "m1-3")));
	q = query_of("AND");
	q.lukket = 0;
	CHECK(query_finds(&q, NO_IDS));
	/* Junk of any kind in the filters is no crash. */
	q = query_of("\xff\xfe hjemløse");
	q.udvalg = "\xc3";
	q.sag = "\xff";
	q.beslutning = "\"(";
	q.type = "a:b";
	CHECK(query_finds(&q, NO_IDS));
}

/* A ks_query.stop that says stop from its STOP_AT-th call on, and sleeps
 * SLEEP_MS on each call before. */
typedef struct stopper {
	int calls, stop_at, sleep_ms;
} stopper;

static bool stop_when(void *arg)
{
	stopper *s = arg;
	if (s->sleep_ms)
		nanosleep(&(struct timespec){ .tv_nsec = s->sleep_ms * 1000000L }, NULL);
	return ++s->calls >= s->stop_at;
}

/* What one query may cost: the wildcards' expansion, a time limit, a
 * caller's stop; and the hits of a long list read one at a time. */
static void test_query_cost(void)
{
	char path[256];
	db_path(path, sizeof path, "cost");
	ks_db *w = NULL;
	CHECK(ks_db_open_write(path, KS_OPEN_FRESH, &w, NULL) == KS_OK);
	if (!w)
		return;
	/* 2,100 documents: "fælles" in each, and one of 300 words "zqxN". */
	enum { DOCS = 2100, WORDS = 300 };
	for (int i = 0; i < DOCS; i++) {
		char body[64], id[32];
		snprintf(body, sizeof body, "fælles zqx%04d", i % WORDS);
		snprintf(id, sizeof id, "c-%d", i);
		add_text(w, id, "", body, "", 0);
	}
	CHECK(ks_db_flush(w) == KS_OK);
	ks_db_close(w);
	ks_db *r = open_reader("cost");
	if (!r)
		return;

	/* Each wildcard expands to KS_MAX_WILDCARD_TERMS of the 300 words. */
	ks_hits *hits = NULL;
	ks_query q = query_of("zqx*");
	q.max_expansion = KS_MAX_WILDCARD_TERMS;
	CHECK(ks_db_query(r, &q, &hits) == KS_OK && hits);
	ks_hits_free(hits);
	hits = NULL;
	q.q = "zqx* zqx* zqx* fælles zqx*"; /* one wildcard, repeated */
	CHECK(ks_db_query(r, &q, &hits) == KS_OK && hits);
	ks_hits_free(hits);
	hits = NULL;
	q.max_expansion = KS_MAX_WILDCARD_TERMS - 1;
	q.q = "zqx*";
	CHECK(ks_db_query(r, &q, &hits) == KS_ERR_TOO_BROAD && !hits);
	CHECK_CONTAINS(ks_db_error(r), "255");
	q.max_expansion = KS_MAX_WILDCARD_TERMS * 2 - 1;
	q.q = "zqx* OR zqx0*"; /* two wildcards: 256 and 256 (of 300) */
	CHECK(ks_db_query(r, &q, &hits) == KS_ERR_TOO_BROAD && !hits);
	q.q = "zqx* OR zqx02*"; /* 256 and 100 */
	CHECK(ks_db_query(r, &q, &hits) == KS_OK && hits);
	ks_hits_free(hits);
	hits = NULL;
	q.max_expansion = 0; /* no bound */
	q.q = "zqx* OR zqx0* OR zqx1*";
	CHECK(ks_db_query(r, &q, &hits) == KS_OK && hits);
	ks_hits_free(hits);
	hits = NULL;

	/* A caller's stop: asked before the match, then every 1,024
	 * documents the match checks (all of them, for exact facets). */
	q = query_of("fælles");
	q.facets = true;
	stopper s = { .stop_at = 1 };
	q.stop = stop_when;
	q.stop_arg = &s;
	CHECK(ks_db_query(r, &q, &hits) == KS_ERR_CANCELLED && !hits && s.calls == 1);
	s = (stopper){ .stop_at = 2 };
	CHECK(ks_db_query(r, &q, &hits) == KS_ERR_CANCELLED && !hits && s.calls == 2);
	printf("# stopped: %s\n", ks_db_error(r));
	s = (stopper){ .stop_at = 1000 };
	CHECK(ks_db_query(r, &q, &hits) == KS_OK && ks_hits_total(hits) == DOCS);
	printf("# a whole match of %d documents asked stop %d times\n", DOCS, s.calls);
	CHECK(s.calls >= 3);
	ks_hits_free(hits);
	hits = NULL;
	/* A time limit: the stop sleeps past it before the match starts. */
	s = (stopper){ .stop_at = 1000, .sleep_ms = 3 };
	q.max_ms = 1;
	CHECK(ks_db_query(r, &q, &hits) == KS_ERR_TIMEOUT && !hits);
	printf("# timed out: %s\n", ks_db_error(r));
	CHECK_CONTAINS(ks_db_error(r), "1 ms");
	q.max_ms = 60000;
	s = (stopper){ .stop_at = 1000 };
	CHECK(ks_db_query(r, &q, &hits) == KS_OK && hits);
	ks_hits_free(hits);
	hits = NULL;

	/* A long list read one hit at a time: the same data as kept. */
	q = query_of("fælles");
	q.count = DOCS;
	CHECK(ks_db_query(r, &q, &hits) == KS_OK && ks_hits_size(hits) == DOCS);
	size_t same = 0;
	for (size_t i = 0; i < ks_hits_size(hits); i++) {
		const char *data = NULL;
		CHECK(ks_hits_read(hits, i, &data) == KS_OK);
		same += data && !strcmp(data, ks_hits_data(hits, i));
	}
	CHECK(same == DOCS);
	const char *data = NULL;
	CHECK(ks_hits_read(hits, DOCS, &data) == KS_ERR_INVALID && !data);
	CHECK(ks_hits_read(hits, 0, NULL) == KS_ERR_INVALID);
	CHECK(ks_hits_read(NULL, 0, &data) == KS_ERR_INVALID);
	ks_hits_free(hits);
	ks_db_close(r);
}

/* Whether the hits of Q in R are N documents, among them FOUND and not
 * MISSING. */
static bool expands_to(ks_db *r, const char *q, unsigned n, const char *found, const char *missing)
{
	ks_query query = query_of(q);
	query.count = 1000;
	ks_hits *hits = NULL;
	if (ks_db_query(r, &query, &hits) != KS_OK || !hits)
		return false;
	bool has_found = false, has_missing = false;
	for (size_t i = 0; i < ks_hits_size(hits); i++) {
		has_found |= !strcmp(ks_hits_id(hits, i), found);
		has_missing |= !strcmp(ks_hits_id(hits, i), missing);
	}
	const bool ok =
		ks_hits_total(hits) == n && ks_hits_size(hits) == n && has_found && !has_missing;
	if (!ok)
		printf("# %s: %u hits, %s %s, %s %s\n", q, (unsigned)ks_hits_total(hits), found,
		       has_found ? "found" : "missing", missing, has_missing ? "found" : "missing");
	ks_hits_free(hits);
	return ok;
}

/* A wildcard is its KS_MAX_WILDCARD_TERMS most frequent words, ties in
 * the order of the words, the same every time; the words a reader looked
 * up are looked up again once its database has changed. */
static void test_wildcard_words(void)
{
	char path[256];
	db_path(path, sizeof path, "expand");
	ks_db *w = NULL;
	CHECK(ks_db_open_write(path, KS_OPEN_FRESH, &w, NULL) == KS_OK);
	if (!w)
		return;
	enum { WORDS = 300 }; /* "zqw0000" to "zqw0299", one document each */
	for (int i = 0; i < WORDS; i++) {
		char id[32], word[32];
		snprintf(id, sizeof id, "w-%d", i);
		snprintf(word, sizeof word, "zqw%04d", i);
		add_text(w, id, "", word, "", 0);
	}
	CHECK(ks_db_flush(w) == KS_OK);
	ks_db *r = open_reader("expand");
	if (!r) {
		ks_db_close(w);
		return;
	}
	/* All 300 found once: the first 256 in the order of the words. */
	const unsigned all = KS_MAX_WILDCARD_TERMS;
	CHECK(expands_to(r, "zqw*", all, "w-255", "w-256"));
	CHECK(expands_to(r, "zqw*", all, "w-0", "w-299"));
	CHECK(expands_to(r, "fælles OR zqw*", all, "w-255", "w-256"));

	/* A word later in order but in two documents comes first; the
	 * reader sees it once reopened, and the last of the ties goes. */
	add_text(w, "x-1", "", "zqw9999", "", 0);
	add_text(w, "x-2", "", "zqw9999", "", 0);
	CHECK(ks_db_flush(w) == KS_OK);
	bool changed = false;
	CHECK(ks_db_reopen(r, &changed) == KS_OK && changed);
	CHECK(expands_to(r, "zqw*", all + 1, "x-2", "w-255"));
	CHECK(expands_to(r, "zqw*", all + 1, "w-254", "w-256"));

	/* A writer searches what it has written, without being reopened. */
	add_text(w, "x-3", "", "zqw9998", "", 0);
	add_text(w, "x-4", "", "zqw9998", "", 0);
	add_text(w, "x-5", "", "zqw9998", "", 0);
	CHECK(expands_to(w, "zqw*", all + 3, "x-5", "w-254"));
	add_text(w, "x-6", "", "zqw9997", "", 0);
	add_text(w, "x-7", "", "zqw9997", "", 0);
	CHECK(expands_to(w, "zqw*", all + 4, "x-7", "w-253"));
	ks_db_close(r);
	ks_db_close(w);
}

int main(void)
{
	if (!fixtures_init())
		return 2;
	RUN(test_sagsnummer_read);
	RUN(test_query_descriptions);
	records_reader = records_db("records");
	if (records_reader) {
		RUN(test_malformed_with_filters);
		RUN(test_sag_filter);
		RUN(test_lettered_cases);
		ks_db_close(records_reader);
	}
	RUN(test_query_cost);
	RUN(test_wildcard_words);
	fixtures_done();
	return check_summary();
}
