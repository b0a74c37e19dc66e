/* server.h — what the parts of the HTTP server share: the server's
 * read-only configuration, the per-request state, and the helpers that
 * routes answer with. */
#ifndef KS_SERVER_H
#define KS_SERVER_H

#include <cjson/cJSON.h>
#include <microhttpd.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "escape.h"
#include "ks-xapian.h"
#include "text.h"

/* A --source-url: the folder DIR whose files' original documents are at
 * URL, with the file's path below DIR where {file} stands. */
typedef struct ks_source_url {
	char *dir;       /* absolute, without '/' at the end ("" is /); malloc'd */
	const char *url; /* the template, as given */
} ks_source_url;

/* Set up once before the daemon starts; afterwards only the atomics
 * change: GENERATION (SIGHUP bumps it, and every worker's reader reopens),
 * EXPORTS, and CANCEL at the end of a drain. */
typedef struct ks_server {
	const char *const *dbs; /* --db, as given */
	size_t n_dbs;
	char *web;                  /* the real path of --web, malloc'd */
	char *pdf_dir;              /* the real path of --pdf-dir, malloc'd; NULL without one */
	unsigned search_ms;         /* --search-timeout: a search's time limit (0: none) */
	unsigned export_slots;      /* exports at once (0: no bound) */
	ks_source_url *source_urls; /* --source-url, in the order given; malloc'd */
	size_t n_source_urls;
	/* --public-url, without a trailing '/'; NULL: links from Host. */
	const char *public_url;
	const char *contact;        /* --contact: the accessibility statement's, or NULL */
	const char *statement_date; /* --statement-date: its date YYYY-MM-DD, or NULL */
	unsigned facets_exact;      /* --facets-exact: facets exact up to this many matches */
	atomic_uint generation;
	atomic_uint exports; /* the export slots taken */
	atomic_bool cancel;  /* stop every search, refuse what is queued */
} ks_server;

/* One request, from the first call of the access handler to the queued
 * response.  Lives in the request's state of daemon.c, made when its
 * request line arrives and freed when the request is done; nothing of it
 * outlives the request but the response body, which libmicrohttpd frees. */
typedef struct ks_request {
	struct MHD_Connection *conn;
	const ks_server *server;
	const char *path;             /* decoded by libmicrohttpd */
	const char *uri;              /* the request target as sent: path and query string */
	const struct ks_route *route; /* the route it goes to */
	ks_db *db;                    /* the worker thread's own reader */

	/* The response being built. */
	unsigned status;
	const char *content_type;
	ks_sb body;
	int fd; /* a file to send instead of BODY, or -1 */
	size_t fd_size;
	bool cacheable;          /* a file of --web or --pdf-dir, which a browser may keep */
	const char *disposition; /* Content-Disposition, or NULL */
	char total_count[24];    /* X-Total-Count (a CSV export's hits), or "" */
	bool close;              /* close the connection after the response */
	char retry_after[12];    /* Retry-After (seconds), or "" */
	char location[256];      /* Location of a redirect (a case's or meeting's page), or "" */
	bool export_slot;        /* holds one of the server's export slots
				  * until its body is sent */
	/* An export's Content-Disposition, made from its search. */
	char disposition_buf[768];
} ks_request;

/* A route answers REQ, whose path matched the route and whose REST is what
 * follows the route's prefix.  It returns KS_OK when it has built a
 * response (an error response is a response), or the status of a failed
 * database call: KS_ERR_MODIFIED makes the caller reopen and run the route
 * again, any other becomes a 503. */
typedef ks_status (*ks_route_fn)(ks_request *req, const char *rest);

typedef struct ks_route {
	const char *method; /* "GET"; HEAD is answered wherever GET is */
	const char *path;   /* the whole path, or a prefix when it ends in '/' */
	ks_route_fn handler;
	bool page; /* an HTML page for people: its errors are pages too */
} ks_route;

/* The route of PATH (the last entry, the static files, when none other
 * matches); *REST receives the part after the route's prefix. */
const ks_route *ks_route_find(const char *path, const char **rest);

/* The routes, each in the file of its name (route-search.c: search and
 * feed; route-pages.c: the case and item pages; route-moede.c: the meeting
 * pages; route-static.c: the search page, the files of --web and the
 * PDFs). */
