// SPDX-License-Identifier: GPL-2.0
/*
 * time: clocks and sleeps.  clock_gettime and clock_getres on the
 * realtime, monotonic, boot-time and CPU-time clocks (the monotonic ones
 * never go back, the CPU clocks advance while computing); gettimeofday and
 * time agree with CLOCK_REALTIME; nanosleep and clock_nanosleep (relative
 * and TIMER_ABSTIME) sleep at least as long as asked.
 */
#include "tap.h"

#include <errno.h>
#include <sys/time.h>

#include "proc.h"

static const struct {
	clockid_t id;
	const char *name;
	int monotonic;
} clocks[] = {
	{ CLOCK_REALTIME, "CLOCK_REALTIME", 0 },
	{ CLOCK_MONOTONIC, "CLOCK_MONOTONIC", 1 },
	{ CLOCK_BOOTTIME, "CLOCK_BOOTTIME", 1 },
	{ CLOCK_PROCESS_CPUTIME_ID, "CLOCK_PROCESS_CPUTIME_ID", 1 },
	{ CLOCK_THREAD_CPUTIME_ID, "CLOCK_THREAD_CPUTIME_ID", 1 },
};

static void read_clocks(void)
{
	struct timespec ts, res;
	size_t c;
	int i;

	for (c = 0; c < sizeof(clocks) / sizeof(clocks[0]); c++) {
		long long prev, now;
		int ok = clock_gettime(clocks[c].id, &ts) == 0 && clock_getres(clocks[c].id, &res) == 0;

		check(ok && ts.tv_nsec >= 0 && ts.tv_nsec < NSEC_PER_SEC &&
		      (res.tv_sec || res.tv_nsec), "clock_gettime and clock_getres(%s): res %ld ns",
		      clocks[c].name, res.tv_nsec);
		if (!clocks[c].monotonic)
			continue;
		prev = ts_ns(&ts);
		for (i = 0; i < 1000 && ok; i++) {
			ok = clock_gettime(clocks[c].id, &ts) == 0;
			now = ts_ns(&ts);
			ok = ok && now >= prev;
			prev = now;
		}
		check(ok, "%s does not go back over 1000 reads", clocks[c].name);
	}
	ts.tv_sec = 0;
	clock_gettime(CLOCK_REALTIME, &ts);
	check(ts.tv_sec > 946684800, "CLOCK_REALTIME is after 2000-01-01 (%lld)",
	      (long long)ts.tv_sec);
}

static void cpu_clocks(void)
{
	long long p0, p1, t0, t1, deadline = deadline_ms(2000);
	volatile unsigned long n = 0;

	p0 = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
	t0 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
	do {
		unsigned long i;

		for (i = 0; i < 100000; i++)
			n++;
		t1 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
	} while (t1 - t0 < 20 * NSEC_PER_MSEC && !past(deadline));
	p1 = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
	check(t1 - t0 >= 20 * NSEC_PER_MSEC, "CLOCK_THREAD_CPUTIME_ID advances while computing "
	      "(%lld ms)", (t1 - t0) / NSEC_PER_MSEC);
	check(p1 - p0 >= t1 - t0, "CLOCK_PROCESS_CPUTIME_ID advances at least as much (%lld ms)",
	      (p1 - p0) / NSEC_PER_MSEC);
}

static void wall_clocks(void)
{
	struct timespec ts;
	struct timeval tv;
	time_t t, t2;
	int ok;

	ok = clock_gettime(CLOCK_REALTIME, &ts) == 0 && gettimeofday(&tv, NULL) == 0;
	check(ok && tv.tv_usec >= 0 && tv.tv_usec < 1000000 &&
	      (tv.tv_sec - ts.tv_sec <= 1 && ts.tv_sec - tv.tv_sec <= 1),
	      "gettimeofday agrees with CLOCK_REALTIME within 1 s");
	t = time(&t2);
	clock_gettime(CLOCK_REALTIME, &ts);
	check(t == t2 && t - ts.tv_sec <= 1 && ts.tv_sec - t <= 1,
	      "time agrees with CLOCK_REALTIME within 1 s");
}

static void sleeps(void)
{
	struct timespec req = { 0, 20 * NSEC_PER_MSEC }, abs;
	long long t0, t1, target;
	int ret;

	t0 = mono_ns();
	ret = nanosleep(&req, NULL);
	t1 = mono_ns();
	check(ret == 0 && t1 - t0 >= 20 * NSEC_PER_MSEC, "nanosleep(20 ms) sleeps >= 20 ms (%lld us)",
	      (t1 - t0) / 1000);

	t0 = mono_ns();
	ret = clock_nanosleep(CLOCK_MONOTONIC, 0, &req, NULL);
	t1 = mono_ns();
	check(ret == 0 && t1 - t0 >= 20 * NSEC_PER_MSEC,
	      "clock_nanosleep(CLOCK_MONOTONIC, relative 20 ms) sleeps >= 20 ms (%lld us)",
	      (t1 - t0) / 1000);

	target = mono_ns() + 20 * NSEC_PER_MSEC;
	abs = ns_ts(target);
	ret = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &abs, NULL);
	t1 = mono_ns();
	check(ret == 0 && t1 >= target, "clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME) wakes "
	      "at or after the target (+%lld us)", (t1 - target) / 1000);

	target = clock_ns(CLOCK_REALTIME) + 20 * NSEC_PER_MSEC;
	abs = ns_ts(target);
	ret = clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &abs, NULL);
	t1 = clock_ns(CLOCK_REALTIME);
	check(ret == 0 && t1 >= target, "clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME) wakes "
	      "at or after the target");

	t0 = mono_ns();
	ret = clock_nanosleep(CLOCK_BOOTTIME, 0, &req, NULL);
	t1 = mono_ns();
	check(ret == 0 && t1 - t0 >= 20 * NSEC_PER_MSEC,
	      "clock_nanosleep(CLOCK_BOOTTIME, relative 20 ms) sleeps >= 20 ms");
}

int proc_time(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	tap_begin();
	read_clocks();
	cpu_clocks();
	wall_clocks();
	sleeps();
	return tap_end();
}
