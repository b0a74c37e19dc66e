/* pdf-child.c — each PDF read in a child process under limits of memory and
 * CPU time (see pdf-child.h).
 *
 * A PDF's cost is not bounded by its size: a page of a few kB can hold
 * millions of compressed drawing operators, and poppler keeps every
 * character they draw (gigabytes) and compares them with each other
 * (minutes).  Inside the indexer such a file would end the whole run
 * (poppler aborts when an allocation fails), and every run after it.  In a
 * process of its own it can be bounded by the kernel — RLIMIT_AS for
 * memory, RLIMIT_CPU for time — and stopped, and the indexer names it and
 * goes on.  A PDF that crashes poppler ends only its child.
 *
 * The child is this program again (KS_PDF_CHILD_FLAG), started with
 * posix_spawn(): the indexer's writers are threads, and after a plain
 * fork() in a threaded process only async-signal-safe calls are allowed
 * until exec — not poppler, not GLib, not malloc.  posix_spawn() does the
 * fork and the exec as one (glibc: clone(CLONE_VM | CLONE_VFORK)), and the
 * child sets its own limits first thing in main(), before it reads a byte
 * of the PDF.  The same binary means the same parser and nothing to
 * install or find beside it.  The PDF's bytes go to the child in a memfd
 * (the bytes the indexer hashed, not the file again, which may have
 * changed); the records come back as JSON Lines (document-json.c).
 */
#include "pdf-child.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "document-json.h"
#include "text.h"

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif

bool ks_pdf_memory_limited(void)
{
#ifdef UNDER_ASAN
	return false;
#else
	return true;
#endif
}

/* The address space the child gets: LIMITS's, or less when the indexer was
 * itself started with less (ulimit -v), which the child inherits.  0 when
 * none applies.  *INHERITED says whether the indexer's own limit is the
 * lower. */
static rlim_t memory_limit(const ks_pdf_limits *limits, bool *inherited)
{
	*inherited = false;
	if (!ks_pdf_memory_limited())
		return 0;
	rlim_t want = (rlim_t)limits->memory_mb << 20;
	struct rlimit cur;
	if (getrlimit(RLIMIT_AS, &cur) == 0 && cur.rlim_cur != RLIM_INFINITY &&
	    cur.rlim_cur < want) {
		*inherited = true;
		return cur.rlim_cur;
	}
	return want;
}

/* ---- the child ------------------------------------------------------------- */

static bool parse_unsigned(const char *s, unsigned long max, unsigned long *out)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (errno || end == s || *end || v > max)
		return false;
	*out = v;
	return true;
}

/* Bounds this process as LIMITS say: its address space, its CPU time (the
 * kernel sends SIGXCPU at the soft limit and SIGKILL a second later), and
 * no core file of a PDF that was stopped. */
static int limit_self(const ks_pdf_limits *limits)
{
	bool inherited;
	rlim_t as = memory_limit(limits, &inherited);
	struct rlimit r;
	if (as && getrlimit(RLIMIT_AS, &r) == 0) {
		r.rlim_cur = as;
		if (setrlimit(RLIMIT_AS, &r) != 0)
			return -1;
	}
	if (getrlimit(RLIMIT_CPU, &r) != 0)
		return -1;
	rlim_t soft = limits->seconds, hard = soft + 1;
	if (r.rlim_max != RLIM_INFINITY && r.rlim_max < hard)
		hard = r.rlim_max, soft = soft < hard ? soft : hard;
	r.rlim_cur = soft;
	r.rlim_max = hard;
	if (setrlimit(RLIMIT_CPU, &r) != 0)
		return -1;
	r.rlim_cur = r.rlim_max = 0;
	return setrlimit(RLIMIT_CORE, &r);
}

