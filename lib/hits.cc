// hits.cc — the hits of a search: each hit's id and data, read from the
// index when first asked for; the facet counts and the spelling correction.
// A hit's snippet is snippet.cc's.

#include "ks-xapian-private.h"

// The id of DOC: its Q term without the prefix.
static std::string id_of(const Xapian::Document &doc)
{
	const std::string prefix = ks_fields[KS_FIELD_ID].prefix;
	auto t = doc.termlist_begin();
	t.skip_to(prefix);
	if (t != doc.termlist_end() && (*t).compare(0, prefix.size(), prefix) == 0)
		return (*t).substr(prefix.size());
	return std::string();
}

// The id at the start of DATA, the record's JSON ({"id":"direktionen-2025-10-06-3",
// ...}: ids are slugs, never escaped); "" when DATA does not start so.  Over
// a remote shard a document's term list is one more round trip, carrying
// the whole list of terms.
static std::string id_in_data(const std::string &data)
{
	static const char start[] = "{\"id\":\"";
	if (data.compare(0, sizeof start - 1, start) != 0)
		return std::string();
	const size_t end = data.find('"', sizeof start - 1);
	if (end == std::string::npos || data.find('\\', sizeof start - 1) < end)
		return std::string();
	return data.substr(sizeof start - 1, end - (sizeof start - 1));
}

extern "C" size_t ks_hits_size(const ks_hits *hits)
{
	return hits ? hits->hits.size() : 0;
}

extern "C" uint32_t ks_hits_total(const ks_hits *hits)
{
	return hits ? hits->total : 0;
}

// Hit I's document, not kept by the MSet (whose own documents it keeps,
// with their data once read, for as long as it lives).
static Xapian::Document document_of(const ks_hits *hits, size_t i)
{
	return hits->db->reader().get_document(hits->hits[i].did, Xapian::DOC_ASSUME_VALID);
}

extern "C" const char *ks_hits_id(const ks_hits *hits, size_t i)
{
	if (!hits || i >= hits->hits.size())
		return nullptr;
	const ks_hits::hit &h = hits->hits[i];
	if (!h.has_id) {
		try {
			const Xapian::Document doc = document_of(hits, i);
			std::string id =
				hits->db->remote ? id_in_data(doc.get_data()) : std::string();
			h.id = id.empty() ? id_of(doc) : id;
		} catch (...) {
			// Xapian failed to read the document, or no memory for the
			// copy: a hit without an id, as for a document without one.
			h.id.clear();
		}
		h.has_id = true;
	}
	return h.id.c_str();
}

extern "C" const char *ks_hits_data(const ks_hits *hits, size_t i)
{
	if (!hits || i >= hits->hits.size())
		return nullptr;
	const ks_hits::hit &h = hits->hits[i];
	if (!h.has_data) {
		try {
			h.data = document_of(hits, i).get_data();
		} catch (...) {
			h.data.clear(); // as ks_hits_id()
		}
		h.has_data = true;
	}
	return h.data.c_str();
}

extern "C" ks_status ks_hits_read(ks_hits *hits, size_t i, const char **data)
{
	if (!hits)
		return KS_ERR_INVALID;
	if (i >= hits->hits.size() || !data)
		return invalid(hits->db, "no such hit, or no result pointer");
	return guard(hits->db, [&] {
		const ks_hits::hit &h = hits->hits[i];
		hits->read = h.has_data ? h.data : document_of(hits, i).get_data();
		*data = hits->read.c_str();
		return KS_OK;
	});
}

extern "C" bool ks_hits_facets_estimated(const ks_hits *hits)
{
	return hits && hits->facets_estimated;
}

extern "C" size_t ks_hits_facet_size(const ks_hits *hits, ks_facet facet)
{
	if (!hits || static_cast<int>(facet) < 0 || facet >= KS_FACET_COUNT)
		return 0;
	return hits->facets[facet].size();
}

extern "C" bool ks_hits_facet(const ks_hits *hits, ks_facet facet, size_t i, const char **value,
			      uint32_t *count)
{
	if (i >= ks_hits_facet_size(hits, facet))
		return false;
	const auto &c = hits->facets[facet][i];
	if (value)
		*value = c.first.c_str();
	if (count)
		*count = c.second;
	return true;
}

extern "C" const char *ks_hits_suggestion(const ks_hits *hits)
{
	return hits && hits->has_suggestion ? hits->suggestion.c_str() : nullptr;
}

extern "C" void ks_hits_free(ks_hits *hits)
{
	delete hits;
}
