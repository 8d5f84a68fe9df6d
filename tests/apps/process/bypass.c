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
 *   - nanosleep interrupted by a handler returns EINTR and the time left.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
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
	return tap_end();
}
