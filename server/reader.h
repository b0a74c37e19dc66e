/* reader.h — each worker thread's own Xapian reader, kept up to date with
 * the index on disk. */
#ifndef KS_READER_H
#define KS_READER_H

#include "server.h"

/* Prepares the per-thread storage; once, before the daemon starts. */
int ks_readers_init(void);

/* The calling thread's reader, opened on first use and brought up to the
 * newest index: reopened when the indexer committed (the version file
 * changed), opened anew when the index directory was replaced or SIGHUP
 * asked for it.  When a newer index cannot be opened, the last good one
 * keeps serving.  NULL only when none could ever be opened; *WHY then says
 * why (static storage of the thread).  Owned by the thread: closed when
 * it exits. */
ks_db *ks_reader_get(const ks_server *server, const char **why);

/* Reopens the calling thread's reader at once (after KS_ERR_MODIFIED). */
void ks_reader_reopen(const ks_server *server);

/* Closes the calling thread's reader: the next ks_reader_get() opens every
 * database anew (after KS_ERR_NETWORK: a remote shard's connection, once
 * broken, stays broken, even when its xapian-tcpsrv is back). */
void ks_reader_forget(void);

#endif
