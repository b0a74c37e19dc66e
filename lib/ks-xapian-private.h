// ks-xapian-private.h — what the files of the binding share (C++, internal
// to lib/; the one public header is ks-xapian.h).
//
// The handles behind the C interface, and the helpers more than one file
// calls.  Each file holds one job:
//
//   status.cc    the statuses, their names, the one ladder from an exception
//                to a status, the check of a writer's handle
//   open.cc      opening and closing a handle; the one TermGenerator and
//                the one QueryParser are configured there
//   database.cc  compaction, transactions, parts and metadata
//   fields.cc    the boolean term of a value, and the query-side field
//                processors (BooleanField, AmountRange)
//   spelling.cc  the spelling data, counted per document
//   forms.cc     what a text is indexed as: the word forms added at each
//                word's position, and the words compounds are split into
//   synonyms.cc  the synonym groups and Xapian's synonym table
//   remote-words.cc  the spelling data and synonyms of tcp:// shards, kept as
//                metadata by writers and read into a local copy by readers
//   document.cc  documents: made, stored, deleted and read back
//   query.cc     the query language: parsing, case numbers, filters, sorts
//   query-text.cc  a query's text as the QueryParser is given it
//   cases.cc     the lettered cases of a case number, and a number no item
//                has searched as them
//   search.cc    a search: the match, the suggestion
//   facets.cc    its facet counts: exact up to the bound, past it the first
//                matches' and samples of the index (facets.h)
//   hits.cc      the hits of a search: ids, data, facets
//   snippet.cc   a hit's snippet: the passage where the query matched, every
//                word that matched marked
//   marks.cc     the hits of a query in one record, whose whole text the
//                item page shows marked
//   suggest.cc   the completions of a query being typed
//
// Every extern "C" function runs its body through guard(), which turns any
// exception into a ks_status and keeps the message on the handle: no C++
// exception ever reaches C.
#ifndef KS_XAPIAN_PRIVATE_H
#define KS_XAPIAN_PRIVATE_H

#include "ks-words.h"
#include "ks-xapian.h"

#include <xapian.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <exception>
#include <memory>
#include <new>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

// A synonym group as the indexer looks for it: the stems of each member's
// words, and the term that marks where one occurs.
struct synonym_group {
	std::string term;
	std::vector<std::vector<std::string>> members; // stems
};

// A compound's part (see add_word_forms()): its text and its stem (""
// when it is not stemmed).
struct word_form {
	std::string word, stem;
};

// The forms of one word: its compound parts and its own stem.
struct word_forms {
	std::vector<word_form> parts;
	std::string stem;
	bool letter = false;   // it starts with a letter: stem_some() stems it
	bool own_stem = false; // see word_term()
};

