// hits.cc — the hits of a search: each hit's id and data, read from the
// index when first asked for; its snippet; the facet counts and the
// spelling correction.

#include "ks-xapian-private.h"

#include <cstring>

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

// Xapian's snippets escape '&', '<' and '>'; quotes are escaped too, so
// that a snippet is safe inside an attribute as well as in text.
static std::string escape_quotes(const std::string &s)
{
	std::string out;
	for (char c : s) {
		if (c == '"')
			out += "&quot;";
		else if (c == '\'')
			out += "&#39;";
		else
			out += c;
	}
	return out;
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
		// No background model and no exhaustive search: they cost
		// more than the search itself for nearly the same text.
		// Without them Xapian 1.4 answers a text with no match by its
		// end, so such a text is cut here, from its start.
		std::string snippet = hits->mset.snippet(text, length, db->stem,
							 Xapian::MSet::SNIPPET_EMPTY_WITHOUT_MATCH,
							 "<mark>", "</mark>", "…");
		snippet = snippet.empty() ? start_of(text, length) : escape_quotes(snippet);
		return copy_out(snippet, out);
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
