// SPDX-License-Identifier: GPL-2.0
/*
 * Smoke test of the app model, run the same way on UKL and on the baseline:
 *   smoke ukl|baseline
 * Prints TAP; exits 0 if every test passed, 1 otherwise.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <x86intrin.h>
#include <fenv.h>

static int failed, count;
static int ukl;

static void check(int ok, const char *what)
{
	count++;
	if (!ok)
		failed++;
	printf("%sok %d - %s\n", ok ? "" : "not ", count, what);
}

static int ring(void)
{
	unsigned short cs;

	__asm__ volatile("mov %%cs, %0" : "=r"(cs));
	return cs & 3;
}

static __thread int tls_data = 42;	/* .tdata */
static __thread long tls_zero[64];	/* .tbss */
static char big_bss[1 << 20];		/* app .bss, in the kernel image under UKL */
static const char rodata_msg[] = "# write(2) from a string literal\n";

static int recurse(int depth)
{
	volatile char frame[1024];

	frame[0] = (char)depth;
	if (depth == 0)
		return frame[0];
	return recurse(depth - 1) + frame[0] - (char)depth;
}

static volatile sig_atomic_t got_signal;

static void on_usr1(int sig)
{
	got_signal = sig;
}

/* SIGALRM with SA_RESTART: the third tick makes the blocked read() ready. */
static int restart_pipe[2];
static volatile int ticks;

static void on_alarm(int sig)
{
	(void)sig;
	if (++ticks == 3)
		write(restart_pipe[1], "r", 1);
}

static int restarted_read(void)
{
	struct sigaction sa = { .sa_handler = on_alarm, .sa_flags = SA_RESTART };
	struct itimerval it = { { 0, 20000 }, { 0, 20000 } };
	struct itimerval off = { { 0, 0 }, { 0, 0 } };
	char c = 0;
	ssize_t n;

	if (pipe(restart_pipe) || sigaction(SIGALRM, &sa, NULL) || setitimer(ITIMER_REAL, &it, NULL))
		return 0;
	n = read(restart_pipe[0], &c, 1);	/* interrupted twice, restarted */
	setitimer(ITIMER_REAL, &off, NULL);
	return n == 1 && c == 'r' && ticks >= 3;
}

/*
 * A value live in %xmm8 across a system call that sleeps (the task is
 * switched out): the app's SSE registers must be what it left there.
 */
static int xmm_survives_sleep(void)
{
	struct timespec nap = { 0, 5 * 1000 * 1000 };
	double in = 2.718281828, out = 0;
	long ret = 35;			/* __NR_nanosleep */

	__asm__ volatile("movsd %[in], %%xmm8\n\t"
			 "call __ukl_syscall\n\t"
			 "movsd %%xmm8, %[out]"
			 : [out] "=m"(out), "+a"(ret)
			 : [in] "m"(in), "D"(&nap), "S"(0L)
			 : "rcx", "r11", "xmm8", "memory", "cc");
	return ret == 0 && out == in;
}

/* Compute without any system call for @seconds (the TSC is the clock). */
static void spin(int seconds)
{
	struct timespec a, b, nap = { 0, 50 * 1000 * 1000 };
	unsigned long long t0, t1, per_second;

	clock_gettime(CLOCK_MONOTONIC, &a);
	t0 = __rdtsc();
	nanosleep(&nap, NULL);
	clock_gettime(CLOCK_MONOTONIC, &b);
	t1 = __rdtsc();
	per_second = (t1 - t0) * 1000000000ULL /
		     ((b.tv_sec - a.tv_sec) * 1000000000ULL + b.tv_nsec - a.tv_nsec);
	t0 = __rdtsc();
	while (__rdtsc() - t0 < seconds * per_second)
		;
}

static time_t static_time;
static int static_count;

static double slow_sum(int n)
{
	double s = 0;

	for (int i = 1; i <= n; i++)
		s += sqrt((double)i);
	return s;
}

