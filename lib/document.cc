// document.cc — documents: made from a record's fields, stored under its id
// (replacing an earlier one), deleted by a boolean term, and read back.

#include "ks-xapian-private.h"

#include <algorithm>
#include <cstdio>

extern "C" {
#include "text.h"
}

// Names the first thing wrong with a FIELD that must be of KIND, or NULL.
static const char *bad_field(int field, ks_field_kind kind)
{
	if (field < 0 || field >= KS_FIELD_COUNT)
		return "no such field";
	if (ks_fields[field].kind != kind)
		return kind == KS_FIELD_BOOLEAN ? "not a boolean field" : "not a free-text field";
	return nullptr;
}

// KS_SLOT_FACETS of DOC, made from its four facet values.
static std::string facets_value(const Xapian::Document &doc)
{
	std::string out;
	for (int f = 0; f < KS_FACET_COUNT; f++) {
		std::string v = doc.get_value(ks_facets[f].slot);
		std::replace(v.begin(), v.end(), KS_FACET_SEP, ' ');
		if (f)
			out += KS_FACET_SEP;
		out += v;
	}
	return out;
}

// The keys of KS_SLOT_DATE_NEWEST (NEWEST) and KS_SLOT_DATE_OLDEST of DOC,
// whose id is ID: a date sort is then one value sorted as a string, which a
// remote shard can sort by (Xapian 1.4's remote backend refuses a KeyMaker),
// and the id settles what the date and punkt leave tied, as the document
// numbers, which differ between shards and one index, would.
static std::string date_order_value(const Xapian::Document &doc, const std::string &id, bool newest)
{
	std::string key = doc.get_value(KS_SLOT_DATE);
	if (key.empty())
		key = "\xff"; // undated: last either way
	else if (newest)
		for (char &c : key)
			c = static_cast<char>(0xff - static_cast<unsigned char>(c));
	const std::string punkt = doc.get_value(KS_SLOT_PUNKT);
	const double n = punkt.empty() ? 0 : Xapian::sortable_unserialise(punkt);
	char digits[16];
	std::snprintf(digits, sizeof digits, "%010lld",
		      static_cast<long long>(std::max(0.0, std::min(n, 9999999999.0))));
	return key + digits + id;
}

// What the sample of DOC, a record whose id is ID, is a hash of (see
// KS_SAMPLE_RUN): its file's XFIL term and the number of the run of that
// file's records it is in, counted as DB writes them; ID when it has no
// file.
static std::string sample_key(ks_db *db, const Xapian::Document &doc, const std::string &id)
{
	const std::string file = ks_fields[KS_FIELD_FILE].prefix;
	auto t = doc.termlist_begin();
	t.skip_to(file);
	if (t == doc.termlist_end() || (*t).compare(0, file.size(), file) != 0)
		return id;
	if (*t != db->sample_file) {
		db->sample_file = *t;
		db->sample_in_file = 0;
	}
	return *t + ' ' + std::to_string(db->sample_in_file++ / KS_SAMPLE_RUN);
}

// The term of the sample whose key (sample_key()) is KEY.
static std::string sample_term(const std::string &key)
{
	const uint64_t h = ks_hash64(key.data(), key.size());
	// The high bits too: FNV-1a's lowest bits mix the least.
	return KS_PREFIX_SAMPLE + std::to_string(((h >> 32) ^ h) % KS_SAMPLES);
}

extern "C" ks_status ks_doc_new(ks_db *db, ks_doc **out)
{
	if (ks_status st = check_writer(db))
		return st;
	if (!out)
		return invalid(db, "no result pointer");
	return guard(db, [&] {
		*out = new ks_doc{ db, Xapian::Document(), 0, 0, false, {} };
		return KS_OK;
	});
}

extern "C" void ks_doc_free(ks_doc *doc)
{
	delete doc;
}

extern "C" ks_status ks_doc_index_text(ks_doc *doc, ks_field_id field, const char *text,
				       bool spelling)
{
	if (!doc)
		return KS_ERR_INVALID;
	ks_db *db = doc->db;
	if (const char *why = bad_field(field, KS_FIELD_FREE_TEXT))
		return invalid(db, why);
	if (!text)
		return invalid(db, "no text");
	return guard(db, [&] {
		doc->spelling |= spelling;
		index_text(doc, ks_fields[field], text);
		return KS_OK;
	});
}

extern "C" ks_status ks_doc_add_boolean(ks_doc *doc, ks_field_id field, const char *value)
{
	if (!doc)
		return KS_ERR_INVALID;
	if (const char *why = bad_field(field, KS_FIELD_BOOLEAN))
		return invalid(doc->db, why);
	if (!value || !*value)
		return KS_OK;
	return guard(doc->db, [&] {
		doc->doc.add_boolean_term(boolean_term(field, value));
		return KS_OK;
	});
}

extern "C" ks_status ks_doc_set_value(ks_doc *doc, ks_slot slot, const char *value)
{
	if (!doc)
		return KS_ERR_INVALID;
	if (slot < 0 || slot >= KS_SLOT_COUNT || !value)
		return invalid(doc->db, "no such slot or no value");
	return guard(doc->db, [&] {
		doc->doc.add_value(slot, value);
		return KS_OK;
	});
}

