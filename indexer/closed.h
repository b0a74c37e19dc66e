/* closed.h — the closed mark at the start of an agenda item's title.
 *
 * The rule: a title that begins with "Lukket" in any spelling is closed.
 * The seeds write "Punkt 7: Lukket: <title>"; clerks also write "Lukket
 * punkt:", "LUKKET -", "Lukket :", "(Lukket)", "[Lukket]", "Lukket." or
 * Markdown's "~~Lukket:~~", with dashes, odd blanks and doubled spaces.
 * No Xapian here.
 */
#ifndef KS_CLOSED_H
#define KS_CLOSED_H

#include <stdbool.h>
#include <stddef.h>

/* The title of a closed item whose heading has nothing but the mark
 * ("Punkt 5: Lukket punkt"): what the pages call a closed item. */
#define KS_CLOSED_UNTITLED "Lukket punkt"

/* The room for a warning: a sentence with a quote of the title, which
 * is cut at KS_CLOSED_QUOTE_BYTES. */
#define KS_CLOSED_WARNING_SIZE 256
#define KS_CLOSED_QUOTE_BYTES  60

typedef struct ks_closed {
	bool closed;       /* the item is closed */
	const char *title; /* its title without the mark: inside the title read,
			      or KS_CLOSED_UNTITLED (static) */
	size_t title_len;  /* bytes of TITLE; 0 for an empty open title */
	/* "" or what a person should check, as a sentence for
	 * "FILE:LINE: warning: …": a closed item read from another spelling
	 * than "Lukket: ", or an open one whose title looks like a mark. */
	char warning[KS_CLOSED_WARNING_SIZE];
} ks_closed;

/* Reads the closed mark at the start of TITLE, the text after "Punkt N:"
 * (Markdown removed, trimmed, valid UTF-8), into *OUT.  OUT->title points
 * into TITLE and is valid as long as it is. */
void ks_closed_read(const char *title, ks_closed *out);

#endif
