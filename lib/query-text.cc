// query-text.cc — a query as the QueryParser is given it: in lower case but
// for its operators and acronyms, and a query of only -words as NOT words.

#include "ks-xapian-private.h"

std::vector<std::string> word_runs(const std::string &s)
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

bool is_operator(const std::string &word)
{
	// Xapian knows its operators only in capitals: "and" is a word.
	static const char *const operators[] = { "AND", "OR", "NOT", "XOR", "NEAR", "ADJ" };
	for (const char *o : operators)
		if (word == o)
			return true;
	return false;
}

// Whether RUN is one upper-case letter.
static bool one_capital(const std::string &run)
{
	Xapian::Utf8Iterator u(run);
	if (u == Xapian::Utf8Iterator() ||
	    Xapian::Unicode::get_category(*u) != Xapian::Unicode::UPPERCASE_LETTER)
		return false;
	return ++u == Xapian::Utf8Iterator();
}

// Whether the word run I of RUNS (word_runs()) is a letter of an acronym:
// capitals with a '.' between each ("K.B.", "A.P."), which Xapian's
// TermGenerator and QueryParser both read as one word ("kb"), and only in
// capitals.
static bool in_acronym(const std::vector<std::string> &runs, size_t i)
{
	if (!one_capital(runs[i]))
		return false;
	return (i + 2 < runs.size() && runs[i + 1] == "." && one_capital(runs[i + 2])) ||
	       (i >= 3 && runs[i - 1] == "." && one_capital(runs[i - 2]));
}

// Whether S has a letter in upper or title case.
static bool has_capital(const std::string &s)
{
	for (Xapian::Utf8Iterator u(s); u != Xapian::Utf8Iterator(); ++u) {
		const Xapian::Unicode::category c = Xapian::Unicode::get_category(*u);
		if (c == Xapian::Unicode::UPPERCASE_LETTER ||
		    c == Xapian::Unicode::TITLECASE_LETTER)
			return true;
	}
	return false;
}

std::string lowered_query(const std::string &q)
{
	// Most queries are typed in lower case: they are given as they are,
	// without the runs and the copies.
	if (!has_capital(q))
		return q;
	const std::vector<std::string> runs = word_runs(q);
	std::string out;
	out.reserve(q.size());
	for (size_t i = 0; i < runs.size(); i++) {
		const bool word = i % 2 == 1;
		if (word && !is_operator(runs[i]) && !in_acronym(runs, i))
			out += Xapian::Unicode::tolower(runs[i]);
		else
			out += runs[i];
	}
	return out;
}

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// Whether the '-' at I of Q leaves out what follows it, as Xapian's
// FLAG_LOVEHATE reads it: a word, a prefixed word or a phrase.
static bool excludes(const std::string &q, size_t i)
{
	if (q[i] != '-' || i + 1 >= q.size())
		return false;
	if (q[i + 1] == '"')
		return true;
	Xapian::Utf8Iterator u(q.data() + i + 1, q.size() - i - 1);
	return Xapian::Unicode::is_wordchar(*u);
}

std::string only_excluded(const std::string &q)
{
	std::string out;
	bool quoted = false, item_start = true;
	for (size_t i = 0; i < q.size(); i++) {
		const char c = q[i];
		if (!quoted && blank(c)) {
			item_start = true;
			out += c;
			continue;
		}
		if (item_start) {
			if (!excludes(q, i))
				return std::string();
			out += "NOT ";
			item_start = false;
			continue;
		}
		if (c == '"')
			quoted = !quoted;
		out += c;
	}
	return out;
}
