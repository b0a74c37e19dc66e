/* export-name.c — what an export and a feed say about the search they
 * hold: the search in words (a feed's title), an export's file name, and
 * the note of an export cut at its cap. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "ks-limits.h"
#include "schema.h"
#include "writer.h"

/* The letters a Danish search holds beyond ASCII, each as a file name
 * without them spells it ("hjemløshed": "hjemloeshed", as people write
 * it where ø cannot go, and as the query language reads it). */
static const struct {
	const char *utf8, *ascii;
} letters[] = {
	{ "æ", "ae" }, { "ø", "oe" }, { "å", "aa" }, { "Æ", "ae" }, { "Ø", "oe" }, { "Å", "aa" },
	{ "ä", "ae" }, { "ö", "oe" }, { "ü", "ue" }, { "Ä", "ae" }, { "Ö", "oe" }, { "Ü", "ue" },
	{ "é", "e" },  { "è", "e" },  { "ê", "e" },  { "É", "e" },  { "á", "a" },  { "à", "a" },
	{ "ó", "o" },  { "í", "i" },  { "ú", "u" },  { "ñ", "n" },  { "ç", "c" },  { "ß", "ss" },
};

static void part(ks_sb *out, const char *label, const char *value)
{
	if (!value || !*value)
		return;
	if (out->n)
		ks_sb_puts(out, ", ");
	if (label) {
		ks_sb_puts(out, label);
		ks_sb_puts(out, " ");
	}
	/* Several values of one facet (joined by KS_FACET_SEP) match any of
	 * them: "udvalg Økonomiudvalget eller Direktionen". */
	for (const char *v = value;;) {
		const char *sep = strchr(v, KS_FACET_SEP);
		ks_sb_append(out, v, sep ? (size_t)(sep - v) : strlen(v));
		if (!sep)
			break;
		ks_sb_puts(out, " eller ");
		v = sep + 1;
	}
}

/* The words of a type filter: one of the two types, or none when both are
 * chosen (every record). */
static const char *type_words(const char *type)
{
	if (!type || !*type)
		return NULL;
	const bool budget = strstr(type, "budget") != NULL, punkt = strstr(type, "punkt") != NULL;
	return budget && punkt ? NULL : budget ? "budgetbemærkninger" : "dagsordenspunkter";
}

void ks_search_describe(const ks_query *q, ks_sb *out)
{
	ks_sb sb = { 0 };
	part(&sb, NULL, q->q && q->q[strspn(q->q, " \t")] ? q->q : NULL);
	part(&sb, "sag", q->sag);
	part(&sb, "udvalg", q->udvalg);
	part(&sb, NULL, type_words(q->type));
	part(&sb, "år", q->year);
	part(&sb, "beslutning", q->beslutning);
	part(&sb, "fra", q->from);
	part(&sb, "til", q->to);
	part(&sb, NULL,
	     q->lukket == 1   ? "kun lukkede punkter"
	     : q->lukket == 0 ? "uden lukkede punkter"
			      : NULL);
	if (sb.oom)
		out->oom = true;
	else if (sb.n)
		ks_sb_append(out, sb.s, sb.n);
	ks_sb_free(&sb);
}

/* The character at *P as a file name's letters: ASCII (a-z, 0-9) into
 * AS, and as the UTF-8 name keeps it (a letter of letters[] in lower
 * case) into KEEP; both "" for any other character.  Advances *P past it. */
static void fold_char(const char **p, const char **as, const char **keep, char lower[2])
{
	unsigned char c = (unsigned char)**p;
	*as = *keep = "";
	if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z')) {
		lower[0] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
		lower[1] = '\0';
		*as = *keep = lower;
		(*p)++;
		return;
	}
	for (size_t i = 0; i < sizeof letters / sizeof *letters; i++) {
		size_t n = strlen(letters[i].utf8);
		if (!strncmp(*p, letters[i].utf8, n)) {
			*as = letters[i].ascii;
			/* Lower case: the first letter of the same ASCII. */
			for (size_t j = 0; j <= i; j++)
				if (!strcmp(letters[j].ascii, *as)) {
					*keep = letters[j].utf8;
					break;
				}
			*p += n;
			return;
		}
	}
	(*p)++; /* any other character, whole */
	while (((unsigned char)**p & 0xc0) == 0x80)
		(*p)++;
}

