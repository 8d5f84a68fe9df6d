// SPDX-License-Identifier: GPL-2.0
/*
 * What the tasks of a UKL app do differently from other tasks: they clone
 * threads, and children that run while the parent waits (fork and vfork
 * of the app, posix_spawn); only such a child may exec, and it then
 * becomes an ordinary user task.  Their stacks are ordinary memory, as a
 * user program's are: events taken in app code never push onto them
 * (asm/ukl_ist.h).
 */
#include <linux/fdtable.h>
#include <linux/entry-common.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/printk.h>
#include <linux/ptrace.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/sched/task_stack.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/ukl.h>
#include <uapi/linux/sched.h>
#include "ukl.h"

#define ukl_refuse(what)						\
	pr_warn_ratelimited("ukl: %s (pid %d): %s is not supported for UKL apps, returning -ENOSYS\n", \
			    current->comm, task_pid_nr(current), what)

/*
 * Whether a task of @task's thread group other than @task may still run
 * app code: io_uring's workers run none, and neither does a thread that
 * is exiting.
 */
static bool ukl_other_threads(struct task_struct *task)
{
	struct task_struct *t;
	bool others = false;

	rcu_read_lock();
	for_each_thread(task, t) {
		if (t != task && !(t->flags & (PF_IO_WORKER | PF_EXITING))) {
			others = true;
			break;
		}
	}
	rcu_read_unlock();
	return others;
}

/*
 * The app's code and static data (.data and .bss) live in the kernel
 * image and are one for all the app's tasks, whatever their address
 * space.  Allowed are threads, and children that run while their parent
 * waits (CLONE_VFORK) until they exit or exec:
 *  - fork (a clone without CLONE_VM; ukl_check_clone() makes it wait):
 *    the child gets its own copy of the user half of the address space,
 *    as on Linux (stack, heap, TLS, mappings, copy-on-write), and the
 *    parent's static data is put back as it was when the child first ran
 *    before the parent resumes.  Refused while other threads of the app
 *    run: they would share the static data with the child;
 *  - vfork (CLONE_VM | CLONE_VFORK): the child shares the parent's memory
 *    and runs on its stack, as on Linux;
 *  - posix_spawn (the same on a stack of the child's own).
 * A CLONE_VM child that runs on beside its parent, not being a thread,
 * has no use a UKL app could make of it.
 */
static const char *ukl_refused_clone(struct kernel_clone_args *args)
{
	u64 flags = args->flags;

	if (flags & CLONE_THREAD)
		return NULL;
	if (!(flags & CLONE_VFORK))
		return "a clone with CLONE_VM and without CLONE_THREAD or CLONE_VFORK (a child that runs on beside its parent in its memory)";
	if (!(flags & CLONE_VM) && ukl_other_threads(current))
		return "fork while other threads of the app run";
	return NULL;
}

/*
 * What the parent gets back when its child has exited or exec'd.
 *
 * fork: the app's static data, saved by ukl_clone_snapshot() just before
 * the child first runs (after the kernel's own writes to the parent's
 * memory, CLONE_PARENT_SETTID, which must stay), so that the child's
 * writes to it (its exit() and atfork handlers, malloc's and stdio's
 * state for the heap that is now its own) stay the child's, as on Linux.
 *
 * vfork: the child runs from the parent's stack pointer down and may
 * write to the parent's frames above it, as on Linux; what the parent
 * needs back is what the syscall instruction would have kept in
 * registers: the return address of its call to __ukl_syscall, at the
 * stack pointer of the call, which the child's first call overwrites.
 */
struct ukl_fork_copy {
	unsigned long sp;	/* vfork: the parent's stack pointer; 0: fork */
	bool saved;
	u8 data[];
};

static size_t ukl_static_size(void)
{
	return (ukl_app_data_end - ukl_app_data_start) +
	       (ukl_app_bss_end - ukl_app_bss_start);
}

