// SPDX-License-Identifier: GPL-2.0
/*
 * files: file system calls under /tmp (open, read, write, pread, pwrite,
 * lseek, fstat, ftruncate, fsync, rename, unlink, mkdir, rmdir, opendir,
 * readdir, symlink, readlink); /proc files; /dev/null, /dev/zero and
 * /dev/urandom; pipes, socketpair, eventfd, poll, select and epoll between
 * two threads; and /data/hello.txt from the app's rootfs/ (UKL_ROOTFS).
 */
#include "tap.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "proc.h"

#define LIMIT	5000	/* ms */

static char dir[64], path_a[96], path_b[96], path_l[96];

static void fill(char *buf, size_t size, int seed)
{
	size_t i;

	for (i = 0; i < size; i++)
		buf[i] = (char)(seed + i * 13 + (i >> 8));
}

/* Reads @size bytes in full (short reads are fine); 1 if all came. */
static int read_full(int fd, void *buf, size_t size)
{
	char *p = buf;

	while (size) {
		ssize_t n = read(fd, p, size);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return 0;
		p += n;
		size -= n;
	}
	return 1;
}

/* files and directories */

static void file_test(void)
{
	static char out[10000], in[10000];
	char link[128];
	struct stat st;
	ssize_t n;
	int fd, ok;

	snprintf(dir, sizeof(dir), "/tmp/proc-files.%d", (int)getpid());
	snprintf(path_a, sizeof(path_a), "%s/a", dir);
	snprintf(path_b, sizeof(path_b), "%s/b", dir);
	snprintf(path_l, sizeof(path_l), "%s/link", dir);

	check(mkdir(dir, 0755) == 0 && stat(dir, &st) == 0 && S_ISDIR(st.st_mode),
	      "mkdir %s", dir);
	fd = open(path_a, O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, 0644);
	check(fd >= 0, "open(O_CREAT | O_EXCL)");
	if (fd < 0)
		return;
	fill(out, sizeof(out), 1);
	check(write(fd, out, sizeof(out)) == sizeof(out), "write 10000 bytes");
	check(lseek(fd, 0, SEEK_CUR) == sizeof(out) && lseek(fd, 0, SEEK_SET) == 0,
	      "lseek(SEEK_CUR) is at the end; lseek(SEEK_SET)");
	memset(in, 0, sizeof(in));
	check(read_full(fd, in, sizeof(in)) && !memcmp(in, out, sizeof(in)) &&
	      read(fd, in, 1) == 0, "read gives the data back, then end of file");
	check(pread(fd, in, 100, 5000) == 100 && !memcmp(in, out + 5000, 100),
	      "pread at offset 5000");
	fill(out + 2000, 500, 2);
	check(pwrite(fd, out + 2000, 500, 2000) == 500 && pread(fd, in, 1000, 1800) == 1000 &&
	      !memcmp(in, out + 1800, 1000), "pwrite at offset 2000, read back with pread");
	check(lseek(fd, 0, SEEK_END) == sizeof(out) && lseek(fd, -10, SEEK_END) == sizeof(out) - 10,
	      "lseek(SEEK_END)");
	check(fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size == sizeof(out) &&
	      (st.st_mode & 0777) == 0644, "fstat: regular file, 10000 bytes, mode 0644");
	check(ftruncate(fd, 100) == 0 && fstat(fd, &st) == 0 && st.st_size == 100,
	      "ftruncate to 100 bytes");
	n = pread(fd, in, 200, 0);
	check(n == 100 && !memcmp(in, out, 100), "pread after ftruncate: 100 bytes left");
	check(fsync(fd) == 0 && fdatasync(fd) == 0, "fsync and fdatasync");
	check(close(fd) == 0, "close");

	check(rename(path_a, path_b) == 0 && stat(path_a, &st) == -1 && errno == ENOENT &&
	      stat(path_b, &st) == 0 && st.st_size == 100, "rename");
	memset(link, 0, sizeof(link));
	check(symlink(path_b, path_l) == 0, "symlink");
	n = readlink(path_l, link, sizeof(link) - 1);
	check(n == (ssize_t)strlen(path_b) && !strcmp(link, path_b), "readlink: %s", link);
	check(lstat(path_l, &st) == 0 && S_ISLNK(st.st_mode) && stat(path_l, &st) == 0 &&
	      S_ISREG(st.st_mode), "lstat sees the link, stat its target");
	fd = open(path_l, O_RDONLY | O_CLOEXEC);
	ok = fd >= 0 && read_full(fd, in, 100) && !memcmp(in, out, 100);
	if (fd >= 0)
		close(fd);
	check(ok, "open through the symlink reads the file");

	{
		DIR *d = opendir(dir);
		struct dirent *e;
		int seen = 0, others = 0;

		if (d) {
			while ((e = readdir(d)))
				if (!strcmp(e->d_name, "b"))
					seen |= 1;
				else if (!strcmp(e->d_name, "link"))
					seen |= 2;
				else if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
					others++;
			closedir(d);
		}
		check(d && seen == 3 && !others, "opendir/readdir list exactly b and link");
	}

	check(rmdir(dir) == -1 && errno == ENOTEMPTY, "rmdir of a non-empty directory: ENOTEMPTY");
	check(unlink(path_l) == 0 && unlink(path_b) == 0 && stat(path_b, &st) == -1 &&
	      errno == ENOENT, "unlink");
	check(rmdir(dir) == 0 && stat(dir, &st) == -1 && errno == ENOENT, "rmdir");
}