struct ks_db {
	Xapian::Database db;          // readers
	Xapian::WritableDatabase wdb; // writers
	// Writers: where the spelling data goes when not into WDB (see
	// ks_db_spelling_apart()).
	Xapian::WritableDatabase spelling_wdb;
	bool spelling_apart = false;
	bool writable = false;
	bool in_transaction = false;
	// Writers: the XFIL term of the last record written and how many of
	// its file's records were written since the first (see sample_key()).
	std::string sample_file;
	unsigned long sample_in_file = 0;
	bool remote = false; // some shard is a xapian-tcpsrv
	// Readers: the shards that are xapian-tcpsrv's, each also in DB; and
	// DB with a local copy of their spelling data and synonyms, which the
	// QueryParser reads (see load_remote_words()).
	std::vector<Xapian::Database> remotes;
	Xapian::Database words;
	std::string error;
	Xapian::Stem stem{ "danish" };
	Xapian::TermGenerator tg;
	Xapian::QueryParser qp;
	// Changes to the spelling data, applied when the database is written
	// (see spelling_word()).
	std::unordered_map<std::string, long long> spelling;
	// Writers: the words compounds are split into, and the synonym groups
	// whose members are marked in the text (see add_word_forms()).
	ks::Dictionary dict;
	std::vector<synonym_group> synonyms;
	// The first stem of every member of a synonym group: its group and
	// member index.
	std::unordered_multimap<std::string, std::pair<size_t, size_t>> synonym_starts;
	// The forms of the words indexed so far (see forms_of()).
	std::unordered_map<std::string, word_forms> forms;
	// Writers: the compounds whose split this handle has written into
	// its database's metadata (see write_splits()).
	std::unordered_set<std::string> splits_written;
	// Readers: each database of DB, in its order (a hit's document is in
	// the one its docid tells, see split_of()).
	std::vector<Xapian::Database> shards;
	// Readers: the case numbers the search being made looks for as their
	// lettered cases, and those cases (see case_filter()).
	std::vector<std::pair<std::string, std::string>> cases;
	// Readers: the members of each synonym group as its keys in Xapian's
	// synonym table, by the group's term; read when a snippet first needs
	// them, and again after the database was reopened (see
	// ks_hits_snippet()).
	std::unordered_map<std::string, std::vector<std::string>> synonym_members;
	bool synonym_members_read = false;
	// Readers: the spelling suggestion of each query text asked for one
	// since the database was (re)opened — a query is often asked again
	// (another page, a facet, another order), and Xapian's correction
	// looks up every word of it; emptied when the database changes (see
	// suggestion_of() in search.cc).
	std::unordered_map<std::string, std::string> suggestions;
	// Readers: the terms each wildcard pattern searched since the
	// database was (re)opened expands to (ks::expand_wildcards()): the
	// lookup walks every term that begins so, and a wildcard is often
	// searched again; emptied when the database changes.
	std::unordered_map<std::string, std::vector<std::string>> expansions;

	Xapian::Database &reader()
	{
		return writable ? wdb : db;
	}

	// Where the QueryParser looks up synonyms and spellings.
	Xapian::Database &lexicon()
	{
		return remotes.empty() ? reader() : words;
	}
};

struct ks_doc {
	ks_db *db;
	Xapian::Document doc;
	Xapian::termpos termpos = 0;
	// The weight of the words stored as their stems' terms (word_term()),
	// which a second term would have added to the document's length.
	Xapian::termcount own_stem_wdf = 0;
	bool spelling = false; // its words go into the spelling data
	// Its compounds, each with its parts joined by spaces, as
	// KS_META_SPLIT_PREFIX keeps them (see add_word_forms()).
	std::vector<std::pair<std::string, std::string>> splits;
};

// A facet's values with their counts, most frequent first.
typedef std::vector<std::pair<std::string, uint32_t>> facet_counts;

// What the snippets of a search look for (snippet.cc), worked out when the
// first is made.
struct snippet_plan;

struct ks_hits {
	// The handle that made the hits: its stemmer serves the snippets, and
	// both live on one thread.  The MSet keeps its Enquire's query, which
	// MSet::snippet() needs, alive by itself.
	ks_db *db = nullptr;
	Xapian::MSet mset;
	// The query searched, without the filters: what the snippets mark.
	Xapian::Query query;
	// The same as matched (see matched()): the snippets' statistics.
	Xapian::Query matched;
	std::shared_ptr<snippet_plan> snippets; // a shared_ptr: snippet_plan is incomplete here
	// A hit's data and id are read when first asked for: a list of
	// thousands of hits (an export) is written one hit at a time
	// (ks_hits_read()), and the id's term list costs more than the rest of
	// a hit, which the server never asks for.
	struct hit {
		Xapian::docid did;
		mutable std::string data, id;
		mutable bool has_data = false, has_id = false;
	};
	std::vector<hit> hits;
	std::string read; // ks_hits_read()'s
	uint32_t total = 0;
	facet_counts facets[KS_FACET_COUNT];
	bool facets_estimated = false;
	bool has_suggestion = false;
	std::string suggestion;
	std::vector<std::pair<std::string, std::string>> cases; // ks_hits_case()
};

