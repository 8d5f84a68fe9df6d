// SPDX-License-Identifier: GPL-2.0
/*
 * Where the app was when one of its own faults killed it: the faulting
 * instruction and the words on its stack that point into its code (return
 * addresses, and stale ones: each is marked "?" as in the kernel's own
 * unreliable stack entries).  The app's code is in vmlinux, so the runner
 * decodes these with the image's symbols (scripts/run-qemu).
 */
#include <linux/mm.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/sched/task_stack.h>
#include <linux/signal.h>
#include <linux/uaccess.h>
#include <linux/ukl.h>
#include "ukl.h"

/* How much of the stack to read, and how many addresses to print. */
#define UKL_TRACE_BYTES		(16 * 1024)
#define UKL_TRACE_ENTRIES	24

void ukl_report_fatal_signal(const struct kernel_siginfo *info)
{
	struct pt_regs *regs = task_pt_regs(current);
	unsigned long sp = regs->sp, end, word;
	struct vm_area_struct *vma;
	int n = 0;

	/*
	 * Only a fault of the app's own code (si_code > 0: the kernel's):
	 * then the registers of its last entry are those of the fault.  A
	 * signal that a task sent (abort()'s tgkill) may come from a bypassed
	 * call, which saves no registers.
	 */
	if (!test_thread_flag(TIF_UKL) || info->si_code <= 0 || !ukl_app_ip(regs->ip))
		return;
	pr_emerg("ukl: app fault: signal %d code %d at ip %px sp %px\n",
		 info->si_signo, info->si_code, (void *)regs->ip, (void *)sp);
	if (mmap_read_lock_killable(current->mm))
		return;
	vma = vma_lookup(current->mm, sp);
	end = vma ? min(vma->vm_end, sp + UKL_TRACE_BYTES) : sp;
	mmap_read_unlock(current->mm);
	for (sp = ALIGN(sp, sizeof(long)); sp + sizeof(long) <= end && n < UKL_TRACE_ENTRIES;
	     sp += sizeof(long)) {
		if (copy_from_user_nofault(&word, (const void __user *)sp, sizeof(word)))
			break;
		if (ukl_app_ip(word)) {
			pr_emerg("ukl: app stack: ? %px\n", (void *)word);
			n++;
		}
	}
}
