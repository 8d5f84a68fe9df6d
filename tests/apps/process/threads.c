// SPDX-License-Identifier: GPL-2.0
/*
 * threads: POSIX threads and their synchronisation.  pthread_create, join
 * and detach; 64 threads alive at once; mutex, condition variable, rwlock,
 * barrier, POSIX semaphores, a futex wait that times out; __thread
 * variables; thread-specific data destructors; and, last because they need
 * glibc's unwinder, pthread_exit and pthread_cancel.
 */
#include "tap.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <semaphore.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "proc.h"

#define MANY	64
#define LIMIT	5000		/* ms: the longest any join may take */

/* create/join/detach */

static void *twice(void *arg)
{
	return (void *)((long)arg * 2);
}

static sem_t detached_done;

static void *detached(void *arg)
{
	(void)arg;
	sem_post(&detached_done);
	return NULL;
}

static int sem_wait_ms(sem_t *sem, long ms)
{
	struct timespec abs = abs_after_ms(CLOCK_REALTIME, ms);
	int ret;

	while ((ret = sem_timedwait(sem, &abs)) && errno == EINTR)
		;
	return ret;
}

static void create_join_detach(void)
{
	pthread_attr_t attr;
	pthread_t t;
	void *ret = NULL;
	int ok;

	ok = pthread_create(&t, NULL, twice, (void *)21L) == 0 &&
	     join_ms(t, &ret, LIMIT) == 0;
	check(ok && ret == (void *)42L, "pthread_create + pthread_join returns the thread's value");

	sem_init(&detached_done, 0, 0);
	ok = pthread_create(&t, NULL, detached, NULL) == 0 && pthread_detach(t) == 0;
	check(ok && sem_wait_ms(&detached_done, LIMIT) == 0,
	      "pthread_detach: the detached thread runs");

	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	ok = pthread_create(&t, &attr, detached, NULL) == 0;
	pthread_attr_destroy(&attr);
	check(ok && sem_wait_ms(&detached_done, LIMIT) == 0,
	      "a thread created PTHREAD_CREATE_DETACHED runs");
}

/* 64 threads alive at once */

static pthread_barrier_t many_barrier;
static int many_arrived, many_seen[MANY], many_serial;

static void *many_thread(void *arg)
{
	long i = (long)arg;
	int ret;

	__atomic_add_fetch(&many_arrived, 1, __ATOMIC_SEQ_CST);
	ret = pthread_barrier_wait(&many_barrier);
	if (ret == PTHREAD_BARRIER_SERIAL_THREAD)
		__atomic_add_fetch(&many_serial, 1, __ATOMIC_SEQ_CST);
	else if (ret)
		return NULL;
	/* Past the barrier: all 64 arrived, so all 64 exist now. */
	many_seen[i] = __atomic_load_n(&many_arrived, __ATOMIC_SEQ_CST);
	return (void *)(i + 1);
}

static void many_threads(void)
{
	pthread_t t[MANY];
	int created = 0, joined = 0, all_seen = 1;
	long long deadline;
	void *ret;
	long i;

	pthread_barrier_init(&many_barrier, NULL, MANY);
	for (i = 0; i < MANY; i++) {
		if (pthread_create(&t[i], NULL, many_thread, (void *)i))
			break;
		created++;
	}
	check(created == MANY, "%d threads created (%d)", MANY, created);
	deadline = deadline_ms(LIMIT);
	for (i = 0; i < created; i++) {
		long left = (deadline - mono_ns()) / NSEC_PER_MSEC;

		if (join_ms(t[i], &ret, left > 0 ? left : 1) == 0 && ret == (void *)(i + 1))
			joined++;
		if (many_seen[i] != MANY)
			all_seen = 0;
	}
	check(joined == MANY && all_seen, "%d threads alive at once, released by one barrier", MANY);
	check(many_serial == 1, "exactly one thread got PTHREAD_BARRIER_SERIAL_THREAD (%d)",
	      many_serial);
	if (joined == MANY)
		pthread_barrier_destroy(&many_barrier);
}

