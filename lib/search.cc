// search.cc — a search (ks_db_query()): the query and its filters matched
// in the order asked for, the facets counted over the match set, the
// spelling correction offered when little is found.

#include "ks-xapian-private.h"
#include "query-cost.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <map>
#include <memory>
#include <string_view>
#include <type_traits>

// BM25 with less length normalisation than Xapian's default (b = 0.5): an
// item's background text is long by nature, and a closed item (a title and
// nothing else) is short, which with the default outranked the decisions of
// long items (tests/relevance: "anbefales").  k1 and min_normlen are
// Xapian's defaults.
static const double KS_BM25_K1 = 1.0;
static const double KS_BM25_B = 0.3;
static const double KS_BM25_MIN_NORMLEN = 0.5;

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

// Splits the spy's counts of KS_SLOT_FACETS (one per combination of the
// four values; a few thousand at most) into the counts of each facet.  When
// the spy saw only part of the match set (of MATCHES documents), each count
// is scaled up to the whole.
static void count_facets(const Xapian::ValueCountMatchSpy &spy, Xapian::doccount matches,
			 facet_counts *facets)
{
	const Xapian::doccount seen = spy.get_total();
	const double scale = seen && matches > seen ? static_cast<double>(matches) / seen : 1.0;
	// Looked up by a view into the combined value: a facet has few
	// values, each in many combinations, and only a new one is copied.
	std::map<std::string, uint32_t, std::less<>> counts[KS_FACET_COUNT];
	for (auto v = spy.values_begin(); v != spy.values_end(); ++v) {
		const std::string combined = *v;
		const Xapian::doccount freq = v.get_termfreq();
		size_t start = 0;
		for (int f = 0; f < KS_FACET_COUNT && start <= combined.size(); f++) {
			size_t end = combined.find(KS_FACET_SEP, start);
			if (end == std::string::npos)
				end = combined.size();
			if (end > start) {
				const std::string_view value(combined.data() + start, end - start);
				auto c = counts[f].find(value);
				if (c == counts[f].end())
					c = counts[f].emplace(std::string(value), 0).first;
				c->second += freq;
			}
			start = end + 1;
		}
	}
	for (int f = 0; f < KS_FACET_COUNT && scale != 1.0; f++)
		for (auto &c : counts[f])
			c.second = static_cast<uint32_t>(std::lround(c.second * scale));
	for (int f = 0; f < KS_FACET_COUNT; f++)
		facets[f] = sorted(counts[f]);
}

// The most query texts whose suggestions a database keeps (when full, it
// starts again), and the longest text kept: at most about 1 MB a reader,
// whatever the queries.
static const size_t KS_MAX_KEPT_SUGGESTIONS = 1000;
static const size_t KS_MAX_KEPT_QUERY_BYTES = 256;

// The spelling suggestion for TEXT ("" for none): parse()'s, kept per query
// text until the database changes.  A database that is being written
// changes without being reopened: its suggestions are not kept.
static std::string suggestion_of(ks_db *db, const std::string &text)
{
	const bool keep = !db->writable && text.size() <= KS_MAX_KEPT_QUERY_BYTES;
	if (keep) {
		auto kept = db->suggestions.find(text);
		if (kept != db->suggestions.end())
			return kept->second;
	}
	std::string suggestion;
	parse(db, text, &suggestion);
	if (!keep)
		return suggestion;
	if (db->suggestions.size() >= KS_MAX_KEPT_SUGGESTIONS)
		db->suggestions.clear();
	return db->suggestions.emplace(text, suggestion).first->second;
}

// The samples that an estimated search counts its facets over hold about
// this share of its bound of exact counting: a fourth of the documents
// doubles the sampling error (a few per cent of a facet's large counts)
// and leaves a fourth of them to check (bench/RESULTS.md, "estimated
// facets from samples").
static const Xapian::doccount KS_SAMPLED_SHARE = 4;

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
				 ks::MatchGuard *stopper, facet_counts *facets,
				 Xapian::doccount *total)
{
	if (!matches)
		return false;
	const Xapian::doccount want = std::max<Xapian::doccount>(1, exact / KS_SAMPLED_SHARE);
	const Xapian::doccount n = static_cast<Xapian::doccount>(
		(static_cast<unsigned long long>(want) * KS_SAMPLES + matches - 1) / matches);
	if (n >= KS_SAMPLES)
		return false;
	Xapian::Database &r = db->reader();
	std::vector<Xapian::Query> samples;
	// Scaled up by the share of the index the samples hold, not by
	// KS_SAMPLES / n: runs are dealt to them by a hash, not in turn, and
	// the samples differ in size.
	unsigned long long sampled = 0;
	for (Xapian::doccount i = 0; i < n; i++) {
		const std::string term = KS_PREFIX_SAMPLE + std::to_string(i);
		sampled += r.get_termfreq(term);
		samples.emplace_back(term);
	}
	if (!sampled)
		return false;
	Xapian::Enquire enquire(r);
	enquire.set_query(Xapian::Query(Xapian::Query::OP_FILTER, query,
					Xapian::Query(Xapian::Query::OP_OR, samples.begin(),
						      samples.end())));
	enquire.set_weighting_scheme(Xapian::BoolWeight());
	if (stopper)
		enquire.add_matchspy(stopper);
	Xapian::ValueCountMatchSpy spy(KS_SLOT_FACETS);
	enquire.add_matchspy(&spy);
	// MATCHES is an estimate: room for the samples to hold a few times
	// what it makes them hold.
	const Xapian::MSet mset = enquire.get_mset(0, 0, std::min(r.get_doccount(), 4 * want));
	enquire.clear_matchspies();
	const double scaled =
		static_cast<double>(mset.get_matches_estimated()) * r.get_doccount() / sampled;
	if (!spy.get_total())
		return false;
	*total = std::max(at_least, static_cast<Xapian::doccount>(std::min(
					    std::round(scaled), static_cast<double>(r.get_doccount()))));
	count_facets(spy, *total, facets);
	return true;
}

