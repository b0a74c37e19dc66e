/* test-database.c — opening and closing the binding's databases (lib/open.cc,
 * lib/database.cc), their statuses (lib/status.cc) and the field table
 * (lib/schema.c): locking, transactions, metadata, an index written in parts
 * and compacted (ks_db_next_part(), ks_db_compact()), and a reader that fell
 * behind its writer. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "fixtures.h"
#include "ks-xapian.h"

static void test_status_names(void)
{
	for (int i = 0; i < KS_STATUS_COUNT; i++) {
		const char *name = ks_status_str((ks_status)i);
		CHECK(name && *name);
		for (int j = 0; j < i; j++)
			CHECK(strcmp(name, ks_status_str((ks_status)j)) != 0);
	}
	CHECK_STR(ks_status_str(KS_STATUS_COUNT), "unknown status");
	CHECK_STR(ks_status_str((ks_status)-1), "unknown status");
}

/* The field whose user-facing name is NAME (as typed before ':'), or NULL. */
static const ks_field *field_by_name(const char *name)
{
	if (!name)
		return NULL;
	for (int i = 0; i < KS_FIELD_COUNT; i++)
		if (ks_fields[i].name && !strcmp(ks_fields[i].name, name))
			return &ks_fields[i];
	return NULL;
}

static void test_field_table(void)
{
	for (int i = 0; i < KS_FIELD_COUNT; i++) {
		CHECK(ks_fields[i].prefix != NULL);
		for (int j = 0; j < KS_FIELD_COUNT; j++) {
			const char *a = ks_fields[i].prefix, *b = ks_fields[j].prefix;
			/* No prefix is a prefix of another, or terms would be
			 * ambiguous (the body's empty prefix aside). */
			if (i != j && *a && *b)
				CHECK(strncmp(a, b, strlen(a)) != 0);
		}
		if (ks_fields[i].kind == KS_FIELD_FREE_TEXT)
			CHECK(ks_fields[i].wdf_inc > 0);
	}
	CHECK(field_by_name("titel") == &ks_fields[KS_FIELD_TITLE]);
	CHECK(field_by_name("år") == &ks_fields[KS_FIELD_YEAR]);
	CHECK(field_by_name("nope") == NULL);
	CHECK(field_by_name(NULL) == NULL);
}

struct keys {
	char seen[256];
	int stop_after;
};

static int collect_key(const char *key, const char *value, void *arg)
{
	struct keys *k = arg;
	size_t len = strlen(k->seen);
	snprintf(k->seen + len, sizeof k->seen - len, "%s=%s;", key, value);
	return --k->stop_after == 0;
}

static void test_metadata(void)
{
	ks_db *db = make_db("metadata", false);
	if (!db)
		return;
	CHECK(ks_db_set_metadata(db, "file:/b", "2") == KS_OK);
	CHECK(ks_db_set_metadata(db, "file:/a", "1") == KS_OK);
	CHECK(ks_db_set_metadata(db, "other", "3") == KS_OK);
	struct keys k = { "", -1 };
	CHECK(ks_db_each_metadata(db, "file:", collect_key, &k) == KS_OK);
	CHECK_STR(k.seen, "file:/a=1;file:/b=2;");
	struct keys first = { "", 1 };
	CHECK(ks_db_each_metadata(db, "", collect_key, &first) == KS_OK);
	CHECK_STR(first.seen, "file:/a=1;");
	/* An empty value removes the key. */
	CHECK(ks_db_set_metadata(db, "file:/a", "") == KS_OK);
	char *v = NULL;
	CHECK(ks_db_get_metadata(db, "file:/a", &v) == KS_OK);
	CHECK_STR(v, "");
	free(v);
	v = NULL;
	CHECK(ks_db_get_metadata(db, "other", &v) == KS_OK);
	CHECK_STR(v, "3");
	free(v);
	ks_db_close(db);
}