// ---- status.cc ---------------------------------------------------------------
//
// The one ladder from an exception to a status (caught()), which guard()
// and the opening of a handle use; the one check of a writer's handle.

// The status and the message (into *WHY) of the exception being handled:
// call it only inside a catch block.  A Xapian::Error gets its own status
// (KS_ERR_LOCKED, KS_ERR_MODIFIED, …), std::bad_alloc KS_ERR_NOMEM, any
// other std::exception OTHER, anything else KS_ERR_XAPIAN.  With no memory
// for the message, *WHY is left empty.
ks_status caught(std::string *why, ks_status other) noexcept;

// Keeps MESSAGE on DB (when there is one) as the message of the failure ST,
// and returns ST.
ks_status remember(ks_db *db, ks_status st, const char *message);

// A bad argument is reported like any other failure, so that a caller who
// prints ks_db_error() never shows the message of an earlier one.
ks_status invalid(ks_db *db, const char *why);

// What every entry point that writes checks first: KS_ERR_INVALID without
// a handle, and for a reader's handle (with the message kept on it).
ks_status check_writer(ks_db *db);

// A malloc'd copy of S for C callers, in *OUT.
ks_status copy_out(const std::string &s, char **out);

// Runs F; any exception becomes a status with its message kept on DB.  A
// failure that F returns without a message of its own (copy_out() out of
// memory) gets the status's name, never the message of an earlier call.
template <typename F> ks_status guard(ks_db *db, F &&f) noexcept
{
	try {
		if (db)
			db->error.clear();
		ks_status st = f();
		if (db && st != KS_OK && db->error.empty())
			db->error = ks_status_str(st);
		return st;
	} catch (...) {
		std::string why;
		const ks_status st = caught(&why, KS_ERR_XAPIAN);
		return remember(db, st, why.c_str());
	}
}

// ---- cases.cc ----------------------------------------------------------------

// The lettered cases of the case number SAG (the form ks_sagsnummer_parse()
// writes, without a letter): "21-046835K", "21-046835L" for "21-046835".
std::vector<std::string> lettered_cases(ks_db *db, const std::string &sag);

// Whether some item has the case number SAG, or, when it has no letter, one
// of its lettered cases.
bool case_known(ks_db *db, const std::string &sag);

// The filter of the case number SAG (as ks_sagsnummer_parse() writes it):
// its term, or, when no item has it but lettered cases of it do, theirs,
// noted in db->cases for the search's answer (ks_hits_case()).
Xapian::Query case_filter(ks_db *db, const std::string &sag);

// ---- open.cc -----------------------------------------------------------------

// Gives D's TermGenerator its one configuration, writing spelling data into
// D's database when it is a writer.
void configure_termgenerator(ks_db *d);

// ---- fields.cc ---------------------------------------------------------------

// The boolean term of VALUE in FIELD: lower-cased, and cut at a UTF-8
// boundary so that Xapian's 245-byte term limit is never reached.
std::string boolean_term(ks_field_id field, const char *value);

// The length of the free-text field's prefix that TERM (a term without its
// "Z") starts with: 0 for an unprefixed word, npos for a term of a boolean
// field or a synonym group, which no text holds and no typed word becomes.
size_t free_text_prefix(const std::string &term);

// A boolean prefix typed in a query ("sag:21-046835k", "udvalg:Økonomiudvalget")
// becomes the same normalised term the indexer wrote, whatever its case; a
// case number as people write it is read as case_filter() reads it.
class BooleanField : public Xapian::FieldProcessor
{
	ks_db *db;
	ks_field_id field;

      public:
	BooleanField(ks_db *d, ks_field_id f) : db(d), field(f)
	{
	}
	Xapian::Query operator()(const std::string &str) override;
};

