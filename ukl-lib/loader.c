// SPDX-License-Identifier: GPL-2.0
/*
 * The UKL binary format: builds the process image of the linked-in app.
 *
 * Exec does the hard parts (a fresh mm, credentials, signal handlers,
 * close-on-exec, argument copying); this only replaces what an ELF loader
 * would map.  The app's code and data are already in the kernel image, so
 * the image is just a stack, a heap start and the initial stack contents
 * (argc, argv, envp, auxv) that glibc's _start expects.
 */
#include <linux/binfmts.h>
#include <linux/cred.h>
#include <linux/elf.h>
#include <linux/elf-randomize.h>
#include <linux/init.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/ptrace.h>
#include <linux/personality.h>
#include <linux/random.h>
#include <linux/rseq.h>
#include <linux/sched.h>
#include <linux/sched/task_stack.h>
#include <linux/uaccess.h>
#include <linux/ukl.h>
#include <asm/elf.h>
#include <asm/processor.h>
#include "ukl.h"

/* Where the heap (brk) starts; the app has no user-half image below it. */
#define UKL_BRK_BASE	0x10000000UL

#define UKL_AUXV_WORDS	(2 * 24)

/*
 * Store pointers to @count consecutive strings starting at *@str (copied to
 * the stack by exec), then a NULL, at *@sp; advance both.
 */
static int ukl_put_vector(unsigned long __user **sp, unsigned long *str, int count)
{
	for (; count > 0; count--) {
		size_t len = strnlen_user((void __user *)*str, MAX_ARG_STRLEN);

		if (!len || len > MAX_ARG_STRLEN || put_user(*str, (*sp)++))
			return -EFAULT;
		*str += len;
	}
	return put_user(0, (*sp)++);
}

/* argc, argv[], envp[], auxv[] on the new stack, as the ELF loader does. */
static int ukl_create_tables(struct linux_binprm *bprm)
{
	struct mm_struct *mm = current->mm;
	const struct cred *cred = current_cred();
	unsigned long auxv[UKL_AUXV_WORDS], *a = auxv;
	unsigned long p = arch_align_stack(bprm->p);
	unsigned long __user *sp;
	unsigned long u_random, u_platform, str;
	u8 random[16];
	int argc = bprm->argc, envc = bprm->envc;
	int items;

	/* As the ELF loader does: the platform's name, then 16 random bytes. */
	p -= sizeof(ELF_PLATFORM);
	u_platform = p;
	if (copy_to_user((void __user *)u_platform, ELF_PLATFORM, sizeof(ELF_PLATFORM)))
		return -EFAULT;
	get_random_bytes(random, sizeof(random));
	p -= sizeof(random);
	u_random = p;
	if (copy_to_user((void __user *)u_random, random, sizeof(random)))
		return -EFAULT;

#define AUX(id, val) do { *a++ = (id); *a++ = (unsigned long)(val); } while (0)
	AUX(AT_HWCAP, ELF_HWCAP);
	AUX(AT_PAGESZ, PAGE_SIZE);
	AUX(AT_CLKTCK, CLOCKS_PER_SEC);
	AUX(AT_PHDR, ukl_app_ehdr.phdr);
	AUX(AT_PHENT, sizeof(Elf64_Phdr));
	AUX(AT_PHNUM, ARRAY_SIZE(ukl_app_ehdr.phdr));
	AUX(AT_BASE, 0);
	AUX(AT_FLAGS, 0);
	AUX(AT_ENTRY, ukl_app_entry);
	AUX(AT_UID, from_kuid_munged(cred->user_ns, cred->uid));
	AUX(AT_EUID, from_kuid_munged(cred->user_ns, cred->euid));
	AUX(AT_GID, from_kgid_munged(cred->user_ns, cred->gid));
	AUX(AT_EGID, from_kgid_munged(cred->user_ns, cred->egid));
	AUX(AT_SECURE, bprm->secureexec);
	AUX(AT_RANDOM, u_random);
	AUX(AT_HWCAP2, ELF_HWCAP2);
	AUX(AT_EXECFN, bprm->exec);
	AUX(AT_PLATFORM, u_platform);
#ifdef CONFIG_RSEQ
	/* glibc and librseq size their rseq areas by these. */
	AUX(AT_RSEQ_FEATURE_SIZE, offsetof(struct rseq, end));
	AUX(AT_RSEQ_ALIGN, __alignof__(struct rseq));
#endif
	AUX(AT_MINSIGSTKSZ, get_sigframe_size());
	/* No AT_SYSINFO_EHDR: no vDSO, whose code would be user-half text. */
	AUX(AT_NULL, 0);
#undef AUX
	BUILD_BUG_ON(sizeof(auxv) > sizeof(mm->saved_auxv));
	memset(mm->saved_auxv, 0, sizeof(mm->saved_auxv));
	memcpy(mm->saved_auxv, auxv, (a - auxv) * sizeof(*a));

	items = 1 + (argc + 1) + (envc + 1) + (a - auxv);
	sp = (unsigned long __user *)((p - items * sizeof(long)) & ~15UL);
	bprm->p = (unsigned long)sp;

	if (put_user(argc, sp++))
		return -EFAULT;
	str = mm->arg_start;
	if (ukl_put_vector(&sp, &str, argc))
		return -EFAULT;
	mm->arg_end = mm->env_start = str;
	if (ukl_put_vector(&sp, &str, envc))
		return -EFAULT;
	mm->env_end = str;
	if (copy_to_user(sp, auxv, (a - auxv) * sizeof(*a)))
		return -EFAULT;
	return 0;
}

