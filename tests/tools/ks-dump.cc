// ks-dump.cc — prints everything an index holds, in an order that does not
// depend on document ids, so that two indexes can be compared as text: each
// document (by its id term) with its data, values, terms, wdf and positions;
// the spelling data with frequencies; the synonyms; the metadata but the
// time of the last change.  Plain Xapian, not our binding: the test looks
// at what was written, not at what the binding makes of it.
//
//   ks-dump INDEX
#include <xapian.h>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "schema.h"

int main(int argc, char **argv)
{
	if (argc != 2) {
		std::fprintf(stderr, "usage: %s INDEX\n", argv[0]);
		return 2;
	}
	try {
		Xapian::Database db(argv[1]);
		std::vector<std::string> docs;
		for (auto p = db.postlist_begin(""); p != db.postlist_end(""); ++p) {
			const Xapian::Document d = db.get_document(*p);
			std::ostringstream out, terms;
			std::string id;
			for (auto t = d.termlist_begin(); t != d.termlist_end(); ++t) {
				const std::string term = *t;
				if (term.compare(0, 1, "Q") == 0)
					id = term;
				terms << "  " << term << " " << t.get_wdf() << ":";
				for (auto q = t.positionlist_begin(); q != t.positionlist_end();
				     ++q)
					terms << " " << *q;
				terms << "\n";
			}
			out << "document " << id << " length " << db.get_doclength(*p) << "\n"
			    << "  data " << d.get_data() << "\n";
			for (auto v = d.values_begin(); v != d.values_end(); ++v)
				out << "  value " << v.get_valueno() << " " << *v << "\n";
			out << terms.str();
			docs.push_back(out.str());
		}
		std::sort(docs.begin(), docs.end());
		std::cout << "documents " << db.get_doccount() << "\n";
		for (const std::string &d : docs)
			std::cout << d;
		for (auto w = db.spellings_begin(); w != db.spellings_end(); ++w)
			std::cout << "spelling " << *w << " " << w.get_termfreq() << "\n";
		for (auto k = db.synonym_keys_begin(); k != db.synonym_keys_end(); ++k)
			for (auto s = db.synonyms_begin(*k); s != db.synonyms_end(*k); ++s)
				std::cout << "synonym " << *k << " " << *s << "\n";
		for (auto k = db.metadata_keys_begin(); k != db.metadata_keys_end(); ++k)
			if (*k != KS_META_UPDATED)
				std::cout << "metadata " << *k << " " << db.get_metadata(*k)
					  << "\n";
	} catch (const Xapian::Error &e) {
		std::fprintf(stderr, "%s: %s\n", argv[0], e.get_description().c_str());
		return 1;
	}
	return 0;
}
