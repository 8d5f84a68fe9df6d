// SPDX-License-Identifier: GPL-2.0
/*
 * A sampling profiler over the app and the kernel (make profile):
 * ukl.profile=HZ on the command line starts it before the app runs.
 *
 * A pinned hard-irq hrtimer on every CPU samples what that CPU was doing
 * HZ times a second: the task's name, the kernel's call chain when the
 * CPU was in kernel code (the ORC unwinder, from the interrupted
 * registers), and the app's call chain when the task is one of the app's
 * (TIF_UKL), whether the CPU was in app code or in the kernel on the
 * app's behalf.  The app and its glibc are built with frame pointers, so
 * the app's chain is its list of frame records, read with
 * copy_from_user_nofault() from the registers of the interruption (app
 * code: an entry from user mode) or from the app's registers in
 * task_pt_regs() (a syscall: sp at the return address of the stub's call,
 * bp the caller's frame; both syscall paths save them).
 *
 * The samples go to a buffer of each CPU.  When init exits
 * (ukl_init_exited()), the timers are stopped and the samples, merged by
 * call chain, are printed on the console:
 *
 *   ukl-profile: COUNT COMM k=ADDR,ADDR,... a=ADDR,ADDR,...
 *
 * the kernel's frames (k=) and the app's (a=, or r= when its first frame
 * is a return address: the caller of a syscall stub), innermost first,
 * each ADDR in hex relative to __START_KERNEL_map (all of the app's and
 * the kernel's code is in the top 2 GiB), and a summary line
 * "ukl-profile: done ...".  The host decodes them with the
 * image's symbols (scripts/ukl-profile).
 */
#include <linux/cpumask.h>
#include <linux/hrtimer.h>
#include <linux/init.h>
#include <linux/ktime.h>
#include <linux/moduleparam.h>
#include <linux/percpu.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/sched/task_stack.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/sort.h>
#include <linux/stacktrace.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <asm/irq_regs.h>
#include <asm/page.h>
#include <asm/ptrace.h>
#include "ukl.h"

#undef MODULE_PARAM_PREFIX
#define MODULE_PARAM_PREFIX "ukl."

/* ukl.profile=HZ: samples per second and CPU; 0 (the default): off. */
static unsigned int ukl_profile_hz __ro_after_init;
module_param_named(profile, ukl_profile_hz, uint, 0444);
MODULE_PARM_DESC(profile, "Sample app and kernel call chains HZ times a second (0: off)");

#define UKL_PROFILE_MAX_HZ	10000
/* Frames kept of each chain; deeper ones are cut at the outer end. */
#define UKL_PROFILE_KDEPTH	32
#define UKL_PROFILE_ADEPTH	48
/* Each CPU's buffer. */
#define UKL_PROFILE_BUF_BYTES	(4UL << 20)

/*
 * A sample in the buffer: a header word (the number of kernel and of app
 * frames, and whether the app's first frame is where the app was
 * interrupted or a return address), the task's name (TASK_COMM_LEN
 * bytes), then the kernel frames and the app frames, innermost first.
 */
#define UKL_COMM_WORDS		(TASK_COMM_LEN / sizeof(unsigned long))
#define UKL_HDR(nk, na, ret)	((unsigned long)(ret) << 32 | (unsigned long)(nk) << 16 | (na))
#define UKL_HDR_NK(h)		(((h) >> 16) & 0xffff)
#define UKL_HDR_NA(h)		((h) & 0xffff)
#define UKL_HDR_RET(h)		((h) >> 32)
#define UKL_SAMPLE_MAX_WORDS	(1 + UKL_COMM_WORDS + UKL_PROFILE_KDEPTH + UKL_PROFILE_ADEPTH)

struct ukl_profile_cpu {
	struct hrtimer timer;
	unsigned long *buf;
	size_t used, size;		/* in words */
	unsigned long samples, dropped;
};

static DEFINE_PER_CPU(struct ukl_profile_cpu, ukl_profile_cpu);
static bool ukl_profile_running;
static ktime_t ukl_profile_period;

/*
 * The app's call chain: @ip if it is the app's, else the return address
 * at @sp (a syscall stub's caller: *@ret is set), then the return
 * addresses of the frame records from @bp up.  A record is two words, the
 * caller's record and the return address; records only go up the stack.
 */