/* /proc and /dev */

static long file_size(const char *path, const char *needle, int *found)
{
	static char buf[4096];
	long total = 0;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	*found = 0;
	if (fd < 0)
		return -1;
	while ((n = read(fd, buf, sizeof(buf) - 1)) > 0) {
		buf[n] = 0;
		if (needle && strstr(buf, needle))	/* good enough: short files */
			*found = 1;
		total += n;
	}
	close(fd);
	return n < 0 ? -1 : total;
}

static void proc_dev_test(void)
{
	static const struct {
		const char *path, *needle;
	} procs[] = {
		{ "self/maps", NULL },
		{ "self/status", "Pid:" },
		{ "cpuinfo", "processor" },
	};
	char buf[256], buf2[64];
	size_t i;
	int fd, found, ok;

	need_proc();
	for (i = 0; i < sizeof(procs) / sizeof(procs[0]); i++) {
		const char *path = proc_path(procs[i].path);
		long size = file_size(path, procs[i].needle, &found);

		check(size > 0 && (!procs[i].needle || found), "%s readable and not empty (%ld bytes)",
		      path, size);
	}

	need_dev();
	fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	check(fd >= 0 && write(fd, "x", 1) == 1 && read(fd, buf, sizeof(buf)) == 0,
	      "/dev/null: write succeeds, read is end of file");
	if (fd >= 0)
		close(fd);
	fd = open("/dev/zero", O_RDONLY | O_CLOEXEC);
	memset(buf, 1, sizeof(buf));
	ok = fd >= 0 && read(fd, buf, sizeof(buf)) == sizeof(buf);
	for (i = 0; ok && i < sizeof(buf); i++)
		ok = !buf[i];
	check(ok, "/dev/zero reads zeros");
	if (fd >= 0)
		close(fd);
	fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	memset(buf, 0, sizeof(buf2));
	memset(buf2, 0, sizeof(buf2));
	ok = fd >= 0 && read(fd, buf, sizeof(buf2)) == sizeof(buf2) &&
	     read(fd, buf2, sizeof(buf2)) == sizeof(buf2) && memcmp(buf, buf2, sizeof(buf2));
	check(ok, "/dev/urandom gives two different 64-byte reads");
	if (fd >= 0)
		close(fd);
}

/* between two threads */

static int wait_in(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, ms) == 1 && (p.revents & POLLIN);
}

#define STREAM	(256 * 1024)

static int pipe_fds[2];

static void *pipe_writer(void *arg)
{
	static char buf[4096];
	long sent = 0;

	(void)arg;
	while (sent < STREAM) {
		ssize_t n;
		size_t i;

		for (i = 0; i < sizeof(buf); i++)
			buf[i] = (char)((sent + i) * 31 >> 3);
		n = write(pipe_fds[1], buf, sizeof(buf));
		if (n <= 0)
			break;
		sent += n;
	}
	return (void *)sent;
}

