// SPDX-License-Identifier: GPL-2.0
/*
 * UKL bypass mode: the switch between the bypass and the full syscall
 * path (syscall-stubs.S) and the build-time checks of what the stubs
 * assume.
 */
#include <linux/build_bug.h>
#include <linux/entry-common.h>
#include <linux/moduleparam.h>
#include <linux/printk.h>
#include <linux/init.h>
#include <linux/sched.h>

#include "bypass.h"

#undef MODULE_PARAM_PREFIX
#define MODULE_PARAM_PREFIX "ukl."

/* ukl.bypass=0: every syscall takes the full path, for comparison. */
bool ukl_bypass_on __ro_after_init = true;
module_param_named(bypass, ukl_bypass_on, bool, 0444);
MODULE_PARM_DESC(bypass, "Call syscall implementations directly (default 1)");

static int __init ukl_bypass_report(void)
{
	/* The stubs test the flag as a byte. */
	BUILD_BUG_ON(sizeof(ukl_bypass_on) != 1);
	/* The fast return tests the flags with one 32-bit immediate. */
	BUILD_BUG_ON(UKL_EXIT_WORK > S32_MAX);
	BUILD_BUG_ON((EXIT_TO_USER_MODE_WORK & ~UKL_EXIT_WORK) != 0);
	BUILD_BUG_ON(sizeof_field(struct task_struct, thread_info.syscall_work) != 8);

	pr_info("ukl: syscalls take the %s path\n", ukl_bypass_on ? "bypass" : "full");
	return 0;
}
late_initcall(ukl_bypass_report);
