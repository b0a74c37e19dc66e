/* request.c — what the server does with a request once libmicrohttpd has
 * read it: refuse it (method, headers, a body), check it (length, NUL,
 * UTF-8), and answer it by its route with the calling thread's reader.
 * Nothing here calls libmicrohttpd directly: the request's parameters and
 * headers come through conn.c, so that the fuzzers (tests/fuzz/) run this
 * very code on requests they make up. */
#include <stdio.h>
#include <string.h>

#include "ks-limits.h"
#include "reader.h"
#include "server.h"

/* Answers 400 with the message of FMT and closes the connection: the
 * request's framing is in doubt, and whatever follows on the connection
 * may be read as another request by us and as this one's body by a proxy
 * in front, or the other way round (request smuggling).  nginx answers
 * these with 400 too. */
static bool refuse_framing(ks_request *req, const char *fmt, const char *name)
{
	ks_reply_error(req, MHD_HTTP_BAD_REQUEST, fmt, name);
	req->close = true;
	return true;
}

bool ks_request_refused(ks_request *req, const char *method, const char *version)
{
	if (ks_header_bytes(req) > KS_MAX_HEADER_BYTES) {
		ks_reply_error(req, MHD_HTTP_REQUEST_HEADER_FIELDS_TOO_LARGE,
			       "the request headers are too large: at most %d bytes",
			       KS_MAX_HEADER_BYTES);
		return true;
	}
	/* libmicrohttpd reads the body by the first Content-Length; a proxy
	 * may take the last. */
	static const char *const once[] = { MHD_HTTP_HEADER_CONTENT_LENGTH, MHD_HTTP_HEADER_HOST };
	for (size_t i = 0; i < sizeof once / sizeof *once; i++)
		if (ks_header_count(req, once[i]) > 1)
			return refuse_framing(req, "the request has more than one %s header",
					      once[i]);
	/* HTTP/1.1 requires Host (RFC 9112, 3.2); HTTP/1.0 has none. */
	if (strcmp(version, MHD_HTTP_VERSION_1_0) && !ks_header(req, MHD_HTTP_HEADER_HOST))
		return refuse_framing(req, "an HTTP/1.1 request needs a %s header",
				      MHD_HTTP_HEADER_HOST);
	if (strcmp(method, "GET") && strcmp(method, "HEAD")) {
		/* The method as sent, which may hold any byte. */
		char shown[64];
		ks_printable(shown, sizeof shown, method, strlen(method), true);
		ks_reply_error(req, MHD_HTTP_METHOD_NOT_ALLOWED,
			       "method %s is not allowed: use GET or HEAD", shown);
		return true;
	}
	const char *len = ks_header(req, MHD_HTTP_HEADER_CONTENT_LENGTH);
	if ((len && strcmp(len, "0")) || ks_header(req, MHD_HTTP_HEADER_TRANSFER_ENCODING)) {
		ks_reply_error(req, MHD_HTTP_CONTENT_TOO_LARGE, "a %s request takes no body",
			       method);
		return true;
	}
	return false;
}

/* A parameter that is not valid UTF-8 (or holds a NUL): its name. */
static bool check_param(void *cls, const char *key, size_t key_size, const char *value,
			size_t value_size)
{
	const char **bad = cls;
	if (!ks_utf8_valid(key, key_size) || (value && !ks_utf8_valid(value, value_size))) {
		*bad = key;
		return false;
	}
	return true;
}

bool ks_request_check(ks_request *req, const char **rest)
{
	const char *bad = NULL;
	req->route = ks_route_find(req->path, rest);
	if (strlen(req->uri) > KS_MAX_URL_BYTES) {
		ks_reply_failure(req, MHD_HTTP_URI_TOO_LONG,
				 "the URL is too long: at most %d bytes", KS_MAX_URL_BYTES);
		return true;
	}
	/* libmicrohttpd decodes %00 into a NUL that would cut the path or a
	 * parameter short, and hands bytes on as they came. */
	size_t path_len = strcspn(req->uri, "?");
	if (memmem(req->uri, path_len, "%00", 3) || !ks_utf8_valid(req->path, strlen(req->path))) {
		ks_reply_failure(req, MHD_HTTP_BAD_REQUEST, "the path is not valid UTF-8 text");
		return true;
	}
	ks_each_param(req, check_param, &bad);
	if (bad) {
		ks_reply_failure(req, MHD_HTTP_BAD_REQUEST, "parameter %s is not valid UTF-8 text",
				 ks_utf8_valid(bad, strlen(bad)) ? bad : "(name)");
		return true;
	}
	return false;
}

/* The path of a request that the index failed, and the binding's message,
 * on stderr; both escaped as the access log's path is (the path may hold
 * any character a client percent-encoded). */
static void log_failure(ks_request *req)
{
	const char *why = ks_db_error(req->db);
	char path[256], message[512];
	ks_printable(path, sizeof path, req->path, strlen(req->path), true);
	ks_printable(message, sizeof message, why, strlen(why), false);
	fprintf(stderr, "kommunesoeg-server: %s: %s\n", path, message);
}

