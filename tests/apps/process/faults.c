// SPDX-License-Identifier: GPL-2.0
/*
 * faults: the app's own faults are the signals Linux sends a user process,
 * with the siginfo it gives, and a bad pointer handed to a system call is
 * EFAULT.  Each fault is caught by a handler that records its siginfo and
 * leaves through siglongjmp.
 *
 * exit-segv, exit-ill, exit-fpe: the same faults without a handler; the
 * program dies of the signal (139, 132, 136 as a shell reports them), the
 * kernel's report of it and the runner's decoding name the function.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "proc.h"
#include "tap.h"

static sigjmp_buf fault_jump;
static volatile siginfo_t fault_info;
static volatile uintptr_t fault_ip;

static void on_fault(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	fault_info = *si;
	fault_ip = ((ucontext_t *)uc)->uc_mcontext.gregs[REG_RIP];
	siglongjmp(fault_jump, 1);
}

/* Runs @fn with a handler for @sig; 1 if the handler ran. */
static int faulted(int sig, void (*fn)(void *), void *arg)
{
	struct sigaction sa, old;
	int caught = 0;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_fault;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, &old);
	memset((void *)&fault_info, 0, sizeof(fault_info));
	fault_ip = 0;
	if (sigsetjmp(fault_jump, 1) == 0)
		fn(arg);
	else
		caught = 1;
	sigaction(sig, &old, NULL);
	return caught;
}

static void store(void *p)
{
	*(volatile int *)p = 1;
}

/* The address of the trapping instruction, for si_addr of SIGILL. */
extern const char ud2_here[];

__attribute__((noinline)) static void ud2(void *arg)
{
	(void)arg;
	__asm__ volatile("ud2_here: ud2");
}

/* Volatile both: gcc turns 1 / x into a comparison, without a division. */
static volatile int zero, seven = 7;
/* NULL, where the compiler cannot see it. */
static void *volatile null;

static void divide(void *arg)
{
	volatile int r = seven / zero;

	(void)arg;
	(void)r;
}

static void breakpoint(void *arg)
{
	(void)arg;
	__asm__ volatile("int3");
}

static void touch(void *p)
{
	(void)*(volatile char *)p;
}

/* A signal handler whose context returns to a non-canonical ip. */
static void bad_return(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)si;
	((ucontext_t *)uc)->uc_mcontext.gregs[REG_RIP] = (greg_t)0x8000000000000000UL;
}

static void raise_bad_return(void *arg)
{
	struct sigaction sa;

	(void)arg;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = bad_return;
	sa.sa_flags = SA_SIGINFO | SA_RESETHAND;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	raise(SIGUSR1);
}

