/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _UKL_BYPASS_H
#define _UKL_BYPASS_H

#include <linux/errno.h>
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

/*
 * What a fast function of time.c returns to send the call on to the
 * syscall's stub: a restart code, which no syscall returns to user space.
 */
#define UKL_FAST_SLOW	(-ERESTARTNOHAND)

#ifndef __ASSEMBLY__
#include <linux/cache.h>
#include <linux/types.h>

/* ukl.bypass: false sends every syscall through the full path. */
extern bool ukl_bypass_on __ro_after_init;

/*
 * time.c: the stubs of the vDSO's syscalls call these on the task stack,
 * and take the syscall's stub when they return UKL_FAST_SLOW.
 */
long ukl_fast_sys_clock_gettime(long which, long utp);
long ukl_fast_sys_gettimeofday(long utv, long utz);
long ukl_fast_sys_time(long utloc);
#endif

#endif
