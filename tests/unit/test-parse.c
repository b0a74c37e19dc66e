/* test-parse.c — the parser and its text repair, on small documents written
 * here, one function per rule of README.md's "What it reads" (the documents
 * of corpus/ show them all). */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "parse.h"
#include "text.h"

/* ---- helpers --------------------------------------------------------------- */

static int parse_str(const char *src, size_t len, ks_document *doc, ks_parse_error *err)
{
	return ks_parse(src, len, "test-2025.txt", doc, err);
}

static bool parse_ok(const char *src, ks_document *doc)
{
	ks_parse_error err = { 0 };
	if (parse_str(src, strlen(src), doc, &err) == 0)
		return true;
	fprintf(stderr, "unexpected parse error: line %d: %s\n", err.line, err.message);
	return false;
}

/* The error of a document that must not parse. */
static ks_parse_error parse_fails(const char *src, size_t len)
{
	ks_document doc;
	ks_parse_error err = { 0 };
	CHECK(parse_str(src, len, &doc, &err) == -1);
	CHECK(doc.n_records == 0);
	return err;
}

/* A meeting with a header, a table of contents and ITEMS. */
static char *minutes(const char *items)
{
	static const char head[] = "\n\nREFERAT Direktionen d. 17-11-2025\n\n"
				   "Mødedato Mandag d. 17. november 2025 kl. 12:30\n\n"
				   "Mødested Mødelokale 8\n\n"
				   "Mødedeltagere Anne Holm, Jens Juul Hansen, Pia Skov\n\n"
				   "Indholdsfortegnelse\n\n"
				   "Beslutning om hjemløsestr.....\t3\n"
				   "Lukket: Forlængelse af forsikringsaftale.....\t5\n\n";
	char *s = malloc(strlen(head) + strlen(items) + 1);
	strcpy(s, head);
	strcat(s, items);
	return s;
}

/* A budget document in PDF layout (every line ends in a blank, paragraphs
 * are separated by lines of one space) whose one section's Beskrivelse is
 * BODY. */
static char *budget(const char *body)
{
	static const char head[] = "\nBemærkninger - Økonomiudvalget \n \nJobcenter  \n \n"
				   "Samlet nettobudget for området: 50.190.100 kr. \n \n"
				   "Budgetgrundlag \nBudgettet er et rammebudget. \n \n"
				   "Beskrivelse af området \n";
	char *s = malloc(strlen(head) + strlen(body) + 2);
	strcpy(s, head);
	strcat(s, body);
	strcat(s, "\n");
	return s;
}

static const char *beskrivelse_of(const char *body, ks_document *doc)
{
	char *src = budget(body);
	bool ok = parse_ok(src, doc);
	free(src);
	CHECK(ok && doc->n_records == 1);
	return ok && doc->n_records ? doc->records[0].sections[KS_SEC_BESKRIVELSE] : NULL;
}

/* ---- Markdown ------------------------------------------------------------- */

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

/* ---- minutes --------------------------------------------------------------- */

static const char item_src[] =
	"Punkt 1: Beslutning om hjemløsestrategi\n\n"
	"25-008999\n\n"
	"Beslutning\n\nAnbefales.\n\n"
	"Sagsfremstilling\n\n"
	"Resume og sagens baggrund\n\nEn samlet indsats mod hjemløshed.\n\n"
	"Indstillinger\n\nDirektøren indstiller, at strategien godkendes.\n\n"
	"Behandling\n\nDirektionen, Børn- og Familieudvalget, Socialudvalget og "
	"Kommunalbestyrelsen.\n\n"
	"Sagsfremstilling\n\nKalundborg Kommune har arbejdet tæt sammen med styrelsen.\n\n"
	"Serviceudgifter\n\nI aftalen er der sat en ramme.\n\n"
	"- Fælles retning\n- En styrket sagsbehandling\n\n"
	"Økonomiske konsekvenser\n\nIngen bevillingsmæssige konsekvenser.\n\n"
	"Bilag\n\nAfsluttende statusnotat Kalundborg\n\nUdkast til hjemløsestrategi 2026-2029\n\n"
	"Punkt 2: Lukket: Forlængelse af forsikringsaftale\n\n"
	"21-046835k\n\n"
	"Beslutning\n\nHemmelig tekst der ikke må ses.\n\n"
	"Punkt 3: Eventuelt\n\n"
	"Beslutning\n\nDrøftet. Direktionen arbejder videre med ledernes input.\n";

