/* workers.h — the search threads.
 *
 * libmicrohttpd's threads only move bytes: each polls its connections with
 * epoll, and a connection stays with the thread that accepted it.  Were the
 * searches run there too, connections that happened to land on one thread
 * would queue behind each other while another core idled.  So a request
 * that needs the index is suspended and handed to this pool: the first
 * free search thread answers it, with its own Xapian reader, and resumes
 * the connection. */
#ifndef KS_WORKERS_H
#define KS_WORKERS_H

#include <stdbool.h>

typedef struct ks_job ks_job;
struct ks_job {
	ks_job *next;             /* the queue's; set by ks_workers_submit() */
	void (*run)(ks_job *job); /* runs on a search thread */
};

typedef struct ks_workers ks_workers;

/* Starts N search threads, each of which first calls INIT(ARG) (when not
 * NULL) before it takes a job; returns when every INIT has returned.  NULL
 * when a thread could not be started (or out of memory). */
ks_workers *ks_workers_start(unsigned n, void (*init)(void *arg), void *arg);

/* Queues JOB; the first free thread runs it.  JOB stays the caller's and
 * must live until it has run.  False, and JOB not queued, once
 * ks_workers_stop() has begun. */
bool ks_workers_submit(ks_workers *w, ks_job *job);

/* Refuses new jobs, runs what is queued, and ends the threads.  W stays
 * valid (submitting to it is refused) until ks_workers_free(). */
void ks_workers_stop(ks_workers *w);

/* Runs the jobs still queued on the calling thread, now, and empties the
 * queue: when the server stops, the requests that waited are refused at
 * once rather than each after the search a thread is still running. */
void ks_workers_run_queued(ks_workers *w);

/* Stops W if needed and frees it.  Accepts NULL. */
void ks_workers_free(ks_workers *w);

#endif
