/* test-index.c — the index by its output, as Omega's omindexcheck does it:
 * documents are parsed and indexed into a temporary database, then the
 * expected terms, values and data are asserted, and the forbidden ones
 * (anything from a closed item's hidden text) refuted.  Last, the real corpus
 * is indexed and a distinctive phrase of every record must find it first.
 *
 *   test-index CORPUS_DIR
 */
#include <dirent.h>
#include <ftw.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "index.h"
#include "ks-xapian.h"
#include "parse.h"
#include "text.h"

static char tmpdir[] = "/tmp/ks-test-index-XXXXXX";

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

static const char minutes_src[] =
	"REFERAT Direktionen d. 17-11-2025\n\n"
	"Mødedato Mandag d. 17. november 2025 kl. 12:30\n\n"
	"Punkt 6: Beslutning om hjemløsestrategi\n\n25-008999\n\n"
	"Beslutning\n\nAnbefales.\n\n"
	"Sagsfremstilling\n\nResume og sagens baggrund\n\n"
	"En samlet og tværfaglig indsats for at reducere hjemløshed.\n\n"
	"Behandling\n\nDirektionen, Børn- og Familieudvalget og Økonomiudvalget.\n\n"
	"Punkt 7: Lukket: Forlængelse af forsikringsaftale\n\n21-046835K\n\n"
	"Beslutning\n\nHemmeligt zebrafinkebeløb.\n";

/* Parses SRC as NAME and indexes it into a new database at PATH. */
static ks_db *index_source(const char *path, const char *name, const char *src)
{
	ks_db *db = NULL;
	char *msg = NULL;
	ks_document doc;
	ks_parse_error err;
	if (ks_parse(src, strlen(src), name, &doc, &err)) {
		fprintf(stderr, "parse: %d: %s\n", err.line, err.message);
		return NULL;
	}
	ks_status st = ks_db_open_write(path, KS_OPEN_FRESH, &db, &msg);
	CHECK(st == KS_OK);
	free(msg);
	for (size_t i = 0; st == KS_OK && i < doc.n_records; i++)
		CHECK((st = ks_index_record_into(db, db, &doc.records[i], "00000000000000ff")) ==
		      KS_OK);
	ks_document_clear(&doc);
	if (db)
		CHECK(ks_db_flush(db) == KS_OK);
	return db;
}

typedef struct terms {
	ks_strv v;
} terms;

static int collect(const char *term, void *arg)
{
	terms *t = arg;
	return ks_strv_push(&t->v, term, strlen(term));
}

static bool has(const terms *t, const char *term)
{
	for (size_t i = 0; i < t->v.n; i++)
		if (!strcmp(t->v.v[i], term))
			return true;
	return false;
}

static bool has_containing(const terms *t, const char *part)
{
	for (size_t i = 0; i < t->v.n; i++)
		if (strstr(t->v.v[i], part))
			return true;
	return false;
}

static void check_value(ks_db *db, const char *id, ks_slot slot, const char *want)
{
	char *got = NULL;
	ks_status st = ks_db_get_value(db, id, slot, &got);
	CHECK(st == KS_OK);
	CHECK_STR(got, want);
	free(got);
}

static void test_open_item_terms(void)
{
	char path[256];
	snprintf(path, sizeof path, "%s/open", tmpdir);
	ks_db *db = index_source(path, "direktionen-2025-11-17.txt", minutes_src);
	if (!db) {
		CHECK(false);
		return;
	}
	terms t = { 0 };
	CHECK(ks_db_each_term(db, "direktionen-2025-11-17-6", collect, &t) == KS_OK);
	static const char *const want[] = {
		"Qdirektionen-2025-11-17-6",
		"XSAG25-008999",
		"XUDVdirektionen",
		"XBESanbefales",
		"XTYPEpunkt",
		"Y2025",
		"XLUKfalse",
		"XBEHdirektionen",
		"XBEHbørn- og familieudvalget",
		"XBEHøkonomiudvalget",
		"XFIL00000000000000ff",
		/* the title unprefixed (its word is its own stem: one term,
		 * with the word's positions), and prefixed as its stems
		 * alone */
		"ZShjemløsestrategi",
		"Zhjemløsestrategi",
		/* the body, with Danish stems: "hjemløshed" finds "hjemløse" */
		"hjemløshed",
		"tværfaglig",
		"Zhjemløs",
		/* the case number as text too */
		"25",
		"008999",
	};
	for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
		if (!has(&t, want[i]))
			fprintf(stderr, "missing term %s\n", want[i]);
		CHECK(has(&t, want[i]));
	}
	CHECK(!has(&t, "hjemløsestrategi"));
	check_value(db, "direktionen-2025-11-17-6", KS_SLOT_DATE, "20251117");
	check_value(db, "direktionen-2025-11-17-6", KS_SLOT_TYPE, "punkt");
	check_value(db, "direktionen-2025-11-17-6", KS_SLOT_UDVALG, "Direktionen");
	check_value(db, "direktionen-2025-11-17-6", KS_SLOT_YEAR, "2025");
	check_value(db, "direktionen-2025-11-17-6", KS_SLOT_BESLUTNING, "Anbefales");
	char *data = NULL;
	CHECK(ks_db_get_data(db, "direktionen-2025-11-17-6", &data) == KS_OK);
	CHECK_CONTAINS(data, "\"id\":\"direktionen-2025-11-17-6\"");
	CHECK_CONTAINS(data, "reducere hjemløshed");
	free(data);
	ks_strv_clear(&t.v);
	ks_db_close(db);
}