static void pipe_test(void)
{
	static char buf[3000];
	long got = 0, bad = 0;
	void *sent = NULL;
	pthread_t t;
	int ok;

	if (pipe2(pipe_fds, O_CLOEXEC) || pthread_create(&t, NULL, pipe_writer, NULL)) {
		check(0, "pipe between two threads");
		return;
	}
	while (got < STREAM && wait_in(pipe_fds[0], LIMIT)) {
		ssize_t n = read(pipe_fds[0], buf, sizeof(buf)), i;

		if (n <= 0)
			break;
		for (i = 0; i < n; i++)
			bad += buf[i] != (char)((got + i) * 31 >> 3);
		got += n;
	}
	ok = join_ms(t, &sent, LIMIT) == 0;
	check(ok && sent == (void *)(long)STREAM && got == STREAM && !bad,
	      "pipe: 256 KiB from one thread to another, with poll, in order");
	close(pipe_fds[0]);
	close(pipe_fds[1]);
}

static int sock[2];

static void *echo(void *arg)
{
	char buf[256];
	long rounds = 0;

	(void)arg;
	while (wait_in(sock[1], LIMIT)) {
		ssize_t n = read(sock[1], buf, sizeof(buf));

		if (n <= 0 || write(sock[1], buf, n) != n)
			break;
		rounds++;
	}
	return (void *)rounds;
}

static void socketpair_test(void)
{
	char msg[64], back[64];
	pthread_t t;
	void *rounds = NULL;
	int i, ok = 1;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sock) ||
	    pthread_create(&t, NULL, echo, NULL)) {
		check(0, "socketpair(AF_UNIX) between two threads");
		return;
	}
	for (i = 0; i < 10 && ok; i++) {
		int len = snprintf(msg, sizeof(msg), "message %d", i);

		ok = write(sock[0], msg, len) == len && wait_in(sock[0], LIMIT) &&
		     read_full(sock[0], back, len) && !memcmp(msg, back, len);
	}
	shutdown(sock[0], SHUT_WR);	/* the echo thread sees end of file */
	ok &= join_ms(t, &rounds, LIMIT) == 0;
	check(ok && rounds == (void *)10L, "socketpair(AF_UNIX, SOCK_STREAM): 10 echoes from a thread");
	close(sock[0]);
	close(sock[1]);
}

static int efd;

static void *event_poster(void *arg)
{
	int i;

	(void)arg;
	for (i = 1; i <= 3; i++) {
		uint64_t v = i;

		sleep_ms(5);
		if (write(efd, &v, sizeof(v)) != sizeof(v))
			return NULL;
	}
	return (void *)1L;
}

static void eventfd_test(void)
{
	uint64_t sum = 0, v;
	pthread_t t;
	void *ret = NULL;
	int ok;

	efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (efd < 0 || pthread_create(&t, NULL, event_poster, NULL)) {
		check(0, "eventfd between two threads");
		return;
	}
	while (sum < 6 && wait_in(efd, LIMIT) && read(efd, &v, sizeof(v)) == sizeof(v))
		sum += v;
	ok = join_ms(t, &ret, LIMIT) == 0 && ret;
	check(ok && sum == 6, "eventfd: a thread adds 1 + 2 + 3, poll and read see 6");
	check(read(efd, &v, sizeof(v)) == -1 && errno == EAGAIN, "eventfd: empty again (EAGAIN)");
	close(efd);
}

static int sel_pipe[2];

static void *late_byte(void *arg)
{
	(void)arg;
	sleep_ms(20);
	write(sel_pipe[1], "s", 1);
	return NULL;
}

static void select_test(void)
{
	struct timeval tv = { 0, 50000 };
	long long t0, t1;
	pthread_t t;
	fd_set rd;
	int ret, ok;

	if (pipe2(sel_pipe, O_CLOEXEC)) {
		check(0, "select");
		return;
	}
	FD_ZERO(&rd);
	FD_SET(sel_pipe[0], &rd);
	t0 = mono_ns();
	ret = select(sel_pipe[0] + 1, &rd, NULL, NULL, &tv);
	t1 = mono_ns();
	check(ret == 0 && t1 - t0 >= 49 * NSEC_PER_MSEC,
	      "select on an empty pipe times out after 50 ms");

	ok = pthread_create(&t, NULL, late_byte, NULL) == 0;
	FD_ZERO(&rd);
	FD_SET(sel_pipe[0], &rd);
	tv.tv_sec = LIMIT / 1000;
	tv.tv_usec = 0;
	ret = ok ? select(sel_pipe[0] + 1, &rd, NULL, NULL, &tv) : -1;
	check(ret == 1 && FD_ISSET(sel_pipe[0], &rd), "select wakes when another thread writes");
	if (ok)
		join_ms(t, NULL, LIMIT);
	close(sel_pipe[0]);
	close(sel_pipe[1]);
}