static void test_open_errors(void)
{
	char path[256];
	db_path(path, sizeof path, "nowhere");
	const char *paths[] = { path };
	ks_db *db = NULL;
	char *msg = NULL;
	ks_status st = ks_db_open_read(paths, 1, &db, &msg);
	printf("# open nowhere: %s: %s\n", ks_status_str(st), msg ? msg : "(null)");
	CHECK(st != KS_OK && db == NULL);
	CHECK(msg && *msg);
	free(msg);

	const char *remote[] = { "tcp://localhost" };
	msg = NULL;
	CHECK(ks_db_open_read(remote, 1, &db, &msg) == KS_ERR_OPENING);
	CHECK_CONTAINS(msg, "no port");
	free(msg);
	CHECK(ks_db_open_read(paths, 0, &db, NULL) == KS_ERR_INVALID);

	ks_db *w = make_db("locked", false);
	if (!w)
		return;
	db_path(path, sizeof path, "locked");
	/* A fresh database must not exist yet; a second writer is locked out. */
	msg = NULL;
	st = ks_db_open_write(path, KS_OPEN_FRESH, &db, &msg);
	printf("# fresh on existing: %s: %s\n", ks_status_str(st), msg ? msg : "(null)");
	CHECK(st != KS_OK && db == NULL && msg && *msg);
	free(msg);
	msg = NULL;
	st = ks_db_open_write(path, KS_OPEN_UPDATE, &db, &msg);
	printf("# second writer: %s: %s\n", ks_status_str(st), msg ? msg : "(null)");
	CHECK(st == KS_ERR_LOCKED && db == NULL && msg && *msg);
	free(msg);
	/* Readers are not locked out. */
	ks_db *r = open_reader("locked");
	ks_db_close(r);
	ks_db_close(w);
	ks_db_close(NULL);
	ks_doc_free(NULL);
}

static void test_transaction_discarded(void)
{
	ks_db *w = make_db("tx", false);
	if (!w)
		return;
	CHECK(ks_db_begin(w) == KS_OK);
	CHECK(ks_db_begin(w) == KS_ERR_INVALID);
	CHECK(ks_db_flush(w) == KS_ERR_INVALID); /* not inside a transaction */
	CHECK(ks_db_delete(w, KS_FIELD_ID, "a-1") == KS_OK);
	ks_doc *doc = NULL;
	CHECK(ks_doc_new(w, &doc) == KS_OK);
	CHECK(ks_doc_index_text(doc, KS_FIELD_BODY, "uncommitted words", true) == KS_OK);
	CHECK(ks_db_replace(w, "c-3", doc) == KS_OK);
	ks_doc_free(doc);
	CHECK(ks_db_set_metadata(w, "k", "v") == KS_OK);
	ks_db_close(w); /* without commit */

	char path[256];
	db_path(path, sizeof path, "tx");
	ks_db *r = open_reader("tx");
	if (!r)
		return;
	uint32_t n = 0;
	CHECK(ks_db_doccount(r, &n) == KS_OK && n == 2);
	char *v = NULL;
	CHECK(ks_db_get_metadata(r, "k", &v) == KS_OK);
	CHECK_STR(v, "");
	free(v);
	bool has = true;
	CHECK(ks_db_has_term(r, KS_FIELD_ID, "c-3", &has) == KS_OK && !has);

	/* Committed, it is there, and an open reader sees it after reopening. */
	CHECK(ks_db_open_write(path, KS_OPEN_UPDATE, &w, NULL) == KS_OK);
	CHECK(ks_db_begin(w) == KS_OK);
	CHECK(ks_db_delete(w, KS_FIELD_ID, "a-1") == KS_OK);
	CHECK(ks_db_delete(w, KS_FIELD_ID, "") == KS_ERR_INVALID);
	CHECK(ks_db_commit(w) == KS_OK);
	CHECK(ks_db_commit(w) == KS_ERR_INVALID);
	CHECK(ks_db_doccount(w, &n) == KS_OK && n == 1);
	ks_db_close(w);
	bool changed = false;
	CHECK(ks_db_reopen(r, &changed) == KS_OK && changed);
	CHECK(ks_db_doccount(r, &n) == KS_OK && n == 1);
	CHECK(ks_db_reopen(r, &changed) == KS_OK && !changed);
	CHECK(ks_db_reopen(r, NULL) == KS_OK);
	ks_db_close(r);
}

/* A fresh index written in parts (ks_db_next_part()) and compacted into one
 * (ks_db_compact()), as the indexer's writers do: the second part splits
 * compounds into the words loaded for the first and marks its synonym
 * groups; the compacted database holds both parts' documents, spelling data
 * and synonyms. */
