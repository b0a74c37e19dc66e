/* minutes.c — meeting minutes into records: the meeting header (REFERAT,
 * Mødedato, Mødested, Mødedeltagere), the table of contents skipped, one
 * record for every "Punkt N:" with its case number, its closed mark
 * (closed.c) and its sections. */
#include "parse-private.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "closed.h"
#include "schema.h"
#include "text.h"
#include "validate.h"

/* ---- the meeting header ----------------------------------------------------- */

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

/* ---- minutes -------------------------------------------------------------- */

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
		int h = ks_item_heading(u->text);
		if (h >= 0) {
			current = h;
			continue;
		}
		if (current == KS_SEC_BILAG) {
			if (ks_strv_push(&r->bilag, u->text, strlen(u->text)))
				rc = -1;
		}
		ks_section_append(&sec[current], u, last[current]);
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
		rc = ks_parse_bodies(r->sections[KS_SEC_BEHANDLING], &r->behandling);
	/* No facet value (NULL) is a valid answer for a decision in prose. */
	if (!rc && r->sections[KS_SEC_BESLUTNING])
		r->beslutning = ks_beslutning_facet(r->sections[KS_SEC_BESLUTNING]);
	return rc ? ks_parse_oom(ps, r->line) : 0;
}

/* Fills PS's document with the minutes whose REFERAT line is unit START.
 * 0, or -1 with PS->err filled. */
int ks_parse_meeting(parser *ps, size_t start)
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
		return ks_parse_fail(ps->err, head->line,
				     "the meeting date in '%.80s' is not DD-MM-YYYY", head->text);
	m->title = strdup(head->text);
	m->udvalg = strndup(rest, udvalg_len);
	if (!m->title || !m->udvalg)
		return ks_parse_oom(ps, head->line);
	if (!*m->udvalg)
		return ks_parse_fail(ps->err, head->line, "no committee after 'REFERAT'");

	size_t i = start + 1;
	for (; i < us->n; i++) {
		const unit *u = &us->v[i];
		const char *title, *v;
		if (ks_punkt_number(u->text, &title))
			break;
		if ((v = label_value(u->text, "Mødedato"))) {
			parse_modedato(v, m->date, m->time);
		} else if ((v = label_value(u->text, "Mødested")) && !m->place) {
			if (!(m->place = strdup(v)))
				return ks_parse_oom(ps, u->line);
		} else if ((v = label_value(u->text, "Mødedeltagere")) && !m->participants.n) {
			if (ks_split_list(v, &m->participants, ","))
				return ks_parse_oom(ps, u->line);
		}
		/* Everything else before the first item is the table of
		 * contents, whose titles may be cut short: the Punkt heading
		 * is the title. */
	}
	if (!m->date[0])
		return ks_parse_fail(ps->err, head->line,
				     "no meeting date: expected 'REFERAT <udvalg> d. DD-MM-YYYY'");
	if (i == us->n)
		return ks_parse_fail(ps->err, head->line,
				     "no agenda items ('Punkt N: <titel>') found");

	int year = atoi(m->date);
	while (i < us->n) {
		const unit *u = &us->v[i];
		const char *title;
		int n = ks_punkt_number(u->text, &title);
		size_t next = i + 1;
		while (next < us->n) {
			const char *t;
			if (ks_punkt_number(us->v[next].text, &t))
				break;
			next++;
		}
		ks_closed mark;
		ks_closed_read(title, &mark);
		bool lukket = mark.closed;
		if (!mark.title_len)
			return ks_parse_fail(ps->err, u->line, "'Punkt %d:' has no title", n);
		if (mark.warning[0] && warn(ps, u->line, mark.warning))
			return ks_parse_oom(ps, u->line);
		for (size_t k = 0; k < ps->doc->n_records; k++)
			if (ps->doc->records[k].punkt == n)
				return ks_parse_fail(ps->err, u->line,
						     "Punkt %d appears twice (first on line %d)", n,
						     ps->doc->records[k].line);

		ks_record *r;
		if (ks_push_record(ps->doc, &ps->cap, &r))
			return ks_parse_oom(ps, u->line);
		r->type = KS_RECORD_PUNKT;
		r->punkt = n;
		r->line = u->line;
		r->lukket = lukket;
		r->year = year;
		r->meeting = m;
		memcpy(r->date, m->date, sizeof r->date);
		r->id = ks_make_id(ps->slug, n);
		r->title = strndup(mark.title, mark.title_len);
		r->udvalg = strdup(m->udvalg);
		r->source = strdup(ps->name);
		if (!r->id || !r->title || !r->udvalg || !r->source)
			return ks_parse_oom(ps, u->line);

		size_t body = i + 1;
		char sag[KS_SAGSNUMMER_SIZE];
		if (body < next && ks_sagsnummer_parse(us->v[body].text, sag)) {
			if (!(r->sagsnummer = strdup(sag)))
				return ks_parse_oom(ps, u->line);
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
