/* parse-fixtures.c — what the unit tests of the parser share: small
 * documents written here (a meeting's header, a budget section in PDF
 * layout, three items) and the calls that parse them as one file. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "parse-fixtures.h"

int parse_str(const char *src, size_t len, ks_document *doc, ks_parse_error *err)
{
	return ks_parse(src, len, "test-2025.txt", doc, err);
}

bool parse_ok(const char *src, ks_document *doc)
{
	ks_parse_error err = { 0 };
	if (parse_str(src, strlen(src), doc, &err) == 0)
		return true;
	fprintf(stderr, "unexpected parse error: line %d: %s\n", err.line, err.message);
	return false;
}

/* The error of a document that must not parse. */
ks_parse_error parse_fails(const char *src, size_t len)
{
	ks_document doc;
	ks_parse_error err = { 0 };
	CHECK(parse_str(src, len, &doc, &err) == -1);
	CHECK(doc.n_records == 0);
	return err;
}

/* A meeting with a header, a table of contents and ITEMS. */
char *minutes(const char *items)
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
char *budget(const char *body)
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

const char *beskrivelse_of(const char *body, ks_document *doc)
{
	char *src = budget(body);
	bool ok = parse_ok(src, doc);
	free(src);
	CHECK(ok && doc->n_records == 1);
	return ok && doc->n_records ? doc->records[0].sections[KS_SEC_BESKRIVELSE] : NULL;
}

const char item_src[] =
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
bool parse_items(ks_document *doc)
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
