// ks-xapian.cc — the C interface of Kommunesøg over Xapian (ks-xapian.h).
//
// Every extern "C" function runs its body through guard(), which turns any
// exception into a ks_status and keeps the message on the handle: no C++
// exception ever reaches C.  The TermGenerator and the QueryParser are each
// configured in exactly one function below.

#include "ks-xapian.h"

#include <xapian.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <new>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

// How many terms a wildcard ("hjem*") may expand to; the most frequent ones
// are kept.  It bounds the work one short prefix can cause.
static const Xapian::termcount KS_MAX_WILDCARD_TERMS = 256;

// Positions left between two indexed fields, so that a phrase never
// matches across the end of one field and the start of the next.
static const Xapian::termpos KS_FIELD_GAP = 100;

// The query language of SPEC.md: phrases, AND/OR/NOT, -word, word*, field
// prefixes, spelling correction, and a query of only NOT terms.
#define KS_QUERY_FLAGS                                                                             \
	(Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_PHRASE |                    \
	 Xapian::QueryParser::FLAG_BOOLEAN | Xapian::QueryParser::FLAG_LOVEHATE |                  \
	 Xapian::QueryParser::FLAG_WILDCARD | Xapian::QueryParser::FLAG_PURE_NOT |                 \
	 Xapian::QueryParser::FLAG_SPELLING_CORRECTION)

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
	if (type == "DatabaseLockError")
		return KS_ERR_LOCKED;
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

// ---- facets ----------------------------------------------------------------

// The value slot counted for each facet, in ks_facet order.
static const ks_slot facet_slots[] = { KS_SLOT_TYPE, KS_SLOT_UDVALG, KS_SLOT_YEAR,
				       KS_SLOT_BESLUTNING };
static const char *const facet_names[] = { "type", "udvalg", "year", "beslutning" };
static_assert(sizeof facet_slots / sizeof *facet_slots == KS_FACET_COUNT &&
		      sizeof facet_names / sizeof *facet_names == KS_FACET_COUNT,
	      "every ks_facet needs a slot and a name");

