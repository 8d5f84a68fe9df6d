// SPDX-License-Identifier: GPL-2.0
/*
 * fork: the fork a UKL app supports, where the parent waits, and the helper
 * programs its children run.  On UKL a fork child has its own memory, as on
 * Linux (its own copy of stack, heap and TLS; the parent's static data is
 * put back before it resumes), and runs while the parent waits, until it
 * exits or execs.  A vfork child shares the parent's memory, as on Linux.
 * On the baseline fork is Linux's.  The checks say which behaviour they
 * expect of which kernel; the documented differences (the parent waits; a
 * child's wait on a pipe that only that parent could serve fails with
 * EDEADLK) are checked on both.
 *
 * /bin/ukl-helper (helpers/ukl-helper.c) is an ordinary static program of
 * the host's toolchain; /bin/sh is busybox (APP_BUSYBOX).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/io_uring.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "proc.h"
#include "tap.h"

#define HELPER "/bin/ukl-helper"

extern char **environ;

/* waitpid's status of @pid as text, for the diagnostics. */
static int wait_status(pid_t pid)
{
	int st = -1;

	if (waitpid(pid, &st, 0) != pid)
		return -1;
	return st;
}

static volatile int shared_counter;
static __thread int thread_var = 5;

static void simple_fork(void)
{
	pid_t pid = fork();
	int st;

	if (pid == 0)
		_exit(7);
	st = wait_status(pid);
	check(pid > 0 && WIFEXITED(st) && WEXITSTATUS(st) == 7,
	      "fork: the child's _exit(7) is the parent's waitpid status (pid %d, status %#x)",
	      pid, st);
}

static void child_runs_first(void)
{
	pid_t pid, early;
	int st = -1;

	shared_counter = 0;
	pid = fork();
	if (pid == 0) {
		shared_counter = 1;
		sleep_ms(500);
		shared_counter = 2;
		_exit(0);
	}
	early = waitpid(pid, &st, WNOHANG);
	/* On UKL the parent resumes only now; on Linux it runs on at once. */
	if (in_ukl())
		check(early == pid,
		      "UKL: the parent resumes after the child has exited (waitpid WNOHANG: %d)", early);
	else
		check(early == 0,
		      "Linux: the parent runs on while the child sleeps (waitpid WNOHANG: %d)", early);
	if (early != pid)
		st = wait_status(pid);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the child exited 0 (status %#x)", st);
	check(shared_counter == 0, "the child's writes to a global are its own (counter %d)",
	      shared_counter);
}

static volatile int atfork_child_ran;

static void atfork_child(void)
{
	atfork_child_ran = 1;
}

/*
 * What a child does with glibc's state stays the child's: its atfork
 * handler, malloc and free (of a block the parent still uses), and the
 * stdio flush of its exit().  On UKL all of that state lives in the app's
 * static data and in the heap, which the child shares with nobody.
 */
static void private_memory(void)
{
	char *block = malloc(256), *more, text[16] = "";
	FILE *f = fopen("/tmp/fork-stdio", "w+");
	size_t n;
	int st;
	pid_t pid;

	if (!check(block && f, "a heap block and a stdio file for the child to change"))
		return;
	pthread_atfork(NULL, NULL, atfork_child);
	strcpy(block, "parent");
	fputs("a", f);			/* in f's buffer, not yet written */
	pid = fork();
	if (pid == 0) {
		int i;

		for (i = 0; i < 1000; i++)
			free(malloc(64 + i));
		strcpy(block, "child");
		free(block);
		fputs("b", f);
		exit(atfork_child_ran ? 0 : 1);	/* flushes "ab" */
	}
	st = wait_status(pid);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "the atfork child handler ran in the child, which exit()ed 0 (status %#x)", st);
	check(!atfork_child_ran, "the handler's write to a global stays the child's");
	check(!strcmp(block, "parent"),
	      "a heap block the child wrote and freed is the parent's as it was ('%s')", block);
	more = malloc(4096);
	free(block);
	free(more);
	check(more != NULL, "the parent's heap is whole: malloc and free after the child's");
	fputs("c", f);
	fflush(f);
	rewind(f);
	n = fread(text, 1, sizeof(text) - 1, f);
	text[n] = 0;
	fclose(f);
	check(!strcmp(text, "abac"),
	      "stdio: the parent's buffered 'a' was written by the child's exit() and is written again by the parent ('%s')",
	      text);
}

