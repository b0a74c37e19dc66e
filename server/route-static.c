/* route-static.c — the routes that send a file as it is: the search page
 * "/", every other file of --web, and the PDFs of --pdf-dir.  Every path
 * goes through one traversal-safe lookup (ks_reply_file in http.c). */
#include <string.h>
#include <strings.h>

#include "server.h"

ks_status ks_route_page_index(ks_request *req, const char *rest)
{
	(void)rest;
	return ks_reply_web_file(req, 200, "index.html");
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
