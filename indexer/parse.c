/* parse.c — council documents into records.
 *
 * The text goes through three steps:
 *   1. ks_decode(): bytes into UTF-8 with LF line ends (decode.c);
 *   2. lines into "units": Markdown markup removed, blanks trimmed, and the
 *      PDF text repaired — hyphenation joined, paragraphs re-joined across
 *      line wraps and page breaks, lost bullet glyphs turned into list items;
 *   3. units into records, by the structure of minutes or budget remarks.
 * The documents of corpus/ show every rule.  Comments name them by the
 * numbers they were first given as seeds: 000 direktionen-2025-10-06.txt,
 * 001 direktionen-2023-11-06.txt, 002 direktionen-2025-11-17.txt,
 * 003 direktionen-2025-08-18.md, 004 budget-2024-oekonomiudvalget.txt.
 */
#include "parse.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "closed.h"
#include "schema.h"
#include "text.h"
#include "validate.h"

/* ---- errors --------------------------------------------------------------- */

static int fail(ks_parse_error *err, int line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof err->message, fmt, ap);
	va_end(ap);
	err->line = line;
	return -1;
}

/* ---- Markdown ------------------------------------------------------------- */

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

/* ---- lines ---------------------------------------------------------------- */

typedef struct line {
	char *text;   /* Markdown removed, trimmed; "" for a blank line */
	int no;       /* 1-based line number in the file */
	int indent;   /* leading spaces of the raw line */
	size_t width; /* characters of the raw line without trailing blanks */
	bool blank;
	bool space_blank;    /* blank but not empty: PDF text's paragraph gap */
	bool trailing_blank; /* the raw line ended in blanks (PDF text does) */
	bool structural;     /* a line the structure hangs on: never joined */
} line;

static size_t utf8_width(const char *s, size_t n)
{
	size_t w = 0;
	for (size_t i = 0; i < n; i++)
		w += ((unsigned char)s[i] & 0xC0) != 0x80;
	return w;
}

/* ---- the vocabulary of the documents -------------------------------------- */

typedef struct heading {
	const char *text;
	ks_section section;
} heading;

/* Section headings of an agenda item (seeds 000–003), each on a line of its
 * own.  "Sagsfremstilling" comes twice: a wrapper before the resume, then
 * the body; both belong to it. */
static const heading item_headings[] = {
	{ "Beslutning", KS_SEC_BESLUTNING },
	{ "Sagsfremstilling", KS_SEC_SAGSFREMSTILLING },
	{ "Resume og sagens baggrund", KS_SEC_RESUME },
	{ "Resumé og sagens baggrund", KS_SEC_RESUME },
	{ "Resume", KS_SEC_RESUME },
	{ "Indstillinger", KS_SEC_INDSTILLINGER },
	{ "Indstilling", KS_SEC_INDSTILLINGER },
	{ "Behandling", KS_SEC_BEHANDLING },
	{ "Økonomiske konsekvenser", KS_SEC_OEKONOMI },
	{ "Bilag", KS_SEC_BILAG },
};

/* Sub-headings of a budget section (seed 004). */
static const heading budget_headings[] = {
	{ "Budgetgrundlag", KS_SEC_BUDGETGRUNDLAG },
	{ "Beskrivelse af området", KS_SEC_BESKRIVELSE },
	{ "Udvikling og udfordringer", KS_SEC_UDVIKLING },
};

#define NETTOBUDGET_LEAD "Samlet nettobudget for området"

static int find_heading(const heading *table, size_t n, const char *text)
{
	char buf[64];
	size_t len = strlen(text);
	if (len == 0 || len >= sizeof buf)
		return -1;
	memcpy(buf, text, len + 1);
	if (buf[len - 1] == ':')
		buf[len - 1] = '\0';
	for (size_t i = 0; i < n; i++)
		if (ks_da_equal(buf, table[i].text))
			return (int)table[i].section;
	return -1;
}

static int item_heading(const char *text)
{
	return find_heading(item_headings, sizeof item_headings / sizeof *item_headings, text);
}

static int budget_heading(const char *text)
{
	return find_heading(budget_headings, sizeof budget_headings / sizeof *budget_headings,
			    text);
}

/* "Punkt 12: Lukket: Titel" → 12, *TITLE at "Lukket: Titel".  0 if the
 * line is not an item heading. */
