/* page-head.c — the <head> that the server writes into the pages of a
 * case, an item and a meeting: the title, the description and the Open
 * Graph properties that a link preview shows (Teams and SharePoint unfurl
 * a link without running its script, so the page's script is too late to
 * name it), and the case's feed for browsers and feed readers.  Everything
 * taken from a document or a request is escaped for an attribute. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ks-limits.h"
#include "server.h"
#include "validate.h"

void ks_date_short(const char *date, char out[11])
{
	if (date && ks_date_parse(date, NULL)) {
		/* "YYYY-MM-DD" to "DD.MM.YYYY". */
		memcpy(out, date + 8, 2);
		out[2] = '.';
		memcpy(out + 3, date + 5, 2);
		out[5] = '.';
		memcpy(out + 6, date, 4);
		out[10] = '\0';
	} else {
		snprintf(out, 11, "%s", date ? date : "");
	}
}

void ks_description_put(ks_sb *out, const char *text)
{
	/* One line: a decision's paragraphs run on, as a preview shows them. */
	ks_sb flat = { 0 };
	for (const char *p = text; *p;) {
		size_t word = strcspn(p, " \t\r\n");
		ks_sb_append(&flat, p, word);
		p += word;
		size_t blanks = strspn(p, " \t\r\n");
		p += blanks;
		if (blanks && *p && flat.n)
			ks_sb_puts(&flat, " ");
	}
	const char *s = flat.oom || !flat.s ? "" : flat.s;
	size_t n = strlen(s);
	if (n <= KS_DESCRIPTION_BYTES) {
		ks_sb_puts(out, s);
	} else {
		size_t cut = ks_utf8_cut(s, KS_DESCRIPTION_BYTES - sizeof "…");
		size_t blank = cut;
		while (blank > 0 && s[blank] != ' ')
			blank--;
		ks_sb_append(out, s, blank > cut / 2 ? blank : cut);
		ks_sb_puts(out, "…");
	}
	ks_sb_free(&flat);
}

/* <meta ATTR="NAME" content="VALUE">, VALUE escaped. */
static void meta(ks_sb *out, const char *attr, const char *name, const char *value)
{
	ks_sb_puts(out, "<meta ");
	ks_sb_puts(out, attr);
	ks_sb_puts(out, "=\"");
	ks_sb_puts(out, name);
	ks_sb_puts(out, "\" content=\"");
	ks_sb_escape_xml(out, value);
	ks_sb_puts(out, "\">\n");
}

void ks_head_write(ks_request *req, const ks_head *head, ks_sb *out)
{
	char base[300];
	ks_base_url(req, base, sizeof base);
	ks_sb url = { 0 };
	ks_sb_puts(&url, base);
	ks_sb_puts(&url, head->path);

	ks_sb_puts(out, "<title>");
	ks_sb_escape_xml(out, head->title);
	ks_sb_puts(out, " – Kommunesøg</title>\n");
	if (head->description)
		meta(out, "name", "description", head->description);
	meta(out, "property", "og:title", head->title);
	if (head->description)
		meta(out, "property", "og:description", head->description);
	meta(out, "property", "og:type", head->og_type);
	meta(out, "property", "og:url", url.oom ? head->path : url.s);
	meta(out, "property", "og:site_name", "Kommunesøg");
	meta(out, "property", "og:locale", "da_DK");
	if (head->feed_sag) {
		/* The feed's title is the one the feed gives itself. */
		ks_sb_puts(out, "<link rel=\"alternate\" type=\"application/atom+xml\" "
				"title=\"Kommunesøg: sag ");
		ks_sb_escape_xml(out, head->feed_sag);
		ks_sb_puts(out, "\" href=\"/feed?sag=");
		ks_sb_escape_xml(out, head->feed_sag);
		ks_sb_puts(out, "\">\n");
	}
	ks_sb_free(&url);
}

void ks_page_put_head(ks_sb *out, const char *page, size_t len, const char *head)
{
	static const char open[] = "<title>", close[] = "</title>";
	const char *end = page + len, *t = NULL, *e = NULL;
	for (const char *p = page; p + sizeof open - 1 <= end; p++)
		if (!memcmp(p, open, sizeof open - 1)) {
			t = p;
			break;
		}
	for (const char *p = t; p && p + sizeof close - 1 <= end; p++)
		if (!memcmp(p, close, sizeof close - 1)) {
			e = p + sizeof close - 1;
			break;
		}
	if (!t || !e) {
		ks_sb_append(out, page, len);
		return;
	}
	ks_sb_append(out, page, (size_t)(t - page));
	/* The head's lines end in a line end, as the title's line did. */
	size_t hn = strlen(head);
	ks_sb_append(out, head,
		     hn > 0 && head[hn - 1] == '\n' && e < end && *e == '\n' ? hn - 1 : hn);
	ks_sb_append(out, e, (size_t)(end - e));
}

void ks_reply_html(ks_request *req, unsigned status)
{
	ks_sb_free(&req->body);
	if (req->fd >= 0)
		close(req->fd);
	req->fd = -1;
	req->cacheable = false;
	req->status = status;
	req->content_type = "text/html; charset=utf-8";
}

ks_status ks_reply_page_head(ks_request *req, const char *path, const ks_head *head)
{
	ks_status st = ks_reply_web_file(req, 200, path);
	if (st || req->fd < 0 || req->status != 200 || req->fd_size > KS_MAX_PAGE_BYTES)
		return st;
	size_t size = req->fd_size;
	char *page = malloc(size + 1);
	size_t got = 0;
	while (page && got < size) {
		ssize_t r = read(req->fd, page + got, size - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	if (!page || got != size) {
		/* The file as it is, from its start, rather than nothing. */
		bool oom = !page;
		free(page);
		if (lseek(req->fd, 0, SEEK_SET) == 0)
			return KS_OK;
		return oom ? KS_ERR_NOMEM
			   : ks_reply_failure(req, 503, "%s could not be read", path);
	}
	ks_sb h = { 0 };
	ks_head_write(req, head, &h);
	ks_reply_html(req, 200);
	ks_page_put_head(&req->body, page, size, h.oom ? "" : h.s);
	free(page);
	ks_sb_free(&h);
	return req->body.oom ? KS_ERR_NOMEM : KS_OK;
}
