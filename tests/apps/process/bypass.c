// SPDX-License-Identifier: GPL-2.0
/*
 * bypass: the exit work a bypassed syscall must not skip (Kconfig.ukl
 * UKL_BYPASS, ukl-lib/syscall-stubs.S).  Every check holds for a Linux
 * process as well, and runs on all three kernels of the boot test.
 *   - a signal sent to the caller itself is delivered before kill()
 *     returns;
 *   - a signal sent to a thread that makes nothing but bypassed calls is
 *     delivered at the return of its current or next call (counted);
 *   - close() defers the file's release to task work on the way out: the
 *     pipe's reader sees end-of-file as soon as close() returns;
 *   - a blocking read interrupted by an SA_RESTART handler is restarted
 *     (the restart goes through the full path) and gets its data, and
 *     without SA_RESTART it fails with EINTR;
 *   - nanosleep interrupted by a handler returns EINTR and the time left;
 *   - the clocks glibc reads without the syscall path (UKL: ukl-lib/time.c,
 *     the baseline: the vDSO) agree with the syscall itself (syscall(),
 *     the full path), for every clock; a result page that is not mapped
 *     yet is faulted in; a bad pointer is EFAULT on UKL (the syscall's
 *     answer) and SIGSEGV on the baseline (its vDSO writes the result).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "proc.h"
#include "tap.h"

static volatile sig_atomic_t got;
static _Atomic long calls;		/* the spinner's completed getppid() calls */
static _Atomic long calls_at_delivery = -1;
static _Atomic int stop;

static void on_usr1(int sig)
{
	(void)sig;
	got = 1;
}

static void on_usr2(int sig)
{
	(void)sig;
	atomic_store(&calls_at_delivery, atomic_load(&calls));
}

static void *spinner(void *arg)
{
	(void)arg;
	while (!atomic_load(&stop)) {
		getppid();
		atomic_fetch_add(&calls, 1);
	}
	return NULL;
}

static void *write_later(void *arg)
{
	int fd = *(int *)arg;

	usleep(300 * 1000);
	if (write(fd, "x", 1) != 1)
		return (void *)1;
	return NULL;
}

static void *signal_later(void *arg)
{
	pthread_t *t = arg;

	usleep(100 * 1000);
	pthread_kill(*t, SIGALRM);
	return NULL;
}

static void on_alrm(int sig)
{
	(void)sig;
	got++;
}

static int handle(int sig, void (*fn)(int), int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	sa.sa_flags = flags;
	sigemptyset(&sa.sa_mask);
	return sigaction(sig, &sa, NULL);
}

/* A blocking read of a pipe, interrupted by SIGALRM after 100 ms. */
static int interrupted_read(int flags, char *c, int *err)
{
	pthread_t self = pthread_self(), sig, wr;
	int p[2], n;

	if (pipe(p) || handle(SIGALRM, on_alrm, flags))
		return -2;
	got = 0;
	pthread_create(&sig, NULL, signal_later, &self);
	pthread_create(&wr, NULL, write_later, &p[1]);
	n = read(p[0], c, 1);
	*err = errno;
	pthread_join(sig, NULL);
	pthread_join(wr, NULL);
	close(p[0]);
	close(p[1]);
	return n;
}

static sigjmp_buf segv_jump;

static void on_segv(int sig)
{
	(void)sig;
	siglongjmp(segv_jump, 1);
}

/* 1 if clock_gettime (0) or gettimeofday (1) into a bad pointer is SIGSEGV. */
static int vdso_faults(int which)
{
	struct sigaction sa, old;
	volatile int faulted = 0;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_segv;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGSEGV, &sa, &old);
	if (sigsetjmp(segv_jump, 1) == 0) {
		if (which == 0)
			clock_gettime(CLOCK_MONOTONIC, (struct timespec *)16);
		else
			gettimeofday((struct timeval *)16, NULL);
	} else {
		faulted = 1;
	}
	sigaction(SIGSEGV, &old, NULL);
	return faulted;
}

/* clock_gettime (glibc), then the syscall, then glibc again: in order. */
static int clock_agrees(clockid_t clk, long long *skew)
{
	struct timespec a, b, c;
	int i;

	for (i = 0; i < 100; i++) {
		if (clock_gettime(clk, &a) || syscall(SYS_clock_gettime, clk, &b) ||
		    clock_gettime(clk, &c))
			return 0;
		if (ts_ns(&a) > ts_ns(&b) || ts_ns(&b) > ts_ns(&c)) {
			*skew = ts_ns(&a) - ts_ns(&b);
			return 0;
		}
	}
	return 1;
}

