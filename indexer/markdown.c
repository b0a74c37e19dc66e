/* markdown.c — Markdown markup removed from a line of a document, its text
 * kept: the minutes come as Markdown too (seed 003). */
#include "parse.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

static bool is_word_byte(unsigned char c)
{
	return isalnum(c) || c >= 0x80;
}

/* Removes Markdown from one line, keeping its text (seed 003 for headings,
 * bold and italics; seed 001 for links with escaped parentheses in plain
 * text). */
char *ks_demarkdown(const char *line)
{
	ks_sb sb = { 0 };
	const char *p = line;
	while (*p == ' ' || *p == '\t')
		p++;
	const char *hashes = p;
	while (*p == '#')
		p++;
	if (p > hashes && (*p == ' ' || *p == '\0'))
		while (*p == ' ')
			p++;
	else
		p = hashes;
	/* A Markdown bullet is a list item like the minutes' "- ". */
	if ((p[0] == '*' || p[0] == '+') && p[1] == ' ') {
		ks_sb_puts(&sb, "- ");
		p += 2;
	} else if (!strncmp(p, "\u2022 ", 4)) {
		ks_sb_puts(&sb, "- ");
		p += 4;
	}
	while (*p) {
		if (p[0] == '*' && p[1] == '*') {
			p += 2;
		} else if (p[0] == '*') {
			/* Italics: a '*' opening at a word start and closing at a
			 * word end; a lone asterisk ("5 * 3") stays. */
			bool opens = (p == line || !is_word_byte((unsigned char)p[-1])) && p[1] &&
				     p[1] != ' ' && p[1] != '*';
			const char *close = opens ? strchr(p + 1, '*') : NULL;
			if (close && close[-1] != ' ' && !is_word_byte((unsigned char)close[1])) {
				ks_sb_append(&sb, p + 1, (size_t)(close - p - 1));
				p = close + 1;
			} else {
				ks_sb_append(&sb, p++, 1);
			}
		} else if (p[0] == '[') {
			/* [text](target): the text stays, the target goes. */
			const char *close = strstr(p, "](");
			const char *end = close ? strchr(close + 2, ')') : NULL;
			if (close && end && !memchr(p + 1, '[', (size_t)(close - p - 1))) {
				char *inner = strndup(p + 1, (size_t)(close - p - 1));
				char *clean = inner ? ks_demarkdown(inner) : NULL;
				if (clean)
					ks_sb_puts(&sb, clean);
				else
					sb.oom = true;
				free(inner);
				free(clean);
				p = end + 1;
			} else {
				ks_sb_append(&sb, p++, 1);
			}
		} else if (p[0] == '\\' && p[1] && ispunct((unsigned char)p[1])) {
			ks_sb_append(&sb, p + 1, 1);
			p += 2;
		} else {
			ks_sb_append(&sb, p++, 1);
		}
	}
	/* Markup removed from the ends can leave blanks there. */
	char *s = ks_sb_take(&sb);
	if (s) {
		size_t n = strlen(s);
		while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
			s[--n] = '\0';
		size_t k = 0;
		while (s[k] == ' ')
			k++;
		memmove(s, s + k, n - k + 1);
	}
	return s;
}
