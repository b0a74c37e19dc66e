/* schema.c — the table of fields that the indexer writes and the query
 * parser reads; see schema.h for what one document holds. */
#include "schema.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

const ks_field ks_fields[KS_FIELD_COUNT] = {
	/* The background text of a record (Sagsfremstilling, Behandling, the
	 * budget sections), with the least weight: wdf 2, so that the parts
	 * of its compounds can have 1.  Every free-text field is also in the
	 * body's unprefixed terms, which a query without a prefix searches. */
	[KS_FIELD_BODY] = { KS_FIELD_BODY, NULL, "", KS_FIELD_FREE_TEXT, true, 2 },
	/* The title ranks above everything: unprefixed with wdf 8, and as
	 * "titel:" with the conventional S (subject) prefix. */
	[KS_FIELD_TITLE] = { KS_FIELD_TITLE, "titel", "S", KS_FIELD_FREE_TEXT, true, 8 },
	[KS_FIELD_ID] = { KS_FIELD_ID, NULL, "Q", KS_FIELD_BOOLEAN, false, 0 },
	[KS_FIELD_SAG] = { KS_FIELD_SAG, "sag", "XSAG", KS_FIELD_BOOLEAN, false, 0 },
	[KS_FIELD_UDVALG] = { KS_FIELD_UDVALG, "udvalg", "XUDV", KS_FIELD_BOOLEAN, false, 0 },
	/* The normalised decision ("Anbefales"), filtered by the API's
	 * beslutning parameter; "beslutning:" in a query searches the
	 * section's text (KS_FIELD_SEC_BESLUTNING). */
	[KS_FIELD_BESLUTNING] = { KS_FIELD_BESLUTNING, NULL, "XBES", KS_FIELD_BOOLEAN, false, 0 },
	[KS_FIELD_TYPE] = { KS_FIELD_TYPE, "type", "XTYPE", KS_FIELD_BOOLEAN, false, 0 },
	[KS_FIELD_YEAR] = { KS_FIELD_YEAR, "år", "Y", KS_FIELD_BOOLEAN, false, 0 },
	[KS_FIELD_LUKKET] = { KS_FIELD_LUKKET, "lukket", "XLUK", KS_FIELD_BOOLEAN, false, 0 },
	[KS_FIELD_BEHANDLING] = { KS_FIELD_BEHANDLING, "behandling", "XBEH", KS_FIELD_BOOLEAN,
				  false, 0 },
	/* Internal: which file a record came from, to delete them together. */
	[KS_FIELD_FILE] = { KS_FIELD_FILE, NULL, "XFIL", KS_FIELD_BOOLEAN, false, 0 },
	/* Sections that can be searched alone.  The decision and the resume
	 * say what an item is about and rank above the background text; the
	 * recommendation, the economy and the attachments a little. */
	[KS_FIELD_SEC_BESLUTNING] = { KS_FIELD_SEC_BESLUTNING, "beslutning", "XSBES",
				      KS_FIELD_FREE_TEXT, true, 6 },
	[KS_FIELD_SEC_INDSTILLING] = { KS_FIELD_SEC_INDSTILLING, "indstilling", "XSIND",
				       KS_FIELD_FREE_TEXT, true, 3 },
	[KS_FIELD_SEC_RESUME] = { KS_FIELD_SEC_RESUME, "resume", "XSRES", KS_FIELD_FREE_TEXT, true,
				  4 },
	[KS_FIELD_SEC_OEKONOMI] = { KS_FIELD_SEC_OEKONOMI, "oekonomi", "XSOEK", KS_FIELD_FREE_TEXT,
				    true, 2 },
	[KS_FIELD_SEC_BILAG] = { KS_FIELD_SEC_BILAG, "bilag", "XSBIL", KS_FIELD_FREE_TEXT, true,
				 2 },
};

const ks_field *ks_field_by_name(const char *name)
{
	if (!name)
		return NULL;
	for (int i = 0; i < KS_FIELD_COUNT; i++)
		if (ks_fields[i].name && !strcmp(ks_fields[i].name, name))
			return &ks_fields[i];
	return NULL;
}

bool ks_sagsnummer_parse(const char *s, char *out)
{
	if (!s)
		return false;
	for (int i = 0; i < 9; i++) {
		bool want_dash = i == 2;
		if (want_dash ? s[i] != '-' : !isdigit((unsigned char)s[i]))
			return false;
	}
	bool suffix = isalpha((unsigned char)s[9]);
	if (s[9 + suffix] != '\0')
		return false;
	if (out) {
		memcpy(out, s, 9);
		out[9] = suffix ? (char)toupper((unsigned char)s[9]) : '\0';
		out[10] = '\0';
	}
	return true;
}

bool ks_date_parse(const char *s, char *out)
{
	static const int days[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (!s)
		return false;
	for (int i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? s[i] != '-' : !isdigit((unsigned char)s[i]))
			return false;
	if (s[10])
		return false;
	int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (m < 1 || m > 12 || d < 1 || d > days[m - 1] || (m == 2 && d == 29 && !leap))
		return false;
	if (out) {
		memcpy(out, s, 4);
		memcpy(out + 4, s + 5, 2);
		memcpy(out + 6, s + 8, 2);
		out[8] = '\0';
	}
	return true;
}
