// forms.cc — what a text is indexed as, and the words compounds are split
// into.
//
// The TermGenerator indexes each text once, into a scratch document whose
// terms are then copied into the record's document: without a prefix, with
// positions, for a plain search; and for a field that can be searched by
// its name, with the field's prefix, as its stems alone (query-fold.cc
// searches a phrase of a field in the plain text).  A word that is its own
// stem ("plan", "tilskud"; about a third of a document's words) is not stored
// twice: its positions are on its stem's term (word_term()), which a query
// of the word looks up instead (query-fold.cc).  The parts of a
// compound are added as their stems, without positions: a word finds the
// compounds it is a part of, a phrase's words are whole words; the split
// is written once per word into the metadata (write_splits()), where a
// snippet finds it.  At the positions of the words found, more words are
// added for a plain search to find them there too: the whole words of
// suspended hyphens, and the terms of synonym groups.  A word's other
// spelling ("hjemloeshed" for "hjemløshed") is not stored: a query looks
// it up (query-fold.cc).
// The words are read back from the scratch document rather than tokenized
// again, so that they are exactly the TermGenerator's.
//
// The words compounds are split into are a word list's and the documents'
// own: those of the index's spelling data, and those the indexer learns
// from every text before it indexes the first.

#include "ks-xapian-private.h"

#include <algorithm>

// Positions left between two indexed fields, so that a phrase never
// matches across the end of one field and the start of the next.
static const Xapian::termpos KS_FIELD_GAP = 100;

// A word at a position of a text: WORD is its index in text_terms::distinct.
struct word_at {
	Xapian::termpos pos;
	size_t word;
};

// A word of a text with the positions it has there.
struct word_positions {
	std::string word;
	std::vector<Xapian::termpos> positions;
};

// What the TermGenerator made of one text, positions counted from 1.
struct text_terms {
	std::vector<word_positions> distinct;                         // in term order
	std::vector<std::pair<std::string, Xapian::termcount>> stems; // stem, count
	std::vector<word_at> words; // the words in the text's order
	// The forms of each distinct word (forms_of()), looked up once a text.
	std::vector<const word_forms *> forms;
	Xapian::termpos length = 0; // the position of its last word
};

static void read_text(ks_db *db, const std::string &text, text_terms *out)
{
	Xapian::Document scratch;
	Xapian::TermGenerator &tg = db->tg;
	tg.set_document(scratch);
	tg.set_termpos(0);
	tg.index_text(text);
	out->length = tg.get_termpos();
	for (auto t = scratch.termlist_begin(); t != scratch.termlist_end(); ++t) {
		std::string term = *t;
		if (term[0] == 'Z') { // a stem: the words are lower case
			out->stems.emplace_back(term.substr(1), t.get_wdf());
			continue;
		}
		word_positions w{ std::move(term), {} };
		for (auto p = t.positionlist_begin(); p != t.positionlist_end(); ++p) {
			w.positions.push_back(*p);
			out->words.push_back({ *p, out->distinct.size() });
		}
		out->distinct.push_back(std::move(w));
	}
	std::sort(out->words.begin(), out->words.end(),
		  [](const word_at &a, const word_at &b) { return a.pos < b.pos; });
}

std::string stem_some(ks_db *db, const std::string &word)
{
	switch (Xapian::Unicode::get_category(*Xapian::Utf8Iterator(word))) {
	case Xapian::Unicode::LOWERCASE_LETTER:
	case Xapian::Unicode::TITLECASE_LETTER:
	case Xapian::Unicode::MODIFIER_LETTER:
	case Xapian::Unicode::OTHER_LETTER:
		return db->stem(word);
	default:
		return std::string();
	}
}

std::string word_term(ks_db *db, const std::string &word)
{
	const std::string stem = stem_some(db, word);
	return !stem.empty() && stem == word ? "Z" + word : word;
}

