/* main.c — kommunesoeg-server: the command line, signals, and the
 * libmicrohttpd daemon that hands each request to its route.
 *
 * libmicrohttpd runs a pool of network threads (--threads, default one per
 * core), each polling its connections with epoll, so idle and slow clients
 * cost a file descriptor, not a thread.  They check each request and answer
 * what is wrong with it at once; a request to be answered from the index is
 * suspended and handed to the search threads (workers.c, as many), each
 * with its own Xapian reader (reader.c), so that every core searches
 * whichever thread a connection landed on.  The main thread only waits for
 * signals: SIGHUP reopens the index, SIGTERM and SIGINT stop accepting, let
 * the requests in flight finish, and exit 0. */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ks-config.h"
#include "ks-limits.h"
#include "reader.h"
#include "server.h"
#include "workers.h"

/* A connection as the request deadline sees it: from when its request
 * began to be awaited (the connection opened, or the previous response was
 * sent) until the request's headers have arrived whole. */
typedef struct conn_entry {
	struct conn_entry *prev, *next;
	int fd;
	struct timespec since;
	bool arrived; /* the headers are in: the deadline does not apply */
	bool dropped; /* shut down by the deadline */
} conn_entry;

/* The connections, for the deadline thread; a connection enters when it
 * opens and leaves (under LOCK) before libmicrohttpd closes its socket, so
 * that the thread never touches a descriptor that could be another's. */
typedef struct deadline {
	pthread_mutex_t lock;
	conn_entry *list;
	pthread_t thread;
	bool running;
	atomic_bool stop;
} deadline;

/* The server, its search threads, and the count of requests in flight (for
 * draining). */
typedef struct daemon_state {
	ks_server server;
	ks_workers *workers;
	atomic_uint in_flight;
	atomic_bool stopping; /* SIGTERM: every response closes its connection */
	deadline deadline;
} daemon_state;

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

/* The entry of CONN, or NULL. */
static conn_entry *entry_of(struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *info =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return info ? info->socket_context : NULL;
}

/* Sets whether CONN's request has arrived; when it has not, its deadline
 * runs from now. */
static void set_arrived(daemon_state *ds, struct MHD_Connection *conn, bool arrived)
{
	conn_entry *e = entry_of(conn);
	if (!e)
		return;
	pthread_mutex_lock(&ds->deadline.lock);
	e->arrived = arrived;
	clock_gettime(CLOCK_MONOTONIC, &e->since);
	pthread_mutex_unlock(&ds->deadline.lock);
}

static void log_request(const char *method, const char *uri, unsigned status, size_t bytes,
			double ms);

static void *uri_started(void *cls, const char *uri, struct MHD_Connection *conn)
{
	(void)conn;
	daemon_state *ds = cls;
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
	daemon_state *ds = cls;
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
	daemon_state *ds = cls;
	deadline *dl = &ds->deadline;
	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *info =
			MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
		conn_entry *e = info ? calloc(1, sizeof *e) : NULL;
		*socket_context = e;
		if (!e)
			return; /* out of memory: the idle timeout still applies */
		e->fd = info->connect_fd;
		clock_gettime(CLOCK_MONOTONIC, &e->since);
		pthread_mutex_lock(&dl->lock);
		e->next = dl->list;
		if (dl->list)
			dl->list->prev = e;
		dl->list = e;
		pthread_mutex_unlock(&dl->lock);
	} else if (code == MHD_CONNECTION_NOTIFY_CLOSED && *socket_context) {
		conn_entry *e = *socket_context;
		pthread_mutex_lock(&dl->lock);
		if (e->prev)
			e->prev->next = e->next;
		else
			dl->list = e->next;
		if (e->next)
			e->next->prev = e->prev;
		pthread_mutex_unlock(&dl->lock);
		free(e);
		*socket_context = NULL;
	}
}

/* The deadline thread: a connection whose request has not arrived whole
 * within KS_REQUEST_TIMEOUT seconds is shut down; libmicrohttpd sees the
 * end of its stream and closes it.  libmicrohttpd's own timeout counts only
 * silence, which a client sending a byte a second never lets it see. */
