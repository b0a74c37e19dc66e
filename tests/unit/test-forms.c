/* test-forms.c — the forms a word is indexed under (lib/forms.cc,
 * lib/synonyms.cc): compound parts, suspended hyphens, the other spelling of
 * æ, ø and å, the spelling data, and synonym groups. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "fixtures.h"
#include "ks-xapian.h"

static void test_word_forms(void)
{
	ks_db *db = words_db();
	if (!db)
		return;
	/* Compound parts, at the compound's position; linking -s- dropped;
	 * "forsikring" is no "for" + "sikring". */
	CHECK(has_term(db, "w-1", "hjemløse") && has_term(db, "w-1", "strategi"));
	CHECK(has_term(db, "w-1", "Zstrategi"));
	CHECK(has_term(db, "w-2", "beredskab") && has_term(db, "w-2", "planer"));
	CHECK(!has_term(db, "w-1", "sikring"));
	/* Suspended hyphens: the whole words, with a linking letter too. */
	CHECK(has_term(db, "w-1", "prisfremskrevet"));
	CHECK(has_term(db, "w-1", "børnområdet") && has_term(db, "w-1", "børneområdet"));
	CHECK(!has_term(db, "w-1", "prisefremskrevet"));
	/* The other spelling, both ways. */
	CHECK(has_term(db, "w-1", "hjemloeshed") && has_term(db, "w-1", "aabenraa"));
	CHECK(has_term(db, "w-2", "åbenrå"));
	/* The spelling data has the Danish word, not its ASCII twin. */
	CHECK(has_spelling(db, "hjemløshed") && !has_spelling(db, "hjemloeshed"));

	/* The exact word ranks above the part of a compound. */
	CHECK(finds(db, "strategi", IDS("w-2", "w-1")));
	CHECK(finds(db, "beredskab", IDS("w-2")));
	CHECK(finds(db, "hjemloeshed", IDS("w-1")));
	CHECK(finds(db, "Aabenraa", IDS("w-2", "w-1")) || finds(db, "Aabenraa", IDS("w-1", "w-2")));
	CHECK(finds(db, "Åbenrå", IDS("w-2", "w-1")) || finds(db, "Åbenrå", IDS("w-1", "w-2")));
	CHECK(finds(db, "prisfremskrevet", IDS("w-1")));
	CHECK(finds(db, "børneområdet", IDS("w-1")));
	CHECK(finds(db, "\"en ny strategi\"", IDS("w-2")));
	ks_db_close(db);
}

static void test_synonyms(void)
{
	ks_db *db = open_reader("words");
	if (!db)
		return;
	CHECK(has_term(db, "w-3", "XSYkb") && has_term(db, "w-4", "XSYkb"));
	CHECK(has_term(db, "w-3", "XSYkl") && has_term(db, "w-4", "XSYkl"));
	/* An inflected member, in any letter case. */
	static const char *const kb[] = { "KB", "kommunalbestyrelsen", "kommunalbestyrelsens",
					  "Kommunalbestyrelsens" };
	for (size_t i = 0; i < sizeof kb / sizeof *kb; i++)
		CHECK(finds(db, kb[i], IDS("w-3", "w-4")) || finds(db, kb[i], IDS("w-4", "w-3")));
	static const char *const kl[] = { "KL", "Kommunernes Landsforening",
					  "kommunernes landsforening vejledning" };
	for (size_t i = 0; i < sizeof kl / sizeof *kl; i++)
		CHECK(finds(db, kl[i], IDS("w-3", "w-4")) || finds(db, kl[i], IDS("w-4", "w-3")));
	/* A phrase is taken as written. */
	CHECK(finds(db, "\"Kommunernes Landsforening\"", IDS("w-4")));
	ks_db_close(db);
}

int main(void)
{
	if (!fixtures_init())
		return 2;
	RUN(test_word_forms);
	RUN(test_synonyms);
	fixtures_done();
	return check_summary();
}
