// SPDX-License-Identifier: GPL-2.0
/*
 * profile-loop [ROUNDS]: the program make profile runs in tests/boot/profile.
 * Each round spends its time in two places: profile_compute(), app code
 * that makes no syscall, and profile_write(), which writes a file on tmpfs
 * (the kernel's write path).  Their relative speed depends on the machine
 * (TCG translates the multiply loop and the kernel's copy differently), so
 * each round sizes the next one's compute loop by what it measured, to
 * take as long as the writes.  The program prints the run time and the share of it each
 * function took by its own clock; the flame graph of a run must show both,
 * in roughly those shares (tests/lib/profile-check).
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

#define PROFILE_STEPS	1000000

static char profile_buf[16384];

static long profile_ns(const struct timespec *a, const struct timespec *b)
{
	return (b->tv_sec - a->tv_sec) * 1000000000L + (b->tv_nsec - a->tv_nsec);
}

/*
 * noipa: gcc would otherwise see that profile_compute() touches no memory
 * and move the call across clock_gettime(), timing nothing.  The review
 * area's perf check spins in it too (proc.h).
 */
__attribute__((noinline, noipa)) unsigned long profile_compute(unsigned long seed, long n)
{
	unsigned long x = seed;
	long i;

	for (i = 0; i < n; i++)
		x = x * 6364136223846793005UL + 1442695040888963407UL;
	return x;
}

__attribute__((noinline, noipa)) static int profile_write(int fd)
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
	long n = PROFILE_STEPS, compute_ns = 0, write_ns = 0;
	struct timespec t0, t1;
	unsigned long x = 1;

	fd = open("/tmp/profile-loop", O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0) {
		perror("profile-loop: /tmp/profile-loop");
		return 1;
	}
	memset(profile_buf, 'p', sizeof(profile_buf));

	/* Round -1 allocates the file's pages, and is not timed. */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = -1; i < rounds; i++) {
		struct timespec a, b, c;
		long c_ns, w_ns;

		clock_gettime(CLOCK_MONOTONIC, &a);
		x = profile_compute(x, n);
		clock_gettime(CLOCK_MONOTONIC, &b);
		if (profile_write(fd)) {
			perror("profile-loop: pwrite");
			return 1;
		}
		clock_gettime(CLOCK_MONOTONIC, &c);
		c_ns = profile_ns(&a, &b);
		w_ns = profile_ns(&b, &c);
		if (i >= 0) {
			compute_ns += c_ns;
			write_ns += w_ns;
		}
		/* Follow the machine: the next round's steps, at most x2 or /2. */
		if (c_ns > 0 && w_ns > 0)
			n = n * (w_ns > 2 * c_ns ? 2 : w_ns < c_ns / 2 ? 0.5 : (double)w_ns / c_ns);
		if (n < 1000)
			n = 1000;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	close(fd);
	printf("profile-loop: %d rounds in %ld ms (%lx)\n", rounds,
	       profile_ns(&t0, &t1) / 1000000, x & 0xff);
	printf("profile-loop: by its own clock: profile_compute %ld%%, profile_write %ld%% (%ld multiply steps a round)\n",
	       100 * compute_ns / (compute_ns + write_ns + 1),
	       100 * write_ns / (compute_ns + write_ns + 1), n);
	return 0;
}
