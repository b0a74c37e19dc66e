/* update.c — one file's change detection and update (as Omega's
 * index_file): its size and time against what every shard stored, its
 * bytes hashed, its records replaced; and the files the index holds that
 * this run did not find. */
#include "kommunesoeg-index.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "index.h"
#include "schema.h"
#include "text.h"

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
int input_state(const shards *sh, const input *x, ks_file_state *cur, ks_file_state *old,
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
bool same_size_and_time(bool known, const ks_file_state *old, const ks_file_state *cur)
{
	return known && old->size == cur->size && old->mtime_ns == cur->mtime_ns;
}

/* Indexes one input unless its stored state says it is unchanged: its
 * records go to their shards, its state to every shard. */
int index_input(const shards *sh, const input *x, stats *s)
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
	if (sh->no_words && doc.n_records) {
		/* Changed after prepare_words() found nothing to index, and
		 * so read no words to split its compounds into: the next run
		 * indexes it, as it would a file changed after this one. */
		fprintf(stderr,
			"%s: warning: changed while this run read the folder: "
			"left for the next run\n",
			x->path);
		ks_document_clear(&doc);
		s->unchanged++;
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

/* Loads the roots of the index as it was before this run, gives every
 * input its identity, and sorts out the files the index holds that this
 * run did not find: GONE from the PATHs given, or OTHER, found in PATHs
 * of earlier runs only.  0 or an exit status. */
int know_inputs(const shards *sh, inputs *in, const ks_given *gv, size_t n_given, ks_roots *roots,
		ks_stored_files *gone, ks_stored_files *other)
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
int remove_gone(const shards *sh, const ks_stored_files *gone, stats *s)
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
