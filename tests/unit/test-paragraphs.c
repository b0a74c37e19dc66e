/* test-paragraphs.c — the repair of text extracted from PDFs
 * (indexer/paragraphs.c): hyphenation, page breaks, sub-headings, bullets
 * and trailing blanks. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "parse-fixtures.h"
#include "parse.h"
#include "text.h"

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

static void test_abbreviation_ends_no_paragraph(void)
{
	/* An abbreviation's full stop at the end of a page or of a short line
	 * ends no sentence ("pr. måned", "jf. Serviceloven"): the paragraph
	 * goes on.  "kr." before a capital does end one. */
	ks_document doc;
	const char *b =
		beskrivelse_of("Taksten er 25 kr. pr. \n\n\n\nmåned for alle borgere, jf. \n"
			       "Serviceloven § 85 og den 1. \n\n\n\njanuar 2024. \n \n"
			       "I alt 8,1 mio. kr. \nHertil kommer kompensationen. ",
			       &doc);
	CHECK_STR(b, "Taksten er 25 kr. pr. måned for alle borgere, jf. Serviceloven § 85 og den "
		     "1. januar 2024.\n\nI alt 8,1 mio. kr.\nHertil kommer kompensationen.");
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

int main(void)
{
	RUN(test_hyphenation_joined);
	RUN(test_hyphenation_across_blank_line);
	RUN(test_truncation_hyphen_kept);
	RUN(test_page_break_rejoined);
	RUN(test_abbreviation_ends_no_paragraph);
	RUN(test_page_break_never_joins_heading);
	RUN(test_sub_heading_in_pdf_text);
	RUN(test_bullets);
	RUN(test_trailing_blanks_gone);
	return check_summary();
}
