/* main.c — kommunesoeg-index: the command line, the walk over the input
 * files, change detection and the atomic update of the index.
 *
 *   kommunesoeg-index [--db DIR] [--dump] [--quiet] PATH...
 *
 * A new index is built in DIR.tmp-PID and renamed into place when complete;
 * an existing one is updated in one Xapian transaction.  Either way a reader
 * sees the old index or the new one, and a killed run leaves the old one.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "index.h"
#include "ks-config.h"
#include "ks-xapian.h"
#include "parse.h"
#include "schema.h"

enum { EXIT_PARTIAL = 1, EXIT_USAGE = 2 };

/* A fresh index is flushed to disk every this many records, so that memory
 * stays bounded however large the corpus (nobody reads it before the
 * rename). */
#define FRESH_FLUSH_RECORDS 20000

typedef struct input {
	char *path;    /* as found: the PATH argument joined with the walk */
	char *abspath; /* realpath(): the key of its state in the index */
	char key[17];  /* hex hash of abspath: the XFIL term */
} input;

typedef struct idset idset;

typedef struct inputs {
	input *v;
	size_t n, cap;
	idset *seen; /* abspaths */
} inputs;

typedef struct stats {
	size_t files, parsed, unchanged, removed, failed, records;
} stats;

typedef struct options {
	const char *db;
	bool dump, quiet, progress;
	const char *words;    /* the word list compounds split into, or NULL */
	const char *synonyms; /* the synonym file, or NULL */
	char schema[64];      /* the KS_META_SCHEMA this run writes (see schema_stamp()) */
} options;

/* Where the word list and the synonyms are unless given. */
#define DEFAULT_WORDS "/usr/share/dict/danish"

static const char *prog = "kommunesoeg-index";

/* ---- small helpers ------------------------------------------------------- */

static uint64_t fnv1a(const void *data, size_t len)
{
	const unsigned char *p = data;
	uint64_t h = 0xcbf29ce484222325ULL;
	for (size_t i = 0; i < len; i++)
		h = (h ^ p[i]) * 0x100000001b3ULL;
	return h;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The walk and the bookkeeping around the index cannot go on without
 * memory; nothing is committed, so the old index stays as it was. */
static _Noreturn void out_of_memory(void)
{
	fprintf(stderr, "%s: out of memory\n", prog);
	exit(EXIT_USAGE);
}

static void *xrealloc_or_die(void *p, size_t n)
{
	void *q = realloc(p, n);
	if (!q)
		out_of_memory();
	return q;
}

static char *xstrdup(const char *s)
{
	char *d = strdup(s);
	if (!d)
		out_of_memory();
	return d;
}

/* Reads the whole file; NULL with errno set on failure. */
static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap);
	while (buf) {
		if (n == cap) {
			if (cap > KS_MAX_FILE_BYTES) {
				errno = EFBIG;
				break;
			}
			char *b = realloc(buf, cap * 2);
			if (!b)
				break;
			buf = b;
			cap *= 2;
		}
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0) {
			if (ferror(f))
				break;
			fclose(f);
			*len = n;
			return buf;
		}
	}
	int saved = errno ? errno : ENOMEM;
	free(buf);
	fclose(f);
	errno = saved;
	return NULL;
}

/* ---- a set of strings ---------------------------------------------------- */

/* A set of strings: the ids printed by --dump (to settle them as the index
 * would), and the files already found (a file named twice is read once). */
struct idset {
	char **v;
	size_t n, cap; /* open addressing; cap is a power of two */
};

static bool idset_has(const char *id, void *arg)
{
	idset *s = arg;
	if (!s->cap)
		return false;
	for (size_t i = fnv1a(id, strlen(id)) & (s->cap - 1); s->v[i]; i = (i + 1) & (s->cap - 1))
		if (!strcmp(s->v[i], id))
			return true;
	return false;
}

static void idset_add(idset *s, const char *id)
{
	if ((s->n + 1) * 2 > s->cap) {
		idset bigger = { .cap = s->cap ? s->cap * 2 : 256 };
		bigger.v = calloc(bigger.cap, sizeof *bigger.v);
		if (!bigger.v)
			out_of_memory();
		for (size_t i = 0; i < s->cap; i++)
			if (s->v[i])
				idset_add(&bigger, s->v[i]);
		for (size_t i = 0; i < s->cap; i++)
			free(s->v[i]);
		free(s->v);
		*s = bigger;
	}
	size_t i = fnv1a(id, strlen(id)) & (s->cap - 1);
	while (s->v[i])
		i = (i + 1) & (s->cap - 1);
	s->v[i] = xstrdup(id);
	s->n++;
}

