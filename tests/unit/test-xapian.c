/* test-xapian.c — the C binding over Xapian and the schema, through the C
 * API only: statuses, the field table, the query language as Xapian's query
 * descriptions (one line per case, as Omega's omegatest does it), opening,
 * locking and transactions, and searching with ks_db_query(): each filter,
 * the date orders, browsing, the case-number boost, facets, suggestions,
 * snippets and a reader that fell behind its writer.  The records searched
 * are indexed as the indexer indexes them (ks_index_record_into()). */
#include <ftw.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "index.h"
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

/* ---- ks_db_query: filters, sorting, the case-number boost, facets,
 * suggestions and snippets, over a database shaped as the indexer writes
 * it (see indexer/index.c). ---------------------------------------------- */

struct rec {
	const char *id, *type, *title, *body, *sag, *udvalg, *beslutning, *date, *year;
	int punkt;
	bool lukket;
};

/* Seven records: two meetings' items on one date each (so that punkt breaks
 * the tie), a closed item (no text, no decision), an item that names a
 * case number more often than the case's own items do, an item with HTML in
 * its text, and two budget sections without a date.  Inserted out of order,
 * so that no expected order is merely the order of document ids. */
static const struct rec records[] = {
	{ "m1-3", "punkt", "Hjemløsestrategi", "En strategi mod hjemløshed i kommunen.",
	  "25-002452", "Direktionen", "Anbefales", "20250303", "2025", 3, false },
	{ "m1-1", "punkt", "Budgetopfølgning", "Budgettet for 2025 og hjemløse borgere.",
	  "24-000100", "Direktionen", "Taget til efterretning", "20250303", "2025", 1, false },
	{ "m2-5", "punkt", "Orientering om 25-002452",
	  "Sagen 25-002452 nævnes her: 25-002452, 25-002452 og 25-002452 igen.", "23-111111",
	  "Økonomiudvalget", "Taget til efterretning", "20240115", "2024", 5, false },
	{ "m2-2", "punkt", "Forlængelse af forsikringsaftale", "Hemmeligt beløb.", "25-002452",
	  "Økonomiudvalget", "Anbefales", "20240115", "2024", 2, true },
	{ "m3-1", "punkt", "Anlægsprojekter",
	  "Renovering af skoler <script>alert(1)</script> & \"citat\" til sidst.", "21-046835K",
	  "Økonomiudvalget", "Anbefales", "20231231", "2023", 1, false },
	{ "b-2", "budget", "Brandvæsen", "Beredskab og brandvæsen.", NULL, "Økonomiudvalget", NULL,
	  NULL, "2024", 2, false },
	{ "b-1", "budget", "Jobcenter", "Beskæftigelsesindsatsen og hjemløse i jobcenteret.", NULL,
	  "Økonomiudvalget", NULL, NULL, "2024", 1, false },
};