/* The app's .data and .bss into @buf, or (@back) from @buf into them. */
static void ukl_static_copy(u8 *buf, bool back)
{
	size_t data = ukl_app_data_end - ukl_app_data_start;
	size_t bss = ukl_app_bss_end - ukl_app_bss_start;

	if (back) {
		memcpy(ukl_app_data_start, buf, data);
		memcpy(ukl_app_bss_start, buf + data, bss);
	} else {
		memcpy(buf, ukl_app_data_start, data);
		memcpy(buf + data, ukl_app_bss_start, bss);
	}
}

int ukl_check_clone(struct kernel_clone_args *args, struct ukl_fork_copy **copy)
{
	struct ukl_fork_copy *c;
	const char *what;
	size_t size;

	/* Tasks the kernel makes for itself (io_uring workers) run no app code. */
	if (args->fn)
		return 0;
	/*
	 * A clone that copies the address space (fork, or a raw clone
	 * without CLONE_VM) gets the child an app task can have: one that
	 * runs while its parent waits (kernel_clone() takes the flags from
	 * here).
	 */
	if (!(args->flags & (CLONE_VM | CLONE_THREAD)))
		args->flags |= CLONE_VFORK;
	what = ukl_refused_clone(args);
	if (what) {
		ukl_refuse(what);
		return -ENOSYS;
	}
	if (args->flags & CLONE_THREAD)
		return 0;
	if (args->flags & CLONE_VM) {
		/* posix_spawn: a stack of the child's own, nothing shared. */
		if (args->stack)
			return 0;
		size = sizeof(unsigned long);
	} else {
		size = ukl_static_size();
	}
	c = kvmalloc(struct_size(c, data, size), GFP_KERNEL_ACCOUNT);
	if (!c)
		return -ENOMEM;
	c->sp = args->flags & CLONE_VM ? current_pt_regs()->sp : 0;
	c->saved = false;
	*copy = c;
	return 0;
}

void ukl_clone_snapshot(struct ukl_fork_copy *copy)
{
	if (!copy)
		return;
	if (copy->sp) {
		if (copy_from_user(copy->data, (const void __user *)copy->sp,
				   sizeof(unsigned long))) {
			pr_warn_ratelimited("ukl: %s (pid %d): cannot save the return address at %#lx at a vfork; it is not restored\n",
					    current->comm, task_pid_nr(current), copy->sp);
			return;
		}
	} else {
		ukl_static_copy(copy->data, false);
	}
	copy->saved = true;
}

/*
 * After the child has exited or exec'd: put back what the parent needs.
 * A clone that failed made no snapshot and had no child to run: there is
 * nothing to put back.  A parent killed while it waited does not return
 * to app code, and the child may still be running it.
 */
void ukl_clone_done(struct ukl_fork_copy *copy)
{
	if (!copy)
		return;
	if (copy->saved && !fatal_signal_pending(current)) {
		if (!copy->sp) {
			ukl_static_copy(copy->data, true);
		} else if (copy_to_user((void __user *)copy->sp, copy->data,
					sizeof(unsigned long))) {
			pr_warn_ratelimited("ukl: %s (pid %d): cannot restore the return address at %#lx after a vfork\n",
					    current->comm, task_pid_nr(current), copy->sp);
		}
	}
	kvfree(copy);
}

/*
 * The task that waits in kernel_clone() for @child to exit or exec, if it
 * is @child's parent: the completion it waits on is on its kernel stack.
 * NULL for a child of CLONE_PARENT, whose waiter cannot be told.  Under
 * rcu_read_lock().
 */
static struct task_struct *ukl_waiting_parent(struct task_struct *child)
{
	struct task_struct *parent = rcu_dereference(child->real_parent);
	unsigned long done, stack;

	task_lock(child);
	done = (unsigned long)child->vfork_done;
	task_unlock(child);
	stack = (unsigned long)task_stack_page(parent);
	if (!done || done - stack >= THREAD_SIZE)
		return NULL;
	return parent;
}

struct ukl_pipe_peer {
	const struct inode *inode;
	fmode_t mode;
};

static int ukl_pipe_peer_fd(const void *p, struct file *file, unsigned int fd)
{
	const struct ukl_pipe_peer *peer = p;

	return file->f_inode == peer->inode && (file->f_mode & peer->mode);
}

