/* route-opensearch.c — GET /opensearch.xml, the OpenSearch description
 * (opensearch.org, 1.1): lets a browser add Kommunesøg as a search engine. */
#include "server.h"

/* Its URL templates must be absolute: the Host of the request. */
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
	/* The suggestions (rel="suggestions") complete what is typed in a
	 * browser's address bar. */
	static const struct {
		const char *rel, *type, *path;
	} urls[] = {
		{ "results", "text/html", "/?q={searchTerms}" },
		{ "results", "application/atom+xml", "/feed?q={searchTerms}" },
		{ "results", "application/json", "/api/search?q={searchTerms}" },
		{ "suggestions", "application/x-suggestions+json",
		  "/api/suggest?q={searchTerms}&amp;format=opensearch" },
	};
	for (size_t i = 0; i < sizeof urls / sizeof *urls; i++) {
		ks_sb_puts(b, "<Url rel=\"");
		ks_sb_puts(b, urls[i].rel);
		ks_sb_puts(b, "\" type=\"");
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
