// ks-xapian.cc — the C interface of Kommunesøg over Xapian (ks-xapian.h).
//
// Every extern "C" function runs its body through guard(), which turns any
// exception into a ks_status and keeps the message on the handle: no C++
// exception ever reaches C.  The TermGenerator and the QueryParser are each
// configured in exactly one function below.

#include "ks-xapian.h"

#include <xapian.h>

#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
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

struct ks_hits {
	std::vector<std::pair<std::string, std::string>> hits; // id, data
	uint32_t total = 0;
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

// "tcp://HOST:PORT" → the remote database served by xapian-tcpsrv.
static Xapian::Database open_one(const std::string &path)
{
	const std::string scheme = "tcp://";
	if (path.compare(0, scheme.size(), scheme) != 0)
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
		for (size_t i = 0; i < n; i++)
			d->db.add_database(open_one(paths[i] ? paths[i] : ""));
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

// Parses Q.  A malformed query (unbalanced quotes or brackets, a stray
// operator, a range no processor knows such as "2024..2025") is answered
// as plain words, never as an error: the second parse has no operators and
// no syntax left that could fail.
static Xapian::Query parse(ks_db *db, const std::string &q)
{
	try {
		return db->qp.parse_query(q, KS_QUERY_FLAGS);
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
		return db->qp.parse_query(words, 0);
	} catch (const Xapian::QueryParserError &) {
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

extern "C" ks_status ks_db_search(ks_db *db, const char *q, unsigned offset, unsigned count,
				  ks_hits **out)
{
	if (!db)
		return KS_ERR_INVALID;
	if (!out)
		return invalid(db, "no result pointer");
	return guard(db, [&] {
		const std::string text = trimmed(q);
		Xapian::Enquire enquire(db->reader());
		if (text.empty()) {
			// An empty query browses everything, newest first.
			enquire.set_query(Xapian::Query::MatchAll);
			enquire.set_sort_by_value_then_relevance(KS_SLOT_DATE, true);
		} else {
			enquire.set_query(parse(db, text));
		}
		Xapian::MSet mset = enquire.get_mset(offset, count);
		ks_hits *hits = new ks_hits;
		try {
			hits->total = mset.get_matches_estimated();
			for (auto m = mset.begin(); m != mset.end(); ++m) {
				Xapian::Document doc = m.get_document();
				std::string id;
				auto t = doc.termlist_begin();
				t.skip_to("Q");
				if (t != doc.termlist_end() && (*t)[0] == 'Q')
					id = (*t).substr(1);
				hits->hits.emplace_back(std::move(id), doc.get_data());
			}
		} catch (...) {
			delete hits;
			throw;
		}
		*out = hits;
		return KS_OK;
	});
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
	return guard(db, [&] { return copy_out(parse(db, trimmed(q)).get_description(), out); });
}
