// SPDX-License-Identifier: GPL-2.0
/*
 * conf-batch LIST FIRST COUNT: runs tests FIRST .. FIRST+COUNT-1 of LIST,
 * one after the other, in one boot of the baseline guest
 * (tests/conformance/conformance, the linux and linux_ukl_libc columns).
 *
 * It runs as PID 1 (exec'ed by link/baseline-init.c, which mounts /proc,
 * /sys, /dev and /tmp first).  Each line of LIST is one test:
 *
 *	LIMIT WORD...
 *
 * LIMIT is the test's time limit in seconds; the WORDs are its argv (the
 * program's path first), percent-encoded as scripts/run-qemu encodes the
 * words for init.  For each test it prints on the console (by /dev/kmsg)
 *
 *	conf-batch: begin N
 *	conf-batch: end N status S SECONDS	(S: the exit status, 128+SIG for a signal)
 *	conf-batch: end N timeout SECONDS
 *
 * and between two tests it kills every process the test left behind
 * (kill(-1) from PID 1) and mounts a fresh /tmp, so that each test starts
 * as if it were the only one.  After the last: "conf-batch: done", exit 0.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_WORDS 256

/* Decodes @w in place (link/baseline-init.c's encoding); -1 if it is not in it. */
static int decode(char *w)
{
	char *out = w, hex[3] = "";

	if (!strcmp(w, "%")) {
		*w = '\0';
		return 0;
	}
	for (; *w; w++) {
		if (*w != '%') {
			*out++ = *w;
			continue;
		}
		if (!isxdigit((unsigned char)w[1]) || !isxdigit((unsigned char)w[2]))
			return -1;
		memcpy(hex, w + 1, 2);
		*out++ = (char)strtol(hex, NULL, 16);
		w += 2;
	}
	*out = '\0';
	return 0;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * A line of our own on the console.  Through /dev/kmsg it is one printk
 * record, which the kernel's own messages cannot split as they can split
 * a write to the console's tty (the boot has printk.devkmsg=on, so none is
 * dropped); on the tty, if /dev/kmsg does not open, it starts a line.
 */
static int kmsg = -1;

static void report(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void report(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	buf[0] = '\n';
	va_start(ap, fmt);
	n = vsnprintf(buf + 1, sizeof(buf) - 2, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	n = strlen(buf);
	buf[n++] = '\n';
	if (kmsg >= 0 && write(kmsg, buf + 1, n - 1) == n - 1)
		return;
	if (write(STDOUT_FILENO, buf, n) < 0)
		return;
}

/* Every process but us killed and reaped; a fresh tmpfs on /tmp. */
static void clean_up(void)
{
	kill(-1, SIGKILL);
	while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
		;
	if (umount2("/tmp", MNT_DETACH) && errno != EINVAL)
		fprintf(stderr, "conf-batch: umount /tmp: %s\n", strerror(errno));
	if (mount("tmpfs", "/tmp", "tmpfs", 0, "mode=1777"))
		fprintf(stderr, "conf-batch: mount /tmp: %s\n", strerror(errno));
}

/*
 * Runs @argv with @limit seconds (0: none); its wait status, or -1 for a
 * timeout.  SIGCHLD is blocked in us and waited for with sigtimedwait.
 */
static int run_one(char **argv, long limit, const sigset_t *old)
{
	double end = now() + limit;
	sigset_t chld;
	pid_t pid;

	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "conf-batch: fork: %s\n", strerror(errno));
		return 127 << 8;
	}
	if (!pid) {
		sigprocmask(SIG_SETMASK, old, NULL);
		execv(argv[0], argv);
		fprintf(stderr, "conf-batch: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	for (;;) {
		int status;
		pid_t got;

		/* Its orphans are ours too: reap them all, look for the test. */
		while ((got = waitpid(-1, &status, WNOHANG)) > 0)
			if (got == pid)
				return status;
		if (limit) {
			double left = end - now();
			struct timespec ts;

			if (left <= 0)
				return -1;
			ts.tv_sec = (time_t)left;
			ts.tv_nsec = (long)((left - ts.tv_sec) * 1e9);
			sigtimedwait(&chld, NULL, &ts);
		} else {
			sigwaitinfo(&chld, NULL);
		}
	}
}

int main(int argc, char **argv)
{
	long first, count, index = 0;
	char line[16384];
	sigset_t chld, old;
	FILE *list;

	if (argc != 4) {
		fprintf(stderr, "usage: conf-batch LIST FIRST COUNT\n");
		return 2;
	}
	first = atol(argv[2]);
	count = atol(argv[3]);
	list = fopen(argv[1], "r");
	if (!list) {
		fprintf(stderr, "conf-batch: %s: %s\n", argv[1], strerror(errno));
		return 2;
	}
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, &old);
	setvbuf(stdout, NULL, _IONBF, 0);
	kmsg = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);

	for (; fgets(line, sizeof(line), list); index++) {
		char *words[MAX_WORDS + 1], *w, *save = NULL;
		int n = 0, status;
		long limit;
		double t0;

		if (index < first)
			continue;
		if (index >= first + count)
			break;
		if (!strchr(line, '\n')) {
			fprintf(stderr, "conf-batch: %s: line %ld is too long\n", argv[1], index + 1);
			return 2;
		}
		w = strtok_r(line, " \n", &save);
		limit = w ? atol(w) : -1;
		while ((w = strtok_r(NULL, " \n", &save)) && n < MAX_WORDS) {
			if (decode(w)) {
				fprintf(stderr, "conf-batch: %s: line %ld: %s is not percent-encoded\n",
					argv[1], index + 1, w);
				return 2;
			}
			words[n++] = w;
		}
		words[n] = NULL;
		if (limit < 0 || !n || w) {
			fprintf(stderr, "conf-batch: %s: line %ld: want LIMIT WORD... (at most %d words)\n",
				argv[1], index + 1, MAX_WORDS);
			return 2;
		}

		report("conf-batch: begin %ld", index);
		t0 = now();
		status = run_one(words, limit, &old);
		if (status == -1)
			report("conf-batch: end %ld timeout %.1f", index, now() - t0);
		else
			report("conf-batch: end %ld status %d %.1f", index,
			       WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status),
			       now() - t0);
		clean_up();
	}
	if (index < first + count) {
		fprintf(stderr, "conf-batch: %s has %ld tests, not %ld\n", argv[1], index,
			first + count);
		return 2;
	}
	report("conf-batch: done");
	return 0;
}