static int ep_pipe[2], ep_event;

static void *ep_poster(void *arg)
{
	uint64_t one = 1;

	(void)arg;
	sleep_ms(10);
	write(ep_pipe[1], "e", 1);
	sleep_ms(10);
	write(ep_event, &one, sizeof(one));
	return NULL;
}

static void epoll_test(void)
{
	struct epoll_event ev, got[4];
	long long deadline;
	pthread_t t;
	int ep, seen = 0, i, n, ok;

	ep = epoll_create1(EPOLL_CLOEXEC);
	ep_event = eventfd(0, EFD_CLOEXEC);
	if (ep < 0 || ep_event < 0 || pipe2(ep_pipe, O_CLOEXEC)) {
		check(0, "epoll between two threads");
		return;
	}
	ev.events = EPOLLIN;
	ev.data.u32 = 1;
	ok = epoll_ctl(ep, EPOLL_CTL_ADD, ep_pipe[0], &ev) == 0;
	ev.data.u32 = 2;
	ok = ok && epoll_ctl(ep, EPOLL_CTL_ADD, ep_event, &ev) == 0;
	check(ok && epoll_wait(ep, got, 4, 20) == 0, "epoll_ctl ADD; epoll_wait times out when idle");
	ok = ok && pthread_create(&t, NULL, ep_poster, NULL) == 0;
	deadline = deadline_ms(LIMIT);
	while (ok && seen != 3 && !past(deadline)) {
		n = epoll_wait(ep, got, 4, 100);
		for (i = 0; i < n; i++) {
			seen |= got[i].data.u32;
			ev.events = 0;
			/* each is level-triggered: stop watching what was seen */
			epoll_ctl(ep, EPOLL_CTL_DEL, got[i].data.u32 == 1 ? ep_pipe[0] : ep_event, &ev);
		}
	}
	if (ok)
		join_ms(t, NULL, LIMIT);
	check(seen == 3, "epoll_wait sees a pipe and an eventfd written by another thread");
	close(ep);
	close(ep_event);
	close(ep_pipe[0]);
	close(ep_pipe[1]);
}

/* /data/hello.txt, put there by a build-time directory */

static void data_test(void)
{
	static const char want[] = "hello from UKL_ROOTFS\n";
	char buf[64];
	struct stat st;
	ssize_t n = -1;
	int fd;

	/* The app's rootfs/ folder (UKL_ROOTFS) holds data/hello.txt. */
	if (!check(stat("/data", &st) == 0 && S_ISDIR(st.st_mode),
		   "/data from the app's UKL_ROOTFS directory is there"))
		return;
	fd = open("/data/hello.txt", O_RDONLY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT) {
		skip("no /data/hello.txt", "/data/hello.txt holds the build-time text");
		return;
	}
	if (fd >= 0) {
		n = read(fd, buf, sizeof(buf));
		close(fd);
	}
	check(n == sizeof(want) - 1 && !memcmp(buf, want, n),
	      "/data/hello.txt holds \"hello from UKL_ROOTFS\\n\"");
}

int proc_files(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	tap_begin();
	signal(SIGPIPE, SIG_IGN);	/* a failed test must not end the program */
	/* Before anything here mounts or creates them for itself. */
	check(access("/proc/self/status", R_OK) == 0 && access("/sys/kernel", F_OK) == 0 &&
	      access("/dev/null", W_OK) == 0 && access("/tmp", W_OK) == 0,
	      "/proc, /sys, /dev and a writable /tmp are there when the app starts");
	need_tmp();
	file_test();
	proc_dev_test();
	pipe_test();
	socketpair_test();
	eventfd_test();
	select_test();
	epoll_test();
	data_test();
	return tap_end();
}
