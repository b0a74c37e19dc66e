// facets.cc — a search's facets counted (facets.h).

#include "facets.h"

#include <algorithm>
#include <cmath>
#include <string_view>
#include <vector>

namespace ks
{

// Adds SPY's counts of KS_SLOT_FACETS, each times SCALE, to COUNTS.
void add_counts(const Xapian::ValueCountMatchSpy &spy, double scale, combined_counts *counts)
{
	for (auto v = spy.values_begin(); v != spy.values_end(); ++v)
		(*counts)[*v] += scale * v.get_termfreq();
}

// Sorts COUNTS most frequent first, ties in Danish order (æ, ø, å after z).
// The Danish sort key is made only for values whose count ties with
// another's: only a tie needs one.
static facet_counts sorted(const std::map<std::string, uint32_t, std::less<>> &counts)
{
	facet_counts out(counts.begin(), counts.end());
	std::stable_sort(out.begin(), out.end(),
			 [](const auto &a, const auto &b) { return a.second > b.second; });
	for (auto tie = out.begin(); tie != out.end();) {
		auto end = std::find_if(tie, out.end(),
					[&](const auto &c) { return c.second != tie->second; });
		if (end - tie > 1) {
			std::vector<std::pair<std::string, std::pair<std::string, uint32_t>>> keyed;
			for (auto c = tie; c != end; ++c)
				keyed.push_back({ ks::danish_sort_key(c->first), *c });
			std::sort(keyed.begin(), keyed.end(), [](const auto &a, const auto &b) {
				return a.first != b.first ? a.first < b.first
							  : a.second.first < b.second.first;
			});
			for (const auto &k : keyed)
				*tie++ = k.second;
		}
		tie = end;
	}
	return out;
}

// The counts of each facet from counts of their combinations: ADD_ALL(add)
// calls add(combined, count) for each combination.
template <typename AddAll> static void split_counts(AddAll add_all, facet_counts *facets)
{
	// Looked up by a view into the combined value: a facet has few
	// values, each in many combinations, and only a new one is copied.
	std::map<std::string, double, std::less<>> split[KS_FACET_COUNT];
	add_all([&](const std::string &combined, double count) {
		size_t start = 0;
		for (int f = 0; f < KS_FACET_COUNT && start <= combined.size(); f++) {
			size_t end = combined.find(KS_FACET_SEP, start);
			if (end == std::string::npos)
				end = combined.size();
			if (end > start) {
				const std::string_view value(combined.data() + start, end - start);
				auto c = split[f].find(value);
				if (c == split[f].end())
					c = split[f].emplace(std::string(value), 0).first;
				c->second += count;
			}
			start = end + 1;
		}
	});
	for (int f = 0; f < KS_FACET_COUNT; f++) {
		std::map<std::string, uint32_t, std::less<>> rounded;
		for (const auto &[value, count] : split[f])
			rounded.emplace(value, static_cast<uint32_t>(std::lround(count)));
		facets[f] = sorted(rounded);
	}
}

// The counts of each facet from the spy's; when the spy saw only part of
// the match set (of MATCHES documents), each count is scaled up to the
// whole.
static void count_facets(const Xapian::ValueCountMatchSpy &spy, Xapian::doccount matches,
			 facet_counts *facets)
{
	const Xapian::doccount seen = spy.get_total();
	const double scale = seen && matches > seen ? static_cast<double>(matches) / seen : 1.0;
	split_counts(
		[&](auto add) {
			for (auto v = spy.values_begin(); v != spy.values_end(); ++v)
				add(*v, scale * v.get_termfreq());
		},
		facets);
}

// The counts of each facet from COUNTS.
static void count_facets(const combined_counts &counts, facet_counts *facets)
{
	split_counts(
		[&](auto add) {
			for (const auto &[combined, count] : counts)
				add(combined, count);
		},
		facets);
}

// The samples that an estimated search counts its facets over hold about
// this share of its bound of exact counting: a fourth of the documents
// doubles the sampling error (a few per cent of a facet's large counts)
// and leaves a fourth of them to check (bench/RESULTS.md, "estimated
// facets from samples").
static const Xapian::doccount KS_SAMPLED_SHARE = 4;

// The first N samples (KS_SAMPLES) as one query, and the number of
// documents they hold (*SAMPLED).  A search is scaled up by the share of
// the index the samples hold, not by KS_SAMPLES / N: runs are dealt to
// them by a hash, not in turn, and the samples differ in size.
static Xapian::Query first_samples(const Xapian::Database &r, Xapian::doccount n,
				   unsigned long long *sampled)
{
	std::vector<Xapian::Query> samples;
	*sampled = 0;
	for (Xapian::doccount i = 0; i < n; i++) {
		const std::string term = KS_PREFIX_SAMPLE + std::to_string(i);
		*sampled += r.get_termfreq(term);
		samples.emplace_back(term);
	}
	return Xapian::Query(Xapian::Query::OP_OR, samples.begin(), samples.end());
}

// A match of QUERY that weighs nothing and checks at least AT_LEAST
// documents (or all), each shown to SPY; STOPPER, when given, watches the
// time.
static Xapian::MSet counted(const Xapian::Database &r, const Xapian::Query &query,
			    Xapian::doccount at_least, MatchGuard *stopper, Xapian::MatchSpy &spy)
{
	Xapian::Enquire enquire(r);
	enquire.set_query(query);
	enquire.set_weighting_scheme(Xapian::BoolWeight());
	if (stopper)
		enquire.add_matchspy(stopper);
	enquire.add_matchspy(&spy);
	Xapian::MSet mset = enquire.get_mset(0, 0, std::min(r.get_doccount(), at_least));
	// The spies die with the caller; the MSet keeps the Enquire.
	enquire.clear_matchspies();
	return mset;
}

// The facets of QUERY's matches, about MATCHES documents (more than EXACT),
// and their number (*TOTAL), counted over as many of the samples
// (KS_SAMPLES) as hold about EXACT / KS_SAMPLED_SHARE of them and scaled
// up by the share of the index the samples hold: a match checks documents
// in the order they were added, the oldest files first, so that its first
// EXACT would count the years, committees and types of those, and
// estimate the total from them.  The total is at least AT_LEAST, which the
// caller knows there are (a search just past the bound, that the samples
// hold too few of to tell it from one under it).  False when the samples
// would hold (about) all of them or none was found in them; STOPPER, when
// given, watches the time.
static bool count_facets_sampled(ks_db *db, const Xapian::Query &query, Xapian::doccount matches,
				 Xapian::doccount exact, Xapian::doccount at_least,
				 MatchGuard *stopper, facet_counts *facets, Xapian::doccount *total)
{
	if (!matches)
		return false;
	const Xapian::doccount want = std::max<Xapian::doccount>(1, exact / KS_SAMPLED_SHARE);
	const Xapian::doccount n = static_cast<Xapian::doccount>(
		(static_cast<unsigned long long>(want) * KS_SAMPLES + matches - 1) / matches);
	if (n >= KS_SAMPLES)
		return false;
	Xapian::Database &r = db->reader();
	unsigned long long sampled;
	const Xapian::Query samples = first_samples(r, n, &sampled);
	if (!sampled)
		return false;
	Xapian::ValueCountMatchSpy spy(KS_SLOT_FACETS);
	// MATCHES is an estimate: room for the samples to hold a few times
	// what it makes them hold.
	const Xapian::MSet mset = counted(
		r, Xapian::Query(Xapian::Query::OP_FILTER, query, samples), 4 * want, stopper, spy);
	const double scaled =
		static_cast<double>(mset.get_matches_estimated()) * r.get_doccount() / sampled;
	if (!spy.get_total())
		return false;
	*total = std::max(at_least,
			  static_cast<Xapian::doccount>(std::min(
				  std::round(scaled), static_cast<double>(r.get_doccount()))));
	count_facets(spy, *total, facets);
	return true;
}

// The documents whose ids come after a given one (of one database): what a
// match that checked every match up to that id leaves.  Ids of deleted
// documents are in it too; a filter of a query matches none of them.
class DocidsAfter : public Xapian::PostingSource
{
      public:
	explicit DocidsAfter(Xapian::docid after) : after_(after), did_(after)
	{
	}
	void init(const Xapian::Database &db) override
	{
		last_ = db.get_lastdocid();
		did_ = after_;
	}
	Xapian::doccount get_termfreq_min() const override
	{
		return 0;
	}
	Xapian::doccount get_termfreq_est() const override
	{
		return last_ > after_ ? last_ - after_ : 0;
	}
	Xapian::doccount get_termfreq_max() const override
	{
		return get_termfreq_est();
	}
	void next(double) override
	{
		did_ = std::max(did_ + 1, after_ + 1);
	}
	void skip_to(Xapian::docid did, double) override
	{
		did_ = std::max({ did_, did, after_ + 1 });
	}
	bool at_end() const override
	{
		return did_ > last_;
	}
	Xapian::docid get_docid() const override
	{
		return did_;
	}
	Xapian::PostingSource *clone() const override
	{
		return new DocidsAfter(after_);
	}

