/* source-url.c — the link to a record's original document (--source-url
 * DIR=URL): the file the record was read from, found through the index,
 * and the URL of the deepest folder DIR that holds it.
 *
 * A record names its file only by its XFIL term, the FNV-1a-64 of
 * "ROOT:PATH" (lib/schema.h, KS_META_FILE_PREFIX): ROOT the number of the
 * folder the indexer was given, PATH the file's path below it.  The
 * metadata "file:ROOT:PATH" holds the state of each file with PATH again,
 * and "root:ROOT" the folder's absolute path on the indexer's machine, so
 * the file is the one whose ROOT and PATH hash to the record's term.  The
 * index does not keep the other way round, so the file states are looked
 * through, once per item page, and only when --source-url is given. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server.h"

static const char file_mark[] = "{file}";

const char *ks_source_url_read(const char *arg, ks_source_url *out)
{
	const char *eq = strchr(arg, '=');
	if (!eq || arg[0] != '/')
		return "must be DIR=URL with an absolute folder DIR";
	const char *url = eq + 1;
	const char *mark = strstr(url, file_mark);
	if (!mark || strstr(mark + 1, file_mark))
		return "URL must hold {file} once, where the file's path below DIR goes";
	if (strncmp(url, "https://", 8) && strncmp(url, "http://", 7) && url[0] != '/')
		return "URL must begin with https://, http:// or /";
	char *dir = strndup(arg, (size_t)(eq - arg));
	if (!dir)
		return "out of memory";
	/* The indexer keeps a folder's real path: a link in DIR is followed
	 * when it can be here (the server may run where the documents are
	 * not, and then DIR is taken as written). */
	char real[PATH_MAX];
	if (realpath(dir, real)) {
		free(dir);
		dir = strdup(real);
		if (!dir)
			return "out of memory";
	}
	size_t n = strlen(dir);
	while (n > 0 && dir[n - 1] == '/')
		dir[--n] = '\0';
	out->dir = dir;
	out->url = url;
	return NULL;
}

/* The record's XFIL term, as the metadata's files are looked for. */
typedef struct file_search {
	const char *prefix; /* XFIL */
	char tag[17];       /* the record's term without its prefix */
	unsigned root;      /* the file found: its root */
	char *rel;          /* and its path below it, malloc'd; NULL when none */
	bool oom;
} file_search;

static int find_tag(const char *term, void *arg)
{
	file_search *f = arg;
	size_t n = strlen(f->prefix);
	if (strncmp(term, f->prefix, n) || strlen(term + n) >= sizeof f->tag)
		return 0;
	strcpy(f->tag, term + n);
	return 1;
}

/* One file state, "file:ROOT:PATH" (or "file:ROOT#HASH:START" for a long
 * PATH) = "SIZE MTIME HASH RECORDS PATH": whether its ROOT and PATH hash to
 * the tag looked for. */
static int find_file(const char *key, const char *value, void *arg)
{
	file_search *f = arg;
	char *end;
	unsigned long root = strtoul(key + strlen(KS_META_FILE_PREFIX), &end, 10);
	if ((*end != ':' && *end != '#') || root > 0xFFFFFFFFu)
		return 0;
	const char *rel = value;
	for (int field = 0; field < 4 && rel; field++)
		rel = (rel = strchr(rel, ' ')) ? rel + 1 : NULL;
	if (!rel || !*rel)
		return 0;
	char head[16];
	int hn = snprintf(head, sizeof head, "%lu:", root);
	ks_sb hashed = { 0 };
	ks_sb_append(&hashed, head, (size_t)hn);
	ks_sb_puts(&hashed, rel);
	char tag[17] = "";
	if (!hashed.oom)
		snprintf(tag, sizeof tag, "%016llx",
			 (unsigned long long)ks_hash64(hashed.s, hashed.n));
	ks_sb_free(&hashed);
	if (strcmp(tag, f->tag))
		return 0;
	f->root = (unsigned)root;
	f->rel = strdup(rel);
	f->oom = !f->rel;
	return 1;
}

/* URL with {file} replaced by REST, whose bytes but the unreserved ones and
 * '/' are percent-encoded. */
static char *fill_template(const char *url, const char *rest)
{
	ks_sb sb = { 0 };
	const char *mark = strstr(url, file_mark);
	ks_sb_append(&sb, url, (size_t)(mark - url));
	for (const unsigned char *p = (const unsigned char *)rest; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~/", *p)) {
			ks_sb_append(&sb, (const char *)p, 1);
		} else {
			char hex[4];
			snprintf(hex, sizeof hex, "%%%02X", *p);
			ks_sb_puts(&sb, hex);
		}
	}
	ks_sb_puts(&sb, mark + sizeof file_mark - 1);
	return ks_sb_take(&sb);
}

/* The --source-url whose folder is the deepest to hold the file at ABS,
 * and in *REST the file's path below it; NULL when none holds it. */
static const ks_source_url *mapping_of(const ks_server *s, const char *abs, const char **rest)
{
	const ks_source_url *best = NULL;
	size_t best_n = 0;
	for (size_t i = 0; i < s->n_source_urls; i++) {
		const ks_source_url *m = &s->source_urls[i];
		size_t n = strlen(m->dir);
		if (!strncmp(abs, m->dir, n) && abs[n] == '/' && abs[n + 1] &&
		    (!best || n > best_n)) {
			best = m;
			best_n = n;
		}
	}
	if (best)
		*rest = abs + best_n + 1;
	return best;
}

ks_status ks_source_url_of(ks_request *req, const char *id, char **out)
{
	*out = NULL;
	if (req->server->n_source_urls == 0)
		return KS_OK;
	file_search f = { .prefix = ks_fields[KS_FIELD_FILE].prefix };
	ks_status st = ks_db_each_term(req->db, id, find_tag, &f);
	if (st || !f.tag[0])
		return st == KS_ERR_NOT_FOUND ? KS_OK : st;
	if ((st = ks_db_each_metadata(req->db, KS_META_FILE_PREFIX, find_file, &f)) || !f.rel) {
		free(f.rel);
		return st ? st : f.oom ? KS_ERR_NOMEM : KS_OK;
	}
	char key[sizeof KS_META_ROOT_PREFIX + 16];
	snprintf(key, sizeof key, "%s%u", KS_META_ROOT_PREFIX, f.root);
	char *root = NULL;
	if ((st = ks_db_get_metadata(req->db, key, &root))) {
		free(f.rel);
		return st;
	}
	/* A root's path has no '/' at its end; "" is / itself. */
	ks_sb abs = { 0 };
	ks_sb_puts(&abs, root);
	ks_sb_puts(&abs, "/");
	ks_sb_puts(&abs, f.rel);
	free(root);
	free(f.rel);
	char *path = ks_sb_take(&abs);
	if (!path)
		return KS_ERR_NOMEM;
	const char *rest;
	const ks_source_url *m = mapping_of(req->server, path, &rest);
	if (m && !(*out = fill_template(m->url, rest)))
		st = KS_ERR_NOMEM;
	free(path);
	return st;
}
