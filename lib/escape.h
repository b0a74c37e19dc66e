/* escape.h — text that a request or a document brought, written into JSON,
 * XML and HTML, and the log, so that it can neither break out of its place
 * nor make the output invalid. */
#ifndef KS_ESCAPE_H
#define KS_ESCAPE_H

#include <stdbool.h>
#include <stddef.h>

#include "text.h"

/* Appends the printed JSON text to SB with '<', '>' and '&' written as
 * \u003c, \u003e and \u0026 (they occur only inside strings), so that no
 * reflected markup survives even where JSON is taken for HTML, and a byte
 * that is not UTF-8 as \ufffd, so that the text is valid UTF-8. */
void ks_sb_put_json(ks_sb *sb, const char *printed);

/* Appends S to SB with &, <, >, " and ' escaped, for HTML and XML, and
 * U+FFFD for each byte that is not UTF-8 and each character that XML 1.0
 * forbids (the control characters but tab, LF and CR; U+FFFE; U+FFFF), so
 * that the document stays XML whatever S holds. */
void ks_sb_escape_xml(ks_sb *sb, const char *s);

/* Writes the LEN bytes at S into OUT (SIZE > 0 bytes, NUL-terminated) with
 * every byte outside printable ASCII and every backslash as \xNN, so that
 * what a client sent can neither start a line of a log nor move a
 * terminal's cursor; with FIELD (S is one field of a line of fields, such as
 * the access log's path), a space too.  Stops before a byte whose form would
 * not fit.  Returns the length written. */
size_t ks_printable(char *out, size_t size, const char *s, size_t len, bool field);

#endif
