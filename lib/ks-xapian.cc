// ks-xapian.cc — the C interface of Kommunesøg over Xapian (ks-xapian.h).
//
// Every extern "C" function runs its body through guard(), which turns any
// exception into a ks_status and keeps the message on the handle: no C++
// exception ever reaches C.  The TermGenerator and the QueryParser are each
// configured in exactly one function below.

#include "ks-xapian.h"
#include "ks-words.h"
#include "query-cost.h"
#include "validate.h"

#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <new>
#include <set>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

// BM25 with less length normalisation than Xapian's default (b = 0.5): an
// item's background text is long by nature, and a closed item (a title and
// nothing else) is short, which with the default outranked the decisions of
// long items (tests/relevance: "anbefales").  k1 and min_normlen are
// Xapian's defaults.
static const double KS_BM25_K1 = 1.0;
static const double KS_BM25_B = 0.3;
static const double KS_BM25_MIN_NORMLEN = 0.5;

// Positions left between two indexed fields, so that a phrase never
// matches across the end of one field and the start of the next.
static const Xapian::termpos KS_FIELD_GAP = 100;

// The query language of SPEC.md: phrases, AND/OR/NOT, -word, word*, field
// prefixes, spelling correction, a query of only NOT terms, and the
// synonyms of the database (words and groups of words: "KL", "Kommunernes
// Landsforening").
#define KS_QUERY_FLAGS                                                                             \
	(Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_PHRASE |                    \
	 Xapian::QueryParser::FLAG_BOOLEAN | Xapian::QueryParser::FLAG_LOVEHATE |                  \
	 Xapian::QueryParser::FLAG_WILDCARD | Xapian::QueryParser::FLAG_PURE_NOT |                 \
	 Xapian::QueryParser::FLAG_SPELLING_CORRECTION |                                           \
	 Xapian::QueryParser::FLAG_AUTO_MULTIWORD_SYNONYMS)

// A synonym group as the indexer looks for it: the stems of each member's
// words, and the term that marks where one occurs.
struct synonym_group {
	std::string term;
	std::vector<std::vector<std::string>> members; // stems
};

// A form of a word added at its positions (see add_word_forms()): its text,
// its stem ("" when it is not stemmed) and whether it is a compound part.
struct word_form {
	std::string word, stem;
	bool part;
};

// The forms of one word: for a field's copy its compound parts; for the
// plain copy also its other spelling and theirs; and its own stem.
struct word_forms {
	std::vector<word_form> field, plain;
	std::string stem;
};

struct ks_db {
	Xapian::Database db;          // readers
	Xapian::WritableDatabase wdb; // writers
	bool writable = false;
	bool in_transaction = false;
	bool remote = false; // some shard is a xapian-tcpsrv (see sort_by_date())
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

	Xapian::Database &reader()
	{
		return writable ? wdb : db;
	}
};

struct ks_doc {
	ks_db *db;
	Xapian::Document doc;
	Xapian::termpos termpos = 0;
	bool spelling = false; // its words go into the spelling data
};

// ---- errors ---------------------------------------------------------------

// C++17 has no designated initializers, so the order is the enum's; the
// static_assert below catches a status added without a name.
static constexpr const char *status_names[] = {
	/* KS_OK */ "ok",
	/* KS_ERR_NOMEM */ "out of memory",
	/* KS_ERR_INVALID */ "invalid argument",
	/* KS_ERR_NOT_FOUND */ "not found",
	/* KS_ERR_LOCKED */ "database is locked by another writer",
	/* KS_ERR_OPENING */ "database could not be opened",
	/* KS_ERR_CORRUPT */ "database is corrupt",
	/* KS_ERR_MODIFIED */ "database was modified: reopen and retry",
	/* KS_ERR_NETWORK */ "remote database unreachable",
	/* KS_ERR_QUERY */ "query could not be parsed",
	/* KS_ERR_XAPIAN */ "Xapian error",
	/* KS_ERR_TOO_BROAD */ "the query's wildcards expand to too many words",
	/* KS_ERR_TIMEOUT */ "the search took too long",
	/* KS_ERR_CANCELLED */ "the search was stopped",
};
static_assert(sizeof status_names / sizeof *status_names == KS_STATUS_COUNT,
	      "every ks_status needs a name");

extern "C" const char *ks_status_str(ks_status status)
{
	if (status < 0 || status >= KS_STATUS_COUNT)
		return "unknown status";
	return status_names[status];
}

static ks_status status_of(const Xapian::Error &e)
{
	const std::string type = e.get_type();
	// Xapian reports a lock file it may not create (a read-only folder, a
	// read-only file system) as a DatabaseLockError too; only "already
	// locked" means that another writer holds the database.
	if (type == "DatabaseLockError") {
		const std::string &why = e.get_msg();
		const std::string held = ": already locked";
		return why.size() >= held.size() &&
				       why.compare(why.size() - held.size(), held.size(), held) == 0
			       ? KS_ERR_LOCKED
			       : KS_ERR_OPENING;
	}
	if (type == "DatabaseNotFoundError" || type == "DocNotFoundError")
		return KS_ERR_NOT_FOUND;
	if (type == "DatabaseOpeningError" || type == "DatabaseCreateError" ||
	    type == "DatabaseVersionError")
		return KS_ERR_OPENING;
	if (type == "DatabaseCorruptError")
		return KS_ERR_CORRUPT;
	if (type == "DatabaseModifiedError")
		return KS_ERR_MODIFIED;
	if (type == "NetworkError" || type == "NetworkTimeoutError")
		return KS_ERR_NETWORK;
	if (type == "QueryParserError")
		return KS_ERR_QUERY;
	return KS_ERR_XAPIAN;
}

static ks_status remember(ks_db *db, ks_status st, const char *message)
{
	if (db) {
		try {
			db->error = message;
		} catch (...) {
			db->error.clear();
		}
	}
	return st;
}

// A bad argument is reported like any other failure, so that a caller who
// prints ks_db_error() never shows the message of an earlier one.
static ks_status invalid(ks_db *db, const char *why)
{
	return remember(db, KS_ERR_INVALID, why);
}

// Names the first thing wrong with a FIELD that must be of KIND, or NULL.
static const char *bad_field(int field, ks_field_kind kind)
{
	if (field < 0 || field >= KS_FIELD_COUNT)
		return "no such field";
	if (ks_fields[field].kind != kind)
		return kind == KS_FIELD_BOOLEAN ? "not a boolean field" : "not a free-text field";
	return nullptr;
}

// Runs F; any exception becomes a status with its message kept on DB.  A
// failure that F returns without a message of its own (copy_out() out of
// memory) gets the status's name, never the message of an earlier call.
template <typename F> static ks_status guard(ks_db *db, F &&f)
{
	try {
		if (db)
			db->error.clear();
		ks_status st = f();
		if (db && st != KS_OK && db->error.empty())
			db->error = ks_status_str(st);
		return st;
	} catch (const Xapian::Error &e) {
		return remember(db, status_of(e), e.get_description().c_str());
	} catch (const std::bad_alloc &) {
		return remember(db, KS_ERR_NOMEM, "out of memory");
	} catch (const std::exception &e) {
		return remember(db, KS_ERR_XAPIAN, e.what());
	} catch (...) {
		return remember(db, KS_ERR_XAPIAN, "unknown C++ exception");
	}
}

// A malloc'd copy for C callers.
static ks_status copy_out(const std::string &s, char **out)
{
	char *c = static_cast<char *>(std::malloc(s.size() + 1));
	if (!c)
		return KS_ERR_NOMEM;
	std::memcpy(c, s.data(), s.size());
	c[s.size()] = '\0';
	*out = c;
	return KS_OK;
}

// ---- the schema's terms ---------------------------------------------------

// The boolean term of VALUE in FIELD: lower-cased, and cut at a UTF-8
// boundary so that Xapian's 245-byte term limit is never reached.
static std::string boolean_term(ks_field_id field, const char *value)
{
	const std::string prefix = ks_fields[field].prefix;
	std::string v = Xapian::Unicode::tolower(value);
	const size_t room = KS_MAX_TERM_BYTES - prefix.size();
	if (v.size() > room) {
		size_t cut = room;
		while (cut > 0 && (static_cast<unsigned char>(v[cut]) & 0xC0) == 0x80)
			cut--;
		v.resize(cut);
	}
	return prefix + v;
}

// A boolean prefix typed in a query ("sag:21-046835k", "udvalg:Økonomiudvalget")
// becomes the same normalised term the indexer wrote, whatever its case.
class BooleanField : public Xapian::FieldProcessor
{
	ks_field_id field;

      public:
	explicit BooleanField(ks_field_id f) : field(f)
	{
	}
	Xapian::Query operator()(const std::string &str) override
	{
		return Xapian::Query(boolean_term(field, str.c_str()));
	}
};

// "nettobudget:10000000..", "nettobudget:..50.000.000": whole kroner on
// KS_SLOT_NETTOBUDGET, written with or without the thousands dots of the
// documents ("50.190.100 kr.").
class AmountRange : public Xapian::NumberRangeProcessor
{
	static bool digit(const std::string &s, size_t i)
	{
		return i < s.size() && s[i] >= '0' && s[i] <= '9';
	}
	// S without a '.' between a digit and a group of exactly three.
	static std::string undotted(const std::string &s)
	{
		std::string out;
		for (size_t i = 0; i < s.size(); i++)
			if (!(s[i] == '.' && i > 0 && digit(s, i - 1) && digit(s, i + 1) &&
			      digit(s, i + 2) && digit(s, i + 3) && !digit(s, i + 4)))
				out += s[i];
		return out;
	}

