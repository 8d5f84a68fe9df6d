// SPDX-License-Identifier: GPL-2.0
/*
 * memory: malloc/calloc/realloc/free small and large (above the mmap
 * threshold) with data checks; brk and sbrk grow and shrink; anonymous
 * mmap, mprotect (no faults: only that it succeeds and memory stays
 * readable), mremap with MREMAP_MAYMOVE, munmap; MAP_SHARED memory written
 * by one thread and read by another; MADV_DONTNEED gives zero pages back;
 * pointers into .data, .bss, .rodata, the stack and the heap handed to
 * read and write on a pipe.
 */
#include "tap.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "proc.h"

#define KiB	1024L
#define MiB	(1024 * KiB)

static void pattern(void *mem, size_t size, unsigned int seed)
{
	unsigned char *p = mem;
	size_t i;

	for (i = 0; i < size; i++)
		p[i] = (unsigned char)(seed + i * 7 + (i >> 12));
}

static int has_pattern(const void *mem, size_t size, unsigned int seed)
{
	const unsigned char *p = mem;
	size_t i;

	for (i = 0; i < size; i++)
		if (p[i] != (unsigned char)(seed + i * 7 + (i >> 12)))
			return 0;
	return 1;
}

static int is_zero(const void *mem, size_t size)
{
	const unsigned char *p = mem;
	size_t i;

	for (i = 0; i < size; i++)
		if (p[i])
			return 0;
	return 1;
}

/* malloc */

#define SMALL	1000

static void malloc_test(void)
{
	static char *small[SMALL];
	void *volatile huge;
	char *big, *p;
	int i, ok = 1;

	for (i = 0; i < SMALL; i++) {
		small[i] = malloc(i + 1);
		if (!small[i]) {
			ok = 0;
			break;
		}
		pattern(small[i], i + 1, i);
	}
	for (i = 0; i < SMALL && ok; i++)
		ok = has_pattern(small[i], i + 1, i);
	for (i = 0; i < SMALL && ok; i += 2) {	/* grow every other one in place or not */
		p = realloc(small[i], 3 * (i + 1));
		if (!p) {
			ok = 0;
			break;
		}
		small[i] = p;
		ok = has_pattern(p, i + 1, i);
	}
	for (i = 0; i < SMALL; i++)
		free(small[i]);
	check(ok, "malloc/realloc/free of %d small blocks keep their data", SMALL);

	big = malloc(4 * MiB);
	ok = big != NULL;
	if (ok) {
		pattern(big, 4 * MiB, 1);
		ok = has_pattern(big, 4 * MiB, 1);
	}
	check(ok, "malloc(4 MiB) (above the mmap threshold) holds data");
	p = ok ? realloc(big, 8 * MiB) : NULL;
	if (p) {
		big = p;
		ok = has_pattern(big, 4 * MiB, 1);
		pattern(big + 4 * MiB, 4 * MiB, 2);
		ok = ok && has_pattern(big + 4 * MiB, 4 * MiB, 2);
	}
	check(p && ok, "realloc(4 MiB -> 8 MiB) keeps the data, the new part is usable");
	p = p ? realloc(big, 2 * MiB) : NULL;
	if (p)
		big = p;
	check(p && has_pattern(big, 2 * MiB, 1), "realloc(8 MiB -> 2 MiB) keeps the data");
	p = p ? realloc(big, 100) : NULL;
	if (p)
		big = p;
	check(p && has_pattern(big, 100, 1), "realloc(2 MiB -> 100 bytes) keeps the data");
	free(big);

	p = calloc(3 * MiB, 1);
	check(p && is_zero(p, 3 * MiB), "calloc(3 MiB) is zeroed");
	free(p);
	p = calloc(1000, 8);
	check(p && is_zero(p, 8000), "calloc(1000, 8) is zeroed");
	free(p);
	huge = malloc(PTRDIFF_MAX);
	check(huge == NULL && errno == ENOMEM, "malloc of 8 EiB fails with ENOMEM");
	free(huge);
	p = aligned_alloc(64 * KiB, 64 * KiB);
	check(p && !((uintptr_t)p & (64 * KiB - 1)), "aligned_alloc(64 KiB, 64 KiB) is aligned");
	free(p);
}

/* brk */

static void brk_test(void)
{
	char *start = sbrk(0), *old, *now;
	long size = 256 * KiB;
	int ok;

	old = sbrk(size);
	now = sbrk(0);
	ok = old == start && now == start + size;
	if (ok) {
		pattern(start, size, 3);
		ok = has_pattern(start, size, 3);
	}
	check(ok, "sbrk(256 KiB) grows the heap; the new memory holds data");
	ok = ok && sbrk(-size) == now && sbrk(0) == start;
	check(ok, "sbrk(-256 KiB) shrinks it back");
	ok = brk(start + 64 * KiB) == 0 && sbrk(0) == start + 64 * KiB;
	if (ok) {
		memset(start, 0x5a, 64 * KiB);
		ok = start[64 * KiB - 1] == 0x5a;
	}
	check(ok && brk(start) == 0 && sbrk(0) == start, "brk() grows and shrinks the heap");
}