static int punkt_number(const char *text, const char **title)
{
	if (strncmp(text, "Punkt ", 6))
		return 0;
	const char *p = text + 6;
	while (*p == ' ')
		p++;
	int n = 0, digits = 0;
	while (isdigit((unsigned char)*p) && digits < 5)
		n = n * 10 + (*p++ - '0'), digits++;
	if (!digits || isdigit((unsigned char)*p))
		return 0;
	while (*p == ' ')
		p++;
	if (*p != ':' && *p != '.')
		return 0;
	p++;
	while (*p == ' ')
		p++;
	*title = p;
	return n > 0 ? n : 0;
}

static bool starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/* Lines of the meeting header and the structure: never joined to the text
 * before or after them, whatever PDF extraction did to the layout. */
static bool is_structural(const char *text)
{
	const char *title;
	return punkt_number(text, &title) || ks_sagsnummer_parse(text, NULL) ||
	       item_heading(text) >= 0 || budget_heading(text) >= 0 ||
	       ks_da_prefix(text, NETTOBUDGET_LEAD) || starts_with(text, "REFERAT ") ||
	       starts_with(text, "Mødedato") || starts_with(text, "Mødested") ||
	       starts_with(text, "Mødedeltagere") || ks_da_equal(text, "Indholdsfortegnelse");
}

bool ks_structural_line(const char *text)
{
	return is_structural(text);
}

bool ks_heading_line(const char *text)
{
	return item_heading(text) >= 0 || budget_heading(text) >= 0;
}

static int split_lines(char *text, line **out, size_t *out_n)
{
	size_t n = 1;
	for (char *p = text; *p; p++)
		n += *p == '\n';
	line *lines = calloc(n, sizeof *lines);
	if (!lines)
		return -1;
	char *p = text;
	for (size_t i = 0; i < n; i++) {
		char *end = strchr(p, '\n');
		if (end)
			*end = '\0';
		size_t len = strlen(p);
		line *l = &lines[i];
		l->no = (int)i + 1;
		l->trailing_blank = len && (p[len - 1] == ' ' || p[len - 1] == '\t');
		while (len && (p[len - 1] == ' ' || p[len - 1] == '\t'))
			p[--len] = '\0';
		l->space_blank = len == 0 && l->trailing_blank;
		while (p[l->indent] == ' ')
			l->indent++;
		l->width = utf8_width(p, len);
		l->text = ks_demarkdown(p);
		if (!l->text) {
			for (size_t k = 0; k < i; k++)
				free(lines[k].text);
			free(lines);
			return -1;
		}
		l->blank = l->text[0] == '\0';
		p = end ? end + 1 : p + len;
	}
	/* An area name of a budget is the line before "Samlet nettobudget"
	 * (blank lines aside); it is a heading even where it looks like prose. */
	size_t prev = n;
	for (size_t i = 0; i < n; i++) {
		if (lines[i].blank)
			continue;
		lines[i].structural = is_structural(lines[i].text);
		if (prev < n && ks_da_prefix(lines[i].text, NETTOBUDGET_LEAD))
			lines[prev].structural = true;
		prev = i;
	}
	*out = lines;
	*out_n = n;
	return 0;
}

static void free_lines(line *lines, size_t n)
{
	for (size_t i = 0; lines && i < n; i++)
		free(lines[i].text);
	free(lines);
}

/* ---- units: paragraphs, list items and headings ---------------------------- */

typedef struct unit {
	char *text;
	size_t len, cap; /* of text: a paragraph grows line by line */
	int line;
	int bullet;      /* 0, 1 for a list item, 2 for a sub-item */
	bool gap_before; /* blank lines separate it from the unit before */
	bool structural;
	bool heading; /* a short line standing alone above its text */
	int nlines;
	size_t last_width;
} unit;

typedef struct units {
	unit *v;
	size_t n, cap;
	size_t max_width; /* the widest line: the page width of PDF text */
	bool pdf;
} units;

/* The ways a line ending in "-" continues on the next line. */
typedef enum join {
	JOIN_NONE,
	JOIN_WORD,         /* "ar-" + "bejdsmarkedspolitikken": hyphen dropped */
	JOIN_HYPHEN,       /* "IT-" + "systemer": a real hyphen, no space */
	JOIN_HYPHEN_SPACE, /* "Børn-" + "og Familieområdet": a truncation */
} join;

/* Words after which a trailing hyphen is a truncation ("pris- og
 * lønfremskrevet", "Børn- og Familieområdet"), not a broken word. */