/* item_src parsed as minutes: false (a failed check) if it did not parse
 * into its three items. */
static bool parse_items(ks_document *doc)
{
	char *src = minutes(item_src);
	bool ok = parse_ok(src, doc);
	free(src);
	if (ok && doc->n_records != 3) {
		ks_document_clear(doc);
		ok = false;
	}
	CHECK(ok);
	return ok;
}

static void test_meeting_header(void)
{
	ks_document doc;
	if (!parse_items(&doc))
		return;
	const ks_meeting *m = &doc.meeting;
	CHECK(doc.is_meeting);
	CHECK_STR(m->title, "REFERAT Direktionen d. 17-11-2025");
	CHECK_STR(m->udvalg, "Direktionen");
	CHECK_STR(m->date, "2025-11-17");
	CHECK_STR(m->time, "12:30");
	CHECK_STR(m->place, "Mødelokale 8");
	CHECK(m->participants.n == 3);
	if (m->participants.n == 3)
		CHECK_STR(m->participants.v[1], "Jens Juul Hansen");
	CHECK(doc.n_records == 3);
	ks_document_clear(&doc);
}

static void test_items_and_sections(void)
{
	ks_document doc;
	if (!parse_items(&doc))
		return;
	const ks_record *r = &doc.records[0];
	CHECK_STR(r->id, "test-2025-1");
	CHECK(r->type == KS_RECORD_PUNKT);
	CHECK(r->punkt == 1);
	CHECK(!r->lukket);
	/* The Punkt heading is the title, not the cut-short TOC entry. */
	CHECK_STR(r->title, "Beslutning om hjemløsestrategi");
	CHECK_STR(r->sagsnummer, "25-008999");
	CHECK_STR(r->date, "2025-11-17");
	CHECK(r->year == 2025);
	CHECK_STR(r->udvalg, "Direktionen");
	CHECK_STR(r->sections[KS_SEC_BESLUTNING], "Anbefales.");
	CHECK_STR(r->beslutning, "Anbefales");
	CHECK_STR(r->sections[KS_SEC_RESUME], "En samlet indsats mod hjemløshed.");
	CHECK_STR(r->sections[KS_SEC_INDSTILLINGER],
		  "Direktøren indstiller, at strategien godkendes.");
	/* Both "Sagsfremstilling" headings feed one section; sub-headings and
	 * list items stay in its text. */
	CHECK_STR(r->sections[KS_SEC_SAGSFREMSTILLING],
		  "Kalundborg Kommune har arbejdet tæt sammen med styrelsen.\n\n"
		  "Serviceudgifter\n\nI aftalen er der sat en ramme.\n\n"
		  "- Fælles retning\n- En styrket sagsbehandling");
	CHECK_STR(r->sections[KS_SEC_OEKONOMI], "Ingen bevillingsmæssige konsekvenser.");
	CHECK(r->behandling.n == 4);
	if (r->behandling.n == 4) {
		CHECK_STR(r->behandling.v[0], "Direktionen");
		CHECK_STR(r->behandling.v[1], "Børn- og Familieudvalget");
		CHECK_STR(r->behandling.v[3], "Kommunalbestyrelsen");
	}
	CHECK(r->bilag.n == 2);
	if (r->bilag.n == 2)
		CHECK_STR(r->bilag.v[1], "Udkast til hjemløsestrategi 2026-2029");
	char *text = ks_record_text(r);
	CHECK_CONTAINS(text, "En samlet indsats mod hjemløshed.");
	CHECK_CONTAINS(text, "Afsluttende statusnotat");
	free(text);

	/* The standing item has no case number; its decision facet is the
	 * first sentence. */
	const ks_record *e = &doc.records[2];
	CHECK_STR(e->title, "Eventuelt");
	CHECK(e->sagsnummer == NULL);
	CHECK_STR(e->beslutning, "Drøftet");
	ks_document_clear(&doc);
}

