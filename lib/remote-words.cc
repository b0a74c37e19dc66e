// remote-words.cc — the spelling data and the synonym table of shards read
// over tcp://.
//
// Xapian 1.4's remote backend serves no spelling or synonym table
// (RemoteDatabase keeps Database::Internal's empty defaults), but it does
// serve metadata.  So every writer keeps a copy of both tables in its
// metadata (KS_META_SPELLING, KS_META_SYNONYMS), and a reader of remote
// shards reads the copies when it opens them (and again when a shard has a
// new revision) into a small local glass database: the QueryParser, and
// so the synonyms and the spelling suggestions, read the shards and it as
// one, as they read one index.  Glass is the one backend that holds both
// tables (the in-memory one has no spelling table); its directory is
// removed as soon as it is open, since Xapian keeps its files open.

#include "ks-xapian-private.h"

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>

// A line of a copy: a key (a word, or a synonym key, which may hold
// spaces), a tab, and its value (the word's frequency, or a term of the
// key's synonyms).  Neither ever holds a tab or a newline: words are the
// TermGenerator's, keys and terms synonyms.cc's.
static void add_line(std::string &out, const std::string &key, const std::string &value)
{
	out += key;
	out += '\t';
	out += value;
	out += '\n';
}

// Calls FN(key, value) for each line of COPY; lines without a tab are
// skipped.
template <typename F> static void each_line(const std::string &copy, F &&fn)
{
	size_t start = 0;
	while (start < copy.size()) {
		size_t end = copy.find('\n', start);
		if (end == std::string::npos)
			end = copy.size();
		const size_t tab = copy.find('\t', start);
		if (tab < end)
			fn(copy.substr(start, tab - start), copy.substr(tab + 1, end - tab - 1));
		start = end + 1;
	}
}

// Sets KEY to VALUE in W unless it holds it already: an update that
// changes no word writes nothing.
static void set_if_changed(Xapian::WritableDatabase &w, const char *key, const std::string &value)
{
	if (w.get_metadata(key) != value)
		w.set_metadata(key, value);
}

void store_word_tables(Xapian::WritableDatabase &w)
{
	std::string spelling;
	for (auto t = w.spellings_begin(); t != w.spellings_end(); ++t)
		add_line(spelling, *t, std::to_string(t.get_termfreq()));
	set_if_changed(w, KS_META_SPELLING, spelling);
	std::string synonyms;
	for (auto k = w.synonym_keys_begin(); k != w.synonym_keys_end(); ++k)
		for (auto v = w.synonyms_begin(*k); v != w.synonyms_end(*k); ++v)
			add_line(synonyms, *k, *v);
	set_if_changed(w, KS_META_SYNONYMS, synonyms);
}

// A new, empty directory for the local copy, private to this process.
static std::string private_dir()
{
	const char *tmp = std::getenv("TMPDIR");
	std::string path = std::string(tmp && *tmp ? tmp : "/tmp") + "/kommunesoeg-words-XXXXXX";
	if (!mkdtemp(&path[0]))
		throw Xapian::DatabaseCreateError(
			"cannot make a directory for the tcp:// shards' spelling data and "
			"synonyms in " +
				path.substr(0, path.rfind('/')),
			errno);
	return path;
}

// The words of the copy added to the local database between two commits:
// Xapian holds every fragment of every word added until a commit, so the
// server's memory would otherwise grow with the whole vocabulary of the
// shards; each commit costs time, more the more often.  The local database
// is never read after a crash (its directory is removed once it is open),
// so nothing is synced.
static const size_t KS_SPELLING_WORDS_PER_COMMIT = 10000;

void load_remote_words(ks_db *d)
{
	// Summed over the shards, as Xapian sums the frequencies of the
	// spelling tables of local shards.
	std::map<std::string, unsigned long long> spelling;
	std::set<std::pair<std::string, std::string>> synonyms;
	for (Xapian::Database &shard : d->remotes) {
		each_line(shard.get_metadata(KS_META_SPELLING),
			  [&](const std::string &word, const std::string &freq) {
				  spelling[word] += std::strtoull(freq.c_str(), nullptr, 10);
			  });
		each_line(shard.get_metadata(KS_META_SYNONYMS),
			  [&](const std::string &key, const std::string &term) {
				  synonyms.emplace(key, term);
			  });
	}
	Xapian::Database words = d->db;
	if (!spelling.empty() || !synonyms.empty()) {
		const std::string dir = private_dir();
		try {
			Xapian::WritableDatabase w(dir,
						   Xapian::DB_CREATE | Xapian::DB_BACKEND_GLASS |
						   Xapian::DB_NO_SYNC);
			size_t added = 0;
			for (const auto &s : spelling) {
				w.add_spelling(
					s.first,
					static_cast<Xapian::termcount>(std::min<unsigned long long>(
						s.second, Xapian::termcount(-1))));
				if (++added % KS_SPELLING_WORDS_PER_COMMIT == 0)
					w.commit();
			}
			for (const auto &s : synonyms)
				w.add_synonym(s.first, s.second);
			w.close();
			words.add_database(Xapian::Database(dir));
		} catch (...) {
			std::error_code ignored;
			std::filesystem::remove_all(dir, ignored);
			throw;
		}
		std::error_code ignored;
		std::filesystem::remove_all(dir, ignored);
	}
	d->words = words;
	d->qp.set_database(d->words);
	d->synonym_members_read = false;
	d->suggestions.clear();
}
