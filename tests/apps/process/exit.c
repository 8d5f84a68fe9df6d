// SPDX-License-Identifier: GPL-2.0
/*
 * exit-*: ways for the program to end, for boot tests that check the exit
 * status and the output.  They print plain lines, not TAP.
 *   exit-return             main returns 7
 *   exit-exit               "exit-exit: no newline" unflushed, then exit(9);
 *                           the atexit handler prints "atexit ran"
 *   exit-_exit              write(2) output, then _exit(11); the atexit
 *                           handler must not run
 *   exit-thread             a second thread calls exit(13) while main sleeps
 *   exit-main-pthread-exit  main calls pthread_exit; the second thread prints
 *                           "second thread done" after 200 ms: status 0
 *   exit-abort              abort(): SIGABRT, 134 as a shell reports it
 *   exit-signal             kill(getpid(), SIGTERM), default action: 143
 *   exit-fifo               4000 bytes in one write(2), then _exit(0)
 *   exit-overflow           recursion without end: the stack overflows,
 *                           SIGSEGV, 139 as a shell reports it
 *   exit-loop               main and a second thread spin without a system
 *                           call, for ever: the runner's timeout ends it
 *   exit-bad-handler        SIGUSR1 with a handler at a non-canonical
 *                           address, raised: SIGSEGV, 139
 *   exit-kernel-handler     the same with a handler in kernel text (the
 *                           kernel's first page): SIGSEGV, 139
 *   exit-bad-ip             (UKL only) the saved registers of a preempted
 *                           thread given a non-canonical ip, which the
 *                           IRET back to it would fault on: SIGSEGV, 139
 *   exit-kernel-ip          the same with an ip in kernel text (the
 *                           kernel's first page): SIGSEGV, 139
 *   exit-kernel-sp          the same with a stack pointer in kernel data
 *                           (the kernel's first page): SIGSEGV, 139
 *
 * An init (PID 1) normally ignores the fatal signals it sends itself (the
 * SIGNAL_UNKILLABLE rule); the test kernels (CONFIG_UKL_INIT_EXIT_STATUS)
 * let it die of them as any process, so exit-abort and exit-signal give
 * 134 and 143.  Should they not: exit-signal goes on after kill(), says
 * so and exits with 1.
 *
 * exit-fifo writes 50 lines of 80 bytes: line L (0..49) is "fifo LL " (L
 * in two digits), then 71 letters 'A' + (L + j) % 26 for j = 0..70, then
 * '\n'.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/user.h>
#include <unistd.h>

#include "proc.h"
#include "tap.h"

static void say(const char *s)
{
	ssize_t n = write(1, s, strlen(s));

	(void)n;
}

static void atexit_handler(void)
{
	/* stdio may already be flushed: write(2) comes out at once */
	say("atexit ran\n");
}

int exit_return(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("exit-return: main returns 7\n");
	return 7;
}

int exit_exit(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	atexit(atexit_handler);
	printf("exit-exit: exit(9) follows\n");
	printf("exit-exit: no newline");	/* only exit's flush prints this */
	exit(9);
}

int exit__exit(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	atexit(atexit_handler);
	say("exit-_exit: _exit(11) follows; no atexit handler may run\n");
	_exit(11);
}

static void *exiter(void *arg)
{
	(void)arg;
	sleep_ms(50);
	printf("exit-thread: the second thread calls exit(13)\n");
	exit(13);
}

int exit_thread(int argc, char **argv)
{
	pthread_t t;

	(void)argc;
	(void)argv;
	if (pthread_create(&t, NULL, exiter, NULL)) {
		printf("exit-thread: pthread_create failed\n");
		return 1;
	}
	sleep_ms(10000);
	printf("exit-thread: main woke up: the thread's exit did not end the program\n");
	return 1;
}

static void *second(void *arg)
{
	(void)arg;
	sleep_ms(200);
	printf("second thread done\n");
	return NULL;
}

int exit_main_pthread_exit(int argc, char **argv)
{
	pthread_t t;

	(void)argc;
	(void)argv;
	if (pthread_create(&t, NULL, second, NULL)) {
		printf("exit-main-pthread-exit: pthread_create failed\n");
		return 1;
	}
	printf("exit-main-pthread-exit: main calls pthread_exit\n");
	pthread_exit(NULL);
}

int exit_abort(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("exit-abort: abort() follows\n");
	abort();
}

int exit_signal(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	signal(SIGTERM, SIG_DFL);
	printf("exit-signal: kill(getpid(), SIGTERM) follows\n");
	kill(getpid(), SIGTERM);
	sleep_ms(100);
	printf("exit-signal: still running after SIGTERM (pid %d)\n", (int)getpid());
	return 1;
}

