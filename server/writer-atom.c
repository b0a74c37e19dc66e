/* writer-atom.c — the newest hits of a search as an Atom feed (RFC 4287),
 * for journalists who subscribe to a search.  Entries link to the item
 * pages; the summary is the snippet (already HTML, escaped once more as the
 * text of a type="html" element). */
#include "writer.h"

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
	ks_sb_escape_xml(out, base);
	ks_sb_escape_xml(out, path);
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
	ks_sb_escape_xml(out, l->base);
	ks_sb_escape_xml(out, l->self);
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
	ks_sb_escape_xml(out, l->base);
	ks_sb_escape_xml(out, url);
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
