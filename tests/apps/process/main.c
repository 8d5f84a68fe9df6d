// SPDX-License-Identifier: GPL-2.0
/*
 * process: what an ordinary Linux process can do, run the same way on UKL and
 * on the baseline kernel.
 *   process AREA [ARGS...]
 * runs one sub-program (see the table below).  Every area prints TAP 13 and
 * exits 0 if all its checks passed, 1 otherwise; the exit-* sub-programs end
 * the program in one particular way, for tests of the exit status.
 */
#include <stdio.h>
#include <string.h>

#include "proc.h"
#include "tap.h"

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
} areas[] = {
	{ "threads", proc_threads },
	{ "stacks", proc_stacks },
	{ "smp", proc_smp },
	{ "preempt", proc_preempt },
	{ "signals", proc_signals },
	{ "time", proc_time },
	{ "memory", proc_memory },
	{ "files", proc_files },
	{ "identity", proc_identity },
	{ "args", proc_args },
	{ "stress", proc_stress },
	{ "review", proc_review },
	{ "spin", proc_spin },
	{ "bypass", proc_bypass },
	{ "fork", proc_fork },
	{ "faults", proc_faults },
	{ "names", proc_names },
	{ "exhaust", proc_exhaust },
	{ "nss", proc_nss },
	{ "events", proc_events },
	{ "layout", proc_layout },
	{ "exit-return", exit_return },
	{ "exit-exit", exit_exit },
	{ "exit-_exit", exit__exit },
	{ "exit-thread", exit_thread },
	{ "exit-main-pthread-exit", exit_main_pthread_exit },
	{ "exit-abort", exit_abort },
	{ "exit-signal", exit_signal },
	{ "exit-fifo", exit_fifo },
	{ "exit-overflow", exit_overflow },
	{ "exit-segv", exit_segv },
	{ "exit-ill", exit_ill },
	{ "exit-fpe", exit_fpe },
	{ "exit-loop", exit_loop },
	{ "exit-bad-handler", exit_bad_handler },
	{ "exit-kernel-handler", exit_kernel_handler },
	{ "exit-bad-ip", exit_bad_ip },
	{ "exit-kernel-ip", exit_kernel_ip },
	{ "exit-kernel-sp", exit_kernel_sp },
	{ "exit-debug", exit_debug },
	{ "exit-oom", exit_oom },
	{ "profile-loop", profile_loop },
};

int main(int argc, char **argv)
{
	size_t i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 0; argc > 1 && i < sizeof(areas) / sizeof(areas[0]); i++) {
		if (!strcmp(argv[1], areas[i].name)) {
			int rc = areas[i].run(argc, argv);

			/*
			 * Not a tail call: main stays on the stack, as the
			 * fault, debug and profile tests' call chains expect.
			 */
			__asm__ volatile("" ::: "memory");
			return rc;
		}
	}

	tap_begin();
	check(0, "argv[1] names a sub-program (got %s)", argc > 1 ? argv[1] : "nothing");
	diag("usage: %s AREA [ARGS...]; areas:", argc > 0 ? argv[0] : "process");
	for (i = 0; i < sizeof(areas) / sizeof(areas[0]); i++)
		diag("  %s", areas[i].name);
	return tap_end();
}
