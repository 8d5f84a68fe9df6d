// SPDX-License-Identifier: GPL-2.0
/*
 * preempt: code that makes no system call must still be interrupted.
 *  - a spinning thread must not starve a thread sleeping 50 x 10 ms on the
 *    same CPU (the sleeper's wake-up latency is printed);
 *  - SIGALRM from setitimer ends a loop `while (!flag) ;`;
 *  - pthread_kill(SIGUSR1) runs the handler on the spinning target thread;
 *  - two threads on one CPU keep their own values in %xmm6..%xmm9 across
 *    half a second of spinning that does not touch them.
 * No loop here makes a system call; each has a TSC time limit (rdtsc is
 * not a system call) so that the program ends even if nothing interrupts.
 */
#include "tap.h"

#include <errno.h>
#include <sched.h>
#include <semaphore.h>
#include <signal.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "proc.h"

static cpu_set_t one_cpu;
static int pinned;

/* Threads that must share one CPU run on the CPU main runs on now. */
static void pick_cpu(void)
{
	cpu_set_t all;
	int cpu = sched_getcpu(), i;

	if (cpu < 0 && sched_getaffinity(0, sizeof(all), &all) == 0)
		for (i = 0; i < CPU_SETSIZE && cpu < 0; i++)
			if (CPU_ISSET(i, &all))
				cpu = i;
	if (cpu < 0) {
		diag("no CPU to pin to: threads are not pinned");
		return;
	}
	CPU_ZERO(&one_cpu);
	CPU_SET(cpu, &one_cpu);
	pinned = 1;
	diag("threads that must share a CPU are pinned to CPU %d", cpu);
}

static int start(pthread_t *t, int pin, void *(*fn)(void *), void *arg)
{
	pthread_attr_t attr;
	int ret;

	pthread_attr_init(&attr);
	if (pin && pinned)
		pthread_attr_setaffinity_np(&attr, sizeof(one_cpu), &one_cpu);
	ret = pthread_create(t, &attr, fn, arg);
	pthread_attr_destroy(&attr);
	return ret;
}

/* a spinner and a sleeper */

#define SLEEPS	50

static volatile int spin_stop, spin_capped;
static volatile unsigned long spin_count;
static uint64_t spin_cap;

static void *spin_thread(void *arg)
{
	(void)arg;
	while (!spin_stop) {
		spin_count++;
		if (!(spin_count & 0xffff) && tsc_now() > spin_cap) {
			spin_capped = 1;
			break;
		}
	}
	return NULL;
}

static long long nap_min, nap_max, nap_sum;

static void *sleep_thread(void *arg)
{
	struct timespec ts = { 0, 10 * NSEC_PER_MSEC };
	int i;

	(void)arg;
	nap_min = -1;
	for (i = 0; i < SLEEPS; i++) {
		long long t0 = mono_ns(), d;

		nanosleep(&ts, NULL);
		d = mono_ns() - t0;
		if (nap_min < 0 || d < nap_min)
			nap_min = d;
		if (d > nap_max)
			nap_max = d;
		nap_sum += d;
	}
	return NULL;
}

static void spinner_vs_sleeper(void)
{
	pthread_t spin, nap;
	long long t0, t1;
	int ok, joined;

	spin_cap = tsc_after_ms(11000);
	if (start(&spin, 1, spin_thread, NULL)) {
		check(0, "a spinning thread does not starve a sleeping one");
		return;
	}
	sleep_ms(20);
	t0 = mono_ns();
	ok = start(&nap, 1, sleep_thread, NULL) == 0;
	joined = ok && join_ms(nap, NULL, 10000) == 0;
	t1 = mono_ns();
	spin_stop = 1;
	ok = join_ms(spin, NULL, 12000) == 0 && joined;
	if (joined)
		diag("wake-up latency max %lld us, mean %lld us", (nap_max - 10 * NSEC_PER_MSEC) / 1000,
		     (nap_sum / SLEEPS - 10 * NSEC_PER_MSEC) / 1000);
	diag("the sleeper took %lld ms; the spinner counted to %lu%s", (t1 - t0) / NSEC_PER_MSEC,
	     spin_count, spin_capped ? " and hit its TSC limit" : "");
	check(ok && !spin_capped && t1 - t0 < 10 * NSEC_PER_SEC,
	      "a spinning thread does not starve a thread doing %d x nanosleep(10 ms)", SLEEPS);
	check(joined && nap_min >= 10 * NSEC_PER_MSEC, "every nanosleep(10 ms) lasted >= 10 ms "
	      "(shortest %lld us)", nap_min / 1000);
}

/* SIGALRM ends a loop without system calls */

static volatile sig_atomic_t alarm_flag;

static void on_alarm(int sig)
{
	(void)sig;
	alarm_flag = 1;
}