/* The child returns from here into the caller's frame, then writes deep. */
static __attribute__((noinline)) pid_t fork_and_return(void)
{
	return fork();
}

static __attribute__((noinline)) int scribble(int depth)
{
	volatile unsigned char buf[1024];

	memset((void *)buf, 0xaa, sizeof(buf));
	return depth ? scribble(depth - 1) + buf[depth % 1024] : buf[0];
}

static void stack_restored(void)
{
	volatile unsigned long pattern[64];
	int i, intact = 1, st;
	pid_t pid;

	for (i = 0; i < 64; i++)
		pattern[i] = 0x5eed0000UL + i;
	pid = fork_and_return();
	if (pid == 0) {
		/* Over the parent's frames: this one, and 64 KiB below. */
		for (i = 0; i < 64; i++)
			pattern[i] = 0;
		scribble(64);
		_exit(0);
	}
	st = wait_status(pid);
	for (i = 0; i < 64; i++)
		intact &= pattern[i] == 0x5eed0000UL + i;
	check(pid > 0 && WIFEXITED(st) && intact,
	      "the parent's stack is as it was at the fork, after the child returned through it and wrote 64 KiB below");
}

static void thread_state_restored(void)
{
	pthread_mutexattr_t a;
	pthread_mutex_t m;
	pid_t pid, self = gettid();
	int st, unlock;

	pthread_mutexattr_init(&a);
	pthread_mutexattr_settype(&a, PTHREAD_MUTEX_ERRORCHECK);
	pthread_mutex_init(&m, &a);
	pthread_mutex_lock(&m);
	thread_var = 5;
	errno = 1234;
	pid = fork();
	if (pid == 0) {
		errno = 99;
		thread_var = 77;
		_exit(gettid() == getpid() && getpid() != self ? 0 : 1);
	}
	check(errno == 1234 && thread_var == 5,
	      "errno and a __thread variable are the parent's after the fork (errno %d, var %d)",
	      errno, thread_var);
	st = wait_status(pid);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "the child has a pid and tid of its own (status %#x)", st);
	check(gettid() == self, "the parent's tid is unchanged");
	unlock = pthread_mutex_unlock(&m);
	check(unlock == 0,
	      "an error-checking mutex locked before the fork is still the parent's (unlock: %d)",
	      unlock);
}

static void child_pid_and_signal(void)
{
	int fds[2], st;
	pid_t pid, seen = 0;

	if (pipe(fds))
		return (void)check(0, "pipe: %s", strerror(errno));
	pid = fork();
	if (pid == 0) {
		pid_t me = getpid();

		write(fds[1], &me, sizeof(me));
		kill(me, SIGTERM);
		_exit(1);
	}
	read(fds[0], &seen, sizeof(seen));
	st = wait_status(pid);
	check(seen == pid, "the child's getpid() is fork's return value (%d, %d)", seen, pid);
	check(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM,
	      "a child killed by SIGTERM: waitpid says so (status %#x)", st);
	close(fds[0]);
	close(fds[1]);
}

static void many_forks(void)
{
	int i, good = 0;

	for (i = 0; i < 20; i++) {
		pid_t pid = fork();
		int st;

		if (pid == 0)
			_exit(i);
		st = wait_status(pid);
		good += WIFEXITED(st) && WEXITSTATUS(st) == i;
	}
	check(good == 20, "20 forks in a row, each status right (%d)", good);
}

/*
 * A fork that fails after the checks (here ENOMEM: a pid namespace whose
 * init has exited takes no new process) leaves the stack as it was: on
 * UKL no child ran over it, and nothing is put back.  0, or what went
 * wrong: 12 the fork did not fail so, 13 the frame below changed.
 */
