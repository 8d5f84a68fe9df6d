// SPDX-License-Identifier: GPL-2.0
/*
 * What the tasks of a UKL app do differently from other tasks: they clone
 * only threads, whose stacks are locked and populated before the thread
 * runs; they do not exec; and running off a stack ends the app as a
 * SIGSEGV would, not the kernel with a double fault.
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/printk.h>
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/ukl.h>
#include <uapi/linux/sched.h>
#include "ukl.h"

#define ukl_refuse(what)						\
	pr_warn_ratelimited("ukl: %s (pid %d): %s is not supported for UKL apps, returning -ENOSYS\n", \
			    current->comm, task_pid_nr(current), what)

/*
 * App text and data live in the kernel image and are shared by every task
 * of the app, not copied: a new process (fork, vfork, or clone without
 * CLONE_VM) would share them with its parent, and a CLONE_VM child that is
 * not a thread (posix_spawn, system) would exec.  Only threads are allowed.
 */
static const char *ukl_refused_clone(u64 flags)
{
	if (flags & CLONE_VFORK)
		return "vfork";
	if (!(flags & CLONE_VM))
		return "fork (a clone without CLONE_VM)";
	if (!(flags & CLONE_THREAD))
		return "a clone without CLONE_THREAD";
	return NULL;
}

/*
 * The new thread's stack: clone3 gives its top and size; clone only its
 * top, and then it is the mapping below, up to RLIMIT_STACK of it.
 */
static int ukl_lock_thread_stack(unsigned long top, unsigned long size)
{
	struct vm_area_struct *vma;
	int ret;

	if (!size) {
		mmap_read_lock(current->mm);
		vma = vma_lookup(current->mm, top - 1);
		if (vma)
			size = min(top - vma->vm_start, rlimit(RLIMIT_STACK));
		mmap_read_unlock(current->mm);
		if (!vma)
			return -EFAULT;
	}
	ret = ukl_mlock_stack(top - size, size);
	if (ret)
		pr_warn_ratelimited("ukl: %s (pid %d): cannot lock the stack %#lx-%#lx of a new thread: %d\n",
				    current->comm, task_pid_nr(current), top - size, top, ret);
	return ret;
}

int ukl_check_clone(struct kernel_clone_args *args)
{
	const char *what;

	/* Tasks the kernel makes for itself (io_uring workers) run no app code. */
	if (args->fn)
		return 0;
	what = ukl_refused_clone(args->flags);
	if (what) {
		ukl_refuse(what);
		return -ENOSYS;
	}
	/* A thread without a stack of its own shares the caller's (locked) one. */
	if (!args->stack)
		return 0;
	return ukl_lock_thread_stack(args->stack, args->stack_size);
}

int ukl_check_exec(void)
{
	ukl_refuse("execve");
	return -ENOSYS;
}

/*
 * The CPU double-faults when it cannot push an exception frame: for app
 * code, whose exceptions use the app's stack, when the stack pointer ran
 * into the page below the stack (CR2 within a page below the pointer).
 * All other double faults stay the kernel's.
 */
void ukl_double_fault(struct pt_regs *regs, unsigned long address)
{
	static char why[160];

	if (!ukl_app_ip(regs->ip) || address >= TASK_SIZE_MAX ||
	    address >= regs->sp || regs->sp - address > PAGE_SIZE)
		return;
	snprintf(why, sizeof(why),
		 "ukl: %s (pid %d): app stack overflow at %pS: sp %#lx, fault address %#lx\n",
		 current->comm, task_pid_nr(current), (void *)regs->ip, regs->sp, address);
	ukl_init_killed_atomic(SIGSEGV, why);
}
