// snippet.cc — a hit's snippet: the passage of its text where the query
// matched, with every word that matched marked.
//
// Xapian's MSet::snippet() picks the passage and marks its words, but it
// knows a word of the text only as itself (lower-cased) and as "Z" + its
// stem, looked up among the terms of the query.  The index finds more
// (forms.cc): a compound by its parts ("hjemløsestrategi" by "strategi"), a
// word by its other spelling ("hjemløshed" by "hjemloeshed"), the members
// of a synonym group by its term ("kommunalbestyrelsen" by "KB"), the words
// of a suspended hyphen by their whole word ("pris- og lønfremskrevet" by
// "prisfremskrevet"), and the words of a field by their prefix
// ("titel:budget" is ZSbudg).  So Xapian makes the snippet with a stemmer
// of ours: a word that matched in one of these ways is "stemmed" to the key
// of the query's term that it matched — a key K whose term "Z" + K is in the
// query the snippet is made from — and any other word to its stem.  What the
// query looks for is worked out once per search (snippet_plan); each word is
// looked at only as Xapian reads it, and Xapian stops reading a long text
// where it always does.

#include "ks-xapian-private.h"

#include <algorithm>
#include <cstring>
#include <unordered_set>

// The least number of characters of a compound's part and of its last part
// (the head): those of the indexer's compound_parts() (ks-words.cc), so
// that a snippet marks no part shorter than the index knows.
static const size_t KS_MIN_PART_CHARS = 3;
static const size_t KS_MIN_HEAD_CHARS = 4;
// A compound's first or middle part is its stem and at most this many more
// bytes ("hjemløshed" + "sstrategi" for the stem "hjemløs").
static const size_t KS_MAX_INFLECTION_BYTES = 4;
// How many words' keys a search keeps: a page of long texts repeats most of
// its words, and the cache never grows past this.
static const size_t KS_MAX_SNIPPET_WORDS = 100000;

// The number of characters in S.
static size_t chars(const std::string &s)
{
	size_t n = 0;
	for (unsigned char c : s)
		n += (c & 0xC0) != 0x80;
	return n;
}

// A form of a word that the query looks for, and the key of its term.
struct wanted {
	std::string form, key;
	bool stem; // FORM is a stem: a word is it when its stem is FORM
};

// What a word of a text stands for: its key when it is a form looked for,
// else its stem and the parts that may make it a compound of one (each a
// term and its key), which only a document that has it can tell.
struct word_key {
	std::string key;
	std::vector<std::pair<std::string, std::string>> parts;
};

struct snippet_plan {
	ks_db *db;
	// The forms looked for: whole words and stems, each to its key.
	std::unordered_map<std::string, std::string> words, stems;
	// Those of them that a compound may have as a part.
	std::vector<wanted> parts;
	// The key (or stem) of each word seen so far.
	std::unordered_map<std::string, std::string> seen;
	// The hit whose text is being cut: its document, and the words of its
	// suspended hyphens that matched ("pris" and "lønfremskrevet" for
	// "prisfremskrevet").
	Xapian::docid did = 0;
	std::unordered_map<std::string, std::string> hyphened;
	// The MSet whose query has every key's "Z" term and whose statistics
	// weigh them, and the stemmer that gives the keys.
	Xapian::MSet mset;
	Xapian::Stem stemmer;

	explicit snippet_plan(ks_db *d) : db(d)
	{
	}
	bool looks_for_more() const
	{
		return !words.empty() || !stems.empty() || !parts.empty();
	}
	void start_hit(Xapian::docid hit, const std::string &text);
	std::string key_of(const std::string &word);

      private:
	word_key what_is(const std::string &word);
	void add_parts(const std::string &word, word_key *out);
	bool is_part(const std::string &part, const wanted &w);
	bool split_with(const std::string &word, const std::string &part);
};

// Whether PART is the form W looks for.
bool snippet_plan::is_part(const std::string &part, const wanted &w)
{
	return w.stem ? db->stem(part) == w.form : part == w.form;
}

