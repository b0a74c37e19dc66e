/* test-request.c — the checks every request passes (server/request.c) and
 * the parameter checks of the search (server/route-search.c): each refused
 * request's status and the API's JSON error that says why.
 *
 *   test-request CORPUS_DIR WEB_DIR */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "conn-stub.h"
#include "ks-limits.h"
#include "server-fixtures.h"

/* Whether METHOD TARGET is answered STATUS with a JSON error whose message
 * contains MESSAGE. */
static void check_error(const char *method, const char *target, unsigned status,
			const char *message)
{
	answer *a = ask(method, target);
	CHECK(a->req.status == status);
	CHECK_STR(a->req.content_type, "application/json; charset=utf-8");
	CHECK_CONTAINS(error_message(a), message);
	if (a->req.status != status)
		fprintf(stderr, "  %s %.60s: %u %s\n", method, target, a->req.status, a->body);
	answer_free(a);
}

static void test_method(void)
{
	check_error("POST", "/api/search?q=x", 405, "method POST is not allowed: use GET or HEAD");
	check_error("DELETE", "/", 405, "method DELETE is not allowed");
	/* A method of any bytes is shown printable. */
	check_error("G\x01T", "/", 405, "method G\\x01T is not allowed");
	answer *a = ask("HEAD", "/healthz");
	CHECK(a->req.status == 200);
	answer_free(a);
}

static void test_headers(void)
{
	static const char *const body[] = { "Host", "x", "Content-Length", "5", NULL };
	conn_stub_headers(body);
	check_error("GET", "/healthz", 413, "a GET request takes no body");
	static const char *const chunked[] = { "Host", "x", "Transfer-Encoding", "chunked", NULL };
	conn_stub_headers(chunked);
	check_error("GET", "/healthz", 413, "takes no body");
	static const char *const two_hosts[] = { "Host", "x", "host", "y", NULL };
	conn_stub_headers(two_hosts);
	answer *a = ask("GET", "/healthz");
	CHECK(a->req.status == 400 && a->req.close);
	CHECK_CONTAINS(error_message(a), "more than one Host header");
	answer_free(a);
	static const char *const no_host[] = { NULL };
	conn_stub_headers(no_host);
	check_error("GET", "/healthz", 400, "an HTTP/1.1 request needs a Host header");
	static char big[KS_MAX_HEADER_BYTES + 2];
	memset(big, 'a', sizeof big - 1);
	const char *const large[] = { "Host", "x", "X-Big", big, NULL };
	conn_stub_headers(large);
	check_error("GET", "/healthz", 431, "the request headers are too large");
	conn_stub_headers(NULL);
}

static void test_sizes_and_text(void)
{
	char *url = malloc(KS_MAX_URL_BYTES + 32);
	strcpy(url, "/api/search?q=");
	size_t n = strlen(url);
	memset(url + n, 'a', KS_MAX_URL_BYTES);
	url[n + KS_MAX_URL_BYTES] = '\0';
	check_error("GET", url, 414, "the URL is too long: at most 8192 bytes");
	free(url);
	check_error("GET", "/api/item/a%00b", 400, "the path is not valid UTF-8 text");
	check_error("GET", "/api/item/%ff", 400, "the path is not valid UTF-8 text");
	check_error("GET", "/api/search?q=%ff%fe", 400, "parameter q is not valid UTF-8 text");
	check_error("GET", "/api/search?%ff=1", 400, "parameter (name) is not valid UTF-8 text");
	/* A page's error is a page, not JSON. */
	answer *a = ask("GET", "/sag/%ff");
	CHECK(a->req.status == 400);
	CHECK_CONTAINS(a->req.content_type, "text/html");
	answer_free(a);
}

static void test_parameters(void)
{
	static const struct {
		const char *target, *message;
	} cases[] = {
		{ "/api/search?q=x&type=møde", "type must be punkt or budget" },
		{ "/api/search?year=20x5", "year must be a year such as 2025" },
		{ "/api/search?sag=abc", "sag must be a case number such as 25-002452" },
		{ "/api/search?from=2025-13-01", "from must be a date YYYY-MM-DD" },
		{ "/api/search?to=2025-1-1", "to must be a date YYYY-MM-DD" },
		{ "/api/search?from=2025-02-01&to=2025-01-01",
		  "from (2025-02-01) is after to (2025-01-01)" },
		{ "/api/search?lukket=ja", "lukket must be true or false" },
		{ "/api/search?format=xml", "format must be json, csv or xlsx" },
		{ "/api/search?page=0", "page must be a whole number from 1" },
		{ "/api/search?page=x", "page must be a whole number from 1" },
		{ "/api/search?per_page=-1", "per_page must be a whole number from 1" },
		{ "/api/sag/abc", "" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
		check_error("GET", cases[i].target, 400, cases[i].message);
	char q[KS_MAX_QUERY_BYTES + 32] = "/api/search?q=";
	memset(q + strlen(q), 'b', KS_MAX_QUERY_BYTES + 1);
	check_error("GET", q, 400, "q is too long: 1025 bytes, at most 1024");
}

int main(int argc, char **argv)
{
	if (argc != 3 || !server_start(argv[1], argv[2]))
		return 2;
	RUN(test_method);
	RUN(test_headers);
	RUN(test_sizes_and_text);
	RUN(test_parameters);
	server_stop();
	return check_summary();
}