/* mutex */

#define ADDERS	4
#define ADDS	20000

static pthread_mutex_t count_lock = PTHREAD_MUTEX_INITIALIZER;
static long count_a, count_b;

static void *adder(void *arg)
{
	int i;

	(void)arg;
	for (i = 0; i < ADDS; i++) {
		pthread_mutex_lock(&count_lock);
		count_a++;
		/* a window for another thread to break the invariant */
		__asm__ volatile("" ::: "memory");
		count_b = count_a * 2;
		pthread_mutex_unlock(&count_lock);
	}
	return NULL;
}

static void mutex_test(void)
{
	pthread_mutex_t m;
	pthread_mutexattr_t ma;
	pthread_t t[ADDERS];
	int i, n = 0, ok;

	for (i = 0; i < ADDERS; i++)
		if (pthread_create(&t[i], NULL, adder, NULL) == 0)
			n++;
		else
			break;
	ok = n == ADDERS;
	for (i = 0; i < n; i++)
		ok &= join_ms(t[i], NULL, LIMIT) == 0;
	pthread_mutex_lock(&count_lock);
	check(ok && count_a == ADDERS * ADDS && count_b == 2 * count_a,
	      "mutex: %d threads x %d locked increments (%ld)", ADDERS, ADDS, count_a);
	pthread_mutex_unlock(&count_lock);

	check(pthread_mutex_trylock(&count_lock) == 0 && pthread_mutex_trylock(&count_lock) == EBUSY &&
	      pthread_mutex_unlock(&count_lock) == 0, "pthread_mutex_trylock: EBUSY when locked");

	pthread_mutexattr_init(&ma);
	pthread_mutexattr_settype(&ma, PTHREAD_MUTEX_RECURSIVE);
	pthread_mutex_init(&m, &ma);
	ok = pthread_mutex_lock(&m) == 0 && pthread_mutex_lock(&m) == 0 &&
	     pthread_mutex_unlock(&m) == 0 && pthread_mutex_unlock(&m) == 0;
	check(ok, "recursive mutex locked twice by its owner");
	pthread_mutex_destroy(&m);
	pthread_mutexattr_destroy(&ma);
}

/* condition variable: a producer and a consumer of 1000 items */

#define ITEMS	1000

static pthread_mutex_t q_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t q_cond = PTHREAD_COND_INITIALIZER;
static int q_items[16], q_head, q_tail, q_timeouts;

static void *consumer(void *arg)
{
	long sum = 0;
	int got = 0;

	(void)arg;
	pthread_mutex_lock(&q_lock);
	while (got < ITEMS) {
		struct timespec abs;

		if (q_head != q_tail) {
			sum += q_items[q_tail++ % 16];
			got++;
			pthread_cond_broadcast(&q_cond);
			continue;
		}
		abs = abs_after_ms(CLOCK_REALTIME, LIMIT);
		if (pthread_cond_timedwait(&q_cond, &q_lock, &abs) == ETIMEDOUT) {
			q_timeouts++;
			break;
		}
	}
	pthread_mutex_unlock(&q_lock);
	return (void *)sum;
}

