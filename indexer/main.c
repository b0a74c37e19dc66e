/* main.c — kommunesoeg-index: the command line.
 *
 *   kommunesoeg-index [--db DIR] [--shards N] [--jobs N] [--words FILE]
 *                     [--synonyms FILE] [--pdf-memory MB] [--pdf-seconds S]
 *                     [--dump] [--quiet] PATH...
 *
 * A new index is built in DIR.tmp-PID and renamed into place when complete;
 * an existing one is updated in one Xapian transaction.  Either way a reader
 * sees the old index or the new one, and a killed run leaves the old one.
 * The steps of a run, and the file of each, are listed in
 * kommunesoeg-index.h.
 */
#include "kommunesoeg-index.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "index-limits.h"
#include "ks-config.h"
#include "schema.h"
#include "text.h"

const char *const prog = "kommunesoeg-index";

/* Seconds on the monotonic clock. */
double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The walk and the bookkeeping around the index cannot go on without
 * memory; nothing is committed, so the old index stays as it was. */
_Noreturn void out_of_memory(void)
{
	fprintf(stderr, "%s: out of memory\n", prog);
	exit(EXIT_USAGE);
}

/* realloc() and strdup() that end the run when out of memory. */
void *xrealloc_or_die(void *p, size_t n)
{
	void *q = realloc(p, n);
	if (!q)
		out_of_memory();
	return q;
}

char *xstrdup(const char *s)
{
	char *d = strdup(s);
	if (!d)
		out_of_memory();
	return d;
}

/* The schema version with a digest of the synonym file: the documents carry
 * the synonym groups' terms, so other synonyms need every record indexed
 * anew, which a different KS_META_SCHEMA causes.  False when the file
 * cannot be read. */
static bool schema_stamp(options *o)
{
	uint64_t digest = 0;
	if (o->synonyms) {
		FILE *f = fopen(o->synonyms, "rb");
		if (!f)
			return false;
		char buf[8192];
		size_t n;
		digest = 0xcbf29ce484222325ULL;
		while ((n = fread(buf, 1, sizeof buf, f)) > 0)
			digest ^= ks_hash64(buf, n) + 0x9e3779b97f4a7c15ULL + (digest << 6);
		fclose(f);
	}
	snprintf(o->schema, sizeof o->schema, "%s synonyms %016llx", KS_SCHEMA_VERSION,
		 (unsigned long long)digest);
	return true;
}

/* The synonym file: the installed one, else the source tree's. */
static const char *default_synonyms(void)
{
	return access(KS_SYNONYMS_INSTALLED, R_OK) == 0 ? KS_SYNONYMS_INSTALLED
							: KS_SYNONYMS_SOURCE;
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: %s [--db DIR] [--shards N] [--jobs N] [--words FILE] [--synonyms FILE]\n"
		"       [--pdf-memory MB] [--pdf-seconds S] [--dump] [--quiet] PATH...\n"
		"Parse council documents (.txt, .md, .pdf; directories recursively) and build the\n"
		"Danish full-text index of Kommunesøg.\n\n"
		"  --db DIR    the Xapian index to create or update (default data/index);\n"
		"              only changed files are re-read, records of removed files\n"
		"              are deleted, readers never see a half-written index\n"
		"  --shards N  split the records over N indexes DIR/0 ... DIR/N-1 by case\n"
		"              number (a case stays on one shard), for xapian-tcpsrv\n"
		"  --jobs N    writers of a new index or new shards at once (default: one\n"
		"              per core)\n"
		"  --words FILE  the word list compounds are split into (default\n"
		"              " DEFAULT_WORDS ", Debian's wdanish; \"\" for none)\n"
		"  --synonyms FILE  the synonym groups, one a line: KL = Kommunernes\n"
		"              Landsforening (default: the installed synonyms.txt; \"\" for\n"
		"              none); other synonyms re-index every record\n"
		"  --pdf-memory MB  the memory a PDF may take to read (default %u);\n"
		"              each PDF is read in a process of its own\n"
		"  --pdf-seconds S  the CPU time a PDF may take to read (default %u);\n"
		"              a PDF past either is named, the other files are indexed\n"
		"  --dump      print the parsed records as JSON Lines, write no index\n"
		"  --quiet     no progress and no summary on stderr\n"
		"  --help      this text\n"
		"  --version   the version\n\n"
		"Exit status: 0 all indexed; 1 some inputs could not be parsed (each named\n"
		"on stderr as FILE:LINE: reason); 2 usage error or the index could not be\n"
		"written.\n",
		prog, KS_PDF_MEMORY_MB, KS_PDF_SECONDS);
}

/* The value of option NAME, a number of WHAT from MIN to MAX, into *OUT;
 * false (having said why) when it is none. */
static bool range_option(const char *value, const char *name, const char *what, long min, long max,
			 unsigned *out)
{
	char *end;
	errno = 0;
	long n = strtol(value, &end, 10);
	if (errno || end == value || *end || n < min || n > max) {
		fprintf(stderr, "%s: %s needs a number of %s from %ld to %ld, not '%s'\n", prog,
			name, what, min, max, value);
		return false;
	}
	*out = (unsigned)n;
	return true;
}

/* The same from 1 to MAX. */
static bool count_option(const char *value, const char *name, const char *what, long max,
			 unsigned *out)
{
	return range_option(value, name, what, 1, max, out);
}

/* The path of this program, which reads each PDF in a child process:
 * /proc/self/exe (valgrind answers it with the program it runs), else
 * ARGV0 when it is a path.  Malloc'd; NULL when neither. */
