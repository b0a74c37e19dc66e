/* decode.c — bytes of a file into clean UTF-8 text.
 *
 * Council archives hold UTF-8 (sometimes with a BOM, sometimes with CRLF
 * line ends, as Windows editors write them) and, for older years,
 * Windows-1252.  Valid UTF-8 is taken as UTF-8; any other byte is read as
 * Windows-1252, whose only undefined bytes (0x81, 0x8D, 0x8F, 0x90, 0x9D)
 * mark a file that is neither.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

#include "parse.h"

/* Unicode code points of Windows-1252 bytes 0x80..0x9F; 0 = undefined. */
static const unsigned short cp1252_c1[32] = {
	0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
	0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
	0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,
};

static void set_error(ks_parse_error *err, int line, const char *msg)
{
	err->line = line;
	snprintf(err->message, sizeof err->message, "%s", msg);
}

static size_t put_utf8(char *out, unsigned cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	} else if (cp < 0x800) {
		out[0] = (char)(0xC0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	} else if (cp < 0x10000) {
		out[0] = (char)(0xE0 | cp >> 12);
		out[1] = (char)(0x80 | (cp >> 6 & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | cp >> 18);
	out[1] = (char)(0x80 | (cp >> 12 & 0x3F));
	out[2] = (char)(0x80 | (cp >> 6 & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

static int line_at(const unsigned char *s, size_t pos)
{
	int line = 1;
	for (size_t i = 0; i < pos; i++)
		if (s[i] == '\n')
			line++;
	return line;
}

/* Writes code point CP of the input to OUT, normalising what the formats
 * need normalised, and returns the bytes written.  NEXT is the following
 * input byte, or -1 at the end. */
static size_t put_normalised(char *out, unsigned cp, int next)
{
	switch (cp) {
	case '\r': /* CRLF and lone CR both end a line */
		return next == '\n' ? 0 : put_utf8(out, '\n');
	case '\f': /* pdftotext's page break: an empty line, like a page gap */
		return put_utf8(out, '\n');
	case '\v':
	case 0xA0: /* no-break space: a space for the tokenizer and for trimming */
		return put_utf8(out, ' ');
	case 0xAD: /* soft hyphen: visible only at a line end, where PDF text
		    * breaks a word; elsewhere it is nothing */
		return next == '\n' || next == '\r' ? put_utf8(out, '-') : 0;
	case 0xFEFF: /* a BOM or zero-width no-break space inside the text */
		return 0;
	}
	/* A control character, or one of the two code points that are no
	 * character (U+FFFE, a BOM read the wrong way round, and U+FFFF), is
	 * a space: none of them is text, and XML 1.0 forbids them all, so a
	 * feed that carried one would not be XML. */
	if ((cp < 0x20 && cp != '\n' && cp != '\t') || cp == 0xFFFE || cp == 0xFFFF)
		return put_utf8(out, ' ');
	return put_utf8(out, cp);
}

char *ks_decode(const char *data, size_t len, size_t *out_len, ks_parse_error *err)
{
	const unsigned char *s = (const unsigned char *)data;
	if (len == 0) {
		set_error(err, 1, "empty file");
		return NULL;
	}
	if (len > KS_MAX_FILE_BYTES) {
		set_error(err, 1, "file too large to be a council document (over 64 MB)");
		return NULL;
	}
	if (len >= 2 && ((s[0] == 0xFF && s[1] == 0xFE) || (s[0] == 0xFE && s[1] == 0xFF))) {
		set_error(err, 1, "UTF-16 text: save the file as UTF-8");
		return NULL;
	}
	const unsigned char *nul = memchr(s, '\0', len);
	if (nul) {
		snprintf(err->message, sizeof err->message,
			 "binary data (a NUL byte at offset %zu), not a text document",
			 (size_t)(nul - s));
		err->line = line_at(s, (size_t)(nul - s));
		return NULL;
	}
	/* Text has few control characters; many of them mean a binary file
	 * without NULs (or a wrong encoding no conversion can save). */
	size_t controls = 0;
	for (size_t i = 0; i < len; i++)
		if (s[i] < 0x20 && s[i] != '\n' && s[i] != '\r' && s[i] != '\t' && s[i] != '\f')
			controls++;
	if (controls * 100 > len) {
		set_error(err, 1, "binary data (control characters), not a text document");
		return NULL;
	}

	size_t start = 0;
	if (len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF)
		start = 3;

	/* Each valid UTF-8 sequence is taken as UTF-8 and every other byte as
	 * Windows-1252: a UTF-8 file, a Windows-1252 file and a file pasted
	 * together from both all come out right.  (Windows-1252 Danish text
	 * practically never forms valid multi-byte UTF-8: "æ" is 0xE6 followed
	 * by a letter.)  Every input byte becomes at most 3 output bytes. */
	char *out = malloc(3 * (len - start) + 1);
	if (!out) {
		set_error(err, 1, "out of memory");
		return NULL;
	}
	size_t o = 0;
	for (size_t i = start; i < len;) {
		unsigned cp;
		size_t n = ks_utf8_seq(s + i, len - i, &cp);
		if (!n) {
			n = 1;
			cp = s[i];
			if (cp >= 0x80 && cp <= 0x9F) {
				cp = cp1252_c1[cp - 0x80];
				if (!cp) {
					snprintf(err->message, sizeof err->message,
						 "byte 0x%02X is neither UTF-8 nor Windows-1252",
						 s[i]);
					err->line = line_at(s, i);
					free(out);
					return NULL;
				}
			}
		}
		i += n;
		o += put_normalised(out + o, cp, i < len ? s[i] : -1);
	}
	out[o] = '\0';

	size_t k = 0;
	while (k < o && (out[k] == ' ' || out[k] == '\n' || out[k] == '\t'))
		k++;
	if (k == o) {
		free(out);
		set_error(err, 1, "empty file (only blank lines)");
		return NULL;
	}
	*out_len = o;
	return out;
}

char *ks_decode_name(const char *name)
{
	const unsigned char *s = (const unsigned char *)name;
	size_t len = strlen(name);
	char *out = malloc(3 * len + 1);
	if (!out)
		return NULL;
	size_t o = 0;
	for (size_t i = 0; i < len;) {
		unsigned cp;
		size_t n = ks_utf8_seq(s + i, len - i, &cp);
		if (!n) {
			n = 1;
			cp = s[i];
			if (cp >= 0x80 && cp <= 0x9F)
				cp = cp1252_c1[cp - 0x80] ? cp1252_c1[cp - 0x80] : 0xFFFD;
		}
		i += n;
		o += put_utf8(out + o, cp);
	}
	out[o] = '\0';
	return out;
}
