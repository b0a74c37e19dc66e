/* fuzz-parse.c — libFuzzer target: arbitrary bytes as a document, through
 * the indexer's decoder and parser (indexer/decode.c, parse.c) and the JSON
 * and text of every record it yields.  Whatever the bytes, the parser
 * returns records or an error with a line and a message; the sanitizers
 * catch the rest. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "text.h"

/* The file name decides ids, the year of budget remarks and Markdown: the
 * first byte picks one of the names the corpus has. */
static const char *const names[] = {
	"direktionen-2025-11-17.txt",
	"direktionen-2025-08-18.md",
	"budget-2024-oekonomiudvalget.txt",
	"x.txt",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *name = names[size ? data[0] % 4 : 0];
	ks_document doc = { 0 };
	ks_parse_error err = { 0 };
	if (ks_parse((const char *)data, size, name, &doc, &err) != 0) {
		/* A refusal names a line and a reason. */
		if (err.line < 0 || !err.message[0] ||
		    !memchr(err.message, '\0', sizeof err.message)) {
			fprintf(stderr, "fuzz-parse: an error without a reason (line %d)\n",
				err.line);
			abort();
		}
		if (doc.n_records) {
			fputs("fuzz-parse: records left after an error\n", stderr);
			abort();
		}
		return 0;
	}
	for (size_t i = 0; i < doc.n_records; i++) {
		char *json = ks_record_json(&doc.records[i]);
		char *text = ks_record_text(&doc.records[i]);
		/* What goes into the index and out of the API is UTF-8. */
		if (!json || !text || !ks_utf8_valid(json, strlen(json)) ||
		    !ks_utf8_valid(text, strlen(text))) {
			fprintf(stderr, "fuzz-parse: record %zu is not valid UTF-8\n", i);
			abort();
		}
		free(json);
		free(text);
	}
	ks_document_clear(&doc);
	return 0;
}