      public:
	AmountRange() : Xapian::NumberRangeProcessor(KS_SLOT_NETTOBUDGET, "nettobudget:")
	{
	}
	Xapian::Query operator()(const std::string &begin, const std::string &end) override
	{
		return Xapian::NumberRangeProcessor::operator()(undotted(begin), undotted(end));
	}
};

// ---- facets ----------------------------------------------------------------

// KS_SLOT_FACETS of DOC, made from its four facet values.
static std::string facets_value(const Xapian::Document &doc)
{
	std::string out;
	for (int f = 0; f < KS_FACET_COUNT; f++) {
		std::string v = doc.get_value(ks_facets[f].slot);
		std::replace(v.begin(), v.end(), KS_FACET_SEP, ' ');
		if (f)
			out += KS_FACET_SEP;
		out += v;
	}
	return out;
}

// ---- spelling data ----------------------------------------------------------
//
// The TermGenerator's FLAG_SPELLING updates the spelling table once per word
// occurrence, which took over a third of the indexing time.  Instead the
// words of each document are counted here and written once per distinct
// word when the database is written; a deleted document's words are taken
// out again, so the suggestions never offer a word of a removed file.
// A document's words are its unprefixed, unstemmed terms that are not
// numbers; a closed item (XLUKtrue) contributes none.

static bool spelling_word(const std::string &term)
{
	if (term.empty())
		return false;
	const unsigned char c = static_cast<unsigned char>(term[0]);
	return !(c >= 'A' && c <= 'Z') && !(c >= '0' && c <= '9');
}

static bool is_closed(const Xapian::Document &doc)
{
	const std::string closed = boolean_term(KS_FIELD_LUKKET, "true");
	Xapian::TermIterator t = doc.termlist_begin();
	t.skip_to(closed);
	return t != doc.termlist_end() && *t == closed;
}

static void count_spelling(ks_db *db, const Xapian::Document &doc, long long sign)
{
	// The words in term order, so that a word's twin is found by a
	// binary search: a document's term list is a map, and looking each
	// twin up in it walked the list from its start (a sixth of the
	// indexing time).
	std::vector<std::pair<std::string, Xapian::termcount>> words;
	for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
		std::string term = *t;
		if (spelling_word(term))
			words.emplace_back(std::move(term), t.get_wdf());
	}
	const auto has_word = [&](const std::string &w) {
		auto at = std::lower_bound(words.begin(), words.end(), w,
					   [](const std::pair<std::string, Xapian::termcount> &a,
					      const std::string &b) { return a.first < b; });
		return at != words.end() && at->first == w;
	};
	for (const auto &w : words) {
		// A word without Danish letters next to its twin with them
		// ("hjemloeshed", "hjemløshed") is mostly the other spelling
		// that add_word_forms() added: suggestions offer the Danish.
		const std::string other = ks::other_spelling(w.first);
		if (!other.empty() && !ks::has_danish_letters(w.first) && has_word(other))
			continue;
		db->spelling[w.first] += sign * static_cast<long long>(w.second);
	}
}

static void write_spelling(ks_db *db)
{
	for (const auto &w : db->spelling) {
		if (w.second > 0)
			db->wdb.add_spelling(w.first, static_cast<Xapian::termcount>(w.second));
		else if (w.second < 0)
			db->wdb.remove_spelling(w.first, static_cast<Xapian::termcount>(-w.second));
	}
	db->spelling.clear();
}

// Takes the words of the documents indexed by TERM out of the spelling data.
static void uncount_spelling(ks_db *db, const std::string &term)
{
	Xapian::Database &r = db->reader();
	for (auto p = r.postlist_begin(term); p != r.postlist_end(term); ++p) {
		Xapian::Document doc = r.get_document(*p);
		if (!is_closed(doc))
			count_spelling(db, doc, -1);
	}
}

// ---- word forms at index time -----------------------------------------------
//
// The TermGenerator indexes each text once, into a scratch document whose
// terms are then copied into the record's document: with the field's
// prefix, and without it for a plain search.  At the positions of the
// words found, more words are added for a plain search to find them there
// too: the parts of compounds, the spelling with or without Danish letters,
// the whole words of suspended hyphens, and the terms of synonym groups.
// The words are read back from the scratch document rather than tokenized
// again, so that they are exactly the TermGenerator's.

struct word_at {
	Xapian::termpos pos;
	std::string word;
};

// A word of a text with the positions it has there.
struct word_positions {
	std::string word;
	std::vector<Xapian::termpos> positions;
};

// What the TermGenerator made of one text, positions counted from 1.
struct text_terms {
	std::vector<word_positions> distinct;                         // in term order
	std::vector<std::pair<std::string, Xapian::termcount>> stems; // stem, count
	std::vector<word_at> words; // the words in the text's order
	Xapian::termpos length = 0; // the position of its last word
};

static void read_text(ks_db *db, const std::string &text, text_terms *out)
{
	Xapian::Document scratch;
	Xapian::TermGenerator &tg = db->tg;
	tg.set_document(scratch);
	tg.set_termpos(0);
	tg.index_text(text);
	out->length = tg.get_termpos();
	for (auto t = scratch.termlist_begin(); t != scratch.termlist_end(); ++t) {
		std::string term = *t;
		if (term[0] == 'Z') { // a stem: the words are lower case
			out->stems.emplace_back(term.substr(1), t.get_wdf());
			continue;
		}
		word_positions w{ std::move(term), {} };
		for (auto p = t.positionlist_begin(); p != t.positionlist_end(); ++p) {
			w.positions.push_back(*p);
			out->words.push_back({ *p, w.word });
		}
		out->distinct.push_back(std::move(w));
	}
	std::sort(out->words.begin(), out->words.end(),
		  [](const word_at &a, const word_at &b) { return a.pos < b.pos; });
}

// The stem of WORD as the TermGenerator indexes it with STEM_SOME: "" unless
// it starts with a letter.
static std::string stem_some(ks_db *db, const std::string &word)
{
	switch (Xapian::Unicode::get_category(*Xapian::Utf8Iterator(word))) {
	case Xapian::Unicode::LOWERCASE_LETTER:
	case Xapian::Unicode::TITLECASE_LETTER:
	case Xapian::Unicode::MODIFIER_LETTER:
	case Xapian::Unicode::OTHER_LETTER:
		return db->stem(word);
	default:
		return std::string();
	}
}

// Adds WORD (lower case) at POS as the TermGenerator would have indexed it
// with STEM_SOME: with its position, and "Z"+stem when it starts with a
// letter.
static void add_word(ks_db *db, Xapian::Document &doc, const std::string &prefix,
		     const std::string &word, Xapian::termpos pos, Xapian::termcount wdf)
{
	if (word.empty() || word.size() > KS_MAX_WORD_BYTES)
		return;
	doc.add_posting(prefix + word, pos, wdf);
	const std::string stem = stem_some(db, word);
	if (!stem.empty())
		doc.add_term("Z" + prefix + stem, wdf);
}

// Adds WORD and, when PLAIN, its other spelling.
static void add_word_and_spelling(ks_db *db, Xapian::Document &doc, const std::string &prefix,
				  const std::string &word, Xapian::termpos pos,
				  Xapian::termcount wdf, bool plain)
{
	add_word(db, doc, prefix, word, pos, wdf);
	if (plain)
		add_word(db, doc, prefix, ks::other_spelling(word), pos, wdf);
}

// How many words' forms are kept: those of the words seen most are reused,
// and the cache never grows past what a large corpus's vocabulary needs.
static const size_t KS_MAX_CACHED_WORDS = 1000000;

// What is added at every position of a word (see add_word_forms()), worked
// out once per word: splitting, respelling and stemming every occurrence
// anew took most of the indexing time.
static const word_forms &forms_of(ks_db *db, const std::string &word)
{
	auto found = db->forms.find(word);
	if (found != db->forms.end())
		return found->second;
	if (db->forms.size() >= KS_MAX_CACHED_WORDS)
		db->forms.clear();
	word_forms f;
	f.stem = db->stem(word);
	const auto add = [&](std::vector<word_form> &to, const std::string &form, bool part) {
		if (!form.empty() && form.size() <= KS_MAX_WORD_BYTES)
			to.push_back({ form, stem_some(db, form), part });
	};
	add(f.plain, ks::other_spelling(word), false);
	for (const std::string &part : ks::compound_parts(db->dict, word)) {
		add(f.field, part, true);
		add(f.plain, part, true);
		add(f.plain, ks::other_spelling(part), true);
	}
	return db->forms.emplace(word, std::move(f)).first->second;
}

