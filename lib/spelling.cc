// spelling.cc — the spelling data (the words that suggestions offer),
// counted per document.
//
// The TermGenerator's FLAG_SPELLING updates the spelling table once per word
// occurrence.  Instead the words of each document are counted here and
// written once per distinct word when the database is written; a deleted
// document's words are taken out again, so the suggestions never offer a
// word of a removed file.  A document's words are the terms that hold the
// positions of its words (word_term(): the word, or "Z" + the word when it
// is its own stem) but for numbers, each occurrence counted with its
// text's weight (a title's word counts more; KS_SLOT_WEIGHTS tells the
// weight of a position), and the parts of its compounds (which the index
// holds as stems only), each counted as its compound is, so that a part,
// which finds all its compounds, is offered before any of them; a closed
// item (XLUKtrue) contributes none.

#include "ks-xapian-private.h"

#include <algorithm>
#include <cstdlib>

// The word whose positions TERM may hold, or "" when it holds none of a
// word the suggestions may offer: a prefixed term, a number.  A stem holds
// positions only when it is also a word; the positions tell.
static std::string spelling_word(const std::string &term)
{
	const size_t at = !term.empty() && term[0] == 'Z' ? 1 : 0;
	if (at >= term.size())
		return std::string();
	const unsigned char c = static_cast<unsigned char>(term[at]);
	if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
		return std::string();
	return term.substr(at);
}

// The weight of each position of a document, from its KS_SLOT_WEIGHTS.
struct position_weights {
	std::vector<std::pair<Xapian::termpos, Xapian::termcount>> starts;

	explicit position_weights(const std::string &value)
	{
		const char *p = value.c_str();
		while (*p) {
			char *end;
			const unsigned long first = std::strtoul(p, &end, 10);
			if (*end != ':')
				break;
			const unsigned long weight = std::strtoul(end + 1, &end, 10);
			starts.emplace_back(static_cast<Xapian::termpos>(first),
					    static_cast<Xapian::termcount>(weight));
			p = *end == ' ' ? end + 1 : end;
		}
	}

	// The sum of the weights of the positions of T (1 each without
	// KS_SLOT_WEIGHTS).
	long long of(const Xapian::TermIterator &t) const
	{
		long long sum = 0;
		auto s = starts.begin();
		for (auto p = t.positionlist_begin(); p != t.positionlist_end(); ++p) {
			while (s != starts.end() && s + 1 != starts.end() && (s + 1)->first <= *p)
				++s;
			sum += s == starts.end() || s->first > *p ? 1 : s->second;
		}
		return sum;
	}
};

bool is_closed(const Xapian::Document &doc)
{
	const std::string closed = boolean_term(KS_FIELD_LUKKET, "true");
	Xapian::TermIterator t = doc.termlist_begin();
	t.skip_to(closed);
	return t != doc.termlist_end() && *t == closed;
}

void count_spelling(ks_db *db, const Xapian::Document &doc, long long sign,
		    const std::vector<std::pair<std::string, std::string>> *splits)
{
	std::unordered_map<std::string, std::string> given;
	if (splits)
		given.insert(splits->begin(), splits->end());
	Xapian::Database &r = db->reader();
	const position_weights weights(doc.get_value(KS_SLOT_WEIGHTS));
	for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
		const std::string word = spelling_word(*t);
		if (word.empty())
			continue;
		const long long count = weights.of(t);
		if (!count)
			continue;
		db->spelling[word] += sign * count;
		std::string split;
		if (splits) {
			auto found = given.find(word);
			if (found == given.end())
				continue;
			split = found->second;
		} else {
			split = r.get_metadata(KS_META_SPLIT_PREFIX + word);
		}
		each_part(split, [&](const std::string &p) { db->spelling[p] += sign * count; });
	}
}

void write_spelling(ks_db *db)
{
	Xapian::WritableDatabase &to = db->spelling_apart ? db->spelling_wdb : db->wdb;
	for (const auto &w : db->spelling) {
		if (w.second > 0)
			to.add_spelling(w.first, static_cast<Xapian::termcount>(w.second));
		else if (w.second < 0)
			to.remove_spelling(w.first, static_cast<Xapian::termcount>(-w.second));
	}
	db->spelling.clear();
}

void uncount_spelling(ks_db *db, const std::string &term)
{
	Xapian::Database &r = db->reader();
	for (auto p = r.postlist_begin(term); p != r.postlist_end(term); ++p) {
		Xapian::Document doc = r.get_document(*p);
		if (!is_closed(doc))
			count_spelling(db, doc, -1, nullptr);
	}
}

extern "C" ks_status ks_db_each_spelling(ks_db *db, ks_term_fn fn, void *arg)
{
	if (!db)
		return KS_ERR_INVALID;
	if (!fn)
		return invalid(db, "no callback");
	return guard(db, [&] {
		Xapian::Database &r = db->reader();
		for (auto w = r.spellings_begin(); w != r.spellings_end(); ++w)
			if (fn((*w).c_str(), arg))
				break;
		return KS_OK;
	});
}
