/* http.c — building responses: JSON errors, HTML error pages, JSON bodies
 * and files from --web and --pdf-dir. */
#include "error-page.h"
#include "ks-limits.h"
#include "server.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void ks_base_url(ks_request *req, char *buf, size_t size)
{
	if (req->server->public_url) {
		snprintf(buf, size, "%s", req->server->public_url);
		return;
	}
	const char *host = ks_header(req, "Host");
	const char *proto = ks_header(req, "X-Forwarded-Proto");
	bool plain = host && *host && strlen(host) <= 255 &&
		     host[strspn(host, "abcdefghijklmnopqrstuvwxyz"
				       "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]")] == '\0';
	snprintf(buf, size, "%s://%s", proto && !strcmp(proto, "https") ? "https" : "http",
		 plain ? host : "localhost");
}

void ks_reply_begin(ks_request *req, unsigned status, const char *content_type)
{
	ks_sb_free(&req->body);
	if (req->fd >= 0)
		close(req->fd);
	req->fd = -1;
	req->disposition = NULL;
	req->total_count[0] = '\0';
	req->retry_after[0] = '\0';
	req->location[0] = '\0';
	req->cacheable = false;
	req->status = status;
	req->content_type = content_type;
}

/* Whether an error of REQ is answered as a page in the site's frame rather
 * than as the API's JSON: never under /api/, nor for a client whose Accept
 * names JSON before HTML (the pages' own scripts, through fetch); always for
 * one whose Accept names HTML (a browser navigating, even to the feed); and
 * with neither, for the pages and the files of --web, which are for people,
 * while the feed, OpenSearch, the PDFs and the health check are for
 * programs.  A request refused before it was routed (its framing, method
 * or headers: ks_request_refused()) is answered in JSON: no browser sends
 * what those refuse. */
static bool wants_page(ks_request *req)
{
	if (!req->route || !strncmp(req->path, "/api/", 5) || !strcmp(req->path, "/api"))
		return false;
	const char *accept = ks_header(req, "Accept");
	const char *json = accept ? strcasestr(accept, "application/json") : NULL;
	const char *html = accept ? strcasestr(accept, "text/html") : NULL;
	if (json && (!html || json < html))
		return false;
	if (html)
		return true;
	return req->route->page || req->route->handler == ks_route_static;
}

/* The API's JSON error: STATUS, the English MESSAGE and the Danish one. */
static void json_error(ks_request *req, unsigned status, const char *message, const char *danish)
{
	ks_reply_begin(req, status, "application/json; charset=utf-8");
	cJSON *root = cJSON_CreateObject();
	cJSON *error = cJSON_AddObjectToObject(root, "error");
	char *text = NULL;
	if (error && cJSON_AddNumberToObject(error, "status", status) &&
	    cJSON_AddStringToObject(error, "message", message) &&
	    cJSON_AddStringToObject(error, "besked", danish))
		text = cJSON_PrintUnformatted(root);
	cJSON_Delete(root);
	/* Out of memory: the same error, written by hand. */
	if (text)
		ks_sb_put_json(&req->body, text);
	else
		ks_sb_puts(&req->body, "{\"error\":{\"status\":503,\"message\":\"out of memory\","
				       "\"besked\":\"Søgningen kan ikke svare lige nu. Prøv igen "
				       "om lidt.\"}}");
	if (!text)
		req->status = MHD_HTTP_SERVICE_UNAVAILABLE;
	free(text);
}

/* The error STATUS with the message of FMT, which may quote what a client
 * sent: cut at KS_MAX_MESSAGE_BYTES between two characters, and made valid
 * UTF-8 and safe as HTML by ks_sb_put_json().  As a page, its Danish title
 * and sentence (ks_error_text(), which quote nothing); as JSON, the message
 * with the Danish sentence beside it. */
static void reply_error(ks_request *req, unsigned status, const char *fmt, va_list ap)
{
	char message[KS_MAX_MESSAGE_BYTES + 1];
	int n = vsnprintf(message, sizeof message, fmt, ap);
	if (n < 0)
		message[0] = '\0';
	else if ((size_t)n >= sizeof message)
		strcpy(message + ks_utf8_cut(message, sizeof message - sizeof "…"), "…");

	const char *title, *danish;
	ks_error_text(status, message, &title, &danish);
	if (wants_page(req)) {
		ks_reply_error_page(req, status, title, danish);
		return;
	}
	json_error(req, status, message, danish);
}

ks_status ks_reply_error(ks_request *req, unsigned status, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	reply_error(req, status, fmt, ap);
	va_end(ap);
	return KS_OK;
}

ks_status ks_reply_failure(ks_request *req, unsigned status, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	reply_error(req, status, fmt, ap);
	va_end(ap);
	return KS_OK;
}

/* The page is ks_error_page: web/error.html in the frame of every page of
 * web/, put together at build time by web/assemble.py. */
ks_status ks_reply_error_page(ks_request *req, unsigned status, const char *title,
			      const char *message)
{
	if (!wants_page(req)) {
		/* A page's route asked by a JSON client: the page's words,
		 * with the English of its status. */
		static const char *const english[] = { "the address is not valid", "no such page" };
		json_error(req, status,
			   status == 400   ? english[0]
			   : status == 404 ? english[1]
					   : "error",
			   message);
		return KS_OK;
	}
	ks_reply_begin(req, status, "text/html; charset=utf-8");
	char code[16];
	snprintf(code, sizeof code, "%u", status);
	static const char *const marks[] = { "@TITLE@", "@MESSAGE@", "@STATUS@" };
	const char *values[] = { title, message, code };
	const char *p = ks_error_page;
	for (;;) {
		const char *at = NULL;
		size_t which = 0;
		for (size_t i = 0; i < sizeof marks / sizeof *marks; i++) {
			const char *m = strstr(p, marks[i]);
			if (m && (!at || m < at)) {
				at = m;
				which = i;
			}
		}
		if (!at)
			break;
		ks_sb_append(&req->body, p, (size_t)(at - p));
		ks_sb_escape_xml(&req->body, values[which]);
		p = at + strlen(marks[which]);
	}
	ks_sb_puts(&req->body, p);
	return KS_OK;
}

