// SPDX-License-Identifier: GPL-2.0
/*
 * Which kernel-half pointers uaccess accepts from a UKL app.
 *
 * The app is linked into vmlinux, so its static data (string literals,
 * .data, .bss) is in the kernel half, and it passes pointers to it to
 * system calls: write(1, "hello", 5), time(&static_t).  uaccess keeps its
 * normal bound (USER_PTR_MAX) for every task; a pointer above it takes an
 * out-of-line path (arch/x86 uaccess, a UKL patch) that accepts it only
 * for a task of the app (TIF_UKL) and only within the app's own image.
 * Everything else in the kernel half stays out of reach: of helper
 * programs (ordinary ring-3 tasks) above all, and of the app's stray
 * pointers into kernel data.
 *
 * Speculation: the inline paths clamp a pointer above the bound without
 * a branch (cmova, the mask), so a mispredicted check cannot reach
 * kernel memory.  The out-of-line path decides with branches (the task's
 * flag, the image's bounds), which any task can train; where it accepts
 * a pointer and hands it back to an access that has no fence of its own
 * (get_user, put_user, the masked string functions), it fences first
 * (barrier_nospec), so a task other than the app's cannot run ahead with
 * a kernel pointer there.  access_ok()'s callers fence themselves
 * (copy_from_user(), user_access_begin()).
 */
#include <linux/kernel.h>
#include <linux/thread_info.h>
#include <linux/uaccess.h>
#include <linux/ukl.h>
#include "ukl.h"

/*
 * [@addr, @addr + @size) lies within one part of the app's image: its
 * code (read by, e.g., process_vm_readv of itself), read-only data,
 * data or bss.  Inline: ukl_access_ok() may run inside a user access
 * region (objtool's uaccess_safe list), where it may call nothing.
 */
static __always_inline bool ukl_app_range(unsigned long addr, unsigned long size)
{
	return ukl_in(addr, size, ukl_app_text_start, ukl_app_text_end) ||
	       ukl_in(addr, size, ukl_app_rodata_start, ukl_app_rodata_end) ||
	       ukl_in(addr, size, ukl_app_data_start, ukl_app_data_end) ||
	       ukl_in(addr, size, ukl_app_bss_start, ukl_app_bss_end);
}

/* access_ok() of a pointer above USER_PTR_MAX. */
bool ukl_access_ok(const void __user *ptr, unsigned long size)
{
	return test_thread_flag(TIF_UKL) &&
	       ukl_app_range((__force unsigned long)ptr, size);
}
EXPORT_SYMBOL(ukl_access_ok);

/*
 * The rseq ABI's addresses above TASK_SIZE (kernel/rseq.c): a critical
 * section's code [@addr, @addr + @len) or (@len 0) its abort handler at
 * @addr must be in the app's code, where the kernel may send the task; a
 * struct rseq_cs anywhere in the app's image.
 */
bool ukl_rseq_range_ok(unsigned long addr, unsigned long len, bool code)
{
	if (!test_thread_flag(TIF_UKL))
		return false;
	if (!code)
		return ukl_app_range(addr, len);
	return ukl_app_ip(addr) && len <= (unsigned long)ukl_app_text_end - addr;
}

/*
 * mask_user_address() of a pointer above USER_PTR_MAX: the pointer, or
 * the bound, where the access faults.  Under CONFIG_UKL only the string
 * functions use it (strncpy_from_user, strnlen_user: they read up to a
 * NUL or their limit), so only the first byte must be in the app's
 * image; copies, whose size is known, check all of it with access_ok()
 * (can_do_masked_user_copy()).
 */
void __user *ukl_mask_user_address(const void __user *ptr)
{
	if (ukl_access_ok(ptr, 1)) {
		barrier_nospec();
		return (void __user *)ptr;
	}
	return (void __user *)USER_PTR_MAX;
}
EXPORT_SYMBOL(ukl_mask_user_address);

/*
 * For __get_user_N and __put_user_N (arch/x86/lib), whose callers expect
 * only their own registers to change: %rdx, a pointer above the bound,
 * stays if ukl_access_ok() takes all @size bytes from it and becomes ~0
 * (a faulting address) otherwise; every other register is kept.
 */
unsigned long ukl_uaccess_addr_slow(unsigned long addr, unsigned long size)
{
	if (ukl_access_ok((const void __user *)addr, size)) {
		barrier_nospec();
		return addr;
	}
	return ~0UL;
}
