// query-fold.cc — what the index no longer stores for every word, worked
// out when a query is parsed (forms.cc stores each word once):
//
// - A word that is its own stem is stored as its stem's term, which holds
//   its positions (forms.cc, word_term()): a word the QueryParser leaves
//   unstemmed (a phrase's, a quoted one's) is looked up as that.
// - The other spelling of a word ("hjemloeshed" for "hjemløshed",
//   "åbenrå" for "Aabenraa") is searched when the index has it: one
//   term_exists() per typed word that has one.
// - A field's copy ("titel:", "beslutning:", …) holds the stems of its
//   words, without positions: a prefixed word is searched as its prefixed
//   stem, a prefixed phrase as the phrase in the plain text and each of its
//   words in the field, a prefixed wildcard over the field's stems.

#include "ks-xapian-private.h"
#include "query-cost.h"

#include <cstdlib>

// The position of the leaf Q in its query ("Query(Zbudget@2)"), which
// Xapian 1.4's Query shows only in its description; 0 when it has none.
static Xapian::termpos leaf_pos(const Xapian::Query &q)
{
	const std::string d = q.get_description();
	const size_t at = d.rfind('@');
	if (at == std::string::npos)
		return 0;
	return static_cast<Xapian::termpos>(std::strtoul(d.c_str() + at + 1, nullptr, 10));
}

// The window of a phrase or NEAR ("Query((a@1 NEAR 4 b@2))"); 0 (as many
// as it has terms) when the description is not of that form.
static Xapian::termcount window_of(const Xapian::Query &q, const char *op)
{
	const std::string d = q.get_description();
	const std::string mark = std::string(" ") + op + " ";
	const size_t at = d.find(mark);
	if (at == std::string::npos)
		return 0;
	return static_cast<Xapian::termcount>(
		std::strtoul(d.c_str() + at + mark.size(), nullptr, 10));
}

// The most phrases that the spellings of a phrase's words make (two words
// with two spellings each).
static const size_t KS_MAX_PHRASE_SPELLINGS = 4;

namespace
{

struct folder {
	ks_db *db;
	Xapian::QueryParser &qp;

	bool has(const std::string &term)
	{
		return db->reader().term_exists(term);
	}

	// TERM at POS, and the term of the other spelling when the index
	// has it, as one term (OP_SYNONYM: what matches either spelling
	// weighs as one word did when both were stored).
	Xapian::Query either(const std::string &term, const std::string &other, Xapian::termpos pos)
	{
		if (other.empty() || other == term || !has(other))
			return Xapian::Query(term, 1, pos);
		if (!has(term))
			return Xapian::Query(other, 1, pos);
		const Xapian::Query both[] = { Xapian::Query(term, 1, pos),
					       Xapian::Query(other, 1, pos) };
		return Xapian::Query(Xapian::Query::OP_SYNONYM, std::begin(both), std::end(both));
	}

	// The terms of the spellings of the word WORD of a phrase that the
	// index has (WORD's own when it has neither).
	std::vector<std::string> phrase_words(const std::string &word)
	{
		const std::string term = word_term(db, word);
		const std::string other = ks::other_spelling(word);
		const std::string other_term = other.empty() ? other : word_term(db, other);
		if (other.empty() || !has(other_term))
			return { term };
		if (!has(term))
			return { other_term };
		return { term, other_term };
	}

	// The phrase (or NEAR, OP with WINDOW) of the words WORDS at POSITIONS
	// in every spelling the index has: Xapian 1.4's phrases are of terms
	// only, so the spellings make phrases of their own, OR'ed, as long as
	// they are few (KS_MAX_PHRASE_SPELLINGS); past that each word is
	// taken as typed, or as its other spelling when only that is known.
	Xapian::Query phrase(const std::vector<std::string> &words,
			     const std::vector<Xapian::termpos> &positions, Xapian::Query::op op,
			     Xapian::termcount window)
	{
		std::vector<std::vector<std::string>> spellings;
		size_t variants = 1;
		for (const std::string &w : words) {
			spellings.push_back(phrase_words(w));
			variants *= spellings.back().size();
		}
		if (variants > KS_MAX_PHRASE_SPELLINGS) {
			variants = 1;
			for (auto &s : spellings)
				s.resize(1);
		}
		std::vector<Xapian::Query> any;
		for (size_t v = 0; v < variants; v++) {
			std::vector<Xapian::Query> terms;
			size_t rest = v;
			for (size_t i = 0; i < words.size(); i++) {
				const auto &s = spellings[i];
				terms.emplace_back(s[rest % s.size()], 1, positions[i]);
				rest /= s.size();
			}
			any.emplace_back(op, terms.begin(), terms.end(), window);
		}
		return any.size() == 1
			       ? any[0]
			       : Xapian::Query(Xapian::Query::OP_OR, any.begin(), any.end());
	}

	// "Z" + PREFIX + the stem of WORD, as the indexer writes a field's
	// word; a word the TermGenerator does not stem (a number) is kept
	// whole.
	std::string field_term(const std::string &prefix, const std::string &word)
	{
		const std::string stem = stem_some(db, word);
		return stem.empty() ? prefix + word : "Z" + prefix + stem;
	}

	// The words typed that the QueryParser stemmed into TERM.
	std::vector<std::string> typed(const std::string &term)
	{
		std::vector<std::string> out;
		for (auto u = qp.unstem_begin(term); u != qp.unstem_end(term); ++u)
			out.push_back(*u);
		return out;
	}

