/* test-minutes.c — a meeting's minutes (indexer/minutes.c,
 * indexer/fields.c): the header, the items and their sections, and the
 * decision facet normalised from the decision's text. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "parse-fixtures.h"
#include "parse.h"
#include "text.h"

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
		/* The first sentence runs past abbreviations, ordinals and
		 * decimal points: taken whole, these are written out in full
		 * (corpus/direktionen-2023-11-06.txt), or short formulas. */
		{ "Kommunalbestyrelsen orienteres pr. mail.",
		  "Kommunalbestyrelsen orienteres pr. mail" },
		{ "Drift 2023: 24,2 mio. kr. i forventet mindreforbrug.", NULL },
		{ "Hertil skal tillægges kompensationen f.s.v.a. fordrevne fra Ukraine, i alt "
		  "8,1 mio. kr., således at vores nye sigtepunkt er 25,3 mio. kr. højere.",
		  NULL },
		{ "Økonomistaben fremlægger taksters pr. 1. januar 2024.", NULL },
		{ "Høringsperioden løber fra den 28. juni 2010 til den 21. november 2011.", NULL },
		{ "Beløbet på 121.108 kr. er pris- og lønfremskrevet til 2016-niveau.", NULL },
		{ "Orienteret pr. mail.", "Orienteret pr. mail" },
		{ "Sendt i høring jf. bilag 2. Svar inden mødet.", NULL },
		{ "Orienteret jf. bilag 2. Svar inden mødet den 15. maj.",
		  "Orienteret jf. bilag 2" },
		{ "Intet, jf. Serviceloven § 85.", "Intet, jf. Serviceloven § 85" },
		{ "Orienteret ved O. Hansen. Sagen afsluttes.", "Orienteret ved O. Hansen" },
		{ "Intet. Sagen afsluttes pr. mail.", "Intet" },
		{ "Hvorfor? Sagen afsluttes.", "Hvorfor?" },
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
		/* CHECK_STR shows the value got, and takes NULL for none. */
		CHECK_STR(doc.records[0].beslutning, cases[i].facet);
		ks_document_clear(&doc);
		free(m);
	}
}

int main(void)
{
	RUN(test_meeting_header);
	RUN(test_items_and_sections);
	RUN(test_decision_normalised);
	return check_summary();
}