static void *deadline_run(void *arg)
{
	daemon_state *ds = arg;
	deadline *dl = &ds->deadline;
	while (!atomic_load(&dl->stop)) {
		nanosleep(&(struct timespec){ .tv_nsec = 250 * 1000 * 1000 }, NULL);
		struct timespec now;
		clock_gettime(CLOCK_MONOTONIC, &now);
		unsigned dropped = 0;
		pthread_mutex_lock(&dl->lock);
		for (conn_entry *e = dl->list; e; e = e->next) {
			if (e->arrived || e->dropped ||
			    now.tv_sec - e->since.tv_sec < KS_REQUEST_TIMEOUT)
				continue;
			shutdown(e->fd, SHUT_RDWR);
			e->dropped = true;
			dropped++;
		}
		pthread_mutex_unlock(&dl->lock);
		if (dropped)
			fprintf(stderr,
				"kommunesoeg-server: dropped %u connection%s that sent no whole "
				"request in %d s\n",
				dropped, dropped == 1 ? "" : "s", KS_REQUEST_TIMEOUT);
	}
	return NULL;
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

/* The headers every response carries: no MIME sniffing, no referrer to
 * other sites (a search URL holds the query), and a policy that lets pages
 * run only the front end's own scripts and styles. */
static void add_headers(struct MHD_Response *resp, const ks_request *req, bool stopping)
{
	/* Stopping, or a request whose framing is in doubt: a kept-alive
	 * connection would bring the next request. */
	if (stopping || req->close)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
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

/* Queues REQ's response on CONN and logs the request. */
static enum MHD_Result respond(daemon_state *ds, struct MHD_Connection *conn, ks_request *req,
			       const char *method, const request_ctx *ctx)
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
	add_headers(resp, req, atomic_load(&ds->stopping));
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
	daemon_state *ds = cls;
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
		return respond(ds, conn, &oom, method, ctx);
	}
	ks_request *req = &ctx->req;
	if (!ctx->method[0])
		snprintf(ctx->method, sizeof ctx->method, "%s", method);
	if (atomic_load(&ctx->done)) {
		ctx->answered = true;
		return respond(ds, conn, req, method, ctx);
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
	return respond(ds, conn, req, method, ctx);
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

static const char usage[] =
	"Usage: kommunesoeg-server [OPTION]...\n"
	"Serve the Kommunesøg search API and web front end over HTTP.\n"
	"\n"
	"  --db DIR       the index (default data/index); give it several times to\n"
	"                 search several shards as one, each a directory or\n"
	"                 tcp://HOST:PORT of a xapian-tcpsrv\n"
	"  --bind ADDR    the address to listen on (default 127.0.0.1; IPv6 too)\n"
	"  --port N       the port (default 8080; 0 picks a free one)\n"
	"  --web DIR      the front end's files (default: the installed web/)\n"
	"  --pdf-dir DIR  the PDFs that were indexed, served under /pdf/ so that an\n"
	"                 item page links to the page where the item starts\n"
	"  --threads N    network threads and search threads, N of each\n"
	"                 (default: one per core)\n"
	"  --search-timeout MS\n"
	"                 how long one search may take before it is stopped\n"
	"                 and answered 400 (default 1000, at most 3600000)\n"
	"  --help         show this help and exit\n"
	"  --version      show the version and exit\n"
	"\n"
	"SIGHUP reopens the index; SIGTERM and SIGINT finish the requests in\n"
	"flight and exit.  One line per request is logged on stderr.\n";

typedef struct options {
	const char **dbs;
	size_t n_dbs;
	const char *bind, *web, *pdf_dir;
	long port, threads, search_ms;
} options;

/* A number in [MIN, MAX], or -1. */
static long number(const char *s, long min, long max)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	return errno || end == s || *end || v < min || v > max ? -1 : v;
}

/* Parses the command line into O; exits on --help, --version and errors. */
static void parse_options(int argc, char **argv, options *o)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "bind", required_argument, NULL, 'b' },
		{ "port", required_argument, NULL, 'p' },
		{ "web", required_argument, NULL, 'w' },
		{ "pdf-dir", required_argument, NULL, 'P' },
		{ "threads", required_argument, NULL, 't' },
		{ "search-timeout", required_argument, NULL, 'T' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	*o = (options){ .bind = "127.0.0.1", .port = 8080, .search_ms = KS_SEARCH_TIMEOUT_MS };
	o->dbs = calloc((size_t)argc + 1, sizeof *o->dbs);
	if (!o->dbs) {
		fputs("kommunesoeg-server: out of memory\n", stderr);
		exit(2);
	}
	int c;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'd':
			o->dbs[o->n_dbs++] = optarg;
			break;
		case 'b':
			o->bind = optarg;
			break;
		case 'w':
			o->web = optarg;
			break;
		case 'P':
			o->pdf_dir = optarg;
			break;
		case 'p':
			if ((o->port = number(optarg, 0, 65535)) < 0) {
				fprintf(stderr,
					"kommunesoeg-server: --port must be 0-65535, not %s\n",
					optarg);
				exit(2);
			}
			break;
		case 't':
			if ((o->threads = number(optarg, 1, 256)) < 0) {
				fprintf(stderr,
					"kommunesoeg-server: --threads must be 1-256, not %s\n",
					optarg);
				exit(2);
			}
			break;
		case 'T':
			if ((o->search_ms = number(optarg, 1, KS_MAX_SEARCH_TIMEOUT_MS)) < 0) {
				fprintf(stderr,
					"kommunesoeg-server: --search-timeout must be 1-%d "
					"milliseconds, not %s\n",
					KS_MAX_SEARCH_TIMEOUT_MS, optarg);
				exit(2);
			}
			break;
		case 'h':
			fputs(usage, stdout);
			exit(0);
		case 'V':
			printf("kommunesoeg-server %s\n", KS_VERSION);
			exit(0);
		default:
			fputs("Try 'kommunesoeg-server --help'.\n", stderr);
			exit(2);
		}
	}
	if (optind < argc) {
		fprintf(stderr,
			"kommunesoeg-server: unexpected argument %s\nTry 'kommunesoeg-server "
			"--help'.\n",
			argv[optind]);
		exit(2);
	}
	if (o->n_dbs == 0)
		o->dbs[o->n_dbs++] = "data/index";
	if (!o->threads) {
		long cores = sysconf(_SC_NPROCESSORS_ONLN);
		o->threads = cores > 0 ? (cores > 256 ? 256 : cores) : 2;
	}
	if (!o->web) {
		/* Installed files first; a build run from the source tree
		 * falls back to its web/. */
		char probe[PATH_MAX];
		snprintf(probe, sizeof probe, "%s/index.html", KS_WEBDIR_INSTALLED);
		o->web = access(probe, R_OK) == 0 ? KS_WEBDIR_INSTALLED : KS_WEBDIR_SOURCE;
	}
}

