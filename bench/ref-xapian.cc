// ref-xapian.cc — the in-process reference of issue 6 (a): with plain Xapian,
// in one thread, the Xapian work one /api/search request does — parse the
// query (QueryParser, Danish stemmer, STEM_SOME, the server's flags and
// wildcard limit), the top 20 by the server's BM25 parameters and tie-break
// with the facet counts of the whole match set (one ValueCountMatchSpy), the
// spelling suggestion of a query with fewer than 5 matches (a second parse,
// as the server does), a snippet of each hit (MSet::snippet) — over the
// index kommunesoeg-index wrote, for every query of a file, and prints the
// latency percentiles.  What it leaves out is ours: HTTP, reading the
// record's JSON, splitting the facet combinations, writing the response.
// Not a test: a benchmark, run by bench/run.sh (README).
//
//   ref-xapian INDEX QUERIES [ROUNDS]
//
// ROUNDS (default 3) times over the queries after one round of warm-up;
// prints "queries N p50 X ms p95 Y ms p99 Z ms mean W ms" on stdout.
#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "schema.h"

namespace
{

// What the server sends per hit: a snippet of about this many bytes of the
// record's text (server/ks-limits.h's KS_SNIPPET_BYTES).
const size_t SNIPPET_BYTES = 300;
const Xapian::doccount TOP = 20;
// server/ks-limits.h's KS_SUGGEST_BELOW: a query with fewer matches gets a
// spelling suggestion.
const Xapian::doccount SUGGEST_BELOW = 5;
// The binding's: KS_QUERY_FLAGS (lib/query.cc), KS_MAX_WILDCARD_TERMS (ks-xapian.h), the
// BM25 parameters (lib/search.cc), KS_FACETS_EXACT.
const unsigned FLAGS = Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_PHRASE |
		       Xapian::QueryParser::FLAG_BOOLEAN | Xapian::QueryParser::FLAG_LOVEHATE |
		       Xapian::QueryParser::FLAG_WILDCARD | Xapian::QueryParser::FLAG_PURE_NOT |
		       Xapian::QueryParser::FLAG_AUTO_MULTIWORD_SYNONYMS;
const Xapian::termcount MAX_WILDCARD_TERMS = 256;
const Xapian::doccount FACETS_EXACT = 10000;

// The text of a record: the "text" member of its JSON data, found the
// cheap way (the server parses the JSON with cJSON).
std::string text_of(const std::string &data)
{
	const std::string key = "\"text\":\"";
	size_t at = data.find(key);
	if (at == std::string::npos)
		return std::string();
	at += key.size();
	size_t end = at;
	while (end < data.size() && data[end] != '"')
		end += data[end] == '\\' ? 2 : 1;
	return data.substr(at, std::min(end, data.size()) - at);
}

double search(Xapian::Database &db, Xapian::QueryParser &qp, const Xapian::Stem &stem,
	      const std::string &text, size_t *bytes)
{
	const auto t0 = std::chrono::steady_clock::now();
	Xapian::Enquire enquire(db);
	enquire.set_query(qp.parse_query(text, FLAGS));
	enquire.set_weighting_scheme(Xapian::BM25Weight(1.0, 0, 1, 0.3, 0.5));
	enquire.set_sort_by_relevance_then_value(KS_SLOT_DATE, true);
	Xapian::ValueCountMatchSpy spy(KS_SLOT_FACETS);
	enquire.add_matchspy(&spy);
	Xapian::MSet mset = enquire.get_mset(0, TOP, std::min(db.get_doccount(), FACETS_EXACT));
	for (auto v = spy.values_begin(); v != spy.values_end(); ++v)
		*bytes += (*v).size() + v.get_termfreq() % 2;
	if (mset.get_matches_estimated() < SUGGEST_BELOW) {
		qp.parse_query(text, FLAGS | Xapian::QueryParser::FLAG_SPELLING_CORRECTION);
		*bytes += qp.get_corrected_query_string().size();
	}
	for (auto m = mset.begin(); m != mset.end(); ++m)
		*bytes += mset.snippet(text_of(m.get_document().get_data()), SNIPPET_BYTES, stem,
				       Xapian::MSet::SNIPPET_EMPTY_WITHOUT_MATCH, "<mark>",
				       "</mark>", "…")
				  .size();
	enquire.clear_matchspies();
	const auto t1 = std::chrono::steady_clock::now();
	return std::chrono::duration<double, std::milli>(t1 - t0).count();
}

double percentile(const std::vector<double> &sorted, double p)
{
	size_t i = static_cast<size_t>(p * (sorted.size() - 1) + 0.5);
	return sorted[std::min(i, sorted.size() - 1)];
}

} // namespace

int main(int argc, char **argv)
{
	if (argc < 3 || argc > 4) {
		std::fprintf(stderr, "usage: %s INDEX QUERIES [ROUNDS]\n", argv[0]);
		return 2;
	}
	const int rounds = argc == 4 ? std::atoi(argv[3]) : 3;
	std::vector<std::string> queries;
	std::ifstream in(argv[2]);
	for (std::string line; std::getline(in, line);)
		if (!line.empty())
			queries.push_back(line);
	if (queries.empty() || rounds < 1) {
		std::fprintf(stderr, "%s: no queries in %s, or ROUNDS < 1\n", argv[0], argv[2]);
		return 2;
	}
	try {
		Xapian::Database db(argv[1]);
		Xapian::Stem stem("danish");
		Xapian::QueryParser qp;
		qp.set_database(db);
		qp.set_stemmer(stem);
		qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
		qp.set_default_op(Xapian::Query::OP_AND);
		qp.set_max_expansion(MAX_WILDCARD_TERMS,
				     Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
		size_t bytes = 0;
		for (const auto &q : queries) // warm-up
			search(db, qp, stem, q, &bytes);
		std::vector<double> ms;
		for (int r = 0; r < rounds; r++)
			for (const auto &q : queries)
				ms.push_back(search(db, qp, stem, q, &bytes));
		std::sort(ms.begin(), ms.end());
		double sum = 0;
		for (double t : ms)
			sum += t;
		std::printf("queries %zu p50 %.2f ms p95 %.2f ms p99 %.2f ms mean %.2f ms "
			    "(%zu bytes of snippets and facets)\n",
			    ms.size(), percentile(ms, 0.50), percentile(ms, 0.95),
			    percentile(ms, 0.99), sum / ms.size(), bytes);
	} catch (const Xapian::Error &e) {
		std::fprintf(stderr, "%s: %s\n", argv[0], e.get_description().c_str());
		return 1;
	}
	return 0;
}