// KS_SLOT_FACETS of DOC, made from its four facet values.
static std::string facets_value(const Xapian::Document &doc)
{
	std::string out;
	for (int f = 0; f < KS_FACET_COUNT; f++) {
		std::string v = doc.get_value(facet_slots[f]);
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
	for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t)
		if (spelling_word(*t))
			db->spelling[*t] += sign * static_cast<long long>(t.get_wdf());
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
			d->qp.add_boolean_prefix(f.name, (new BooleanField(f.id))->release());
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
		Xapian::TermGenerator &tg = db->tg;
		tg.set_document(doc->doc);
		tg.set_termpos(doc->termpos);
		doc->spelling |= spelling;
		if (*f.prefix) {
			// A prefixed field is searchable by its name ("titel:")
			// and, with its own weight, by a plain query.
			tg.index_text(text, 1, f.prefix);
			tg.increase_termpos(KS_FIELD_GAP);
		}
		tg.index_text(text, f.wdf_inc);
		tg.increase_termpos(KS_FIELD_GAP);
		doc->termpos = tg.get_termpos();
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
		uncount_spelling(db, term);
		if (doc->spelling && !is_closed(doc->doc))
			count_spelling(db, doc->doc, 1);
		doc->doc.add_value(KS_SLOT_FACETS, facets_value(doc->doc));
		db->wdb.replace_document(term, doc->doc);
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
// query is its case number.  BM25 gives a term a few units at most; the sum
// of a whole query stays far below this.
static const double KS_CASE_BOOST = 1e6;

// The query that TEXT (trimmed, not blank) stands for.  A case number
// ("25-002452", "21-046835k") also matches the case's items with a fixed
// weight that ranks them first, whatever the words find besides.  The
// boost is a posting source filtered by the case's term: boolean terms have
// wdf 0, so OP_SCALE_WEIGHT on the term alone would add nothing.
static Xapian::Query user_query(ks_db *db, const std::string &text)
{
	Xapian::Query query = parse(db, text, nullptr);
	char sag[KS_SAGSNUMMER_SIZE];
	if (!ks_sagsnummer_parse(text.c_str(), sag))
		return query;
	Xapian::Query boost((new Xapian::FixedWeightPostingSource(KS_CASE_BOOST))->release());
	Xapian::Query own(Xapian::Query::OP_FILTER, boost,
			  Xapian::Query(boolean_term(KS_FIELD_SAG, sag)));
	return Xapian::Query(Xapian::Query::OP_OR, query, own);
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
		{ KS_FIELD_BESLUTNING, q->beslutning },
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

// A facet's values with their counts, most frequent first.
typedef std::vector<std::pair<std::string, uint32_t>> facet_counts;

struct ks_hits {
	// The handle that made the hits: its stemmer serves the snippets, and
	// both live on one thread.  The MSet keeps its Enquire's query, which
	// MSet::snippet() needs, alive by itself.
	ks_db *db = nullptr;
	Xapian::MSet mset;
	std::vector<std::pair<std::string, std::string>> hits; // id, data
	uint32_t total = 0;
	facet_counts facets[KS_FACET_COUNT];
	bool has_suggestion = false;
	std::string suggestion;
};

// Sorts COUNTS most frequent first, ties by value.
static facet_counts sorted(const std::map<std::string, uint32_t> &counts)
{
	facet_counts out(counts.begin(), counts.end());
	std::sort(out.begin(), out.end(), [](const auto &a, const auto &b) {
		return a.second != b.second ? a.second > b.second : a.first < b.first;
	});
	return out;
}

// Splits the spy's counts of KS_SLOT_FACETS (one per combination of the
// four values; a few thousand at most) into the counts of each facet.
static void count_facets(const Xapian::ValueCountMatchSpy &spy, facet_counts *facets)
{
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

static ks_status run_query(ks_db *db, const ks_query *q, ks_hits **out)
{
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
		query = user_query(db, text);
	}
	if (filtered)
		query = Xapian::Query(Xapian::Query::OP_FILTER, query, filter);

	Xapian::Database &r = db->reader();
	Xapian::Enquire enquire(r);
	enquire.set_query(query);
	if (sort != KS_SORT_RELEVANCE)
		sort_by_date(db, enquire, sort == KS_SORT_DATE_DESC);

	// Xapian reserves room for OFFSET + COUNT hits: keep both within the
	// database, which also keeps their sum from overflowing.
	const Xapian::doccount doccount = r.get_doccount();
	const Xapian::doccount offset = std::min<Xapian::doccount>(q->offset, doccount);
	const Xapian::doccount count = std::min<Xapian::doccount>(q->count, doccount - offset);

	Xapian::MSet mset;
	if (q->facets) {
		// Checking every match makes the counts and the total exact.
		// One spy on the combined slot: reading one value per match
		// instead of four halved the cost of a search with facets.
		Xapian::ValueCountMatchSpy spy(KS_SLOT_FACETS);
		enquire.add_matchspy(&spy);
		mset = enquire.get_mset(offset, count, doccount);
		// The spy dies here; the Enquire that the MSet keeps must not
		// point at it.
		enquire.clear_matchspies();
		count_facets(spy, hits->facets);
	} else {
		mset = enquire.get_mset(offset, count);
	}
	hits->total = mset.get_matches_estimated();
	// Asked only now, when the number of matches is known: a query that
	// finds plenty is spelt as the documents spell it.
	if (!text.empty() && hits->total < q->suggest_below) {
		parse(db, text, &hits->suggestion);
		hits->has_suggestion = !hits->suggestion.empty();
	}
	// No MSet::fetch(): Xapian 1.4.22 indexes its items without the
	// offset there and crashes on any page but the first.
	for (auto m = mset.begin(); m != mset.end(); ++m) {
		Xapian::Document doc = m.get_document();
		hits->hits.emplace_back(id_of(doc), doc.get_data());
	}
	hits->mset = std::move(mset);
	*out = hits.release();
	return KS_OK;
}

extern "C" const char *ks_facet_name(ks_facet facet)
{
	if (static_cast<int>(facet) < 0 || facet >= KS_FACET_COUNT)
		return nullptr;
	return facet_names[facet];
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
	if (sort < KS_SORT_RELEVANCE || sort > KS_SORT_DATE_ASC)
		return invalid(db, "no such sort order");
	return guard(db, [&] { return run_query(db, query, out); });
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

extern "C" const char *ks_hits_id(const ks_hits *hits, size_t i)
{
	return hits && i < hits->hits.size() ? hits->hits[i].first.c_str() : nullptr;
}

extern "C" const char *ks_hits_data(const ks_hits *hits, size_t i)
{
	return hits && i < hits->hits.size() ? hits->hits[i].second.c_str() : nullptr;
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
		Xapian::Query query = text.empty() ? Xapian::Query() : user_query(db, text);
		return copy_out(query.get_description(), out);
	});
}
