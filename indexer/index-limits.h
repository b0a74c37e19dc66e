/* index-limits.h — the limits of kommunesoeg-index, named in one place
 * (SECURITY.md lists them with their values; the length of ids and keys is
 * the schema's: lib/schema.h).
 *
 * What one input file may cost comes first.  A file is read whole, so its
 * size is bounded first.  Its text then costs several times its size to
 * parse and many times that to index (every word a posting with its
 * position), and a record's size is paid again by every search that shows
 * it: so a line and a record are bounded too, and what is past the bound is
 * cut with a warning.  A PDF costs what its content streams say, which its
 * size does not bound at all (a few kB of compressed drawing operators can
 * keep poppler busy for minutes and take gigabytes): each PDF is read in a
 * child process under limits of memory and CPU time (pdf-child.c).
 */
#ifndef KS_INDEX_LIMITS_H
#define KS_INDEX_LIMITS_H

/* Files larger than this are refused: no council document comes near it,
 * and it bounds the memory one bad input can take. */
#define KS_MAX_FILE_BYTES (64u * 1024u * 1024u)

/* A line of a document, and the text of one record (its sections together),
 * hold at most this many bytes; the rest is cut (at a space when there is
 * one in the last KS_CUT_SPACE_BYTES, else between two characters) with a
 * warning.  A whole council item is a few kB; past this bound a record
 * costs the index writer, and every search that shows it, more than any
 * document needs (see bench/RESULTS.md, "Issue 15"). */
#define KS_MAX_TEXT_BYTES (1024u * 1024u)

/* A record's other strings (its title and committee, each entry of its
 * Behandling and Bilag lists, its meeting's title, place and each
 * participant) hold at most this many bytes, and each list at most
 * KS_MAX_LIST_BYTES together; the meeting is repeated in every record of
 * its file. */
#define KS_MAX_FIELD_BYTES (4u * 1024u)
#define KS_MAX_LIST_BYTES  (64u * 1024u)

/* How far back from a bound a cut looks for a space. */
#define KS_CUT_SPACE_BYTES 256u

/* A PDF is read in a child process with at most this much address space
 * (RLIMIT_AS; --pdf-memory MB) and CPU time (RLIMIT_CPU; --pdf-seconds S):
 * many times what a PDF of thousands of pages takes (bench/RESULTS.md).
 * The child's libraries alone take tens of MB of address space, hence the
 * least --pdf-memory accepted. */
#define KS_PDF_MEMORY_MB     512u
#define KS_PDF_MEMORY_MIN_MB 64u
#define KS_PDF_MEMORY_MAX_MB (1024u * 1024u)
#define KS_PDF_SECONDS       30u
#define KS_PDF_SECONDS_MAX   86400u

/* A child that neither finishes nor uses its CPU time (stopped, or waiting
 * on something that never comes) is killed after --pdf-seconds times this
 * factor plus this many seconds of wall-clock time: on a busy machine it
 * may get a fifth of a core. */
#define KS_PDF_WALL_FACTOR 5u
#define KS_PDF_WALL_EXTRA  5u

/* What the child sends back (the parsed records) is at most this long: no
 * more text than the largest text file the indexer reads. */
#define KS_MAX_PDF_ANSWER_BYTES KS_MAX_FILE_BYTES

/* A fresh index is flushed to disk every this many records, so that memory
 * stays bounded however large the corpus (nobody reads it before the
 * rename): Xapian's own default.  Smaller flushes take less CPU on a small
 * corpus, but in a large database every flush rewrites the blocks of the
 * posting list of every frequent term (bench/RESULTS.md, "Updates and
 * rebuilds"). */
#define FRESH_FLUSH_RECORDS 10000

/* The writers of a fresh index (--jobs N) write runs of the inputs of
 * about this many records at most, each into a part of its own, unless the
 * environment's KS_PART_RECORDS says otherwise; the parts are compacted
 * into one at the end.  Each flush rewrites the blocks its terms touch, and in a large
 * database every term is in a block of its own: small parts write less and
 * take less memory in the same time (bench/RESULTS.md, "Indexing in
 * parts"). */
#define PART_RECORDS     10000
#define MAX_PART_RECORDS 100000000

/* The writers of a fresh index take the inputs in runs (chunks) of about
 * the same number of records, each into a part of its own: a writer that
 * is done takes the next, so that none waits for another whose files cost
 * more than their records say.  The runs are of PART_RECORDS records at
 * most, and at least this many of them go to each writer, so that the
 * last one taken is short beside the rest. */
#define CHUNKS_PER_WRITER 8

/* Within a part, a writer of --jobs flushes its changes every this many
 * records (unless the environment's KS_FLUSH_RECORDS says otherwise).
 * Xapian holds a batch's postings in maps of every term it touches: a
 * small batch takes less memory (each writer's, which bounds the
 * indexer's peak), and its inserts are cheaper; a part stays small, so a
 * flush into it rewrites few blocks (unlike FRESH_FLUSH_RECORDS into one
 * growing index). */
#define WRITER_FLUSH_RECORDS 2000

/* An update of an existing index is one Xapian transaction, which holds
 * every change in memory until the commit: records added and records
 * deleted.  When a run would change more records than this (the
 * environment's KS_UPDATE_RECORDS otherwise), the index is built anew
 * beside the old one, in parts of bounded size, and swapped in, as after
 * a schema change: this bound keeps an update below the peak memory of a
 * fresh build by two writers (bench/RESULTS.md, "Updates and rebuilds"). */
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
