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

/* A small database: two documents. */
static ks_db *make_db(const char *name)
{
	char path[256];
	snprintf(path, sizeof path, "%s/%s", tmpdir, name);
	ks_db *db = NULL;
	char *msg = NULL;
	CHECK(ks_db_open_write(path, KS_OPEN_FRESH, &db, &msg) == KS_OK);
	free(msg);
	if (!db)
		return NULL;
	static const struct {
		const char *id, *title, *body, *sag, *udvalg, *date;
	} docs[] = {
		{ "a-1", "Beslutning om hjemløsestrategi",
		  "Kalundborg Kommune har udviklet en hjemløsestrategi mod hjemløshed.",
		  "21-046835K", "Økonomiudvalget", "20251117" },
		{ "b-2", "Budgetopfølgning", "Hjemløse borgere og budgettet for 2025.", "25-002452",
		  "Direktionen", "20240101" },
	};
	for (size_t i = 0; i < sizeof docs / sizeof *docs; i++) {
		ks_doc *doc = NULL;
		CHECK(ks_doc_new(db, &doc) == KS_OK);
		CHECK(ks_doc_index_text(doc, KS_FIELD_TITLE, docs[i].title, true) == KS_OK);
		CHECK(ks_doc_index_text(doc, KS_FIELD_BODY, docs[i].body, true) == KS_OK);
		CHECK(ks_doc_add_boolean(doc, KS_FIELD_ID, docs[i].id) == KS_OK);
		CHECK(ks_doc_add_boolean(doc, KS_FIELD_SAG, docs[i].sag) == KS_OK);
		CHECK(ks_doc_add_boolean(doc, KS_FIELD_UDVALG, docs[i].udvalg) == KS_OK);
		CHECK(ks_doc_set_value(doc, KS_SLOT_DATE, docs[i].date) == KS_OK);
		CHECK(ks_doc_set_data(doc, docs[i].id) == KS_OK);
		/* Wrong kinds of field are refused, not indexed. */
		CHECK(ks_doc_add_boolean(doc, KS_FIELD_BODY, "x") == KS_ERR_INVALID);
		CHECK(ks_doc_index_text(doc, KS_FIELD_SAG, "x", false) == KS_ERR_INVALID);
		CHECK(ks_db_replace(db, docs[i].id, doc) == KS_OK);
		ks_doc_free(doc);
	}
	CHECK(ks_db_flush(db) == KS_OK);
	return db;
}

static void test_query_descriptions(void)
{
	ks_db *db = make_db("queries");
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
		{ "hjemløs*", "Query(WILDCARD SYNONYM hjemløs)" },
		{ "titel:budget", "Query(ZSbudg@1)" },
		{ "sag:21-046835K", "Query(0 * XSAG21-046835k)" },
		{ "udvalg:Økonomiudvalget", "Query(0 * XUDVøkonomiudvalget)" },
		{ "år:2025 budget", "Query((Zbudg@1 FILTER Y2025))" },
		{ "type:budget", "Query(0 * XTYPEbudget)" },
		/* Malformed queries are answered as plain words. */
		{ "\"hjemløse borgere", "Query((hjemløse@1 PHRASE 2 borgere@2))" },
		{ "budget AND", "Query(Zbudg@1)" },
		{ "OR budget NOT", "Query(Zbudg@1)" },
		{ "(budget", "Query(Zbudg@1)" },
		{ "", "Query()" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char *got = NULL;
		CHECK(ks_db_describe_query(db, cases[i].query, &got) == KS_OK);
		printf("# %-28s %s\n", cases[i].query, got ? got : "(null)");
		if (!got || !strstr(got, cases[i].description))
			fprintf(stderr, "query %s\n", cases[i].query);
		CHECK_STR(got, cases[i].description);
		free(got);
	}
	ks_db_close(db);
}

