/* sentences.c — where a sentence of Danish text ends: not at every full
 * stop, since Danish writes abbreviations ("pr.", "jf.", "f.s.v.a."),
 * ordinals and dates ("den 1. januar") and numbers ("121.108 kr.") with
 * one. */
#include "parse-private.h"

/* Abbreviations that stand before what they qualify ("pr. mail", "jf.
 * Serviceloven", "ca. 25", "stk. 2"), so that a capital or a digit after
 * them starts no sentence; without their last full stop, lower case.  An
 * abbreviation that may end a sentence ("kr.", "mio.", "osv.", "m.fl.")
 * is not listed: a lower-case word after it continues the sentence, as
 * after any full stop, and a capital after it starts the next one. */
static const char *const prefix_abbreviations[] = {
	"ang",   "bl.a",  "ca",    "d.v.s",   "dr",   "dvs", "ekskl", "evt", "f.eks",
	"f.o.m", "f.s.v", "fr",    "f.s.v.a", "fx",   "gl",  "hhv",   "hr",  "i.h.t",
	"ifm",   "iflg",  "ift",   "iht",     "inkl", "jf",  "jvf",   "kl",  "m.h.t",
	"mht",   "nr",    "p.g.a", "pga",     "pkt",  "pr",  "sdr",   "skt", "st",
	"stk",   "t.o.m", "tlf",   "vedr",    "vha",
};

/* Whether the LEN bytes at WORD are the abbreviation ABBR, in any case. */
static bool is_abbreviation(const char *word, size_t len, const char *abbr)
{
	if (strlen(abbr) != len)
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = word[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != abbr[i])
			return false;
	}
	return true;
}

/* Whether the byte C is part of a word with its full stops: an ASCII
 * letter, a byte of a multi-byte character, or '.' ("f.s.v.a"). */
static bool word_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80 || c == '.';
}

/* Whether the mark ('.', '!' or '?') at TEXT[AT] ends its sentence, NEXT
 * being the text that follows the mark and the white space after it (""
 * when nothing follows).  A Danish sentence starts with a capital (or a
 * digit, a quote, a sign), so a lower-case word after a full stop always
 * continues the sentence: "pr. mail", "mio. kr.", "den 1. januar".  A
 * capital or a digit continues it only after an abbreviation of
 * prefix_abbreviations[] or an initial ("O. Hansen"). */
bool ks_sentence_ends(const char *text, size_t at, const char *next)
{
	size_t len;
	unsigned first = ks_utf8_get(next, &len);
	if (!first)
		return true;
	if (ks_is_lower(first))
		return false;
	if (text[at] != '.')
		return true;
	size_t start = at;
	while (start > 0 && word_byte((unsigned char)text[start - 1]))
		start--;
	const char *word = text + start;
	size_t n = at - start;
	if (n == 0)
		return true;
	/* One letter and its full stop: an initial. */
	size_t one;
	unsigned cp = ks_utf8_get(word, &one);
	if (one == n && ks_is_upper(cp))
		return false;
	for (size_t i = 0; i < sizeof prefix_abbreviations / sizeof *prefix_abbreviations; i++)
		if (is_abbreviation(word, n, prefix_abbreviations[i]))
			return false;
	return true;
}

static bool is_mark(char c)
{
	return c == '.' || c == '!' || c == '?';
}

static bool is_space(char c)
{
	return c == ' ' || c == '\n' || c == '\t';
}

/* The bytes at S (N left) that close a quote or a parenthesis after a
 * sentence's mark: ) " ' « » ” (Danish quotes »so«, and «so»); 0 for
 * none. */
static size_t closer(const char *s, size_t n)
{
	if (n >= 1 && (*s == ')' || *s == '"' || *s == '\''))
		return 1;
	if (n >= 2 && (!memcmp(s, "\xC2\xAB", 2) || !memcmp(s, "\xC2\xBB", 2)))
		return 2;
	if (n >= 3 && !memcmp(s, "\xE2\x80\x9D", 3))
		return 3;
	return 0;
}

/* The length of the first sentence of the N bytes at TEXT (NUL-terminated,
 * N at most its length), its marks and closing quotes included; N when it
 * runs to the end.  A mark ends a sentence only when white space or the
 * end follows it: the full stops of "2.441.406", "f.s.v.a" and "kr.," do
 * not; then ks_sentence_ends() decides. */
size_t ks_sentence_first(const char *text, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (!is_mark(text[i]))
			continue;
		size_t after = i + 1, c;
		while (after < n && is_mark(text[after]))
			after++;
		while (after < n && (c = closer(text + after, n - after)))
			after += c;
		if (after < n && !is_space(text[after]))
			continue;
		size_t next = after;
		while (next < n && is_space(text[next]))
			next++;
		if (next == n || ks_sentence_ends(text, i, text + next))
			return after;
		i = after - 1;
	}
	return n;
}
