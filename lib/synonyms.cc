// synonyms.cc — the synonym groups of a file: the groups whose members the
// indexer marks in the text (forms.cc), and Xapian's synonym table, which
// the QueryParser expands.

#include "ks-xapian-private.h"

#include <map>
#include <set>

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
	if (ks_status st = check_writer(db))
		return st;
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
