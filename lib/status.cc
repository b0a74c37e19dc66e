// status.cc — the statuses of the binding: their names, the one ladder from
// an exception to a status, the message kept on the handle, the check of a
// writer's handle.

#include "ks-xapian-private.h"

#include <cstdlib>
#include <cstring>

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

ks_status remember(ks_db *db, ks_status st, const char *message)
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

ks_status invalid(ks_db *db, const char *why)
{
	return remember(db, KS_ERR_INVALID, why);
}

ks_status copy_out(const std::string &s, char **out)
{
	char *c = static_cast<char *>(std::malloc(s.size() + 1));
	if (!c)
		return KS_ERR_NOMEM;
	std::memcpy(c, s.data(), s.size());
	c[s.size()] = '\0';
	*out = c;
	return KS_OK;
}

ks_status caught(std::string *why, ks_status other) noexcept
{
	ks_status st = KS_ERR_NOMEM;
	try {
		try {
			throw;
		} catch (const Xapian::Error &e) {
			st = status_of(e);
			*why = e.get_description();
		} catch (const std::bad_alloc &) {
			st = KS_ERR_NOMEM;
			*why = "out of memory";
		} catch (const std::exception &e) {
			st = other;
			*why = e.what();
		} catch (...) {
			st = KS_ERR_XAPIAN;
			*why = "unknown C++ exception";
		}
	} catch (...) {
		// No memory for the message: the status alone.
		why->clear();
	}
	return st;
}

ks_status check_writer(ks_db *db)
{
	if (!db)
		return KS_ERR_INVALID;
	if (!db->writable)
		return invalid(db, "the database is open for reading only");
	return KS_OK;
}
