// SPDX-License-Identifier: GPL-2.0
/*
 * ukl-helper: an ordinary static Linux program (the host's gcc and libc),
 * in /bin of the process app's file system, run by the fork area through
 * fork + exec, posix_spawn, system and popen.  On a UKL kernel it runs in
 * ring 3 as a normal process.
 *   ukl-helper exit N        exit with status N
 *   ukl-helper echo WORD...  print the words, one line
 *   ukl-helper env NAME      print the value of NAME
 *   ukl-helper kernel-ptr    system calls with kernel-half pointers must
 *                            fail with EFAULT; exit 0 if all did
 *   ukl-helper drain         read stdin to its end; print the bytes read
 *   ukl-helper reach PID ADDR
 *                            what this program can do to process PID:
 *                            PTRACE_SEIZE, write 0x5a at ADDR through
 *                            /proc/PID/mem and process_vm_writev, write
 *                            "1" to /proc/PID/clear_refs; one line,
 *                            "ptrace=R mem=R vm_writev=R clear_refs=R",
 *                            R "ok" or the errno's name
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* The start of the kernel image (x86-64, no KASLR): mapped, never ours. */
#define KERNEL_PTR ((void *)0xffffffff81000000UL)

static int bad;

static void expect_efault(long ret, const char *what)
{
	int ok = ret == -1 && errno == EFAULT;

	printf("ukl-helper: %s with a kernel pointer: %s (ret %ld, errno %d)\n",
	       what, ok ? "EFAULT" : "NOT EFAULT", ret, ret == -1 ? errno : 0);
	bad |= !ok;
}

static int kernel_ptr(void)
{
	int zero = open("/dev/zero", O_RDONLY);
	int null = open("/dev/null", O_WRONLY);
	int sock = socket(AF_INET, SOCK_DGRAM, 0);
	int type;

	if (zero < 0 || null < 0 || sock < 0) {
		printf("ukl-helper: cannot open /dev/zero, /dev/null or a socket\n");
		return 1;
	}
	errno = 0;
	expect_efault(read(zero, KERNEL_PTR, 8), "read (copy_to_user)");
	expect_efault(write(null, KERNEL_PTR, 8), "write (copy_from_user)");
	/* The syscall: glibc's clock_gettime would use the vDSO in user mode. */
	expect_efault(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, KERNEL_PTR),
		      "clock_gettime (copy_to_user)");
	expect_efault(getsockopt(sock, SOL_SOCKET, SO_TYPE, &type, KERNEL_PTR),
		      "getsockopt's optlen (get_user)");
	expect_efault(open(KERNEL_PTR, O_RDONLY), "open (strncpy_from_user)");
	expect_efault(prctl(PR_SET_NAME, KERNEL_PTR), "prctl PR_SET_NAME (strncpy_from_user)");
	return bad;
}

static const char *result(int ok)
{
	if (ok)
		return "ok";
	switch (errno) {
	case EPERM:	return "EPERM";
	case EACCES:	return "EACCES";
	case EIO:	return "EIO";
	case EFAULT:	return "EFAULT";
	case ESRCH:	return "ESRCH";
	case ENOSYS:	return "ENOSYS";
	default:	return strerror(errno);
	}
}

static int reach(pid_t pid, unsigned long addr)
{
	char path[64], v = 0x5a;
	struct iovec local = { &v, 1 }, remote = { (void *)addr, 1 };
	const char *r_ptrace, *r_mem, *r_vm, *r_refs;
	int fd;

	/* Seize, not attach: init ignores the SIGSTOP an attach sends. */
	r_ptrace = result(ptrace(PTRACE_SEIZE, pid, 0, 0) == 0);
	snprintf(path, sizeof(path), "/proc/%d/mem", (int)pid);
	fd = open(path, O_RDWR | O_CLOEXEC);
	r_mem = result(fd >= 0 && pwrite(fd, &v, 1, (off_t)addr) == 1);
	if (fd >= 0)
		close(fd);
	r_vm = result(process_vm_writev(pid, &local, 1, &remote, 1, 0) == 1);
	snprintf(path, sizeof(path), "/proc/%d/clear_refs", (int)pid);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	r_refs = result(fd >= 0 && write(fd, "1", 1) == 1);
	if (fd >= 0)
		close(fd);
	printf("ptrace=%s mem=%s vm_writev=%s clear_refs=%s\n", r_ptrace, r_mem, r_vm, r_refs);
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc >= 3 && !strcmp(argv[1], "exit"))
		return atoi(argv[2]);
	if (argc >= 2 && !strcmp(argv[1], "echo")) {
		for (int i = 2; i < argc; i++)
			printf("%s%s", argv[i], i + 1 < argc ? " " : "");
		printf("\n");
		return 0;
	}
	if (argc >= 3 && !strcmp(argv[1], "env")) {
		const char *v = getenv(argv[2]);

		printf("%s\n", v ? v : "(unset)");
		return 0;
	}
	if (argc >= 2 && !strcmp(argv[1], "kernel-ptr"))
		return kernel_ptr();
	if (argc >= 2 && !strcmp(argv[1], "drain")) {
		static char buf[65536];
		long total = 0;
		ssize_t n;

		while ((n = read(0, buf, sizeof(buf))) > 0)
			total += n;
		printf("%ld\n", total);
		return n < 0;
	}
	if (argc >= 4 && !strcmp(argv[1], "reach"))
		return reach(atoi(argv[2]), strtoul(argv[3], NULL, 0));
	fprintf(stderr, "usage: ukl-helper exit N | echo WORD... | env NAME | kernel-ptr | drain | reach PID ADDR\n");
	return 2;
}
