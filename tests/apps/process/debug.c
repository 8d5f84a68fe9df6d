// SPDX-License-Identifier: GPL-2.0
/*
 * exit-debug: the program gdb runs in tests/boot/debug.  debug_write()
 * has a local in memory (answer) and calls write(2), so a breakpoint on
 * ksys_write() stops in the kernel with the app's frames below it; the
 * exit status (23) says that the program ran on to its end.
 */
#include <stdio.h>
#include <unistd.h>

#include "proc.h"

/* noclone: no debug_write.constprop.0 with round folded away. */
__attribute__((noinline, noclone)) static int debug_write(int round)
{
	volatile int answer = 42 + round;
	char line[64];
	int n;

	n = snprintf(line, sizeof(line), "exit-debug: round %d answer %d\n", round, answer);
	if (write(STDOUT_FILENO, line, n) != n)
		return 1;
	return answer;
}

int exit_debug(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return debug_write(0) == 42 ? 23 : 1;
}
