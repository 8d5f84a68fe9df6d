// SPDX-License-Identifier: GPL-2.0
/*
 * review: what a read-only review of the UKL skeleton found, one check each.
 *  - an app's NT flag across a system call (the final IRET raised #GP);
 *  - MADV_DONTNEED on the main stack below the stack pointer, then a
 *    recursion over it (once a double fault: a push onto a page gone);
 *  - two threads on one CPU, one first-touching pages while the other holds
 *    mmap_lock, each with its own %xmm6: a fault that slept came back with
 *    the other thread's registers (no FPU restore on the kernel-mode return);
 *  - system calls given a buffer that runs off the end of the app's bss
 *    (UKL: kernel data follows it): an 8-byte store at its last byte and
 *    a 32-byte read of its last 8 bytes must be EFAULT, not reach past it;
 *  - kprobes on the app's code: accepted, and their int3 was the app's
 *    SIGTRAP; now refused, while one on vfs_read fires on the app's reads
 *    (kernels with kprobe events only: the debug kernels);
 *  - what perf sees of app code: user samples at the app's addresses.
 * spin: munmap, a short sleep, then 5 s without a system call; booted with
 * one vCPU and a 3 s RCU stall timeout, the kernel log must stay clean.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <unistd.h>
#include <linux/perf_event.h>

#include "proc.h"
#include "tap.h"

#define X86_EFLAGS_NT	0x4000UL

static void nt_flag(void)
{
	unsigned long flags;
	long ppid;

	__asm__ volatile("pushfq; orq %0, (%%rsp); popfq" : : "r"(X86_EFLAGS_NT) : "cc");
	ppid = syscall(SYS_getppid);
	__asm__ volatile("pushfq; popq %0" : "=r"(flags));
	__asm__ volatile("pushfq; andq %0, (%%rsp); popfq" : : "r"(~X86_EFLAGS_NT) : "cc");
	check(ppid == 0, "a system call with the NT flag set returns (getppid = %ld)", ppid);
	check(flags & X86_EFLAGS_NT, "the app's NT flag is still set after the call");
}

static void dontneed_stack(void)
{
	uintptr_t sp = (uintptr_t)__builtin_frame_address(0);
	uintptr_t lo = (sp - 192 * 1024) & ~4095UL, lowest;
	long levels;
	int ret;

	stack_recurse(256 * 1024, &lowest, &levels);	/* in use, then not */
	ret = madvise((void *)lo, 128 * 1024, MADV_DONTNEED);
	diag("madvise(MADV_DONTNEED) of 128 KiB of the main stack below sp: %d (errno %d)",
	     ret, ret ? errno : 0);
	check(ret == 0, "madvise(MADV_DONTNEED) on the main stack (ordinary memory on UKL too)");
	check(stack_recurse(256 * 1024, &lowest, &levels),
	      "a 256 KiB recursion over the range afterwards (%ld levels)", levels);
}

/* %xmm6 of a thread that faults while the other holds mmap_lock */

#define FAULT_REGION	(8 << 20)

static volatile int fault_stop;

struct fault_job {
	uint64_t pattern[2], seen[2];
	int rounds, bad;
};

