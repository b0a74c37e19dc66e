/* shards.c — the databases of a run, the index or each of its shards:
 * opened for an update in one transaction or built anew beside the old
 * one, stamped, committed, closed and moved into place; and which shard a
 * record goes to. */
#include "kommunesoeg-index.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "schema.h"
#include "text.h"

/* Says on stderr that WHAT failed, with ST and DB's message (DB may be
 * NULL); returns EXIT_USAGE, the exit status of an index not written. */
int db_fail(ks_db *db, ks_status st, const char *what)
{
	fprintf(stderr, "%s: %s: %s: %s\n", prog, what, ks_status_str(st),
		db ? ks_db_error(db) : "");
	return EXIT_USAGE;
}

/* The shard of record R among N: by its case number (lower-cased, as the
 * case's term), so that a case stays on one shard; a record without one
 * by its id as parsed (from the file name, so stable across runs). */
size_t shard_of(const ks_record *r, size_t n)
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

/* Removes PATH: nftw()'s callback that removes a whole tree (FTW_DEPTH). */
int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
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
ks_db *open_for_writing(const char *db_path, const char *target, bool fresh)
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

/* Opens shard SH for this run: an existing index of the same schema for
 * an update in one transaction; else a new one in SH->tmp.  0 or an exit
 * status. */
int open_shard(shard *sh)
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

/* Writes the time of this change and the schema into shard SH.  0 or an
 * exit status. */
int stamp_shard(shard *sh)
{
	char updated[32];
	iso_now(updated);
	ks_status rc = ks_db_set_metadata(sh->db, KS_META_UPDATED, updated);
	if (!rc)
		rc = ks_db_set_metadata(sh->db, KS_META_SCHEMA, sh->schema);
	return rc ? db_fail(sh->db, rc, "writing the index") : 0;
}

/* Commits shard SH (or flushes a new one); adds its records to DOCCOUNT.
 * 0 or an exit status. */
int commit_shard(shard *sh, uint32_t *doccount)
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
int close_shard(shard *sh, bool ok)
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

/* Builds every shard anew instead of updating it: the update's handle keeps
 * the old index locked until the swap, its transaction never committed.
 * 0 or an exit status. */
int rebuild_instead(shards *sh)
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
int check_layout(const options *o)
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
