/* route-moede.c — the meeting pages /moede/{udvalg}/{date}: a meeting's
 * whole agenda in order, written by the server, so that it reads without
 * script and unfurls in a chat.  A meeting is its committee and its date;
 * its address names the committee by the slug of its name (ks_slug():
 * "Økonomiudvalget" is "oekonomiudvalget", as in the ids) and the date as
 * YYYY-MM-DD.  What a person types instead ("Økonomiudvalget",
 * "okonomiudvalget", "17.11.2025") is sent to that address for good.
 *
 * The page is web/moede.html in the frame of every page, built into the
 * server as the error page is (web/assemble.py): its <title> becomes the
 * page's <head> (page-head.c), @CRUMB@ the meeting's name in the
 * breadcrumb, @AGENDA@ the agenda. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ks-limits.h"
#include "moede-page.h"
#include "server.h"
#include "validate.h"

char *ks_meeting_path(const char *udvalg, const char *date)
{
	if (!udvalg || !*udvalg || !date || !ks_date_parse(date, NULL))
		return NULL;
	char *slug = ks_slug(udvalg);
	if (!slug || !*slug) {
		free(slug);
		return NULL;
	}
	ks_sb sb = { 0 };
	ks_sb_puts(&sb, "/moede/");
	ks_sb_puts(&sb, slug);
	ks_sb_puts(&sb, "/");
	ks_sb_puts(&sb, date);
	free(slug);
	return ks_sb_take(&sb);
}

/* The key a committee's name is compared by: its slug without dashes,
 * with "ae", "aa" and "oe" as the one letter, so that "okonomiudvalget" (ø
 * typed as o), "oekonomiudvalget" and "Økonomi-udvalget" are one.
 * Malloc'd, caller frees; NULL when out of memory. */
static char *loose_key(const char *name)
{
	char *slug = ks_slug(name);
	if (!slug)
		return NULL;
	size_t n = 0;
	for (size_t i = 0; slug[i]; i++) {
		char c = slug[i];
		if (c == '-')
			continue;
		if ((c == 'a' && (slug[i + 1] == 'e' || slug[i + 1] == 'a')) ||
		    (c == 'o' && slug[i + 1] == 'e'))
			i++;
		slug[n++] = c;
	}
	slug[n] = '\0';
	return slug;
}

/* A date as people type it — 2025-11-17, 17-11-2025, 17.11.2025, 1.12.2025
 * — as "YYYY-MM-DD" into OUT; false when S is none or no day. */
static bool read_date(const char *s, char out[11])
{
	long part[3];
	size_t digits[3];
	char sep = 0;
	const char *p = s;
	for (int i = 0; i < 3; i++) {
		size_t n = strspn(p, "0123456789");
		if (n == 0 || n > 4)
			return false;
		part[i] = strtol(p, NULL, 10);
		digits[i] = n;
		p += n;
		if (i == 2)
			break;
		if ((*p != '-' && *p != '.') || (sep && *p != sep))
			return false;
		sep = *p++;
	}
	if (*p)
		return false;
	long y, m, d;
	if (digits[0] == 4 && sep == '-' && digits[1] == 2 && digits[2] == 2)
		y = part[0], m = part[1], d = part[2];
	else if (digits[2] == 4 && digits[0] <= 2 && digits[1] <= 2)
		y = part[2], m = part[1], d = part[0];
	else
		return false;
	if (!ks_date_valid((int)y, (int)m, (int)d))
		return false;
	snprintf(out, 11, "%04ld-%02ld-%02ld", y, m, d);
	return true;
}

/* The agenda items of a meeting, in order, as listings (ks_record_listing)
 * and the meeting's header (the first item's "meeting"). */
typedef struct meeting {
	char *udvalg; /* as the documents write it; malloc'd */
	cJSON *items; /* an array */
	cJSON *first; /* the first item's public record */
} meeting;

static void meeting_free(meeting *m)
{
	free(m->udvalg);
	cJSON_Delete(m->items);
	cJSON_Delete(m->first);
	*m = (meeting){ 0 };
}

/* The punkt of the listing IT, for sorting (an item without one last). */
static double punkt_of(const cJSON *it)
{
	const cJSON *p = cJSON_GetObjectItemCaseSensitive(it, "punkt");
	return cJSON_IsNumber(p) ? p->valuedouble : 1e18;
}

static int by_punkt(const void *a, const void *b)
{
	double x = punkt_of(*(const cJSON *const *)a), y = punkt_of(*(const cJSON *const *)b);
	return (x > y) - (x < y);
}

