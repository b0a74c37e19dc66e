// cases.cc — case numbers in the index: the lettered cases of a number
// ("21-046835K" and "21-046835L" for "21-046835"), read from the term list,
// and the number a search looked for as its lettered cases because no item
// has it itself (ks_hits_case()).

#include "ks-xapian-private.h"
#include "validate.h"

// Whether C is an ASCII letter: the letter of a case number.
static bool ascii_letter(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

std::vector<std::string> lettered_cases(ks_db *db, const std::string &sag)
{
	// The terms of the lettered cases follow the number's own term in the
	// term list: only those are read, a few dozen at most.
	const std::string term = boolean_term(KS_FIELD_SAG, sag.c_str());
	Xapian::Database &r = db->reader();
	std::vector<std::string> out;
	for (auto t = r.allterms_begin(term); t != r.allterms_end(term); ++t) {
		// Boolean terms are lower case (boolean_term()); the number
		// names its letter in capitals.
		const std::string found = *t;
		const char letter = found.back();
		if (found.size() == term.size() + 1 && letter >= 'a' && letter <= 'z')
			out.push_back(sag + static_cast<char>(letter - 'a' + 'A'));
	}
	return out;
}

bool case_known(ks_db *db, const std::string &sag)
{
	return db->reader().term_exists(boolean_term(KS_FIELD_SAG, sag.c_str())) ||
	       (!ascii_letter(sag.back()) && !lettered_cases(db, sag).empty());
}

Xapian::Query case_filter(ks_db *db, const std::string &sag)
{
	const std::string term = boolean_term(KS_FIELD_SAG, sag.c_str());
	if (ascii_letter(sag.back()) || db->reader().term_exists(term))
		return Xapian::Query(term);
	const std::vector<std::string> lettered = lettered_cases(db, sag);
	if (lettered.empty())
		return Xapian::Query(term);
	std::vector<Xapian::Query> any;
	for (const std::string &shown : lettered) {
		// Parsed again for the spelling correction, or named twice
		// ("21-046835 sag:21-046835"): noted once.
		const std::pair<std::string, std::string> note(sag, shown);
		if (std::find(db->cases.begin(), db->cases.end(), note) == db->cases.end())
			db->cases.push_back(note);
		any.emplace_back(boolean_term(KS_FIELD_SAG, shown.c_str()));
	}
	return Xapian::Query(Xapian::Query::OP_OR, any.begin(), any.end());
}

extern "C" ks_status ks_db_each_lettered_case(ks_db *db, const char *sag, ks_term_fn fn, void *arg)
{
	if (!db)
		return KS_ERR_INVALID;
	char nr[KS_SAGSNUMMER_SIZE];
	if (!fn || !ks_sagsnummer_read(sag, nr))
		return invalid(db, "not a case number");
	return guard(db, [&] {
		if (ascii_letter(nr[strlen(nr) - 1]))
			return KS_OK;
		for (const std::string &shown : lettered_cases(db, nr))
			if (fn(shown.c_str(), arg))
				break;
		return KS_OK;
	});
}

extern "C" size_t ks_hits_case_size(const ks_hits *hits)
{
	return hits ? hits->cases.size() : 0;
}

extern "C" bool ks_hits_case(const ks_hits *hits, size_t i, const char **asked, const char **shown)
{
	if (!hits || i >= hits->cases.size())
		return false;
	if (asked)
		*asked = hits->cases[i].first.c_str();
	if (shown)
		*shown = hits->cases[i].second.c_str();
	return true;
}
