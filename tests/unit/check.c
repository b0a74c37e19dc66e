/* check.c — the counts behind check.h's assertions, one pair per test
 * program. */
#include "check.h"

int check_failures;
int check_count;

int check_summary(void)
{
	printf("%d checks, %d failed\n", check_count, check_failures);
	return check_failures ? 1 : 0;
}
