// SPDX-License-Identifier: GPL-2.0
/*
 * names: the app defines names the kernel also defines (printk, schedule,
 * current_task, memcpy, jiffies, init_task) and each stays its own.  The
 * app's versions are called and keep their values; the kernel's go on
 * working under them: a line written to /dev/kmsg comes back through the
 * kernel's printk, sleeping schedules (the app's schedule is not called),
 * times() follows the kernel's jiffies, getpid() reads the kernel's current
 * task, and the kernel copies with its own memcpy.  On UKL the link puts the
 * app's names in their own namespace (link/namespace-app); on the baseline
 * they are an ordinary program's names.
 *
 * The app's memcpy replaces glibc's for the whole program, as it would in
 * any static link on Linux: it is a correct memcpy, and it counts its calls.
 * In glibc's libc.a memcpy shares its object with memmove, mempcpy and
 * __mempcpy (memmove.o), so a program that replaces one replaces all four,
 * on Linux too: otherwise the link finds memcpy defined twice.
 */
#include "tap.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/times.h>
#include <unistd.h>

#include "proc.h"

/* The app's own definitions of kernel names: global, as the kernel's are. */
int printk_calls;
char printk_last[64];
int schedule_calls;
void *current_task = (void *)0x5ca1ab1e;
unsigned long jiffies = 42;
unsigned long memcpy_calls;
struct app_task {
	int pid;
	char comm[16];
} init_task = { 4242, "app-init-task" };

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(printk_last, sizeof(printk_last), fmt, ap);
	va_end(ap);
	printk_calls++;
	return n;
}

void schedule(void)
{
	schedule_calls++;
}

void *memcpy(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	__atomic_add_fetch(&memcpy_calls, 1, __ATOMIC_RELAXED);
	while (n--)
		*d++ = *s++;
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d <= s || d >= s + n)
		return memcpy(dst, src, n);
	while (n--)
		d[n] = s[n];
	return dst;
}

void *mempcpy(void *dst, const void *src, size_t n)
{
	return (char *)memcpy(dst, src, n) + n;
}

void *__mempcpy(void *dst, const void *src, size_t n)
{
	return mempcpy(dst, src, n);
}

/* Calls through a pointer, so that gcc cannot turn them into its builtins. */
static void *(*volatile memcpy_p)(void *, const void *, size_t) = memcpy;
static int (*volatile printk_p)(const char *, ...) = printk;
static void (*volatile schedule_p)(void) = schedule;

/* Whether /dev/kmsg gives back a record whose text contains @want. */
static int kmsg_has(int fd, const char *want)
{
	char rec[1024];
	ssize_t n;

	while ((n = read(fd, rec, sizeof(rec) - 1)) > 0 || (n < 0 && errno == EPIPE)) {
		if (n <= 0)
			continue;	/* EPIPE: records were overwritten */
		rec[n] = '\0';
		if (strstr(rec, want))
			return 1;
	}
	return 0;
}

int proc_names(int argc, char **argv)
{
	char src[32] = "names: the app's memcpy", dst[32] = "";
	unsigned long before;
	struct tms tb;
	clock_t t0, t1;
	int fd, n;

	(void)argc;
	(void)argv;
	tap_begin();
	need_dev();
	need_proc();

	/* printk: the app's formats into its buffer; the kernel's logs. */
	n = printk_p("app printk %d", 7);
	check(printk_calls == 1 && n == 12 && !strcmp(printk_last, "app printk 7"),
	      "the app's printk ran (calls %d, \"%s\")", printk_calls, printk_last);
	fd = open("/dev/kmsg", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	check(fd >= 0, "open /dev/kmsg (%s)", fd >= 0 ? "ok" : strerror(errno));
	if (fd >= 0) {
		const char msg[] = "ukl-names: through the kernel's printk\n";

		lseek(fd, 0, SEEK_END);
		check(write(fd, msg, sizeof(msg) - 1) == (ssize_t)sizeof(msg) - 1,
		      "a line written to /dev/kmsg");
		check(kmsg_has(fd, "ukl-names: through the kernel's printk"),
		      "the kernel's printk logged it");
		close(fd);
	}
	check(printk_calls == 1, "the kernel's printk did not call the app's (calls %d)",
	      printk_calls);

	/* schedule: the app's counts; the kernel's runs under sleeps. */
	schedule_p();
	sched_yield();
	usleep(20000);
	check(schedule_calls == 1, "the app's schedule ran once, the kernel's under sleeps (calls %d)",
	      schedule_calls);

	/* jiffies: the app's stays 42; the kernel's moves times() on. */
	t0 = times(&tb);
	usleep(100000);
	t1 = times(&tb);
	check(t1 - t0 >= 5, "times() advanced with the kernel's jiffies (%ld ticks in 100 ms)",
	      (long)(t1 - t0));
	check(jiffies == 42, "the app's jiffies is its own (%lu)", jiffies);

	/* current_task and init_task: the app's keep their values; the kernel's
	 * current task and init still answer. */
	check(getpid() == 1 && current_task == (void *)0x5ca1ab1e,
	      "getpid() %d through the kernel's current task; the app's current_task %p",
	      (int)getpid(), current_task);
	check(init_task.pid == 4242 && !strcmp(init_task.comm, "app-init-task"),
	      "the app's init_task is its own (%d, %s)", init_task.pid, init_task.comm);

	/* memcpy: the app's copies, and glibc's callers use it too; the
	 * kernel's copy into the app's buffer does not call it. */
	before = memcpy_calls;
	memcpy_p(dst, src, sizeof(src));
	check(memcpy_calls == before + 1 && !strcmp(dst, src),
	      "the app's memcpy copied (\"%s\")", dst);
	fd = open(proc_path("version"), O_RDONLY | O_CLOEXEC);
	before = memcpy_calls;
	n = fd >= 0 ? (int)read(fd, dst, sizeof(dst) - 1) : -1;
	check(n > 0 && !strncmp(dst, "Linux version", 13) && memcpy_calls == before,
	      "the kernel copied into the app's buffer without the app's memcpy (%d bytes)", n);
	if (fd >= 0)
		close(fd);
	return tap_end();
}
