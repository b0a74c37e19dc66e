/* parallel.c — a new index, or new shards, built by --jobs writers at
 * once: the inputs assigned to writers, their words learnt and shared,
 * their parts written and compacted into one index, or into each shard. */
#include "kommunesoeg-index.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "index.h"

/* A fresh index is built by JOBS writers at once, each into databases of
 * its own (TMP.K, TMP.K.1, ...), which are then compacted into TMP: Xapian's
 * writer is one thread, and the indexing of a large corpus is bound by it.
 * Fresh shards (--shards N) likewise: each writer writes parts of every
 * shard (SHARD-TMP.K, ...), the records of its inputs going to their
 * shards (shard_of()) as one writer's do, and each shard is compacted from
 * its own parts.  The writers first learn the words of their inputs
 * (learn_inputs(), a run of the inputs of about equal size each) and then
 * each other's, so that every writer splits compounds as one writer would:
 * any number of them writes the same index.  Then the inputs are cut into
 * chunks, runs of about the same number of records in their order, which
 * the writers take in turn, each into a part of its own; the parts are
 * compacted in the order of their chunks, so that the documents keep the
 * order one writer gives them.  A writer that is done takes the next chunk:
 * none waits for another whose files cost more than their records say.
 * The files whose names share a stem (whose ids settle_id() tells apart in
 * file order, in one database) all go to the chunk of the first. */

/* The chunks of a run (see above). */
typedef struct chunks {
	uint32_t *of;     /* the chunk of each input */
	size_t *start;    /* the first input of each chunk */
	unsigned *writer; /* the writer of each chunk */
	size_t *gen;      /* and its part (generation) that holds it */
	size_t n;
	atomic_size_t next; /* the next chunk to be taken */
} chunks;

typedef struct writer {
	const options *o;
	const inputs *in;
	const unsigned char *owner; /* the writer that learns each input's words */
	size_t *learnt;             /* the records of each input, as learnt */
	chunks *chunks;
	const ks_roots *roots; /* written into its last parts */
	unsigned k;            /* this writer */
	shards part;           /* of each shard TMP.K, then TMP.K.1, ... */
	char **parts;          /* the paths of its parts so far, a shard's */
	size_t n_parts;        /* part a generation: [gen * part.n + shard] */
	char **spelling;       /* the spelling data of each shard, apart */
	size_t taken;          /* the chunks it wrote */
	stats s;
	uint32_t doccount;
	int exit_code;
	atomic_size_t files, records; /* for progress() */
	pthread_t thread;
	bool learning;     /* which half of its work the thread does */
	atomic_bool done;  /* its thread has finished */
	atomic_bool *stop; /* set by a writer that failed */
} writer;

typedef struct named {
	char *slug;
	size_t i;
} named;

static int cmp_named(const void *a, const void *b)
{
	const named *x = a, *y = b;
	int c = strcmp(x->slug, y->slug);
	return c ? c : (x->i > y->i) - (x->i < y->i);
}

/* Fills OWNER with the writer (0 ... JOBS-1) that learns the words of each
 * input of IN (runs in their order of about equal size), and FIRST with the
 * first input whose name shares each one's stem (itself when none does). */
static void assign_learners(const inputs *in, unsigned jobs, unsigned char *owner, size_t *first)
{
	named *sorted = xrealloc_or_die(NULL, in->n * sizeof *sorted);
	off_t *size = xrealloc_or_die(NULL, in->n * sizeof *size);
	off_t total = 0;
	for (size_t i = 0; i < in->n; i++) {
		struct stat st;
		if (!(sorted[i].slug = ks_name_slug(in->v[i].path)))
			out_of_memory();
		sorted[i].i = i;
		size[i] = stat(in->v[i].path, &st) == 0 ? st.st_size : 0;
		total += size[i];
	}
	qsort(sorted, in->n, sizeof *sorted, cmp_named);
	for (size_t k = 0; k < in->n; k++) {
		bool same = k > 0 && !strcmp(sorted[k - 1].slug, sorted[k].slug);
		first[sorted[k].i] = same ? first[sorted[k - 1].i] : sorted[k].i;
	}
	off_t done = 0;
	for (size_t i = 0; i < in->n; i++) {
		/* The run that the middle of this file falls in. */
		unsigned w = (unsigned)((done + size[i] / 2) * (off_t)jobs / (total ? total : 1));
		owner[i] = (unsigned char)(w < jobs ? w : jobs - 1);
		done += size[i];
	}
	for (size_t i = 0; i < in->n; i++)
		free(sorted[i].slug);
	free(sorted);
	free(size);
}

