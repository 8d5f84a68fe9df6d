// SPDX-License-Identifier: GPL-2.0
/*
 * The default UKL app: greets, echoes its arguments, and says which
 * privilege ring it runs in (0 under UKL, 3 as an ordinary program).
 */
#include <stdio.h>
#include <stdlib.h>

static int current_ring(void)
{
	unsigned short cs;

	__asm__ volatile("mov %%cs, %0" : "=r"(cs));
	return cs & 3;
}

int main(int argc, char **argv)
{
	printf("Hello from %s, running in ring %d\n", argv[0], current_ring());
	for (int i = 1; i < argc; i++)
		printf("argv[%d] = %s\n", i, argv[i]);
	return EXIT_SUCCESS;
}
