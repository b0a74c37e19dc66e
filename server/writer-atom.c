/* writer-atom.c — the newest hits of a search as an Atom feed (RFC 4287),
 * for journalists who subscribe to a search.  The feed's title names the
 * search and its filters ("Kommunesøg: sag 25-002103"), so that a reader
 * with several feeds tells them apart.  Entries link to the item pages;
 * the summary is the snippet, its paragraphs as <p> (already HTML, escaped
 * once more as the text of a type="html" element).  Whatever the query, the request target or
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
	ks_sb what = { 0 }, title = { 0 };
	if (l->query)
		ks_search_describe(l->query, &what);
	ks_sb_puts(&title, "Kommunesøg");
	if (what.n) {
		ks_sb_puts(&title, ": ");
		ks_sb_puts(&title, what.s);
	}
	out->oom |= what.oom || title.oom;
	ks_sb_free(&what);
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

/* SNIPPET (HTML) as the HTML of a summary: each of its paragraphs (text
 * between blank lines, as the record's text has them) a <p>, a line break
 * within one a <br>; escaped for XML as the text of a type="html" element. */
static void put_paragraphs(ks_sb *out, const char *snippet)
{
	ks_sb html = { 0 };
	for (const char *p = snippet; *p;) {
		p += strspn(p, "\n");
		if (!*p)
			break;
		const char *end = strstr(p, "\n\n");
		size_t n = end ? (size_t)(end - p) : strlen(p);
		size_t len = n;
		while (len && p[len - 1] == '\n')
			len--;
		ks_sb_puts(&html, "<p>");
		for (size_t i = 0; i < len; i++) {
			size_t line = strcspn(p + i, "\n");
			if (line > len - i)
				line = len - i;
			ks_sb_append(&html, p + i, line);
			i += line;
			if (i < len)
				ks_sb_puts(&html, "<br>");
		}
		ks_sb_puts(&html, "</p>");
		p += n;
	}
	if (html.oom)
		out->oom = true;
	else if (html.n)
		ks_sb_escape_xml(out, html.s);
	ks_sb_free(&html);
}

/* The <updated> of a record without a date (a budget section): January 1
 * of its year, the year the budget is for, which a re-index or a rebuild
 * of the index does not move (the index's time would put every budget
 * section at the top of every feed reader at each re-index, and a file's
 * time moves with a copy or a checkout); the epoch without a year. */
static void put_undated(ks_sb *out, const cJSON *record)
{
	const cJSON *year = cJSON_GetObjectItemCaseSensitive(record, "year");
	char stamp[32] = "1970-01-01T00:00:00Z";
	if (cJSON_IsNumber(year) && year->valuedouble >= 1970 && year->valuedouble <= 9999)
		snprintf(stamp, sizeof stamp, "%04d-01-01T00:00:00Z", (int)year->valuedouble);
	ks_sb_puts(out, stamp);
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
	ks_sb_puts(out, "<updated>");
	if (date) {
		ks_sb_escape_xml(out, date);
		ks_sb_puts(out, "T00:00:00Z");
	} else {
		put_undated(out, record);
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
		put_paragraphs(out, snippet);
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
