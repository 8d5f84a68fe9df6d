// SPDX-License-Identifier: GPL-2.0
/*
 * signals: sigaction handlers for raise, kill and tgkill on itself; SIGALRM
 * from alarm (waited for with sigsuspend) and setitimer; POSIX timers with
 * SIGEV_SIGNAL and SIGEV_THREAD; a handler on a sigaltstack; sigprocmask
 * blocking and unblocking; sigtimedwait; signalfd; pthread_kill to one
 * thread; SA_RESTART and EINTR for a read() on an empty pipe.
 */
#include "tap.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <semaphore.h>
#include <signal.h>
#include <sys/mman.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>

#include "proc.h"

/* What the handler saw last, per signal number. */
static volatile sig_atomic_t hits[NSIG];
static volatile pid_t hit_tid[NSIG], hit_pid[NSIG];
static volatile int hit_code[NSIG], hit_value[NSIG];
static volatile uintptr_t hit_stack[NSIG];
static volatile int hit_onstack[NSIG];

static void handler(int sig, siginfo_t *si, void *uc)
{
	volatile char local;
	stack_t ss;

	(void)uc;
	hit_tid[sig] = gettid();
	hit_pid[sig] = si->si_pid;
	hit_code[sig] = si->si_code;
	hit_value[sig] = si->si_value.sival_int;
	hit_stack[sig] = (uintptr_t)&local;
	hit_onstack[sig] = sigaltstack(NULL, &ss) == 0 && (ss.ss_flags & SS_ONSTACK);
	hits[sig]++;
}

static int handle(int sig, int flags)
{
	struct sigaction sa = { .sa_sigaction = handler, .sa_flags = SA_SIGINFO | flags };

	sigemptyset(&sa.sa_mask);
	hits[sig] = 0;
	return sigaction(sig, &sa, NULL);
}

static void mask(int how, int sig)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(how, &set, NULL);
}

/* Waits (sleeping, so signals are taken) until hits[sig] reaches @n. */
static int wait_hits(int sig, int n, long ms)
{
	long long deadline = deadline_ms(ms);

	while (hits[sig] < n && !past(deadline))
		sleep_ms(1);
	return hits[sig] >= n;
}

static void self_signals(void)
{
	pid_t tid = gettid();

	handle(SIGUSR1, 0);
	check(raise(SIGUSR1) == 0 && hits[SIGUSR1] == 1 && hit_code[SIGUSR1] == SI_TKILL &&
	      hit_tid[SIGUSR1] == tid, "raise(SIGUSR1) runs the handler before returning");

	hits[SIGUSR1] = 0;
	check(kill(getpid(), SIGUSR1) == 0 && wait_hits(SIGUSR1, 1, 2000) &&
	      hit_code[SIGUSR1] == SI_USER && hit_pid[SIGUSR1] == getpid(),
	      "kill(getpid(), SIGUSR1): handler with si_code SI_USER, si_pid = getpid()");

	handle(SIGUSR2, 0);
	check(syscall(SYS_tgkill, getpid(), tid, SIGUSR2) == 0 && hits[SIGUSR2] == 1 &&
	      hit_tid[SIGUSR2] == tid && hit_code[SIGUSR2] == SI_TKILL,
	      "tgkill(getpid(), gettid(), SIGUSR2) runs the handler on this thread");
}

/*
 * alarm(1) waited for with sigsuspend.  A POSIX timer sending a spare
 * real-time signal after 3 s wakes sigsuspend if SIGALRM never comes.
 */
static void on_spare(int sig)
{
	(void)sig;
}

static void alarm_test(void)
{
	struct sigaction sa = { .sa_handler = on_spare };
	struct sigevent sev = { .sigev_notify = SIGEV_SIGNAL };
	struct itimerspec its = { .it_value = { 3, 0 } };
	sigset_t block, old;
	timer_t spare;
	int have_spare, spare_sig = SIGRTMIN + 1;
	long long t0, t1;

	sigemptyset(&sa.sa_mask);
	sigaction(spare_sig, &sa, NULL);
	sev.sigev_signo = spare_sig;
	have_spare = timer_create(CLOCK_MONOTONIC, &sev, &spare) == 0;

	handle(SIGALRM, 0);
	sigemptyset(&block);
	sigaddset(&block, SIGALRM);
	sigprocmask(SIG_BLOCK, &block, &old);
	t0 = mono_ns();
	check(alarm(1) == 0, "alarm(1)");
	if (have_spare)
		timer_settime(spare, 0, &its, NULL);
	while (!hits[SIGALRM] && mono_ns() - t0 < 4 * NSEC_PER_SEC) {
		if (have_spare)
			sigsuspend(&old);
		else
			sleep_ms(10);
	}
	t1 = mono_ns();
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (have_spare)
		timer_delete(spare);
	alarm(0);
	check(hits[SIGALRM] == 1 && t1 - t0 >= 999 * NSEC_PER_MSEC,
	      "SIGALRM from alarm(1) ends sigsuspend (after %lld ms)", (t1 - t0) / NSEC_PER_MSEC);
}

