// ks-words.h — Danish word knowledge for the binding (C++, internal to lib/):
// compound splitting, the spelling without (or with) Danish letters, the
// words that suspended hyphens leave out, synonym groups, and Danish order.
//
// No Xapian here: the binding (forms.cc, synonyms.cc) turns what these
// functions find into terms.
#ifndef KS_WORDS_H
#define KS_WORDS_H

#include <cstdint>
#include <set>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

namespace ks
{

// The known words that compounds are split into: a word list (Debian's
// wdanish, /usr/share/dict/danish) and the vocabulary of the documents.
// All words are kept lower-cased.
class Dictionary
{
	std::unordered_set<std::string> listed, used;
	// A Bloom filter of the words of both: most of the substrings that
	// compound_parts() tries are no word, and the filter tells so without
	// making a string of them or looking them up (see may_know()).
	std::vector<uint64_t> filter;
	void remember(const std::string &word);

      public:
	// False when the N bytes at S are no word of the list or of the
	// documents; true when they may be one.
	bool may_know(const char *s, size_t n) const;
	// Adds every line of the file at PATH as a word of the list.  False
	// (with *WHY) when it cannot be read.
	bool load(const std::string &path, std::string *why);
	// Adds WORD (lower-cased) as a word that the documents use.
	void add_used(const std::string &word);
	// Adds the words that the documents of OTHER use.
	void add_used(const Dictionary &other);
	// Whether WORD (of CHARS letters, followed by REST more in the word
	// being split) is known: a short word of the list (fewer than 5
	// letters) only when the documents use it or a long rest follows, for
	// the list holds a great many short words that split ordinary words
	// into nonsense ("per" + "soner"), but "løn" + "fremskrevet" is right.
	bool has(const std::string &word, size_t chars, size_t rest) const;
	bool is_listed(const std::string &word) const
	{
		return listed.count(word) != 0;
	}
	// Whether WORD is a word of the list or of the documents.
	bool knows(const std::string &word) const
	{
		return listed.count(word) || used.count(word);
	}
};

// The parts of WORD (lower-cased) when it is a compound of known words —
// "hjemløsestrategi" → {"hjemløse", "strategi"}, "beredskabsplaner" →
// {"beredskab", "planer"} (the linking -s-/-e- dropped) — else none.  The
// fewest parts win; every part has at least 3 letters and none but the last
// is a particle such as "for" or "ind" (so "forsikring" stays one word).
// A word that no such split and no word list knows, made of a particle and
// a long word of the list or a compound, has that word (and the compound's
// parts) as its parts: "overtandlæge" → {"tandlæge"} (but "omstilling", a
// noun of the listed verb "omstille", has none).
std::vector<std::string> compound_parts(const Dictionary &dict, const std::string &word);

// WORD (lower-cased) as typed on a keyboard without Danish letters
// ("hjemløshed" → "hjemloeshed", "åbenrå" → "aabenraa"), or for a word
// without them that has "aa", "oe" or "ae", the word with them
// ("aabenraa" → "åbenrå").  "" when there is no other spelling.
std::string other_spelling(const std::string &word);

// Whether WORD has æ, ø or å.
bool has_danish_letters(const std::string &word);

// The pairs (first word, last word) of every suspended hyphen in TEXT, both
// lower-cased: "pris- og lønfremskrevet" → ("pris", "lønfremskrevet"),
// "Børn- eller Familieområdet" → ("børn", "familieområdet").
std::set<std::pair<std::string, std::string>> suspended_pairs(const std::string &text);

// The whole words that a suspended hyphen stands for: FIRST joined to the
// head (the last part) of the compound LAST, as Danish compounds are
// right-headed: "pris" + "lønfremskrevet" → {"prisfremskrevet"}, "skole" +
// "dagtilbudsområdet" → {"skoleområdet"}.  When LAST has three parts or more,
// FIRST may stand for its first part alone ("sags- og
// dokumenthåndteringsstrategi" → "sagshåndteringsstrategi"): that word too,
// unless the word list or the documents know one of the two and not the
// other.  None when LAST is no compound.
std::vector<std::string> suspended_words(const Dictionary &dict, const std::string &first,
					 const std::string &last);

// One group of synonyms: each member is one or more lower-cased words
// ("kl", "kommunernes landsforening").
struct SynonymGroup {
	std::vector<std::vector<std::string>> members;
};

// Reads a synonym file: one group per line, members separated by "=",
// "#" starts a comment.  False (with *WHY naming FILE:LINE) on a line with
// fewer than two members or a file that cannot be read.
bool load_synonyms(const std::string &path, std::vector<SynonymGroup> *out, std::string *why);

// A key that sorts strings in Danish order: letter case ignored, æ ø å
// after z (in that order), "aa" as å, ä ö ü as æ ø y.
std::string danish_sort_key(const std::string &s);

} // namespace ks

#endif
