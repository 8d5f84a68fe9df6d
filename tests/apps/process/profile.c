// SPDX-License-Identifier: GPL-2.0
/*
 * profile-loop [ROUNDS]: the program make profile runs in tests/boot/profile.
 * Each round spends its time in two places: profile_compute(), app code
 * that makes no syscall, and profile_write(), which writes a file on tmpfs
 * (the kernel's write path).  The flame graph of a run must show both; the
 * run time is printed so that a run with and without the profiler can be
 * compared.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "proc.h"

#define PROFILE_ROUNDS	150
#define PROFILE_WRITES	64

static char profile_buf[16384];

__attribute__((noinline)) static unsigned long profile_compute(unsigned long seed)
{
	unsigned long x = seed;
	int i;

	for (i = 0; i < 4000000; i++)
		x = x * 6364136223846793005UL + 1442695040888963407UL;
	return x;
}

__attribute__((noinline)) static int profile_write(int fd)
{
	int i;

	for (i = 0; i < PROFILE_WRITES; i++)
		if (pwrite(fd, profile_buf, sizeof(profile_buf), 0) != sizeof(profile_buf))
			return -1;
	return 0;
}

int profile_loop(int argc, char **argv)
{
	int rounds = argc > 2 ? atoi(argv[2]) : PROFILE_ROUNDS, i, fd;
	struct timespec t0, t1;
	unsigned long x = 1;

	fd = open("/tmp/profile-loop", O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0) {
		perror("profile-loop: /tmp/profile-loop");
		return 1;
	}
	memset(profile_buf, 'p', sizeof(profile_buf));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < rounds; i++) {
		x = profile_compute(x);
		if (profile_write(fd)) {
			perror("profile-loop: pwrite");
			return 1;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	close(fd);
	printf("profile-loop: %d rounds in %ld ms (%lx)\n", rounds,
	       (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000, x & 0xff);
	return 0;
}
