/* workers.c — a fixed pool of search threads taking jobs from one FIFO
 * (see workers.h).  The queue is bounded by the connection limit: a
 * connection has at most one request in it. */
#include "workers.h"

#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

/* How long the pool stays idle before the memory the searches freed goes
 * back to the system.  Trimming after every request that left the pool
 * idle (with one client, every request) would make each request fault the
 * memory back in; a client's next request comes well within this. */
#define KS_TRIM_AFTER_NS (10 * 1000 * 1000)

struct ks_workers {
	pthread_mutex_t lock;
	pthread_cond_t wake;
	pthread_cond_t started; /* signalled as each thread has run INIT */
	ks_job *head, *tail;
	bool stopping;
	bool joined;
	unsigned ready; /* the threads that have run INIT */
	unsigned busy;  /* the threads running a job */
	bool trim;      /* the pool fell idle at TRIM_AT and has not trimmed since */
	struct timespec trim_at;
	void (*init)(void *arg);
	void *init_arg;
	unsigned n;
	pthread_t threads[];
};

static void *work(void *arg)
{
	ks_workers *w = arg;
	if (w->init)
		w->init(w->init_arg);
	pthread_mutex_lock(&w->lock);
	w->ready++;
	pthread_cond_broadcast(&w->started);
	pthread_mutex_unlock(&w->lock);
	for (;;) {
		pthread_mutex_lock(&w->lock);
		while (!w->head && !w->stopping) {
			if (!w->trim) {
				pthread_cond_wait(&w->wake, &w->lock);
				continue;
			}
			/* When the pool has stayed idle a moment, the memory the
			 * searches freed goes back to the system: malloc keeps it
			 * otherwise in the threads' arenas, and an idle server's
			 * resident memory would be whatever its busiest moment
			 * left behind. */
			if (pthread_cond_timedwait(&w->wake, &w->lock, &w->trim_at) == ETIMEDOUT &&
			    w->trim && !w->head && !w->busy) {
				w->trim = false;
				pthread_mutex_unlock(&w->lock);
				malloc_trim(0);
				pthread_mutex_lock(&w->lock);
			}
		}
		ks_job *job = w->head;
		if (job) {
			w->head = job->next;
			if (!w->head)
				w->tail = NULL;
			w->busy++;
			w->trim = false;
		}
		pthread_mutex_unlock(&w->lock);
		if (!job)
			return NULL; /* stopping, and nothing left to do */
		job->run(job);
		struct timespec now;
		clock_gettime(CLOCK_MONOTONIC, &now);
		pthread_mutex_lock(&w->lock);
		if (--w->busy == 0 && !w->head) {
			w->trim = true;
			w->trim_at = now;
			w->trim_at.tv_nsec += KS_TRIM_AFTER_NS;
			if (w->trim_at.tv_nsec >= 1000000000) {
				w->trim_at.tv_sec++;
				w->trim_at.tv_nsec -= 1000000000;
			}
		}
		pthread_mutex_unlock(&w->lock);
	}
}

ks_workers *ks_workers_start(unsigned n, void (*init)(void *arg), void *arg)
{
	ks_workers *w = calloc(1, sizeof *w + n * sizeof(pthread_t));
	if (!w)
		return NULL;
	pthread_mutex_init(&w->lock, NULL);
	pthread_condattr_t monotonic;
	pthread_condattr_init(&monotonic);
	pthread_condattr_setclock(&monotonic, CLOCK_MONOTONIC);
	pthread_cond_init(&w->wake, &monotonic);
	pthread_condattr_destroy(&monotonic);
	pthread_cond_init(&w->started, NULL);
	w->init = init;
	w->init_arg = arg;
	for (; w->n < n; w->n++)
		if (pthread_create(&w->threads[w->n], NULL, work, w)) {
			ks_workers_free(w);
			return NULL;
		}
	pthread_mutex_lock(&w->lock);
	while (w->ready < w->n)
		pthread_cond_wait(&w->started, &w->lock);
	pthread_mutex_unlock(&w->lock);
	return w;
}

bool ks_workers_submit(ks_workers *w, ks_job *job)
{
	job->next = NULL;
	pthread_mutex_lock(&w->lock);
	bool open = !w->stopping;
	if (open) {
		if (w->tail)
			w->tail->next = job;
		else
			w->head = job;
		w->tail = job;
		pthread_cond_signal(&w->wake);
	}
	pthread_mutex_unlock(&w->lock);
	return open;
}

void ks_workers_stop(ks_workers *w)
{
	pthread_mutex_lock(&w->lock);
	w->stopping = true;
	pthread_cond_broadcast(&w->wake);
	bool joined = w->joined;
	w->joined = true;
	pthread_mutex_unlock(&w->lock);
	if (joined)
		return;
	for (unsigned i = 0; i < w->n; i++)
		pthread_join(w->threads[i], NULL);
}

void ks_workers_run_queued(ks_workers *w)
{
	pthread_mutex_lock(&w->lock);
	ks_job *job = w->head;
	w->head = w->tail = NULL;
	pthread_mutex_unlock(&w->lock);
	while (job) {
		ks_job *next = job->next; /* JOB may be gone once it has run */
		job->run(job);
		job = next;
	}
}

void ks_workers_free(ks_workers *w)
{
	if (!w)
		return;
	ks_workers_stop(w);
	pthread_cond_destroy(&w->wake);
	pthread_cond_destroy(&w->started);
	pthread_mutex_destroy(&w->lock);
	free(w);
}
