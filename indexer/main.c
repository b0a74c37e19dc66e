/* main.c — kommunesoeg-index: the command line, the walk over the input
 * files, change detection and the atomic update of the index.
 *
 *   kommunesoeg-index [--db DIR] [--shards N] [--jobs N] [--pdf-memory MB]
 *                     [--pdf-seconds S] [--dump] [--quiet] PATH...
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
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "file-state.h"
#include "index-limits.h"
#include "index.h"
#include "ks-config.h"
#include "ks-xapian.h"
#include "parse.h"
#include "pdf-child.h"
#include "schema.h"
#include "text.h"

enum { EXIT_PARTIAL = 1, EXIT_USAGE = 2 };

/* A PDF that could not be read: the hash and length of its bytes, and why. */
typedef struct pdf_failure {
	uint64_t hash;
	size_t len;
	ks_parse_error err;
} pdf_failure;

typedef struct input {
	char *path;      /* as found: the PATH argument joined with the walk */
	char *abspath;   /* realpath(): a file reached twice is read once */
	ks_file_id file; /* how the index knows it (identify_inputs()) */
	/* A PDF that failed in the learning pass, which the indexing pass
	 * then reports without reading it again: a PDF too costly to read
	 * costs its limits once a run, not twice.  Set by parse_input() in
	 * the one thread that has this input in both passes. */
	pdf_failure *failed;
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

/* One database the records go into: the index, or one of its shards. */
typedef struct shard {
	char path[PATH_MAX];     /* DIR, or DIR/K */
	char tmp[PATH_MAX + 32]; /* PATH.tmp-PID while it is built anew */
	char schema[128];        /* the KS_META_SCHEMA it is written with */
	ks_db *db, *old;         /* written; the old index kept locked until a swap */
	bool building, swap;     /* built in TMP; swapped with an old index */
} shard;

/* Every database of the run.  Each holds the state of every file, so that
 * a shard that missed a run (killed between two commits) is caught up. */
typedef struct shards {
	shard *v;
	size_t n;
} shards;

typedef struct options {
	const char *db;
	unsigned shards;         /* 0: one index at db; else db/0 ... db/N-1 */
	unsigned jobs;           /* writers of a fresh index (see build_parallel()) */
	unsigned part_records;   /* records a part of theirs (PART_RECORDS) */
	unsigned update_records; /* records one update may change (UPDATE_RECORDS) */
	bool dump, quiet, progress;
	const char *words;    /* the word list compounds split into, or NULL */
	const char *synonyms; /* the synonym file, or NULL */
	char schema[64];      /* the KS_META_SCHEMA this run writes (see schema_stamp()) */
} options;

/* Where the word list and the synonyms are unless given. */
#define DEFAULT_WORDS "/usr/share/dict/danish"

static const char *prog = "kommunesoeg-index";

/* How PDFs are read (pdf-child.c): set by main() before any writer thread
 * starts, and only read after that. */
static struct pdf_reader {
	char *self; /* the path of this program, which the child runs */
	ks_pdf_limits limits;
} pdf_reader = { .limits = { .memory_mb = KS_PDF_MEMORY_MB, .seconds = KS_PDF_SECONDS } };

/* ---- small helpers ------------------------------------------------------- */

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

/* read_file()'s errno for a file that is not a regular one (a FIFO, a
 * socket, a device): a value that opening and reading a file never set. */
#define ENOTREGULAR ENOTBLK

/* What read_file()'s errno ERR means. */
static const char *read_error(int err)
{
	return err == ENOTREGULAR ? "not a regular file" : strerror(err);
}

/* Reads the whole file; NULL with errno set on failure.  Only a regular
 * file is read: opening a FIFO would wait for a writer, and reading a
 * device need not end.  The walk has checked already; the check on the
 * open file closes the gap after it (opening does not wait). */
static char *read_file(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	if (fd < 0)
		return NULL;
	int bad = fstat(fd, &st) != 0 ? errno : !S_ISREG(st.st_mode) ? ENOTREGULAR : 0;
	if (bad) {
		close(fd);
		errno = bad;
		return NULL;
	}
	FILE *f = fdopen(fd, "rb");
	if (!f) {
		int saved = errno;
		close(fd);
		errno = saved;
		return NULL;
	}
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
	for (size_t i = ks_hash64(id, strlen(id)) & (s->cap - 1); s->v[i];
	     i = (i + 1) & (s->cap - 1))
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
	size_t i = ks_hash64(id, strlen(id)) & (s->cap - 1);
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
	x->file = (ks_file_id){ 0 };
	x->failed = NULL;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Adds the .txt, .md and .pdf files under DIR, in name order so that every run
 * sees them in the same order; hidden files and directories are skipped.
 * Returns how many it named on stderr as failed: a directory it cannot
 * read, and a file of such a name that is not a regular file (a FIFO, a
 * socket, a device), which is never opened. */
static int walk(inputs *in, const char *dir, int depth)
{
	if (depth > 64) {
		fprintf(stderr, "%s: directories nested too deep\n", dir);
		return 1;
	}
	DIR *d = opendir(dir);
	if (!d) {
		fprintf(stderr, "%s: %s\n", dir, strerror(errno));
		return 1;
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
	if (n) /* an empty folder has no array to sort */
		qsort(names, n, sizeof *names, cmp_names);
	int failed = 0;
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(dir) + strlen(names[i]) + 2;
		char *path = xrealloc_or_die(NULL, len);
		snprintf(path, len, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/",
			 names[i]);
		/* A symbolic link to a file is followed, one to a directory
		 * is not: it could lead in a circle. */
		struct stat st, lst;
		bool ok = lstat(path, &lst) == 0 && stat(path, &st) == 0;
		if (ok && S_ISDIR(st.st_mode) && !S_ISLNK(lst.st_mode)) {
			failed += walk(in, path, depth + 1);
		} else if (ok && S_ISREG(st.st_mode) && wanted_name(names[i])) {
			add_input(in, path);
		} else if (ok && !S_ISDIR(st.st_mode) && wanted_name(names[i])) {
			fprintf(stderr, "%s: %s\n", path, read_error(ENOTREGULAR));
			failed++;
		}
		free(path);
		free(names[i]);
	}
	free(names);
	return failed;
}

static void free_inputs(inputs *in)
{
	for (size_t i = 0; i < in->n; i++) {
		free(in->v[i].path);
		free(in->v[i].abspath);
		ks_file_id_clear(&in->v[i].file);
		free(in->v[i].failed);
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

/* Says on stderr what E says of input X: FILE:LINE: message for a text,
 * for a PDF FILE: page N: message, or FILE: message when the whole file is
 * meant; KIND ("", "warning: ") before the message. */
static void report(const input *x, const ks_parse_error *e, const char *kind)
{
	if (!is_pdf(x->path) && e->line > 0)
		fprintf(stderr, "%s:%d: %s%s\n", x->path, e->line, kind, e->message);
	else if (e->page > 0)
		fprintf(stderr, "%s: page %d: %s%s\n", x->path, e->page, kind, e->message);
	else
		fprintf(stderr, "%s: %s%s\n", x->path, kind, e->message);
}

/* Parses input X (DATA, LEN) into DOC, a PDF in a child process under the
 * limits of pdf_reader; unless QUIET says on stderr why it failed, or
 * what was cut at a bound (a warning: the file is indexed all the same). */
static int parse_input(const input *x, const char *data, size_t len, ks_document *doc, bool quiet)
{
	ks_parse_error err;
	int rc;
	uint64_t hash = is_pdf(x->path) ? ks_hash64(data, len) : 0;
	if (!is_pdf(x->path)) {
		rc = ks_parse(data, len, base_name(x->path), doc, &err);
	} else if (x->failed && x->failed->hash == hash && x->failed->len == len) {
		*doc = (ks_document){ 0 };
		err = x->failed->err;
		rc = -1;
	} else {
		rc = ks_pdf_read(pdf_reader.self, &pdf_reader.limits, data, len, base_name(x->path),
				 doc, &err);
		pdf_failure *f = rc && !x->failed ? malloc(sizeof *f) : NULL;
		if (f) {
			*f = (pdf_failure){ .hash = hash, .len = len, .err = err };
			/* The inputs are shared by the writers, read-only but
			 * for this, which only X's own writer touches. */
			((input *)x)->failed = f;
		}
	}
	if (rc == 0 && !quiet) {
		for (size_t i = 0; i < doc->n_warnings; i++)
			report(x, &doc->warnings[i], "warning: ");
		if (doc->more_warnings)
			fprintf(stderr, "%s: warning: %zu more warnings like these\n", x->path,
				doc->more_warnings);
	}
	if (rc == 0 || quiet)
		return rc ? -1 : 0;
	report(x, &err, "");
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
			fprintf(stderr, "%s: %s\n", x->path, read_error(errno));
			s->failed++;
			continue;
		}
		if (parse_input(x, data, len, &doc, false) == 0) {
			s->parsed++;
			for (size_t k = 0; k < doc.n_records; k++) {
				ks_record *r = &doc.records[k];
				settle_id(r, x->file.tag, idset_has, &ids);
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

static int db_fail(ks_db *db, ks_status st, const char *what)
{
	fprintf(stderr, "%s: %s: %s: %s\n", prog, what, ks_status_str(st),
		db ? ks_db_error(db) : "");
	return EXIT_USAGE;
}

/* The shard of record R among N: by its case number (lower-cased, as the
 * case's term), so that a case stays on one shard; a record without one
 * by its id as parsed (from the file name, so stable across runs). */
static size_t shard_of(const ks_record *r, size_t n)
{
	if (n == 1)
		return 0;
	const char *key = r->sagsnummer && *r->sagsnummer ? r->sagsnummer : r->id;
	char lower[256];
	size_t len = strlen(key);
	if (len >= sizeof lower)
		len = sizeof lower - 1;
	for (size_t i = 0; i < len; i++)
		lower[i] = (key[i] >= 'A' && key[i] <= 'Z') ? (char)(key[i] - 'A' + 'a') : key[i];
	return (size_t)(ks_hash64(lower, len) % n);
}

static bool shards_have_id(const char *id, void *arg)
{
	const shards *sh = arg;
	for (size_t k = 0; k < sh->n; k++)
		if (db_has_id(id, sh->v[k].db))
			return true;
	return false;
}

/* The stored state of the file under META_KEY: known only when every shard
 * holds the same one (a run killed between the commits of two shards makes
 * the next run index the file again everywhere). */
static int stored_state(const shards *sh, const char *meta_key, ks_file_state *out, bool *known)
{
	*known = true;
	for (size_t k = 0; k < sh->n && *known; k++) {
		char *stored = NULL;
		ks_status rc = ks_db_get_metadata(sh->v[k].db, meta_key, &stored);
		if (rc)
			return db_fail(sh->v[k].db, rc, "reading the index");
		ks_file_state fs = { 0 };
		*known = ks_file_state_parse(stored, &fs, NULL) &&
			 (k == 0 || (fs.size == out->size && fs.mtime_ns == out->mtime_ns &&
				     fs.hash == out->hash && fs.records == out->records));
		*out = fs;
		free(stored);
	}
	return 0;
}

/* Stores FS as the state of input X in every shard. */
static ks_status set_state(const shards *sh, const input *x, const ks_file_state *fs,
			   ks_db **failed)
{
	char *state = ks_file_state_format(fs, x->file.rel);
	if (!state)
		out_of_memory();
	ks_status rc = KS_OK;
	for (size_t k = 0; !rc && k < sh->n; k++)
		if ((rc = ks_db_set_metadata(sh->v[k].db, x->file.key, state)))
			*failed = sh->v[k].db;
	free(state);
	return rc;
}

/* What input X is now (its size and time; the hash is the caller's to
 * work out) and what the index stored of it (*KNOWN: whether it did).
 * 0; -1 when X cannot be stat'd (errno says why); EXIT_USAGE when the
 * index cannot be read. */
static int input_state(const shards *sh, const input *x, ks_file_state *cur, ks_file_state *old,
		       bool *known)
{
	struct stat st;
	if (stat(x->path, &st) != 0)
		return -1;
	*cur = (ks_file_state){
		.size = st.st_size,
		.mtime_ns = (long long)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec,
	};
	*old = (ks_file_state){ 0 };
	return stored_state(sh, x->file.key, old, known) ? EXIT_USAGE : 0;
}

/* Whether a file of state CUR has the size and time stored as OLD (when
 * KNOWN): then it is not read again. */
static bool same_size_and_time(bool known, const ks_file_state *old, const ks_file_state *cur)
{
	return known && old->size == cur->size && old->mtime_ns == cur->mtime_ns;
}

/* Indexes one input unless its stored state says it is unchanged: its
 * records go to their shards, its state to every shard. */
static int index_input(const shards *sh, const input *x, stats *s)
{
	ks_file_state old, cur;
	bool known;
	int got = input_state(sh, x, &cur, &old, &known);
	if (got < 0) {
		fprintf(stderr, "%s: %s\n", x->path, strerror(errno));
		s->failed++;
		return 0;
	}
	if (got)
		return got;
	if (same_size_and_time(known, &old, &cur)) {
		s->unchanged++;
		return 0;
	}

	size_t len;
	char *data = read_file(x->path, &len);
	if (!data) {
		fprintf(stderr, "%s: %s\n", x->path, read_error(errno));
		s->failed++;
		return 0;
	}
	cur.hash = ks_hash64(data, len);
	ks_db *failed_db = sh->v[0].db;
	ks_status rc;
	if (known && old.hash == cur.hash) {
		/* Touched, not changed: remember the new time only. */
		free(data);
		s->unchanged++;
		cur.records = old.records;
		rc = set_state(sh, x, &cur, &failed_db);
		return rc ? db_fail(failed_db, rc, "writing the index") : 0;
	}

	ks_document doc;
	int failed = parse_input(x, data, len, &doc, false);
	free(data);
	if (failed) {
		/* The records from the last good version stay searchable; the
		 * state is not updated, so the next run tries the file again. */
		s->failed++;
		return 0;
	}
	s->parsed++;
	rc = KS_OK;
	for (size_t k = 0; !rc && k < sh->n; k++)
		if ((rc = ks_db_delete(sh->v[k].db, KS_FIELD_FILE, x->file.tag)))
			failed_db = sh->v[k].db;
	for (size_t k = 0; !rc && k < doc.n_records; k++) {
		ks_record *r = &doc.records[k];
		ks_db *into = sh->v[shard_of(r, sh->n)].db;
		settle_id(r, x->file.tag, shards_have_id, (void *)sh);
		/* Every document is made through the first shard's handle,
		 * whose compound words are then those of the whole index. */
		if ((rc = ks_index_record_into(sh->v[0].db, into, r, x->file.tag)))
			failed_db = ks_db_error(into)[0] ? into : sh->v[0].db;
		s->records++;
	}
	cur.records = doc.n_records;
	ks_document_clear(&doc);
	if (!rc)
		rc = set_state(sh, x, &cur, &failed_db);
	return rc ? db_fail(failed_db, rc, "writing the index") : 0;
}

/* Teaches WORDS the words of every input that this run will index (those
 * whose size or time differs from the stored state; of writer K only when
 * OWNER is given), before the first is indexed: how a compound is split
 * then depends on the documents, not on their order, so that any number
 * of writers builds the same index.  Adds to *CHANGE (when given) the
 * records that indexing them will add and delete.  What cannot be read or
 * parsed is left for index_input() to report. */
static int learn_inputs(const shards *sh, ks_db *words, const inputs *in,
			const unsigned char *owner, unsigned k, const atomic_bool *stop,
			size_t *change)
{
	for (size_t i = 0; i < in->n; i++) {
		const input *x = &in->v[i];
		if ((owner && owner[i] != k) || (stop && atomic_load(stop)))
			continue;
		ks_file_state old, cur;
		bool known;
		int got = input_state(sh, x, &cur, &old, &known);
		if (got > 0)
			return got;
		if (got || same_size_and_time(known, &old, &cur))
			continue;
		size_t len;
		char *data = read_file(x->path, &len);
		ks_document doc;
		/* Touched, not changed: index_input() will not index it. */
		bool same = data && known && old.hash == ks_hash64(data, len);
		if (!data || same || parse_input(x, data, len, &doc, true) != 0) {
			free(data);
			continue;
		}
		free(data);
		ks_status rc = KS_OK;
		for (size_t r = 0; r < doc.n_records && !rc; r++)
			rc = ks_learn_record(words, &doc.records[r]);
		if (change)
			*change += doc.n_records + (known ? old.records : 0);
		ks_document_clear(&doc);
		if (rc)
			return db_fail(words, rc, "learning the words of the documents");
	}
	return 0;
}

/* ---- what the index knows of the files --------------------------------------- */

/* Gives every input (found from the PATHs GV) its identity, under ROOTS;
 * BEFORE is the index before this run, or NULL (see ks_files_identify()). */
static void identify_inputs(inputs *in, const ks_given *gv, size_t n_given, ks_roots *roots,
			    ks_db *before)
{
	const char **paths = xrealloc_or_die(NULL, (in->n ? in->n : 1) * sizeof *paths);
	ks_file_id *files = calloc(in->n ? in->n : 1, sizeof *files);
	if (!files)
		out_of_memory();
	for (size_t i = 0; i < in->n; i++)
		paths[i] = in->v[i].path;
	if (ks_files_identify(gv, n_given, paths, files, roots, before))
		out_of_memory();
	for (size_t i = 0; i < in->n; i++)
		in->v[i].file = files[i]; /* its strings now the input's */
	free(files);
	free(paths);
}

/* Loads the roots of the index as it was before this run, gives every
 * input its identity, and sorts out the files the index holds that this
 * run did not find: GONE from the PATHs given, or OTHER, found in PATHs
 * of earlier runs only.  0 or an exit status. */
static int know_inputs(const shards *sh, inputs *in, const ks_given *gv, size_t n_given,
		       ks_roots *roots, ks_stored_files *gone, ks_stored_files *other)
{
	ks_db **before = xrealloc_or_die(NULL, sh->n * sizeof *before);
	size_t n_before = 0;
	for (size_t k = 0; k < sh->n; k++) {
		const shard *x = &sh->v[k];
		ks_db *db = x->swap ? x->old : x->building ? NULL : x->db;
		if (db)
			before[n_before++] = db;
	}
	ks_db *failed = n_before ? before[0] : NULL;
	ks_status rc = n_before ? ks_roots_load(roots, before[0]) : KS_OK;
	if (!rc) {
		identify_inputs(in, gv, n_given, roots, failed);
		const char **found = xrealloc_or_die(NULL, (in->n ? in->n : 1) * sizeof *found);
		for (size_t i = 0; i < in->n; i++)
			found[i] = in->v[i].file.key;
		rc = ks_stored_sort(before, n_before, found, in->n, gv, n_given, roots, gone, other,
				    &failed);
		free(found);
	}
	free(before);
	return rc ? db_fail(failed, rc, "reading the index") : 0;
}

/* Deletes the records and the state of the files GONE (from a PATH given)
 * in every shard. */
static int remove_gone(const shards *sh, const ks_stored_files *gone, stats *s)
{
	ks_status rc = KS_OK;
	ks_db *failed_db = sh->v[0].db;
	for (size_t i = 0; !rc && i < gone->n; i++) {
		for (size_t k = 0; !rc && k < sh->n; k++) {
			failed_db = sh->v[k].db;
			rc = ks_db_delete(sh->v[k].db, KS_FIELD_FILE, gone->v[i].id.tag);
			if (!rc)
				rc = ks_db_set_metadata(sh->v[k].db, gone->v[i].id.key, "");
		}
		s->removed++;
	}
	return rc ? db_fail(failed_db, rc, "removing records of deleted files") : 0;
}

/* A new index holds the files of PATHs given to earlier runs too (OTHER):
 * adds those that are still there to the inputs, and says which are not. */
static void carry_other(const options *o, inputs *in, const ks_roots *roots,
			const ks_stored_files *other, stats *s)
{
	for (size_t i = 0; i < other->n; i++) {
		const ks_file_id *f = &other->v[i].id;
		char *path = ks_root_join(ks_roots_get(roots, f->root), f->rel);
		struct stat st;
		if (!path)
			out_of_memory();
		if (stat(path, &st) != 0) {
			if (!o->quiet)
				fprintf(stderr,
					"%s: %s: %s: its records are not in the new index\n", prog,
					path, strerror(errno));
			s->removed++;
		} else {
			size_t before = in->n;
			add_input(in, path);
			if (in->n > before && ks_file_id_set(&in->v[before].file, f->root, f->rel))
				out_of_memory();
		}
		free(path);
	}
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

/* Why the folder DIR cannot be written in: the system's reason, or NULL
 * when it can. */
static const char *unwritable(const char *dir)
{
	struct stat st;
	if (stat(dir, &st) != 0 || access(dir, W_OK) != 0)
		return strerror(errno);
	return S_ISDIR(st.st_mode) ? NULL : strerror(ENOTDIR);
}

/* Opens TARGET for writing (a fresh one when FRESH); on failure says why,
 * naming the index DB, and returns NULL.  Xapian names a folder it may not
 * write in (a read-only file system, another owner) only as a lock it
 * could not take: the system's reason comes first. */
static ks_db *open_for_writing(const char *db_path, const char *target, bool fresh)
{
	ks_db *db = NULL;
	char *message = NULL;
	ks_status rc =
		ks_db_open_write(target, fresh ? KS_OPEN_FRESH : KS_OPEN_UPDATE, &db, &message);
	if (!rc)
		return db;
	char *parent = xstrdup(target);
	char *slash = strrchr(parent, '/');
	if (slash)
		*(slash == parent ? slash + 1 : slash) = '\0';
	const char *why = rc == KS_ERR_LOCKED ? NULL
			  : fresh             ? unwritable(slash ? parent : ".")
					      : unwritable(target);
	if (why && fresh)
		fprintf(stderr, "%s: cannot write the index %s: %s: %s\n", prog, db_path,
			slash ? parent : ".", why);
	else if (why)
		fprintf(stderr, "%s: cannot write the index %s: %s\n", prog, db_path, why);
	else
		fprintf(stderr, "%s: cannot open the index %s: %s%s%s\n", prog, db_path,
			rc == KS_ERR_LOCKED ? "another kommunesoeg-index is writing it"
					    : ks_status_str(rc),
			message ? ": " : "", message ? message : "");
	free(parent);
	free(message);
	return NULL;
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

/* Opens shard SH for this run: an existing index of the same schema for
 * an update in one transaction; else a new one in SH->tmp.  0 or an exit
 * status. */
static int open_shard(shard *sh)
{
	struct stat st;
	bool fresh = stat(sh->path, &st) != 0;
	ks_status rc;

	if (fresh && make_parents(sh->path))
		return EXIT_USAGE;
	remove_stale_builds(sh->path);
	snprintf(sh->tmp, sizeof sh->tmp, "%s.tmp-%ld", sh->path, (long)getpid());
	if (!fresh) {
		/* The old index stays open, and so locked, until the swap. */
		if (!(sh->old = open_for_writing(sh->path, sh->path, false)))
			return EXIT_USAGE;
		char *schema = NULL;
		rc = ks_db_get_metadata(sh->old, KS_META_SCHEMA, &schema);
		sh->swap = !rc && strcmp(schema, sh->schema) != 0;
		free(schema);
		if (rc)
			return db_fail(sh->old, rc, "opening the index");
		if (!sh->swap) {
			sh->db = sh->old;
			sh->old = NULL;
		}
	}
	sh->building = fresh || sh->swap; /* into TMP, which no reader sees */
	if (sh->building && !(sh->db = open_for_writing(sh->path, sh->tmp, true)))
		return EXIT_USAGE;
	if (!sh->building && (rc = ks_db_begin(sh->db)))
		return db_fail(sh->db, rc, "opening the index");
	return 0;
}

/* Commits shard SH (or flushes a new one); adds its records to DOCCOUNT. */
/* Writes the time of this change and the schema into shard SH.  0 or an
 * exit status. */
static int stamp_shard(shard *sh)
{
	char updated[32];
	iso_now(updated);
	ks_status rc = ks_db_set_metadata(sh->db, KS_META_UPDATED, updated);
	if (!rc)
		rc = ks_db_set_metadata(sh->db, KS_META_SCHEMA, sh->schema);
	return rc ? db_fail(sh->db, rc, "writing the index") : 0;
}

static int commit_shard(shard *sh, uint32_t *doccount)
{
	uint32_t n = 0;
	ks_status rc = sh->building ? ks_db_flush(sh->db) : ks_db_commit(sh->db);
	if (!rc)
		rc = ks_db_doccount(sh->db, &n);
	if (rc)
		return db_fail(sh->db, rc, "committing the index");
	*doccount += n;
	return 0;
}

/* Closes shard SH and moves a new one into place when the run succeeded. */
static int close_shard(shard *sh, bool ok)
{
	int exit_code = 0;
	ks_db_close(sh->db);
	ks_db_close(sh->old);
	sh->db = sh->old = NULL;
	if (sh->building && ok) {
		/* A reader sees the old index or the new one, never none. */
		int moved =
			sh->swap ? renameat2(AT_FDCWD, sh->tmp, AT_FDCWD, sh->path, RENAME_EXCHANGE)
				 : rename(sh->tmp, sh->path);
		if (moved != 0) {
			fprintf(stderr, "%s: cannot move the new index to %s: %s\n", prog, sh->path,
				strerror(errno));
			exit_code = EXIT_USAGE;
		}
	}
	/* TMP holds the failed build, or after a swap the old index. */
	if (sh->building)
		nftw(sh->tmp, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	return exit_code;
}

/* ---- building afresh on every core ------------------------------------------------ */

/* A fresh index (no --shards) is built by JOBS writers at once, each into
 * a database of its own (TMP.K), which are then compacted into TMP, their
 * documents one after the other: Xapian's writer is one thread, and the
 * indexing of a large corpus is bound by it.  Each writer gets a run of
 * the inputs in their order, of about equal size, so that the documents
 * keep the order one writer gives them; except that the files whose
 * names share a stem (whose ids settle_id() tells apart in file order)
 * all go to the first.  The writers first learn the words of their inputs
 * (learn_inputs()) and then each other's, so that every writer splits
 * compounds as one writer would: any number of them writes the same
 * index. */

typedef struct writer {
	const options *o;
	const inputs *in;
	const unsigned char *owner; /* the writer of each input */
	const bool *shared;         /* whether an input's name shares its stem */
	const ks_roots *roots;      /* written into its last part */
	unsigned k;                 /* this writer */
	shard part;                 /* TMP.K, then TMP.K.1, TMP.K.2, ... */
	char **parts;               /* the paths of its parts so far */
	size_t n_parts;
	stats s;
	uint32_t doccount;
	int exit_code;
	atomic_size_t files, records; /* for progress() */
	pthread_t thread;
	bool learning;     /* which half of its work the thread does */
	atomic_bool done;  /* its thread has finished */
	atomic_bool *stop; /* set by a writer that failed */
} writer;

static int cmp_slugs(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Fills OWNER with the writer (0 ... JOBS-1) of each of the N inputs, and
 * SHARED with whether its name shares a stem with another's. */
static void assign_writers(const inputs *in, unsigned jobs, unsigned char *owner, bool *shared)
{
	char **slugs = xrealloc_or_die(NULL, in->n * sizeof *slugs);
	char **sorted = xrealloc_or_die(NULL, in->n * sizeof *sorted);
	off_t *size = xrealloc_or_die(NULL, in->n * sizeof *size);
	off_t total = 0;
	for (size_t i = 0; i < in->n; i++) {
		struct stat st;
		if (!(slugs[i] = ks_name_slug(in->v[i].path)))
			out_of_memory();
		sorted[i] = slugs[i];
		size[i] = stat(in->v[i].path, &st) == 0 ? st.st_size : 0;
		total += size[i];
	}
	qsort(sorted, in->n, sizeof *sorted, cmp_slugs);
	off_t done = 0;
	for (size_t i = 0; i < in->n; i++) {
		char **at = bsearch(&slugs[i], sorted, in->n, sizeof *sorted, cmp_slugs);
		shared[i] = (at > sorted && !strcmp(at[-1], slugs[i])) ||
			    (at + 1 < sorted + in->n && !strcmp(at[1], slugs[i]));
		/* The run that the middle of this file falls in. */
		unsigned w = (unsigned)((done + size[i] / 2) * (off_t)jobs / (total ? total : 1));
		owner[i] = (unsigned char)(shared[i] ? 0 : w < jobs ? w : jobs - 1);
		done += size[i];
	}
	for (size_t i = 0; i < in->n; i++)
		free(slugs[i]);
	free(slugs);
	free(sorted);
	free(size);
}

/* The first half of writer W's work: opens its part and learns the words of
 * its inputs. */
static void learn_part(writer *w)
{
	shard *p = &w->part;
	shards one = { .v = p, .n = 1 };
	options quiet = *w->o;
	quiet.quiet = w->o->quiet || w->k > 0; /* one warning about the word list */
	if (!(p->db = open_for_writing(w->o->db, p->tmp, true)) || load_words(&quiet, p->db) ||
	    learn_inputs(&one, p->db, w->in, w->owner, w->k, w->stop, NULL))
		w->exit_code = EXIT_USAGE;
}

static void add_part(writer *w, const char *path)
{
	w->parts = xrealloc_or_die(w->parts, (w->n_parts + 1) * sizeof *w->parts);
	w->parts[w->n_parts++] = xstrdup(path);
}

/* The second half, once it knows the words of every writer: indexes its
 * inputs, in parts of about PART_RECORDS records, commits and closes its
 * last part. */
static void write_part(writer *w)
{
	shard *p = &w->part;
	shards one = { .v = p, .n = 1 };
	size_t in_part = 0;
	/* It goes on in a new part only before the first or after the last of
	 * its files whose names share a stem: settle_id() looks their ids up
	 * in the part. */
	size_t first_shared = SIZE_MAX, last_shared = 0;
	for (size_t i = 0; i < w->in->n; i++)
		if (w->owner[i] == w->k && w->shared[i]) {
			first_shared = first_shared == SIZE_MAX ? i : first_shared;
			last_shared = i;
		}
	for (size_t i = 0; i < w->in->n && !w->exit_code; i++) {
		if (w->owner[i] != w->k)
			continue;
		if (atomic_load(w->stop))
			break;
		if (in_part >= w->o->part_records && (i <= first_shared || i > last_shared)) {
			char path[sizeof p->tmp + 24];
			snprintf(path, sizeof path, "%s.%zu", p->tmp, w->n_parts);
			/* Listed first, so that it is removed whatever happens. */
			add_part(w, path);
			uint32_t n = 0;
			ks_status rc = ks_db_doccount(p->db, &n);
			if (!rc)
				rc = ks_db_next_part(p->db, path);
			w->doccount += n;
			if (rc) {
				w->exit_code = db_fail(p->db, rc, "writing the index");
				break;
			}
			in_part = 0;
		}
		size_t before = w->s.records;
		w->s.files++;
		w->exit_code = index_input(&one, &w->in->v[i], &w->s);
		in_part += w->s.records - before;
		atomic_store(&w->files, w->s.files);
		atomic_store(&w->records, w->s.records);
	}
	if (!w->exit_code && !atomic_load(w->stop)) {
		/* Every writer writes every root: the compaction keeps one. */
		ks_status rc = ks_roots_write(w->roots, p->db);
		w->exit_code = rc ? db_fail(p->db, rc, "writing the index") : stamp_shard(p);
		if (!w->exit_code)
			w->exit_code = commit_shard(p, &w->doccount);
	}
}

static void *writer_thread(void *arg)
{
	writer *w = arg;
	if (w->learning)
		learn_part(w);
	else
		write_part(w);
	if (w->exit_code)
		atomic_store(w->stop, true);
	atomic_store(&w->done, true);
	return NULL;
}

/* Runs every writer of W (JOBS) in a thread of its own until all are done,
 * showing the progress of their sum.  0 or an exit status. */
static int run_writers(const options *o, writer *w, unsigned jobs, const inputs *in, const stats *s,
		       double t0)
{
	unsigned started = 0;
	int exit_code = 0;
	for (unsigned k = 0; k < jobs; k++) {
		atomic_store(&w[k].done, false);
		int err = pthread_create(&w[k].thread, NULL, writer_thread, &w[k]);
		if (err) {
			fprintf(stderr, "%s: cannot start a writer: %s\n", prog, strerror(err));
			atomic_store(w[k].stop, true);
			exit_code = EXIT_USAGE;
			break;
		}
		started++;
	}
	for (bool running = started > 0; running;) {
		struct timespec tick = { 0, 50 * 1000 * 1000 };
		nanosleep(&tick, NULL);
		stats sum = *s;
		running = false;
		for (unsigned k = 0; k < started; k++) {
			sum.files += atomic_load(&w[k].files);
			sum.records += atomic_load(&w[k].records);
			running |= !atomic_load(&w[k].done);
		}
		progress(o, &sum, in->n, t0, false);
	}
	for (unsigned k = 0; k < started; k++) {
		pthread_join(w[k].thread, NULL);
		if (!exit_code)
			exit_code = w[k].exit_code;
	}
	return exit_code;
}

/* Builds the fresh index SH (open in SH->tmp, empty) with JOBS writers,
 * with the ROOTS of its files; adds to S and DOCCOUNT.  0 or an exit
 * status. */
static int build_parallel(const options *o, const inputs *in, const ks_roots *roots, shard *sh,
			  stats *s, double t0, uint32_t *doccount)
{
	unsigned jobs = o->jobs;
	writer *w = calloc(jobs, sizeof *w);
	unsigned char *owner = malloc(in->n);
	bool *shared = malloc(in->n * sizeof *shared);
	if (!w || !owner || !shared)
		out_of_memory();
	assign_writers(in, jobs, owner, shared);
	/* The parts are compacted into TMP, which must not exist then. */
	ks_db_close(sh->db);
	sh->db = NULL;
	nftw(sh->tmp, remove_entry, 16, FTW_DEPTH | FTW_PHYS);

	atomic_bool stop = false;
	for (unsigned k = 0; k < jobs; k++) {
		w[k] = (writer){ .o = o,
				 .in = in,
				 .owner = owner,
				 .shared = shared,
				 .roots = roots,
				 .k = k,
				 .stop = &stop };
		snprintf(w[k].part.tmp, sizeof w[k].part.tmp, "%.*s.%u", PATH_MAX, sh->tmp, k);
		snprintf(w[k].part.schema, sizeof w[k].part.schema, "%s", sh->schema);
		w[k].part.building = true;
		w[k].learning = true;
		add_part(&w[k], w[k].part.tmp);
	}
	/* Every writer learns the words of its inputs, then those of the
	 * others, and only then indexes. */
	int exit_code = run_writers(o, w, jobs, in, s, t0);
	for (unsigned k = 0; k < jobs && !exit_code; k++)
		for (unsigned j = 0; j < jobs && !exit_code; j++) {
			ks_status rc =
				j == k ? KS_OK : ks_db_learn_words(w[k].part.db, w[j].part.db);
			if (rc)
				exit_code = db_fail(w[k].part.db, rc, "learning the words");
		}
	for (unsigned k = 0; k < jobs; k++)
		w[k].learning = false;
	if (!exit_code)
		exit_code = run_writers(o, w, jobs, in, s, t0);
	for (unsigned k = 0; k < jobs; k++) {
		ks_db_close(w[k].part.db);
		w[k].part.db = NULL;
		s->files += w[k].s.files;
		s->parsed += w[k].s.parsed;
		s->unchanged += w[k].s.unchanged;
		s->failed += w[k].s.failed;
		s->records += w[k].s.records;
		*doccount += w[k].doccount;
	}
	/* All the parts, in the order of the inputs. */
	size_t n_parts = 0;
	for (unsigned k = 0; k < jobs; k++)
		n_parts += w[k].n_parts;
	const char **parts = xrealloc_or_die(NULL, n_parts * sizeof *parts);
	n_parts = 0;
	for (unsigned k = 0; k < jobs; k++)
		for (size_t j = 0; j < w[k].n_parts; j++)
			parts[n_parts++] = w[k].parts[j];
	if (!exit_code) {
		/* Minutes on a million records: say what it is doing. */
		if (!o->quiet)
			fprintf(stderr, "%s%s: compacting %zu parts of %u writers into one index\n",
				o->progress ? "\n" : "", prog, n_parts, jobs);
		char *message = NULL;
		ks_status rc = ks_db_compact(parts, n_parts, sh->tmp, &message);
		if (rc) {
			fprintf(stderr, "%s: cannot write the index %s: %s%s%s\n", prog, o->db,
				ks_status_str(rc), message ? ": " : "", message ? message : "");
			exit_code = EXIT_USAGE;
		}
		free(message);
	}
	for (size_t j = 0; j < n_parts; j++) {
		nftw(parts[j], remove_entry, 16, FTW_DEPTH | FTW_PHYS);
		free((char *)parts[j]);
	}
	for (unsigned k = 0; k < jobs; k++)
		free(w[k].parts);
	free(parts);
	free(shared);
	free(owner);
	free(w);
	return exit_code;
}

/* Gives the first shard's handle, which makes every document, the word
 * list, the synonyms and the words of every shard, and each shard the
 * synonym table; then the words of every input to be indexed (adding to
 * *CHANGE, when given, the records that will change).  0 or an exit
 * status. */
static int prepare_words(const options *o, const shards *sh, const inputs *in, size_t *change)
{
	int exit_code = load_words(o, sh->v[0].db);
	for (size_t k = 1; k < sh->n && !exit_code; k++) {
		ks_status rc;
		if (o->words && (rc = ks_db_learn_words(sh->v[0].db, sh->v[k].db)))
			exit_code = db_fail(sh->v[0].db, rc, "reading the index");
		else if (o->synonyms && (rc = ks_db_set_synonyms(sh->v[k].db, o->synonyms)))
			exit_code = db_fail(sh->v[k].db, rc, "writing the synonyms");
	}
	if (!exit_code)
		exit_code = learn_inputs(sh, sh->v[0].db, in, NULL, 0, NULL, change);
	return exit_code;
}

/* Builds every shard anew instead of updating it: the update's handle keeps
 * the old index locked until the swap, its transaction never committed.
 * 0 or an exit status. */
static int rebuild_instead(shards *sh)
{
	for (size_t k = 0; k < sh->n; k++) {
		shard *x = &sh->v[k];
		x->old = x->db;
		x->db = NULL;
		x->building = x->swap = true;
		if (!(x->db = open_for_writing(x->path, x->tmp, true)))
			return EXIT_USAGE;
	}
	return 0;
}

/* Builds or updates the index, or each of its shards, from the inputs
 * found from the PATHs given (GV).  An existing index is updated in one
 * transaction, unless that would change more than O->update_records
 * records.  A new one is built in DB.tmp-PID and renamed into place; so is
 * a complete rebuild (past that bound, or of an index of another schema
 * version), which is then swapped with the old one in one step
 * (renameat2 RENAME_EXCHANGE): re-indexing every record inside one
 * transaction held them all in memory and left the old revision's blocks
 * behind (245,578 records: 12 minutes, 600 MB and growing, a 4.8 GB index
 * instead of 2.0 GB).  A rebuild holds the files of PATHs given to earlier
 * runs too.  Shards are committed one after the other: each is atomic,
 * and a run killed between two commits is caught up by the next (see
 * stored_state()). */
static int run_index(const options *o, inputs *in, const ks_given *gv, size_t n_given, stats *s,
		     double t0, uint32_t *doccount)
{
	shards sh = { .n = o->shards ? o->shards : 1 };
	sh.v = calloc(sh.n, sizeof *sh.v);
	if (!sh.v)
		out_of_memory();
	int exit_code = 0;
	for (size_t k = 0; k < sh.n; k++) {
		shard *x = &sh.v[k];
		if (o->shards) {
			snprintf(x->path, sizeof x->path, "%s/%zu", o->db, k);
			snprintf(x->schema, sizeof x->schema, "%s shard %zu/%zu", o->schema, k,
				 sh.n);
		} else {
			snprintf(x->path, sizeof x->path, "%s", o->db);
			snprintf(x->schema, sizeof x->schema, "%s", o->schema);
		}
	}
	for (size_t k = 0; k < sh.n && !exit_code; k++)
		exit_code = open_shard(&sh.v[k]);
	ks_roots roots = { 0 };
	ks_stored_files gone = { 0 }, other = { 0 };
	if (!exit_code)
		exit_code = know_inputs(&sh, in, gv, n_given, &roots, &gone, &other);
	bool building = false;
	for (size_t k = 0; k < sh.n; k++)
		building |= sh.v[k].building;

	/* An update learns the words of what it will index, and so how many
	 * records it changes, before it changes any. */
	if (!exit_code && !building) {
		size_t change = 0;
		exit_code = prepare_words(o, &sh, in, &change);
		for (size_t i = 0; i < gone.n; i++)
			change += gone.v[i].records;
		if (!exit_code && change > o->update_records) {
			if (!o->quiet)
				fprintf(stderr,
					"%s: %zu records change, more than %u "
					"(KS_UPDATE_RECORDS): building the index anew beside "
					"the old one\n",
					prog, change, o->update_records);
			exit_code = rebuild_instead(&sh);
			building = true;
		}
	}
	if (!exit_code && building) {
		carry_other(o, in, &roots, &other, s);
		s->removed += gone.n; /* not in the new index */
	}
	if (!exit_code && building && !o->shards && o->jobs > 1 && in->n > 1) {
		exit_code = build_parallel(o, in, &roots, &sh.v[0], s, t0, doccount);
		exit_code |= close_shard(&sh.v[0], !exit_code);
		goto done;
	}
	if (!exit_code && building)
		exit_code = prepare_words(o, &sh, in, NULL);
	/* Records of files gone first: a file moved in the archive keeps its
	 * ids, which are free again when it is indexed. */
	if (!exit_code && !building)
		exit_code = remove_gone(&sh, &gone, s);
	/* Every file is parsed into a new index, which has no record of any;
	 * an update parses the files that changed. */
	size_t since_flush = 0;
	for (size_t i = 0; i < in->n && !exit_code; i++) {
		size_t before = s->records;
		s->files++;
		exit_code = index_input(&sh, &in->v[i], s);
		since_flush += s->records - before;
		if (!exit_code && building && since_flush >= FRESH_FLUSH_RECORDS) {
			since_flush = 0;
			for (size_t k = 0; k < sh.n && !exit_code; k++) {
				ks_status rc;
				if (sh.v[k].building && (rc = ks_db_flush(sh.v[k].db)))
					exit_code = db_fail(sh.v[k].db, rc, "writing the index");
			}
		}
		progress(o, s, in->n, t0, false);
	}
	for (size_t k = 0; k < sh.n && !exit_code; k++) {
		ks_status rc = ks_roots_write(&roots, sh.v[k].db);
		if (rc)
			exit_code = db_fail(sh.v[k].db, rc, "writing the index");
	}
	for (size_t k = 0; k < sh.n && !exit_code; k++) {
		shard *x = &sh.v[k];
		if (s->parsed || s->removed || x->building)
			exit_code = stamp_shard(x);
	}
	for (size_t k = 0; k < sh.n && !exit_code; k++)
		exit_code = commit_shard(&sh.v[k], doccount);
	for (size_t k = 0; k < sh.n; k++) {
		int code = close_shard(&sh.v[k], !exit_code);
		if (!exit_code)
			exit_code = code;
	}
done:
	ks_stored_files_clear(&gone);
	ks_stored_files_clear(&other);
	ks_roots_free(&roots);
	free(sh.v);
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
			digest ^= ks_hash64(buf, n) + 0x9e3779b97f4a7c15ULL + (digest << 6);
		fclose(f);
	}
	snprintf(o->schema, sizeof o->schema, "%s synonyms %016llx", KS_SCHEMA_VERSION,
		 (unsigned long long)digest);
	return true;
}

/* Whether DIR/NAME exists. */
static bool exists_in(const char *dir, const char *name)
{
	char path[PATH_MAX + NAME_MAX + 2];
	struct stat st;
	snprintf(path, sizeof path, "%s/%s", dir, name);
	return stat(path, &st) == 0;
}

/* Refuses to write shards into an index or an index over shards; warns of
 * shards beyond N (left from a run with more shards: they hold records
 * that the N shards hold too). */
static int check_layout(const options *o)
{
	if (o->shards && exists_in(o->db, "iamglass")) {
		fprintf(stderr,
			"%s: %s is an index, not a directory of shards: give --shards another "
			"--db\n",
			prog, o->db);
		return -1;
	}
	if (!o->shards && exists_in(o->db, "0/iamglass")) {
		fprintf(stderr, "%s: %s holds shards (%s/0, ...): give --shards N\n", prog, o->db,
			o->db);
		return -1;
	}
	char extra[32];
	snprintf(extra, sizeof extra, "%u", o->shards);
	if (o->shards && exists_in(o->db, extra) && !o->quiet)
		fprintf(stderr,
			"%s: warning: %s/%s is not one of the %u shards; serve only %s/0 to "
			"%s/%u\n",
			prog, o->db, extra, o->shards, o->db, o->db, o->shards - 1);
	return 0;
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
		"Usage: %s [--db DIR] [--shards N] [--jobs N] [--words FILE] [--synonyms FILE]\n"
		"       [--pdf-memory MB] [--pdf-seconds S] [--dump] [--quiet] PATH...\n"
		"Parse council documents (.txt, .md, .pdf; directories recursively) and build the\n"
		"Danish full-text index of Kommunesøg.\n\n"
		"  --db DIR    the Xapian index to create or update (default data/index);\n"
		"              only changed files are re-read, records of removed files\n"
		"              are deleted, readers never see a half-written index\n"
		"  --shards N  split the records over N indexes DIR/0 ... DIR/N-1 by case\n"
		"              number (a case stays on one shard), for xapian-tcpsrv\n"
		"  --jobs N    writers of a new index at once (default: one per core)\n"
		"  --words FILE  the word list compounds are split into (default\n"
		"              " DEFAULT_WORDS ", Debian's wdanish; \"\" for none)\n"
		"  --synonyms FILE  the synonym groups, one a line: KL = Kommunernes\n"
		"              Landsforening (default: the installed synonyms.txt; \"\" for\n"
		"              none); other synonyms re-index every record\n"
		"  --pdf-memory MB  the memory a PDF may take to read (default %u);\n"
		"              each PDF is read in a process of its own\n"
		"  --pdf-seconds S  the CPU time a PDF may take to read (default %u);\n"
		"              a PDF past either is named, the other files are indexed\n"
		"  --dump      print the parsed records as JSON Lines, write no index\n"
		"  --quiet     no progress and no summary on stderr\n"
		"  --help      this text\n"
		"  --version   the version\n\n"
		"Exit status: 0 all indexed; 1 some inputs could not be parsed (each named\n"
		"on stderr as FILE:LINE: reason); 2 usage error or the index could not be\n"
		"written.\n",
		prog, KS_PDF_MEMORY_MB, KS_PDF_SECONDS);
}

/* The value of option NAME, a number of WHAT from MIN to MAX, into *OUT;
 * false (having said why) when it is none. */
static bool range_option(const char *value, const char *name, const char *what, long min, long max,
			 unsigned *out)
{
	char *end;
	errno = 0;
	long n = strtol(value, &end, 10);
	if (errno || end == value || *end || n < min || n > max) {
		fprintf(stderr, "%s: %s needs a number of %s from %ld to %ld, not '%s'\n", prog,
			name, what, min, max, value);
		return false;
	}
	*out = (unsigned)n;
	return true;
}

/* The same from 1 to MAX. */
static bool count_option(const char *value, const char *name, const char *what, long max,
			 unsigned *out)
{
	return range_option(value, name, what, 1, max, out);
}

/* The path of this program, which reads each PDF in a child process:
 * /proc/self/exe (valgrind answers it with the program it runs), else
 * ARGV0 when it is a path.  Malloc'd; NULL when neither. */
static char *self_path(const char *argv0)
{
	char buf[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
	if (n > 0) {
		buf[n] = '\0';
		return xstrdup(buf);
	}
	return strchr(argv0, '/') ? realpath(argv0, NULL) : NULL;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], KS_PDF_CHILD_FLAG))
		return ks_pdf_child_main(argc, argv);
	options o = { .db = "data/index",
		      .part_records = PART_RECORDS,
		      .update_records = UPDATE_RECORDS,
		      .words = DEFAULT_WORDS,
		      .synonyms = default_synonyms() };
	const char *part_records = getenv("KS_PART_RECORDS");
	if (part_records && !count_option(part_records, "KS_PART_RECORDS", "records",
					  MAX_PART_RECORDS, &o.part_records))
		return EXIT_USAGE;
	const char *update_records = getenv("KS_UPDATE_RECORDS");
	if (update_records && !count_option(update_records, "KS_UPDATE_RECORDS", "records",
					    MAX_UPDATE_RECORDS, &o.update_records))
		return EXIT_USAGE;
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "shards", required_argument, NULL, 'S' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "dump", no_argument, NULL, 'D' },
		{ "words", required_argument, NULL, 'w' },
		{ "synonyms", required_argument, NULL, 's' },
		{ "pdf-memory", required_argument, NULL, 'M' },
		{ "pdf-seconds", required_argument, NULL, 'T' },
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
		case 'S':
			if (!count_option(optarg, "--shards", "shards", MAX_SHARDS, &o.shards))
				return EXIT_USAGE;
			break;
		case 'j':
			if (!count_option(optarg, "--jobs", "writers", MAX_JOBS, &o.jobs))
				return EXIT_USAGE;
			break;
		case 'w':
			o.words = *optarg ? optarg : NULL;
			break;
		case 's':
			o.synonyms = *optarg ? optarg : NULL;
			break;
		case 'M':
			if (!range_option(optarg, "--pdf-memory", "megabytes", KS_PDF_MEMORY_MIN_MB,
					  KS_PDF_MEMORY_MAX_MB, &pdf_reader.limits.memory_mb))
				return EXIT_USAGE;
			break;
		case 'T':
			if (!count_option(optarg, "--pdf-seconds", "seconds", KS_PDF_SECONDS_MAX,
					  &pdf_reader.limits.seconds))
				return EXIT_USAGE;
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
	if (!o.jobs) {
		long cores = sysconf(_SC_NPROCESSORS_ONLN);
		o.jobs = cores < 1 ? 1 : cores > MAX_JOBS ? MAX_JOBS : (unsigned)cores;
	}
	if (!o.dump && check_layout(&o))
		return EXIT_USAGE;
	if (!o.dump && !schema_stamp(&o)) {
		fprintf(stderr, "%s: cannot read the synonym file %s: %s\n", prog, o.synonyms,
			strerror(errno));
		return EXIT_USAGE;
	}

	pdf_reader.self = self_path(argv[0]);
	double t0 = now();
	idset seen = { 0 };
	inputs in = { .seen = &seen };
	stats s = { 0 };
	size_t n_given = (size_t)(argc - optind);
	ks_given *gv = xrealloc_or_die(NULL, n_given * sizeof *gv);
	int exit_code = 0;
	for (int i = optind; i < argc; i++) {
		struct stat st;
		ks_given *g = &gv[i - optind];
		*g = (ks_given){ .arg = argv[i], .first = in.n };
		if (stat(argv[i], &st) != 0 || !ks_given_locate(g, S_ISDIR(st.st_mode))) {
			fprintf(stderr, "%s: %s\n", argv[i], strerror(errno));
			s.failed++;
		} else if (S_ISDIR(st.st_mode)) {
			s.failed += (size_t)walk(&in, argv[i], 0);
		} else if (!S_ISREG(st.st_mode)) {
			/* A FIFO would hold the run until someone writes to it. */
			fprintf(stderr, "%s: %s\n", argv[i], read_error(ENOTREGULAR));
			s.failed++;
		} else {
			add_input(&in, argv[i]);
		}
		g->end = in.n;
	}

	uint32_t doccount = 0;
	if (o.dump) {
		/* Ids of files of the same name tell them apart by their
		 * identities, as a new index would. */
		ks_roots roots = { 0 };
		identify_inputs(&in, gv, n_given, &roots, NULL);
		ks_roots_free(&roots);
		exit_code = run_dump(&o, &in, &s, t0);
	} else {
		exit_code = run_index(&o, &in, gv, n_given, &s, t0, &doccount);
	}
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
	for (size_t i = 0; i < n_given; i++)
		ks_given_clear(&gv[i]);
	free(gv);
	free_inputs(&in);
	free(pdf_reader.self);
	return exit_code;
}
