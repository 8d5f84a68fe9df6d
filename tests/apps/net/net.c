// SPDX-License-Identifier: GPL-2.0
/*
 * net: a small line server for the network test (tests/boot/net).
 *
 *   net [PORT]     listen on 0.0.0.0:PORT (7777), one epoll loop
 *   net idle       the checks, then sleep without listening (a server that
 *                  never comes up, for the runner's timeout)
 *
 * First it checks the network the kernel configured before init (ip=):
 * lo and eth0 up with their addresses, and a connection to itself over
 * lo.  Then it prints "net: listening on 0.0.0.0:PORT" and serves, on
 * each connection, one request a line:
 *
 *   echo TEXT      -> "TEXT"
 *   file PATH      -> "size N" and the file's bytes (sendfile)
 *   stats          -> "accepted A resets R cut C bad B"
 *   stop           -> "bye"; when the client has closed, the server ends
 *                     with status 0
 *   anything else  -> "error: unknown request"
 *
 * A line longer than LINE_MAX - 1 bytes is answered "error: line too
 * long" and the connection closed.  A client that resets or closes in
 * the middle of a line costs the server nothing but that connection;
 * both are counted.  Replies go out with writev (the text and its
 * newline); sockets are nonblocking (accept4) with TCP_NODELAY.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#define LINE_MAX_BYTES 4096
#define MAX_CONNS 64

struct conn {
	int fd;
	size_t len;
	char buf[LINE_MAX_BYTES];
};

static struct conn conns[MAX_CONNS];
static unsigned long accepted, resets, cut, bad;
static int failures;

static void check(int ok, const char *what)
{
	printf("net: %s: %s\n", ok ? "ok" : "FAIL", what);
	if (!ok)
		failures++;
}

/* The interface NAME is up, and has ADDR (NULL: any IPv4 address). */
static int iface_has(const char *name, const char *addr)
{
	struct ifaddrs *list, *i;
	int found = 0;

	if (getifaddrs(&list))
		return 0;
	for (i = list; i; i = i->ifa_next) {
		char text[INET_ADDRSTRLEN];

		if (strcmp(i->ifa_name, name) || !(i->ifa_flags & IFF_UP) ||
		    !i->ifa_addr || i->ifa_addr->sa_family != AF_INET)
			continue;
		inet_ntop(AF_INET, &((struct sockaddr_in *)i->ifa_addr)->sin_addr,
			  text, sizeof(text));
		if (!addr || !strcmp(text, addr))
			found = 1;
	}
	freeifaddrs(list);
	return found;
}

/* A connection to ourselves on lo: connect, accept, one byte each way. */
static int loopback_ok(void)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof(sa);
	int l, c, a = -1, ok = 0;
	char byte = 'x';

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	l = socket(AF_INET, SOCK_STREAM, 0);
	c = socket(AF_INET, SOCK_STREAM, 0);
	if (l >= 0 && c >= 0 && !bind(l, (void *)&sa, sizeof(sa)) && !listen(l, 1) &&
	    !getsockname(l, (void *)&sa, &len) && !connect(c, (void *)&sa, sizeof(sa)) &&
	    (a = accept(l, NULL, NULL)) >= 0 && write(c, &byte, 1) == 1 &&
	    read(a, &byte, 1) == 1 && write(a, "y", 1) == 1 && read(c, &byte, 1) == 1)
		ok = byte == 'y';
	if (a >= 0)
		close(a);
	if (c >= 0)
		close(c);
	if (l >= 0)
		close(l);
	return ok;
}

static int reply(int fd, const char *text, size_t len)
{
	struct iovec iov[2] = {
		{ .iov_base = (void *)text, .iov_len = len },
		{ .iov_base = "\n", .iov_len = 1 },
	};
	size_t want = len + 1;
	ssize_t n = writev(fd, iov, 2);

	/* Short replies: a full socket buffer here means a stuck client. */
	return n == (ssize_t)want ? 0 : -1;
}

static int send_file(int fd, const char *path)
{
	char head[64];
	struct stat st;
	off_t off = 0;
	int f = open(path, O_RDONLY | O_CLOEXEC);
	int flags;

	if (f < 0 || fstat(f, &st)) {
		if (f >= 0)
			close(f);
		return reply(fd, "error: no such file", 19);
	}
	snprintf(head, sizeof(head), "size %lld", (long long)st.st_size);
	/* The file in one go: blocking for its duration. */
	flags = fcntl(fd, F_GETFL);
	fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
	if (reply(fd, head, strlen(head)) == 0) {
		while (off < st.st_size)
			if (sendfile(fd, f, &off, st.st_size - off) <= 0)
				break;
	}
	fcntl(fd, F_SETFL, flags);
	close(f);
	return off == st.st_size ? 0 : -1;
}

