/* test-document-json.c — the PDF reader's answer (document-json.c): every
 * document of the corpus, and one written here with every field set or
 * absent, read back equal field for field, and written again byte for
 * byte; a parse error read back; an answer cut off or malformed refused.
 *
 *   test-document-json CORPUS_DIR
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "document-json.h"

/* ---- equality, field by field --------------------------------------------- */

static bool same_str(const char *a, const char *b)
{
	return !a || !b ? a == b : !strcmp(a, b);
}

static bool same_strv(const ks_strv *a, const ks_strv *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++)
		if (!same_str(a->v[i], b->v[i]))
			return false;
	return true;
}

static void check_same_meeting(const ks_meeting *a, const ks_meeting *b)
{
	CHECK_STR(b->title, a->title);
	CHECK_STR(b->udvalg, a->udvalg);
	CHECK_STR(b->date, a->date);
	CHECK_STR(b->time, a->time);
	CHECK_STR(b->place, a->place);
	CHECK(same_strv(&a->participants, &b->participants));
}

static void check_same_record(const ks_record *a, const ks_document *da, const ks_record *b,
			      const ks_document *db)
{
	CHECK_STR(b->id, a->id);
	CHECK(b->type == a->type);
	CHECK_STR(b->title, a->title);
	CHECK_STR(b->sagsnummer, a->sagsnummer);
	CHECK(b->lukket == a->lukket);
	CHECK_STR(b->date, a->date);
	CHECK(b->year == a->year);
	CHECK_STR(b->udvalg, a->udvalg);
	CHECK(b->punkt == a->punkt);
	CHECK((a->meeting == &da->meeting) == (b->meeting == &db->meeting));
	CHECK((a->meeting == NULL) == (b->meeting == NULL));
	for (int i = 0; i < KS_SEC_COUNT; i++)
		CHECK_STR(b->sections[i], a->sections[i]);
	CHECK(same_strv(&a->behandling, &b->behandling));
	CHECK(same_strv(&a->bilag, &b->bilag));
	CHECK_STR(b->beslutning, a->beslutning);
	CHECK(b->has_nettobudget == a->has_nettobudget);
	CHECK(b->nettobudget == a->nettobudget);
	CHECK_STR(b->source, a->source);
	CHECK(b->line == a->line);
	CHECK(b->page == a->page);
}

static void check_same_document(const ks_document *a, const ks_document *b)
{
	CHECK(b->is_meeting == a->is_meeting);
	check_same_meeting(&a->meeting, &b->meeting);
	CHECK(b->n_records == a->n_records);
	for (size_t i = 0; i < a->n_records && i < b->n_records; i++)
		check_same_record(&a->records[i], a, &b->records[i], b);
	CHECK(b->n_warnings == a->n_warnings);
	CHECK(b->more_warnings == a->more_warnings);
	for (size_t i = 0; i < a->n_warnings && i < b->n_warnings; i++) {
		CHECK(b->warnings[i].line == a->warnings[i].line);
		CHECK(b->warnings[i].page == a->warnings[i].page);
		CHECK_STR(b->warnings[i].message, a->warnings[i].message);
	}
}

/* ---- writing and reading ---------------------------------------------------- */

/* What ks_document_write() writes of RC, DOC, ERR; malloc'd, *LEN long. */
static char *written(int rc, const ks_document *doc, const ks_parse_error *err, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);
	CHECK(f != NULL);
	if (!f)
		return NULL;
	CHECK(ks_document_write(f, rc, doc, err) == 0);
	fclose(f);
	return buf;
}

/* DOC written, read back equal, and written again the same. */
static void check_round_trip(const ks_document *doc, const char *name)
{
	size_t len, len2;
	char *a = written(0, doc, NULL, &len);
	ks_document back;
	ks_parse_error err = { 0 };
	int rc = a ? ks_document_read(a, len, &back, &err) : -2;
	if (rc != 0)
		fprintf(stderr, "%s: read back: %d\n", name, rc);
	CHECK(rc == 0);
	if (rc == 0) {
		check_same_document(doc, &back);
		char *b = written(0, &back, NULL, &len2);
		CHECK(b && len2 == len && !memcmp(a, b, len));
		free(b);
		ks_document_clear(&back);
	}
	free(a);
}

static const char *corpus;

static void test_corpus(void)
{
	const char *dir = corpus;
	DIR *d = opendir(dir);
	CHECK(d != NULL);
	struct dirent *e;
	size_t n = 0;
	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char path[4096];
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		FILE *f = fopen(path, "rb");
		static char buf[1 << 20];
		size_t len = f ? fread(buf, 1, sizeof buf, f) : 0;
		if (f)
			fclose(f);
		ks_document doc;
		ks_parse_error err;
		if (ks_parse(buf, len, e->d_name, &doc, &err) == 0) {
			check_round_trip(&doc, e->d_name);
			ks_document_clear(&doc);
			n++;
		}
	}
	if (d)
		closedir(d);
	CHECK(n == 5);
}