static unsigned int ukl_app_chain(unsigned long ip, unsigned long sp, unsigned long bp,
				  unsigned long *store, unsigned int max, bool *ret)
{
	unsigned int n = 0;
	unsigned long word, next;

	*ret = !ukl_app_ip(ip);
	if (!*ret)
		store[n++] = ip;
	else if (ukl_read_app_word(sp, &word) && ukl_app_ip(word))
		store[n++] = word;
	else
		return 0;
	while (n < max && bp && IS_ALIGNED(bp, sizeof(long))) {
		if (!ukl_read_app_word(bp + sizeof(long), &word) || !ukl_app_ip(word))
			break;
		store[n++] = word;
		if (!ukl_read_app_word(bp, &next) || next <= bp)
			break;
		bp = next;
	}
	return n;
}

static void ukl_profile_sample(struct ukl_profile_cpu *pc, struct pt_regs *regs)
{
	unsigned long *s = pc->buf + pc->used;
	unsigned int nk = 0, na = 0;
	struct pt_regs *app;
	bool ret = false;

	pc->samples++;
	if (pc->size - pc->used < UKL_SAMPLE_MAX_WORDS) {
		pc->dropped++;
		return;
	}
	memcpy(s + 1, current->comm, TASK_COMM_LEN);
	if (!user_mode(regs))
		nk = stack_trace_save_regs(regs, s + 1 + UKL_COMM_WORDS,
					   UKL_PROFILE_KDEPTH, 0);
	if (test_thread_flag(TIF_UKL) && current->mm) {
		/*
		 * App code was interrupted (an entry from user mode), or the
		 * kernel was working for the app: its registers are in the
		 * frame at the top of the kernel stack.
		 */
		app = user_mode(regs) ? regs : task_pt_regs(current);
		na = ukl_app_chain(app->ip, app->sp, app->bp,
				   s + 1 + UKL_COMM_WORDS + nk, UKL_PROFILE_ADEPTH, &ret);
	}
	s[0] = UKL_HDR(nk, na, ret);
	pc->used += 1 + UKL_COMM_WORDS + nk + na;
}

static enum hrtimer_restart ukl_profile_tick(struct hrtimer *timer)
{
	struct ukl_profile_cpu *pc = container_of(timer, struct ukl_profile_cpu, timer);
	struct pt_regs *regs = get_irq_regs();

	if (regs)
		ukl_profile_sample(pc, regs);
	hrtimer_forward_now(timer, ukl_profile_period);
	return HRTIMER_RESTART;
}

/* On each CPU (an IPI): its timer runs on it (pinned). */
static void ukl_profile_start_cpu(void *unused)
{
	struct ukl_profile_cpu *pc = this_cpu_ptr(&ukl_profile_cpu);

	if (!pc->buf)
		return;
	hrtimer_init(&pc->timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_PINNED_HARD);
	pc->timer.function = ukl_profile_tick;
	hrtimer_start(&pc->timer, ukl_profile_period, HRTIMER_MODE_REL_PINNED_HARD);
}

void ukl_profile_start(void)
{
	struct ukl_profile_cpu *pc;
	unsigned int cpu;

	if (!ukl_profile_hz)
		return;
	if (ukl_profile_hz > UKL_PROFILE_MAX_HZ) {
		pr_err("ukl: ukl.profile=%u: at most %u samples a second; not profiling\n",
		       ukl_profile_hz, UKL_PROFILE_MAX_HZ);
		return;
	}
	for_each_online_cpu(cpu) {
		pc = per_cpu_ptr(&ukl_profile_cpu, cpu);
		pc->buf = vmalloc(UKL_PROFILE_BUF_BYTES);
		if (!pc->buf) {
			pr_err("ukl: no memory for the profile of CPU %u; not profiling it\n", cpu);
			continue;
		}
		pc->size = UKL_PROFILE_BUF_BYTES / sizeof(long);
	}
	ukl_profile_period = ns_to_ktime(NSEC_PER_SEC / ukl_profile_hz);
	ukl_profile_running = true;
	on_each_cpu(ukl_profile_start_cpu, NULL, 1);
	pr_info("ukl: profiling every CPU, %u samples a second\n", ukl_profile_hz);
}

