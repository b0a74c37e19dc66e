/* fixtures.h — the fixtures the unit tests of the binding share
 * (fixtures.c).  Every database lives in one temporary directory per test
 * program, made by fixtures_init() and removed by fixtures_done(); the
 * fixtures count their checks with the program's (check.h). */
#ifndef KS_FIXTURES_H
#define KS_FIXTURES_H

#include <stdbool.h>
#include <stddef.h>

#include "ks-xapian.h"

/* A NULL-terminated list of ids (or of "value=count"), and the empty one. */
#define IDS(...) ((const char *const[]){ __VA_ARGS__, NULL })
#define NO_IDS   ((const char *const[]){ NULL })

/* Makes the temporary directory; false (and why, on stderr) if it cannot. */
bool fixtures_init(void);
/* Removes the temporary directory and everything in it. */
void fixtures_done(void);

/* The path of NAME in the temporary directory, into PATH (of SIZE). */
void db_path(char *path, size_t size, const char *name);
/* Writes TEXT to the file NAME in the temporary directory; its path into PATH. */
void write_file(char *path, size_t size, const char *name, const char *text);

/* A value longer than any term may be (static storage, never freed). */
const char *long_udvalg(void);
/* A new, empty database NAME open for writing, the caller closes it; NULL
 * (and a failed check) if it cannot be made. */
ks_db *fresh_db(const char *name);
/* A database NAME of two documents, written in a transaction or by a flush;
 * open for writing, the caller closes it.  NULL if it cannot be made. */
ks_db *make_db(const char *name, bool transaction);
/* A reader of the database NAME, the caller closes it; NULL (and a failed
 * check) if it fails. */
ks_db *open_reader(const char *name);
/* Whether a search for Q in DB finds exactly IDS, in order. */
bool finds(ks_db *db, const char *q, const char *const *ids);

/* A record as the tests write it: dates "YYYYMMDD", NULL for none. */
struct rec {
	const char *id, *type, *title, *body, *sag, *udvalg, *beslutning, *date, *year;
	int punkt;
	bool lukket;
};

/* The seven records of records_db(): records[1] and records[4] have the texts
 * that the snippet tests cut. */
extern const struct rec records[];
/* Indexes R into DB as the indexer does (ks_index_record_into()). */
void add_record(ks_db *db, const struct rec *r);
/* The records in a fresh database NAME, opened for reading (the caller
 * closes it); NULL if it cannot be made. */
ks_db *records_db(const char *name);
/* Writes the records and N filler documents into W and commits. */
void write_revision(ks_db *w, int n, int round);

/* The reader of records_db() that the query tests share; set and closed by
 * each test program's main(). */
extern ks_db *records_reader;
/* A query that asks for nothing: blank q, no filter, relevance order. */
ks_query query_of(const char *q);
/* Whether QUERY finds exactly IDS in records_reader, in order. */
bool query_finds(const ks_query *query, const char *const *ids);
/* The id of the first hit of QUERY in records_reader (into FIRST, a buffer
 * of 32) and the number of hits (into *N). */
void first_hit(const ks_query *query, char *first, size_t *n);
/* Whether facet F of HITS is exactly the "value=count" pairs WANT. */
bool facet_is(const ks_hits *hits, ks_facet f, const char *const *want);

/* Whether the document ID of DB has TERM. */
bool has_term(ks_db *db, const char *id, const char *term);
/* Whether the spelling data of DB has WORD. */
bool has_spelling(ks_db *db, const char *word);
/* Indexes a record of TITLE and BODY as ID into DB (UDVALG its facet value,
 * AMOUNT when not 0 its nettobudget). */
void add_text(ks_db *db, const char *id, const char *title, const char *body, const char *udvalg,
	      double amount);
/* The database "words" of texts with compounds, synonyms and amounts,
 * indexed with a word list and synonyms of its own; a reader of it (the
 * caller closes it), NULL if it cannot be made. */
/* A fresh writable database NAME (under the tests' directory) whose
 * compounds are split by the word list WORDS (one word a line), not the
 * system's.  NULL (a check failed) when it cannot be made. */
ks_db *fresh_words_writer(const char *name, const char *words);
ks_db *words_db(void);

#endif