      private:
	Xapian::docid after_, last_ = 0, did_;
};

// The facets of QUERY's matches after document AFTER, about REMAINDER of
// them (into COUNTS), and their number (*TOTAL): counted over as many of
// the samples as the error allows (below), at most half, and scaled up by
// the share of the index the samples hold.  What a search just past the
// bound adds to its first EXACT matches, counted exactly: a sample of the
// whole index would check a fourth of EXACT again, and err on the part
// that was counted (bench/RESULTS.md, "the matches after the first").  At
// most half, so that it is an estimate as the total past the bound is.
// False when the samples hold none of the index; STOPPER, when given,
// watches the time.
static bool count_after(ks_db *db, const Xapian::Query &query, Xapian::docid after,
			Xapian::doccount remainder, Xapian::doccount exact, MatchGuard *stopper,
			combined_counts *counts, double *total)
{
	// A sample of K of the REMAINDER matches errs by about REMAINDER /
	// sqrt(K) on a count; one of the whole search (EXACT + REMAINDER)
	// holding EXACT / KS_SAMPLED_SHARE erred by as much when K was that
	// times the square of the remainder's share of the whole.  K is that
	// times the share itself, not its square: the total errs less than
	// with the whole's sample, by the square root of the share.  A fourth
	// of it at least: a few runs of 16 records tell little.
	const double whole = static_cast<double>(exact) / KS_SAMPLED_SHARE;
	const double part =
		static_cast<double>(remainder) / (static_cast<double>(exact) + remainder);
	const double want = std::max(whole / 4, whole * part);
	const Xapian::doccount n = static_cast<Xapian::doccount>(
		std::clamp(std::ceil(want * KS_SAMPLES / std::max<Xapian::doccount>(1, remainder)),
			   1.0, static_cast<double>(KS_SAMPLES / 2)));
	Xapian::Database &r = db->reader();
	unsigned long long sampled;
	const Xapian::Query samples = first_samples(r, n, &sampled);
	if (!sampled)
		return false;
	DocidsAfter rest(after);
	Xapian::ValueCountMatchSpy spy(KS_SLOT_FACETS);
	FirstMatches checked(spy, 0);
	const Xapian::MSet mset =
		counted(r,
			Xapian::Query(Xapian::Query::OP_FILTER, query,
				      Xapian::Query(Xapian::Query::OP_FILTER, samples,
						    Xapian::Query(&rest))),
			4 * static_cast<Xapian::doccount>(std::ceil(want)), stopper, checked);
	const Xapian::doccount seen = spy.get_total();
	if (!seen)
		return false;
	// The samples' share of the index, taken for their share of what
	// follows AFTER: runs of 16 records dealt by a hash, spread evenly.
	// Stopped short of their end (REMAINDER was too low: Xapian's
	// estimate of a phrase can be a tenth of its matches), what they
	// hold after the last checked is taken to be as dense as what they
	// held before it, not Xapian's estimate.
	double scale = static_cast<double>(r.get_doccount()) / sampled;
	const Xapian::docid last = r.get_lastdocid();
	if (mset.get_matches_lower_bound() != mset.get_matches_upper_bound() &&
	    checked.latest() > after && checked.latest() < last)
		scale *= static_cast<double>(last - after) / (checked.latest() - after);
	add_counts(spy, scale, counts);
	*total = scale * seen;
	return true;
}

// About how many matches follow the first EXACT (FIRST, of a match that
// Xapian estimates at MATCHES): Xapian's estimate, or as many as the
// first held per document id, whichever is more (Xapian's estimate of a
// phrase can be a tenth of its matches); at most the ids left.
static Xapian::doccount remainder_of(const Xapian::Database &r, Xapian::doccount matches,
				     const FirstMatches &first, Xapian::doccount exact)
{
	const Xapian::docid last = r.get_lastdocid(), after = first.last();
	if (last <= after)
		return 1;
	const double dense = static_cast<double>(exact) * (last - after) / after;
	const double estimate =
		std::max(dense, static_cast<double>(matches > exact ? matches - exact : 1));
	return static_cast<Xapian::doccount>(std::min(estimate, static_cast<double>(last - after)));
}

// A search whose matches Xapian estimates (from the lengths of its posting
// lists, without a match) at this many times the bound of exact counting
// or more is counted over the samples at once: checking the first EXACT of
// its matches would only tell that it has more.
static const Xapian::doccount KS_SAMPLE_FIRST = 2;

bool count_wide(ks_db *db, Xapian::Enquire &enquire, const Xapian::Query &query,
		Xapian::doccount exact, MatchGuard *stopper, ks_hits *hits)
{
	// Asking costs a match's setup: not where no search can find enough,
	// nor for a wildcard left to Xapian (over a remote shard), whose
	// setup walks and opens the posting lists of every word that begins
	// so, a third time beside the samples and the hits.  A wildcard
	// expanded by matched() (lib/query.cc) is a synonym of a few hundred
	// words, which are cheap to ask.
	if (db->reader().get_doccount() / KS_SAMPLE_FIRST < exact || has_wildcard(query))
		return false;
	const Xapian::doccount estimate = enquire.get_mset(0, 0).get_matches_estimated();
	if (estimate / KS_SAMPLE_FIRST < exact)
		return false;
	facet_counts facets[KS_FACET_COUNT];
	Xapian::doccount total = 0;
	if (!count_facets_sampled(db, query, estimate, exact, 0, stopper, facets, &total) ||
	    total <= exact)
		return false;
	for (int f = 0; f < KS_FACET_COUNT; f++)
		hits->facets[f].swap(facets[f]);
	hits->total = total;
	hits->facets_estimated = true;
	return true;
}

void count_checked(ks_db *db, const Xapian::Query &query, const Xapian::MSet &mset,
		   const Xapian::ValueCountMatchSpy &spy, const FirstMatches &first,
		   Xapian::doccount exact, MatchGuard *stopper, ks_hits *hits)
{
	const Xapian::Database &r = db->reader();
	const Xapian::doccount matches = mset.get_matches_estimated();
	hits->facets_estimated = spy.get_total() != matches ||
				 mset.get_matches_lower_bound() != mset.get_matches_upper_bound();
	hits->total = matches;
	const Xapian::doccount seen = std::max<Xapian::doccount>(
		{ exact + 1, static_cast<Xapian::doccount>(spy.get_total()),
		  mset.get_matches_lower_bound() });
	combined_counts after;
	double rest = 0;
	if (hits->facets_estimated && first.last() &&
	    count_after(db, query, first.last(), remainder_of(r, matches, first, exact), exact,
			stopper, &after, &rest)) {
		// What Xapian knows, when it does (a word's matches
		// are its term frequency; its upper bound of a
		// phrase's can be short of them), and the counts
		// after the first EXACT made to agree.
		const Xapian::doccount lower = mset.get_matches_lower_bound();
		hits->total =
			lower == mset.get_matches_upper_bound()
				? lower
				: std::max(seen,
					   exact + static_cast<Xapian::doccount>(std::round(rest)));
		const double scale = rest > 0 ? (hits->total - exact) / rest : 0;
		combined_counts counts = first.first();
		for (const auto &[combined, count] : after)
			counts[combined] += scale * count;
		count_facets(counts, hits->facets);
	} else if (!hits->facets_estimated ||
		   !count_facets_sampled(db, query, matches, exact, seen, stopper, hits->facets,
					 &hits->total))
		count_facets(spy, matches, hits->facets);
}

} // namespace ks
