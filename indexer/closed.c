/* closed.c — the closed mark at the start of an agenda item's title (see
 * closed.h).
 *
 * The mark is the word "lukket", in any case, at the start of the title
 * (after Markdown's marks and an opening bracket), followed by anything but
 * a letter: "Lukketid", "Lukketiden" and "Lukkethed" are words of their own
 * and stay open.  The mark goes on over "punkt", the closing bracket and any
 * colons, dashes, full stops, commas and semicolons; the title is what
 * follows.  The word alone before more words ("Lukket afdeling på Solhjem")
 * still closes the item, as the rule says (closed.h), but nothing tells the
 * mark from the title there, so the title is kept whole.
 *
 * Only the start counts.  "Lukket" later in a title, written as a mark would
 * be ("Salg af grund (Lukket)", "Orientering - LUKKET: …"), and a misspelt
 * mark ("Luket:", "Lukkket -") leave the item open: the rule closes titles
 * that begin with "Lukket", and guessing further would hide open items.
 * "Ulukket" is another word.  Each of these, and every closed item not
 * written "Lukket: " as the seeds write it, gets a warning, so that a person
 * can look at the source.
 */
#include "closed.h"

#include <stdio.h>
#include <string.h>

#include "text.h"

/* Blanks a heading may hold: the space, the tab, and the spaces and
 * invisible joiners of word processors (the decoder has already made a
 * no-break space a space). */
static bool is_blank(unsigned cp)
{
	return cp == ' ' || cp == '\t' || cp == 0xA0 || (cp >= 0x2000 && cp <= 0x200D) ||
	       cp == 0x202F || cp == 0x205F || cp == 0x2060 || cp == 0x3000 || cp == 0xFEFF;
}

/* Markdown's marks that ks_demarkdown() leaves: ~~strike~~, __bold__,
 * `code`, and a '*' it did not pair. */
static bool is_markup(unsigned cp)
{
	return cp == '~' || cp == '_' || cp == '`' || cp == '*';
}

static bool is_space(unsigned cp)
{
	return is_blank(cp) || is_markup(cp);
}

/* What ends a mark: a colon, a dash (hyphen, en and em dash, minus), a full
 * stop, a comma or a semicolon. */