static const char *const truncation_words[] = { "og", "eller", "som", "samt", "til", "&" };

static join hyphen_join(const char *cur, size_t n, const char *next, bool gap)
{
	if (n < 2 || cur[n - 1] != '-')
		return JOIN_NONE;
	/* The character before the hyphen. */
	size_t k = n - 2;
	while (k > 0 && ((unsigned char)cur[k] & 0xC0) == 0x80)
		k--;
	size_t len;
	unsigned before = ks_utf8_get(cur + k, &len);
	if (!ks_is_letter(before) && !(before >= '0' && before <= '9'))
		return JOIN_NONE;
	for (size_t i = 0; i < sizeof truncation_words / sizeof *truncation_words; i++) {
		size_t w = strlen(truncation_words[i]);
		if (!strncmp(next, truncation_words[i], w) && (next[w] == ' ' || next[w] == '\0'))
			return JOIN_HYPHEN_SPACE;
	}
	unsigned first = ks_utf8_get(next, &len);
	if (ks_is_lower(first))
		/* PDF hyphenation breaks lower-case syllables; after a capital
		 * or a digit ("IT-", "CO2-") the hyphen is part of the word. */
		return ks_is_lower(before) ? JOIN_WORD : JOIN_HYPHEN;
	if (ks_is_upper(first) && !gap)
		return JOIN_HYPHEN;
	return JOIN_NONE;
}

static bool ends_sentence(const unit *u)
{
	return u->len && strchr(".!?:", u->text[u->len - 1]);
}

static bool starts_upper(const char *s)
{
	size_t len;
	return ks_is_upper(ks_utf8_get(s, &len));
}

/* A list item whose glyph PDF extraction lost starts with one space (seed
 * 004: " Folkeregister og …"); "o " marks a sub-item; the minutes use "- ". */
static int bullet_of(const line *l, bool pdf, const char **text)
{
	*text = l->text;
	if (l->text[0] == '-' && l->text[1] == ' ') {
		*text = l->text + 2;
		return 1;
	}
	if (l->text[0] == 'o' && l->text[1] == ' ') {
		*text = l->text + 2;
		return 2;
	}
	/* In minutes a line indented by one space is ordinary text (seed 000:
	 * " Det oprindelige budget …"). */
	return pdf && l->indent == 1;
}

static int push_unit(units *us, const line *l, const char *text, int bullet, bool gap)
{
	if (us->n == us->cap) {
		size_t cap = us->cap ? us->cap * 2 : 64;
		unit *v = realloc(us->v, cap * sizeof *v);
		if (!v)
			return -1;
		us->v = v;
		us->cap = cap;
	}
	size_t len = strlen(text);
	char *copy = malloc(len + 1);
	if (!copy)
		return -1;
	memcpy(copy, text, len + 1);
	us->v[us->n++] = (unit){
		.text = copy,
		.len = len,
		.cap = len + 1,
		.line = l->no,
		.bullet = bullet,
		.gap_before = gap,
		.structural = l->structural,
		.nlines = 1,
		.last_width = l->width,
	};
	return 0;
}

/* Appends TEXT to unit U as joined by J (or with a space for JOIN_NONE).
 * The buffer grows by doubling: a paragraph of many lines stays linear. */
static int extend_unit(unit *u, const char *text, join j, size_t width)
{
	size_t n = u->len, m = strlen(text);
	if (j == JOIN_WORD)
		n--; /* drop the hyphen */
	bool space = j == JOIN_NONE || j == JOIN_HYPHEN_SPACE;
	if (n + space + m + 1 > u->cap) {
		size_t cap = u->cap * 2;
		while (cap < n + space + m + 1)
			cap *= 2;
		char *s = realloc(u->text, cap);
		if (!s)
			return -1;
		u->text = s;
		u->cap = cap;
	}
	if (space)
		u->text[n++] = ' ';
	memcpy(u->text + n, text, m + 1);
	u->len = n + m;
	u->nlines++;
	u->last_width = width;
	return 0;
}

/* A unit of one short line, no sentence end, above a line that starts with
 * a capital is a sub-heading in PDF text (seed 004: "Staben" directly over
 * "Ledelse, Jura og …"): a wrapped paragraph's first line fills the page
 * width, so a short one ended its paragraph. */
#define HEADING_MAX_CHARS 60

