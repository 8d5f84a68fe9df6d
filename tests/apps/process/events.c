// SPDX-License-Identifier: GPL-2.0
/*
 * events: interrupts, exceptions and signals taken while app code runs on
 * stack memory that is not present, or is being moved.  A user program
 * never notices: in ring 3 the CPU delivers every event on the kernel's
 * stack.  On UKL the app runs in ring 0; its events must not land on its
 * own stacks either (asm/ukl_ist.h in the kernel).
 *   process events [ROUNDS]
 * Checks, each with the recursion's frames verified (stacks.c):
 *   - a makecontext coroutine on a fresh mmap'd stack, whose pages are
 *     dropped (MADV_DONTNEED) before every round, recursing 768 KiB while
 *     a 1 ms interval timer's SIGALRM lands on it;
 *   - the same on a static array (the app's bss: kernel memory on UKL);
 *   - a signal handler recursing 48 KiB on an alternate stack whose
 *     pages were dropped;
 *   - 32 threads with default attributes (8 MiB stacks) that touch 64 KiB
 *     each cost what they touch (MemAvailable), not their whole stacks;
 *   - a thread recursing 3 MiB over and over while its stack is collapsed
 *     into huge pages (MADV_COLLAPSE copies the range to a new page: its
 *     entries are not present meanwhile), memory is compacted through
 *     /proc/sys/vm/compact_memory and its own SIGUSR1 handler recurses;
 *     the stack's physical page must change (/proc/self/pagemap).
 * ROUNDS (default 1) repeats the coroutine and collapse checks.
 */
#include "tap.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <ucontext.h>
#include <unistd.h>

#include "proc.h"

#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE	25
#endif

#define KiB	1024L
#define MiB	(1024 * KiB)

/* Signals counted by where their handler's frame was. */
static volatile uintptr_t sig_lo, sig_hi;
static volatile long sig_on_stack, sig_total, sig_bad;

static void count_signal(int sig)
{
	volatile char here[256];
	uintptr_t sp = (uintptr_t)here;

	(void)sig;
	here[0] = 1;
	here[255] = 2;
	sig_total++;
	if (sp >= sig_lo && sp < sig_hi)
		sig_on_stack++;
	if (here[0] != 1 || here[255] != 2)
		sig_bad++;
}

/* The coroutine: one recursion per switch into it. */
static ucontext_t co_main, co_ctx;
static volatile int co_ok;

static void coroutine(void)
{
	uintptr_t lowest;
	long levels;

	co_ok = stack_recurse(768 * KiB, &lowest, &levels);
}

static int start_timer(long usec)
{
	struct itimerval it = { { 0, usec }, { 0, usec } };
	struct sigaction sa = { .sa_handler = count_signal, .sa_flags = SA_RESTART };

	sigemptyset(&sa.sa_mask);
	return sigaction(SIGALRM, &sa, NULL) || setitimer(ITIMER_REAL, &it, NULL);
}

static void stop_timer(void)
{
	struct itimerval it = { { 0, 0 }, { 0, 0 } };

	setitimer(ITIMER_REAL, &it, NULL);
	signal(SIGALRM, SIG_IGN);
}

/*
 * Switch into a coroutine on [@stack, @stack + @size) until @rounds
 * rounds are done and at least 5 timer signals hit the stack, or 10 s.
 */
static void coroutine_rounds(const char *what, char *stack, size_t size, int drop, int rounds)
{
	long long end = deadline_ms(10000);
	int done = 0, intact = 1, dropped = 1;

	sig_lo = (uintptr_t)stack;
	sig_hi = (uintptr_t)stack + size;
	sig_on_stack = sig_total = sig_bad = 0;
	if (start_timer(1000)) {
		check(0, "%s: timer: %s", what, strerror(errno));
		return;
	}
	while ((done < rounds || sig_on_stack < 5) && !past(end)) {
		if (drop && madvise(stack, size, MADV_DONTNEED))
			dropped = 0;
		getcontext(&co_ctx);
		co_ctx.uc_stack.ss_sp = stack;
		co_ctx.uc_stack.ss_size = size;
		co_ctx.uc_link = &co_main;
		makecontext(&co_ctx, coroutine, 0);
		co_ok = 0;
		if (swapcontext(&co_main, &co_ctx)) {
			intact = 0;
			break;
		}
		intact &= co_ok;
		done++;
	}
	stop_timer();
	if (drop)
		check(dropped, "%s: MADV_DONTNEED of the stack before each round", what);
	check(intact && done >= rounds, "%s: %d rounds of 768 KiB recursion intact", what, done);
	check(sig_on_stack >= 5 && !sig_bad,
	      "%s: timer signals delivered on the coroutine's stack (%ld of %ld)", what,
	      sig_on_stack, sig_total);
}