/* Cuts the inputs of IN into the chunks of C, runs in their order of about
 * the same number of records (RECORDS, as learnt): at most O's part size,
 * and at least CHUNKS_PER_WRITER a writer.  An input whose name shares its
 * stem with an earlier one's (FIRST) goes to that one's chunk. */
static void cut_chunks(const options *o, const inputs *in, const size_t *records,
		       const size_t *first, chunks *c)
{
	size_t total = 0;
	for (size_t i = 0; i < in->n; i++)
		total += records[i];
	size_t target = total / ((size_t)o->jobs * CHUNKS_PER_WRITER);
	target = target < 1 ? 1 : target > o->part_records ? o->part_records : target;
	size_t n = 0, in_chunk = 0;
	for (size_t i = 0; i < in->n; i++) {
		if (first[i] != i) {
			c->of[i] = c->of[first[i]];
			continue;
		}
		if (n == 0 || in_chunk >= target) {
			c->start[n++] = i;
			in_chunk = 0;
		}
		c->of[i] = (uint32_t)(n - 1);
		in_chunk += records[i];
	}
	c->n = n;
	atomic_store(&c->next, 0);
}

/* The first half of writer W's work: opens its parts and learns the words
 * of its inputs, into the part of the first shard, whose handle makes its
 * documents (as prepare_words() for one writer); the other shards' parts
 * get the synonyms. */
static void learn_part(writer *w)
{
	shards *p = &w->part;
	options quiet = *w->o;
	quiet.quiet = w->o->quiet || w->k > 0; /* one warning about the word list */
	for (size_t s = 0; s < p->n; s++)
		if (!(p->v[s].db = open_for_writing(w->o->db, p->v[s].tmp, true))) {
			w->exit_code = EXIT_USAGE;
			return;
		}
	if (load_words(&quiet, p->v[0].db)) {
		w->exit_code = EXIT_USAGE;
		return;
	}
	for (size_t s = 1; s < p->n && w->o->synonyms; s++) {
		ks_status rc = ks_db_set_synonyms(p->v[s].db, w->o->synonyms);
		if (rc) {
			w->exit_code = db_fail(p->v[s].db, rc, "writing the synonyms");
			return;
		}
	}
	if (learn_inputs(p, p->v[0].db, w->in, w->owner, w->k, w->stop, NULL, w->learnt))
		w->exit_code = EXIT_USAGE;
}

static void add_part(writer *w, const char *path)
{
	w->parts = xrealloc_or_die(w->parts, (w->n_parts + 1) * sizeof *w->parts);
	w->parts[w->n_parts++] = xstrdup(path);
}

/* Goes on in a new part of every shard of writer W.  0 or an exit status. */
static int next_parts(writer *w)
{
	shards *p = &w->part;
	size_t gen = w->n_parts / p->n;
	for (size_t s = 0; s < p->n; s++) {
		char path[sizeof p->v[s].tmp + 24];
		snprintf(path, sizeof path, "%s.%zu", p->v[s].tmp, gen);
		/* Listed first, so that it is removed whatever happens. */
		add_part(w, path);
		uint32_t n = 0;
		ks_status rc = ks_db_doccount(p->v[s].db, &n);
		if (!rc)
			rc = ks_db_next_part(p->v[s].db, path);
		w->doccount += n;
		if (rc)
			return db_fail(p->v[s].db, rc, "writing the index");
	}
	return 0;
}

/* Flushes what writer W has added to its parts.  0 or an exit status. */
static int flush_parts(writer *w)
{
	for (size_t s = 0; s < w->part.n; s++) {
		ks_status rc = ks_db_flush_documents(w->part.v[s].db);
		if (rc)
			return db_fail(w->part.v[s].db, rc, "writing the index");
	}
	return 0;
}

/* The second half, once it knows the words of every writer: takes the
 * next chunk until none is left, each into new parts (of every shard),
 * flushed every KS_FLUSH_RECORDS records, and commits and closes its last
 * parts. */
