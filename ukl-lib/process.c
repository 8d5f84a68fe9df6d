// SPDX-License-Identifier: GPL-2.0
/*
 * What the tasks of a UKL app do differently from other tasks: they clone
 * threads, and children that share their memory while the parent waits
 * (fork and vfork of the app, posix_spawn); only such a child may exec,
 * and it then becomes an ordinary user task.  Their stacks are ordinary
 * memory, as a user program's are: events taken in app code never push
 * onto them (asm/ukl_ist.h).
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
	/* A thread, or a child on a stack of its own (posix_spawn). */
	if (args->stack || !(args->flags & CLONE_VFORK))
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
 * A task outside the app reaching into a task of the app: ptrace attach,
 * /proc/PID/mem, process_vm_readv/writev and the like (PTRACE_MODE_ATTACH
 * checks), and clear_refs.  Refused: the app runs in ring 0, so a tracer
 * that set its ip, or a writer of its memory, could send it anywhere in
 * the kernel.  The app's own tasks (its threads, a fork child before its
 * exec) share its memory anyway.
 */
bool ukl_foreign_access(struct task_struct *task)
{
	return test_tsk_thread_flag(task, TIF_UKL) && !test_thread_flag(TIF_UKL);
}

/* A signal handler of the app's: only in its code (handle_signal()). */
bool ukl_app_code(unsigned long handler)
{
	return ukl_app_ip(handler);
}
