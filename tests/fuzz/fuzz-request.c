/* fuzz-request.c — libFuzzer targets for the server's request handling:
 * the checks that every request passes (server/request.c), the routing
 * (server/routes.c), the parameter checks of each route and the routes
 * themselves, over a real index (KS_FUZZ_DB) and a real --web directory
 * (KS_FUZZ_WEB).
 *
 * libmicrohttpd's part — splitting the request target into path and
 * parameters and percent-decoding them with its own MHD_http_unescape — is
 * done as it does it by tests/unit/conn-stub.c, which stands in for
 * server/conn.c, the only file of the server that reads a connection.
 *
 * Built twice:
 *   fuzz-route  (KS_FUZZ_ROUTE): the input is the request target as sent,
 *               path and query string;
 *   fuzz-query  the input is the query string of /api/search, or of /feed
 *               when its first byte is '!', so that the fuzzer spends its
 *               time on parameter sets rather than paths.
 *
 * Whatever the input: never a 5xx, a JSON answer is valid JSON (an error
 * names what was wrong) without a raw '<', '>' or '&', every body is valid
 * UTF-8, an XML or HTML one holds no character XML 1.0 forbids, and a file
 * served lies inside --web. */
#include <ctype.h>
#include <limits.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conn-stub.h"
#include "reader.h"
#include "server.h"

static ks_server server;

/* --- the checks ---------------------------------------------------------- */

static void fail(const ks_request *req, const char *what)
{
	int n = req->body.n > 300 ? 300 : (int)req->body.n;
	fprintf(stderr, "fuzz-request: %s: %s: status %u, content type %s, body %.*s\n", what,
		req->uri, req->status, req->content_type ? req->content_type : "(none)", n,
		req->body.s ? req->body.s : "");
	abort();
}

/* Whatever came in: text out is valid UTF-8, JSON has no raw markup
 * (ks_sb_put_json), and XML no character XML 1.0 forbids. */
static void check_body(const ks_request *req, const char *body, size_t size)
{
	if (!ks_utf8_valid(body, size))
		fail(req, "a body that is not valid UTF-8");
	bool xml = strstr(req->content_type, "xml") || !strncmp(req->content_type, "text/html", 9);
	for (size_t i = 0; xml && i < size;) {
		size_t len;
		unsigned cp = ks_utf8_get(body + i, &len);
		if ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0xFFFE ||
		    cp == 0xFFFF)
			fail(req, "XML with a character XML 1.0 forbids");
		i += len;
	}
	if (!strncmp(req->content_type, "application/json", 16)) {
		if (strpbrk(body, "<>&"))
			fail(req, "JSON with a raw '<', '>' or '&'");
		cJSON *json = cJSON_ParseWithLength(body, size);
		if (!json)
			fail(req, "JSON that does not parse");
		if (req->status >= 400) {
			cJSON *error = cJSON_GetObjectItemCaseSensitive(json, "error");
			cJSON *message = cJSON_GetObjectItemCaseSensitive(error, "message");
			if (!cJSON_IsString(message) || !*message->valuestring)
				fail(req, "an error without a message");
		}
		cJSON_Delete(json);
	}
}

/* The body of an export, which the server writes to an unlinked temporary
 * file (route-search.c) and sends from it: read back, NUL-terminated, and
 * checked as any body. */
