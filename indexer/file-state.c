/* file-state.c — how the index knows a file, and what it stored of it
 * (see file-state.h and KS_META_FILE_PREFIX in lib/schema.h). */
#include "file-state.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "index-limits.h"
#include "schema.h"
#include "text.h"

/* ---- a file ---------------------------------------------------------------- */

int ks_file_id_set(ks_file_id *f, unsigned root, const char *rel)
{
	size_t rel_len = strlen(rel);
	char *copy = strdup(rel);
	/* "file:" "ROOT:" REL: the key when it fits, and what the tag hashes */
	char *key = malloc(sizeof KS_META_FILE_PREFIX + 16 + 17 + rel_len);
	if (!copy || !key) {
		free(copy);
		free(key);
		return -1;
	}
	int prefix = (int)strlen(KS_META_FILE_PREFIX);
	int len = sprintf(key, "%s%u:%s", KS_META_FILE_PREFIX, root, rel);
	/* The tag stays the same while the root's number and the path below
	 * it do: a moved archive keeps its root's number. */
	char tag[17];
	snprintf(tag, sizeof tag, "%016llx",
		 (unsigned long long)ks_hash64(key + prefix, (size_t)(len - prefix)));
	if ((size_t)len > KS_MAX_METADATA_KEY_BYTES) {
		/* A path of up to 4,095 bytes: its start, readable, and the hash
		 * of all of it.  The '#' keeps these keys apart from the others
		 * (a root's number is digits). */
		len = sprintf(key, "%s%u#%016llx:", KS_META_FILE_PREFIX, root,
			      (unsigned long long)ks_hash64(rel, rel_len));
		size_t room = KS_MAX_METADATA_KEY_BYTES - (size_t)len;
		while (room > 0 && ((unsigned char)rel[room] & 0xC0) == 0x80)
			room--; /* not in the middle of a UTF-8 sequence */
		memcpy(key + len, rel, room);
		key[(size_t)len + room] = '\0';
	}
	ks_file_id_clear(f);
	f->root = root;
	f->rel = copy;
	f->key = key;
	memcpy(f->tag, tag, sizeof f->tag);
	return 0;
}

void ks_file_id_clear(ks_file_id *f)
{
	free(f->rel);
	free(f->key);
	*f = (ks_file_id){ 0 };
}

unsigned ks_file_key_root(const char *key)
{
	size_t prefix = strlen(KS_META_FILE_PREFIX);
	if (strncmp(key, KS_META_FILE_PREFIX, prefix) != 0)
		return 0;
	char *end;
	unsigned long root = strtoul(key + prefix, &end, 10);
	return end > key + prefix && (*end == ':' || *end == '#') && root <= 0xFFFFFFFFu
		       ? (unsigned)root
		       : 0;
}

bool ks_file_state_parse(const char *value, ks_file_state *fs, const char **rel)
{
	int at = -1;
	ks_file_state got = { 0 };
	if (sscanf(value, "%lld %lld %llx %lu %n", &got.size, &got.mtime_ns, &got.hash,
		   &got.records, &at) != 4 ||
	    at < 0 || !value[at])
		return false;
	*fs = got;
	if (rel)
		*rel = value + at;
	return true;
}

char *ks_file_state_format(const ks_file_state *fs, const char *rel)
{
	size_t len = 96 + strlen(rel);
	char *v = malloc(len);
	if (v)
		snprintf(v, len, "%lld %lld %016llx %lu %s", fs->size, fs->mtime_ns, fs->hash,
			 fs->records, rel);
	return v;
}

/* ---- roots ------------------------------------------------------------------- */

bool ks_path_in(const char *path, const char *dir)
{
	size_t len = strlen(dir);
	return !strncmp(path, dir, len) && (path[len] == '\0' || path[len] == '/');
}

char *ks_root_join(const ks_root *root, const char *rel)
{
	size_t len = strlen(root->path) + strlen(rel) + 2;
	char *path = malloc(len);
	if (path)
		snprintf(path, len, "%s/%s", root->path, rel);
	return path;
}

/* "/" is kept as "", so that a path below it is "" + '/' + the rest. */
static char *root_path(const char *path)
{
	size_t len = strlen(path);
	while (len > 0 && path[len - 1] == '/')
		len--;
	return strndup(path, len);
}

static ks_root *push_root(ks_roots *roots, unsigned id, const char *path, bool stored)
{
	char *copy = root_path(path);
	ks_root *v = copy ? realloc(roots->v, (roots->n + 1) * sizeof *v) : NULL;
	if (!v) {
		free(copy);
		return NULL;
	}
	roots->v = v;
	v[roots->n] = (ks_root){ .id = id, .path = copy, .stored = stored };
	return &v[roots->n++];
}

