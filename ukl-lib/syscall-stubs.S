/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The app's syscall entry points: one stub per entry of the x86-64
 * syscall table, __ukl_sys_NAME for the table's sys_NAME, made from the
 * kernel's own generated table (asm/syscalls_64.h).  glibc calls them as
 * C functions: arguments in rdi, rsi, rdx, rcx, r8, r9, result (or
 * -errno) in rax, the caller-saved registers clobbered.
 *
 * The full path: load the syscall instruction's registers (number in
 * rax, the fourth argument in r10) and go to __ukl_syscall (entry.S),
 * which builds the pt_regs frame and runs do_syscall_64.
 *
 * The bypass path (CONFIG_UKL_BYPASS, unless ukl.bypass=0): ukl_bypass, on
 * the task's kernel stack, calls the syscall's implementation directly
 * (__ukl_direct_sys_NAME, made by SYSCALL_DEFINEx), then return to the
 * app with a plain ret if no exit work is pending.  The arguments, the
 * app's stack and frame pointers and the ip of a syscall are kept in the
 * pt_regs slots at the top of the kernel stack; the rest of the frame is
 * written only when the exit work needs it (.Lukl_bypass_slow): then the
 * return is the full path's.
 */
#include <linux/linkage.h>
#include <linux/errno.h>
#include <asm/asm-offsets.h>
#include <asm/percpu.h>
#include <asm/processor-flags.h>
#include <asm/ptrace-abi.h>
#include <asm/segment.h>
#include <asm/nospec-branch.h>
#include <asm/unwind_hints.h>

#include "bypass.h"

/*
 * The syscalls that always take the full path, and why.  The README's
 * list is this one.
 */
.macro UKL_FULL_PATH sym:req
	.set	.Lukl_full_\sym, 1
.endm
	/* The frame is the signal frame's registers (current_pt_regs()). */
	UKL_FULL_PATH sys_rt_sigreturn
	/* The child's registers are a copy of the caller's frame. */
	UKL_FULL_PATH sys_clone
	UKL_FULL_PATH sys_clone3
	UKL_FULL_PATH sys_fork
	UKL_FULL_PATH sys_vfork
	/* start_thread() rewrites the frame (refused for the app anyway). */
	UKL_FULL_PATH sys_execve
	UKL_FULL_PATH sys_execveat
	/* They do not return: nothing to gain, and exit is the entry path's. */
	UKL_FULL_PATH sys_exit
	UKL_FULL_PATH sys_exit_group
	/* They return only by delivering a signal with the saved mask. */
	UKL_FULL_PATH sys_rt_sigsuspend
	UKL_FULL_PATH sys_pause
	/* Reads the app's stack pointer from the frame. */
	UKL_FULL_PATH sys_sigaltstack
	/* Reached only from a restart, which re-enters through the full path. */
	UKL_FULL_PATH sys_restart_syscall
	/* Changes the FS/GS bases and task state the return path relies on. */
	UKL_FULL_PATH sys_arch_prctl
	/* Tracer and tracee meet in pt_regs and syscall work. */
	UKL_FULL_PATH sys_ptrace
	/* A new filter must see this task's later calls; reads the frame. */
	UKL_FULL_PATH sys_seccomp
	/* Reads and rewrites the frame (uprobes). */
	UKL_FULL_PATH sys_uretprobe

/*
 * The syscalls the vDSO serves for a Linux process: their stub calls the
 * kernel's timekeeping directly (ukl_fast_sys_NAME, time.c) on the task
 * stack, or, when that returns UKL_FAST_SLOW, goes on to
 * __ukl_slow_sys_NAME, the syscall's ordinary stub, with the arguments
 * (at most two) as they came.
 */
.macro UKL_VDSO sym:req
	.set	.Lukl_vdso_\sym, 1
.endm
	UKL_VDSO sys_clock_gettime
	UKL_VDSO sys_gettimeofday
	UKL_VDSO sys_time

