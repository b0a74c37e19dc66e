/* test-closed.c — closed items (indexer/closed.c): what a closed item keeps,
 * every spelling of the closed mark that minutes use, and the warnings about
 * it, bounded. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "parse-fixtures.h"
#include "parse.h"
#include "text.h"

static void test_closed_item(void)
{
	ks_document doc;
	if (!parse_items(&doc))
		return;
	const ks_record *r = &doc.records[1];
	CHECK(r->lukket);
	CHECK_STR(r->title, "Forlængelse af forsikringsaftale");
	/* A lower-case suffix is accepted and upper-cased. */
	CHECK_STR(r->sagsnummer, "21-046835K");
	for (int s = 0; s < KS_SEC_COUNT; s++)
		CHECK(r->sections[s] == NULL);
	CHECK(r->behandling.n == 0 && r->bilag.n == 0 && r->beslutning == NULL);
	char *text = ks_record_text(r);
	CHECK_STR(text, "");
	free(text);
	char *json = ks_record_json(r);
	CHECK_LACKS(json, "Hemmelig");
	CHECK_CONTAINS(json, "\"lukket\":true");
	CHECK_CONTAINS(json, "\"sections\":{}");
	CHECK_CONTAINS(json, "\"behandling\":[],\"bilag\":[]");
	CHECK_CONTAINS(json, "\"text\":\"\"");
	/* What the published minutes print of it: its committee, number and
	 * meeting. */
	CHECK_CONTAINS(json, "\"udvalg\":\"Direktionen\",\"punkt\":2");
	CHECK_CONTAINS(json, "\"meeting\":{\"title\":\"REFERAT Direktionen d. 17-11-2025\"");
	free(json);
	ks_document_clear(&doc);
}

/* Every spelling of the closed mark that minutes use (docs/documents.rst: a title that
 * begins with "Lukket" in any spelling is closed), the words that begin
 * with "lukket" and stay open, and the lookalikes that stay open with a
 * warning.  Each title is parsed as item 1 of a meeting, with text under it
 * that a closed item must not keep; WARNING is what the parser's warning
 * says (NULL for none), on the item's line. */