/* Sorts the array ITEMS by punkt: the search sorts a day's items by punkt
 * too, but over remote shards Xapian 1.4 sorts by the date alone.  False
 * when out of memory. */
static bool sort_by_punkt(cJSON *items)
{
	size_t n = (size_t)cJSON_GetArraySize(items);
	cJSON **v = n ? malloc(n * sizeof *v) : NULL;
	if (n && !v)
		return false;
	size_t i = 0;
	for (cJSON *e = items->child; e; e = e->next)
		v[i++] = e;
	qsort(v, n, sizeof *v, by_punkt);
	/* Relinked in place (cJSON's array: next, prev, and the first's
	 * prev is the last). */
	for (i = 0; i < n; i++) {
		v[i]->prev = i ? v[i - 1] : v[n - 1];
		v[i]->next = i + 1 < n ? v[i + 1] : NULL;
	}
	items->child = n ? v[0] : NULL;
	free(v);
	return true;
}

/* Whether the committee UDVALG is the one looked for: its slug is SLUG
 * (EXACT), or its loose key is LOOSE. */
static bool same_udvalg(const char *udvalg, const char *slug, const char *loose, bool exact)
{
	char *k = udvalg ? (exact ? ks_slug(udvalg) : loose_key(udvalg)) : NULL;
	bool same = k && !strcmp(k, exact ? slug : loose);
	free(k);
	return same;
}

/* The meeting on DATE of the committee whose name is TYPED (its slug, or
 * failing that, its loose key), into *M; M->items NULL when there is none. */
static ks_status meeting_find(ks_request *req, const char *typed, const char *date, meeting *m)
{
	*m = (meeting){ 0 };
	ks_query q = { .type = "punkt",
		       .from = date,
		       .to = date,
		       .lukket = -1,
		       .sort = KS_SORT_DATE_ASC,
		       .count = KS_MAX_MEETING_ITEMS };
	ks_hits *hits = NULL;
	ks_status st = ks_db_query(req->db, &q, &hits);
	if (st)
		return st;
	char *slug = ks_slug(typed), *loose = loose_key(typed);
	cJSON *all = cJSON_CreateArray();
	bool ok = slug && loose && all;
	for (size_t i = 0; ok && i < ks_hits_size(hits); i++) {
		const char *data;
		if ((st = ks_hits_read(hits, i, &data)))
			break;
		cJSON *listing = ks_record_listing(data);
		ok = listing && cJSON_AddItemToArray(all, listing);
		if (listing && !ok)
			cJSON_Delete(listing);
	}
	/* The committee: one whose slug is the one typed, else one whose
	 * loose key is; its items alone, as two committees may meet the same
	 * day. */
	const cJSON *it;
	for (int exact = 1; ok && !st && !m->udvalg && exact >= 0; exact--)
		cJSON_ArrayForEach(it, all)
		{
			const char *u = ks_record_str(it, "udvalg");
			if (same_udvalg(u, slug, loose, exact)) {
				ok = (m->udvalg = strdup(u)) != NULL;
				break;
			}
		}
	if (ok && !st && m->udvalg) {
		ok = (m->items = cJSON_CreateArray()) != NULL;
		for (cJSON *next, *e = all ? all->child : NULL; ok && e; e = next) {
			next = e->next;
			const char *u = ks_record_str(e, "udvalg");
			if (u && !strcmp(u, m->udvalg))
				ok = cJSON_AddItemToArray(m->items,
							  cJSON_DetachItemViaPointer(all, e));
		}
		ok = ok && sort_by_punkt(m->items);
		const char *id = ok ? ks_record_str(m->items->child, "id") : NULL;
		char *data = NULL;
		if (id && !(st = ks_db_get_data(req->db, id, &data)))
			ok = (m->first = ks_record_public(data, NULL)) != NULL;
		free(data);
	}
	cJSON_Delete(all);
	free(slug);
	free(loose);
	ks_hits_free(hits);
	if (!st && !ok)
		st = KS_ERR_NOMEM;
	if (st)
		meeting_free(m);
	return st;
}

static const char *const months[] = { "januar",    "februar", "marts",    "april",
				      "maj",       "juni",    "juli",     "august",
				      "september", "oktober", "november", "december" };

/* "17. november 2025" for "2025-11-17" (a date read_date() wrote). */
static void put_long_date(ks_sb *out, const char *date)
{
	int y, m, d;
	if (sscanf(date, "%4d-%2d-%2d", &y, &m, &d) != 3 || m < 1 || m > 12) {
		ks_sb_escape_xml(out, date);
		return;
	}
	char buf[48];
	snprintf(buf, sizeof buf, "%d. %s %d", d, months[m - 1], y);
	ks_sb_puts(out, buf);
}

