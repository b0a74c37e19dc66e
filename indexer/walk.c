/* walk.c — the inputs of a run: the PATHs given, the folders walked (in
 * name order, hidden files skipped), which files are read, a file reached
 * twice read once, and how the index knows each (file-state.c). */
#include "kommunesoeg-index.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static bool wanted_name(const char *name)
{
	const char *dot = strrchr(name, '.');
	return dot &&
	       (!strcasecmp(dot, ".txt") || !strcasecmp(dot, ".md") || !strcasecmp(dot, ".pdf"));
}

/* Adds the file PATH, whose realpath is ABSPATH (taken; NULL: worked out
 * here), to IN, unless it is there already under another name (the same
 * realpath) or does not resolve. */
static void add_resolved(inputs *in, const char *path, char *abspath)
{
	if (!abspath)
		abspath = realpath(path, NULL);
	if (!abspath)
		return;
	if (idset_has(abspath, in->seen)) {
		free(abspath);
		return;
	}
	idset_add(in->seen, abspath);
	if (in->n == in->cap) {
		in->cap = in->cap ? in->cap * 2 : 64;
		in->v = xrealloc_or_die(in->v, in->cap * sizeof *in->v);
	}
	input *x = &in->v[in->n++];
	x->path = xstrdup(path);
	x->abspath = abspath;
	x->file = (ks_file_id){ 0 };
	x->failed = NULL;
}

void add_input(inputs *in, const char *path)
{
	add_resolved(in, path, NULL);
}

/* DIR/NAME, with one slash between them. */
static char *join(const char *dir, const char *name)
{
	size_t len = strlen(dir) + strlen(name) + 2;
	char *path = xrealloc_or_die(NULL, len);
	snprintf(path, len, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", name);
	return path;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Adds the .txt, .md and .pdf files under DIR, in name order so that every run
 * sees them in the same order; hidden files and directories are skipped.
 * REAL is DIR's realpath (or NULL): the realpath of an entry that is no
 * symbolic link is REAL/NAME, which spares realpath() its walk of every
 * folder above it for each file.  Returns how many it named on stderr as
 * failed: a directory it cannot read, and a file of such a name that is
 * not a regular file (a FIFO, a socket, a device), which is never opened. */
static int walk(inputs *in, const char *dir, const char *real, int depth)
{
	if (depth > 64) {
		fprintf(stderr, "%s: directories nested too deep\n", dir);
		return 1;
	}
	DIR *d = opendir(dir);
	if (!d) {
		fprintf(stderr, "%s: %s\n", dir, strerror(errno));
		return 1;
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			names = xrealloc_or_die(names, cap * sizeof *names);
		}
		names[n++] = xstrdup(e->d_name);
	}
	closedir(d);
	if (n) /* an empty folder has no array to sort */
		qsort(names, n, sizeof *names, cmp_names);
	int failed = 0;
	for (size_t i = 0; i < n; i++) {
		char *path = join(dir, names[i]);
		/* A symbolic link to a file is followed, one to a directory
		 * is not: it could lead in a circle. */
		struct stat st, lst;
		bool ok = lstat(path, &lst) == 0 && stat(path, &st) == 0;
		bool link = ok && S_ISLNK(lst.st_mode);
		if (ok && S_ISDIR(st.st_mode) && !link) {
			char *sub = real ? join(real, names[i]) : NULL;
			failed += walk(in, path, sub, depth + 1);
			free(sub);
		} else if (ok && S_ISREG(st.st_mode) && wanted_name(names[i])) {
			add_resolved(in, path, real && !link ? join(real, names[i]) : NULL);
		} else if (ok && !S_ISDIR(st.st_mode) && wanted_name(names[i])) {
			fprintf(stderr, "%s: %s\n", path, read_error(ENOTREGULAR));
			failed++;
		}
		free(path);
		free(names[i]);
	}
	free(names);
	return failed;
}

void free_inputs(inputs *in)
{
	for (size_t i = 0; i < in->n; i++) {
		free(in->v[i].path);
		free(in->v[i].abspath);
		ks_file_id_clear(&in->v[i].file);
		free(in->v[i].failed);
	}
	free(in->v);
	idset_free(in->seen);
}

/* Adds the inputs found from the N_GIVEN PATHs GIVEN to IN, and each
 * PATH's place and its inputs' range to GV (N_GIVEN of them).  Returns how
 * many it named on stderr as failed. */
size_t find_inputs(inputs *in, char *const *given, size_t n_given, ks_given *gv)
{
	size_t failed = 0;
	for (size_t i = 0; i < n_given; i++) {
		struct stat st;
		ks_given *g = &gv[i];
		*g = (ks_given){ .arg = given[i], .first = in->n };
		if (stat(given[i], &st) != 0 || !ks_given_locate(g, S_ISDIR(st.st_mode))) {
			fprintf(stderr, "%s: %s\n", given[i], strerror(errno));
			failed++;
		} else if (S_ISDIR(st.st_mode)) {
			char *real = realpath(given[i], NULL);
			failed += (size_t)walk(in, given[i], real, 0);
			free(real);
		} else if (!S_ISREG(st.st_mode)) {
			/* A FIFO would hold the run until someone writes to it. */
			fprintf(stderr, "%s: %s\n", given[i], read_error(ENOTREGULAR));
			failed++;
		} else {
			add_input(in, given[i]);
		}
		g->end = in->n;
	}
	return failed;
}

/* Gives every input (found from the PATHs GV) its identity, under ROOTS;
 * BEFORE is the index before this run, or NULL (see ks_files_identify()). */
void identify_inputs(inputs *in, const ks_given *gv, size_t n_given, ks_roots *roots, ks_db *before)
{
	const char **paths = xrealloc_or_die(NULL, (in->n ? in->n : 1) * sizeof *paths);
	ks_file_id *files = calloc(in->n ? in->n : 1, sizeof *files);
	if (!files)
		out_of_memory();
	for (size_t i = 0; i < in->n; i++)
		paths[i] = in->v[i].path;
	if (ks_files_identify(gv, n_given, paths, files, roots, before))
		out_of_memory();
	for (size_t i = 0; i < in->n; i++)
		in->v[i].file = files[i]; /* its strings now the input's */
	free(files);
	free(paths);
}

/* A new index holds the files of PATHs given to earlier runs too (OTHER):
 * adds those that are still there to the inputs, and says which are not. */
void carry_other(const options *o, inputs *in, const ks_roots *roots, const ks_stored_files *other,
		 stats *s)
{
	for (size_t i = 0; i < other->n; i++) {
		const ks_file_id *f = &other->v[i].id;
		char *path = ks_root_join(ks_roots_get(roots, f->root), f->rel);
		struct stat st;
		if (!path)
			out_of_memory();
		if (stat(path, &st) != 0) {
			if (!o->quiet)
				fprintf(stderr,
					"%s: %s: %s: its records are not in the new index\n", prog,
					path, strerror(errno));
			s->removed++;
		} else {
			size_t before = in->n;
			add_input(in, path);
			if (in->n > before && ks_file_id_set(&in->v[before].file, f->root, f->rel))
				out_of_memory();
		}
		free(path);
	}
}
