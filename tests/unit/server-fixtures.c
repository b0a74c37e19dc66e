/* server-fixtures.c — see server-fixtures.h. */
#include <dirent.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "conn-stub.h"
#include "index.h"
#include "parse.h"
#include "reader.h"
#include "server-fixtures.h"

ks_server test_server;

static char tmpdir[] = "/tmp/ks-test-server-XXXXXX";
static char db_path[256];
static const char *dbs[1] = { db_path };

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

/* The file NAME of DIR parsed and indexed into DB; false when it failed. */
static bool index_file(ks_db *db, const char *dir, const char *name)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "rb");
	if (!f)
		return false;
	static char buf[1 << 20];
	size_t len = fread(buf, 1, sizeof buf, f);
	fclose(f);
	ks_document doc;
	ks_parse_error err;
	if (ks_parse(buf, len, name, &doc, &err)) {
		fprintf(stderr, "%s:%d: %s\n", name, err.line, err.message);
		return false;
	}
	bool ok = true;
	for (size_t i = 0; ok && i < doc.n_records; i++)
		ok = ks_index_record_into(db, db, &doc.records[i], "0000000000000001") == KS_OK;
	ks_document_clear(&doc);
	return ok;
}

bool server_start(const char *corpus, const char *web)
{
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return false;
	}
	snprintf(db_path, sizeof db_path, "%s/index", tmpdir);
	ks_db *db = NULL;
	if (ks_db_open_write(db_path, KS_OPEN_FRESH, &db, NULL))
		return false;
	struct dirent **names;
	int n = scandir(corpus, &names, NULL, alphasort);
	bool ok = n > 0;
	for (int i = 0; i < n; i++) {
		if (ok && names[i]->d_name[0] != '.')
			ok = index_file(db, corpus, names[i]->d_name);
		free(names[i]);
	}
	if (n >= 0)
		free(names);
	ok = ok && !ks_db_set_metadata(db, KS_META_UPDATED, "2025-11-20T08:00:00Z") &&
	     !ks_db_flush(db);
	ks_db_close(db);
	if (!ok) {
		fprintf(stderr, "server-fixtures: cannot index %s\n", corpus);
		return false;
	}
	test_server.dbs = dbs;
	test_server.n_dbs = 1;
	if (!(test_server.web = realpath(web, NULL))) {
		perror(web);
		return false;
	}
	atomic_init(&test_server.generation, 0);
	const char *why = NULL;
	if (ks_readers_init() || !ks_reader_get(&test_server, &why)) {
		fprintf(stderr, "server-fixtures: cannot open %s: %s\n", db_path, why ? why : "?");
		return false;
	}
	return true;
}

void server_stop(void)
{
	ks_reader_forget();
	free(test_server.web);
	test_server.web = NULL;
	nftw(tmpdir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* The file of an export, read back whole and NUL-terminated. */
static char *read_back(int fd)
{
	ks_sb sb = { 0 };
	char buf[4096];
	ssize_t n;
	for (off_t at = 0; (n = pread(fd, buf, sizeof buf, at)) > 0; at += n)
		ks_sb_append(&sb, buf, (size_t)n);
	return ks_sb_take(&sb);
}

answer *ask(const char *method, const char *target)
{
	answer *a = calloc(1, sizeof *a);
	if (!a || !(a->target = strdup(target)) || !(a->copy = strdup(target)))
		abort();
	a->req = (ks_request){ .server = &test_server, .uri = a->target, .fd = -1 };
	a->req.path = conn_stub_target(a->copy);
	const char *rest = NULL;
	if (!ks_request_refused(&a->req, method, "HTTP/1.1") && !ks_request_check(&a->req, &rest))
		ks_request_answer(&a->req, rest);
	if (a->req.fd >= 0 && !a->req.cacheable)
		a->body = read_back(a->req.fd);
	else
		a->body = strdup(a->req.body.s ? a->req.body.s : "");
	if (a->req.content_type && !strncmp(a->req.content_type, "application/json", 16))
		a->json = cJSON_Parse(a->body);
	return a;
}

void answer_free(answer *a)
{
	if (!a)
		return;
	if (a->req.export_slot)
		ks_export_release(&a->req);
	if (a->req.fd >= 0)
		close(a->req.fd);
	ks_sb_free(&a->req.body);
	cJSON_Delete(a->json);
	free(a->body);
	free(a->target);
	free(a->copy);
	free(a);
}

const char *error_message(const answer *a)
{
	cJSON *error = cJSON_GetObjectItemCaseSensitive(a->json, "error");
	return ks_record_str(error, "message");
}
