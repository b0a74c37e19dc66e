/* routes.c — the one table of the server's routes. */
#include <string.h>

#include "server.h"

static const ks_route routes[] = {
	{ "GET", "/api/search", ks_route_search },
	{ "GET", "/api/sag/", ks_route_api_sag },
	{ "GET", "/api/item/", ks_route_api_item },
	{ "GET", "/healthz", ks_route_healthz },
	{ "GET", "/feed", ks_route_feed },
	{ "GET", "/opensearch.xml", ks_route_opensearch },
	{ "GET", "/", ks_route_page_index },
	{ "GET", "/sag/", ks_route_page_sag },
	{ "GET", "/item/", ks_route_page_item },
	/* Last: everything else is a file of --web. */
	{ "GET", NULL, ks_route_static },
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
