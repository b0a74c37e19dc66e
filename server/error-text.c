/* error-text.c — what an error says to a person, in Danish: the title of
 * its status, and its message.  The API's messages are English, for the
 * developers who call it, and may quote what they sent; a person is shown
 * the Danish sentence of the message (the "besked" of a JSON error, and the
 * error page), which never quotes the request.  A message this table does
 * not know gets the sentence of its status: a person never sees English. */
#include <string.h>

#include "server.h"

/* By the beginning of the English message.  An entry whose Danish is NULL
 * marks messages that are written in Danish already (request.c: what a
 * search would cost), shown as they are.  The first match wins: longer
 * beginnings before the shorter ones they start with. */
static const struct {
	const char *english, *danish;
} messages[] = {
	{ "Søgningen ", NULL },
	{ "q is too long", "Søgeteksten er for lang. Gør den kortere." },
	{ "type must be", "Typen skal være punkt eller budget." },
	{ "year must be", "Året skal være et årstal, fx 2025." },
	{ "sag must be", "Sagsnummeret skal skrives som 25-002452." },
	{ "from must be a date", "Fra-datoen skal skrives ÅÅÅÅ-MM-DD, fx 2025-08-18." },
	{ "to must be a date", "Til-datoen skal skrives ÅÅÅÅ-MM-DD, fx 2025-12-31." },
	{ "from (", "Fra-datoen ligger efter til-datoen." },
	{ "lukket must be", "Lukket skal være true eller false." },
	{ "sort must be", "Den valgte sortering findes ikke." },
	{ "format must be", "Det valgte format findes ikke." },
	{ "page is too deep",
	  "Så langt kan der ikke bladres. Gør søgningen smallere, eller hent resultaterne som "
	  "regneark." },
	{ "page must be", "Sidetallet skal være et helt tal fra 1." },
	{ "per_page must be", "Antallet pr. side skal være et helt tal fra 1." },
	{ "the URL is too long", "Adressen er længere end søgningen tager imod." },
	{ "the path is not valid", "Adressen indeholder tegn, der ikke er gyldig tekst." },
	{ "parameter ", "Adressen indeholder tegn, der ikke er gyldig tekst." },
	{ "the request headers are too large",
	  "Browseren sendte for meget med forespørgslen. Slet sidens cookies, og prøv igen." },
	{ "method ", "Adressen kan kun hentes, ikke sendes til." },
	{ "no item has case number", "Der er intet punkt med dette sagsnummer." },
	{ "no item has", "Der er intet dagsordenspunkt eller budgetafsnit med denne adresse." },
	{ "no such item", "Der er intet dagsordenspunkt eller budgetafsnit med denne adresse." },
	{ "the server is stopping", "Søgningen genstarter. Prøv igen om lidt." },
};

void ks_error_text(unsigned status, const char *message, const char **title, const char **danish)
{
	switch (status) {
	case 400:
		*title = "Ugyldig adresse";
		*danish = "Adressen er ikke gyldig. Tjek at den er skrevet rigtigt.";
		break;
	case 404:
		*title = "Siden findes ikke";
		*danish = "Der er ingen side med denne adresse.";
		break;
	case 405:
		*title = "Ikke tilladt";
		*danish = "Adressen kan kun hentes, ikke sendes til.";
		break;
	case 413:
	case 431:
		*title = "Forespørgslen er for stor";
		*danish = "Browseren sendte mere, end søgningen tager imod.";
		break;
	case 414:
		*title = "Adressen er for lang";
		*danish = "Adressen er længere end søgningen tager imod.";
		break;
	default:
		*title = "Søgningen svarer ikke";
		*danish = "Søgningen kan ikke svare lige nu. Prøv igen om lidt.";
	}
	if (!message)
		return;
	for (size_t i = 0; i < sizeof messages / sizeof *messages; i++) {
		if (!strncmp(message, messages[i].english, strlen(messages[i].english))) {
			*danish = messages[i].danish ? messages[i].danish : message;
			return;
		}
	}
}