static void check_clocks(void)
{
	static const struct { clockid_t id; const char *name; } clocks[] = {
		{ CLOCK_REALTIME, "REALTIME" }, { CLOCK_MONOTONIC, "MONOTONIC" },
		{ CLOCK_BOOTTIME, "BOOTTIME" }, { CLOCK_MONOTONIC_RAW, "MONOTONIC_RAW" },
		{ CLOCK_TAI, "TAI" }, { CLOCK_REALTIME_COARSE, "REALTIME_COARSE" },
		{ CLOCK_MONOTONIC_COARSE, "MONOTONIC_COARSE" },
		{ CLOCK_PROCESS_CPUTIME_ID, "PROCESS_CPUTIME_ID" },
	};
	struct timespec r, *fresh;
	struct timeval tv;
	time_t t;
	size_t i;
	int ok = 1, rc, err;

	for (i = 0; i < sizeof(clocks) / sizeof(clocks[0]); i++) {
		long long skew = 0;

		if (!clock_agrees(clocks[i].id, &skew)) {
			diag("CLOCK_%s: out of order with the syscall by %lld ns", clocks[i].name, skew);
			ok = 0;
		}
	}
	check(ok, "clock_gettime agrees with the syscall, in order, for 8 clocks");

	clock_gettime(CLOCK_REALTIME, &r);
	gettimeofday(&tv, NULL);
	t = time(NULL);
	/*
	 * time() is the second of the last tick (the kernel's xtime, as
	 * CLOCK_REALTIME_COARSE): just after a second begins, it may still
	 * say the one before.
	 */
	check(tv.tv_sec >= r.tv_sec && tv.tv_sec <= r.tv_sec + 1 && t >= tv.tv_sec - 1 &&
	      t <= tv.tv_sec + 1 && tv.tv_usec >= 0 && tv.tv_usec < 1000000,
	      "gettimeofday and time agree with CLOCK_REALTIME (%lld, %lld.%06ld, %lld)",
	      (long long)r.tv_sec, (long long)tv.tv_sec, (long)tv.tv_usec, (long long)t);

	fresh = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	check(fresh != MAP_FAILED && clock_gettime(CLOCK_MONOTONIC, fresh) == 0 &&
	      fresh->tv_sec > 0 && fresh->tv_nsec >= 0 && fresh->tv_nsec < 1000000000,
	      "clock_gettime into a page not mapped yet faults it in");
	if (!in_ukl()) {
		/* The vDSO writes the result itself: a bad pointer is SIGSEGV. */
		check(vdso_faults(0), "a Linux process: clock_gettime into a bad pointer "
		      "is SIGSEGV (the vDSO writes it)");
		check(vdso_faults(1), "a Linux process: gettimeofday into a bad pointer "
		      "is SIGSEGV (the vDSO writes it)");
		return;
	}
	errno = 0;
	rc = clock_gettime(CLOCK_MONOTONIC, (struct timespec *)16);
	err = errno;
	check(rc == -1 && err == EFAULT, "clock_gettime into a bad pointer fails with EFAULT "
	      "(%d, errno %d)", rc, err);
	errno = 0;
	rc = gettimeofday((struct timeval *)16, NULL);
	err = errno;
	check(rc == -1 && err == EFAULT, "gettimeofday into a bad pointer fails with EFAULT "
	      "(%d, errno %d)", rc, err);
}

int proc_bypass(int argc, char **argv)
{
	pthread_t t;
	long c0, c1;
	int p[2], i, n, err;
	long long deadline;
	struct timespec req = { 2, 0 }, rem = { 0, 0 };
	char c = 0;

	(void)argc;
	(void)argv;
	tap_begin();

	handle(SIGUSR1, on_usr1, 0);
	got = 0;
	kill(getpid(), SIGUSR1);
	check(got == 1, "a signal to the caller is delivered before kill() returns");

	handle(SIGUSR2, on_usr2, 0);
	pthread_create(&t, NULL, spinner, NULL);
	while (atomic_load(&calls) < 1000)
		;
	pthread_kill(t, SIGUSR2);
	c0 = atomic_load(&calls);
	deadline = deadline_ms(5000);
	while (atomic_load(&calls_at_delivery) < 0 && !past(deadline))
		;
	c1 = atomic_load(&calls_at_delivery);
	atomic_store(&stop, 1);
	pthread_join(t, NULL);
	check(c1 >= 0 && c1 <= c0 + 1,
	      "a signal to a thread making only getppid() calls is delivered within one call "
	      "(sent after call %ld, delivered after call %ld)", c0, c1);

	for (i = 0, n = 0; i < 100; i++) {
		char b;

		if (pipe2(p, O_NONBLOCK))
			break;
		close(p[1]);
		if (read(p[0], &b, 1) == 0)
			n++;
		close(p[0]);
	}
	check(n == 100, "the reader sees end-of-file as soon as close() of the writer returns "
	      "(%d of 100)", n);

	n = interrupted_read(SA_RESTART, &c, &err);
	check(n == 1 && c == 'x' && got == 1,
	      "an SA_RESTART handler's signal restarts a blocking read, which gets its data "
	      "(read %d, errno %d, %d signals)", n, n < 0 ? err : 0, (int)got);
	n = interrupted_read(0, &c, &err);
	check(n == -1 && err == EINTR && got == 1,
	      "without SA_RESTART the read fails with EINTR (read %d, errno %d)", n,
	      n < 0 ? err : 0);

	handle(SIGALRM, on_alrm, 0);
	t = pthread_self();
	{
		pthread_t s;

		pthread_create(&s, NULL, signal_later, &t);
		n = nanosleep(&req, &rem);
		err = errno;
		pthread_join(s, NULL);
	}
	check(n == -1 && err == EINTR && rem.tv_sec >= 1 && rem.tv_sec <= 2,
	      "nanosleep interrupted by a handler: EINTR and the time left (%ld.%09ld s)",
	      (long)rem.tv_sec, rem.tv_nsec);
	check_clocks();
	return tap_end();
}
