// SPDX-License-Identifier: GPL-2.0
/*
 * identity: who the program is.  PID 1 with parent 0 (both kernels run it
 * as init), thread ids, uid 0, uname, RLIMIT_NOFILE, the number of CPUs
 * against /proc/cpuinfo, /proc/self/exe and program_invocation_short_name.
 */
#include "tap.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "proc.h"

static pid_t thread_tid, thread_pid;

static void *who(void *arg)
{
	(void)arg;
	thread_tid = gettid();
	thread_pid = getpid();
	return NULL;
}

/* Lines of /proc/cpuinfo that start with "processor". */
static int cpuinfo_processors(void)
{
	FILE *f = fopen(proc_path("cpuinfo"), "re");
	char line[512];
	int n = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "processor", 9))
			n++;
	fclose(f);
	return n;
}

int proc_identity(int argc, char **argv)
{
	struct rlimit rl, pl;
	struct utsname un = { 0 };
	char exe[4096];
	const char *base;
	pthread_t t;
	ssize_t n;
	long cpus;
	int procs, ok;

	(void)argc;
	tap_begin();
	need_proc();
	check(getpid() == 1, "getpid() == 1 (%d)", (int)getpid());
	check(getppid() == 0, "getppid() == 0 (%d)", (int)getppid());
	check(gettid() == getpid(), "gettid() == getpid() in the main thread");
	ok = pthread_create(&t, NULL, who, NULL) == 0 && join_ms(t, NULL, 5000) == 0;
	check(ok && thread_tid != getpid() && thread_tid > 0 && thread_pid == getpid(),
	      "another thread: its own gettid() (%d), the same getpid()", (int)thread_tid);
	check(getuid() == 0 && geteuid() == 0 && getgid() == 0, "uid, euid and gid are 0");

	check(uname(&un) == 0 && !strcmp(un.sysname, "Linux"), "uname: sysname \"%s\"", un.sysname);
	check(!strncmp(un.release, "6.12", 4), "uname: release \"%s\" starts with 6.12", un.release);
	diag("uname: %s %s %s %s", un.nodename, un.release, un.version, un.machine);

	ok = getrlimit(RLIMIT_NOFILE, &rl) == 0;
	check(ok && rl.rlim_cur > 0 && rl.rlim_cur <= rl.rlim_max,
	      "getrlimit(RLIMIT_NOFILE): %llu / %llu", (unsigned long long)rl.rlim_cur,
	      (unsigned long long)rl.rlim_max);
	check(prlimit(0, RLIMIT_NOFILE, NULL, &pl) == 0 && pl.rlim_cur == rl.rlim_cur &&
	      pl.rlim_max == rl.rlim_max, "prlimit(RLIMIT_NOFILE) reads the same limits");
	check(prlimit(0, RLIMIT_NOFILE, &rl, NULL) == 0, "prlimit(RLIMIT_NOFILE) sets them");

	cpus = sysconf(_SC_NPROCESSORS_ONLN);
	procs = cpuinfo_processors();
	check(cpus >= 1 && cpus == procs, "sysconf(_SC_NPROCESSORS_ONLN) = %ld = processors in "
	      "/proc/cpuinfo (%d)", cpus, procs);

	n = readlink(proc_path("self/exe"), exe, sizeof(exe) - 1);
	if (n >= 0)
		exe[n] = 0;
	check(n > 0, "readlink(%s) succeeds", proc_path("self/exe"));
	diag("%s -> %s", proc_path("self/exe"), n > 0 ? exe : strerror(errno));

	base = argv[0] ? strrchr(argv[0], '/') : NULL;
	base = base ? base + 1 : argv[0];
	diag("argv[0] \"%s\", program_invocation_short_name \"%s\"", argv[0] ? argv[0] : "(null)",
	     program_invocation_short_name);
	check(base && !strcmp(program_invocation_short_name, base),
	      "program_invocation_short_name equals basename(argv[0])");
	return tap_end();
}

/*
 * layout: where the stack, the heap (brk) and the first mmap are, one
 * line, for tests that boot twice and compare (address space layout
 * randomization, and norandmaps).
 */
int proc_layout(int argc, char **argv)
{
	volatile char here = 0;
	void *brk0 = sbrk(0);
	void *map = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	(void)argc;
	(void)argv;
	printf("layout: stack=%#lx brk=%#lx mmap=%#lx\n", (unsigned long)&here,
	       (unsigned long)brk0, (unsigned long)map);
	return map == MAP_FAILED;
}
