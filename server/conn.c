/* conn.c — a request's parameters and headers, as libmicrohttpd parsed
 * them.  The only place that reads them from a connection: the fuzzers
 * (tests/fuzz/) put their own in its place. */
#include <poll.h>
#include <strings.h>

#include "server.h"

const char *ks_param(ks_request *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *ks_header(ks_request *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

typedef struct each_param {
	ks_param_fn fn;
	void *cls;
} each_param;

static enum MHD_Result one_param(void *cls, enum MHD_ValueKind kind, const char *key,
				 size_t key_size, const char *value, size_t value_size)
{
	(void)kind;
	each_param *e = cls;
	return e->fn(e->cls, key, key_size, value, value_size) ? MHD_YES : MHD_NO;
}

void ks_each_param(ks_request *req, ks_param_fn fn, void *cls)
{
	each_param e = { fn, cls };
	MHD_get_connection_values_n(req->conn, MHD_GET_ARGUMENT_KIND, one_param, &e);
}

static enum MHD_Result add_size(void *cls, enum MHD_ValueKind kind, const char *key,
				size_t key_size, const char *value, size_t value_size)
{
	(void)kind, (void)key, (void)value;
	*(size_t *)cls += key_size + value_size;
	return MHD_YES;
}

size_t ks_header_bytes(ks_request *req)
{
	size_t bytes = 0;
	MHD_get_connection_values_n(req->conn, MHD_HEADER_KIND, add_size, &bytes);
	return bytes;
}

typedef struct header_count {
	const char *name;
	unsigned n;
} header_count;

static enum MHD_Result count_header(void *cls, enum MHD_ValueKind kind, const char *key,
				    const char *value)
{
	(void)kind, (void)value;
	header_count *c = cls;
	c->n += !strcasecmp(key, c->name);
	return MHD_YES;
}

unsigned ks_header_count(ks_request *req, const char *name)
{
	header_count c = { name, 0 };
	MHD_get_connection_values(req->conn, MHD_HEADER_KIND, count_header, &c);
	return c.n;
}

bool ks_client_gone(ks_request *req)
{
	const union MHD_ConnectionInfo *info =
		MHD_get_connection_info(req->conn, MHD_CONNECTION_INFO_CONNECTION_FD);
	if (!info)
		return false;
	/* A client that has hung up has shut its side: the socket reads as
	 * ended (POLLRDHUP) or has failed.  Nothing is read from it, so a
	 * request that a client sent after this one stays for libmicrohttpd. */
	struct pollfd p = { .fd = info->connect_fd, .events = POLLRDHUP };
	return poll(&p, 1, 0) > 0 && (p.revents & (POLLRDHUP | POLLHUP | POLLERR));
}