/* The meeting's facts, as the item page shows them. */
static void put_facts(ks_sb *out, const meeting *m, const char *date)
{
	const cJSON *header = cJSON_GetObjectItemCaseSensitive(m->first, "meeting");
	const char *time = ks_record_str(header, "time"), *place = ks_record_str(header, "place");
	const cJSON *who = cJSON_GetObjectItemCaseSensitive(header, "participants");
	ks_sb_puts(out, "<dl class=\"facts\">\n<dt>Mødedato</dt><dd><time datetime=\"");
	ks_sb_puts(out, date);
	ks_sb_puts(out, "\">");
	put_long_date(out, date);
	ks_sb_puts(out, "</time>");
	if (time && *time) {
		ks_sb_puts(out, " kl. ");
		ks_sb_escape_xml(out, time);
	}
	ks_sb_puts(out, "</dd>\n");
	if (place && *place) {
		ks_sb_puts(out, "<dt>Mødested</dt><dd>");
		ks_sb_escape_xml(out, place);
		ks_sb_puts(out, "</dd>\n");
	}
	if (cJSON_GetArraySize(who) > 0) {
		ks_sb_puts(out, "<dt>Mødedeltagere</dt><dd>");
		const cJSON *p;
		bool first = true;
		cJSON_ArrayForEach(p, who)
		{
			if (!cJSON_IsString(p))
				continue;
			ks_sb_puts(out, first ? "" : ", ");
			ks_sb_escape_xml(out, p->valuestring);
			first = false;
		}
		ks_sb_puts(out, "</dd>\n");
	}
	ks_sb_puts(out, "</dl>\n");
}

/* One agenda item: its number (the list's), its title linked to its page,
 * a closed item's mark, its case and its decision. */
static void put_item(ks_sb *out, const cJSON *item)
{
	const cJSON *punkt = cJSON_GetObjectItemCaseSensitive(item, "punkt");
	bool lukket = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(item, "lukket"));
	const char *url = ks_record_str(item, "url"), *title = ks_record_str(item, "title");
	const char *sag = ks_record_str(item, "sagsnummer");
	const char *decision = ks_record_str(item, "beslutning");
	char value[32] = "";
	if (cJSON_IsNumber(punkt))
		snprintf(value, sizeof value, " value=\"%d\"", punkt->valueint);
	ks_sb_puts(out, lukket ? "<li class=\"event closed\"" : "<li class=\"event\"");
	ks_sb_puts(out, value);
	ks_sb_puts(out, "><h3><a href=\"");
	ks_sb_escape_xml(out, url ? url : "/");
	ks_sb_puts(out, "\">");
	ks_sb_escape_xml(out, title ? title : "");
	ks_sb_puts(out, "</a></h3>\n");
	if (lukket)
		ks_sb_puts(out, "<p class=\"badge\">Lukket punkt</p>\n");
	ks_sb_puts(out, "<p class=\"meta\">");
	if (cJSON_IsNumber(punkt)) {
		char number[32];
		snprintf(number, sizeof number, "Punkt %d", punkt->valueint);
		ks_sb_puts(out, number);
	}
	if (sag) {
		ks_sb_puts(out, cJSON_IsNumber(punkt)
					? "<span class=\"sep\" aria-hidden=\"true\"> · </span>"
					: "");
		ks_sb_puts(out, "Sag <a href=\"/sag/");
		ks_sb_escape_xml(out, sag);
		ks_sb_puts(out, "\">");
		ks_sb_escape_xml(out, sag);
		ks_sb_puts(out, "</a>");
	}
	ks_sb_puts(out, "</p>\n");
	if (decision && *decision) {
		ks_sb_puts(out, "<p class=\"decision\"><strong>Beslutning: </strong>");
		ks_sb_escape_xml(out, decision);
		ks_sb_puts(out, "</p>\n");
	}
	ks_sb_puts(out, "</li>\n");
}

/* "Møde i Direktionen 17.11.2025": the page's subject. */
static char *meeting_title(const meeting *m, const char *date)
{
	char short_date[11];
	ks_date_short(date, short_date);
	ks_sb sb = { 0 };
	ks_sb_puts(&sb, "Møde i ");
	ks_sb_puts(&sb, m->udvalg);
	ks_sb_puts(&sb, " ");
	ks_sb_puts(&sb, short_date);
	return ks_sb_take(&sb);
}