/* mmap, mprotect, mremap, munmap */

static void mmap_test(void)
{
	size_t size = 1 * MiB;
	char *p, *q;
	int ok;

	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ok = p != MAP_FAILED;
	check(ok && is_zero(p, size), "mmap(1 MiB anonymous) gives zeroed memory");
	if (!ok)
		return;
	pattern(p, size, 4);
	check(has_pattern(p, size, 4), "the mapping holds data");
	check(mprotect(p, size, PROT_READ) == 0 && has_pattern(p, size, 4),
	      "mprotect(PROT_READ) succeeds; the memory stays readable");
	ok = mprotect(p, size, PROT_READ | PROT_WRITE) == 0;
	if (ok) {
		p[0] = 1;
		p[0] = (char)4;	/* the pattern's first byte again */
	}
	check(ok && has_pattern(p, size, 4), "mprotect(PROT_READ | PROT_WRITE): writable again");

	q = mremap(p, size, 4 * MiB, MREMAP_MAYMOVE);
	ok = q != MAP_FAILED;
	if (ok)
		p = q;
	check(ok && has_pattern(p, size, 4) && is_zero(p + size, 3 * MiB),
	      "mremap(1 MiB -> 4 MiB, MREMAP_MAYMOVE) keeps the data, the rest is zero");
	if (ok) {
		pattern(p + size, 3 * MiB, 5);
		ok = has_pattern(p + size, 3 * MiB, 5);
		size = 4 * MiB;
		q = mremap(p, size, 512 * KiB, 0);
		if (q == p)
			size = 512 * KiB;
		check(ok && q == p && has_pattern(p, 512 * KiB, 4),
		      "mremap shrinks in place, keeping the data");
	}
	check(munmap(p, size) == 0, "munmap");
}

/* MAP_SHARED between two threads */

static void *shared_writer(void *arg)
{
	pattern(arg, 256 * KiB, 6);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return NULL;
}

static void shared_test(void)
{
	size_t size = 256 * KiB;
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pthread_t t;
	int ok = p != MAP_FAILED;

	ok = ok && pthread_create(&t, NULL, shared_writer, p) == 0 && join_ms(t, NULL, 10000) == 0;
	check(ok && has_pattern(p, size, 6),
	      "MAP_SHARED | MAP_ANONYMOUS: written by a thread, read by another");
	if (p != MAP_FAILED)
		munmap(p, size);
}

/* MADV_DONTNEED */

static void dontneed_test(void)
{
	size_t size = 256 * KiB;
	char *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int ok = p != MAP_FAILED;

	if (ok) {
		memset(p, 0x77, size);
		ok = madvise(p, size, MADV_DONTNEED) == 0 && is_zero(p, size);
		munmap(p, size);
	}
	check(ok, "madvise(MADV_DONTNEED) on private anonymous memory gives zero pages back");
}

/* read and write with pointers into every kind of app memory */

#define IO	6000	/* crosses a page boundary */

static char data_buf[IO] = "initialised, so in .data";
static char bss_buf[IO];
static const char ro_buf[IO] = "read-only, so in .rodata; the rest is zero";

/* Writes @size bytes from @src to a pipe and reads them back into @dst. */
static int through_pipe(const void *src, void *dst, size_t size)
{
	int p[2], ok;

	if (pipe2(p, O_CLOEXEC))
		return 0;
	ok = write(p[1], src, size) == (ssize_t)size && read(p[0], dst, size) == (ssize_t)size;
	close(p[0]);
	close(p[1]);
	return ok && !memcmp(src, dst, size);
}

static void pointers_test(void)
{
	char stack_buf[IO];
	char *heap_buf = malloc(IO);

	if (!heap_buf) {
		check(0, "malloc for the pipe tests");
		return;
	}
	pattern(data_buf + 32, IO - 32, 7);
	check(through_pipe(ro_buf, bss_buf, IO), "write from .rodata, read into .bss");
	check(through_pipe(data_buf, stack_buf, IO), "write from .data, read into the stack");
	check(through_pipe(stack_buf, heap_buf, IO), "write from the stack, read into the heap");
	memset(data_buf, 0, IO);
	check(through_pipe(heap_buf, data_buf, IO) && has_pattern(data_buf + 32, IO - 32, 7),
	      "write from the heap, read into .data");
	pattern(bss_buf, IO, 8);
	check(through_pipe(bss_buf, stack_buf, IO), "write from .bss, read into the stack");
	check(through_pipe(stack_buf, data_buf, IO), "write from the stack, read into .data");
	free(heap_buf);
}

int proc_memory(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	tap_begin();
	malloc_test();
	brk_test();
	mmap_test();
	shared_test();
	dontneed_test();
	pointers_test();
	return tap_end();
}
