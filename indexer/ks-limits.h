/* ks-limits.h — what one input file may cost the indexer, every bound named
 * here (SECURITY.md lists them with their values).
 *
 * A file is read whole, so its size is bounded first.  Its text then costs
 * several times its size to parse and many times that to index (every word
 * a posting with its position), and a record's size is paid again by every
 * search that shows it: so a line and a record are bounded too, and what is
 * past the bound is cut with a warning.  A PDF costs what its content
 * streams say, which its size does not bound at all (a few kB of compressed
 * drawing operators can keep poppler busy for minutes and take gigabytes):
 * each PDF is read in a child process under limits of memory and CPU time
 * (pdf-child.c).
 */
#ifndef KS_LIMITS_H
#define KS_LIMITS_H

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

#endif
