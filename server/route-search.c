/* route-search.c — GET /api/search (JSON, CSV and xlsx) and GET /feed
 * (Atom): one reading of the parameters, one search, one of four writers. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ks-limits.h"
#include "validate.h"
#include "writer.h"

/* A whole number of at most 9 digits, so that it cannot overflow. */
static bool read_number(const char *s, unsigned *out)
{
	size_t n = strspn(s, "0123456789");
	if (n == 0 || n > 9 || s[n])
		return false;
	*out = (unsigned)strtoul(s, NULL, 10);
	return true;
}

/* One of WORDS (NULL-terminated): its index, or -1. */
static int one_of(const char *s, const char *const *words)
{
	for (int i = 0; words[i]; i++)
		if (!strcmp(s, words[i]))
			return i;
	return -1;
}

/* The values of one facet parameter, every time it is given. */
typedef struct facet_values {
	const char *name;
	bool (*valid)(const char *value);
	char *out, *end; /* where the values go, joined by KS_FACET_SEP */
	size_t n;        /* the values read */
	bool bad;        /* a value is not valid */
	bool too_many;   /* more than KS_MAX_FACET_VALUES */
} facet_values;

static bool add_facet_value(void *cls, const char *key, size_t key_size, const char *value,
			    size_t value_size)
{
	facet_values *f = cls;
	if (key_size != strlen(f->name) || memcmp(key, f->name, key_size) || !value || !value_size)
		return true;
	if (f->valid && !f->valid(value)) {
		f->bad = true;
		return false;
	}
	if (++f->n > KS_MAX_FACET_VALUES) {
		f->too_many = true;
		return false;
	}
	/* The values of all facets fit: together they are shorter than the
	 * request target (KS_MAX_URL_BYTES). */
	if ((size_t)(f->end - f->out) < value_size + 2)
		return false;
	if (f->n > 1)
		*f->out++ = KS_FACET_SEP;
	memcpy(f->out, value, value_size);
	f->out += value_size;
	*f->out = '\0';
	return true;
}

/* Every value of the facet parameter NAME (udvalg=a&udvalg=b), joined by
 * KS_FACET_SEP into *BUF (advanced past them, before END), as *OUT (NULL
 * when none).  On a value that VALID (may be NULL) refuses, or too many,
 * answers 400 with WHAT (may be NULL when VALID is) and returns false. */
static bool read_facet(ks_request *req, const char *name, bool (*valid)(const char *),
		       const char *what, char **buf, char *end, const char **out)
{
	facet_values f = { .name = name, .valid = valid, .out = *buf, .end = end };
	**buf = '\0';
	ks_each_param(req, add_facet_value, &f);
	if (f.bad) {
		/* Never NULL here (only a VALID refuses), but an optimising
		 * compiler cannot tell, and warns of a "%s" given NULL. */
		ks_reply_error(req, 400, "%s", what ? what : name);
		return false;
	}
	if (f.too_many) {
		ks_reply_error(req, 400, "%s is given more than %d times", name,
			       KS_MAX_FACET_VALUES);
		return false;
	}
	*out = f.n ? *buf : NULL;
	*buf = f.out + (f.n ? 1 : 0);
	return true;
}

static bool valid_type(const char *v)
{
	return !strcmp(v, KS_TYPE_PUNKT) || !strcmp(v, KS_TYPE_BUDGET);
}

static bool valid_year(const char *v)
{
	return strlen(v) == 4 && strspn(v, "0123456789") == 4;
}

/* The parameters that search and feed share, into Q (whose strings stay
 * owned by libmicrohttpd; SAG points into SAG_BUF, the facets' values into
 * FACET_BUF, of KS_MAX_URL_BYTES).  On a bad one, answers 400 naming it and
 * returns false. */