bool ks_request_stop(void *req)
{
	ks_request *r = req;
	return atomic_load(&r->server->cancel) || ks_client_gone(r);
}

/* N with a dot between thousands, as Danish writes it ("1.024"). */
static void danish_number(char *buf, size_t size, unsigned n)
{
	char digits[16];
	int len = snprintf(digits, sizeof digits, "%u", n);
	size_t o = 0;
	for (int i = 0; i < len && o + 2 < size; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			buf[o++] = '.';
		buf[o++] = digits[i];
	}
	buf[o] = '\0';
}

/* Answers a search that was stopped or refused for what it would cost
 * (ST): the client's to narrow, said in Danish as the search page shows it;
 * or, when the server stopped it, what happened. */
static void answer_stopped(ks_request *req, ks_status st)
{
	char n[16];
	if (st == KS_ERR_TOO_BROAD) {
		danish_number(n, sizeof n, KS_MAX_QUERY_EXPANSION);
		ks_reply_failure(
			req, MHD_HTTP_BAD_REQUEST,
			"Søgningen er for bred: ordene med * står tilsammen for mere end "
			"%s forskellige ord. Skriv flere bogstaver før *, eller brug færre "
			"ord med *.",
			n);
	} else if (st == KS_ERR_TIMEOUT) {
		unsigned ms = req->server->search_ms;
		if (ms % 1000 == 0)
			danish_number(n, sizeof n, ms / 1000);
		else
			danish_number(n, sizeof n, ms);
		ks_reply_failure(req, MHD_HTTP_BAD_REQUEST,
				 "Søgningen tog for lang tid (over %s %s) og blev stoppet. Gør den "
				 "smallere: færre ord med *, færre OR eller kortere fraser, eller "
				 "et filter.",
				 n,
				 ms % 1000    ? "millisekunder"
				 : ms == 1000 ? "sekund"
					      : "sekunder");
	} else if (atomic_load(&req->server->cancel)) {
		ks_reply_failure(req, MHD_HTTP_SERVICE_UNAVAILABLE, "the server is stopping");
	} else {
		/* The client has gone: this goes nowhere but to the log,
		 * with nginx's status for it. */
		ks_reply_failure(req, 499, "the client closed the connection");
	}
}

void ks_request_answer(ks_request *req, const char *rest)
{
	/* A request waits in the queue for a search thread: its client may
	 * have gone meanwhile, or the server be stopping. */
	if (ks_request_stop(req)) {
		answer_stopped(req, KS_ERR_CANCELLED);
		return;
	}
	const char *why = "no index";
	for (int attempt = 0; attempt < 3; attempt++) {
		if (!(req->db = ks_reader_get(req->server, &why)))
			break;
		ks_status st = req->route->handler(req, rest);
		if (st == KS_OK)
			return;
		if (st == KS_ERR_TOO_BROAD || st == KS_ERR_TIMEOUT || st == KS_ERR_CANCELLED) {
			answer_stopped(req, st);
			return;
		}
		if (st == KS_ERR_INVALID) {
			/* A value the route passed on unchecked: the client's
			 * mistake, said in the binding's words. */
			ks_reply_failure(req, MHD_HTTP_BAD_REQUEST, "%s", ks_db_error(req->db));
			return;
		}
		if (st == KS_ERR_NETWORK) {
			/* A shard's xapian-tcpsrv went away (restarted, say):
			 * connect anew, and answer 503 while it stays away. */
			log_failure(req);
			why = ks_status_str(st);
			ks_reader_forget();
			continue;
		}
		if (!ks_status_retry(st)) {
			log_failure(req);
			why = ks_status_str(st);
			break;
		}
		ks_reader_reopen(req->server);
	}
	ks_reply_failure(req, MHD_HTTP_SERVICE_UNAVAILABLE, "the index is unavailable: %s", why);
}

bool ks_export_take(ks_request *req)
{
	ks_server *server = (ks_server *)req->server;
	if (req->export_slot || !server->export_slots)
		return true;
	unsigned taken = atomic_load(&server->exports);
	do {
		if (taken >= server->export_slots) {
			ks_reply_error(req, MHD_HTTP_SERVICE_UNAVAILABLE,
				       "Der laves allerede så mange eksporter, som søgningen kan "
				       "klare ad gangen. Prøv igen om lidt.");
			snprintf(req->retry_after, sizeof req->retry_after, "%d",
				 KS_EXPORT_RETRY_SECONDS);
			return false;
		}
	} while (!atomic_compare_exchange_weak(&server->exports, &taken, taken + 1));
	req->export_slot = true;
	return true;
}

void ks_export_release(ks_request *req)
{
	if (!req->export_slot)
		return;
	req->export_slot = false;
	atomic_fetch_sub(&((ks_server *)req->server)->exports, 1);
}
