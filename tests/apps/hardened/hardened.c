// SPDX-License-Identifier: GPL-2.0
/*
 * hardened: an app built with -fstack-protector-strong and
 * -D_FORTIFY_SOURCE=2 (app.mk), run the same way on UKL and the baseline.
 *   hardened ok         fortified calls and canaried frames that stay in
 *                       bounds: prints "hardened: ok", exits 0
 *   hardened fortify    a memcpy past the end of a buffer whose size the
 *                       compiler knows: glibc's __memcpy_chk stops it
 *                       ("buffer overflow detected", abort: status 134)
 *   hardened smash      a write past a local array through an index the
 *                       compiler cannot check: the canary catches it on
 *                       return ("stack smashing detected", status 134)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Opaque to the optimiser: sizes and indexes known only at run time. */
static volatile size_t runtime_len;

__attribute__((noinline)) static int copy_into(const char *src)
{
	char buf[16];

	memcpy(buf, src, runtime_len);
	return buf[0] + buf[runtime_len - 1];
}

__attribute__((noinline)) static int fill_local(size_t n)
{
	char buf[16];
	volatile char *p = buf;
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = 'x';
	return buf[0];
}

int main(int argc, char **argv)
{
	static const char src[64] = "0123456789abcdef0123456789abcdef";
	const char *mode = argc > 1 ? argv[1] : "ok";
	char line[32];

	if (!strcmp(mode, "ok")) {
		runtime_len = 16;
		snprintf(line, sizeof(line), "%d %d", copy_into(src), fill_local(16));
		printf("hardened: ok (%s)\n", line);
		return 0;
	}
	if (!strcmp(mode, "fortify")) {
		runtime_len = 40;
		printf("hardened: copying 40 bytes into 16\n");
		fflush(stdout);
		copy_into(src);
		printf("hardened: not stopped\n");
		return 1;
	}
	if (!strcmp(mode, "smash")) {
		printf("hardened: writing 64 bytes into 16\n");
		fflush(stdout);
		fill_local(64);
		printf("hardened: not stopped\n");
		return 1;
	}
	fprintf(stderr, "usage: hardened ok|fortify|smash\n");
	return 2;
}
