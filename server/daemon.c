/* daemon.c — libmicrohttpd's callbacks: a request's state from its first
 * line to its end, its checks on the network thread, its hand-over to a
 * search thread and back, the headers of every response, and the access
 * log (see daemon.h). */
#include "daemon.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ks-limits.h"

/* The state of one request that the callbacks of libmicrohttpd share: made
 * when the request line arrives (uri_started), freed when the request is
 * done (request_completed).  While a search thread answers it (JOB), the
 * connection is suspended and nothing else touches it. */
typedef struct request_ctx {
	ks_job job; /* first: a job is its request */
	struct timespec start;
	char *uri;
	bool headers_seen; /* the access handler ran once */
	bool answered;     /* the response is queued */
	char method[16];   /* for the log of a request that gets no response */
	atomic_bool done;  /* a search thread has built REQ's response */
	ks_request req;
	const char *rest; /* the path after the prefix of REQ's route */
} request_ctx;

static double ms_since(const struct timespec *start)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - start->tv_sec) * 1e3 +
	       (double)(now.tv_nsec - start->tv_nsec) / 1e6;
}

/* One line per request on stderr: method, path, status, bytes,
 * milliseconds.  The method and the path are the ones sent (the path
 * without the query string, which holds what people search for), with
 * anything unprintable, a space or a backslash as \xNN, so that no request
 * can forge a line or a field of the log. */
static void log_request(const char *method, const char *uri, unsigned status, size_t bytes,
			double ms)
{
	char shown[64], path[256];
	ks_printable(shown, sizeof shown, method, strlen(method), true);
	uri = uri ? uri : "?";
	ks_printable(path, sizeof path, uri, strcspn(uri, "?"), true);
	fprintf(stderr, "%s %s %u %zu %.1fms\n", shown, path, status, bytes, ms);
}

/* The entry of CONN, or NULL. */
static ks_deadline_conn *entry_of(struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *info =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return info ? info->socket_context : NULL;
}

/* Sets whether CONN's request has arrived; when it has not, its deadline
 * runs from now. */
static void set_arrived(ks_daemon *ds, struct MHD_Connection *conn, bool arrived)
{
	ks_deadline_arrived(&ds->deadline, entry_of(conn), arrived);
}

static void *uri_started(void *cls, const char *uri, struct MHD_Connection *conn)
{
	(void)conn;
	ks_daemon *ds = cls;
	request_ctx *ctx = calloc(1, sizeof *ctx);
	if (!ctx)
		return NULL;
	clock_gettime(CLOCK_MONOTONIC, &ctx->start);
	ctx->uri = strdup(uri);
	ctx->req.fd = -1;
	atomic_init(&ctx->done, false);
	atomic_fetch_add(&ds->in_flight, 1);
	return ctx;
}

static void request_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			      enum MHD_RequestTerminationCode why)
{
	ks_daemon *ds = cls;
	request_ctx *ctx = *con_cls;
	if (!ctx)
		return;
	/* A request that ends without a response is logged too, as nginx
	 * logs it: 499 when the client closed its connection (a search
	 * whose client had gone is dropped so), 408 when it took too long,
	 * 503 when the server stopped. */
	if (!ctx->answered)
		log_request(ctx->method[0] ? ctx->method : "-", ctx->uri,
			    why == MHD_REQUEST_TERMINATED_TIMEOUT_REACHED   ? 408
			    : why == MHD_REQUEST_TERMINATED_DAEMON_SHUTDOWN ? 503
									    : 499,
			    0, ms_since(&ctx->start));
	/* A response that was built but never queued (the client left). */
	ks_sb_free(&ctx->req.body);
	if (ctx->req.fd >= 0)
		close(ctx->req.fd);
	ks_export_release(&ctx->req);
	free(ctx->uri);
	free(ctx);
	*con_cls = NULL;
	atomic_fetch_sub(&ds->in_flight, 1);
	/* A kept-alive connection: the next request's deadline runs. */
	set_arrived(ds, conn, false);
}

/* libmicrohttpd: a connection opened or is about to be closed. */
static void connection_event(void *cls, struct MHD_Connection *conn, void **socket_context,
			     enum MHD_ConnectionNotificationCode code)
{
	ks_daemon *ds = cls;
	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *info =
			MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
		*socket_context = info ? ks_deadline_add(&ds->deadline, info->connect_fd) : NULL;
	} else if (code == MHD_CONNECTION_NOTIFY_CLOSED && *socket_context) {
		ks_deadline_remove(&ds->deadline, *socket_context);
		*socket_context = NULL;
	}
}