static void test_closed_item_terms(void)
{
	char path[256];
	snprintf(path, sizeof path, "%s/closed", tmpdir);
	ks_db *db = index_source(path, "direktionen-2025-11-17.txt", minutes_src);
	if (!db) {
		CHECK(false);
		return;
	}
	terms t = { 0 };
	CHECK(ks_db_each_term(db, "direktionen-2025-11-17-7", collect, &t) == KS_OK);
	CHECK(has(&t, "ZSforsikringsaftal") && !has(&t, "Sforsikringsaftale"));
	CHECK(has(&t, "forsikringsaftale"));
	CHECK(has(&t, "XSAG21-046835k"));
	CHECK(has(&t, "XLUKtrue"));
	CHECK(has(&t, "XTYPEpunkt"));
	CHECK(has(&t, "Y2025"));
	CHECK(has(&t, "XFIL00000000000000ff"));
	/* Nothing from the hidden text, no decision and no bodies. */
	CHECK(!has_containing(&t, "zebrafinke"));
	CHECK(!has_containing(&t, "hemmelig"));
	CHECK(!has_containing(&t, "XBES"));
	CHECK(!has_containing(&t, "XBEH"));
	check_value(db, "direktionen-2025-11-17-7", KS_SLOT_BESLUTNING, "");
	/* What the published minutes print of it, it shows, sorts and
	 * filters by: the committee (of its meeting) too. */
	CHECK(has(&t, "XUDVdirektionen"));
	check_value(db, "direktionen-2025-11-17-7", KS_SLOT_UDVALG, "Direktionen");
	check_value(db, "direktionen-2025-11-17-7", KS_SLOT_DATE, "20251117");
	check_value(db, "direktionen-2025-11-17-7", KS_SLOT_TYPE, "punkt");
	check_value(db, "direktionen-2025-11-17-7", KS_SLOT_YEAR, "2025");
	/* The committee's filter finds both items, and its facet counts
	 * both. */
	ks_query q = { .udvalg = "Direktionen", .lukket = -1, .count = 10, .facets = true };
	ks_hits *hits = NULL;
	CHECK(ks_db_query(db, &q, &hits) == KS_OK);
	CHECK(ks_hits_size(hits) == 2);
	ks_hits_free(hits);
	q.udvalg = NULL;
	q.lukket = 1;
	hits = NULL;
	CHECK(ks_db_query(db, &q, &hits) == KS_OK);
	CHECK(ks_hits_total(hits) == 1);
	const char *value = NULL;
	uint32_t count = 0;
	CHECK(ks_hits_facet_size(hits, KS_FACET_UDVALG) == 1);
	CHECK(ks_hits_facet(hits, KS_FACET_UDVALG, 0, &value, &count) && count == 1);
	CHECK_STR(value, "Direktionen");
	ks_hits_free(hits);
	char *data = NULL;
	CHECK(ks_db_get_data(db, "direktionen-2025-11-17-7", &data) == KS_OK);
	CHECK_LACKS(data, "zebrafinke");
	CHECK_LACKS(data, "Anbefales");
	CHECK_CONTAINS(data, "\"udvalg\":\"Direktionen\"");
	CHECK_CONTAINS(data, "\"punkt\":7");
	CHECK_CONTAINS(data, "\"meeting\":{\"title\":\"REFERAT Direktionen d. 17-11-2025\"");
	free(data);

	/* Closed items give nothing to the spelling data, open ones do. */
	terms spell = { 0 };
	CHECK(ks_db_each_spelling(db, collect, &spell) == KS_OK);
	CHECK(has(&spell, "hjemløshed"));
	CHECK(!has(&spell, "forsikringsaftale"));
	CHECK(!has(&spell, "zebrafinkebeløb"));
	ks_strv_clear(&spell.v);
	ks_strv_clear(&t.v);
	ks_db_close(db);
}

