/* text.c — UTF-8 and string-building helpers (see text.h). */
#include "text.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *ks_grow(void *v, size_t *cap, size_t want, size_t size, size_t first)
{
	if (want <= *cap)
		return v;
	size_t n = *cap ? *cap : first ? first : 1;
	while (n < want) {
		if (n > SIZE_MAX / 2)
			return NULL;
		n *= 2;
	}
	if (size && n > SIZE_MAX / size)
		return NULL;
	void *p = realloc(v, n * size);
	if (p)
		*cap = n;
	return p;
}

void ks_sb_append(ks_sb *sb, const char *s, size_t len)
{
	if (sb->oom)
		return;
	char *p = ks_grow(sb->s, &sb->cap, sb->n + len + 1, 1, 64);
	if (!p) {
		sb->oom = true;
		return;
	}
	sb->s = p;
	memcpy(sb->s + sb->n, s, len);
	sb->n += len;
	sb->s[sb->n] = '\0';
}

void ks_sb_puts(ks_sb *sb, const char *s)
{
	ks_sb_append(sb, s, strlen(s));
}

char *ks_sb_take(ks_sb *sb)
{
	char *s = NULL;
	if (!sb->oom)
		s = sb->s ? sb->s : strdup("");
	else
		free(sb->s);
	*sb = (ks_sb){ 0 };
	return s;
}

void ks_sb_free(ks_sb *sb)
{
	free(sb->s);
	*sb = (ks_sb){ 0 };
}

unsigned ks_utf8_get(const char *s, size_t *len)
{
	const unsigned char *u = (const unsigned char *)s;
	if (u[0] < 0x80) {
		*len = u[0] ? 1 : 0;
		return u[0];
	}
	if (u[0] < 0xE0) {
		*len = 2;
		return (u[0] & 0x1Fu) << 6 | (u[1] & 0x3Fu);
	}
	if (u[0] < 0xF0) {
		*len = 3;
		return (u[0] & 0x0Fu) << 12 | (u[1] & 0x3Fu) << 6 | (u[2] & 0x3Fu);
	}
	*len = 4;
	return (u[0] & 0x07u) << 18 | (u[1] & 0x3Fu) << 12 | (u[2] & 0x3Fu) << 6 | (u[3] & 0x3Fu);
}

/* Latin-1 and Latin Extended-A cover every letter of Danish, Swedish,
 * Norwegian, German and the names that occur in the documents. */
bool ks_is_upper(unsigned cp)
{
	return (cp >= 'A' && cp <= 'Z') || (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) ||
	       (cp >= 0x100 && cp <= 0x17F && cp % 2 == 0);
}

bool ks_is_lower(unsigned cp)
{
	return (cp >= 'a' && cp <= 'z') || (cp >= 0xDF && cp <= 0xFF && cp != 0xF7) ||
	       (cp >= 0x100 && cp <= 0x17F && cp % 2 == 1);
}

bool ks_is_letter(unsigned cp)
{
	return ks_is_upper(cp) || ks_is_lower(cp);
}

static unsigned fold(unsigned cp)
{
	if (cp >= 'A' && cp <= 'Z')
		return cp + 32;
	if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7)
		return cp + 32;
	return cp;
}

bool ks_da_prefix(const char *s, const char *prefix)
{
	while (*prefix) {
		size_t a, b;
		unsigned ca = ks_utf8_get(s, &a), cb = ks_utf8_get(prefix, &b);
		if (!a || fold(ca) != fold(cb))
			return false;
		s += a;
		prefix += b;
	}
	return true;
}

bool ks_da_equal(const char *a, const char *b)
{
	return strlen(a) == strlen(b) && ks_da_prefix(a, b);
}

char *ks_slug(const char *s)
{
	ks_sb sb = { 0 };
	bool dash = false;
	const unsigned char *u = (const unsigned char *)s;
	size_t left = strlen(s);
	while (left) {
		/* File names are any bytes: one that is no UTF-8 must not make
		 * the decoder read past the end. */
		unsigned cp;
		size_t len = ks_utf8_seq(u, left, &cp);
		if (!len) {
			cp = *u;
			len = 1;
		}
		u += len;
		left -= len;
		cp = fold(cp);
		const char *ascii = NULL;
		char one[2] = { 0 };
		if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9')) {
			one[0] = (char)cp;
			ascii = one;
		} else if (cp == 0xE6) {
			ascii = "ae";
		} else if (cp == 0xF8 || cp == 0xF6) {
			ascii = "oe";
		} else if (cp == 0xE5) {
			ascii = "aa";
		} else if (cp == 0xE4) {
			ascii = "ae";
		} else if (cp == 0xFC) {
			ascii = "ue";
		} else if (cp == 0xDF) {
			ascii = "ss";
		} else if (cp >= 0xE0 && cp <= 0xFF) {
			/* à á â ã è é … : the letter without its mark */
			static const char base[] = "aaaaaaaceeeeiiiidnooooo/ouuuuyty";
			one[0] = base[cp - 0xE0];
			ascii = one[0] == '/' ? NULL : one;
		}
		if (ascii) {
			if (dash && sb.n)
				ks_sb_puts(&sb, "-");
			dash = false;
			ks_sb_puts(&sb, ascii);
		} else {
			dash = true;
		}
	}
	return ks_sb_take(&sb);
}

/* The length of the valid UTF-8 sequence at S (N bytes left), or 0.
 * Overlong forms, surrogates and code points past U+10FFFF are invalid. */
size_t ks_utf8_seq(const unsigned char *s, size_t n, unsigned *cp)
{
	unsigned c = s[0];
	size_t len;
	unsigned min;
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if (c >= 0xC2 && c <= 0xDF) {
		len = 2, min = 0x80, c &= 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3, min = 0x800, c &= 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4, min = 0x10000, c &= 0x07;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return len;
}

bool ks_utf8_valid(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned cp;
	for (size_t i = 0; i < n;) {
		size_t len = ks_utf8_seq(u + i, n - i, &cp);
		if (len == 0 || cp == 0)
			return false;
		i += len;
	}
	return true;
}

size_t ks_utf8_cut(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	/* The lead byte of the last sequence, at most three bytes back. */
	for (size_t back = 1; back <= 3 && back <= n; back++) {
		unsigned c = u[n - back];
		if ((c & 0xC0) == 0x80)
			continue;
		size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
		return need > back ? n - back : n;
	}
	return n;
}

uint64_t ks_hash64(const void *data, size_t len)
{
	const unsigned char *p = data;
	uint64_t h = 0xcbf29ce484222325ULL;
	for (size_t i = 0; i < len; i++)
		h = (h ^ p[i]) * 0x100000001b3ULL;
	return h;
}
