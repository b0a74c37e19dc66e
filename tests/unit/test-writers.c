/* test-writers.c — the back ends of a result list (server/writer.h) that
 * write text: JSON escaped so that no markup reaches a page, CSV as a
 * Danish Excel reads it (a byte order mark, ';', quoted as RFC 4180) with
 * the formula guard, and Atom that is well-formed and escaped.  The xlsx
 * writer is tested by reading its workbooks (tests/e2e/test_server_export.py). */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "server.h"
#include "writer.h"

/* Hostile text in every field a writer shows. */
static const char hostile[] =
	"{\"id\":\"m-1\",\"type\":\"punkt\",\"title\":\"=HYPERLINK(\\\"x\\\") <script>&\","
	"\"sagsnummer\":\"25-002452\",\"lukket\":false,\"date\":\"2025-11-17\","
	"\"udvalg\":\"Udvalg, \\\"A\\\"\\r\\nB\",\"punkt\":1,\"url\":\"/item/m-1\","
	"\"text\":\"tekst\",\"sections\":{\"beslutning\":\"-1+2\"}}";

static const char closed[] =
	"{\"id\":\"m-2\",\"type\":\"punkt\",\"title\":\"Lukket punkt\",\"lukket\":true,"
	"\"url\":\"/item/m-2\",\"text\":\"hemmelig\",\"year\":2024}";

/* The whole output of writer W over the two records above. */
static char *write_all(const ks_writer_class *w, const char *snippet)
{
	ks_query q = { .q = "<q> & \"x\"", .lukket = -1 };
	ks_listing l = { .q = q.q,
			 .query = &q,
			 .total = 2,
			 .page = 1,
			 .per_page = 20,
			 .base = "http://localhost:8080",
			 .self = "/feed?q=%3Cq%3E&x=1",
			 .updated = "2025-11-20T08:00:00Z" };
	ks_sb out = { 0 };
	void *state = w->begin(&out, &l);
	CHECK(state != NULL);
	const char *data[] = { hostile, closed };
	for (size_t i = 0; state && i < 2; i++) {
		cJSON *r = ks_record_listing(data[i]);
		CHECK(w->hit(state, &out, &l, r, snippet));
		cJSON_Delete(r);
	}
	CHECK(!state || w->end(state, &out, &l));
	return ks_sb_take(&out);
}

static void test_json(void)
{
	char *s = write_all(&ks_writer_json, "<b>tekst</b>");
	CHECK(strpbrk(s, "<>&") == NULL);
	cJSON *j = cJSON_Parse(s);
	CHECK(j != NULL);
	CHECK_STR(ks_record_str(j, "query"), "<q> & \"x\"");
	cJSON *results = cJSON_GetObjectItemCaseSensitive(j, "results");
	CHECK(cJSON_GetArraySize(results) == 2);
	cJSON *first = cJSON_GetArrayItem(results, 0);
	CHECK_STR(ks_record_str(first, "title"), "=HYPERLINK(\"x\") <script>&");
	CHECK_STR(ks_record_str(first, "beslutning"), "-1+2");
	CHECK_STR(ks_record_str(cJSON_GetArrayItem(results, 1), "beslutning"), NULL);
	cJSON_Delete(j);
	free(s);
}

static void test_csv(void)
{
	char *s = write_all(&ks_writer_csv, "");
	CHECK(!strncmp(s, "\xEF\xBB\xBFid;type;title;", 17));
	/* A formula is quoted and starts with a quote mark; quotes doubled;
	 * a ';', a comma or a line break quoted. */
	CHECK_CONTAINS(s, ";\"'=HYPERLINK(\"\"x\"\") <script>&\";");
	CHECK_CONTAINS(s, "\"Udvalg, \"\"A\"\"\r\nB\"");
	CHECK_CONTAINS(s, "\"'-1+2\"");
	/* Every record ends in CRLF; a closed item shows no text. */
	CHECK(strlen(s) >= 2 && !strcmp(s + strlen(s) - 2, "\r\n"));
	CHECK_LACKS(s, "hemmelig");
	CHECK_CONTAINS(s, "m-2;punkt;Lukket punkt;;true;");
	/* Links absolute. */
	CHECK_CONTAINS(s, ";http://localhost:8080/item/m-1\r\n");
	/* Two hits of two: no note of a cap. */
	CHECK_LACKS(s, "Eksporten stoppede");
	free(s);
}

static void test_atom(void)
{
	char *s = write_all(&ks_writer_atom, "<b>tekst</b> & mere\nlinje\n\n\nto\n");
	CHECK(!strncmp(s, "<?xml version=\"1.0\" encoding=\"utf-8\"?>", 38));
	CHECK_CONTAINS(s, "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"da\">");
	CHECK(strlen(s) > 8 && !strcmp(s + strlen(s) - 8, "</feed>\n"));
	CHECK_LACKS(s, "<script>");
	CHECK_LACKS(s, "<q>");
	CHECK_CONTAINS(s, "=HYPERLINK(&quot;x&quot;) &lt;script&gt;&amp;");
	CHECK_CONTAINS(s, "<id>http://localhost:8080/item/m-1</id>");
	/* The snippet's paragraphs as <p>, a line break within one a <br>. */
	CHECK_CONTAINS(s, "<summary type=\"html\">&lt;p&gt;&lt;b&gt;tekst&lt;/b&gt; &amp; "
			  "mere&lt;br&gt;linje&lt;/p&gt;&lt;p&gt;to&lt;/p&gt;</summary>");
	/* The title names the search (and would name its filters). */
	CHECK_CONTAINS(s, "<title>Kommunesøg: &lt;q&gt; &amp; &quot;x&quot;</title>");
	/* A record without a date: January 1 of its year, never the index's time. */
	CHECK_CONTAINS(s, "<updated>2024-01-01T00:00:00Z</updated>");
	CHECK_LACKS(s, "<updated>2025-11-20T08:00:00Z</updated>\n<category");
	CHECK_CONTAINS(s, "<summary>Lukket punkt</summary>");
	CHECK_LACKS(s, "hemmelig");
	/* As many entries opened as closed; no raw '&' but in an entity. */
	size_t open = 0, close = 0;
	for (const char *p = s; (p = strstr(p, "<entry>")); p++)
		open++;
	for (const char *p = s; (p = strstr(p, "</entry>")); p++)
		close++;
	CHECK(open == 2 && close == 2);
	for (const char *p = s; (p = strchr(p, '&')); p++)
		CHECK(!strncmp(p, "&amp;", 5) || !strncmp(p, "&lt;", 4) || !strncmp(p, "&gt;", 4) ||
		      !strncmp(p, "&quot;", 6) || !strncmp(p, "&#39;", 5));
	free(s);
}

int main(void)
{
	RUN(test_json);
	RUN(test_csv);
	RUN(test_atom);
	return check_summary();
}
