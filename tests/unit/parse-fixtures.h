/* parse-fixtures.h — the documents and calls the parser's unit tests share
 * (parse-fixtures.c).  Their checks count with the program's (check.h). */
#ifndef KS_PARSE_FIXTURES_H
#define KS_PARSE_FIXTURES_H

#include <stdbool.h>
#include <stddef.h>

#include "parse.h"

/* ks_parse() of SRC (LEN bytes) as the file "test-2025.txt". */
int parse_str(const char *src, size_t len, ks_document *doc, ks_parse_error *err);
/* Whether SRC parses into DOC (the caller clears it); the error on stderr
 * when it does not. */
bool parse_ok(const char *src, ks_document *doc);
/* The error of a document that must not parse (two checks that it does not). */
ks_parse_error parse_fails(const char *src, size_t len);

/* A meeting with a header, a table of contents and ITEMS; malloc'd, the
 * caller frees. */
char *minutes(const char *items);
/* A budget document in PDF layout whose one section's Beskrivelse is BODY;
 * malloc'd, the caller frees. */
char *budget(const char *body);
/* The Beskrivelse of budget(BODY) parsed into DOC (the caller clears it),
 * owned by DOC; NULL (and a failed check) if it did not parse. */
const char *beskrivelse_of(const char *body, ks_document *doc);

/* Three items of a meeting: a decision, a closed item and one without. */
extern const char item_src[];
/* item_src parsed as minutes into DOC (the caller clears it): false (a
 * failed check) if it did not parse into its three items. */
bool parse_items(ks_document *doc);

#endif