/* Whether the client means to send another request on the connection:
 * HTTP/1.1 unless it says close, HTTP/1.0 only if it says keep-alive. */
static bool client_keeps_alive(ks_request *req, const char *version)
{
	const char *connection = ks_header(req, MHD_HTTP_HEADER_CONNECTION);
	if (connection && strcasestr(connection, "close"))
		return false;
	return strcmp(version, MHD_HTTP_VERSION_1_0) != 0 ||
	       (connection && strcasestr(connection, "keep-alive"));
}

/* The headers every response carries: no MIME sniffing, no referrer to
 * other sites (a search URL holds the query), and a policy that lets pages
 * run only the front end's own scripts and styles. */
static void add_headers(struct MHD_Response *resp, ks_request *req, const char *version,
			bool stopping)
{
	/* Stopping, or a request whose framing is in doubt: a kept-alive
	 * connection would bring the next request. */
	if (stopping || req->close) {
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
	} else if (client_keeps_alive(req, version)) {
		/* A connection kept open is closed when its next request has
		 * not arrived whole KS_REQUEST_TIMEOUT seconds after this
		 * response (deadline.c), or after KS_CONNECTION_TIMEOUT idle
		 * seconds.  Saying so lets a client that reads the header
		 * stop reusing it before then, rather than send a request on
		 * it just as the server closes it, which gets no answer (node's
		 * http agent lowers its own socket timeout to a second less). */
		unsigned idle = KS_REQUEST_TIMEOUT;
		if (KS_CONNECTION_TIMEOUT < idle)
			idle = KS_CONNECTION_TIMEOUT;
		char keep_alive[32];
		snprintf(keep_alive, sizeof keep_alive, "timeout=%u", idle);
		MHD_add_response_header(resp, "Keep-Alive", keep_alive);
	}
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, req->content_type);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(resp, "Content-Security-Policy",
				"default-src 'none'; script-src 'self'; style-src 'self'; "
				"img-src 'self' data:; connect-src 'self'; form-action 'self'; "
				"base-uri 'none'; frame-ancestors 'none'");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL,
				req->cacheable ? "public, max-age=300" : "no-cache");
	if (req->disposition)
		MHD_add_response_header(resp, "Content-Disposition", req->disposition);
	if (req->total_count[0])
		MHD_add_response_header(resp, "X-Total-Count", req->total_count);
	if (req->retry_after[0])
		MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, req->retry_after);
	if (req->location[0])
		MHD_add_response_header(resp, MHD_HTTP_HEADER_LOCATION, req->location);
	if (req->status == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
}

/* A search thread's part: answer the request, then wake its connection,
 * whose network thread calls handle() again to send the answer. */
static void run_job(ks_job *job)
{
	request_ctx *ctx = (request_ctx *)job;
	ks_request_answer(&ctx->req, ctx->rest);
	atomic_store(&ctx->done, true);
	MHD_resume_connection(ctx->req.conn);
}

/* Queues REQ's response on CONN (a request of METHOD and the HTTP VERSION)
 * and logs the request. */
static enum MHD_Result respond(ks_daemon *ds, struct MHD_Connection *conn, ks_request *req,
			       const char *method, const char *version, const request_ctx *ctx)
{
	struct MHD_Response *resp;
	size_t bytes;
	if (req->fd >= 0) {
		bytes = req->fd_size;
		if (req->export_slot) {
			resp = ks_export_response(req);
		} else {
			resp = MHD_create_response_from_fd(req->fd_size, req->fd);
			if (resp)
				req->fd = -1; /* libmicrohttpd closes it */
		}
	} else {
		bytes = req->body.n;
		char *body = ks_sb_take(&req->body);
		resp = body ? MHD_create_response_from_buffer(bytes, body, MHD_RESPMEM_MUST_FREE)
			    : NULL;
		if (!resp)
			free(body);
	}
	if (!resp)
		return MHD_NO; /* out of memory: libmicrohttpd closes the connection */
	add_headers(resp, req, version, atomic_load(&ds->stopping));
	enum MHD_Result ret = MHD_queue_response(conn, req->status, resp);
	MHD_destroy_response(resp);
	log_request(method, req->uri, req->status, bytes, ctx ? ms_since(&ctx->start) : 0.0);
	return ret;
}

/* libmicrohttpd calls this with the headers, again when the request has
 * arrived whole, and again when a search thread resumed the connection. */
