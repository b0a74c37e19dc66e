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