// Marks every occurrence of a member of a synonym group in WORDS with the
// group's term, at the position of the member's first word.  Words are
// compared by their stems: "kommunalbestyrelsens" is a "kommunalbestyrelsen".
static void add_synonym_terms(ks_db *db, Xapian::Document &doc, const std::vector<word_at> &words,
			      Xapian::termcount wdf)
{
	if (db->synonyms.empty())
		return;
	// Copies: forms_of() may empty its cache on the way.
	std::vector<std::string> stems;
	for (const word_at &w : words)
		stems.push_back(forms_of(db, w.word).stem);
	for (size_t i = 0; i < words.size(); i++) {
		auto range = db->synonym_starts.equal_range(stems[i]);
		for (auto s = range.first; s != range.second; ++s) {
			const synonym_group &g = db->synonyms[s->second.first];
			const std::vector<std::string> &m = g.members[s->second.second];
			bool match = i + m.size() <= words.size();
			for (size_t k = 1; match && k < m.size(); k++)
				match = words[i + k].pos == words[i].pos + k &&
					stems[i + k] == m[k];
			if (match)
				doc.add_posting(g.term, words[i].pos, wdf);
		}
	}
}

// Adds to DOC the word forms of T, the words of TEXT at positions counted
// from BASE + 1, with PREFIX and weight WDF.  PLAIN: the copy that a query
// without a field prefix searches, which also gets the other spellings,
// the linking forms of suspended hyphens and the synonyms.
static void add_word_forms(ks_db *db, Xapian::Document &doc, const std::string &text,
			   const text_terms &t, Xapian::termpos base, const std::string &prefix,
			   Xapian::termcount wdf, bool plain)
{
	const Xapian::termcount part_wdf =
		std::max<Xapian::termcount>(1, wdf / KS_PART_WDF_DIVISOR);
	for (const word_positions &w : t.distinct) {
		const word_forms &forms = forms_of(db, w.word);
		for (const word_form &f : plain ? forms.plain : forms.field) {
			const Xapian::termcount n = f.part ? part_wdf : wdf;
			const std::string term = prefix + f.word;
			for (Xapian::termpos p : w.positions)
				doc.add_posting(term, base + p, n);
			if (!f.stem.empty())
				doc.add_term(
					"Z" + prefix + f.stem,
					n * static_cast<Xapian::termcount>(w.positions.size()));
		}
	}
	const auto suspended = ks::suspended_pairs(text);
	if (suspended.empty() && (!plain || db->synonyms.empty()))
		return;
	std::vector<word_at> words = t.words;
	for (word_at &w : words)
		w.pos += base;
	// "pris- og lønfremskrevet": "prisfremskrevet" at "pris".
	for (size_t i = 2; i < words.size() && !suspended.empty(); i++) {
		const word_at &w = words[i];
		const word_at &first = words[i - 2], &conj = words[i - 1];
		if (conj.pos + 1 != w.pos || first.pos + 2 != w.pos ||
		    (conj.word != "og" && conj.word != "eller") ||
		    !suspended.count({ first.word, w.word }))
			continue;
		const std::string whole = ks::suspended_word(db->dict, first.word, w.word);
		if (whole.empty())
			continue;
		add_word_and_spelling(db, doc, prefix, whole, first.pos, wdf, plain);
		// "Børn- og Familieområdet" is also "børneområdet": the
		// linking letters the hyphen may have dropped.
		const std::string head = whole.substr(first.word.size());
		const char last = first.word.back();
		for (const char *link : { "e", "s" })
			if (plain && last != 'e' && last != 's')
				add_word_and_spelling(db, doc, prefix, first.word + link + head,
						      first.pos, wdf, plain);
	}
	if (plain)
		add_synonym_terms(db, doc, words, wdf);
}

// Copies the terms of T, a text of DOC, into DOC with PREFIX and weight WDF
// after the positions used so far, then leaves a gap.
static void add_text_copy(ks_db *db, ks_doc *doc, const std::string &text, const text_terms &t,
			  const std::string &prefix, Xapian::termcount wdf, bool plain)
{
	const Xapian::termpos base = doc->termpos;
	for (const auto &stem : t.stems)
		doc->doc.add_term("Z" + prefix + stem.first, stem.second * wdf);
	for (const word_positions &w : t.distinct) {
		const std::string term = prefix + w.word;
		for (Xapian::termpos p : w.positions)
			doc->doc.add_posting(term, base + p, wdf);
	}
	add_word_forms(db, doc->doc, text, t, base, prefix, wdf, plain);
	doc->termpos = base + t.length + KS_FIELD_GAP;
}

// ---- configuration: the one TermGenerator and the one QueryParser ----------

static void configure_termgenerator(ks_db *d)
{
	d->tg.set_stemmer(d->stem);
	d->tg.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
	d->tg.set_max_word_length(KS_MAX_WORD_BYTES);
	if (d->writable)
		d->tg.set_database(d->wdb);
}