static void cond_test(void)
{
	pthread_cond_t c = PTHREAD_COND_INITIALIZER;
	pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
	struct timespec abs;
	long long t0, t1;
	pthread_t t;
	void *sum = NULL;
	int i, ret, ok = 1;

	if (pthread_create(&t, NULL, consumer, NULL)) {
		check(0, "condition variable: producer and consumer");
	} else {
		pthread_mutex_lock(&q_lock);
		for (i = 1; i <= ITEMS && ok; i++) {
			while (q_head - q_tail == 16 && ok) {
				abs = abs_after_ms(CLOCK_REALTIME, LIMIT);
				if (pthread_cond_timedwait(&q_cond, &q_lock, &abs) == ETIMEDOUT)
					ok = 0;
			}
			q_items[q_head++ % 16] = i;
			pthread_cond_broadcast(&q_cond);
		}
		pthread_mutex_unlock(&q_lock);
		ok &= join_ms(t, &sum, LIMIT) == 0;
		check(ok && !q_timeouts && sum == (void *)(long)(ITEMS * (ITEMS + 1) / 2),
		      "condition variable: %d items through a 16-slot queue", ITEMS);
	}

	pthread_mutex_lock(&m);
	t0 = mono_ns();
	abs = abs_after_ms(CLOCK_REALTIME, 50);
	ret = pthread_cond_timedwait(&c, &m, &abs);
	t1 = mono_ns();
	pthread_mutex_unlock(&m);
	check(ret == ETIMEDOUT && t1 - t0 >= 49 * NSEC_PER_MSEC,
	      "pthread_cond_timedwait times out after 50 ms (%lld ms)", (t1 - t0) / NSEC_PER_MSEC);

	pthread_mutex_lock(&m);
	t0 = mono_ns();
	abs = abs_after_ms(CLOCK_MONOTONIC, 50);
	ret = pthread_cond_clockwait(&c, &m, CLOCK_MONOTONIC, &abs);
	t1 = mono_ns();
	pthread_mutex_unlock(&m);
	check(ret == ETIMEDOUT && t1 - t0 >= 49 * NSEC_PER_MSEC,
	      "pthread_cond_clockwait(CLOCK_MONOTONIC) times out after 50 ms");
}

/* rwlock */

#define READERS	3

static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static int readers_in, readers_max, readers_ok;
static sem_t readers_hold, readers_go;

static void *reader(void *arg)
{
	int n;
	long long deadline = deadline_ms(LIMIT);

	(void)arg;
	if (pthread_rwlock_rdlock(&rw))
		return NULL;
	n = __atomic_add_fetch(&readers_in, 1, __ATOMIC_SEQ_CST);
	/* wait, holding the read lock, until every reader holds it */
	while (n < READERS && !past(deadline)) {
		sleep_ms(1);
		n = __atomic_load_n(&readers_in, __ATOMIC_SEQ_CST);
	}
	__atomic_store_n(&readers_max, n, __ATOMIC_SEQ_CST);
	sem_post(&readers_hold);
	sem_wait_ms(&readers_go, LIMIT);
	__atomic_sub_fetch(&readers_in, 1, __ATOMIC_SEQ_CST);
	pthread_rwlock_unlock(&rw);
	return NULL;
}

static void *timed_reader(void *arg)
{
	struct timespec abs = abs_after_ms(CLOCK_REALTIME, 50);

	(void)arg;
	return (void *)(long)pthread_rwlock_timedrdlock(&rw, &abs);
}

static void rwlock_test(void)
{
	pthread_t t[READERS];
	int i, n = 0, held = 0, busy, ok;
	void *ret = NULL;

	sem_init(&readers_hold, 0, 0);
	sem_init(&readers_go, 0, 0);
	for (i = 0; i < READERS; i++)
		if (pthread_create(&t[i], NULL, reader, NULL) == 0)
			n++;
	for (i = 0; i < n; i++)
		if (sem_wait_ms(&readers_hold, LIMIT) == 0)
			held++;
	busy = pthread_rwlock_trywrlock(&rw);
	for (i = 0; i < n; i++)
		sem_post(&readers_go);
	ok = n == READERS && held == READERS;
	for (i = 0; i < n; i++)
		ok &= join_ms(t[i], NULL, LIMIT) == 0;
	check(ok && readers_max == READERS, "rwlock: %d readers hold the read lock at once", READERS);
	check(busy == EBUSY, "rwlock: trywrlock fails with EBUSY while readers hold it");
	if (busy == 0)
		pthread_rwlock_unlock(&rw);

	ok = pthread_rwlock_wrlock(&rw) == 0;
	ok = ok && pthread_create(&t[0], NULL, timed_reader, NULL) == 0 &&
	     join_ms(t[0], &ret, LIMIT) == 0;
	pthread_rwlock_unlock(&rw);
	check(ok && ret == (void *)(long)ETIMEDOUT,
	      "rwlock: timedrdlock times out while a writer holds it");
	readers_ok = pthread_rwlock_tryrdlock(&rw) == 0;
	check(readers_ok && pthread_rwlock_unlock(&rw) == 0, "rwlock: free again after the writer");
}