/*
 * From the app's stack to task_pt_regs(current), as the frame of a call
 * from user mode: sp at the app's return address, ip at ukl_syscall_ret,
 * the app's frame pointer and a user cs.  For whoever reads the app's
 * registers during the call (the profiler, profile.c: an ip left from an
 * earlier entry from app code would be taken for the app's) and for the
 * ORC unwinder, for which a kernel stack trace ends there.  The rest of
 * the frame is the caller's to fill in.  \scratch is clobbered.
 */
.macro UKL_TASK_FRAME scratch:req
	movq	%rsp, \scratch
	movq	PER_CPU_VAR(pcpu_hot + X86_top_of_stack), %rsp
	UNWIND_HINT_END_OF_STACK
	subq	$SS+8, %rsp			/* %rsp = task_pt_regs(current) */
	movq	\scratch, RSP(%rsp)		/* points at the return address */
	leaq	ukl_syscall_ret(%rip), \scratch
	movq	\scratch, RIP(%rsp)
	movq	%rbp, RBP(%rsp)
	movq	$__USER_CS, CS(%rsp)
.endm

/*
 * A bypassed syscall's stub: its number and implementation, then the
 * common code.  A full-path syscall's stub: the syscall instruction's
 * registers, then __ukl_syscall.
 */
.macro UKL_STUB_BODY nr:req, sym:req
	movl	$\nr, %eax
#ifdef CONFIG_UKL_BYPASS
.ifndef .Lukl_full_\sym
	leaq	__ukl_direct_\sym(%rip), %r11
	jmp	ukl_bypass
.exitm
.endif
#endif
	movq	%rcx, %r10
	jmp	__ukl_syscall
.endm

.macro UKL_STUB nr:req, sym:req
#ifdef CONFIG_UKL_BYPASS
.ifdef .Lukl_vdso_\sym
SYM_CODE_START_NOALIGN(__ukl_\sym)
	UNWIND_HINT_FUNC
	UKL_TASK_FRAME %r11
	movq	%rdi, RDI(%rsp)
	movq	%rsi, RSI(%rsp)
	UNWIND_HINT_REGS
	call	ukl_fast_\sym
	movq	RDI(%rsp), %rdi
	movq	RSI(%rsp), %rsi
	movq	RSP(%rsp), %rsp
	UNWIND_HINT_FUNC
	cmpq	$UKL_FAST_SLOW, %rax
	je	__ukl_slow_\sym
	ret
SYM_CODE_END(__ukl_\sym)
SYM_FUNC_START_NOALIGN(__ukl_slow_\sym)
	UKL_STUB_BODY \nr, \sym
SYM_FUNC_END(__ukl_slow_\sym)
.exitm
.endif
#endif
SYM_FUNC_START_NOALIGN(__ukl_\sym)
	UKL_STUB_BODY \nr, \sym
SYM_FUNC_END(__ukl_\sym)
.endm

/*
 * Everything here starts on the app's stack: an event taken before the
 * switch to the task stack, or after the switch back, is an event in app
 * code (error_entry, .ukl.entry.text).
 */
	.section .ukl.entry.text, "ax"

/* asm/syscalls_64.h: one line per table entry; holes are sys_ni_syscall. */
.macro UKL_TABLE_ENTRY nr:req, sym:req
.ifnc \sym, sys_ni_syscall
	UKL_STUB \nr, \sym
.endif
.endm
#define __SYSCALL(nr, sym)		UKL_TABLE_ENTRY nr, sym;
#define __SYSCALL_NORETURN(nr, sym)	UKL_TABLE_ENTRY nr, sym;
#include <asm/syscalls_64.h>

#ifdef CONFIG_UKL_BYPASS
/*
 * %eax = the syscall number, %r11 = its __ukl_direct_sys_NAME, the
 * arguments in the C registers, %rsp at the app's return address.  The full
 * path when bypass mode is off (ukl.bypass=0) or the task has syscall work.
 */
