/* kommunesoeg-index.h — what the files of the program kommunesoeg-index
 * share: the inputs of a run, its options and figures, the databases it
 * writes.  Private to the program (the libraries' headers are parse.h,
 * index.h and file-state.h).
 *
 * One run, step by step, and where each step is:
 *   main.c        the command line: options, usage, main();
 *   walk.c        the inputs: the PATHs walked, which files, a file found
 *                 twice read once, how the index knows each;
 *   run.c         the run: an update, or a build (a rebuild past the
 *                 bound of KS_UPDATE_RECORDS or after a schema change);
 *   shards.c      the databases of a run: open, stamp, commit, close;
 *   words.c       the words compounds split into, learnt before indexing;
 *   update.c      one file's change detection and update; files gone;
 *   read-input.c  one input's bytes, parsed (a PDF in a child process);
 *   ids.c         the ids of records, one taken settled;
 *   parallel.c    the writers of a new index or shards: parts, compaction;
 *   dump.c        --dump: the records as JSON Lines, no index.
 */
#ifndef KS_KOMMUNESOEG_INDEX_H
#define KS_KOMMUNESOEG_INDEX_H

#include <ftw.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>

#include "file-state.h"
#include "ks-xapian.h"
#include "parse.h"
#include "pdf-child.h"

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

/* A set of strings: the ids printed by --dump (to settle them as the index
 * would), and the files already found (a file named twice is read once). */
typedef struct idset {
	char **v;
	size_t n, cap; /* open addressing; cap is a power of two */
} idset;

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
	bool no_words; /* an update that found nothing to index read no word list */
} shards;

typedef struct options {
	const char *db;
	unsigned shards;         /* 0: one index at db; else db/0 ... db/N-1 */
	unsigned jobs;           /* writers of fresh indexes (see build_parallel()) */
	unsigned part_records;   /* records a part of theirs (PART_RECORDS) */
	unsigned flush_records;  /* records a flush of a part (WRITER_FLUSH_RECORDS) */
	unsigned update_records; /* records one update may change (UPDATE_RECORDS) */
	bool dump, quiet, progress;
	const char *words;    /* the word list compounds split into, or NULL */
	const char *synonyms; /* the synonym file, or NULL */
	char schema[64];      /* the KS_META_SCHEMA this run writes (see schema_stamp()) */
} options;

/* Where the word list is unless given. */
#define DEFAULT_WORDS "/usr/share/dict/danish"

/* Each prototype's comment is above its definition. */

/* ---- main.c: the command line ------------------------------------------------ */

extern const char *const prog;
double now(void);
_Noreturn void out_of_memory(void);
void *xrealloc_or_die(void *p, size_t n);
char *xstrdup(const char *s);

/* ---- walk.c: the inputs ------------------------------------------------------ */

size_t find_inputs(inputs *in, char *const *given, size_t n_given, ks_given *gv);
void add_input(inputs *in, const char *path);
void free_inputs(inputs *in);
void identify_inputs(inputs *in, const ks_given *gv, size_t n_given, ks_roots *roots,
		     ks_db *before);
void carry_other(const options *o, inputs *in, const ks_roots *roots, const ks_stored_files *other,
		 stats *s);

/* ---- read-input.c: one input, read and parsed --------------------------------- */

/* How PDFs are read (pdf-child.c): set by main() before any writer thread
 * starts, and only read after that. */
struct pdf_reader {
	char *self; /* the path of this program, which the child runs */
	ks_pdf_limits limits;
};
extern struct pdf_reader pdf_reader;

/* read_file()'s errno for a file that is not a regular one (a FIFO, a
 * socket, a device): a value that opening and reading a file never set. */
#define ENOTREGULAR ENOTBLK

const char *read_error(int err);
char *read_file(const char *path, size_t *len);
int parse_input(const input *x, const char *data, size_t len, ks_document *doc, bool quiet);

/* ---- ids.c: the ids of records ------------------------------------------------ */

bool idset_has(const char *id, void *arg);
void idset_add(idset *s, const char *id);
void idset_free(idset *s);
typedef bool (*id_taken_fn)(const char *id, void *arg);
void settle_id(ks_record *r, const char *key, id_taken_fn taken, void *arg);
bool shards_have_id(const char *id, void *arg);

/* ---- run.c: the run ------------------------------------------------------------- */

void progress(const options *o, const stats *s, size_t total, double t0, bool last);
int run_index(const options *o, inputs *in, const ks_given *gv, size_t n_given, stats *s, double t0,
	      uint32_t *doccount);

/* ---- dump.c: --dump ------------------------------------------------------------- */

int run_dump(const options *o, inputs *in, const ks_given *gv, size_t n_given, stats *s, double t0);

/* ---- words.c: the words compounds split into ------------------------------------- */

int load_words(const options *o, ks_db *db);
int learn_inputs(const shards *sh, ks_db *words, const inputs *in, const unsigned char *owner,
		 unsigned k, const atomic_bool *stop, size_t *change, size_t *records);
int prepare_words(const options *o, shards *sh, const inputs *in, size_t *change);

/* ---- update.c: one file, and the files gone ---------------------------------------- */

int input_state(const shards *sh, const input *x, ks_file_state *cur, ks_file_state *old,
		bool *known);
bool same_size_and_time(bool known, const ks_file_state *old, const ks_file_state *cur);
int index_input(const shards *sh, const input *x, stats *s);
int know_inputs(const shards *sh, inputs *in, const ks_given *gv, size_t n_given, ks_roots *roots,
		ks_stored_files *gone, ks_stored_files *other);
int remove_gone(const shards *sh, const ks_stored_files *gone, stats *s);

/* ---- shards.c: the databases of a run ------------------------------------------- */

int db_fail(ks_db *db, ks_status st, const char *what);
size_t shard_of(const ks_record *r, size_t n);
int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw);
ks_db *open_for_writing(const char *db_path, const char *target, bool fresh);
int check_layout(const options *o);
int open_shard(shard *sh);
int stamp_shard(shard *sh);
int commit_shard(shard *sh, uint32_t *doccount);
int close_shard(shard *sh, bool ok);
int rebuild_instead(shards *sh);

/* ---- parallel.c: the writers of a new index ---------------------------------------- */

int build_parallel(const options *o, const inputs *in, const ks_roots *roots, shards *sh, stats *s,
		   double t0, uint32_t *doccount);

#endif