static bool looks_like_heading(const unit *u)
{
	if (u->nlines != 1 || u->bullet || u->last_width > HEADING_MAX_CHARS)
		return false;
	return u->len && !strchr(".,;:!?-", u->text[u->len - 1]) && starts_upper(u->text);
}

/* Decides how line L continues the last unit, if it does. */
static bool continues(units *us, const line *l, const char *text, int bullet, bool gap,
		      bool paragraph_gap, join *how)
{
	unit *u = &us->v[us->n - 1];
	*how = JOIN_NONE;
	if (l->structural || u->structural || u->heading)
		return false;
	/* Hyphenation joins even across blank lines (seed 004:
	 * "lægekørs-", blank, "ler/befordringsgodtgørelse"). */
	if (!bullet) {
		join j = hyphen_join(u->text, u->len, text, gap);
		if (j != JOIN_NONE) {
			*how = j;
			return true;
		}
	}
	if (!us->pdf || bullet)
		return false;
	if (!gap) {
		if (looks_like_heading(u) && starts_upper(text)) {
			u->heading = true;
			return false;
		}
		/* A short last line that ends a sentence closes the
		 * paragraph even without a blank line after it. */
		if (ends_sentence(u) && starts_upper(text) && u->last_width * 4 < us->max_width * 3)
			return false;
		return true;
	}
	/* A page break (empty lines only, no paragraph gap) inside a sentence
	 * splits one paragraph in two; join it back, whatever the case of
	 * the next line — but never onto a heading (checked above). */
	return !paragraph_gap && !ends_sentence(u);
}

static void free_units(units *us)
{
	for (size_t i = 0; i < us->n; i++)
		free(us->v[i].text);
	free(us->v);
	*us = (units){ 0 };
}

/* Text extracted from a PDF keeps the page layout: most lines end in a
 * blank, and paragraphs are separated by lines of one space. */
static bool is_pdf_layout(const line *lines, size_t n)
{
	size_t text = 0, trailing = 0;
	for (size_t i = 0; i < n; i++)
		if (!lines[i].blank) {
			text++;
			trailing += lines[i].trailing_blank;
		}
	return text >= 3 && trailing * 2 > text;
}

static int build_units(const line *lines, size_t n, units *us)
{
	*us = (units){ .pdf = is_pdf_layout(lines, n) };
	for (size_t i = 0; i < n; i++)
		if (lines[i].width > us->max_width)
			us->max_width = lines[i].width;
	bool gap = false, paragraph_gap = false;
	for (size_t i = 0; i < n; i++) {
		const line *l = &lines[i];
		if (l->blank) {
			gap = true;
			paragraph_gap |= l->space_blank || !us->pdf;
			continue;
		}
		const char *text;
		int bullet = bullet_of(l, us->pdf, &text);
		join how;
		int rc;
		if (us->n && continues(us, l, text, bullet, gap, paragraph_gap, &how))
			rc = extend_unit(&us->v[us->n - 1], text, how, l->width);
		else
			rc = push_unit(us, l, text, bullet, gap);
		if (rc) {
			free_units(us);
			return -1;
		}
		gap = paragraph_gap = false;
	}
	return 0;
}

/* ---- sections ------------------------------------------------------------- */

/* Appends unit U to a section's text: list items one per line, paragraphs
 * separated by a blank line. */
static void section_append(ks_sb *sb, const unit *u, const unit *prev)
{
	if (sb->n)
		ks_sb_puts(sb, u->bullet && prev && prev->bullet                      ? "\n"
			       : u->gap_before || u->bullet || (prev && prev->bullet) ? "\n\n"
										      : "\n");
	if (u->bullet == 1)
		ks_sb_puts(sb, "- ");
	else if (u->bullet == 2)
		ks_sb_puts(sb, "  - ");
	ks_sb_puts(sb, u->text);
}

/* ---- records -------------------------------------------------------------- */

static int push_record(ks_document *doc, size_t *cap, ks_record **out)
{
	if (doc->n_records == *cap) {
		size_t c = *cap ? *cap * 2 : 16;
		ks_record *v = realloc(doc->records, c * sizeof *v);
		if (!v)
			return -1;
		doc->records = v;
		*cap = c;
	}
	*out = &doc->records[doc->n_records++];
	**out = (ks_record){ 0 };
	return 0;
}

static char *make_id(const char *stem_slug, int n)
{
	char buf[32];
	snprintf(buf, sizeof buf, "-%d", n);
	size_t a = strlen(stem_slug), b = strlen(buf);
	char *id = malloc(a + b + 1);
	if (id) {
		memcpy(id, stem_slug, a);
		memcpy(id + a, buf, b + 1);
	}
	return id;
}

