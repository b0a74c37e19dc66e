// spelling.cc — the spelling data (the words that suggestions offer),
// counted per document.
//
// The TermGenerator's FLAG_SPELLING updates the spelling table once per word
// occurrence.  Instead the words of each document are counted here and
// written once per distinct word when the database is written; a deleted
// document's words are taken out again, so the suggestions never offer a
// word of a removed file.  A document's words are its unprefixed, unstemmed
// terms that are not numbers; a closed item (XLUKtrue) contributes none.

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

void count_spelling(ks_db *db, const Xapian::Document &doc, long long sign)
{
	// The words in term order, so that a word's twin is found by a
	// binary search: a document's term list is a map, and
	// TermIterator::skip_to() walks it from its start.
	std::vector<std::pair<std::string, Xapian::termcount>> words;
	for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
		std::string term = *t;
		if (spelling_word(term))
			words.emplace_back(std::move(term), t.get_wdf());
	}
	const auto has_word = [&](const std::string &w) {
		auto at = std::lower_bound(words.begin(), words.end(), w,
					   [](const std::pair<std::string, Xapian::termcount> &a,
					      const std::string &b) { return a.first < b; });
		return at != words.end() && at->first == w;
	};
	for (const auto &w : words) {
		// A word without Danish letters next to its twin with them
		// ("hjemloeshed", "hjemløshed") is mostly the other spelling
		// that add_word_forms() added: suggestions offer the Danish.
		const std::string other = ks::other_spelling(w.first);
		if (!other.empty() && !ks::has_danish_letters(w.first) && has_word(other))
			continue;
		db->spelling[w.first] += sign * static_cast<long long>(w.second);
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
			count_spelling(db, doc, -1);
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