std::string own_stems_pattern(const std::string &pattern)
{
	// Prefixes are capitals, numbers are never stemmed.
	const unsigned char c = pattern.empty() ? 0 : static_cast<unsigned char>(pattern[0]);
	return (c >= 'a' && c <= 'z') || c >= 0x80 ? "Z" + pattern : std::string();
}

// Adds WORD (lower case) to KD's document with PREFIX as a plain copy holds
// it (PLAIN: at POS, and "Z"+stem when it starts with a letter; the two are
// one term when the word is its own stem) or a field's copy does (its stem
// alone, or the word without a position when it has none).
static void add_word(ks_db *db, ks_doc *kd, const std::string &prefix, const std::string &word,
		     Xapian::termpos pos, Xapian::termcount wdf, bool plain)
{
	if (word.empty() || word.size() > KS_MAX_WORD_BYTES)
		return;
	Xapian::Document &doc = kd->doc;
	const std::string stem = stem_some(db, word);
	if (plain && stem == word) {
		doc.add_posting("Z" + prefix + word, pos, wdf);
		kd->own_stem_wdf += wdf;
		return;
	}
	if (plain)
		doc.add_posting(prefix + word, pos, wdf);
	else if (stem.empty())
		doc.add_term(prefix + word, wdf);
	if (!stem.empty())
		doc.add_term("Z" + prefix + stem, wdf);
}

// How many words' forms are kept (about 200 bytes each, in every writer):
// the words seen most are reused, and a word rare enough to come after
// the cache was emptied is worked out again.  A large corpus's vocabulary
// is mostly such words: numbers, amounts and compounds seen a few times.
static const size_t KS_MAX_CACHED_WORDS = 200000;

// What is added at every position of a word (see add_word_forms()), worked
// out once per word and kept: a frequent word is split and stemmed once,
// not at every occurrence.  The cache is emptied only between texts
// (forms_of_text()), so what it returns stays valid for the whole text.
static const word_forms &forms_of(ks_db *db, const std::string &word)
{
	auto found = db->forms.find(word);
	if (found != db->forms.end())
		return found->second;
	word_forms f;
	f.stem = db->stem(word);
	f.letter = !stem_some(db, word).empty();
	f.own_stem = f.letter && f.stem == word;
	for (const std::string &part : ks::compound_parts(db->dict, word))
		if (!part.empty() && part.size() <= KS_MAX_WORD_BYTES)
			f.parts.push_back({ part, stem_some(db, part) });
	return db->forms.emplace(word, std::move(f)).first->second;
}

// Looks up the forms of each distinct word of T once.
static void forms_of_text(ks_db *db, text_terms *t)
{
	if (db->forms.size() >= KS_MAX_CACHED_WORDS)
		db->forms.clear();
	t->forms.reserve(t->distinct.size());
	for (const word_positions &w : t->distinct)
		t->forms.push_back(&forms_of(db, w.word));
}

// Marks every occurrence of a member of a synonym group in T with the
// group's term, at the position of the member's first word (after BASE).
// Words are compared by their stems: "kommunalbestyrelsens" is a
// "kommunalbestyrelsen".
static void add_synonym_terms(ks_db *db, Xapian::Document &doc, const text_terms &t,
			      Xapian::termpos base, Xapian::termcount wdf)
{
	if (db->synonyms.empty())
		return;
	const std::vector<word_at> &words = t.words;
	auto stem = [&](size_t i) -> const std::string & { return t.forms[words[i].word]->stem; };
	for (size_t i = 0; i < words.size(); i++) {
		auto range = db->synonym_starts.equal_range(stem(i));
		for (auto s = range.first; s != range.second; ++s) {
			const synonym_group &g = db->synonyms[s->second.first];
			const std::vector<std::string> &m = g.members[s->second.second];
			bool match = i + m.size() <= words.size();
			for (size_t k = 1; match && k < m.size(); k++)
				match = words[i + k].pos == words[i].pos + k && stem(i + k) == m[k];
			if (match)
				doc.add_posting(g.term, base + words[i].pos, wdf);
		}
	}
}