static void test_spelling_follows_deletes(void)
{
	/* Words of a deleted file leave the spelling data with it. */
	char path[256];
	snprintf(path, sizeof path, "%s/spelling", tmpdir);
	ks_db *db = index_source(path, "direktionen-2025-11-17.txt", minutes_src);
	if (!db) {
		CHECK(false);
		return;
	}
	terms before = { 0 }, after = { 0 };
	CHECK(ks_db_each_spelling(db, collect, &before) == KS_OK);
	CHECK(has(&before, "tværfaglig"));
	CHECK(ks_db_delete(db, KS_FIELD_FILE, "00000000000000ff") == KS_OK);
	CHECK(ks_db_flush(db) == KS_OK);
	uint32_t n = 1;
	CHECK(ks_db_doccount(db, &n) == KS_OK && n == 0);
	CHECK(ks_db_each_spelling(db, collect, &after) == KS_OK);
	CHECK(after.v.n == 0);
	ks_strv_clear(&before.v);
	ks_strv_clear(&after.v);
	ks_db_close(db);
}

static void test_long_values_cut(void)
{
	/* Xapian refuses terms over 245 bytes: a 400-byte committee name and a
	 * 300-byte word must index without an error. */
	char src[4096], name[401], word[301];
	memset(name, 'u', 400);
	name[400] = '\0';
	memset(word, 'w', 300);
	word[300] = '\0';
	snprintf(src, sizeof src, "REFERAT %s d. 01-02-2024\n\nPunkt 1: %s\n\nBehandling\n\n%s.\n",
		 name, word, name);
	char path[256];
	snprintf(path, sizeof path, "%s/long", tmpdir);
	ks_db *db = index_source(path, "lang.txt", src);
	if (!db) {
		CHECK(false);
		return;
	}
	uint32_t n = 0;
	CHECK(ks_db_doccount(db, &n) == KS_OK && n == 1);
	terms t = { 0 };
	CHECK(ks_db_each_term(db, "lang-1", collect, &t) == KS_OK);
	for (size_t i = 0; i < t.v.n; i++)
		CHECK(strlen(t.v.v[i]) <= KS_MAX_TERM_BYTES);
	CHECK(has_containing(&t, "XUDVuuuu"));
	ks_strv_clear(&t.v);
	ks_db_close(db);
}

/* ---- the corpus: every record found first by a phrase of its own --------- */

typedef struct corpus {
	ks_document docs[64];
	size_t n;
} corpus;

static int load_corpus(const char *dir, corpus *c)
{
	struct dirent **names;
	int n = scandir(dir, &names, NULL, alphasort);
	if (n < 0)
		return -1;
	for (int i = 0; i < n; i++) {
		const char *nm = names[i]->d_name;
		if (nm[0] != '.' && c->n < 64) {
			char path[1024];
			snprintf(path, sizeof path, "%s/%s", dir, nm);
			FILE *f = fopen(path, "rb");
			static char buf[1 << 20];
			size_t len = f ? fread(buf, 1, sizeof buf, f) : 0;
			if (f)
				fclose(f);
			ks_parse_error err;
			if (ks_parse(buf, len, nm, &c->docs[c->n], &err) == 0)
				c->n++;
			else
				fprintf(stderr, "%s:%d: %s\n", nm, err.line, err.message);
		}
		free(names[i]);
	}
	free(names);
	return 0;
}

/* TEXT as the search sees it: words in lower case, separated by one space
 * (punctuation and line breaks are not part of a phrase).  Malloc'd. */
static char *words_of(const char *text)
{
	ks_sb sb = { 0 };
	bool space = false;
	for (const char *p = text; *p;) {
		size_t len;
		unsigned cp = ks_utf8_get(p, &len);
		/* Xapian keeps an apostrophe between letters ("KL's") and a
		 * point or comma between digits ("2.424.204") in one term. */
		size_t next_len;
		unsigned next = ks_utf8_get(p + len, &next_len);
		bool letter_before = sb.n && !space;
		bool digit_around = sb.n && !space && sb.s[sb.n - 1] >= '0' &&
				    sb.s[sb.n - 1] <= '9' && next >= '0' && next <= '9';
		bool word = ks_is_letter(cp) || (cp >= '0' && cp <= '9') ||
			    ((cp == '\'' || cp == 0x2019) && letter_before && ks_is_letter(next)) ||
			    ((cp == '.' || cp == ',') && digit_around);
		if (word) {
			if (space && sb.n)
				ks_sb_puts(&sb, " ");
			space = false;
			char lower = (char)(cp >= 'A' && cp <= 'Z' ? cp + 32 : cp);
			if (cp < 0x80)
				ks_sb_append(&sb, &lower, 1);
			else if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7)
				ks_sb_append(&sb, (char[]){ (char)0xC3, (char)(p[1] + 32) }, 2);
			else
				ks_sb_append(&sb, p, len);
		} else {
			space = true;
		}
		p += len;
	}
	return ks_sb_take(&sb);
}

