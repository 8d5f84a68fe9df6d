// SPDX-License-Identifier: GPL-2.0
/*
 * TAP 13 output and the clock, deadline and set-up helpers of tap.h.
 */
#include "tap.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

static int tap_count, tap_failed;

void tap_begin(void)
{
	printf("TAP version 13\n");
}

int check(int ok, const char *fmt, ...)
{
	va_list ap;

	flockfile(stdout);
	tap_count++;
	if (!ok)
		tap_failed++;
	printf("%sok %d - ", ok ? "" : "not ", tap_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	funlockfile(stdout);
	return ok;
}

void skip(const char *reason, const char *fmt, ...)
{
	va_list ap;

	flockfile(stdout);
	tap_count++;
	printf("ok %d - ", tap_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf(" # SKIP %s\n", reason);
	funlockfile(stdout);
}

void diag(const char *fmt, ...)
{
	va_list ap;

	flockfile(stdout);
	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	funlockfile(stdout);
}

int tap_end(void)
{
	printf("1..%d\n", tap_count);
	if (tap_failed)
		diag("%d of %d checks failed", tap_failed, tap_count);
	fflush(stdout);
	return tap_failed ? 1 : 0;
}

long long ts_ns(const struct timespec *ts)
{
	return ts->tv_sec * NSEC_PER_SEC + ts->tv_nsec;
}

struct timespec ns_ts(long long ns)
{
	struct timespec ts = { ns / NSEC_PER_SEC, ns % NSEC_PER_SEC };

	return ts;
}

long long clock_ns(clockid_t clk)
{
	struct timespec ts;

	if (clock_gettime(clk, &ts))
		return -1;
	return ts_ns(&ts);
}

struct timespec abs_after_ms(clockid_t clk, long ms)
{
	return ns_ts(clock_ns(clk) + ms * NSEC_PER_MSEC);
}

void sleep_ms(long ms)
{
	struct timespec ts = ns_ts(ms * NSEC_PER_MSEC);

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

int join_ms(pthread_t t, void **ret, long ms)
{
	struct timespec abs = abs_after_ms(CLOCK_MONOTONIC, ms);

	return pthread_clockjoin_np(t, ret, CLOCK_MONOTONIC, &abs);
}

uint64_t tsc_after_ms(long ms)
{
	static uint64_t per_ms;

	if (!per_ms) {
		long long m0 = mono_ns(), m1;
		uint64_t t0 = tsc_now(), t1;

		sleep_ms(20);
		m1 = mono_ns();
		t1 = tsc_now();
		if (m1 > m0 && t1 > t0)
			per_ms = (t1 - t0) * NSEC_PER_MSEC / (m1 - m0);
		if (!per_ms)
			per_ms = 1000000;	/* assume 1 GHz */
	}
	return tsc_now() + per_ms * ms;
}

void need_tmp(void)
{
	if (mkdir("/tmp", 01777) == 0)
		diag("created /tmp");
}

static const char *proc_root = "/proc";

/* An init program mounts /proc itself. */
void need_proc(void)
{
	if (access("/proc/self/status", R_OK) == 0)
		return;
	mkdir(proc_root, 0555);
	if (mount("proc", proc_root, "proc", 0, NULL) == 0)
		diag("mounted proc on %s", proc_root);
	else
		diag("cannot mount proc on %s: errno %d", proc_root, errno);
}

const char *proc_path(const char *rel)
{
	static char path[256];

	snprintf(path, sizeof(path), "%s/%s", proc_root, rel);
	return path;
}

static void need_node(const char *path, unsigned int major, unsigned int minor)
{
	if (access(path, F_OK) && mknod(path, S_IFCHR | 0666, makedev(major, minor)))
		diag("cannot create %s: errno %d", path, errno);
}

void need_dev(void)
{
	if (access("/dev/null", F_OK) == 0 && access("/dev/zero", F_OK) == 0 &&
	    access("/dev/urandom", F_OK) == 0)
		return;
	mkdir("/dev", 0755);
	if (access("/dev/null", F_OK) &&
	    mount("devtmpfs", "/dev", "devtmpfs", 0, NULL) == 0) {
		diag("mounted devtmpfs on /dev");
		return;
	}
	need_node("/dev/null", 1, 3);
	need_node("/dev/zero", 1, 5);
	need_node("/dev/urandom", 1, 9);
}
