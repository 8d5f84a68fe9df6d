// SPDX-License-Identifier: GPL-2.0
/*
 * stress: threads x signals x timers x mmap for SECONDS (default 20).
 *   proc stress [SECONDS]
 * Four workers map, touch, check and unmap anonymous memory and update
 * mutex-protected counters; a POSIX timer sends SIGUSR1 to the process
 * every 5 ms; a sender thread sends SIGUSR2 to random workers.  At the end
 * the counters must agree, every data check must have passed, and the
 * signals counted by the handlers must match what was sent.
 */
#include "tap.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "proc.h"

#define WORKERS		4
#define PERIOD_MS	5

struct worker {
	pthread_t thread;
	int id, created, joined;
	long rounds, pages, bad, failed;
	volatile long usr1, usr2;	/* counted by the handlers on this thread */
	long sent;			/* SIGUSR2 sent to it */
};

static struct worker workers[WORKERS];
static __thread struct worker *me;
static volatile int stop_workers, stop_sender;

static pthread_mutex_t shared_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
	long ops, pages, check;	/* check == 3 * ops + pages */
	long broken;		/* times a worker found it otherwise */
} shared;

static long usr1_deliveries, usr1_expirations, stray_usr1, stray_usr2;

static void on_usr1(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	__atomic_add_fetch(&usr1_deliveries, 1, __ATOMIC_RELAXED);
	__atomic_add_fetch(&usr1_expirations, 1 + (si->si_code == SI_TIMER ? si->si_overrun : 0),
			   __ATOMIC_RELAXED);
	if (me)
		me->usr1++;
	else
		__atomic_add_fetch(&stray_usr1, 1, __ATOMIC_RELAXED);
}

static void on_usr2(int sig)
{
	(void)sig;
	if (me)
		me->usr2++;
	else
		__atomic_add_fetch(&stray_usr2, 1, __ATOMIC_RELAXED);
}

static uint64_t next_random(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *state = x;
}

static void signals(int how)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	pthread_sigmask(how, &set, NULL);
}

static void *worker(void *arg)
{
	struct worker *w = arg;
	long page = sysconf(_SC_PAGESIZE), words = page / sizeof(uint64_t);
	uint64_t state = 0x9e3779b97f4a7c15ULL * (w->id + 1);

	me = w;
	signals(SIG_UNBLOCK);
	while (!stop_workers) {
		long np = 1 + next_random(&state) % 16, i;
		uint64_t seed = next_random(&state);
		uint64_t *p = mmap(NULL, np * page, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED) {
			w->failed++;
			sleep_ms(1);
			continue;
		}
		for (i = 0; i < np; i++) {
			p[i * words] = seed + i;
			p[i * words + words / 2] = seed ^ i;
			p[i * words + words - 1] = ~(seed + i);
		}
		for (i = 0; i < np; i++)
			w->bad += p[i * words] != seed + i || p[i * words + words / 2] != (seed ^ i) ||
				  p[i * words + words - 1] != ~(seed + i);
		if (munmap(p, np * page))
			w->failed++;

		pthread_mutex_lock(&shared_lock);
		if (shared.check != 3 * shared.ops + shared.pages)
			shared.broken++;
		shared.ops++;
		shared.pages += np;
		shared.check = 3 * shared.ops + shared.pages;
		pthread_mutex_unlock(&shared_lock);
		w->rounds++;
		w->pages += np;
	}
	sleep_ms(2);	/* a last system call: signals still pending are taken */
	signals(SIG_BLOCK);
	me = NULL;
	return NULL;
}

static void *sender(void *arg)
{
	uint64_t state = 0x2545f4914f6cdd1dULL;

	(void)arg;
	while (!stop_sender) {
		struct worker *w = &workers[next_random(&state) % WORKERS];

		if (w->created && pthread_kill(w->thread, SIGUSR2) == 0)
			w->sent++;
		sleep_ms(1);
	}
	return NULL;
}

