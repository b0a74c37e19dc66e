/* text.h — small UTF-8 and string-building helpers, shared by the parser and the server. */
#ifndef KS_TEXT_H
#define KS_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Grows the array V of *CAP elements of SIZE bytes to hold at least WANT
 * (> 0) elements: *CAP doubles, from FIRST when it is 0, until they fit, so
 * that appending N elements one at a time costs O(N).  Returns the array,
 * moved or not (V itself when it held WANT already), or NULL when there is
 * no memory or the size would overflow; V and *CAP are then unchanged. */
void *ks_grow(void *v, size_t *cap, size_t want, size_t size, size_t first);

/* A growable NUL-terminated string.  An allocation failure sets OOM and
 * makes every later append a no-op, so callers check once at the end. */
typedef struct ks_sb {
	char *s;
	size_t n, cap;
	bool oom;
} ks_sb;

void ks_sb_append(ks_sb *sb, const char *s, size_t len);
void ks_sb_puts(ks_sb *sb, const char *s);
/* Hands over the string (malloc'd, "" if nothing was appended) and resets
 * SB; NULL after an allocation failure. */
char *ks_sb_take(ks_sb *sb);
void ks_sb_free(ks_sb *sb);

/* The code point at S (0 at the end); *LEN receives its byte length.
 * S must be valid UTF-8, as ks_decode() makes it. */
unsigned ks_utf8_get(const char *s, size_t *len);
/* The length of the valid UTF-8 sequence at S (N bytes left), or 0; *CP
 * receives its code point.  Overlong forms, surrogates and code points past
 * U+10FFFF are invalid. */
size_t ks_utf8_seq(const unsigned char *s, size_t n, unsigned *cp);
/* Whether the N bytes at S are valid UTF-8 without a NUL. */
bool ks_utf8_valid(const char *s, size_t n);
/* How many of the N bytes at S to keep so as not to end inside a character:
 * N, less an incomplete sequence at the end (what a cut at a fixed length
 * leaves).  Only the last three bytes are looked at. */
size_t ks_utf8_cut(const char *s, size_t n);

/* Whether CP is an upper- or lower-case letter (Latin scripts). */
bool ks_is_upper(unsigned cp);
bool ks_is_lower(unsigned cp);
bool ks_is_letter(unsigned cp);
/* Compares A and B ignoring the case of ASCII and Danish letters. */
bool ks_da_equal(const char *a, const char *b);
bool ks_da_prefix(const char *s, const char *prefix);

/* An ASCII slug of S: lower case, æ→ae ø→oe å→aa, other marks dropped,
 * every other run of characters one '-'.  A byte that is not part of valid
 * UTF-8 is read as Latin-1.  Malloc'd, caller frees. */
char *ks_slug(const char *s);

/* FNV-1a (64 bits) of the LEN bytes at DATA: the hash of file contents,
 * paths and names that must not change from one run or build to the next. */
uint64_t ks_hash64(const void *data, size_t len);

#endif