static void idset_free(idset *s)
{
	for (size_t i = 0; i < s->cap; i++)
		free(s->v[i]);
	free(s->v);
}

/* ---- the walk ------------------------------------------------------------ */

static bool wanted_name(const char *name)
{
	const char *dot = strrchr(name, '.');
	return dot &&
	       (!strcasecmp(dot, ".txt") || !strcasecmp(dot, ".md") || !strcasecmp(dot, ".pdf"));
}

static void add_input(inputs *in, const char *path)
{
	char *abspath = realpath(path, NULL);
	if (!abspath)
		return;
	if (idset_has(abspath, in->seen)) {
		free(abspath);
		return;
	}
	idset_add(in->seen, abspath);
	if (in->n == in->cap) {
		in->cap = in->cap ? in->cap * 2 : 64;
		in->v = xrealloc_or_die(in->v, in->cap * sizeof *in->v);
	}
	input *x = &in->v[in->n++];
	x->path = xstrdup(path);
	x->abspath = abspath;
	snprintf(x->key, sizeof x->key, "%016llx",
		 (unsigned long long)fnv1a(abspath, strlen(abspath)));
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Adds the .txt, .md and .pdf files under DIR, in name order so that every run
 * sees them in the same order; hidden files and directories are skipped. */
static int walk(inputs *in, const char *dir, int depth)
{
	if (depth > 64) {
		fprintf(stderr, "%s: directories nested too deep\n", dir);
		return -1;
	}
	DIR *d = opendir(dir);
	if (!d) {
		fprintf(stderr, "%s: %s\n", dir, strerror(errno));
		return -1;
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			names = xrealloc_or_die(names, cap * sizeof *names);
		}
		names[n++] = xstrdup(e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof *names, cmp_names);
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(dir) + strlen(names[i]) + 2;
		char *path = xrealloc_or_die(NULL, len);
		snprintf(path, len, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/",
			 names[i]);
		/* A symbolic link to a file is followed, one to a directory
		 * is not: it could lead in a circle. */
		struct stat st, lst;
		bool ok = lstat(path, &lst) == 0 && stat(path, &st) == 0;
		if (ok && S_ISDIR(st.st_mode) && !S_ISLNK(lst.st_mode))
			rc |= walk(in, path, depth + 1);
		else if (ok && S_ISREG(st.st_mode) && wanted_name(names[i]))
			add_input(in, path);
		free(path);
		free(names[i]);
	}
	free(names);
	return rc;
}

static void free_inputs(inputs *in)
{
	for (size_t i = 0; i < in->n; i++) {
		free(in->v[i].path);
		free(in->v[i].abspath);
	}
	free(in->v);
	idset_free(in->seen);
}

/* ---- ids ----------------------------------------------------------------- */

/* Ids come from the file name ("direktionen-2025-10-06-3"), so they survive
 * a rebuild.  Two files with one name in different folders would share
 * them; the later one gets the hash of its path appended. */
typedef bool (*id_taken_fn)(const char *id, void *arg);

static void settle_id(ks_record *r, const char *key, id_taken_fn taken, void *arg)
{
	if (!taken(r->id, arg))
		return;
	for (size_t width = 6; width <= 16; width += 10) {
		size_t len = strlen(r->id) + width + 2;
		char *id = xrealloc_or_die(NULL, len);
		snprintf(id, len, "%s-%.*s", r->id, (int)width, key);
		if (!taken(id, arg) || width == 16) {
			free(r->id);
			r->id = id;
			return;
		}
		free(id);
	}
}

static bool db_has_id(const char *id, void *arg)
{
	bool has = false;
	return ks_db_has_term(arg, KS_FIELD_ID, id, &has) == KS_OK && has;
}

/* ---- parsing one file ------------------------------------------------------ */

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

static bool is_pdf(const char *path)
{
	const char *dot = strrchr(path, '.');
	return dot && !strcasecmp(dot, ".pdf");
}