static bool read_query(ks_request *req, ks_query *q, char *sag_buf, char *facet_buf)
{
	/* In ks_sort's order. */
	static const char *const sorts[] = { "relevance",        "date_desc",       "date_asc",
					     "nettobudget_desc", "nettobudget_asc", NULL };
	static const char *const booleans[] = { "false", "true", NULL };
	const char *v;

	/* What a search may cost: ks-limits.h. */
	*q = (ks_query){ .lukket = -1,
			 .sort = KS_SORT_RELEVANCE,
			 .max_expansion = KS_MAX_QUERY_EXPANSION,
			 .max_ms = req->server->search_ms,
			 .stop = ks_request_stop,
			 .stop_arg = req };
	q->q = ks_param(req, "q");
	if (q->q && strlen(q->q) > KS_MAX_QUERY_BYTES) {
		ks_reply_error(req, 400, "q is too long: %zu bytes, at most %d", strlen(q->q),
			       KS_MAX_QUERY_BYTES);
		return false;
	}
	/* Each facet may be given several times: any of its values. */
	char *end = facet_buf + KS_MAX_URL_BYTES;
	if (!read_facet(req, "type", valid_type, "type must be punkt or budget", &facet_buf, end,
			&q->type) ||
	    !read_facet(req, "udvalg", NULL, NULL, &facet_buf, end, &q->udvalg) ||
	    !read_facet(req, "beslutning", NULL, NULL, &facet_buf, end, &q->beslutning) ||
	    !read_facet(req, "year", valid_year, "year must be a year such as 2025", &facet_buf,
			end, &q->year))
		return false;
	if ((v = ks_param(req, "sag")) && *v) {
		if (!ks_sagsnummer_read(v, sag_buf)) {
			ks_reply_error(req, 400, "sag must be a case number such as 25-002452");
			return false;
		}
		q->sag = sag_buf;
	}
	const char *names[] = { "from", "to" };
	const char **dates[] = { &q->from, &q->to };
	for (int i = 0; i < 2; i++) {
		if ((v = ks_param(req, names[i])) && *v) {
			if (!ks_date_parse(v, NULL)) {
				ks_reply_error(req, 400, "%s must be a date YYYY-MM-DD", names[i]);
				return false;
			}
			*dates[i] = v;
		}
	}
	if (q->from && q->to && strcmp(q->from, q->to) > 0) {
		ks_reply_error(req, 400, "from (%s) is after to (%s)", q->from, q->to);
		return false;
	}
	if ((v = ks_param(req, "lukket")) && *v) {
		if ((q->lukket = one_of(v, booleans)) < 0) {
			ks_reply_error(req, 400, "lukket must be true or false");
			return false;
		}
	}
	if ((v = ks_param(req, "sort")) && *v) {
		int sort = one_of(v, sorts);
		if (sort < 0) {
			ks_reply_error(req, 400,
				       "sort must be relevance, date_desc, date_asc, "
				       "nettobudget_desc or nettobudget_asc");
			return false;
		}
		q->sort = (ks_sort)sort;
	}
	return true;
}