static void test_next_part(void)
{
	char words[256], synonyms[256], p0[256], p1[256], p2[256], out[256];
	write_file(words, sizeof words, "part-words.txt", "strategi\nhjemløse\n");
	write_file(synonyms, sizeof synonyms, "part-synonyms.txt", "KB = kommunalbestyrelsen\n");
	db_path(p0, sizeof p0, "part-0");
	db_path(p1, sizeof p1, "part-1");
	db_path(p2, sizeof p2, "part-2");
	db_path(out, sizeof out, "parts");
	ks_db *w = NULL;
	CHECK(ks_db_open_write(p0, KS_OPEN_FRESH, &w, NULL) == KS_OK);
	if (!w)
		return;
	CHECK(ks_db_load_words(w, words) == KS_OK);
	CHECK(ks_db_set_synonyms(w, synonyms) == KS_OK);
	add_text(w, "p-1", "Strategi", "En ny strategi.", "Økonomiudvalget", 0);
	CHECK(ks_db_next_part(w, p1) == KS_OK);
	add_text(w, "p-2", "Hjemløsestrategi", "Sagen sendes til KB.", "Økonomiudvalget", 0);
	/* Not inside a transaction, and not into a database that exists: the
	 * handle then has nothing left to write to, but the parts are whole. */
	CHECK(ks_db_begin(w) == KS_OK);
	CHECK(ks_db_next_part(w, p2) == KS_ERR_INVALID);
	CHECK_CONTAINS(ks_db_error(w), "transaction");
	CHECK(ks_db_commit(w) == KS_OK);
	CHECK(ks_db_next_part(NULL, p2) == KS_ERR_INVALID);
	CHECK(ks_db_next_part(w, NULL) == KS_ERR_INVALID);
	CHECK(ks_db_next_part(w, p0) != KS_OK);
	CHECK(strlen(ks_db_error(w)) > 0);
	ks_db_close(w);

	const char *parts[] = { p0, p1 };
	char *msg = NULL;
	CHECK(ks_db_compact(parts, 2, out, &msg) == KS_OK);
	free(msg);
	ks_db *db = open_reader("parts");
	if (!db)
		return;
	uint32_t n = 0;
	CHECK(ks_db_doccount(db, &n) == KS_OK && n == 2);
	CHECK(has_term(db, "p-2", "Zhjemløs") && has_term(db, "p-2", "Zstrategi"));
	/* Each part's split survives the compaction. */
	char *split = NULL;
	CHECK(ks_db_get_metadata(db, "split:hjemløsestrategi", &split) == KS_OK);
	CHECK(split && !strcmp(split, "hjemløse strategi"));
	free(split);
	CHECK(has_term(db, "p-2", "XSYkb"));
	CHECK(finds(db, "kommunalbestyrelsen", IDS("p-2")));
	CHECK(finds(db, "strategi", IDS("p-1", "p-2")) || finds(db, "strategi", IDS("p-2", "p-1")));
	CHECK(has_spelling(db, "strategi") && has_spelling(db, "hjemløsestrategi"));
	ks_db_close(db);
}

/* ks_db_flush_documents() writes the documents added so far and keeps the
 * words' spelling counts for a later flush: a reader sees the first batch's
 * document and no spelling data until ks_db_flush() writes both batches'. */
static void test_flush_documents(void)
{
	char path[256];
	db_path(path, sizeof path, "flush-documents");
	ks_db *w = NULL;
	CHECK(ks_db_open_write(path, KS_OPEN_FRESH, &w, NULL) == KS_OK);
	if (!w)
		return;
	const char *texts[] = { "Hjemløshed i kommunen.", "Hjemløshed og boliger." };
	for (int i = 0; i < 2; i++) {
		char id[8];
		snprintf(id, sizeof id, "d-%d", i);
		ks_doc *doc = NULL;
		CHECK(ks_doc_new(w, &doc) == KS_OK);
		if (!doc)
			break;
		CHECK(ks_doc_index_text(doc, KS_FIELD_BODY, texts[i], true) == KS_OK);
		CHECK(ks_doc_add_boolean(doc, KS_FIELD_ID, id) == KS_OK);
		CHECK(ks_db_replace(w, id, doc) == KS_OK);
		ks_doc_free(doc);
		if (i == 1)
			break;
		CHECK(ks_db_flush_documents(w) == KS_OK);
		ks_db *r = open_reader("flush-documents");
		uint32_t n = 0;
		CHECK(r && ks_db_doccount(r, &n) == KS_OK && n == 1);
		CHECK(r && !has_spelling(r, "hjemløshed"));
		ks_db_close(r);
	}
	CHECK(ks_db_flush(w) == KS_OK);
	ks_db *r = open_reader("flush-documents");
	uint32_t n = 0;
	CHECK(r && ks_db_doccount(r, &n) == KS_OK && n == 2);
	CHECK(r && has_spelling(r, "hjemløshed") && has_spelling(r, "kommunen") &&
	      has_spelling(r, "boliger"));
	ks_db_close(r);
	/* Not inside a transaction, and not without a writer. */
	CHECK(ks_db_begin(w) == KS_OK);
	CHECK(ks_db_flush_documents(w) == KS_ERR_INVALID);
	CHECK_CONTAINS(ks_db_error(w), "transaction");
	CHECK(ks_db_commit(w) == KS_OK);
	CHECK(ks_db_flush_documents(NULL) == KS_ERR_INVALID);
	ks_db_close(w);
}