static char *self_path(const char *argv0)
{
	char buf[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
	if (n > 0) {
		buf[n] = '\0';
		return xstrdup(buf);
	}
	return strchr(argv0, '/') ? realpath(argv0, NULL) : NULL;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], KS_PDF_CHILD_FLAG))
		return ks_pdf_child_main(argc, argv);
	options o = { .db = "data/index",
		      .part_records = PART_RECORDS,
		      .flush_records = WRITER_FLUSH_RECORDS,
		      .update_records = UPDATE_RECORDS,
		      .words = DEFAULT_WORDS,
		      .synonyms = default_synonyms() };
	const char *part_records = getenv("KS_PART_RECORDS");
	if (part_records && !count_option(part_records, "KS_PART_RECORDS", "records",
					  MAX_PART_RECORDS, &o.part_records))
		return EXIT_USAGE;
	const char *flush_records = getenv("KS_FLUSH_RECORDS");
	if (flush_records && !count_option(flush_records, "KS_FLUSH_RECORDS", "records",
					   MAX_PART_RECORDS, &o.flush_records))
		return EXIT_USAGE;
	const char *update_records = getenv("KS_UPDATE_RECORDS");
	if (update_records && !count_option(update_records, "KS_UPDATE_RECORDS", "records",
					    MAX_UPDATE_RECORDS, &o.update_records))
		return EXIT_USAGE;
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "shards", required_argument, NULL, 'S' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "dump", no_argument, NULL, 'D' },
		{ "words", required_argument, NULL, 'w' },
		{ "synonyms", required_argument, NULL, 's' },
		{ "pdf-memory", required_argument, NULL, 'M' },
		{ "pdf-seconds", required_argument, NULL, 'T' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		switch (c) {
		case 'd':
			if (!*optarg) {
				fprintf(stderr, "%s: --db needs a directory\n", prog);
				return EXIT_USAGE;
			}
			o.db = optarg;
			break;
		case 'D':
			o.dump = true;
			break;
		case 'S':
			if (!count_option(optarg, "--shards", "shards", MAX_SHARDS, &o.shards))
				return EXIT_USAGE;
			break;
		case 'j':
			if (!count_option(optarg, "--jobs", "writers", MAX_JOBS, &o.jobs))
				return EXIT_USAGE;
			break;
		case 'w':
			o.words = *optarg ? optarg : NULL;
			break;
		case 's':
			o.synonyms = *optarg ? optarg : NULL;
			break;
		case 'M':
			if (!range_option(optarg, "--pdf-memory", "megabytes", KS_PDF_MEMORY_MIN_MB,
					  KS_PDF_MEMORY_MAX_MB, &pdf_reader.limits.memory_mb))
				return EXIT_USAGE;
			break;
		case 'T':
			if (!count_option(optarg, "--pdf-seconds", "seconds", KS_PDF_SECONDS_MAX,
					  &pdf_reader.limits.seconds))
				return EXIT_USAGE;
			break;
		case 'q':
			o.quiet = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("%s %s\n", prog, KS_VERSION);
			return 0;
		case ':':
			fprintf(stderr, "%s: %s needs a value\n", prog, argv[optind - 1]);
			usage(stderr);
			return EXIT_USAGE;
		default:
			fprintf(stderr, "%s: unknown option '%s'\n", prog, argv[optind - 1]);
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind == argc) {
		fprintf(stderr, "%s: no PATH given\n", prog);
		usage(stderr);
		return EXIT_USAGE;
	}
	o.progress = !o.quiet && isatty(STDERR_FILENO);
	if (!o.jobs) {
		long cores = sysconf(_SC_NPROCESSORS_ONLN);
		o.jobs = cores < 1 ? 1 : cores > MAX_JOBS ? MAX_JOBS : (unsigned)cores;
	}
	if (!o.dump && check_layout(&o))
		return EXIT_USAGE;
	if (!o.dump && !schema_stamp(&o)) {
		fprintf(stderr, "%s: cannot read the synonym file %s: %s\n", prog, o.synonyms,
			strerror(errno));
		return EXIT_USAGE;
	}

	pdf_reader.self = self_path(argv[0]);
	double t0 = now();
	idset seen = { 0 };
	inputs in = { .seen = &seen };
	stats s = { 0 };
	size_t n_given = (size_t)(argc - optind);
	ks_given *gv = xrealloc_or_die(NULL, n_given * sizeof *gv);
	s.failed += find_inputs(&in, argv + optind, n_given, gv);

	int exit_code = 0;
	uint32_t doccount = 0;
	if (o.dump)
		exit_code = run_dump(&o, &in, gv, n_given, &s, t0);
	else
		exit_code = run_index(&o, &in, gv, n_given, &s, t0, &doccount);
	progress(&o, &s, in.n, t0, true);
	if (!exit_code && s.failed)
		exit_code = EXIT_PARTIAL;

	if (!o.quiet && exit_code != EXIT_USAGE) {
		if (o.dump)
			fprintf(stderr,
				"%s: %zu files (%zu parsed, %zu failed), %zu records in %.2f s\n",
				prog, s.files, s.parsed, s.failed, s.records, now() - t0);
		else
			fprintf(stderr,
				"%s: %zu files (%zu parsed, %zu unchanged, %zu removed, %zu "
				"failed), "
				"%zu records indexed, %u records in %s, in %.2f s\n",
				prog, s.files, s.parsed, s.unchanged, s.removed, s.failed,
				s.records, doccount, o.db, now() - t0);
	}
	for (size_t i = 0; i < n_given; i++)
		ks_given_clear(&gv[i]);
	free(gv);
	free_inputs(&in);
	free(pdf_reader.self);
	return exit_code;
}
