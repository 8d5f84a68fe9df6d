// SPDX-License-Identifier: GPL-2.0
/* Bad-input case: an app whose main returns 3. */
#include <stdio.h>

int main(void)
{
	puts("status3: returning 3");
	return 3;
}
