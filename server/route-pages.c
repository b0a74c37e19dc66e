/* route-pages.c — the HTML pages and the files of --web: the search page,
 * the case page /sag/{nr} that intranet pages link to, the item page, the
 * OpenSearch description, and every other static file.  The pages are the
 * front end's files; the server checks what the URL names first, so a
 * malformed or unknown case or id is a 4xx page that never echoes it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "server.h"
#include "validate.h"

ks_status ks_route_page_index(ks_request *req, const char *rest)
{
	(void)rest;
	return ks_reply_web_file(req, 200, "index.html");
}

ks_status ks_route_page_sag(ks_request *req, const char *rest)
{
	char sag[KS_SAGSNUMMER_SIZE];
	if (!ks_sagsnummer_parse(rest, sag))
		return ks_reply_error_page(req, 400, "Ugyldigt sagsnummer",
					   "Et sagsnummer har formen 25-002452 eller 21-046835K.");
	bool exists = false;
	ks_status st = ks_db_has_term(req->db, KS_FIELD_SAG, sag, &exists);
	if (st)
		return st;
	if (!exists) {
		char message[128];
		snprintf(message, sizeof message,
			 "Der er intet punkt med sagsnummer %s i søgningens dokumenter.", sag);
		char title[64];
		snprintf(title, sizeof title, "Sag %s findes ikke", sag);
		return ks_reply_error_page(req, 404, title, message);
	}
	return ks_reply_web_file(req, 200, "sag.html");
}

ks_status ks_route_page_item(ks_request *req, const char *rest)
{
	bool exists = false;
	if (ks_valid_id(rest)) {
		ks_status st = ks_db_has_term(req->db, KS_FIELD_ID, rest, &exists);
		if (st)
			return st;
	}
	if (!exists)
		return ks_reply_error_page(req, 404, "Punktet findes ikke",
					   "Der er intet dagsordenspunkt eller budgetafsnit med "
					   "denne adresse. Det kan være fjernet fra søgningen.");
	return ks_reply_web_file(req, 200, "item.html");
}

/* The OpenSearch description (opensearch.org, 1.1): lets a browser add
 * Kommunesøg as a search engine.  Its URL templates must be absolute. */
ks_status ks_route_opensearch(ks_request *req, const char *rest)
{
	(void)rest;
	char base[300];
	ks_base_url(req, base, sizeof base);
	ks_sb *b = &req->body;
	ks_sb_free(b);
	ks_sb_puts(b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
		      "<OpenSearchDescription xmlns=\"http://a9.com/-/spec/opensearch/1.1/\">\n"
		      "<ShortName>Kommunesøg</ShortName>\n"
		      "<Description>Søg i kommunens referater og budgetbemærkninger</Description>\n"
		      "<InputEncoding>UTF-8</InputEncoding>\n"
		      "<Language>da</Language>\n");
	static const struct {
		const char *type, *path;
	} urls[] = {
		{ "text/html", "/?q={searchTerms}" },
		{ "application/atom+xml", "/feed?q={searchTerms}" },
		{ "application/json", "/api/search?q={searchTerms}" },
	};
	for (size_t i = 0; i < sizeof urls / sizeof *urls; i++) {
		ks_sb_puts(b, "<Url type=\"");
		ks_sb_puts(b, urls[i].type);
		ks_sb_puts(b, "\" template=\"");
		ks_sb_escape_xml(b, base);
		ks_sb_puts(b, urls[i].path);
		ks_sb_puts(b, "\"/>\n");
	}
	ks_sb_puts(b, "</OpenSearchDescription>\n");
	req->status = 200;
	req->content_type = "application/opensearchdescription+xml; charset=utf-8";
	return KS_OK;
}

ks_status ks_route_static(ks_request *req, const char *rest)
{
	(void)rest;
	return ks_reply_web_file(req, 200, req->path);
}

/* /pdf/FILE.pdf: the documents of --pdf-dir, for the item page's link to
 * the page an item starts on; only PDFs, by the same checks as --web. */
ks_status ks_route_pdf(ks_request *req, const char *rest)
{
	size_t n = strlen(rest);
	if (!req->server->pdf_dir || n < 5 || strcasecmp(rest + n - 4, ".pdf"))
		return ks_reply_failure(req, 404, "no such file");
	return ks_reply_file(req, 200, req->server->pdf_dir, rest);
}
