/* test-forms.c — the forms a word is indexed under (lib/forms.cc,
 * lib/synonyms.cc): compound parts and heads, suspended hyphens, the other spelling of
 * æ, ø and å, the spelling data, synonym groups, and the words that are
 * their own stems. */
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
	/* Compound parts as stems alone, the split once in the metadata;
	 * linking -s- dropped; "forsikring" is no "for" + "sikring". */
	CHECK(has_term(db, "w-1", "Zhjemløs") && has_term(db, "w-1", "Zstrategi"));
	CHECK(!has_term(db, "w-1", "hjemløse") && !has_term(db, "w-1", "strategi"));
	CHECK(has_term(db, "w-2", "Zberedskab") && has_term(db, "w-2", "Zplan"));
	CHECK(!has_term(db, "w-2", "beredskab") && !has_term(db, "w-2", "planer"));
	CHECK(!has_term(db, "w-1", "Zsikring"));
	char *split = NULL;
	CHECK(ks_db_get_metadata(db, "split:hjemløsestrategi", &split) == KS_OK);
	CHECK(split && !strcmp(split, "hjemløse strategi"));
	free(split);
	split = NULL;
	CHECK(ks_db_get_metadata(db, "split:beredskabsplaner", &split) == KS_OK);
	CHECK(split && !strcmp(split, "beredskab planer"));
	free(split);
	split = NULL;
	CHECK(ks_db_get_metadata(db, "split:forsikring", &split) == KS_OK);
	CHECK(split && !*split);
	free(split);
	/* Suspended hyphens: the whole words, with a linking letter too. */
	CHECK(has_term(db, "w-1", "prisfremskrevet"));
	CHECK(has_term(db, "w-1", "børnområdet") && has_term(db, "w-1", "børneområdet"));
	CHECK(!has_term(db, "w-1", "prisefremskrevet"));
	/* The other spelling is not stored: a query looks it up. */
	CHECK(!has_term(db, "w-1", "hjemloeshed") && !has_term(db, "w-1", "aabenraa"));
	CHECK(!has_term(db, "w-1", "Zhjemloes") && !has_term(db, "w-2", "åbenrå"));
	/* A field's copy holds the stems alone, without positions. */
	CHECK(has_term(db, "w-2", "ZSstrategi") && !has_term(db, "w-2", "Sstrategi"));
	CHECK(has_term(db, "w-1", "ZShjemløsestrategi") && has_term(db, "w-1", "ZSstrategi"));
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
	/* A phrase's words are whole words, not parts of compounds. */
	CHECK(finds(db, "\"for beredskabsplaner\"", IDS("w-2")));
	CHECK(finds(db, "\"for planer\"", IDS(NULL)));
	/* Typed without Danish letters, in a phrase too, where the index
	 * has both spellings ("Åbenrå" in w-1, "Aabenraa" in w-2). */
	CHECK(finds(db, "\"hjemloeshed i aabenraa\"", IDS("w-1")));
	CHECK(finds(db, "\"hjemløshed i åbenrå\"", IDS("w-1")));
	CHECK(finds(db, "\"beredskabsplaner i åbenrå\"", IDS("w-2")));
	CHECK(finds(db, "hjemloes*", IDS("w-1")));
	/* A field's word, phrase and wildcard. */
	CHECK(finds(db, "titel:strategi", IDS("w-2", "w-1")));
	CHECK(finds(db, "titel:\"kommunalbestyrelsens møde\"", IDS("w-4")));
	CHECK(finds(db, "titel:\"møde kommunalbestyrelsens\"", IDS(NULL)));
	CHECK(finds(db, "titel:kommunalbestyrelsens*", IDS("w-4")));
	CHECK(finds(db, "titel:hjemloesestrategi", IDS("w-1")));
	ks_db_close(db);
}

/* Compound heads and suspended hyphens: a database of its own, with a word
 * list that knows "tandlæge" (but not "overtandlæge"), "indberetning" and
 * "beretning", "omstille" and "stilling", the parts of "dagtilbudsområdet"
 * and "skoleområdet". */
static ks_db *heads_db(void)
{
	ks_db *w = fresh_words_writer(
		"heads", "tandlæge\nindberetning\nberetning\ndag\ntilbud\nområdet\nskoleområdet\n"
			 "dokument\nhåndtering\nstrategi\nløn\nfremskrevet\nomstille\nstilling\n");
	if (!w)
		return NULL;
	add_text(w, "h-1", "Ny overtandlæge",
		 "Sags- og dokumenthåndteringsstrategi for skole- og dagtilbudsområdet.",
		 "Børneudvalget", 0);
	add_text(w, "h-2", "Indberetning", "Pris- og lønfremskrevet. Omstilling.",
		 "Økonomiudvalget", 0);
	CHECK(ks_db_flush(w) == KS_OK);
	ks_db_close(w);
	return open_reader("heads");
}