/* The decision facet is normalised from the free text of Beslutning. */
static void test_decision_normalised(void)
{
	static const struct {
		const char *text, *facet; /* NULL: no facet value */
	} cases[] = {
		{ "Anbefales.", "Anbefales" },
		{ "Direktionen anbefaler, at der arbejdes videre med anbefalingerne.",
		  "Anbefales" },
		{ "Godkendt.", "Godkendt" },
		{ "Indstillingen godkendes med de faldne bemærkninger.", "Godkendt" },
		{ "Indstillingen blev ikke godkendt.", "Ikke godkendt" },
		{ "Taget til efterretning.", "Taget til efterretning" },
		{ "Orienteringen tages til efterretning.", "Taget til efterretning" },
		{ "Drøftet. Direktionen arbejder videre med ledernes input.", "Drøftet" },
		{ "Indstillingen tiltrådt, dog således at puljen fordeles efter ansøgning.",
		  "Tiltrådt" },
		{ "Udsat til næste møde.", "Udsat" },
		{ "Vedtaget.", "Vedtaget" },
		{ "ANBEFALES.", "Anbefales" },
		/* The earliest word decides. */
		{ "Drøftet, og indstillingen anbefales.", "Drøftet" },
		/* No word of a decision: a short first sentence, else none. */
		{ "Ingen bemærkninger.", "Ingen bemærkninger" },
		{ "Ingen.", "Ingen" },
		{ "-", NULL },
		{ "Vejledning og øvrigt materiale gøres tilgængeligt på First Agenda. "
		  "Kommunalbestyrelsen orienteres pr. mail.",
		  NULL },
		/* A word that merely starts like one ("ugodkendt") is no match. */
		{ "Sagen er ugodkendt og lang nok til ikke at være en kort formel.", NULL },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char src[512];
		snprintf(src, sizeof src, "Punkt 1: Et punkt\n\n25-000001\n\nBeslutning\n\n%s\n",
			 cases[i].text);
		char *m = minutes(src);
		ks_document doc;
		if (!parse_ok(m, &doc) || doc.n_records != 1) {
			CHECK(false);
			free(m);
			continue;
		}
		const char *got = doc.records[0].beslutning;
		if (cases[i].facet)
			CHECK_STR(got, cases[i].facet);
		else
			CHECK(got == NULL);
		ks_document_clear(&doc);
		free(m);
	}
}

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

/* Every spelling of the closed mark that minutes use (SPEC.md: a title that
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

/* ---- PDF text repair ----------------------------------------------------------- */

static void test_hyphenation_joined(void)
{
	ks_document doc;
	const char *b =
		beskrivelse_of("Jobcentret følger kommunalbestyrelsens strategi for arbejdsmar- \n"
			       "kedspolitikken og a-kas- \nser samt Vestsjællands Brandvæ- \nsen. ",
			       &doc);
	CHECK_STR(b, "Jobcentret følger kommunalbestyrelsens strategi for "
		     "arbejdsmarkedspolitikken og a-kasser samt Vestsjællands Brandvæsen.");
	ks_document_clear(&doc);
}

static void test_hyphenation_across_blank_line(void)
{
	/* Seed 004: a bullet whose word is split by an empty line. */
	ks_document doc;
	const char *b = beskrivelse_of(" Folkeregister og bestilling af lægekørs-\n\n"
				       "ler/befordringsgodtgørelse og sommerhusbeboelse.  \n \n",
				       &doc);
	CHECK_STR(b, "- Folkeregister og bestilling af lægekørsler/befordringsgodtgørelse og "
		     "sommerhusbeboelse.");
	ks_document_clear(&doc);
}

static void test_truncation_hyphen_kept(void)
{
	ks_document doc;
	const char *b =
		beskrivelse_of("Puljen gælder Børn- \nog Familieområdet, er pris- og løn- \n"
			       "fremskrevet, og gælder sygedagpenge- \neller "
			       "ledighedsydelse samt IT-\nsystemer. ",
			       &doc);
	CHECK_STR(b, "Puljen gælder Børn- og Familieområdet, er pris- og lønfremskrevet, og "
		     "gælder sygedagpenge- eller ledighedsydelse samt IT-systemer.");
	ks_document_clear(&doc);
}

