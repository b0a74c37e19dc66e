// facets.h — a search's facets counted (C++, internal to the binding): over
// the whole match set up to the bound of exact counting, and past it the
// counts of the first matches checked and of samples of the index (or of
// samples alone), scaled up.  lib/search.cc runs the matches; this says
// how what they saw is counted.
#ifndef KS_FACETS_H
#define KS_FACETS_H

#include "ks-xapian-private.h"
#include "query-cost.h"

#include <xapian.h>

#include <functional>
#include <map>
#include <string>

namespace ks
{

// The count of each combination of the four facet values (KS_SLOT_FACETS,
// joined by KS_FACET_SEP; a few thousand at most), scaled up where it is
// an estimate.
using combined_counts = std::map<std::string, double, std::less<>>;

// Adds SPY's counts of KS_SLOT_FACETS, each times SCALE, to COUNTS.
void add_counts(const Xapian::ValueCountMatchSpy &spy, double scale, combined_counts *counts);

// Counts the facets of every document a match checks (into ALL), and keeps
// the counts of its first N and the id of the Nth.  A match on one
// database checks its documents in the order of their ids, and every one
// that matches until it has checked N (check_at_least); past that, only
// those that can still reach the page.  So the first N are every match up
// to the Nth's id (test_first_matches_then_sample).
class FirstMatches : public Xapian::MatchSpy
{
      public:
	FirstMatches(Xapian::ValueCountMatchSpy &all, Xapian::doccount n) : all_(all), n_(n)
	{
	}
	void operator()(const Xapian::Document &doc, double wt) override
	{
		all_(doc, wt);
		latest_ = doc.get_docid();
		if (++seen_ == n_) {
			last_ = latest_;
			add_counts(all_, 1.0, &first_);
		}
	}
	// The id of the Nth document, 0 before there were N.
	Xapian::docid last() const
	{
		return last_;
	}
	// The id of the last document checked, 0 before the first.
	Xapian::docid latest() const
	{
		return latest_;
	}
	const combined_counts &first() const
	{
		return first_;
	}

      private:
	Xapian::ValueCountMatchSpy &all_;
	Xapian::doccount n_, seen_ = 0;
	Xapian::docid last_ = 0, latest_ = 0;
	combined_counts first_;
};

// Counts the facets and the total of a search for QUERY over the samples
// alone when it finds far more than EXACT (into HITS): false, having
// counted nothing, when Xapian's estimate of its matches is under
// KS_SAMPLE_FIRST times EXACT or the samples make them EXACT or fewer
// (the estimate of an AND of common words can be many times too high):
// the search is then counted exactly.  ENQUIRE is the search's, asked for
// the estimate; STOPPER, when given, watches the time.
bool count_wide(ks_db *db, Xapian::Enquire &enquire, const Xapian::Query &query,
		Xapian::doccount exact, MatchGuard *stopper, ks_hits *hits);

// The facets and the total of a search for QUERY (into HITS) from a match
// that checked at least EXACT documents (MSET) with SPY, and with FIRST
// over one database: exact when the match checked them all; else the
// counts of the first EXACT and a sample of the matches after them, or
// (over shards) samples of the whole index.
void count_checked(ks_db *db, const Xapian::Query &query, const Xapian::MSet &mset,
		   const Xapian::ValueCountMatchSpy &spy, const FirstMatches &first,
		   Xapian::doccount exact, MatchGuard *stopper, ks_hits *hits);

} // namespace ks

#endif
