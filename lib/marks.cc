// marks.cc — the words of a query marked in one record's whole text, for
// the item page that a result leads to (ks_db_item_hits()).
//
// The marks are a hit's snippet (snippet.cc) as long as the text: Xapian's
// snippet machinery with the binding's own stemmer marks a word however the
// search matched it (stem, compound part, other spelling, synonym), so the
// item page marks exactly what the result list did.  The search is the
// result list's own query, filtered to the one record; its statistics are
// those of the whole index, which the snippet weighs words by.

#include "ks-xapian-private.h"

extern "C" ks_status ks_db_item_hits(ks_db *db, const char *q, const char *id,
				     unsigned max_expansion, ks_hits **out)
{
	if (!db)
		return KS_ERR_INVALID;
	if (!q || !id || !out)
		return invalid(db, "no query, id or result pointer");
	return guard(db, [&] {
		const std::string text = trimmed(q);
		std::unique_ptr<ks_hits> hits(new ks_hits);
		hits->db = db;
		if (text.empty()) {
			*out = hits.release();
			return KS_OK;
		}
		Xapian::Query query = searched(db, text);
		db->cases.clear(); // a case number of Q filters nothing here
		Xapian::Database &r = db->reader();
		if (max_expansion && wildcard_words(db, query, max_expansion) > max_expansion)
			return remember(db, KS_ERR_TOO_BROAD,
					"the wildcards of the query expand to too many words");
		hits->query = query;
		hits->matched = matched(db, query);
		Xapian::Enquire enquire(r);
		enquire.set_query(Xapian::Query(Xapian::Query::OP_FILTER, hits->matched,
						Xapian::Query(boolean_term(KS_FIELD_ID, id))));
		hits->mset = enquire.get_mset(0, 1);
		for (auto m = hits->mset.begin(); m != hits->mset.end(); ++m)
			hits->hits.push_back({ *m, {}, {}, false, false });
		hits->total = static_cast<uint32_t>(hits->hits.size());
		*out = hits.release();
		return KS_OK;
	});
}
