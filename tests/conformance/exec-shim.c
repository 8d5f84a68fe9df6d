// SPDX-License-Identifier: GPL-2.0
/*
 * ksft-exec PROGRAM [ARG...]: the linux column's PID 1 (tests/conformance):
 * becomes PROGRAM, as the bundle's dispatcher becomes a test on UKL.
 */
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: ksft-exec PROGRAM [ARG...]\n");
		return 2;
	}
	execv(argv[1], argv + 1);
	perror(argv[1]);
	return 127;
}