extern "C" ks_status ks_doc_set_number(ks_doc *doc, ks_slot slot, double number)
{
	if (!doc)
		return KS_ERR_INVALID;
	if (slot < 0 || slot >= KS_SLOT_COUNT)
		return invalid(doc->db, "no such slot");
	return guard(doc->db, [&] {
		doc->doc.add_value(slot, Xapian::sortable_serialise(number));
		return KS_OK;
	});
}

extern "C" ks_status ks_doc_set_data(ks_doc *doc, const char *data)
{
	if (!doc)
		return KS_ERR_INVALID;
	if (!data)
		return invalid(doc->db, "no data");
	return guard(doc->db, [&] {
		doc->doc.set_data(data);
		return KS_OK;
	});
}

extern "C" ks_status ks_db_replace(ks_db *db, const char *id, ks_doc *doc)
{
	if (ks_status st = check_writer(db))
		return st;
	if (!id || !*id || !doc)
		return invalid(db, "no id or no document");
	return guard(db, [&] {
		const std::string term = boolean_term(KS_FIELD_ID, id);
		// A new id (every one, when building an index afresh) is
		// added: replacing by term opened a posting list for it.
		const bool known = db->wdb.term_exists(term);
		if (known)
			uncount_spelling(db, term);
		if (doc->spelling && !is_closed(doc->doc))
			count_spelling(db, doc->doc, 1, &doc->splits);
		doc->doc.add_boolean_term(sample_term(sample_key(db, doc->doc, id)));
		// A document is as long (BM25's length, the sum of its terms'
		// wdf) as when its words that are their own stems were stored
		// twice, as the word and as the stem, like the rest: the length
		// ranks documents, and storing a word once should not change
		// the order.  Its id term carries the rest: a boolean term,
		// whose wdf no search weighs.
		if (doc->own_stem_wdf)
			doc->doc.add_term(term, doc->own_stem_wdf);
		doc->doc.add_value(KS_SLOT_FACETS, facets_value(doc->doc));
		doc->doc.add_value(KS_SLOT_DATE_NEWEST, date_order_value(doc->doc, id, true));
		doc->doc.add_value(KS_SLOT_DATE_OLDEST, date_order_value(doc->doc, id, false));
		if (known)
			db->wdb.replace_document(term, doc->doc);
		else
			db->wdb.add_document(doc->doc);
		write_splits(db, doc);
		return KS_OK;
	});
}

extern "C" ks_status ks_db_delete(ks_db *db, ks_field_id field, const char *value)
{
	if (ks_status st = check_writer(db))
		return st;
	if (const char *why = bad_field(field, KS_FIELD_BOOLEAN))
		return invalid(db, why);
	// An empty value would delete by the bare prefix: every document.
	if (!value || !*value)
		return invalid(db, "no value");
	return guard(db, [&] {
		const std::string term = boolean_term(field, value);
		uncount_spelling(db, term);
		db->wdb.delete_document(term);
		return KS_OK;
	});
}

extern "C" ks_status ks_db_has_term(ks_db *db, ks_field_id field, const char *value, bool *out)
{
	if (!db)
		return KS_ERR_INVALID;
	if (const char *why = bad_field(field, KS_FIELD_BOOLEAN))
		return invalid(db, why);
	if (!value || !out)
		return invalid(db, "no value");
	return guard(db, [&] {
		*out = *value && db->reader().term_exists(boolean_term(field, value));
		return KS_OK;
	});
}

// The document whose id term is Q+ID; KS_ERR_NOT_FOUND if there is none.
static ks_status find_doc(ks_db *db, const char *id, Xapian::Document *out)
{
	Xapian::Database &r = db->reader();
	const std::string term = boolean_term(KS_FIELD_ID, id);
	Xapian::PostingIterator p = r.postlist_begin(term);
	if (p == r.postlist_end(term))
		return remember(db, KS_ERR_NOT_FOUND, "no such id");
	*out = r.get_document(*p);
	return KS_OK;
}

extern "C" ks_status ks_db_get_data(ks_db *db, const char *id, char **out)
{
	if (!db)
		return KS_ERR_INVALID;
	if (!id || !out)
		return invalid(db, "no id");
	return guard(db, [&] {
		Xapian::Document doc;
		ks_status st = find_doc(db, id, &doc);
		return st ? st : copy_out(doc.get_data(), out);
	});
}

extern "C" ks_status ks_db_each_term(ks_db *db, const char *id, ks_term_fn fn, void *arg)
{
	if (!db)
		return KS_ERR_INVALID;
	if (!id || !fn)
		return invalid(db, "no id or callback");
	return guard(db, [&] {
		Xapian::Document doc;
		ks_status st = find_doc(db, id, &doc);
		if (st)
			return st;
		for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t)
			if (fn((*t).c_str(), arg))
				break;
		return KS_OK;
	});
}

extern "C" ks_status ks_db_get_value(ks_db *db, const char *id, ks_slot slot, char **out)
{
	if (!db)
		return KS_ERR_INVALID;
	if (!id || slot < 0 || slot >= KS_SLOT_COUNT || !out)
		return invalid(db, "no id or no such slot");
	return guard(db, [&] {
		Xapian::Document doc;
		ks_status st = find_doc(db, id, &doc);
		return st ? st : copy_out(doc.get_value(slot), out);
	});
}