/* "Dagsorden med 14 punkter, heraf 10 lukkede. Mødelokale 8, kl. 12:30." */
static char *meeting_description(const meeting *m)
{
	int n = cJSON_GetArraySize(m->items), closed = 0;
	const cJSON *it;
	cJSON_ArrayForEach(it, m->items) closed +=
		cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(it, "lukket"));
	const cJSON *header = cJSON_GetObjectItemCaseSensitive(m->first, "meeting");
	const char *time = ks_record_str(header, "time"), *place = ks_record_str(header, "place");
	char buf[96];
	snprintf(buf, sizeof buf, "Dagsorden med %d %s", n, n == 1 ? "punkt" : "punkter");
	ks_sb sb = { 0 };
	ks_sb_puts(&sb, buf);
	if (closed) {
		snprintf(buf, sizeof buf, ", heraf %d %s", closed,
			 closed == 1 ? "lukket" : "lukkede");
		ks_sb_puts(&sb, buf);
	}
	ks_sb_puts(&sb, ".");
	bool has_place = place && *place, has_time = time && *time;
	if (has_place || has_time) {
		ks_sb_puts(&sb, " ");
		if (has_place)
			ks_sb_puts(&sb, place);
		if (has_place && has_time)
			ks_sb_puts(&sb, ", ");
		if (has_time) {
			ks_sb_puts(&sb, "kl. ");
			ks_sb_puts(&sb, time);
		}
		ks_sb_puts(&sb, ".");
	}
	return ks_sb_take(&sb);
}

/* The page of meeting M on DATE at PATH, into REQ. */
static ks_status reply_meeting(ks_request *req, const meeting *m, const char *date,
			       const char *path)
{
	char *title = meeting_title(m, date), *description = meeting_description(m);
	ks_sb head = { 0 }, agenda = { 0 }, crumb = { 0 };
	if (title && description) {
		ks_head h = { .title = title,
			      .description = description,
			      .og_type = "website",
			      .path = path };
		ks_head_write(req, &h, &head);
	}
	ks_sb_puts(&crumb, "<li><a href=\"");
	ks_sb_escape_xml(&crumb, path);
	ks_sb_puts(&crumb, "\" aria-current=\"page\">");
	ks_sb_escape_xml(&crumb, title ? title : "");
	ks_sb_puts(&crumb, "</a></li>");

	ks_sb_puts(&agenda, "<h1>Møde i ");
	ks_sb_escape_xml(&agenda, m->udvalg);
	ks_sb_puts(&agenda, " ");
	put_long_date(&agenda, date);
	ks_sb_puts(&agenda, "</h1>\n");
	const cJSON *header = cJSON_GetObjectItemCaseSensitive(m->first, "meeting");
	const char *referat = ks_record_str(header, "title");
	if (referat && *referat) {
		ks_sb_puts(&agenda, "<p class=\"status\">");
		ks_sb_escape_xml(&agenda, referat);
		ks_sb_puts(&agenda, "</p>\n");
	}
	put_facts(&agenda, m, date);
	ks_sb_puts(&agenda, "<h2 id=\"dagsorden\">Dagsorden</h2>\n"
			    "<ol class=\"timeline agenda\" aria-labelledby=\"dagsorden\">\n");
	const cJSON *it;
	cJSON_ArrayForEach(it, m->items) put_item(&agenda, it);
	ks_sb_puts(&agenda, "</ol>");

	ks_status st = KS_OK;
	if (!title || !description || head.oom || agenda.oom || crumb.oom) {
		st = KS_ERR_NOMEM;
	} else {
		ks_sb page = { 0 };
		static const char crumb_mark[] = "@CRUMB@", agenda_mark[] = "@AGENDA@";
		const char *c = strstr(ks_moede_page, crumb_mark);
		const char *a = c ? strstr(c, agenda_mark) : NULL;
		if (!a) {
			st = KS_ERR_INVALID; /* the page was built without its marks */
		} else {
			ks_sb_append(&page, ks_moede_page, (size_t)(c - ks_moede_page));
			ks_sb_puts(&page, crumb.s);
			const char *after_crumb = c + sizeof crumb_mark - 1;
			ks_sb_append(&page, after_crumb, (size_t)(a - after_crumb));
			ks_sb_puts(&page, agenda.s);
			ks_sb_puts(&page, a + sizeof agenda_mark - 1);
			if (page.oom) {
				st = KS_ERR_NOMEM;
			} else {
				ks_reply_html(req, 200);
				ks_page_put_head(&req->body, page.s, page.n, head.s);
			}
		}
		ks_sb_free(&page);
	}
	free(title);
	free(description);
	ks_sb_free(&head);
	ks_sb_free(&agenda);
	ks_sb_free(&crumb);
	return st;
}