static void check_export(const ks_request *req, size_t size)
{
	char *body = malloc(size + 1);
	size_t got = 0;
	while (body && got < size) {
		ssize_t n = pread(req->fd, body + got, size - got, (off_t)got);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	if (!body || got != size || size != req->fd_size)
		fail(req, "an export that cannot be read back whole");
	body[size] = '\0';
	/* A CSV as a Danish Excel opens it (a byte order mark, ';'), or an
	 * xlsx workbook (a zip file). */
	static const char csv_head[] = "\xef\xbb\xbfid;type;title;";
	static const char zip_head[] = "PK\x03\x04";
	const bool csv = !strncmp(req->content_type, "text/csv", 8) &&
			 !strncmp(body, csv_head, sizeof csv_head - 1);
	const bool xlsx = !strcmp(req->content_type, "application/vnd.openxmlformats-"
						    "officedocument.spreadsheetml.sheet") &&
			  size >= sizeof zip_head - 1 && !memcmp(body, zip_head, sizeof zip_head - 1);
	if (!csv && !xlsx)
		fail(req, "a temporary file that is no export");
	if (csv)
		check_body(req, body, size);
	free(body);
}

static void check_response(const ks_request *req)
{
	if (req->status < 200 || req->status >= 500)
		fail(req, "not a 2xx, 3xx or 4xx");
	if (!req->content_type)
		fail(req, "no content type");
	if (req->fd >= 0) {
		struct stat st;
		if (fstat(req->fd, &st))
			fail(req, "a file served that cannot be looked at");
		if (st.st_nlink == 0 && !req->cacheable) {
			check_export(req, (size_t)st.st_size);
			return;
		}
		/* Otherwise a file of --web, and nothing else. */
		char link[64], real[PATH_MAX];
		snprintf(link, sizeof link, "/proc/self/fd/%d", req->fd);
		ssize_t n = readlink(link, real, sizeof real - 1);
		size_t wlen = strlen(server.web);
		if (n <= 0)
			fail(req, "a file served that cannot be named");
		real[n] = '\0';
		if (strncmp(real, server.web, wlen) || real[wlen] != '/')
			fail(req, "a file outside --web served");
		return;
	}
	check_body(req, req->body.s ? req->body.s : "", req->body.n);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	static const char *dbs[1];
	const char *db = getenv("KS_FUZZ_DB"), *web = getenv("KS_FUZZ_WEB");
	if (!db || !web) {
		fputs("fuzz-request: set KS_FUZZ_DB (an index) and KS_FUZZ_WEB (a web "
		      "directory); tests/fuzz/run-fuzz.sh does\n",
		      stderr);
		exit(2);
	}
	dbs[0] = db;
	server.dbs = dbs;
	server.n_dbs = 1;
	if (!(server.web = realpath(web, NULL))) {
		perror(web);
		exit(2);
	}
	atomic_init(&server.generation, 0);
	const char *why = NULL;
	if (ks_readers_init() || !ks_reader_get(&server, &why)) {
		fprintf(stderr, "fuzz-request: cannot open %s: %s\n", db, why ? why : "?");
		exit(2);
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* The request target as the request line carries it: it ends at a
	 * space, CR, LF or NUL. */
	size_t n = 0;
	while (n < size && data[n] && data[n] != ' ' && data[n] != '\r' && data[n] != '\n')
		n++;
#ifdef KS_FUZZ_ROUTE
	const char *prefix = "";
#else
	bool feed = n && data[0] == '!';
	const char *prefix = feed ? "/feed?" : "/api/search?";
	if (feed)
		data++, n--;
#endif
	size_t plen = strlen(prefix);
	char *target = malloc(plen + n + 1), *copy = malloc(plen + n + 1);
	if (!target || !copy)
		abort();
	memcpy(target, prefix, plen);
	memcpy(target + plen, data, n);
	target[plen + n] = '\0';
	memcpy(copy, target, plen + n + 1);

	/* libmicrohttpd: the path decoded, the query string split. */
	char *path = conn_stub_target(copy);

	ks_request req = { .server = &server, .path = path, .uri = target, .fd = -1 };
	const char *rest = NULL;
	if (!ks_request_refused(&req, "GET", "HTTP/1.1") && !ks_request_check(&req, &rest))
		ks_request_answer(&req, rest);
	check_response(&req);

	ks_sb_free(&req.body);
	if (req.fd >= 0)
		close(req.fd);
	free(target);
	free(copy);
	return 0;
}
