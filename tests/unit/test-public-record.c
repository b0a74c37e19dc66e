/* test-public-record.c — what a record of the index may show through the
 * API (server/public-record.c): a closed item keeps its title, case number,
 * committee, date, number, meeting, source and closed mark, and nothing of
 * its text, its decision, its sections or its page, whatever the stored
 * data holds; an open item keeps all and gets its decision as a field.  Both
 * ks_record_public() (the item) and ks_record_listing() (a result list). */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "server.h"

/* A closed item as an older or foreign index might hold it: with the text,
 * the decision and the page a closed item must not show. */
static const char closed_data[] =
	"{\"id\":\"m-7\",\"type\":\"punkt\",\"title\":\"Lukket: Forsikring\","
	"\"sagsnummer\":\"21-046835K\",\"lukket\":true,\"date\":\"2025-11-17\",\"year\":2025,"
	"\"udvalg\":\"Direktionen\",\"punkt\":7,\"meeting\":\"Direktionen 2025-11-17\","
	"\"source\":\"direktionen.pdf\",\"page\":5,\"url\":\"/item/m-7\","
	"\"text\":\"Hemmeligt zebrafinkebeløb\",\"nettobudget\":1000,"
	"\"sections\":{\"beslutning\":\"Godkendt zebrafinke\"},"
	"\"behandling\":[\"Økonomiudvalget\"],\"bilag\":[\"bilag.pdf\"]}";

static const char open_data[] =
	"{\"id\":\"m-6\",\"type\":\"punkt\",\"title\":\"Hjemløsestrategi\","
	"\"sagsnummer\":\"25-008999\",\"lukket\":false,\"date\":\"2025-11-17\","
	"\"udvalg\":\"Direktionen\",\"punkt\":6,\"url\":\"/item/m-6\","
	"\"text\":\"En samlet indsats.\",\"sections\":{\"beslutning\":\"Anbefales.\"}}";

/* Whether the printed JSON of R holds the closed item's secret words. */
static void check_nothing_hidden(const cJSON *r)
{
	char *s = cJSON_PrintUnformatted(r);
	CHECK_LACKS(s, "zebrafinke");
	CHECK_LACKS(s, "bilag.pdf");
	CHECK_LACKS(s, "Økonomiudvalget");
	free(s);
}

static void test_closed_item(void)
{
	cJSON *r = ks_record_public(closed_data, NULL);
	CHECK(r != NULL);
	check_nothing_hidden(r);
	CHECK_STR(ks_record_str(r, "title"), "Lukket: Forsikring");
	CHECK_STR(ks_record_str(r, "sagsnummer"), "21-046835K");
	CHECK_STR(ks_record_str(r, "udvalg"), "Direktionen");
	CHECK_STR(ks_record_str(r, "date"), "2025-11-17");
	CHECK_STR(ks_record_str(r, "meeting"), "Direktionen 2025-11-17");
	CHECK_STR(ks_record_str(r, "text"), "");
	CHECK(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r, "lukket")));
	CHECK(cJSON_GetObjectItemCaseSensitive(r, "punkt")->valueint == 7);
	static const char *const nulls[] = { "beslutning", "nettobudget", "page", "pdf" };
	for (size_t i = 0; i < sizeof nulls / sizeof *nulls; i++)
		CHECK(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(r, nulls[i])));
	CHECK(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(r, "behandling")) == 0);
	CHECK(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(r, "sections")) == 0);
	cJSON_Delete(r);

	/* A result list shows no more. */
	cJSON *l = ks_record_listing(closed_data);
	CHECK(l != NULL);
	check_nothing_hidden(l);
	CHECK_STR(ks_record_str(l, "text"), "");
	CHECK(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(l, "beslutning")));
	CHECK_STR(ks_record_str(l, "title"), "Lukket: Forsikring");
	cJSON *res = ks_record_result(l, "");
	check_nothing_hidden(res);
	cJSON_Delete(res);
	cJSON_Delete(l);
}

static void test_open_item(void)
{
	cJSON *r = ks_record_public(open_data, NULL);
	CHECK(r != NULL);
	CHECK_STR(ks_record_str(r, "beslutning"), "Anbefales.");
	CHECK_STR(ks_record_str(r, "text"), "En samlet indsats.");
	/* No --pdf-dir: no link; and no page stored is a null page. */
	CHECK(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(r, "pdf")));
	CHECK(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(r, "page")));
	cJSON_Delete(r);
	cJSON *l = ks_record_listing(open_data);
	CHECK_STR(ks_record_str(l, "beslutning"), "Anbefales.");
	CHECK_STR(ks_record_str(l, "text"), "En samlet indsats.");
	CHECK(!cJSON_HasObjectItem(l, "sections"));
	/* A result has the contract's fields, in its order, and no more. */
	cJSON *res = ks_record_result(l, "<b>samlet</b>");
	CHECK(cJSON_GetArraySize(res) == KS_RESULT_FIELDS);
	const cJSON *f = res ? res->child : NULL;
	for (size_t i = 0; i < KS_RESULT_FIELDS; i++, f = f ? f->next : NULL)
		CHECK_STR(f ? f->string : NULL, ks_result_fields[i]);
	CHECK_STR(ks_record_str(res, "snippet"), "<b>samlet</b>");
	cJSON_Delete(res);
	cJSON_Delete(l);
}

static void test_not_a_record(void)
{
	static const char *const bad[] = { "", "[]", "\"x\"", "{\"id\":", "null" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		CHECK(ks_record_public(bad[i], NULL) == NULL);
		cJSON_Delete(ks_record_listing(bad[i]));
	}
	CHECK(ks_record_listing("[1]") == NULL);
}

int main(void)
{
	RUN(test_closed_item);
	RUN(test_open_item);
	RUN(test_not_a_record);
	return check_summary();
}
