// SPDX-License-Identifier: GPL-2.0
/*
 * Kprobes and the app's code.  The app runs in ring 0, so kprobes would
 * take its code for kernel text and accept a probe there; but the int3
 * of such a probe is an event of app code, which the entry code hands to
 * the app as a user-mode #BP (its SIGTRAP), and no probe handler runs.
 * The same holds for the syscall stubs' code in .ukl.entry.text, which
 * runs on the app's stack and whose events are the app's too.  Both go
 * on the kprobe blacklist: register_kprobe() refuses an address there
 * with EINVAL, and the blacklist (debugfs kprobes/blacklist) names each
 * function, as perf probe reads it.
 */
#include <linux/init.h>
#include <linux/kprobes.h>
#include <linux/ukl.h>

#include "ukl.h"

int __init ukl_populate_kprobe_blacklist(void)
{
	int ret;

	ret = kprobe_add_area_blacklist((unsigned long)__ukl_entry_text_start,
					(unsigned long)__ukl_entry_text_end);
	if (ret)
		return ret;
	return kprobe_add_area_blacklist((unsigned long)ukl_app_text_start,
					 (unsigned long)ukl_app_text_end);
}
