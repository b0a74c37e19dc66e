/* test-routes.c — every route of the server (server/routes.c) answered by
 * its own code over an index of corpus/: its status, content type and the
 * fields that say it answered the request it was given.
 *
 *   test-routes CORPUS_DIR WEB_DIR */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "server-fixtures.h"

/* METHOD-less GET of TARGET; a failed check when it is not STATUS and
 * TYPE (a prefix of the content type). */
static answer *get(const char *target, unsigned status, const char *type)
{
	answer *a = ask("GET", target);
	CHECK(a->req.status == status);
	CHECK(a->req.content_type && !strncmp(a->req.content_type, type, strlen(type)));
	if (a->req.status != status)
		fprintf(stderr, "  GET %s: %u %.200s\n", target, a->req.status, a->body);
	return a;
}

static double number(const cJSON *j, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, name);
	return cJSON_IsNumber(v) ? v->valuedouble : -1;
}

/* The id and case number of the first result of a search for hjemløshed. */
static char first_id[64], first_sag[32];

static void test_search(void)
{
	answer *a = get("/api/search?q=hjeml%C3%B8shed&facets=true", 200, "application/json");
	CHECK_STR(ks_record_str(a->json, "query"), "hjemløshed");
	CHECK(number(a->json, "total") > 0 && number(a->json, "page") == 1);
	cJSON *results = cJSON_GetObjectItemCaseSensitive(a->json, "results");
	CHECK(cJSON_GetArraySize(results) > 0);
	cJSON *r = cJSON_GetArrayItem(results, 0);
	snprintf(first_id, sizeof first_id, "%s",
		 ks_record_str(r, "id") ? ks_record_str(r, "id") : "");
	snprintf(first_sag, sizeof first_sag, "%s",
		 ks_record_str(r, "sagsnummer") ? ks_record_str(r, "sagsnummer") : "");
	CHECK(*first_id && *first_sag);
	CHECK_CONTAINS(ks_record_str(r, "snippet"), "<mark>");
	answer_free(a);

	/* Nothing found is a 200 with no results. */
	a = get("/api/search?q=zzzqqqxxx", 200, "application/json");
	CHECK(number(a->json, "total") == 0);
	answer_free(a);

	/* The export: CSV with its count. */
	a = get("/api/search?q=hjeml%C3%B8shed&format=csv", 200, "text/csv");
	CHECK(!strncmp(a->body, "\xEF\xBB\xBFid;type;title;", 17));
	CHECK(atoi(a->req.total_count) > 0);
	CHECK_CONTAINS(a->req.disposition, "attachment");
	answer_free(a);
}

static void test_sag_and_item(void)
{
	char target[128];
	snprintf(target, sizeof target, "/api/sag/%s", first_sag);
	answer *a = get(target, 200, "application/json");
	CHECK_CONTAINS(a->body, first_id);
	answer_free(a);
	a = get("/api/sag/99-999999", 404, "application/json");
	CHECK_CONTAINS(error_message(a), "no item has case number 99-999999");
	answer_free(a);

	snprintf(target, sizeof target, "/api/item/%s", first_id);
	a = get(target, 200, "application/json");
	CHECK_STR(ks_record_str(a->json, "id"), first_id);
	CHECK_STR(ks_record_str(a->json, "sagsnummer"), first_sag);
	CHECK(cJSON_HasObjectItem(a->json, "beslutning"));
	answer_free(a);
	a = get("/api/item/nope", 404, "application/json");
	CHECK_STR(error_message(a), "no item has id nope");
	answer_free(a);
}

static void test_feed_and_health(void)
{
	answer *a = get("/feed?q=budget", 200, "application/atom+xml");
	CHECK_CONTAINS(a->body, "<feed xmlns=\"http://www.w3.org/2005/Atom\"");
	CHECK_CONTAINS(a->body, "<entry>");
	CHECK_CONTAINS(a->body, "http://localhost:8080/item/");
	answer_free(a);

	a = get("/healthz", 200, "application/json");
	CHECK_STR(ks_record_str(a->json, "status"), "ok");
	CHECK(number(a->json, "documents") == 65);
	CHECK_STR(ks_record_str(a->json, "updated"), "2025-11-20T08:00:00Z");
	answer_free(a);

	a = get("/opensearch.xml", 200, "application/opensearchdescription+xml");
	CHECK_CONTAINS(a->body, "http://localhost:8080/");
	CHECK_CONTAINS(a->body, "<Url rel=\"suggestions\" type=\"application/x-suggestions+json\" "
				"template=\"http://localhost:8080/api/suggest?q={searchTerms}&amp;"
				"format=opensearch\"/>");
	answer_free(a);
}

static void test_suggest(void)
{
	answer *a = get("/api/suggest?q=Hjem", 200, "application/json");
	CHECK_STR(ks_record_str(a->json, "q"), "Hjem");
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(a->json, "suggestions");
	CHECK(cJSON_GetArraySize(list) > 0 && cJSON_GetArraySize(list) <= 8);
	const cJSON *first = cJSON_GetArrayItem(list, 0);
	CHECK(cJSON_IsString(first) && !strncmp(first->valuestring, "hjem", 4));
	answer_free(a);
	a = get("/api/suggest?q=hjem&format=opensearch", 200, "application/x-suggestions+json");
	cJSON *opensearch = cJSON_Parse(a->body);
	CHECK(cJSON_IsArray(opensearch) && cJSON_GetArraySize(opensearch) == 2);
	cJSON_Delete(opensearch);
	answer_free(a);
	a = get("/api/suggest?q=hjem&format=xml", 400, "application/json");
	CHECK_STR(error_message(a), "format must be json or opensearch");
	answer_free(a);
}

