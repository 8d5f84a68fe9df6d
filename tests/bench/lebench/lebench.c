// SPDX-License-Identifier: GPL-2.0
/*
 * lebench: LEBench-style microbenchmarks of the kernel paths an app uses,
 * the same program on UKL (both syscall modes) and on the baseline.
 *   lebench [quick] [NAME...]
 * Each benchmark runs REPS repetitions of ITERS operations and prints
 *   bench NAME UNIT MEDIAN MIN MAX REPS ITERS
 * (nanoseconds per operation; MIN/MAX are the spread of the repetitions),
 * or "bench NAME UNIT - ..." when it cannot run here (the kernel shortcut
 * on the baseline).  "quick" runs few iterations: a check that every
 * benchmark works, not a measurement; NAMEs run only those benchmarks.
 * Exit status 0 if all ran.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <net/if.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

/*
 * The kernel shortcut (app.mk: APP_KERNEL_CALLS := ktime_get): the kernel's
 * ktime_t ktime_get(void) (include/linux/timekeeping.h; ktime_t is s64 ns).
 * Weak, so that the baseline program links: there it is NULL.
 */
extern long long ktime_get(void) __attribute__((weak));

#define REPS		7
#define MAX_PAYLOAD	8192

static int quick;
static int failed;
static char **only;	/* lebench [quick] NAME...: just these */
static char buf[MAX_PAYLOAD];

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

/* One benchmark: @fn runs @iters operations and returns 0, or -1 on error. */
static void bench(const char *name, long iters, int (*fn)(long iters, void *arg), void *arg)
{
	long long t[REPS];
	int r;

	if (only && *only) {
		char **o;

		for (o = only; *o && strcmp(*o, name); o++)
			;
		if (!*o)
			return;
	}
	if (quick)
		iters = iters / 1000 + 1;
	if (fn(iters / 10 + 1, arg)) {		/* warm up, and check it works */
		printf("bench %s ns - - - %d %ld # failed: %s\n", name, REPS, iters,
		       strerror(errno));
		failed = 1;
		return;
	}
	for (r = 0; r < REPS; r++) {
		long long t0 = now_ns();

		if (fn(iters, arg)) {
			printf("bench %s ns - - - %d %ld # failed: %s\n", name, REPS, iters,
			       strerror(errno));
			failed = 1;
			return;
		}
		t[r] = now_ns() - t0;
	}
	qsort(t, REPS, sizeof(t[0]), cmp_ll);
	printf("bench %s ns %.1f %.1f %.1f %d %ld\n", name, (double)t[REPS / 2] / iters,
	       (double)t[0] / iters, (double)t[REPS - 1] / iters, REPS, iters);
	fflush(stdout);
}

static int do_getppid(long n, void *arg)
{
	(void)arg;
	while (n--)
		getppid();
	return 0;
}

static int do_clock_gettime(long n, void *arg)
{
	struct timespec ts;

	(void)arg;
	while (n--)
		if (clock_gettime(CLOCK_MONOTONIC, &ts))
			return -1;
	return 0;
}

static int do_gettimeofday(long n, void *arg)
{
	struct timeval tv;

	(void)arg;
	while (n--)
		if (gettimeofday(&tv, NULL))
			return -1;
	return 0;
}

static int do_ktime_get(long n, void *arg)
{
	volatile long long v;

	(void)arg;
	while (n--)
		v = ktime_get();
	(void)v;
	return 0;
}

struct rw {
	int fd;
	int fd2;	/* the pipe's read end */
	size_t size;
};

static int do_read(long n, void *arg)
{
	struct rw *rw = arg;

	while (n--)
		if (read(rw->fd, buf, rw->size) != (ssize_t)rw->size)
			return -1;
	return 0;
}

static int do_write(long n, void *arg)
{
	struct rw *rw = arg;

	while (n--)
		if (write(rw->fd, buf, rw->size) != (ssize_t)rw->size)
			return -1;
	return 0;
}