// "nettobudget:10000000..", "nettobudget:..50.000.000": whole kroner on
// KS_SLOT_NETTOBUDGET, written with or without the thousands dots of the
// documents ("50.190.100 kr.").
class AmountRange : public Xapian::NumberRangeProcessor
{
      public:
	AmountRange() : Xapian::NumberRangeProcessor(KS_SLOT_NETTOBUDGET, "nettobudget:")
	{
	}
	Xapian::Query operator()(const std::string &begin, const std::string &end) override;
};

// ---- spelling.cc -------------------------------------------------------------

// Whether DOC is a closed item (XLUKtrue), whose words are no spelling data.
bool is_closed(const Xapian::Document &doc);

// Adds the words of DOC to DB's changes to the spelling data (SIGN 1), or
// takes them out (SIGN -1), with the parts of its compounds: SPLITS, its
// compounds with their parts as add_word_forms() found them, or when NULL
// (a stored document) the splits of its words in DB's metadata.
void count_spelling(ks_db *db, const Xapian::Document &doc, long long sign,
		    const std::vector<std::pair<std::string, std::string>> *splits);

// Writes DB's changes to the spelling data into its database.
void write_spelling(ks_db *db);

// Takes the words of the documents indexed by TERM out of the spelling data.
void uncount_spelling(ks_db *db, const std::string &term);

// ---- remote-words.cc --------------------------------------------------------
//
// Xapian's remote backend serves no spelling or synonym table; it serves
// metadata, where writers keep a copy of both.

// Writes W's spelling data and synonym table into its metadata
// (KS_META_SPELLING, KS_META_SYNONYMS), each only when it changed.
void store_word_tables(Xapian::WritableDatabase &w);

// Reads the copies that D's remote shards keep into a new local database,
// and points D's QueryParser at D's shards and it as one (D->words).
// Called when D is opened and when a shard has a new revision.
void load_remote_words(ks_db *d);

// ---- forms.cc ----------------------------------------------------------------

// Indexes TEXT into DOC as the free-text field F: prefixed (when F has a
// prefix) for a search by its name, and unprefixed with F's weight for a
// plain search, with the word forms at each word's position.
void index_text(ks_doc *doc, const ks_field &f, const std::string &text);

// The stem of WORD as the TermGenerator indexes it with STEM_SOME: "" unless
// it starts with a letter.
std::string stem_some(ks_db *db, const std::string &word);

// The term that holds the positions of WORD (lower case, unprefixed): the
// word itself, or "Z" + WORD when WORD is its own stem ("plan", "tilskud"),
// whose stem term then holds them instead of a second term.
std::string word_term(ks_db *db, const std::string &word);

// Where the words that begin with PATTERN and are their own stems are
// (word_term()): "Z" + PATTERN when PATTERN begins an unprefixed word, else
// "" (a ks::also_fn, for the wildcards).
std::string own_stems_pattern(const std::string &pattern);

// Writes into DB's metadata the split of each compound of DOC (its
// KS_META_SPLIT_PREFIX key) that this handle has not written yet: a
// compound's parts are stored as their stems alone, and a snippet learns
// where a word was split from this (see split_of()).
void write_splits(ks_db *db, const ks_doc *doc);

// The parts of WORD, joined by spaces, as the indexer split it in the
// database of the document DID of reader DB; "" when it was not split.
std::string split_of(ks_db *db, Xapian::docid did, const std::string &word);

// Calls FN(part) for each part of SPLIT, a split as split_of() gives it.
template <typename F> void each_part(const std::string &split, F &&fn)
{
	size_t start = 0;
	while (start < split.size()) {
		size_t end = split.find(' ', start);
		if (end == std::string::npos)
			end = split.size();
		if (end > start)
			fn(split.substr(start, end - start));
		start = end + 1;
	}
}

// ---- query-fold.cc -----------------------------------------------------------

// Q (as the QueryParser made it of what it was given last) as the index is
// searched: each word also in its other spelling when the index has that
// (one lookup per such word), a field's word as its stem, a field's phrase
// as the phrase in the plain text and its words in the field, a field's
// wildcard over the field's stems (see forms.cc).
Xapian::Query folded(ks_db *db, const Xapian::Query &q);

