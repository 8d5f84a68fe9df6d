/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _UKL_BYPASS_H
#define _UKL_BYPASS_H

#include <asm/thread_info.h>

/*
 * The thread flags that make a bypassed syscall leave through the full
 * exit path (syscall_exit_to_user_mode): the kernel's
 * EXIT_TO_USER_MODE_WORK plus what x86's arch_exit_to_user_mode_prepare()
 * acts on.  bypass.c checks at build time that nothing is missing.
 */
#define UKL_EXIT_WORK							\
	(_TIF_SIGPENDING | _TIF_NOTIFY_RESUME | _TIF_UPROBE |		\
	 _TIF_NEED_RESCHED | _TIF_PATCH_PENDING | _TIF_NOTIFY_SIGNAL |	\
	 _TIF_USER_RETURN_NOTIFY | _TIF_IO_BITMAP | _TIF_NEED_FPU_LOAD)

#ifndef __ASSEMBLY__
#include <linux/cache.h>
#include <linux/types.h>

/* ukl.bypass: false sends every syscall through the full path. */
extern bool ukl_bypass_on __ro_after_init;
#endif

#endif
