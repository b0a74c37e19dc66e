// ref-plain.cc — the search reference of issue 18: what a plain in-process
// Xapian program does for a search, over the plain index bench/ref-index
// writes — parse the query with the Danish stemmer (QueryParser, STEM_SOME,
// the default flags with phrases, booleans, +/- and wildcards, words ANDed as
// ours are), take the top 20 by BM25 with a snippet of each (MSet::snippet,
// flags 0, of the record's text read from its JSON data with cJSON), and count
// the four facets of the whole match set exactly (a ValueCountMatchSpy on
// each of ref-index's facet slots, check_at_least the whole database).
// Unlike bench/ref-xapian it knows nothing of our index: no prefixes, no
// synonyms, no other spellings, no case numbers — the figure `/api/search`
// is held to.  Not a test: a benchmark, run by bench/run.sh.
//
//   ref-plain INDEX QUERIES [ROUNDS]
//
// ROUNDS (default 3) times over the queries after one round of warm-up;
// prints "queries N p50 X ms p95 Y ms p99 Z ms mean W ms" on stdout, as
// ref-xapian does.
#include <cjson/cJSON.h>
#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

namespace
{

const Xapian::doccount TOP = 20;
// About what the server sends of each hit's text.
const size_t SNIPPET_BYTES = 300;
const unsigned FLAGS = Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_PHRASE |
		       Xapian::QueryParser::FLAG_BOOLEAN | Xapian::QueryParser::FLAG_LOVEHATE |
		       Xapian::QueryParser::FLAG_WILDCARD;
// bench/ref-index.cc's facet slots.
const Xapian::valueno FACET_SLOTS[] = { 0, 1, 2, 3 };

// The record's text: the "text" member of its JSON DATA.
std::string text_of(const std::string &data)
{
	cJSON *o = cJSON_ParseWithLength(data.data(), data.size());
	const cJSON *text = cJSON_GetObjectItemCaseSensitive(o, "text");
	std::string out = cJSON_IsString(text) && text->valuestring ? text->valuestring : "";
	cJSON_Delete(o);
	return out;
}

// One search; returns its milliseconds and adds what it made to *BYTES (so
// that nothing is optimised away).
double search(Xapian::Database &db, Xapian::QueryParser &qp, const Xapian::Stem &stem,
	      const std::string &text, size_t *bytes)
{
	const auto t0 = std::chrono::steady_clock::now();
	Xapian::Enquire enquire(db);
	enquire.set_query(qp.parse_query(text, FLAGS));
	std::vector<Xapian::ValueCountMatchSpy> spies(std::begin(FACET_SLOTS),
						      std::end(FACET_SLOTS));
	for (auto &spy : spies)
		enquire.add_matchspy(&spy);
	Xapian::MSet mset = enquire.get_mset(0, TOP, db.get_doccount());
	for (const auto &spy : spies)
		for (auto v = spy.values_begin(); v != spy.values_end(); ++v)
			*bytes += (*v).size() + v.get_termfreq() % 2;
	for (auto m = mset.begin(); m != mset.end(); ++m)
		*bytes += mset.snippet(text_of(m.get_document().get_data()), SNIPPET_BYTES, stem, 0,
				       "<mark>", "</mark>", "…")
				  .size();
	enquire.clear_matchspies();
	const auto t1 = std::chrono::steady_clock::now();
	return std::chrono::duration<double, std::milli>(t1 - t0).count();
}

// bench/report.py's rank rule.
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