typedef struct loading {
	ks_roots *roots;
	bool oom;
} loading;

static int load_root(const char *key, const char *value, void *arg)
{
	loading *l = arg;
	char *end;
	unsigned long id = strtoul(key + strlen(KS_META_ROOT_PREFIX), &end, 10);
	if (*end || id == 0 || id > 0xFFFFFFFFu || value[0] != '/')
		return 0; /* not ours: left alone */
	if (!push_root(l->roots, (unsigned)id, value, true)) {
		l->oom = true;
		return 1;
	}
	return 0;
}

ks_status ks_roots_load(ks_roots *roots, ks_db *db)
{
	if (!db)
		return KS_OK;
	loading l = { .roots = roots };
	ks_status rc = ks_db_each_metadata(db, KS_META_ROOT_PREFIX, load_root, &l);
	return rc ? rc : l.oom ? KS_ERR_NOMEM : KS_OK;
}

ks_root *ks_roots_find(const ks_roots *roots, const char *abs, bool file, const char **rel)
{
	ks_root *best = NULL;
	for (size_t i = 0; i < roots->n; i++) {
		ks_root *r = &roots->v[i];
		/* A root's own path is a folder: a file there now is below
		 * another. */
		if (ks_path_in(abs, r->path) && !(file && !abs[strlen(r->path)]) &&
		    (!best || strlen(r->path) > strlen(best->path)))
			best = r;
	}
	if (best && rel) {
		*rel = abs + strlen(best->path);
		while (**rel == '/')
			(*rel)++;
	}
	return best;
}

ks_root *ks_roots_get(const ks_roots *roots, unsigned id)
{
	for (size_t i = 0; i < roots->n; i++)
		if (roots->v[i].id == id)
			return &roots->v[i];
	return NULL;
}

ks_root *ks_roots_add(ks_roots *roots, const char *path)
{
	unsigned id = 0;
	for (size_t i = 0; i < roots->n; i++)
		if (roots->v[i].id > id)
			id = roots->v[i].id;
	return push_root(roots, id + 1, path, false);
}

/* How many of the files RELS[PICK[0 .. N-1]] the index DB knows below
 * root R; their indexes (in RELS) go to FOUND. */
static size_t known_below(ks_db *db, const ks_root *r, const char *const *rels, const size_t *pick,
			  size_t n, size_t *found)
{
	size_t hits = 0;
	ks_file_id f = { 0 };
	for (size_t i = 0; i < n; i++) {
		char *state = NULL;
		if (ks_file_id_set(&f, r->id, rels[pick[i]]) ||
		    ks_db_get_metadata(db, f.key, &state) != KS_OK)
			break;
		if (*state)
			found[hits++] = pick[i];
		free(state);
	}
	ks_file_id_clear(&f);
	return hits;
}

/* Gives every root in the folder FROM (FROM's own too) the same place in
 * the folder TO.  0, or -1 when out of memory. */
static int move_roots(ks_roots *roots, const char *from, const char *to)
{
	char *old = strdup(from);
	if (!old)
		return -1;
	int rc = 0;
	for (size_t i = 0; i < roots->n && !rc; i++) {
		ks_root *r = &roots->v[i];
		if (!ks_path_in(r->path, old))
			continue;
		size_t len = strlen(to) + strlen(r->path + strlen(old)) + 1;
		char *path = malloc(len);
		if (!path) {
			rc = -1;
			break;
		}
		snprintf(path, len, "%s%s", to, r->path + strlen(old));
		free(r->path);
		r->path = path;
	}
	free(old);
	return rc;
}

ks_root *ks_roots_moved(ks_roots *roots, ks_db *db, const char *abs, const char *const *rels,
			size_t n)
{
	if (!db || n == 0)
		return NULL;
	/* The files looked up, spread over all: a lookup for every file of
	 * a large folder under every root would cost more than it saves. */
	size_t sample = n < MOVED_SAMPLE_FILES ? n : MOVED_SAMPLE_FILES;
	char *dir = root_path(abs);
	size_t *pick = malloc(sample * sizeof *pick);
	size_t *found = malloc(sample * sizeof *found),
	       *best_found = malloc(sample * sizeof *found);
	for (size_t i = 0; pick && i < sample; i++)
		pick[i] = i * n / sample;
	ks_root *best = NULL;
	size_t best_hits = 0;
	for (size_t i = 0; dir && pick && found && best_found && i < roots->n; i++) {
		ks_root *r = &roots->v[i];
		/* A root that holds ABS or lies in it has not moved: its files
		 * are found below it. */
		if (!r->stored || ks_path_in(dir, r->path) || ks_path_in(r->path, dir))
			continue;
		size_t hits = known_below(db, r, rels, pick, sample, found);
		if (hits > best_hits) {
			best = r;
			best_hits = hits;
			size_t *t = best_found;
			best_found = found;
			found = t;
		}
	}
	/* At least half of the files must be known there: a name or two in
	 * common is no move. */
	if (best_hits * 2 < sample)
		best = NULL;
	/* Moved, not copied: none of the files is still where it was (the old
	 * place may still be there, an empty mount point). */
	for (size_t i = 0; best && i < best_hits; i++) {
		char *old = ks_root_join(best, rels[best_found[i]]);
		struct stat st;
		if (!old || lstat(old, &st) == 0)
			best = NULL;
		free(old);
	}
	if (best) {
		unsigned id = best->id;
		best = move_roots(roots, best->path, dir) ? NULL : ks_roots_get(roots, id);
	}
	free(pick);
	free(found);
	free(best_found);
	free(dir);
	return best;
}

