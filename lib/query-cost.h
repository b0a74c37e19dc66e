// query-cost.h — what one query may cost (C++, internal to the binding).
//
// A query of 1 KB can hold a hundred wildcards, each of which Xapian expands
// into up to its limit of terms at match time: unbounded, "s* s* s* …" makes
// a posting list of every expansion of every copy, and one request holds a
// search thread for as long as that takes.  The binding bounds a query three
// ways before and while it runs: a wildcard repeated under AND or OR is one
// wildcard (merge_repeated), the wildcards together may expand to a bounded
// number of terms (wildcard_terms), and the match stops at a deadline or
// when the caller says so (MatchGuard).
#ifndef KS_QUERY_COST_H
#define KS_QUERY_COST_H

#include <xapian.h>

#include <chrono>
#include <string>
#include <unordered_map>
#include <vector>

namespace ks
{

// Whether a query of operator OP can be taken apart and put together again
// with Query(op, begin, end): it carries no parameter that Xapian 1.4's
// Query lets one read back (a phrase's window, a scale factor).
bool rebuildable(Xapian::Query::op op);

// Q with F(sub) for each of its subqueries, or Q itself when none changed
// or Q's operator cannot be rebuilt (see rebuildable()).
template <typename F> Xapian::Query with_subqueries(const Xapian::Query &q, F f)
{
	const Xapian::Query::op op = q.get_type();
	const size_t n = q.get_num_subqueries();
	if (n == 0 || !rebuildable(op))
		return q;
	std::vector<Xapian::Query> subs;
	bool changed = false;
	for (size_t i = 0; i < n; i++) {
		const Xapian::Query sub = q.get_subquery(i);
		subs.push_back(f(sub));
		changed |= subs.back().internal.get() != sub.internal.get();
	}
	return changed ? Xapian::Query(op, subs.begin(), subs.end()) : q;
}

// Q with the repeated subqueries of each AND and OR merged: "s* s* s*" is
// "s*", which matches the same documents in the same order.  Other
// operators (phrases, AND_NOT, filters, weights) are kept as they are.
Xapian::Query merge_repeated(const Xapian::Query &q);

// Where else an index keeps terms that a wildcard of PATTERN matches: the
// pattern of those, or "" when there are none.  (Kommunesøg's index keeps a
// word that is its own stem as its stem's term: "plan*" also matches the
// terms "Zplan…".)
using also_fn = std::string (*)(const std::string &pattern);

// The number of terms the wildcards of Q expand to in DB, each wildcard as
// expand_wildcards() expands it (its PER_WILDCARD most frequent terms at
// most, those of ALSO's pattern too), summed over every wildcard of Q.
// Counting stops once the sum passes STOP_PAST: the result is then
// STOP_PAST + 1 or more.
Xapian::termcount wildcard_terms(const Xapian::Database &db, const Xapian::Query &q,
				 Xapian::termcount per_wildcard, Xapian::termcount stop_past,
				 also_fn also);

// Whether Q holds a wildcard.
bool has_wildcard(const Xapian::Query &q);

// The terms of each wildcard pattern that a reader has expanded (see
// expand_wildcards()), kept until its database changes.
using expansions = std::unordered_map<std::string, std::vector<std::string>>;

// Q with each wildcard replaced by the synonym of the terms it expands to
// in DB: its PER_WILDCARD most frequent of those that begin with its
// pattern or with ALSO's, ties by term.  Xapian expands a
// wildcard again in each match of a query, and to pick the most frequent
// terms it opens a posting list for every term that begins so (tens of
// thousands for "budget*" in a large index): a search that counts its
// facets over the samples and takes its hits in a second match, and the
// snippets' match, paid that each time.  Each pattern is looked up once,
// or not at all when KEPT (if given) holds it: KEPT keeps what is looked
// up, and is emptied when it holds KS_MAX_KEPT_EXPANSIONS patterns.  A
// wildcard under an operator that cannot be rebuilt (see rebuildable())
// is left to Xapian.
Xapian::Query expand_wildcards(const Xapian::Database &db, const Xapian::Query &q,
			       Xapian::termcount per_wildcard, expansions *kept, also_fn also);

// Q with each wildcard that ALSO gives another pattern made the synonym
// of itself and a wildcard of that pattern (PER_WILDCARD terms each): for
// a database that expands the wildcards itself (a remote one), which takes
// the most frequent terms of each pattern apart.
Xapian::Query with_also_wildcards(const Xapian::Query &q, Xapian::termcount per_wildcard,
				  also_fn also);

// Why a match was stopped (thrown by MatchGuard, out of Enquire::get_mset()).
struct MatchStopped {
	bool timed_out; // the deadline passed; otherwise the caller asked to stop
};

// A match spy that stops the match — by throwing MatchStopped, which Xapian
// lets through get_mset() — when the deadline has passed or STOP(ARG)
// returns true.  Xapian calls a spy for every document the match checks,
// so it is the one place inside a match where time can be looked at; the
// clock is read every few documents and STOP asked less often (it may be a
// system call).  Only for local databases: Xapian's remote backend runs the
// match in xapian-tcpsrv, where a spy of ours cannot go.
class MatchGuard : public Xapian::MatchSpy
{
      public:
	using clock = std::chrono::steady_clock;
	MatchGuard(clock::time_point deadline, bool has_deadline, bool (*stop)(void *), void *arg)
	    : deadline_(deadline), has_deadline_(has_deadline), stop_(stop), arg_(arg)
	{
	}
	void operator()(const Xapian::Document &doc, double wt) override;
	// Throws MatchStopped when the deadline has passed, or, with
	// ASK_STOP, when STOP(ARG) says so: what the match asks now and then,
	// for a caller to ask outside it.
	void check(bool ask_stop = true);
	// Whether the deadline has passed, without throwing: for work that
	// may be left out once the time is up.
	bool expired() const
	{
		return has_deadline_ && clock::now() >= deadline_;
	}
	// Throws MatchStopped when STOP(ARG) says so: outside the match,
	// where only the caller's word stops a search (the time limit is
	// the match's, so that a search of a few documents, which never
	// reaches a check inside it, is never stopped by it).
	void ask_caller() const
	{
		if (stop_ && stop_(arg_))
			throw MatchStopped{ false };
	}

      private:
	clock::time_point deadline_;
	bool has_deadline_;
	bool (*stop_)(void *);
	void *arg_;
	unsigned calls_ = 0;
};

} // namespace ks

#endif
