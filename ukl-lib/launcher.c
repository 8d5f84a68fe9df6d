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
 */
#include <linux/binfmts.h>
#include <linux/fcntl.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/printk.h>
#include <linux/ukl.h>
#include "ukl.h"

#define UKL_MAX_ARGS	(CONFIG_INIT_ENV_ARG_LIMIT + 2)

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
	static const char *app_argv[UKL_MAX_ARGS];
	int i, ret;

	/* argv[0] is the app's name; the rest are init's arguments. */
	app_argv[0] = ukl_app_name;
	for (i = 1; i < UKL_MAX_ARGS - 1 && argv[i]; i++)
		app_argv[i] = argv[i];
	app_argv[i] = NULL;

	ukl_fill_headers();
	ret = ukl_write_exec_file();
	if (ret) {
		pr_err("ukl: cannot write %s: %d\n", UKL_EXEC_PATH, ret);
		return ret;
	}
	pr_info("ukl: starting %s\n", ukl_app_name);
	ret = kernel_execve(UKL_EXEC_PATH, app_argv, envp);
	if (ret)
		pr_err("ukl: cannot start %s: %d\n", ukl_app_name, ret);
	return ret;
}
