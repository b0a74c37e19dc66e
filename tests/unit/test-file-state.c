/* test-file-state.c — how the index knows a file (indexer/file-state.c):
 * the keys of file states within Xapian's limit for every path Linux
 * allows, the states as stored, roots found and recognised after a move,
 * and the files an index holds sorted into gone and kept.
 *
 *   test-file-state
 */
#include <ftw.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "file-state.h"
#include "text.h"

static char tmpdir[] = "/tmp/ks-test-file-state-XXXXXX";

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

static void test_keys(void)
{
	ks_file_id f = { 0 };
	CHECK(ks_file_id_set(&f, 1, "2025/referat.txt") == 0);
	CHECK_STR(f.key, "file:1:2025/referat.txt");
	CHECK_STR(f.rel, "2025/referat.txt");
	char tag[17];
	snprintf(tag, sizeof tag, "%016llx",
		 (unsigned long long)ks_hash64("1:2025/referat.txt", 18));
	CHECK_STR(f.tag, tag);
	CHECK(ks_file_key_root(f.key) == 1);

	/* A path of 4,000 bytes (folders of 250): a key within the limit,
	 * its start readable, two paths that differ only at the end apart,
	 * and never cut inside a UTF-8 sequence. */
	char a[4001], b[4001];
	for (size_t i = 0; i < 4000; i++)
		a[i] = i % 251 == 250 ? '/' : 'd';
	a[4000] = '\0';
	memcpy(b, a, sizeof b);
	b[3999] = 'e';
	ks_file_id g = { 0 };
	CHECK(ks_file_id_set(&f, 12, a) == 0 && ks_file_id_set(&g, 12, b) == 0);
	CHECK(strlen(f.key) <= KS_MAX_METADATA_KEY_BYTES &&
	      strlen(g.key) <= KS_MAX_METADATA_KEY_BYTES);
	CHECK(!strncmp(f.key, "file:12#", 8) && strstr(f.key, ":dddddddddd"));
	CHECK(strcmp(f.key, g.key) != 0 && strcmp(f.tag, g.tag) != 0);
	CHECK(ks_file_key_root(f.key) == 12);
	CHECK(strlen(f.rel) == 4000);
	char utf8[600] = "";
	for (int i = 0; i < 250; i++)
		strcat(utf8, "\xc3\xa6");
	CHECK(ks_file_id_set(&f, 3, utf8) == 0);
	CHECK(strlen(f.key) <= KS_MAX_METADATA_KEY_BYTES && ks_utf8_valid(f.key, strlen(f.key)));
	/* The same file, the same identity: the tag of a root and path does
	 * not change from one run to the next. */
	CHECK(ks_file_id_set(&g, 3, utf8) == 0);
	CHECK_STR(g.key, f.key);
	CHECK_STR(g.tag, f.tag);
	/* Another root, another file. */
	CHECK(ks_file_id_set(&g, 4, utf8) == 0);
	CHECK(strcmp(g.key, f.key) != 0 && strcmp(g.tag, f.tag) != 0);
	ks_file_id_clear(&f);
	ks_file_id_clear(&g);

	CHECK(ks_file_key_root("file:/srv/docs/a.txt") == 0); /* schema 3 */
	CHECK(ks_file_key_root("file:7x:a") == 0);
	CHECK(ks_file_key_root("root:1") == 0);
}

static void test_states(void)
{
	ks_file_state fs = { 11026, 1796392728417612437LL, 0xfbde5dd7336b27ceULL, 11 }, got;
	char *v = ks_file_state_format(&fs, "2025/a b.txt");
	CHECK_STR(v, "11026 1796392728417612437 fbde5dd7336b27ce 11 2025/a b.txt");
	const char *rel = NULL;
	CHECK(ks_file_state_parse(v, &got, &rel));
	CHECK(got.size == fs.size && got.mtime_ns == fs.mtime_ns && got.hash == fs.hash &&
	      got.records == fs.records);
	CHECK_STR(rel, "2025/a b.txt");
	free(v);
	CHECK(!ks_file_state_parse("", &got, NULL));
	CHECK(!ks_file_state_parse("11026 17963 fbde5dd7336b27ce", &got, NULL)); /* schema 3 */
	CHECK(!ks_file_state_parse("1 2 ff 3 ", &got, NULL));                    /* no path */
}

