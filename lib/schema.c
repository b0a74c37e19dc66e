/* schema.c — the tables of fields and facets that the indexer writes and the
 * query side reads; see schema.h for what one document holds. */
#include "schema.h"

#include <stddef.h>

/* The weights (wdf_inc) rank a match in the title above everything, the
 * decision and the resume (which say what an item is about) above the
 * background text, and the recommendation, the economy and the attachments a
 * little.  The body, the background text (Sagsfremstilling, Behandling, the
 * budget sections), has the least: 2, so that the parts of its compounds
 * (KS_PART_WDF_DIVISOR) still weigh less than its words.  Every free-text
 * field is also in the body's unprefixed terms, which a query without a
 * prefix searches.
 *
 * "titel:" has Xapian's conventional S (subject) prefix.  XBES, the
 * normalised decision ("Anbefales"), has no name: the API's beslutning
 * parameter filters by it, while "beslutning:" in a query searches the
 * section's text, XSBES.  XFIL is internal: which file a record came from,
 * so that the records of a file are deleted together. */
const ks_field ks_fields[KS_FIELD_COUNT] = {
	// clang-format off
	/*                              name           prefix   kind                wdf_inc */
	[KS_FIELD_BODY]            = { NULL,          "",      KS_FIELD_FREE_TEXT, 2 },
	[KS_FIELD_TITLE]           = { "titel",       "S",     KS_FIELD_FREE_TEXT, 8 },
	[KS_FIELD_ID]              = { NULL,          "Q",     KS_FIELD_BOOLEAN,   0 },
	[KS_FIELD_SAG]             = { "sag",         "XSAG",  KS_FIELD_BOOLEAN,   0 },
	[KS_FIELD_UDVALG]          = { "udvalg",      "XUDV",  KS_FIELD_BOOLEAN,   0 },
	[KS_FIELD_DECISION]        = { NULL,          "XBES",  KS_FIELD_BOOLEAN,   0 },
	[KS_FIELD_TYPE]            = { "type",        "XTYPE", KS_FIELD_BOOLEAN,   0 },
	[KS_FIELD_YEAR]            = { "år",          "Y",     KS_FIELD_BOOLEAN,   0 },
	[KS_FIELD_LUKKET]          = { "lukket",      "XLUK",  KS_FIELD_BOOLEAN,   0 },
	[KS_FIELD_BEHANDLING]      = { "behandling",  "XBEH",  KS_FIELD_BOOLEAN,   0 },
	[KS_FIELD_FILE]            = { NULL,          "XFIL",  KS_FIELD_BOOLEAN,   0 },
	[KS_FIELD_SEC_BESLUTNING]  = { "beslutning",  "XSBES", KS_FIELD_FREE_TEXT, 6 },
	[KS_FIELD_SEC_INDSTILLING] = { "indstilling", "XSIND", KS_FIELD_FREE_TEXT, 3 },
	[KS_FIELD_SEC_RESUME]      = { "resume",      "XSRES", KS_FIELD_FREE_TEXT, 4 },
	[KS_FIELD_SEC_OEKONOMI]    = { "oekonomi",    "XSOEK", KS_FIELD_FREE_TEXT, 2 },
	[KS_FIELD_SEC_BILAG]       = { "bilag",       "XSBIL", KS_FIELD_FREE_TEXT, 2 },
	// clang-format on
};

const ks_facet_def ks_facets[KS_FACET_COUNT] = {
	// clang-format off
	/*                           name          slot */
	[KS_FACET_TYPE]       = { "type",       KS_SLOT_TYPE },
	[KS_FACET_UDVALG]     = { "udvalg",     KS_SLOT_UDVALG },
	[KS_FACET_YEAR]       = { "year",       KS_SLOT_YEAR },
	[KS_FACET_BESLUTNING] = { "beslutning", KS_SLOT_BESLUTNING },
	// clang-format on
};
