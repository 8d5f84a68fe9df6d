// SPDX-License-Identifier: GPL-2.0
/*
 * Report init's exit status to QEMU: the console line first (the runner
 * cross-checks it), then the isa-debug-exit port, which ends the VM with
 * status (N << 1) | 1.  If no such device is there, the caller panics as
 * the kernel always does when init exits.
 */
#include <linux/console.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/printk.h>
#include <linux/tty.h>
#include <linux/tty_driver.h>
#include <linux/ukl.h>
#include <asm/io.h>
#include "ukl.h"

/* Up to 1 s for what init wrote to the console to go out. */
#define UKL_DRAIN_MS	1000

/*
 * What init wrote to the console may still be in the tty's transmit
 * buffer, which the UART's interrupt empties: wait for it, or the exit
 * port would end QEMU with the app's last lines unsent.  The sleeps are
 * uninterruptible: init may be exiting with a fatal signal pending.
 */
static void ukl_drain_console(void)
{
	struct tty_driver *driver;
	struct tty_struct *tty = NULL;
	unsigned long end;
	int index;

	driver = console_device(&index);
	if (!driver)
		return;
	mutex_lock(&tty_mutex);
	if (driver->ttys)
		tty = tty_kref_get(driver->ttys[index]);
	mutex_unlock(&tty_mutex);
	tty_driver_kref_put(driver);
	if (!tty)
		return;
	end = jiffies + msecs_to_jiffies(UKL_DRAIN_MS);
	while (tty_chars_in_buffer(tty) && time_before(jiffies, end))
		usleep_range(1000, 2000);
	if (tty->ops->wait_until_sent)
		tty->ops->wait_until_sent(tty, msecs_to_jiffies(UKL_DRAIN_MS));
	tty_kref_put(tty);
}

static void ukl_exit_vm(int status)
{
	pr_emerg("ukl: init exited with status %d\n", status);
	/* Everything printed so far reaches the console before QEMU exits. */
	pr_flush(1000, true);
	outl(status, CONFIG_UKL_EXIT_PORT);
}

void ukl_init_exited(int code)
{
	/* The wait(2) encoding: exit status in bits 8-15, signal in 0-6. */
	int status = code & 0x7f ? 128 + (code & 0x7f) : (code >> 8) & 0xff;

	ukl_drain_console();
	ukl_profile_dump();
	ukl_exit_vm(status);
}
