/* test-bounds.c — documents that must not parse, and the bounds of
 * indexer/index-limits.h (indexer/bound.c, indexer/parse.c): long fields
 * cut, and every bound named in a warning. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "parse-fixtures.h"
#include "parse.h"
#include "text.h"

static void test_bad_documents(void)
{
	static const struct {
		const char *name, *src;
		size_t len; /* 0: strlen(src) */
		int line;
		const char *reason;
	} cases[] = {
		{ "empty", "", 0, 1, "empty file" },
		{ "blank", "\n  \n\t\n\n", 0, 1, "empty file" },
		{ "nul", "REFERAT x\n\nabc\0def", 17, 3, "binary" },
		{ "controls", "\x01\x02\x03\x04\x05\x06\x07\x08 abc", 0, 1, "binary" },
		{ "prose", "\nHej med dig.\nDette er ikke et referat.\n", 0, 2,
		  "not a council document" },
		{ "no items",
		  "REFERAT Direktionen d. 01-02-2024\n\nMødedato Torsdag d. 1. februar 2024\n", 0,
		  1, "no agenda items" },
		{ "no title", "REFERAT Direktionen d. 01-02-2024\n\nPunkt 1: Noget\n\nPunkt 2: \n",
		  0, 5, "has no title" },
		{ "twice", "REFERAT Direktionen d. 01-02-2024\n\nPunkt 1: A\n\nPunkt 1: B\n", 0, 5,
		  "appears twice" },
		{ "bad date", "REFERAT Direktionen d. 31-02-2024\n\nPunkt 1: A\n", 0, 1,
		  "DD-MM-YYYY" },
		{ "no date", "REFERAT Direktionen\n\nPunkt 1: A\n", 0, 1, "no meeting date" },
		{ "bad amount",
		  "Bemærkninger - X \n \nJobcenter \n \n"
		  "Samlet nettobudget for området: mange penge kr. \n",
		  0, 5, "nettobudget" },
		{ "no area", "Samlet nettobudget for området: 5 kr.\n", 0, 1, "without an area" },
		{ "undefined cp1252", "REFERAT \x81konomi d. 01-02-2024\n", 0, 1, "0x81" },
		{ "utf-16", "\xff\xfeR\0E\0F\0", 8, 1, "UTF-16" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		size_t len = cases[i].len ? cases[i].len : strlen(cases[i].src);
		ks_parse_error err = parse_fails(cases[i].src, len);
		if (err.line != cases[i].line)
			fprintf(stderr, "case %s: line %d, want %d\n", cases[i].name, err.line,
				cases[i].line);
		CHECK(err.line == cases[i].line);
		CHECK_CONTAINS(err.message, cases[i].reason);
	}
}

static void test_long_fields(void)
{
	/* A 300-character title and a Behandling that is a whole paragraph
	 * parse; the paragraph names no list of bodies. */
	char title[301];
	memset(title, 'x', 300);
	title[300] = '\0';
	char items[2048];
	snprintf(items, sizeof items,
		 "Punkt 1: %s\n\nBehandling\n\nSagen er behandlet i flere omgange af forskellige "
		 "udvalg og råd, senest på et temamøde hvor alle var inviteret.\n",
		 title);
	char *src = minutes(items);
	ks_document doc;
	if (parse_ok(src, &doc) && doc.n_records == 1) {
		CHECK(strlen(doc.records[0].title) == 300);
		CHECK(doc.records[0].behandling.n == 0);
		CHECK_CONTAINS(doc.records[0].sections[KS_SEC_BEHANDLING], "temamøde");
	} else {
		CHECK(false);
	}
	ks_document_clear(&doc);
	free(src);
}

/* The warning of DOC that contains WHAT, or NULL. */
static const ks_parse_error *warning_about(const ks_document *doc, const char *what)
{
	for (size_t i = 0; i < doc->n_warnings; i++)
		if (strstr(doc->warnings[i].message, what))
			return &doc->warnings[i];
	return NULL;
}

/* Every bound of indexer/index-limits.h: a line, a record's text, a title, a list.
 * What is past a bound is cut after a word (else between two characters)
 * with a warning naming the line; the document parses. */
