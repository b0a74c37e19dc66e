// open.cc — a handle opened and closed: one database to write, or readers
// of one or more (local or over tcp://) as one; and the one configuration
// of its TermGenerator and its QueryParser.

#include "ks-xapian-private.h"

#include <cstdlib>

void configure_termgenerator(ks_db *d)
{
	d->tg.set_stemmer(d->stem);
	d->tg.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
	d->tg.set_max_word_length(KS_MAX_WORD_BYTES);
	if (d->writable)
		d->tg.set_database(d->wdb);
}

// Gives D's QueryParser its one configuration: Danish stems (STEM_SOME,
// given lower-case words by parse(), so every word is stemmed as the
// TermGenerator stemmed the documents'), AND between words, the wildcard
// limit, the ranges of amounts and dates, and the prefixes of the schema's
// fields.  The flags of the query language are parse()'s (query.cc).
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
		// A name is also known in its other spelling ("aar:" for
		// "år:", "økonomi:" for "oekonomi:"), in one group with it, so
		// that "år:2024 aar:2025" is either year as "år:" twice is.
		// Case is parse()'s: the QueryParser is given lower case.
		const std::string group = f.name;
		for (const std::string &name : { group, ks::other_spelling(group) }) {
			if (name.empty())
				continue;
			if (f.kind == KS_FIELD_FREE_TEXT)
				d->qp.add_prefix(name, f.prefix);
			else
				d->qp.add_boolean_prefix(
					name, (new BooleanField(d, (ks_field_id)i))->release(),
					&group);
		}
	}
}

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
			if (!d->remotes.empty())
				load_remote_words(d);
		} catch (...) {
			delete d;
			throw;
		}
		*out = d;
		return KS_OK;
	} catch (...) {
		st = caught(&why, KS_ERR_OPENING);
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
			Xapian::Database shard = open_one(path);
			d->db.add_database(shard);
			d->shards.push_back(shard);
			if (is_remote(path))
				d->remotes.push_back(shard);
		}
		d->remote = !d->remotes.empty();
	});
}

extern "C" void ks_db_close(ks_db *db)
{
	if (!db)
		return;
	try {
		if (db->writable && db->in_transaction)
			db->wdb.cancel_transaction();
		else if (db->writable) {
			// close() commits what was added.  A database built by
			// flushes gets its copies for tcp:// readers here, once.
			write_spelling(db);
			store_word_tables(db->wdb);
			if (db->spelling_apart)
				db->spelling_wdb.close();
		}
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
		db->synonym_members_read &= !c; // the synonym table may be another
		if (c) {
			db->suggestions.clear(); // and the spelling data
			db->expansions.clear();  // and the words
		}
		if (c && !db->remotes.empty())
			load_remote_words(db);
		if (changed)
			*changed = c;
		return KS_OK;
	});
}
