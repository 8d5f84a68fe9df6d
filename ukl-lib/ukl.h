/* SPDX-License-Identifier: GPL-2.0 */
/* Internal to ukl/: what the launcher and the loader share. */
#ifndef _UKL_INTERNAL_H
#define _UKL_INTERNAL_H

#include <linux/elf.h>

/*
 * The launcher writes a file starting with this magic and execs it; the
 * UKL binary format recognises it and builds the app's process image.
 */
#define UKL_MAGIC	"\177UKL-app\n"
#define UKL_EXEC_PATH	"/ukl-app"

/*
 * The app's program headers as glibc sees them (AT_PHDR, __ehdr_start):
 * PT_TLS describes the app's TLS template in vmlinux, PT_GNU_STACK a
 * non-executable stack.  Filled in by ukl_fill_headers().
 */
struct ukl_app_headers {
	Elf64_Ehdr ehdr;
	Elf64_Phdr phdr[2];
};
extern struct ukl_app_headers ukl_app_ehdr;
void ukl_fill_headers(void);

struct pt_regs;

/* The C half of __ukl_syscall (entry.S). */
void ukl_do_syscall(struct pt_regs *regs, int nr);

/* Symbols of the app's partial link (link/), namespaced with "app.". */
extern char ukl_app_entry[] __asm__("app._start");
extern const char ukl_app_name[] __asm__("app.ukl_app_name");

/* The bounds of the app's TLS template (arch/x86/kernel/vmlinux.lds.S). */
extern char __ukl_tls_start[], __ukl_tls_end[], __ukl_tls_align[];

#endif /* _UKL_INTERNAL_H */
