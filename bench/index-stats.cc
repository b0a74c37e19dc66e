// index-stats.cc — what an index holds per document, to compare ours with
// plain Xapian's (bench/ref-index) on the same records: the number of
// documents, the mean number of distinct terms and of positions per
// document, and the size of the index's files on disk.  Not a test: a
// benchmark, run by bench/run.sh.
//
//   index-stats DIR
//
// Prints one line of "key value" pairs on stdout:
//   "documents N terms_per_doc T positions_per_doc P bytes B"
// T and P are means over the documents (every term counts, boolean terms
// too), or over SAMPLE of them spread evenly through the index when it
// holds more: every position of every term of a million records is a
// random read, and took bench/run.sh --long a quarter of an hour an index.
// B is the sum of the sizes of the regular files under DIR.
#include <xapian.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <system_error>

namespace
{

// The sum of the sizes of the regular files under DIR; false (with *WHY)
// when DIR cannot be read.
bool size_on_disk(const std::string &dir, unsigned long long *out, std::string *why)
{
	namespace fs = std::filesystem;
	std::error_code ec;
	unsigned long long bytes = 0;
	for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
		if (it->is_regular_file(ec) && !ec)
			bytes += it->file_size(ec);
	if (ec) {
		*why = ec.message();
		return false;
	}
	*out = bytes;
	return true;
}

const Xapian::doccount SAMPLE = 50000;

} // namespace

int main(int argc, char **argv)
{
	if (argc != 2) {
		std::fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 2;
	}
	unsigned long long documents = 0, counted = 0, terms = 0, positions = 0, bytes = 0;
	try {
		Xapian::Database db(argv[1]);
		documents = db.get_doccount();
		// Every STEP-th document, by its place in the index.
		const unsigned long long step = documents > SAMPLE ? documents / SAMPLE : 1;
		unsigned long long place = 0;
		for (auto d = db.postlist_begin(""); d != db.postlist_end(""); ++d) {
			if (place++ % step)
				continue;
			counted++;
			for (auto t = db.termlist_begin(*d); t != db.termlist_end(*d); ++t) {
				terms++;
				positions += t.positionlist_count();
			}
		}
	} catch (const Xapian::Error &e) {
		std::fprintf(stderr, "%s: %s\n", argv[0], e.get_description().c_str());
		return 1;
	}
	std::string why;
	if (!size_on_disk(argv[1], &bytes, &why)) {
		std::fprintf(stderr, "%s: %s: %s\n", argv[0], argv[1], why.c_str());
		return 1;
	}
	const double n = counted ? static_cast<double>(counted) : 1.0;
	std::printf("documents %llu terms_per_doc %.1f positions_per_doc %.1f bytes %llu\n",
		    documents, static_cast<double>(terms) / n, static_cast<double>(positions) / n,
		    bytes);
	return 0;
}
