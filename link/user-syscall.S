/* SPDX-License-Identifier: GPL-2.0 */
/*
 * __ukl_syscall for the baseline: the same app and glibc objects, linked
 * as an ordinary static program, enter the kernel with a real syscall.
 * Same registers in and out as the instruction itself.
 */
	.text
	.globl	__ukl_syscall
	.type	__ukl_syscall, @function
__ukl_syscall:
	syscall
	ret
	.size	__ukl_syscall, . - __ukl_syscall
	.section .note.GNU-stack, "", @progbits
