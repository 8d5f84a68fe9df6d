// SPDX-License-Identifier: GPL-2.0
/*
 * The C half of __ukl_syscall (entry.S): refuse what a UKL app cannot do,
 * then run the syscall through the kernel's own x86-64 syscall path.
 */
#include <linux/kernel.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/uaccess.h>
#include <linux/ptrace.h>
#include <uapi/linux/sched.h>
#include <asm/syscall.h>
#include <asm/unistd.h>
#include "ukl.h"

/*
 * App text and data live in the kernel image and are shared by every task
 * of the app, not copied: a new process (fork, or clone without CLONE_VM)
 * would share them with its parent, and exec would leave them behind.
 * Only threads (CLONE_VM | CLONE_THREAD) are allowed; a CLONE_VM child that
 * is not a thread (posix_spawn, system) would exec.
 */
static const char *ukl_refused_clone(u64 flags, bool clone3)
{
	if (!(flags & CLONE_VM))
		return clone3 ? "clone3 without CLONE_VM" : "clone without CLONE_VM";
	if (!(flags & CLONE_THREAD))
		return clone3 ? "clone3 without CLONE_THREAD" : "clone without CLONE_THREAD";
	return NULL;
}

static const char *ukl_refused(const struct pt_regs *regs, int nr)
{
	u64 flags;

	switch (nr) {
	case __NR_fork:
		return "fork";
	case __NR_vfork:
		return "vfork";
	case __NR_execve:
		return "execve";
	case __NR_execveat:
		return "execveat";
	case __NR_clone:
		return ukl_refused_clone(regs->di, false);
	case __NR_clone3:
		/* Interrupts are off here: no faulting in the argument. */
		if (regs->si < sizeof(flags) ||
		    copy_from_user_nofault(&flags, (u64 __user *)regs->di,
					   sizeof(flags)))
			return "clone3 with unreadable arguments";
		return ukl_refused_clone(flags, true);
	}
	return NULL;
}

/*
 * Called from __ukl_syscall with interrupts off, before the entry work of
 * do_syscall_64(): the refusal check only reads user memory without
 * faulting and prints rate-limited (printk is safe here, though lockdep
 * and context tracking have not been told about the entry yet).
 */
__visible void ukl_do_syscall(struct pt_regs *regs, int nr)
{
	const char *what = ukl_refused(regs, nr);

	if (unlikely(what)) {
		pr_warn_ratelimited("ukl: %s (pid %d): %s is not supported for UKL apps, returning -ENOSYS\n",
				    current->comm, task_pid_nr(current), what);
		nr = -1;	/* no syscall: do_syscall_64 leaves ax = -ENOSYS */
	}
	do_syscall_64(regs, nr);
}
