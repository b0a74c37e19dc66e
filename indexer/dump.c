/* dump.c — --dump: the parsed records as JSON Lines, and no index. */
#include "kommunesoeg-index.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Prints the records of the inputs IN (found from the PATHs GV) as JSON
 * Lines, their ids settled as a new index would settle them; adds to S.
 * 0 or an exit status. */
int run_dump(const options *o, inputs *in, const ks_given *gv, size_t n_given, stats *s, double t0)
{
	/* Ids of files of the same name tell them apart by their
	 * identities, as a new index would. */
	ks_roots roots = { 0 };
	identify_inputs(in, gv, n_given, &roots, NULL);
	ks_roots_free(&roots);
	idset ids = { 0 };
	for (size_t i = 0; i < in->n; i++) {
		const input *x = &in->v[i];
		size_t len;
		char *data = read_file(x->path, &len);
		ks_document doc;
		s->files++;
		if (!data) {
			fprintf(stderr, "%s: %s\n", x->path, read_error(errno));
			s->failed++;
			continue;
		}
		if (parse_input(x, data, len, &doc, false) == 0) {
			s->parsed++;
			for (size_t k = 0; k < doc.n_records; k++) {
				ks_record *r = &doc.records[k];
				settle_id(r, x->file.tag, idset_has, &ids);
				idset_add(&ids, r->id);
				char *json = ks_record_json(r);
				if (!json)
					out_of_memory();
				puts(json);
				free(json);
				s->records++;
			}
			ks_document_clear(&doc);
		} else {
			s->failed++;
		}
		free(data);
		progress(o, s, in->n, t0, false);
	}
	idset_free(&ids);
	if (fflush(stdout) != 0) {
		fprintf(stderr, "%s: writing the dump: %s\n", prog, strerror(errno));
		return EXIT_USAGE;
	}
	return 0;
}
