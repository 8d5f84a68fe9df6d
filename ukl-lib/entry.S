/* SPDX-License-Identifier: GPL-2.0 */
/*
 * UKL syscall entry and return: the app's half of entry_SYSCALL_64.
 *
 * The app runs in ring 0 on its own (user-half) stack with the kernel's
 * GS base and its own FS base (TLS).  glibc reaches the kernel with
 * "call __ukl_syscall" where a normal program executes "syscall", with
 * the same registers: rax = number, rdi, rsi, rdx, r10, r8, r9 = arguments,
 * result in rax, rcx and r11 clobbered, everything else preserved.
 *
 * __ukl_syscall builds the pt_regs frame that the syscall instruction's
 * entry would build, at the top of the task's kernel stack, describing a
 * user-mode caller (cs = __USER_CS).  Everything past that point is the
 * kernel's own syscall path (do_syscall_64: entry work, dispatch, exit
 * work with signal delivery and rescheduling).  The return restores the
 * frame in ring 0: no SWAPGS, no CR3 switch, no SYSRET.
 *
 * The instructions that run on the app's stack are in .ukl.entry.text:
 * an event taken there is an event in app code (error_entry), so that a
 * page fault on the app's stack (a page not touched yet, or being
 * migrated) is the app's own, as it would be for the syscall instruction
 * of a user-mode program.  No kernel code touches the app's stack.
 */
#include <linux/linkage.h>
#include <asm/segment.h>
#include <asm/errno.h>
#include <asm/asm-offsets.h>
#include <asm/percpu.h>
#include <asm/ptrace-abi.h>
#include <asm/processor-flags.h>
#include <asm/thread_info.h>
#include <asm/unwind_hints.h>
#include "calling.h"

	.code64
	.section .ukl.entry.text, "ax"

/*
 * The "syscall; ret" the frame describes.  ukl_syscall_ret is the "ret":
 * back to the app, in ring 0.  The two bytes before it stand for the
 * syscall instruction: a syscall restarted after a signal (regs->ip -= 2,
 * ax = orig_ax) re-enters __ukl_syscall from there, with rsp at the app's
 * return address exactly as on the first entry.  A short jmp, spelt out
 * so that it is two bytes like a syscall instruction.
 */
SYM_CODE_START(ukl_syscall_restart)
	UNWIND_HINT_FUNC
	.byte	0xeb, __ukl_syscall - ukl_syscall_ret
SYM_INNER_LABEL(ukl_syscall_ret, SYM_L_GLOBAL)
	UNWIND_HINT_FUNC
	ret
SYM_CODE_END(ukl_syscall_restart)

SYM_CODE_START(__ukl_syscall)
	UNWIND_HINT_FUNC
	/*
	 * On the app's stack: 0(%rsp) return address.  Take the app's flags
	 * and switch stacks with interrupts off, as the syscall instruction
	 * would.  Its MSR_SYSCALL_MASK clears IF, DF, AC, TF and NT; here
	 * the flags get the fixed value, as in entry_SYSENTER_compat: an NT
	 * left set by the app would make the final IRET raise #GP, a TF
	 * would single-step the kernel.  The frame keeps the app's flags,
	 * which the return restores.
	 */
	pushfq
	pushq	$X86_EFLAGS_FIXED
	popfq
	popq	%r11				/* r11 = flags, as syscall sets it */
	movq	%rsp, %rcx			/* the app's sp, at the return address */
	movq	PER_CPU_VAR(pcpu_hot + X86_top_of_stack), %rsp
	UNWIND_HINT_END_OF_STACK
	jmp	ukl_syscall_frame
SYM_CODE_END(__ukl_syscall)

	.section .noinstr.text, "ax"

SYM_CODE_START_LOCAL(ukl_syscall_frame)
	UNWIND_HINT_END_OF_STACK
	/*
	 * The frame of a syscall from user mode, at task_pt_regs(current),
	 * exactly as if the app had called "syscall; ret": sp points at the
	 * return address and ip at the ret.  Signal frames, rt_sigreturn and
	 * clone children (glibc's clone puts a return address on the child's
	 * stack) then behave as with the user-mode stub of the baseline.
	 */
	pushq	$__USER_DS			/* pt_regs->ss */
	pushq	%rcx				/* pt_regs->sp */
	pushq	%r11				/* pt_regs->flags */
	pushq	$__USER_CS			/* pt_regs->cs */
	leaq	ukl_syscall_ret(%rip), %rcx	/* rcx = ip, as syscall sets it */
	pushq	%rcx				/* pt_regs->ip */
	pushq	%rax				/* pt_regs->orig_ax */

	PUSH_AND_CLEAR_REGS rax=$-ENOSYS

	movq	%rsp, %rdi
	movslq	%eax, %rsi
	call	do_syscall_64			/* returns with IRQs disabled */
	/*
	 * An execve made this task an ordinary user task (a child of the
	 * app's fork that ran a program): leave for ring 3 as from any
	 * other syscall, through the frame exec filled in.
	 */
	movq	PER_CPU_VAR(pcpu_hot + X86_current_task), %rcx
	testl	$_TIF_UKL, TASK_TI_flags(%rcx)
	jz	swapgs_restore_regs_and_return_to_usermode
	jmp	.Lukl_return
SYM_CODE_END(ukl_syscall_frame)


/*
 * void ukl_return_to_app(struct pt_regs *regs): the frame is at the top
 * of the current kernel stack; whatever the C caller had below it is
 * dropped.  Interrupts are disabled.
 */
SYM_CODE_START(ukl_return_to_app)
	UNWIND_HINT_FUNC
	movq	%rdi, %rsp
	UNWIND_HINT_REGS
.Lukl_return:
	/*
	 * Only to app code on an app stack (ukl_return_ok()): an IRET in
	 * ring 0 goes wherever the frame says, and faults in the kernel
	 * where the frame's ip is non-canonical.
	 */
	movq	%rsp, %rdi
	call	ukl_return_ok
	testb	%al, %al
	jz	.Lukl_bad_return
	/*
	 * The frame says user mode; the app is ring-0 code: return with
	 * kernel segments.  IRET restores IF.
	 */
	movq	$__KERNEL_CS, CS(%rsp)
	movq	$__KERNEL_DS, SS(%rsp)
	POP_REGS
	addq	$8, %rsp			/* skip orig_ax */
	UNWIND_HINT_IRET_REGS
	iretq

.Lukl_bad_return:
	UNWIND_HINT_REGS
	/*
	 * SIGSEGV, as a user task gets when its IRET refuses the frame: the
	 * frame becomes that of its handler, checked again; or the app dies.
	 */
	movq	%rsp, %rdi
	call	ukl_bad_return
	jmp	.Lukl_return
SYM_CODE_END(ukl_return_to_app)
