/* main.c — kommunesoeg-server: the command line, signals, and the start
 * and drain of the server.
 *
 * libmicrohttpd runs a pool of network threads (--threads, default one per
 * core), each polling its connections with epoll, so idle and slow clients
 * cost a file descriptor, not a thread.  They check each request and answer
 * what is wrong with it at once; a request to be answered from the index is
 * suspended and handed to the search threads (workers.c, as many), each
 * with its own Xapian reader (reader.c), so that every core searches
 * whichever thread a connection landed on (daemon.c).  The main thread only
 * waits for signals: SIGHUP reopens the index, SIGTERM and SIGINT stop
 * accepting, let the requests in flight finish, and exit 0. */
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

#include "daemon.h"
#include "ks-config.h"
#include "ks-limits.h"
#include "reader.h"
#include "server.h"
#include "validate.h"

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
	"  --source-url DIR=URL\n"
	"                 link an item to its original document: URL with {file}\n"
	"                 the file's path below the folder DIR (repeatable; the\n"
	"                 deepest folder that holds the file counts)\n"
	"  --threads N    network threads and search threads, N of each\n"
	"                 (default: one per core)\n"
	"  --public-url URL\n"
	"                 the address people reach the server at (https://soeg.kommune.dk),\n"
	"                 for the absolute links of feeds and exports; default: the\n"
	"                 request's Host header\n"
	"  --search-timeout MS\n"
	"                 how long one search may take before it is stopped\n"
	"                 and answered 400 (default 1000, at most 3600000)\n"
	"  --contact ADDR the accessibility statement's contact: an e-mail address\n"
	"                 or the address of a web page (https://...)\n"
	"  --statement-date YYYY-MM-DD\n"
	"                 the accessibility statement's date\n"
	"  --facets-exact N\n"
	"                 count the facets and the total exactly for up to N\n"
	"                 matches, and estimate them past (default 10000)\n"
	"  --help         show this help and exit\n"
	"  --version      show the version and exit\n"
	"\n"
	"SIGHUP reopens the index; SIGTERM and SIGINT finish the requests in\n"
	"flight and exit.  One line per request is logged on stderr.\n";

typedef struct options {
	const char **dbs;
	size_t n_dbs;
	const char *bind, *web, *pdf_dir, *contact, *statement_date;
	char *public_url; /* without a trailing '/' */
	long port, threads, search_ms, facets_exact;
	ks_source_url *source_urls;
	size_t n_source_urls;
} options;

/* A number in [MIN, MAX], or -1. */
static long number(const char *s, long min, long max)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	return errno || end == s || *end || v < min || v > max ? -1 : v;
}

/* --public-url S without its trailing slashes (malloc'd), or NULL when
 * it is not an http or https address that links can be made from: a host,
 * an optional path, no query or fragment, nothing that a URI cannot hold
 * as it is. */