/* The listening address of --bind and --port. */
static bool make_address(const options *o, struct sockaddr_storage *ss, bool *ipv6)
{
	memset(ss, 0, sizeof *ss);
	struct sockaddr_in *in4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
	if (inet_pton(AF_INET, o->bind, &in4->sin_addr) == 1) {
		in4->sin_family = AF_INET;
		in4->sin_port = htons((uint16_t)o->port);
		*ipv6 = false;
		return true;
	}
	if (inet_pton(AF_INET6, o->bind, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)o->port);
		*ipv6 = true;
		return true;
	}
	return false;
}

/* As many file descriptors as the system allows us, for the connections. */
static unsigned raise_fd_limit(void)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl))
		return 1024;
	rl.rlim_cur = rl.rlim_max;
	setrlimit(RLIMIT_NOFILE, &rl);
	getrlimit(RLIMIT_NOFILE, &rl);
	return rl.rlim_cur > INT_MAX ? INT_MAX : (unsigned)rl.rlim_cur;
}

/* Waits up to SECONDS for the requests in flight to be done: SECONDS by
 * the clock, however late a busy machine wakes the sleeps. */
static void drain(daemon_state *ds, int seconds)
{
	struct timespec start;
	clock_gettime(CLOCK_MONOTONIC, &start);
	while (atomic_load(&ds->in_flight) > 0 && ms_since(&start) < seconds * 1000.0)
		nanosleep(&(struct timespec){ .tv_nsec = 10 * 1000 * 1000 }, NULL);
}

