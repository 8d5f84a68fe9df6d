// SPDX-License-Identifier: GPL-2.0
/*
 * nss: glibc's lookups of users, groups and hosts through its built-in
 * "files" and "dns" modules (no libnss_*.so is loaded), reading the image's
 * /etc: the defaults of link/rootfs/etc (passwd, group, nsswitch.conf) and
 * this app's own /etc/hosts (rootfs/etc/hosts), which replaces the default
 * one.  A name that no file knows goes to "dns", which has no server here
 * and must fail, not hang.
 *
 * dlopen: a UKL app is one static program with no dynamic loader: dlopen
 * returns NULL and dlerror() says why, naming the file (the same static
 * libc on the baseline says the same).
 */
#include "tap.h"

#include <arpa/inet.h>
#include <dlfcn.h>
#include <errno.h>
#include <grp.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "proc.h"

/* The first line of @path, without its newline, into @buf. */
static const char *first_line(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "re");

	buf[0] = '\0';
	if (f) {
		if (fgets(buf, size, f))
			buf[strcspn(buf, "\n")] = '\0';
		fclose(f);
	}
	return buf;
}

/* Whether the file @path has a line containing @text. */
static int has_line(const char *path, const char *text)
{
	FILE *f = fopen(path, "re");
	char line[256];
	int found = 0;

	if (!f)
		return 0;
	while (!found && fgets(line, sizeof(line), f))
		found = strstr(line, text) != NULL;
	fclose(f);
	return found;
}

/* getaddrinfo of @host (and @port) in @family: the first address as text. */
static int resolve(const char *host, const char *port, int family, int flags, char *text,
		   size_t size, int *port_out)
{
	struct addrinfo hints = { .ai_family = family, .ai_socktype = SOCK_STREAM,
				  .ai_flags = flags };
	struct addrinfo *res;
	const void *addr;
	int rc;

	text[0] = '\0';
	rc = getaddrinfo(host, port, &hints, &res);
	if (rc)
		return rc;
	if (res->ai_family == AF_INET) {
		addr = &((struct sockaddr_in *)res->ai_addr)->sin_addr;
		*port_out = ntohs(((struct sockaddr_in *)res->ai_addr)->sin_port);
	} else {
		addr = &((struct sockaddr_in6 *)res->ai_addr)->sin6_addr;
		*port_out = ntohs(((struct sockaddr_in6 *)res->ai_addr)->sin6_port);
	}
	inet_ntop(res->ai_family, addr, text, size);
	freeaddrinfo(res);
	return 0;
}

static void users_and_groups(void)
{
	struct passwd *pw;
	struct group *gr;
	char line[128];

	check(!strcmp(first_line("/etc/passwd", line, sizeof(line)), "root:x:0:0:root:/root:/bin/sh"),
	      "/etc/passwd is the image's default: \"%s\"", line);
	pw = getpwnam("root");
	check(pw && pw->pw_uid == 0 && pw->pw_gid == 0 && !strcmp(pw->pw_dir, "/root") &&
	      !strcmp(pw->pw_shell, "/bin/sh"), "getpwnam(\"root\"): uid 0, gid 0, /root, /bin/sh");
	pw = getpwuid(0);
	check(pw && !strcmp(pw->pw_name, "root"), "getpwuid(0): \"%s\"", pw ? pw->pw_name : "NULL");
	pw = getpwnam("nobody");
	check(pw && pw->pw_uid == 65534, "getpwnam(\"nobody\"): uid %d", pw ? (int)pw->pw_uid : -1);
	errno = 0;
	pw = getpwnam("no-such-user");
	check(!pw && (errno == 0 || errno == ENOENT), "getpwnam of an unknown user: NULL (errno %d)",
	      errno);
	gr = getgrnam("root");
	check(gr && gr->gr_gid == 0, "getgrnam(\"root\"): gid %d", gr ? (int)gr->gr_gid : -1);
	gr = getgrgid(65534);
	check(gr && !strcmp(gr->gr_name, "nogroup"), "getgrgid(65534): \"%s\"",
	      gr ? gr->gr_name : "NULL");
}

