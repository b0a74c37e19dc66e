// database.cc — a database as a whole: its size, compaction, transactions,
// the parts of a fresh index, and metadata.

#include "ks-xapian-private.h"

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
		// The copies of the spelling data and synonyms are the first
		// part's (its metadata wins): made anew from the merged tables.
		Xapian::WritableDatabase w(dest, Xapian::DB_OPEN);
		store_word_tables(w);
		w.close();
		return KS_OK;
	});
	if (st && message)
		copy_out(d->error, message);
	ks_db_close(d);
	return st;
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

extern "C" ks_status ks_db_begin(ks_db *db)
{
	if (ks_status st = check_writer(db))
		return st;
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
		store_word_tables(db->wdb);
		db->wdb.commit_transaction();
		if (db->spelling_apart)
			db->spelling_wdb.commit();
		db->in_transaction = false;
		return KS_OK;
	});
}

// The words whose spelling counts ks_db_flush_documents() keeps before it
// writes them.  Xapian looks each word it is given up in the spelling
// table, and makes the fragments of a word new to it (an entry for every
// three letters, compressed at the commit): a word of many batches given
// once costs that once.  Xapian holds a batch's fragments until the commit,
// about 2 kB a word, which bounds this (bench/RESULTS.md, "Issue 18: runs
// of the inputs taken in turn").
static const size_t KS_MAX_SPELLINGS_KEPT = 50000;

// Commits what DB has added outside a transaction, with the spelling counts
// unless KEEP and fewer than KS_MAX_SPELLINGS_KEPT words.
static ks_status flush(ks_db *db, bool keep)
{
	if (ks_status st = check_writer(db))
		return st;
	if (db->in_transaction)
		return invalid(db, "a transaction is open: commit it instead");
	return guard(db, [&] {
		if (!keep || db->spelling.size() >= KS_MAX_SPELLINGS_KEPT)
			write_spelling(db);
		db->wdb.commit();
		if (db->spelling_apart)
			db->spelling_wdb.commit();
		return KS_OK;
	});
}

extern "C" ks_status ks_db_flush(ks_db *db)
{
	return flush(db, false);
}

extern "C" ks_status ks_db_flush_documents(ks_db *db)
{
	return flush(db, true);
}

extern "C" ks_status ks_db_next_part(ks_db *db, const char *path)
{
	if (db && !path)
		return invalid(db, "no path");
	// The spelling counts go on into the next part (see
	// ks_db_flush_documents()).
	ks_status st = ks_db_flush_documents(db);
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

extern "C" ks_status ks_db_spelling_apart(ks_db *db, const char *path)
{
	if (ks_status st = check_writer(db))
		return st;
	if (!path)
		return invalid(db, "no path");
	if (db->in_transaction)
		return invalid(db, "a transaction is open");
	if (db->spelling_apart)
		return invalid(db, "the spelling data is already written apart");
	return guard(db, [&] {
		write_spelling(db);
		db->spelling_wdb = Xapian::WritableDatabase(path, Xapian::DB_CREATE |
									  Xapian::DB_BACKEND_GLASS);
		db->spelling_apart = true;
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
	if (ks_status st = check_writer(db))
		return st;
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
