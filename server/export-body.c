/* export-body.c — an export's body sent from its temporary file.
 *
 * libmicrohttpd would send the file itself (MHD_create_response_from_fd),
 * but then the export's slot could only be given back when the request is
 * done, which comes after the client has its last byte: a client that
 * asks for its next export at once would find its own slot still taken.
 * Read here, the slot goes back when the last piece is handed over, before
 * the client can have it. */

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "ks-limits.h"
#include "server.h"

typedef struct {
	int fd;
	uint64_t size;
	ks_request *req; /* lives until the request is done, after the last read */
} export_body;

static ssize_t read_piece(void *cls, uint64_t pos, char *buf, size_t max)
{
	export_body *e = cls;
	if (pos >= e->size)
		return MHD_CONTENT_READER_END_OF_STREAM;
	if (max > e->size - pos)
		max = (size_t)(e->size - pos);
	ssize_t n;
	do
		n = pread(e->fd, buf, max, (off_t)pos);
	while (n < 0 && errno == EINTR);
	if (n <= 0)
		return MHD_CONTENT_READER_END_WITH_ERROR; /* the file shrank: cut short */
	if (pos + (uint64_t)n >= e->size && e->req) {
		ks_export_release(e->req);
		e->req = NULL;
	}
	return n;
}

static void free_body(void *cls)
{
	export_body *e = cls;
	close(e->fd);
	free(e);
}

struct MHD_Response *ks_export_response(ks_request *req)
{
	export_body *e = malloc(sizeof *e);
	if (!e)
		return NULL;
	*e = (export_body){ .fd = req->fd, .size = req->fd_size, .req = req };
	struct MHD_Response *resp = MHD_create_response_from_callback(
		req->fd_size, KS_EXPORT_CHUNK_BYTES, read_piece, e, free_body);
	if (!resp) {
		free(e);
		return NULL;
	}
	req->fd = -1; /* free_body closes it */
	return resp;
}