/* TEXT as a file name's words, '-' between them, into ASCII (a-z, 0-9,
 * '-') and UTF8 (the same with the letters of letters[] kept): whole
 * words while the ASCII name stays within KS_EXPORT_NAME_CHARS bytes. */
static void fold(const char *text, ks_sb *ascii, ks_sb *utf8)
{
	ks_sb a = { 0 }, u = { 0 };
	for (const char *p = text;;) {
		const char *as, *keep;
		char lower[2];
		bool end = !*p;
		if (!end)
			fold_char(&p, &as, &keep, lower);
		if (!end && *as) {
			ks_sb_puts(&a, as);
			ks_sb_puts(&u, keep);
			continue;
		}
		if (a.n && ascii->n + 1 + a.n <= KS_EXPORT_NAME_CHARS) {
			if (ascii->n) {
				ks_sb_puts(ascii, "-");
				ks_sb_puts(utf8, "-");
			}
			ks_sb_append(ascii, a.s, a.n);
			ks_sb_append(utf8, u.s, u.n);
		}
		if (a.oom || u.oom)
			ascii->oom = true;
		a.n = u.n = 0;
		if (end)
			break;
	}
	ks_sb_free(&a);
	ks_sb_free(&u);
}

/* A file name as RFC 8187 writes it in filename*: UTF-8, every byte but
 * an attr-char percent-encoded. */
static void put_ext_value(ks_sb *out, const char *name)
{
	ks_sb_puts(out, "UTF-8''");
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("!#$&+-.^_`|~", *p)) {
			ks_sb_append(out, (const char *)p, 1);
		} else {
			char pct[4];
			snprintf(pct, sizeof pct, "%%%02X", *p);
			ks_sb_puts(out, pct);
		}
	}
}

bool ks_export_disposition(const ks_query *q, const char *ext, time_t now, ks_sb *out)
{
	ks_sb words = { 0 }, ascii = { 0 }, utf8 = { 0 };
	ks_sb_puts(&ascii, "kommunesoeg-");
	ks_sb_puts(&utf8, "kommunesøg-");
	ks_search_describe(q, &words);
	if (words.n) {
		ks_sb a = { 0 }, u = { 0 };
		fold(words.s, &a, &u);
		if (a.n) {
			ks_sb_append(&ascii, a.s, a.n);
			ks_sb_append(&utf8, u.s, u.n);
			ks_sb_puts(&ascii, "-");
			ks_sb_puts(&utf8, "-");
		}
		if (a.oom || u.oom)
			ascii.oom = true;
		ks_sb_free(&a);
		ks_sb_free(&u);
	}
	struct tm tm;
	char date[16];
	if (!localtime_r(&now, &tm) || !strftime(date, sizeof date, "%Y-%m-%d", &tm))
		snprintf(date, sizeof date, "export");
	ks_sb_puts(&ascii, date);
	ks_sb_puts(&ascii, ".");
	ks_sb_puts(&ascii, ext);
	ks_sb_puts(&utf8, date);
	ks_sb_puts(&utf8, ".");
	ks_sb_puts(&utf8, ext);
	bool ok = !words.oom && !ascii.oom && !utf8.oom;
	if (ok) {
		ks_sb_puts(out, "attachment; filename=\"");
		ks_sb_puts(out, ascii.s);
		ks_sb_puts(out, "\"; filename*=");
		put_ext_value(out, utf8.s);
		ok = !out->oom;
	}
	ks_sb_free(&words);
	ks_sb_free(&ascii);
	ks_sb_free(&utf8);
	return ok;
}

/* N with a '.' between thousands, as Danish writes it: "12.345". */
static void put_count(ks_sb *out, unsigned long n)
{
	char digits[24], grouped[32];
	int len = snprintf(digits, sizeof digits, "%lu", n);
	size_t j = 0;
	for (int i = 0; i < len; i++) {
		if (i && (len - i) % 3 == 0)
			grouped[j++] = '.';
		grouped[j++] = digits[i];
	}
	grouped[j] = '\0';
	ks_sb_puts(out, grouped);
}

void ks_export_cap_note(const ks_listing *l, size_t rows, ks_sb *out)
{
	if (rows >= l->total)
		return;
	ks_sb_puts(out, "Eksporten stoppede ved ");
	put_count(out, rows);
	ks_sb_puts(out, " rækker; søgningen fandt ");
	put_count(out, l->total);
	ks_sb_puts(out, ". Gør søgningen smallere (et filter, en periode) for at få resten med.");
}