static char *public_url(const char *s)
{
	size_t scheme = !strncmp(s, "https://", 8) ? 8 : !strncmp(s, "http://", 7) ? 7 : 0;
	size_t n = strlen(s);
	while (n > scheme && s[n - 1] == '/')
		n--;
	if (!scheme || n == scheme || n > KS_MAX_PUBLIC_URL_BYTES || s[scheme] == '/')
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (s[i] <= 0x20 || s[i] >= 0x7f || strchr("\"<>\\^`{|}?#", s[i]))
			return NULL;
	return strndup(s, n);
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
		{ "source-url", required_argument, NULL, 'S' },
		{ "threads", required_argument, NULL, 't' },
		{ "search-timeout", required_argument, NULL, 'T' },
		{ "public-url", required_argument, NULL, 'U' },
		{ "contact", required_argument, NULL, 'c' },
		{ "statement-date", required_argument, NULL, 'D' },
		{ "facets-exact", required_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	*o = (options){ .bind = "127.0.0.1",
			.port = 8080,
			.search_ms = KS_SEARCH_TIMEOUT_MS,
			.facets_exact = KS_FACETS_EXACT };
	o->dbs = calloc((size_t)argc + 1, sizeof *o->dbs);
	o->source_urls = calloc(KS_MAX_SOURCE_URLS, sizeof *o->source_urls);
	if (!o->dbs || !o->source_urls) {
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
		case 'S': {
			const char *why =
				o->n_source_urls == KS_MAX_SOURCE_URLS
					? "given too many times"
					: ks_source_url_read(optarg,
							     &o->source_urls[o->n_source_urls]);
			if (why) {
				fprintf(stderr, "kommunesoeg-server: --source-url %s: %s\n", optarg,
					why);
				exit(2);
			}
			o->n_source_urls++;
			break;
		}
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
		case 'U':
			free(o->public_url);
			if (!(o->public_url = public_url(optarg))) {
				fprintf(stderr,
					"kommunesoeg-server: --public-url must be http:// or "
					"https:// and a host, with an optional path, at most %d "
					"bytes, not %s\n",
					KS_MAX_PUBLIC_URL_BYTES, optarg);
				exit(2);
			}
			break;
		case 'c':
			if (!ks_contact_valid(optarg)) {
				fprintf(stderr,
					"kommunesoeg-server: --contact must be an e-mail address "
					"or "
					"an http(s) URL of at most %d bytes, without blanks or "
					"quotes, not %s\n",
					KS_MAX_CONTACT_BYTES, optarg);
				exit(2);
			}
			o->contact = optarg;
			break;
		case 'D':
			if (!ks_date_parse(optarg, NULL)) {
				fprintf(stderr,
					"kommunesoeg-server: --statement-date must be a date "
					"YYYY-MM-DD, not %s\n",
					optarg);
				exit(2);
			}
			o->statement_date = optarg;
			break;
		case 'F':
			if ((o->facets_exact = number(optarg, 1, KS_MAX_FACETS_EXACT)) < 0) {
				fprintf(stderr,
					"kommunesoeg-server: --facets-exact must be 1-%d matches, "
					"not %s\n",
					KS_MAX_FACETS_EXACT, optarg);
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
		/* Installed files first; a server run from its build tree
		 * falls back to the build's web/ (web/meson.build). */
		char probe[PATH_MAX];
		snprintf(probe, sizeof probe, "%s/index.html", KS_WEBDIR_INSTALLED);
		o->web = access(probe, R_OK) == 0 ? KS_WEBDIR_INSTALLED : KS_WEBDIR_BUILD;
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
static void drain(ks_daemon *ds, int seconds)
{
	struct timespec now, end;
	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_sec += seconds;
	while (atomic_load(&ds->in_flight) > 0) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec > end.tv_sec ||
		    (now.tv_sec == end.tv_sec && now.tv_nsec >= end.tv_nsec))
			break;
		nanosleep(&(struct timespec){ .tv_nsec = 10 * 1000 * 1000 }, NULL);
	}
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
	ks_daemon ds = { .server = { .dbs = o.dbs,
				     .n_dbs = o.n_dbs,
				     .search_ms = (unsigned)o.search_ms,
				     .source_urls = o.source_urls,
				     .n_source_urls = o.n_source_urls,
				     .public_url = o.public_url,
				     .contact = o.contact,
				     .statement_date = o.statement_date,
				     .facets_exact = (unsigned)o.facets_exact,
				     .export_slots =
					     o.threads > 1 ? (unsigned)o.threads / 2 : 1 } };
	atomic_init(&ds.server.generation, 0);
	atomic_init(&ds.server.exports, 0);
	atomic_init(&ds.server.cancel, false);
	atomic_init(&ds.in_flight, 0);
	atomic_init(&ds.stopping, false);
	ks_deadline_init(&ds.deadline);
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
	if (!(ds.workers = ks_workers_start((unsigned)o.threads, open_reader, &ds.server))) {
		fputs("kommunesoeg-server: cannot start the search threads\n", stderr);
		goto out;
	}
	d = ks_daemon_start(&ds, (struct sockaddr *)&addr, ipv6, (uint16_t)o.port,
			    (unsigned)o.threads, limit);
	if (!d) {
		fprintf(stderr, "kommunesoeg-server: cannot listen on %s port %ld: %s\n", o.bind,
			o.port, strerror(errno));
		goto out;
	}
	if (!ks_deadline_start(&ds.deadline)) {
		fputs("kommunesoeg-server: cannot start the deadline thread\n", stderr);
		goto out;
	}
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
	/* Refuse new connections (accept_policy() in daemon.c), then give
	 * the requests in flight time to finish. */
	atomic_store(&ds.stopping, true);
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
	ks_deadline_stop(&ds.deadline);
	ks_workers_free(ds.workers);
	free(ds.server.web);
	free(ds.server.pdf_dir);
	free(o.dbs);
	for (size_t i = 0; i < o.n_source_urls; i++)
		free(o.source_urls[i].dir);
	free(o.source_urls);
	free(o.public_url);
	return status;
}
