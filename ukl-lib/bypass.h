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

/* time.c: the stubs of the vDSO's syscalls jump to these ... */
long ukl_fast_sys_clock_gettime(long which, long utp);
long ukl_fast_sys_gettimeofday(long utv, long utz);
long ukl_fast_sys_time(long utloc);
/* ... which fall back to the syscalls' ordinary stubs (syscall-stubs.S). */
long __ukl_slow_sys_clock_gettime(long which, long tp);
long __ukl_slow_sys_gettimeofday(long tv, long tz);
long __ukl_slow_sys_time(long tloc);
#endif

#endif