static void test_heads(void)
{
	ks_db *db = heads_db();
	if (!db)
		return;
	/* A particle before a long word of the list: an overtandlæge is a
	 * tandlæge.  A word of the list stays whole. */
	CHECK(has_term(db, "h-1", "Ztandlæg") && !has_term(db, "h-1", "tandlæge"));
	CHECK(!has_term(db, "h-2", "Zberetning"));
	/* A noun of a verb of the list is no compound: "omstilling" (of
	 * "omstille") is no "stilling". */
	CHECK(!has_term(db, "h-2", "Zstilling"));
	CHECK(finds(db, "tandlæge", IDS("h-1")));
	CHECK(finds(db, "tandlægen", IDS("h-1")));
	/* A suspended hyphen takes the head of a compound of three parts
	 * ("området"), not all after its first part; the word list knows
	 * "skoleområdet" and not "skoletilbudsområdet". */
	CHECK(has_term(db, "h-1", "skoleområdet"));
	CHECK(!has_term(db, "h-1", "skoletilbudsområdet"));
	for (const char *q = "skoleområdet\0skoleområde\0skoleområder\0"; *q; q += strlen(q) + 1)
		CHECK(finds(db, q, IDS("h-1")));
	/* Neither "sagsstrategi" nor "sagshåndteringsstrategi" is known:
	 * both (each its own stem, so stored as that). */
	CHECK(has_term(db, "h-1", "Zsagsstrategi") &&
	      has_term(db, "h-1", "Zsagshåndteringsstrategi"));
	CHECK(finds(db, "\"dokumenthåndteringsstrategi for skole\"", IDS("h-1")));
	/* Of two parts, the head is all after the first. */
	CHECK(has_term(db, "h-2", "prisfremskrevet"));
	ks_db_close(db);
}

/* A word that is its own stem ("plan", "tilskud") is stored once, as its
 * stem's term holding the word's positions: a phrase finds the word and
 * none of its other forms, a wildcard finds it, and the spelling data has
 * it until its document goes. */
static void test_own_stem_words(void)
{
	ks_db *db = fresh_db("own-stems");
	if (!db)
		return;
	add_text(db, "o-1", "En ny plan", "Tilskud til skolen.", "", 0);
	add_text(db, "o-2", "Planen", "De nye planer for skolerne.", "", 0);
	CHECK(ks_db_flush(db) == KS_OK);
	CHECK(has_term(db, "o-1", "Zplan") && !has_term(db, "o-1", "plan"));
	CHECK(has_term(db, "o-1", "Ztilskud") && !has_term(db, "o-1", "tilskud"));
	CHECK(has_term(db, "o-2", "planen") && has_term(db, "o-2", "Zplan"));
	CHECK(finds(db, "\"ny plan\"", IDS("o-1")));
	CHECK(finds(db, "\"nye planer\"", IDS("o-2")));
	CHECK(finds(db, "\"plan nye\"", IDS(NULL)));
	CHECK(finds(db, "\"tilskud til skolen\"", IDS("o-1")));
	CHECK(finds(db, "tilsk*", IDS("o-1")));
	CHECK(finds(db, "titel:\"ny plan\"", IDS("o-1")));
	CHECK(has_spelling(db, "plan") && has_spelling(db, "tilskud"));
	CHECK(ks_db_delete(db, KS_FIELD_ID, "o-1") == KS_OK);
	CHECK(ks_db_flush(db) == KS_OK);
	CHECK(!has_spelling(db, "plan") && !has_spelling(db, "tilskud"));
	CHECK(has_spelling(db, "planen") && has_spelling(db, "skolerne"));
	ks_db_close(db);

	/* A document is as long (BM25's length) as when such a word was
	 * stored twice: two texts alike but for three words, which are their
	 * own stems in one and not in the other, weigh "skolen" alike, and
	 * the tie is the older document's. */
	db = fresh_db("own-stem-lengths");
	if (!db)
		return;
	add_text(db, "l-1", "Notat", "Skolen får budgetter budgetter budgetter.", "", 0);
	add_text(db, "l-2", "Notat", "Skolen får tilskud tilskud tilskud.", "", 0);
	CHECK(ks_db_flush(db) == KS_OK);
	CHECK(has_term(db, "l-2", "Ztilskud") && has_term(db, "l-1", "budgetter"));
	CHECK(finds(db, "skolen", IDS("l-1", "l-2")));
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
	RUN(test_own_stem_words);
	RUN(test_heads);
	fixtures_done();
	return check_summary();
}