ks_status ks_roots_write(const ks_roots *roots, ks_db *db)
{
	ks_status rc = KS_OK;
	for (size_t i = 0; i < roots->n && !rc; i++) {
		const ks_root *r = &roots->v[i];
		char key[sizeof KS_META_ROOT_PREFIX + 16];
		snprintf(key, sizeof key, "%s%u", KS_META_ROOT_PREFIX, r->id);
		const char *path = !r->live ? "" : r->path[0] ? r->path : "/";
		char *stored = NULL;
		if ((rc = ks_db_get_metadata(db, key, &stored)))
			break;
		/* Written only when it differs: an update that changes nothing
		 * must not make a new revision. */
		if (strcmp(stored, path) != 0)
			rc = ks_db_set_metadata(db, key, path);
		free(stored);
	}
	return rc;
}

void ks_roots_free(ks_roots *roots)
{
	for (size_t i = 0; i < roots->n; i++)
		free(roots->v[i].path);
	free(roots->v);
	*roots = (ks_roots){ 0 };
}

/* ---- the PATHs given ------------------------------------------------------------ */

bool ks_given_locate(ks_given *g, bool dir)
{
	if (dir) {
		g->dir = realpath(g->arg, NULL);
		g->abs = g->dir ? strdup(g->dir) : NULL;
		return g->abs != NULL;
	}
	/* A file is known by the name it was given, a link as the walk knows
	 * a link: its folder's real path, and its own name. */
	const char *slash = strrchr(g->arg, '/');
	const char *name = slash ? slash + 1 : g->arg;
	char *folder = slash ? strndup(g->arg, (size_t)(name - g->arg)) : strdup(".");
	g->dir = folder ? realpath(folder, NULL) : NULL;
	free(folder);
	size_t len = g->dir ? strlen(g->dir) + strlen(name) + 2 : 0;
	g->abs = g->dir ? malloc(len) : NULL;
	if (g->abs)
		snprintf(g->abs, len, "%s/%s", strcmp(g->dir, "/") ? g->dir : "", name);
	return g->abs != NULL;
}

void ks_given_clear(ks_given *g)
{
	free(g->dir);
	free(g->abs);
	g->dir = g->abs = NULL;
}

/* The path of the input found at PATH (from G) below G's folder. */
static const char *below_given(const ks_given *g, const char *path)
{
	size_t len = strlen(g->arg);
	const char *rest = !strncmp(path, g->arg, len) ? path + len : "";
	while (*rest == '/')
		rest++;
	if (!*rest) { /* a file given: its name */
		const char *slash = strrchr(path, '/');
		rest = slash ? slash + 1 : path;
	}
	return rest;
}

/* The absolute path of the input found at PATH (from G); malloc'd. */
static char *input_abs(const ks_given *g, const char *path)
{
	const char *below = below_given(g, path);
	size_t len = strlen(g->dir) + strlen(below) + 2;
	char *abs = malloc(len);
	if (abs)
		snprintf(abs, len, "%s/%s", strcmp(g->dir, "/") ? g->dir : "", below);
	return abs;
}

/* Makes sure that a root holds every input found from G: when none holds
 * G's folder, the root that moved there, or a new one.  0, or -1 when out
 * of memory. */
static int root_given(const ks_given *g, const char *const *paths, ks_roots *roots, ks_db *before)
{
	if (!g->dir || g->first == g->end || ks_roots_find(roots, g->dir, false, NULL))
		return 0;
	const char **rels = malloc((g->end - g->first) * sizeof *rels);
	if (!rels)
		return -1;
	size_t n = 0;
	int rc = 0;
	/* Those in a root inside the folder are that root's. */
	for (size_t i = g->first; i < g->end && !rc; i++) {
		char *abs = input_abs(g, paths[i]);
		if (!abs)
			rc = -1;
		else if (!ks_roots_find(roots, abs, true, NULL))
			rels[n++] = below_given(g, paths[i]);
		free(abs);
	}
	if (!rc && n && !ks_roots_moved(roots, before, g->dir, rels, n) &&
	    !ks_roots_add(roots, g->dir))
		rc = -1;
	free(rels);
	return rc;
}

