/* route-statement.c — the accessibility statement /tilgaengelighed.html:
 * the file of --web with the contact and the date that the municipality
 * gave the server (--contact, --statement-date; the Debian package writes
 * them into /etc/default/kommunesoeg at install) where @CONTACT@ and
 * @STATEMENT_DATE@ stand. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ks-limits.h"
#include "server.h"

static const char *const months[] = { "januar",    "februar", "marts",    "april",
				      "maj",       "juni",    "juli",     "august",
				      "september", "oktober", "november", "december" };

bool ks_contact_valid(const char *contact)
{
	size_t n = strlen(contact);
	if (n == 0 || n > KS_MAX_CONTACT_BYTES || contact[strcspn(contact, " \t\r\n<>\"'\\`")])
		return false;
	if (!strncmp(contact, "https://", 8) || !strncmp(contact, "http://", 7))
		return strlen(strchr(contact, ':') + 3) > 0;
	const char *at = strchr(contact, '@');
	return at && at > contact && at[1] && !strchr(at + 1, '@') && strchr(at + 1, '.');
}

/* The contact as a link: a web page as it is, an e-mail address with
 * mailto:.  Without --contact, the words the statement had before there
 * was one. */
static void put_contact(ks_sb *out, const char *contact)
{
	if (!contact) {
		ks_sb_puts(out, "kommunens webredaktion eller IT-afdeling");
		return;
	}
	bool web = strncmp(contact, "http", 4) == 0;
	ks_sb_puts(out, web ? "<a href=\"" : "<a href=\"mailto:");
	ks_sb_escape_xml(out, contact);
	ks_sb_puts(out, "\">");
	ks_sb_escape_xml(out, contact);
	ks_sb_puts(out, "</a>");
}

/* "4. december 2026"; without --statement-date a word that it is missing,
 * for whoever runs the server to see. */
static void put_date(ks_sb *out, const char *date)
{
	int y, m, d;
	if (!date || sscanf(date, "%4d-%2d-%2d", &y, &m, &d) != 3) {
		ks_sb_puts(out, "(ikke angivet: kommunesoeg-server --statement-date)");
		return;
	}
	char text[64];
	snprintf(text, sizeof text, "%d. %s %d", d, months[m - 1], y);
	ks_sb_puts(out, text);
}

ks_status ks_route_page_statement(ks_request *req, const char *rest)
{
	(void)rest;
	char path[4096];
	snprintf(path, sizeof path, "%s/tilgaengelighed.html", req->server->web);
	FILE *f = fopen(path, "r");
	ks_sb page = { 0 };
	if (f) {
		char buf[8192];
		size_t n;
		while ((n = fread(buf, 1, sizeof buf, f)) > 0)
			ks_sb_append(&page, buf, n);
		fclose(f);
	}
	if (!f || page.oom) {
		ks_sb_free(&page);
		return ks_reply_failure(req, f ? 503 : 404, "no accessibility statement");
	}
	ks_reply_begin(req, 200, "text/html; charset=utf-8");
	static const char contact_mark[] = "@CONTACT@", date_mark[] = "@STATEMENT_DATE@";
	const char *p = page.s;
	for (;;) {
		const char *c = strstr(p, contact_mark), *d = strstr(p, date_mark);
		const char *at = c && (!d || c < d) ? c : d;
		if (!at)
			break;
		ks_sb_append(&req->body, p, (size_t)(at - p));
		if (at == c)
			put_contact(&req->body, req->server->contact);
		else
			put_date(&req->body, req->server->statement_date);
		p = at + (at == c ? sizeof contact_mark : sizeof date_mark) - 1;
	}
	ks_sb_puts(&req->body, p);
	ks_sb_free(&page);
	return KS_OK;
}
