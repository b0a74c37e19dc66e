// query-cost.cc — what one query may cost (query-cost.h).

#include "query-cost.h"

#include <map>
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
struct counter {
	const Xapian::Database &db;
	Xapian::termcount per_wildcard, stop_past, sum = 0;
	std::map<std::string, Xapian::termcount> known; // pattern -> its expansion

	// The terms PATTERN expands to, at most PER_WILDCARD of them.
	Xapian::termcount expansion(const std::string &pattern)
	{
		auto k = known.find(pattern);
		if (k != known.end())
			return k->second;
		Xapian::termcount n = 0;
		for (auto t = db.allterms_begin(pattern);
		     t != db.allterms_end(pattern) && n < per_wildcard; ++t)
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
				 Xapian::termcount per_wildcard, Xapian::termcount stop_past)
{
	counter c{ db, per_wildcard, stop_past, 0, {} };
	c.walk(q);
	return c.sum;
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