static void itimer_loop(void)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	struct itimerval it = { { 0, 0 }, { 0, 100000 } }, off = { { 0, 0 }, { 0, 0 } };
	uint64_t cap = tsc_after_ms(5000);
	long long t0, t1;
	int ok;

	sigemptyset(&sa.sa_mask);
	ok = sigaction(SIGALRM, &sa, NULL) == 0;
	t0 = mono_ns();
	ok = ok && setitimer(ITIMER_REAL, &it, NULL) == 0;
	while (!alarm_flag && tsc_now() < cap)
		;
	t1 = mono_ns();
	setitimer(ITIMER_REAL, &off, NULL);
	check(ok && alarm_flag && t1 - t0 >= 99 * NSEC_PER_MSEC,
	      "setitimer(100 ms): SIGALRM ends `while (!flag) ;` (%lld ms)",
	      (t1 - t0) / NSEC_PER_MSEC);
}

/* pthread_kill of a spinning thread */

static volatile pid_t target_tid, handler_tid;
static volatile sig_atomic_t usr1_flag, usr1_in_loop;
static sem_t target_ready;

static void on_usr1(int sig)
{
	(void)sig;
	handler_tid = gettid();
	usr1_flag = 1;
}

static void *target_thread(void *arg)
{
	uint64_t cap = *(uint64_t *)arg;

	target_tid = gettid();
	sem_post(&target_ready);
	while (!usr1_flag && tsc_now() < cap)
		;
	usr1_in_loop = usr1_flag;
	return NULL;
}

static void kill_spinner(void)
{
	struct sigaction sa = { .sa_handler = on_usr1 };
	struct timespec abs;
	uint64_t cap;
	pthread_t t;
	int ok;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	sem_init(&target_ready, 0, 0);
	cap = tsc_after_ms(3000);
	ok = start(&t, 0, target_thread, &cap) == 0;
	abs = abs_after_ms(CLOCK_REALTIME, 5000);
	ok = ok && sem_timedwait(&target_ready, &abs) == 0;
	sleep_ms(20);
	ok = ok && pthread_kill(t, SIGUSR1) == 0;
	ok = ok && join_ms(t, NULL, 10000) == 0;
	check(ok && usr1_in_loop, "pthread_kill(SIGUSR1) interrupts a thread spinning without "
	      "system calls");
	check(ok && handler_tid == target_tid && handler_tid != gettid(),
	      "the handler ran on the target thread (tid %d, target %d)", (int)handler_tid,
	      (int)target_tid);
}

/* %xmm6..%xmm9 of two threads sharing a CPU */

struct xmm_job {
	uint64_t seed;
	long long start, end;
	int ok;
};

static void *xmm_thread(void *arg)
{
	struct xmm_job *j = arg;
	uint64_t in[8], out[8], end;
	int i;

	for (i = 0; i < 8; i++)
		in[i] = j->seed * (i + 1) ^ 0x0123456789abcdefULL;
	memset(out, 0, sizeof(out));
	end = tsc_after_ms(500);
	j->start = mono_ns();
	__asm__ volatile("movdqu 0(%[in]), %%xmm6\n\t"
			 "movdqu 16(%[in]), %%xmm7\n\t"
			 "movdqu 32(%[in]), %%xmm8\n\t"
			 "movdqu 48(%[in]), %%xmm9\n\t"
			 "1:\n\t"
			 "rdtsc\n\t"
			 "shlq $32, %%rdx\n\t"
			 "orq %%rdx, %%rax\n\t"
			 "cmpq %[end], %%rax\n\t"
			 "jb 1b\n\t"
			 "movdqu %%xmm6, 0(%[out])\n\t"
			 "movdqu %%xmm7, 16(%[out])\n\t"
			 "movdqu %%xmm8, 32(%[out])\n\t"
			 "movdqu %%xmm9, 48(%[out])"
			 :
			 : [in] "r"(in), [out] "r"(out), [end] "r"(end)
			 : "rax", "rdx", "xmm6", "xmm7", "xmm8", "xmm9", "memory", "cc");
	j->end = mono_ns();
	j->ok = !memcmp(in, out, sizeof(in));
	return NULL;
}

static void xmm_test(void)
{
	static struct xmm_job j[2] = { { .seed = 0x1111111111111111ULL },
				       { .seed = 0x2222222222222222ULL } };
	pthread_t t[2];
	int i, n = 0, ok;

	tsc_after_ms(0);	/* calibrated before the threads start */
	for (i = 0; i < 2; i++)
		if (start(&t[i], 1, xmm_thread, &j[i]) == 0)
			n++;
	ok = n == 2;
	for (i = 0; i < n; i++)
		ok &= join_ms(t[i], NULL, 10000) == 0;
	if (ok)
		diag("the xmm threads ran %s", j[0].start < j[1].end && j[1].start < j[0].end ?
		     "interleaved" : "one after the other");
	check(ok && j[0].ok && j[1].ok, "two threads sharing a CPU keep their own %%xmm6..%%xmm9 "
	      "across 0.5 s of spinning");
}

int proc_preempt(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	tap_begin();
	tsc_after_ms(0);	/* calibrate the TSC */
	pick_cpu();
	spinner_vs_sleeper();
	itimer_loop();
	kill_spinner();
	xmm_test();
	return tap_end();
}
