/* words.c — the words compounds are split into: the word list, the
 * synonyms, and the words of every file to be indexed, learnt before the
 * first is indexed, so that how a compound is split does not depend on
 * the order of the files (nor on the number of writers). */
#include "kommunesoeg-index.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "index.h"
#include "text.h"

/* Teaches WORDS the words of every input that this run will index (those
 * whose size or time differs from the stored state; of writer K only when
 * OWNER is given), before the first is indexed: how a compound is split
 * then depends on the documents, not on their order, so that any number
 * of writers builds the same index.  Adds to *CHANGE (when given) the
 * records that indexing them will add and delete, and sets RECORDS[I]
 * (when given) to the records of input I.  What cannot be read or
 * parsed is left for index_input() to report. */
int learn_inputs(const shards *sh, ks_db *words, const inputs *in, const unsigned char *owner,
		 unsigned k, const atomic_bool *stop, size_t *change, size_t *records)
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
		if (records)
			records[i] = doc.n_records;
		ks_document_clear(&doc);
		if (rc)
			return db_fail(words, rc, "learning the words of the documents");
	}
	return 0;
}

/* Gives DB the word list of O.  One that is not there by default is only
 * warned about: compounds are then split into the documents' own words. */
static int read_word_list(const options *o, ks_db *db)
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
	return 0;
}

/* Gives DB the synonyms of O. */
static int give_synonyms(const options *o, ks_db *db)
{
	ks_status rc;
	if (o->synonyms && (rc = ks_db_set_synonyms(db, o->synonyms))) {
		fprintf(stderr, "%s: %s\n", prog, ks_db_error(db));
		return EXIT_USAGE;
	}
	return 0;
}

/* Gives DB the word list and the synonyms of O. */
int load_words(const options *o, ks_db *db)
{
	int exit_code = read_word_list(o, db);
	return exit_code ? exit_code : give_synonyms(o, db);
}

/* Gives the first shard's handle, which makes every document, the
 * synonyms, the words of every input to be indexed (adding to *CHANGE,
 * when given, the records that will change), the word list and the words
 * of every shard, and each shard the synonym table.  An update (CHANGE
 * given) that changes no record, the timer's usual run, reads neither the
 * word list nor the words of the index, which were most of its time; SH
 * then says so (no_words).  The dictionary is a set of words, the same
 * whichever is added first.  0 or an exit status. */
int prepare_words(const options *o, shards *sh, const inputs *in, size_t *change)
{
	/* A word list asked for must be there, read or not, and a run that
	 * cannot have it stops before it reads the inputs. */
	if (o->words && strcmp(o->words, DEFAULT_WORDS) != 0 && access(o->words, R_OK) != 0) {
		fprintf(stderr, "%s: cannot read the word list %s: %s\n", prog, o->words,
			strerror(errno));
		return EXIT_USAGE;
	}
	int exit_code = give_synonyms(o, sh->v[0].db);
	size_t changed = 0;
	if (!exit_code)
		exit_code = learn_inputs(sh, sh->v[0].db, in, NULL, 0, NULL, &changed, NULL);
	if (change)
		*change += changed;
	sh->no_words = change && !changed;
	if (!exit_code && !sh->no_words)
		exit_code = read_word_list(o, sh->v[0].db);
	for (size_t k = 1; k < sh->n && !exit_code; k++) {
		ks_status rc;
		if (o->words && !sh->no_words && (rc = ks_db_learn_words(sh->v[0].db, sh->v[k].db)))
			exit_code = db_fail(sh->v[0].db, rc, "reading the index");
		else if (o->synonyms && (rc = ks_db_set_synonyms(sh->v[k].db, o->synonyms)))
			exit_code = db_fail(sh->v[k].db, rc, "writing the synonyms");
	}
	return exit_code;
}
