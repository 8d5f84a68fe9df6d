// SPDX-License-Identifier: GPL-2.0
/*
 * What the tasks of a UKL app do differently from other tasks: they clone
 * threads, whose stacks are locked and populated before the thread runs,
 * and children that share their memory while the parent waits (fork and
 * vfork of the app, posix_spawn); only such a child may exec, and it then
 * becomes an ordinary user task.  Running off a stack ends the app as a
 * SIGSEGV would, not the kernel with a double fault.
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/printk.h>
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/sched/task_stack.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/ukl.h>
#include <uapi/linux/sched.h>
#include "ukl.h"

#define ukl_refuse(what)						\
	pr_warn_ratelimited("ukl: %s (pid %d): %s is not supported for UKL apps, returning -ENOSYS\n", \
			    current->comm, task_pid_nr(current), what)

/*
 * App text and data live in the kernel image and are shared by every task
 * of the app, not copied.  A new process that copies the parent's memory
 * cannot have them (a clone without CLONE_VM becomes a CLONE_VFORK child,
 * in ukl_check_clone()); a CLONE_VM child that runs on beside its parent
 * would share them behind its back.  Allowed are threads, and children
 * that run while the parent waits (CLONE_VFORK) until they exit or exec:
 * fork and vfork of the app on the parent's own stack, which no other
 * thread may then use, and posix_spawn on a stack of its own.
 */
static const char *ukl_refused_clone(struct kernel_clone_args *args)
{
	u64 flags = args->flags;

	if (flags & CLONE_THREAD)
		return NULL;
	if (!(flags & CLONE_VFORK))
		return "a clone without CLONE_THREAD or CLONE_VFORK (a child that runs on beside its parent)";
	if (!args->stack && get_nr_threads(current) > 1)
		return "fork or vfork while other threads of the app run";
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

/*
 * A fork or vfork child of the app runs on its parent's stack, from the
 * parent's stack pointer down, and returns through the parent's frames:
 * the used part of the stack, from the stack pointer of the call to the
 * top of its mapping, is saved and put back before the parent returns,
 * so that the parent resumes with the stack it had.  The room is taken
 * here, where the clone can still fail; the copy is made just before
 * the child first runs (ukl_clone_snapshot()), after the kernel's own
 * writes to the parent's memory (CLONE_PIDFD, CLONE_PARENT_SETTID), which
 * often go to the parent's stack and must stay.
 */
struct ukl_stack_copy {
	unsigned long start;
	size_t size;	/* from start to the top of the stack's mapping */
	size_t len;	/* saved by ukl_clone_snapshot(): size, or 0 */
	u8 data[];
};

static int ukl_save_stack(struct ukl_stack_copy **copy)
{
	unsigned long sp = current_pt_regs()->sp, end = 0;
	struct vm_area_struct *vma;
	struct ukl_stack_copy *c;

	mmap_read_lock(current->mm);
	vma = vma_lookup(current->mm, sp);
	if (vma)
		end = vma->vm_end;
	mmap_read_unlock(current->mm);
	if (!end)
		return -EFAULT;
	c = kvmalloc(struct_size(c, data, end - sp), GFP_KERNEL_ACCOUNT);
	if (!c)
		return -ENOMEM;
	c->start = sp;
	c->size = end - sp;
	c->len = 0;
	*copy = c;
	return 0;
}

void ukl_clone_snapshot(struct ukl_stack_copy *copy)
{
	if (!copy)
		return;
	/* The stack is locked and populated: this fails only if it went. */
	if (copy_from_user(copy->data, (const void __user *)copy->start, copy->size)) {
		pr_warn_ratelimited("ukl: %s (pid %d): cannot save the stack %#lx-%#lx at a fork; it is not restored\n",
				    current->comm, task_pid_nr(current), copy->start,
				    copy->start + copy->size);
		return;
	}
	copy->len = copy->size;
}

int ukl_check_clone(struct kernel_clone_args *args, struct ukl_stack_copy **copy)
{
	const char *what;

	/* Tasks the kernel makes for itself (io_uring workers) run no app code. */
	if (args->fn)
		return 0;
	/*
	 * A clone that would copy the process (fork, or a raw clone without
	 * CLONE_VM) gets the child an app task can have: one that shares
	 * the app's memory while the parent waits, as glibc's fork asks for
	 * (kernel_clone() takes the flags from here).
	 */
	if (!(args->flags & (CLONE_VM | CLONE_THREAD)))
		args->flags |= CLONE_VM | CLONE_VFORK;
	what = ukl_refused_clone(args);
	if (what) {
		ukl_refuse(what);
		return -ENOSYS;
	}
	if (args->stack)
		return ukl_lock_thread_stack(args->stack, args->stack_size);
	/* A thread without a stack of its own shares the caller's (locked) one. */
	if (!(args->flags & CLONE_VFORK))
		return 0;
	return ukl_save_stack(copy);
}

/*
 * After the child has exited or exec'd: put the parent's stack back.  A
 * clone that failed made no snapshot (len 0) and had no child to run over
 * the stack: there is nothing to put back.  A parent killed while it
 * waited does not return to its stack, and the child may still be running
 * on it.
 */
void ukl_clone_done(struct ukl_stack_copy *copy)
{
	if (!copy)
		return;
	if (copy->len && !fatal_signal_pending(current) &&
	    copy_to_user((void __user *)copy->start, copy->data, copy->len))
		pr_warn_ratelimited("ukl: %s (pid %d): cannot restore the stack %#lx-%#lx after a fork\n",
				    current->comm, task_pid_nr(current), copy->start,
				    copy->start + copy->len);
	kvfree(copy);
}

/*
 * Only a child that its parent waits for may exec (fork, vfork,
 * posix_spawn): it leaves the app's image to its parent and becomes an
 * ordinary user task of the new program (begin_new_exec() clears
 * TIF_UKL).  The app's own tasks have no image to replace.
 */
int ukl_check_exec(void)
{
	if (current->vfork_done)
		return 0;
	ukl_refuse("execve (other than in the child of a fork, vfork or posix_spawn)");
	return -ENOSYS;
}

/*
 * Signal frames on an alternate stack are pushed in ring 0 as well: lock
 * and populate it, as a thread's stack.  One in the app's own image
 * (a static array) is always present.
 */
int ukl_check_sigaltstack(unsigned long sp, size_t size)
{
	int ret;

	if (sp >= TASK_SIZE_MAX)
		return 0;
	ret = ukl_mlock_stack(sp, size);
	if (ret)
		pr_warn_ratelimited("ukl: %s (pid %d): cannot lock the alternate signal stack %#lx-%#lx: %d\n",
				    current->comm, task_pid_nr(current), sp, sp + size, ret);
	return ret;
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