// Adds to KD's document the word forms of T, the words of TEXT at
// positions counted from BASE + 1, with PREFIX and weight WDF: the parts
// of compounds as stems (the split noted in KD, once, from the PLAIN copy,
// the one that a query without a field prefix searches), the whole words
// of suspended hyphens and their linking forms, and (PLAIN) the synonyms.
static void add_word_forms(ks_db *db, ks_doc *kd, const std::string &text, const text_terms &t,
			   Xapian::termpos base, const std::string &prefix, Xapian::termcount wdf,
			   bool plain)
{
	Xapian::Document &doc = kd->doc;
	const Xapian::termcount part_wdf =
		std::max<Xapian::termcount>(1, wdf / KS_PART_WDF_DIVISOR);
	for (size_t i = 0; i < t.distinct.size(); i++) {
		const word_positions &w = t.distinct[i];
		const word_forms &forms = *t.forms[i];
		if (forms.parts.empty())
			continue;
		const auto n = part_wdf * static_cast<Xapian::termcount>(w.positions.size());
		std::string split;
		for (const word_form &f : forms.parts) {
			doc.add_term(f.stem.empty() ? prefix + f.word : "Z" + prefix + f.stem, n);
			split += (split.empty() ? "" : " ") + f.word;
		}
		if (plain)
			kd->splits.emplace_back(w.word, std::move(split));
	}
	const auto suspended = ks::suspended_pairs(text);
	if (suspended.empty() && (!plain || db->synonyms.empty()))
		return;
	const std::vector<word_at> &words = t.words;
	auto word = [&](size_t i) -> const std::string & { return t.distinct[words[i].word].word; };
	// "pris- og lønfremskrevet": "prisfremskrevet" at "pris".
	for (size_t i = 2; i < words.size() && !suspended.empty(); i++) {
		const Xapian::termpos pos = words[i - 2].pos;
		const std::string &first = word(i - 2), &conj = word(i - 1), &last_word = word(i);
		if (words[i - 1].pos != pos + 1 || words[i].pos != pos + 2 ||
		    (conj != "og" && conj != "eller") || !suspended.count({ first, last_word }))
			continue;
		for (const std::string &whole : ks::suspended_words(db->dict, first, last_word)) {
			add_word(db, kd, prefix, whole, base + pos, wdf, plain);
			// "Børn- og Familieområdet" is also "børneområdet": the
			// linking letters the hyphen may have dropped.
			const std::string head = whole.substr(first.size());
			const char last = first.back();
			for (const char *link : { "e", "s" })
				if (plain && last != 'e' && last != 's')
					add_word(db, kd, prefix, first + link + head, base + pos,
						 wdf, plain);
		}
	}
	if (plain)
		add_synonym_terms(db, doc, t, base, wdf);
}

// Copies the terms of T, a text of DOC, into DOC with PREFIX and weight WDF:
// PLAIN, with positions after those used so far (a word that is its own
// stem's on its stem's term, which the stems' weight has counted), then a
// gap; else (a field's copy) as stems, and the words that have none
// (numbers), without positions.
static void add_text_copy(ks_db *db, ks_doc *doc, const std::string &text, const text_terms &t,
			  const std::string &prefix, Xapian::termcount wdf, bool plain)
{
	const Xapian::termpos base = doc->termpos;
	for (const auto &stem : t.stems)
		doc->doc.add_term("Z" + prefix + stem.first, stem.second * wdf);
	for (size_t i = 0; i < t.distinct.size(); i++) {
		const word_positions &w = t.distinct[i];
		if (!plain) {
			if (!t.forms[i]->letter)
				doc->doc.add_term(
					prefix + w.word,
					wdf * static_cast<Xapian::termcount>(w.positions.size()));
			continue;
		}
		const bool own_stem = t.forms[i]->own_stem;
		const std::string term = own_stem ? "Z" + w.word : w.word;
		for (Xapian::termpos p : w.positions)
			doc->doc.add_posting(term, base + p, own_stem ? 0 : wdf);
		if (own_stem)
			doc->own_stem_wdf +=
				wdf * static_cast<Xapian::termcount>(w.positions.size());
	}
	add_word_forms(db, doc, text, t, base, prefix, wdf, plain);
	if (!plain)
		return;
	doc->termpos = base + t.length + KS_FIELD_GAP;
	std::string weights = doc->doc.get_value(KS_SLOT_WEIGHTS);
	weights +=
		(weights.empty() ? "" : " ") + std::to_string(base + 1) + ':' + std::to_string(wdf);
	doc->doc.add_value(KS_SLOT_WEIGHTS, weights);
}

