/* deadline.h — the request deadline: a connection whose request line and
 * headers have not arrived whole within KS_REQUEST_TIMEOUT seconds is shut
 * down.  libmicrohttpd's own timeout counts only silence, which a client
 * sending a byte a second never lets it see. */
#ifndef KS_DEADLINE_H
#define KS_DEADLINE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <time.h>

/* A connection as the deadline sees it: from when its request began to be
 * awaited (the connection opened, or the previous response was sent)
 * until the request's headers have arrived whole. */
typedef struct ks_deadline_conn {
	struct ks_deadline_conn *prev, *next;
	int fd;
	struct timespec since;
	bool arrived; /* the headers are in: the deadline does not apply */
	bool dropped; /* shut down by the deadline */
} ks_deadline_conn;

/* The connections, for the deadline thread; a connection enters when it
 * opens and leaves (under LOCK) before libmicrohttpd closes its socket, so
 * that the thread never touches a descriptor that could be another's. */
typedef struct ks_deadline {
	pthread_mutex_t lock;
	ks_deadline_conn *list;
	pthread_t thread;
	bool running;
	atomic_bool stop;
} ks_deadline;

/* Prepares DL, with no connection and no thread yet. */
void ks_deadline_init(ks_deadline *dl);

/* Starts DL's thread, which every quarter of a second shuts down the
 * connections past their deadline.  False when it could not be started. */
bool ks_deadline_start(ks_deadline *dl);

/* Stops DL's thread, if it runs, and waits for it to end. */
void ks_deadline_stop(ks_deadline *dl);

/* Adds the connection on socket FD, whose deadline runs from now.  Returns
 * its entry (malloc'd, owned by DL until ks_deadline_remove()), or NULL
 * when out of memory: the idle timeout still applies to it. */
ks_deadline_conn *ks_deadline_add(ks_deadline *dl, int fd);

/* Removes connection C and frees it, before its socket is closed. */
void ks_deadline_remove(ks_deadline *dl, ks_deadline_conn *c);

/* Sets whether C's request has arrived; when it has not, its deadline runs
 * from now.  Accepts NULL. */
void ks_deadline_arrived(ks_deadline *dl, ks_deadline_conn *c, bool arrived);

#endif