/* Writes what OUT holds to FD and empties OUT; false when it could not. */
static bool spill(int fd, ks_sb *out)
{
	for (size_t done = 0; done < out->n;) {
		ssize_t n = write(fd, out->s + done, out->n - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		done += (size_t)n;
	}
	out->n = 0;
	return true;
}

/* Writes the hits of HITS with WRITER as the response, reading each hit
 * as it is written, so that only one is in memory at a time; with SPILL (a
 * file, or -1) the body goes there in pieces and is sent from it.
 * Snippets only when SNIPPETS: the CSV export has none, and they are the
 * costly part.  A long list stops when its client has gone.  Returns the
 * status of a failed read (the index changed: the caller runs the search
 * again). */
static ks_status write_listing(ks_request *req, const ks_writer_class *writer, const ks_listing *l,
			       ks_hits *hits, bool snippets, int spill_fd)
{
	ks_sb out = { 0 };
	void *w = writer->begin(&out, l);
	bool ok = w != NULL;
	ks_status st = KS_OK;
	for (size_t i = 0; ok && i < ks_hits_size(hits); i++) {
		const char *data;
		if (i % 256 == 255 && ks_request_stop(req))
			st = KS_ERR_CANCELLED;
		else
			st = ks_hits_read(hits, i, &data);
		if (st)
			break;
		cJSON *record = ks_record_listing(data);
		if (!record)
			continue; /* not a record of ours */
		const char *text = ks_record_str(record, "text");
		char *snippet = NULL;
		if (snippets && text && *text &&
		    ks_hits_snippet(hits, i, text, KS_SNIPPET_BYTES, &snippet) != KS_OK)
			snippet = NULL; /* the result is worth more than its snippet */
		ok = writer->hit(w, &out, l, record, snippet);
		free(snippet);
		cJSON_Delete(record);
		if (ok && spill_fd >= 0 && out.n >= KS_EXPORT_CHUNK_BYTES)
			ok = spill(spill_fd, &out);
	}
	if (w)
		ok = writer->end(w, &out, l) && ok;
	if (st) {
		ks_sb_free(&out);
		return st;
	}
	if (ok && !out.oom && spill_fd >= 0)
		ok = spill(spill_fd, &out);
	if (!ok || out.oom) {
		ks_sb_free(&out);
		return ks_reply_error(req, 503, "out of memory, or no room for the export");
	}
	req->status = 200;
	req->content_type = writer->content_type;
	if (spill_fd < 0) {
		req->body = out;
		return KS_OK;
	}
	ks_sb_free(&out);
	struct stat file;
	if (fstat(spill_fd, &file) || lseek(spill_fd, 0, SEEK_SET) != 0)
		return ks_reply_error(req, 503, "the export could not be read back");
	req->fd = spill_fd;
	req->fd_size = (size_t)file.st_size;
	return KS_OK;
}

/* An unlinked temporary file for an export's body (in $TMPDIR, else
 * /tmp), or -1: the body is then kept in memory. */
static int export_file(void)
{
	const char *dir = getenv("TMPDIR");
	return open(dir && *dir ? dir : "/tmp", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
}

/* The writer of format F: JSON, or an export's. */
static const ks_writer_class *writer_of(const char *f)
{
	static const struct {
		const char *name;
		const ks_writer_class *writer;
	} formats[] = { { "json", &ks_writer_json },
			{ "csv", &ks_writer_csv },
			{ "xlsx", &ks_writer_xlsx } };
	for (size_t i = 0; i < sizeof formats / sizeof *formats; i++)
		if (!strcmp(f, formats[i].name))
			return formats[i].writer;
	return NULL;
}

ks_status ks_route_search(ks_request *req, const char *rest)
{
	(void)rest;
	ks_query q;
	char sag[KS_SAGSNUMMER_SIZE], facets[KS_MAX_URL_BYTES];
	if (!read_query(req, &q, sag, facets))
		return KS_OK;
	const char *v, *format = "json";
	if ((v = ks_param(req, "format")) && *v) {
		if (!writer_of(v))
			return ks_reply_error(req, 400, "format must be json, csv or xlsx");
		format = v;
	}
	const ks_writer_class *writer = writer_of(format);
	bool export = writer != &ks_writer_json;
	unsigned page = 1, per_page = KS_DEFAULT_PER_PAGE;
	if ((v = ks_param(req, "page")) && (!read_number(v, &page) || page < 1))
		return ks_reply_error(req, 400, "page must be a whole number from 1");
	if ((v = ks_param(req, "per_page")) && (!read_number(v, &per_page) || per_page < 1))
		return ks_reply_error(req, 400, "per_page must be a whole number from 1");
	if (per_page > KS_MAX_PER_PAGE)
		per_page = KS_MAX_PER_PAGE;
	if ((unsigned long long)(page - 1) * per_page > KS_MAX_OFFSET)
		return ks_reply_error(req, 400,
				      "page is too deep: at most %d results can be paged "
				      "through; narrow the search or use format=csv",
				      KS_MAX_OFFSET);

	if (export) {
		if (!ks_export_take(req))
			return KS_OK; /* 503: all export slots are taken */
		q.offset = 0;
		q.count = KS_MAX_CSV_ROWS;
		page = 1;
		per_page = KS_MAX_CSV_ROWS;
	} else {
		q.offset = (page - 1) * per_page;
		q.count = per_page;
		q.facets = true;
		q.facets_exact = req->server->facets_exact;
		q.suggest_below = KS_SUGGEST_BELOW;
	}
	ks_hits *hits = NULL;
	ks_status st = ks_db_query(req->db, &q, &hits);
	if (st)
		return st;
	char base[300];
	ks_base_url(req, base, sizeof base);
	int spill_fd = export ? export_file() : -1;
	char file[40];
	snprintf(file, sizeof file, "/proc/self/fd/%d", spill_fd);
	ks_listing l = { .q = q.q,
			 .query = &q,
			 .total = ks_hits_total(hits),
			 .page = page,
			 .per_page = per_page,
			 .hits = hits,
			 .base = base,
			 .file = spill_fd >= 0 ? file : NULL };
	st = write_listing(req, writer, &l, hits, !export, spill_fd);
	if (spill_fd >= 0 && req->fd != spill_fd)
		close(spill_fd);
	/* An export that failed gives its slot back now, not when its error
	 * has been sent: a client that retries at once must find it free. */
	if (export && (st != KS_OK || req->status != 200))
		ks_export_release(req);
	if (export && st == KS_OK && req->status == 200) {
		/* All hits, up to KS_MAX_CSV_ROWS: the count tells a client
		 * whether the export holds them all (and a last row says so to
		 * whoever opens it). */
		ks_sb name = { 0 };
		if (ks_export_disposition(&q, format, time(NULL), &name) &&
		    name.n < sizeof req->disposition_buf) {
			memcpy(req->disposition_buf, name.s, name.n + 1);
			req->disposition = req->disposition_buf;
		} else {
			req->disposition = "attachment";
		}
		ks_sb_free(&name);
		snprintf(req->total_count, sizeof req->total_count, "%u", l.total);
	}
	ks_hits_free(hits);
	return st;
}

ks_status ks_route_feed(ks_request *req, const char *rest)
{
	(void)rest;
	ks_query q;
	char sag[KS_SAGSNUMMER_SIZE], facets[KS_MAX_URL_BYTES];
	if (!read_query(req, &q, sag, facets))
		return KS_OK;
	/* A feed is the newest matches, whatever the sort asked for. */
	q.sort = KS_SORT_DATE_DESC;
	q.count = KS_FEED_ENTRIES;
	char *updated = NULL;
	ks_status st = ks_db_get_metadata(req->db, KS_META_UPDATED, &updated);
	if (st)
		return st;
	ks_hits *hits = NULL;
	st = ks_db_query(req->db, &q, &hits);
	if (st) {
		free(updated);
		return st;
	}
	char base[300];
	ks_base_url(req, base, sizeof base);
	ks_listing l = { .q = q.q,
			 .query = &q,
			 .total = ks_hits_total(hits),
			 .page = 1,
			 .per_page = KS_FEED_ENTRIES,
			 .hits = hits,
			 .base = base,
			 .self = req->uri,
			 .updated = *updated ? updated : "1970-01-01T00:00:00Z" };
	st = write_listing(req, &ks_writer_atom, &l, hits, true, -1);
	ks_hits_free(hits);
	free(updated);
	return st;
}