static void hosts(void)
{
	char text[INET6_ADDRSTRLEN], name[NI_MAXHOST];
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct hostent *he;
	long long t0;
	int port = 0, rc;

	check(has_line("/etc/hosts", "ukl-nss-test") && has_line("/etc/nsswitch.conf", "hosts:"),
	      "/etc/hosts is the app's own, /etc/nsswitch.conf the image's default");
	rc = resolve("localhost", "6379", AF_INET, 0, text, sizeof(text), &port);
	check(!rc && !strcmp(text, "127.0.0.1") && port == 6379,
	      "getaddrinfo(\"localhost\", \"6379\", AF_INET): %s port %d (%s)", text, port,
	      rc ? gai_strerror(rc) : "ok");
	rc = resolve("localhost", NULL, AF_INET6, 0, text, sizeof(text), &port);
	check(!rc && !strcmp(text, "::1"), "getaddrinfo(\"localhost\", AF_INET6): %s (%s)", text,
	      rc ? gai_strerror(rc) : "ok");
	rc = resolve("127.0.0.1", "80", AF_UNSPEC, AI_NUMERICHOST, text, sizeof(text), &port);
	check(!rc && !strcmp(text, "127.0.0.1") && port == 80,
	      "getaddrinfo of a numeric IPv4 address: %s port %d", text, port);
	rc = resolve("::1", NULL, AF_UNSPEC, AI_NUMERICHOST, text, sizeof(text), &port);
	check(!rc && !strcmp(text, "::1"), "getaddrinfo of a numeric IPv6 address: %s", text);
	rc = resolve("ukl-nss-alias", NULL, AF_INET, 0, text, sizeof(text), &port);
	check(!rc && !strcmp(text, "192.0.2.7"),
	      "getaddrinfo of an alias in the app's /etc/hosts: %s (%s)", text,
	      rc ? gai_strerror(rc) : "ok");
	he = gethostbyname("ukl-nss-test");
	check(he && he->h_addrtype == AF_INET && !strcmp(he->h_name, "ukl-nss-test") &&
	      !strcmp(inet_ntop(AF_INET, he->h_addr_list[0], text, sizeof(text)), "192.0.2.7"),
	      "gethostbyname(\"ukl-nss-test\"): %s", he ? text : hstrerror(h_errno));
	he = gethostbyname("localhost");
	check(he && !strcmp(inet_ntop(AF_INET, he->h_addr_list[0], text, sizeof(text)), "127.0.0.1"),
	      "gethostbyname(\"localhost\"): %s", he ? text : hstrerror(h_errno));
	rc = getnameinfo((struct sockaddr *)&sin, sizeof(sin), name, sizeof(name), NULL, 0,
			 NI_NAMEREQD);
	check(!rc && !strcmp(name, "localhost"), "getnameinfo(127.0.0.1): \"%s\" (%s)",
	      rc ? "" : name, rc ? gai_strerror(rc) : "ok");
	t0 = mono_ns();
	rc = resolve("no-such-host.invalid", NULL, AF_INET, 0, text, sizeof(text), &port);
	check(rc == EAI_NONAME || rc == EAI_AGAIN || rc == EAI_FAIL || rc == EAI_NODATA,
	      "an unknown name fails through the dns module (no server): %s, after %lld ms",
	      rc ? gai_strerror(rc) : text, (mono_ns() - t0) / NSEC_PER_MSEC);
}

static void no_loader(void)
{
	const char *err;
	void *h;

	h = dlopen("libm.so.6", RTLD_NOW);
	err = dlerror();
	check(!h && err && strstr(err, "libm.so.6") &&
	      strstr(err, "a UKL app cannot load shared objects"),
	      "dlopen(\"libm.so.6\"): NULL, dlerror() \"%s\"", err ? err : "(none)");
	check(dlerror() == NULL, "dlerror() a second time: NULL");
	h = dlopen("/no/such/file.so", RTLD_LAZY | RTLD_GLOBAL);
	err = dlerror();
	check(!h && err && strstr(err, "/no/such/file.so") &&
	      strstr(err, "a UKL app cannot load shared objects"),
	      "dlopen of a path: NULL, the same reason (\"%s\")", err ? err : "(none)");
	h = dlmopen(LM_ID_BASE, "libz.so.1", RTLD_NOW);
	err = dlerror();
	check(!h && err && strstr(err, "a UKL app cannot load shared objects"),
	      "dlmopen: NULL, the same reason (\"%s\")", err ? err : "(none)");
}

int proc_nss(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	tap_begin();
	users_and_groups();
	hosts();
	no_loader();
	return tap_end();
}
