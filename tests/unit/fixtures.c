/* fixtures.c — what the unit tests of the binding share: a temporary
 * directory, small databases written through the C API, the seven records
 * indexed as the indexer indexes them, the texts of the word forms and
 * synonyms, and the helpers that ask one of them a question. */
#include <ftw.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "fixtures.h"
#include "index.h"

static char tmpdir[] = "/tmp/ks-test-unit-XXXXXX";

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

bool fixtures_init(void)
{
	if (mkdtemp(tmpdir))
		return true;
	perror("mkdtemp");
	return false;
}

void fixtures_done(void)
{
	nftw(tmpdir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* A value longer than any term may be: 1 + 2 * 150 bytes ("x" and 150
 * times "å"), so that the cut lands in the middle of a character. */
const char *long_udvalg(void)
{
	static char buf[302];
	if (!buf[0]) {
		buf[0] = 'x';
		for (int i = 0; i < 150; i++)
			memcpy(buf + 1 + 2 * i, "\xc3\xa5", 2);
	}
	return buf;
}

void db_path(char *path, size_t size, const char *name)
{
	snprintf(path, size, "%s/%s", tmpdir, name);
}

ks_db *fresh_db(const char *name)
{
	char path[256];
	db_path(path, sizeof path, name);
	ks_db *db = NULL;
	char *msg = NULL;
	CHECK(ks_db_open_write(path, KS_OPEN_FRESH, &db, &msg) == KS_OK);
	if (msg)
		fprintf(stderr, "open %s: %s\n", path, msg);
	free(msg);
	return db;
}

/* A small database of two documents, written by a transaction (as the
 * indexer updates an index) or by a flush (as it builds a fresh one). */
ks_db *make_db(const char *name, bool transaction)
{
	ks_db *db = fresh_db(name);
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
ks_db *open_reader(const char *name)
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

/* Whether a search for Q finds exactly the documents IDS (a NULL-terminated
 * list, in order). */
bool finds(ks_db *db, const char *q, const char *const *ids)
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

/* Seven records: two meetings' items on one date each (so that punkt breaks
 * the tie), a closed item (no text, no decision), an item that names a
 * case number more often than the case's own items do, an item with HTML in
 * its text, and two budget sections without a date.  Inserted out of order,
 * so that no expected order is merely the order of document ids. */
const struct rec records[] = {
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
void add_record(ks_db *db, const struct rec *r)
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
ks_db *records_db(const char *name)
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
ks_db *records_reader;

/* A query that asks for nothing: blank q, no filter, relevance order. */
ks_query query_of(const char *q)
{
	ks_query query = { .q = q, .lukket = -1, .sort = KS_SORT_RELEVANCE, .count = 20 };
	return query;
}

/* Whether QUERY finds exactly IDS (NULL-terminated), in that order. */
bool query_finds(const ks_query *query, const char *const *ids)
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
void first_hit(const ks_query *query, char *first, size_t *n)
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

/* Whether facet F of HITS is exactly the value/count pairs WANT (a
 * NULL-terminated list of "value=count"). */
bool facet_is(const ks_hits *hits, ks_facet f, const char *const *want)
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

/* Writes the records and N filler documents into W and commits. */
void write_revision(ks_db *w, int n, int round)
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

/* Writes TEXT to the file NAME in the test directory; its path into PATH. */
void write_file(char *path, size_t size, const char *name, const char *text)
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
bool has_term(ks_db *db, const char *id, const char *term)
{
	struct term_search t = { term, false };
	CHECK(ks_db_each_term(db, id, find_term, &t) == KS_OK);
	return t.found;
}

static int find_spelling(const char *word, void *arg)
{
	return find_term(word, arg);
}

bool has_spelling(ks_db *db, const char *word)
{
	struct term_search t = { word, false };
	CHECK(ks_db_each_spelling(db, find_spelling, &t) == KS_OK);
	return t.found;
}

/* Indexes a record of TITLE and BODY as ID (with UDVALG as its facet value
 * and AMOUNT, when not 0, as its nettobudget). */
void add_text(ks_db *db, const char *id, const char *title, const char *body, const char *udvalg,
	      double amount)
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
ks_db *fresh_words_writer(const char *name, const char *words)
{
	char path[256], list[256], file[128];
	snprintf(file, sizeof file, "%s-words.txt", name);
	write_file(list, sizeof list, file, words);
	db_path(path, sizeof path, name);
	ks_db *w = NULL;
	CHECK(ks_db_open_write(path, KS_OPEN_FRESH, &w, NULL) == KS_OK);
	if (w)
		CHECK(ks_db_load_words(w, list) == KS_OK);
	return w;
}

ks_db *words_db(void)
{
	char synonyms[256];
	write_file(synonyms, sizeof synonyms, "synonyms.txt",
		   "# abbreviations\n\nKB = kommunalbestyrelsen\n"
		   "KL = Kommunernes Landsforening  # the association\n");
	ks_db *w = fresh_words_writer(
		"words", "strategi\nhjemløse\nløn\nfremskrevet\nområdet\nfamilie\nsikring\n"
			 "kystsikring\nberedskab\nplaner\n");
	if (!w)
		return NULL;
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