ks_status ks_reply_redirect(ks_request *req, unsigned status, const char *location)
{
	ks_reply_begin(req, status, "text/html; charset=utf-8");
	snprintf(req->location, sizeof req->location, "%s", location);
	ks_sb_puts(&req->body, "<!doctype html>\n<html lang=\"da\">\n<meta charset=\"utf-8\">\n"
			       "<title>Flyttet</title>\n<p>Siden er på <a href=\"");
	ks_sb_escape_xml(&req->body, req->location);
	ks_sb_puts(&req->body, "\">");
	ks_sb_escape_xml(&req->body, req->location);
	ks_sb_puts(&req->body, "</a>.</p>\n");
	return KS_OK;
}

ks_status ks_reply_json(ks_request *req, cJSON *json)
{
	char *text = json ? cJSON_PrintUnformatted(json) : NULL;
	cJSON_Delete(json);
	if (!text)
		return ks_reply_error(req, MHD_HTTP_SERVICE_UNAVAILABLE, "out of memory");
	ks_reply_begin(req, MHD_HTTP_OK, "application/json; charset=utf-8");
	ks_sb_put_json(&req->body, text);
	free(text);
	return KS_OK;
}

static const struct {
	const char *ext, *type;
} content_types[] = {
	{ ".html", "text/html; charset=utf-8" },
	{ ".css", "text/css; charset=utf-8" },
	{ ".js", "text/javascript; charset=utf-8" },
	{ ".json", "application/json; charset=utf-8" },
	{ ".svg", "image/svg+xml" },
	{ ".png", "image/png" },
	{ ".ico", "image/x-icon" },
	{ ".xml", "application/xml; charset=utf-8" },
	{ ".txt", "text/plain; charset=utf-8" },
	{ ".woff2", "font/woff2" },
	{ ".pdf", "application/pdf" },
};

static const char *content_type_of(const char *path)
{
	const char *dot = strrchr(path, '.');
	if (dot && !strchr(dot, '/'))
		for (size_t i = 0; i < sizeof content_types / sizeof *content_types; i++)
			if (!strcmp(dot, content_types[i].ext))
				return content_types[i].type;
	return "application/octet-stream";
}

/* Whether the relative path REL may be looked up below a directory of
 * files (--web, --pdf-dir): no empty, ".", ".." or hidden segment, no
 * backslash (which some clients treat as '/').  Symbolic links are checked
 * after resolving, in open_below(). */
static bool safe_relative(const char *rel)
{
	if (!*rel || strchr(rel, '\\'))
		return false;
	for (const char *seg = rel; *seg;) {
		size_t n = strcspn(seg, "/");
		if (n == 0 || seg[0] == '.')
			return false;
		seg += n;
		if (*seg == '/')
			seg++;
		else
			break;
	}
	return rel[strlen(rel) - 1] != '/';
}

/* The path is not echoed: it may be anything a client made up. */
static ks_status not_found(ks_request *req)
{
	return ks_reply_failure(req, MHD_HTTP_NOT_FOUND, "no such file");
}

/* Opens the regular file PATH below ROOT (a real path) for reading, with
 * its real path in REAL and its size in *SIZE; -1 when PATH is not safe,
 * leads out of ROOT or is no regular file. */
static int open_below(const char *root, const char *path, char real[PATH_MAX], size_t *size)
{
	const char *rel = path[0] == '/' ? path + 1 : path;
	char joined[PATH_MAX];
	if (!safe_relative(rel) ||
	    snprintf(joined, sizeof joined, "%s/%s", root, rel) >= (int)sizeof joined)
		return -1;
	/* A symbolic link inside ROOT may point anywhere: what counts is
	 * where the path really leads. */
	size_t rlen = strlen(root);
	if (!realpath(joined, real) || strncmp(real, root, rlen) != 0 || real[rlen] != '/')
		return -1;
	/* Without O_NONBLOCK, opening a FIFO waits for a writer, for ever;
	 * with it, the open returns and fstat() tells it from a file.  (On a
	 * regular file O_NONBLOCK changes nothing.) */
	int fd = open(real, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	*size = (size_t)st.st_size;
	return fd;
}

bool ks_file_below(const char *root, const char *path)
{
	char real[PATH_MAX];
	size_t size;
	int fd = open_below(root, path, real, &size);
	if (fd < 0)
		return false;
	close(fd);
	return true;
}

ks_status ks_reply_file(ks_request *req, unsigned status, const char *root, const char *path)
{
	char real[PATH_MAX];
	size_t size;
	int fd = open_below(root, path, real, &size);
	if (fd < 0)
		return not_found(req);
	ks_reply_begin(req, status, content_type_of(real));
	req->fd = fd;
	req->fd_size = size;
	req->cacheable = true;
	return KS_OK;
}

ks_status ks_reply_web_file(ks_request *req, unsigned status, const char *path)
{
	return ks_reply_file(req, status, req->server->web, path);
}
