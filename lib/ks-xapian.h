/* ks-xapian.h — the C interface of Kommunesøg over Xapian.
 *
 * All C++ lives behind this header (the .cc files of lib/, which share
 * ks-xapian-private.h).  No exception crosses it: every function that can
 * fail returns a ks_status (KS_OK = 0) and keeps the Xapian message on the
 * handle, readable with ks_db_error().  Results are written through
 * out-parameters only on success.
 *
 * Handles are not thread-safe: Xapian's Database, TermGenerator, QueryParser
 * and Stem objects must not be shared, so each thread opens its own ks_db.
 */
#ifndef KS_XAPIAN_H
#define KS_XAPIAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "schema.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum ks_status {
	KS_OK = 0,
	KS_ERR_NOMEM,     /* out of memory */
	KS_ERR_INVALID,   /* a bad argument (NULL, unknown field, bad value) */
	KS_ERR_NOT_FOUND, /* no such database, document or key */
	KS_ERR_LOCKED,    /* another writer holds the database lock */
	KS_ERR_OPENING,   /* the database could not be opened or created */
	KS_ERR_CORRUPT,   /* the database is damaged */
	KS_ERR_MODIFIED,  /* a reader fell behind a writer: reopen and retry */
	KS_ERR_NETWORK,   /* a remote shard could not be reached */
	KS_ERR_QUERY,     /* a query could not be parsed */
	KS_ERR_XAPIAN,    /* any other Xapian error */
	KS_ERR_TOO_BROAD, /* a query's wildcards expand past ks_query.max_expansion */
	KS_ERR_TIMEOUT,   /* a search ran past ks_query.max_ms */
	KS_ERR_CANCELLED, /* a search was stopped by ks_query.stop */
	KS_STATUS_COUNT
} ks_status;

/* A short English name of STATUS ("database is locked"); static storage. */
const char *ks_status_str(ks_status status);

typedef struct ks_db ks_db;
typedef struct ks_doc ks_doc;

/* ---- opening ---------------------------------------------------------- */

typedef enum ks_open_mode {
	KS_OPEN_UPDATE, /* open PATH, creating it if it does not exist */
	KS_OPEN_FRESH,  /* create PATH, which must not exist yet */
} ks_open_mode;

/* Open the database at PATH for writing.  *OUT is malloc'd; free it with
 * ks_db_close().  On failure *MESSAGE (if not NULL) receives a malloc'd
 * description that the caller frees. */
ks_status ks_db_open_write(const char *path, ks_open_mode mode, ks_db **out, char **message);

/* Open N databases for reading as one: each entry is a directory or
 * "tcp://HOST:PORT" of a xapian-tcpsrv.  Same ownership as above. */
ks_status ks_db_open_read(const char *const *paths, size_t n, ks_db **out, char **message);

/* Closes DB and frees it.  An open transaction is discarded, not committed.
 * Accepts NULL. */
void ks_db_close(ks_db *db);

/* The message of the last failure on DB; owned by DB, valid until the next
 * call on it.  "" when there was none. */
const char *ks_db_error(const ks_db *db);

/* Bring a reader up to the newest committed revision.  *CHANGED (may be NULL)
 * says whether there was a newer one. */
ks_status ks_db_reopen(ks_db *db, bool *changed);

/* The number of documents. */
ks_status ks_db_doccount(ks_db *db, uint32_t *out);

/* ---- transactions (writers) ------------------------------------------ */

/* Between begin and commit nothing is written where readers can see it, not
 * even when Xapian's auto-flush threshold is reached.  A run killed before
 * ks_db_commit() leaves the previous revision untouched. */
ks_status ks_db_begin(ks_db *db);
ks_status ks_db_commit(ks_db *db);
/* Writes what has been added so far outside a transaction (used while
 * building a fresh database that no reader sees yet). */
ks_status ks_db_flush(ks_db *db);
/* Likewise, but keeps the words' spelling counts (up to a bound) for a
 * later flush, as ks_db_next_part() does: between the flushes of a fresh
 * database or of a writer's parts, so that a word of several batches is
 * written once.  The last flush is ks_db_flush(). */
ks_status ks_db_flush_documents(ks_db *db);