static __attribute__((noinline)) int fork_fails(void)
{
	volatile unsigned long pattern[64];
	int i, err;
	pid_t pid;

	for (i = 0; i < 64; i++)
		pattern[i] = 0xfa11ed00UL + i;
	errno = 0;
	pid = fork_and_return();
	err = errno;
	if (pid == 0)
		_exit(0);
	if (pid > 0)
		wait_status(pid);
	if (pid != -1 || err != ENOMEM)
		return 12;
	for (i = 0; i < 64; i++)
		if (pattern[i] != 0xfa11ed00UL + i)
			return 13;
	return 0;
}

static void failed_fork(void)
{
	pid_t pid = fork(), first;
	int st;

	if (pid == 0) {
		/* In a child: the app's own forks stay in its namespace. */
		if (unshare(CLONE_NEWPID))
			_exit(10);
		first = fork_and_return();
		if (first == 0)
			_exit(0);
		st = wait_status(first);
		if (first < 0 || !WIFEXITED(st) || WEXITSTATUS(st))
			_exit(11);
		/*
		 * A frame of other contents where the failing fork's will be.
		 * A kernel that put back a stale copy of the stack after the
		 * failed fork returns into the fork above, with -1: 11.
		 */
		scribble(8);
		_exit(fork_fails());
	}
	st = wait_status(pid);
	check(pid > 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "a fork that fails (ENOMEM: the pid namespace's init has exited) returns -1 with the stack as it was (status %#x)",
	      st);
}

/* A raw clone that would copy the process: on UKL the same child as fork. */
static void raw_clone(void)
{
	pid_t pid = syscall(SYS_clone, SIGCHLD, 0, NULL, NULL, 0);
	int st;

	if (pid == 0)
		_exit(6);
	st = wait_status(pid);
	check(pid > 0 && WIFEXITED(st) && WEXITSTATUS(st) == 6,
	      "a raw clone(SIGCHLD) without CLONE_VM: the child's _exit(6) is the status (status %#x)",
	      st);
}

static void *spinner(void *arg)
{
	volatile int *stop = arg;

	while (!*stop)
		sleep_ms(5);
	return NULL;
}

/*
 * vfork: the child shares the parent's memory until it exits (on UKL as
 * on Linux; the baseline program's vfork is a fork, see glibc's vfork.S),
 * so its write to the parent's variable stays.  It calls functions deep
 * below the parent's stack pointer before it exits: the parent returns
 * from vfork all the same.  A vfork while another thread runs is allowed.
 */
static void test_vfork(void)
{
	volatile int written = 0, stop = 0;
	pthread_t t;
	pid_t pid;
	int st;

	pid = vfork();
	if (pid == 0) {
		written = 42;
		scribble(16);
		_exit(9);
	}
	st = wait_status(pid);
	check(pid > 0 && WIFEXITED(st) && WEXITSTATUS(st) == 9,
	      "vfork: the child's _exit(9) is the status, after it called 16 KiB deep (status %#x)", st);
	if (in_ukl())
		check(written == 42, "UKL: the vfork child's write to the parent's variable stays (%d)",
		      written);
	else
		check(written == 0,
		      "the baseline program: its vfork is a fork, the child's write is its own (%d)",
		      written);

	pthread_create(&t, NULL, spinner, (void *)&stop);
	pid = vfork();
	if (pid == 0)
		_exit(3);
	st = wait_status(pid);
	stop = 1;
	pthread_join(t, NULL);
	check(pid > 0 && WIFEXITED(st) && WEXITSTATUS(st) == 3,
	      "vfork while another thread runs: the child's _exit(3) is the status (%d, status %#x)",
	      pid, st);
}

#define PIPE_BYTES	(1 << 20)

/*
 * A child that writes 1 MiB to a pipe its parent reads after fork returns.
 * On Linux the parent reads it all.  On UKL the parent waits for the
 * child, the pipe fills (64 KiB) and no one else has it open for reading:
 * the write fails with EDEADLK instead of waiting for ever.  0: all
 * written; 3: EDEADLK after a full pipe; 4: anything else.
 */
