/* ks-dbcheck — looks into an index through the project's own binding, for
 * the end-to-end tests:
 *
 *   ks-dbcheck DBDIR count            the number of records
 *   ks-dbcheck DBDIR search QUERY [N] the estimated matches, then the ids of
 *                                     the best N (default 10), one a line
 *   ks-dbcheck DBDIR data ID          the stored record of ID
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ks-xapian.h"

static int fail(ks_db *db, ks_status st, const char *what)
{
	fprintf(stderr, "ks-dbcheck: %s: %s: %s\n", what, ks_status_str(st),
		db ? ks_db_error(db) : "");
	ks_db_close(db);
	return 1;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: ks-dbcheck DBDIR count|search QUERY [N]|data ID\n");
		return 2;
	}
	const char *path = argv[1];
	ks_db *db = NULL;
	char *message = NULL;
	ks_status st = ks_db_open_read(&path, 1, &db, &message);
	if (st) {
		fprintf(stderr, "ks-dbcheck: %s: %s: %s\n", path, ks_status_str(st),
			message ? message : "");
		free(message);
		return 1;
	}
	if (!strcmp(argv[2], "count")) {
		uint32_t n;
		if ((st = ks_db_doccount(db, &n)))
			return fail(db, st, "count");
		printf("%u\n", n);
	} else if (!strcmp(argv[2], "search") && argc >= 4) {
		unsigned n = argc >= 5 ? (unsigned)atoi(argv[4]) : 10;
		ks_hits *hits;
		if ((st = ks_db_search(db, argv[3], 0, n, &hits)))
			return fail(db, st, "search");
		printf("%u\n", ks_hits_total(hits));
		for (size_t i = 0; i < ks_hits_size(hits); i++)
			printf("%s\n", ks_hits_id(hits, i));
		ks_hits_free(hits);
	} else if (!strcmp(argv[2], "data") && argc >= 4) {
		char *data;
		if ((st = ks_db_get_data(db, argv[3], &data)))
			return fail(db, st, "data");
		printf("%s\n", data);
		free(data);
	} else {
		fprintf(stderr, "ks-dbcheck: unknown command '%s'\n", argv[2]);
		ks_db_close(db);
		return 2;
	}
	ks_db_close(db);
	return 0;
}