// The terms that would make WORD a compound with a part the query looks
// for, into OUT: after a first part of at least KS_MIN_PART_CHARS
// characters, the head, the rest of the word ("hjemløse" + "strategien"); at
// the start or after such a part, a first or middle part, the form and a few
// more letters of its inflection ("hjemløshed" + "sstrategi").
void snippet_plan::add_parts(const std::string &word, word_key *out)
{
	if (chars(word) < 2 * KS_MIN_PART_CHARS)
		return;
	for (const wanted &w : parts) {
		for (size_t at = word.find(w.form); at != std::string::npos;
		     at = word.find(w.form, at + 1)) {
			const size_t before = chars(word.substr(0, at));
			if (before > 0 && before < KS_MIN_PART_CHARS)
				continue;
			const std::string head = word.substr(at);
			if (before > 0 && chars(head) >= KS_MIN_HEAD_CHARS && is_part(head, w))
				out->parts.emplace_back(head, w.key);
			const size_t from = at + w.form.size();
			const size_t to = w.stem ? from + KS_MAX_INFLECTION_BYTES : from;
			for (size_t end = from; end <= to && end < word.size(); end++) {
				const std::string part = word.substr(at, end - at);
				if ((static_cast<unsigned char>(word[end]) & 0xC0) != 0x80 &&
				    chars(word.substr(end)) >= KS_MIN_PART_CHARS &&
				    is_part(part, w))
					out->parts.emplace_back(part, w.key);
			}
		}
	}
}

word_key snippet_plan::what_is(const std::string &word)
{
	word_key out;
	auto w = words.empty() ? words.end() : words.find(word);
	if (w != words.end()) {
		out.key = w->second;
		return out;
	}
	out.key = db->stem(word);
	auto s = stems.find(out.key);
	if (s != stems.end())
		out.key = s->second;
	else
		add_parts(word, &out);
	return out;
}

// Whether the indexer split WORD with PART among its parts (the split it
// wrote into the database of the hit's document, forms.cc).
bool snippet_plan::split_with(const std::string &word, const std::string &part)
{
	bool found = false;
	each_part(split_of(db, did, word), [&](const std::string &p) { found |= p == part; });
	return found;
}

// The key of WORD, or its stem.  Whether a word is a compound, and of which
// parts, is known by any document that has it: the indexer splits a word
// the same way wherever it is, so the first hit that has it tells.
std::string snippet_plan::key_of(const std::string &word)
{
	if (!hyphened.empty()) {
		auto h = hyphened.find(word);
		if (h != hyphened.end())
			return h->second;
	}
	auto s = seen.find(word);
	if (s != seen.end())
		return s->second;
	word_key k = what_is(word);
	for (const auto &part : k.parts)
		if (split_with(word, part.first)) {
			k.key = part.second;
			break;
		}
	if (seen.size() >= KS_MAX_SNIPPET_WORDS)
		seen.clear();
	return seen.emplace(word, k.key).first->second;
}

// Starts the snippet of the hit HIT, whose text is TEXT: finds the words of
// TEXT's suspended hyphens whose whole word the query looks for ("pris- og
// lønfremskrevet" is "prisfremskrevet": the first word joined to the head
// of the last, maybe with a linking "s" or "e" between, as "børn- og
// familieområdet" is also "børneområdet").
void snippet_plan::start_hit(Xapian::docid hit, const std::string &text)
{
	did = hit;
	hyphened.clear();
	if (parts.empty())
		return;
	for (const auto &pair : ks::suspended_pairs(text)) {
		const std::string &first = pair.first, &last = pair.second;
		for (const wanted &w : parts) {
			if (w.form.size() <= first.size() || w.form.compare(0, first.size(), first))
				continue;
			std::string head = w.form.substr(first.size());
			bool found = false;
			for (int link = 0; link <= 1 && !found; link++) {
				if (link && head[0] != 's' && head[0] != 'e')
					break;
				const std::string h = head.substr(link);
				const size_t at = last.find(h);
				found = chars(h) >= KS_MIN_PART_CHARS && at != std::string::npos &&
					chars(last.substr(0, at)) >= KS_MIN_PART_CHARS;
			}
			if (found) {
				hyphened[first] = w.key;
				hyphened[last] = w.key;
			}
		}
	}
}

// The stemmer that Xapian's snippet reads the text with (see the top of the
// file).  Owned by the Stem made of it; PLAN outlives that.
class matched_forms : public Xapian::StemImplementation
{
	snippet_plan *plan;

      public:
	explicit matched_forms(snippet_plan *p) : plan(p)
	{
	}
	std::string operator()(const std::string &word) override
	{
		return plan->key_of(word);
	}
	std::string get_description() const override
	{
		return "matched_forms()";
	}
};

