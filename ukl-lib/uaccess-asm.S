/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ukl_uaccess_addr: the check of uaccess.c for the assembler helpers
 * __get_user_N and __put_user_N (arch/x86/lib/{get,put}user.S), whose
 * callers expect only a few registers to change.  In: the access's size
 * N, pushed by the caller (8(%rsp) on entry).  In and out: %rdx, the
 * address above USER_PTR_MAX, kept if the app may use its N bytes, else
 * ~0 (an address that faults).  Every other register except the flags is
 * kept.
 */
#include <linux/linkage.h>
#include <linux/export.h>

	.text
SYM_FUNC_START(ukl_uaccess_addr)
	pushq	%rax
	pushq	%rcx
	pushq	%rsi
	pushq	%rdi
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	movq	%rdx, %rdi
	movq	9*8(%rsp), %rsi			/* the size, above 8 saved registers */
	call	ukl_uaccess_addr_slow
	movq	%rax, %rdx
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rdi
	popq	%rsi
	popq	%rcx
	popq	%rax
	RET
SYM_FUNC_END(ukl_uaccess_addr)
EXPORT_SYMBOL(ukl_uaccess_addr)