	Xapian::Query leaf(const Xapian::Query &q)
	{
		const std::string term = *q.get_terms_begin();
		const Xapian::termpos pos = leaf_pos(q);
		const bool stemmed = term[0] == 'Z';
		const std::string rest = stemmed ? term.substr(1) : term;
		const size_t n = free_text_prefix(rest);
		if (n == std::string::npos || n == rest.size())
			return q;
		const std::string prefix = rest.substr(0, n), word = rest.substr(n);
		if (!stemmed) {
			// A word typed after a field's name but not stemmed
			// ("titel:budget\"", a word in capitals): the field
			// holds its stem.
			const auto stored = [&](const std::string &w) {
				return prefix.empty() ? word_term(db, w) : field_term(prefix, w);
			};
			const std::string t = stored(word);
			const std::string other = ks::other_spelling(word);
			if (other.empty())
				return t == term ? q : Xapian::Query(t, 1, pos);
			return either(t, stored(other), pos);
		}
		for (const std::string &w : typed(term)) {
			const std::string other = ks::other_spelling(w);
			if (!other.empty())
				return either(term, "Z" + prefix + stem_some(db, other), pos);
		}
		return q;
	}

	// A phrase (or NEAR) of the words of Q, a field's when N (the length
	// of its prefix) is not 0: then the phrase in the plain text, and each
	// of its words in the field.
	Xapian::Query phrase_of(const Xapian::Query &q, Xapian::Query::op op, size_t n)
	{
		std::vector<std::string> words;
		std::vector<Xapian::termpos> positions;
		std::vector<Xapian::Query> field;
		for (size_t i = 0; i < q.get_num_subqueries(); i++) {
			const Xapian::Query sub = q.get_subquery(i);
			if (sub.get_type() != Xapian::Query::LEAF_TERM)
				return q;
			const std::string term = *sub.get_terms_begin();
			if (term.size() < n)
				return q;
			words.push_back(term.substr(n));
			positions.push_back(leaf_pos(sub));
			if (n)
				field.push_back(leaf(Xapian::Query(term, 1, positions.back())));
		}
		const Xapian::termcount window =
			window_of(q, op == Xapian::Query::OP_NEAR ? "NEAR" : "PHRASE");
		const Xapian::Query plain = phrase(words, positions, op, window);
		if (field.empty())
			return plain;
		field.push_back(plain);
		return Xapian::Query(Xapian::Query::OP_AND, field.begin(), field.end());
	}

	// A wildcard: in a field, over the field's stems (a word begins with
	// its stem, so the pattern is cut to its stem); a pattern with another
	// spelling also as that, when the index has words beginning so.
	Xapian::Query wildcard(const Xapian::Query &q)
	{
		static const std::string start = "Query(WILDCARD SYNONYM ";
		const std::string d = q.get_description();
		if (d.compare(0, start.size(), start) != 0 || d.back() != ')')
			return q;
		const std::string pattern = d.substr(start.size(), d.size() - 1 - start.size());
		const size_t n = free_text_prefix(pattern);
		if (n == std::string::npos || n == pattern.size())
			return q;
		const std::string prefix = pattern.substr(0, n), word = pattern.substr(n);
		const auto wild = [&](const std::string &w) {
			if (prefix.empty())
				return Xapian::Query(Xapian::Query::OP_WILDCARD, w,
						     KS_MAX_WILDCARD_TERMS,
						     Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
			const std::string stem = stem_some(db, w);
			const std::string cut =
				!stem.empty() && w.compare(0, stem.size(), stem) == 0 ? stem : w;
			return Xapian::Query(Xapian::Query::OP_WILDCARD, "Z" + prefix + cut,
					     KS_MAX_WILDCARD_TERMS,
					     Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
		};
		const std::string other = ks::other_spelling(word);
		Xapian::Query own = prefix.empty() ? q : wild(word);
		if (other.empty())
			return own;
		// A word that is its own stem is among the stems (word_term()).
		Xapian::Database &r = db->reader();
		const std::string stems = own_stems_pattern(other);
		if (r.allterms_begin(other) == r.allterms_end(other) &&
		    (stems.empty() || r.allterms_begin(stems) == r.allterms_end(stems)))
			return own;
		return Xapian::Query(Xapian::Query::OP_OR, own, wild(other));
	}

	Xapian::Query fold(const Xapian::Query &q)
	{
		const Xapian::Query::op op = q.get_type();
		if (op == Xapian::Query::LEAF_TERM)
			return leaf(q);
		if (op == Xapian::Query::OP_WILDCARD)
			return wildcard(q);
		const size_t n = q.get_num_subqueries();
		if (n == 0)
			return q;
		if (op == Xapian::Query::OP_PHRASE || op == Xapian::Query::OP_NEAR) {
			const Xapian::Query first = q.get_subquery(0);
			if (first.get_type() != Xapian::Query::LEAF_TERM)
				return q;
			const size_t p = free_text_prefix(*first.get_terms_begin());
			return p == std::string::npos ? q : phrase_of(q, op, p);
		}
		return ks::with_subqueries(q,
					   [this](const Xapian::Query &sub) { return fold(sub); });
	}
};

} // namespace

Xapian::Query folded(ks_db *db, const Xapian::Query &q)
{
	folder f{ db, db->qp };
	return f.fold(q);
}

std::string other_spelling_known(ks_db *db, const std::string &word)
{
	const std::string other = ks::other_spelling(word);
	if (other.empty())
		return other;
	Xapian::Database &r = db->reader();
	const std::string stem = stem_some(db, other);
	if (r.term_exists(other) || (!stem.empty() && r.term_exists("Z" + stem)))
		return other;
	return std::string();
}