/* Commits what DB has written and goes on writing into a new, empty
 * database at PATH (which must not exist), keeping what DB has learnt: the
 * words compounds are split into and the synonym groups; and the spelling
 * counts not yet written (ks_db_flush_documents()), which go into a later
 * part.  A fresh index
 * built in parts of bounded size, compacted into one at the end
 * (ks_db_compact()): Xapian's cost of adding a batch of documents grows
 * with the database it is added to.  KS_ERR_INVALID inside a transaction;
 * after any other failure DB can only be closed. */
ks_status ks_db_next_part(ks_db *db, const char *path);
/* From now on writes DB's spelling data into a database of its own at PATH
 * (which must not exist), flushed and closed with DB: a writer of a fresh
 * index in parts (ks_db_next_part()) then gives Xapian each word once, not
 * once a part, and Xapian makes a word's fragments (one entry for every
 * three letters) once.  The database at PATH holds no documents; it is
 * compacted with the parts.  KS_ERR_INVALID inside a transaction or when
 * DB already writes its spelling data apart. */
ks_status ks_db_spelling_apart(ks_db *db, const char *path);

/* Writes the databases at the N PATHS, closed, as one new compacted database
 * at DEST (which must not exist): their documents in the order of PATHS,
 * renumbered, their metadata, spelling data and synonyms merged (the
 * first database's value wins for a metadata key they share).  *MESSAGE
 * as for ks_db_open_write(). */
ks_status ks_db_compact(const char *const *paths, size_t n, const char *dest, char **message);

/* ---- metadata ---------------------------------------------------------- */

/* *OUT is a malloc'd copy that the caller frees; "" when KEY is unset. */
ks_status ks_db_get_metadata(ks_db *db, const char *key, char **out);
/* An empty VALUE removes KEY. */
ks_status ks_db_set_metadata(ks_db *db, const char *key, const char *value);

/* Calls FN for every metadata key starting with PREFIX (in key order) with
 * the key and its value, both owned by the iteration and valid only during
 * the call.  FN returns 0 to go on, anything else to stop. */
typedef int (*ks_metadata_fn)(const char *key, const char *value, void *arg);
ks_status ks_db_each_metadata(ks_db *db, const char *prefix, ks_metadata_fn fn, void *arg);

/* ---- words (writers) --------------------------------------------------- */

/* Adds the words of the file at PATH (one a line, UTF-8: Debian's wdanish,
 * /usr/share/dict/danish) to the words that compounds are split into, and
 * the words of the index's spelling data (the documents indexed before).
 * The documents indexed through DB add their own words as they come.
 * KS_ERR_NOT_FOUND when the file cannot be read. */
ks_status ks_db_load_words(ks_db *db, const char *path);

/* Adds the words of FROM's spelling data (the documents indexed there before)
 * and the words FROM learned (ks_db_learn_text()) to the words that DB
 * splits compounds into: the shards of one index indexed through one
 * handle, and the parts of one index written by several, split as one
 * index would.  DB and FROM must not be used by another thread meanwhile. */
ks_status ks_db_learn_words(ks_db *db, ks_db *from);

/* Adds the words of TEXT, as the TermGenerator finds them, to the words that
 * DB splits compounds into.  The indexer learns every text it will index
 * before it indexes the first, so that how a compound is split does not
 * depend on the order of the documents. */
ks_status ks_db_learn_text(ks_db *db, const char *text);

/* Makes the synonym groups of the file at PATH those of DB: one group a line,
 * members separated by '=' ("KL = Kommunernes Landsforening"), '#' starts a
 * comment.  The documents indexed through DB after this get the group's
 * term wherever a member occurs, and the synonym table (which the query
 * parser expands) is rewritten when it differs.  KS_ERR_NOT_FOUND when the
 * file cannot be read, KS_ERR_INVALID (the message naming FILE:LINE) when
 * a line is no group. */
ks_status ks_db_set_synonyms(ks_db *db, const char *path);

/* ---- documents (writers) ---------------------------------------------- */

/* A new empty document for DB.  *OUT is malloc'd; free with ks_doc_free().
 * Text is indexed with the one TermGenerator of the handle (Danish stemmer,
 * STEM_SOME, spelling into DB when asked). */
ks_status ks_doc_new(ks_db *db, ks_doc **out);
void ks_doc_free(ks_doc *doc);

/* Index TEXT into the free-text FIELD (body or title), with the field's wdf
 * increment.  SPELLING adds its words to the spelling data. */