static void itimer_test(void)
{
	struct itimerval it = { { 0, 20000 }, { 0, 50000 } }, off = { { 0, 0 }, { 0, 0 } };
	struct itimerval cur;
	long long t0, t1;
	int ok;

	handle(SIGALRM, 0);
	t0 = mono_ns();
	ok = setitimer(ITIMER_REAL, &it, NULL) == 0;
	ok = ok && getitimer(ITIMER_REAL, &cur) == 0 && (cur.it_value.tv_sec || cur.it_value.tv_usec);
	check(ok, "setitimer(ITIMER_REAL, 50 ms then every 20 ms); getitimer shows it armed");
	ok = wait_hits(SIGALRM, 1, 2000);
	t1 = mono_ns();
	check(ok && t1 - t0 >= 49 * NSEC_PER_MSEC, "setitimer: first SIGALRM after >= 50 ms (%lld ms)",
	      (t1 - t0) / NSEC_PER_MSEC);
	check(wait_hits(SIGALRM, 4, 2000), "setitimer: the interval repeats (4 SIGALRMs)");
	setitimer(ITIMER_REAL, &off, NULL);
	check(getitimer(ITIMER_REAL, &cur) == 0 && !cur.it_value.tv_sec && !cur.it_value.tv_usec,
	      "setitimer: disarmed");
}

/* POSIX timers */

static sem_t notified;
static volatile pid_t notify_tid;
static volatile int notify_value;

static void notify(union sigval v)
{
	notify_tid = gettid();
	notify_value = v.sival_int;
	sem_post(&notified);
}

static void posix_timers(void)
{
	struct sigevent sev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGUSR1 };
	struct itimerspec its = { .it_value = { 0, 30 * NSEC_PER_MSEC } };
	struct timespec abs;
	long long t0, t1;
	timer_t timer;
	int ok;

	handle(SIGUSR1, 0);
	sev.sigev_value.sival_int = 42;
	t0 = mono_ns();
	ok = timer_create(CLOCK_MONOTONIC, &sev, &timer) == 0;
	ok = ok && timer_settime(timer, 0, &its, NULL) == 0;
	ok = ok && wait_hits(SIGUSR1, 1, 2000);
	t1 = mono_ns();
	check(ok && hit_code[SIGUSR1] == SI_TIMER && hit_value[SIGUSR1] == 42 &&
	      t1 - t0 >= 29 * NSEC_PER_MSEC,
	      "timer_create(SIGEV_SIGNAL): SIGUSR1 with SI_TIMER and sival_int 42 after 30 ms");
	if (ok)
		timer_delete(timer);

	sem_init(&notified, 0, 0);
	memset(&sev, 0, sizeof(sev));
	sev.sigev_notify = SIGEV_THREAD;
	sev.sigev_notify_function = notify;
	sev.sigev_value.sival_int = 77;
	ok = timer_create(CLOCK_MONOTONIC, &sev, &timer) == 0;
	ok = ok && timer_settime(timer, 0, &its, NULL) == 0;
	abs = abs_after_ms(CLOCK_REALTIME, 3000);
	while (ok && sem_timedwait(&notified, &abs)) {
		if (errno != EINTR) {
			ok = 0;
			break;
		}
	}
	check(ok && notify_value == 77 && notify_tid && notify_tid != gettid(),
	      "timer_create(SIGEV_THREAD): the function runs in another thread with its value");
	if (ok)
		timer_delete(timer);
}

/* sigaltstack */