/* A pipe's write then read of the same bytes, in one thread. */
static int do_pipe(long n, void *arg)
{
	struct rw *rw = arg;

	while (n--)
		if (write(rw->fd, buf, rw->size) != (ssize_t)rw->size ||
		    read(rw->fd2, buf, rw->size) != (ssize_t)rw->size)
			return -1;
	return 0;
}

static const char *file = "/tmp/lebench-file";

static int do_open_close(long n, void *arg)
{
	(void)arg;
	while (n--) {
		int fd = open(file, O_RDONLY);

		if (fd < 0 || close(fd))
			return -1;
	}
	return 0;
}

static int do_stat(long n, void *arg)
{
	struct stat st;

	(void)arg;
	while (n--)
		if (stat(file, &st))
			return -1;
	return 0;
}

static int do_mmap(long n, void *arg)
{
	(void)arg;
	while (n--) {
		void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			       -1, 0);

		if (p == MAP_FAILED || munmap(p, 4096))
			return -1;
	}
	return 0;
}

/*
 * First touch: n pages of a fresh mapping, one write each (the mmap and
 * munmap are outside the loop but inside the time: a few µs per batch of
 * 256 pages).
 */
#define TOUCH_BATCH 256
static int do_touch(long n, void *arg)
{
	(void)arg;
	while (n > 0) {
		long k = n < TOUCH_BATCH ? n : TOUCH_BATCH, i;
		char *p = mmap(NULL, k * 4096, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			return -1;
		for (i = 0; i < k; i++)
			((volatile char *)p)[i * 4096] = 1;
		if (munmap(p, k * 4096))
			return -1;
		n -= k;
	}
	return 0;
}

struct udp {
	int tx, rx;
	struct sockaddr_in to;
};

static int do_udp(long n, void *arg)
{
	struct udp *u = arg;

	while (n--)
		if (sendto(u->tx, buf, 1, 0, (struct sockaddr *)&u->to, sizeof(u->to)) != 1 ||
		    recvfrom(u->rx, buf, 1, 0, NULL, NULL) != 1)
			return -1;
	return 0;
}

/* The loopback device is down in a fresh guest: bring it up. */
static int udp_setup(struct udp *u)
{
	struct ifreq ifr;
	socklen_t len = sizeof(u->to);
	int s = socket(AF_INET, SOCK_DGRAM, 0);

	if (s < 0)
		return -1;
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "lo");
	if (ioctl(s, SIOCGIFFLAGS, &ifr) == 0 && !(ifr.ifr_flags & IFF_UP)) {
		ifr.ifr_flags |= IFF_UP;
		if (ioctl(s, SIOCSIFFLAGS, &ifr))
			return -1;
	}
	close(s);
	u->rx = socket(AF_INET, SOCK_DGRAM, 0);
	u->tx = socket(AF_INET, SOCK_DGRAM, 0);
	if (u->rx < 0 || u->tx < 0)
		return -1;
	memset(&u->to, 0, sizeof(u->to));
	u->to.sin_family = AF_INET;
	u->to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(u->rx, (struct sockaddr *)&u->to, sizeof(u->to)) ||
	    getsockname(u->rx, (struct sockaddr *)&u->to, &len))
		return -1;
	return 0;
}

/* Futex ping-pong: one round trip is two waits and two wakes. */
static _Atomic int turn;
static long pong_rounds;

static long futex(_Atomic int *uaddr, int op, int val)
{
	return syscall(SYS_futex, uaddr, op | FUTEX_PRIVATE_FLAG, val, NULL, NULL, 0);
}

static void wait_turn(int mine)
{
	int v;

	while ((v = atomic_load(&turn)) != mine)
		futex(&turn, FUTEX_WAIT, v);
}

static void give_turn(int next)
{
	atomic_store(&turn, next);
	futex(&turn, FUTEX_WAKE, 1);
}

static void *ponger(void *arg)
{
	long i;

	(void)arg;
	for (i = 0; i < pong_rounds; i++) {
		wait_turn(1);
		give_turn(0);
	}
	return NULL;
}