/* Parses X into DOC; reports a failure as FILE:LINE: reason, for a PDF as
 * FILE: page N: reason, or FILE: reason when the whole file is at fault. */
static int parse_input(const input *x, const char *data, size_t len, ks_document *doc)
{
	ks_parse_error err;
	int rc = is_pdf(x->path) ? ks_parse_pdf(data, len, base_name(x->path), doc, &err)
				 : ks_parse(data, len, base_name(x->path), doc, &err);
	if (rc == 0)
		return 0;
	if (!is_pdf(x->path))
		fprintf(stderr, "%s:%d: %s\n", x->path, err.line, err.message);
	else if (err.page > 0)
		fprintf(stderr, "%s: page %d: %s\n", x->path, err.page, err.message);
	else
		fprintf(stderr, "%s: %s\n", x->path, err.message);
	return -1;
}

static void progress(const options *o, const stats *s, size_t total, double t0, bool last)
{
	static double shown;
	if (!o->progress)
		return;
	double t = now();
	if (!last && t - shown < 0.2)
		return;
	shown = t;
	fprintf(stderr, "\r%zu/%zu files, %zu records, %.0f records/s%s", s->files, total,
		s->records, s->records / (t - t0 > 1e-6 ? t - t0 : 1e-6), last ? "\n" : "");
}

static int run_dump(const options *o, inputs *in, stats *s, double t0)
{
	idset ids = { 0 };
	for (size_t i = 0; i < in->n; i++) {
		const input *x = &in->v[i];
		size_t len;
		char *data = read_file(x->path, &len);
		ks_document doc;
		s->files++;
		if (!data) {
			fprintf(stderr, "%s: %s\n", x->path, strerror(errno));
			s->failed++;
			continue;
		}
		if (parse_input(x, data, len, &doc) == 0) {
			s->parsed++;
			for (size_t k = 0; k < doc.n_records; k++) {
				ks_record *r = &doc.records[k];
				settle_id(r, x->key, idset_has, &ids);
				idset_add(&ids, r->id);
				char *json = ks_record_json(r);
				if (!json)
					out_of_memory();
				puts(json);
				free(json);
				s->records++;
			}
			ks_document_clear(&doc);
		} else {
			s->failed++;
		}
		free(data);
		progress(o, s, in->n, t0, false);
	}
	idset_free(&ids);
	if (fflush(stdout) != 0) {
		fprintf(stderr, "%s: writing the dump: %s\n", prog, strerror(errno));
		return EXIT_USAGE;
	}
	return 0;
}

/* ---- the index ------------------------------------------------------------- */

typedef struct file_state {
	long long size, mtime_ns;
	unsigned long long hash;
} file_state;

static bool parse_state(const char *v, file_state *fs)
{
	return sscanf(v, "%lld %lld %llx", &fs->size, &fs->mtime_ns, &fs->hash) == 3;
}

static int db_fail(ks_db *db, ks_status st, const char *what)
{
	fprintf(stderr, "%s: %s: %s: %s\n", prog, what, ks_status_str(st),
		db ? ks_db_error(db) : "");
	return EXIT_USAGE;
}