static char bss_stack[1 * MiB] __attribute__((aligned(4096)));

static void coroutines(int rounds)
{
	size_t size = 1 * MiB;
	char *stack = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (!check(stack != MAP_FAILED, "mmap a 1 MiB coroutine stack")) {
		return;
	}
	coroutine_rounds("mmap'd coroutine stack", stack, size, 1, rounds);
	munmap(stack, size);
	coroutine_rounds("coroutine stack in the app's bss", bss_stack, sizeof(bss_stack), 0, rounds);
}

/* A handler on an alternate stack whose pages were dropped. */
static volatile int alt_ok;

static void alt_handler(int sig)
{
	uintptr_t lowest;
	long levels;

	(void)sig;
	alt_ok = stack_recurse(48 * KiB, &lowest, &levels);
}

static void altstack(void)
{
	size_t size = 64 * KiB;
	char *mem = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	stack_t ss = { .ss_sp = mem, .ss_size = size }, old;
	struct sigaction sa = { .sa_handler = alt_handler, .sa_flags = SA_ONSTACK };
	int i, ok = 1;

	if (!check(mem != MAP_FAILED && !sigaltstack(&ss, &old), "sigaltstack on 64 KiB of fresh memory"))
		return;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR2, &sa, NULL);
	for (i = 0; i < 8; i++) {
		madvise(mem, size, MADV_DONTNEED);
		alt_ok = 0;
		raise(SIGUSR2);
		ok &= alt_ok;
	}
	check(ok, "8 handlers recursing 48 KiB on the alternate stack after MADV_DONTNEED");
	ss.ss_flags = SS_DISABLE;
	sigaltstack(&ss, NULL);
	signal(SIGUSR2, SIG_DFL);
	munmap(mem, size);
}

/* MemAvailable, in KiB; -1 if unknown. */
static long mem_available(void)
{
	FILE *f = fopen(proc_path("meminfo"), "re");
	char line[128];
	long kib = -1;

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "MemAvailable: %ld kB", &kib) == 1)
			break;
	if (f)
		fclose(f);
	return kib;
}

#define THREADS	32

static pthread_barrier_t touched, release;

static void *toucher(void *arg)
{
	uintptr_t lowest;
	long levels;

	*(int *)arg = stack_recurse(64 * KiB, &lowest, &levels);
	pthread_barrier_wait(&touched);
	pthread_barrier_wait(&release);
	return NULL;
}

static void thread_cost(void)
{
	pthread_t t[THREADS];
	int ok[THREADS], i, started = 0, intact = 1;
	long before = mem_available(), during;

	pthread_barrier_init(&touched, NULL, THREADS + 1);
	pthread_barrier_init(&release, NULL, THREADS + 1);
	for (i = 0; i < THREADS; i++) {
		ok[i] = 0;
		if (pthread_create(&t[i], NULL, toucher, &ok[i]))
			break;
		started++;
	}
	if (!check(started == THREADS, "%d threads with default attributes started", THREADS)) {
		/* They wait at the barrier for the missing ones: let them go. */
		diag("cannot go on: the started threads are left waiting");
		return;
	}
	pthread_barrier_wait(&touched);
	during = mem_available();
	pthread_barrier_wait(&release);
	for (i = 0; i < THREADS; i++) {
		join_ms(t[i], NULL, 10000);
		intact &= ok[i];
	}
	check(intact, "each recursed 64 KiB on its stack, intact");
	check(before > 0 && during > 0 && before - during < 32 * 1024,
	      "%d live threads took %ld KiB of memory (under 32 MiB: not their 8 MiB stacks)",
	      THREADS, before - during);
}

/* The physical frame of the page at @addr (root sees it), or 0. */
static uint64_t pfn_of(const void *addr)
{
	int fd = open(proc_path("self/pagemap"), O_RDONLY | O_CLOEXEC);
	uint64_t entry = 0;
	off_t off = (uintptr_t)addr / 4096 * sizeof(entry);

	if (fd < 0)
		return 0;
	if (pread(fd, &entry, sizeof(entry), off) != sizeof(entry))
		entry = 0;
	close(fd);
	if (!(entry & (1ULL << 63)))	/* not present */
		return 0;
	return entry & ((1ULL << 55) - 1);
}