/* The pages: a file of --web that fetches the record itself, once the
 * route has found that the record exists — the search page as it is, the
 * item and case pages with the server's <head> in place of their <title>;
 * a 404 page when it does not. */
static void test_pages(void)
{
	char target[128];
	snprintf(target, sizeof target, "/item/%s", first_id);
	char sag[128];
	snprintf(sag, sizeof sag, "/sag/%s", first_sag);
	const char *named[] = { target, sag };
	for (size_t i = 0; i < sizeof named / sizeof *named; i++) {
		answer *a = get(named[i], 200, "text/html");
		CHECK(a->req.fd < 0 && !a->req.cacheable);
		CHECK_CONTAINS(a->body, "<meta property=\"og:title\" content=\"");
		CHECK_CONTAINS(a->body, "<script src=\"/common.js\" defer></script>");
		answer_free(a);
	}
	answer *a = get("/", 200, "text/html");
	CHECK(a->req.fd >= 0 && a->req.cacheable);
	answer_free(a);
	a = get("/item/nope", 404, "text/html");
	CHECK_CONTAINS(a->body, "Punktet findes ikke");
	CHECK(a->req.fd < 0);
	answer_free(a);
	a = get("/sag/99-999999", 404, "text/html");
	CHECK(a->req.fd < 0);
	answer_free(a);
	a = get("/sag/abc", 400, "text/html");
	CHECK_CONTAINS(a->body, "Ugyldigt sagsnummer");
	answer_free(a);
}

/* A case number as people write it: the page redirects to the case's one
 * address, built from the number read, never from the request. */
static void test_case_redirects(void)
{
	static const struct {
		const char *target;
		unsigned status;
		const char *location;
	} cases[] = {
		{ "/sag/25-2452", 301, "/sag/25-002452" },
		{ "/sag/25-002452/", 301, "/sag/25-002452" },
		{ "/sag/25-002452%20", 301, "/sag/25-002452" },
		{ "/sag/25-2452?fra=intranet", 301, "/sag/25-002452" },
		{ "/sag/21-046835k", 301, "/sag/21-046835K" },
		/* Only a lettered case has the number: the index decides. */
		{ "/sag/21-046835", 302, "/sag/21-046835K" },
		{ "/sag/21-46835/", 302, "/sag/21-046835K" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		answer *a = get(cases[i].target, cases[i].status, "text/html");
		CHECK_STR(a->req.location, cases[i].location);
		CHECK_CONTAINS(a->body, cases[i].location);
		CHECK(a->req.fd < 0);
		answer_free(a);
	}
	answer *a = get("/sag/25-002452", 200, "text/html");
	CHECK_STR(a->req.location, "");
	answer_free(a);
	a = get("/sag/25-2452%3Cb%3E", 400, "text/html");
	CHECK_STR(a->req.location, "");
	answer_free(a);
	/* The API answers the case itself. */
	const char *api[][2] = { { "/api/sag/25-2452", "25-002452" },
				 { "/api/sag/25-002452/", "25-002452" },
				 { "/api/sag/21-046835", "21-046835K" } };
	for (size_t i = 0; i < sizeof api / sizeof *api; i++) {
		a = get(api[i][0], 200, "application/json");
		CHECK_STR(ks_record_str(a->json, "sagsnummer"), api[i][1]);
		answer_free(a);
	}
	/* The search: the filter and the box. */
	a = get("/api/search?sag=25-2452", 200, "application/json");
	CHECK(number(a->json, "total") == 1);
	answer_free(a);
	a = get("/api/search?q=sag%3A21-046835", 200, "application/json");
	CHECK(number(a->json, "total") == 1);
	CHECK_STR(ks_record_str(a->json, "notice"), "Sag 21-046835 findes ikke; viser 21-046835K.");
	answer_free(a);
}

static void test_not_found(void)
{
	/* The API and the PDFs, for programs: JSON. */
	static const char *const json[] = { "/api/nope", "/pdf/nope.pdf" };
	for (size_t i = 0; i < sizeof json / sizeof *json; i++) {
		answer *a = get(json[i], 404, "application/json");
		CHECK(a->req.fd < 0);
		CHECK(error_message(a) != NULL);
		answer_free(a);
	}
	/* Any other path, a file of --web, for people: the Danish page. */
	static const char *const pages[] = { "/nope.html", "/../etc/passwd", "/.hidden", "/sag" };
	for (size_t i = 0; i < sizeof pages / sizeof *pages; i++) {
		answer *a = get(pages[i], 404, "text/html");
		CHECK(a->req.fd < 0);
		CHECK_CONTAINS(a->body, "Siden findes ikke");
		answer_free(a);
	}
}

int main(int argc, char **argv)
{
	if (argc != 3 || !server_start(argv[1], argv[2]))
		return 2;
	RUN(test_search);
	RUN(test_sag_and_item);
	RUN(test_feed_and_health);
	RUN(test_suggest);
	RUN(test_pages);
	RUN(test_case_redirects);
	RUN(test_not_found);
	server_stop();
	return check_summary();
}
