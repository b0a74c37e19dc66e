// spelling.cc — the spelling data (the words that suggestions offer),
// counted per document.
//
// The TermGenerator's FLAG_SPELLING updates the spelling table once per word
// occurrence.  Instead the words of each document are counted here and
// written once per distinct word when the database is written; a deleted
// document's words are taken out again, so the suggestions never offer a
// word of a removed file.  A document's words are its unprefixed, unstemmed
// terms that are not numbers, and the parts of its compounds (which the
// index holds as stems only), each counted as its compound is, so that a
// part, which finds all its compounds, is offered before any of them; a
// closed item (XLUKtrue) contributes none.

#include "ks-xapian-private.h"

#include <algorithm>

static bool spelling_word(const std::string &term)
{
	if (term.empty())
		return false;
	const unsigned char c = static_cast<unsigned char>(term[0]);
	return !(c >= 'A' && c <= 'Z') && !(c >= '0' && c <= '9');
}

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
	for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
		const std::string word = *t;
		if (!spelling_word(word))
			continue;
		const auto count = static_cast<long long>(t.get_wdf());
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
	for (const auto &w : db->spelling) {
		if (w.second > 0)
			db->wdb.add_spelling(w.first, static_cast<Xapian::termcount>(w.second));
		else if (w.second < 0)
			db->wdb.remove_spelling(w.first, static_cast<Xapian::termcount>(-w.second));
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