void index_text(ks_doc *doc, const ks_field &f, const std::string &text)
{
	ks_db *db = doc->db;
	text_terms t;
	read_text(db, text, &t);
	// The documents' own words count as known parts of compounds.
	for (const word_positions &w : t.distinct)
		db->dict.add_used(w.word);
	forms_of_text(db, &t);
	// A prefixed field is searchable by its name ("titel:") and,
	// with its own weight, by a plain query.
	if (*f.prefix)
		add_text_copy(db, doc, text, t, f.prefix, 1, false);
	add_text_copy(db, doc, text, t, "", f.wdf_inc, true);
}

// How many compounds a writer remembers having written the split of.
// Writing one again is harmless (the same value), so this bounds memory
// (a large corpus has hundreds of thousands of compounds) at the cost of
// a few repeated writes.
static const size_t KS_MAX_SPLITS_KEPT = 100000;

void write_splits(ks_db *db, const ks_doc *doc)
{
	for (const auto &s : doc->splits) {
		if (db->splits_written.count(s.first))
			continue;
		if (db->splits_written.size() >= KS_MAX_SPLITS_KEPT)
			db->splits_written.clear();
		db->splits_written.insert(s.first);
		db->wdb.set_metadata(KS_META_SPLIT_PREFIX + s.first, s.second);
	}
}

std::string split_of(ks_db *db, Xapian::docid did, const std::string &word)
{
	// Xapian numbers the documents of several databases in turn: the
	// first of each, then the second of each, …
	const size_t n = db->shards.size();
	Xapian::Database &r = n > 1 ? db->shards[(did - 1) % n] : db->reader();
	return r.get_metadata(KS_META_SPLIT_PREFIX + word);
}

// Adds every word of R's spelling data (the documents' own words) to DB's
// dictionary of compound parts.
static void learn_spellings(ks_db *db, Xapian::Database &r)
{
	for (auto w = r.spellings_begin(); w != r.spellings_end(); ++w)
		db->dict.add_used(*w);
}

extern "C" ks_status ks_db_load_words(ks_db *db, const char *path)
{
	if (ks_status st = check_writer(db))
		return st;
	if (!path)
		return invalid(db, "no path");
	return guard(db, [&] {
		std::string why;
		if (!db->dict.load(path, &why))
			return remember(db, KS_ERR_NOT_FOUND, why.c_str());
		learn_spellings(db, db->reader());
		return KS_OK;
	});
}

extern "C" ks_status ks_db_learn_words(ks_db *db, ks_db *from)
{
	if (!from)
		return KS_ERR_INVALID;
	if (ks_status st = check_writer(db))
		return st;
	return guard(db, [&] {
		learn_spellings(db, from->reader());
		if (from != db)
			db->dict.add_used(from->dict);
		return KS_OK;
	});
}

extern "C" ks_status ks_db_learn_text(ks_db *db, const char *text)
{
	if (ks_status st = check_writer(db))
		return st;
	if (!text)
		return invalid(db, "no text");
	return guard(db, [&] {
		// The words only: no stems, no positions.
		Xapian::Document scratch;
		Xapian::TermGenerator &tg = db->tg;
		tg.set_stemming_strategy(Xapian::TermGenerator::STEM_NONE);
		tg.set_document(scratch);
		tg.index_text_without_positions(text);
		tg.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
		for (auto t = scratch.termlist_begin(); t != scratch.termlist_end(); ++t)
			db->dict.add_used(*t);
		return KS_OK;
	});
}
