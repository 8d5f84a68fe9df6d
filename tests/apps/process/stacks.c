// SPDX-License-Identifier: GPL-2.0
/*
 * stacks: deep stacks.  alloca(1 MiB) touched at every page; recursion of
 * 128 KiB on a stack the app gives (pthread_attr_setstack), 48 KiB in a
 * 64 KiB thread stack, 4 MiB in a thread with default attributes, and
 * 6 MiB on the main thread (last: the most pages faulted in on the way).
 *
 * The recursion uses a ~1 KiB volatile frame that the next level reads
 * back through a pointer, and works after the recursive call: the compiler
 * can turn it neither into a loop nor into a tail call.
 */
#include "tap.h"

#include <alloca.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "proc.h"

#define KiB	1024L
#define MiB	(1024 * KiB)
#define FRAME	1024

struct dive {
	uintptr_t stop;		/* recurse until a frame lies below this */
	uintptr_t lowest;	/* the deepest frame reached */
	long levels;
	int bad;		/* a frame lost its contents */
};

static __attribute__((noinline, noclone)) long dive(struct dive *d, volatile char *parent,
						     long level)
{
	volatile char frame[FRAME];
	long r = 0;

	frame[0] = (char)level;
	frame[FRAME - 1] = (char)~level;
	if (parent && parent[0] != (char)(level - 1))
		d->bad++;
	if ((uintptr_t)frame > d->stop) {
		r = dive(d, frame, level + 1);
	} else {
		d->lowest = (uintptr_t)frame;
		d->levels = level + 1;
	}
	__asm__ volatile("" ::: "memory");
	if (frame[0] != (char)level || frame[FRAME - 1] != (char)~level)
		d->bad++;
	return r + 1;
}

/* Recurses @bytes below the caller's frame; 1 if it went that deep intact. */
__attribute__((noinline)) int stack_recurse(long bytes, uintptr_t *lowest, long *levels)
{
	volatile char here;
	struct dive d = { .stop = (uintptr_t)&here - bytes };
	long n = dive(&d, NULL, 0);

	*lowest = d.lowest;
	*levels = d.levels;
	return !d.bad && n == d.levels && (uintptr_t)&here - d.lowest >= (uintptr_t)bytes;
}

/* alloca */

static __attribute__((noinline)) int alloca_test(size_t size)
{
	volatile char *p = alloca(size);
	long page = sysconf(_SC_PAGESIZE);
	long i, pages = size / page;
	int ok = 1;

	/* from the top down, the way a stack grows */
	for (i = pages - 1; i >= 0; i--) {
		p[i * page] = (char)i;
		p[i * page + page - 1] = (char)~i;
	}
	for (i = pages - 1; i >= 0; i--)
		ok &= p[i * page] == (char)i && p[i * page + page - 1] == (char)~i;
	return ok;
}

/* recursion in threads */

struct job {
	long bytes;
	uintptr_t lowest;
	long levels;
	int ok;
};

static void *dive_thread(void *arg)
{
	struct job *j = arg;

	j->ok = stack_recurse(j->bytes, &j->lowest, &j->levels);
	return NULL;
}

/* Runs dive_thread in a thread with @attr; 1 if it joined and went deep. */
static int in_thread(pthread_attr_t *attr, struct job *j)
{
	pthread_t t;

	if (pthread_create(&t, attr, dive_thread, j))
		return 0;
	return join_ms(t, NULL, 10000) == 0 && j->ok;
}

static void given_stack(void)
{
	const size_t size = 256 * KiB;
	struct job j = { .bytes = 128 * KiB };
	pthread_attr_t attr;
	char *stack = malloc(size);
	size_t used = 0;
	int ok;

	if (!stack) {
		check(0, "pthread_attr_setstack: malloc'ed 256 KiB stack");
		return;
	}
	memset(stack, 0xa5, size);	/* also populates it */
	pthread_attr_init(&attr);
	ok = pthread_attr_setstack(&attr, stack, size) == 0 && in_thread(&attr, &j);
	pthread_attr_destroy(&attr);
	if (ok) {
		while (used < size && (unsigned char)stack[used] == 0xa5)
			used++;
		used = size - used;
	}
	check(ok && j.lowest >= (uintptr_t)stack && j.lowest < (uintptr_t)stack + size,
	      "thread on a malloc'ed 256 KiB stack (pthread_attr_setstack) recurses 128 KiB "
	      "inside it (%ld levels, %zu KiB used)", j.levels, used / KiB);
	free(stack);
}

static void small_stack(void)
{
	struct job j = { .bytes = 48 * KiB };
	pthread_attr_t attr;
	size_t size = 0;
	int ok;

	pthread_attr_init(&attr);
	ok = pthread_attr_setstacksize(&attr, 64 * KiB) == 0 &&
	     pthread_attr_getstacksize(&attr, &size) == 0 && size == 64 * KiB;
	ok = ok && in_thread(&attr, &j);
	pthread_attr_destroy(&attr);
	check(ok, "thread with a 64 KiB stack (pthread_attr_setstacksize) recurses 48 KiB "
	      "(%ld levels)", j.levels);
}

static void default_stack(void)
{
	struct job j = { .bytes = 4 * MiB };
	pthread_attr_t attr;
	size_t size = 0;
	int ok;

	if (pthread_getattr_default_np(&attr) == 0) {
		pthread_attr_getstacksize(&attr, &size);
		pthread_attr_destroy(&attr);
	}
	diag("default thread stack size %zu KiB", size / KiB);
	if (size && size < 4 * MiB + 256 * KiB) {
		check(0, "thread with default attributes recurses 4 MiB: its stack is too small");
		return;
	}
	ok = in_thread(NULL, &j);
	check(ok, "thread with default attributes recurses 4 MiB (%ld levels)", j.levels);
}

static void main_stack(void)
{
	struct rlimit rl;
	uintptr_t lowest;
	long levels = 0;
	int ok;

	if (getrlimit(RLIMIT_STACK, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY) {
		diag("RLIMIT_STACK %ld KiB", (long)(rl.rlim_cur / KiB));
		if (rl.rlim_cur < 6 * MiB + 512 * KiB) {
			check(0, "main thread recurses 6 MiB: RLIMIT_STACK is too small");
			return;
		}
	}
	ok = stack_recurse(6 * MiB, &lowest, &levels);
	check(ok, "main thread recurses 6 MiB (%ld levels)", levels);
}

int proc_stacks(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	tap_begin();
	check(alloca_test(1 * MiB), "alloca(1 MiB) on the main thread, touched at every page");
	given_stack();
	small_stack();
	default_stack();
	main_stack();
	return tap_end();
}