/* The longest committee name read from an address: longer is no
 * committee's. */
#define KS_MAX_UDVALG_PATH_BYTES 200

ks_status ks_route_page_moede(ks_request *req, const char *rest)
{
	static const char gone_title[] = "Mødet findes ikke";
	static const char gone[] = "Der er intet møde med denne adresse i søgningens dokumenter. "
				   "En mødeside har adressen /moede/udvalg/dato, for eksempel "
				   "/moede/direktionen/2025-11-17.";
	size_t n_udvalg = strcspn(rest, "/");
	const char *date_at = rest + n_udvalg + (rest[n_udvalg] == '/');
	size_t n_date = strcspn(date_at, "/");
	const char *after = date_at + n_date;
	if (n_udvalg == 0 || n_udvalg > KS_MAX_UDVALG_PATH_BYTES || n_date == 0 || n_date > 10 ||
	    after[strspn(after, "/")])
		return ks_reply_error_page(req, 404, gone_title, gone);
	char typed[KS_MAX_UDVALG_PATH_BYTES + 1], typed_date[11], date[11];
	memcpy(typed, rest, n_udvalg);
	typed[n_udvalg] = '\0';
	memcpy(typed_date, date_at, n_date);
	typed_date[n_date] = '\0';
	if (!read_date(typed_date, date))
		return ks_reply_error_page(req, 400, "Ugyldig dato",
					   "En mødeside har adressen /moede/udvalg/dato med "
					   "datoen skrevet som 2025-11-17.");
	meeting m;
	ks_status st = meeting_find(req, typed, date, &m);
	if (st)
		return st;
	if (!m.items)
		return ks_reply_error_page(req, 404, gone_title, gone);
	char *path = ks_meeting_path(m.udvalg, date);
	if (!path) {
		st = KS_ERR_NOMEM;
	} else if (strcmp(req->path, path) && strlen(path) < sizeof req->location) {
		st = ks_reply_redirect(req, 301, path);
	} else {
		st = reply_meeting(req, &m, date, path);
	}
	free(path);
	meeting_free(&m);
	return st;
}

/* {"id", "punkt", "title", "url", "lukket"} of the listing ITEM. */
static cJSON *neighbour(const cJSON *item)
{
	static const char *const fields[] = { "id", "punkt", "title", "url", "lukket" };
	cJSON *out = cJSON_CreateObject();
	for (size_t i = 0; out && i < sizeof fields / sizeof *fields; i++) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(item, fields[i]);
		cJSON *copy = v ? cJSON_Duplicate(v, true) : cJSON_CreateNull();
		if (!copy || !cJSON_AddItemToObject(out, fields[i], copy)) {
			cJSON_Delete(copy);
			cJSON_Delete(out);
			out = NULL;
		}
	}
	return out;
}

ks_status ks_meeting_neighbours(ks_request *req, const cJSON *item, cJSON **previous, cJSON **next)
{
	*previous = *next = NULL;
	const char *type = ks_record_str(item, "type"), *udvalg = ks_record_str(item, "udvalg");
	const char *date = ks_record_str(item, "date");
	const cJSON *punkt = cJSON_GetObjectItemCaseSensitive(item, "punkt");
	meeting m = { 0 };
	ks_status st = KS_OK;
	if (type && !strcmp(type, "punkt") && udvalg && date && cJSON_IsNumber(punkt) &&
	    ks_date_parse(date, NULL))
		st = meeting_find(req, udvalg, date, &m);
	const cJSON *before = NULL, *after = NULL, *it;
	if (m.items && strcmp(m.udvalg, udvalg)) {
		/* Another committee of the same slug that day: not this meeting. */
		meeting_free(&m);
	}
	cJSON_ArrayForEach(it, m.items)
	{
		const cJSON *p = cJSON_GetObjectItemCaseSensitive(it, "punkt");
		if (!cJSON_IsNumber(p))
			continue;
		if (p->valuedouble < punkt->valuedouble)
			before = it; /* sorted: the last below */
		else if (p->valuedouble > punkt->valuedouble && !after)
			after = it;
	}
	if (!st) {
		*previous = before ? neighbour(before) : cJSON_CreateNull();
		*next = after ? neighbour(after) : cJSON_CreateNull();
		if (!*previous || !*next) {
			cJSON_Delete(*previous);
			cJSON_Delete(*next);
			*previous = *next = NULL;
			st = KS_ERR_NOMEM;
		}
	}
	meeting_free(&m);
	return st;
}
