// ref-index.cc — the indexing reference of issue 6: plain Xapian in one
// thread — a TermGenerator with the Danish stemmer, STEM_SOME and positions,
// the title and then the text of each record, add_document, Xapian's default
// flush threshold, one commit at the end — over the records kommunesoeg-index
// prints with --dump (JSON Lines, parsed with cJSON).  Each document keeps
// the record's JSON line as its data, as the real index keeps the record's
// JSON, and its four facet values each in a value slot (SLOT_TYPE ..
// SLOT_BESLUTNING below, which bench/ref-plain counts): type, udvalg, year
// and the first sentence of its decision.  Not a test: a benchmark, run by
// bench/run.sh.
//
//   ref-index DIR DUMP
//
// DIR is created afresh (an existing index there is overwritten); DUMP is a
// file of `kommunesoeg-index --dump` output, or "-" for stdin.  Prints
// "records N seconds S" on stdout (S: from opening the index to the end of
// the commit, the reading of the dump included).
#include <cjson/cJSON.h>
#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>

namespace
{

// The string member KEY of O, or "" when it is missing or null.
const char *member(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsString(v) && v->valuestring ? v->valuestring : "";
}

// The value slots of the four facets (bench/ref-plain.cc counts them).
enum { SLOT_TYPE, SLOT_UDVALG, SLOT_YEAR, SLOT_BESLUTNING };

// The decision's facet value, the plain way: its first sentence, at most
// 60 bytes (the indexer's ks_beslutning_facet() knows the usual phrasings).
std::string first_sentence(const char *text)
{
	std::string s(text);
	const size_t end = std::min(s.find('.'), s.size());
	return s.substr(0, std::min<size_t>(end, 60));
}

// The facet values of record O in their slots of DOC.
void set_facets(const cJSON *o, Xapian::Document &doc)
{
	doc.add_value(SLOT_TYPE, member(o, "type"));
	doc.add_value(SLOT_UDVALG, member(o, "udvalg"));
	const cJSON *year = cJSON_GetObjectItemCaseSensitive(o, "year");
	if (cJSON_IsNumber(year))
		doc.add_value(SLOT_YEAR, std::to_string(year->valueint));
	const cJSON *sections = cJSON_GetObjectItemCaseSensitive(o, "sections");
	const std::string decision = first_sentence(member(sections, "beslutning"));
	if (!decision.empty())
		doc.add_value(SLOT_BESLUTNING, decision);
}

} // namespace

int main(int argc, char **argv)
{
	if (argc != 3) {
		std::fprintf(stderr, "usage: %s DIR DUMP\n", argv[0]);
		return 2;
	}
	std::ifstream file;
	const std::string dump = argv[2];
	if (dump != "-") {
		file.open(dump);
		if (!file) {
			std::fprintf(stderr, "%s: cannot read %s\n", argv[0], argv[2]);
			return 2;
		}
	}
	std::istream &in = dump == "-" ? std::cin : file;
	const auto t0 = std::chrono::steady_clock::now();
	unsigned long records = 0, line_no = 0;
	try {
		Xapian::WritableDatabase db(argv[1], Xapian::DB_CREATE_OR_OVERWRITE);
		Xapian::TermGenerator tg;
		tg.set_stemmer(Xapian::Stem("danish"));
		tg.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
		for (std::string line; std::getline(in, line);) {
			line_no++;
			if (line.empty())
				continue;
			cJSON *o = cJSON_ParseWithLength(line.data(), line.size());
			if (!cJSON_IsObject(o)) {
				std::fprintf(stderr, "%s:%lu: not a JSON object\n", argv[2],
					     line_no);
				cJSON_Delete(o);
				return 1;
			}
			Xapian::Document doc;
			tg.set_document(doc);
			tg.index_text(member(o, "title"));
			tg.increase_termpos();
			tg.index_text(member(o, "text"));
			set_facets(o, doc);
			cJSON_Delete(o);
			doc.set_data(line);
			db.add_document(doc);
			records++;
		}
		if (in.bad()) {
			std::fprintf(stderr, "%s: reading %s failed\n", argv[0], argv[2]);
			return 1;
		}
		db.commit();
	} catch (const Xapian::Error &e) {
		std::fprintf(stderr, "%s: %s\n", argv[0], e.get_description().c_str());
		return 1;
	}
	const std::chrono::duration<double> dt = std::chrono::steady_clock::now() - t0;
	std::printf("records %lu seconds %.3f\n", records, dt.count());
	return 0;
}