static int fill_pipe(int fd)
{
	static char buf[PIPE_BYTES];
	long done = 0;
	ssize_t n;

	memset(buf, 'p', sizeof(buf));
	while (done < PIPE_BYTES) {
		n = write(fd, buf + done, PIPE_BYTES - done);
		if (n < 0)
			return errno == EDEADLK && done == 65536 ? 3 : 4;
		done += n;
	}
	return 0;
}

static long drain(int fd)
{
	static char buf[65536];
	long total = 0;
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) > 0)
		total += n;
	return n < 0 ? -1 : total;
}

static void pipe_deadlock(void)
{
	char *argv[] = { HELPER, "drain", NULL };
	posix_spawn_file_actions_t fa;
	int p[2], q[2], r[2], st, err;
	char c = 0, out[32] = "";
	long got;
	pid_t pid, helper;

	if (pipe(p) || pipe(q) || pipe(r))
		return (void)check(0, "pipe: %s", strerror(errno));
	/* The child writes, the parent reads after fork returns. */
	pid = fork();
	if (pid == 0)
		_exit(fill_pipe(p[1]));
	close(p[1]);
	got = drain(p[0]);
	close(p[0]);
	st = wait_status(pid);
	if (in_ukl())
		check(got == 65536 && WIFEXITED(st) && WEXITSTATUS(st) == 3,
		      "UKL: a fork child's write to a full pipe only its waiting parent reads fails with EDEADLK (read %ld, status %#x)",
		      got, st);
	else
		check(got == PIPE_BYTES && WIFEXITED(st) && WEXITSTATUS(st) == 0,
		      "Linux: the parent reads all the child writes to the pipe (read %ld, status %#x)",
		      got, st);

	/* The child reads, the parent writes after fork returns. */
	pid = fork();
	if (pid == 0) {
		ssize_t n = read(q[0], &c, 1);

		_exit(n == 1 && c == 'q' ? 0 : n < 0 && errno == EDEADLK ? 3 : 4);
	}
	err = write(q[1], "q", 1) == 1 ? 0 : errno;
	st = wait_status(pid);
	close(q[0]);
	close(q[1]);
	if (in_ukl())
		check(!err && WIFEXITED(st) && WEXITSTATUS(st) == 3,
		      "UKL: a fork child's read of an empty pipe only its waiting parent writes fails with EDEADLK (status %#x)",
		      st);
	else
		check(!err && WIFEXITED(st) && WEXITSTATUS(st) == 0,
		      "Linux: the child reads what the parent writes after the fork (status %#x)", st);

	/* With a third process reading the pipe, the child's write just waits. */
	if (pipe(p))
		return (void)check(0, "pipe: %s", strerror(errno));
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, p[0], 0);
	posix_spawn_file_actions_adddup2(&fa, r[1], 1);
	posix_spawn_file_actions_addclose(&fa, p[1]);
	posix_spawn_file_actions_addclose(&fa, r[0]);
	err = posix_spawn(&helper, HELPER, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(r[1]);
	if (!check(!err, "posix_spawn of the draining helper (%d)", err))
		return;
	pid = fork();
	if (pid == 0)
		_exit(fill_pipe(p[1]));
	close(p[0]);
	close(p[1]);
	st = wait_status(pid);
	got = read(r[0], out, sizeof(out) - 1);
	out[got > 0 ? got : 0] = 0;
	out[strcspn(out, "\n")] = 0;
	close(r[0]);
	wait_status(helper);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 0 && atol(out) == PIPE_BYTES,
	      "a fork child's 1 MiB write to a pipe a helper drains completes (status %#x, drained %s)",
	      st, out[0] ? out : "nothing");
}

/*
 * io_uring work punted to its workers (IOSQE_ASYNC) leaves io-wq worker
 * threads in the app's thread group; they run no app code, and fork
 * still works.
 */
