// SPDX-License-Identifier: GPL-2.0
/* The CMake project's program: a thread, the library, what CMake found. */
#include <pthread.h>
#include <stdio.h>
#include <time.h>

#include "config.h"
#include "count.h"

static void *worker(void *arg)
{
	return (void *)(long)count_root(*(double *)arg);
}

int main(int argc, char **argv)
{
	double x = 81.0;
	pthread_t t;
	void *r;
	int clock = 0, random = 0;

#ifdef HAVE_CLOCK_GETTIME
	struct timespec ts;

	clock = clock_gettime(CLOCK_MONOTONIC, &ts) == 0;
#endif
#ifdef HAVE_GETRANDOM
	random = 1;
#endif
	if (pthread_create(&t, NULL, worker, &x) || pthread_join(t, &r))
		return 1;
	printf("cmake-hello: %s: thread sqrt(81) = %ld, clock_gettime %d, getrandom %d\n",
	       argc > 1 ? argv[1] : "-", (long)r, clock, random);
	return 7;
}
