/* budget.c — budget remarks into records: one for every area, its name
 * before "Samlet nettobudget for området: … kr.", its amount and its
 * sub-sections (seed 004). */
#include "parse-private.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

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

/* Fills PS's document with the budget remarks of its units.  0, or -1 with
 * PS->err filled. */
int ks_parse_budget(parser *ps)
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
			return ks_parse_fail(ps->err, amount->line,
					     "'Samlet nettobudget' without an area name before it");
		const unit *area = &us->v[i - 1];
		long long kroner;
		if (!parse_amount(amount->text, &kroner))
			return ks_parse_fail(ps->err, amount->line,
					     "cannot read the nettobudget amount in '%.80s'",
					     amount->text);
		size_t next = i + 1;
		while (next < us->n && !ks_da_prefix(us->v[next].text, NETTOBUDGET_LEAD))
			next++;
		size_t end = next < us->n ? next - 1 : us->n;

		ks_record *r;
		if (ks_push_record(ps->doc, &ps->cap, &r))
			return ks_parse_oom(ps, area->line);
		r->type = KS_RECORD_BUDGET;
		r->punkt = ++section;
		r->line = area->line;
		r->year = year;
		r->has_nettobudget = true;
		r->nettobudget = kroner;
		r->id = ks_make_id(ps->slug, section);
		r->title = strdup(area->text);
		r->udvalg = udvalg ? strdup(udvalg) : NULL;
		r->source = strdup(ps->name);
		if (!r->id || !r->title || (udvalg && !r->udvalg) || !r->source)
			return ks_parse_oom(ps, area->line);

		ks_sb sec[KS_SEC_COUNT] = { { 0 } };
		const unit *last[KS_SEC_COUNT] = { 0 };
		int current = KS_SEC_BESKRIVELSE;
		for (size_t k = i + 1; k < end; k++) {
			const unit *u = &us->v[k];
			int h = ks_budget_heading(u->text);
			if (h >= 0) {
				current = h;
				continue;
			}
			ks_section_append(&sec[current], u, last[current]);
			last[current] = u;
		}
		bool failed = false;
		for (int s = 0; s < KS_SEC_COUNT; s++) {
			bool used = sec[s].s != NULL || sec[s].oom;
			r->sections[s] = used ? ks_sb_take(&sec[s]) : NULL;
			failed |= used && !r->sections[s];
		}
		if (failed)
			return ks_parse_oom(ps, area->line);
		i = next;
	}
	return 0;
}