int exit_fifo(int argc, char **argv)
{
	static char buf[4000];
	size_t done = 0;
	int line, j;

	(void)argc;
	(void)argv;
	for (line = 0; line < 50; line++) {
		char *p = buf + line * 80;

		memcpy(p, "fifo ", 5);
		p[5] = '0' + line / 10;
		p[6] = '0' + line % 10;
		p[7] = ' ';
		for (j = 0; j < 71; j++)
			p[8 + j] = 'A' + (line + j) % 26;
		p[79] = '\n';
	}
	/* one write(2); a short write (it should not happen) is finished */
	while (done < sizeof(buf)) {
		ssize_t n = write(1, buf + done, sizeof(buf) - done);

		if (n <= 0)
			_exit(1);
		done += n;
	}
	_exit(0);
}

/* Each call can return, as far as the compiler knows: no tail call. */
static volatile int stop_at = -1;

static int endless(int depth)
{
	volatile char frame[512];

	frame[0] = (char)depth;
	if (depth == stop_at)
		return frame[0];
	return endless(depth + 1) + frame[0];
}

int exit_overflow(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	say("exit-overflow: recursing without end");
	return endless(0);
}

static int bad_handler(unsigned long addr)
{
	struct sigaction sa = { .sa_handler = (void (*)(int))addr };

	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGUSR1, &sa, NULL)) {
		say("exit-bad-handler: sigaction failed\n");
		return 1;
	}
	raise(SIGUSR1);
	say("exit-bad-handler: the handler was not entered and raise returned\n");
	return 1;
}

int exit_bad_handler(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	say("exit-bad-handler: a handler at 0x8000000000000000\n");
	return bad_handler(0x8000000000000000UL);
}

int exit_kernel_handler(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	say("exit-kernel-handler: a handler at 0xffffffff81000000\n");
	return bad_handler(0xffffffff81000000UL);
}

static volatile unsigned long loop_count[2];

static void *looper(void *arg)
{
	for (;;)
		loop_count[(long)arg]++;
	return NULL;
}

int exit_loop(int argc, char **argv)
{
	pthread_t t;

	(void)argc;
	(void)argv;
	if (pthread_create(&t, NULL, looper, (void *)1L)) {
		printf("exit-loop: pthread_create failed\n");
		return 1;
	}
	printf("exit-loop: two threads spin for ever\n");
	fflush(stdout);
	looper((void *)0L);
	return 1;
}

/*
 * The kernel's own functions, called directly (APP_KERNEL_CALLS): on the
 * baseline they are 0.  A task is only a pointer here.
 */
extern void *find_get_task_by_vpid(int nr) __attribute__((weak));
extern long arch_ptrace(void *child, long request, unsigned long addr,
			unsigned long data) __attribute__((weak));

#define PTRACE_POKEUSER		6

static volatile pid_t spinner_tid;

static void *bad_return_spinner(void *arg)
{
	(void)arg;
	spinner_tid = gettid();
	for (;;)
		__asm__ volatile("" : : : "memory");
	return NULL;
}

/*
 * A stray store into a task's saved registers, made on purpose: main and
 * a spinning thread share CPU 0, so whenever main runs the spinner is
 * preempted at an interrupt's return, with its registers saved on its
 * kernel stack.  Main writes @value into the register at @offset there
 * with the kernel's own PTRACE_POKEUSER code (no ptrace attach: the app
 * is ring-0 code and can write anything), then sleeps, and the spinner
 * returns to app code with that frame.
 */
static int bad_return(const char *name, size_t offset, unsigned long value)
{
	struct timespec ms = { 0, 1000000 };
	cpu_set_t cpu0;
	pthread_t t;
	void *task;
	int i;

	if (!find_get_task_by_vpid || !arch_ptrace) {
		printf("%s: the kernel's functions are not linked in (not UKL)\n", name);
		return 1;
	}
	CPU_ZERO(&cpu0);
	CPU_SET(0, &cpu0);
	if (sched_setaffinity(0, sizeof(cpu0), &cpu0) ||
	    pthread_create(&t, NULL, bad_return_spinner, NULL)) {
		printf("%s: sched_setaffinity or pthread_create failed\n", name);
		return 1;
	}
	while (!spinner_tid)
		sched_yield();
	task = find_get_task_by_vpid(spinner_tid);
	if (!task) {
		printf("%s: no task for the spinner's tid\n", name);
		return 1;
	}
	printf("%s: the spinner's saved %s set to %#lx\n", name,
	       offset == offsetof(struct user_regs_struct, rip) ? "ip" : "sp", value);
	for (i = 0; i < 1000; i++) {
		if (arch_ptrace(task, PTRACE_POKEUSER, offset, value)) {
			printf("%s: PTRACE_POKEUSER failed\n", name);
			return 1;
		}
		nanosleep(&ms, NULL);
	}
	printf("%s: the spinner still runs after 1000 rounds\n", name);
	return 1;
}

int exit_bad_ip(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return bad_return("exit-bad-ip", offsetof(struct user_regs_struct, rip),
			  0x8000000000000000UL);
}

int exit_kernel_ip(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return bad_return("exit-kernel-ip", offsetof(struct user_regs_struct, rip),
			  0xffffffff81000000UL);
}

int exit_kernel_sp(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return bad_return("exit-kernel-sp", offsetof(struct user_regs_struct, rsp),
			  0xffffffff81000000UL);
}