SYM_CODE_START(ukl_bypass)
	UNWIND_HINT_FUNC
	cmpb	$0, ukl_bypass_on(%rip)
	je	.Lukl_bypass_full
	movq	PER_CPU_VAR(pcpu_hot + X86_current_task), %r10
	cmpq	$0, TASK_TI_syscall_work(%r10)
	jne	.Lukl_bypass_full
	UKL_TASK_FRAME %r10
	movq	%rax, ORIG_RAX(%rsp)
	movq	%rdi, RDI(%rsp)			/* for a restart through */
	movq	%rsi, RSI(%rsp)			/* the full path */
	movq	%rdx, RDX(%rsp)
	movq	%rcx, R10(%rsp)
	movq	%r8, R8(%rsp)
	movq	%r9, R9(%rsp)
	UNWIND_HINT_REGS
	CALL_NOSPEC r11

/*
 * After the direct call: %rax = the result, %rsp = task_pt_regs(current),
 * whose sp, orig_ax and argument slots are filled in.  Interrupts are on.
 *
 * With interrupts off, check for the work the syscall exit path would do:
 * thread flags (signals, rescheduling, notify-resume and task work, the
 * FPU registers to reload, ...), syscall work that appeared during the
 * call, and the restart codes (-ERESTARTSYS .. -ERESTART_RESTARTBLOCK),
 * which only the signal code may turn into a restart or -EINTR.  None:
 * back to the app's stack; STI's one-instruction shadow covers the RET,
 * and from the app's code on, an interrupt is an entry from user mode
 * that does its own exit work.
 */
	cli
	movq	PER_CPU_VAR(pcpu_hot + X86_current_task), %rcx
	testl	$UKL_EXIT_WORK, TASK_TI_flags(%rcx)
	jnz	.Lukl_bypass_slow
	cmpq	$0, TASK_TI_syscall_work(%rcx)
	jne	.Lukl_bypass_slow
	leaq	ERESTART_RESTARTBLOCK(%rax), %rcx
	cmpq	$ERESTART_RESTARTBLOCK - ERESTARTSYS, %rcx
	jbe	.Lukl_bypass_slow
	movq	RSP(%rsp), %rsp
	UNWIND_HINT_FUNC
	sti
	ret

	/*
	 * Complete the frame as the full path would have built it for this
	 * call (ip at ukl_syscall_ret, sp at the return address, the flags
	 * of an app that called a function: IF set, the rest clear) and leave
	 * through syscall_exit_to_user_mode(), which expects interrupts on.
	 * The callee-saved registers still hold the app's values.  A restart
	 * sets ip back two bytes to the jmp to __ukl_syscall, with orig_ax and
	 * the saved arguments: the call is made again through the full path.
	 */
.Lukl_bypass_slow:
	sti
	movq	%rax, RAX(%rsp)
	movq	%rbx, RBX(%rsp)
	movq	%rbp, RBP(%rsp)
	movq	%r12, R12(%rsp)
	movq	%r13, R13(%rsp)
	movq	%r14, R14(%rsp)
	movq	%r15, R15(%rsp)
	leaq	ukl_syscall_ret(%rip), %rcx
	movq	%rcx, RIP(%rsp)
	movq	%rcx, RCX(%rsp)			/* rcx and r11 as the */
	movq	$(X86_EFLAGS_IF | X86_EFLAGS_FIXED), %r11
	movq	%r11, EFLAGS(%rsp)
	movq	%r11, R11(%rsp)			/* syscall instruction sets them */
	movq	$__USER_CS, CS(%rsp)
	movq	$__USER_DS, SS(%rsp)
	movq	%rsp, %rdi
	call	syscall_exit_to_user_mode	/* returns with IRQs off */
	movq	%rsp, %rdi
	jmp	ukl_return_to_app

.Lukl_bypass_full:
	movq	%rcx, %r10
	jmp	__ukl_syscall
SYM_CODE_END(ukl_bypass)
#endif