static void altstack_test(void)
{
	long min = sysconf(_SC_SIGSTKSZ);
	size_t size = min > 65536 ? (size_t)min : 65536;
	char *mem = malloc(size);
	stack_t ss = { .ss_size = size }, off = { .ss_flags = SS_DISABLE };
	int ok;

	if (!mem) {
		check(0, "sigaltstack: a handler runs on the alternate stack");
		return;
	}
	memset(mem, 0, size);
	ss.ss_sp = mem;
	ok = sigaltstack(&ss, NULL) == 0 && handle(SIGUSR2, SA_ONSTACK) == 0;
	ok = ok && raise(SIGUSR2) == 0 && hits[SIGUSR2] == 1;
	check(ok && hit_stack[SIGUSR2] >= (uintptr_t)mem && hit_stack[SIGUSR2] < (uintptr_t)mem + size,
	      "sigaltstack: the handler's local variable is on the alternate stack");
	check(ok && hit_onstack[SIGUSR2], "sigaltstack: the handler sees SS_ONSTACK");
	sigaltstack(&off, NULL);
	handle(SIGUSR2, 0);
	check(raise(SIGUSR2) == 0 && hits[SIGUSR2] == 1 &&
	      !(hit_stack[SIGUSR2] >= (uintptr_t)mem && hit_stack[SIGUSR2] < (uintptr_t)mem + size),
	      "sigaltstack disabled: the handler runs on the normal stack");
	free(mem);
}

/*
 * An alternate stack the app never touched (fresh mmap'd pages): the
 * kernel writes the signal frame there and the handler runs on it, each
 * page faulting in as it is touched (events.c goes deeper).
 */
static void altstack_untouched_test(void)
{
	size_t size = 65536;
	char *mem = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	stack_t ss = { .ss_sp = mem, .ss_size = size }, off = { .ss_flags = SS_DISABLE };
	int ok;

	ok = mem != MAP_FAILED && sigaltstack(&ss, NULL) == 0 && handle(SIGUSR2, SA_ONSTACK) == 0;
	ok = ok && raise(SIGUSR2) == 0 && hits[SIGUSR2] == 1;
	check(ok && hit_onstack[SIGUSR2] && hit_stack[SIGUSR2] >= (uintptr_t)mem &&
	      hit_stack[SIGUSR2] < (uintptr_t)mem + size,
	      "sigaltstack on fresh mmap'd pages never touched: the handler runs there");
	sigaltstack(&off, NULL);
	handle(SIGUSR2, 0);
	if (mem != MAP_FAILED)
		munmap(mem, size);
}

/* sigprocmask, sigtimedwait, signalfd */

static void mask_test(void)
{
	struct timespec ts = { 0, 50 * NSEC_PER_MSEC }, zero = { 0, 0 };
	sigset_t set, pending;
	siginfo_t si;
	long long t0, t1;
	int ret, err;

	handle(SIGUSR1, 0);
	mask(SIG_BLOCK, SIGUSR1);
	raise(SIGUSR1);
	check(hits[SIGUSR1] == 0, "sigprocmask: a blocked signal is not delivered");
	check(sigpending(&pending) == 0 && sigismember(&pending, SIGUSR1) == 1,
	      "sigpending shows the blocked signal");
	mask(SIG_UNBLOCK, SIGUSR1);
	check(hits[SIGUSR1] == 1, "sigprocmask: the pending signal is delivered at unblock");

	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	mask(SIG_BLOCK, SIGUSR2);
	t0 = mono_ns();
	ret = sigtimedwait(&set, &si, &ts);
	err = errno;
	t1 = mono_ns();
	check(ret == -1 && err == EAGAIN && t1 - t0 >= 49 * NSEC_PER_MSEC,
	      "sigtimedwait with nothing pending: EAGAIN after 50 ms (%lld ms)",
	      (t1 - t0) / NSEC_PER_MSEC);
	raise(SIGUSR2);
	check(sigtimedwait(&set, &si, &zero) == SIGUSR2 && si.si_signo == SIGUSR2,
	      "sigtimedwait returns a pending signal");
	check(sigpending(&pending) == 0 && !sigismember(&pending, SIGUSR2),
	      "sigtimedwait consumed it");
	mask(SIG_UNBLOCK, SIGUSR2);
}

static void signalfd_test(void)
{
	struct signalfd_siginfo info;
	struct pollfd pfd;
	sigset_t set;
	ssize_t n = -1;
	int fd;

	handle(SIGUSR1, 0);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	mask(SIG_BLOCK, SIGUSR1);
	fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (fd >= 0) {
		raise(SIGUSR1);
		pfd.fd = fd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, 2000) == 1)
			n = read(fd, &info, sizeof(info));
		close(fd);
	}
	check(fd >= 0 && n == sizeof(info) && info.ssi_signo == SIGUSR1 && hits[SIGUSR1] == 0,
	      "signalfd reads a blocked SIGUSR1");
	mask(SIG_UNBLOCK, SIGUSR1);
	check(hits[SIGUSR1] == 0, "the signal read from the signalfd is not delivered again");
}

