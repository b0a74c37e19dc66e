/* vocabulary.c — the words the structure of the documents hangs on: the
 * section headings of an item and of a budget section, "Punkt N:", the
 * lines of the meeting header; and which lines are structural, never part
 * of a paragraph. */
#include "parse-private.h"

#include <ctype.h>
#include <string.h>

#include "text.h"
#include "validate.h"

/* ---- the vocabulary of the documents -------------------------------------- */

typedef struct heading {
	const char *text;
	ks_section section;
} heading;

/* Section headings of an agenda item (seeds 000–003), each on a line of its
 * own.  "Sagsfremstilling" comes twice: a wrapper before the resume, then
 * the body; both belong to it. */
static const heading item_headings[] = {
	{ "Beslutning", KS_SEC_BESLUTNING },
	{ "Sagsfremstilling", KS_SEC_SAGSFREMSTILLING },
	{ "Resume og sagens baggrund", KS_SEC_RESUME },
	{ "Resumé og sagens baggrund", KS_SEC_RESUME },
	{ "Resume", KS_SEC_RESUME },
	{ "Indstillinger", KS_SEC_INDSTILLINGER },
	{ "Indstilling", KS_SEC_INDSTILLINGER },
	{ "Behandling", KS_SEC_BEHANDLING },
	{ "Økonomiske konsekvenser", KS_SEC_OEKONOMI },
	{ "Bilag", KS_SEC_BILAG },
};

/* Sub-headings of a budget section (seed 004). */
static const heading budget_headings[] = {
	{ "Budgetgrundlag", KS_SEC_BUDGETGRUNDLAG },
	{ "Beskrivelse af området", KS_SEC_BESKRIVELSE },
	{ "Udvikling og udfordringer", KS_SEC_UDVIKLING },
};

static int find_heading(const heading *table, size_t n, const char *text)
{
	char buf[64];
	size_t len = strlen(text);
	if (len == 0 || len >= sizeof buf)
		return -1;
	memcpy(buf, text, len + 1);
	if (buf[len - 1] == ':')
		buf[len - 1] = '\0';
	for (size_t i = 0; i < n; i++)
		if (ks_da_equal(buf, table[i].text))
			return (int)table[i].section;
	return -1;
}

/* The section (a ks_section) that TEXT is the heading of, in an agenda item
 * or in a budget section; -1 when it is none. */
int ks_item_heading(const char *text)
{
	return find_heading(item_headings, sizeof item_headings / sizeof *item_headings, text);
}

int ks_budget_heading(const char *text)
{
	return find_heading(budget_headings, sizeof budget_headings / sizeof *budget_headings,
			    text);
}

/* "Punkt 12: Lukket: Titel" → 12, *TITLE at "Lukket: Titel".  0 if the
 * line is not an item heading. */
int ks_punkt_number(const char *text, const char **title)
{
	if (strncmp(text, "Punkt ", 6))
		return 0;
	const char *p = text + 6;
	while (*p == ' ')
		p++;
	int n = 0, digits = 0;
	while (isdigit((unsigned char)*p) && digits < 5)
		n = n * 10 + (*p++ - '0'), digits++;
	if (!digits || isdigit((unsigned char)*p))
		return 0;
	while (*p == ' ')
		p++;
	if (*p != ':' && *p != '.')
		return 0;
	p++;
	while (*p == ' ')
		p++;
	*title = p;
	return n > 0 ? n : 0;
}

/* Lines of the meeting header and the structure: never joined to the text
 * before or after them, whatever PDF extraction did to the layout. */
static bool is_structural(const char *text)
{
	const char *title;
	return ks_punkt_number(text, &title) || ks_sagsnummer_parse(text, NULL) ||
	       ks_item_heading(text) >= 0 || ks_budget_heading(text) >= 0 ||
	       ks_da_prefix(text, NETTOBUDGET_LEAD) || starts_with(text, "REFERAT ") ||
	       starts_with(text, "Mødedato") || starts_with(text, "Mødested") ||
	       starts_with(text, "Mødedeltagere") || ks_da_equal(text, "Indholdsfortegnelse");
}

bool ks_structural_line(const char *text)
{
	return is_structural(text);
}

bool ks_heading_line(const char *text)
{
	return ks_item_heading(text) >= 0 || ks_budget_heading(text) >= 0;
}
