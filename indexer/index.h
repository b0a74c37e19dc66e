/* index.h — records into Xapian documents, by the schema of lib/schema.h. */
#ifndef KS_INDEX_H
#define KS_INDEX_H

#include "ks-xapian.h"
#include "record.h"

/* Adds R to INTO as one document (replacing one with the same id), tagged
 * with FILE_KEY so that all records of a file can be deleted together; the
 * document is made through WORDS (its TermGenerator, compound words and
 * synonyms), which is INTO itself for one index: the shards of one index
 * share one handle's words, so they hold what one index would. */
ks_status ks_index_record_into(ks_db *words, ks_db *into, const ks_record *r, const char *file_key);

/* Teaches WORDS the words of the texts of R that ks_index_record_into()
 * indexes (ks_db_learn_text()). */
ks_status ks_learn_record(ks_db *words, const ks_record *r);

#endif