static enum MHD_Result handle(void *cls, struct MHD_Connection *conn, const char *url,
			      const char *method, const char *version, const char *upload_data,
			      size_t *upload_data_size, void **con_cls)
{
	(void)upload_data;
	ks_daemon *ds = cls;
	request_ctx *ctx = *con_cls;
	if (ctx && ctx->answered) {
		/* A body we refused keeps arriving: drop it. */
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (!ctx || !ctx->uri) {
		/* uri_started() ran out of memory: say so, and nothing else. */
		ks_request oom = {
			.conn = conn, .server = &ds->server, .path = url, .uri = url, .fd = -1
		};
		ks_reply_error(&oom, MHD_HTTP_SERVICE_UNAVAILABLE, "out of memory");
		if (ctx)
			ctx->answered = true;
		return respond(ds, conn, &oom, method, version, ctx);
	}
	ks_request *req = &ctx->req;
	if (!ctx->method[0])
		snprintf(ctx->method, sizeof ctx->method, "%s", method);
	if (atomic_load(&ctx->done)) {
		ctx->answered = true;
		return respond(ds, conn, req, method, version, ctx);
	}
	*req = (ks_request){
		.conn = conn, .server = &ds->server, .path = url, .uri = ctx->uri, .fd = -1
	};
	if (!ctx->headers_seen) {
		/* The first call comes with the headers.  A response queued
		 * now makes libmicrohttpd close the connection (the request
		 * might have a body), so only a refusal is sent now; the
		 * answer waits for the second call, when all has arrived. */
		ctx->headers_seen = true;
		set_arrived(ds, conn, true);
		if (!ks_request_refused(req, method, version))
			return MHD_YES;
		req->close = true; /* as libmicrohttpd will: said in the headers */
	} else if (!ks_request_check(req, &ctx->rest)) {
		/* To the first free search thread. */
		MHD_suspend_connection(conn);
		ctx->job.run = run_job;
		if (ks_workers_submit(ds->workers, &ctx->job))
			return MHD_YES;
		/* Stopping: the search threads are gone. */
		ks_reply_failure(req, MHD_HTTP_SERVICE_UNAVAILABLE, "the server is stopping");
		atomic_store(&ctx->done, true);
		MHD_resume_connection(conn);
		return MHD_YES;
	}
	ctx->answered = true;
	return respond(ds, conn, req, method, version, ctx);
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	char line[512], shown[512];
	vsnprintf(line, sizeof line, fmt, ap);
	/* Its messages may quote what a client sent. */
	ks_printable(shown, sizeof shown, line, strcspn(line, "\n"), false);
	fprintf(stderr, "kommunesoeg-server: libmicrohttpd: %s\n", shown);
}

/* Refuses every connection once the server is stopping: it closes them as
 * it accepts them.  Not MHD_quiesce_daemon(): in libmicrohttpd 0.9.75 a
 * thread of its pool may take the listening socket out of its epoll set
 * at the same moment as the quiesce does, and the second aborts the
 * process ("Failed to remove listen FD from epoll set"), cutting the
 * requests in flight instead of draining them. */
static enum MHD_Result accept_policy(void *cls, const struct sockaddr *addr, socklen_t len)
{
	(void)addr;
	(void)len;
	const ks_daemon *ds = cls;
	return atomic_load(&ds->stopping) ? MHD_NO : MHD_YES;
}

struct MHD_Daemon *ks_daemon_start(ks_daemon *ds, const struct sockaddr *addr, bool ipv6,
				   uint16_t port, unsigned threads, unsigned connections)
{
	unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_ALLOW_SUSPEND_RESUME |
			 MHD_USE_ERROR_LOG | (ipv6 ? MHD_USE_IPv6 : 0);
	return MHD_start_daemon(flags, port, accept_policy, ds, handle, ds,
				MHD_OPTION_EXTERNAL_LOGGER,
				mhd_log, NULL, MHD_OPTION_SOCK_ADDR, addr,
				MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_CONNECTION_LIMIT,
				connections, MHD_OPTION_CONNECTION_TIMEOUT,
				(unsigned)KS_CONNECTION_TIMEOUT, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
				(size_t)KS_CONNECTION_MEMORY, MHD_OPTION_LISTEN_BACKLOG_SIZE,
				(unsigned)KS_LISTEN_BACKLOG, MHD_OPTION_URI_LOG_CALLBACK,
				uri_started, ds, MHD_OPTION_NOTIFY_COMPLETED, request_completed, ds,
				MHD_OPTION_NOTIFY_CONNECTION, connection_event, ds, MHD_OPTION_END);
}