static void configure_queryparser(ks_db *d)
{
	d->qp.set_stemmer(d->stem);
	d->qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
	d->qp.set_default_op(Xapian::Query::OP_AND);
	d->qp.set_database(d->reader());
	d->qp.set_max_expansion(KS_MAX_WILDCARD_TERMS, Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
	// "nettobudget:10000000..": before the date processor, which would
	// take any range without a prefix.
	d->qp.add_rangeprocessor((new AmountRange)->release());
	// "2025-01-01..2025-06-30": the processor turns ISO dates into the
	// "YYYYMMDD" form that KS_SLOT_DATE holds, so a string range works.
	d->qp.add_rangeprocessor((new Xapian::DateRangeProcessor(KS_SLOT_DATE))->release());
	for (int i = 0; i < KS_FIELD_COUNT; i++) {
		const ks_field &f = ks_fields[i];
		if (!f.name)
			continue;
		if (f.kind == KS_FIELD_FREE_TEXT)
			d->qp.add_prefix(f.name, f.prefix);
		else
			d->qp.add_boolean_prefix(f.name,
						 (new BooleanField((ks_field_id)i))->release());
	}
}

// ---- opening --------------------------------------------------------------

// Makes a handle, lets SETUP open its database(s), and configures it.  No
// handle is left behind on failure; *MESSAGE gets Xapian's description.
template <typename F> static ks_status open_handle(ks_db **out, char **message, F &&setup)
{
	if (message)
		*message = nullptr;
	std::string why;
	ks_status st;
	try {
		ks_db *d = new ks_db;
		try {
			setup(d);
			configure_termgenerator(d);
			configure_queryparser(d);
		} catch (...) {
			delete d;
			throw;
		}
		*out = d;
		return KS_OK;
	} catch (const Xapian::Error &e) {
		st = status_of(e);
		why = e.get_description();
	} catch (const std::bad_alloc &) {
		st = KS_ERR_NOMEM;
		why = "out of memory";
	} catch (const std::exception &e) {
		st = KS_ERR_OPENING;
		why = e.what();
	} catch (...) {
		st = KS_ERR_XAPIAN;
		why = "unknown C++ exception";
	}
	if (message)
		copy_out(why, message);
	return st;
}

extern "C" ks_status ks_db_open_write(const char *path, ks_open_mode mode, ks_db **out,
				      char **message)
{
	if (!path || !out)
		return KS_ERR_INVALID;
	return open_handle(out, message, [&](ks_db *d) {
		int flags = mode == KS_OPEN_FRESH ? Xapian::DB_CREATE : Xapian::DB_CREATE_OR_OPEN;
		d->wdb = Xapian::WritableDatabase(path, flags | Xapian::DB_BACKEND_GLASS);
		d->writable = true;
	});
}

static const char TCP_SCHEME[] = "tcp://";

static bool is_remote(const std::string &path)
{
	return path.compare(0, sizeof TCP_SCHEME - 1, TCP_SCHEME) == 0;
}

// "tcp://HOST:PORT" → the remote database served by xapian-tcpsrv.
static Xapian::Database open_one(const std::string &path)
{
	const std::string scheme = TCP_SCHEME;
	if (!is_remote(path))
		return Xapian::Database(path);
	const std::string hostport = path.substr(scheme.size());
	const size_t colon = hostport.rfind(':');
	if (colon == std::string::npos || colon + 1 == hostport.size())
		throw Xapian::DatabaseOpeningError("no port in " + path);
	const std::string port = hostport.substr(colon + 1);
	char *end;
	long p = std::strtol(port.c_str(), &end, 10);
	if (*end || p < 1 || p > 65535)
		throw Xapian::DatabaseOpeningError("bad port in " + path);
	return Xapian::Remote::open(hostport.substr(0, colon), static_cast<unsigned>(p));
}

extern "C" ks_status ks_db_open_read(const char *const *paths, size_t n, ks_db **out,
				     char **message)
{
	if (!paths || n == 0 || !out)
		return KS_ERR_INVALID;
	return open_handle(out, message, [&](ks_db *d) {
		for (size_t i = 0; i < n; i++) {
			const std::string path = paths[i] ? paths[i] : "";
			d->db.add_database(open_one(path));
			d->remote |= is_remote(path);
		}
	});
}

extern "C" ks_status ks_db_compact(const char *const *paths, size_t n, const char *dest,
				   char **message)
{
	if (!paths || n == 0 || !dest)
		return KS_ERR_INVALID;
	ks_db *d = nullptr;
	ks_status st = ks_db_open_read(paths, n, &d, message);
	if (st)
		return st;
	st = guard(d, [&] {
		d->db.compact(dest);
		return KS_OK;
	});
	if (st && message)
		copy_out(d->error, message);
	ks_db_close(d);
	return st;
}

extern "C" void ks_db_close(ks_db *db)
{
	if (!db)
		return;
	try {
		if (db->writable && db->in_transaction)
			db->wdb.cancel_transaction();
		else if (db->writable)
			write_spelling(db); // close() commits what was added
		db->reader().close();
	} catch (...) {
		// Closing a damaged database can throw; the handle goes anyway.
	}
	delete db;
}

extern "C" const char *ks_db_error(const ks_db *db)
{
	return db ? db->error.c_str() : "";
}

extern "C" ks_status ks_db_reopen(ks_db *db, bool *changed)
{
	if (!db)
		return KS_ERR_INVALID;
	return guard(db, [&] {
		bool c = db->writable ? false : db->db.reopen();
		if (changed)
			*changed = c;
		return KS_OK;
	});
}

extern "C" ks_status ks_db_doccount(ks_db *db, uint32_t *out)
{
	if (!db)
		return KS_ERR_INVALID;
	if (!out)
		return invalid(db, "no result pointer");
	return guard(db, [&] {
		*out = db->reader().get_doccount();
		return KS_OK;
	});
}

// ---- transactions ---------------------------------------------------------

static const char READ_ONLY[] = "the database is open for reading only";

extern "C" ks_status ks_db_begin(ks_db *db)
{
	if (!db)
		return KS_ERR_INVALID;
	if (!db->writable)
		return invalid(db, READ_ONLY);
	if (db->in_transaction)
		return invalid(db, "a transaction is already open");
	return guard(db, [&] {
		// A flushed transaction: nothing is committed before
		// commit_transaction(), whatever the auto-flush threshold.
		db->wdb.begin_transaction(true);
		db->in_transaction = true;
		return KS_OK;
	});
}

extern "C" ks_status ks_db_commit(ks_db *db)
{
	if (!db)
		return KS_ERR_INVALID;
	if (!db->writable || !db->in_transaction)
		return invalid(db, "no transaction is open");
	return guard(db, [&] {
		write_spelling(db);
		db->wdb.commit_transaction();
		db->in_transaction = false;
		return KS_OK;
	});
}

extern "C" ks_status ks_db_flush(ks_db *db)
{
	if (!db)
		return KS_ERR_INVALID;
	if (!db->writable)
		return invalid(db, READ_ONLY);
	if (db->in_transaction)
		return invalid(db, "a transaction is open: commit it instead");
	return guard(db, [&] {
		write_spelling(db);
		db->wdb.commit();
		return KS_OK;
	});
}

extern "C" ks_status ks_db_next_part(ks_db *db, const char *path)
{
	if (db && !path)
		return invalid(db, "no path");
	ks_status st = ks_db_flush(db);
	if (st)
		return st;
	return guard(db, [&] {
		db->wdb.close();
		db->wdb = Xapian::WritableDatabase(path,
						   Xapian::DB_CREATE | Xapian::DB_BACKEND_GLASS);
		configure_termgenerator(db);
		return KS_OK;
	});
}

// ---- metadata -------------------------------------------------------------

extern "C" ks_status ks_db_get_metadata(ks_db *db, const char *key, char **out)
{
	if (!db)
		return KS_ERR_INVALID;
	if (!key || !*key || !out)
		return invalid(db, "no metadata key");
	return guard(db, [&] { return copy_out(db->reader().get_metadata(key), out); });
}

extern "C" ks_status ks_db_set_metadata(ks_db *db, const char *key, const char *value)
{
	if (!db)
		return KS_ERR_INVALID;
	if (!db->writable)
		return invalid(db, READ_ONLY);
	if (!key || !*key || !value)
		return invalid(db, "no metadata key or value");
	return guard(db, [&] {
		db->wdb.set_metadata(key, value);
		return KS_OK;
	});
}

extern "C" ks_status ks_db_each_metadata(ks_db *db, const char *prefix, ks_metadata_fn fn,
					 void *arg)
{
	if (!db)
		return KS_ERR_INVALID;
	if (!prefix || !fn)
		return invalid(db, "no prefix or callback");
	return guard(db, [&] {
		Xapian::Database &r = db->reader();
		for (auto k = r.metadata_keys_begin(prefix); k != r.metadata_keys_end(prefix);
		     ++k) {
			const std::string key = *k;
			if (fn(key.c_str(), r.get_metadata(key).c_str(), arg))
				break;
		}
		return KS_OK;
	});
}

// ---- words ----------------------------------------------------------------

// Adds every word of R's spelling data (the documents' own words) to DB's
// dictionary of compound parts.
static void learn_spellings(ks_db *db, Xapian::Database &r)
{
	for (auto w = r.spellings_begin(); w != r.spellings_end(); ++w)
		db->dict.add_used(*w);
}

extern "C" ks_status ks_db_load_words(ks_db *db, const char *path)
{
	if (!db)
		return KS_ERR_INVALID;
	if (!db->writable)
		return invalid(db, READ_ONLY);
	if (!path)
		return invalid(db, "no path");
	return guard(db, [&] {
		std::string why;
		if (!db->dict.load(path, &why))
			return remember(db, KS_ERR_NOT_FOUND, why.c_str());
		learn_spellings(db, db->reader());
		return KS_OK;
	});
}

extern "C" ks_status ks_db_learn_words(ks_db *db, ks_db *from)
{
	if (!db || !from)
		return KS_ERR_INVALID;
	if (!db->writable)
		return invalid(db, READ_ONLY);
	return guard(db, [&] {
		learn_spellings(db, from->reader());
		if (from != db)
			db->dict.add_used(from->dict);
		return KS_OK;
	});
}

extern "C" ks_status ks_db_learn_text(ks_db *db, const char *text)
{
	if (!db)
		return KS_ERR_INVALID;
	if (!db->writable)
		return invalid(db, READ_ONLY);
	if (!text)
		return invalid(db, "no text");
	return guard(db, [&] {
		// The words only: no stems, no positions.
		Xapian::Document scratch;
		Xapian::TermGenerator &tg = db->tg;
		tg.set_stemming_strategy(Xapian::TermGenerator::STEM_NONE);
		tg.set_document(scratch);
		tg.index_text_without_positions(text);
		tg.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
		for (auto t = scratch.termlist_begin(); t != scratch.termlist_end(); ++t)
			db->dict.add_used(*t);
		return KS_OK;
	});
}

static std::string joined(const std::vector<std::string> &words, const char *sep)
{
	std::string out;
	for (size_t i = 0; i < words.size(); i++)
		out += (i ? sep : "") + words[i];
	return out;
}

// The term that marks a member of group G: XSY and its first member.
static std::string group_term(const ks::SynonymGroup &g)
{
	return KS_PREFIX_SYNONYM + joined(g.members[0], "_");
}

// The synonym table that GROUPS make: each member (its words joined by a
// space, as the query parser looks a group of words up) and the "Z" stem
// of a one-word member, each to the group's term.
static std::map<std::string, std::set<std::string>>
synonym_table(ks_db *db, const std::vector<ks::SynonymGroup> &groups)
{
	std::map<std::string, std::set<std::string>> table;
	for (const ks::SynonymGroup &g : groups)
		for (const auto &m : g.members) {
			table[joined(m, " ")].insert(group_term(g));
			if (m.size() == 1)
				table["Z" + db->stem(m[0])].insert(group_term(g));
		}
	return table;
}

extern "C" ks_status ks_db_set_synonyms(ks_db *db, const char *path)
{
	if (!db)
		return KS_ERR_INVALID;
	if (!db->writable)
		return invalid(db, READ_ONLY);
	if (!path)
		return invalid(db, "no path");
	return guard(db, [&] {
		std::vector<ks::SynonymGroup> groups;
		std::string why;
		if (!ks::load_synonyms(path, &groups, &why)) {
			const bool unread = why.compare(0, 6, "cannot") == 0;
			return remember(db, unread ? KS_ERR_NOT_FOUND : KS_ERR_INVALID,
					why.c_str());
		}
		db->synonyms.clear();
		db->synonym_starts.clear();
		for (const ks::SynonymGroup &g : groups) {
			synonym_group sg;
			sg.term = group_term(g);
			for (const auto &m : g.members) {
				std::vector<std::string> stems;
				for (const std::string &w : m)
					stems.push_back(db->stem(w));
				db->synonym_starts.emplace(
					stems[0],
					std::make_pair(db->synonyms.size(), sg.members.size()));
				sg.members.push_back(stems);
			}
			db->synonyms.push_back(sg);
		}
		const auto table = synonym_table(db, groups);
		// Rewritten only when it differs, so that an update that
		// changes nothing writes nothing.
		std::map<std::string, std::set<std::string>> now;
		for (auto k = db->wdb.synonym_keys_begin(); k != db->wdb.synonym_keys_end(); ++k)
			for (auto v = db->wdb.synonyms_begin(*k); v != db->wdb.synonyms_end(*k);
			     ++v)
				now[*k].insert(*v);
		if (now != table) {
			for (const auto &k : now)
				db->wdb.clear_synonyms(k.first);
			for (const auto &k : table)
				for (const std::string &v : k.second)
					db->wdb.add_synonym(k.first, v);
		}
		return KS_OK;
	});
}

// ---- documents ------------------------------------------------------------

extern "C" ks_status ks_doc_new(ks_db *db, ks_doc **out)
{
	if (!db)
		return KS_ERR_INVALID;
	if (!db->writable)
		return invalid(db, READ_ONLY);
	if (!out)
		return invalid(db, "no result pointer");
	return guard(db, [&] {
		*out = new ks_doc{ db, Xapian::Document(), 0 };
		return KS_OK;
	});
}

extern "C" void ks_doc_free(ks_doc *doc)
{
	delete doc;
}

extern "C" ks_status ks_doc_index_text(ks_doc *doc, ks_field_id field, const char *text,
				       bool spelling)
{
	if (!doc)
		return KS_ERR_INVALID;
	ks_db *db = doc->db;
	if (const char *why = bad_field(field, KS_FIELD_FREE_TEXT))
		return invalid(db, why);
	if (!text)
		return invalid(db, "no text");
	return guard(db, [&] {
		const ks_field &f = ks_fields[field];
		text_terms t;
		read_text(db, text, &t);
		// The documents' own words count as known parts of compounds.
		for (const word_at &w : t.words)
			db->dict.add_used(w.word);
		doc->spelling |= spelling;
		// A prefixed field is searchable by its name ("titel:") and,
		// with its own weight, by a plain query.
		if (*f.prefix)
			add_text_copy(db, doc, text, t, f.prefix, 1, false);
		add_text_copy(db, doc, text, t, "", f.wdf_inc, true);
		return KS_OK;
	});
}

extern "C" ks_status ks_doc_add_boolean(ks_doc *doc, ks_field_id field, const char *value)
{
	if (!doc)
		return KS_ERR_INVALID;
	if (const char *why = bad_field(field, KS_FIELD_BOOLEAN))
		return invalid(doc->db, why);
	if (!value || !*value)
		return KS_OK;
	return guard(doc->db, [&] {
		doc->doc.add_boolean_term(boolean_term(field, value));
		return KS_OK;
	});
}

extern "C" ks_status ks_doc_set_value(ks_doc *doc, ks_slot slot, const char *value)
{
	if (!doc)
		return KS_ERR_INVALID;
	if (slot < 0 || slot >= KS_SLOT_COUNT || !value)
		return invalid(doc->db, "no such slot or no value");
	return guard(doc->db, [&] {
		doc->doc.add_value(slot, value);
		return KS_OK;
	});
}

extern "C" ks_status ks_doc_set_number(ks_doc *doc, ks_slot slot, double number)
{
	if (!doc)
		return KS_ERR_INVALID;
	if (slot < 0 || slot >= KS_SLOT_COUNT)
		return invalid(doc->db, "no such slot");
	return guard(doc->db, [&] {
		doc->doc.add_value(slot, Xapian::sortable_serialise(number));
		return KS_OK;
	});
}

extern "C" ks_status ks_doc_set_data(ks_doc *doc, const char *data)
{
	if (!doc)
		return KS_ERR_INVALID;
	if (!data)
		return invalid(doc->db, "no data");
	return guard(doc->db, [&] {
		doc->doc.set_data(data);
		return KS_OK;
	});
}

extern "C" ks_status ks_db_replace(ks_db *db, const char *id, ks_doc *doc)
{
	if (!db)
		return KS_ERR_INVALID;
	if (!db->writable)
		return invalid(db, READ_ONLY);
	if (!id || !*id || !doc)
		return invalid(db, "no id or no document");
	return guard(db, [&] {
		const std::string term = boolean_term(KS_FIELD_ID, id);
		// A new id (every one, when building an index afresh) is
		// added: replacing by term opened a posting list for it.
		const bool known = db->wdb.term_exists(term);
		if (known)
			uncount_spelling(db, term);
		if (doc->spelling && !is_closed(doc->doc))
			count_spelling(db, doc->doc, 1);
		doc->doc.add_value(KS_SLOT_FACETS, facets_value(doc->doc));
		if (known)
			db->wdb.replace_document(term, doc->doc);
		else
			db->wdb.add_document(doc->doc);
		return KS_OK;
	});
}

extern "C" ks_status ks_db_delete(ks_db *db, ks_field_id field, const char *value)
{
	if (!db)
		return KS_ERR_INVALID;
	if (!db->writable)
		return invalid(db, READ_ONLY);
	if (const char *why = bad_field(field, KS_FIELD_BOOLEAN))
		return invalid(db, why);
	// An empty value would delete by the bare prefix: every document.
	if (!value || !*value)
		return invalid(db, "no value");
	return guard(db, [&] {
		const std::string term = boolean_term(field, value);
		uncount_spelling(db, term);
		db->wdb.delete_document(term);
		return KS_OK;
	});
}

extern "C" ks_status ks_db_has_term(ks_db *db, ks_field_id field, const char *value, bool *out)
{
	if (!db)
		return KS_ERR_INVALID;
	if (const char *why = bad_field(field, KS_FIELD_BOOLEAN))
		return invalid(db, why);
	if (!value || !out)
		return invalid(db, "no value");
	return guard(db, [&] {
		*out = *value && db->reader().term_exists(boolean_term(field, value));
		return KS_OK;
	});
}

// The document whose id term is Q+ID; KS_ERR_NOT_FOUND if there is none.
static ks_status find_doc(ks_db *db, const char *id, Xapian::Document *out)
{
	Xapian::Database &r = db->reader();
	const std::string term = boolean_term(KS_FIELD_ID, id);
	Xapian::PostingIterator p = r.postlist_begin(term);
	if (p == r.postlist_end(term))
		return remember(db, KS_ERR_NOT_FOUND, "no such id");
	*out = r.get_document(*p);
	return KS_OK;
}

extern "C" ks_status ks_db_get_data(ks_db *db, const char *id, char **out)
{
	if (!db)
		return KS_ERR_INVALID;
	if (!id || !out)
		return invalid(db, "no id");
	return guard(db, [&] {
		Xapian::Document doc;
		ks_status st = find_doc(db, id, &doc);
		return st ? st : copy_out(doc.get_data(), out);
	});
}

// ---- inspecting -----------------------------------------------------------

extern "C" ks_status ks_db_each_term(ks_db *db, const char *id, ks_term_fn fn, void *arg)
{
	if (!db)
		return KS_ERR_INVALID;
	if (!id || !fn)
		return invalid(db, "no id or callback");
	return guard(db, [&] {
		Xapian::Document doc;
		ks_status st = find_doc(db, id, &doc);
		if (st)
			return st;
		for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t)
			if (fn((*t).c_str(), arg))
				break;
		return KS_OK;
	});
}

