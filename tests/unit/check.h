/* check.h — the assertions of the C unit tests.  They stay on under NDEBUG,
 * report file and line, and count failures instead of stopping, so one run
 * shows every broken case.  The counts are one pair per program (check.c),
 * so that a check in a shared fixture (fixtures.c) counts as any other. */
#ifndef KS_CHECK_H
#define KS_CHECK_H

#include <stdio.h>
#include <string.h>

/* The counts of one test program, across its files (check.c). */
extern int check_failures;
extern int check_count;

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		check_count++;                                                                     \
		if (!(cond)) {                                                                     \
			check_failures++;                                                          \
			fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);   \
		}                                                                                  \
	} while (0)

#define CHECK_STR(got, want)                                                                       \
	do {                                                                                       \
		const char *g_ = (got), *w_ = (want);                                              \
		check_count++;                                                                     \
		if (!g_ || !w_ ? g_ != w_ : strcmp(g_, w_) != 0) {                                 \
			check_failures++;                                                          \
			fprintf(stderr, "%s:%d: %s\n  got:  \"%s\"\n  want: \"%s\"\n", __FILE__,   \
				__LINE__, #got, g_ ? g_ : "(null)", w_ ? w_ : "(null)");           \
		}                                                                                  \
	} while (0)

#define CHECK_CONTAINS(hay, needle)                                                                \
	do {                                                                                       \
		const char *h_ = (hay), *n_ = (needle);                                            \
		check_count++;                                                                     \
		if (!h_ || !strstr(h_, n_)) {                                                      \
			check_failures++;                                                          \
			fprintf(stderr, "%s:%d: %s does not contain \"%s\"\n  in: \"%s\"\n",       \
				__FILE__, __LINE__, #hay, n_, h_ ? h_ : "(null)");                 \
		}                                                                                  \
	} while (0)

#define CHECK_LACKS(hay, needle)                                                                   \
	do {                                                                                       \
		const char *h_ = (hay), *n_ = (needle);                                            \
		check_count++;                                                                     \
		if (h_ && strstr(h_, n_)) {                                                        \
			check_failures++;                                                          \
			fprintf(stderr, "%s:%d: %s contains \"%s\"\n  in: \"%s\"\n", __FILE__,     \
				__LINE__, #hay, n_, h_);                                           \
		}                                                                                  \
	} while (0)

/* Runs one named test function and says so, TAP-like. */
#define RUN(fn)                                                                                    \
	do {                                                                                       \
		int before_ = check_failures;                                                      \
		fn();                                                                              \
		printf("%s %s\n", check_failures == before_ ? "ok" : "not ok", #fn);               \
	} while (0)

/* Prints the counts; the exit status of the program: 1 when a check failed. */
int check_summary(void);

#endif
