/* run.c — one run over the index: an update of each database in one
 * transaction, or a build (a new index, or a rebuild past the bound of
 * KS_UPDATE_RECORDS or after a schema change) of the index or its
 * shards, by one writer or by --jobs; and the progress line. */
#include "kommunesoeg-index.h"

#include <stdio.h>
#include <stdlib.h>

#include "index-limits.h"

/* Shows on stderr (when O asks for it) how far the run is: S of TOTAL
 * files, since T0; at most five times a second, but for the LAST.  Only
 * the main thread calls it (SHOWN is its own). */
void progress(const options *o, const stats *s, size_t total, double t0, bool last)
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

/* Builds or updates the index, or each of its shards, from the inputs
 * found from the PATHs given (GV).  An existing index is updated in one
 * transaction, unless that would change more than O->update_records
 * records.  A new one is built in DB.tmp-PID and renamed into place; so is
 * a complete rebuild (past that bound, or of an index of another schema
 * version), which is then swapped with the old one in one step
 * (renameat2 RENAME_EXCHANGE): re-indexing every record inside one
 * transaction would hold them all in memory and leave the old revision's
 * blocks behind (bench/RESULTS.md, "Updates and rebuilds").  A rebuild
 * holds the files of PATHs given to earlier runs too.  Shards are
 * committed one after the other: each is atomic, and a run killed between
 * two commits is caught up by the next (see stored_state() in update.c). */
int run_index(const options *o, inputs *in, const ks_given *gv, size_t n_given, stats *s, double t0,
	      uint32_t *doccount)
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
	bool building = false, all_building = true;
	for (size_t k = 0; k < sh.n; k++) {
		building |= sh.v[k].building;
		all_building &= sh.v[k].building;
	}

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
			building = all_building = true;
		}
	}
	if (!exit_code && building) {
		carry_other(o, in, &roots, &other, s);
		s->removed += gone.n; /* not in the new index */
	}
	/* Writers at once build what is new everywhere (a shard added to old
	 * ones is built by one writer, with the others' updates). */
	if (!exit_code && all_building && o->jobs > 1 && in->n > 1) {
		exit_code = build_parallel(o, in, &roots, &sh, s, t0, doccount);
		for (size_t k = 0; k < sh.n; k++) {
			int code = close_shard(&sh.v[k], !exit_code);
			if (!exit_code)
				exit_code = code;
		}
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
				if (sh.v[k].building && (rc = ks_db_flush_documents(sh.v[k].db)))
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