char *ks_name_slug(const char *name)
{
	const char *base = strrchr(name, '/');
	base = base ? base + 1 : name;
	char *stem = ks_decode_name(base);
	if (!stem)
		return NULL;
	char *dot = strrchr(stem, '.');
	if (dot && dot != stem)
		*dot = '\0';
	char *slug = ks_slug(stem);
	free(stem);
	if (slug && !*slug) {
		free(slug);
		slug = strdup("dokument");
	}
	size_t len = slug ? strlen(slug) : 0;
	if (len > KS_MAX_SLUG_BYTES) {
		/* A name of up to 255 bytes gives a slug of up to 510 ("æ" is
		 * "ae"): its start stays readable, the hash of the whole tells
		 * two long names apart. */
		uint64_t hash = ks_hash64(slug, len);
		size_t keep = KS_MAX_SLUG_BYTES - 17;
		while (keep > 0 && slug[keep - 1] == '-')
			keep--;
		snprintf(slug + keep, len + 1 - keep, "-%016llx", (unsigned long long)hash);
	}
	return slug;
}

/* "YYYY-MM-DD" of a date valid_date() accepted.  The modulo tells the
 * compiler the width of each part. */
static void format_ymd(char out[11], int y, int m, int d)
{
	snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u,
		 (unsigned)d % 100u);
}

static bool valid_date(int d, int m, int y)
{
	return y >= 1900 && y <= 2199 && ks_date_valid(y, m, d);
}

/* "DD-MM-YYYY" (also with '.' or '/') at S into "YYYY-MM-DD". */
static bool parse_dmy(const char *s, char out[11])
{
	int d, m, y, used = 0;
	char s1, s2;
	if (sscanf(s, "%2d%c%2d%c%4d%n", &d, &s1, &m, &s2, &y, &used) != 5 || used < 8)
		return false;
	if (s1 != s2 || !strchr("-./", s1) || !valid_date(d, m, y))
		return false;
	format_ymd(out, y, m, d);
	return true;
}

static const char *const month_names[] = { "januar",    "februar", "marts",    "april",
					   "maj",       "juni",    "juli",     "august",
					   "september", "oktober", "november", "december" };

/* "Mandag d. 06. oktober 2025 kl. 11:30": the date and the time. */
static void parse_modedato(const char *s, char date[11], char time[6])
{
	const char *kl = strstr(s, "kl. ");
	int hh, mm;
	if (kl && sscanf(kl + 4, "%2d:%2d", &hh, &mm) == 2 && hh >= 0 && hh < 24 && mm >= 0 &&
	    mm < 60)
		snprintf(time, 6, "%02u:%02u", (unsigned)hh % 100u, (unsigned)mm % 100u);
	for (const char *p = s; *p; p++) {
		int d, y, used = 0;
		char month[16];
		if (!isdigit((unsigned char)*p) || (p > s && isdigit((unsigned char)p[-1])))
			continue;
		if (sscanf(p, "%2d. %15s %4d%n", &d, month, &y, &used) == 3 && used)
			for (int m = 0; m < 12; m++)
				if (ks_da_equal(month, month_names[m]) && valid_date(d, m + 1, y)) {
					if (!date[0])
						format_ymd(date, y, m + 1, d);
					return;
				}
	}
}

/* The value after a header label ("Mødested Mødelokale 8"), or NULL. */
static const char *label_value(const char *text, const char *label)
{
	size_t n = strlen(label);
	if (strncmp(text, label, n))
		return NULL;
	const char *v = text + n;
	if (*v == ':')
		v++;
	if (*v != ' ' && *v != '\0')
		return NULL;
	while (*v == ' ')
		v++;
	return v;
}

static int split_list(const char *s, ks_strv *out, const char *seps)
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

static int parse_bodies(const char *text, ks_strv *out)
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
	int rc = split_list(list, &all, ",\n");
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
 * ("Ingen bemærkninger"); one written out in full has no facet value. */
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

static char *beslutning_facet(const char *text)
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

	size_t n = strcspn(text, "\n");
	const char *stop = strstr(text, ". ");
	if (stop && (size_t)(stop - text) < n)
		n = (size_t)(stop - text);
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

/* ---- minutes -------------------------------------------------------------- */