/* A writer in parts with its spelling data apart (ks_db_spelling_apart()):
 * the parts hold the documents and no spelling data, the database apart
 * holds the words of both parts, and the compaction of all three has both. */
static void test_spelling_apart(void)
{
	char p0[256], p1[256], apart[256], out[256];
	db_path(p0, sizeof p0, "apart-0");
	db_path(p1, sizeof p1, "apart-1");
	db_path(apart, sizeof apart, "apart-spelling");
	db_path(out, sizeof out, "apart");
	ks_db *w = NULL;
	CHECK(ks_db_open_write(p0, KS_OPEN_FRESH, &w, NULL) == KS_OK);
	if (!w)
		return;
	CHECK(ks_db_spelling_apart(w, NULL) == KS_ERR_INVALID);
	CHECK(ks_db_spelling_apart(w, apart) == KS_OK);
	CHECK(ks_db_spelling_apart(w, apart) == KS_ERR_INVALID);
	CHECK_CONTAINS(ks_db_error(w), "already");
	add_text(w, "a-1", "Strategi", "En ny strategi.", "Økonomiudvalget", 0);
	CHECK(ks_db_next_part(w, p1) == KS_OK);
	add_text(w, "a-2", "Boliger", "Hjemløshed og boliger.", "Økonomiudvalget", 0);
	ks_db_close(w);
	ks_db *db = open_reader("apart-0");
	CHECK(db && !has_spelling(db, "strategi"));
	ks_db_close(db);
	db = open_reader("apart-spelling");
	uint32_t n = 1;
	CHECK(db && ks_db_doccount(db, &n) == KS_OK && n == 0);
	CHECK(db && has_spelling(db, "strategi") && has_spelling(db, "boliger"));
	ks_db_close(db);
	const char *parts[] = { p0, p1, apart };
	char *msg = NULL;
	CHECK(ks_db_compact(parts, 3, out, &msg) == KS_OK);
	free(msg);
	db = open_reader("apart");
	CHECK(db && ks_db_doccount(db, &n) == KS_OK && n == 2);
	CHECK(db && has_spelling(db, "strategi") && has_spelling(db, "hjemløshed"));
	CHECK(db && finds(db, "strategi", IDS("a-1")));
	ks_db_close(db);
	/* Not inside a transaction. */
	char p2[256], apart2[256];
	db_path(p2, sizeof p2, "apart-2");
	db_path(apart2, sizeof apart2, "apart-spelling-2");
	CHECK(ks_db_open_write(p2, KS_OPEN_FRESH, &w, NULL) == KS_OK);
	CHECK(ks_db_begin(w) == KS_OK);
	CHECK(ks_db_spelling_apart(w, apart2) == KS_ERR_INVALID);
	CHECK_CONTAINS(ks_db_error(w), "transaction");
	CHECK(ks_db_commit(w) == KS_OK);
	ks_db_close(w);
	CHECK(ks_db_spelling_apart(NULL, apart2) == KS_ERR_INVALID);
}

/* Writes RECORDS records of a file "f<k>" each into a fresh database at the
 * path named NAME, going on in a new part (compacted at the end) before
 * every file when PARTS; fills TERMS with each record's sample term. */
