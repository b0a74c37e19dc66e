/* index.c — records into Xapian documents, by the schema of lib/schema.h. */
#include "index.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Collects the first failure of a sequence of binding calls. */
#define TRY(expr)                                                                                  \
	do {                                                                                       \
		if (st == KS_OK)                                                                   \
			st = (expr);                                                               \
	} while (0)

/* The free-text field that section SEC is indexed into: its own when it
 * can be searched alone ("beslutning:"), else the body. */
static ks_field_id section_field(ks_section sec)
{
	switch (sec) {
	case KS_SEC_BESLUTNING:
		return KS_FIELD_SEC_BESLUTNING;
	case KS_SEC_INDSTILLINGER:
		return KS_FIELD_SEC_INDSTILLING;
	case KS_SEC_RESUME:
		return KS_FIELD_SEC_RESUME;
	case KS_SEC_OEKONOMI:
		return KS_FIELD_SEC_OEKONOMI;
	case KS_SEC_BILAG:
		return KS_FIELD_SEC_BILAG;
	default:
		return KS_FIELD_BODY;
	}
}

ks_status ks_index_record_into(ks_db *words, ks_db *into, const ks_record *r, const char *file_key)
{
	ks_doc *doc;
	ks_status st = ks_doc_new(words, &doc);
	if (st)
		return st;
	/* A closed item shows what the published minutes print of it: its
	 * title, case number, number and meeting.  It gives the terms and
	 * values that those, its committee's facet and filter and sorting
	 * need, and none of its text, no decision, no bodies and nothing to
	 * the spelling data. */
	bool open = !r->lukket;
	const char *type = r->type == KS_RECORD_BUDGET ? KS_TYPE_BUDGET : KS_TYPE_PUNKT;
	char year[16] = "";
	if (r->year > 0)
		snprintf(year, sizeof year, "%d", r->year);

	TRY(ks_doc_index_text(doc, KS_FIELD_TITLE, r->title, open));
	if (r->sagsnummer)
		TRY(ks_doc_index_text(doc, KS_FIELD_BODY, r->sagsnummer, false));
	if (open) {
		/* Each section with the weight of its field (lib/schema.c), in
		 * the order of the record's text. */
		for (size_t i = 0; i < KS_SEC_COUNT; i++) {
			ks_section sec = ks_text_order[i];
			if (r->sections[sec])
				TRY(ks_doc_index_text(doc, section_field(sec), r->sections[sec],
						      true));
		}
		TRY(ks_doc_add_boolean(doc, KS_FIELD_DECISION, r->beslutning));
		for (size_t i = 0; i < r->behandling.n; i++)
			TRY(ks_doc_add_boolean(doc, KS_FIELD_BEHANDLING, r->behandling.v[i]));
	}
	TRY(ks_doc_add_boolean(doc, KS_FIELD_UDVALG, r->udvalg));
	TRY(ks_doc_add_boolean(doc, KS_FIELD_ID, r->id));
	TRY(ks_doc_add_boolean(doc, KS_FIELD_SAG, r->sagsnummer));
	TRY(ks_doc_add_boolean(doc, KS_FIELD_TYPE, type));
	TRY(ks_doc_add_boolean(doc, KS_FIELD_YEAR, year));
	TRY(ks_doc_add_boolean(doc, KS_FIELD_LUKKET, r->lukket ? "true" : "false"));
	TRY(ks_doc_add_boolean(doc, KS_FIELD_FILE, file_key));

	if (r->date[0]) {
		char ymd[9] = { r->date[0], r->date[1], r->date[2], r->date[3], r->date[5],
				r->date[6], r->date[8], r->date[9], '\0' };
		TRY(ks_doc_set_value(doc, KS_SLOT_DATE, ymd));
	}
	if (r->has_nettobudget)
		TRY(ks_doc_set_number(doc, KS_SLOT_NETTOBUDGET, (double)r->nettobudget));
	TRY(ks_doc_set_number(doc, KS_SLOT_PUNKT, r->punkt));
	TRY(ks_doc_set_value(doc, KS_SLOT_TYPE, type));
	if (r->udvalg)
		TRY(ks_doc_set_value(doc, KS_SLOT_UDVALG, r->udvalg));
	if (year[0])
		TRY(ks_doc_set_value(doc, KS_SLOT_YEAR, year));
	if (open && r->beslutning)
		TRY(ks_doc_set_value(doc, KS_SLOT_BESLUTNING, r->beslutning));

	char *json = ks_record_json(r);
	if (!json)
		st = st ? st : KS_ERR_NOMEM;
	else
		TRY(ks_doc_set_data(doc, json));
	free(json);
	TRY(ks_db_replace(into, r->id, doc));
	ks_doc_free(doc);
	return st;
}

ks_status ks_learn_record(ks_db *words, const ks_record *r)
{
	ks_status st = KS_OK;
	TRY(ks_db_learn_text(words, r->title));
	if (r->sagsnummer)
		TRY(ks_db_learn_text(words, r->sagsnummer));
	for (size_t i = 0; i < KS_SEC_COUNT && !r->lukket; i++)
		if (r->sections[ks_text_order[i]])
			TRY(ks_db_learn_text(words, r->sections[ks_text_order[i]]));
	return st;
}
