/* index-limits.h — the limits of kommunesoeg-index, named in one place.
 * (The size of an input file, KS_MAX_FILE_BYTES, is the parser's: parse.h;
 * the length of ids and keys the schema's: lib/schema.h.) */
#ifndef KS_INDEX_LIMITS_H
#define KS_INDEX_LIMITS_H

/* A fresh index is flushed to disk every this many records, so that memory
 * stays bounded however large the corpus (nobody reads it before the
 * rename): Xapian's own default.  Fewer records a flush took less CPU on
 * 12,401 records (2,000: 44 s against 53 s), but on a million every flush
 * rewrote the blocks of the posting lists of every frequent term: 10 GB
 * written for the first 1.9 GB of index, at 95 records/s. */
#define FRESH_FLUSH_RECORDS 10000

/* The writers of a fresh index (--jobs N) start a new part after about this
 * many records (at the end of a file), unless the environment's
 * KS_PART_RECORDS says otherwise; the parts are compacted into one at the
 * end.  Each flush rewrites the blocks its terms touch, and in a large
 * database every term is in a block of its own: 245,578 records in one part
 * per writer wrote 12.0 GB and peaked at 2.0 GB RSS, in parts of 10,000
 * 7.0 GB and 1.5 GB, in about the same time (698 s, 689 s). */
#define PART_RECORDS     10000
#define MAX_PART_RECORDS 100000000

/* An update of an existing index is one Xapian transaction, which holds
 * every change in memory until the commit: records added and records
 * deleted.  When a run would change more records than this (the
 * environment's KS_UPDATE_RECORDS otherwise), the index is built anew
 * beside the old one, in parts of bounded size, and swapped in, as after
 * a schema change.  An update adding 12,401 records peaked at 552 MB RSS,
 * about 45 kB a record: this bound keeps an update below the peak of a
 * fresh build by two writers (847 MB on the same records). */
#define UPDATE_RECORDS     15000
#define MAX_UPDATE_RECORDS 100000000

/* A folder given for the first time is looked up below each root the index
 * knows, to recognise an archive moved there (ks_roots_moved()), by at
 * most this many of its files, spread over all of them: enough to tell a
 * move from a few names in common, and a few milliseconds a root. */
#define MOVED_SAMPLE_FILES 1000

/* At most this many shards (--shards N). */
#define MAX_SHARDS 1024

/* At most this many writers build a fresh index at once (--jobs N). */
#define MAX_JOBS 64

#endif
