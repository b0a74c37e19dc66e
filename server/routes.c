/* routes.c — the one table of the server's routes. */
#include <string.h>

#include "server.h"

static const ks_route routes[] = {
	{ "GET", "/api/search", ks_route_search, false },
	{ "GET", "/api/suggest", ks_route_suggest, false },
	{ "GET", "/api/sag/", ks_route_api_sag, false },
	{ "GET", "/api/item/", ks_route_api_item, false },
	{ "GET", "/healthz", ks_route_healthz, false },
	{ "GET", "/feed", ks_route_feed, false },
	{ "GET", "/opensearch.xml", ks_route_opensearch, false },
	{ "GET", "/", ks_route_page_index, true },
	{ "GET", "/sag/", ks_route_page_sag, true },
	{ "GET", "/item/", ks_route_page_item, true },
	{ "GET", "/moede/", ks_route_page_moede, true },
	{ "GET", "/pdf/", ks_route_pdf, false },
	{ "GET", "/tilgaengelighed.html", ks_route_page_statement, true },
	/* Last: everything else is a file of --web. */
	{ "GET", NULL, ks_route_static, false },
};

const ks_route *ks_route_find(const char *path, const char **rest)
{
	const size_t n = sizeof routes / sizeof *routes;
	for (size_t i = 0; i + 1 < n; i++) {
		const char *p = routes[i].path;
		size_t len = strlen(p);
		bool prefix = len > 1 && p[len - 1] == '/';
		if (prefix ? !strncmp(path, p, len) : !strcmp(path, p)) {
			*rest = path + (prefix ? len : strlen(path));
			return &routes[i];
		}
	}
	*rest = path;
	return &routes[n - 1];
}