/* A copy of S, or NULL for NULL. */
static char *copy(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* Indexes R as the indexer does (ks_index_record_into()): a closed item
 * gives its title, its case number, its committee and the structural terms
 * and values, but no text and no decision.  Its body is the Sagsfremstilling
 * (the background text); its date "YYYYMMDD" is the record's "YYYY-MM-DD". */
static void add_record(ks_db *db, const struct rec *r)
{
	ks_record k = {
		.id = copy(r->id),
		.type = strcmp(r->type, "budget") ? KS_RECORD_PUNKT : KS_RECORD_BUDGET,
		.title = copy(r->title),
		.sagsnummer = copy(r->sag),
		.lukket = r->lukket,
		.year = atoi(r->year),
		.udvalg = copy(r->udvalg),
		.punkt = r->punkt,
		.beslutning = copy(r->beslutning),
	};
	k.sections[KS_SEC_SAGSFREMSTILLING] = copy(r->body);
	if (r->date)
		snprintf(k.date, sizeof k.date, "%.4s-%.2s-%.2s", r->date, r->date + 4,
			 r->date + 6);
	CHECK(ks_index_record_into(db, db, &k, "0000000000000001") == KS_OK);
	ks_record_clear(&k);
}

/* The records above in a fresh database NAME, opened for reading. */
static ks_db *records_db(const char *name)
{
	char path[256];
	db_path(path, sizeof path, name);
	ks_db *w = NULL;
	CHECK(ks_db_open_write(path, KS_OPEN_FRESH, &w, NULL) == KS_OK);
	if (!w)
		return NULL;
	for (size_t i = 0; i < sizeof records / sizeof *records; i++)
		add_record(w, &records[i]);
	CHECK(ks_db_flush(w) == KS_OK);
	ks_db_close(w);
	return open_reader(name);
}

/* The database of records(), made once and shared by the tests below. */
static ks_db *records_reader;

/* A query that asks for nothing: blank q, no filter, relevance order. */
static ks_query query_of(const char *q)
{
	ks_query query = { .q = q, .lukket = -1, .sort = KS_SORT_RELEVANCE, .count = 20 };
	return query;
}

/* Whether QUERY finds exactly IDS (NULL-terminated), in that order. */
static bool query_finds(const ks_query *query, const char *const *ids)
{
	ks_hits *hits = NULL;
	ks_status st = ks_db_query(records_reader, query, &hits);
	bool ok = st == KS_OK;
	size_t n = 0;
	for (; ok && ids[n]; n++)
		ok = ks_hits_id(hits, n) && !strcmp(ks_hits_id(hits, n), ids[n]);
	ok = ok && ks_hits_size(hits) == n;
	if (!ok) {
		fprintf(stderr, "query \"%s\": %s %s:", query->q ? query->q : "(null)",
			ks_status_str(st), ks_db_error(records_reader));
		for (size_t i = 0; i < ks_hits_size(hits); i++)
			fprintf(stderr, " %s", ks_hits_id(hits, i));
		fprintf(stderr, "\n");
	}
	ks_hits_free(hits);
	return ok;
}

/* The id of the first hit of QUERY and the number of hits, in *FIRST (a
 * buffer of 32) and *N. */
static void first_hit(const ks_query *query, char *first, size_t *n)
{
	ks_hits *hits = NULL;
	first[0] = '\0';
	*n = 0;
	CHECK(ks_db_query(records_reader, query, &hits) == KS_OK);
	if (ks_hits_size(hits))
		snprintf(first, 32, "%s", ks_hits_id(hits, 0));
	*n = ks_hits_size(hits);
	ks_hits_free(hits);
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

/* Whether facet F of HITS is exactly the value/count pairs WANT (a
 * NULL-terminated list of "value=count"). */
static bool facet_is(const ks_hits *hits, ks_facet f, const char *const *want)
{
	size_t n = 0;
	bool ok = true;
	for (; want[n]; n++) {
		const char *value = NULL;
		uint32_t count = 0;
		char got[128] = "";
		if (ks_hits_facet(hits, f, n, &value, &count))
			snprintf(got, sizeof got, "%s=%u", value, (unsigned)count);
		if (strcmp(got, want[n])) {
			fprintf(stderr, "facet %s[%zu]: got %s, want %s\n", ks_facet_name(f), n,
				got, want[n]);
			ok = false;
		}
	}
	if (ks_hits_facet_size(hits, f) != n) {
		fprintf(stderr, "facet %s: %zu values, want %zu\n", ks_facet_name(f),
			ks_hits_facet_size(hits, f), n);
		ok = false;
	}
	return ok;
}

static void test_facets(void)
{
	CHECK_STR(ks_facet_name(KS_FACET_TYPE), "type");
	CHECK_STR(ks_facet_name(KS_FACET_UDVALG), "udvalg");
	CHECK_STR(ks_facet_name(KS_FACET_YEAR), "year");
	CHECK_STR(ks_facet_name(KS_FACET_BESLUTNING), "beslutning");
	CHECK(ks_facet_name(KS_FACET_COUNT) == NULL);
	CHECK(ks_facet_name((ks_facet)-1) == NULL);

	/* Counted over the whole match set, not the page: most frequent first,
	 * ties by value; the closed item counts for its committee, not for
	 * any decision. */
	ks_query q = query_of(NULL);
	q.facets = true;
	q.count = 1;
	ks_hits *hits = NULL;
	CHECK(ks_db_query(records_reader, &q, &hits) == KS_OK);
	CHECK(ks_hits_size(hits) == 1 && ks_hits_total(hits) == 7);
	CHECK(facet_is(hits, KS_FACET_TYPE, IDS("punkt=5", "budget=2")));
	CHECK(facet_is(hits, KS_FACET_UDVALG, IDS("Økonomiudvalget=5", "Direktionen=2")));
	CHECK(facet_is(hits, KS_FACET_YEAR, IDS("2024=4", "2025=2", "2023=1")));
	CHECK(facet_is(hits, KS_FACET_BESLUTNING, IDS("Anbefales=2", "Taget til efterretning=2")));
	/* Out of range. */
	const char *value = "untouched";
	uint32_t count = 99;
	CHECK(!ks_hits_facet(hits, KS_FACET_TYPE, 2, &value, &count));
	CHECK(!ks_hits_facet(hits, KS_FACET_COUNT, 0, &value, &count));
	CHECK(!ks_hits_facet(hits, (ks_facet)-1, 0, &value, &count));
	CHECK(!strcmp(value, "untouched") && count == 99);
	CHECK(ks_hits_facet_size(hits, KS_FACET_COUNT) == 0);
	CHECK(ks_hits_facet_size(NULL, KS_FACET_TYPE) == 0);
	CHECK(!ks_hits_facet(NULL, KS_FACET_TYPE, 0, &value, &count));
	ks_hits_free(hits);

	/* A query and a filter narrow the counts; the total is exact even
	 * when the page is empty. */
	q = query_of("hjemløse");
	q.facets = true;
	q.count = 0;
	q.udvalg = "Direktionen";
	hits = NULL;
	CHECK(ks_db_query(records_reader, &q, &hits) == KS_OK);
	CHECK(ks_hits_size(hits) == 0 && ks_hits_total(hits) == 2);
	CHECK(facet_is(hits, KS_FACET_TYPE, IDS("punkt=2")));
	CHECK(facet_is(hits, KS_FACET_UDVALG, IDS("Direktionen=2")));
	CHECK(facet_is(hits, KS_FACET_YEAR, IDS("2025=2")));
	CHECK(facet_is(hits, KS_FACET_BESLUTNING, IDS("Anbefales=1", "Taget til efterretning=1")));
	ks_hits_free(hits);

	/* Not asked for: none. */
	q = query_of(NULL);
	hits = NULL;
	CHECK(ks_db_query(records_reader, &q, &hits) == KS_OK);
	for (int f = 0; f < KS_FACET_COUNT; f++)
		CHECK(ks_hits_facet_size(hits, (ks_facet)f) == 0);
	ks_hits_free(hits);
}

/* The suggestion for Q (with the udvalg filter UDVALG), malloc'd or NULL. */
static char *suggestion_for(const char *q, const char *udvalg, bool suggest)
{
	ks_query query = query_of(q);
	query.suggest_below = suggest ? 5 : 0;
	query.udvalg = udvalg;
	ks_hits *hits = NULL;
	CHECK(ks_db_query(records_reader, &query, &hits) == KS_OK);
	const char *s = ks_hits_suggestion(hits);
	char *copy = s ? strdup(s) : NULL;
	ks_hits_free(hits);
	return copy;
}

static void test_suggestion(void)
{
	static const struct {
		const char *q, *udvalg;
		bool suggest;
		const char *want;
	} cases[] = {
		{ "hjemløshd", NULL, true, "hjemløshed" },
		{ "strategi hjemløshd", NULL, true, "strategi hjemløshed" },
		/* for the user's words, not for the filters */
		{ "hjemløshd", "Direktionen", true, "hjemløshed" },
		{ "hjemløshd", NULL, false, NULL },
		/* Xapian 1.4 would offer "hjemløse" for these words of the index */
		{ "hjemløshed", NULL, true, NULL },
		{ "hjemløse", NULL, true, NULL },
		{ "hjemløse hjemløshd", NULL, true, "hjemløse hjemløshed" },
		/* a malformed query is corrected as the words it is read as */
		{ "hjemløshd AND", NULL, true, "hjemløshed" },
		{ "Hjemløshed", NULL, true, NULL },
		{ "25-002452", NULL, true, NULL },
		{ "", NULL, true, NULL },
	};
	/* Only a search that finds fewer than suggest_below gets one: the
	 * misspelt word next to a found one, with a threshold below and above
	 * the number of matches. */
	ks_query query = query_of("hjemløshd OR hjemløse");
	ks_hits *hits = NULL;
	CHECK(ks_db_query(records_reader, &query, &hits) == KS_OK);
	uint32_t found = ks_hits_total(hits);
	CHECK(found > 0);
	ks_hits_free(hits);
	query.suggest_below = found;
	CHECK(ks_db_query(records_reader, &query, &hits) == KS_OK);
	CHECK(ks_hits_suggestion(hits) == NULL);
	ks_hits_free(hits);
	query.suggest_below = found + 1;
	CHECK(ks_db_query(records_reader, &query, &hits) == KS_OK);
	CHECK_STR(ks_hits_suggestion(hits), "hjemløshed OR hjemløse");
	ks_hits_free(hits);

	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char *got = suggestion_for(cases[i].q, cases[i].udvalg, cases[i].suggest);
		printf("# suggestion for \"%s\": %s\n", cases[i].q, got ? got : "(null)");
		CHECK_STR(got, cases[i].want);
		free(got);
	}
}

/* The snippet of TEXT for the first hit of Q, malloc'd or NULL. */
static char *snippet_for(const char *q, const char *text, size_t length)
{
	ks_query query = query_of(q);
	ks_hits *hits = NULL;
	char *out = NULL;
	CHECK(ks_db_query(records_reader, &query, &hits) == KS_OK);
	CHECK(ks_hits_size(hits) > 0);
	CHECK(ks_hits_snippet(hits, 0, text, length, &out) == KS_OK);
	ks_hits_free(hits);
	return out;
}

static void test_snippet(void)
{
	const char *html = records[4].body;
	char *s = snippet_for("renovering", html, 200);
	printf("# snippet: %s\n", s ? s : "(null)");
	CHECK_CONTAINS(s, "<mark>Renovering</mark> af skoler");
	/* Xapian escapes the text: no markup but the marks gets through. */
	CHECK_CONTAINS(s, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; ");
	CHECK_CONTAINS(s, "&quot;citat&quot;");
	CHECK_LACKS(s, "<script");
	CHECK_LACKS(s, "& ");
	CHECK_LACKS(s, "\"");
	free(s);

	/* Stemmed matches are marked too: "hjemløshed" finds "hjemløse". */
	s = snippet_for("hjemløshed", records[1].body, 200);
	CHECK_STR(s, "Budgettet for 2025 og <mark>hjemløse</mark> borgere.");
	free(s);

	/* A long text is cut around the match, the cuts marked. */
	char text[2048] = "";
	for (int i = 0; i < 30; i++)
		strcat(text, "Fyldord uden betydning for noget som helst. ");
	strcat(text, "Her er renovering af skoler. ");
	for (int i = 0; i < 10; i++)
		strcat(text, "Mere fyld bagefter. ");
	s = snippet_for("renovering", text, 60);
	printf("# cut snippet: %s\n", s ? s : "(null)");
	CHECK_CONTAINS(s, "<mark>renovering</mark>");
	CHECK_CONTAINS(s, "…");
	CHECK(s && strlen(s) < 60 + 2 * strlen("<mark></mark>") + 2 * strlen("…"));
	free(s);

	/* No word matched (or a browse): the start of the text, cut at a
	 * blank or else at a character boundary, escaped the same way. */
	static const struct {
		const char *q, *text;
		size_t length;
		const char *want;
	} starts[] = {
		{ "renovering", "Intet her matcher. Men teksten fortsætter.", 18,
		  "Intet her matcher.…" },
		{ "renovering", "Intet her matcher. Men teksten fortsætter.", 22,
		  "Intet her matcher. Men…" },
		{ "renovering", "Intet 'her' & <b>der</b>", 100,
		  "Intet &#39;her&#39; &amp; &lt;b&gt;der&lt;/b&gt;" },
		{ "renovering", "Ææææ ø", 3, "Æ…" },
		{ "renovering", "", 10, "" },
		{ "", "Ingen søgning <b>her</b>.", 100, "Ingen søgning &lt;b&gt;her&lt;/b&gt;." },
		{ "", "Ingen søgning <b>her</b>.", 9, "Ingen…" },
	};
	for (size_t i = 0; i < sizeof starts / sizeof *starts; i++) {
		s = snippet_for(starts[i].q, starts[i].text, starts[i].length);
		CHECK_STR(s, starts[i].want);
		free(s);
	}
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

/* Writes the records and N filler documents into W and commits. */
static void write_revision(ks_db *w, int n, int round)
{
	for (size_t i = 0; i < sizeof records / sizeof *records; i++)
		add_record(w, &records[i]);
	for (int i = 0; i < n; i++) {
		char id[32], body[256];
		snprintf(id, sizeof id, "f-%d", i);
		snprintf(body, sizeof body,
			 "Fyld %d i runde %d: hjemløse ord%d ord%d ord%d og flere ord%d.", i, round,
			 i, i + round, i * round, i % 7);
		struct rec r = { id,   "punkt", "Fyld", body, NULL, "Udvalget",
				 NULL, NULL,    "2020", i,    false };
		add_record(w, &r);
	}
	CHECK(ks_db_flush(w) == KS_OK);
}

/* ---- word forms, synonyms and amounts ------------------------------------ */

/* Writes TEXT to the file NAME in the test directory; its path into PATH. */
static void write_file(char *path, size_t size, const char *name, const char *text)
{
	db_path(path, size, name);
	FILE *f = fopen(path, "w");
	CHECK(f != NULL);
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

struct term_search {
	const char *term;
	bool found;
};

static int find_term(const char *term, void *arg)
{
	struct term_search *t = arg;
	t->found |= !strcmp(term, t->term);
	return 0;
}

/* Whether the document ID of DB has TERM. */
static bool has_term(ks_db *db, const char *id, const char *term)
{
	struct term_search t = { term, false };
	CHECK(ks_db_each_term(db, id, find_term, &t) == KS_OK);
	return t.found;
}

static int find_spelling(const char *word, void *arg)
{
	return find_term(word, arg);
}

static bool has_spelling(ks_db *db, const char *word)
{
	struct term_search t = { word, false };
	CHECK(ks_db_each_spelling(db, find_spelling, &t) == KS_OK);
	return t.found;
}

/* Indexes a record of TITLE and BODY as ID (with UDVALG as its facet value
 * and AMOUNT, when not 0, as its nettobudget). */
static void add_text(ks_db *db, const char *id, const char *title, const char *body,
		     const char *udvalg, double amount)
{
	ks_doc *doc = NULL;
	CHECK(ks_doc_new(db, &doc) == KS_OK);
	if (!doc)
		return;
	CHECK(ks_doc_index_text(doc, KS_FIELD_TITLE, title, true) == KS_OK);
	CHECK(ks_doc_index_text(doc, KS_FIELD_BODY, body, true) == KS_OK);
	CHECK(ks_doc_add_boolean(doc, KS_FIELD_ID, id) == KS_OK);
	CHECK(ks_doc_set_value(doc, KS_SLOT_UDVALG, udvalg) == KS_OK);
	if (amount)
		CHECK(ks_doc_set_number(doc, KS_SLOT_NETTOBUDGET, amount) == KS_OK);
	char data[64];
	snprintf(data, sizeof data, "{\"id\":\"%s\"}", id);
	CHECK(ks_doc_set_data(doc, data) == KS_OK);
	CHECK(ks_db_replace(db, id, doc) == KS_OK);
	ks_doc_free(doc);
}

/* A database of texts with compounds, synonyms and amounts, indexed with a
 * small word list of its own (not the system's, so that the splits are
 * the test's). */
static ks_db *words_db(void)
{
	char path[256], words[256], synonyms[256];
	write_file(words, sizeof words, "words.txt",
		   "strategi\nhjemløse\nløn\nfremskrevet\nområdet\nfamilie\nsikring\nkystsikring\n"
		   "beredskab\nplaner\n");
	write_file(synonyms, sizeof synonyms, "synonyms.txt",
		   "# abbreviations\n\nKB = kommunalbestyrelsen\n"
		   "KL = Kommunernes Landsforening  # the association\n");
	db_path(path, sizeof path, "words");
	ks_db *w = NULL;
	CHECK(ks_db_open_write(path, KS_OPEN_FRESH, &w, NULL) == KS_OK);
	if (!w)
		return NULL;
	CHECK(ks_db_load_words(w, words) == KS_OK);
	CHECK(ks_db_set_synonyms(w, synonyms) == KS_OK);
	add_text(w, "w-1", "Hjemløsestrategi",
		 "Pris- og lønfremskrevet budget for Børn- og Familieområdet. Forsikring mod "
		 "hjemløshed i Åbenrå.",
		 "Økonomiudvalget", 50190100);
	add_text(w, "w-2", "Strategi", "En ny strategi for beredskabsplaner i Aabenraa.",
		 "Zoneudvalget", 10000000);
	add_text(w, "w-3", "Sagen sendes til KB", "KL har udsendt en vejledning.", "Æbleudvalget",
		 5000000);
	add_text(w, "w-4", "Kommunalbestyrelsens møde",
		 "Kommunernes Landsforening udsender en vejledning.", "Åbenråudvalget", 0);
	CHECK(ks_db_flush(w) == KS_OK);

	/* Bad synonym files: named with the line, or not found. */
	write_file(synonyms, sizeof synonyms, "bad-synonyms.txt", "KB = kommunalbestyrelsen\nKL\n");
	CHECK(ks_db_set_synonyms(w, synonyms) == KS_ERR_INVALID);
	CHECK_CONTAINS(ks_db_error(w), "bad-synonyms.txt:2: ");
	CHECK(ks_db_set_synonyms(w, "/nonexistent/synonyms.txt") == KS_ERR_NOT_FOUND);
	CHECK(ks_db_load_words(w, "/nonexistent/words") == KS_ERR_NOT_FOUND);
	CHECK_CONTAINS(ks_db_error(w), "/nonexistent/words");
	ks_db_close(w);
	return open_reader("words");
}

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
	/* An inflected member in lower case (Xapian stems no capitalised
	 * word, so "Kommunalbestyrelsens" is looked up as it is). */
	static const char *const kb[] = { "KB", "kommunalbestyrelsen", "kommunalbestyrelsens" };
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
	CHECK(has_term(db, "p-2", "hjemløse") && has_term(db, "p-2", "strategi"));
	CHECK(has_term(db, "p-2", "XSYkb"));
	CHECK(finds(db, "kommunalbestyrelsen", IDS("p-2")));
	CHECK(finds(db, "strategi", IDS("p-1", "p-2")) || finds(db, "strategi", IDS("p-2", "p-1")));
	CHECK(has_spelling(db, "strategi") && has_spelling(db, "hjemløsestrategi"));
	ks_db_close(db);
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

/* Facet counts past ks_query.facets_exact matches: Xapian checks that many
 * (and stops when no other can reach the page), the counts seen are scaled
 * up to its estimate of the match set, and the hits say so. */
static void test_facets_estimated(void)
{
	char path[256];
	db_path(path, sizeof path, "estimated");
	ks_db *w = NULL;
	CHECK(ks_db_open_write(path, KS_OPEN_FRESH, &w, NULL) == KS_OK);
	if (!w)
		return;
	enum { DOCS = 400 };
	for (int i = 0; i < DOCS; i++) {
		/* "budget" 1 to 7 times among 0 to 40 other words: weights
		 * that differ, so that most documents cannot reach the top. */
		char body[1024] = "", id[32];
		for (int k = 0; k <= i % 7; k++)
			strcat(body, "budget ");
		for (int k = 0; k < (i * 13) % 41; k++)
			strcat(body, k % 2 ? "kommune " : "plan ");
		snprintf(id, sizeof id, "e-%d", i);
		ks_doc *doc = NULL;
		CHECK(ks_doc_new(w, &doc) == KS_OK);
		if (!doc)
			break;
		CHECK(ks_doc_index_text(doc, KS_FIELD_BODY, body, false) == KS_OK);
		CHECK(ks_doc_add_boolean(doc, KS_FIELD_ID, id) == KS_OK);
		CHECK(ks_doc_set_value(doc, KS_SLOT_TYPE, i % 4 ? "punkt" : "budget") == KS_OK);
		CHECK(ks_doc_set_data(doc, "{}") == KS_OK);
		CHECK(ks_db_replace(w, id, doc) == KS_OK);
		ks_doc_free(doc);
	}
	CHECK(ks_db_flush(w) == KS_OK);
	ks_db_close(w);
	ks_db *r = open_reader("estimated");
	if (!r)
		return;

	/* Under the limit (KS_FACETS_EXACT by default): exact. */
	ks_query q = query_of("budget");
	q.facets = true;
	q.count = 10;
	ks_hits *hits = NULL;
	CHECK(ks_db_query(r, &q, &hits) == KS_OK);
	CHECK(ks_hits_total(hits) == DOCS && !ks_hits_facets_estimated(hits));
	CHECK(facet_is(hits, KS_FACET_TYPE, IDS("punkt=300", "budget=100")));
	ks_hits_free(hits);
	q.facets_exact = DOCS;
	CHECK(ks_db_query(r, &q, &hits) == KS_OK);
	CHECK(ks_hits_total(hits) == DOCS && !ks_hits_facets_estimated(hits));
	ks_hits_free(hits);

	/* Over it: estimated, the counts scaled to the estimated total (each
	 * rounded), the ten best hits the same. */
	q.facets_exact = 20;
	hits = NULL;
	CHECK(ks_db_query(r, &q, &hits) == KS_OK);
	CHECK(ks_hits_facets_estimated(hits));
	CHECK(ks_hits_size(hits) == 10);
	uint32_t sum = 0, count = 0;
	const char *value;
	for (size_t i = 0; ks_hits_facet(hits, KS_FACET_TYPE, i, &value, &count); i++)
		sum += count;
	printf("# facets past 20 of %d matches: total %u, type facet sums to %u, %zu values\n",
	       DOCS, ks_hits_total(hits), sum, ks_hits_facet_size(hits, KS_FACET_TYPE));
	CHECK(ks_hits_total(hits) > 20 && sum + 2 >= ks_hits_total(hits) &&
	      sum <= ks_hits_total(hits) + 2);
	ks_hits_free(hits);
	ks_db_close(r);
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
		char body[64], id[32], data[64];
		snprintf(body, sizeof body, "fælles zqx%04d", i % WORDS);
		snprintf(id, sizeof id, "c-%d", i);
		snprintf(data, sizeof data, "{\"id\":\"%s\"}", id);
		ks_doc *doc = NULL;
		CHECK(ks_doc_new(w, &doc) == KS_OK);
		if (!doc)
			break;
		CHECK(ks_doc_index_text(doc, KS_FIELD_BODY, body, false) == KS_OK);
		CHECK(ks_doc_add_boolean(doc, KS_FIELD_ID, id) == KS_OK);
		CHECK(ks_doc_set_data(doc, data) == KS_OK);
		CHECK(ks_db_replace(w, id, doc) == KS_OK);
		ks_doc_free(doc);
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
		RUN(test_facets);
		RUN(test_facets_estimated);
		RUN(test_suggestion);
		RUN(test_snippet);
		RUN(test_out_of_range);
		RUN(test_malformed_with_filters);
		ks_db_close(records_reader);
	}
	RUN(test_word_forms);
	RUN(test_synonyms);
	RUN(test_next_part);
	RUN(test_amounts_and_order);
	RUN(test_query_cost);
	RUN(test_modified);
	nftw(tmpdir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	return check_summary();
}