static void test_page_break_rejoined(void)
{
	/* Seed 004: a sentence running over a page break (empty lines, no
	 * paragraph gap), also onto a capital. */
	ks_document doc;
	const char *b = beskrivelse_of("Sundhed og Myndighed sørger for kontrol af \n\n\n\n"
				       "kommunens medfinansiering i samarbejde med \n\n\n\n"
				       "Kalundborg Kommunes plejecentre. \n \n"
				       "Et nyt afsnit uden punktum \n \nEt tredje afsnit. ",
				       &doc);
	CHECK_STR(b, "Sundhed og Myndighed sørger for kontrol af kommunens medfinansiering i "
		     "samarbejde med Kalundborg Kommunes plejecentre.\n\n"
		     "Et nyt afsnit uden punktum\n\nEt tredje afsnit.");
	ks_document_clear(&doc);
}

static void test_page_break_never_joins_heading(void)
{
	ks_document doc;
	char *src = budget("Teksten slutter uden punktum \n\n\n\nUdvikling og udfordringer \n"
			   "der står med lille begyndelsesbogstav. ");
	if (parse_ok(src, &doc) && doc.n_records == 1) {
		CHECK_STR(doc.records[0].sections[KS_SEC_BESKRIVELSE],
			  "Teksten slutter uden punktum");
		CHECK_STR(doc.records[0].sections[KS_SEC_UDVIKLING],
			  "der står med lille begyndelsesbogstav.");
	} else {
		CHECK(false);
	}
	ks_document_clear(&doc);
	free(src);
}

static void test_sub_heading_in_pdf_text(void)
{
	ks_document doc;
	const char *b =
		beskrivelse_of("Staben \nLedelse, Jura og Kommunikations eget område. ", &doc);
	CHECK_STR(b, "Staben\nLedelse, Jura og Kommunikations eget område.");
	ks_document_clear(&doc);
}

static void test_bullets(void)
{
	ks_document doc;
	const char *b = beskrivelse_of("HR og Personale er en stabsfunktion, som \n \n"
				       " yder bistand med sagsbehandling \n \n\n"
				       " administrer puljer f.eks.: \n"
				       "o Sundhedspulje  \no Seniorordning  \n",
				       &doc);
	CHECK_STR(b, "HR og Personale er en stabsfunktion, som\n\n- yder bistand med "
		     "sagsbehandling\n- administrer puljer f.eks.:\n  - Sundhedspulje\n"
		     "  - Seniorordning");
	ks_document_clear(&doc);
}

static void test_trailing_blanks_gone(void)
{
	ks_document doc;
	const char *b = beskrivelse_of("Første linje \t \nanden linje.   \n \nNyt afsnit.  ", &doc);
	CHECK_STR(b, "Første linje anden linje.\n\nNyt afsnit.");
	ks_document_clear(&doc);
}

/* ---- budget documents --------------------------------------------------------- */

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

/* ---- encodings ------------------------------------------------------------------ */

static char *dump_all(const char *src, size_t len)
{
	ks_document doc;
	ks_parse_error err;
	if (parse_str(src, len, &doc, &err)) {
		fprintf(stderr, "parse error: line %d: %s\n", err.line, err.message);
		return NULL;
	}
	ks_sb sb = { 0 };
	for (size_t i = 0; i < doc.n_records; i++) {
		char *json = ks_record_json(&doc.records[i]);
		ks_sb_puts(&sb, json);
		ks_sb_puts(&sb, "\n");
		free(json);
	}
	ks_document_clear(&doc);
	return ks_sb_take(&sb);
}

