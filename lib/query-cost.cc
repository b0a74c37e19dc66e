// query-cost.cc — what one query may cost (query-cost.h).

#include "query-cost.h"

#include <algorithm>
#include <map>
#include <queue>
#include <set>
#include <string>
#include <vector>

namespace ks
{

bool rebuildable(Xapian::Query::op op)
{
	switch (op) {
	case Xapian::Query::OP_AND:
	case Xapian::Query::OP_OR:
	case Xapian::Query::OP_AND_NOT:
	case Xapian::Query::OP_XOR:
	case Xapian::Query::OP_AND_MAYBE:
	case Xapian::Query::OP_FILTER:
	case Xapian::Query::OP_SYNONYM:
	case Xapian::Query::OP_MAX:
		return true;
	default:
		return false;
	}
}

Xapian::Query merge_repeated(const Xapian::Query &q)
{
	const Xapian::Query::op op = q.get_type();
	const size_t n = q.get_num_subqueries();
	if (n == 0 || !rebuildable(op))
		return q;
	// Only AND and OR are idempotent: "a AND a" matches what "a" does.
	// Under the others the copies are merged inside each operand.
	const bool merge = op == Xapian::Query::OP_AND || op == Xapian::Query::OP_OR;
	std::vector<Xapian::Query> subs;
	std::set<std::string> seen;
	bool changed = false;
	for (size_t i = 0; i < n; i++) {
		const Xapian::Query sub = q.get_subquery(i);
		const Xapian::Query merged = merge_repeated(sub);
		changed |= merged.internal.get() != sub.internal.get();
		if (merge && !seen.insert(merged.get_description()).second) {
			changed = true;
			continue;
		}
		subs.push_back(merged);
	}
	return changed ? Xapian::Query(op, subs.begin(), subs.end()) : q;
}

// The pattern of a wildcard query ("Query(WILDCARD SYNONYM XTbud)": the
// prefix and the letters before the '*'), which Xapian 1.4's Query shows
// only in its description.  False when Q's description is not of that form.
static bool wildcard_pattern(const Xapian::Query &q, std::string *pattern)
{
	static const std::string start = "Query(WILDCARD ";
	const std::string d = q.get_description();
	if (d.compare(0, start.size(), start) != 0 || d.back() != ')')
		return false;
	const size_t space = d.find(' ', start.size()); // after the combining operator
	if (space == std::string::npos)
		return false;
	*pattern = d.substr(space + 1, d.size() - 1 - (space + 1));
	return true;
}

namespace
{
// Whether Q is a wildcard whose terms are a synonym, as the QueryParser's
// are (another combiner weighs them apart), and its PATTERN.
bool synonym_wildcard(const Xapian::Query &q, std::string *pattern)
{
	static const std::string synonym = "Query(WILDCARD SYNONYM ";
	return q.get_type() == Xapian::Query::OP_WILDCARD &&
	       q.get_description().compare(0, synonym.size(), synonym) == 0 &&
	       wildcard_pattern(q, pattern);
}

// PATTERN and the one ALSO gives, if any.
std::vector<std::string> patterns_of(const std::string &pattern, also_fn also)
{
	std::vector<std::string> out{ pattern };
	const std::string more = also ? also(pattern) : std::string();
	if (!more.empty())
		out.push_back(more);
	return out;
}

struct counter {
	const Xapian::Database &db;
	Xapian::termcount per_wildcard, stop_past;
	also_fn also;
	Xapian::termcount sum = 0;
	std::map<std::string, Xapian::termcount> known; // pattern -> its expansion

	// The terms PATTERN expands to, at most PER_WILDCARD of them.
	Xapian::termcount expansion(const std::string &pattern)
	{
		auto k = known.find(pattern);
		if (k != known.end())
			return k->second;
		Xapian::termcount n = 0;
		for (const std::string &p : patterns_of(pattern, also))
			for (auto t = db.allterms_begin(p);
			     t != db.allterms_end(p) && n < per_wildcard; ++t)
				n++;
		known.emplace(pattern, n);
		return n;
	}