int ks_pdf_child_main(int argc, char **argv)
{
	unsigned long mb, seconds, parent;
	if (argc != 6 || !parse_unsigned(argv[3], KS_PDF_MEMORY_MAX_MB, &mb) ||
	    !parse_unsigned(argv[4], KS_PDF_SECONDS_MAX, &seconds) ||
	    !parse_unsigned(argv[5], INT32_MAX, &parent)) {
		fprintf(stderr, "%s: %s is the indexer's own: NAME MEMORY_MB SECONDS PARENT_PID\n",
			argv[0], KS_PDF_CHILD_FLAG);
		return 2;
	}
	/* Ends with the indexer (the thread that started it): a killed run
	 * leaves no reader behind.  It may have ended already. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != (pid_t)parent)
		return 2;
	ks_pdf_limits limits = { .memory_mb = (unsigned)mb, .seconds = (unsigned)seconds };
	if (limit_self(&limits) != 0) {
		fprintf(stderr, "%s: cannot limit the PDF reader: %s\n", argv[0], strerror(errno));
		return 2;
	}
	struct stat st;
	if (fstat(STDIN_FILENO, &st) != 0 || !S_ISREG(st.st_mode))
		return 2;
	size_t len = (size_t)st.st_size;
	const char *data = "";
	if (len > 0) {
		void *map = mmap(NULL, len, PROT_READ, MAP_PRIVATE, STDIN_FILENO, 0);
		if (map == MAP_FAILED)
			return KS_PDF_CHILD_NOMEM;
		data = map;
	}
	ks_document doc;
	ks_parse_error err = { 0 };
	int rc = ks_parse_pdf(data, len, argv[2], &doc, &err);
	int status = ks_document_write(stdout, rc, &doc, &err) ? KS_PDF_CHILD_NOMEM : 0;
	ks_document_clear(&doc);
	if (len > 0)
		munmap((void *)data, len);
	return status;
}

/* ---- the indexer's side ------------------------------------------------------ */

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int fail(ks_parse_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(ks_parse_error *err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof err->message, fmt, ap);
	va_end(ap);
	err->line = err->page = 0;
	return -1;
}

/* A memfd holding the LEN bytes at DATA, or -1. */
static int memfd_of(const char *data, size_t len)
{
	int fd = memfd_create("kommunesoeg-pdf", MFD_CLOEXEC);
	for (size_t done = 0; fd >= 0 && done < len;) {
		ssize_t n = write(fd, data + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int saved = errno;
			close(fd);
			errno = saved;
			return -1;
		}
		done += (size_t)n;
	}
	return fd;
}

/* Starts SELF as the reader of NAME with standard input IN and output OUT;
 * its pid, or -1 with errno set. */
static pid_t spawn_reader(const char *self, const ks_pdf_limits *limits, const char *name, int in,
			  int out)
{
	char mb[16], seconds[16], parent[16];
	snprintf(mb, sizeof mb, "%u", limits->memory_mb);
	snprintf(seconds, sizeof seconds, "%u", limits->seconds);
	snprintf(parent, sizeof parent, "%ld", (long)getpid());
	char *argv[] = { (char *)self, KS_PDF_CHILD_FLAG, (char *)name, mb, seconds, parent, NULL };

	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t none, all;
	sigemptyset(&none);
	sigfillset(&all);
	pid_t pid = -1;
	int rc = posix_spawn_file_actions_init(&fa);
	if (rc)
		goto out;
	rc = posix_spawnattr_init(&attr);
	if (rc) {
		posix_spawn_file_actions_destroy(&fa);
		goto out;
	}
	/* Only the PDF in, the answer out, stderr for poppler's complaints;
	 * every signal as a new process has it (SIGXCPU, SIGPIPE ending it). */
	if (!(rc = posix_spawn_file_actions_adddup2(&fa, in, STDIN_FILENO)) &&
	    !(rc = posix_spawn_file_actions_adddup2(&fa, out, STDOUT_FILENO)) &&
	    !(rc = posix_spawn_file_actions_addclosefrom_np(&fa, STDERR_FILENO + 1)) &&
	    !(rc = posix_spawnattr_setsigmask(&attr, &none)) &&
	    !(rc = posix_spawnattr_setsigdefault(&attr, &all)) &&
	    !(rc = posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)))
		rc = posix_spawn(&pid, self, &fa, &attr, argv, environ);
	posix_spawnattr_destroy(&attr);
	posix_spawn_file_actions_destroy(&fa);
out:
	if (rc) {
		errno = rc;
		return -1;
	}
	return pid;
}

/* Reads FD until its end, at most MAX bytes, until DEADLINE: 0 at the end,
 * 1 past MAX, 2 past DEADLINE, -1 on an error.  *BUF (malloc'd) and *LEN
 * hold what was read. */
static int read_answer(int fd, size_t max, double deadline, char **buf, size_t *len)
{
	size_t cap = 0;
	*buf = NULL;
	*len = 0;
	for (;;) {
		double left = deadline - now();
		if (left <= 0)
			return 2;
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int ready = poll(&p, 1, (int)fmin(ceil(left * 1000), 60 * 60 * 1000));
		if (ready < 0 && errno == EINTR)
			continue;
		if (ready < 0)
			return -1;
		if (ready == 0)
			continue; /* the deadline is checked above */
		char *b = ks_grow(*buf, &cap, *len + 1, 1, 1 << 16);
		if (!b)
			return -1;
		*buf = b;
		ssize_t n = read(fd, *buf + *len, cap - *len);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			return 0;
		*len += (size_t)n;
		if (*len > max)
			return 1;
	}
}

/* Waits for PID until DEADLINE (then kills it): its wait status and CPU
 * seconds; whether it ended by itself in time. */
