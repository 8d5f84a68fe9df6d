// SPDX-License-Identifier: GPL-2.0
/*
 * The baseline guest's /init: what the UKL launcher does in the kernel
 * before it enters the app (ukl-lib/launcher.c), done the way an ordinary
 * init program does it, then the app itself, exec'ed as PID 1.  So the app
 * finds the same file systems, arguments and environment on both kernels.
 *
 * The arguments come percent-encoded (scripts/run-qemu): %XX is a byte, a
 * lone "%" is an empty argument, and a word starting with "%=" is an entry
 * for the environment instead.
 *
 * Built with the host's static libc, per app: UKL_APP_NAME is the app's
 * name, and the app is /UKL_APP_NAME in the initramfs.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef UKL_APP_NAME
#error "UKL_APP_NAME must name the app"
#endif

/* The same list as the launcher's, in the same order. */
static const struct {
	const char *fstype, *dir;
	mode_t mode;
} mounts[] = {
	{ "proc", "/proc", 0555 },
	{ "sysfs", "/sys", 0555 },
	{ "devtmpfs", "/dev", 0755 },
	{ "tmpfs", "/tmp", 01777 },
};

/* Decodes @w in place; -1 if it is not in the encoding. */
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

int main(int argc, char **argv, char **envp)
{
	static char name[] = UKL_APP_NAME;
	char *app_argv[argc + 1], *app_envp[argc + 64];
	int i, na = 0, ne = 0;

	for (i = 0; envp[i] && ne < 63; i++)
		app_envp[ne++] = envp[i];
	app_argv[na++] = name;
	for (i = 1; i < argc; i++) {
		int env = !strncmp(argv[i], "%=", 2);
		char *w = argv[i] + (env ? 2 : 0);

		if (decode(w)) {
			fprintf(stderr, "baseline-init: argument %d (%s) is not percent-encoded\n",
				i, argv[i]);
			return 127;
		}
		if (env)
			app_envp[ne++] = w;
		else
			app_argv[na++] = w;
	}
	app_argv[na] = NULL;
	app_envp[ne] = NULL;

	for (i = 0; i < (int)(sizeof(mounts) / sizeof(mounts[0])); i++) {
		mkdir(mounts[i].dir, mounts[i].mode);
		if (mount(mounts[i].fstype, mounts[i].dir, mounts[i].fstype, 0, NULL)) {
			fprintf(stderr, "baseline-init: cannot mount %s on %s: %s\n",
				mounts[i].fstype, mounts[i].dir, strerror(errno));
			return 127;
		}
	}
	execve("/" UKL_APP_NAME, app_argv, app_envp);
	fprintf(stderr, "baseline-init: cannot run /%s: %s\n", UKL_APP_NAME, strerror(errno));
	return 127;
}
