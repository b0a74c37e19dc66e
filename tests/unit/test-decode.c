/* test-decode.c — the bytes of a document (indexer/decode.c): every
 * encoding parses identically, and control characters are dropped. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "parse-fixtures.h"
#include "parse.h"
#include "text.h"

static char *dump_all(const char *src, size_t len)
{
	ks_document doc;
	ks_parse_error err;
	if (parse_str(src, len, &doc, &err)) {
		fprintf(stderr, "parse error: line %d: %s\n", err.line, err.message);
		return NULL;
	}
	ks_sb sb = { 0 };
	for (size_t i = 0; i < doc.n_records; i++) {
		char *json = ks_record_json(&doc.records[i]);
		ks_sb_puts(&sb, json);
		ks_sb_puts(&sb, "\n");
		free(json);
	}
	ks_document_clear(&doc);
	return ks_sb_take(&sb);
}

static void test_encodings_parse_identically(void)
{
	static const char utf8[] = "REFERAT Økonomiudvalget d. 01-02-2024\n\n"
				   "Punkt 1: Beslutning om æbler, søer og ål – “citat”\n\n"
				   "24-000001\n\nBeslutning\n\nAnbefales.\n";
	/* The same in Windows-1252: æ ø å Ø – “ ” as single bytes. */
	static const char cp1252[] = "REFERAT \xd8konomiudvalget d. 01-02-2024\n\n"
				     "Punkt 1: Beslutning om \xe6"
				     "bler, s\xf8"
				     "er og \xe5l "
				     "\x96 \x93"
				     "citat\x94\n\n"
				     "24-000001\n\nBeslutning\n\nAnbefales.\n";
	char *want = dump_all(utf8, strlen(utf8));
	CHECK(want && strstr(want, "søer og ål – “citat”"));

	char bom[sizeof utf8 + 3] = "\xef\xbb\xbf";
	strcat(bom, utf8);
	char crlf[2 * sizeof utf8], cr[sizeof utf8], bomcrlf[2 * sizeof utf8 + 3] = "\xef\xbb\xbf";
	size_t k = 0;
	for (const char *p = utf8; *p; p++) {
		if (*p == '\n')
			crlf[k++] = '\r';
		crlf[k++] = *p;
	}
	crlf[k] = '\0';
	strcat(bomcrlf, crlf);
	for (k = 0; utf8[k]; k++)
		cr[k] = utf8[k] == '\n' ? '\r' : utf8[k];
	cr[k] = '\0';

	/* Pasted together: the header in UTF-8, the rest in Windows-1252. */
	char mixed[sizeof cp1252 + 8] = "REFERAT \xc3\x98konomiudvalget";
	strcat(mixed, strchr(cp1252, ' ') + strlen(" \xd8konomiudvalget"));

	const char *variants[] = { bom, crlf, cr, bomcrlf, cp1252, mixed };
	for (size_t i = 0; i < sizeof variants / sizeof *variants; i++) {
		char *got = dump_all(variants[i], strlen(variants[i]));
		CHECK_STR(got, want);
		free(got);
	}
	free(want);
}

/* Control characters, and the two code points that are not characters
 * (U+FFFE, U+FFFF), become a space: XML 1.0 forbids them all, so the feed of
 * a document that kept one would not be XML. */
static void test_control_characters_dropped(void)
{
	/* Each case is followed by TAIL: a text of a few control characters
	 * in many is not taken for a binary file. */
	static const char tail[] = "; resten af teksten er almindelige ord, mange nok til at "
				   "et enkelt styretegn ikke ligner en binær fil.\n";
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "a\001b", "a b" },
		{ "a\x1b[31m", "a [31m" },
		{ "a\037b", "a b" },
		{ "ikke\xef\xbf\xbetegn\xef\xbf\xbf!", "ikke tegn !" },
		/* Their neighbours are characters, and stay. */
		{ "\xef\xbf\xbd\xef\xbf\xbc\xf0\x9f\x98\x80\xef\xb7\x90\t\x7f",
		  "\xef\xbf\xbd\xef\xbf\xbc\xf0\x9f\x98\x80\xef\xb7\x90\t\x7f" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char in[256], want[256];
		snprintf(in, sizeof in, "%s%s", cases[i].in, tail);
		snprintf(want, sizeof want, "%s%s", cases[i].out, tail);
		ks_parse_error err = { 0 };
		size_t len = 0;
		char *got = ks_decode(in, strlen(in), &len, &err);
		CHECK_STR(got, want);
		free(got);
	}
	ks_document doc;
	char *src = minutes("Punkt 1: Styre\x01tegn og ikke\xef\xbf\xbetegn\xef\xbf\xbf\n\n"
			    "Beslutning\n\nGodkendt\x02 \xef\xbf\xbf.\n");
	if (parse_ok(src, &doc) && doc.n_records == 1) {
		CHECK_LACKS(doc.records[0].title, "\xef\xbf\xbe");
		CHECK_LACKS(doc.records[0].title, "\xef\xbf\xbf");
		CHECK_LACKS(doc.records[0].title, "\x01");
		CHECK_CONTAINS(doc.records[0].title, "Styre");
		CHECK_LACKS(doc.records[0].sections[KS_SEC_BESLUTNING], "\xef\xbf\xbf");
		CHECK_LACKS(doc.records[0].sections[KS_SEC_BESLUTNING], "\x02");
	} else {
		CHECK(false);
	}
	ks_document_clear(&doc);
	free(src);
}

int main(void)
{
	RUN(test_encodings_parse_identically);
	RUN(test_control_characters_dropped);
	return check_summary();
}