enum { SAMPLE_FILES = 3 };
static const int sample_records[SAMPLE_FILES] = { 40, 7, 25 };
static void write_samples(const char *name, bool parts, char terms[][16])
{
	char path[256], part[SAMPLE_FILES][256];
	const char *paths[SAMPLE_FILES];
	db_path(path, sizeof path, name);
	for (int f = 0; f < SAMPLE_FILES; f++) {
		char n[64];
		snprintf(n, sizeof n, "%s-%d", name, f);
		db_path(part[f], sizeof part[f], n);
		paths[f] = part[f];
	}
	char first[64];
	snprintf(first, sizeof first, "%s-0", name);
	ks_db *w = fresh_db(parts ? first : name);
	if (!w)
		return;
	int k = 0;
	for (int f = 0; f < SAMPLE_FILES; f++) {
		char file[8];
		snprintf(file, sizeof file, "f%d", f);
		if (parts && f)
			CHECK(ks_db_next_part(w, paths[f]) == KS_OK);
		for (int i = 0; i < sample_records[f]; i++, k++) {
			char id[32];
			snprintf(id, sizeof id, "r-%d", k);
			ks_doc *doc = NULL;
			CHECK(ks_doc_new(w, &doc) == KS_OK);
			if (!doc)
				break;
			CHECK(ks_doc_index_text(doc, KS_FIELD_BODY, "Tekst.", false) == KS_OK);
			CHECK(ks_doc_add_boolean(doc, KS_FIELD_ID, id) == KS_OK);
			CHECK(ks_doc_add_boolean(doc, KS_FIELD_FILE, file) == KS_OK);
			CHECK(ks_doc_set_data(doc, "{}") == KS_OK);
			CHECK(ks_db_replace(w, id, doc) == KS_OK);
			ks_doc_free(doc);
		}
	}
	CHECK(ks_db_flush(w) == KS_OK);
	ks_db_close(w);
	if (parts) {
		char *msg = NULL;
		CHECK(ks_db_compact(paths, SAMPLE_FILES, path, &msg) == KS_OK);
		free(msg);
	}
	ks_db *db = open_reader(name);
	if (!db)
		return;
	for (int i = 0; i < k; i++) {
		char id[32];
		snprintf(id, sizeof id, "r-%d", i);
		terms[i][0] = 0;
		for (int s = 0; s < KS_SAMPLES && !terms[i][0]; s++) {
			char term[16];
			snprintf(term, sizeof term, KS_PREFIX_SAMPLE "%d", s);
			if (has_term(db, id, term))
				snprintf(terms[i], sizeof terms[i], "%s", term);
		}
	}
	ks_db_close(db);
}

/* A record's sample (KS_SAMPLES): its file's records in runs of
 * KS_SAMPLE_RUN, each run in one sample, the same whether the index was
 * written in one go or in parts (by any number of writers). */
static void test_samples_in_runs(void)
{
	enum { RECORDS = 40 + 7 + 25 };
	char whole[RECORDS][16], parts[RECORDS][16];
	write_samples("samples-whole", false, whole);
	write_samples("samples-parts", true, parts);
	int k = 0, split = 0;
	for (int f = 0; f < SAMPLE_FILES; f++)
		for (int i = 0; i < sample_records[f]; i++, k++) {
			CHECK(whole[k][0] && !strcmp(whole[k], parts[k]));
			if (i % KS_SAMPLE_RUN)
				split += strcmp(whole[k], whole[k - 1]) != 0;
		}
	printf("# %d records of %d files: %d in another sample than the one before in their run\n",
	       RECORDS, SAMPLE_FILES, split);
	CHECK(split == 0);
}

/* A reader that fell behind a writer gets KS_ERR_MODIFIED, so that the
 * server can reopen and retry, and succeeds after reopening.  The tables
 * must have more than one level and the reader must not have read below
 * their roots yet: a block it already holds is never read again. */
static void test_modified(void)
{
	char path[256];
	db_path(path, sizeof path, "modified");
	ks_db *w = NULL;
	CHECK(ks_db_open_write(path, KS_OPEN_FRESH, &w, NULL) == KS_OK);
	if (!w)
		return;
	write_revision(w, 200, 0);
	ks_db *r = open_reader("modified");
	if (!r) {
		ks_db_close(w);
		return;
	}
	uint32_t n = 0;
	CHECK(ks_db_doccount(r, &n) == KS_OK && n == 7 + 200);
	/* Three revisions, each larger than the reader's, reuse its blocks. */
	for (int round = 1; round <= 3; round++)
		write_revision(w, 600, round);
	ks_query q = query_of("hjemløse");
	q.facets = true;
	ks_hits *hits = NULL;
	ks_status st = ks_db_query(r, &q, &hits);
	printf("# behind the writer: %s: %s\n", ks_status_str(st), ks_db_error(r));
	CHECK(st == KS_ERR_MODIFIED && hits == NULL);
	CHECK(ks_db_reopen(r, NULL) == KS_OK);
	CHECK(ks_db_query(r, &q, &hits) == KS_OK);
	CHECK(ks_hits_total(hits) == 3 + 600);
	ks_hits_free(hits);
	ks_db_close(r);
	ks_db_close(w);
}

int main(void)
{
	if (!fixtures_init())
		return 2;
	RUN(test_status_names);
	RUN(test_field_table);
	RUN(test_metadata);
	RUN(test_open_errors);
	RUN(test_transaction_discarded);
	RUN(test_next_part);
	RUN(test_flush_documents);
	RUN(test_spelling_apart);
	RUN(test_samples_in_runs);
	RUN(test_modified);
	fixtures_done();
	return check_summary();
}
