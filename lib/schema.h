/* The index schema of Kommunesøg, declared once for the indexer and the server.
 *
 * One Xapian document per record (an agenda item or a budget section):
 *
 *   data      the record as compact JSON, exactly what --dump prints for it and
 *             what /api/item returns; for a closed item it holds only the fields
 *             that may be shown (title, sagsnummer, punkt, the meeting, the
 *             closed mark, …), none of its text.
 *   terms     free text, Danish-stemmed (STEM_SOME: the word with positions,
 *             "Z"+stem without; a word that is its own stem only as
 *             "Z"+word, with the word's positions): every section unprefixed, each with the
 *             weight (wdf) of its field, so that a match in the title ranks
 *             above one in the Beslutning or the Resume, and those above one
 *             in the background text; the title and the sections that can be
 *             searched alone also with their prefix (S "titel:", XSBES
 *             "beslutning:", XSIND "indstilling:", XSRES "resume:", XSOEK
 *             "oekonomi:", XSBIL "bilag:"), as "Z"+prefix+stem alone (a word
 *             that is not stemmed, a number, as prefix+word), without
 *             positions.  The parts of a compound (see ks-words.h), as
 *             "Z"+stem (and "Z"+prefix+stem) alone, with a part of the
 *             word's weight (KS_PART_WDF_DIVISOR); the split itself once per
 *             word in metadata (KS_META_SPLIT_PREFIX).  At the position of
 *             each word also: the whole words of a suspended
 *             hyphen ("pris- og lønfremskrevet": "prisfremskrevet"), and the
 *             term XSY+group of a synonym group whose member it starts.  A
 *             word's other spelling (with or without Danish letters) is not
 *             stored: the query side looks it up (lib/query-fold.cc).
 *             Boolean terms for filtering (lower-cased, cut to a safe
 *             length): Q id, XSAG sagsnummer, XUDV udvalg, XBES the
 *             normalised decision, XTYPE type, Y year, XLUK lukket, XBEH every
 *             body in Behandling, XFIL the source file (a hash of its root and
 *             its path below it, see KS_META_FILE_PREFIX), XSMP the record's
 *             sample (KS_SAMPLES).
 *   synonyms  for every member of a synonym group ("kb", "kommunalbestyrelsen",
 *             "Z"+its stem), the group's XSY term (Xapian's synonym table,
 *             expanded by the QueryParser).
 *   values    KS_SLOT_DATE "YYYYMMDD" (sorts as a string), numbers with
 *             Xapian::sortable_serialise, the display form of every facet,
 *             and the keys of the date sorts.
 *
 * A closed item contributes its title and sagsnummer, the structural
 * boolean terms (id, sag, udvalg, type, year, lukket, file) and the date,
 * punkt, udvalg, type and year values, nothing else: none of its text, no
 * decision or behandling term or value (so it counts in no such facet and
 * no such filter finds it), and nothing to the spelling data.
 *
 * Prefix conventions follow Xapian's: single capitals are Xapian's own
 * (Q unique id, S subject, Y year, Z stemmed), "X…" are ours.  Every boolean
 * value is stored lower-cased, so none starts with a capital and no ':' is
 * needed after the prefix; no prefix is a prefix of another.
 */
#ifndef KS_SCHEMA_H
#define KS_SCHEMA_H