static int ukl_sample_words(const unsigned long *s)
{
	return 1 + UKL_COMM_WORDS + UKL_HDR_NK(s[0]) + UKL_HDR_NA(s[0]);
}

static int ukl_sample_cmp(const void *a, const void *b)
{
	const unsigned long *x = *(const unsigned long * const *)a;
	const unsigned long *y = *(const unsigned long * const *)b;
	int nx = ukl_sample_words(x), ny = ukl_sample_words(y), i;

	if (nx != ny)
		return nx < ny ? -1 : 1;
	for (i = 0; i < nx; i++)
		if (x[i] != y[i])
			return x[i] < y[i] ? -1 : 1;
	return 0;
}

static char *ukl_print_frames(char *p, char *end, const char *tag,
			      const unsigned long *f, unsigned int n)
{
	unsigned int i;

	p += scnprintf(p, end - p, " %s=", tag);
	for (i = 0; i < n; i++)
		p += scnprintf(p, end - p, "%s%lx", i ? "," : "",
			       f[i] - __START_KERNEL_map);
	return p;
}

/* One line for @count samples like @s. */
static void ukl_print_sample(const unsigned long *s, unsigned long count, char *line, size_t size)
{
	unsigned int nk = UKL_HDR_NK(s[0]), na = UKL_HDR_NA(s[0]);
	char comm[TASK_COMM_LEN], *p = line, *end = line + size, *c;

	memcpy(comm, s + 1, TASK_COMM_LEN);
	comm[TASK_COMM_LEN - 1] = '\0';
	for (c = comm; *c; c++)
		if (*c <= ' ' || *c == ';' || *c > '~')
			*c = '_';
	p += scnprintf(p, end - p, "%lu %s", count, comm[0] ? comm : "_");
	p = ukl_print_frames(p, end, "k", s + 1 + UKL_COMM_WORDS, nk);
	ukl_print_frames(p, end, UKL_HDR_RET(s[0]) ? "r" : "a",
			 s + 1 + UKL_COMM_WORDS + nk, na);
	pr_info("ukl-profile: %s\n", line);
}

/*
 * Stop sampling and print the samples, merged by call chain.  From init's
 * exit: the app's threads are gone, so the buffers no longer change once
 * the timers are cancelled.
 */
void ukl_profile_dump(void)
{
	unsigned long total = 0, dropped = 0, count, **all;
	size_t n = 0, i, j, size = 0;
	struct ukl_profile_cpu *pc;
	unsigned int cpu;
	char *line;

	if (!ukl_profile_running)
		return;
	ukl_profile_running = false;
	for_each_online_cpu(cpu) {
		pc = per_cpu_ptr(&ukl_profile_cpu, cpu);
		if (!pc->buf)
			continue;
		hrtimer_cancel(&pc->timer);
		total += pc->samples;
		dropped += pc->dropped;
		size += pc->samples - pc->dropped;
	}
	all = kvmalloc_array(size ?: 1, sizeof(*all), GFP_KERNEL);
	line = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!all || !line) {
		pr_err("ukl: no memory to print the profile\n");
		goto out;
	}
	for_each_online_cpu(cpu) {
		pc = per_cpu_ptr(&ukl_profile_cpu, cpu);
		for (i = 0; pc->buf && i < pc->used; i += ukl_sample_words(pc->buf + i))
			all[n++] = pc->buf + i;
	}
	sort(all, n, sizeof(*all), ukl_sample_cmp, NULL);
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && !ukl_sample_cmp(&all[i], &all[j]); j++)
			;
		count = j - i;
		ukl_print_sample(all[i], count, line, PAGE_SIZE);
	}
	pr_info("ukl-profile: done: %lu samples at %u Hz on %u CPUs, %lu dropped (buffer full)\n",
		total, ukl_profile_hz, num_online_cpus(), dropped);
out:
	kfree(line);
	kvfree(all);
	for_each_online_cpu(cpu) {
		pc = per_cpu_ptr(&ukl_profile_cpu, cpu);
		vfree(pc->buf);
		pc->buf = NULL;
	}
}
