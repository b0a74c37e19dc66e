/* paragraphs.c — the lines of a document into units: paragraphs, list
 * items and headings, with the text of a PDF repaired (hyphenation joined,
 * paragraphs re-joined across line wraps and page breaks, lost bullet
 * glyphs turned into list items); and units into the text of a section. */
#include "parse-private.h"

#include <stdlib.h>
#include <string.h>

#include "text.h"

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

/* Splits TEXT (NUL-terminated, LF line ends; changed in place) into *OUT
 * lines, *OUT_N of them, freed with ks_lines_free().  0, or -1 when out of
 * memory. */
int ks_lines_split(char *text, line **out, size_t *out_n)
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
		lines[i].structural = ks_structural_line(lines[i].text);
		if (prev < n && ks_da_prefix(lines[i].text, NETTOBUDGET_LEAD))
			lines[prev].structural = true;
		prev = i;
	}
	*out = lines;
	*out_n = n;
	return 0;
}

void ks_lines_free(line *lines, size_t n)
{
	for (size_t i = 0; lines && i < n; i++)
		free(lines[i].text);
	free(lines);
}

/* ---- units: paragraphs, list items and headings ---------------------------- */

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

/* Whether unit U ends a sentence (or a lead-in, with ':') before the line
 * NEXT: not at an abbreviation's full stop nor before a lower-case word
 * ("pr." + "måned", "den 1." + "januar"), by ks_sentence_ends(). */
static bool ends_sentence(const unit *u, const char *next)
{
	if (!u->len)
		return false;
	char last = u->text[u->len - 1];
	if (last == ':')
		return true;
	return strchr(".!?", last) && ks_sentence_ends(u->text, u->len - 1, next);
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
		if (ends_sentence(u, text) && starts_upper(text) &&
		    u->last_width * 4 < us->max_width * 3)
			return false;
		return true;
	}
	/* A page break (empty lines only, no paragraph gap) inside a sentence
	 * splits one paragraph in two; join it back, whatever the case of
	 * the next line — but never onto a heading (checked above). */
	return !paragraph_gap && !ends_sentence(u, text);
}

void ks_units_free(units *us)
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

/* Makes the N LINES into the units *US, freed with ks_units_free().  0,
 * or -1 when out of memory (US empty). */
int ks_units_build(const line *lines, size_t n, units *us)
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
			ks_units_free(us);
			return -1;
		}
		gap = paragraph_gap = false;
	}
	return 0;
}

/* ---- sections ------------------------------------------------------------- */

/* Appends unit U to a section's text: list items one per line, paragraphs
 * separated by a blank line. */
void ks_section_append(ks_sb *sb, const unit *u, const unit *prev)
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
