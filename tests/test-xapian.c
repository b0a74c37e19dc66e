/* test-xapian.c — the C binding over Xapian and the schema, through the C
 * API only: statuses, the field table, the query language as Xapian's query
 * descriptions (one line per case, as Omega's omegatest does it), opening,
 * locking and transactions. */
#include <ftw.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "ks-xapian.h"

static char tmpdir[] = "/tmp/ks-test-xapian-XXXXXX";

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

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

static void test_field_table(void)
{
	for (int i = 0; i < KS_FIELD_COUNT; i++) {
		CHECK(ks_fields[i].id == (ks_field_id)i);
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
	CHECK(ks_field_by_name("titel") == &ks_fields[KS_FIELD_TITLE]);
	CHECK(ks_field_by_name("år") == &ks_fields[KS_FIELD_YEAR]);
	CHECK(ks_field_by_name("nope") == NULL);
	CHECK(ks_field_by_name(NULL) == NULL);
}

/* A value longer than any term may be: 1 + 2 * 150 bytes ("x" and 150
 * times "å"), so that the cut lands in the middle of a character. */
static const char *long_udvalg(void)
{
	static char buf[302];
	if (!buf[0]) {
		buf[0] = 'x';
		for (int i = 0; i < 150; i++)
			memcpy(buf + 1 + 2 * i, "\xc3\xa5", 2);
	}
	return buf;
}

static void db_path(char *path, size_t size, const char *name)
{
	snprintf(path, size, "%s/%s", tmpdir, name);
}

/* A small database of two documents, written by a transaction (as the
 * indexer updates an index) or by a flush (as it builds a fresh one). */
static ks_db *make_db(const char *name, bool transaction)
{
	char path[256];
	db_path(path, sizeof path, name);
	ks_db *db = NULL;
	char *msg = NULL;
	CHECK(ks_db_open_write(path, KS_OPEN_FRESH, &db, &msg) == KS_OK);
	free(msg);
	if (!db)
		return NULL;
	static const struct {
		const char *id, *title, *body, *sag, *udvalg, *date, *data;
	} docs[] = {
		{ "a-1", "Beslutning om hjemløsestrategi",
		  "Kalundborg Kommune har udviklet en hjemløsestrategi mod hjemløshed.",
		  "21-046835K", "Økonomiudvalget", "20251117", "{\"id\":\"a-1\"}" },
		{ "b-2", "Budgetopfølgning", "Hjemløse borgere og budgettet for 2025.", "25-002452",
		  "Direktionen", "20240101", "{\"id\":\"b-2\"}" },
	};
	if (transaction)
		CHECK(ks_db_begin(db) == KS_OK);
	for (size_t i = 0; i < sizeof docs / sizeof *docs; i++) {
		ks_doc *doc = NULL;
		CHECK(ks_doc_new(db, &doc) == KS_OK);
		CHECK(ks_doc_index_text(doc, KS_FIELD_TITLE, docs[i].title, true) == KS_OK);
		CHECK(ks_doc_index_text(doc, KS_FIELD_BODY, docs[i].body, true) == KS_OK);
		CHECK(ks_doc_add_boolean(doc, KS_FIELD_ID, docs[i].id) == KS_OK);
		CHECK(ks_doc_add_boolean(doc, KS_FIELD_SAG, docs[i].sag) == KS_OK);
		CHECK(ks_doc_add_boolean(doc, KS_FIELD_UDVALG, docs[i].udvalg) == KS_OK);
		CHECK(ks_doc_set_value(doc, KS_SLOT_DATE, docs[i].date) == KS_OK);
		CHECK(ks_doc_set_data(doc, docs[i].data) == KS_OK);
		if (i == 1)
			CHECK(ks_doc_add_boolean(doc, KS_FIELD_UDVALG, long_udvalg()) == KS_OK);
		/* Wrong kinds of field are refused, not indexed. */
		CHECK(ks_doc_add_boolean(doc, KS_FIELD_BODY, "x") == KS_ERR_INVALID);
		CHECK(ks_doc_index_text(doc, KS_FIELD_SAG, "x", false) == KS_ERR_INVALID);
		CHECK_STR(ks_db_error(db), "not a free-text field");
		CHECK(ks_doc_add_boolean(doc, KS_FIELD_COUNT, "x") == KS_ERR_INVALID);
		CHECK(ks_db_replace(db, docs[i].id, doc) == KS_OK);
		CHECK_STR(ks_db_error(db), "");
		ks_doc_free(doc);
	}
	CHECK(transaction ? ks_db_commit(db) == KS_OK : ks_db_flush(db) == KS_OK);
	return db;
}

/* A reader of the database NAME; NULL (and a failed check) if it fails. */
static ks_db *open_reader(const char *name)
{
	char path[256];
	db_path(path, sizeof path, name);
	const char *paths[] = { path };
	ks_db *db = NULL;
	char *msg = NULL;
	ks_status st = ks_db_open_read(paths, 1, &db, &msg);
	CHECK(st == KS_OK && msg == NULL);
	if (st)
		fprintf(stderr, "open %s: %s: %s\n", path, ks_status_str(st), msg ? msg : "");
	free(msg);
	return db;
}

static void test_query_descriptions(void)
{
	ks_db *db = make_db("queries", false);
	if (!db)
		return;
	static const struct {
		const char *query, *description;
	} cases[] = {
		{ "hjemløshed", "Query(Zhjemløs@1)" },
		{ "Hjemløshed", "Query(hjemløshed@1)" },
		{ "\"hjemløse borgere\"", "Query((hjemløse@1 PHRASE 2 borgere@2))" },
		{ "budget hjemløse", "Query((Zbudg@1 AND Zhjemløs@2))" },
		{ "budget OR hjemløse", "Query((Zbudg@1 OR Zhjemløs@2))" },
		{ "budget -hjemløse", "Query((Zbudg@1 AND_NOT Zhjemløs@2))" },
		{ "budget NOT hjemløse", "Query((Zbudg@1 AND_NOT Zhjemløs@2))" },
		{ "NOT hjemløse", "Query((<alldocuments> AND_NOT Zhjemløs@1))" },
		{ "hjemløs*", "Query(WILDCARD SYNONYM hjemløs)" },
		{ "titel:budget", "Query(ZSbudg@1)" },
		{ "titel:budget sag:25-002452", "Query((ZSbudg@1 FILTER XSAG25-002452))" },
		{ "sag:21-046835K", "Query(0 * XSAG21-046835k)" },
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
	ks_db_close(db);
}

/* Whether a search for Q finds exactly the documents IDS (a NULL-terminated
 * list, in order). */
static bool finds(ks_db *db, const char *q, const char *const *ids)
{
	ks_hits *hits = NULL;
	ks_status st = ks_db_search(db, q, 0, 10, &hits);
	bool ok = st == KS_OK;
	size_t n = 0;
	for (; ok && ids[n]; n++)
		ok = ks_hits_id(hits, n) && !strcmp(ks_hits_id(hits, n), ids[n]);
	ok = ok && ks_hits_size(hits) == n && ks_hits_total(hits) == n;
	if (!ok) {
		fprintf(stderr, "search %s: %s:", q, ks_status_str(st));
		for (size_t i = 0; i < ks_hits_size(hits); i++)
			fprintf(stderr, " %s", ks_hits_id(hits, i));
		fprintf(stderr, "\n");
	}
	ks_hits_free(hits);
	return ok;
}

#define IDS(...) ((const char *const[]){ __VA_ARGS__, NULL })
#define NO_IDS   ((const char *const[]){ NULL })

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

int main(void)
{
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 2;
	}
	RUN(test_status_names);
	RUN(test_field_table);
	RUN(test_query_descriptions);
	RUN(test_search);
	RUN(test_metadata);
	RUN(test_open_errors);
	RUN(test_transaction_discarded);
	nftw(tmpdir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	return check_summary();
}