/* The first window of WORDS words of WORDS_TEXT (from section_words()) that
 * occurs in no other record's words and lies within one section: a phrase
 * only this record has. */
static char *distinctive_phrase(const char *words_text, char *const *all, size_t n, size_t self)
{
	enum { WORDS = 6 };
	const char *starts[4096];
	size_t k = 0;
	for (const char *p = words_text; *p && k < 4096; p++)
		if (p == words_text || p[-1] == ' ')
			starts[k++] = p;
	for (size_t i = 0; i + WORDS < k; i++) {
		size_t len = (size_t)(starts[i + WORDS] - starts[i]) - 1;
		char *phrase = strndup(starts[i], len);
		bool unique = !strchr(phrase, '|');
		for (size_t j = 0; unique && j < n; j++)
			if (j != self && strstr(all[j], phrase))
				unique = false;
		if (unique)
			return phrase;
		free(phrase);
	}
	return NULL;
}

/* The words of R's sections (words_of() each), the sections separated by
 * " | ": each section is indexed as a field of its own, and no phrase
 * matches across the end of one field and the start of the next. */
static char *section_words(const ks_record *r)
{
	ks_sb sb = { 0 };
	for (size_t i = 0; i < KS_SEC_COUNT; i++) {
		const char *sec = r->sections[ks_text_order[i]];
		if (!sec)
			continue;
		char *words = words_of(sec);
		if (sb.n)
			ks_sb_puts(&sb, " | ");
		ks_sb_puts(&sb, words ? words : "");
		free(words);
	}
	return ks_sb_take(&sb);
}

static void test_corpus_phrases(const char *dir)
{
	corpus *c = calloc(1, sizeof *c);
	CHECK(load_corpus(dir, c) == 0);
	char path[256];
	snprintf(path, sizeof path, "%s/corpus", tmpdir);
	ks_db *db = NULL;
	char *msg = NULL;
	CHECK(ks_db_open_write(path, KS_OPEN_FRESH, &db, &msg) == KS_OK);
	free(msg);

	size_t n = 0;
	for (size_t d = 0; d < c->n; d++)
		n += c->docs[d].n_records;
	ks_record **recs = calloc(n, sizeof *recs);
	char **texts = calloc(n, sizeof *texts);
	size_t k = 0;
	for (size_t d = 0; d < c->n; d++)
		for (size_t i = 0; i < c->docs[d].n_records; i++) {
			recs[k] = &c->docs[d].records[i];
			texts[k] = section_words(recs[k]);
			CHECK(ks_index_record_into(db, db, recs[k], "0000000000000001") == KS_OK);
			k++;
		}
	CHECK(ks_db_flush(db) == KS_OK);
	CHECK(n == 65);

	size_t tried = 0, first = 0, skipped = 0;
	for (size_t i = 0; i < n; i++) {
		if (recs[i]->lukket)
			continue;
		char *phrase = distinctive_phrase(texts[i], texts, n, i);
		if (!phrase) {
			/* "Eventuelt: Ingen bemærkninger." is the same everywhere. */
			skipped++;
			continue;
		}
		char q[1024];
		snprintf(q, sizeof q, "\"%s\"", phrase);
		ks_hits *hits = NULL;
		tried++;
		if (ks_db_search(db, q, 0, 3, &hits) == KS_OK && ks_hits_size(hits) > 0 &&
		    !strcmp(ks_hits_id(hits, 0), recs[i]->id)) {
			first++;
		} else {
			fprintf(stderr, "%s not first for %s\n", recs[i]->id, q);
			CHECK(false);
		}
		ks_hits_free(hits);
		free(phrase);
	}
	printf("# %zu of %zu open records found first by a distinctive phrase; %zu without one\n",
	       first, tried, skipped);
	CHECK(tried >= 30);
	CHECK(skipped <= 4);

	for (size_t i = 0; i < n; i++)
		free(texts[i]);
	free(texts);
	free(recs);
	for (size_t d = 0; d < c->n; d++)
		ks_document_clear(&c->docs[d]);
	free(c);
	ks_db_close(db);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: test-index CORPUS_DIR\n");
		return 2;
	}
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 2;
	}
	RUN(test_open_item_terms);
	RUN(test_closed_item_terms);
	RUN(test_spelling_follows_deletes);
	RUN(test_long_values_cut);
	int before = check_failures;
	test_corpus_phrases(argv[1]);
	printf("%s test_corpus_phrases\n", check_failures == before ? "ok" : "not ok");
	nftw(tmpdir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	return check_summary();
}