extern "C" ks_status ks_db_get_value(ks_db *db, const char *id, ks_slot slot, char **out)
{
	if (!db)
		return KS_ERR_INVALID;
	if (!id || slot < 0 || slot >= KS_SLOT_COUNT || !out)
		return invalid(db, "no id or no such slot");
	return guard(db, [&] {
		Xapian::Document doc;
		ks_status st = find_doc(db, id, &doc);
		return st ? st : copy_out(doc.get_value(slot), out);
	});
}

extern "C" ks_status ks_db_each_spelling(ks_db *db, ks_term_fn fn, void *arg)
{
	if (!db)
		return KS_ERR_INVALID;
	if (!fn)
		return invalid(db, "no callback");
	return guard(db, [&] {
		Xapian::Database &r = db->reader();
		for (auto w = r.spellings_begin(); w != r.spellings_end(); ++w)
			if (fn((*w).c_str(), arg))
				break;
		return KS_OK;
	});
}

// ---- searching ------------------------------------------------------------

// Splits S into runs of word characters and runs of anything else, in
// turn: a separator run first (maybe empty), then a word, and so on.
static std::vector<std::string> word_runs(const std::string &s)
{
	// The bytes are copied as they are: an invalid sequence stays itself.
	std::vector<std::string> runs(1);
	for (Xapian::Utf8Iterator u(s); u != Xapian::Utf8Iterator();) {
		const bool word = Xapian::Unicode::is_wordchar(*u);
		if (word != (runs.size() % 2 == 0))
			runs.emplace_back();
		const char *start = u.raw();
		++u;
		runs.back().append(start, u.raw() - start); // at the end, raw() is the end
	}
	return runs;
}

// The spelling correction of TEXT, given Xapian's CORRECTED form of it.
// Xapian 1.4's QueryParser also "corrects" words that are in the index
// ("hjemløshed" into "hjemløse": get_spelling_suggestion() never offers the
// word itself), so those are put back; "" when nothing is left to correct.
// Only a word replaced by a word is judged: when the two do not pair up,
// Xapian's correction stands.
static std::string real_correction(ks_db *db, const std::string &text, const std::string &corrected)
{
	if (corrected.empty())
		return corrected;
	const std::vector<std::string> a = word_runs(text), b = word_runs(corrected);
	if (a.size() != b.size())
		return corrected;
	std::string out;
	bool changed = false;
	for (size_t i = 0; i < a.size(); i++) {
		const bool word = i % 2 == 1;
		if (!word && a[i] != b[i])
			return corrected;
		if (word && a[i] != b[i] &&
		    !db->reader().term_exists(Xapian::Unicode::tolower(a[i]))) {
			out += b[i];
			changed = true;
		} else {
			out += a[i];
		}
	}
	return changed ? out : std::string();
}

