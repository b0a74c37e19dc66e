/* validate.h — the case numbers and dates that documents and requests give,
 * checked and put in the one form the index holds. */
#ifndef KS_VALIDATE_H
#define KS_VALIDATE_H

#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A case number (sagsnummer): YY-NNNNNN with an optional letter suffix
 * (corpus/direktionen-2025-08-18.md: "21-046835K").  Whether S is one, in
 * either letter case; when it is and OUT is not NULL, OUT receives it with
 * the suffix upper-cased (KS_SAGSNUMMER_SIZE bytes, NUL included). */
#define KS_SAGSNUMMER_SIZE 11
bool ks_sagsnummer_parse(const char *s, char *out);

/* A case number as a person writes it (kommunesoeg-query(7)): the number
 * part with 1 to KS_SAGSNUMMER_DIGITS digits ("25-2452" for 25-002452), the
 * letter in either case, blanks (spaces, tabs) before and after.  Whether S
 * is one; when it is and OUT is not NULL, OUT receives the form
 * ks_sagsnummer_parse() writes (KS_SAGSNUMMER_SIZE bytes).  For what people
 * type and link to; a document's own case number is read by
 * ks_sagsnummer_parse(), whose form the minutes always have. */
#define KS_SAGSNUMMER_DIGITS 6
bool ks_sagsnummer_read(const char *s, char *out);

/* Whether day D of month M (1 to 12) of year Y is a day of the Gregorian
 * calendar. */
bool ks_date_valid(int y, int m, int d);

/* A date "YYYY-MM-DD" of the Gregorian calendar.  Whether S is one; when
 * it is and OUT is not NULL, OUT receives the "YYYYMMDD" that KS_SLOT_DATE
 * holds (KS_DATE_VALUE_SIZE bytes, NUL included). */
#define KS_DATE_VALUE_SIZE 9
bool ks_date_parse(const char *s, char *out);

#ifdef __cplusplus
}
#endif

#endif
