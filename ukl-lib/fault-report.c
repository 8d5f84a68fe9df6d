// SPDX-License-Identifier: GPL-2.0
/*
 * Where the app was when a fatal signal of its own making killed it: a
 * fault of its code (the faulting instruction), or a signal it sent itself
 * (abort(), raise()), and the app's call chain.  The app and its libc are
 * built with frame pointers, so the chain is the list of frame records
 * that starts at the task's saved rbp; the other words on the stack that
 * point into the app's code are printed too, marked "?" as in the kernel's
 * own unreliable stack entries (stale return addresses, or frames of code
 * built without frame pointers).  The app's code is in vmlinux, so the
 * runner decodes these with the image's symbols (scripts/run-qemu).
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

/*
 * Print the app addresses on the stack from @regs->sp up.  A word is
 * reliable when it is the return address of the next frame record of the
 * chain (at frame + 8; the record's first word is the caller's record, at
 * a higher address), or the return address of the call that entered the
 * kernel (at sp, when ip is not the app's: a syscall).
 */
static void ukl_report_stack(struct pt_regs *regs)
{
	unsigned long sp = ALIGN(regs->sp, sizeof(long)), frame = regs->bp;
	unsigned long end, word, next;
	struct vm_area_struct *vma;
	bool reliable;
	int n = 0;

	if (mmap_read_lock_killable(current->mm))
		return;
	vma = vma_lookup(current->mm, sp);
	end = vma ? min(vma->vm_end, sp + UKL_TRACE_BYTES) : sp;
	mmap_read_unlock(current->mm);

	for (; sp + sizeof(long) <= end && n < UKL_TRACE_ENTRIES; sp += sizeof(long)) {
		if (!ukl_read_app_word(sp, &word))
			break;
		reliable = sp == regs->sp && !ukl_app_ip(regs->ip);
		if (frame && sp == frame + sizeof(long)) {
			reliable = true;
			if (!ukl_read_app_word(frame, &next) || next <= frame)
				next = 0;
			frame = next;
		}
		if (!ukl_app_ip(word))
			continue;
		pr_emerg("ukl: app stack: %s%016lx\n", reliable ? "" : "? ", word);
		n++;
	}
}

void ukl_report_fatal_signal(const struct kernel_siginfo *info)
{
	struct pt_regs *regs = task_pt_regs(current);
	unsigned long addr;

	if (!test_thread_flag(TIF_UKL))
		return;
	/*
	 * A fault of the app's own code (si_code > 0: the kernel's): the
	 * registers of its last entry are those of the fault.
	 */
	if (info->si_code > 0 && ukl_app_ip(regs->ip)) {
		pr_emerg("ukl: app fault: signal %d code %d at ip %016lx sp %016lx\n",
			 info->si_signo, info->si_code, regs->ip, regs->sp);
		/*
		 * A push, a call or a new frame's first store just below
		 * the stack pointer: the stack ran out (into its guard gap or
		 * a guard page).
		 */
		addr = (unsigned long)info->si_addr;
		if (info->si_signo == SIGSEGV && addr + PAGE_SIZE > regs->sp &&
		    addr < regs->sp + PAGE_SIZE)
			pr_emerg("ukl: app stack overflow: fault address %016lx, sp %016lx\n",
				 addr, regs->sp);
		ukl_report_stack(regs);
		return;
	}
	/*
	 * A signal the app sent itself (kill, tgkill: both paths of the
	 * syscall leave with the frame complete when a signal is pending,
	 * sp at the return address of the stub's call).
	 */
	if ((info->si_code == SI_USER || info->si_code == SI_TKILL) &&
	    info->si_pid == task_tgid_vnr(current)) {
		pr_emerg("ukl: app signal: signal %d sent by the app itself, sp %016lx\n",
			 info->si_signo, regs->sp);
		ukl_report_stack(regs);
	}
}
