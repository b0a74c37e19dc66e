// ks-words.cc — Danish word knowledge for the binding (see ks-words.h).

#include "ks-words.h"

#include <xapian.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <limits>
#include <string_view>

namespace ks
{

static std::string lower(const std::string &s)
{
	return Xapian::Unicode::tolower(s);
}

static std::string trim(const std::string &s)
{
	const char *blank = " \t\r\n";
	const size_t a = s.find_first_not_of(blank);
	if (a == std::string::npos)
		return std::string();
	return s.substr(a, s.find_last_not_of(blank) - a + 1);
}

// The filter's size in bits and the bits a word sets: about 1 % of the
// substrings that are no word pass it with the 1.5 million words (the list
// and the documents') of a million records.
static const size_t FILTER_BITS = size_t(1) << 24;
static const int FILTER_PROBES = 3;

static size_t filter_hash(const char *s, size_t n)
{
	return std::hash<std::string_view>{}(std::string_view(s, n));
}

void Dictionary::remember(const std::string &word)
{
	if (filter.empty())
		filter.assign(FILTER_BITS / 64, 0);
	const size_t h = filter_hash(word.data(), word.size()), step = (h >> 24) | 1;
	for (int k = 0; k < FILTER_PROBES; k++) {
		const size_t bit = (h + k * step) & (FILTER_BITS - 1);
		filter[bit / 64] |= uint64_t(1) << (bit % 64);
	}
}

bool Dictionary::may_know(const char *s, size_t n) const
{
	if (filter.empty())
		return false;
	const size_t h = filter_hash(s, n), step = (h >> 24) | 1;
	for (int k = 0; k < FILTER_PROBES; k++) {
		const size_t bit = (h + k * step) & (FILTER_BITS - 1);
		if (!(filter[bit / 64] & (uint64_t(1) << (bit % 64))))
			return false;
	}
	return true;
}

bool Dictionary::load(const std::string &path, std::string *why)
{
	std::ifstream in(path);
	if (!in) {
		*why = "cannot read the word list " + path;
		return false;
	}
	std::string line;
	while (std::getline(in, line)) {
		line = trim(line);
		if (line.empty())
			continue;
		const std::string word = lower(line);
		if (listed.insert(word).second)
			remember(word);
	}
	return true;
}

// A compound's parts have at least this many letters: shorter words ("ad",
// "is", "ny") would split ordinary words into nonsense.
static const size_t MIN_PART_CHARS = 3;

void Dictionary::add_used(const std::string &word)
{
	// Only a word that can be a part is kept: a large corpus has millions
	// of numbers, amounts and case numbers, and each writer holds every
	// word of every writer (bench/RESULTS.md, "Issue 18").
	if (word.size() < MIN_PART_CHARS || word.find_first_of("0123456789") != std::string::npos)
		return;
	if (used.insert(word).second)
		remember(word);
}

void Dictionary::add_used(const Dictionary &other)
{
	for (const std::string &word : other.used)
		if (used.insert(word).second)
			remember(word);
}

// Words of the list shorter than this must be used by the documents too,
// unless at least MIN_REST_CHARS letters follow them ("løn" + "fremskrevet").
static const size_t MIN_LISTED_CHARS = 5;
static const size_t MIN_REST_CHARS = 8;

bool Dictionary::has(const std::string &word, size_t chars, size_t rest) const
{
	return used.count(word) ||
	       ((chars >= MIN_LISTED_CHARS || rest >= MIN_REST_CHARS) && listed.count(word));
}

// The byte offsets of the characters of W, and its length at the end.
static std::vector<size_t> char_starts(const std::string &w)
{
	std::vector<size_t> at;
	for (Xapian::Utf8Iterator u(w); u != Xapian::Utf8Iterator(); ++u)
		at.push_back(static_cast<size_t>(u.raw() - w.data()));
	at.push_back(w.size());
	return at;
}

// The last part has at least this many, and of a word that the dictionary
// knows at least MIN_KNOWN_HEAD_CHARS:
// "afholdelse" is no "afhold" + "else", "hjemløse" no "hjem" + "løse".
static const size_t MIN_HEAD_CHARS = 4;
static const size_t MIN_KNOWN_HEAD_CHARS = 5;
static const size_t MAX_PARTS = 4;

// Parts before the last that are words of their own but make no compound: "forsikring"
// is not "for" + "sikring", "indstilling" not "ind" + "stilling".
static const char *const particles[] = { "af",  "deri", "derud", "efter",  "for",   "fore", "forud",
					 "fra", "frem", "gen",   "gennem", "herud", "ind",  "med",
					 "mis", "mod",  "om",    "op",     "over",  "sam",  "til",
					 "ud",  "und",  "under", "ved" };
// Last parts that are words of their own but mostly endings: "afviklingen"
// is not "afvikl" + "ingen".
static const char *const endings[] = { "ammen", "else",  "elsen", "elser",  "ellen",
				       "ende",  "endes", "heden", "heder",  "inger",
				       "ingen", "lige",  "ligt",  "ninger", "terne" };

static bool one_of(const std::string &w, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (w == list[i])
			return true;
	return false;
}

// The fewest known parts of WORD (see compound_parts()), none of them but
// the last a particle; none when there are fewer than two.
static std::vector<std::string> split_parts(const Dictionary &dict, const std::string &word)
{
	const std::vector<size_t> at = char_starts(word);
	const size_t n = at.size() - 1; // characters
	if (n < 2 * MIN_PART_CHARS)
		return {};
	for (char c : word)
		if (c >= '0' && c <= '9')
			return {};
	// A word of the dictionary is split more cautiously: "orientering" is
	// no "orient" + "e" + "ring".
	const bool known = dict.is_listed(word);
	// best[i]: the cheapest split of the first i characters into parts,
	// as (parts, links) with its last part starting at from[i].  A part
	// may be followed by a linking "s" or "e" before the next one.
	const auto inf = std::numeric_limits<size_t>::max();
	struct cost {
		size_t parts = std::numeric_limits<size_t>::max(), links = 0;
		size_t from = 0, end = 0; // the last part: characters [from, end)
	};
	std::vector<cost> best(n + 1);
	best[0].parts = 0;
	for (size_t i = 0; i < n; i++) {
		if (best[i].parts == inf || best[i].parts == MAX_PARTS)
			continue;
		for (size_t j = i + MIN_PART_CHARS; j <= n; j++) {
			if (i == 0 && j == n)
				continue; // the word itself is no split
			if (!dict.may_know(word.data() + at[i], at[j] - at[i]))
				continue;
			const std::string part = word.substr(at[i], at[j] - at[i]);
			if (!dict.has(part, j - i, n - j) ||
			    (j < n && one_of(part, particles, std::size(particles))) ||
			    (j == n && (one_of(part, endings, std::size(endings)) ||
					j - i < (known ? MIN_KNOWN_HEAD_CHARS : MIN_HEAD_CHARS))))
				continue;
			// The part alone, or with a linking letter after it
			// when another part follows.
			for (int link = 0; link <= 1; link++) {
				size_t k = j + link;
				if (link) {
					const char c = j < n ? word[at[j]] : 0;
					if (k >= n || (c != 's' && (c != 'e' || known)))
						break;
				}
				cost c;
				c.parts = best[i].parts + 1;
				c.links = best[i].links + link;
				c.from = i;
				c.end = j;
				cost &b = best[k];
				// Fewest parts, then fewest linking letters, then
				// the longest first parts ("fritids" + "makker", not
				// "fritid" + "smakker").
				if (c.parts < b.parts ||
				    (c.parts == b.parts &&
				     (c.links < b.links ||
				      (c.links == b.links && c.from > b.from))))
					b = c;
			}
		}
	}
	if (best[n].parts == inf || best[n].parts < 2)
		return {};
	std::vector<std::string> parts;
	for (size_t k = n; k > 0; k = best[k].from)
		parts.push_back(word.substr(at[best[k].from], at[best[k].end] - at[best[k].from]));
	std::reverse(parts.begin(), parts.end());
	return parts;
}

// What follows a particle is its own word when it has at least this many
// letters: "over" + "tandlæge", but no "ved" + "tages", "til" + "førte" or
// "om" + "sorgs" (verb forms and short words that the particle changes).
static const size_t MIN_AFTER_PARTICLE_CHARS = 8;
// What follows a particle is no word of its own when it ends so: present
// participles ("ind" + "dragende").
static const char *const participle_endings[] = { "ende", "endes" };
// How a noun is made of a verb: "omstille" → "omstilling", "afstemme" →
// "afstemning", "misforstå" → "misforståelse".
static const char *const verbal_noun_suffixes[] = { "ing", "ning", "else" };
// A word of the list followed by at most this many letters is taken for a
// form of it ("tilgængelig" + "hed").
static const size_t MAX_ENDING_CHARS = 3;

static bool ends_with(const std::string &w, const char *end)
{
	const size_t n = std::strlen(end);
	return w.size() >= n && w.compare(w.size() - n, n, end) == 0;
}

// The rest of WORD after a particle, and the rest's own parts, when WORD is
// no word of the list but a particle before a long word that is
// ("overtandlæge" → {"tandlæge"}, "medfinansiering" → {"finansiering"}) or
// before a compound; else none.  Danish compounds are right-headed: an
// overtandlæge is a tandlæge, but "forsikring", "overslag" and
// "undersøgelse" are words of the list, and stay whole.
static std::vector<std::string> after_particle(const Dictionary &dict, const std::string &word)
{
	if (dict.is_listed(word))
		return {};
	// A word of the list with an ending of a few letters is a form of
	// it: "tilgængelighed" is no "til" + "gængelighed".
	const std::vector<size_t> at = char_starts(word);
	for (size_t k = 1; k <= MAX_ENDING_CHARS && k < at.size(); k++)
		if (dict.is_listed(word.substr(0, at[at.size() - 1 - k])))
			return {};
	// The longest particle that it starts with: "forudsættes" is no "for"
	// + "udsættes".
	const char *particle = "";
	for (const char *p : particles)
		if (std::strlen(p) > std::strlen(particle) &&
		    word.compare(0, std::strlen(p), p) == 0)
			particle = p;
	const std::string rest = word.substr(std::strlen(particle));
	if (!*particle || char_starts(rest).size() - 1 < MIN_AFTER_PARTICLE_CHARS ||
	    std::any_of(std::begin(participle_endings), std::end(participle_endings),
			[&](const char *e) { return ends_with(rest, e); }))
		return {};
	// A noun made of a verb of the list names what that verb does, not
	// what the rest names: "omstilling" (of "omstille") is no "stilling",
	// "misforståelse" (of "misforstå") no "forståelse", but no
	// "medfinansiere" is listed.
	for (const char *suffix : verbal_noun_suffixes)
		for (size_t at = word.find(suffix, std::strlen(particle) + MIN_PART_CHARS);
		     at != std::string::npos; at = word.find(suffix, at + 1)) {
			const std::string verb = word.substr(0, at);
			if (dict.is_listed(verb) || dict.is_listed(verb + "e"))
				return {};
		}
	// A word of the list is taken whole, not split again (its split would
	// often be nonsense: "registreringer" is no "registre" + "ringer"); a
	// compound brings its own parts.
	std::vector<std::string> parts;
	if (!dict.is_listed(rest) && (parts = compound_parts(dict, rest)).empty())
		return {};
	parts.insert(parts.begin(), rest);
	return parts;
}

std::vector<std::string> compound_parts(const Dictionary &dict, const std::string &word)
{
	std::vector<std::string> parts = split_parts(dict, word);
	return parts.empty() ? after_particle(dict, word) : parts;
}

std::string other_spelling(const std::string &word)
{
	static const struct {
		const char *danish, *ascii;
	} letters[] = { { "æ", "ae" }, { "ø", "oe" }, { "å", "aa" } };
	std::string out;
	bool danish = false;
	for (const auto &l : letters)
		danish |= word.find(l.danish) != std::string::npos;
	for (size_t i = 0; i < word.size();) {
		bool done = false;
		for (const auto &l : letters) {
			const char *from = danish ? l.danish : l.ascii;
			const char *to = danish ? l.ascii : l.danish;
			if (word.compare(i, std::strlen(from), from) == 0) {
				out += to;
				i += std::strlen(from);
				done = true;
				break;
			}
		}
		if (!done)
			out += word[i++];
	}
	return out == word ? std::string() : out;
}

bool has_danish_letters(const std::string &word)
{
	for (const char *l : { "æ", "ø", "å" })
		if (word.find(l) != std::string::npos)
			return true;
	return false;
}

static bool word_byte(unsigned char c)
{
	// Letters and digits of ASCII and any byte of a multi-byte character
	// (Danish letters); enough to find the words around a hyphen.
	return c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z');
}

std::set<std::pair<std::string, std::string>> suspended_pairs(const std::string &text)
{
	std::set<std::pair<std::string, std::string>> out;
	for (const char *conj : { "- og ", "- eller " }) {
		const size_t len = std::strlen(conj);
		for (size_t at = text.find(conj); at != std::string::npos;
		     at = text.find(conj, at + 1)) {
			size_t a = at;
			while (a > 0 && word_byte(static_cast<unsigned char>(text[a - 1])))
				a--;
			size_t b = at + len, e = b;
			while (e < text.size() && word_byte(static_cast<unsigned char>(text[e])))
				e++;
			if (a < at && b < e)
				out.emplace(lower(text.substr(a, at - a)),
					    lower(text.substr(b, e - b)));
		}
	}
	return out;
}

std::vector<std::string> suspended_words(const Dictionary &dict, const std::string &first,
					 const std::string &last)
{
	const std::vector<std::string> parts = compound_parts(dict, last);
	if (parts.empty() || first.empty())
		return {};
	// The head: the last part ("børn- og familieområdet", "skole- og
	// dagtilbudsområdet" → "området").
	const std::string head = first + parts.back();
	// What follows the first part (and its linking letter), when the first
	// part begins LAST and more than one part follows it: "sags- og
	// dokumenthåndteringsstrategi" → "håndteringsstrategi".
	std::string tail;
	if (parts.size() > 2 && last.compare(0, parts[0].size(), parts[0]) == 0) {
		size_t from = parts[0].size();
		if ((last[from] == 's' || last[from] == 'e') &&
		    last.compare(from + 1, parts[1].size(), parts[1]) == 0)
			from++;
		tail = first + last.substr(from);
	}
	// Which of them the first conjunct stands for takes knowing what the
	// words mean; a word that the list or the documents know is taken
	// alone, else both.
	if (tail.empty() || tail == head || (dict.knows(head) && !dict.knows(tail)))
		return { head };
	if (dict.knows(tail) && !dict.knows(head))
		return { tail };
	return { head, tail };
}

bool load_synonyms(const std::string &path, std::vector<SynonymGroup> *out, std::string *why)
{
	std::ifstream in(path);
	if (!in) {
		*why = "cannot read the synonym file " + path;
		return false;
	}
	std::vector<SynonymGroup> groups;
	std::string line;
	for (int n = 1; std::getline(in, line); n++) {
		line = line.substr(0, line.find('#'));
		if (trim(line).empty())
			continue;
		SynonymGroup g;
		size_t start = 0;
		for (;;) {
			const size_t eq = line.find('=', start);
			std::string member = lower(trim(line.substr(start, eq - start)));
			std::vector<std::string> words;
			for (Xapian::Utf8Iterator u(member); u != Xapian::Utf8Iterator();) {
				std::string w;
				while (u != Xapian::Utf8Iterator() &&
				       Xapian::Unicode::is_wordchar(*u))
					Xapian::Unicode::append_utf8(w, *u++);
				if (!w.empty())
					words.push_back(w);
				else
					++u;
			}
			if (!words.empty())
				g.members.push_back(words);
			if (eq == std::string::npos)
				break;
			start = eq + 1;
		}
		if (g.members.size() < 2) {
			*why = path + ":" + std::to_string(n) +
			       ": a synonym group needs two members or more, separated by '='";
			return false;
		}
		groups.push_back(g);
	}
	*out = std::move(groups);
	return true;
}

std::string danish_sort_key(const std::string &s)
{
	const std::string l = lower(s);
	std::string key;
	for (size_t i = 0; i < l.size();) {
		// After 'z' (0x7a): '{' for æ, '|' for ø, '}' for å.
		static const struct {
			const char *from;
			const char *to;
		} map[] = { { "æ", "{" }, { "ä", "{" },  { "ø", "|" }, { "ö", "|" },
			    { "å", "}" }, { "aa", "}" }, { "ü", "y" } };
		bool done = false;
		for (const auto &m : map) {
			if (l.compare(i, std::strlen(m.from), m.from) == 0) {
				key += m.to;
				i += std::strlen(m.from);
				done = true;
				break;
			}
		}
		if (!done)
			key += l[i++];
	}
	return key;
}

} // namespace ks
