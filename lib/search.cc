// search.cc — a search (ks_db_query()): the query and its filters matched
// in the order asked for, the facets counted over the match set, the
// spelling correction offered when little is found.

#include "facets.h"
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
		if (q->max_expansion &&
		    wildcard_words(db, query, q->max_expansion) > q->max_expansion) {
			const std::string why = "the wildcards of the query expand to more than " +
						std::to_string(q->max_expansion) + " words";
			return remember(db, KS_ERR_TOO_BROAD, why.c_str());
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
	    ks::count_wide(db, enquire, query, exact, guarded ? &stopper : nullptr, hits.get())) {
		mset = enquire.get_mset(offset, count);
		enquire.clear_matchspies();
	} else if (q->facets) {
		// Checking every match (up to facets_exact of them) makes the
		// counts and the total exact; past it, both are estimates and
		// the time a search takes stays bounded.  One spy on the
		// combined slot reads one value per match instead of four.
		Xapian::ValueCountMatchSpy spy(KS_SLOT_FACETS);
		// Over one database the first EXACT matches are kept apart
		// (a remote shard's spies run in its xapian-tcpsrv, and take
		// only Xapian's own).
		const bool one = !db->remote && r.size() == 1;
		ks::FirstMatches first(spy, exact);
		if (one)
			enquire.add_matchspy(&first);
		else
			enquire.add_matchspy(&spy);
		// Xapian 1.4 counts some hits of a remote shard twice when
		// they are also asked for (the more so the more are asked):
		// over remote shards the counts are made by a pass that
		// asks for none, and the hits by a second pass.
		mset = enquire.get_mset(db->remote ? 0 : offset, db->remote ? 0 : count, exact);
		// The spies die here; the Enquire that the MSet keeps must not
		// point at them.
		enquire.clear_matchspies();
		ks::count_checked(db, query, mset, spy, first, exact, guarded ? &stopper : nullptr,
				  hits.get());
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
