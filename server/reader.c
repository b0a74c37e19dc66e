/* reader.c — one Xapian reader per search thread.  Xapian's Database is
 * not thread-safe, so readers are never shared: each search thread opens
 * its own as it starts (main.c) and closes it when the thread ends (a
 * pthread key's destructor).
 *
 * The indexer commits an update as a new revision (glass rewrites its
 * version file "iamglass" by rename), or builds a fresh index in another
 * directory and renames it into place.  A reader notices both by comparing
 * what stat() says of the directory and its version file before each
 * request — two stat calls, cheaper than one search — and, for remote
 * shards, by asking Xapian every KS_REOPEN_INTERVAL_MS. */
#include "reader.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "ks-limits.h"

/* What an index directory looked like when it was last (re)opened. */
typedef struct disk_state {
	dev_t dev;
	ino_t dir;
	ino_t version;
	struct timespec version_mtime;
} disk_state;

typedef struct reader {
	ks_db *db;
	unsigned generation;
	long long checked_ms; /* when Xapian was last asked for a newer revision */
	size_t n;
	disk_state disk[]; /* one per --db */
} reader;

static pthread_key_t reader_key;

static void reader_free(void *p)
{
	reader *r = p;
	if (r)
		ks_db_close(r->db);
	free(r);
}

int ks_readers_init(void)
{
	return pthread_key_create(&reader_key, reader_free);
}

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The state of PATH on disk; all zero for a remote shard or a path that
 * cannot be read just now. */
static disk_state disk_state_of(const char *path)
{
	disk_state d = { 0 };
	struct stat st;
	char version[4096];
	if (!strncmp(path, "tcp://", 6) || stat(path, &st))
		return d;
	d.dev = st.st_dev;
	d.dir = st.st_ino;
	snprintf(version, sizeof version, "%s/iamglass", path);
	if (!stat(version, &st)) {
		d.version = st.st_ino;
		d.version_mtime = st.st_mtim;
	}
	return d;
}

static bool same_dir(const disk_state *a, const disk_state *b)
{
	return a->dev == b->dev && a->dir == b->dir;
}

static bool same_version(const disk_state *a, const disk_state *b)
{
	return same_dir(a, b) && a->version == b->version &&
	       a->version_mtime.tv_sec == b->version_mtime.tv_sec &&
	       a->version_mtime.tv_nsec == b->version_mtime.tv_nsec;
}

/* Opens the index anew into R; on failure R keeps what it had. */
static bool open_fresh(const ks_server *server, reader *r, const disk_state *now, const char **why)
{
	static _Thread_local char message[512];
	ks_db *db = NULL;
	char *msg = NULL;
	ks_status st = ks_db_open_read((const char *const *)server->dbs, server->n_dbs, &db, &msg);
	if (st) {
		snprintf(message, sizeof message, "the index could not be opened: %s",
			 msg ? msg : ks_status_str(st));
		fprintf(stderr, "kommunesoeg-server: %s%s\n", message,
			r->db ? "; serving the previous one" : "");
		free(msg);
		*why = message;
		return false;
	}
	ks_db_close(r->db);
	r->db = db;
	memcpy(r->disk, now, r->n * sizeof *now);
	r->checked_ms = now_ms();
	return true;
}

ks_db *ks_reader_get(const ks_server *server, const char **why)
{
	reader *r = pthread_getspecific(reader_key);
	if (!r) {
		r = calloc(1, sizeof *r + server->n_dbs * sizeof(disk_state));
		if (!r) {
			*why = "out of memory";
			return NULL;
		}
		r->n = server->n_dbs;
		r->generation = atomic_load(&server->generation);
		if (pthread_setspecific(reader_key, r)) {
			free(r);
			*why = "out of memory";
			return NULL;
		}
	}
	disk_state now[r->n];
	bool replaced = false, committed = false;
	for (size_t i = 0; i < r->n; i++) {
		now[i] = disk_state_of(server->dbs[i]);
		replaced |= !same_dir(&now[i], &r->disk[i]);
		committed |= !same_version(&now[i], &r->disk[i]);
	}
	unsigned generation = atomic_load(&server->generation);
	if (!r->db || replaced || generation != r->generation) {
		r->generation = generation;
		open_fresh(server, r, now, why);
		return r->db;
	}
	if (committed || now_ms() - r->checked_ms >= KS_REOPEN_INTERVAL_MS) {
		bool changed;
		if (ks_db_reopen(r->db, &changed) == KS_OK) {
			memcpy(r->disk, now, r->n * sizeof *now);
			r->checked_ms = now_ms();
		} else {
			open_fresh(server, r, now, why);
		}
	}
	return r->db;
}

void ks_reader_forget(void)
{
	reader *r = pthread_getspecific(reader_key);
	if (r && r->db) {
		ks_db_close(r->db);
		r->db = NULL;
	}
}

void ks_reader_reopen(const ks_server *server)
{
	reader *r = pthread_getspecific(reader_key);
	const char *why;
	if (r && r->db && ks_db_reopen(r->db, NULL) != KS_OK) {
		disk_state now[r->n];
		for (size_t i = 0; i < r->n; i++)
			now[i] = disk_state_of(server->dbs[i]);
		open_fresh(server, r, now, &why);
	}
}
