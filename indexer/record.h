/* record.h — one agenda item or budget section, as parsed from a document.
 *
 * The parser fills records; --dump prints them; the index writer turns each
 * into one Xapian document whose data is the same JSON.  Every string is
 * UTF-8 without trailing blanks, malloc'd and owned by the record.
 */
#ifndef KS_RECORD_H
#define KS_RECORD_H

#include <stdbool.h>
#include <stddef.h>

/* A growable array of owned strings. */
typedef struct ks_strv {
	char **v;
	size_t n, cap;
} ks_strv;

/* Appends a copy of S (of LEN bytes).  Returns 0, or -1 when out of memory. */
int ks_strv_push(ks_strv *sv, const char *s, size_t len);
void ks_strv_clear(ks_strv *sv);

typedef enum ks_record_type { KS_RECORD_PUNKT, KS_RECORD_BUDGET } ks_record_type;

/* The sections of an item (and of a budget section), in the order they are
 * printed.  The JSON names are ks_section_names[]. */
typedef enum ks_section {
	KS_SEC_BESLUTNING,
	KS_SEC_RESUME,
	KS_SEC_SAGSFREMSTILLING,
	KS_SEC_INDSTILLINGER,
	KS_SEC_BEHANDLING,
	KS_SEC_OEKONOMI,
	KS_SEC_BILAG,
	KS_SEC_BUDGETGRUNDLAG,
	KS_SEC_BESKRIVELSE,
	KS_SEC_UDVIKLING,
	KS_SEC_COUNT
} ks_section;

extern const char *const ks_section_names[KS_SEC_COUNT];
/* The order in which the sections make up a record's text. */
extern const ks_section ks_text_order[KS_SEC_COUNT];

/* The meeting an item belongs to. */
typedef struct ks_meeting {
	char *title;   /* the REFERAT line: "REFERAT Direktionen d. 06-10-2025" */
	char *udvalg;  /* "Direktionen" */
	char date[11]; /* "YYYY-MM-DD" */
	char time[6];  /* "HH:MM", "" if unknown */
	char *place;   /* NULL if unknown */
	ks_strv participants;
} ks_meeting;

typedef struct ks_record {
	char *id; /* URL-safe ASCII, stable for an unchanged file */
	ks_record_type type;
	char *title;
	char *sagsnummer; /* "25-002452", "21-046835K"; NULL for standing items */
	bool lukket;
	char date[11];                /* "YYYY-MM-DD", "" for budget sections */
	int year;                     /* 0 if unknown */
	char *udvalg;                 /* NULL if unknown */
	int punkt;                    /* agenda item number; section number for budgets */
	const ks_meeting *meeting;    /* shared by the items of one file, not owned */
	char *sections[KS_SEC_COUNT]; /* NULL when absent */
	ks_strv behandling;           /* the bodies named in Behandling */
	ks_strv bilag;                /* attachment titles */
	char *beslutning;             /* the decision as a facet value ("Anbefales"), or NULL */
	bool has_nettobudget;
	long long nettobudget; /* integer kroner */
	char *source;          /* the file's name */
	int line;              /* where the record starts in the source */
	int page;              /* the PDF page it starts on; 0 for text files */
} ks_record;

void ks_record_clear(ks_record *r);
void ks_meeting_clear(ks_meeting *m);

/* All text of R (its sections in order, blank-line separated), malloc'd,
 * caller frees; "" for a closed item.  NULL when out of memory. */
char *ks_record_text(const ks_record *r);

/* Where the server serves an item's page (server/routes.c): the "url" of
 * its JSON is KS_ITEM_URL_PREFIX + id. */
#define KS_ITEM_URL_PREFIX "/item/"

/* R as one line of compact JSON (the API's item object), malloc'd, caller
 * frees.  A closed item shows only what may be shown.  NULL when out of
 * memory. */
char *ks_record_json(const ks_record *r);

#endif
