/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The sub-programs of the process test app, one per area (one .c file each).
 * Each gets main's argc/argv unchanged (argv[1] is its own name).
 */
#ifndef PROC_PROC_H
#define PROC_PROC_H

int proc_threads(int argc, char **argv);
int proc_stacks(int argc, char **argv);
int proc_smp(int argc, char **argv);
int proc_preempt(int argc, char **argv);
int proc_signals(int argc, char **argv);
int proc_time(int argc, char **argv);
int proc_memory(int argc, char **argv);
int proc_files(int argc, char **argv);
int proc_identity(int argc, char **argv);
int proc_args(int argc, char **argv);
int proc_stress(int argc, char **argv);
int proc_review(int argc, char **argv);
int proc_spin(int argc, char **argv);
int proc_bypass(int argc, char **argv);
int proc_fork(int argc, char **argv);
int proc_faults(int argc, char **argv);
int proc_names(int argc, char **argv);
int proc_exhaust(int argc, char **argv);
int proc_nss(int argc, char **argv);
int proc_events(int argc, char **argv);
int proc_layout(int argc, char **argv);

#include <stdint.h>

/* Whether the app runs in ring 0, as a UKL app. */
static inline int in_ukl(void)
{
	unsigned short cs;

	__asm__ volatile("mov %%cs, %0" : "=r"(cs));
	return (cs & 3) == 0;
}

/* profile.c: @n steps of app code that calls nothing and makes no syscall. */
unsigned long profile_compute(unsigned long seed, long n);

/* stacks.c: recurse @bytes deep, checking every frame; 1 if intact. */
int stack_recurse(long bytes, uintptr_t *lowest, long *levels);

int exit_return(int argc, char **argv);
int exit_exit(int argc, char **argv);
int exit__exit(int argc, char **argv);
int exit_thread(int argc, char **argv);
int exit_main_pthread_exit(int argc, char **argv);
int exit_abort(int argc, char **argv);
int exit_signal(int argc, char **argv);
int exit_fifo(int argc, char **argv);
int exit_overflow(int argc, char **argv);
int exit_segv(int argc, char **argv);
int exit_ill(int argc, char **argv);
int exit_fpe(int argc, char **argv);
int exit_loop(int argc, char **argv);
int exit_bad_handler(int argc, char **argv);
int exit_kernel_handler(int argc, char **argv);
int exit_bad_ip(int argc, char **argv);
int exit_kernel_ip(int argc, char **argv);
int exit_kernel_sp(int argc, char **argv);
int exit_debug(int argc, char **argv);
int exit_oom(int argc, char **argv);
int profile_loop(int argc, char **argv);

#endif /* PROC_PROC_H */
