// SPDX-License-Identifier: GPL-2.0
/*
 * Report init's exit status to QEMU: the console line first (the runner
 * cross-checks it), then the isa-debug-exit port, which ends the VM with
 * status (N << 1) | 1.  If no such device is there, the caller panics as
 * the kernel always does when init exits.
 */
#include <linux/printk.h>
#include <linux/ukl.h>
#include <asm/io.h>

void ukl_init_exited(int code)
{
	/* The wait(2) encoding: exit status in bits 8-15, signal in 0-6. */
	int status = code & 0x7f ? 128 + (code & 0x7f) : (code >> 8) & 0xff;

	pr_emerg("ukl: init exited with status %d\n", status);
	/* Everything printed so far reaches the console before QEMU exits. */
	pr_flush(1000, true);
	outl(status, CONFIG_UKL_EXIT_PORT);
}