/* Indexes one input unless its stored state says it is unchanged. */
static int index_input(ks_db *db, const input *x, stats *s)
{
	char meta_key[PATH_MAX + 16];
	snprintf(meta_key, sizeof meta_key, "%s%s", KS_META_FILE_PREFIX, x->abspath);
	struct stat st;
	if (stat(x->path, &st) != 0) {
		fprintf(stderr, "%s: %s\n", x->path, strerror(errno));
		s->failed++;
		return 0;
	}
	file_state old = { 0 }, cur = {
		.size = st.st_size,
		.mtime_ns = (long long)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec,
	};
	char *stored = NULL;
	ks_status rc = ks_db_get_metadata(db, meta_key, &stored);
	if (rc)
		return db_fail(db, rc, "reading the index");
	bool known = parse_state(stored, &old);
	free(stored);
	if (known && old.size == cur.size && old.mtime_ns == cur.mtime_ns) {
		s->unchanged++;
		return 0;
	}

	size_t len;
	char *data = read_file(x->path, &len);
	if (!data) {
		fprintf(stderr, "%s: %s\n", x->path, strerror(errno));
		s->failed++;
		return 0;
	}
	cur.hash = fnv1a(data, len);
	char state[96];
	snprintf(state, sizeof state, "%lld %lld %016llx", cur.size, cur.mtime_ns, cur.hash);
	if (known && old.hash == cur.hash) {
		/* Touched, not changed: remember the new time only. */
		free(data);
		s->unchanged++;
		rc = ks_db_set_metadata(db, meta_key, state);
		return rc ? db_fail(db, rc, "writing the index") : 0;
	}

	ks_document doc;
	int failed = parse_input(x, data, len, &doc);
	free(data);
	if (failed) {
		/* The records from the last good version stay searchable; the
		 * state is not updated, so the next run tries the file again. */
		s->failed++;
		return 0;
	}
	s->parsed++;
	rc = ks_db_delete(db, KS_FIELD_FILE, x->key);
	for (size_t k = 0; !rc && k < doc.n_records; k++) {
		settle_id(&doc.records[k], x->key, db_has_id, db);
		rc = ks_index_record(db, &doc.records[k], x->key);
		s->records++;
	}
	ks_document_clear(&doc);
	if (!rc)
		rc = ks_db_set_metadata(db, meta_key, state);
	return rc ? db_fail(db, rc, "writing the index") : 0;
}

typedef struct gone {
	ks_strv paths;
} gone;

static int collect_file_keys(const char *key, const char *value, void *arg)
{
	(void)value;
	gone *g = arg;
	const char *path = key + strlen(KS_META_FILE_PREFIX);
	return ks_strv_push(&g->paths, path, strlen(path));
}

/* Whether PATH lies under (or is) one of the ROOTS the user named. */
static bool under_roots(const char *path, char **roots, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (!roots[i])
			continue;
		size_t len = strlen(roots[i]);
		if (!strncmp(path, roots[i], len) &&
		    (path[len] == '\0' || path[len] == '/' || roots[i][len - 1] == '/'))
			return true;
	}
	return false;
}

static int cmp_input_abs(const void *a, const void *b)
{
	return strcmp(((const input *)a)->abspath, ((const input *)b)->abspath);
}

/* Deletes the records of indexed files under ROOTS that no longer exist. */
static int remove_gone(ks_db *db, inputs *in, char **roots, size_t n_roots, stats *s)
{
	gone g = { 0 };
	ks_status rc = ks_db_each_metadata(db, KS_META_FILE_PREFIX, collect_file_keys, &g);
	if (rc)
		return db_fail(db, rc, "reading the index");
	input *sorted = xrealloc_or_die(NULL, (in->n ? in->n : 1) * sizeof *sorted);
	memcpy(sorted, in->v, in->n * sizeof *sorted);
	qsort(sorted, in->n, sizeof *sorted, cmp_input_abs);
	for (size_t i = 0; !rc && i < g.paths.n; i++) {
		const char *path = g.paths.v[i];
		input probe = { .abspath = (char *)path };
		if (bsearch(&probe, sorted, in->n, sizeof *sorted, cmp_input_abs) ||
		    !under_roots(path, roots, n_roots))
			continue;
		char key[17], meta_key[PATH_MAX + 16];
		snprintf(key, sizeof key, "%016llx", (unsigned long long)fnv1a(path, strlen(path)));
		snprintf(meta_key, sizeof meta_key, "%s%s", KS_META_FILE_PREFIX, path);
		rc = ks_db_delete(db, KS_FIELD_FILE, key);
		if (!rc)
			rc = ks_db_set_metadata(db, meta_key, "");
		s->removed++;
	}
	free(sorted);
	ks_strv_clear(&g.paths);
	return rc ? db_fail(db, rc, "removing records of deleted files") : 0;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

/* Removes DIR.tmp-PID directories left by runs that were killed. */
static void remove_stale_builds(const char *db)
{
	const char *slash = strrchr(db, '/');
	const char *base = slash ? slash + 1 : db;
	char parent[PATH_MAX], prefix[NAME_MAX + 8];
	if (!slash)
		snprintf(parent, sizeof parent, ".");
	else if (slash == db)
		snprintf(parent, sizeof parent, "/");
	else
		snprintf(parent, sizeof parent, "%.*s", (int)(slash - db), db);
	snprintf(prefix, sizeof prefix, "%.*s.tmp-", NAME_MAX, base);
	DIR *d = opendir(parent);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (strncmp(e->d_name, prefix, strlen(prefix)))
			continue;
		long pid = strtol(e->d_name + strlen(prefix), NULL, 10);
		if (pid > 0 && (kill((pid_t)pid, 0) == 0 || errno != ESRCH))
			continue; /* its writer is still running */
		char path[PATH_MAX + NAME_MAX + 2];
		snprintf(path, sizeof path, "%s/%s", parent, e->d_name);
		nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	}
	if (d)
		closedir(d);
}