/* barrier: 4 threads and main, 3 rounds */

#define PARTIES	5
#define ROUNDS	3

static pthread_barrier_t bar;
static int bar_phase[ROUNDS], bar_serial[ROUNDS], bar_bad;

static void bar_round(int r)
{
	int ret;

	__atomic_add_fetch(&bar_phase[r], 1, __ATOMIC_SEQ_CST);
	ret = pthread_barrier_wait(&bar);
	if (ret == PTHREAD_BARRIER_SERIAL_THREAD)
		__atomic_add_fetch(&bar_serial[r], 1, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&bar_phase[r], __ATOMIC_SEQ_CST) != PARTIES)
		__atomic_add_fetch(&bar_bad, 1, __ATOMIC_SEQ_CST);
}

static void *bar_thread(void *arg)
{
	int r;

	(void)arg;
	for (r = 0; r < ROUNDS; r++)
		bar_round(r);
	return NULL;
}

static void barrier_test(void)
{
	pthread_t t[PARTIES - 1];
	int i, r, n = 0, ok, serial_ok = 1;

	pthread_barrier_init(&bar, NULL, PARTIES);
	for (i = 0; i < PARTIES - 1; i++)
		if (pthread_create(&t[i], NULL, bar_thread, NULL) == 0)
			n++;
	ok = n == PARTIES - 1;
	if (ok)		/* else the created threads never pass: they are left */
		for (r = 0; r < ROUNDS; r++)
			bar_round(r);
	for (i = 0; i < n; i++)
		ok &= join_ms(t[i], NULL, LIMIT) == 0;
	for (r = 0; r < ROUNDS; r++)
		serial_ok &= bar_serial[r] == 1;
	check(ok && !bar_bad && serial_ok, "pthread_barrier: %d parties, %d rounds", PARTIES, ROUNDS);
	if (ok)
		pthread_barrier_destroy(&bar);
}

/* POSIX semaphores */

static sem_t sem;

static void *poster(void *arg)
{
	(void)arg;
	sleep_ms(20);
	sem_post(&sem);
	return NULL;
}

static void sem_test(void)
{
	struct timespec abs;
	long long t0, t1;
	pthread_t t;
	int ret, err, val = -1, ok;

	check(sem_init(&sem, 0, 0) == 0, "sem_init");
	check(sem_trywait(&sem) == -1 && errno == EAGAIN, "sem_trywait on 0: EAGAIN");

	t0 = mono_ns();
	abs = abs_after_ms(CLOCK_REALTIME, 50);
	ret = sem_timedwait(&sem, &abs);
	err = errno;
	t1 = mono_ns();
	check(ret == -1 && err == ETIMEDOUT && t1 - t0 >= 49 * NSEC_PER_MSEC,
	      "sem_timedwait times out after 50 ms (%lld ms)", (t1 - t0) / NSEC_PER_MSEC);

	ok = pthread_create(&t, NULL, poster, NULL) == 0;
	check(ok && sem_wait_ms(&sem, LIMIT) == 0,
	      "sem_timedwait woken by sem_post from another thread");
	if (ok)
		join_ms(t, NULL, LIMIT);

	sem_post(&sem);
	sem_post(&sem);
	sem_getvalue(&sem, &val);
	check(val == 2 && sem_trywait(&sem) == 0 && sem_trywait(&sem) == 0 && sem_trywait(&sem) == -1,
	      "sem_post twice: value 2, two sem_trywait succeed");
	sem_destroy(&sem);
}

