/* server-fixtures.h — the server of the unit tests (server-fixtures.c): an
 * index of corpus/ built with the library, one reader of it, and requests
 * answered by the server's own code (server/request.c and the routes) with
 * conn-stub.c for libmicrohttpd. */
#ifndef KS_SERVER_FIXTURES_H
#define KS_SERVER_FIXTURES_H

#include <stdbool.h>

#include "server.h"

/* The server the requests go to (set up by server_start()). */
extern ks_server test_server;

/* Indexes every document of CORPUS (a directory) into a fresh database
 * below a temporary directory, as the indexer indexes them, and starts
 * test_server over it with --web WEB.  False (and why, on stderr) when it
 * cannot. */
bool server_start(const char *corpus, const char *web);
/* Closes the reader and removes the temporary directory. */
void server_stop(void);

/* A request answered: REQ as the server left it, BODY its body (an
 * export read back from its file; a file of --web is not read), JSON the
 * body parsed when it is JSON, else NULL. */
typedef struct answer {
	ks_request req;
	char *target, *copy;
	char *body;
	cJSON *json;
} answer;

/* METHOD TARGET (the request target as sent) with the headers of
 * conn_stub_headers(), answered as daemon.c answers it: refused, checked,
 * then answered by its route.  Malloc'd; answer_free() frees it. */
answer *ask(const char *method, const char *target);
/* Frees A (NULL is fine). */
void answer_free(answer *a);

/* The message of the API's JSON error in A, or NULL. */
const char *error_message(const answer *a);

#endif
