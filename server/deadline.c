/* deadline.c — the request deadline's thread and its list of connections
 * (see deadline.h). */
#include "deadline.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>

#include "ks-limits.h"

void ks_deadline_init(ks_deadline *dl)
{
	dl->list = NULL;
	dl->running = false;
	atomic_init(&dl->stop, false);
	pthread_mutex_init(&dl->lock, NULL);
}

ks_deadline_conn *ks_deadline_add(ks_deadline *dl, int fd)
{
	ks_deadline_conn *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	c->fd = fd;
	clock_gettime(CLOCK_MONOTONIC, &c->since);
	pthread_mutex_lock(&dl->lock);
	c->next = dl->list;
	if (dl->list)
		dl->list->prev = c;
	dl->list = c;
	pthread_mutex_unlock(&dl->lock);
	return c;
}

void ks_deadline_remove(ks_deadline *dl, ks_deadline_conn *c)
{
	pthread_mutex_lock(&dl->lock);
	if (c->prev)
		c->prev->next = c->next;
	else
		dl->list = c->next;
	if (c->next)
		c->next->prev = c->prev;
	pthread_mutex_unlock(&dl->lock);
	free(c);
}

void ks_deadline_arrived(ks_deadline *dl, ks_deadline_conn *c, bool arrived)
{
	if (!c)
		return;
	pthread_mutex_lock(&dl->lock);
	c->arrived = arrived;
	clock_gettime(CLOCK_MONOTONIC, &c->since);
	pthread_mutex_unlock(&dl->lock);
}

/* The thread: a connection whose request has not arrived whole within
 * KS_REQUEST_TIMEOUT seconds is shut down; libmicrohttpd sees the end of
 * its stream and closes it. */
static void *run(void *arg)
{
	ks_deadline *dl = arg;
	while (!atomic_load(&dl->stop)) {
		nanosleep(&(struct timespec){ .tv_nsec = 250 * 1000 * 1000 }, NULL);
		struct timespec now;
		clock_gettime(CLOCK_MONOTONIC, &now);
		unsigned dropped = 0;
		pthread_mutex_lock(&dl->lock);
		for (ks_deadline_conn *c = dl->list; c; c = c->next) {
			/* To the millisecond: whole seconds would cut some
			 * connections a second early, before the time the
			 * responses announce (Keep-Alive, daemon.c). */
			long long waited_ms = (long long)(now.tv_sec - c->since.tv_sec) * 1000 +
					      (now.tv_nsec - c->since.tv_nsec) / 1000000;
			if (c->arrived || c->dropped || waited_ms < KS_REQUEST_TIMEOUT * 1000LL)
				continue;
			shutdown(c->fd, SHUT_RDWR);
			c->dropped = true;
			dropped++;
		}
		pthread_mutex_unlock(&dl->lock);
		if (dropped)
			fprintf(stderr,
				"kommunesoeg-server: dropped %u connection%s that sent no whole "
				"request in %d s\n",
				dropped, dropped == 1 ? "" : "s", KS_REQUEST_TIMEOUT);
	}
	return NULL;
}

bool ks_deadline_start(ks_deadline *dl)
{
	if (pthread_create(&dl->thread, NULL, run, dl))
		return false;
	dl->running = true;
	return true;
}

void ks_deadline_stop(ks_deadline *dl)
{
	if (!dl->running)
		return;
	atomic_store(&dl->stop, true);
	pthread_join(dl->thread, NULL);
	dl->running = false;
}