static void test_roots(void)
{
	ks_roots roots = { 0 };
	ks_root *docs = ks_roots_add(&roots, "/srv/docs/");
	CHECK(docs && docs->id == 1);
	CHECK_STR(docs->path, "/srv/docs");
	CHECK(ks_roots_add(&roots, "/srv/docs/2025") && ks_roots_add(&roots, "/"));
	CHECK_STR(roots.v[2].path, "");
	CHECK(roots.v[2].id == 3);
	const char *rel = NULL;
	ks_root *r = ks_roots_find(&roots, "/srv/docs/2025/a.txt", true, &rel);
	CHECK(r && r->id == 2);
	CHECK_STR(rel, "a.txt");
	r = ks_roots_find(&roots, "/srv/docs/2024/a.txt", true, &rel);
	CHECK(r && r->id == 1);
	CHECK_STR(rel, "2024/a.txt");
	r = ks_roots_find(&roots, "/srv/docs-old/a.txt", true, &rel);
	CHECK(r && r->id == 3);
	CHECK_STR(rel, "srv/docs-old/a.txt");
	/* A folder is in its own root; a file there now is below the next. */
	CHECK(ks_roots_find(&roots, "/srv/docs/2025", false, NULL) == &roots.v[1]);
	CHECK(ks_roots_find(&roots, "/srv/docs/2025", true, NULL) == &roots.v[0]);
	char *joined = ks_root_join(&roots.v[2], "etc/x.txt");
	CHECK_STR(joined, "/etc/x.txt");
	free(joined);
	CHECK(ks_path_in("/a/b/c", "/a/b") && ks_path_in("/a/b", "/a/b") &&
	      !ks_path_in("/a/bc", "/a/b"));
	ks_roots_free(&roots);
}

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	CHECK(f != NULL);
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

/* Each input gets the root of the PATH it was found from and its path below
 * it, whatever form the PATH was given in; a folder inside a root and a
 * file in one are that root's. */
static void test_identify(void)
{
	char docs[256], sub[256], other[256], arg[256], paths[3][300];
	snprintf(docs, sizeof docs, "%s/docs", tmpdir);
	snprintf(sub, sizeof sub, "%s/docs/sub", tmpdir);
	snprintf(other, sizeof other, "%s/other", tmpdir);
	CHECK(mkdir(docs, 0777) == 0 && mkdir(sub, 0777) == 0 && mkdir(other, 0777) == 0);
	snprintf(arg, sizeof arg, "%s/docs/./", tmpdir); /* as a user may type it */
	snprintf(paths[0], sizeof paths[0], "%sa.txt", arg);
	snprintf(paths[1], sizeof paths[1], "%ssub/b.txt", arg);
	snprintf(paths[2], sizeof paths[2], "%s/c.txt", other);
	put(paths[0], "a");
	put(paths[1], "b");
	put(paths[2], "c");
	ks_given given[2] = { { .arg = arg, .first = 0, .end = 2 },
			      { .arg = paths[2], .first = 2, .end = 3 } };
	CHECK(ks_given_locate(&given[0], true) && ks_given_locate(&given[1], false));
	CHECK_STR(given[0].abs, docs);
	CHECK_STR(given[1].dir, other);
	char want[300];
	snprintf(want, sizeof want, "%s/c.txt", other);
	CHECK_STR(given[1].abs, want);
	ks_roots roots = { 0 };
	ks_file_id files[3] = { { 0 } };
	const char *p[] = { paths[0], paths[1], paths[2] };
	CHECK(ks_files_identify(given, 2, p, files, &roots, NULL) == 0);
	CHECK(roots.n == 2 && roots.v[0].live && roots.v[1].live);
	CHECK(files[0].root == 1 && files[1].root == 1 && files[2].root == 2);
	CHECK_STR(files[0].rel, "a.txt");
	CHECK_STR(files[1].rel, "sub/b.txt");
	CHECK_STR(files[2].rel, "c.txt");
	for (size_t i = 0; i < 3; i++)
		ks_file_id_clear(&files[i]);
	ks_given_clear(&given[0]);
	ks_given_clear(&given[1]);

	/* The folder sub/ alone, and a file in it, later: root 1's. */
	given[0] = (ks_given){ .arg = sub, .first = 0, .end = 1 };
	given[1] = (ks_given){ .arg = paths[1], .first = 1, .end = 2 };
	snprintf(paths[0], sizeof paths[0], "%s/b.txt", sub);
	const char *q[] = { paths[0], paths[1] };
	CHECK(ks_given_locate(&given[0], true) && ks_given_locate(&given[1], false));
	CHECK(ks_files_identify(given, 2, q, files, &roots, NULL) == 0);
	CHECK(roots.n == 2 && files[0].root == 1 && files[1].root == 1);
	CHECK_STR(files[0].rel, "sub/b.txt");
	CHECK_STR(files[1].rel, "sub/b.txt");
	for (size_t i = 0; i < 2; i++) {
		ks_file_id_clear(&files[i]);
		ks_given_clear(&given[i]);
	}
	ks_roots_free(&roots);
}

/* An index that knows root 1 at OLD with a.txt and sub/b.txt, and root 2 at
 * /elsewhere with a.txt. */