	void walk(const Xapian::Query &q)
	{
		if (sum > stop_past)
			return;
		if (q.get_type() == Xapian::Query::OP_WILDCARD) {
			std::string pattern;
			// A description of another form (another Xapian) is counted
			// as the most a wildcard may expand to.
			sum += wildcard_pattern(q, &pattern) ? expansion(pattern) : per_wildcard;
			return;
		}
		for (size_t i = 0; i < q.get_num_subqueries(); i++)
			walk(q.get_subquery(i));
	}
};
} // namespace

bool has_wildcard(const Xapian::Query &q)
{
	if (q.get_type() == Xapian::Query::OP_WILDCARD)
		return true;
	for (size_t i = 0; i < q.get_num_subqueries(); i++)
		if (has_wildcard(q.get_subquery(i)))
			return true;
	return false;
}

Xapian::termcount wildcard_terms(const Xapian::Database &db, const Xapian::Query &q,
				 Xapian::termcount per_wildcard, Xapian::termcount stop_past,
				 also_fn also)
{
	counter c{ db, per_wildcard, stop_past, also, 0, {} };
	c.walk(q);
	return c.sum;
}

// The most patterns a reader keeps the expansion of: at most 256 terms
// each, about 1.5 MB a reader whatever the queries.
static const size_t KS_MAX_KEPT_EXPANSIONS = 256;

// The PER_WILDCARD most frequent terms of DB that begin with one of
// PATTERNS, the more frequent first and ties in term order.  Only a term
// that makes the cut is copied: most of a long expansion is words found
// once or twice.
static std::vector<std::string> most_frequent(const Xapian::Database &db,
					      const std::vector<std::string> &patterns,
					      Xapian::termcount per_wildcard)
{
	using entry = std::pair<Xapian::doccount, std::string>;
	// The worst kept at the top: the least frequent, and of those the
	// last in term order (which a later term of the same frequency,
	// being later still, does not replace).
	const auto better = [](const entry &a, const entry &b) {
		return a.first != b.first ? a.first > b.first : a.second < b.second;
	};
	std::priority_queue<entry, std::vector<entry>, decltype(better)> kept(better);
	for (const std::string &pattern : patterns)
		for (auto t = db.allterms_begin(pattern); t != db.allterms_end(pattern); ++t) {
			const Xapian::doccount freq = t.get_termfreq();
			const bool full = kept.size() == per_wildcard;
			if (full && freq < kept.top().first)
				continue;
			// A tie is settled by byte order, whichever pattern
			// the terms came from.
			entry e{ freq, *t };
			if (full && !better(e, kept.top()))
				continue;
			kept.push(std::move(e));
			if (kept.size() > per_wildcard)
				kept.pop();
		}
	std::vector<std::string> terms(kept.size());
	for (size_t i = terms.size(); i-- > 0; kept.pop())
		terms[i] = kept.top().second;
	return terms;
}

namespace
{
struct expander {
	const Xapian::Database &db;
	Xapian::termcount per_wildcard;
	expansions *kept;
	also_fn also;
	expansions here; // without KEPT, for the patterns repeated in one query

	const std::vector<std::string> &terms(const std::string &pattern)
	{
		expansions &in = kept ? *kept : here;
		auto k = in.find(pattern);
		if (k != in.end())
			return k->second;
		if (kept && kept->size() >= KS_MAX_KEPT_EXPANSIONS)
			kept->clear();
		return in
			.emplace(pattern,
				 most_frequent(db, patterns_of(pattern, also), per_wildcard))
			.first->second;
	}

	Xapian::Query expand(const Xapian::Query &q)
	{
		std::string pattern;
		if (q.get_type() == Xapian::Query::OP_WILDCARD) {
			if (!synonym_wildcard(q, &pattern))
				return q;
			const std::vector<std::string> &words = terms(pattern);
			// No term: Query(), which matches nothing, as the
			// wildcard did.
			return Xapian::Query(Xapian::Query::OP_SYNONYM, words.begin(), words.end());
		}
		return with_subqueries(q, [this](const Xapian::Query &sub) { return expand(sub); });
	}
};
} // namespace

Xapian::Query expand_wildcards(const Xapian::Database &db, const Xapian::Query &q,
			       Xapian::termcount per_wildcard, expansions *kept, also_fn also)
{
	if (!has_wildcard(q))
		return q;
	expander e{ db, per_wildcard, kept, also, {} };
	return e.expand(q);
}

Xapian::Query with_also_wildcards(const Xapian::Query &q, Xapian::termcount per_wildcard,
				  also_fn also)
{
	std::string pattern;
	if (synonym_wildcard(q, &pattern)) {
		const std::string more = also(pattern);
		if (more.empty())
			return q;
		const Xapian::Query both[] = {
			q, Xapian::Query(Xapian::Query::OP_WILDCARD, more, per_wildcard,
					 Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT)
		};
		return Xapian::Query(Xapian::Query::OP_SYNONYM, std::begin(both), std::end(both));
	}
	return with_subqueries(q, [&](const Xapian::Query &sub) {
		return with_also_wildcards(sub, per_wildcard, also);
	});
}

void MatchGuard::operator()(const Xapian::Document &, double)
{
	// Reading the clock costs a few nanoseconds and a document of a
	// match a few hundred: every 64th keeps the cost out of sight and
	// the deadline within a millisecond or so of its time.
	// STOP may be a system call (is the client still there?): 16 times
	// less often than the clock.
	if (++calls_ % 64 == 0)
		check(calls_ % 1024 == 0);
}

void MatchGuard::check(bool ask_stop)
{
	if (expired())
		throw MatchStopped{ true };
	if (ask_stop && stop_ && stop_(arg_))
		throw MatchStopped{ false };
}

} // namespace ks
