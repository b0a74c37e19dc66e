/* test-sentences.c — where a sentence ends (indexer/sentences.c): not at
 * the full stop of an abbreviation, an ordinal, a date or a number. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "parse-private.h"

/* The first sentence of each text, as ks_sentence_first() finds it. */
static void test_first_sentence(void)
{
	static const struct {
		const char *text, *first;
	} cases[] = {
		{ "Godkendt. Sagen afsluttes.", "Godkendt." },
		{ "Godkendt.", "Godkendt." },
		{ "Godkendt", "Godkendt" },
		{ "", "" },
		/* Abbreviations before a lower-case word. */
		{ "Kommunalbestyrelsen orienteres pr. mail. Mere.",
		  "Kommunalbestyrelsen orienteres pr. mail." },
		{ "Drift 2023: 24,2 mio. kr. i forventet mindreforbrug. Mere.",
		  "Drift 2023: 24,2 mio. kr. i forventet mindreforbrug." },
		{ "Hertil skal tillægges kompensationen f.s.v.a. fordrevne fra Ukraine. Mere.",
		  "Hertil skal tillægges kompensationen f.s.v.a. fordrevne fra Ukraine." },
		{ "Der gives bl.a. tilskud, f.eks. til foreninger m.fl. i kommunen. Mere.",
		  "Der gives bl.a. tilskud, f.eks. til foreninger m.fl. i kommunen." },
		/* Abbreviations that stand before a capital or a digit. */
		{ "Taksten gælder pr. 1. januar 2024. Mere.",
		  "Taksten gælder pr. 1. januar 2024." },
		{ "Sagen behandles jf. Serviceloven § 85. Mere.",
		  "Sagen behandles jf. Serviceloven § 85." },
		{ "Det koster ca. 25 mio. kr. Mere.", "Det koster ca. 25 mio. kr." },
		{ "Efter stk. 2 og nr. 5 i bilaget. Mere.", "Efter stk. 2 og nr. 5 i bilaget." },
		{ "Jf. Serviceloven er det godkendt. Mere.", "Jf. Serviceloven er det godkendt." },
		{ "Kontakt tlf. 5953 4400 vedr. Kalundborg. Mere.",
		  "Kontakt tlf. 5953 4400 vedr. Kalundborg." },
		{ "Mødet er kl. 14.00 hos O. Hansen. Mere.", "Mødet er kl. 14.00 hos O. Hansen." },
		/* Dates, ordinals and numbers. */
		{ "Høringen løber fra den 28. juni 2010. Mere.",
		  "Høringen løber fra den 28. juni 2010." },
		{ "Beløbet på 121.108 kr. er fremskrevet. Mere.",
		  "Beløbet på 121.108 kr. er fremskrevet." },
		{ "Udgiften er 2.441.406.000 kr., altså mere. Mere.",
		  "Udgiften er 2.441.406.000 kr., altså mere." },
		/* An abbreviation that may end a sentence does, before a capital. */
		{ "I alt 8,1 mio. kr. Hertil kommer mere.", "I alt 8,1 mio. kr." },
		{ "Skoler, institutioner osv. Derfor mere.", "Skoler, institutioner osv." },
		/* Other marks, closing quotes and parentheses, line breaks. */
		{ "Hvorfor? Fordi.", "Hvorfor?" },
		{ "Nej! Aldrig.", "Nej!" },
		{ "Han sagde »ja.« Mere.", "Han sagde »ja.«" },
		{ "(Se bilag 2.) Mere.", "(Se bilag 2.)" },
		{ "Godkendt.\nSagen afsluttes.", "Godkendt." },
		{ "Vedtaget pr.\nmail. Mere.", "Vedtaget pr.\nmail." },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		const char *t = cases[i].text;
		size_t n = ks_sentence_first(t, strlen(t));
		char *got = strndup(t, n);
		CHECK_STR(got, cases[i].first);
		free(got);
	}
}

/* A unit's last full stop before the next line (paragraphs.c asks). */
static void test_sentence_ends_before(void)
{
	static const struct {
		const char *text, *next;
		bool ends;
	} cases[] = {
		{ "Det er godkendt.", "Derfor", true },
		{ "Det er godkendt.", "", true },
		{ "Taksten er 25 kr. pr.", "måned", false },
		{ "Taksten er 25 kr. pr.", "Måned", false },
		{ "i alt 8,1 mio. kr.", "Hertil", true },
		{ "i alt 8,1 mio.", "kr.", false },
		{ "behandles, jf.", "Serviceloven", false },
		{ "behandles, JF.", "Serviceloven", false },
		{ "fra den 1.", "januar", false },
		{ "budgettet for 2025.", "Derfor", true },
		{ "budgettet for 2025.", "2026 bliver", true },
		{ "hos O.", "Hansen", false },
		{ "hos Ø.", "Hansen", false },
		{ "Hvorfor?", "Fordi", true },
		{ "Hvorfor?", "fordi", false },
		/* A word merely ending like an abbreviation ("spr", "kapr"). */
		{ "Det er kapr.", "Derfor", true },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		const char *t = cases[i].text;
		bool got = ks_sentence_ends(t, strlen(t) - 1, cases[i].next);
		if (got != cases[i].ends)
			fprintf(stderr, "case %zu: \"%s\" + \"%s\"\n", i, t, cases[i].next);
		CHECK(got == cases[i].ends);
	}
}

int main(void)
{
	RUN(test_first_sentence);
	RUN(test_sentence_ends_before);
	return check_summary();
}