static void test_bounds(void)
{
	ks_sb sb = { 0 };
	/* Punkt 1 on line 16; on line 20, 1.5 MB of two-byte letters after one
	 * of one byte, no blank (cut between two characters). */
	ks_sb_puts(&sb, "Punkt 1: Lang linje\n\nSagsfremstilling\n\nx");
	for (size_t i = 0; i < 750000; i++)
		ks_sb_puts(&sb, "æ");
	ks_sb_puts(&sb, "\n\nBeslutning\n\nGodkendt.\n\n");
	/* Punkt 2 on line 26: a title of 4,500 bytes of words. */
	ks_sb_puts(&sb, "Punkt 2: ");
	for (size_t i = 0; i < 500; i++)
		ks_sb_puts(&sb, "Titel nr ");
	ks_sb_puts(&sb, "slut\n\n");
	/* Punkt 3 on line 28: a record of 5,000 short paragraphs, 1.1 MB, and
	 * 3,000 Bilag, 170 kB. */
	ks_sb_puts(&sb, "Punkt 3: Mange linjer\n\nSagsfremstilling\n\n");
	for (size_t i = 0; i < 5000; i++)
		ks_sb_puts(&sb,
			   "Kommunens budget for børn og unge, ældre og handicappede borgere i "
			   "hele kommunen, skoler, dagtilbud, veje, parker og idrætsanlæg, "
			   "kultur, fritid, beskæftigelse og administration, alle områder "
			   "igen og igen.\n\n");
	ks_sb_puts(&sb, "Beslutning\n\nGodkendt.\n\nBilag\n\n");
	for (size_t i = 0; i < 3000; i++)
		ks_sb_puts(&sb, "Bilag: Notat om budgettets forudsætninger, version nr. 12\n");
	char *items = ks_sb_take(&sb);
	char *src = minutes(items);
	ks_document doc;
	if (!parse_ok(src, &doc) || doc.n_records != 3) {
		CHECK(false);
		goto out;
	}
	const ks_record *r = &doc.records[0];
	const char *body = r->sections[KS_SEC_SAGSFREMSTILLING];
	/* With the decision, the text holds 1 MB. */
	CHECK(body && strlen(body) == KS_MAX_TEXT_BYTES - strlen("\n\nGodkendt."));
	CHECK(body && ks_utf8_valid(body, strlen(body)));
	CHECK_STR(r->sections[KS_SEC_BESLUTNING], "Godkendt.");
	const ks_parse_error *w = warning_about(&doc, "a line of 1500001 bytes cut");
	CHECK(w && w->line == 20 && w->page == 0);
	CHECK_CONTAINS(w ? w->message : NULL, "a line holds at most 1048576 bytes, 1 MB");

	r = &doc.records[1];
	CHECK(strlen(r->title) <= KS_MAX_FIELD_BYTES && strlen(r->title) > KS_MAX_FIELD_BYTES - 16);
	size_t n = strlen(r->title);
	CHECK(!strcmp(r->title + n - 6, " Titel") || !strcmp(r->title + n - 3, " nr"));
	w = warning_about(&doc, "Punkt 2: its title cut to its first 4096 bytes");
	CHECK(w && w->line == 26);

	r = &doc.records[2];
	char *text = ks_record_text(r);
	CHECK(text && strlen(text) <= KS_MAX_TEXT_BYTES && strlen(text) > KS_MAX_TEXT_BYTES - 300);
	CHECK(text && text[strlen(text) - 1] != ' ');
	free(text);
	CHECK_STR(r->sections[KS_SEC_BESLUTNING], "Godkendt.");
	CHECK(r->bilag.n > 1000 && r->bilag.n < 3000);
	size_t bilag = 0;
	for (size_t i = 0; i < r->bilag.n; i++)
		bilag += strlen(r->bilag.v[i]);
	CHECK(bilag <= KS_MAX_LIST_BYTES && bilag > KS_MAX_LIST_BYTES - 100);
	w = warning_about(&doc, "Punkt 3: its text cut to its first 1048576 bytes");
	CHECK(w && w->line == 28);
	CHECK(warning_about(&doc, "Punkt 3: its Bilag list cut") != NULL);
	CHECK(doc.n_warnings == 5);
	CHECK(warning_about(&doc, "Punkt 1: its text cut") != NULL);
	/* Nothing else is cut: the meeting, and record 1's title. */
	CHECK_STR(doc.meeting.place, "Mødelokale 8");
	CHECK_STR(doc.records[0].title, "Lang linje");
out:
	ks_document_clear(&doc);
	free(src);
	free(items);
}

int main(void)
{
	RUN(test_bad_documents);
	RUN(test_long_fields);
	RUN(test_bounds);
	return check_summary();
}