ks_status ks_route_search(ks_request *req, const char *rest);
ks_status ks_route_suggest(ks_request *req, const char *rest);
ks_status ks_route_feed(ks_request *req, const char *rest);
ks_status ks_route_api_sag(ks_request *req, const char *rest);
ks_status ks_route_api_item(ks_request *req, const char *rest);
ks_status ks_route_healthz(ks_request *req, const char *rest);
ks_status ks_route_opensearch(ks_request *req, const char *rest);
ks_status ks_route_page_sag(ks_request *req, const char *rest);
ks_status ks_route_page_item(ks_request *req, const char *rest);
ks_status ks_route_page_index(ks_request *req, const char *rest);
ks_status ks_route_page_moede(ks_request *req, const char *rest);
ks_status ks_route_static(ks_request *req, const char *rest);
ks_status ks_route_pdf(ks_request *req, const char *rest);
ks_status ks_route_page_statement(ks_request *req, const char *rest);

/* Whether CONTACT may be the accessibility statement's contact (--contact):
 * an e-mail address or an http(s) URL, at most KS_MAX_CONTACT_BYTES, without
 * blanks, quotes or angle brackets (route-statement.c). */
bool ks_contact_valid(const char *contact);

/* ---- the request as received (conn.c) ---------------------------------- */

/* The value of query parameter NAME, or NULL when absent; owned by
 * libmicrohttpd for the request.  Every parameter has been checked to be
 * valid UTF-8 without NUL before any route runs. */
const char *ks_param(ks_request *req, const char *name);

/* The value of request header NAME, or NULL. */
const char *ks_header(ks_request *req, const char *name);

/* Calls FN for each query parameter (VALUE NULL for a name without '='),
 * in order, until it returns false. */
typedef bool (*ks_param_fn)(void *cls, const char *key, size_t key_size, const char *value,
			    size_t value_size);
void ks_each_param(ks_request *req, ks_param_fn fn, void *cls);

/* The bytes of all request headers, names and values. */
size_t ks_header_bytes(ks_request *req);

/* How many times the request carries header NAME (in any case). */
unsigned ks_header_count(ks_request *req, const char *name);

/* Whether the client of REQ has closed its connection (or it broke): its
 * answer would go nowhere.  A system call; REQ's connection is suspended
 * (a search thread is answering it). */
bool ks_client_gone(ks_request *req);

/* ---- checking and answering a request (request.c) ---------------------- */

/* Whether REQ is refused before its body is read, and answers it then:
 * headers past their limit; a request that a proxy in front could read
 * otherwise (two Content-Length or two Host headers, VERSION "HTTP/1.1"
 * without Host), whose connection is then closed; METHOD not served; a body,
 * which GET and HEAD do not take. */
bool ks_request_refused(ks_request *req, const char *method, const char *version);

/* Finds REQ's route (*REST: the path after its prefix) and answers what is
 * wrong with the request itself: too long, a NUL, text that is not UTF-8.
 * Returns whether it answered. */
bool ks_request_check(ks_request *req, const char **rest);

/* Answers REQ by its route with the calling thread's reader; a search that
 * a commit of the indexer overtook is run again on the new revision.  A
 * request whose client has gone is not answered but dropped (status 499,
 * in the log only), and one taken when the server is stopping is refused
 * (503). */
void ks_request_answer(ks_request *req, const char *rest);

/* ks_query.stop for a search of REQ (a ks_request *): whether the server
 * is stopping or the client has gone. */
bool ks_request_stop(void *req);

/* Takes one of the server's export slots for REQ (until its body is sent
 * or the request is done: ks_export_release()); when all are taken, answers 503 with
 * Retry-After and returns false. */
bool ks_export_take(ks_request *req);
void ks_export_release(ks_request *req);

/* The response of an export (REQ's temporary file, which it takes): its
 * slot is given back when the last piece of the file is handed to the
 * connection, before the client has it (export-body.c). */
struct MHD_Response *ks_export_response(ks_request *req);

/* ---- answering (http.c) ------------------------------------------------ */

/* The server's address for absolute links (feeds, exports, OpenSearch):
 * --public-url when given; otherwise "http://HOST" of this request, HOST
 * from the Host header when it is a plain host name or address with an
 * optional port, otherwise "localhost", and "https" when a reverse proxy
 * says so with X-Forwarded-Proto. */
void ks_base_url(ks_request *req, char *buf, size_t size);

/* Replaces whatever a route had begun to answer with an empty response of
 * STATUS and CONTENT_TYPE (a string constant), for the route to append its
 * body to. */
