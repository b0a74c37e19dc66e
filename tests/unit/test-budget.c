/* test-budget.c — budget documents (indexer/budget.c): their sections and
 * their fields. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "parse-fixtures.h"
#include "parse.h"
#include "text.h"

static void test_budget_sections(void)
{
	static const char src[] = "\nBemærkninger - Økonomiudvalget \n \nJobcenter  \n \n"
				  "Samlet nettobudget for området: 50.190.100 kr. \n \n"
				  "Budgetgrundlag \nBudgettet er et rammebudget. \n \n"
				  "Beskrivelse af området \nJobcentret har budgetansvar. \n \n"
				  "Udvikling og udfordringer \nDer er udfordringer. \n \n"
				  "Demografipulje - Ældreområdet \n \n"
				  "Samlet nettobudget for området: 10.000.000 kr.   \n \n"
				  "Demografipuljen er afsat til køb af hjemmehjælp. \n \n"
				  "Negativ \n \nSamlet nettobudget for området: -1.234,50 kr. \n";
	ks_document doc;
	ks_parse_error err;
	if (ks_parse(src, strlen(src), "budget-2024-oekonomiudvalget.txt", &doc, &err) ||
	    doc.n_records != 3) {
		CHECK(false);
		return;
	}
	const ks_record *r = &doc.records[0];
	CHECK(!doc.is_meeting);
	CHECK(r->type == KS_RECORD_BUDGET);
	CHECK_STR(r->id, "budget-2024-oekonomiudvalget-1");
	CHECK_STR(r->title, "Jobcenter");
	CHECK_STR(r->udvalg, "Økonomiudvalget");
	CHECK(r->year == 2024);
	CHECK_STR(r->date, "");
	CHECK(r->has_nettobudget && r->nettobudget == 50190100);
	CHECK_STR(r->sections[KS_SEC_BUDGETGRUNDLAG], "Budgettet er et rammebudget.");
	CHECK_STR(r->sections[KS_SEC_BESKRIVELSE], "Jobcentret har budgetansvar.");
	CHECK_STR(r->sections[KS_SEC_UDVIKLING], "Der er udfordringer.");
	CHECK_STR(doc.records[1].title, "Demografipulje - Ældreområdet");
	CHECK(doc.records[1].nettobudget == 10000000);
	CHECK_STR(doc.records[1].sections[KS_SEC_BESKRIVELSE],
		  "Demografipuljen er afsat til køb af hjemmehjælp.");
	CHECK(doc.records[2].nettobudget == -1234);
	char *json = ks_record_json(r);
	CHECK_CONTAINS(json, "\"nettobudget\":50190100");
	CHECK_CONTAINS(json, "\"date\":null");
	CHECK_CONTAINS(json, "\"punkt\":null");
	free(json);
	ks_document_clear(&doc);
}

int main(void)
{
	RUN(test_budget_sections);
	return check_summary();
}