/* First-touch every page of a fresh region with %xmm6 holding the pattern. */
static void *toucher(void *arg)
{
	struct fault_job *j = arg;
	long long end = deadline_ms(1000);

	while (!past(end) && !j->bad) {
		char *p = mmap(NULL, FAULT_REGION, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		char *q = p + FAULT_REGION;

		if (p == MAP_FAILED)
			break;
		__asm__ volatile("movdqu (%[pat]), %%xmm6\n\t"
				 "1: movb $1, (%[p])\n\t"
				 "addq $4096, %[p]\n\t"
				 "cmpq %[q], %[p]\n\t"
				 "jb 1b\n\t"
				 "movdqu %%xmm6, (%[out])"
				 : [p] "+r"(p)
				 : [pat] "r"(j->pattern), [q] "r"(q), [out] "r"(j->seen)
				 : "xmm6", "memory", "cc");
		munmap(q - FAULT_REGION, FAULT_REGION);
		j->bad = memcmp(j->seen, j->pattern, sizeof(j->seen)) != 0;
		j->rounds++;
	}
	return NULL;
}

/* Takes mmap_lock over and over, with its own %xmm6. */
static void *locker(void *arg)
{
	struct fault_job *j = arg;

	while (!fault_stop) {
		void *p;

		__asm__ volatile("movdqu (%0), %%xmm6" : : "r"(j->pattern) : "xmm6");
		p = mmap(NULL, 1 << 16, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p != MAP_FAILED)
			munmap(p, 1 << 16);
		j->rounds++;
	}
	return NULL;
}

static void fpu_after_fault(void)
{
	static struct fault_job a = { .pattern = { 0x0123456789abcdefULL, 0x1111222233334444ULL } };
	static struct fault_job b = { .pattern = { 0xfedcba9876543210ULL, 0x5555666677778888ULL } };
	pthread_attr_t attr;
	pthread_t ta, tb;
	cpu_set_t one;
	int cpu = sched_getcpu();

	CPU_ZERO(&one);
	CPU_SET(cpu < 0 ? 0 : cpu, &one);
	pthread_attr_init(&attr);
	pthread_attr_setaffinity_np(&attr, sizeof(one), &one);
	if (pthread_create(&tb, &attr, locker, &b) || pthread_create(&ta, &attr, toucher, &a)) {
		check(0, "threads for the FPU-after-fault check");
		return;
	}
	join_ms(ta, NULL, 20000);
	fault_stop = 1;
	join_ms(tb, NULL, 5000);
	pthread_attr_destroy(&attr);
	diag("toucher rounds %d (8 MiB each), locker rounds %d", a.rounds, b.rounds);
	check(a.rounds > 0 && !a.bad, "a thread first-touching pages next to one holding mmap_lock "
	      "on the same CPU keeps its %%xmm6");
}

/* The end of the app's bss on UKL (link/app.lds); none on Linux. */
extern char __ukl_bss_end[] __attribute__((weak));

static void uaccess_range(void)
{
	uintptr_t end = (uintptr_t)__ukl_bss_end;
	void *head;
	long r;
	int fd, e;

	if (!end) {
		skip("Linux: the bss ends at a page that may go on as the heap",
		     "UKL: a syscall's buffer off the end of the app's bss");
		return;
	}
	/* get_robust_list() puts the 8-byte length first (put_user). */
	errno = 0;
	r = syscall(SYS_get_robust_list, 0, &head, (size_t *)(end - 1));
	e = errno;
	check(r == -1 && e == EFAULT,
	      "UKL: an 8-byte store at the last byte of the app's bss is EFAULT (ret %ld, errno %d)",
	      r, e);
	/* timerfd_settime() reads the 32-byte itimerspec (copy_from_user). */
	fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
	errno = 0;
	r = timerfd_settime(fd, 0, (const struct itimerspec *)(end - 8), NULL);
	e = errno;
	check(fd >= 0 && r == -1 && e == EFAULT,
	      "UKL: a 32-byte read from the last 8 bytes of the app's bss is EFAULT (ret %ld, errno %d)",
	      r, e);
	close(fd);
}

/* One line to kprobe_events: 0 or the errno of its write. */
static int kprobe_event(int fd, const char *def)
{
	ssize_t n;

	errno = 0;
	n = write(fd, def, strlen(def));
	return n == (ssize_t)strlen(def) ? 0 : errno ? errno : EIO;
}

#define TRACEFS "/review-tracefs"

/*
 * The kprobe review_vfs_read enabled for 4 reads of a file: the hits in
 * kprobe_profile, or -1.
 */
static long vfs_read_hits(void)
{
	const char *enable = TRACEFS "/events/kprobes/review_vfs_read/enable";
	char buf[512], name[64];
	long hits = -1, h;
	FILE *f;
	int fd, i;

	fd = open(enable, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, "1", 1) != 1)
		goto out;
	for (i = 0; i < 4; i++) {
		int r = open("/proc/self/stat", O_RDONLY | O_CLOEXEC);

		if (r >= 0 && read(r, buf, sizeof(buf)) <= 0)
			diag("read of /proc/self/stat failed (errno %d)", errno);
		close(r);
	}
	if (write(fd, "0", 1) != 1)
		goto out;
	f = fopen(TRACEFS "/kprobe_profile", "re");
	while (f && fgets(buf, sizeof(buf), f))
		if (sscanf(buf, "%63s %ld", name, &h) == 2 && !strcmp(name, "review_vfs_read"))
			hits = h;
	if (f)
		fclose(f);
out:
	if (fd >= 0)
		close(fd);
	return hits;
}

/*
 * Kprobes on the app's code, by address and by name, and on the syscall
 * stubs that run on its stack: refused (EINVAL: the kprobe blacklist), where
 * the int3 of such a probe would be the app's SIGTRAP.  A kernel function
 * stays probeable.  Needs tracefs with kprobe events (the debug kernels):
 * without them a SKIP, or a failure if @required (the kernel's config has
 * them: tests/boot/process says so with the argument "kprobes").
 */