int ks_files_identify(const ks_given *given, size_t n_given, const char *const *paths,
		      ks_file_id *files, ks_roots *roots, ks_db *before)
{
	for (size_t g = 0; g < n_given; g++)
		if (root_given(&given[g], paths, roots, before))
			return -1;
	for (size_t g = 0; g < n_given; g++) {
		const ks_given *G = &given[g];
		for (size_t i = G->first; i < G->end; i++) {
			char *abs = input_abs(G, paths[i]);
			const char *rel = NULL;
			ks_root *root = abs ? ks_roots_find(roots, abs, true, &rel) : NULL;
			/* Every input has a root now (root_given()). */
			int rc = root ? ks_file_id_set(&files[i], root->id, rel) : -1;
			free(abs);
			if (rc)
				return -1;
			root->live = true;
		}
	}
	return 0;
}

/* ---- the files of an index ----------------------------------------------------- */

typedef struct stored_pair {
	char *key, *value;
} stored_pair;

typedef struct collected {
	stored_pair *v;
	size_t n, cap;
	bool oom;
} collected;

static int collect_state(const char *key, const char *value, void *arg)
{
	collected *c = arg;
	stored_pair *v = ks_grow(c->v, &c->cap, c->n + 1, sizeof *v, 256);
	if (!v) {
		c->oom = true;
		return 1;
	}
	c->v = v;
	stored_pair p = { strdup(key), strdup(value) };
	if (!p.key || !p.value) {
		free(p.key);
		free(p.value);
		c->oom = true;
		return 1;
	}
	c->v[c->n++] = p;
	return 0;
}

static int cmp_pair(const void *a, const void *b)
{
	return strcmp(((const stored_pair *)a)->key, ((const stored_pair *)b)->key);
}

static int cmp_key(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int push_stored(ks_stored_files *files, unsigned root, const char *rel,
		       unsigned long records)
{
	ks_stored_file *v = realloc(files->v, (files->n + 1) * sizeof *v);
	if (!v)
		return -1;
	files->v = v;
	v[files->n] = (ks_stored_file){ .records = records };
	if (ks_file_id_set(&v[files->n].id, root, rel))
		return -1;
	files->n++;
	return 0;
}

ks_status ks_stored_sort(ks_db *const *dbs, size_t n_dbs, const char **found, size_t n_found,
			 const ks_given *given, size_t n_given, ks_roots *roots,
			 ks_stored_files *gone, ks_stored_files *other, ks_db **failed)
{
	if (n_found)
		qsort(found, n_found, sizeof *found, cmp_key);
	/* Every shard holds the state of every file; a file any of them
	 * holds is one the index has records of. */
	collected c = { 0 };
	ks_status rc = KS_OK;
	for (size_t k = 0; k < n_dbs && !rc; k++) {
		*failed = dbs[k];
		rc = ks_db_each_metadata(dbs[k], KS_META_FILE_PREFIX, collect_state, &c);
	}
	if (!rc && c.oom)
		rc = KS_ERR_NOMEM;
	/* By key, so that a file the shards share comes up once. */
	if (!rc && c.n)
		qsort(c.v, c.n, sizeof *c.v, cmp_pair);
	for (size_t i = 0; !rc && i < c.n; i++) {
		const char *key = c.v[i].key;
		if ((i > 0 && !strcmp(key, c.v[i - 1].key)) ||
		    bsearch(&key, found, n_found, sizeof *found, cmp_key))
			continue;
		ks_file_state fs;
		const char *rel;
		unsigned id = ks_file_key_root(key);
		ks_root *root = ks_roots_get(roots, id);
		if (!root || !ks_file_state_parse(c.v[i].value, &fs, &rel))
			continue;
		char *abs = ks_root_join(root, rel);
		if (!abs) {
			rc = KS_ERR_NOMEM;
			break;
		}
		bool in_scope = false;
		for (size_t g = 0; g < n_given && !in_scope; g++)
			in_scope = given[g].abs && ks_path_in(abs, given[g].abs);
		free(abs);
		if (push_stored(in_scope ? gone : other, id, rel, fs.records))
			rc = KS_ERR_NOMEM;
		root->live |= !in_scope;
	}
	for (size_t i = 0; i < c.n; i++) {
		free(c.v[i].key);
		free(c.v[i].value);
	}
	free(c.v);
	return rc;
}

void ks_stored_files_clear(ks_stored_files *files)
{
	for (size_t i = 0; i < files->n; i++)
		ks_file_id_clear(&files->v[i].id);
	free(files->v);
	*files = (ks_stored_files){ 0 };
}