static void test_encodings_parse_identically(void)
{
	static const char utf8[] = "REFERAT Økonomiudvalget d. 01-02-2024\n\n"
				   "Punkt 1: Beslutning om æbler, søer og ål – “citat”\n\n"
				   "24-000001\n\nBeslutning\n\nAnbefales.\n";
	/* The same in Windows-1252: æ ø å Ø – “ ” as single bytes. */
	static const char cp1252[] = "REFERAT \xd8konomiudvalget d. 01-02-2024\n\n"
				     "Punkt 1: Beslutning om \xe6"
				     "bler, s\xf8"
				     "er og \xe5l "
				     "\x96 \x93"
				     "citat\x94\n\n"
				     "24-000001\n\nBeslutning\n\nAnbefales.\n";
	char *want = dump_all(utf8, strlen(utf8));
	CHECK(want && strstr(want, "søer og ål – “citat”"));

	char bom[sizeof utf8 + 3] = "\xef\xbb\xbf";
	strcat(bom, utf8);
	char crlf[2 * sizeof utf8], cr[sizeof utf8], bomcrlf[2 * sizeof utf8 + 3] = "\xef\xbb\xbf";
	size_t k = 0;
	for (const char *p = utf8; *p; p++) {
		if (*p == '\n')
			crlf[k++] = '\r';
		crlf[k++] = *p;
	}
	crlf[k] = '\0';
	strcat(bomcrlf, crlf);
	for (k = 0; utf8[k]; k++)
		cr[k] = utf8[k] == '\n' ? '\r' : utf8[k];
	cr[k] = '\0';

	/* Pasted together: the header in UTF-8, the rest in Windows-1252. */
	char mixed[sizeof cp1252 + 8] = "REFERAT \xc3\x98konomiudvalget";
	strcat(mixed, strchr(cp1252, ' ') + strlen(" \xd8konomiudvalget"));

	const char *variants[] = { bom, crlf, cr, bomcrlf, cp1252, mixed };
	for (size_t i = 0; i < sizeof variants / sizeof *variants; i++) {
		char *got = dump_all(variants[i], strlen(variants[i]));
		CHECK_STR(got, want);
		free(got);
	}
	free(want);
}

/* Control characters, and the two code points that are not characters
 * (U+FFFE, U+FFFF), become a space: XML 1.0 forbids them all, so the feed of
 * a document that kept one would not be XML. */
static void test_control_characters_dropped(void)
{
	/* Each case is followed by TAIL: a text of a few control characters
	 * in many is not taken for a binary file. */
	static const char tail[] = "; resten af teksten er almindelige ord, mange nok til at "
				   "et enkelt styretegn ikke ligner en binær fil.\n";
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "a\001b", "a b" },
		{ "a\x1b[31m", "a [31m" },
		{ "a\037b", "a b" },
		{ "ikke\xef\xbf\xbetegn\xef\xbf\xbf!", "ikke tegn !" },
		/* Their neighbours are characters, and stay. */
		{ "\xef\xbf\xbd\xef\xbf\xbc\xf0\x9f\x98\x80\xef\xb7\x90\t\x7f",
		  "\xef\xbf\xbd\xef\xbf\xbc\xf0\x9f\x98\x80\xef\xb7\x90\t\x7f" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char in[256], want[256];
		snprintf(in, sizeof in, "%s%s", cases[i].in, tail);
		snprintf(want, sizeof want, "%s%s", cases[i].out, tail);
		ks_parse_error err = { 0 };
		size_t len = 0;
		char *got = ks_decode(in, strlen(in), &len, &err);
		CHECK_STR(got, want);
		free(got);
	}
	ks_document doc;
	char *src = minutes("Punkt 1: Styre\x01tegn og ikke\xef\xbf\xbetegn\xef\xbf\xbf\n\n"
			    "Beslutning\n\nGodkendt\x02 \xef\xbf\xbf.\n");
	if (parse_ok(src, &doc) && doc.n_records == 1) {
		CHECK_LACKS(doc.records[0].title, "\xef\xbf\xbe");
		CHECK_LACKS(doc.records[0].title, "\xef\xbf\xbf");
		CHECK_LACKS(doc.records[0].title, "\x01");
		CHECK_CONTAINS(doc.records[0].title, "Styre");
		CHECK_LACKS(doc.records[0].sections[KS_SEC_BESLUTNING], "\xef\xbf\xbf");
		CHECK_LACKS(doc.records[0].sections[KS_SEC_BESLUTNING], "\x02");
	} else {
		CHECK(false);
	}
	ks_document_clear(&doc);
	free(src);
}

/* ---- bad input ------------------------------------------------------------------ */