/* futex */

static int futex_word;

static long futex(int *uaddr, int op, int val, const struct timespec *ts)
{
	return syscall(SYS_futex, uaddr, op, val, ts, NULL, 0);
}

static void *futex_waiter(void *arg)
{
	long long deadline = deadline_ms(LIMIT);
	struct timespec ts = { 0, 100 * NSEC_PER_MSEC };

	(void)arg;
	while (!__atomic_load_n(&futex_word, __ATOMIC_SEQ_CST) && !past(deadline))
		futex(&futex_word, FUTEX_WAIT_PRIVATE, 0, &ts);
	return (void *)(long)__atomic_load_n(&futex_word, __ATOMIC_SEQ_CST);
}

static void futex_test(void)
{
	struct timespec ts = { 0, 50 * NSEC_PER_MSEC };
	long long t0, t1;
	pthread_t t;
	void *ret = NULL;
	long r;
	int err, ok;

	futex_word = 0;
	t0 = mono_ns();
	r = futex(&futex_word, FUTEX_WAIT_PRIVATE, 0, &ts);
	err = errno;
	t1 = mono_ns();
	check(r == -1 && err == ETIMEDOUT && t1 - t0 >= 49 * NSEC_PER_MSEC,
	      "FUTEX_WAIT_PRIVATE with a 50 ms timeout: ETIMEDOUT (%lld ms)",
	      (t1 - t0) / NSEC_PER_MSEC);
	check(futex(&futex_word, FUTEX_WAIT_PRIVATE, 1, &ts) == -1 && errno == EAGAIN,
	      "FUTEX_WAIT on a changed value: EAGAIN");

	ok = pthread_create(&t, NULL, futex_waiter, NULL) == 0;
	sleep_ms(20);
	__atomic_store_n(&futex_word, 1, __ATOMIC_SEQ_CST);
	futex(&futex_word, FUTEX_WAKE_PRIVATE, 1, NULL);
	check(ok && join_ms(t, &ret, LIMIT) == 0 && ret == (void *)1L,
	      "FUTEX_WAKE_PRIVATE wakes a waiting thread");
}

/* __thread */

#define TLS_THREADS	8

static __thread long tls_value = 1234;
static __thread long tls_zero;
static int tls_ready;

static void *tls_thread(void *arg)
{
	long i = (long)arg, ok;
	long long deadline = deadline_ms(LIMIT);

	ok = tls_value == 1234 && tls_zero == 0;
	tls_value = i;
	tls_zero = -i;
	__atomic_add_fetch(&tls_ready, 1, __ATOMIC_SEQ_CST);
	/* all threads have written theirs before any checks its own */
	while (__atomic_load_n(&tls_ready, __ATOMIC_SEQ_CST) < TLS_THREADS && !past(deadline))
		sleep_ms(1);
	sleep_ms(5);
	ok = ok && tls_value == i && tls_zero == -i;
	return (void *)ok;
}

static void tls_test(void)
{
	pthread_t t[TLS_THREADS];
	void *ret;
	int i, n = 0, good = 0;

	tls_value = -1;
	for (i = 0; i < TLS_THREADS; i++)
		if (pthread_create(&t[i], NULL, tls_thread, (void *)(long)i) == 0)
			n++;
	for (i = 0; i < n; i++)
		if (join_ms(t[i], &ret, LIMIT) == 0 && ret)
			good++;
	check(good == TLS_THREADS, "__thread: each of %d threads starts from the initial value "
	      "and keeps its own (%d good)", TLS_THREADS, good);
	check(tls_value == -1 && tls_zero == 0, "__thread: main's copy is untouched");
}