static long vmstat(const char *name)
{
	FILE *f = fopen(proc_path("vmstat"), "re");
	char key[64];
	long val, found = -1;

	while (f && fscanf(f, "%63s %ld", key, &val) == 2)
		if (!strcmp(key, name)) {
			found = val;
			break;
		}
	if (f)
		fclose(f);
	return found;
}

static volatile int diver_stop;
static volatile long diver_rounds, diver_bad, handler_bad;

static void diver_signal(int sig)
{
	uintptr_t lowest;
	long levels;

	(void)sig;
	if (!stack_recurse(16 * KiB, &lowest, &levels))
		handler_bad++;
}

static void *diver(void *arg)
{
	uintptr_t lowest;
	long levels;

	(void)arg;
	while (!diver_stop) {
		if (!stack_recurse(3 * MiB, &lowest, &levels))
			diver_bad++;
		diver_rounds++;
	}
	return NULL;
}

static void collapse(int rounds)
{
	size_t size = 8 * MiB, map = size + 2 * MiB;
	char *mem = mmap(NULL, map, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *stack, *chunk;
	struct sigaction sa = { .sa_handler = diver_signal };
	pthread_attr_t attr;
	pthread_t t;
	uint64_t pfn0, pfn;
	long migrated0 = vmstat("pgmigrate_success"), collapsed0 = vmstat("thp_collapse_alloc");
	int fd, i, collapses = 0, moves = 0, compactions = 0, signals = 0;
	long long end;

	if (!check(mem != MAP_FAILED, "mmap an 8 MiB thread stack"))
		return;
	/* 2 MiB aligned; small pages until collapsed. */
	stack = (char *)(((uintptr_t)mem + 2 * MiB - 1) & ~(2 * MiB - 1));
	madvise(stack, size, MADV_NOHUGEPAGE);
	chunk = stack + size - 2 * MiB;		/* the top 2 MiB: always in use */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	pthread_attr_init(&attr);
	pthread_attr_setstack(&attr, stack, size);
	diver_stop = 0;
	diver_rounds = diver_bad = handler_bad = 0;
	if (!check(!pthread_create(&t, &attr, diver, NULL), "a thread recursing 3 MiB on it"))
		return;
	while (diver_rounds < 1)
		sleep_ms(1);
	pfn0 = pfn_of(chunk + 2 * MiB - 4096);
	fd = open(proc_path("sys/vm/compact_memory"), O_WRONLY | O_CLOEXEC);
	end = deadline_ms(20000);
	for (i = 0; i < 4 * rounds && !past(end); i++) {
		char *c = stack + size - (size_t)(1 + i % 2) * 2 * MiB;

		pthread_kill(t, SIGUSR1);
		signals++;
		/* The range may hold huge pages: allowed, collapsed, back. */
		madvise(c, 2 * MiB, MADV_HUGEPAGE);
		if (!madvise(c, 2 * MiB, MADV_COLLAPSE))
			collapses++;
		madvise(c, 2 * MiB, MADV_NOHUGEPAGE);
		pthread_kill(t, SIGUSR1);
		signals++;
		if (fd >= 0 && write(fd, "1", 1) == 1)
			compactions++;
		pfn = pfn_of(chunk + 2 * MiB - 4096);
		if (pfn && pfn != pfn0) {
			moves++;
			pfn0 = pfn;
		}
	}
	diver_stop = 1;
	check(!join_ms(t, NULL, 20000), "the recursing thread ended");
	if (fd >= 0)
		close(fd);
	diag("%ld rounds of recursion; %d collapses, %d compactions, %d signals; the top page moved %d times",
	     diver_rounds, collapses, compactions, signals, moves);
	diag("vmstat: pgmigrate_success +%ld, thp_collapse_alloc +%ld",
	     vmstat("pgmigrate_success") - migrated0, vmstat("thp_collapse_alloc") - collapsed0);
	check(collapses > 0, "MADV_COLLAPSE of the live stack succeeded (%d times)", collapses);
	check(compactions > 0, "compaction through /proc/sys/vm/compact_memory (%d times)", compactions);
	check(moves > 0, "the stack's top page moved to another physical page while in use");
	check(diver_rounds > 0 && !diver_bad && !handler_bad,
	      "every frame intact: %ld recursions, their signal handlers too", diver_rounds);
	signal(SIGUSR1, SIG_DFL);
	munmap(mem, map);
}

int proc_events(int argc, char **argv)
{
	int rounds = argc > 2 ? atoi(argv[2]) : 1;

	if (rounds < 1)
		rounds = 1;
	tap_begin();
	need_proc();
	coroutines(rounds);
	altstack();
	thread_cost();
	collapse(rounds);
	return tap_end();
}