static int make_parents(const char *path)
{
	char *copy = xstrdup(path);
	for (char *p = copy + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(copy, 0777) != 0 && errno != EEXIST) {
			fprintf(stderr, "%s: cannot create %s: %s\n", prog, copy, strerror(errno));
			free(copy);
			return -1;
		}
		*p = '/';
	}
	free(copy);
	return 0;
}

static void iso_now(char out[32])
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Opens TARGET for writing (a fresh one when FRESH); on failure says why,
 * naming the index DB, and returns NULL. */
static ks_db *open_for_writing(const char *db_path, const char *target, bool fresh)
{
	ks_db *db = NULL;
	char *message = NULL;
	ks_status rc =
		ks_db_open_write(target, fresh ? KS_OPEN_FRESH : KS_OPEN_UPDATE, &db, &message);
	if (rc) {
		fprintf(stderr, "%s: cannot open the index %s: %s%s%s\n", prog, db_path,
			rc == KS_ERR_LOCKED ? "another kommunesoeg-index is writing it"
					    : ks_status_str(rc),
			message ? ": " : "", message ? message : "");
		free(message);
		return NULL;
	}
	return db;
}

/* Gives DB the word list and the synonyms of O.  A word list that is not
 * there by default is only warned about: compounds are then split into the
 * documents' own words. */
static int load_words(const options *o, ks_db *db)
{
	ks_status rc;
	if (o->words && (rc = ks_db_load_words(db, o->words))) {
		if (rc != KS_ERR_NOT_FOUND || strcmp(o->words, DEFAULT_WORDS) != 0) {
			fprintf(stderr, "%s: %s\n", prog, ks_db_error(db));
			return EXIT_USAGE;
		}
		if (!o->quiet)
			fprintf(stderr,
				"%s: warning: %s (Debian package wdanish): compounds are "
				"split into the documents' own words only\n",
				prog, ks_db_error(db));
	}
	if (o->synonyms && (rc = ks_db_set_synonyms(db, o->synonyms))) {
		fprintf(stderr, "%s: %s\n", prog, ks_db_error(db));
		return EXIT_USAGE;
	}
	return 0;
}

/* Builds or updates the index.  An existing index is updated in one
 * transaction.  A new one is built in DB.tmp-PID and renamed into place;
 * so is a complete rebuild of an index of another schema version, which is
 * then swapped with the old one in one step (renameat2 RENAME_EXCHANGE):
 * re-indexing every record inside one transaction held them all in memory
 * and left the old revision's blocks behind (245,578 records: 12 minutes,
 * 600 MB and growing, a 4.8 GB index instead of 2.0 GB). */