static bool is_separator(unsigned cp)
{
	return cp == ':' || cp == 0xFF1A || cp == '.' || cp == ',' || cp == ';' || cp == '-' ||
	       (cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212;
}

/* Whether CP continues a word: a letter, or any character past the Latin
 * ones that is not a blank or punctuation.  A digit does not. */
static bool is_word(unsigned cp)
{
	if (cp < 0x80)
		return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
	return ks_is_letter(cp) || (cp >= 0x180 && !is_blank(cp) && !is_separator(cp) &&
				    !(cp >= 0x2000 && cp <= 0x206F));
}

/* Lower case of the Latin letters, for comparing words. */
static unsigned fold(unsigned cp)
{
	if ((cp >= 'A' && cp <= 'Z') || (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7))
		return cp + 32;
	return cp;
}

/* P past every code point that WHAT accepts. */
static const char *skip(const char *p, bool (*what)(unsigned))
{
	size_t n;
	while (*p && what(ks_utf8_get(p, &n)))
		p += n;
	return p;
}

/* Past the word W (lower-case ASCII letters) at P, in any case, when no
 * letter follows it; NULL when P does not start with that word. */
static const char *word_at(const char *p, const char *w)
{
	size_t n = strlen(w), len;
	for (size_t i = 0; i < n; i++)
		if ((p[i] | 0x20) != w[i]) /* only a letter's case is folded so */
			return NULL;
	return p[n] && is_word(ks_utf8_get(p + n, &len)) ? NULL : p + n;
}

/* The LEN bytes at S, quoted into OUT (SIZE bytes, at least 80) as a warning
 * shows them: cut after KS_CLOSED_QUOTE_BYTES with "…", and every blank but
 * the space and every control character as \uXXXX, so that one can see why
 * a mark was not the plain "Lukket: ". */
static void quote(char *out, size_t size, const char *s, size_t len)
{
	const char *end = s + len;
	size_t o = 0;
	out[0] = '\0';
	while (s < end && o + 12 < size) {
		size_t n;
		unsigned cp = ks_utf8_get(s, &n);
		if (!n)
			break;
		if (o >= KS_CLOSED_QUOTE_BYTES) {
			snprintf(out + o, size - o, "…");
			break;
		}
		if (cp < 0x20 || cp == 0x7F || (cp != ' ' && is_blank(cp))) {
			o += (size_t)snprintf(out + o, size - o, "\\u%04X", cp);
		} else {
			memcpy(out + o, s, n);
			o += n;
			out[o] = '\0';
		}
		s += n;
	}
}

/* Whether A (NA letters) is B (NB) with one letter added, left out or
 * changed, or two neighbours swapped. */
static bool one_edit(const unsigned *a, size_t na, const unsigned *b, size_t nb)
{
	size_t i = 0;
	while (i < na && i < nb && a[i] == b[i])
		i++;
	if (na == nb)
		return i < na && (!memcmp(a + i + 1, b + i + 1, (na - i - 1) * sizeof *a) ||
				  (i + 1 < na && a[i] == b[i + 1] && a[i + 1] == b[i] &&
				   !memcmp(a + i + 2, b + i + 2, (na - i - 2) * sizeof *a)));
	if (na == nb + 1)
		return !memcmp(a + i + 1, b + i, (nb - i) * sizeof *a);
	if (nb == na + 1)
		return !memcmp(a + i, b + i + 1, (na - i) * sizeof *a);
	return false;
}

/* A misspelt mark at P, the first word (after markup and the bracket that
 * CLOSE closes, 0 for none): a word one letter off "lukket" that ends like
 * a mark, at a separator or the bracket ("Luket:", "Lukkket -",
 * "(Lukekt)").  Past it, or NULL. */
static const char *misspelt_mark(const char *p, unsigned close)
{
	static const unsigned lukket[] = { 'l', 'u', 'k', 'k', 'e', 't' };
	unsigned w[8];
	size_t n = 0, len;
	unsigned cp;
	while (*p && is_word(cp = ks_utf8_get(p, &len))) {
		if (n == sizeof w / sizeof *w)
			return NULL;
		w[n++] = fold(cp);
		p += len;
	}
	if (!one_edit(w, n, lukket, sizeof lukket / sizeof *lukket))
		return NULL;
	p = skip(p, is_space);
	cp = ks_utf8_get(p, &len);
	return is_separator(cp) || (close && cp == close) ? p + len : NULL;
}

/* The word "lukket" later in TITLE, written as a mark: in brackets, before
 * a colon, or capitalised.  What to quote of it in [*FROM, *TO); false when
 * there is none.  (The lower-case adjective, "lukket afdeling", is not.) */
static bool later_mark(const char *title, const char **from, const char **to)
{
	bool in_word = false;
	size_t len;
	for (const char *p = title; *p; p += len) {
		unsigned cp = ks_utf8_get(p, &len);
		const char *end = in_word ? NULL : word_at(p, "lukket");
		in_word = is_word(cp);
		if (!end)
			continue;
		bool opened = p > title && (p[-1] == '(' || p[-1] == '[');
		bool ends = *end == ':' || *end == ')' || *end == ']';
		if (opened || ends || cp == 'L') {
			*from = opened ? p - 1 : p;
			*to = ends ? end + 1 : end;
			return true;
		}
	}
	return false;
}

/* An open item's title: warns of what looks like a mark in it.  P is where
 * the mark would have started, CLOSE the bracket that would close it. */
static void read_open(const char *title, const char *p, unsigned close, ks_closed *out)
{
	char q[128];
	const char *from, *to = misspelt_mark(p, close);
	if (to) {
		quote(q, sizeof q, title, (size_t)(to - title));
		snprintf(out->warning, sizeof out->warning,
			 "\"%s\" looks like the closed mark \"Lukket:\" but is not it: "
			 "read as an open item",
			 q);
	} else if (later_mark(title, &from, &to)) {
		quote(q, sizeof q, from, (size_t)(to - from));
		snprintf(out->warning, sizeof out->warning,
			 "\"%s\" is not at the start of the title: read as an open item", q);
	}
}

void ks_closed_read(const char *title, ks_closed *out)
{
	*out = (ks_closed){ .title = title, .title_len = strlen(title) };
	const char *lead = skip(title, is_blank);
	const char *p = skip(lead, is_markup);
	size_t markup = (size_t)(p - lead);
	unsigned close = 0;
	if (*p == '(' || *p == '[') {
		close = *p == '(' ? ')' : ']';
		p = skip(p + 1, is_space);
	}
	/* "Lukketpunkt" is no word but the mark without its blank. */
	const char *s = word_at(p, "lukketpunkt");
	bool marked = s != NULL;
	if (!s && !(s = word_at(p, "lukket"))) {
		read_open(title, p, close, out);
		return;
	}
	out->closed = true;
	const char *punkt = word_at(skip(s, is_space), "punkt");
	if (punkt) {
		s = punkt;
		marked = true;
	}
	for (;;) {
		size_t n;
		s = skip(s, is_space);
		unsigned cp = ks_utf8_get(s, &n);
		if (close && cp == close)
			close = 0;
		else if (!is_separator(cp))
			break;
		s += n;
		marked = true;
	}

	/* A bracket or markup that opened before the mark may close the
	 * title: "(Lukket: Salg af grund)", "~~Lukket: Salg af grund~~". */
	const char *rest = s;
	size_t rest_len = strlen(rest);
	if (close && rest_len && (unsigned char)rest[rest_len - 1] == close)
		rest_len--;
	if (markup && rest_len >= markup && !memcmp(rest + rest_len - markup, lead, markup))
		rest_len -= markup;
	while (rest_len && (rest[rest_len - 1] == ' ' || rest[rest_len - 1] == '\t'))
		rest_len--;

	char q[128];
	if (!marked && rest_len) {
		quote(q, sizeof q, title, strlen(title));
		snprintf(out->warning, sizeof out->warning,
			 "read \"%s\" as a closed item: the title begins with the word \"Lukket\"",
			 q);
		return;
	}
	if (!rest_len) {
		out->title = KS_CLOSED_UNTITLED;
		out->title_len = strlen(KS_CLOSED_UNTITLED);
		quote(q, sizeof q, title, strlen(title));
		snprintf(out->warning, sizeof out->warning,
			 "read \"%s\" as a closed item without a title", q);
		return;
	}
	out->title = rest;
	out->title_len = rest_len;
	/* "Lukket: " (in any case) as the seeds write it needs no word. */
	size_t mark_len = (size_t)(rest - title);
	bool plain = ks_da_prefix(title, "Lukket:") && strspn(title + 7, " ") == mark_len - 7;
	while (mark_len && title[mark_len - 1] == ' ')
		mark_len--;
	if (!plain) {
		quote(q, sizeof q, title, mark_len);
		snprintf(out->warning, sizeof out->warning, "read \"%s\" as a closed item", q);
	}
}
