// SPDX-License-Identifier: GPL-2.0
/*
 * Start the linked-in app as init (called from kernel_init()).
 *
 * The app is exec'ed like an init program, so that the task gets a fresh
 * address space, credentials and files exactly as exec gives them: the
 * launcher writes a small file holding UKL_MAGIC to the initial root file
 * system (always present, no initramfs needed) and execs it, and the UKL
 * binary format (loader.c) builds the process image.  The first return
 * to "user mode" from kernel_init() then enters the app's _start in ring 0.
 *
 * Before that, the launcher does what an init program would do first:
 * it mounts /proc, /sys, /dev and /tmp, and decodes the app's arguments
 * and environment, which come percent-encoded after "--" on the kernel
 * command line (scripts/run-qemu): %XX is a byte, a lone "%" an empty
 * argument, and a word starting with "%=" an environment entry.  The
 * baseline's /init (link/baseline-init.c) does the same.
 */
#include <linux/binfmts.h>
#include <linux/fcntl.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/hex.h>
#include <linux/init_syscalls.h>
#include <linux/initrd.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/printk.h>
#include <linux/ukl.h>
#include "ukl.h"

#define UKL_MAX_ARGS	(CONFIG_INIT_ENV_ARG_LIMIT + 2)

struct ukl_mount {
	const char *fstype, *dir;
	umode_t mode;
	bool configured;
};

/*
 * The same list as link/baseline-init.c's, in the same order.  A kernel
 * configured for its app (make SPECIALIZE=1) may lack /proc, /sys and
 * devtmpfs: the app cannot reach them (it opens no path).  "tmpfs" is
 * ramfs without CONFIG_SHMEM.
 */
static const struct ukl_mount ukl_mounts[] __initconst = {
	{ "proc", "/proc", 0555, IS_ENABLED(CONFIG_PROC_FS) },
	{ "sysfs", "/sys", 0555, IS_ENABLED(CONFIG_SYSFS) },
	{ "devtmpfs", "/dev", 0755, IS_ENABLED(CONFIG_DEVTMPFS) },
	{ "tmpfs", "/tmp", 01777, true },
};

static int ukl_mount_error;

/* At the end of the initcalls, while init_mount() and friends exist. */
static int __init ukl_mount_filesystems(void)
{
	int i, ret;

	wait_for_initramfs();
	for (i = 0; i < ARRAY_SIZE(ukl_mounts); i++) {
		if (!ukl_mounts[i].configured)
			continue;
		ret = init_mkdir(ukl_mounts[i].dir, ukl_mounts[i].mode);
		if (!ret || ret == -EEXIST)
			ret = init_mount(ukl_mounts[i].fstype, ukl_mounts[i].dir,
					 ukl_mounts[i].fstype, 0, NULL);
		if (ret) {
			pr_err("ukl: cannot mount %s on %s: %d\n",
			       ukl_mounts[i].fstype, ukl_mounts[i].dir, ret);
			ukl_mount_error = ret;
		}
	}
	return 0;
}
late_initcall_sync(ukl_mount_filesystems);

/* Decodes @w in place; -EINVAL if it is not in the encoding. */
static int ukl_decode_word(char *w)
{
	char *out = w;

	if (!strcmp(w, "%")) {
		*w = '\0';
		return 0;
	}
	for (; *w; w++) {
		int hi, lo;

		if (*w != '%') {
			*out++ = *w;
			continue;
		}
		hi = hex_to_bin(w[1]);
		lo = hi < 0 ? -1 : hex_to_bin(w[2]);
		if (lo < 0)
			return -EINVAL;
		*out++ = (char)(hi << 4 | lo);
		w += 2;
	}
	*out = '\0';
	return 0;
}

static int ukl_write_exec_file(void)
{
	struct file *f;
	loff_t pos = 0;
	ssize_t n;

	f = filp_open(UKL_EXEC_PATH, O_CREAT | O_TRUNC | O_WRONLY, 0500);
	if (IS_ERR(f))
		return PTR_ERR(f);
	n = kernel_write(f, UKL_MAGIC, sizeof(UKL_MAGIC) - 1, &pos);
	/* Closed now, not at task_work time: exec refuses files open for write. */
	__fput_sync(f);
	if (n < 0)
		return n;
	return n == sizeof(UKL_MAGIC) - 1 ? 0 : -EIO;
}

int ukl_run_app(const char *const *argv, const char *const *envp)
{
	static const char *app_argv[UKL_MAX_ARGS], *app_envp[2 * UKL_MAX_ARGS];
	int i, na = 0, ne = 0, ret;

	if (ukl_mount_error)
		return ukl_mount_error;

	/* argv[0] is the app's name; init's arguments are the app's words. */
	for (i = 0; envp[i] && ne < UKL_MAX_ARGS; i++)
		app_envp[ne++] = envp[i];
	app_argv[na++] = ukl_app_name;
	for (i = 1; argv[i] && na < UKL_MAX_ARGS - 1; i++) {
		bool env = !strncmp(argv[i], "%=", 2);
		char *w = (char *)argv[i] + (env ? 2 : 0);

		if (ukl_decode_word(w)) {
			pr_err("ukl: argument %d (%s) is not percent-encoded\n", i, argv[i]);
			return -EINVAL;
		}
		if (env)
			app_envp[ne++] = w;
		else
			app_argv[na++] = w;
	}
	app_argv[na] = NULL;
	app_envp[ne] = NULL;

	ukl_fill_headers();
	ret = ukl_write_exec_file();
	if (ret) {
		pr_err("ukl: cannot write %s: %d\n", UKL_EXEC_PATH, ret);
		return ret;
	}
	pr_info("ukl: starting %s\n", ukl_app_name);
	ukl_profile_start();
	ret = kernel_execve(UKL_EXEC_PATH, app_argv, app_envp);
	if (ret)
		pr_err("ukl: cannot start %s: %d\n", ukl_app_name, ret);
	return ret;
}
