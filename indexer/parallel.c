/* parallel.c — a new index built by --jobs writers at once: the inputs
 * assigned to writers, their words learnt and shared, their parts written
 * and compacted into one. */
#include "kommunesoeg-index.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "index.h"

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
int build_parallel(const options *o, const inputs *in, const ks_roots *roots, shard *sh, stats *s,
		   double t0, uint32_t *doccount)
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