static int run_index(const options *o, inputs *in, char **roots, size_t n_roots, stats *s,
		     double t0, uint32_t *doccount)
{
	struct stat st;
	bool fresh = stat(o->db, &st) != 0;
	bool swap = false; /* a rebuild beside an index of another schema */
	char tmp[PATH_MAX];
	ks_db *db = NULL, *old = NULL;
	ks_status rc;

	if (fresh && make_parents(o->db))
		return EXIT_USAGE;
	remove_stale_builds(o->db);
	snprintf(tmp, sizeof tmp, "%s.tmp-%ld", o->db, (long)getpid());
	if (!fresh) {
		/* The old index stays open, and so locked, until the swap. */
		if (!(old = open_for_writing(o->db, o->db, false)))
			return EXIT_USAGE;
		char *schema = NULL;
		rc = ks_db_get_metadata(old, KS_META_SCHEMA, &schema);
		swap = !rc && strcmp(schema, o->schema) != 0;
		free(schema);
		if (rc) {
			int code = db_fail(old, rc, "opening the index");
			ks_db_close(old);
			return code;
		}
		if (!swap) {
			db = old;
			old = NULL;
		}
	}
	const bool building = fresh || swap; /* into TMP, which no reader sees */
	if (building && !(db = open_for_writing(o->db, tmp, true))) {
		ks_db_close(old);
		return EXIT_USAGE;
	}
	int exit_code = 0;
	if (!building && (rc = ks_db_begin(db)))
		exit_code = db_fail(db, rc, "opening the index");
	if (!exit_code)
		exit_code = load_words(o, db);
	/* Every file is parsed into a new index, which has no record of any;
	 * an update parses the files that changed. */
	size_t since_flush = 0;
	for (size_t i = 0; i < in->n && !exit_code; i++) {
		size_t before = s->records;
		s->files++;
		exit_code = index_input(db, &in->v[i], s);
		since_flush += s->records - before;
		if (!exit_code && building && since_flush >= FRESH_FLUSH_RECORDS) {
			since_flush = 0;
			if ((rc = ks_db_flush(db)))
				exit_code = db_fail(db, rc, "writing the index");
		}
		progress(o, s, in->n, t0, false);
	}
	if (!exit_code)
		exit_code = remove_gone(db, in, roots, n_roots, s);
	if (!exit_code && (s->parsed || s->removed || building)) {
		char updated[32];
		iso_now(updated);
		rc = ks_db_set_metadata(db, KS_META_UPDATED, updated);
		if (!rc)
			rc = ks_db_set_metadata(db, KS_META_SCHEMA, o->schema);
		if (rc)
			exit_code = db_fail(db, rc, "writing the index");
	}
	if (!exit_code) {
		rc = building ? ks_db_flush(db) : ks_db_commit(db);
		if (!rc)
			rc = ks_db_doccount(db, doccount);
		if (rc)
			exit_code = db_fail(db, rc, "committing the index");
	}
	ks_db_close(db);
	ks_db_close(old);
	if (building && !exit_code) {
		/* A reader sees the old index or the new one, never none. */
		int moved = swap ? renameat2(AT_FDCWD, tmp, AT_FDCWD, o->db, RENAME_EXCHANGE)
				 : rename(tmp, o->db);
		if (moved != 0) {
			fprintf(stderr, "%s: cannot move the new index to %s: %s\n", prog, o->db,
				strerror(errno));
			exit_code = EXIT_USAGE;
		}
	}
	/* TMP holds the failed build, or after a swap the old index. */
	if (building)
		nftw(tmp, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	return exit_code;
}

/* ---- the command line ----------------------------------------------------------- */

/* The schema version with a digest of the synonym file: the documents carry
 * the synonym groups' terms, so other synonyms need every record indexed
 * anew, which a different KS_META_SCHEMA causes.  False when the file
 * cannot be read. */
static bool schema_stamp(options *o)
{
	uint64_t digest = 0;
	if (o->synonyms) {
		FILE *f = fopen(o->synonyms, "rb");
		if (!f)
			return false;
		char buf[8192];
		size_t n;
		digest = 0xcbf29ce484222325ULL;
		while ((n = fread(buf, 1, sizeof buf, f)) > 0)
			digest ^= fnv1a(buf, n) + 0x9e3779b97f4a7c15ULL + (digest << 6);
		fclose(f);
	}
	snprintf(o->schema, sizeof o->schema, "%s synonyms %016llx", KS_SCHEMA_VERSION,
		 (unsigned long long)digest);
	return true;
}

/* The synonym file: the installed one, else the source tree's. */
static const char *default_synonyms(void)
{
	return access(KS_SYNONYMS_INSTALLED, R_OK) == 0 ? KS_SYNONYMS_INSTALLED
							: KS_SYNONYMS_SOURCE;
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: %s [--db DIR] [--words FILE] [--synonyms FILE] [--dump] [--quiet]\n"
		"       PATH...\n"
		"Parse council documents (.txt, .md, .pdf; directories recursively) and build the\n"
		"Danish full-text index of Kommunesøg.\n\n"
		"  --db DIR    the Xapian index to create or update (default data/index);\n"
		"              only changed files are re-read, records of removed files\n"
		"              are deleted, readers never see a half-written index\n"
		"  --words FILE  the word list compounds are split into (default\n"
		"              " DEFAULT_WORDS ", Debian's wdanish; \"\" for none)\n"
		"  --synonyms FILE  the synonym groups, one a line: KL = Kommunernes\n"
		"              Landsforening (default: the installed synonyms.txt; \"\" for\n"
		"              none); other synonyms re-index every record\n"
		"  --dump      print the parsed records as JSON Lines, write no index\n"
		"  --quiet     no progress and no summary on stderr\n"
		"  --help      this text\n"
		"  --version   the version\n\n"
		"Exit status: 0 all indexed; 1 some inputs could not be parsed (each named\n"
		"on stderr as FILE:LINE: reason); 2 usage error or the index could not be\n"
		"written.\n",
		prog);
}

