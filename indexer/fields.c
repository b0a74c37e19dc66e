/* fields.c — the fields read out of an item's text: the bodies named in
 * Behandling, and the decision as a facet value. */
#include "parse-private.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

/* Adds the items of the list S, separated by any of SEPS, to OUT, trimmed.
 * 0, or -1 when out of memory. */
int ks_split_list(const char *s, ks_strv *out, const char *seps)
{
	const char *p = s;
	while (*p) {
		size_t n = strcspn(p, seps);
		const char *a = p, *b = p + n;
		while (a < b && *a == ' ')
			a++;
		while (b > a && (b[-1] == ' ' || b[-1] == '.'))
			b--;
		if (b > a && ks_strv_push(out, a, (size_t)(b - a)))
			return -1;
		p += n;
		if (*p)
			p++;
	}
	return 0;
}

/* The bodies named in Behandling: "Direktionen, Børn- og Familieudvalget,
 * Socialudvalget, Økonomiudvalget og Kommunalbestyrelsen." (seed 002).
 * " og " separates the last two, but not after a truncation hyphen.  A
 * Behandling written as prose names no list of bodies. */
#define BODY_MAX_BYTES 80
#define BODY_MAX_WORDS 6
#define BODIES_MAX     40

int ks_parse_bodies(const char *text, ks_strv *out)
{
	ks_sb sb = { 0 };
	for (const char *p = text; *p; p++) {
		if (!strncmp(p, " og ", 4) && p > text && p[-1] != '-') {
			ks_sb_puts(&sb, ",");
			p += 3;
		} else {
			ks_sb_append(&sb, p, 1);
		}
	}
	char *list = ks_sb_take(&sb);
	if (!list)
		return -1;
	ks_strv all = { 0 };
	int rc = ks_split_list(list, &all, ",\n");
	free(list);
	for (size_t i = 0; !rc && i < all.n; i++) {
		const char *b = all.v[i];
		int words = 1;
		for (const char *p = b; *p; p++)
			words += *p == ' ';
		if (strlen(b) > BODY_MAX_BYTES || words > BODY_MAX_WORDS || out->n >= BODIES_MAX ||
		    !starts_upper(b))
			continue;
		rc = ks_strv_push(out, b, strlen(b));
	}
	ks_strv_clear(&all);
	return rc;
}

/* The decision as a facet value, normalised from its free text: the formula
 * whose word comes first ("Anbefales.", "Direktionen anbefaler, at …" →
 * "Anbefales"; "Indstillingen blev ikke godkendt." → "Ikke godkendt";
 * "Drøftet. Direktionen arbejder videre …" → "Drøftet").  A decision with
 * none of the words keeps its first sentence when that is a short formula
 * ("Ingen bemærkninger"); one written out in full has no facet value.  The
 * sentence runs past abbreviations, ordinals and numbers (sentences.c):
 * "Drift 2023: 24,2 mio. kr. i forventet mindreforbrug." is written out in
 * full, not the formula "Drift 2023: 24,2 mio". */
#define BESLUTNING_MAX_BYTES 48
#define BESLUTNING_MAX_WORDS 5

static const struct {
	const char *word; /* lower case, as it starts in the text */
	const char *value;
} decisions[] = {
	/* "ikke" first: before the word it denies. */
	{ "ikke godkend", "Ikke godkendt" },
	{ "ikke anbefal", "Ikke anbefalet" },
	{ "ikke tiltr", "Ikke tiltrådt" },
	{ "anbefal", "Anbefales" },
	{ "godkend", "Godkendt" },
	{ "tiltrådt", "Tiltrådt" },
	{ "tiltræd", "Tiltrådt" },
	{ "til efterretning", "Taget til efterretning" },
	{ "drøftet", "Drøftet" },
	{ "drøftede", "Drøftet" },
	{ "vedtag", "Vedtaget" },
	{ "afvis", "Afvist" },
	{ "afvist", "Afvist" },
	{ "udsat", "Udsat" },
	{ "udsættes", "Udsat" },
	{ "ingen bemærkning", "Ingen bemærkninger" },
};

/* TEXT with ASCII and Danish capitals in lower case; malloc'd. */
static char *da_lower(const char *text)
{
	char *out = strdup(text);
	if (!out)
		return NULL;
	for (unsigned char *p = (unsigned char *)out; *p; p++) {
		if (*p >= 'A' && *p <= 'Z')
			*p = (unsigned char)(*p - 'A' + 'a');
		/* Æ Ø Å (U+00C0..U+00DE but ×) are C3 80..9E in UTF-8. */
		else if (*p == 0xC3 && p[1] >= 0x80 && p[1] <= 0x9E && p[1] != 0x97)
			p[1] = (unsigned char)(p[1] + 0x20), p++;
	}
	return out;
}

/* Whether the byte before AT (in TEXT) ends a word, so that AT starts one. */
static bool starts_word(const char *text, const char *at)
{
	return at == text || !(isalnum((unsigned char)at[-1]) || (unsigned char)at[-1] >= 0x80);
}

/* The decision TEXT as a facet value, by the table above: malloc'd; NULL
 * when it has none (or out of memory). */
char *ks_beslutning_facet(const char *text)
{
	char *lower = da_lower(text);
	if (!lower)
		return NULL;
	const char *best = NULL, *value = NULL;
	for (size_t i = 0; i < sizeof decisions / sizeof *decisions; i++) {
		for (const char *at = strstr(lower, decisions[i].word); at;
		     at = strstr(at + 1, decisions[i].word)) {
			if (!starts_word(lower, at))
				continue;
			/* The earliest wins; at the same place the first of the
			 * table ("ikke godkend" before "godkend"). */
			if (!best || at < best) {
				best = at;
				value = decisions[i].value;
			}
			break;
		}
	}
	/* "ikke" is found where it stands, before the word it denies. */
	free(lower);
	if (value)
		return strdup(value);

	size_t n = ks_sentence_first(text, strcspn(text, "\n"));
	while (n && (text[n - 1] == '.' || text[n - 1] == ' '))
		n--;
	int words = 1;
	for (size_t i = 0; i < n; i++)
		words += text[i] == ' ';
	size_t len;
	if (n == 0 || n > BESLUTNING_MAX_BYTES || words > BESLUTNING_MAX_WORDS ||
	    !ks_is_letter(ks_utf8_get(text, &len)))
		return NULL;
	return strndup(text, n);
}