static struct linux_binfmt ukl_format;

static int ukl_load_binary(struct linux_binprm *bprm)
{
	struct pt_regs *regs = current_pt_regs();
	struct mm_struct *mm;
	int ret;

	if (memcmp(bprm->buf, UKL_MAGIC, sizeof(UKL_MAGIC) - 1))
		return -ENOEXEC;
	/* There is one app image in the kernel, and init runs it. */
	if (!is_global_init(current))
		return -EPERM;

	ret = begin_new_exec(bprm);
	if (ret)
		return ret;
	set_personality_64bit();
	/*
	 * Address space layout randomization as for a static non-PIE ELF
	 * program (load_elf_binary()): the mmap base (setup_new_exec()), the
	 * stack top and, with randomize_va_space 2, the heap start.  The
	 * app's code and data are in the kernel image, which KASLR would
	 * have to move (it is off: the app is linked for fixed addresses).
	 */
	if (!(current->personality & ADDR_NO_RANDOMIZE) && randomize_va_space)
		current->flags |= PF_RANDOMIZE;
	setup_new_exec(bprm);
	/* Named after the app, not after the file that started it. */
	__set_task_comm(current, ukl_app_name, true);

	ret = setup_arg_pages(bprm, randomize_stack_top(STACK_TOP), EXSTACK_DISABLE_X);
	if (ret)
		return ret;
	mm = current->mm;
	mm->start_brk = mm->brk = UKL_BRK_BASE;
	if ((current->flags & PF_RANDOMIZE) && randomize_va_space > 1)
		mm->start_brk = mm->brk = arch_randomize_brk(mm);
	mm->start_code = mm->end_code = 0;
	mm->start_data = mm->end_data = 0;

	ret = ukl_create_tables(bprm);
	if (ret)
		return ret;
	finalize_exec(bprm);

	mm->start_stack = bprm->p;
	set_binfmt(&ukl_format);

	/* Leave kernel_init() for the app in ring 0 (see ret_from_fork). */
	set_thread_flag(TIF_UKL);
	ELF_PLAT_INIT(regs, 0);		/* rdx = 0: no rtld_fini for _start */
	start_thread(regs, (unsigned long)ukl_app_entry, bprm->p);
	return 0;
}

static struct linux_binfmt ukl_format = {
	.module		= THIS_MODULE,
	.load_binary	= ukl_load_binary,
};

static int __init ukl_binfmt_init(void)
{
	register_binfmt(&ukl_format);
	return 0;
}
core_initcall(ukl_binfmt_init);