int proc_stress(int argc, char **argv)
{
	struct sigaction sa1 = { .sa_sigaction = on_usr1, .sa_flags = SA_SIGINFO | SA_RESTART };
	struct sigaction sa2 = { .sa_handler = on_usr2, .sa_flags = SA_RESTART };
	struct sigevent sev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGUSR1 };
	struct itimerspec its = { { 0, PERIOD_MS * NSEC_PER_MSEC }, { 0, PERIOD_MS * NSEC_PER_MSEC } };
	struct itimerspec off = { { 0, 0 }, { 0, 0 } };
	long seconds = argc > 2 ? strtol(argv[2], NULL, 10) : 20;
	long rounds = 0, pages = 0, bad = 0, failed = 0, usr1 = 0, expected;
	long long t_start, t_end, next_report;
	int i, created = 0, joined = 0, timer_ok, sender_ok, sender_joined = 0, usr2_ok = 1;
	int idle = 0;
	pthread_t send_thread;
	timer_t timer;

	tap_begin();
	if (seconds < 1 || seconds > 3600)
		seconds = 20;
	diag("stress for %ld s: %d workers, SIGUSR1 every %d ms, SIGUSR2 to random workers",
	     seconds, WORKERS, PERIOD_MS);
	sigemptyset(&sa1.sa_mask);
	sigemptyset(&sa2.sa_mask);
	sigaction(SIGUSR1, &sa1, NULL);
	sigaction(SIGUSR2, &sa2, NULL);
	signals(SIG_BLOCK);	/* only the workers take the signals */

	for (i = 0; i < WORKERS; i++) {
		workers[i].id = i;
		workers[i].created = pthread_create(&workers[i].thread, NULL, worker, &workers[i]) == 0;
		created += workers[i].created;
	}
	sender_ok = pthread_create(&send_thread, NULL, sender, NULL) == 0;
	check(created == WORKERS && sender_ok, "%d workers and the SIGUSR2 sender started", WORKERS);
	timer_ok = timer_create(CLOCK_MONOTONIC, &sev, &timer) == 0 &&
		   timer_settime(timer, 0, &its, NULL) == 0;
	t_start = mono_ns();
	check(timer_ok, "timer_create + timer_settime: SIGUSR1 every %d ms", PERIOD_MS);

	t_end = t_start + seconds * NSEC_PER_SEC;
	next_report = t_start + 5 * NSEC_PER_SEC;
	while (!past(t_end)) {
		sleep_ms(100);
		if (mono_ns() >= next_report && !past(t_end)) {
			pthread_mutex_lock(&shared_lock);
			diag("%lld s: %ld rounds, %ld SIGUSR1", (mono_ns() - t_start) / NSEC_PER_SEC,
			     shared.ops, usr1_deliveries);
			pthread_mutex_unlock(&shared_lock);
			next_report += 5 * NSEC_PER_SEC;
		}
	}
	if (timer_ok) {
		timer_settime(timer, 0, &off, NULL);
		timer_delete(timer);
	}
	expected = (mono_ns() - t_start) / (PERIOD_MS * NSEC_PER_MSEC);

	stop_sender = 1;
	if (sender_ok)
		sender_joined = join_ms(send_thread, NULL, 10000) == 0;
	stop_workers = 1;
	for (i = 0; i < WORKERS; i++)
		if (workers[i].created) {
			workers[i].joined = join_ms(workers[i].thread, NULL, 10000) == 0;
			joined += workers[i].joined;
		}
	check(joined == WORKERS && sender_joined, "every thread finished");

	for (i = 0; i < WORKERS; i++) {
		struct worker *w = &workers[i];

		diag("worker %d: %ld rounds, %ld pages, %ld SIGUSR1, %ld of %ld SIGUSR2", i, w->rounds,
		     w->pages, w->usr1, w->usr2, w->sent);
		rounds += w->rounds;
		pages += w->pages;
		bad += w->bad;
		failed += w->failed;
		usr1 += w->usr1;
		idle += !w->rounds;
		if (w->usr2 > w->sent || (w->sent && !w->usr2))
			usr2_ok = 0;
	}
	diag("SIGUSR1: %ld deliveries, %ld expirations counted (with overruns), %ld expected",
	     usr1_deliveries, usr1_expirations, expected);
	check(!failed && !idle, "every mmap and munmap succeeded; every worker made progress");
	check(!bad, "every page held what was written to it");
	pthread_mutex_lock(&shared_lock);
	check(shared.ops == rounds && shared.pages == pages &&
	      shared.check == 3 * shared.ops + shared.pages && !shared.broken,
	      "mutex-protected counters agree with the workers' own (%ld rounds)", rounds);
	pthread_mutex_unlock(&shared_lock);
	check(timer_ok && usr1_deliveries > 0 && usr1 == usr1_deliveries && !stray_usr1,
	      "SIGUSR1 from the timer reached only the workers");
	check(timer_ok && usr1_expirations >= expected / 2 &&
	      usr1_expirations <= expected + expected / 10 + 5,
	      "timer expirations (deliveries + overruns) match the elapsed time");
	check(usr2_ok && !stray_usr2, "each worker took at least one and at most all of the "
	      "SIGUSR2 sent to it");
	return tap_end();
}
