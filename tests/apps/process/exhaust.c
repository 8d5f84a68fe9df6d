// SPDX-License-Identifier: GPL-2.0
/*
 * exhaust: what running out of memory and threads gives.
 *   - strict overcommit (vm.overcommit_memory=2): malloc and touch 1 MiB
 *     blocks until malloc returns NULL with ENOMEM; after freeing them
 *     malloc works again;
 *   - the default heuristic: a block larger than the machine's memory is
 *     refused at once (NULL, ENOMEM), while untouched blocks that add up to
 *     more than the memory are granted (overcommit);
 *   - pthread_create until it fails: EAGAIN, at the kernel's threads-max or
 *     before it; every thread created is joined afterwards.
 *   exit-oom                always overcommit (vm.overcommit_memory=1), then
 *                           touch memory until the kernel runs out: the
 *                           OOM killer finds no process it may kill (the
 *                           app is init) and the kernel panics, "System is
 *                           deadlocked on memory": the same on both kernels
 */
#include "tap.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proc.h"

#define BLOCK (1L << 20)
#define MAX_BLOCKS 4096

static void *blocks[MAX_BLOCKS];

/* Writes @val to the sysctl file @rel under /proc; 0 or an errno. */
static int set_sysctl(const char *rel, const char *val)
{
	int fd = open(proc_path(rel), O_WRONLY | O_CLOEXEC);
	int err = 0;

	if (fd < 0)
		return errno;
	if (write(fd, val, strlen(val)) != (ssize_t)strlen(val))
		err = errno ? errno : EIO;
	close(fd);
	return err;
}

static long get_sysctl(const char *rel)
{
	FILE *f = fopen(proc_path(rel), "re");
	long v = -1;

	if (f) {
		if (fscanf(f, "%ld", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

static void exhaust_malloc(void)
{
	long n = 0, i;
	int err = 0, rc;
	void *p;

	rc = set_sysctl("sys/vm/overcommit_memory", "2");
	check(rc == 0, "vm.overcommit_memory=2 (%s)", rc ? strerror(rc) : "ok");
	for (n = 0; n < MAX_BLOCKS; n++) {
		errno = 0;
		blocks[n] = malloc(BLOCK);
		if (!blocks[n]) {
			err = errno;
			break;
		}
		memset(blocks[n], 0x5a, BLOCK);
	}
	check(n < MAX_BLOCKS && err == ENOMEM,
	      "strict overcommit: malloc returned NULL with ENOMEM after %ld MiB (%s)",
	      n, strerror(err));
	for (i = 0; i < n; i++)
		free(blocks[i]);
	p = malloc(BLOCK);
	check(p != NULL, "malloc works again after the blocks are freed");
	free(p);
	rc = set_sysctl("sys/vm/overcommit_memory", "0");
	check(rc == 0, "vm.overcommit_memory=0 again (%s)", rc ? strerror(rc) : "ok");

	errno = 0;
	p = malloc(1UL << 40);
	err = errno;
	check(p == NULL && err == ENOMEM,
	      "heuristic overcommit: malloc of 1 TiB is NULL with ENOMEM (%s)", strerror(err));
	free(p);
	for (n = 0; n < 64; n++)
		if (!(blocks[n] = malloc(64 * BLOCK)))
			break;
	check(n == 64, "heuristic overcommit: 64 untouched blocks of 64 MiB granted (%ld)", n);
	for (i = 0; i < n; i++)
		free(blocks[i]);
}

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t go = PTHREAD_COND_INITIALIZER;
static int released;

static void *waiter(void *arg)
{
	pthread_mutex_lock(&lock);
	while (!released)
		pthread_cond_wait(&go, &lock);
	pthread_mutex_unlock(&lock);
	return arg;
}

static void exhaust_threads(void)
{
	long max = get_sysctl("sys/kernel/threads-max"), n, joined = 0;
	pthread_attr_t attr;
	pthread_t *t;
	int rc = 0;

	check(max > 0, "kernel.threads-max is %ld", max);
	if (max <= 0)
		return;
	t = calloc(max + 1, sizeof(*t));
	if (!check(t != NULL, "an array for %ld thread ids", max + 1))
		return;
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 64 << 10);
	for (n = 0; n <= max; n++) {
		rc = pthread_create(&t[n], &attr, waiter, (void *)n);
		if (rc)
			break;
	}
	pthread_attr_destroy(&attr);
	check(rc == EAGAIN && n >= 16,
	      "pthread_create until it fails: EAGAIN after %ld threads (threads-max %ld; %s)",
	      n, max, strerror(rc));
	pthread_mutex_lock(&lock);
	released = 1;
	pthread_cond_broadcast(&go);
	pthread_mutex_unlock(&lock);
	for (long i = 0; i < n; i++) {
		void *ret;

		if (!join_ms(t[i], &ret, 10000) && ret == (void *)i)
			joined++;
	}
	check(joined == n, "every thread created was joined (%ld of %ld)", joined, n);
	free(t);
}

int proc_exhaust(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	tap_begin();
	need_proc();
	exhaust_malloc();
	exhaust_threads();
	return tap_end();
}

int exit_oom(int argc, char **argv)
{
	long mib = 0;
	char *p;
	int rc;

	(void)argc;
	(void)argv;
	need_proc();
	rc = set_sysctl("sys/vm/overcommit_memory", "1");
	printf("exit-oom: vm.overcommit_memory=1 (%s); touching memory until the kernel runs out\n",
	       rc ? strerror(rc) : "ok");
	fflush(stdout);
	for (;;) {
		p = malloc(BLOCK);
		if (!p) {
			printf("exit-oom: malloc returned NULL after %ld MiB\n", mib);
			return 1;
		}
		memset(p, 0xa5, BLOCK);
		mib++;
	}
}
