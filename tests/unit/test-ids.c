/* test-ids.c — slugs and ids (lib/text.c's ks_slug(), indexer/parse.c's
 * ks_name_slug()): names in any bytes, cut to a bound with a hash. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "parse-fixtures.h"
#include "parse.h"
#include "text.h"

static void test_slug(void)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "Økonomiudvalget", "oekonomiudvalget" },
		{ "Børn- og Familieudvalget", "boern-og-familieudvalget" },
		{ "direktionen-2025-10-06", "direktionen-2025-10-06" },
		{ "Ældre  Sundhed (2025)", "aeldre-sundhed-2025" },
		{ "Café é", "cafe-e" },
		{ "–", "" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char *got = ks_slug(cases[i].in);
		CHECK_STR(got, cases[i].out);
		free(got);
	}
}

/* File names are any bytes of up to 255 (NAME_MAX): their slugs keep ids
 * within KS_MAX_ID_BYTES, and bytes that are not UTF-8 are read as
 * Windows-1252, in the slug and in `source`. */
static void test_name_slug(void)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "2025/Direktionen 2025-10-06.txt", "direktionen-2025-10-06" },
		{ "referat-\xe6ldre-2025.txt", "referat-aeldre-2025" }, /* Windows-1252 æ */
		{ "x\xc3.txt", "xa" },                                  /* a cut UTF-8 Ã */
		{ "\xf0.txt", "d" },                                    /* ð */
		{ "\x81\x9d.md", "dokument" },                          /* undefined bytes */
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char *got = ks_name_slug(cases[i].in);
		CHECK_STR(got, cases[i].out);
		free(got);
	}
	char *name = ks_decode_name("referat-\xe6ldre-\x81-\xc3.txt");
	CHECK_STR(name, "referat-ældre-\xef\xbf\xbd-Ã.txt");
	free(name);

	/* 255 bytes of name: a slug of at most KS_MAX_SLUG_BYTES, its start
	 * kept and the hash of the whole at its end, different for two names
	 * that differ only at their end. */
	char a[256], b[256], ae[256];
	memset(a, 'x', 251);
	memcpy(a + 251, ".txt", 5);
	memcpy(b, a, sizeof b);
	b[250] = 'y';
	for (int i = 0; i < 126; i++)
		memcpy(ae + 2 * i, "\xc3\xa6", 2); /* æ, "ae" in a slug */
	memcpy(ae + 252, ".md", 4);
	char *sa = ks_name_slug(a), *sb = ks_name_slug(b), *sae = ks_name_slug(ae);
	CHECK(sa && strlen(sa) == KS_MAX_SLUG_BYTES && sb && strlen(sb) == KS_MAX_SLUG_BYTES);
	CHECK(sa && sb && strcmp(sa, sb) != 0 && !strncmp(sa, sb, KS_MAX_SLUG_BYTES - 17));
	CHECK(sa && !strncmp(sa, "xxxxxxxxxx", 10) && sa[KS_MAX_SLUG_BYTES - 17] == '-');
	CHECK(sae && strlen(sae) == KS_MAX_SLUG_BYTES && !strncmp(sae, "aeaeaeae", 8));
	char *again = ks_name_slug(a);
	CHECK_STR(again, sa); /* the same name, the same ids */
	free(again);
	free(sa);
	free(sb);
	free(sae);
	/* A slug that fits is left as it is. */
	memset(a, 'k', KS_MAX_SLUG_BYTES);
	memcpy(a + KS_MAX_SLUG_BYTES, ".txt", 5);
	sa = ks_name_slug(a);
	CHECK(sa && strlen(sa) == KS_MAX_SLUG_BYTES && strspn(sa, "k") == KS_MAX_SLUG_BYTES);
	free(sa);
}

int main(void)
{
	RUN(test_slug);
	RUN(test_name_slug);
	return check_summary();
}