typedef struct parser {
	const units *us;
	const char *name;
	char *slug;
	ks_document *doc;
	size_t cap;
	ks_parse_error *err;
} parser;

static int oom(parser *ps, int line)
{
	return fail(ps->err, line, "out of memory");
}

/* Keeps the warning MESSAGE about LINE in the document; -1 when out of
 * memory. */
static int warn(parser *ps, int line, const char *message)
{
	return ks_document_warn(ps->doc, line, "%s", message);
}

/* Fills R from units [FROM, TO) of an open item. */
static int parse_item_body(parser *ps, ks_record *r, size_t from, size_t to)
{
	const units *us = ps->us;
	ks_sb sec[KS_SEC_COUNT] = { { 0 } };
	const unit *last[KS_SEC_COUNT] = { 0 };
	int current = KS_SEC_SAGSFREMSTILLING;
	int rc = 0;
	for (size_t i = from; i < to; i++) {
		const unit *u = &us->v[i];
		int h = item_heading(u->text);
		if (h >= 0) {
			current = h;
			continue;
		}
		if (current == KS_SEC_BILAG) {
			if (ks_strv_push(&r->bilag, u->text, strlen(u->text)))
				rc = -1;
		}
		section_append(&sec[current], u, last[current]);
		last[current] = u;
	}
	for (int s = 0; s < KS_SEC_COUNT; s++) {
		bool used = sec[s].s != NULL || sec[s].oom;
		char *text = used ? ks_sb_take(&sec[s]) : NULL;
		if (used && !text)
			rc = -1;
		r->sections[s] = text;
	}
	if (!rc && r->sections[KS_SEC_BEHANDLING])
		rc = parse_bodies(r->sections[KS_SEC_BEHANDLING], &r->behandling);
	/* No facet value (NULL) is a valid answer for a decision in prose. */
	if (!rc && r->sections[KS_SEC_BESLUTNING])
		r->beslutning = beslutning_facet(r->sections[KS_SEC_BESLUTNING]);
	return rc ? oom(ps, r->line) : 0;
}

static int parse_meeting(parser *ps, size_t start)
{
	const units *us = ps->us;
	ks_meeting *m = &ps->doc->meeting;
	const unit *head = &us->v[start];
	ps->doc->is_meeting = 1;

	/* "REFERAT <udvalg> d. DD-MM-YYYY" */
	const char *rest = head->text + strlen("REFERAT ");
	while (*rest == ' ')
		rest++;
	const char *d = strstr(rest, " d. ");
	size_t udvalg_len = d ? (size_t)(d - rest) : strlen(rest);
	if (d && !parse_dmy(d + 4, m->date))
		return fail(ps->err, head->line, "the meeting date in '%.80s' is not DD-MM-YYYY",
			    head->text);
	m->title = strdup(head->text);
	m->udvalg = strndup(rest, udvalg_len);
	if (!m->title || !m->udvalg)
		return oom(ps, head->line);
	if (!*m->udvalg)
		return fail(ps->err, head->line, "no committee after 'REFERAT'");

	size_t i = start + 1;
	for (; i < us->n; i++) {
		const unit *u = &us->v[i];
		const char *title, *v;
		if (punkt_number(u->text, &title))
			break;
		if ((v = label_value(u->text, "Mødedato"))) {
			parse_modedato(v, m->date, m->time);
		} else if ((v = label_value(u->text, "Mødested")) && !m->place) {
			if (!(m->place = strdup(v)))
				return oom(ps, u->line);
		} else if ((v = label_value(u->text, "Mødedeltagere")) && !m->participants.n) {
			if (split_list(v, &m->participants, ","))
				return oom(ps, u->line);
		}
		/* Everything else before the first item is the table of
		 * contents, whose titles may be cut short: the Punkt heading
		 * is the title. */
	}
	if (!m->date[0])
		return fail(ps->err, head->line,
			    "no meeting date: expected 'REFERAT <udvalg> d. DD-MM-YYYY'");
	if (i == us->n)
		return fail(ps->err, head->line, "no agenda items ('Punkt N: <titel>') found");

	int year = atoi(m->date);
	while (i < us->n) {
		const unit *u = &us->v[i];
		const char *title;
		int n = punkt_number(u->text, &title);
		size_t next = i + 1;
		while (next < us->n) {
			const char *t;
			if (punkt_number(us->v[next].text, &t))
				break;
			next++;
		}
		ks_closed mark;
		ks_closed_read(title, &mark);
		bool lukket = mark.closed;
		if (!mark.title_len)
			return fail(ps->err, u->line, "'Punkt %d:' has no title", n);
		if (mark.warning[0] && warn(ps, u->line, mark.warning))
			return oom(ps, u->line);
		for (size_t k = 0; k < ps->doc->n_records; k++)
			if (ps->doc->records[k].punkt == n)
				return fail(ps->err, u->line,
					    "Punkt %d appears twice (first on line %d)", n,
					    ps->doc->records[k].line);

		ks_record *r;
		if (push_record(ps->doc, &ps->cap, &r))
			return oom(ps, u->line);
		r->type = KS_RECORD_PUNKT;
		r->punkt = n;
		r->line = u->line;
		r->lukket = lukket;
		r->year = year;
		r->meeting = m;
		memcpy(r->date, m->date, sizeof r->date);
		r->id = make_id(ps->slug, n);
		r->title = strndup(mark.title, mark.title_len);
		r->udvalg = strdup(m->udvalg);
		r->source = strdup(ps->name);
		if (!r->id || !r->title || !r->udvalg || !r->source)
			return oom(ps, u->line);

		size_t body = i + 1;
		char sag[KS_SAGSNUMMER_SIZE];
		if (body < next && ks_sagsnummer_parse(us->v[body].text, sag)) {
			if (!(r->sagsnummer = strdup(sag)))
				return oom(ps, u->line);
			body++;
		}
		/* A closed item has only its title and case number in the
		 * source; whatever else stands there is not ours to index. */
		if (!lukket && parse_item_body(ps, r, body, next))
			return -1;
		i = next;
	}
	return 0;
}