// Parses Q.  A malformed query (unbalanced quotes or brackets, a stray
// operator, a range no processor knows such as "2024..2025") is answered
// as plain words, never as an error: the second parse has no operators and
// no syntax left that could fail.  With SUGGESTION, *SUGGESTION receives
// the spelling correction of the text parsed ("" for none); the correction
// looks up every word the index lacks, so it is only paid for when asked.
static Xapian::Query parse(ks_db *db, const std::string &q, std::string *suggestion)
{
	const unsigned spelling = suggestion ? Xapian::QueryParser::FLAG_SPELLING_CORRECTION : 0;
	const auto parsed = [&](const std::string &text, unsigned flags) {
		Xapian::Query query = db->qp.parse_query(text, flags | spelling);
		if (suggestion)
			*suggestion =
				real_correction(db, text, db->qp.get_corrected_query_string());
		return query;
	};
	try {
		return parsed(q, KS_QUERY_FLAGS & ~Xapian::QueryParser::FLAG_SPELLING_CORRECTION);
	} catch (const Xapian::QueryParserError &) {
	}
	std::string cleaned = q;
	for (size_t i = 0; i < cleaned.size(); i++) {
		if (std::strchr("\"()*+-:", cleaned[i]))
			cleaned[i] = ' ';
		// Ranges are parsed whatever the flags; a single '.' is kept,
		// as in "10.00".
		else if (cleaned.compare(i, 2, "..") == 0)
			cleaned[i] = cleaned[i + 1] = ' ';
	}
	// A stray operator is not one of the words the user looks for.
	static const char *const operators[] = { "AND", "OR", "NOT", "XOR", "NEAR", "ADJ" };
	std::string words, word;
	for (size_t i = 0; i <= cleaned.size(); i++) {
		if (i < cleaned.size() && cleaned[i] != ' ') {
			word += cleaned[i];
			continue;
		}
		bool op = false;
		for (const char *o : operators)
			op |= word == o;
		if (!word.empty() && !op)
			words += (words.empty() ? "" : " ") + word;
		word.clear();
	}
	try {
		return parsed(words, 0);
	} catch (const Xapian::QueryParserError &) {
		if (suggestion)
			suggestion->clear();
		return Xapian::Query::MatchNothing;
	}
}

static std::string trimmed(const char *q)
{
	std::string s = q ? q : "";
	const char *blank = " \t\r\n";
	size_t a = s.find_first_not_of(blank);
	if (a == std::string::npos)
		return std::string();
	return s.substr(a, s.find_last_not_of(blank) - a + 1);
}

// The weight that puts a case's own items above every other match when the
// query names its case number.  BM25 gives a term a few units at most; the
// sum of a whole query stays far below this.
static const double KS_CASE_BOOST = 1e6;

static bool ascii_digit(const std::string &s, size_t i)
{
	return i < s.size() && s[i] >= '0' && s[i] <= '9';
}

static bool ascii_letter(const std::string &s, size_t i)
{
	return i < s.size() && ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z'));
}

// Whether the byte at I of S can be part of a word (ASCII letters and digits,
// any byte of a multi-byte character).
static bool word_byte(const std::string &s, size_t i)
{
	return i < s.size() && (ascii_digit(s, i) || ascii_letter(s, i) ||
				static_cast<unsigned char>(s[i]) >= 0x80);
}

// The case numbers in TEXT, in any form ("25-002452", "21-046835k",
// "25 - 002452"), as ks_sagsnummer_parse() writes them; *REST receives TEXT
// without them and without a word "sag" (or "sagsnr.", "nr.") before one.
// A number in quotes or after a field prefix ("sag:25-002452") stays.
static std::vector<std::string> case_numbers(const std::string &text, std::string *rest)
{
	std::vector<std::string> found;
	std::string out;
	bool quoted = false;
	for (size_t i = 0; i < text.size();) {
		if (text[i] == '"')
			quoted = !quoted;
		size_t k = i + 2, digits;
		bool is_case = !quoted && ascii_digit(text, i) && ascii_digit(text, i + 1) &&
			       (i == 0 || (!word_byte(text, i - 1) && text[i - 1] != ':'));
		if (is_case) {
			while (k < text.size() && text[k] == ' ')
				k++;
			is_case = k < text.size() && text[k] == '-';
		}
		if (is_case) {
			for (k++; k < text.size() && text[k] == ' ';)
				k++;
			for (digits = 0; ascii_digit(text, k + digits);)
				digits++;
			is_case = digits == 6;
			k += digits;
		}
		size_t end = k;
		if (is_case && ascii_letter(text, end))
			end++;
		if (!is_case || word_byte(text, end)) {
			out += text[i++];
			continue;
		}
		char sag[KS_SAGSNUMMER_SIZE];
		const std::string nr = text.substr(i, 2) + "-" + text.substr(k - 6, end - k + 6);
		if (!ks_sagsnummer_parse(nr.c_str(), sag)) {
			out += text[i++];
			continue;
		}
		found.push_back(sag);
		// "sag 25-002452", "sagsnr. 25-002452": the word names the
		// number, it is not one to look for.
		static const char *const names[] = { "sag",        "sagen", "sagsnr.", "sagsnr",
						     "sagsnummer", "nr.",   "nr" };
		size_t w = out.find_last_not_of(' ');
		if (w != std::string::npos) {
			const size_t start = out.find_last_of(' ', w) + 1; // npos + 1 == 0
			const std::string word =
				Xapian::Unicode::tolower(out.substr(start, w + 1 - start));
			for (const char *name : names)
				if (word == name)
					out.erase(start);
		}
		out += ' ';
		i = end;
	}
	*rest = out;
	return found;
}

// The query that TEXT (trimmed, not blank) stands for.  A case number in it
// selects the case: the records that mention the number, or that are the
// case's items, which a fixed weight ranks first whatever the other words
// find.  The boost is a posting source filtered by the case's term:
// boolean terms have wdf 0, so OP_SCALE_WEIGHT on the term alone would add
// nothing.  Several case numbers select any of their cases.
static Xapian::Query user_query(ks_db *db, const std::string &text)
{
	std::string rest;
	const std::vector<std::string> cases = case_numbers(text, &rest);
	if (cases.empty())
		return parse(db, text, nullptr);
	std::vector<Xapian::Query> any;
	for (const std::string &sag : cases) {
		Xapian::Query boost(
			(new Xapian::FixedWeightPostingSource(KS_CASE_BOOST))->release());
		Xapian::Query own(Xapian::Query::OP_FILTER, boost,
				  Xapian::Query(boolean_term(KS_FIELD_SAG, sag.c_str())));
		any.emplace_back(Xapian::Query::OP_OR, parse(db, sag, nullptr), own);
	}
	Xapian::Query selected(Xapian::Query::OP_OR, any.begin(), any.end());
	// What is left may be no words at all ("25-002452 - 25-002103").
	const Xapian::Query words = parse(db, rest, nullptr);
	if (words.empty())
		return selected;
	return Xapian::Query(Xapian::Query::OP_AND, words, selected);
}

static bool given(const char *s)
{
	return s && *s;
}

// "YYYY-MM-DD" as the "YYYYMMDD" that KS_SLOT_DATE holds, or false if S is
// not a date of the calendar.
static bool date_value(const char *s, std::string *out)
{
	char value[KS_DATE_VALUE_SIZE];
	if (!ks_date_parse(s, value))
		return false;
	*out = value;
	return true;
}

// The filters of Q as one query for OP_FILTER: every one must hold, none
// adds weight.  *ANY says whether there is one (an empty date range makes
// *OUT MatchNothing, which is an empty Query too).  Boolean values become
// the terms the indexer wrote, by the same boolean_term().
static ks_status filter_of(ks_db *db, const ks_query *q, Xapian::Query *out, bool *any)
{
	std::vector<Xapian::Query> all;
	const struct {
		ks_field_id field;
		const char *value;
	} terms[] = {
		{ KS_FIELD_TYPE, q->type },
		{ KS_FIELD_UDVALG, q->udvalg },
		{ KS_FIELD_DECISION, q->beslutning },
		{ KS_FIELD_YEAR, q->year },
		{ KS_FIELD_SAG, q->sag },
	};
	for (const auto &t : terms)
		if (given(t.value))
			all.emplace_back(boolean_term(t.field, t.value));
	if (q->lukket >= 0)
		all.emplace_back(boolean_term(KS_FIELD_LUKKET, q->lukket ? "true" : "false"));

	std::string from, to;
	if (given(q->from) && !date_value(q->from, &from))
		return invalid(db, "from is not a date of the form YYYY-MM-DD");
	if (given(q->to) && !date_value(q->to, &to))
		return invalid(db, "to is not a date of the form YYYY-MM-DD");
	// Undated records (budget sections) have no value, so any date bound
	// leaves them out.
	if (!from.empty() && !to.empty() && from > to)
		all.push_back(Xapian::Query::MatchNothing);
	else if (!from.empty() && !to.empty())
		all.emplace_back(Xapian::Query::OP_VALUE_RANGE, KS_SLOT_DATE, from, to);
	else if (!from.empty())
		all.emplace_back(Xapian::Query::OP_VALUE_GE, KS_SLOT_DATE, from);
	else if (!to.empty())
		all.emplace_back(Xapian::Query::OP_VALUE_LE, KS_SLOT_DATE, to);

	*any = !all.empty();
	if (*any)
		*out = Xapian::Query(Xapian::Query::OP_AND, all.begin(), all.end());
	return KS_OK;
}