/* thread-specific data */

#define KEY_THREADS	4

static pthread_key_t key;
static int destructor_runs;
static long destructor_sum;

static void destructor(void *value)
{
	__atomic_add_fetch(&destructor_runs, 1, __ATOMIC_SEQ_CST);
	__atomic_add_fetch(&destructor_sum, (long)value, __ATOMIC_SEQ_CST);
}

static void *key_thread(void *arg)
{
	long ok = pthread_getspecific(key) == NULL;

	pthread_setspecific(key, arg);
	ok = ok && pthread_getspecific(key) == arg;
	return (void *)ok;
}

static void key_test(void)
{
	pthread_t t[KEY_THREADS];
	void *ret;
	int i, n = 0, good = 0;

	if (!check(pthread_key_create(&key, destructor) == 0, "pthread_key_create"))
		return;
	for (i = 0; i < KEY_THREADS; i++)
		if (pthread_create(&t[i], NULL, key_thread, (void *)(long)(i + 1)) == 0)
			n++;
	for (i = 0; i < n; i++)
		if (join_ms(t[i], &ret, LIMIT) == 0 && ret)
			good++;
	check(good == KEY_THREADS, "pthread_setspecific/getspecific: one value per thread");
	check(destructor_runs == KEY_THREADS && destructor_sum == 1 + 2 + 3 + 4,
	      "pthread_key_create destructors ran at thread exit (%d runs)", destructor_runs);
	check(pthread_getspecific(key) == NULL && pthread_key_delete(key) == 0,
	      "main's value of the key is NULL; pthread_key_delete");
}

/* pthread_exit and pthread_cancel: glibc unwinds the thread's stack */

static __attribute__((noinline)) void leave(long value)
{
	pthread_exit((void *)value);
}

static void *exiting(void *arg)
{
	(void)arg;
	leave(0x1234);
	return NULL;
}

static int cancel_pipe[2], cleanup_ran;
static sem_t cancel_started;

static void cleanup(void *arg)
{
	(void)arg;
	cleanup_ran = 1;
}

static void *cancelled(void *arg)
{
	char c;
	ssize_t n;

	(void)arg;
	pthread_cleanup_push(cleanup, NULL);
	sem_post(&cancel_started);
	n = read(cancel_pipe[0], &c, 1);	/* a cancellation point */
	pthread_cleanup_pop(0);
	return (void *)n;
}

static void exit_cancel_test(void)
{
	pthread_t t;
	void *ret = NULL;
	int ok;

	ok = pthread_create(&t, NULL, exiting, NULL) == 0 && join_ms(t, &ret, LIMIT) == 0;
	check(ok && ret == (void *)0x1234L, "pthread_exit: join sees the value");

	if (pipe2(cancel_pipe, O_CLOEXEC)) {
		check(0, "pthread_cancel of a thread blocked in read()");
		return;
	}
	sem_init(&cancel_started, 0, 0);
	ok = pthread_create(&t, NULL, cancelled, NULL) == 0 &&
	     sem_wait_ms(&cancel_started, LIMIT) == 0;
	sleep_ms(50);
	ok = ok && pthread_cancel(t) == 0;
	if (ok && join_ms(t, &ret, LIMIT)) {
		write(cancel_pipe[1], "x", 1);	/* let it go */
		ok = 0;
	}
	check(ok && ret == PTHREAD_CANCELED, "pthread_cancel of a thread blocked in read(): "
	      "join returns PTHREAD_CANCELED");
	check(ok && cleanup_ran, "pthread_cleanup_push handler ran on cancellation");
}

int proc_threads(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	tap_begin();
	create_join_detach();
	many_threads();
	mutex_test();
	cond_test();
	rwlock_test();
	barrier_test();
	sem_test();
	futex_test();
	tls_test();
	key_test();
	exit_cancel_test();
	return tap_end();
}
