/* daemon.h — the HTTP side of the server: libmicrohttpd's callbacks, which
 * check each request on its network thread, hand a request that needs the
 * index to a search thread (workers.h) and send its answer, and log every
 * request on stderr. */
#ifndef KS_DAEMON_H
#define KS_DAEMON_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include "deadline.h"
#include "server.h"
#include "workers.h"

/* The server, its search threads, the request deadline, and the count of
 * requests in flight (for draining). */
typedef struct ks_daemon {
	ks_server server;
	ks_workers *workers;
	atomic_uint in_flight;
	atomic_bool stopping; /* SIGTERM: every response closes its connection */
	ks_deadline deadline;
} ks_daemon;

/* Starts libmicrohttpd listening on ADDR (an IPv6 address when IPV6; PORT
 * is ADDR's) with THREADS network threads and at most CONNECTIONS
 * connections, each request answered with DS, which must stay valid until
 * MHD_stop_daemon().  NULL when it could not start (errno says why). */
struct MHD_Daemon *ks_daemon_start(ks_daemon *ds, const struct sockaddr *addr, bool ipv6,
				   uint16_t port, unsigned threads, unsigned connections);

#endif