static void test_bad_documents(void)
{
	static const struct {
		const char *name, *src;
		size_t len; /* 0: strlen(src) */
		int line;
		const char *reason;
	} cases[] = {
		{ "empty", "", 0, 1, "empty file" },
		{ "blank", "\n  \n\t\n\n", 0, 1, "empty file" },
		{ "nul", "REFERAT x\n\nabc\0def", 17, 3, "binary" },
		{ "controls", "\x01\x02\x03\x04\x05\x06\x07\x08 abc", 0, 1, "binary" },
		{ "prose", "\nHej med dig.\nDette er ikke et referat.\n", 0, 2,
		  "not a council document" },
		{ "no items",
		  "REFERAT Direktionen d. 01-02-2024\n\nMødedato Torsdag d. 1. februar 2024\n", 0,
		  1, "no agenda items" },
		{ "no title", "REFERAT Direktionen d. 01-02-2024\n\nPunkt 1: Noget\n\nPunkt 2: \n",
		  0, 5, "has no title" },
		{ "twice", "REFERAT Direktionen d. 01-02-2024\n\nPunkt 1: A\n\nPunkt 1: B\n", 0, 5,
		  "appears twice" },
		{ "bad date", "REFERAT Direktionen d. 31-02-2024\n\nPunkt 1: A\n", 0, 1,
		  "DD-MM-YYYY" },
		{ "no date", "REFERAT Direktionen\n\nPunkt 1: A\n", 0, 1, "no meeting date" },
		{ "bad amount",
		  "Bemærkninger - X \n \nJobcenter \n \n"
		  "Samlet nettobudget for området: mange penge kr. \n",
		  0, 5, "nettobudget" },
		{ "no area", "Samlet nettobudget for området: 5 kr.\n", 0, 1, "without an area" },
		{ "undefined cp1252", "REFERAT \x81konomi d. 01-02-2024\n", 0, 1, "0x81" },
		{ "utf-16", "\xff\xfeR\0E\0F\0", 8, 1, "UTF-16" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		size_t len = cases[i].len ? cases[i].len : strlen(cases[i].src);
		ks_parse_error err = parse_fails(cases[i].src, len);
		if (err.line != cases[i].line)
			fprintf(stderr, "case %s: line %d, want %d\n", cases[i].name, err.line,
				cases[i].line);
		CHECK(err.line == cases[i].line);
		CHECK_CONTAINS(err.message, cases[i].reason);
	}
}

static void test_long_fields(void)
{
	/* A 300-character title and a Behandling that is a whole paragraph
	 * parse; the paragraph names no list of bodies. */
	char title[301];
	memset(title, 'x', 300);
	title[300] = '\0';
	char items[2048];
	snprintf(items, sizeof items,
		 "Punkt 1: %s\n\nBehandling\n\nSagen er behandlet i flere omgange af forskellige "
		 "udvalg og råd, senest på et temamøde hvor alle var inviteret.\n",
		 title);
	char *src = minutes(items);
	ks_document doc;
	if (parse_ok(src, &doc) && doc.n_records == 1) {
		CHECK(strlen(doc.records[0].title) == 300);
		CHECK(doc.records[0].behandling.n == 0);
		CHECK_CONTAINS(doc.records[0].sections[KS_SEC_BEHANDLING], "temamøde");
	} else {
		CHECK(false);
	}
	ks_document_clear(&doc);
	free(src);
}

/* The warning of DOC that contains WHAT, or NULL. */
static const ks_parse_error *warning_about(const ks_document *doc, const char *what)
{
	for (size_t i = 0; i < doc->n_warnings; i++)
		if (strstr(doc->warnings[i].message, what))
			return &doc->warnings[i];
	return NULL;
}

/* Every bound of indexer/index-limits.h: a line, a record's text, a title, a list.
 * What is past a bound is cut after a word (else between two characters)
 * with a warning naming the line; the document parses. */
static void test_bounds(void)
{
	ks_sb sb = { 0 };
	/* Punkt 1 on line 16; on line 20, 1.5 MB of two-byte letters after one
	 * of one byte, no blank (cut between two characters). */
	ks_sb_puts(&sb, "Punkt 1: Lang linje\n\nSagsfremstilling\n\nx");
	for (size_t i = 0; i < 750000; i++)
		ks_sb_puts(&sb, "æ");
	ks_sb_puts(&sb, "\n\nBeslutning\n\nGodkendt.\n\n");
	/* Punkt 2 on line 26: a title of 4,500 bytes of words. */
	ks_sb_puts(&sb, "Punkt 2: ");
	for (size_t i = 0; i < 500; i++)
		ks_sb_puts(&sb, "Titel nr ");
	ks_sb_puts(&sb, "slut\n\n");
	/* Punkt 3 on line 28: a record of 5,000 short paragraphs, 1.1 MB, and
	 * 3,000 Bilag, 170 kB. */
	ks_sb_puts(&sb, "Punkt 3: Mange linjer\n\nSagsfremstilling\n\n");
	for (size_t i = 0; i < 5000; i++)
		ks_sb_puts(&sb,
			   "Kommunens budget for børn og unge, ældre og handicappede borgere i "
			   "hele kommunen, skoler, dagtilbud, veje, parker og idrætsanlæg, "
			   "kultur, fritid, beskæftigelse og administration, alle områder "
			   "igen og igen.\n\n");
	ks_sb_puts(&sb, "Beslutning\n\nGodkendt.\n\nBilag\n\n");
	for (size_t i = 0; i < 3000; i++)
		ks_sb_puts(&sb, "Bilag: Notat om budgettets forudsætninger, version nr. 12\n");
	char *items = ks_sb_take(&sb);
	char *src = minutes(items);
	ks_document doc;
	if (!parse_ok(src, &doc) || doc.n_records != 3) {
		CHECK(false);
		goto out;
	}
	const ks_record *r = &doc.records[0];
	const char *body = r->sections[KS_SEC_SAGSFREMSTILLING];
	/* With the decision, the text holds 1 MB. */
	CHECK(body && strlen(body) == KS_MAX_TEXT_BYTES - strlen("\n\nGodkendt."));
	CHECK(body && ks_utf8_valid(body, strlen(body)));
	CHECK_STR(r->sections[KS_SEC_BESLUTNING], "Godkendt.");
	const ks_parse_error *w = warning_about(&doc, "a line of 1500001 bytes cut");
	CHECK(w && w->line == 20 && w->page == 0);
	CHECK_CONTAINS(w ? w->message : NULL, "a line holds at most 1048576 bytes, 1 MB");

	r = &doc.records[1];
	CHECK(strlen(r->title) <= KS_MAX_FIELD_BYTES && strlen(r->title) > KS_MAX_FIELD_BYTES - 16);
	size_t n = strlen(r->title);
	CHECK(!strcmp(r->title + n - 6, " Titel") || !strcmp(r->title + n - 3, " nr"));
	w = warning_about(&doc, "Punkt 2: its title cut to its first 4096 bytes");
	CHECK(w && w->line == 26);

	r = &doc.records[2];
	char *text = ks_record_text(r);
	CHECK(text && strlen(text) <= KS_MAX_TEXT_BYTES && strlen(text) > KS_MAX_TEXT_BYTES - 300);
	CHECK(text && text[strlen(text) - 1] != ' ');
	free(text);
	CHECK_STR(r->sections[KS_SEC_BESLUTNING], "Godkendt.");
	CHECK(r->bilag.n > 1000 && r->bilag.n < 3000);
	size_t bilag = 0;
	for (size_t i = 0; i < r->bilag.n; i++)
		bilag += strlen(r->bilag.v[i]);
	CHECK(bilag <= KS_MAX_LIST_BYTES && bilag > KS_MAX_LIST_BYTES - 100);
	w = warning_about(&doc, "Punkt 3: its text cut to its first 1048576 bytes");
	CHECK(w && w->line == 28);
	CHECK(warning_about(&doc, "Punkt 3: its Bilag list cut") != NULL);
	CHECK(doc.n_warnings == 5);
	CHECK(warning_about(&doc, "Punkt 1: its text cut") != NULL);
	/* Nothing else is cut: the meeting, and record 1's title. */
	CHECK_STR(doc.meeting.place, "Mødelokale 8");
	CHECK_STR(doc.records[0].title, "Lang linje");
out:
	ks_document_clear(&doc);
	free(src);
	free(items);
}

static void test_slug(void)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "Økonomiudvalget", "oekonomiudvalget" },
		{ "Børn- og Familieudvalget", "boern-og-familieudvalget" },
		{ "direktionen-2025-10-06", "direktionen-2025-10-06" },
		{ "Ældre  Sundhed (2025)", "aeldre-sundhed-2025" },
		{ "Café é", "cafe-e" },
		{ "–", "" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char *got = ks_slug(cases[i].in);
		CHECK_STR(got, cases[i].out);
		free(got);
	}
}

