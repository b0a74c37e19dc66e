/* writer.h — one interface, three back ends for a list of search hits
 * (as notmuch's sprinter): JSON (the API), CSV (export) and Atom (feeds).
 * A route runs the search, then hands the writer the listing's head, each
 * hit as a public record with its snippet, and the end. */
#ifndef KS_WRITER_H
#define KS_WRITER_H

#include <stdbool.h>
#include <stdint.h>

#include "server.h"

typedef struct ks_listing {
	const char *q;  /* the query as the user gave it */
	uint32_t total; /* all matches */
	unsigned page, per_page;
	const ks_hits *hits; /* facets and suggestion, when asked for */
	const char *base;    /* "http://host" for absolute links (Atom) */
	const char *self;    /* this listing's path and query string (Atom) */
	const char *updated; /* ISO 8601 time the index last changed (Atom) */
} ks_listing;

typedef struct ks_writer_class {
	const char *content_type;
	/* Starts the output in OUT; returns the back end's state (NULL when
	 * out of memory). */
	void *(*begin)(ks_sb *out, const ks_listing *l);
	/* One hit: RECORD as ks_record_listing() made it, SNIPPET already
	 * HTML-safe.  False when out of memory. */
	bool (*hit)(void *w, ks_sb *out, const ks_listing *l, const cJSON *record,
		    const char *snippet);
	/* Finishes OUT and frees W, whatever happened before.  False when out
	 * of memory. */
	bool (*end)(void *w, ks_sb *out, const ks_listing *l);
} ks_writer_class;

extern const ks_writer_class ks_writer_json, ks_writer_csv, ks_writer_atom;

#endif