static void kprobes_app_code(int required)
{
	char def[64];
	long hits;
	int fd, e;

	mkdir(TRACEFS, 0700);
	fd = -1;
	if (!mount("tracefs", TRACEFS, "tracefs", 0, NULL))
		fd = open(TRACEFS "/kprobe_events", O_WRONLY | O_APPEND | O_CLOEXEC);
	if (fd < 0) {
		if (required)
			check(0, "kprobe_events in tracefs, as the kernel's config says (errno %d)",
			      errno);
		else
			skip("no kprobe events in tracefs (the debug kernels have them)",
			     "kprobes on the app's code are refused, on a kernel function accepted");
		umount(TRACEFS);
		return;
	}
	e = kprobe_event(fd, "p:review_vfs_read vfs_read\n");
	check(e == 0, "a kprobe on vfs_read is accepted (errno %d)", e);
	hits = vfs_read_hits();
	check(hits >= 4, "it fires on the app's reads (%ld hits for 4 reads)", hits);
	e = kprobe_event(fd, "-:review_vfs_read\n");
	check(e == 0, "and is removed (errno %d)", e);
	if (in_ukl()) {
		snprintf(def, sizeof(def), "p:review_app %#lx\n", (unsigned long)kprobes_app_code);
		e = kprobe_event(fd, def);
		check(e == EINVAL, "UKL: a kprobe at the address of an app function is refused "
		      "with EINVAL (errno %d)", e);
		e = kprobe_event(fd, "p:review_main app.main\n");
		check(e == EINVAL, "UKL: a kprobe on app.main is refused with EINVAL (errno %d)", e);
		e = kprobe_event(fd, "p:review_stub __ukl_sys_read\n");
		check(e == EINVAL, "UKL: a kprobe on the syscall stub __ukl_sys_read is refused "
		      "with EINVAL (errno %d)", e);
	} else {
		skip("Linux: the program's code is not kernel text",
		     "UKL: kprobes on the app's code are refused");
	}
	close(fd);
	e = umount(TRACEFS) ? errno : 0;
	check(!e, "tracefs unmounted (errno %d)", e);
}

/*
 * What perf sees of app code: samples of the software clock (the only
 * sampling source under TCG, which has no PMU) taken while the app spins in
 * profile_compute() (profile.c).  They come from the timer interrupt, whose frame the entry
 * code makes a user-mode frame for app code: so on UKL as on Linux they are
 * user samples (PERF_RECORD_MISC_USER) at profile_compute's addresses.
 */
static void perf_app_code(void)
{
	struct perf_event_attr a = {
		.type = PERF_TYPE_SOFTWARE, .size = sizeof(a),
		.config = PERF_COUNT_SW_CPU_CLOCK, .sample_period = 1000000,
		.sample_type = PERF_SAMPLE_IP, .disabled = 1, .exclude_hv = 1,
	};
	uintptr_t spin = (uintptr_t)profile_compute;
	long total = 0, in_spin = 0, user = 0;
	struct perf_event_mmap_page *meta;
	struct timespec t0, t;
	size_t len = 9 * 4096;
	uint64_t pos, head;
	char *buf;
	int fd, e;

	fd = syscall(SYS_perf_event_open, &a, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);
	buf = fd < 0 ? MAP_FAILED : mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	e = buf == MAP_FAILED ? errno : 0;
	if (!check(!e, "perf_event_open of a cpu-clock sampling event on the app, "
		   "and its ring buffer (errno %d)", e)) {
		if (fd >= 0)
			close(fd);
		return;
	}
	meta = (struct perf_event_mmap_page *)buf;
	ioctl(fd, PERF_EVENT_IOC_ENABLE, 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		profile_compute(1, 2000000);
		clock_gettime(CLOCK_MONOTONIC, &t);
	} while ((t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000 < 500);
	ioctl(fd, PERF_EVENT_IOC_DISABLE, 0);
	/* 500 ms of samples fit the buffer: it never wraps (if it did, no
	 * sample would be counted and the checks below would fail). */
	head = __atomic_load_n(&meta->data_head, __ATOMIC_ACQUIRE);
	for (pos = 0; pos < head && head <= meta->data_size; ) {
		struct perf_event_header *h = (void *)(buf + meta->data_offset + pos);

		if (h->size < sizeof(*h))
			break;
		if (h->type == PERF_RECORD_SAMPLE) {
			uint64_t ip = *(uint64_t *)(h + 1);
			int at_spin = ip - spin < 256;

			total++;
			in_spin += at_spin;
			user += at_spin && (h->misc & PERF_RECORD_MISC_CPUMODE_MASK) ==
					   PERF_RECORD_MISC_USER;
		}
		pos += h->size;
	}
	check(total >= 20 && in_spin * 10 >= total * 8,
	      "perf: at least 8 in 10 of the samples taken while the app spins are at its "
	      "spinning function (%ld of %ld)", in_spin, total);
	check(in_spin > 0 && user == in_spin, "perf: those samples of app code are user samples, "
	      "as on Linux (%ld of %ld)", user, in_spin);
	munmap(buf, len);
	close(fd);
}

/* review [kprobes]: with "kprobes", the kernel has kprobe events. */
int proc_review(int argc, char **argv)
{
	tap_begin();
	nt_flag();
	dontneed_stack();
	fpu_after_fault();
	uaccess_range();
	kprobes_app_code(argc > 2 && !strcmp(argv[2], "kprobes"));
	perf_app_code();
	return tap_end();
}

int proc_spin(int argc, char **argv)
{
	void *p = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint64_t end;

	(void)argc;
	(void)argv;
	tap_begin();
	if (p != MAP_FAILED) {
		memset(p, 1, 1 << 20);
		munmap(p, 1 << 20);	/* a grace period to wait for */
	}
	sleep_ms(1);
	end = tsc_after_ms(5000);
	while (tsc_now() < end)
		;
	check(1, "5 s without a system call after munmap");
	return tap_end();
}