int main(int argc, char **argv)
{
	options o = { .db = "data/index", .words = DEFAULT_WORDS, .synonyms = default_synonyms() };
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "dump", no_argument, NULL, 'D' },
		{ "words", required_argument, NULL, 'w' },
		{ "synonyms", required_argument, NULL, 's' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		switch (c) {
		case 'd':
			if (!*optarg) {
				fprintf(stderr, "%s: --db needs a directory\n", prog);
				return EXIT_USAGE;
			}
			o.db = optarg;
			break;
		case 'D':
			o.dump = true;
			break;
		case 'w':
			o.words = *optarg ? optarg : NULL;
			break;
		case 's':
			o.synonyms = *optarg ? optarg : NULL;
			break;
		case 'q':
			o.quiet = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("%s %s\n", prog, KS_VERSION);
			return 0;
		case ':':
			fprintf(stderr, "%s: %s needs a value\n", prog, argv[optind - 1]);
			usage(stderr);
			return EXIT_USAGE;
		default:
			fprintf(stderr, "%s: unknown option '%s'\n", prog, argv[optind - 1]);
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind == argc) {
		fprintf(stderr, "%s: no PATH given\n", prog);
		usage(stderr);
		return EXIT_USAGE;
	}
	o.progress = !o.quiet && isatty(STDERR_FILENO);
	if (!o.dump && !schema_stamp(&o)) {
		fprintf(stderr, "%s: cannot read the synonym file %s: %s\n", prog, o.synonyms,
			strerror(errno));
		return EXIT_USAGE;
	}

	double t0 = now();
	idset seen = { 0 };
	inputs in = { .seen = &seen };
	stats s = { 0 };
	size_t n_roots = (size_t)(argc - optind);
	char **roots = xrealloc_or_die(NULL, n_roots * sizeof *roots);
	int exit_code = 0;
	for (int i = optind; i < argc; i++) {
		struct stat st;
		roots[i - optind] = NULL;
		if (stat(argv[i], &st) != 0) {
			fprintf(stderr, "%s: %s\n", argv[i], strerror(errno));
			s.failed++;
			continue;
		}
		roots[i - optind] = realpath(argv[i], NULL);
		if (S_ISDIR(st.st_mode)) {
			if (walk(&in, argv[i], 0))
				s.failed++;
		} else {
			add_input(&in, argv[i]);
		}
	}

	uint32_t doccount = 0;
	if (o.dump)
		exit_code = run_dump(&o, &in, &s, t0);
	else
		exit_code = run_index(&o, &in, roots, n_roots, &s, t0, &doccount);
	progress(&o, &s, in.n, t0, true);
	if (!exit_code && s.failed)
		exit_code = EXIT_PARTIAL;

	if (!o.quiet && exit_code != EXIT_USAGE) {
		if (o.dump)
			fprintf(stderr,
				"%s: %zu files (%zu parsed, %zu failed), %zu records in %.2f s\n",
				prog, s.files, s.parsed, s.failed, s.records, now() - t0);
		else
			fprintf(stderr,
				"%s: %zu files (%zu parsed, %zu unchanged, %zu removed, %zu "
				"failed), "
				"%zu records indexed, %u records in %s, in %.2f s\n",
				prog, s.files, s.parsed, s.unchanged, s.removed, s.failed,
				s.records, doccount, o.db, now() - t0);
	}
	for (size_t i = 0; i < n_roots; i++)
		free(roots[i]);
	free(roots);
	free_inputs(&in);
	return exit_code;
}