static void segv_checks(void)
{
	long page = sysconf(_SC_PAGESIZE);
	char *ro;
	int c;

	c = faulted(SIGSEGV, store, (void *)16);
	check(c && fault_info.si_signo == SIGSEGV && fault_info.si_code == SEGV_MAPERR &&
	      fault_info.si_addr == (void *)16,
	      "a store to address 16: SIGSEGV, SEGV_MAPERR, si_addr 16 (caught %d: signo %d code %d addr %p)",
	      c, fault_info.si_signo, fault_info.si_code, fault_info.si_addr);
	ro = mmap(NULL, page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	c = ro != MAP_FAILED && faulted(SIGSEGV, store, ro + 8);
	check(c && fault_info.si_code == SEGV_ACCERR && fault_info.si_addr == ro + 8,
	      "a store to a read-only page: SIGSEGV, SEGV_ACCERR, si_addr of the store (caught %d: code %d addr %p, want %p)",
	      c, fault_info.si_code, fault_info.si_addr, ro + 8);
	munmap(ro, page);
	/* A non-canonical address: #GP, not #PF; Linux reports no address. */
	c = faulted(SIGSEGV, store, (void *)0x8000000000000010UL);
	check(c && fault_info.si_signo == SIGSEGV && fault_info.si_code == SI_KERNEL &&
	      fault_info.si_addr == NULL,
	      "a store to a non-canonical address (#GP): SIGSEGV, SI_KERNEL, no si_addr (caught %d: code %d addr %p)",
	      c, fault_info.si_code, fault_info.si_addr);
	/* rt_sigreturn to a non-canonical ip: SIGSEGV, never an oops. */
	c = faulted(SIGSEGV, raise_bad_return, NULL);
	check(c && fault_info.si_signo == SIGSEGV,
	      "a signal handler's context with a non-canonical ip: SIGSEGV on its return (caught %d: signo %d code %d)",
	      c, fault_info.si_signo, fault_info.si_code);
}

static void other_checks(void)
{
	long page = sysconf(_SC_PAGESIZE);
	char name[] = "/tmp/ukl-faults-XXXXXX";
	char *m;
	int fd, c;

	c = faulted(SIGILL, ud2, NULL);
	check(c && fault_info.si_signo == SIGILL && fault_info.si_code == ILL_ILLOPN &&
	      fault_info.si_addr == (void *)ud2_here && fault_ip == (uintptr_t)ud2_here,
	      "ud2: SIGILL, ILL_ILLOPN, si_addr and the context's ip at the instruction (caught %d: code %d addr %p ip %#lx, want %p)",
	      c, fault_info.si_code, fault_info.si_addr, (unsigned long)fault_ip, (void *)ud2_here);
	c = faulted(SIGFPE, divide, NULL);
	check(c && fault_info.si_signo == SIGFPE && fault_info.si_code == FPE_INTDIV,
	      "an integer division by zero: SIGFPE, FPE_INTDIV (caught %d: signo %d code %d)",
	      c, fault_info.si_signo, fault_info.si_code);
	c = faulted(SIGTRAP, breakpoint, NULL);
	check(c && fault_info.si_signo == SIGTRAP && fault_info.si_code == SI_KERNEL,
	      "int3: SIGTRAP, SI_KERNEL (caught %d: code %d)", c, fault_info.si_code);
	/* A file mapping past the file's end. */
	need_tmp();
	fd = mkstemp(name);
	m = fd < 0 ? MAP_FAILED : mmap(NULL, page, PROT_READ, MAP_SHARED, fd, 0);
	c = m != MAP_FAILED && faulted(SIGBUS, touch, m);
	check(c && fault_info.si_signo == SIGBUS && fault_info.si_code == BUS_ADRERR &&
	      fault_info.si_addr == m,
	      "a read of a mapping past the end of its file: SIGBUS, BUS_ADRERR, si_addr (caught %d: code %d addr %p, want %p)",
	      c, fault_info.si_code, fault_info.si_addr, (void *)m);
	if (m != MAP_FAILED)
		munmap(m, page);
	if (fd >= 0) {
		close(fd);
		unlink(name);
	}
}

/* 1 if @r is -1 with errno EFAULT. */
static int efault(long r)
{
	return r == -1 && errno == EFAULT;
}

static void efault_checks(void)
{
	void *noncanon = (void *)0x8000000000001000UL;
	long page = sysconf(_SC_PAGESIZE);
	struct stat st;
	int p[2];
	char *gone;

	gone = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(gone, page);
	if (pipe(p)) {
		check(0, "pipe: %s", strerror(errno));
		return;
	}
	check(write(p[1], "abcd", 4) == 4, "a pipe with 4 bytes in it");
	check(efault(read(p[0], null, 4)), "read into NULL: EFAULT");
	check(efault(read(p[0], gone, 4)), "read into an unmapped page: EFAULT");
	check(efault(write(p[1], null, 4)), "write from NULL: EFAULT");
	check(efault(write(p[1], gone, 4)), "write from an unmapped page: EFAULT");
	check(efault(stat("/", null)), "stat into NULL: EFAULT");
	check(efault(stat(gone, &st)), "stat of a path in an unmapped page: EFAULT");
	check(efault(stat(null, &st)), "stat of a NULL path: EFAULT");
	/* Non-canonical: the uaccess bound refuses them before any access. */
	check(efault(read(p[0], noncanon, 4)), "read into a non-canonical address: EFAULT");
	check(efault(write(p[1], noncanon, 4)), "write from a non-canonical address: EFAULT");
	check(efault(stat(noncanon, &st)), "stat of a path at a non-canonical address: EFAULT");
	check(efault(nanosleep(noncanon, NULL)), "nanosleep from a non-canonical address: EFAULT");
	close(p[0]);
	close(p[1]);
}

/* 1 if @r is -1 with errno @err; else a diagnostic. */
static int fails_with(long r, int err)
{
	if (r == -1 && errno == err)
		return 1;
	diag("got %ld, errno %d (%s); want -1, errno %d", r, errno, strerror(errno), err);
	return 0;
}

/* Bad syscall numbers and arguments: Linux's errno, never a crash. */
static void errno_checks(void)
{
	struct timespec ts;
	char buf[8];

	check(fails_with(syscall(999), ENOSYS), "syscall 999 (no such syscall): ENOSYS");
	check(fails_with(syscall(-1L), ENOSYS), "syscall -1: ENOSYS");
	check(fails_with(read(-1, buf, sizeof(buf)), EBADF), "read from fd -1: EBADF");
	check(fails_with(close(12345), EBADF), "close of a descriptor never opened: EBADF");
	check(fails_with(open("/", O_WRONLY), EISDIR), "open of / for writing: EISDIR");
	check(fails_with((long)mmap(NULL, 4096, PROT_READ, MAP_ANONYMOUS, -1, 0), EINVAL),
	      "anonymous mmap with neither MAP_PRIVATE nor MAP_SHARED: EINVAL");
	check(fails_with(clock_gettime((clockid_t)12345, &ts), EINVAL),
	      "clock_gettime of clock 12345: EINVAL");
	check(fails_with(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, null), EFAULT),
	      "clock_gettime into NULL (the syscall): EFAULT");
}

int proc_faults(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	tap_begin();
	segv_checks();
	other_checks();
	efault_checks();
	errno_checks();
	/* After the faults: the program goes on as before. */
	check(getpid() > 0 && write(1, "", 0) == 0, "the program goes on after its faults");
	return tap_end();
}

/* Not inlined: the reports name these functions. */
__attribute__((noinline)) static void exit_segv_here(volatile int *p)
{
	*p = 1;
}

int exit_segv(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("exit-segv: a store to address 16 follows\n");
	exit_segv_here((volatile int *)((char *)null + 16));
	return 1;
}

__attribute__((noinline)) static void exit_ill_here(void)
{
	__builtin_trap();
}

int exit_ill(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("exit-ill: ud2 follows\n");
	exit_ill_here();
	return 1;
}

__attribute__((noinline)) static int exit_fpe_here(int d)
{
	return seven / d;
}

int exit_fpe(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("exit-fpe: a division by zero follows\n");
	return exit_fpe_here(zero) + 1;
}