static void io_uring_then_fork(void)
{
	struct io_uring_params prm;
	unsigned int *sq_tail, *sq_array, *cq_head, *cq_tail, mask;
	struct io_uring_sqe *sqes;
	struct io_uring_cqe *cqes;
	void *sq, *cq;
	int fd, ret, st, threads = 0;
	char line[128];
	FILE *status;
	pid_t pid;

	memset(&prm, 0, sizeof(prm));
	fd = syscall(SYS_io_uring_setup, 4, &prm);
	if (!check(fd >= 0, "io_uring_setup (%s)", fd < 0 ? strerror(errno) : "ok"))
		return;
	sq = mmap(NULL, prm.sq_off.array + prm.sq_entries * sizeof(unsigned int),
		  PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd, IORING_OFF_SQ_RING);
	cq = mmap(NULL, prm.cq_off.cqes + prm.cq_entries * sizeof(struct io_uring_cqe),
		  PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd, IORING_OFF_CQ_RING);
	sqes = mmap(NULL, prm.sq_entries * sizeof(struct io_uring_sqe),
		    PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd, IORING_OFF_SQES);
	if (!check(sq != MAP_FAILED && cq != MAP_FAILED && sqes != MAP_FAILED,
		   "the io_uring rings are mapped"))
		return;
	sq_tail = (unsigned int *)((char *)sq + prm.sq_off.tail);
	sq_array = (unsigned int *)((char *)sq + prm.sq_off.array);
	mask = *(unsigned int *)((char *)sq + prm.sq_off.ring_mask);
	cq_head = (unsigned int *)((char *)cq + prm.cq_off.head);
	cq_tail = (unsigned int *)((char *)cq + prm.cq_off.tail);
	cqes = (struct io_uring_cqe *)((char *)cq + prm.cq_off.cqes);
	memset(&sqes[0], 0, sizeof(sqes[0]));
	sqes[0].opcode = IORING_OP_NOP;
	sqes[0].flags = IOSQE_ASYNC;
	sqes[0].user_data = 0x1234;
	sq_array[*sq_tail & mask] = 0;
	__atomic_store_n(sq_tail, *sq_tail + 1, __ATOMIC_RELEASE);
	ret = syscall(SYS_io_uring_enter, fd, 1, 1, IORING_ENTER_GETEVENTS, NULL, 0);
	check(ret == 1 && __atomic_load_n(cq_tail, __ATOMIC_ACQUIRE) != *cq_head &&
	      cqes[*cq_head & (prm.cq_entries - 1)].user_data == 0x1234,
	      "an io_uring NOP punted to a worker (IOSQE_ASYNC) completes (%d)", ret);
	status = fopen("/proc/self/status", "r");
	while (status && fgets(line, sizeof(line), status))
		sscanf(line, "Threads: %d", &threads);
	if (status)
		fclose(status);
	check(threads > 1, "the app has io-wq worker threads (Threads: %d)", threads);

	pid = fork();
	if (pid == 0)
		_exit(5);
	st = pid > 0 ? wait_status(pid) : -1;
	check(pid > 0 && WIFEXITED(st) && WEXITSTATUS(st) == 5,
	      "fork after io_uring work (its workers are threads of the app): status %#x (%s)",
	      st, pid < 0 ? strerror(errno) : "forked");
	close(fd);
}

/* Runs @argv with its stdout into a pipe; returns the first line read. */
static void run_capture(char *const argv[], char *out, size_t size, int *status)
{
	int fds[2];
	ssize_t n = 0, r;
	pid_t pid;

	*out = 0;
	*status = -1;
	if (pipe(fds))
		return;
	pid = fork();
	if (pid == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		execv(argv[0], argv);
		_exit(127);
	}
	close(fds[1]);
	while (n < (ssize_t)size - 1 && (r = read(fds[0], out + n, size - 1 - n)) > 0)
		n += r;
	out[n > 0 ? n : 0] = 0;
	out[strcspn(out, "\n")] = 0;
	close(fds[0]);
	*status = wait_status(pid);
}

