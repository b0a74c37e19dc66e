/* conn-stub.h — server/conn.c's accessors for requests made up in a test,
 * without libmicrohttpd's daemon (conn-stub.c): the unit tests of the
 * server (tests/unit/) and its fuzzers (tests/fuzz/) link this file instead
 * of conn.c.  One request at a time; the strings given stay the caller's
 * and must outlive the request. */
#ifndef KS_CONN_STUB_H
#define KS_CONN_STUB_H

/* Splits TARGET (the request target as sent, modified in place) as
 * libmicrohttpd does: the path before '?' percent-decoded, the query string
 * split at '&' and at the first '=', each part with '+' as space and
 * percent-decoded.  Returns the path (in TARGET).  At most 64 parameters. */
char *conn_stub_target(char *target);

/* The request's headers: HEADERS is a NULL-terminated list of name and
 * value, one after the other; NULL gives the one header "Host:
 * localhost:8080" (the default). */
void conn_stub_headers(const char *const *headers);

#endif