static void test_search(void)
{
	ks_db *db = make_db("search");
	if (!db)
		return;
	ks_hits *hits = NULL;
	/* Danish stemming: "hjemløshed" finds "hjemløse". */
	CHECK(ks_db_search(db, "hjemløshed", 0, 10, &hits) == KS_OK);
	CHECK(ks_hits_size(hits) == 2 && ks_hits_total(hits) == 2);
	ks_hits_free(hits);
	/* The title outranks the body. */
	CHECK(ks_db_search(db, "budgetopfølgning hjemløse", 0, 10, &hits) == KS_OK);
	CHECK(ks_hits_size(hits) >= 1);
	CHECK_STR(ks_hits_id(hits, 0), "b-2");
	ks_hits_free(hits);
	/* No phrase across the end of the title and the start of the body. */
	CHECK(ks_db_search(db, "\"hjemløsestrategi kalundborg\"", 0, 10, &hits) == KS_OK);
	CHECK(ks_hits_size(hits) == 0);
	ks_hits_free(hits);
	/* Boolean prefixes ignore the case typed. */
	CHECK(ks_db_search(db, "sag:21-046835k", 0, 10, &hits) == KS_OK);
	CHECK(ks_hits_size(hits) == 1);
	CHECK_STR(ks_hits_data(hits, 0), "a-1");
	ks_hits_free(hits);
	/* An empty query browses all, newest first. */
	CHECK(ks_db_search(db, "  ", 0, 10, &hits) == KS_OK);
	CHECK(ks_hits_size(hits) == 2);
	CHECK_STR(ks_hits_id(hits, 0), "a-1");
	CHECK_STR(ks_hits_id(hits, 1), "b-2");
	CHECK(ks_hits_id(hits, 2) == NULL);
	ks_hits_free(hits);
	/* A malformed query is no error. */
	CHECK(ks_db_search(db, "\"unbalanced AND (", 0, 10, &hits) == KS_OK);
	ks_hits_free(hits);
	bool has = false;
	CHECK(ks_db_has_term(db, KS_FIELD_UDVALG, "ØKONOMIUDVALGET", &has) == KS_OK && has);
	char *data = NULL;
	CHECK(ks_db_get_data(db, "nope", &data) == KS_ERR_NOT_FOUND);
	CHECK(data == NULL);
	ks_db_close(db);
}

static void test_open_errors(void)
{
	char path[256];
	snprintf(path, sizeof path, "%s/nowhere", tmpdir);
	const char *paths[] = { path };
	ks_db *db = NULL;
	char *msg = NULL;
	ks_status st = ks_db_open_read(paths, 1, &db, &msg);
	CHECK(st != KS_OK && db == NULL);
	CHECK(msg && *msg);
	free(msg);

	const char *remote[] = { "tcp://localhost" };
	msg = NULL;
	CHECK(ks_db_open_read(remote, 1, &db, &msg) == KS_ERR_OPENING);
	CHECK_CONTAINS(msg, "no port");
	free(msg);

	ks_db *w = make_db("locked");
	if (!w)
		return;
	snprintf(path, sizeof path, "%s/locked", tmpdir);
	/* A fresh database must not exist yet; a second writer is locked out. */
	CHECK(ks_db_open_write(path, KS_OPEN_FRESH, &db, NULL) != KS_OK);
	CHECK(ks_db_open_write(path, KS_OPEN_UPDATE, &db, NULL) == KS_ERR_LOCKED);
	ks_db_close(w);
	ks_db_close(NULL);
}

static void test_transaction_discarded(void)
{
	ks_db *w = make_db("tx");
	if (!w)
		return;
	CHECK(ks_db_begin(w) == KS_OK);
	CHECK(ks_db_flush(w) == KS_ERR_INVALID); /* not inside a transaction */
	CHECK(ks_db_delete(w, KS_FIELD_ID, "a-1") == KS_OK);
	CHECK(ks_db_set_metadata(w, "k", "v") == KS_OK);
	ks_db_close(w); /* without commit */

	char path[256];
	snprintf(path, sizeof path, "%s/tx", tmpdir);
	const char *paths[] = { path };
	ks_db *r = NULL;
	CHECK(ks_db_open_read(paths, 1, &r, NULL) == KS_OK);
	uint32_t n = 0;
	CHECK(ks_db_doccount(r, &n) == KS_OK && n == 2);
	char *v = NULL;
	CHECK(ks_db_get_metadata(r, "k", &v) == KS_OK);
	CHECK_STR(v, "");
	free(v);
	ks_db_close(r);

	/* And committed, it is there. */
	CHECK(ks_db_open_write(path, KS_OPEN_UPDATE, &w, NULL) == KS_OK);
	CHECK(ks_db_begin(w) == KS_OK);
	CHECK(ks_db_delete(w, KS_FIELD_ID, "a-1") == KS_OK);
	CHECK(ks_db_commit(w) == KS_OK);
	CHECK(ks_db_doccount(w, &n) == KS_OK && n == 1);
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
	RUN(test_open_errors);
	RUN(test_transaction_discarded);
	nftw(tmpdir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	return check_summary();
}
