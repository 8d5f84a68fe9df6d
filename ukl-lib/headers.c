// SPDX-License-Identifier: GPL-2.0
/*
 * The ELF headers a static glibc expects to find for its own executable.
 *
 * glibc's startup (csu/libc-start.c, csu/libc-tls.c) locates the TLS
 * template through the program headers named by AT_PHDR, or through
 * __ehdr_start.  The app has no ELF image of its own in memory, so this
 * is one: an ELF header followed by the program headers that matter.
 */
#include <linux/elf.h>
#include <linux/string.h>
#include "ukl.h"

struct ukl_app_headers ukl_app_ehdr;

void ukl_fill_headers(void)
{
	Elf64_Ehdr *eh = &ukl_app_ehdr.ehdr;
	Elf64_Phdr *tls = &ukl_app_ehdr.phdr[0];
	Elf64_Phdr *stack = &ukl_app_ehdr.phdr[1];

	memcpy(eh->e_ident, ELFMAG, SELFMAG);
	eh->e_ident[EI_CLASS] = ELFCLASS64;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[EI_VERSION] = EV_CURRENT;
	eh->e_type = ET_EXEC;
	eh->e_machine = EM_X86_64;
	eh->e_version = EV_CURRENT;
	eh->e_entry = (unsigned long)ukl_app_entry;
	eh->e_phoff = offsetof(struct ukl_app_headers, phdr);
	eh->e_ehsize = sizeof(*eh);
	eh->e_phentsize = sizeof(Elf64_Phdr);
	eh->e_phnum = ARRAY_SIZE(ukl_app_ehdr.phdr);

	/*
	 * The template is one PROGBITS section (the partial link merges .tbss
	 * into .tdata), so all of it is initialised data in the image.  Its
	 * alignment is the one the final link used for the TP offsets.
	 */
	tls->p_type = PT_TLS;
	tls->p_flags = PF_R;
	tls->p_vaddr = (unsigned long)__ukl_tls_start;
	tls->p_paddr = tls->p_vaddr;
	tls->p_filesz = __ukl_tls_end - __ukl_tls_start;
	tls->p_memsz = tls->p_filesz;
	tls->p_align = (unsigned long)__ukl_tls_align;

	stack->p_type = PT_GNU_STACK;
	stack->p_flags = PF_R | PF_W;
}