/* pthread_kill reaches the one thread it names */

static volatile pid_t waiter_tid;
static volatile int waiter_go;

static void *waiter(void *arg)
{
	long long deadline = deadline_ms(3000);

	(void)arg;
	waiter_tid = gettid();
	while (!hits[SIGUSR2] && !past(deadline))
		sleep_ms(1);
	return NULL;
}

static void thread_kill_test(void)
{
	long long deadline = deadline_ms(3000);
	pthread_t t;
	int ok;

	handle(SIGUSR2, 0);
	ok = pthread_create(&t, NULL, waiter, NULL) == 0;
	while (ok && !waiter_tid && !past(deadline))
		sleep_ms(1);
	ok = ok && pthread_kill(t, SIGUSR2) == 0;
	ok = ok && join_ms(t, NULL, 5000) == 0;
	check(ok && hits[SIGUSR2] == 1 && hit_tid[SIGUSR2] == waiter_tid &&
	      hit_tid[SIGUSR2] != gettid(), "pthread_kill(SIGUSR2) runs the handler on that thread");
}

/* SA_RESTART */

static int rpipe[2];
static sem_t read_done;

/* With SA_RESTART: after the alarm, write the byte the read waits for. */
static void *late_writer(void *arg)
{
	long long deadline = deadline_ms(3000);

	(void)arg;
	while (!hits[SIGALRM] && !past(deadline))
		sleep_ms(1);
	sleep_ms(20);
	write(rpipe[1], "r", 1);
	return NULL;
}

/* Without SA_RESTART: a byte only if the read is still blocked after 3 s. */
static void *rescuer(void *arg)
{
	struct timespec abs = abs_after_ms(CLOCK_REALTIME, 3000);
	int ret;

	(void)arg;
	while ((ret = sem_timedwait(&read_done, &abs)) && errno == EINTR)
		;
	if (ret)
		write(rpipe[1], "!", 1);
	return NULL;
}

static void restart_test(void)
{
	struct itimerval it = { { 0, 0 }, { 0, 50000 } }, off = { { 0, 0 }, { 0, 0 } };
	char c = 0;
	pthread_t t;
	ssize_t n;
	int ok, err;

	if (pipe2(rpipe, O_CLOEXEC)) {
		check(0, "pipe for the SA_RESTART tests");
		return;
	}
	/* the helper threads must not take SIGALRM: block it while creating them */
	handle(SIGALRM, SA_RESTART);
	mask(SIG_BLOCK, SIGALRM);
	ok = pthread_create(&t, NULL, late_writer, NULL) == 0;
	mask(SIG_UNBLOCK, SIGALRM);
	ok = ok && setitimer(ITIMER_REAL, &it, NULL) == 0;
	n = ok ? read(rpipe[0], &c, 1) : -1;
	setitimer(ITIMER_REAL, &off, NULL);
	if (ok)
		join_ms(t, NULL, 5000);
	check(ok && n == 1 && c == 'r' && hits[SIGALRM] == 1,
	      "SA_RESTART: read() on an empty pipe continues after SIGALRM");

	sem_init(&read_done, 0, 0);
	handle(SIGALRM, 0);
	mask(SIG_BLOCK, SIGALRM);
	ok = pthread_create(&t, NULL, rescuer, NULL) == 0;
	mask(SIG_UNBLOCK, SIGALRM);
	ok = ok && setitimer(ITIMER_REAL, &it, NULL) == 0;
	n = ok ? read(rpipe[0], &c, 1) : 0;
	err = errno;
	setitimer(ITIMER_REAL, &off, NULL);
	sem_post(&read_done);
	if (ok)
		join_ms(t, NULL, 5000);
	check(ok && n == -1 && err == EINTR && hits[SIGALRM] == 1,
	      "without SA_RESTART: read() on an empty pipe fails with EINTR");
	close(rpipe[0]);
	close(rpipe[1]);
}

int proc_signals(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	tap_begin();
	self_signals();
	mask_test();
	altstack_test();
	altstack_untouched_test();
	signalfd_test();
	alarm_test();
	itimer_test();
	posix_timers();
	thread_kill_test();
	restart_test();
	return tap_end();
}
