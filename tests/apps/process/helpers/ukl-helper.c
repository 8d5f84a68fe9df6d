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
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
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
	fprintf(stderr, "usage: ukl-helper exit N | echo WORD... | env NAME | kernel-ptr\n");
	return 2;
}
