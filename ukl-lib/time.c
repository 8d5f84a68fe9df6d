// SPDX-License-Identifier: GPL-2.0
/*
 * UKL's vDSO: in bypass mode the app's clock_gettime, gettimeofday and
 * time are direct calls into the kernel's timekeeping, as a Linux process
 * reads the time in the vDSO without a syscall: the high-resolution clocks
 * from the vDSO's own data, the others through the timekeeping functions.  glibc calls the stubs
 * __ukl_sys_clock_gettime, __ukl_sys_gettimeofday and __ukl_sys_time
 * (syscall-stubs.S), which call these.
 *
 * Unlike vDSO code, these run on the task's kernel stack (the stub in
 * syscall-stubs.S switches to it), with no exit work: an interrupt that
 * arrives during one is a kernel-mode interrupt, and what it leaves
 * pending (a signal, a reschedule) waits for the app's next interrupt or
 * syscall.  They never sleep: the result is written with page faults
 * disabled.  Everything else returns UKL_FAST_SLOW, and the stub goes on
 * to the syscall's own stub (__ukl_slow_sys_NAME: the bypass or the full
 * path): a clock these do not read, a timezone for gettimeofday, a
 * result page that is not mapped yet or a bad pointer (which the syscall
 * path faults in or fails with EFAULT), and ukl.bypass=0, which means
 * every syscall.
 */
#include <linux/time_namespace.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>
#include <vdso/datapage.h>
#include <asm/msr.h>
#include <asm/vdso/vsyscall.h>

#include "bypass.h"

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

/*
 * The high-resolution clocks as the vDSO reads them: from the copy of the
 * timekeeper the kernel keeps for it (update_vsyscall(): the vDSO data
 * page), with the TSC read inline.  This is what makes the call as cheap
 * as the vDSO's; ktime_get_ts64() and friends get the same time through
 * the clocksource's read function.  False (take the slow way) unless the
 * clocksource is the TSC, or when the TSC is further from the last update
 * than the multiplication can take.
 */
static bool ukl_read_hres(long which, struct timespec64 *ts)
{
	const struct vdso_data *vd = __arch_get_k_vdso_data();
	const struct vdso_timestamp *base;
	u64 cycles, delta, ns, sec;
	u32 seq;

	if (IS_ENABLED(CONFIG_TIME_NS) && current->nsproxy->time_ns != &init_time_ns)
		return false;
	if (which == CLOCK_MONOTONIC_RAW)
		vd = &vd[CS_RAW];
	base = &vd->basetime[which];
	do {
		while ((seq = READ_ONCE(vd->seq)) & 1)
			cpu_relax();
		smp_rmb();	/* the data after the count: update_vsyscall()'s order */
		if (READ_ONCE(vd->clock_mode) != VDSO_CLOCKMODE_TSC)
			return false;
		cycles = rdtsc_ordered();
		delta = cycles - vd->cycle_last;
		if (unlikely(delta > vd->max_cycles))
			return false;
		ns = (delta * vd->mult + base->nsec) >> vd->shift;
		sec = base->sec;
		smp_rmb();	/* the data before the count's second read */
	} while (READ_ONCE(vd->seq) != seq);
	ts->tv_sec = sec + __iter_div_u64_rem(ns, NSEC_PER_SEC, &ns);
	ts->tv_nsec = ns;
	return true;
}

long ukl_fast_sys_clock_gettime(long which, long utp)
{
	struct timespec64 ts;

	BUILD_BUG_ON(sizeof(struct __kernel_timespec) != 2 * sizeof(long));
	if (!ukl_bypass_on)
		return UKL_FAST_SLOW;
	if ((which == CLOCK_REALTIME || which == CLOCK_MONOTONIC ||
	     which == CLOCK_BOOTTIME || which == CLOCK_TAI || which == CLOCK_MONOTONIC_RAW) &&
	    ukl_read_hres(which, &ts))
		goto put;
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
		return UKL_FAST_SLOW;
	}
put:
	if (!put_pair((long __user *)utp, ts.tv_sec, ts.tv_nsec))
		return UKL_FAST_SLOW;
	return 0;
}

long ukl_fast_sys_gettimeofday(long utv, long utz)
{
	struct timespec64 ts;

	BUILD_BUG_ON(sizeof(struct __kernel_old_timeval) != 2 * sizeof(long));
	if (!ukl_bypass_on || utz)
		return UKL_FAST_SLOW;
	if (utv) {
		if (!ukl_read_hres(CLOCK_REALTIME, &ts))
			ktime_get_real_ts64(&ts);
		if (!put_pair((long __user *)utv, ts.tv_sec, ts.tv_nsec / NSEC_PER_USEC))
			return UKL_FAST_SLOW;
	}
	return 0;
}

long ukl_fast_sys_time(long utloc)
{
	__kernel_old_time_t t, __user *tloc = (__kernel_old_time_t __user *)utloc;
	bool ok = true;

	if (!ukl_bypass_on)
		return UKL_FAST_SLOW;
	t = (__kernel_old_time_t)ktime_get_real_seconds();
	if (tloc) {
		pagefault_disable();
		ok = !put_user(t, tloc);
		pagefault_enable();
	}
	return ok ? t : UKL_FAST_SLOW;
}