// The members of each synonym group by the group's term, as Xapian's
// synonym table holds them (synonyms.cc): "kb", "Zkb", "kommunalbestyrelsen",
// "kommunernes landsforening".
static const std::unordered_map<std::string, std::vector<std::string>> &synonym_members(ks_db *db)
{
	if (!db->synonym_members_read) {
		db->synonym_members.clear();
		Xapian::Database &r = db->lexicon();
		for (auto k = r.synonym_keys_begin(); k != r.synonym_keys_end(); ++k)
			for (auto v = r.synonyms_begin(*k); v != r.synonyms_end(*k); ++v)
				db->synonym_members[*v].push_back(*k);
		db->synonym_members_read = true;
	}
	return db->synonym_members;
}

// What a plan is made of: the forms looked for, and the terms that the
// snippet's query needs beside the search's.
struct plan_maker {
	snippet_plan *plan;
	std::unordered_set<std::string> searched; // the search's terms
	std::vector<Xapian::Query> more;

	// Looks for FORM (a word, or a stem when STEM) under KEY, in both
	// spellings; as a part of compounds when PARTS.
	void want(const std::string &form, const std::string &key, bool stem, bool parts)
	{
		std::vector<std::string> forms{ form };
		const std::string other = ks::other_spelling(form);
		if (!other.empty()) {
			forms.push_back(other);
			if (stem)
				forms.push_back(plan->db->stem(other));
		}
		for (const std::string &f : forms) {
			if (f.empty())
				continue;
			(stem ? plan->stems : plan->words).emplace(f, key);
			if (parts && chars(f) >= KS_MIN_PART_CHARS)
				plan->parts.push_back({ f, key, stem });
		}
		if (!searched.count("Z" + key)) {
			searched.insert("Z" + key);
			more.emplace_back("Z" + key);
		}
	}

	// A synonym group's TERM: its members as the index marks them, by
	// their stems and as whole words; a member of several words as the
	// phrase, which Xapian's snippet marks where its words follow each
	// other.
	void want_group(const std::string &term)
	{
		const auto &groups = synonym_members(plan->db);
		auto g = groups.find(term);
		if (g == groups.end())
			return;
		for (const std::string &m : g->second) {
			if (m[0] == 'Z') {
				want(m.substr(1), term, true, false);
				continue;
			}
			if (m.find(' ') == std::string::npos) {
				want(m, term, false, false);
				continue;
			}
			std::vector<Xapian::Query> words;
			for (size_t a = 0, b; a <= m.size(); a = b + 1) {
				b = std::min(m.find(' ', a), m.size());
				if (b > a)
					words.emplace_back(m.substr(a, b - a));
			}
			more.emplace_back(Xapian::Query::OP_PHRASE, words.begin(), words.end(),
					  words.size());
		}
	}

	void want_term(const std::string &term)
	{
		const bool stemmed = term[0] == 'Z';
		const std::string rest = stemmed ? term.substr(1) : term;
		if (!stemmed &&
		    rest.compare(0, std::strlen(KS_PREFIX_SYNONYM), KS_PREFIX_SYNONYM) == 0) {
			want_group(term);
			return;
		}
		const size_t prefix = free_text_prefix(rest);
		if (prefix == std::string::npos || prefix == rest.size())
			return;
		// A stemmed term is its own key ("Z" + key is the term); a word
		// is the key of its stemmed form, made for the snippet.
		want(rest.substr(prefix), stemmed ? rest : term, stemmed, true);
	}

	// A phrase Q of the search: Xapian's snippet marks it where its
	// words follow each other, knowing them by their terms; a word that
	// is its own stem is its stem's term (word_term()), so the snippet's
	// query has the phrase of the words themselves too.
	void want_phrase(const Xapian::Query &q)
	{
		std::vector<Xapian::Query> words;
		bool stems = false;
		for (size_t i = 0; i < q.get_num_subqueries(); i++) {
			const Xapian::Query sub = q.get_subquery(i);
			if (sub.get_type() != Xapian::Query::LEAF_TERM)
				return;
			std::string term = *sub.get_terms_begin();
			if (term.size() > 1 && term[0] == 'Z' &&
			    free_text_prefix(term.substr(1)) == 0) {
				term.erase(0, 1);
				stems = true;
			}
			words.emplace_back(term);
		}
		if (stems)
			more.emplace_back(Xapian::Query::OP_PHRASE, words.begin(), words.end(),
					  words.size());
	}

