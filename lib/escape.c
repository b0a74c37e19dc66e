/* escape.c — text written into JSON, XML and HTML, and the log (see
 * escape.h). */
#include "escape.h"

#include <stdio.h>
#include <string.h>

/* What stands for a byte that is not UTF-8 and for a character that XML
 * forbids: U+FFFD, the replacement character. */
#define REPLACEMENT "\xef\xbf\xbd"

void ks_sb_put_json(ks_sb *sb, const char *printed)
{
	/* cJSON escapes the control characters but passes other bytes on as
	 * they are: a string that is not UTF-8 (from an index, a library's
	 * message) gets U+FFFD for each byte that is not.  Such bytes and
	 * '<', '>' and '&' occur only inside strings, where an escape is
	 * allowed. */
	const unsigned char *p = (const unsigned char *)printed;
	size_t n = strlen(printed), start = 0, i = 0;
	while (i < n) {
		const char *as = NULL;
		unsigned cp;
		size_t len = p[i] < 0x80 ? 1 : ks_utf8_seq(p + i, n - i, &cp);
		switch (p[i]) {
		case '<':
			as = "\\u003c";
			break;
		case '>':
			as = "\\u003e";
			break;
		case '&':
			as = "\\u0026";
			break;
		default:
			if (!len)
				as = "\\ufffd";
		}
		if (!len)
			len = 1;
		if (as) {
			ks_sb_append(sb, printed + start, i - start);
			ks_sb_puts(sb, as);
			start = i + len;
		}
		i += len;
	}
	ks_sb_append(sb, printed + start, n - start);
}

/* Whether XML 1.0 allows code point CP (its production Char): not the
 * control characters but tab, LF and CR, and not U+FFFE and U+FFFF (the
 * surrogates are no UTF-8). */
static bool xml_char(unsigned cp)
{
	return cp >= 0x20 ? cp != 0xFFFE && cp != 0xFFFF : cp == '\t' || cp == '\n' || cp == '\r';
}

void ks_sb_escape_xml(ks_sb *sb, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), start = 0, i = 0;
	while (i < n) {
		const char *as = NULL;
		unsigned cp = p[i];
		size_t len = cp < 0x80 ? 1 : ks_utf8_seq(p + i, n - i, &cp);
		switch (cp) {
		case '&':
			as = "&amp;";
			break;
		case '<':
			as = "&lt;";
			break;
		case '>':
			as = "&gt;";
			break;
		case '"':
			as = "&quot;";
			break;
		case '\'':
			as = "&#39;";
			break;
		default:
			if (!len || !xml_char(cp))
				as = REPLACEMENT;
		}
		if (!len)
			len = 1;
		if (as) {
			ks_sb_append(sb, s + start, i - start);
			ks_sb_puts(sb, as);
			start = i + len;
		}
		i += len;
	}
	ks_sb_append(sb, s + start, n - start);
}

size_t ks_printable(char *out, size_t size, const char *s, size_t len, bool field)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= (field ? 0x21 : 0x20) && c < 0x7f && c != '\\') {
			if (n + 1 >= size)
				break;
			out[n++] = (char)c;
		} else {
			if (n + 4 >= size)
				break;
			n += (size_t)snprintf(out + n, size - n, "\\x%02x", c);
		}
	}
	out[n] = '\0';
	return n;
}