static void fork_exec(void)
{
	char *exit42[] = { HELPER, "exit", "42", NULL };
	char *echo[] = { HELPER, "echo", "hello", "from", "a", "helper", NULL };
	char *kptr[] = { HELPER, "kernel-ptr", NULL };
	char out[512];
	int st;
	pid_t pid;

	pid = fork();
	if (pid == 0) {
		execv(exit42[0], exit42);
		_exit(127);
	}
	st = wait_status(pid);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 42,
	      "fork + execv of a static helper program: its exit status 42 (status %#x)", st);

	run_capture(echo, out, sizeof(out), &st);
	check(!strcmp(out, "hello from a helper") && WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "the helper's output comes back through a pipe ('%s')", out);

	run_capture(kptr, out, sizeof(out), &st);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "a helper's system calls with kernel pointers fail with EFAULT (status %#x)", st);
	if (!(WIFEXITED(st) && WEXITSTATUS(st) == 0))
		diag("%s", out);
}

static void spawn(void)
{
	char *argv[] = { HELPER, "env", "UKL_SPAWN", NULL };
	char *envp[] = { "UKL_SPAWN=spawned", NULL };
	posix_spawn_file_actions_t fa;
	char out[128] = "";
	int fds[2], st = -1, err;
	ssize_t n;
	pid_t pid = 0;

	if (pipe(fds))
		return (void)check(0, "pipe: %s", strerror(errno));
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
	posix_spawn_file_actions_addclose(&fa, fds[0]);
	err = posix_spawn(&pid, HELPER, &fa, NULL, argv, envp);
	close(fds[1]);
	n = err ? 0 : read(fds[0], out, sizeof(out) - 1);
	out[n > 0 ? n : 0] = 0;
	out[strcspn(out, "\n")] = 0;
	if (!err)
		st = wait_status(pid);
	close(fds[0]);
	check(!err && !strcmp(out, "spawned") && WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "posix_spawn with an environment and a dup2: output '%s', error %d, status %#x",
	      out, err, st);
	err = posix_spawn(&pid, "/bin/no-such-program", NULL, NULL, argv, environ);
	check(err == ENOENT, "posix_spawn of a missing program: ENOENT (%d)", err);
}

static void shell(void)
{
	char line[128] = "";
	FILE *p;
	int st;

	st = system(HELPER " exit 3");
	check(WIFEXITED(st) && WEXITSTATUS(st) == 3,
	      "system(\"" HELPER " exit 3\"): status 3 (%#x)", st);
	st = system("echo through-the-shell > /tmp/system.out && test -s /tmp/system.out");
	check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "system() with redirection and && (%#x)", st);
	p = popen("echo popen-works; " HELPER " echo second line", "r");
	if (p) {
		char rest[128];

		if (!fgets(line, sizeof(line), p))
			line[0] = 0;
		line[strcspn(line, "\n")] = 0;
		/* Read to the end: a pipe closed early would kill the writer. */
		while (fgets(rest, sizeof(rest), p))
			;
	}
	st = p ? pclose(p) : -1;
	check(p && !strcmp(line, "popen-works") && WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "popen(\"echo ...\", \"r\"): '%s', pclose status %#x", line, st);
}

static void refused(void)
{
	static char buf[16];
	volatile int stop = 0;
	void *phdr = (void *)getauxval(AT_PHDR);
	int zero = open("/dev/zero", O_RDONLY), err;
	ssize_t n;
	pthread_t t;
	pid_t pid;

	check(read(zero, buf, sizeof(buf)) == sizeof(buf),
	      "read into the app's own .bss works");
	errno = 0;
	n = read(zero, phdr, 8);
	err = errno;
	check(n == -1 && err == EFAULT,
	      "read into the program headers (AT_PHDR, not the app's data): EFAULT (errno %d)", err);
	close(zero);

	pthread_create(&t, NULL, spinner, (void *)&stop);
	errno = 0;
	pid = fork();
	if (pid == 0)
		_exit(0);
	if (in_ukl()) {
		check(pid == -1 && errno == ENOSYS,
		      "UKL: fork while another thread runs is refused with ENOSYS (%d, errno %d)",
		      pid, errno);
	} else {
		int st = wait_status(pid);

		check(pid > 0 && WIFEXITED(st), "Linux: fork while another thread runs works");
	}
	stop = 1;
	pthread_join(t, NULL);

	if (in_ukl()) {
		char *argv[] = { HELPER, "exit", "0", NULL };

		errno = 0;
		n = execv(HELPER, argv);
		err = errno;
		check(n == -1 && err == ENOSYS,
		      "UKL: execve by the app itself (not a fork child) is refused with ENOSYS (errno %d)",
		      err);
	} else {
		skip("Linux execs the program: nothing to refuse",
		     "UKL: execve by the app itself is refused");
	}
}