static void write_part(writer *w)
{
	shards *p = &w->part;
	chunks *c = w->chunks;
	if (!(w->spelling = calloc(p->n, sizeof *w->spelling)))
		out_of_memory();
	for (size_t s = 0; s < p->n && !w->exit_code; s++) {
		char path[sizeof p->v[s].tmp + 16];
		snprintf(path, sizeof path, "%s.spelling", p->v[s].tmp);
		w->spelling[s] = xstrdup(path);
		ks_status rc = ks_db_spelling_apart(p->v[s].db, path);
		if (rc)
			w->exit_code = db_fail(p->v[s].db, rc, "writing the index");
	}
	for (size_t k; !w->exit_code && !atomic_load(w->stop) &&
		       (k = atomic_fetch_add(&c->next, 1)) < c->n;) {
		/* The first chunk goes into the parts opened to learn. */
		if (w->taken++ && (w->exit_code = next_parts(w)))
			break;
		c->writer[k] = w->k;
		c->gen[k] = w->n_parts / p->n - 1;
		size_t since_flush = 0;
		for (size_t i = c->start[k]; i < w->in->n && !w->exit_code; i++) {
			if (c->of[i] != k)
				continue;
			if (atomic_load(w->stop))
				break;
			if (since_flush >= w->o->flush_records) {
				if ((w->exit_code = flush_parts(w)))
					break;
				since_flush = 0;
			}
			size_t before = w->s.records;
			w->s.files++;
			w->exit_code = index_input(p, &w->in->v[i], &w->s);
			since_flush += w->s.records - before;
			atomic_store(&w->files, w->s.files);
			atomic_store(&w->records, w->s.records);
		}
	}
	/* Every writer writes every root: the compaction keeps one. */
	for (size_t s = 0; s < p->n && !w->exit_code && !atomic_load(w->stop); s++) {
		ks_status rc = ks_roots_write(w->roots, p->v[s].db);
		w->exit_code =
			rc ? db_fail(p->v[s].db, rc, "writing the index") : stamp_shard(&p->v[s]);
		if (!w->exit_code)
			w->exit_code = commit_shard(&p->v[s], &w->doccount);
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

/* The compaction of one shard's parts (or the index's) into its TMP. */
typedef struct compaction {
	const char **parts; /* in the order of the inputs */
	size_t n_parts;
	const shard *into;
	ks_status rc;
	char *message;
} compaction;

/* The compactions of a run, taken in turn by the threads that do them. */
typedef struct compactions {
	compaction *v;
	size_t n;
	atomic_size_t next;
} compactions;

static void *compact_thread(void *arg)
{
	compactions *c = arg;
	for (size_t k; (k = atomic_fetch_add(&c->next, 1)) < c->n;) {
		compaction *x = &c->v[k];
		x->rc = ks_db_compact(x->parts, x->n_parts, x->into->tmp, &x->message);
	}
	return NULL;
}

/* Compacts the parts of each shard of SH written by the writers W (JOBS),
 * in the order of the chunks CH, into the shard's TMP; as many shards at
 * once as there are writers (each compaction is one thread).  0 or an exit
 * status. */
static int compact_shards(const options *o, writer *w, unsigned jobs, const chunks *ch,
			  const shards *sh)
{
	compactions c = { .n = sh->n };
	c.v = calloc(sh->n, sizeof *c.v);
	if (!c.v)
		out_of_memory();
	for (size_t k = 0; k < sh->n; k++) {
		compaction *x = &c.v[k];
		x->into = &sh->v[k];
		size_t n = jobs;
		for (unsigned j = 0; j < jobs; j++)
			n += w[j].n_parts / sh->n;
		x->parts = xrealloc_or_die(NULL, n * sizeof *x->parts);
		/* The chunks' parts in their order; then the part of a
		 * writer that took none, which holds no document. */
		for (size_t i = 0; i < ch->n; i++)
			x->parts[x->n_parts++] = w[ch->writer[i]].parts[ch->gen[i] * sh->n + k];
		for (unsigned j = 0; j < jobs; j++)
			if (!w[j].taken)
				x->parts[x->n_parts++] = w[j].parts[k];
		/* And each writer's spelling data. */
		for (unsigned j = 0; j < jobs; j++)
			x->parts[x->n_parts++] = w[j].spelling[k];
		/* Minutes on a million records: say what it is doing. */
		if (!o->quiet && o->shards)
			fprintf(stderr, "%s%s: compacting %zu parts of %u writers into shard %zu\n",
				o->progress && k == 0 ? "\n" : "", prog, x->n_parts, jobs, k);
		else if (!o->quiet)
			fprintf(stderr, "%s%s: compacting %zu parts of %u writers into one index\n",
				o->progress ? "\n" : "", prog, x->n_parts, jobs);
	}
	unsigned threads = jobs < sh->n ? jobs : (unsigned)sh->n, started = 0;
	pthread_t *t = xrealloc_or_die(NULL, threads * sizeof *t);
	for (; started + 1 < threads; started++)
		if (pthread_create(&t[started], NULL, compact_thread, &c))
			break; /* the others, and this thread, do its share */
	compact_thread(&c);
	for (unsigned i = 0; i < started; i++)
		pthread_join(t[i], NULL);
	int exit_code = 0;
	for (size_t k = 0; k < sh->n; k++) {
		compaction *x = &c.v[k];
		if (x->rc && !exit_code) {
			fprintf(stderr, "%s: cannot write the index %s: %s%s%s\n", prog,
				x->into->path, ks_status_str(x->rc), x->message ? ": " : "",
				x->message ? x->message : "");
			exit_code = EXIT_USAGE;
		}
		free(x->message);
		free(x->parts);
	}
	free(t);
	free(c.v);
	return exit_code;
}

/* Builds the fresh index or shards SH (each open in its TMP, empty) with
 * JOBS writers, with the ROOTS of its files; adds to S and DOCCOUNT.  0 or
 * an exit status. */
int build_parallel(const options *o, const inputs *in, const ks_roots *roots, shards *sh, stats *s,
		   double t0, uint32_t *doccount)
{
	unsigned jobs = o->jobs;
	writer *w = calloc(jobs, sizeof *w);
	size_t n = in->n ? in->n : 1;
	unsigned char *owner = malloc(n);
	size_t *first = malloc(n * sizeof *first), *records = calloc(n, sizeof *records);
	chunks c = { .of = malloc(n * sizeof *c.of),
		     .start = malloc(n * sizeof *c.start),
		     .writer = malloc(n * sizeof *c.writer),
		     .gen = malloc(n * sizeof *c.gen) };
	if (!w || !owner || !first || !records || !c.of || !c.start || !c.writer || !c.gen)
		out_of_memory();
	assign_learners(in, jobs, owner, first);
	/* The parts are compacted into TMP, which must not exist then. */
	for (size_t k = 0; k < sh->n; k++) {
		ks_db_close(sh->v[k].db);
		sh->v[k].db = NULL;
		nftw(sh->v[k].tmp, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	}

	atomic_bool stop = false;
	for (unsigned j = 0; j < jobs; j++) {
		w[j] = (writer){ .o = o,
				 .in = in,
				 .owner = owner,
				 .learnt = records,
				 .chunks = &c,
				 .roots = roots,
				 .k = j,
				 .stop = &stop };
		w[j].part.n = sh->n;
		if (!(w[j].part.v = calloc(sh->n, sizeof *w[j].part.v)))
			out_of_memory();
		for (size_t k = 0; k < sh->n; k++) {
			shard *p = &w[j].part.v[k];
			snprintf(p->path, sizeof p->path, "%s", sh->v[k].path);
			snprintf(p->tmp, sizeof p->tmp, "%.*s.%u", PATH_MAX, sh->v[k].tmp, j);
			snprintf(p->schema, sizeof p->schema, "%s", sh->v[k].schema);
			p->building = true;
			add_part(&w[j], p->tmp);
		}
		w[j].learning = true;
	}
	/* Every writer learns the words of its inputs, then those of the
	 * others, and only then indexes. */
	int exit_code = run_writers(o, w, jobs, in, s, t0);
	for (unsigned k = 0; k < jobs && !exit_code; k++)
		for (unsigned j = 0; j < jobs && !exit_code; j++) {
			ks_db *words = w[k].part.v[0].db;
			ks_status rc = j == k ? KS_OK : ks_db_learn_words(words, w[j].part.v[0].db);
			if (rc)
				exit_code = db_fail(words, rc, "learning the words");
		}
	for (unsigned j = 0; j < jobs; j++)
		w[j].learning = false;
	cut_chunks(o, in, records, first, &c);
	if (!exit_code)
		exit_code = run_writers(o, w, jobs, in, s, t0);
	for (unsigned j = 0; j < jobs; j++) {
		for (size_t k = 0; k < sh->n; k++) {
			ks_db_close(w[j].part.v[k].db);
			w[j].part.v[k].db = NULL;
		}
		s->files += w[j].s.files;
		s->parsed += w[j].s.parsed;
		s->unchanged += w[j].s.unchanged;
		s->failed += w[j].s.failed;
		s->records += w[j].s.records;
		*doccount += w[j].doccount;
	}
	if (!exit_code)
		exit_code = compact_shards(o, w, jobs, &c, sh);
	for (unsigned j = 0; j < jobs; j++) {
		for (size_t g = 0; g < w[j].n_parts; g++) {
			nftw(w[j].parts[g], remove_entry, 16, FTW_DEPTH | FTW_PHYS);
			free(w[j].parts[g]);
		}
		free(w[j].parts);
		for (size_t k = 0; w[j].spelling && k < sh->n; k++) {
			if (w[j].spelling[k])
				nftw(w[j].spelling[k], remove_entry, 16, FTW_DEPTH | FTW_PHYS);
			free(w[j].spelling[k]);
		}
		free(w[j].spelling);
		free(w[j].part.v);
	}
	free(c.of);
	free(c.start);
	free(c.writer);
	free(c.gen);
	free(records);
	free(first);
	free(owner);
	free(w);
	return exit_code;
}