/* One request; 1: stop the server, -1: close the connection. */
static int request(int fd, char *line, size_t len)
{
	char text[128];

	line[len] = '\0';
	if (len && line[len - 1] == '\r')
		line[--len] = '\0';
	if (!strncmp(line, "echo ", 5))
		return reply(fd, line + 5, len - 5);
	if (!strncmp(line, "file ", 5))
		return send_file(fd, line + 5);
	if (!strcmp(line, "stats")) {
		snprintf(text, sizeof(text), "accepted %lu resets %lu cut %lu bad %lu",
			 accepted, resets, cut, bad);
		return reply(fd, text, strlen(text));
	}
	if (!strcmp(line, "stop")) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		char sink[64];

		/*
		 * The server ends, and with it the guest, at once: wait (2 s at
		 * most) for the client to have read "bye" and closed, or the
		 * reply may still sit in the guest when QEMU exits.
		 */
		reply(fd, "bye", 3);
		shutdown(fd, SHUT_WR);
		while (poll(&p, 1, 2000) == 1 && read(fd, sink, sizeof(sink)) > 0)
			;
		return 1;
	}
	bad++;
	return reply(fd, "error: unknown request", 22);
}

static void drop(int ep, struct conn *c)
{
	epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
	close(c->fd);
	c->fd = -1;
}

/* Read what the client sent; 1: stop the server. */
static int serve(int ep, struct conn *c)
{
	for (;;) {
		ssize_t n = read(c->fd, c->buf + c->len, sizeof(c->buf) - 1 - c->len);
		char *nl;

		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		if (n <= 0) {
			if (n < 0 && errno == ECONNRESET)
				resets++;
			else if (c->len)
				cut++;
			drop(ep, c);
			return 0;
		}
		c->len += n;
		while ((nl = memchr(c->buf, '\n', c->len))) {
			size_t used = nl - c->buf + 1;
			int rc = request(c->fd, c->buf, used - 1);

			memmove(c->buf, c->buf + used, c->len - used);
			c->len -= used;
			if (rc) {
				drop(ep, c);
				return rc > 0;
			}
		}
		if (c->len == sizeof(c->buf) - 1) {
			bad++;
			reply(c->fd, "error: line too long", 20);
			drop(ep, c);
			return 0;
		}
	}
}

int main(int argc, char **argv)
{
	int idle = argc > 1 && !strcmp(argv[1], "idle");
	int port = argc > 1 && !idle ? atoi(argv[1]) : 7777;
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port) };
	struct epoll_event ev = { .events = EPOLLIN };
	int one = 1, l, ep, i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	check(iface_has("lo", "127.0.0.1"), "lo is up with 127.0.0.1");
	check(iface_has("eth0", "10.0.2.15"), "eth0 is up with 10.0.2.15 (ip=)");
	check(loopback_ok(), "a TCP connection to itself over lo");
	if (idle) {
		printf("net: idle, not listening\n");
		for (;;)
			pause();
	}
	for (i = 0; i < MAX_CONNS; i++)
		conns[i].fd = -1;

	l = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (l < 0 || setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(l, (void *)&sa, sizeof(sa)) || listen(l, 16)) {
		perror("net: listen");
		return 2;
	}
	ep = epoll_create1(EPOLL_CLOEXEC);
	ev.data.fd = -1;
	if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, l, &ev)) {
		perror("net: epoll");
		return 2;
	}
	printf("net: listening on 0.0.0.0:%d\n", port);

	for (;;) {
		struct epoll_event evs[16];
		int n = epoll_wait(ep, evs, 16, -1);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			perror("net: epoll_wait");
			return 2;
		}
		for (i = 0; i < n; i++) {
			struct conn *c;
			int fd, j;

			if (evs[i].data.fd != -1) {
				c = &conns[evs[i].data.fd];
				if (serve(ep, c))
					goto stop;
				continue;
			}
			while ((fd = accept4(l, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
				for (j = 0; j < MAX_CONNS && conns[j].fd >= 0; j++)
					;
				if (j == MAX_CONNS) {
					close(fd);
					continue;
				}
				accepted++;
				setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
				conns[j].fd = fd;
				conns[j].len = 0;
				ev.events = EPOLLIN | EPOLLRDHUP;
				ev.data.fd = j;
				epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
			}
		}
	}
stop:
	printf("net: stopped: accepted %lu resets %lu cut %lu bad %lu\n",
	       accepted, resets, cut, bad);
	close(l);
	return failures ? 1 : 0;
}