ks_status ks_doc_index_text(ks_doc *doc, ks_field_id field, const char *text, bool spelling);

/* Add the boolean term for VALUE of FIELD: lower-cased and cut at a UTF-8
 * boundary to fit KS_MAX_TERM_BYTES.  An empty VALUE adds nothing. */
ks_status ks_doc_add_boolean(ks_doc *doc, ks_field_id field, const char *value);

/* Set value SLOT to the bytes of VALUE, or to a sortable number. */
ks_status ks_doc_set_value(ks_doc *doc, ks_slot slot, const char *value);
ks_status ks_doc_set_number(ks_doc *doc, ks_slot slot, double number);

/* The document data (the record's JSON).  Copied. */
ks_status ks_doc_set_data(ks_doc *doc, const char *data);

/* Store DOC as the document whose id term is Q+ID, replacing any earlier one
 * with that id.  DOC stays owned by the caller. */
ks_status ks_db_replace(ks_db *db, const char *id, ks_doc *doc);

/* Delete every document that has the boolean term of FIELD = VALUE. */
ks_status ks_db_delete(ks_db *db, ks_field_id field, const char *value);

/* Whether some document has the boolean term FIELD = VALUE. */
ks_status ks_db_has_term(ks_db *db, ks_field_id field, const char *value, bool *out);

/* The data of the document with id ID, malloc'd, caller frees.
 * KS_ERR_NOT_FOUND when there is none. */
ks_status ks_db_get_data(ks_db *db, const char *id, char **out);

/* ---- inspecting (tests, tools) ----------------------------------------- */

/* Calls FN for every term of the document with id ID, in term order; the
 * term is valid only during the call.  FN returns 0 to go on. */
typedef int (*ks_term_fn)(const char *term, void *arg);
ks_status ks_db_each_term(ks_db *db, const char *id, ks_term_fn fn, void *arg);

/* Value SLOT of the document with id ID, malloc'd ("" if unset), caller
 * frees. */
ks_status ks_db_get_value(ks_db *db, const char *id, ks_slot slot, char **out);

/* Calls FN for every word of the spelling data. */
ks_status ks_db_each_spelling(ks_db *db, ks_term_fn fn, void *arg);

/* ---- cases ------------------------------------------------------------- */

/* Calls FN for every lettered case of the case number SAG, in order
 * ("21-046835K", "21-046835L" for "21-046835", written in any form
 * ks_sagsnummer_read() takes); the case is valid only during the call, and
 * FN returns 0 to go on.  A number with a letter has none.  KS_ERR_INVALID
 * when SAG is no case number. */
ks_status ks_db_each_lettered_case(ks_db *db, const char *sag, ks_term_fn fn, void *arg);

/* ---- completing --------------------------------------------------------- */

/* The completions of Q as it is being typed: its last word taken as the
 * beginning of a word of the index — of the spelling data (the words of the
 * open records, counted by how often they occur) and of the titles
 * (counted by the records whose title has them) — most frequent first,
 * ties in byte order, at most MAX, each after the words before it as a
 * search reads them ("Budget OR Hjem" → "budget OR hjemløshed": lower case
 * but for operators and acronyms).  The last word with æ, ø, å or with
 * "ae", "oe", "aa" completes to the words of either spelling, each word
 * once and spelt as the documents spell it.  Each list is walked for at
 * most WALK words from the beginning on (0: no bound), which bounds the
 * cost of a short beginning: past them, the most frequent of the words
 * walked.  Q ending in a separator (a blank, a quote) completes nothing.
 * FN is called for each completion, valid only during the call; it returns
 * 0 to go on. */
ks_status ks_db_complete(ks_db *db, const char *q, unsigned max, unsigned walk, ks_term_fn fn,
			 void *arg);

/* ---- searching ---------------------------------------------------------- */

typedef struct ks_hits ks_hits;

/* The orders of a search.  Undated records (budget sections) come last in
 * both date orders, records without a nettobudget (agenda items) last in
 * both nettobudget orders.  Over a remote shard (tcp://) Xapian 1.4 can sort
 * by the value only: ties are then in relevance order, and records without
 * the value come first in the ascending orders. */