	// Looks for the terms of Q that a document's words can match: not
	// those it must not have (AND_NOT's right side); not the words of a
	// phrase nor a wildcard, which Xapian's snippet marks by itself.
	void walk(const Xapian::Query &q)
	{
		switch (q.get_type()) {
		case Xapian::Query::LEAF_TERM:
			want_term(*q.get_terms_begin());
			return;
		case Xapian::Query::OP_AND_NOT:
			walk(q.get_subquery(0));
			return;
		case Xapian::Query::OP_PHRASE:
			want_phrase(q);
			return;
		case Xapian::Query::OP_NEAR:
			return;
		default:
			for (size_t i = 0; i < q.get_num_subqueries(); i++)
				walk(q.get_subquery(i));
		}
	}
};

// The plan of HITS's snippets.  When the search's query lacks a key's term,
// the snippets are made from a match with one more: Xapian's snippet weighs
// a word by the statistics of its term, which only a match gives.  It asks
// for no hits, so it reads only the terms' frequencies.
static std::shared_ptr<snippet_plan> make_plan(ks_hits *hits)
{
	auto plan = std::make_shared<snippet_plan>(hits->db);
	plan_maker m{ plan.get(), {}, {} };
	for (auto t = hits->query.get_unique_terms_begin(); t != hits->query.get_unique_terms_end();
	     ++t)
		m.searched.insert(*t);
	m.walk(hits->query);
	plan->mset = hits->mset;
	if (!m.more.empty()) {
		m.more.push_back(hits->matched);
		Xapian::Enquire enquire(hits->db->reader());
		enquire.set_query(
			Xapian::Query(Xapian::Query::OP_OR, m.more.begin(), m.more.end()));
		plan->mset = enquire.get_mset(0, 0);
	}
	plan->stemmer = plan->looks_for_more() ? Xapian::Stem(new matched_forms(plan.get()))
					       : hits->db->stem;
	return plan;
}

// Xapian's snippets escape '&', '<' and '>'; quotes are escaped too, so
// that a snippet is safe inside an attribute as well as in text.
static std::string escape_quotes(const std::string &s)
{
	// The text between two quotes is copied in one go (strcspn()): most
	// snippets have none.  A NUL byte is copied as any other.
	std::string out;
	out.reserve(s.size());
	const char *p = s.c_str(), *end = p + s.size();
	for (;;) {
		const size_t n = std::strcspn(p, "\"'");
		out.append(p, n);
		p += n;
		if (p >= end)
			return out;
		if (*p == '"')
			out += "&quot;";
		else if (*p == '\'')
			out += "&#39;";
		else
			out += '\0';
		p++;
	}
}

static std::string escape_html(const std::string &s)
{
	std::string out;
	for (char c : s) {
		if (c == '&')
			out += "&amp;";
		else if (c == '<')
			out += "&lt;";
		else if (c == '>')
			out += "&gt;";
		else
			out += c;
	}
	return escape_quotes(out);
}

// The start of TEXT, cut after at most LENGTH bytes at a blank (or a
// character boundary when there is none), HTML-escaped, the cut marked.
static std::string start_of(const std::string &text, size_t length)
{
	if (text.size() <= length)
		return escape_html(text);
	size_t cut = length;
	while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80)
		cut--;
	const char *blanks = " \t\r\n";
	const size_t blank = text.find_last_of(blanks, cut);
	if (blank != std::string::npos && blank > 0)
		cut = blank;
	while (cut > 0 && std::strchr(blanks, text[cut - 1]))
		cut--;
	return escape_html(text.substr(0, cut)) + "…";
}

extern "C" ks_status ks_hits_snippet(ks_hits *hits, size_t i, const char *text, size_t length,
				     char **out)
{
	if (!hits)
		return KS_ERR_INVALID;
	ks_db *db = hits->db;
	if (i >= hits->hits.size())
		return invalid(db, "no such hit");
	if (!text || !out)
		return invalid(db, "no text or no result pointer");
	return guard(db, [&] {
		if (!hits->snippets)
			hits->snippets = make_plan(hits);
		snippet_plan &plan = *hits->snippets;
		const std::string t = text;
		plan.start_hit(hits->hits[i].did, t);
		// No background model and no exhaustive search: they cost
		// more than the search itself for nearly the same text.
		// Without them Xapian 1.4 answers a text with no match by its
		// end, so such a text is cut here, from its start.
		std::string snippet = plan.mset.snippet(t, length, plan.stemmer,
							Xapian::MSet::SNIPPET_EMPTY_WITHOUT_MATCH,
							"<mark>", "</mark>", "…");
		snippet = snippet.empty() ? start_of(t, length) : escape_quotes(snippet);
		return copy_out(snippet, out);
	});
}