#define UKL_WAIT_CHAIN	8

/*
 * From pipe_read() and pipe_write(), before they wait: whether the wait
 * could never end.  A fork or vfork child runs while its parent waits; if
 * no task but the two of them (and the parent's waiting parents) has the
 * pipe open at the other end (@peer: FMODE_READ for a writer), nobody can
 * empty or fill it.  The caller fails with EDEADLK, as fcntl() refuses a
 * lock wait that would close a cycle.  Only tasks' open files count:
 * a pipe end in flight in a unix socket, or held only by io_uring, is not
 * seen, and the wait is refused though it could end.
 */
bool ukl_pipe_deadlock(struct file *file, fmode_t peer)
{
	struct ukl_pipe_peer match = { .inode = file_inode(file), .mode = peer };
	struct task_struct *chain[UKL_WAIT_CHAIN], *g, *t;
	int n = 0, i, found = 0;
	pid_t parent;

	if (!ukl_task() || !current->vfork_done)
		return false;
	rcu_read_lock();
	/*
	 * The blocked task and the parents that wait for it, none of them
	 * with another thread that could serve the pipe.
	 */
	for (t = current; t; t = ukl_waiting_parent(t)) {
		if (n == UKL_WAIT_CHAIN || ukl_other_threads(t))
			goto out;
		chain[n++] = t;
	}
	if (n < 2)
		goto out;
	for_each_process_thread(g, t) {
		for (i = 0; i < n && chain[i] != t; i++)
			;
		if (i < n)
			continue;
		task_lock(t);
		if (t->files)
			found = iterate_fd(t->files, 0, ukl_pipe_peer_fd, &match);
		task_unlock(t);
		if (found)
			goto out;
	}
	parent = task_pid_nr(chain[1]);
	rcu_read_unlock();
	pr_warn_ratelimited("ukl: %s (pid %d): would wait for ever on a pipe that no task but it and its parent (pid %d), which waits for it to exit or exec, has open for %s; returning -EDEADLK\n",
			    current->comm, task_pid_nr(current), parent,
			    peer & FMODE_READ ? "reading" : "writing");
	return true;
out:
	rcu_read_unlock();
	return false;
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

/*
 * Where a return to the app may go (ukl/entry.S, before the IRET that
 * makes it): to the app's code or to the instructions of the syscall
 * stubs that run on its stack (a syscall's return point, a restart), on
 * a stack in the user half or in the app's writable data.  Each source of
 * a frame checks what it is given (the entry code, rt_sigreturn, the
 * signal handler, ptrace); this catches whatever got past them, a stray
 * store into the saved registers above all.  Without it a kernel ip ran
 * kernel code as the app, in ring 0, and a non-canonical one made the
 * IRET fault in the kernel (an oops).
 */
noinstr bool ukl_return_ok(struct pt_regs *regs)
{
	unsigned long ip = regs->ip, sp = regs->sp;

	if (!ukl_app_ip(ip) && !ukl_in(ip, 1, __ukl_entry_text_start, __ukl_entry_text_end))
		return false;
	/* An empty stack's sp is its end. */
	return sp <= TASK_SIZE_MAX ||
	       ukl_in(sp, 0, ukl_app_data_start, ukl_app_data_end) ||
	       ukl_in(sp, 0, ukl_app_bss_start, ukl_app_bss_end);
}

/*
 * A frame ukl_return_ok() refused: SIGSEGV, as a user task gets when the
 * IRET back to it faults (fixup_bad_iret()).  Entered as an event from
 * the app, since the return had already left the kernel's exit work
 * behind; leaving it delivers the signal (a handler of the app's, whose
 * frame is checked in turn) or ends the app.
 */
noinstr void ukl_bad_return(struct pt_regs *regs)
{
	irqentry_state_t state = irqentry_enter(regs);

	instrumentation_begin();
	pr_err_ratelimited("ukl: return to ip %016lx sp %016lx refused (not app code on an app stack): SIGSEGV\n",
			   regs->ip, regs->sp);
	force_sig(SIGSEGV);
	instrumentation_end();
	irqentry_exit(regs, state);
}
