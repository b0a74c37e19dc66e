// suggest.cc — the completions of a query as it is typed (ks_db_complete()):
// the words of the index that begin with its last word, found by walking
// Xapian's spelling data from that beginning on (the words of the open
// records, titles included, spelt as the documents spell them, with how
// often they occur, a title's with its weight), most frequent first.  The
// index keeps no other list of whole words to walk: a field's copy is its
// stems (forms.cc), and closed items give nothing to the spelling data.

#include "ks-xapian-private.h"

#include <algorithm>
#include <map>

namespace
{

typedef std::map<std::string, Xapian::doccount> word_counts;

// Whether WORD begins with PREFIX.
bool begins(const std::string &word, const std::string &prefix)
{
	return word.compare(0, prefix.size(), prefix) == 0;
}

// Adds the words of the spelling data that begin with PREFIX to WORDS, at
// most WALK of them (0: all), with their frequency.
void walk_spelling(Xapian::Database &r, const std::string &prefix, unsigned walk,
		   word_counts *words)
{
	Xapian::TermIterator t = r.spellings_begin();
	const Xapian::TermIterator end = r.spellings_end();
	if (t == end)
		return; // no spelling data
	t.skip_to(prefix);
	for (unsigned n = 0; t != end && (!walk || n < walk); ++t, ++n) {
		const std::string word = *t;
		if (!begins(word, prefix))
			break;
		(*words)[word] += t.get_termfreq();
	}
}

// WORDS with a word written without Danish letters counted as its twin
// with them when both were found ("hjemloeshed" as "hjemløshed"): the index
// holds the other spelling of a word so that either finds it, and a
// completion offers the one the documents use.
void merge_spellings(word_counts *words)
{
	for (auto w = words->begin(); w != words->end();) {
		const std::string other = ks::other_spelling(w->first);
		auto twin = other.empty() || ks::has_danish_letters(w->first) ? words->end()
									      : words->find(other);
		if (twin == words->end()) {
			++w;
			continue;
		}
		twin->second += w->second;
		w = words->erase(w);
	}
}

} // namespace

extern "C" ks_status ks_db_complete(ks_db *db, const char *q, unsigned max, unsigned walk,
				    ks_term_fn fn, void *arg)
{
	if (!db)
		return KS_ERR_INVALID;
	if (!fn)
		return invalid(db, "no callback");
	return guard(db, [&] {
		// The query as it is searched (lower case but for operators
		// and acronyms), in runs: a separator, a word, a separator...
		// A query that ends in a separator has no word being typed.
		const std::string text = lowered_query(q ? q : "");
		const std::vector<std::string> runs = word_runs(text);
		if (runs.size() % 2 == 1 || max == 0)
			return KS_OK;
		std::string head;
		for (size_t i = 0; i + 1 < runs.size(); i++)
			head += runs[i];
		head.erase(0, head.find_first_not_of(" \t\r\n"));
		const std::string prefix = Xapian::Unicode::tolower(runs.back());

		// The word as typed and in its other spelling ("hjemloe",
		// "hjemlø"): the documents may write either.
		// The spelling data of remote shards is the lexicon's copy.
		word_counts words;
		for (const std::string &p : { prefix, ks::other_spelling(prefix) }) {
			if (p.empty())
				continue;
			walk_spelling(db->lexicon(), p, walk, &words);
		}
		merge_spellings(&words);

		std::vector<std::pair<std::string, Xapian::doccount>> best(words.begin(),
									   words.end());
		const size_t n = std::min<size_t>(max, best.size());
		std::partial_sort(best.begin(), best.begin() + n, best.end(),
				  [](const auto &a, const auto &b) {
					  return a.second != b.second ? a.second > b.second
								      : a.first < b.first;
				  });
		for (size_t i = 0; i < n; i++)
			if (fn((head + best[i].first).c_str(), arg))
				break;
		return KS_OK;
	});
}
