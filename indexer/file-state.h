/* file-state.h — how the index knows a file, and what it stored of it.
 *
 * A file is known by its root, a folder that a PATH given was found in,
 * and its path below that root ("2025/referat.txt"), not by its absolute
 * path: an archive moved, mounted elsewhere or renamed is the same files,
 * and is recognised as such (ks_roots_moved()), so that only what changed
 * in it is read.  The metadata keys are described in lib/schema.h
 * (KS_META_FILE_PREFIX, KS_META_ROOT_PREFIX).
 */
#ifndef KS_FILE_STATE_H
#define KS_FILE_STATE_H

#include <stdbool.h>
#include <stddef.h>

#include "ks-xapian.h"

/* ---- a file ---------------------------------------------------------------- */

/* Who a file is: its root, its path below the root, the metadata key of its
 * state and the value of its records' XFIL term.  Every string is owned. */
typedef struct ks_file_id {
	unsigned root;
	char *rel;    /* below the root, without a leading '/' */
	char *key;    /* KS_META_FILE_PREFIX ..., within KS_MAX_METADATA_KEY_BYTES */
	char tag[17]; /* hex FNV-1a-64 of "ROOT:REL" */
} ks_file_id;

/* Makes *F the file REL below root ROOT (F's earlier strings are freed).
 * 0, or -1 when out of memory. */
int ks_file_id_set(ks_file_id *f, unsigned root, const char *rel);
void ks_file_id_clear(ks_file_id *f);

/* The root number in KEY, the metadata key of a file's state; 0 when KEY
 * is no such key. */
unsigned ks_file_key_root(const char *key);

/* What the index stored of a file (KS_META_FILE_PREFIX). */
typedef struct ks_file_state {
	long long size, mtime_ns;
	unsigned long long hash; /* FNV-1a-64 of its bytes */
	unsigned long records;   /* the records it gave */
} ks_file_state;

/* Reads the stored VALUE into *FS; *REL (when REL is not NULL) points at
 * the path below the root inside VALUE.  False when VALUE is none (an
 * index of an older schema, or "" for no state). */
bool ks_file_state_parse(const char *value, ks_file_state *fs, const char **rel);

/* The value to store for FS of the file REL.  Malloc'd, caller frees; NULL
 * when out of memory. */
char *ks_file_state_format(const ks_file_state *fs, const char *rel);

/* ---- roots ------------------------------------------------------------------- */

typedef struct ks_root {
	unsigned id;
	char *path;  /* absolute, no '/' at the end: "" is / itself */
	bool stored; /* the index knew it before this run */
	bool live;   /* files of it are in the index after this run */
} ks_root;

/* The roots of an index.  A root is found by its path (a linear search:
 * an index has as many roots as folders were ever given to it, a few). */
typedef struct ks_roots {
	ks_root *v;
	size_t n;
} ks_roots;

/* Reads the roots DB holds (DB may be NULL: none).  A status of DB. */
ks_status ks_roots_load(ks_roots *roots, ks_db *db);

/* The deepest root that the absolute path ABS lies in (a FILE below it; a
 * folder below it or the root's own), and in *REL (when REL is not NULL)
 * the rest of ABS below it; NULL when ABS is in none. */
ks_root *ks_roots_find(const ks_roots *roots, const char *abs, bool file, const char **rel);

/* The root numbered ID, or NULL. */
ks_root *ks_roots_get(const ks_roots *roots, unsigned id);

/* A new root at the absolute folder PATH, numbered after every other.
 * Owned by ROOTS, valid until the next ks_roots_add(); NULL when out of
 * memory. */
ks_root *ks_roots_add(ks_roots *roots, const char *path);

/* The root that the folder ABS, given for the first time, is after a move
 * or a rename: the stored root under which DB knows most of the files
 * RELS (N paths below ABS; up to MOVED_SAMPLE_FILES of them looked up),
 * provided that it knows at least half of them and none of those is still
 * where the root was.  Its path, and the path of every root that lay in
 * it, then become ABS's.  NULL when there is none (or when out of memory,
 * which only costs the reading of files known already). */
ks_root *ks_roots_moved(ks_roots *roots, ks_db *db, const char *abs, const char *const *rels,
			size_t n);

/* Writes into DB the path of every live root where DB holds another (or
 * none), and removes the roots that are not live.  A status of DB. */
ks_status ks_roots_write(const ks_roots *roots, ks_db *db);

void ks_roots_free(ks_roots *roots);

/* ---- the PATHs given ------------------------------------------------------------ */

/* A PATH of the command line, and the inputs found from it. */
typedef struct ks_given {
	const char *arg;   /* as given */
	char *dir;         /* the absolute folder its files are found in: its
			    * own real path, or a file's folder's */
	char *abs;         /* the absolute path of what it names: DIR, or a
			    * file's DIR/NAME; NULL when it does not exist */
	size_t first, end; /* the inputs found from it, in order */
} ks_given;

/* Fills in where G (ARG), a folder (DIR) or a file, is; false (errno set)
 * when its real path cannot be known.  What it fills in is G's, freed by
 * ks_given_clear(). */
bool ks_given_locate(ks_given *g, bool dir);
void ks_given_clear(ks_given *g);

/* Gives every input found from the N_GIVEN PATHs GIVEN (input I found at
 * PATHS[I], the PATH's ARG joined with the walk) its identity FILES[I]:
 * the deepest root that holds it and its path below the root.  A folder
 * given that no root holds is a root moved there (ks_roots_moved(), by
 * what BEFORE, the index before this run, knows; NULL: nothing) or a new
 * root of ROOTS.  Every root with an input is made live.  FILES[I]'s
 * strings are then the caller's.  0, or -1 when out of memory. */
int ks_files_identify(const ks_given *given, size_t n_given, const char *const *paths,
		      ks_file_id *files, ks_roots *roots, ks_db *before);

/* ---- the files of an index ----------------------------------------------------- */

/* A file the index holds and this run did not find, and its records. */
typedef struct ks_stored_file {
	ks_file_id id;
	unsigned long records;
} ks_stored_file;

typedef struct ks_stored_files {
	ks_stored_file *v;
	size_t n;
} ks_stored_files;

/* Sorts out the files that any of the N_DBS databases DBS holds a state of
 * and that this run did not find (their keys are not among the N_FOUND
 * keys FOUND, in any order; FOUND is sorted): those in one of the N_GIVEN
 * PATHs GIVEN are GONE; the others, of roots in ROOTS, are OTHER (found
 * under a PATH of an earlier run), and make their root live.  A state of
 * an older schema is neither.  A status of the database *FAILED. */
ks_status ks_stored_sort(ks_db *const *dbs, size_t n_dbs, const char **found, size_t n_found,
			 const ks_given *given, size_t n_given, ks_roots *roots,
			 ks_stored_files *gone, ks_stored_files *other, ks_db **failed);

void ks_stored_files_clear(ks_stored_files *files);

/* The absolute path of the file REL below ROOT.  Malloc'd; NULL when out
 * of memory. */
char *ks_root_join(const ks_root *root, const char *rel);

/* Whether the absolute path PATH is the absolute path DIR or lies in it. */
bool ks_path_in(const char *path, const char *dir);

#endif
