// SPDX-License-Identifier: GPL-2.0
/*
 * UKL's vDSO: in bypass mode the app's clock_gettime, gettimeofday and
 * time are direct calls into the kernel's timekeeping, as a Linux process
 * reads the time in the vDSO without a syscall.  glibc calls the stubs
 * __ukl_sys_clock_gettime, __ukl_sys_gettimeofday and __ukl_sys_time
 * (syscall-stubs.S), which jump here.
 *
 * Like vDSO code, these run on the caller's stack, with no exit work: an
 * interrupt that arrives during one is a kernel-mode interrupt, and what
 * it leaves pending (a signal, a reschedule) waits for the app's next
 * interrupt or syscall.  They never sleep: the result is written with page
 * faults disabled.  Everything else goes to the syscall's own stub
 * (__ukl_slow_sys_NAME: the bypass or the full path): a clock these do
 * not read, a timezone for gettimeofday, a result page that is not mapped
 * yet or a bad pointer (which the syscall path faults in or fails with
 * EFAULT), and ukl.bypass=0, which means every syscall.
 */
#include <linux/time_namespace.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>

#include "bypass.h"

long __ukl_slow_sys_clock_gettime(long which, long tp);
long __ukl_slow_sys_gettimeofday(long tv, long tz);
long __ukl_slow_sys_time(long tloc);

long ukl_fast_sys_clock_gettime(long which, long utp);
long ukl_fast_sys_gettimeofday(long utv, long utz);
long ukl_fast_sys_time(long utloc);

/* Two longs to the app, inline and without sleeping; false on a fault. */
static bool put_pair(long __user *p, long a, long b)
{
	pagefault_disable();
	if (!user_access_begin(p, 2 * sizeof(long)))
		goto fail;
	unsafe_put_user(a, p, fault);
	unsafe_put_user(b, p + 1, fault);
	user_access_end();
	pagefault_enable();
	return true;
fault:
	user_access_end();
fail:
	pagefault_enable();
	return false;
}

long ukl_fast_sys_clock_gettime(long which, long utp)
{
	struct timespec64 ts;

	BUILD_BUG_ON(sizeof(struct __kernel_timespec) != 2 * sizeof(long));
	if (!ukl_bypass_on)
		return __ukl_slow_sys_clock_gettime(which, utp);
	switch (which) {
	case CLOCK_REALTIME:
		ktime_get_real_ts64(&ts);
		break;
	case CLOCK_MONOTONIC:
		ktime_get_ts64(&ts);
		timens_add_monotonic(&ts);
		break;
	case CLOCK_BOOTTIME:
		ktime_get_boottime_ts64(&ts);
		timens_add_boottime(&ts);
		break;
	case CLOCK_MONOTONIC_RAW:
		ktime_get_raw_ts64(&ts);
		timens_add_monotonic(&ts);
		break;
	case CLOCK_REALTIME_COARSE:
		ktime_get_coarse_real_ts64(&ts);
		break;
	case CLOCK_MONOTONIC_COARSE:
		ktime_get_coarse_ts64(&ts);
		timens_add_monotonic(&ts);
		break;
	case CLOCK_TAI:
		ktime_get_clocktai_ts64(&ts);
		break;
	default:
		return __ukl_slow_sys_clock_gettime(which, utp);
	}
	if (!put_pair((long __user *)utp, ts.tv_sec, ts.tv_nsec))
		return __ukl_slow_sys_clock_gettime(which, utp);
	return 0;
}

long ukl_fast_sys_gettimeofday(long utv, long utz)
{
	struct timespec64 ts;

	BUILD_BUG_ON(sizeof(struct __kernel_old_timeval) != 2 * sizeof(long));
	if (!ukl_bypass_on || utz)
		return __ukl_slow_sys_gettimeofday(utv, utz);
	if (utv) {
		ktime_get_real_ts64(&ts);
		if (!put_pair((long __user *)utv, ts.tv_sec, ts.tv_nsec / NSEC_PER_USEC))
			return __ukl_slow_sys_gettimeofday(utv, utz);
	}
	return 0;
}

long ukl_fast_sys_time(long utloc)
{
	__kernel_old_time_t t, __user *tloc = (__kernel_old_time_t __user *)utloc;
	bool ok = true;

	if (!ukl_bypass_on)
		return __ukl_slow_sys_time(utloc);
	t = (__kernel_old_time_t)ktime_get_real_seconds();
	if (tloc) {
		pagefault_disable();
		ok = !put_user(t, tloc);
		pagefault_enable();
	}
	return ok ? t : __ukl_slow_sys_time(utloc);
}
