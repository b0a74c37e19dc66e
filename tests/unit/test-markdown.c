/* test-markdown.c — Markdown in a document (indexer/markdown.c): the
 * markup taken out of the text, and minutes written in Markdown. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "parse-fixtures.h"
#include "parse.h"
#include "text.h"

static void test_demarkdown(void)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "## **Punkt 1: Lukket: Besøg fra KOMBIT**", "Punkt 1: Lukket: Besøg fra KOMBIT" },
		{ "# REFERAT Direktionen d. 18-08-2025", "REFERAT Direktionen d. 18-08-2025" },
		{ "**Mødedato** Mandag d. 18. august 2025 kl. 12:30",
		  "Mødedato Mandag d. 18. august 2025 kl. 12:30" },
		{ "### **Beslutning**", "Beslutning" },
		{ "Det *skal* ifølge regionsloven", "Det skal ifølge regionsloven" },
		{ "*Hvis borgmesteren vælges*", "Hvis borgmesteren vælges" },
		{ "materiale: [Forebyggelse og vold \\(kl.dk\\)](#). Selve",
		  "materiale: Forebyggelse og vold (kl.dk). Selve" },
		{ "findes her: [kl_chikane-politikere.pdf](#).",
		  "findes her: kl_chikane-politikere.pdf." },
		{ "5 * 3 * 2", "5 * 3 * 2" },
		{ "#hashtag bliver", "#hashtag bliver" },
		{ "* et punkt", "- et punkt" },
		{ "- et punkt", "- et punkt" },
		{ "a\\_b og 50\\%", "a_b og 50%" },
		{ "Udviklingsrapport _ september 2025", "Udviklingsrapport _ september 2025" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char *got = ks_demarkdown(cases[i].in);
		CHECK_STR(got, cases[i].out);
		free(got);
	}
}

static void test_markdown_minutes(void)
{
	static const char src[] = "\n\n# REFERAT Direktionen d. 18-08-2025\n\n"
				  "**Mødedato** Mandag d. 18. august 2025 kl. 12:30\n\n"
				  "**Mødested** Mødelokale 8\n\n"
				  "## Indholdsfortegnelse\n\nLukket: Besøg.....\t3\n\n"
				  "## **Punkt 1: Lukket: Besøg fra KOMBIT**\n\n24-000149\n\n"
				  "## **Punkt 2: Beslutning om beredskab**\n\n25-005714\n\n"
				  "### **Beslutning**\n\nAnbefales.\n\n"
				  "### **Sagsfremstilling**\n\n## **Resume og sagens "
				  "baggrund**\n\nEt *vigtigt* resume.\n\n"
				  "## **Sagsfremstilling**\n\n### **Overordnet "
				  "beredskabsplan**\n\nPlanen er lovpligtig.\n\n"
				  "## **Bilag**\n\nKalundborg Kommunes Beredskabspolitik\n";
	ks_document doc;
	if (!parse_ok(src, &doc) || doc.n_records != 2) {
		CHECK(false);
		return;
	}
	CHECK(doc.records[0].lukket);
	CHECK_STR(doc.records[0].title, "Besøg fra KOMBIT");
	const ks_record *r = &doc.records[1];
	CHECK_STR(r->title, "Beslutning om beredskab");
	CHECK_STR(r->sections[KS_SEC_RESUME], "Et vigtigt resume.");
	CHECK_STR(r->sections[KS_SEC_SAGSFREMSTILLING],
		  "Overordnet beredskabsplan\n\nPlanen er lovpligtig.");
	CHECK_STR(doc.meeting.place, "Mødelokale 8");
	char *json = ks_record_json(r);
	CHECK_LACKS(json, "**");
	CHECK_LACKS(json, "#");
	free(json);
	ks_document_clear(&doc);
}

int main(void)
{
	RUN(test_demarkdown);
	RUN(test_markdown_minutes);
	return check_summary();
}