static bool reap(pid_t pid, double deadline, int *status, double *cpu)
{
	struct rusage ru;
	bool in_time = true;
	for (;;) {
		pid_t got = wait4(pid, status, WNOHANG, &ru);
		if (got == pid)
			break;
		if (got < 0 && errno != EINTR) {
			*status = 0;
			*cpu = 0;
			return false;
		}
		if (now() >= deadline) {
			kill(pid, SIGKILL);
			in_time = false;
			while (wait4(pid, status, 0, &ru) < 0 && errno == EINTR)
				;
			break;
		}
		struct timespec tick = { 0, 10 * 1000 * 1000 };
		nanosleep(&tick, NULL);
	}
	*cpu = (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
	       ru.ru_stime.tv_usec / 1e6;
	return in_time;
}

/* The message for a child that ended with STATUS after CPU seconds. */
static int judge(const ks_pdf_limits *limits, int status, double cpu, ks_parse_error *err)
{
	bool inherited;
	rlim_t as = memory_limit(limits, &inherited);
	int sig = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
	if (sig == SIGXCPU || (sig == SIGKILL && cpu >= limits->seconds))
		return fail(err,
			    "too costly to read: it needs more than %u s of CPU time "
			    "(--pdf-seconds %u; raise it to read this file)",
			    limits->seconds, limits->seconds);
	/* Poppler, GLib and the C++ runtime end a process whose allocation
	 * failed with abort() or a trap, and code that does not check one
	 * may fault: under a memory limit that is the likely cause. */
	bool aborted = sig == SIGABRT || sig == SIGTRAP || sig == SIGSEGV || sig == SIGBUS;
	if ((as && aborted) || (WIFEXITED(status) && WEXITSTATUS(status) == KS_PDF_CHILD_NOMEM)) {
		unsigned mb = (unsigned)((as ? as : (rlim_t)limits->memory_mb << 20) >> 20);
		return inherited ? fail(err,
					"too costly to read: it needs more than %u MB of memory "
					"(the limit kommunesoeg-index was started with, ulimit -v; "
					"raise it to read this file)",
					mb)
				 : fail(err,
					"too costly to read: it needs more than %u MB of memory "
					"(--pdf-memory %u; raise it to read this file)",
					mb, limits->memory_mb);
	}
	if (sig)
		return fail(err, "cannot read the PDF: its reader died of signal %d (%s)", sig,
			    strsignal(sig));
	return fail(err, "cannot read the PDF: its reader failed (exit status %d)",
		    WEXITSTATUS(status));
}

int ks_pdf_read(const char *self, const ks_pdf_limits *limits, const char *data, size_t len,
		const char *name, ks_document *doc, ks_parse_error *err)
{
	*doc = (ks_document){ 0 };
	if (!self)
		return fail(err,
			    "cannot start the PDF reader: the path of this program is unknown");
	int in = memfd_of(data, len), out[2] = { -1, -1 };
	if (in < 0 || pipe2(out, O_CLOEXEC) != 0) {
		int saved = errno;
		if (in >= 0)
			close(in);
		return fail(err, "cannot start the PDF reader: %s", strerror(saved));
	}
	pid_t pid = spawn_reader(self, limits, name, in, out[1]);
	int saved = errno;
	close(in);
	close(out[1]);
	if (pid < 0) {
		close(out[0]);
		return fail(err, "cannot start the PDF reader %s: %s", self, strerror(saved));
	}
	double deadline = now() + (double)limits->seconds * KS_PDF_WALL_FACTOR + KS_PDF_WALL_EXTRA;
	char *answer;
	size_t n;
	int got = read_answer(out[0], KS_MAX_PDF_ANSWER_BYTES, deadline, &answer, &n);
	saved = errno;
	close(out[0]);
	if (got != 0)
		kill(pid, SIGKILL);
	int status;
	double cpu;
	bool in_time = reap(pid, deadline, &status, &cpu);
	int rc;
	if (got == 1)
		rc = fail(err, "too costly to read: its text is more than %u MB",
			  KS_MAX_PDF_ANSWER_BYTES >> 20);
	else if (got < 0)
		rc = fail(err, "cannot read the PDF reader's answer: %s", strerror(saved));
	else if (got == 2 || !in_time)
		rc = fail(err,
			  "too costly to read: no answer after %u s of wall-clock time "
			  "(--pdf-seconds %u times %u, and %u s; raise --pdf-seconds to wait "
			  "longer)",
			  limits->seconds * KS_PDF_WALL_FACTOR + KS_PDF_WALL_EXTRA, limits->seconds,
			  KS_PDF_WALL_FACTOR, KS_PDF_WALL_EXTRA);
	else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		rc = judge(limits, status, cpu, err);
	else if ((rc = ks_document_read(answer, n, doc, err)) == -2)
		rc = fail(err, "cannot read the PDF: its reader's answer is malformed");
	free(answer);
	return rc;
}
