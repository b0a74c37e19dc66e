/* writer.h — one interface, four back ends for a list of search hits
 * (as notmuch's sprinter): JSON (the API), CSV and xlsx (exports) and Atom
 * (feeds).
 * A route runs the search, then hands the writer the listing's head, each
 * hit as a public record with its snippet, and the end. */
#ifndef KS_WRITER_H
#define KS_WRITER_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "server.h"

typedef struct ks_listing {
	const char *q;           /* the query as the user gave it */
	const ks_query *query;   /* the query and its filters (feed titles) */
	uint32_t total;          /* all matches */
	unsigned page, per_page; /* for an export: per_page is its cap of rows */
	const ks_hits *hits;     /* facets and suggestion, when asked for */
	const char *base;        /* "http://host" for absolute links (Atom, exports) */
	const char *self;        /* this listing's path and query string (Atom) */
	const char *updated;     /* ISO 8601 time the index last changed (Atom) */
	const char *file;        /* the export's temporary file, by a name that the
				  * xlsx writer writes its workbook to; NULL: none */
} ks_listing;

typedef struct ks_writer_class {
	const char *content_type;
	/* Starts the output in OUT (or in the listing's file); returns the
	 * back end's state (NULL when out of memory, or when it needs a file
	 * and has none). */
	void *(*begin)(ks_sb *out, const ks_listing *l);
	/* One hit: RECORD as ks_record_listing() made it, SNIPPET already
	 * HTML-safe.  False when out of memory. */
	bool (*hit)(void *w, ks_sb *out, const ks_listing *l, const cJSON *record,
		    const char *snippet);
	/* Finishes OUT and frees W, whatever happened before.  False when out
	 * of memory. */
	bool (*end)(void *w, ks_sb *out, const ks_listing *l);
} ks_writer_class;

extern const ks_writer_class ks_writer_json, ks_writer_csv, ks_writer_xlsx, ks_writer_atom;

/* ---- what an export and a feed say about their search (export-name.c) -- */

/* The search of Q in words, its query and then its filters, each as the
 * search page names it: "hjemløshed, udvalg Økonomiudvalget", "sag
 * 25-002103"; nothing for every record unfiltered.  Appended to OUT. */
void ks_search_describe(const ks_query *q, ks_sb *out);

/* The Content-Disposition of an export of Q with extension EXT ("csv",
 * "xlsx") made at NOW (the server's local date): an attachment named
 * "kommunesoeg-hjemloeshed-2026-12-03.xlsx", the search folded to ASCII
 * a-z, 0-9 and '-', and its UTF-8 name in filename* (RFC 6266) when that
 * differs.  Into OUT; false when out of memory. */
bool ks_export_disposition(const ks_query *q, const char *ext, time_t now, ks_sb *out);

/* The note an export carries as its last row when it stopped at its cap:
 * "Eksporten stoppede ved 10.000 rækker; søgningen fandt 12.345 …".
 * Nothing when L holds every match.  Appended to OUT. */
void ks_export_cap_note(const ks_listing *l, size_t rows, ks_sb *out);

#endif
