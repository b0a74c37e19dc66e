/* writer-atom.c — the newest hits of a search as an Atom feed (RFC 4287),
 * for journalists who subscribe to a search.  Entries link to the item
 * pages; the summary is the snippet (already HTML, escaped once more as the
 * text of a type="html" element).  Whatever the query, the request target or
 * a document holds, the feed stays XML: text goes through
 * ks_sb_escape_xml(), addresses through put_uri(). */
#include "writer.h"

#include <stdio.h>
#include <string.h>

static void element(ks_sb *out, const char *name, const char *text)
{
	ks_sb_puts(out, "<");
	ks_sb_puts(out, name);
	ks_sb_puts(out, ">");
	ks_sb_escape_xml(out, text);
	ks_sb_puts(out, "</");
	ks_sb_puts(out, name);
	ks_sb_puts(out, ">\n");
}

/* Appends BASE and PATH as a URI in XML text or an attribute.  PATH is the
 * request target as the client sent it (the feed's own address) or a
 * record's url: a byte that no URI holds (a control, a space, '"', '<',
 * '>', '\\', '^', '`', '{', '|', '}', and any non-ASCII) is percent-encoded,
 * which is the same address; then '&' and '\'' are escaped for XML. */
static void put_uri(ks_sb *out, const char *base, const char *path)
{
	ks_sb uri = { 0 };
	ks_sb_puts(&uri, base);
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if (*p > 0x20 && *p < 0x7f && !strchr("\"<>\\^`{|}", *p)) {
			ks_sb_append(&uri, (const char *)p, 1);
		} else {
			char pct[4];
			snprintf(pct, sizeof pct, "%%%02X", *p);
			ks_sb_puts(&uri, pct);
		}
	}
	if (uri.oom)
		out->oom = true;
	else
		ks_sb_escape_xml(out, uri.s);
	ks_sb_free(&uri);
}

static void atom_link(ks_sb *out, const char *rel, const char *type, const char *base,
		      const char *path)
{
	ks_sb_puts(out, "<link rel=\"");
	ks_sb_puts(out, rel);
	ks_sb_puts(out, "\"");
	if (type) {
		ks_sb_puts(out, " type=\"");
		ks_sb_puts(out, type);
		ks_sb_puts(out, "\"");
	}
	ks_sb_puts(out, " href=\"");
	put_uri(out, base, path);
	ks_sb_puts(out, "\"/>\n");
}

static void *atom_begin(ks_sb *out, const ks_listing *l)
{
	const char *q = l->q && *l->q ? l->q : NULL;
	ks_sb title = { 0 };
	ks_sb_puts(&title, "Kommunesøg");
	if (q) {
		ks_sb_puts(&title, ": ");
		ks_sb_puts(&title, q);
	}
	ks_sb_puts(out, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
			"<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"da\">\n");
	element(out, "title", title.s ? title.s : "Kommunesøg");
	ks_sb_free(&title);
	ks_sb_puts(out, "<id>");
	put_uri(out, l->base, l->self);
	ks_sb_puts(out, "</id>\n");
	element(out, "updated", l->updated);
	atom_link(out, "self", "application/atom+xml", l->base, l->self);
	ks_sb_puts(out, "<author><name>Kommunesøg</name></author>\n");
	return out;
}

static bool atom_hit(void *w, ks_sb *out, const ks_listing *l, const cJSON *record,
		     const char *snippet)
{
	(void)w;
	const char *url = ks_record_str(record, "url");
	const char *title = ks_record_str(record, "title");
	const char *date = ks_record_str(record, "date");
	const char *sag = ks_record_str(record, "sagsnummer");
	if (!url || !title)
		return true; /* not a record of ours: left out */
	ks_sb_puts(out, "<entry>\n");
	element(out, "title", title);
	ks_sb_puts(out, "<id>");
	put_uri(out, l->base, url);
	ks_sb_puts(out, "</id>\n");
	atom_link(out, "alternate", "text/html", l->base, url);
	/* A budget section has no date: the index's time stands in. */
	ks_sb_puts(out, "<updated>");
	if (date) {
		ks_sb_escape_xml(out, date);
		ks_sb_puts(out, "T00:00:00Z");
	} else {
		ks_sb_escape_xml(out, l->updated);
	}
	ks_sb_puts(out, "</updated>\n");
	if (sag) {
		ks_sb_puts(out, "<category term=\"");
		ks_sb_escape_xml(out, sag);
		ks_sb_puts(out, "\" label=\"Sag\"/>\n");
	}
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(record, "lukket"))) {
		element(out, "summary", "Lukket punkt");
	} else if (snippet && *snippet) {
		ks_sb_puts(out, "<summary type=\"html\">");
		ks_sb_escape_xml(out, snippet);
		ks_sb_puts(out, "</summary>\n");
	}
	ks_sb_puts(out, "</entry>\n");
	return !out->oom;
}

static bool atom_end(void *w, ks_sb *out, const ks_listing *l)
{
	(void)w, (void)l;
	ks_sb_puts(out, "</feed>\n");
	return !out->oom;
}

const ks_writer_class ks_writer_atom = {
	.content_type = "application/atom+xml; charset=utf-8",
	.begin = atom_begin,
	.hit = atom_hit,
	.end = atom_end,
};