/* File names are any bytes of up to 255 (NAME_MAX): their slugs keep ids
 * within KS_MAX_ID_BYTES, and bytes that are not UTF-8 are read as
 * Windows-1252, in the slug and in `source`. */
static void test_name_slug(void)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "2025/Direktionen 2025-10-06.txt", "direktionen-2025-10-06" },
		{ "referat-\xe6ldre-2025.txt", "referat-aeldre-2025" }, /* Windows-1252 æ */
		{ "x\xc3.txt", "xa" },                                  /* a cut UTF-8 Ã */
		{ "\xf0.txt", "d" },                                    /* ð */
		{ "\x81\x9d.md", "dokument" },                          /* undefined bytes */
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char *got = ks_name_slug(cases[i].in);
		CHECK_STR(got, cases[i].out);
		free(got);
	}
	char *name = ks_decode_name("referat-\xe6ldre-\x81-\xc3.txt");
	CHECK_STR(name, "referat-ældre-\xef\xbf\xbd-Ã.txt");
	free(name);

	/* 255 bytes of name: a slug of at most KS_MAX_SLUG_BYTES, its start
	 * kept and the hash of the whole at its end, different for two names
	 * that differ only at their end. */
	char a[256], b[256], ae[256];
	memset(a, 'x', 251);
	memcpy(a + 251, ".txt", 5);
	memcpy(b, a, sizeof b);
	b[250] = 'y';
	for (int i = 0; i < 126; i++)
		memcpy(ae + 2 * i, "\xc3\xa6", 2); /* æ, "ae" in a slug */
	memcpy(ae + 252, ".md", 4);
	char *sa = ks_name_slug(a), *sb = ks_name_slug(b), *sae = ks_name_slug(ae);
	CHECK(sa && strlen(sa) == KS_MAX_SLUG_BYTES && sb && strlen(sb) == KS_MAX_SLUG_BYTES);
	CHECK(sa && sb && strcmp(sa, sb) != 0 && !strncmp(sa, sb, KS_MAX_SLUG_BYTES - 17));
	CHECK(sa && !strncmp(sa, "xxxxxxxxxx", 10) && sa[KS_MAX_SLUG_BYTES - 17] == '-');
	CHECK(sae && strlen(sae) == KS_MAX_SLUG_BYTES && !strncmp(sae, "aeaeaeae", 8));
	char *again = ks_name_slug(a);
	CHECK_STR(again, sa); /* the same name, the same ids */
	free(again);
	free(sa);
	free(sb);
	free(sae);
	/* A slug that fits is left as it is. */
	memset(a, 'k', KS_MAX_SLUG_BYTES);
	memcpy(a + KS_MAX_SLUG_BYTES, ".txt", 5);
	sa = ks_name_slug(a);
	CHECK(sa && strlen(sa) == KS_MAX_SLUG_BYTES && strspn(sa, "k") == KS_MAX_SLUG_BYTES);
	free(sa);
}

int main(void)
{
	RUN(test_demarkdown);
	RUN(test_meeting_header);
	RUN(test_items_and_sections);
	RUN(test_decision_normalised);
	RUN(test_closed_item);
	RUN(test_closed_mark_spellings);
	RUN(test_closed_mark_warnings_bounded);
	RUN(test_markdown_minutes);
	RUN(test_hyphenation_joined);
	RUN(test_hyphenation_across_blank_line);
	RUN(test_truncation_hyphen_kept);
	RUN(test_page_break_rejoined);
	RUN(test_page_break_never_joins_heading);
	RUN(test_sub_heading_in_pdf_text);
	RUN(test_bullets);
	RUN(test_trailing_blanks_gone);
	RUN(test_budget_sections);
	RUN(test_encodings_parse_identically);
	RUN(test_control_characters_dropped);
	RUN(test_bad_documents);
	RUN(test_long_fields);
	RUN(test_bounds);
	RUN(test_slug);
	RUN(test_name_slug);
	return check_summary();
}