/* ---- budget remarks --------------------------------------------------------- */

/* "Samlet nettobudget for området: 50.190.100 kr." → 50190100 (seed 004).
 * Thousands are separated by '.', a decimal part after ',' is dropped. */
static bool parse_amount(const char *text, long long *out)
{
	const char *p = strchr(text, ':');
	if (!p)
		return false;
	p++;
	while (*p == ' ')
		p++;
	bool negative = false;
	if (*p == '-') {
		negative = true;
		p++;
	} else if (!strncmp(p, "\u2212", 3)) {
		negative = true;
		p += 3;
	}
	long long v = 0;
	int digits = 0;
	for (; isdigit((unsigned char)*p) || (*p == '.' && isdigit((unsigned char)p[1])); p++) {
		if (*p == '.')
			continue;
		if (v > 100000000000000LL)
			return false;
		v = v * 10 + (*p - '0');
		digits++;
	}
	if (*p == ',')
		for (p++; isdigit((unsigned char)*p);)
			p++;
	while (*p == ' ')
		p++;
	if (!digits || strncmp(p, "kr", 2))
		return false;
	*out = negative ? -v : v;
	return true;
}

/* The budget year: from the file name ("budget-2024-…"), else the title. */
static int find_year(const char *s)
{
	for (const char *p = s; *p; p++) {
		if (!isdigit((unsigned char)*p) || (p > s && isdigit((unsigned char)p[-1])))
			continue;
		int n = 0, k = 0;
		while (isdigit((unsigned char)p[k]) && k < 5)
			n = n * 10 + (p[k++] - '0');
		if (k == 4 && n >= 1990 && n <= 2199)
			return n;
	}
	return 0;
}