void ks_reply_begin(ks_request *req, unsigned status, const char *content_type);

/* The error STATUS with a message made from FMT (English, for the API's
 * clients; at most KS_MAX_MESSAGE_BYTES, a longer one cut between two
 * characters and ending in "…", valid UTF-8 and escaped as ks_sb_put_json()
 * escapes), in the form the request asks for (http.c, wants_page()): to a
 * browser, a Danish page in the site's frame with the status, that says
 * what the message means (ks_error_text()) and echoes nothing of the
 * request; to a JSON client (a path under /api/, Accept: application/json),
 * the API's JSON error, {"error": {"status", "message", "besked"}}, "besked"
 * the page's Danish sentence. */
ks_status ks_reply_error(ks_request *req, unsigned status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The same as ks_reply_error(), under the name the routes of the pages
 * have called it by. */
ks_status ks_reply_failure(ks_request *req, unsigned status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The Danish title of error STATUS into *TITLE, and into *DANISH the
 * sentence that a person is shown for the English MESSAGE (NULL: the
 * sentence of the status): static strings, or MESSAGE itself when it is
 * written in Danish already (error-text.c). */
void ks_error_text(unsigned status, const char *message, const char **title, const char **danish);

/* An HTML error page with STATUS, in the site's frame: TITLE as heading,
 * MESSAGE below it, both escaped, and the status.  For a page's own words
 * about what its address names (route-pages.c); other errors go through
 * ks_reply_error(). */
ks_status ks_reply_error_page(ks_request *req, unsigned status, const char *title,
			      const char *message);

/* A redirect with STATUS (301, 302) to LOCATION, a path of this server
 * that the caller built (never a client's bytes): the Location header and a
 * short HTML page that links to it. */
ks_status ks_reply_redirect(ks_request *req, unsigned status, const char *location);

/* Prints JSON as the response body (200) and deletes it.  Takes JSON even
 * when it is NULL (out of memory), which becomes a 503. */
ks_status ks_reply_json(ks_request *req, cJSON *json);

/* The file PATH below ROOT (a real path) as the response, with the content
 * type of its name.  404 when it does not exist or is not a regular file,
 * and for any path that could lead out of ROOT: "..", hidden names,
 * backslashes, or a symbolic link whose target is outside. */
ks_status ks_reply_file(ks_request *req, unsigned status, const char *root, const char *path);

/* ks_reply_file() below --web. */
ks_status ks_reply_web_file(ks_request *req, unsigned status, const char *path);

/* Whether ks_reply_file() would serve PATH below ROOT. */
bool ks_file_below(const char *root, const char *path);

/* Whether a database status is one to retry after reopening. */
static inline bool ks_status_retry(ks_status st)
{
	return st == KS_ERR_MODIFIED;
}

/* Whether ID has the form of a record id: URL-safe ASCII, a-z 0-9 '-', at
 * most KS_MAX_ID_BYTES long. */
bool ks_valid_id(const char *id);

/* ---- case numbers (route-sag.c) ---------------------------------------- */

/* The case number a path names (REST of /sag/ or /api/sag/) as people
 * write and paste it: a form ks_sagsnummer_read() takes, and any number of
 * slashes after it ("25-002452/").  Whether it is one; SAG receives it
 * (KS_SAGSNUMMER_SIZE bytes). */
bool ks_case_read_path(const char *rest, char *sag);

/* The search's word about the case numbers it searched as their lettered
 * cases (ks_hits_case()): "Sag 21-046835 findes ikke; viser 21-046835K."
 * into OUT, one sentence a number; nothing when there are none. */
void ks_case_notice(const ks_hits *hits, ks_sb *out);

/* ---- records as the API shows them (public-record.c) ------------------- */

/* The record stored for a document (its JSON DATA) as the API shows it,
 * with its decision (the Beslutning section) as the field "beslutning" and
 * its meeting's page as "moede" (ks_meeting_path(); null for a budget
 * section): a closed item keeps only id, type, url, title, sagsnummer,
 * date, year, udvalg, punkt, meeting, moede, source and the closed mark;
 * everything else is null or empty.  With PDF_DIR (the real
 * path of --pdf-dir, or NULL), a record of a PDF that is in PDF_DIR gets
 * "pdf": "/pdf/FILE.pdf#page=N", the link to the page it starts on;
 * otherwise "pdf" is null.  NULL when DATA is not a JSON object (or out of
 * memory).  Caller deletes. */
cJSON *ks_record_public(const char *data, const char *pdf_dir);

/* The part of ks_record_public(DATA, NULL) that a result list shows: the
 * fields of ks_result_fields but the snippet, and "text" (a closed item's
 * is ""), read from DATA without parsing the rest of it.  NULL when DATA
 * is not a JSON object (or out of memory).  Caller deletes. */
cJSON *ks_record_listing(const char *data);

/* The fields of a search result: those the API's contract names, in its
 * order, with the decision ("beslutning") that the web page shows with each
 * result, and the year and net budget that the exports have as columns. */
#define KS_RESULT_FIELDS 13
extern const char *const ks_result_fields[KS_RESULT_FIELDS];

/* A result of the API's search made from a public record, with SNIPPET (or
 * "" when NULL).  Caller deletes. */
cJSON *ks_record_result(const cJSON *record, const char *snippet);

/* String field NAME of RECORD, or NULL when absent or not a string. */
const char *ks_record_str(const cJSON *record, const char *name);

/* ---- meetings (route-moede.c) ------------------------------------------ */

/* The address of the meeting page of UDVALG on DATE ("YYYY-MM-DD"):
 * "/moede/" + ks_slug(UDVALG) + "/" + DATE.  Malloc'd, caller frees; NULL
 * when either is NULL or empty (a budget section), or out of memory. */
char *ks_meeting_path(const char *udvalg, const char *date);

/* The agenda items before and after the public record ITEM at its meeting
 * (the same udvalg and date, the nearest punkt below and above), each as
 * {"id", "punkt", "title", "url", "lukket"}, into *PREVIOUS and *NEXT: null
 * when there is none or ITEM is no agenda item.  Caller deletes both. */
ks_status ks_meeting_neighbours(ks_request *req, const cJSON *item, cJSON **previous, cJSON **next);

/* ---- the original documents (source-url.c) ----------------------------- */

/* Reads ARG of --source-url, "DIR=URL", into *OUT (DIR malloc'd: the
 * caller frees OUT->dir; URL points into ARG).  NULL when it is one, else
 * what is wrong with it (static storage). */
const char *ks_source_url_read(const char *arg, ks_source_url *out);

/* The URL of the original document of the record with id ID, by the
 * --source-url of the deepest folder that holds its file, into *OUT
 * (malloc'd, caller frees); NULL when no --source-url holds it, the index
 * does not name its file, or there is no such record. */
ks_status ks_source_url_of(ks_request *req, const char *id, char **out);

/* ---- the <head> of a page (page-head.c) -------------------------------- */

/* What a page's <head> says of it to a link preview (Teams, SharePoint,
 * a chat's unfurl), which runs no script: every string is borrowed, and
 * escaped as it is written. */
typedef struct ks_head {
	const char *title;       /* the page's subject: <title> is it + " – Kommunesøg" */
	const char *description; /* <meta name="description">, og:description; may be NULL */
	const char *og_type;     /* "website", "article" */
	const char *path;        /* the page's address, made absolute for og:url */
	const char *feed_sag;    /* a case whose feed the page offers, or NULL */
} ks_head;

/* HEAD's elements: <title>, the description, the Open Graph properties and
 * the feed's <link rel="alternate">, one a line. */
void ks_head_write(ks_request *req, const ks_head *head, ks_sb *out);

/* Appends PAGE (LEN bytes, a whole HTML page) to OUT with its first
 * <title>…</title> replaced by HEAD (ks_head_write()'s); a page without
 * one as it is. */
void ks_page_put_head(ks_sb *out, const char *page, size_t len, const char *head);

/* Makes REQ's response an empty HTML page with STATUS, whose body the
 * caller writes into REQ->body. */
void ks_reply_html(ks_request *req, unsigned status);

/* Answers REQ with the file PATH of --web (200), its <title> replaced by
 * HEAD; a file that does not exist is the 404 of ks_reply_web_file(). */
ks_status ks_reply_page_head(ks_request *req, const char *path, const ks_head *head);

/* The description TEXT on one line (every run of blanks one space), cut at
 * a word within KS_DESCRIPTION_BYTES, "…" at the cut, into OUT. */
void ks_description_put(ks_sb *out, const char *text);

/* "17.11.2025" for DATE "2025-11-17" into OUT (11 bytes); DATE as it is
 * when it is no such date. */
void ks_date_short(const char *date, char out[11]);

#endif
