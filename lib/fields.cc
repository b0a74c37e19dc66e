// fields.cc — the schema's fields in terms: the boolean term of a value,
// which the indexer writes and the filters look for, and the field
// processors of the query side (ks-xapian-private.h).

#include "ks-xapian-private.h"
#include "validate.h"

#include <cstring>

std::string boolean_term(ks_field_id field, const char *value)
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

size_t free_text_prefix(const std::string &term)
{
	size_t found = 0;
	for (int i = 0; i < KS_FIELD_COUNT; i++) {
		const ks_field &f = ks_fields[i];
		const size_t n = std::strlen(f.prefix);
		if (f.kind == KS_FIELD_FREE_TEXT && n > found && term.compare(0, n, f.prefix) == 0)
			found = n;
	}
	// Words and stems start with a lower-case letter, a digit or a letter
	// beyond ASCII; a capital after the prefix is another field's.
	if (found < term.size() && term[found] >= 'A' && term[found] <= 'Z')
		return std::string::npos;
	return found;
}

Xapian::Query BooleanField::operator()(const std::string &str)
{
	char sag[KS_SAGSNUMMER_SIZE];
	if (field == KS_FIELD_SAG && ks_sagsnummer_read(str.c_str(), sag))
		return case_filter(db, sag);
	return Xapian::Query(boolean_term(field, str.c_str()));
}

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

Xapian::Query AmountRange::operator()(const std::string &begin, const std::string &end)
{
	return Xapian::NumberRangeProcessor::operator()(undotted(begin), undotted(end));
}