#ifdef __cplusplus
extern "C" {
#endif

typedef enum ks_field_id {
	KS_FIELD_BODY,
	KS_FIELD_TITLE,
	KS_FIELD_ID,
	KS_FIELD_SAG,
	KS_FIELD_UDVALG,
	KS_FIELD_DECISION, /* XBES: the normalised decision, a filter */
	KS_FIELD_TYPE,
	KS_FIELD_YEAR,
	KS_FIELD_LUKKET,
	KS_FIELD_BEHANDLING,
	KS_FIELD_FILE,
	KS_FIELD_SEC_BESLUTNING, /* XSBES: the Beslutning section's text, "beslutning:" */
	KS_FIELD_SEC_INDSTILLING,
	KS_FIELD_SEC_RESUME,
	KS_FIELD_SEC_OEKONOMI,
	KS_FIELD_SEC_BILAG,
	KS_FIELD_COUNT
} ks_field_id;

typedef enum ks_field_kind {
	KS_FIELD_FREE_TEXT, /* tokenized by the TermGenerator / QueryParser */
	KS_FIELD_BOOLEAN,   /* one exact term per value, used as a filter */
} ks_field_kind;

typedef struct ks_field {
	const char *name;   /* the query prefix users type ("titel"), NULL if none */
	const char *prefix; /* the Xapian term prefix */
	ks_field_kind kind;
	unsigned wdf_inc; /* free text only: the weight of each occurrence.  A field
			   * with a prefix is indexed twice: prefixed with wdf 1
			   * (for "titel:") and unprefixed with this weight (so
			   * that a plain query ranks title matches first). */
} ks_field;

/* The table, indexed by ks_field_id.  Read-only. */
extern const ks_field ks_fields[KS_FIELD_COUNT];

/* The parts of a compound are indexed at its position with the word's wdf
 * divided by this (at least 1), so that the exact word ranks first: a part
 * of a title word (8 / 4) weighs as much as a word of the background text
 * (2), a part of that (2 / 4) 1. */
#define KS_PART_WDF_DIVISOR 4

typedef enum ks_slot {
	KS_SLOT_DATE = 0,        /* "YYYYMMDD"; absent for budget sections */
	KS_SLOT_NETTOBUDGET = 1, /* sortable_serialise(kroner) */
	KS_SLOT_PUNKT = 2,       /* sortable_serialise(punkt number) */
	KS_SLOT_TYPE = 3,        /* facet: "punkt" | "budget" */
	KS_SLOT_UDVALG = 4,      /* facet: display form, "Økonomiudvalget" */
	KS_SLOT_YEAR = 5,        /* facet: "2025" */
	KS_SLOT_BESLUTNING = 6,  /* facet: display form, "Taget til efterretning" */
	KS_SLOT_FACETS = 7,      /* the four facet values above joined by KS_FACET_SEP,
				  * written by ks_db_replace(): one match spy reads
				  * one value per match instead of four */
	KS_SLOT_DATE_NEWEST = 8, /* the order of sort=date_desc and of _asc, */
	KS_SLOT_DATE_OLDEST = 9, /* each a key sorted as a string, written by
				  * ks_db_replace(): the date (its bytes inverted
				  * in _NEWEST; "\xff" when undated), the punkt
				  * number in 10 digits, the id */
	KS_SLOT_WEIGHTS = 10,    /* the weight (wdf) of each indexed text's words, by
				  * where its positions start: "first:weight"
				  * pairs, space-separated, in position order
				  * ("1:8 114:2"); the spelling data counts a
				  * word's occurrences by it */
	KS_SLOT_COUNT
} ks_slot;

/* The facets the API counts (its "facets" object), each the display form
 * kept in one value slot. */
typedef enum ks_facet {
	KS_FACET_TYPE,       /* "punkt" | "budget" */
	KS_FACET_UDVALG,     /* "Direktionen", ... */
	KS_FACET_YEAR,       /* "2025", ... */
	KS_FACET_BESLUTNING, /* "Anbefales", ... */
	KS_FACET_COUNT
} ks_facet;

typedef struct ks_facet_def {
	const char *name; /* in the API's JSON: "type", "udvalg", ... */
	ks_slot slot;     /* the value slot counted */
} ks_facet_def;

/* The table, indexed by ks_facet.  Read-only. */
extern const ks_facet_def ks_facets[KS_FACET_COUNT];

/* Separates the values in KS_SLOT_FACETS (ASCII unit separator; a value
 * that contains one has it replaced by a space). */
#define KS_FACET_SEP '\x1f'

/* The record types, as they appear in JSON and after "type:". */
#define KS_TYPE_PUNKT  "punkt"
#define KS_TYPE_BUDGET "budget"

/* Xapian rejects terms over 245 bytes; boolean values are cut (at a UTF-8
 * boundary) so that prefix + value stays within this. */
#define KS_MAX_TERM_BYTES 240

/* Xapian's glass backend refuses metadata keys over 253 bytes ("Key too
 * long"); the key of a file's state is kept within this (see
 * KS_META_FILE_PREFIX). */
#define KS_MAX_METADATA_KEY_BYTES 240

/* A record id ("direktionen-2025-10-06-3") is at most this many characters
 * of a-z, 0-9 and '-': URL-safe, and within KS_MAX_TERM_BYTES as its Q
 * term, so that no two ids are cut to one term.  The indexer makes a long
 * file name's ids fit (ks_name_slug()); the server answers any longer id
 * 404 without looking it up. */
#define KS_MAX_ID_BYTES 200

/* The TermGenerator skips words longer than this (bytes), so a run of
 * characters without spaces never becomes one huge term. */
#define KS_MAX_WORD_BYTES 64

/* Every record is in one of KS_SAMPLES samples, 0 to KS_SAMPLES - 1: its
 * term is KS_PREFIX_SAMPLE + the number ("XSMP17").  A search that finds
 * more than its facets may count exactly counts them (or those of the
 * matches after the ones it counted) over a few samples instead, which are
 * spread over the whole index as the first documents of a match (the
 * oldest files) are not.  The records of a file are dealt to
 * the samples in runs of KS_SAMPLE_RUN, each run by a hash of the file's
 * XFIL term and the run's number: a file's records are written one after
 * the other, so that a run is a run of document ids, and a match that
 * checks a sample's documents reads each posting list of the query in
 * order, instead of skipping in every one of them to each document.  Runs
 * of 16 of a file's records count the facets about as well as single
 * records would (bench/RESULTS.md), and any number of writers deals them
 * alike.  A record without a file goes by a hash of its id. */
#define KS_PREFIX_SAMPLE "XSMP"
#define KS_SAMPLES       64
#define KS_SAMPLE_RUN    16

/* The prefix of a synonym group's term: XSY + the group's first member,
 * its words joined by '_' ("XSYkl"). */
#define KS_PREFIX_SYNONYM "XSY"

/* Metadata keys kept in the database.
 *
 * A file is known by its root (a folder a PATH was found in: "root:N" holds
 * the folder's absolute path as last seen, so that an archive moved or
 * renamed is recognised under its new path) and its path below the root:
 * "file:N:2025/referat.txt" holds "SIZE MTIME_NS HASH RECORDS PATH" (its
 * size, its modification time in nanoseconds, the FNV-1a-64 of its bytes in
 * hex, the records it gave, and the path below the root again).  A key
 * that would pass KS_MAX_METADATA_KEY_BYTES is "file:N#HASH:" with the
 * FNV-1a-64 of the path in hex and as much of the path's start as fits.
 * The XFIL term of the file's records is the FNV-1a-64 of "N:PATH". */
#define KS_META_FILE_PREFIX "file:"   /* + root + ':' + path below it -> the state */
#define KS_META_ROOT_PREFIX "root:"   /* + root number -> its absolute path */
#define KS_META_UPDATED     "updated" /* ISO 8601 time of the last change */
#define KS_META_SCHEMA      "schema"  /* KS_SCHEMA_VERSION */
#define KS_SCHEMA_VERSION   "10"
/* "split:" + a compound word -> its parts joined by spaces
 * ("split:hjemløsestrategien" -> "hjemløse strategien"): written once per
 * word into the database that holds a record with it, where a snippet
 * looks for it (the index holds the parts as stems only, without
 * positions). */
#define KS_META_SPLIT_PREFIX "split:"
/* Copies of the spelling data and of the synonym table, which Xapian's
 * remote backend does not serve (lib/remote-words.cc): a line per word,
 * "WORD\tFREQUENCY\n", and per synonym, "KEY\tTERM\n". */
#define KS_META_SPELLING  "spelling"
#define KS_META_SYNONYMS  "synonyms"

#ifdef __cplusplus
}
#endif

#endif