static void test_closed_mark_spellings(void)
{
	static const struct {
		const char *heading; /* after "Punkt 1: " */
		bool closed;
		const char *title;
		const char *warning;
	} cases[] = {
		/* As the seeds write it: no warning. */
		{ "Lukket: Salg af grund", true, "Salg af grund", NULL },
		{ "LUKKET: Salg af grund", true, "Salg af grund", NULL },
		{ "Lukket:Salg af grund", true, "Salg af grund", NULL },
		/* The spellings of issue 15, point 8, and more. */
		{ "Lukket punkt: Salg af grund", true, "Salg af grund",
		  "read \"Lukket punkt:\" as a closed item" },
		{ "Lukket - Salg af grund", true, "Salg af grund",
		  "read \"Lukket -\" as a closed item" },
		{ "LUKKET - Salg af grund", true, "Salg af grund",
		  "read \"LUKKET -\" as a closed item" },
		{ "Lukket : Salg af grund", true, "Salg af grund",
		  "read \"Lukket :\" as a closed item" },
		/* The decoder reads a no-break space as a space; other
		 * invisible blanks are quoted by their code. */
		{ "Lukket\u00a0: Salg af grund", true, "Salg af grund",
		  "read \"Lukket :\" as a closed item" },
		{ "Lukket\u00a0punkt: Salg af grund", true, "Salg af grund",
		  "read \"Lukket punkt:\" as a closed item" },
		{ "Lukket:\u00a0Salg af grund", true, "Salg af grund", NULL },
		{ "Lukket\u202f: Salg af grund", true, "Salg af grund",
		  "read \"Lukket\\u202F:\" as a closed item" },
		{ "Lukket:\u2003Salg af grund", true, "Salg af grund",
		  "read \"Lukket:\\u2003\" as a closed item" },
		{ "(Lukket) Salg af grund", true, "Salg af grund",
		  "read \"(Lukket)\" as a closed item" },
		{ "[Lukket] Salg af grund", true, "Salg af grund",
		  "read \"[Lukket]\" as a closed item" },
		{ "(Lukket punkt) Salg af grund", true, "Salg af grund",
		  "read \"(Lukket punkt)\" as a closed item" },
		{ "Lukket. Salg af grund", true, "Salg af grund",
		  "read \"Lukket.\" as a closed item" },
		{ "~~Lukket:~~ Salg af grund", true, "Salg af grund",
		  "read \"~~Lukket:~~\" as a closed item" },
		{ "__Lukket:__ Salg af grund", true, "Salg af grund",
		  "read \"__Lukket:__\" as a closed item" },
		{ "Lukket \u2013 Salg af grund", true, "Salg af grund",
		  "read \"Lukket \u2013\" as a closed item" },
		{ "Lukket \u2014 Salg af grund", true, "Salg af grund",
		  "read \"Lukket \u2014\" as a closed item" },
		{ "Lukket  punkt:   Salg af grund", true, "Salg af grund",
		  "read \"Lukket  punkt:\" as a closed item" },
		{ "lukket punkt - Salg af grund", true, "Salg af grund",
		  "read \"lukket punkt -\" as a closed item" },
		{ "LUKKET PUNKT: Salg af grund", true, "Salg af grund",
		  "read \"LUKKET PUNKT:\" as a closed item" },
		{ "Lukket punkt Salg af grund", true, "Salg af grund",
		  "read \"Lukket punkt\" as a closed item" },
		{ "Lukketpunkt: Salg af grund", true, "Salg af grund",
		  "read \"Lukketpunkt:\" as a closed item" },
		/* A bracket or strike-through around the whole title. */
		{ "(Lukket: Salg af grund)", true, "Salg af grund",
		  "read \"(Lukket:\" as a closed item" },
		{ "~~Lukket: Salg af grund~~", true, "Salg af grund",
		  "read \"~~Lukket:\" as a closed item" },
		/* No title of its own. */
		{ "Lukket punkt", true, "Lukket punkt",
		  "read \"Lukket punkt\" as a closed item without a title" },
		{ "Lukket:", true, "Lukket punkt",
		  "read \"Lukket:\" as a closed item without a title" },
		{ "(Lukket)", true, "Lukket punkt",
		  "read \"(Lukket)\" as a closed item without a title" },
		/* The word, then no mark's end: closed, the title kept whole. */
		{ "Lukket afdeling på Solhjem", true, "Lukket afdeling på Solhjem",
		  "read \"Lukket afdeling på Solhjem\" as a closed item: the title begins with the "
		  "word \"Lukket\"" },
		/* Words of their own: open, no warning. */
		{ "Salg af grund", false, "Salg af grund", NULL },
		{ "Lukketid på rådhuset", false, "Lukketid på rådhuset", NULL },
		{ "Lukketiden i juli", false, "Lukketiden i juli", NULL },
		{ "Lukkethed i forvaltningen", false, "Lukkethed i forvaltningen", NULL },
		{ "LUKKETIDER: Biblioteker", false, "LUKKETIDER: Biblioteker", NULL },
		{ "Ulukket vej", false, "Ulukket vej", NULL },
		{ "Status på lukket afdeling", false, "Status på lukket afdeling", NULL },
		{ "Lukning af skole", false, "Lukning af skole", NULL },
		/* Lookalikes: open, and a person should look. */
		{ "Luket: Salg af grund", false, "Luket: Salg af grund",
		  "\"Luket:\" looks like the closed mark \"Lukket:\" but is not it: read as an "
		  "open "
		  "item" },
		{ "Lukkket - Salg af grund", false, "Lukkket - Salg af grund",
		  "\"Lukkket -\" looks like the closed mark \"Lukket:\"" },
		{ "(Lukekt) Salg af grund", false, "(Lukekt) Salg af grund",
		  "\"(Lukekt)\" looks like the closed mark \"Lukket:\"" },
		{ "Salg af grund (Lukket)", false, "Salg af grund (Lukket)",
		  "\"(Lukket)\" is not at the start of the title: read as an open item" },
		{ "Orientering - LUKKET: Salg af grund", false,
		  "Orientering - LUKKET: Salg af grund",
		  "\"LUKKET:\" is not at the start of the title: read as an open item" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char items[512];
		snprintf(items, sizeof items,
			 "Punkt 1: %s\n\n25-000001\n\nBeslutning\n\nHemmeligt zebrabeløb.\n\n"
			 "Punkt 2: Eventuelt\n\nBeslutning\n\nIngen bemærkninger.\n",
			 cases[i].heading);
		char *src = minutes(items);
		ks_document doc;
		bool ok = parse_ok(src, &doc) && doc.n_records == 2;
		if (!ok) {
			fprintf(stderr, "case %zu: %s\n", i, cases[i].heading);
			CHECK(false);
			free(src);
			continue;
		}
		const ks_record *r = &doc.records[0];
		if (r->lukket != cases[i].closed)
			fprintf(stderr, "case %zu: %s: read as %s\n", i, cases[i].heading,
				r->lukket ? "closed" : "open");
		CHECK(r->lukket == cases[i].closed);
		CHECK_STR(r->title, cases[i].title);
		CHECK_STR(r->sagsnummer, "25-000001");
		char *json = ks_record_json(r);
		if (cases[i].closed)
			CHECK_LACKS(json, "zebrabeløb");
		else
			CHECK_CONTAINS(json, "zebrabeløb");
		free(json);
		/* The warning names the item's line; the other item has none. */
		if (cases[i].warning) {
			CHECK(doc.n_warnings == 1);
			if (doc.n_warnings) {
				CHECK(doc.warnings[0].line == r->line);
				CHECK_CONTAINS(doc.warnings[0].message, cases[i].warning);
			}
		} else {
			if (doc.n_warnings)
				fprintf(stderr, "case %zu: %s: unexpected warning: %s\n", i,
					cases[i].heading, doc.warnings[0].message);
			CHECK(doc.n_warnings == 0);
		}
		ks_document_clear(&doc);
		free(src);
	}
}

/* A warning quotes what it read with anything unprintable escaped, cut
 * short, and a document keeps KS_MAX_WARNINGS of them, counting the rest. */
static void test_closed_mark_warnings_bounded(void)
{
	ks_sb sb = { 0 };
	ks_sb_puts(&sb, "Punkt 1: Lukket \u200b\t");
	for (int i = 0; i < 40; i++)
		ks_sb_puts(&sb, "æblegrød ");
	ks_sb_puts(&sb, "\n\n");
	for (int n = 2; n <= KS_MAX_WARNINGS + 6; n++) {
		char item[64];
		snprintf(item, sizeof item, "Punkt %d: (Lukket) Punkt nummer %d\n\n", n, n);
		ks_sb_puts(&sb, item);
	}
	char *items = ks_sb_take(&sb);
	char *src = minutes(items);
	ks_document doc;
	if (!parse_ok(src, &doc)) {
		CHECK(false);
	} else {
		CHECK(doc.n_records == KS_MAX_WARNINGS + 6);
		CHECK(doc.n_warnings == KS_MAX_WARNINGS);
		CHECK(doc.more_warnings == 6);
		const char *w = doc.n_warnings ? doc.warnings[0].message : "";
		CHECK_LACKS(w, "\u200b");
		CHECK_LACKS(w, "\t");
		CHECK_CONTAINS(w, "read \"Lukket \\u200B\\u0009æblegrød æblegrød");
		CHECK_CONTAINS(w, "…\" as a closed item");
		CHECK(strlen(w) < 200);
		CHECK_STR(doc.records[1].title, "Punkt nummer 2");
	}
	ks_document_clear(&doc);
	free(src);
	free(items);
}

int main(void)
{
	RUN(test_closed_item);
	RUN(test_closed_mark_spellings);
	RUN(test_closed_mark_warnings_bounded);
	return check_summary();
}
