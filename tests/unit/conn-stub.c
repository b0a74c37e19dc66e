/* conn-stub.c — server/conn.c's accessors over the request made up by
 * conn_stub_target() and conn_stub_headers() (see conn-stub.h). */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "conn-stub.h"
#include "server.h"

#define MAX_PARAMS 64

typedef struct param {
	char *key, *value; /* VALUE NULL: a name without '=' */
} param;

/* The parameters and headers of the request being run (one at a time). */
static param params[MAX_PARAMS];
static size_t n_params;

static const char *const default_headers[] = { "Host", "localhost:8080", NULL };
static const char *const *headers = default_headers;

void conn_stub_headers(const char *const *given)
{
	headers = given ? given : default_headers;
}

/* '+' is a space in a query string (and only there). */
static void unescape_plus(char *s)
{
	for (; *s; s++)
		if (*s == '+')
			*s = ' ';
}

char *conn_stub_target(char *target)
{
	char *query = strchr(target, '?');
	if (query)
		*query++ = '\0';
	MHD_http_unescape(target);
	n_params = 0;
	for (char *p = query; p && *p && n_params < MAX_PARAMS;) {
		char *amp = strchr(p, '&');
		if (amp)
			*amp = '\0';
		char *eq = strchr(p, '=');
		if (eq)
			*eq = '\0';
		unescape_plus(p);
		MHD_http_unescape(p);
		if (eq) {
			unescape_plus(eq + 1);
			MHD_http_unescape(eq + 1);
		}
		params[n_params++] = (param){ p, eq ? eq + 1 : NULL };
		p = amp ? amp + 1 : NULL;
	}
	return target;
}

const char *ks_param(ks_request *req, const char *name)
{
	(void)req;
	for (size_t i = 0; i < n_params; i++)
		if (!strcasecmp(params[i].key, name))
			return params[i].value;
	return NULL;
}

const char *ks_header(ks_request *req, const char *name)
{
	(void)req;
	for (size_t i = 0; headers[i]; i += 2)
		if (!strcasecmp(headers[i], name))
			return headers[i + 1];
	return NULL;
}

void ks_each_param(ks_request *req, ks_param_fn fn, void *cls)
{
	(void)req;
	for (size_t i = 0; i < n_params; i++)
		if (!fn(cls, params[i].key, strlen(params[i].key), params[i].value,
			params[i].value ? strlen(params[i].value) : 0))
			return;
}

size_t ks_header_bytes(ks_request *req)
{
	(void)req;
	size_t n = 0;
	for (size_t i = 0; headers[i]; i += 2)
		n += strlen(headers[i]) + strlen(headers[i + 1]);
	return n;
}

unsigned ks_header_count(ks_request *req, const char *name)
{
	(void)req;
	unsigned n = 0;
	for (size_t i = 0; headers[i]; i += 2)
		n += !strcasecmp(headers[i], name);
	return n;
}

bool ks_client_gone(ks_request *req)
{
	(void)req;
	return false;
}