static int do_futex(long n, void *arg)
{
	pthread_t t;
	long i;

	(void)arg;
	atomic_store(&turn, 0);
	pong_rounds = n;
	if (pthread_create(&t, NULL, ponger, NULL))
		return -1;
	for (i = 0; i < n; i++) {
		give_turn(1);
		wait_turn(0);
	}
	return pthread_join(t, NULL) ? -1 : 0;
}

static void *nothing(void *arg)
{
	return arg;
}

static int do_thread(long n, void *arg)
{
	pthread_attr_t a;

	(void)arg;
	pthread_attr_init(&a);
	/* A small stack, as this row has always used: rows stay comparable. */
	pthread_attr_setstacksize(&a, 64 * 1024);
	while (n--) {
		pthread_t t;

		if (pthread_create(&t, &a, nothing, NULL) || pthread_join(t, NULL))
			return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const size_t sizes[] = { 1, 64, 512, 1024, 4096, 8192 };
	struct rw zero = { 0 }, null = { 0 }, pipe1 = { 0 };
	struct udp udp;
	int p[2], fd;
	size_t i;
	struct timespec boot;

	clock_gettime(CLOCK_BOOTTIME, &boot);	/* boot to main, on the kernel's clock */
	quick = argc > 1 && !strcmp(argv[1], "quick");
	only = argv + 1 + quick;
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("lebench: main at %lld ns boottime\n", boot.tv_sec * 1000000000LL + boot.tv_nsec);
	printf("lebench: %s run, %d repetitions each\n", quick ? "quick" : "full", REPS);

	bench("getppid", 200000, do_getppid, NULL);
	bench("clock_gettime", 200000, do_clock_gettime, NULL);
	bench("gettimeofday", 200000, do_gettimeofday, NULL);
	if (ktime_get)
		bench("shortcut_ktime_get", 200000, do_ktime_get, NULL);
	else
		printf("bench shortcut_ktime_get ns - - - %d 0 # no kernel shortcut here\n", REPS);

	zero.fd = open("/dev/zero", O_RDONLY);
	null.fd = open("/dev/null", O_WRONLY);
	if (zero.fd < 0 || null.fd < 0 || pipe(p)) {
		printf("lebench: cannot open /dev/zero, /dev/null or a pipe: %s\n",
		       strerror(errno));
		return 1;
	}
	pipe1.fd = p[1];
	pipe1.fd2 = p[0];
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		char name[64];

		zero.size = null.size = pipe1.size = sizes[i];
		snprintf(name, sizeof(name), "read_zero_%zu", sizes[i]);
		bench(name, sizes[i] > 1024 ? 50000 : 100000, do_read, &zero);
		snprintf(name, sizeof(name), "write_null_%zu", sizes[i]);
		bench(name, sizes[i] > 1024 ? 50000 : 100000, do_write, &null);
		if (sizes[i] == 1)
			bench("pipe_1", 50000, do_pipe, &pipe1);
	}

	fd = open(file, O_CREAT | O_WRONLY | O_TRUNC, 0644);
	if (fd < 0 || write(fd, "lebench\n", 8) != 8 || close(fd)) {
		printf("lebench: cannot create %s: %s\n", file, strerror(errno));
		return 1;
	}
	bench("open_close", 50000, do_open_close, NULL);
	bench("stat", 50000, do_stat, NULL);
	bench("mmap_munmap_4k", 20000, do_mmap, NULL);
	bench("page_fault", 20000, do_touch, NULL);

	if (udp_setup(&udp)) {
		printf("bench udp_1 ns - - - %d 0 # failed: loopback UDP: %s\n", REPS,
		       strerror(errno));
		failed = 1;
	} else {
		bench("udp_1", 20000, do_udp, &udp);
	}
	bench("futex_pingpong", 10000, do_futex, NULL);
	bench("thread_create_join", 2000, do_thread, NULL);

	printf("lebench: %s\n", failed ? "some benchmarks failed" : "all benchmarks ran");
	return failed;
}