// Sorts by meeting date (newest or oldest first), then by punkt number, and
// puts undated records last either way.  A missing value is "" (which a
// reversed slot already sorts last); oldest first needs a default above
// every "YYYYMMDD".
static void sort_by_date(ks_db *db, Xapian::Enquire &enquire, bool newest_first)
{
	// Xapian 1.4's remote backend refuses a KeyMaker: shards can only
	// sort by the date value, with undated records first when oldest
	// first and ties in relevance order.
	if (db->remote) {
		enquire.set_sort_by_value_then_relevance(KS_SLOT_DATE, newest_first);
		return;
	}
	Xapian::MultiValueKeyMaker *key = new Xapian::MultiValueKeyMaker;
	key->add_value(KS_SLOT_DATE, newest_first, newest_first ? "" : "\xff");
	key->add_value(KS_SLOT_PUNKT);
	enquire.set_sort_by_key_then_relevance(key->release(), false);
}

// Sorts by nettobudget (largest or smallest first), then by relevance; a
// record without one (an agenda item) comes last either way.
static void sort_by_amount(ks_db *db, Xapian::Enquire &enquire, bool largest_first)
{
	if (db->remote) {
		enquire.set_sort_by_value_then_relevance(KS_SLOT_NETTOBUDGET, largest_first);
		return;
	}
	Xapian::MultiValueKeyMaker *key = new Xapian::MultiValueKeyMaker;
	key->add_value(KS_SLOT_NETTOBUDGET, largest_first, largest_first ? "" : "\xff");
	enquire.set_sort_by_key_then_relevance(key->release(), false);
}

// A facet's values with their counts, most frequent first.
typedef std::vector<std::pair<std::string, uint32_t>> facet_counts;

struct ks_hits {
	// The handle that made the hits: its stemmer serves the snippets, and
	// both live on one thread.  The MSet keeps its Enquire's query, which
	// MSet::snippet() needs, alive by itself.
	ks_db *db = nullptr;
	Xapian::MSet mset;
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
};

// Sorts COUNTS most frequent first, ties in Danish order (æ, ø, å after z).
// The Danish sort key is made only for values whose count ties with
// another's: making one for every value took 3% of a search request.
static facet_counts sorted(const std::map<std::string, uint32_t> &counts)
{
	facet_counts out(counts.begin(), counts.end());
	std::stable_sort(out.begin(), out.end(),
			 [](const auto &a, const auto &b) { return a.second > b.second; });
	for (auto tie = out.begin(); tie != out.end();) {
		auto end = std::find_if(tie, out.end(),
					[&](const auto &c) { return c.second != tie->second; });
		if (end - tie > 1) {
			std::vector<std::pair<std::string, std::pair<std::string, uint32_t>>> keyed;
			for (auto c = tie; c != end; ++c)
				keyed.push_back({ ks::danish_sort_key(c->first), *c });
			std::sort(keyed.begin(), keyed.end(), [](const auto &a, const auto &b) {
				return a.first != b.first ? a.first < b.first
							  : a.second.first < b.second.first;
			});
			for (const auto &k : keyed)
				*tie++ = k.second;
		}
		tie = end;
	}
	return out;
}

// Splits the spy's counts of KS_SLOT_FACETS (one per combination of the
// four values; a few thousand at most) into the counts of each facet.  When
// the spy saw only part of the match set (of MATCHES documents), each count
// is scaled up to the whole.
static void count_facets(const Xapian::ValueCountMatchSpy &spy, Xapian::doccount matches,
			 facet_counts *facets)
{
	const Xapian::doccount seen = spy.get_total();
	const double scale = seen && matches > seen ? static_cast<double>(matches) / seen : 1.0;
	std::map<std::string, uint32_t> counts[KS_FACET_COUNT];
	for (auto v = spy.values_begin(); v != spy.values_end(); ++v) {
		const std::string combined = *v;
		size_t start = 0;
		for (int f = 0; f < KS_FACET_COUNT && start <= combined.size(); f++) {
			size_t end = combined.find(KS_FACET_SEP, start);
			if (end == std::string::npos)
				end = combined.size();
			if (end > start)
				counts[f][combined.substr(start, end - start)] += v.get_termfreq();
			start = end + 1;
		}
	}
	for (int f = 0; f < KS_FACET_COUNT && scale != 1.0; f++)
		for (auto &c : counts[f])
			c.second = static_cast<uint32_t>(std::lround(c.second * scale));
	for (int f = 0; f < KS_FACET_COUNT; f++)
		facets[f] = sorted(counts[f]);
}

// The id of DOC: its Q term without the prefix.
static std::string id_of(const Xapian::Document &doc)
{
	const std::string prefix = ks_fields[KS_FIELD_ID].prefix;
	auto t = doc.termlist_begin();
	t.skip_to(prefix);
	if (t != doc.termlist_end() && (*t).compare(0, prefix.size(), prefix) == 0)
		return (*t).substr(prefix.size());
	return std::string();
}

// The id at the start of DATA, the record's JSON ({"id":"direktionen-2025-10-06-3",
// ...}: ids are slugs, never escaped); "" when DATA does not start so.  Over
// a remote shard a document's term list is one more round trip and its
// whole list of terms (20 hits: 200 ms instead of 8).
static std::string id_in_data(const std::string &data)
{
	static const char start[] = "{\"id\":\"";
	if (data.compare(0, sizeof start - 1, start) != 0)
		return std::string();
	const size_t end = data.find('"', sizeof start - 1);
	if (end == std::string::npos || data.find('\\', sizeof start - 1) < end)
		return std::string();
	return data.substr(sizeof start - 1, end - (sizeof start - 1));
}

// Q of the query language as it is searched: parsed, a wildcard repeated
// under AND or OR merged into one.
static Xapian::Query searched(ks_db *db, const std::string &text)
{
	return ks::merge_repeated(user_query(db, text));
}

static ks_status run_query(ks_db *db, const ks_query *q, ks_hits **out)
{
	// The time limit runs from the call; the guard stops the match past
	// it, or when the caller says stop (the match spies of a remote
	// shard run in its xapian-tcpsrv, out of reach).
	ks::MatchGuard stopper(ks::MatchGuard::clock::now() + std::chrono::milliseconds(q->max_ms),
			       q->max_ms > 0, q->stop, q->stop_arg);
	const bool guarded = !db->remote && (q->max_ms > 0 || q->stop);
	Xapian::Query filter;
	bool filtered = false;
	if (ks_status st = filter_of(db, q, &filter, &filtered))
		return st;
	std::unique_ptr<ks_hits> hits(new ks_hits);
	hits->db = db;

	const std::string text = trimmed(q->q);
	ks_sort sort = q->sort;
	Xapian::Query query;
	if (text.empty()) {
		// A blank query browses: everything, by date unless told.
		// Not Query::MatchAll: copying that shared static object
		// changes its reference count, which is not atomic, and
		// searches run on several threads at once (a crash seen in
		// test_server.py's SIGTERM-under-load case).  The empty term
		// is what MatchAll is made of.
		query = Xapian::Query(std::string());
		if (sort == KS_SORT_RELEVANCE)
			sort = KS_SORT_DATE_DESC;
	} else {
		query = searched(db, text);
		if (q->max_expansion) {
			const Xapian::termcount terms = ks::wildcard_terms(
				db->reader(), query, KS_MAX_WILDCARD_TERMS, q->max_expansion);
			if (terms > q->max_expansion) {
				const std::string why =
					"the wildcards of the query expand to more than " +
					std::to_string(q->max_expansion) + " words";
				return remember(db, KS_ERR_TOO_BROAD, why.c_str());
			}
		}
	}
	if (filtered)
		query = Xapian::Query(Xapian::Query::OP_FILTER, query, filter);

	Xapian::Database &r = db->reader();
	Xapian::Enquire enquire(r);
	enquire.set_query(query);
	enquire.set_weighting_scheme(
		Xapian::BM25Weight(KS_BM25_K1, 0, 1, KS_BM25_B, KS_BM25_MIN_NORMLEN));
	if (sort == KS_SORT_DATE_DESC || sort == KS_SORT_DATE_ASC)
		sort_by_date(db, enquire, sort == KS_SORT_DATE_DESC);
	else if (sort == KS_SORT_NETTOBUDGET_DESC || sort == KS_SORT_NETTOBUDGET_ASC)
		sort_by_amount(db, enquire, sort == KS_SORT_NETTOBUDGET_DESC);
	else
		// Equal relevance: the newer meeting first ("YYYYMMDD" sorts
		// as a string; undated budget sections last).
		enquire.set_sort_by_relevance_then_value(KS_SLOT_DATE, true);

	// Xapian reserves room for OFFSET + COUNT hits: keep both within the
	// database, which also keeps their sum from overflowing.
	const Xapian::doccount doccount = r.get_doccount();
	const Xapian::doccount offset = std::min<Xapian::doccount>(q->offset, doccount);
	const Xapian::doccount count = std::min<Xapian::doccount>(q->count, doccount - offset);

	if (guarded) {
		stopper.check();
		enquire.add_matchspy(&stopper);
	}
	Xapian::MSet mset;
	if (q->facets) {
		// Checking every match (up to FACETS_EXACT of them) makes the
		// counts and the total exact; past it, both are estimates and
		// the time a search takes stays bounded.  One spy on the
		// combined slot: reading one value per match instead of four
		// halved the cost of a search with facets.
		const Xapian::doccount exact = std::min<Xapian::doccount>(
			doccount, q->facets_exact ? q->facets_exact : KS_FACETS_EXACT);
		Xapian::ValueCountMatchSpy spy(KS_SLOT_FACETS);
		enquire.add_matchspy(&spy);
		// Xapian 1.4 counts some hits of a remote shard twice when
		// they are also asked for (the more so the more are asked):
		// over remote shards the counts are made by a pass that
		// asks for none, and the hits by a second pass.
		mset = enquire.get_mset(db->remote ? 0 : offset, db->remote ? 0 : count, exact);
		// The spies die here; the Enquire that the MSet keeps must not
		// point at them.
		enquire.clear_matchspies();
		const Xapian::doccount matches = mset.get_matches_estimated();
		hits->facets_estimated =
			spy.get_total() != matches ||
			mset.get_matches_lower_bound() != mset.get_matches_upper_bound();
		count_facets(spy, matches, hits->facets);
		hits->total = matches;
		if (db->remote)
			mset = enquire.get_mset(offset, count);
	} else {
		mset = enquire.get_mset(offset, count);
		enquire.clear_matchspies();
		hits->total = mset.get_matches_estimated();
	}
	// Asked only now, when the number of matches is known: a query that
	// finds plenty is spelt as the documents spell it.
	if (!text.empty() && hits->total < q->suggest_below) {
		if (guarded)
			stopper.check();
		parse(db, text, &hits->suggestion);
		hits->has_suggestion = !hits->suggestion.empty();
	}
	for (auto m = mset.begin(); m != mset.end(); ++m)
		hits->hits.push_back({ *m, {}, {}, false, false });
	hits->mset = std::move(mset);
	*out = hits.release();
	return KS_OK;
}