/*
 * A helper program reaching into the app: on Linux root may attach to any
 * process and write its memory; on UKL the app is ring-0 code, which
 * nothing outside it may change (a ptrace POKEUSER of rip would be a jump
 * to any kernel address in ring 0), so each way is refused, with the
 * errno Linux gives when the credentials forbid it: EPERM, and EACCES for
 * opening /proc/PID/mem.  process_vm_writev is ENOSYS on both when the
 * kernel has no CONFIG_CROSS_MEMORY_ATTACH (the test kernels).
 */
static void reach(void)
{
	volatile char *target = malloc(64);
	char pid[16], addr[32], out[256];
	char *argv[] = { HELPER, "reach", pid, addr, NULL };
	char r_ptrace[32], r_mem[32], r_vm[32], r_refs[32];
	int st, n;

	if (!check(target != NULL, "a heap byte for the helper to aim at"))
		return;
	*target = 1;
	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	snprintf(addr, sizeof(addr), "%#lx", (unsigned long)target);
	run_capture(argv, out, sizeof(out), &st);
	n = sscanf(out, "ptrace=%31s mem=%31s vm_writev=%31s clear_refs=%31s",
		   r_ptrace, r_mem, r_vm, r_refs);
	if (!check(n == 4, "the helper reports its four attempts ('%s')", out))
		return;
	if (in_ukl()) {
		check(!strcmp(r_ptrace, "EPERM"), "UKL: a helper's PTRACE_SEIZE of the app: %s", r_ptrace);
		check(!strcmp(r_mem, "EACCES"), "UKL: a helper's open of /proc/PID/mem: %s", r_mem);
		check(!strcmp(r_vm, "EPERM") || !strcmp(r_vm, "ENOSYS"),
		      "UKL: a helper's process_vm_writev: %s", r_vm);
		check(!strcmp(r_refs, "EPERM"), "UKL: a helper's write to /proc/PID/clear_refs: %s", r_refs);
		check(*target == 1, "UKL: the app's memory is unchanged (byte %d)", *target);
	} else {
		check(!strcmp(r_ptrace, "ok"), "Linux: a root helper's PTRACE_SEIZE of init: %s", r_ptrace);
		check(!strcmp(r_mem, "ok"), "Linux: a root helper's write through /proc/PID/mem: %s", r_mem);
		check(!strcmp(r_vm, "ok") || !strcmp(r_vm, "ENOSYS"),
		      "Linux: a root helper's process_vm_writev: %s", r_vm);
		check(!strcmp(r_refs, "ok"), "Linux: a root helper's write to /proc/PID/clear_refs: %s", r_refs);
		check(*target == 0x5a, "Linux: the helper changed init's memory (byte %#x)", *target);
	}
	free((void *)target);
}

int proc_fork(int argc, char **argv)
{
	tap_begin();
	need_tmp();
	diag("running in ring %d", in_ukl() ? 0 : 3);
	simple_fork();
	child_runs_first();
	private_memory();
	stack_restored();
	thread_state_restored();
	child_pid_and_signal();
	many_forks();
	failed_fork();
	test_vfork();
	pipe_deadlock();
	io_uring_then_fork();
	raw_clone();
	fork_exec();
	spawn();
	shell();
	refused();
	reach();
	return tap_end();
}
