/* test-escape.c — how the server writes what a request or a document
 * brought into JSON (ks_sb_put_json), XML and HTML (ks_sb_escape_xml) and
 * the log (ks_printable), and where it cuts text at a fixed length
 * (ks_utf8_cut): one table per function, each row an input and what must
 * come out. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "escape.h"
#include "text.h"

/* Forbidden in XML 1.0 or no UTF-8: each becomes U+FFFD. */
#define FFFD "\xef\xbf\xbd"

static void test_escape_xml(void)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "plain æøå €", "plain æøå €" },
		{ "<b>&amp;</b> \"x\" 'y'",
		  "&lt;b&gt;&amp;amp;&lt;/b&gt; &quot;x&quot; &#39;y&#39;" },
		{ "tab\tlf\ncr\r", "tab\tlf\ncr\r" },
		{ "budget\x01", "budget" FFFD },
		{ "\x08\x0b\x0c\x1b[2J\x1f", FFFD FFFD FFFD FFFD "[2J" FFFD },
		/* U+FFFE and U+FFFF, the two non-characters XML forbids; U+FFFD and
		 * U+FFFC before them and U+10000 after them are characters. */
		{ "x\xef\xbf\xbey\xef\xbf\xbfz", "x" FFFD "y" FFFD "z" },
		{ "\xef\xbf\xbd\xef\xbf\xbc\xf0\x90\x80\x80",
		  "\xef\xbf\xbd\xef\xbf\xbc\xf0\x90\x80\x80" },
		/* Bytes that are not UTF-8: each one. */
		{ "\xff\xfe<", FFFD FFFD "&lt;" },
		{ "hj\xc3", "hj" FFFD },
		{ "\xc3\xa6\xc3", "æ" FFFD },
		{ "\xed\xa0\x80", FFFD FFFD FFFD },
		{ "\xc0\xae", FFFD FFFD },
		{ "", "" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		ks_sb sb = { 0 };
		ks_sb_escape_xml(&sb, cases[i].in);
		char *got = ks_sb_take(&sb);
		CHECK_STR(got, cases[i].out);
		free(got);
	}
}

static void test_put_json(void)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "{\"q\":\"æ €\"}", "{\"q\":\"æ €\"}" },
		{ "{\"q\":\"<img src=x>&\"}", "{\"q\":\"\\u003cimg src=x\\u003e\\u0026\"}" },
		/* cJSON passes bytes that are not UTF-8 on: each becomes \ufffd. */
		{ "{\"m\":\"method \xff\xfe\"}", "{\"m\":\"method \\ufffd\\ufffd\"}" },
		{ "{\"m\":\"\xc3\xa6\xc3\"}", "{\"m\":\"æ\\ufffd\"}" },
		{ "{\"m\":\"\xef\xbf\xbe\"}", "{\"m\":\"\xef\xbf\xbe\"}" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		ks_sb sb = { 0 };
		ks_sb_put_json(&sb, cases[i].in);
		char *got = ks_sb_take(&sb);
		CHECK_STR(got, cases[i].out);
		free(got);
	}
}

static void test_utf8_cut(void)
{
	static const struct {
		const char *s;
		size_t n, keep;
	} cases[] = {
		{ "abc", 3, 3 },
		{ "ab\xc3\xa6", 4, 4 },
		{ "ab\xc3\xa6", 3, 2 },
		{ "\xe2\x82\xac", 3, 3 },
		{ "\xe2\x82\xac", 2, 0 },
		{ "a\xe2\x82\xac", 2, 1 },
		{ "\xf0\x9f\x98\x80", 4, 4 },
		{ "\xf0\x9f\x98\x80", 3, 0 },
		{ "x\xf0\x9f\x98\x80", 2, 1 },
		{ "", 0, 0 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		size_t got = ks_utf8_cut(cases[i].s, cases[i].n);
		if (got != cases[i].keep)
			fprintf(stderr, "case %zu: kept %zu, want %zu\n", i, got, cases[i].keep);
		CHECK(got == cases[i].keep);
	}
}

static void test_printable(void)
{
	static const struct {
		const char *in;
		bool field;
		size_t size;
		const char *out;
	} cases[] = {
		{ "GET", true, 64, "GET" },
		{ "FAKE\rGET", true, 64, "FAKE\\x0dGET" },
		{ "\x1b[2J\xff\xfe", true, 64, "\\x1b[2J\\xff\\xfe" },
		{ "a\\x0db", true, 64, "a\\x5cx0db" },
		{ "/a b", true, 64, "/a\\x20b" },
		{ "the index is gone\n", false, 64, "the index is gone\\x0a" },
		{ "/s\xc3\xb8g", true, 64, "/s\\xc3\\xb8g" },
		/* Cut before an escape that would not fit, never inside one. */
		{ "abc\x01", true, 7, "abc" },
		{ "abc\x01", true, 8, "abc\\x01" },
		{ "abcdef", true, 4, "abc" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char out[64];
		size_t n = ks_printable(out, cases[i].size, cases[i].in, strlen(cases[i].in),
					cases[i].field);
		CHECK_STR(out, cases[i].out);
		CHECK(n == strlen(out));
	}
}

int main(void)
{
	RUN(test_escape_xml);
	RUN(test_put_json);
	RUN(test_utf8_cut);
	RUN(test_printable);
	return check_summary();
}