static char *dup(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* A document with every field set, or absent, and the values a double
 * does not hold. */
static void make_document(ks_document *doc)
{
	*doc = (ks_document){ .is_meeting = 1 };
	ks_meeting *m = &doc->meeting;
	m->title = dup("REFERAT Direktionen d. 06-10-2025");
	m->udvalg = dup("Direktionen");
	memcpy(m->date, "2025-10-06", 11);
	memcpy(m->time, "12:30", 6);
	m->place = NULL;
	ks_strv_push(&m->participants, "Anne \"Holm\"", 11);
	ks_strv_push(&m->participants, "Jens\tJuul\nHansen æøå \\", 23);
	doc->records = calloc(3, sizeof *doc->records);
	doc->n_records = 3;
	ks_record *r = &doc->records[0];
	r->id = dup("direktionen-2025-10-06-1");
	r->type = KS_RECORD_PUNKT;
	r->title = dup("Budget </script> & \"citat\"");
	r->sagsnummer = dup("21-046835K");
	memcpy(r->date, "2025-10-06", 11);
	r->year = 2025;
	r->udvalg = dup("Direktionen");
	r->punkt = 1;
	r->meeting = m;
	r->sections[KS_SEC_BESLUTNING] = dup("Anbefales.");
	r->sections[KS_SEC_BILAG] = dup("Notat\nBilag 2");
	ks_strv_push(&r->behandling, "Direktionen", 11);
	ks_strv_push(&r->bilag, "Notat", 5);
	ks_strv_push(&r->bilag, "Bilag 2", 7);
	r->beslutning = dup("Anbefales");
	r->source = dup("direktionen 2025-10-06.pdf");
	r->line = 12;
	r->page = 3;
	r = &doc->records[1];
	r->id = dup("direktionen-2025-10-06-2");
	r->title = dup("Lukket punkt");
	r->lukket = true;
	r->punkt = 2;
	r->meeting = NULL;
	r->source = dup("x");
	r = &doc->records[2];
	r->id = dup("budget-1");
	r->type = KS_RECORD_BUDGET;
	r->title = dup("Jobcenter");
	r->punkt = 7;
	r->has_nettobudget = true;
	r->nettobudget = 9007199254740993LL; /* 2^53 + 1 */
	r->sections[KS_SEC_BESKRIVELSE] = dup("");
	r->source = dup("budget.txt");
	r->line = -1;
	ks_document_warn(doc, 0, "the meeting's place cut");
	ks_document_warn(doc, 12, "Punkt 1: its text cut to its first %u bytes", 1u << 20);
	doc->warnings[1].page = 4;
	doc->more_warnings = 3; /* past KS_MAX_WARNINGS, only counted */
}

static void test_every_field(void)
{
	ks_document doc;
	make_document(&doc);
	check_round_trip(&doc, "every field");
	ks_document_clear(&doc);
	ks_document empty = { 0 };
	check_round_trip(&empty, "empty");
}

static void test_error(void)
{
	ks_parse_error err = { .line = 0, .page = 7 }, back = { 0 };
	snprintf(err.message, sizeof err.message, "damaged PDF: \"x\"\n");
	size_t len;
	char *a = written(-1, NULL, &err, &len);
	ks_document doc;
	CHECK(a && ks_document_read(a, len, &doc, &back) == -1);
	CHECK(back.line == 0 && back.page == 7);
	CHECK_STR(back.message, err.message);
	CHECK(doc.n_records == 0 && doc.n_warnings == 0 && !doc.records);
	free(a);
}

/* Anything but a whole answer is refused, and leaves nothing behind. */
static void test_refused(void)
{
	ks_document doc;
	make_document(&doc);
	size_t len;
	char *a = written(0, &doc, NULL, &len);
	ks_document_clear(&doc);
	ks_parse_error err;
	CHECK(a && ks_document_read(a, len, &doc, &err) == 0);
	ks_document_clear(&doc);
	/* Cut off anywhere: before the end line, inside a line. */
	for (size_t cut = 0; a && cut < len; cut += 7) {
		int rc = ks_document_read(a, cut, &doc, &err);
		CHECK(rc == -2);
		CHECK(doc.n_records == 0 && !doc.records && !doc.warnings);
	}
/* The first and last lines of an answer, for the malformed ones below. */
#define MEETING(title, date)                                                                       \
	"{\"document\":{\"is_meeting\":0,\"meeting\":{\"title\":" title ",\"udvalg\":null,"        \
	"\"date\":\"" date "\",\"time\":\"\",\"place\":null,\"participants\":[]}}}\n"
#define END(records) "{\"end\":{\"records\":" #records ",\"warnings\":0}}\n"
	static const char *bad[] = {
		"",
		END(0),
		(MEETING("null", "") END(1)),                    /* a record short */
		(MEETING("null", "2025-10-06-too-long") END(0)), /* past date[11] */
		(MEETING("1", "") END(0)),                       /* a number for a string */
		(MEETING("null", "") "{\"record\":{\"id\":\"x\"}}\n" END(1)), /* fields missing */
		(MEETING("null", "") END(0) "trailing\n"),
		("{\"error\":{\"line\":1.5,\"page\":0,\"message\":\"x\"}}\n" END(0)),
		("not json\n" END(0)),
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		int rc = ks_document_read(bad[i], strlen(bad[i]), &doc, &err);
		if (rc != -2)
			fprintf(stderr, "bad answer %zu read as %d\n", i, rc);
		CHECK(rc == -2);
	}
	/* A record after a warning is out of order. */
	char *warning = a ? strstr(a, "{\"warning\"") : NULL,
	     *record = a ? strstr(a, "{\"record\"") : NULL;
	if (warning && record) {
		char *swapped = malloc(len + 1);
		size_t head = (size_t)(record - a), recs = (size_t)(warning - record);
		char *end = strstr(warning, "{\"end\"");
		size_t warns = (size_t)(end - warning);
		memcpy(swapped, a, head);
		memcpy(swapped + head, warning, warns);
		memcpy(swapped + head + warns, record, recs);
		memcpy(swapped + head + warns + recs, end, len - (size_t)(end - a));
		CHECK(ks_document_read(swapped, len, &doc, &err) == -2);
		free(swapped);
	} else {
		CHECK(false);
	}
	free(a);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s CORPUS_DIR\n", argv[0]);
		return 2;
	}
	corpus = argv[1];
	RUN(test_corpus);
	RUN(test_every_field);
	RUN(test_error);
	RUN(test_refused);
	return check_summary();
}