// A search whose matches Xapian estimates (from the lengths of its posting
// lists, without a match) at this many times the bound of exact counting
// or more is counted over the samples at once: checking the first EXACT of
// its matches would only tell that it has more.
static const Xapian::doccount KS_SAMPLE_FIRST = 2;

// Counts the facets and the total of a search for QUERY over the samples
// alone when it finds far more than EXACT (into HITS): false, having
// counted nothing, when the estimate of its matches is under
// KS_SAMPLE_FIRST times EXACT or the samples make them EXACT or fewer
// (the estimate of an AND of common words can be many times too high):
// the search is then counted exactly.
static bool count_wide(ks_db *db, Xapian::Enquire &enquire, const Xapian::Query &query,
		       Xapian::doccount exact, ks::MatchGuard *stopper, ks_hits *hits)
{
	// Asking costs a match's setup: not where no search can find enough,
	// nor for a wildcard left to Xapian (over a remote shard), whose
	// setup walks and opens the posting lists of every word that begins
	// so, a third time beside the samples and the hits.  A wildcard
	// expanded by run_query() is a synonym of a few hundred words, which
	// are cheap to ask.
	if (db->reader().get_doccount() / KS_SAMPLE_FIRST < exact || ks::has_wildcard(query))
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

static ks_status run_query(ks_db *db, const ks_query *q, ks_hits **out)
{
	// The time limit runs from the call; the guard stops the match past
	// it, or when the caller says stop (the match spies of a remote
	// shard run in its xapian-tcpsrv, out of reach).
	ks::MatchGuard stopper(ks::MatchGuard::clock::now() + std::chrono::milliseconds(q->max_ms),
			       q->max_ms > 0, q->stop, q->stop_arg);
	const bool guarded = !db->remote && (q->max_ms > 0 || q->stop);
	Xapian::Query filter;
	bool filtered = false;
	db->cases.clear();
	if (ks_status st = filter_of(db, q, &filter, &filtered))
		return st;
	std::unique_ptr<ks_hits> hits(new ks_hits);
	hits->db = db;

	const std::string text = trimmed(q->q);
	ks_sort sort = q->sort;
	Xapian::Query query;
	if (text.empty()) {
		// A blank query browses: everything, by date unless told.
		// Not Query::MatchAll: copying that shared static object
		// changes its reference count, which is not atomic, and
		// searches run on several threads at once.  The empty term
		// is what MatchAll is made of.
		query = Xapian::Query(std::string());
		if (sort == KS_SORT_RELEVANCE)
			sort = KS_SORT_DATE_DESC;
	} else {
		query = searched(db, text);
		if (q->max_expansion) {
			const Xapian::termcount terms = ks::wildcard_terms(
				db->reader(), query, KS_MAX_WILDCARD_TERMS, q->max_expansion);
			if (terms > q->max_expansion) {
				const std::string why =
					"the wildcards of the query expand to more than " +
					std::to_string(q->max_expansion) + " words";
				return remember(db, KS_ERR_TOO_BROAD, why.c_str());
			}
		}
	}
	if (!text.empty()) {
		hits->query = query;
		query = matched(db, query);
		hits->matched = query;
	}
	if (filtered)
		query = Xapian::Query(Xapian::Query::OP_FILTER, query, filter);

	Xapian::Database &r = db->reader();
	Xapian::Enquire enquire(r);
	enquire.set_query(query);
	enquire.set_weighting_scheme(
		Xapian::BM25Weight(KS_BM25_K1, 0, 1, KS_BM25_B, KS_BM25_MIN_NORMLEN));
	if (sort == KS_SORT_DATE_DESC || sort == KS_SORT_DATE_ASC)
		sort_by_date(enquire, sort == KS_SORT_DATE_DESC);
	else if (sort == KS_SORT_NETTOBUDGET_DESC || sort == KS_SORT_NETTOBUDGET_ASC)
		sort_by_amount(db, enquire, sort == KS_SORT_NETTOBUDGET_DESC);
	else
		// Equal relevance: the newer meeting first ("YYYYMMDD" sorts
		// as a string; undated budget sections last).
		enquire.set_sort_by_relevance_then_value(KS_SLOT_DATE, true);

	// Xapian reserves room for OFFSET + COUNT hits: keep both within the
	// database, which also keeps their sum from overflowing.
	const Xapian::doccount doccount = r.get_doccount();
	const Xapian::doccount offset = std::min<Xapian::doccount>(q->offset, doccount);
	const Xapian::doccount count = std::min<Xapian::doccount>(q->count, doccount - offset);

	if (guarded) {
		stopper.ask_caller();
		enquire.add_matchspy(&stopper);
	}
	Xapian::MSet mset;
	const Xapian::doccount exact = std::min<Xapian::doccount>(
		doccount, q->facets_exact ? q->facets_exact : KS_FACETS_EXACT);
	// Sorted by a value, Xapian checks every match anyway (none can be
	// ruled out by its weight), and the counts are exact.
	if (q->facets && sort == KS_SORT_RELEVANCE &&
	    count_wide(db, enquire, query, exact, guarded ? &stopper : nullptr, hits.get())) {
		mset = enquire.get_mset(offset, count);
		enquire.clear_matchspies();
	} else if (q->facets) {
		// Checking every match (up to facets_exact of them) makes the
		// counts and the total exact; past it, both are estimates and
		// the time a search takes stays bounded.  One spy on the
		// combined slot reads one value per match instead of four.
		Xapian::ValueCountMatchSpy spy(KS_SLOT_FACETS);
		enquire.add_matchspy(&spy);
		// Xapian 1.4 counts some hits of a remote shard twice when
		// they are also asked for (the more so the more are asked):
		// over remote shards the counts are made by a pass that
		// asks for none, and the hits by a second pass.
		mset = enquire.get_mset(db->remote ? 0 : offset, db->remote ? 0 : count, exact);
		// The spies die here; the Enquire that the MSet keeps must not
		// point at them.
		enquire.clear_matchspies();
		const Xapian::doccount matches = mset.get_matches_estimated();
		hits->facets_estimated =
			spy.get_total() != matches ||
			mset.get_matches_lower_bound() != mset.get_matches_upper_bound();
		hits->total = matches;
		const Xapian::doccount seen = std::max<Xapian::doccount>(
			{ exact + 1, static_cast<Xapian::doccount>(spy.get_total()),
			  mset.get_matches_lower_bound() });
		if (!hits->facets_estimated ||
		    !count_facets_sampled(db, query, matches, exact, seen,
					  guarded ? &stopper : nullptr, hits->facets, &hits->total))
			count_facets(spy, matches, hits->facets);
		if (db->remote)
			mset = enquire.get_mset(offset, count);
	} else {
		mset = enquire.get_mset(offset, count);
		enquire.clear_matchspies();
		hits->total = mset.get_matches_estimated();
	}
	// Asked only now, when the number of matches is known: a query that
	// finds plenty is spelt as the documents spell it.  Past the time
	// limit the suggestion is left out, not the hits the match found.
	if (!text.empty() && hits->total < q->suggest_below && !(guarded && stopper.expired())) {
		if (guarded)
			stopper.ask_caller();
		hits->suggestion = suggestion_of(db, text);
		hits->has_suggestion = !hits->suggestion.empty();
	}
	hits->hits.reserve(mset.size());
	for (auto m = mset.begin(); m != mset.end(); ++m)
		hits->hits.push_back({ *m, {}, {}, false, false });
	hits->mset = std::move(mset);
	hits->cases.swap(db->cases);
	*out = hits.release();
	return KS_OK;
}

extern "C" const char *ks_facet_name(ks_facet facet)
{
	if (static_cast<int>(facet) < 0 || facet >= KS_FACET_COUNT)
		return nullptr;
	return ks_facets[facet].name;
}

extern "C" ks_status ks_db_query(ks_db *db, const ks_query *query, ks_hits **out)
{
	if (!db)
		return KS_ERR_INVALID;
	if (!query || !out)
		return invalid(db, "no query or no result pointer");
	// A C caller may store any int in the enum, which C++ may not even
	// load as a ks_sort: its bytes are read as the underlying type.
	std::underlying_type_t<ks_sort> sort;
	std::memcpy(&sort, &query->sort, sizeof sort);
	if (sort < KS_SORT_RELEVANCE || sort > KS_SORT_NETTOBUDGET_ASC)
		return invalid(db, "no such sort order");
	return guard(db, [&] {
		try {
			return run_query(db, query, out);
		} catch (const ks::MatchStopped &stopped) {
			if (stopped.timed_out)
				return remember(db, KS_ERR_TIMEOUT,
						("the search took longer than " +
						 std::to_string(query->max_ms) + " ms")
							.c_str());
			return remember(db, KS_ERR_CANCELLED, "the search was stopped");
		}
	});
}

extern "C" ks_status ks_db_search(ks_db *db, const char *q, unsigned offset, unsigned count,
				  ks_hits **out)
{
	ks_query query = {};
	query.q = q;
	query.lukket = -1;
	query.sort = KS_SORT_RELEVANCE;
	query.offset = offset;
	query.count = count;
	return ks_db_query(db, &query, out);
}