/* Each search thread opens its reader as it starts, not at its first
 * request: a thread that had served nothing yet would otherwise have no
 * last good index to fall back on when the index is replaced by one that
 * cannot be opened (it would answer 503 where the others serve on). */
static void open_reader(void *server)
{
	const char *why;
	ks_reader_get(server, &why);
}

/* Opens the index once at start, so that a missing or damaged one is said
 * at once rather than in every request. */
static bool check_index(const options *o, uint32_t *documents)
{
	ks_db *db = NULL;
	char *msg = NULL;
	ks_status st = ks_db_open_read(o->dbs, o->n_dbs, &db, &msg);
	if (!st)
		st = ks_db_doccount(db, documents);
	if (st) {
		fprintf(stderr,
			"kommunesoeg-server: cannot open the index %s%s: %s\n"
			"(build it with kommunesoeg-index --db DIR PATH...)\n",
			o->dbs[0], o->n_dbs > 1 ? " (and the other --db)" : "",
			msg ? msg : ks_db_error(db));
	}
	free(msg);
	ks_db_close(db);
	return st == KS_OK;
}

int main(int argc, char **argv)
{
	options o;
	parse_options(argc, argv, &o);

	/* Exports: one per two search threads, so that plain searches always
	 * find one free (ks-limits.h). */
	daemon_state ds = { .server = { .dbs = o.dbs,
					.n_dbs = o.n_dbs,
					.search_ms = (unsigned)o.search_ms,
					.export_slots =
						o.threads > 1 ? (unsigned)o.threads / 2 : 1 } };
	atomic_init(&ds.server.generation, 0);
	atomic_init(&ds.server.exports, 0);
	atomic_init(&ds.server.cancel, false);
	atomic_init(&ds.in_flight, 0);
	atomic_init(&ds.stopping, false);
	atomic_init(&ds.deadline.stop, false);
	pthread_mutex_init(&ds.deadline.lock, NULL);
	int status = 1;
	struct MHD_Daemon *d = NULL;

	struct sockaddr_storage addr;
	bool ipv6;
	uint32_t documents = 0;
	if (!make_address(&o, &addr, &ipv6)) {
		fprintf(stderr, "kommunesoeg-server: --bind %s is not an IPv4 or IPv6 address\n",
			o.bind);
		status = 2;
		goto out;
	}
	if (!(ds.server.web = realpath(o.web, NULL))) {
		fprintf(stderr, "kommunesoeg-server: --web %s: %s\n", o.web, strerror(errno));
		goto out;
	}
	struct stat pdf_st;
	if (o.pdf_dir && (!(ds.server.pdf_dir = realpath(o.pdf_dir, NULL)) ||
			  stat(ds.server.pdf_dir, &pdf_st) || !S_ISDIR(pdf_st.st_mode))) {
		fprintf(stderr, "kommunesoeg-server: --pdf-dir %s: %s\n", o.pdf_dir,
			ds.server.pdf_dir ? "not a directory" : strerror(errno));
		goto out;
	}
	if (!check_index(&o, &documents) || ks_readers_init())
		goto out;

	/* The signals are taken by sigwait below, in this thread only: block
	 * them before libmicrohttpd starts its threads, which inherit the mask. */
	sigset_t signals;
	sigemptyset(&signals);
	sigaddset(&signals, SIGTERM);
	sigaddset(&signals, SIGINT);
	sigaddset(&signals, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &signals, NULL);
	signal(SIGPIPE, SIG_IGN);

	unsigned fds = raise_fd_limit();
	unsigned limit = KS_MAX_CONNECTIONS;
	if (limit + 64 > fds)
		limit = fds > 128 ? fds - 64 : 64;
	unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_ALLOW_SUSPEND_RESUME |
			 MHD_USE_ERROR_LOG | (ipv6 ? MHD_USE_IPv6 : 0);
	if (!(ds.workers = ks_workers_start((unsigned)o.threads, open_reader, &ds.server))) {
		fputs("kommunesoeg-server: cannot start the search threads\n", stderr);
		goto out;
	}
	d = MHD_start_daemon(flags, (uint16_t)o.port, NULL, NULL, handle, &ds,
			     MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL, MHD_OPTION_SOCK_ADDR,
			     (struct sockaddr *)&addr, MHD_OPTION_THREAD_POOL_SIZE,
			     (unsigned)o.threads, MHD_OPTION_CONNECTION_LIMIT, limit,
			     MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)KS_CONNECTION_TIMEOUT,
			     MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)KS_CONNECTION_MEMORY,
			     MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned)KS_LISTEN_BACKLOG,
			     MHD_OPTION_URI_LOG_CALLBACK, uri_started, &ds,
			     MHD_OPTION_NOTIFY_COMPLETED, request_completed, &ds,
			     MHD_OPTION_NOTIFY_CONNECTION, connection_event, &ds, MHD_OPTION_END);
	if (!d) {
		fprintf(stderr, "kommunesoeg-server: cannot listen on %s port %ld: %s\n", o.bind,
			o.port, strerror(errno));
		goto out;
	}
	if (pthread_create(&ds.deadline.thread, NULL, deadline_run, &ds)) {
		fputs("kommunesoeg-server: cannot start the deadline thread\n", stderr);
		goto out;
	}
	ds.deadline.running = true;
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	fprintf(stderr,
		"kommunesoeg-server: listening on http://%s%s%s:%u (%ld threads, %u documents, web "
		"%s)\n",
		ipv6 ? "[" : "", o.bind, ipv6 ? "]" : "", info ? info->port : (unsigned)o.port,
		o.threads, documents, ds.server.web);

	for (;;) {
		int sig = sigwaitinfo(&signals, NULL);
		if (sig == SIGHUP) {
			atomic_fetch_add(&ds.server.generation, 1);
			fputs("kommunesoeg-server: SIGHUP: reopening the index\n", stderr);
			continue;
		}
		if (sig == SIGTERM || sig == SIGINT)
			break;
	}
	/* Stop accepting, then give the requests in flight time to finish. */
	atomic_store(&ds.stopping, true);
	MHD_socket listener = MHD_quiesce_daemon(d);
	if (listener != MHD_INVALID_SOCKET)
		close(listener);
	fputs("kommunesoeg-server: stopping: finishing the requests in flight\n", stderr);
	drain(&ds, KS_DRAIN_SECONDS - KS_DRAIN_CANCEL_SECONDS);
	if (atomic_load(&ds.in_flight) > 0) {
		/* What is still searching stops at its next check, what is
		 * still queued is refused: the server is gone in time. */
		atomic_store(&ds.server.cancel, true);
		ks_workers_run_queued(ds.workers);
		fprintf(stderr,
			"kommunesoeg-server: stopping: %u requests still in flight after %d s: "
			"stopping their searches\n",
			atomic_load(&ds.in_flight), KS_DRAIN_SECONDS - KS_DRAIN_CANCEL_SECONDS);
		drain(&ds, KS_DRAIN_CANCEL_SECONDS);
	}
	status = 0;
out:
	/* The search threads first: they finish what is queued and resume
	 * its connections; a request that comes later is refused with 503.
	 * Then libmicrohttpd closes every connection. */
	if (ds.workers)
		ks_workers_stop(ds.workers);
	if (d)
		MHD_stop_daemon(d);
	if (ds.deadline.running) {
		atomic_store(&ds.deadline.stop, true);
		pthread_join(ds.deadline.thread, NULL);
	}
	ks_workers_free(ds.workers);
	free(ds.server.web);
	free(ds.server.pdf_dir);
	free(o.dbs);
	return status;
}