static ks_db *stored_index(const char *path, const char *old)
{
	ks_db *db = NULL;
	CHECK(ks_db_open_write(path, KS_OPEN_FRESH, &db, NULL) == KS_OK);
	if (!db)
		return NULL;
	CHECK(ks_db_set_metadata(db, "root:1", old) == KS_OK);
	CHECK(ks_db_set_metadata(db, "root:2", "/elsewhere") == KS_OK);
	CHECK(ks_db_set_metadata(db, "root:x", "/not/ours") == KS_OK);
	const char *files[][2] = { { "1", "a.txt" }, { "1", "sub/b.txt" }, { "2", "a.txt" } };
	for (size_t i = 0; i < 3; i++) {
		ks_file_id f = { 0 };
		ks_file_state fs = { .size = 3, .records = 2 + i };
		CHECK(ks_file_id_set(&f, (unsigned)atoi(files[i][0]), files[i][1]) == 0);
		char *v = ks_file_state_format(&fs, files[i][1]);
		CHECK(ks_db_set_metadata(db, f.key, v) == KS_OK);
		free(v);
		ks_file_id_clear(&f);
	}
	CHECK(ks_db_set_metadata(db, "file:/srv/schema-3.txt", "1 2 ff") == KS_OK);
	CHECK(ks_db_flush(db) == KS_OK);
	return db;
}

static void test_moved(void)
{
	char old[256], moved[256], path[300], index[256];
	snprintf(old, sizeof old, "%s/old", tmpdir);
	snprintf(moved, sizeof moved, "%s/moved", tmpdir);
	snprintf(index, sizeof index, "%s/index", tmpdir);
	ks_db *db = stored_index(index, old);
	if (!db)
		return;
	ks_roots roots = { 0 };
	CHECK(ks_roots_load(&roots, db) == KS_OK);
	CHECK(roots.n == 2);
	const char *rels[] = { "new.txt", "a.txt", "sub/b.txt" };

	/* Root 1 is still where it was, with a.txt: a copy, not a move. */
	CHECK(mkdir(old, 0777) == 0);
	snprintf(path, sizeof path, "%s/a.txt", old);
	put(path, "abc");
	CHECK(ks_roots_moved(&roots, db, moved, rels, 3) == NULL);
	/* Its place is empty now (a mount point): moved, but not to a folder
	 * that has a name in common with it and little else. */
	CHECK(remove(path) == 0);
	const char *few[] = { "x1.txt", "x2.txt", "x3.txt", "a.txt" };
	CHECK(ks_roots_moved(&roots, db, moved, few, 4) == NULL);
	ks_root *r = ks_roots_moved(&roots, db, moved, rels, 3);
	CHECK(r && r->id == 1);
	CHECK_STR(r ? r->path : NULL, moved);
	/* A folder below which the index knows nothing is no move. */
	const char *unknown[] = { "other.txt" };
	CHECK(ks_roots_moved(&roots, db, "/tmp/nothing-known", unknown, 1) == NULL);

	/* What the index holds that a run over MOVED did not find: sub/b.txt
	 * is gone from it; root 2's a.txt is another PATH's, and kept. */
	ks_file_id found = { 0 };
	CHECK(ks_file_id_set(&found, 1, "a.txt") == 0);
	const char *keys[] = { found.key };
	ks_given given = { .arg = moved, .dir = moved, .abs = moved };
	ks_stored_files gone = { 0 }, other = { 0 };
	ks_db *failed = NULL;
	for (size_t i = 0; i < roots.n; i++)
		roots.v[i].live = false;
	CHECK(ks_stored_sort(&db, 1, keys, 1, &given, 1, &roots, &gone, &other, &failed) == KS_OK);
	CHECK(gone.n == 1 && other.n == 1);
	if (gone.n == 1 && other.n == 1) {
		CHECK(gone.v[0].id.root == 1 && gone.v[0].records == 3);
		CHECK_STR(gone.v[0].id.rel, "sub/b.txt");
		CHECK(other.v[0].id.root == 2 && other.v[0].records == 4);
	}
	CHECK(!ks_roots_get(&roots, 1)->live && ks_roots_get(&roots, 2)->live);
	ks_stored_files_clear(&gone);
	ks_stored_files_clear(&other);
	ks_file_id_clear(&found);

	/* Written back: a live root's new path, a root no longer live
	 * removed, the metadata of others left alone. */
	ks_roots_get(&roots, 1)->live = true;
	ks_roots_get(&roots, 2)->live = false;
	CHECK(ks_roots_write(&roots, db) == KS_OK);
	char *v = NULL;
	CHECK(ks_db_get_metadata(db, "root:1", &v) == KS_OK);
	CHECK_STR(v, moved);
	free(v);
	CHECK(ks_db_get_metadata(db, "root:2", &v) == KS_OK);
	CHECK_STR(v, "");
	free(v);
	CHECK(ks_db_get_metadata(db, "root:x", &v) == KS_OK);
	CHECK_STR(v, "/not/ours");
	free(v);
	ks_roots_free(&roots);
	ks_db_close(db);
}

int main(void)
{
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	RUN(test_keys);
	RUN(test_states);
	RUN(test_roots);
	RUN(test_identify);
	RUN(test_moved);
	nftw(tmpdir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	return check_summary();
}