extern "C" const char *ks_facet_name(ks_facet facet)
{
	if (static_cast<int>(facet) < 0 || facet >= KS_FACET_COUNT)
		return nullptr;
	return ks_facets[facet].name;
}

extern "C" ks_status ks_db_query(ks_db *db, const ks_query *query, ks_hits **out)
{
	if (!db)
		return KS_ERR_INVALID;
	if (!query || !out)
		return invalid(db, "no query or no result pointer");
	// A C caller may store any int in the enum, which C++ may not even
	// load as a ks_sort: its bytes are read as the underlying type.
	std::underlying_type_t<ks_sort> sort;
	std::memcpy(&sort, &query->sort, sizeof sort);
	if (sort < KS_SORT_RELEVANCE || sort > KS_SORT_NETTOBUDGET_ASC)
		return invalid(db, "no such sort order");
	return guard(db, [&] {
		try {
			return run_query(db, query, out);
		} catch (const ks::MatchStopped &stopped) {
			if (stopped.timed_out)
				return remember(db, KS_ERR_TIMEOUT,
						("the search took longer than " +
						 std::to_string(query->max_ms) + " ms")
							.c_str());
			return remember(db, KS_ERR_CANCELLED, "the search was stopped");
		}
	});
}

extern "C" ks_status ks_db_search(ks_db *db, const char *q, unsigned offset, unsigned count,
				  ks_hits **out)
{
	ks_query query = {};
	query.q = q;
	query.lukket = -1;
	query.sort = KS_SORT_RELEVANCE;
	query.offset = offset;
	query.count = count;
	return ks_db_query(db, &query, out);
}

extern "C" size_t ks_hits_size(const ks_hits *hits)
{
	return hits ? hits->hits.size() : 0;
}

extern "C" uint32_t ks_hits_total(const ks_hits *hits)
{
	return hits ? hits->total : 0;
}

// Hit I's document, not kept by the MSet (whose own documents it keeps,
// with their data once read, for as long as it lives).
static Xapian::Document document_of(const ks_hits *hits, size_t i)
{
	return hits->db->reader().get_document(hits->hits[i].did, Xapian::DOC_ASSUME_VALID);
}

extern "C" const char *ks_hits_id(const ks_hits *hits, size_t i)
{
	if (!hits || i >= hits->hits.size())
		return nullptr;
	const ks_hits::hit &h = hits->hits[i];
	if (!h.has_id) {
		try {
			const Xapian::Document doc = document_of(hits, i);
			std::string id =
				hits->db->remote ? id_in_data(doc.get_data()) : std::string();
			h.id = id.empty() ? id_of(doc) : id;
		} catch (...) {
			// Xapian failed to read the document, or no memory for the
			// copy: a hit without an id, as for a document without one.
			h.id.clear();
		}
		h.has_id = true;
	}
	return h.id.c_str();
}

extern "C" const char *ks_hits_data(const ks_hits *hits, size_t i)
{
	if (!hits || i >= hits->hits.size())
		return nullptr;
	const ks_hits::hit &h = hits->hits[i];
	if (!h.has_data) {
		try {
			h.data = document_of(hits, i).get_data();
		} catch (...) {
			h.data.clear(); // as ks_hits_id()
		}
		h.has_data = true;
	}
	return h.data.c_str();
}

extern "C" ks_status ks_hits_read(ks_hits *hits, size_t i, const char **data)
{
	if (!hits)
		return KS_ERR_INVALID;
	if (i >= hits->hits.size() || !data)
		return invalid(hits->db, "no such hit, or no result pointer");
	return guard(hits->db, [&] {
		const ks_hits::hit &h = hits->hits[i];
		hits->read = h.has_data ? h.data : document_of(hits, i).get_data();
		*data = hits->read.c_str();
		return KS_OK;
	});
}

// Xapian's snippets escape '&', '<' and '>'; quotes are escaped too, so
// that a snippet is safe inside an attribute as well as in text.
static std::string escape_quotes(const std::string &s)
{
	std::string out;
	for (char c : s) {
		if (c == '"')
			out += "&quot;";
		else if (c == '\'')
			out += "&#39;";
		else
			out += c;
	}
	return out;
}

static std::string escape_html(const std::string &s)
{
	std::string out;
	for (char c : s) {
		if (c == '&')
			out += "&amp;";
		else if (c == '<')
			out += "&lt;";
		else if (c == '>')
			out += "&gt;";
		else
			out += c;
	}
	return escape_quotes(out);
}

// The start of TEXT, cut after at most LENGTH bytes at a blank (or a
// character boundary when there is none), HTML-escaped, the cut marked.
static std::string start_of(const std::string &text, size_t length)
{
	if (text.size() <= length)
		return escape_html(text);
	size_t cut = length;
	while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80)
		cut--;
	const char *blanks = " \t\r\n";
	const size_t blank = text.find_last_of(blanks, cut);
	if (blank != std::string::npos && blank > 0)
		cut = blank;
	while (cut > 0 && std::strchr(blanks, text[cut - 1]))
		cut--;
	return escape_html(text.substr(0, cut)) + "…";
}

extern "C" ks_status ks_hits_snippet(ks_hits *hits, size_t i, const char *text, size_t length,
				     char **out)
{
	if (!hits)
		return KS_ERR_INVALID;
	ks_db *db = hits->db;
	if (i >= hits->hits.size())
		return invalid(db, "no such hit");
	if (!text || !out)
		return invalid(db, "no text or no result pointer");
	return guard(db, [&] {
		// No background model and no exhaustive search: they cost
		// several times the search itself for nearly the same text
		// (bench/FACTS.md).  Without them Xapian 1.4 answers a text
		// with no match by its end, so such a text is cut here, from
		// its start.
		std::string snippet = hits->mset.snippet(text, length, db->stem,
							 Xapian::MSet::SNIPPET_EMPTY_WITHOUT_MATCH,
							 "<mark>", "</mark>", "…");
		snippet = snippet.empty() ? start_of(text, length) : escape_quotes(snippet);
		return copy_out(snippet, out);
	});
}

extern "C" bool ks_hits_facets_estimated(const ks_hits *hits)
{
	return hits && hits->facets_estimated;
}

extern "C" size_t ks_hits_facet_size(const ks_hits *hits, ks_facet facet)
{
	if (!hits || static_cast<int>(facet) < 0 || facet >= KS_FACET_COUNT)
		return 0;
	return hits->facets[facet].size();
}

extern "C" bool ks_hits_facet(const ks_hits *hits, ks_facet facet, size_t i, const char **value,
			      uint32_t *count)
{
	if (i >= ks_hits_facet_size(hits, facet))
		return false;
	const auto &c = hits->facets[facet][i];
	if (value)
		*value = c.first.c_str();
	if (count)
		*count = c.second;
	return true;
}

extern "C" const char *ks_hits_suggestion(const ks_hits *hits)
{
	return hits && hits->has_suggestion ? hits->suggestion.c_str() : nullptr;
}

extern "C" void ks_hits_free(ks_hits *hits)
{
	delete hits;
}

extern "C" ks_status ks_db_describe_query(ks_db *db, const char *q, char **out)
{
	if (!db)
		return KS_ERR_INVALID;
	if (!out)
		return invalid(db, "no result pointer");
	return guard(db, [&] {
		const std::string text = trimmed(q);
		Xapian::Query query = text.empty() ? Xapian::Query() : searched(db, text);
		return copy_out(query.get_description(), out);
	});
}