int main(int argc, char **argv)
{
	static char pipebuf[60000], readback[60000];
	struct timespec t0, t1, nap = { 0, 10 * 1000 * 1000 };
	struct utsname un;
	int fd, p[2];
	char *small, *large;
	double before, after;

	ukl = argc > 1 && !strcmp(argv[1], "ukl");
	printf("TAP version 13\n1..24\n");

	check(ring() == (ukl ? 0 : 3), ukl ? "runs in ring 0" : "runs in ring 3");
	check(getpid() == 1, "is pid 1");
	check(write(1, rodata_msg, sizeof(rodata_msg) - 1) == (ssize_t)sizeof(rodata_msg) - 1,
	      "write(2) of read-only app data");
	memset(big_bss, 0x5a, sizeof(big_bss));
	check(big_bss[sizeof(big_bss) - 1] == 0x5a, "1 MiB of .bss is writable");

	small = malloc(100);
	large = malloc(8 << 20);	/* above the mmap threshold */
	check(small && large, "malloc small and 8 MiB");
	if (large) {
		memset(large, 1, 8 << 20);
		check(large[(8 << 20) - 1] == 1, "8 MiB heap block is usable");
	} else {
		check(0, "8 MiB heap block is usable");
	}
	free(small);
	free(large);

	tls_zero[63] = 7;
	check(tls_data == 42 && tls_zero[0] == 0 && tls_zero[63] == 7, "thread-local .tdata and .tbss");
	errno = 0;
	check(close(-1) == -1 && errno == EBADF, "errno (TLS) after a failing syscall");

	check(getenv("HOME") != NULL, "environment from the kernel");
	check(getauxval(AT_PAGESZ) == 4096 && getauxval(AT_RANDOM) != 0, "auxv: AT_PAGESZ and AT_RANDOM");
	check(uname(&un) == 0 && !strcmp(un.sysname, "Linux"), "uname(2) into a stack buffer");

	mkdir("/tmp", 0755);
	fd = open("/tmp/smoke", O_CREAT | O_RDWR | O_TRUNC, 0644);
	check(fd >= 0 && write(fd, "data", 4) == 4 && lseek(fd, 0, SEEK_SET) == 0 &&
	      read(fd, readback, 4) == 4 && !memcmp(readback, "data", 4) && close(fd) == 0,
	      "file create/write/read on the root fs");

	memset(pipebuf, 'p', sizeof(pipebuf));
	check(pipe(p) == 0 && write(p[1], pipebuf, sizeof(pipebuf)) == sizeof(pipebuf) &&
	      read(p[0], readback, sizeof(readback)) > 0, "60 kB through a pipe");

	check(recurse(1000) == 0, "1 MiB of stack recursion");

	clock_gettime(CLOCK_MONOTONIC, &t0);
	before = slow_sum(100000);
	nanosleep(&nap, NULL);
	after = slow_sum(100000);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	check((t1.tv_sec - t0.tv_sec) * 1000000000L + t1.tv_nsec - t0.tv_nsec >= 10000000L,
	      "nanosleep 10 ms (the clock moves)");
	check(before == after && before > 0, "FPU results survive sleeping");

	signal(SIGUSR1, on_usr1);
	raise(SIGUSR1);
	check(got_signal == SIGUSR1, "a signal handler runs (raise)");
	check(restarted_read(), "SA_RESTART: a read interrupted by signals is restarted");

	check(time(&static_time) > 0 && static_time > 0, "put_user into app .bss (time)");
	check(ioctl(restart_pipe[0], FIONREAD, &static_count) == 0 && static_count == 0,
	      "put_user into app .bss (ioctl FIONREAD)");

	check(xmm_survives_sleep(), "%xmm8 survives a system call that sleeps");
	fesetround(FE_UPWARD);
	nanosleep(&nap, NULL);
	check(fegetround() == FE_UPWARD, "MXCSR rounding mode survives sleeping");
	fesetround(FE_TONEAREST);

	/* A grace period in flight (the unmap frees a VMA through RCU), then
	 * 4 s of pure computation: with a 3 s stall timeout on the kernel
	 * command line, RCU must see the app's ticks as user time. */
	small = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (small != MAP_FAILED)
		munmap(small, 1 << 20);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	spin(4);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	check(t1.tv_sec - t0.tv_sec >= 3,
	      "4 s of computation without a system call (the log must show no RCU stall)");

	{
		/* On UKL the child runs while the parent waits (see the
		 * process tests' fork area). */
		pid_t pid = fork();
		int st = 0;

		if (pid == 0)
			_exit(5);
		check(pid > 0 && waitpid(pid, &st, 0) == pid && WEXITSTATUS(st) == 5, "fork works");
	}

	printf("# %d of %d failed\n", failed, count);
	return failed ? 1 : 0;
}
