/* SPDX-License-Identifier: GPL-2.0 */
/* Internal to ukl/: what the launcher and the loader share. */
#ifndef _UKL_INTERNAL_H
#define _UKL_INTERNAL_H

#include <linux/elf.h>
#include <linux/uaccess.h>

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

/* Symbols of the app's partial link (link/), namespaced with "app.". */
extern char ukl_app_entry[] __asm__("app._start");
extern const char ukl_app_name[] __asm__("app.ukl_app_name");
extern char ukl_app_text_start[] __asm__("app.__text_start");
extern char ukl_app_text_end[] __asm__("app.__text_end");
/* The bounds of the app's data (link/app.lds), for uaccess.c. */
extern char ukl_app_rodata_start[] __asm__("app.__ukl_rodata_start");
extern char ukl_app_rodata_end[] __asm__("app.__ukl_rodata_end");
extern char ukl_app_data_start[] __asm__("app.__ukl_data_start");
extern char ukl_app_data_end[] __asm__("app.__ukl_data_end");
extern char ukl_app_bss_start[] __asm__("app.__ukl_bss_start");
extern char ukl_app_bss_end[] __asm__("app.__ukl_bss_end");

/* The syscall stubs' code that runs on the app's stack (vmlinux.lds.S). */
extern char __ukl_entry_text_start[], __ukl_entry_text_end[];

/* [@addr, @addr + @size) lies within [@start, @end). */
static __always_inline bool ukl_in(unsigned long addr, unsigned long size,
				   const char *start, const char *end)
{
	return addr >= (unsigned long)start && addr <= (unsigned long)end &&
	       size <= (unsigned long)end - addr;
}

/* Whether @ip is in the app's code (as the entry code decides it). */
static __always_inline bool ukl_app_ip(unsigned long ip)
{
	return ip >= (unsigned long)ukl_app_text_start &&
	       ip < (unsigned long)ukl_app_text_end;
}

/*
 * A word of the app's stack (a frame record, a return address), read from
 * any context, faults included: false if it cannot be read.  The fault
 * report and the profiler follow the app's frame records with it.
 */
static inline bool ukl_read_app_word(unsigned long addr, unsigned long *word)
{
	return !copy_from_user_nofault(word, (const void __user *)addr, sizeof(*word));
}

/*
 * The sampling profiler (profile.c, ukl.profile=HZ): started before the
 * app is entered, stopped and printed when init exits.
 */
#ifdef CONFIG_UKL_PROFILE
void ukl_profile_start(void);
void ukl_profile_dump(void);
#else
static inline void ukl_profile_start(void)
{
}

static inline void ukl_profile_dump(void)
{
}
#endif

/* The checked return to the app (entry.S, process.c). */
bool ukl_return_ok(struct pt_regs *regs);
void ukl_bad_return(struct pt_regs *regs);

/* For ukl_uaccess_addr (uaccess-asm.S): the address, or ~0 if refused. */
unsigned long ukl_uaccess_addr_slow(unsigned long addr, unsigned long size);

/* The bounds of the app's TLS template (arch/x86/kernel/vmlinux.lds.S). */
extern char __ukl_tls_start[], __ukl_tls_end[], __ukl_tls_align[];

#endif /* _UKL_INTERNAL_H */