// The other spelling of WORD (lower case) when the index has it, as a word
// or a stem; else "".
std::string other_spelling_known(ks_db *db, const std::string &word);

// ---- query-text.cc -----------------------------------------------------------
//
// Xapian's QueryParser, with STEM_SOME, leaves a capitalised word unstemmed
// and knows a prefix only in the case it was added in; it refuses a query
// of only -words.  The text it is given is made so that letter case never
// matters and such a query means everything but the words.

// S as runs of word characters and runs of anything else, in turn: a
// separator run first (maybe empty), then a word, and so on.
std::vector<std::string> word_runs(const std::string &s);

// Whether WORD is one of the query language's operators (AND, OR, NOT, XOR,
// NEAR, ADJ), which are written in capitals.
bool is_operator(const std::string &word);

// Q with every word in lower case, as the TermGenerator indexed the
// documents' words, but the operators and the letters of an acronym
// ("K.B."), which Xapian reads only in capitals.  Words and separators stay
// where they were: word_runs() of the two pair up.
std::string lowered_query(const std::string &q);

// For Q of only -words, -prefixed words and -phrases ("-budget -drift",
// -"en frase"), the same with NOT ("NOT budget NOT drift"), which
// FLAG_PURE_NOT takes; else "".
std::string only_excluded(const std::string &q);

// ---- query.cc ----------------------------------------------------------------

// Q without the blanks around it ("" for NULL).
std::string trimmed(const char *q);

// Parses Q.  A malformed query (unbalanced quotes or brackets, a stray
// operator, a range no processor knows such as "2024..2025") is answered
// as plain words, never as an error: the second parse has no operators and
// no syntax left that could fail.  With SUGGESTION, *SUGGESTION receives
// the spelling correction of the text parsed ("" for none); the correction
// looks up every word the index lacks, so it is only paid for when asked.
Xapian::Query parse(ks_db *db, const std::string &q, std::string *suggestion);

// TEXT (trimmed, not blank) of the query language as it is searched:
// parsed, a case number selecting its case, a wildcard repeated under AND
// or OR merged into one.
Xapian::Query searched(ks_db *db, const std::string &text);

// QUERY (searched()) as it is matched: its wildcards expanded once, here,
// into the words they stand for, which Xapian would look up again in every
// match of a search and in its snippets' (see ks::expand_wildcards()).  A
// remote shard's words are not read: all of a wildcard's would cross the
// network, and the shard expands them itself (each wildcard of a word also
// over the words that are their own stems, ks::with_also_wildcards()).  A
// database being written
// changes without being reopened: its expansions are not kept.
Xapian::Query matched(ks_db *db, const Xapian::Query &query);

// The number of words the wildcards of QUERY (searched()) expand to as
// matched() expands them, counted up to just past STOP_PAST (see
// ks::wildcard_terms()).
Xapian::termcount wildcard_words(ks_db *db, const Xapian::Query &query,
				 Xapian::termcount stop_past);

// The filters of Q as one query for OP_FILTER: every one must hold, none
// adds weight.  *ANY says whether there is one (an empty date range makes
// *OUT MatchNothing, which is an empty Query too).  Boolean values become
// the terms the indexer wrote, by the same boolean_term().  KS_ERR_INVALID
// for a date that is not one.
ks_status filter_of(ks_db *db, const ks_query *q, Xapian::Query *out, bool *any);

// Sorts by meeting date (newest or oldest first), then by punkt number,
// then by id, and puts undated records last either way
// (KS_SLOT_DATE_NEWEST, KS_SLOT_DATE_OLDEST).
void sort_by_date(Xapian::Enquire &enquire, bool newest_first);

// Sorts by nettobudget (largest or smallest first), then by relevance; a
// record without one (an agenda item) comes last either way.
void sort_by_amount(ks_db *db, Xapian::Enquire &enquire, bool largest_first);

#endif