static int parse_budget(parser *ps)
{
	const units *us = ps->us;
	const unit *title = &us->v[0];
	/* "Bemærkninger - Økonomiudvalget": the committee after the dash. */
	const char *udvalg = NULL;
	for (const char *p = title->text; *p; p++)
		if (!strncmp(p, " - ", 3) || !strncmp(p, " \u2013 ", 5))
			udvalg = p + (p[1] == '-' ? 3 : 5);
	int year = find_year(ps->name);
	if (!year)
		year = find_year(title->text);

	/* The title comes first, then an area name, then its amount. */
	size_t i = 0;
	while (i < us->n && !ks_da_prefix(us->v[i].text, NETTOBUDGET_LEAD))
		i++;
	int section = 0;
	while (i < us->n) {
		const unit *amount = &us->v[i];
		if (i < 2)
			return fail(ps->err, amount->line,
				    "'Samlet nettobudget' without an area name before it");
		const unit *area = &us->v[i - 1];
		long long kroner;
		if (!parse_amount(amount->text, &kroner))
			return fail(ps->err, amount->line,
				    "cannot read the nettobudget amount in '%.80s'", amount->text);
		size_t next = i + 1;
		while (next < us->n && !ks_da_prefix(us->v[next].text, NETTOBUDGET_LEAD))
			next++;
		size_t end = next < us->n ? next - 1 : us->n;

		ks_record *r;
		if (push_record(ps->doc, &ps->cap, &r))
			return oom(ps, area->line);
		r->type = KS_RECORD_BUDGET;
		r->punkt = ++section;
		r->line = area->line;
		r->year = year;
		r->has_nettobudget = true;
		r->nettobudget = kroner;
		r->id = make_id(ps->slug, section);
		r->title = strdup(area->text);
		r->udvalg = udvalg ? strdup(udvalg) : NULL;
		r->source = strdup(ps->name);
		if (!r->id || !r->title || (udvalg && !r->udvalg) || !r->source)
			return oom(ps, area->line);

		ks_sb sec[KS_SEC_COUNT] = { { 0 } };
		const unit *last[KS_SEC_COUNT] = { 0 };
		int current = KS_SEC_BESKRIVELSE;
		for (size_t k = i + 1; k < end; k++) {
			const unit *u = &us->v[k];
			int h = budget_heading(u->text);
			if (h >= 0) {
				current = h;
				continue;
			}
			section_append(&sec[current], u, last[current]);
			last[current] = u;
		}
		bool failed = false;
		for (int s = 0; s < KS_SEC_COUNT; s++) {
			bool used = sec[s].s != NULL || sec[s].oom;
			r->sections[s] = used ? ks_sb_take(&sec[s]) : NULL;
			failed |= used && !r->sections[s];
		}
		if (failed)
			return oom(ps, area->line);
		i = next;
	}
	return 0;
}

/* ---- the document ----------------------------------------------------------- */

void ks_document_clear(ks_document *doc)
{
	for (size_t i = 0; i < doc->n_records; i++)
		ks_record_clear(&doc->records[i]);
	free(doc->records);
	ks_meeting_clear(&doc->meeting);
	free(doc->warnings);
	*doc = (ks_document){ 0 };
}

int ks_parse(const char *data, size_t len, const char *name, ks_document *doc, ks_parse_error *err)
{
	*doc = (ks_document){ 0 };
	err->page = 0;
	size_t text_len;
	char *text = ks_decode(data, len, &text_len, err);
	if (!text)
		return -1;
	if (ks_bound_lines(text, &text_len, doc)) {
		free(text);
		ks_document_clear(doc);
		return fail(err, 1, "out of memory");
	}
	line *lines = NULL;
	size_t n_lines = 0;
	units us = { 0 };
	/* `source` is JSON, UTF-8, whatever bytes the file's name has. */
	char *utf8_name = ks_decode_name(name);
	parser ps = { .us = &us, .name = utf8_name, .doc = doc, .err = err };
	int rc;
	if (!utf8_name || split_lines(text, &lines, &n_lines) || build_units(lines, n_lines, &us) ||
	    !(ps.slug = ks_name_slug(name))) {
		rc = fail(err, 1, "out of memory");
		goto out;
	}

	/* Minutes open with "REFERAT" (after Markdown is gone); budget
	 * remarks have "Samlet nettobudget" lines.  The header may follow a
	 * few lines of front matter, not pages of it. */
	size_t referat = us.n;
	for (size_t i = 0; i < us.n && i < 20; i++)
		if (starts_with(us.v[i].text, "REFERAT ")) {
			referat = i;
			break;
		}
	bool budget = false;
	for (size_t i = 0; i < us.n && !budget; i++)
		budget = ks_da_prefix(us.v[i].text, NETTOBUDGET_LEAD);
	if (referat < us.n)
		rc = parse_meeting(&ps, referat);
	else if (budget)
		rc = parse_budget(&ps);
	else
		rc = fail(err, us.n ? us.v[0].line : 1,
			  "not a council document: no 'REFERAT <udvalg> d. DD-MM-YYYY' "
			  "header and no 'Samlet nettobudget for området' line");
	if (!rc && ks_bound_document(doc))
		rc = fail(err, 1, "out of memory");
out:
	if (rc)
		ks_document_clear(doc);
	free(ps.slug);
	free(utf8_name);
	free_units(&us);
	free_lines(lines, n_lines);
	free(text);
	return rc;
}