typedef enum ks_sort {
	KS_SORT_RELEVANCE,        /* best first, newer first on a tie; an empty
				   * query falls back to date_desc */
	KS_SORT_DATE_DESC,        /* newest meeting first, then punkt ascending */
	KS_SORT_DATE_ASC,         /* oldest meeting first, then punkt ascending */
	KS_SORT_NETTOBUDGET_DESC, /* largest nettobudget first, then relevance */
	KS_SORT_NETTOBUDGET_ASC,  /* smallest nettobudget first, then relevance */
} ks_sort;

/* The facet's name in the API's JSON ("type", "udvalg", "year",
 * "beslutning": ks_facets[] of schema.h); static storage.  NULL for an
 * unknown FACET. */
const char *ks_facet_name(ks_facet facet);

/* The most terms one wildcard ("hjem*") expands to: its most frequent. */
#define KS_MAX_WILDCARD_TERMS 256

/* Facet counts and the total are exact for match sets up to this many
 * documents.  Past it, Xapian checks this many matches (which bounds a
 * search's time: counting a large match set exactly costs more than the
 * rest of the search), their counts are kept, and those of the matches
 * after them are counted over samples of the index (KS_SAMPLES) and scaled
 * up (ks_hits_facets_estimated()). */
#define KS_FACETS_EXACT 10000

/* One search request.  Every string is borrowed for the call only; NULL (or
 * "") means "not given".  Filters are exact (case-insensitive) values; each
 * facet filter (type, udvalg, beslutning, year) may hold several joined by
 * KS_FACET_SEP, any of which matches (OR within a facet, AND across). */
typedef struct ks_query {
	const char *q;          /* the query language (kommunesoeg-query(7)); blank = browse */
	const char *type;       /* filter: "punkt" | "budget" */
	const char *udvalg;     /* filter: the committee, as displayed */
	const char *beslutning; /* filter: the decision facet value */
	const char *year;       /* filter: the year facet value, "2025" */
	const char *sag;        /* filter: a sagsnummer in any form
				 * ks_sagsnummer_read() takes; one no item
				 * has filters by its lettered cases
				 * (ks_hits_case()) */
	const char *from, *to;  /* filter: "YYYY-MM-DD", inclusive; either may be NULL */
	int lukket;             /* filter: -1 either, 0 open only, 1 closed only */
	ks_sort sort;
	unsigned offset, count; /* the hits wanted: OFFSET .. OFFSET+COUNT-1 */
	bool facets;            /* count the facets over the whole match set (and
				 * make the total exact), up to facets_exact
				 * matches: past them, both are estimated */
	unsigned facets_exact;  /* 0: KS_FACETS_EXACT */
	unsigned suggest_below; /* offer a spelling correction of Q when it matches
				 * fewer documents than this (0: never).  The
				 * correction looks up every word the index lacks
				 * in the spelling table, which costs more than
				 * the search itself on a large index, and a
				 * query that finds plenty needs none. */

	/* What the search may cost (0: no bound).  A wildcard repeated under
	 * AND or OR ("s* s* s*") is merged into one whatever these are. */
	unsigned max_expansion; /* the terms all the wildcards of Q may expand to
				 * together (each to at most KS_MAX_WILDCARD_TERMS,
				 * its most frequent): past it, KS_ERR_TOO_BROAD
				 * before anything is matched */
	unsigned max_ms;        /* the milliseconds the search may take from the
				 * call: past them the match stops with
				 * KS_ERR_TIMEOUT.  Not over tcp:// shards, whose
				 * match runs in xapian-tcpsrv. */
	/* Asked now and then while the match runs (on the calling thread); when
	 * it returns true the search stops with KS_ERR_CANCELLED: the client
	 * has gone, the server is stopping.  NULL: never. */
	bool (*stop)(void *stop_arg);
	void *stop_arg;
} ks_query;

/* Run QUERY.  Filters narrow the match set without changing the ranking.  A
 * case number in Q, in any form ("25-002452", "21-046835k", "25 - 002452",
 * "25-2452" when the index has the case), selects that case: the case's
 * items rank first, and only they and the records that mention the number
 * match; a number no item has selects its lettered cases (ks_hits_case()).
 * A malformed Q is answered as plain words.  *OUT is malloc'd; free with
 * ks_hits_free().  The handle must stay open while *OUT is used, and *OUT
 * is used on the handle's thread only (its snippets use the handle's
 * stemmer).  KS_ERR_INVALID for a date
 * that is not YYYY-MM-DD or an unknown sort; KS_ERR_MODIFIED when the index
 * changed under the handle: reopen it and run the query again. */
