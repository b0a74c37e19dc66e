/* validate.c — case numbers and dates (validate.h). */
#include "validate.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

bool ks_sagsnummer_parse(const char *s, char *out)
{
	if (!s)
		return false;
	for (int i = 0; i < 9; i++) {
		bool want_dash = i == 2;
		if (want_dash ? s[i] != '-' : !isdigit((unsigned char)s[i]))
			return false;
	}
	bool suffix = isalpha((unsigned char)s[9]);
	if (s[9 + suffix] != '\0')
		return false;
	if (out) {
		memcpy(out, s, 9);
		out[9] = suffix ? (char)toupper((unsigned char)s[9]) : '\0';
		out[10] = '\0';
	}
	return true;
}

bool ks_sagsnummer_read(const char *s, char *out)
{
	if (!s)
		return false;
	s += strspn(s, " \t");
	if (!isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]) || s[2] != '-')
		return false;
	size_t digits = strspn(s + 3, "0123456789");
	if (digits < 1 || digits > KS_SAGSNUMMER_DIGITS)
		return false;
	const char *end = s + 3 + digits;
	/* ASCII letters only, whatever the locale says of a byte. */
	bool suffix = (*end >= 'a' && *end <= 'z') || (*end >= 'A' && *end <= 'Z');
	if (end[suffix + strspn(end + suffix, " \t")] != '\0')
		return false;
	if (out) {
		memcpy(out, s, 3);
		memset(out + 3, '0', KS_SAGSNUMMER_DIGITS - digits);
		memcpy(out + 3 + KS_SAGSNUMMER_DIGITS - digits, s + 3, digits);
		out[9] = suffix ? (char)toupper((unsigned char)*end) : '\0';
		out[10] = '\0';
	}
	return true;
}

bool ks_date_valid(int y, int m, int d)
{
	static const int days[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (m < 1 || m > 12 || d < 1 || d > days[m - 1])
		return false;
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return !(m == 2 && d == 29 && !leap);
}

bool ks_date_parse(const char *s, char *out)
{
	if (!s)
		return false;
	for (int i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? s[i] != '-' : !isdigit((unsigned char)s[i]))
			return false;
	if (s[10])
		return false;
	if (!ks_date_valid(atoi(s), atoi(s + 5), atoi(s + 8)))
		return false;
	if (out) {
		memcpy(out, s, 4);
		memcpy(out + 4, s + 5, 2);
		memcpy(out + 6, s + 8, 2);
		out[8] = '\0';
	}
	return true;
}