ks_status ks_db_query(ks_db *db, const ks_query *query, ks_hits **out);

/* Shorthand for ks_db_query() with Q alone, relevance order, no facets. */
ks_status ks_db_search(ks_db *db, const char *q, unsigned offset, unsigned count, ks_hits **out);

/* The hits of Q (the query language, as ks_db_query() reads it) restricted
 * to the record with id ID, for marking the query's words in that record's
 * whole text with ks_hits_snippet() (a LENGTH past the text's): one hit when
 * the record matches Q, none when it does not or Q is blank.  Ranked and
 * weighed as in a search of the whole index.  KS_ERR_TOO_BROAD when Q's
 * wildcards expand to more than MAX_EXPANSION words (0: no bound).  *OUT as
 * of ks_db_query(). */
ks_status ks_db_item_hits(ks_db *db, const char *q, const char *id, unsigned max_expansion,
			  ks_hits **out);

/* The number of hits in HITS, and the number of all matches (exact when
 * facets were asked for and not estimated, otherwise Xapian's estimate). */
size_t ks_hits_size(const ks_hits *hits);
uint32_t ks_hits_total(const ks_hits *hits);
/* The id and the data (the record's JSON) of hit I; owned by HITS, valid
 * until ks_hits_free().  NULL when I is out of range.  Both are read from
 * the index when first asked for (the handle must still be open); "" when
 * they cannot be. */
const char *ks_hits_id(const ks_hits *hits, size_t i);
const char *ks_hits_data(const ks_hits *hits, size_t i);

/* The data of hit I read from the index without keeping it: *DATA is owned
 * by HITS and valid until the next ks_hits_read() or ks_hits_free(), so
 * that a list of thousands of hits is written in the memory of one.
 * KS_ERR_INVALID when I is out of range; KS_ERR_MODIFIED when the index
 * changed under the handle (run the query again after reopening). */
ks_status ks_hits_read(ks_hits *hits, size_t i, const char **data);

/* A snippet of TEXT (hit I's text, which the caller takes from its data)
 * where the query matched, at most about LENGTH bytes: HTML-escaped (quotes
 * too), every word that matched in <mark>...</mark> (also through a
 * compound's part, the other spelling, a synonym, a field prefix or a
 * suspended hyphen), cuts marked with "…".  A text
 * with no match (and any text of a browse) gives its start.  *OUT is
 * malloc'd, caller frees.  KS_ERR_INVALID when I is out of range. */
ks_status ks_hits_snippet(ks_hits *hits, size_t i, const char *text, size_t length, char **out);

/* The facet counts (only when asked for): the number of values of FACET,
 * and value I with its count, most frequent first (ties in Danish
 * alphabetical order: æ, ø, å after z).  *VALUE is owned by HITS.  Returns
 * false when I is out of range. */
size_t ks_hits_facet_size(const ks_hits *hits, ks_facet facet);
bool ks_hits_facet(const ks_hits *hits, ks_facet facet, size_t i, const char **value,
		   uint32_t *count);

/* Whether the facet counts (and the total) are estimates: the match set was
 * larger than ks_query.facets_exact. */
bool ks_hits_facets_estimated(const ks_hits *hits);

/* The spelling correction of the query (only when asked for), or NULL when
 * there is none: Q with its words that are not in the index replaced by the
 * nearest ones that are (of the plain words, when Q was malformed).  Owned
 * by HITS. */
const char *ks_hits_suggestion(const ks_hits *hits);

/* The case numbers that the query (Q or the sag filter) named but no item
 * has, each searched as its lettered cases instead ("21-046835" as
 * "21-046835K"): pair I of them, *ASKED the number named and *SHOWN a
 * lettered case searched for it (a number with several gives a pair for
 * each, in order), both in the form ks_sagsnummer_parse() writes and owned
 * by HITS.  Returns false when I is out of range. */
size_t ks_hits_case_size(const ks_hits *hits);
bool ks_hits_case(const ks_hits *hits, size_t i, const char **asked, const char **shown);

void ks_hits_free(ks_hits *hits);

/* The description of the parsed query Q (Xapian::Query::get_description()),
 * malloc'd, caller frees; for tests of the query language. */
ks_status ks_db_describe_query(ks_db *db, const char *q, char **out);

#ifdef __cplusplus
}
#endif

#endif
