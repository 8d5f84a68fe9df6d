# SPDX-License-Identifier: GPL-2.0
# The app: compile -> baseline link (user mode) -> partial link -> namespace
# -> archive -> UKL vmlinux.  Everything for APP lives in $(APP_BUILD)
# (the top Makefile).

##@ App
LINK := $(TOP)/link

# APP is a folder of C sources, or a program linked by the compiler driver
# (ukl-gcc, below): an ordinary static executable, the baseline program,
# that carries the app's UKL object in its section .ukl.app.
ifneq ($(wildcard $(APP)/.),)
  APP_KIND := source
else ifneq ($(wildcard $(APP)),)
  APP_KIND := program
else ifdef CORPUS_APP
  APP_KIND := program
else
  $(error APP=$(APP): no such directory or program)
endif

APP_SRCS :=
APP_CFLAGS :=
APP_KERNEL_CALLS :=
APP_HELPERS :=
APP_BUSYBOX :=
APP_OBJS :=
APP_LDADD :=
ifeq ($(APP_KIND),source)
# An app may name its sources and extra flags in DIR/app.mk, and objects or
# archives built elsewhere (with the UKL flags: ukl-gcc -c, ar) to link in
# after its own objects (APP_LDADD, relative to DIR or absolute).
-include $(APP)/app.mk
APP_SRCS := $(or $(APP_SRCS),$(notdir $(wildcard $(APP)/*.c)))
ifeq ($(strip $(APP_SRCS)),)
  $(error APP=$(APP): no C sources (no *.c and no APP_SRCS in app.mk))
endif
APP_OBJS := $(patsubst %.c,$(APP_BUILD)/obj/%.o,$(APP_SRCS))
override APP_LDADD := $(foreach f,$(APP_LDADD),$(if $(filter /%,$(f)),$(f),$(abspath $(APP)/$(f))))
$(foreach f,$(APP_LDADD),$(if $(wildcard $(f)),,$(error APP=$(APP): APP_LDADD: $(f): no such file)))
endif
# Kernel functions the app calls directly (shortcuts): names that keep their
# kernel meaning through the namespacing.  Checked against vmlinux below.
# A source app names them in APP_KERNEL_CALLS; a program names them at its
# link (UKL_KERNEL_CALLS, link/ukl-gcc), which lists them in the program.
# $(APP_BUILD)/kernel-calls has them, one a line, for both.
ifeq ($(APP_KIND),program)
ifneq ($(strip $(APP_KERNEL_CALLS)),)
  $(error APP=$(APP): APP_KERNEL_CALLS is for an app built from sources; a program linked by ukl-gcc names its shortcuts at its link: UKL_KERNEL_CALLS="$(APP_KERNEL_CALLS)" in the environment of the link)
endif
endif
override APP_KERNEL_CALLS := $(sort $(APP_KERNEL_CALLS))
KCALLS_NAMED_BY := $(if $(filter program,$(APP_KIND)),UKL_KERNEL_CALLS (of the link of $(APP)),APP_KERNEL_CALLS)
$(foreach n,$(APP_KERNEL_CALLS),$(if $(shell printf '%s' '$(n)' | grep -xE '[A-Za-z_][A-Za-z0-9_]*'),,\
  $(error APP=$(APP): APP_KERNEL_CALLS: '$(n)' is not a C identifier)))

# Helper programs (APP_HELPERS := NAME...): DIR/helpers/NAME.c, each built
# by the host's gcc as an ordinary static program and placed at /bin/NAME;
# the app's fork children run them (on UKL in ring 3, as normal processes).
# APP_BUSYBOX := y adds busybox as /bin/sh, for system() and popen().
APP_HELPER_BINS := $(patsubst %,$(APP_BUILD)/helpers/%,$(APP_HELPERS))
BUSYBOX := /bin/busybox
DEPS_GOAL_PACKAGES += $(if $(APP_BUSYBOX),busybox-static)

# A directory whose contents appear at / of the app's file system, on both
# kernels: UKL_ROOTFS=DIR, or the app's rootfs/ folder if it has one.
UKL_ROOTFS ?= $(if $(filter source,$(APP_KIND)),$(wildcard $(APP)/rootfs))
override UKL_ROOTFS := $(if $(UKL_ROOTFS),$(abspath $(UKL_ROOTFS)))

GCC_INCLUDE = $(shell $(CC) -print-file-name=include 2>/dev/null)
LIBGCC = $(shell $(CC) -print-libgcc-file-name 2>/dev/null)
GLIBC_LIB := $(GLIBC_SYSROOT)/usr/lib

# The kernel code model: the app ends up in the top 2 GiB with the kernel;
# no red zone, since interrupts taken in ring 0 push onto the app's stack.
# Frame pointers and .debug_frame, as glibc (glibc.mk).  An app that turns
# the stack protector on (-fstack-protector-strong in its APP_CFLAGS) reads
# glibc's canary at %fs:40, as a user program does: with -mcmodel=kernel
# gcc would read the kernel's per-CPU one at %gs:40.  No ENDBR (the kernel
# runs without IBT).  ukl-gcc compiles with the same flags (ukl-gcc.conf).
UKL_CODE_FLAGS := $(GLIBC_KFLAGS) $(UKL_FRAME_FLAGS) -fno-stack-protector \
	-mstack-protector-guard=tls -mstack-protector-guard-reg=fs \
	-mstack-protector-guard-offset=40 -fcf-protection=none
UKL_CFLAGS = -O2 -g -std=gnu11 -Wall $(UKL_CODE_FLAGS) \
	-nostdinc -isystem $(GLIBC_SYSROOT)/usr/include -isystem $(GCC_INCLUDE)
APP_ALL_CFLAGS = $(UKL_CFLAGS) $(APP_CFLAGS)

# Rewritten only when the flags, the app's folder or its list of objects
# change: any of these recompiles and relinks (two apps with the same folder
# name share $(APP_BUILD); a removed source leaves the link).
# The app's own flags are refused by name when they cannot make UKL code
# (the rules of ukl-gcc: -fPIC, -mcmodel=small, -mred-zone...).
$(APP_BUILD)/cflags: FORCE
	$(if $(strip $(APP_CFLAGS)),$(Q)$(LINK)/ukl-gcc --ukl-check-flags 'APP=$(APP): APP_CFLAGS' $(APP_CFLAGS))
	$(call write-if-changed,$@,'$(APP_ALL_CFLAGS)' '$(APP)' '$(APP_OBJS)' '$(APP_KERNEL_CALLS)' \
		'$(APP_HELPERS)' '$(APP_BUSYBOX)' '$(APP_LDADD)')

APP_DEPS := $(APP_BUILD)/cflags $(GLIBC_STAMP)

quiet_cmd_app_cc = CC      $(APP_NAME)/$(notdir $<)
      cmd_app_cc = mkdir -p $(dir $@) && $(CC) $(APP_ALL_CFLAGS) -MMD -MP -c -o $@ $<
$(APP_BUILD)/obj/%.o: $(APP)/%.c $(APP_DEPS)
	$(call cmd,app_cc)
-include $(APP_OBJS:.o=.d)

quiet_cmd_app_info = CC      $(APP_NAME)/app-info.o
      cmd_app_info = $(CC) $(APP_ALL_CFLAGS) -DUKL_APP_NAME='"$(APP_NAME)"' -c -o $@ $<
$(APP_BUILD)/app-info.o: $(LINK)/app-info.c $(APP_DEPS)
	$(call cmd,app_info)

quiet_cmd_as_user = AS      $(APP_NAME)/$(notdir $@)
      cmd_as_user = $(CC) -c -o $@ $<
$(APP_BUILD)/user-syscall.o: $(LINK)/user-syscall.S $(APP_DEPS)
	$(call cmd,as_user)
# The baseline's syscall stubs (a syscall instruction each), for all apps.
quiet_cmd_as_user_stubs = AS      syscalls/$(notdir $@)
      cmd_as_user_stubs = $(CC) -c -o $@ $<
$(UKL_SYSCALLS)/user-syscalls.o: $(UKL_SYSCALLS)/user-syscalls.S
	$(call cmd,as_user_stubs)

# The app-side runtime that replaces Debian's libgcc_eh and the libgcc
# members that use the red zone (link/rt/): shared by all apps.
RT := $(O)/rt
RT_LIB := $(RT)/libukl-rt.a
RT_SOFTFP := letf2 unordtf2 eqtf2 getf2
RT_OBJS := $(RT)/unwind.o $(RT)/sfp-exceptions.o $(patsubst %,$(RT)/%.o,$(RT_SOFTFP))
RT_SOFTFP_FLAGS := -include $(LINK)/rt/soft-fp-glue.h -I$(GLIBC_TREE)/soft-fp \
	-I$(GLIBC_TREE)/sysdeps/x86/fpu -I$(GLIBC_TREE)/stdlib -w

# Its debug information names the sources relative to the build folder, as
# glibc's does: the same archive in every clone, so that what is keyed by
# its content (the corpus cache) is found by another clone.
RT_PREFIX_MAP := -fdebug-prefix-map=$(TOP)=.. -fdebug-prefix-map=$(O)=.
quiet_cmd_rt_cc = CC      rt/$(notdir $@)
      cmd_rt_cc = mkdir -p $(RT) && $(CC) $(UKL_CFLAGS) $(RT_PREFIX_MAP) $(RT_EXTRA) -c -o $@ $<
$(RT)/cflags: FORCE
	$(call write-if-changed,$@,'$(UKL_CFLAGS) $(RT_PREFIX_MAP)')
$(RT)/%.o: $(LINK)/rt/%.c $(GLIBC_STAMP) $(RT)/cflags
	$(call cmd,rt_cc)
$(patsubst %,$(RT)/%.o,$(RT_SOFTFP)): RT_EXTRA = $(RT_SOFTFP_FLAGS)
$(patsubst %,$(RT)/%.o,$(RT_SOFTFP)): $(RT)/%.o: $(GLIBC_TREE)/soft-fp/%.c \
		$(LINK)/rt/soft-fp-glue.h $(GLIBC_STAMP) $(RT)/cflags
	$(call cmd,rt_cc)
# Sources of the extracted, patched glibc tree.
$(patsubst %,$(GLIBC_TREE)/soft-fp/%.c,$(RT_SOFTFP)): $(GLIBC_DIR)/.stamp-patched ;
quiet_cmd_rt_ar = AR      rt/$(notdir $@)
      cmd_rt_ar = rm -f $@ && $(AR) rcsD $@ $^
$(RT_LIB): $(RT_OBJS)
	$(call cmd,rt_ar)

# glibc's static start files and libraries, in link order.
APP_CRT_BEGIN := $(GLIBC_LIB)/crt1.o $(GLIBC_LIB)/crti.o
APP_CRT_END := $(GLIBC_LIB)/crtn.o
APP_LIBS := --start-group $(GLIBC_LIB)/libc.a $(GLIBC_LIB)/libm.a $(RT_LIB) $(LIBGCC) --end-group
APP_LINK_INPUTS := $(APP_CRT_BEGIN) $(APP_OBJS) $(APP_LDADD) $(APP_BUILD)/app-info.o
APP_LINK_DEPS := $(APP_LINK_INPUTS) $(APP_CRT_END) $(GLIBC_LIB)/libc.a $(GLIBC_LIB)/libm.a \
	$(RT_LIB) $(LIBGCC) $(APP_BUILD)/cflags
# Installed by the glibc build.
$(APP_CRT_BEGIN) $(APP_CRT_END) $(GLIBC_LIB)/libc.a $(GLIBC_LIB)/libm.a: $(GLIBC_STAMP) ;

ifeq ($(APP_KIND),source)
# 1. The baseline program: the very same objects and libc, linked as an
#    ordinary static executable whose __ukl_syscall is a real syscall.
#    It is also the first check of the app: ld names every undefined symbol
#    and the object that references it.  There is no kernel to call: the
#    APP_KERNEL_CALLS are 0 (a weak declaration lets the app test for it).
quiet_cmd_ld_user = LD      $(APP_NAME)/$(notdir $@) [baseline, user mode]
      cmd_ld_user = $(LD) -static -z noexecstack -o $@ -e _start \
		    $(foreach n,$(APP_KERNEL_CALLS),--defsym=$(n)=0) \
		    $(APP_LINK_INPUTS) $(APP_BUILD)/user-syscall.o $(UKL_SYSCALLS)/user-syscalls.o \
		    $(APP_LIBS) $(APP_CRT_END)
$(APP_BUILD)/$(APP_NAME).user: $(APP_LINK_DEPS) $(APP_BUILD)/user-syscall.o \
		$(UKL_SYSCALLS)/user-syscalls.o $(APP_BUILD)/inputs-checked
	$(call cmd,ld_user)
# Before any link: each of the app's objects and APP_LDADD's objects and
# archive members built for the kernel code model, without the red zone;
# a refusal names the object (and member), the relocation or function.
quiet_cmd_check_inputs = CHECK   $(APP_NAME) objects
      cmd_check_inputs = $(LINK)/ukl-gcc --ukl-check-inputs $(APP_OBJS) $(APP_LDADD) && touch $@
$(APP_BUILD)/inputs-checked: $(APP_OBJS) $(APP_LDADD) $(LINK)/ukl-gcc
	$(call cmd,check_inputs)

# 2. The UKL side: one relocatable object with the sections vmlinux places.
#    First the inputs in one object, whose C-identifier sections (tables
#    read through __start_NAME/__stop_NAME) link/section-sets places, then
#    app.lds.
quiet_cmd_ld_sets = LD -r    $(APP_NAME)/$(notdir $@) [section sets]
      cmd_ld_sets = $(LD) -r -o $@.tmp $(APP_LINK_INPUTS) $(APP_LIBS) $(APP_CRT_END) && \
		    LD='$(LD)' CC='$(CC)' OBJCOPY='$(OBJCOPY)' \
		    $(LINK)/section-sets $@.tmp $@ $(LINK)/app.lds; rc=$$?; rm -f $@.tmp; exit $$rc
$(APP_BUILD)/app-sets.o: $(APP_LINK_DEPS) $(LINK)/app.lds $(LINK)/section-sets \
		$(APP_BUILD)/$(APP_NAME).user
	$(call cmd,ld_sets)
quiet_cmd_ld_partial = LD -r    $(APP_NAME)/$(notdir $@)
      cmd_ld_partial = $(LD) -r -d --orphan-handling=error -T $(LINK)/app.lds -o $@ $<
$(APP_BUILD)/app-partial.o: $(APP_BUILD)/app-sets.o $(LINK)/app.lds
	$(call cmd,ld_partial)
else
# A program from ukl-gcc.  (objcopy --dump-section also writes a copy of
# its input: never to /dev/null, which objcopy would replace or chmod.)
# 1. The baseline program is the program itself,
# less the UKL object.  2. The UKL object (the app, glibc and the runtime,
# linked by ld -r) gets the app's name and goes through app.lds here, as
# the objects of a source app do.  The driver ran the same steps when it
# linked the program, so these refuse only a program changed since.
quiet_cmd_app_user = OBJCOPY $(APP_NAME)/$(notdir $@) [baseline, user mode]
      cmd_app_user = mkdir -p $(dir $@) && $(OBJCOPY) --remove-section=.ukl.app --remove-section=.ukl.objs \
		     --remove-section=.ukl.kcalls $< $@
$(APP_BUILD)/$(APP_NAME).user: $(APP) $(APP_BUILD)/cflags
	$(call cmd,app_user)
quiet_cmd_app_embedded = OBJCOPY $(APP_NAME)/$(notdir $@) [the UKL object of $(APP)]
      cmd_app_embedded = rm -f $@ && { $(OBJCOPY) --dump-section .ukl.app=$@ $< $@.copy 2>/dev/null || :; } && \
	  rm -f $@.copy && \
	  if [ ! -s $@ ]; then rm -f $@; \
	    echo "error: APP=$<: not a program linked by ukl-gcc (it has no .ukl.app section); build it with $(UKL_GCC)" >&2; \
	    exit 1; fi
$(APP_BUILD)/app-embedded.o: $(APP) $(APP_BUILD)/cflags
	$(call cmd,app_embedded)
quiet_cmd_ld_partial = LD -r    $(APP_NAME)/$(notdir $@)
      cmd_ld_partial = $(LD) -r -d --orphan-handling=error -T $(LINK)/app.lds -o $@ \
		       $(APP_BUILD)/app-embedded.o $(APP_BUILD)/app-info.o
$(APP_BUILD)/app-partial.o: $(APP_BUILD)/app-embedded.o $(APP_BUILD)/app-info.o $(LINK)/app.lds
	$(call cmd,ld_partial)
# The shortcuts the driver's link listed (none: no section).
$(APP_BUILD)/kernel-calls: $(APP) $(APP_BUILD)/cflags
	$(Q)rm -f $@.tmp && { $(OBJCOPY) --dump-section .ukl.kcalls=$@.tmp $< $@.copy 2>/dev/null || :; } && \
	  rm -f $@.copy && touch $@.tmp && mv -f $@.tmp $@
endif
ifeq ($(APP_KIND),source)
$(APP_BUILD)/kernel-calls: FORCE
	$(call write-if-changed,$@,$(APP_KERNEL_CALLS))
endif

# 3. Namespace (link/namespace-app): every symbol gets the "app." prefix;
#    the imports (link/imports.txt, the syscall stubs, the shortcuts) get
#    their kernel names back; only the exports stay global.  Then the check.
$(APP_BUILD)/imports.txt: $(LINK)/imports.txt $(UKL_SYSCALLS)/imports.txt $(APP_BUILD)/kernel-calls
	$(Q)mkdir -p $(dir $@) && { cat $(LINK)/imports.txt $(UKL_SYSCALLS)/imports.txt; \
	  echo '# the shortcuts'; awk 'NF { print $$1 "\t" $$1 }' $(APP_BUILD)/kernel-calls; } > $@

# A shortcut must be a name the app side leaves undefined.
check-kernel-calls = for n in $$(cat $(APP_BUILD)/kernel-calls); do \
	  if $(NM) --defined-only $(1) | awk '{ print $$3 }' | grep -qxF "$$n"; then \
	    echo "error: $(KCALLS_NAMED_BY): '$$n' is defined by the app or glibc ($(1)); a shortcut names a kernel function the app side does not define" >&2; \
	    exit 1; fi; done
quiet_cmd_namespace = OBJCOPY $(APP_NAME)/$(notdir $@) [app. namespace]
      cmd_namespace = $(call check-kernel-calls,$<) && \
		      $(LINK)/namespace-app $< $@ $(APP_BUILD)/imports.txt $(LINK)/exports.txt
$(APP_BUILD)/ukl-app.o: $(APP_BUILD)/app-partial.o $(APP_BUILD)/imports.txt \
			$(LINK)/exports.txt $(LINK)/namespace-app $(LINK)/check-app-object
	$(call cmd,namespace)

quiet_cmd_ar = AR      $(APP_NAME)/$(notdir $@)
      cmd_ar = rm -f $@ && $(AR) rcsD $@ $<
$(APP_BUILD)/ukl-app.a: $(APP_BUILD)/ukl-app.o
	$(call cmd,ar)

# The UKL_ROOTFS entries and the default /etc files of link/rootfs that it
# does not replace (scripts/rootfs-list), rewritten when they change.
# kbuild follows the files they name.
# Then the helpers and busybox.
rootfs-bin = $(if $(APP_HELPERS)$(APP_BUSYBOX),printf '%s\n' 'dir /bin 0755 0 0' \
	$(foreach h,$(APP_HELPERS),'file /bin/$(h) $(APP_BUILD)/helpers/$(h) 0755 0 0') \
	$(if $(APP_BUSYBOX),'file /bin/busybox $(BUSYBOX) 0755 0 0' 'slink /bin/sh busybox 0777 0 0'),:)
$(APP_BUILD)/rootfs.list: $(TOP)/scripts/rootfs-list FORCE
	$(Q)mkdir -p $(dir $@) && { $(TOP)/scripts/rootfs-list $(LINK)/rootfs $(UKL_ROOTFS) && $(rootfs-bin); } > $@.tmp || \
	  { rm -f $@.tmp; exit 1; }
	$(Q)if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv -f $@.tmp $@; fi

quiet_cmd_helper = CC      $(APP_NAME)/helpers/$(notdir $@) [helper: ordinary static program]
      cmd_helper = mkdir -p $(dir $@) && $(CC) -static -O2 -Wall -o $@ $<
$(APP_BUILD)/helpers/%: $(APP)/helpers/%.c $(APP_BUILD)/cflags
	$(call cmd,helper)

# The UKL kernel's built-in initramfs (CONFIG_INITRAMFS_SOURCE, linux.mk):
# what the kernel's default one holds, and the app's UKL_ROOTFS.
$(APP_BUILD)/ukl-rootfs.list: $(APP_BUILD)/rootfs.list
	$(Q){ printf '%s\n' 'dir /dev 0755 0 0' 'nod /dev/console 0600 0 0 c 5 1' \
	  'dir /root 0700 0 0'; cat $<; } > $@

# 4. The UKL image.  The kernel build is shared by all apps: the archive and
#    the initramfs list are copied in (only when different: an unchanged app
#    does not relink) and kbuild decides what to rebuild; the result is
#    copied out per app.
#
#    An app edit changes only the archive, which no kernel object depends
#    on.  Then kbuild's walk of the whole tree (about 3 s of every app edit,
#    to find nothing to compile) is skipped: build-dir= names a folder that
#    kbuild does not descend into, and make vmlinux only relinks (vmlinux.o,
#    modpost, the kallsyms links).  That relink is taken only when nothing
#    the kernel objects are made from is newer than the start of the last
#    full kbuild ($(KO_UKL)/.kbuild-done): the kernel tree, ukl-lib/,
#    Kconfig.ukl, the initramfs list and the files it names, and the
#    compiler (files: a folder's date changes with what kbuild writes beside
#    the sources); and the .config must be the one that build started from
#    (by content: kconfig may rewrite it during a build).  Otherwise kbuild
#    runs as usual, and make says which file changed.
KBUILD_DONE := $(KO_UKL)/.kbuild-done
kernel-inputs-newer = cmp -s $(KO_UKL)/.config $(KBUILD_DONE).config || echo $(KO_UKL)/.config; \
	find $(KSRC)/ $(TOP)/ukl-lib/ $(TOP)/Kconfig.ukl $(KO_UKL)/ukl-rootfs.list $$(awk '$$1 == "file" { print $$3 }' $(KO_UKL)/ukl-rootfs.list) \
	$(realpath $(shell command -v $(CC))) -path $(KSRC)/.git -prune -o ! -type d -newer $(KBUILD_DONE) -print -quit
copy-rootfs-list = cmp -s $(APP_BUILD)/ukl-rootfs.list $(KO_UKL)/ukl-rootfs.list || \
	cp $(APP_BUILD)/ukl-rootfs.list $(KO_UKL)/ukl-rootfs.list
$(APP_BUILD)/vmlinux: $(APP_BUILD)/ukl-app.a $(APP_BUILD)/ukl-rootfs.list $(KO_UKL)/.config \
		$(APP_HELPER_BINS) FORCE
	$(Q)cmp -s $< $(KO_UKL)/ukl-app.a || cp $< $(KO_UKL)/ukl-app.a
	$(Q)$(copy-rootfs-list)
	$(Q)if [ -f $(KBUILD_DONE) ] && [ -f $(KO_UKL)/vmlinux ] && \
	    newer=$$({ $(kernel-inputs-newer); } | head -n 1) && [ -z "$$newer" ]; then \
	  if [ $(KO_UKL)/ukl-app.a -nt $(KO_UKL)/vmlinux ]; then \
	    $(call kbuild,$(KO_UKL),vmlinux,build-dir=ukl-app-only,relink: only the app changed); fi; \
	else \
	  if [ -n "$${newer:-}" ]; then echo "  (the whole kernel build: $$newer changed since its last run)"; fi; \
	  rm -f $(KBUILD_DONE) && touch $(KBUILD_DONE).start && cp $(KO_UKL)/.config $(KBUILD_DONE).config && \
	  { $(call kbuild,$(KO_UKL),vmlinux); } && \
	  mv -f $(KBUILD_DONE).start $(KBUILD_DONE); fi
	$(Q)$(call check-kernel-functions,$(KO_UKL)/vmlinux)
	$(Q)$(if $(filter 1,$(SPECIALIZE)),$(SPECIALIZE_PY) check --syscalls $(KO_UKL)/app-syscalls \
	  --vmlinux $(KO_UKL)/vmlinux --map $(SPECIALIZE_MAP))
	$(Q)cmp -s $(KO_UKL)/vmlinux $@ || { cp $(KO_UKL)/vmlinux $@.tmp && mv $@.tmp $@; }

# A first build (no UKL vmlinux yet): glibc and the kernel's objects at
# once.  Neither needs the other before the link (the kernel takes the app
# archive, and the initramfs takes only the rootfs list and its files), and
# each alone leaves a core idle in its serial parts (glibc's configure,
# install and archives; kbuild's links).  A sub-make with -j2 builds glibc
# and kbuild's goal "." (prepare and every object, no link); the image's
# kbuild then only links.
PHONY += first-build ukl-kernel-objects
first-build:
	$(Q)$(MAKE) --no-print-directory -j2 glibc ukl-kernel-objects
ukl-kernel-objects: $(APP_BUILD)/ukl-rootfs.list $(KO_UKL)/.config $(APP_HELPER_BINS)
	$(Q)$(copy-rootfs-list)
	$(Q)$(call kbuild,$(KO_UKL),.,,every kernel object while glibc builds)
# (Not for a specialized kernel: its configuration needs the app linked.)
first-build-if-new := $(if $(wildcard $(KO_UKL)/vmlinux)$(filter 1,$(SPECIALIZE)),,first-build)

# Each APP_KERNEL_CALLS name must be a function of vmlinux (T or W), not a
# macro, an inline function or data; otherwise no image comes out.
check-kernel-functions = for n in $$(cat $(APP_BUILD)/kernel-calls); do \
	  $(NM) $(1) | awk -v n="$$n" '$$3 == n && ($$2 == "T" || $$2 == "W") { f = 1 } END { exit !f }' || \
	  { echo "error: $(KCALLS_NAMED_BY): '$$n' is not a function vmlinux defines (an inline function or a macro has no symbol; see the kernel's headers)" >&2; \
	    rm -f $@; exit 1; }; done

# The baseline's /init (link/baseline-init.c): mounts what the UKL launcher
# mounts, decodes the app's arguments, then execs /NAME as PID 1.  Built
# with the host's static libc: it is not part of what is compared.
quiet_cmd_baseline_init = CC      $(APP_NAME)/$(notdir $@) [baseline /init]
      cmd_baseline_init = $(CC) -static -O2 -Wall -DUKL_APP_NAME='"$(APP_NAME)"' -o $@ $<
$(APP_BUILD)/baseline-init: $(LINK)/baseline-init.c $(APP_BUILD)/cflags
	$(call cmd,baseline_init)

# The baseline's initramfs: its /init, the user-mode program as /NAME, a
# console for the kernel to open before /init runs, and UKL_ROOTFS.
$(APP_BUILD)/initramfs.list: $(APP_BUILD)/rootfs.list
	$(Q){ printf '%s\n' 'dir /dev 0755 0 0' 'nod /dev/console 0600 0 0 c 5 1' \
	  'file /init $(APP_BUILD)/baseline-init 0755 0 0' \
	  'file /$(APP_NAME) $(APP_BUILD)/$(APP_NAME).user 0755 0 0'; cat $<; } > $@
quiet_cmd_cpio = CPIO    $(APP_NAME)/$(notdir $@)
      cmd_cpio = $(KO_BASE)/usr/gen_init_cpio $< > $@
$(APP_BUILD)/initramfs.cpio: $(APP_BUILD)/initramfs.list $(APP_BUILD)/$(APP_NAME).user \
		$(APP_BUILD)/baseline-init $(KO_BASE)/vmlinux $(APP_HELPER_BINS) $(wildcard $(LINK)/rootfs/etc/*) \
		$(if $(UKL_ROOTFS),$(shell find $(UKL_ROOTFS) 2>/dev/null))
	$(call cmd,cpio)

# Compressed images, for their size (make bench).  The UKL kernel tree holds
# this app's archive once its vmlinux is made.
$(APP_BUILD)/bzImage: $(APP_BUILD)/vmlinux FORCE
	$(Q)$(call kbuild,$(KO_UKL),bzImage)
	$(Q)cmp -s $(KO_UKL)/arch/x86/boot/bzImage $@ || cp $(KO_UKL)/arch/x86/boot/bzImage $@
$(KO_BASE)/arch/x86/boot/bzImage: $(KO_BASE)/vmlinux FORCE
	$(Q)$(call kbuild,$(KO_BASE),bzImage)

PHONY += app ukl-image baseline-image ukl-bzimage baseline-bzimage
ukl-bzimage: $(APP_BUILD)/bzImage ## the UKL image of APP as a bzImage: build/apps/NAME/bzImage
baseline-bzimage: $(KO_BASE)/arch/x86/boot/bzImage $(APP_BUILD)/initramfs.cpio ## the baseline kernel as a bzImage
app: $(APP_BUILD)/ukl-app.a $(APP_BUILD)/$(APP_NAME).user ## compile and link APP (both the UKL archive and the baseline program)
ukl-image: $(APP_BUILD)/vmlinux ## build the UKL image of APP: build/apps/NAME/vmlinux
baseline-image: $(APP_BUILD)/initramfs.cpio $(KO_BASE)/vmlinux ## build the baseline kernel and APP's initramfs

# The compiler driver for foreign build systems (link/ukl-gcc): gcc with the
# UKL flags, whose link makes a program that APP= takes.  Its paths are in
# ukl-gcc.conf beside it.
UKL_BIN := $(O)/bin
UKL_GCC := $(UKL_BIN)/ukl-gcc
define ukl-gcc-conf
# Generated by scripts/mk/app.mk -- do not edit.
cc = $(CC)
cflags = $(UKL_CODE_FLAGS)
ld = $(LD)
objcopy = $(OBJCOPY)
sysroot = $(GLIBC_SYSROOT)
gcc_include = $(GCC_INCLUDE)
libgcc = $(LIBGCC)
rt_lib = $(RT_LIB)
user_syscall = $(UKL_BIN)/user-syscall.o
user_syscalls = $(UKL_SYSCALLS)/user-syscalls.o
app_lds = $(LINK)/app.lds
app_info_c = $(LINK)/app-info.c
namespace_app = $(LINK)/namespace-app
section_sets = $(LINK)/section-sets
imports = $(UKL_BIN)/imports.txt
exports = $(LINK)/exports.txt
endef
$(UKL_BIN)/.dir:
	$(Q)mkdir -p $(dir $@) && touch $@
$(UKL_BIN)/ukl-gcc.conf: FORCE | $(UKL_BIN)/.dir
	$(file >$@.tmp,$(ukl-gcc-conf))
	$(Q)if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv -f $@.tmp $@; fi
$(UKL_BIN)/imports.txt: $(LINK)/imports.txt $(UKL_SYSCALLS)/imports.txt
	$(Q)mkdir -p $(dir $@) && cat $^ > $@
quiet_cmd_as_bin = AS      bin/$(notdir $@)
      cmd_as_bin = mkdir -p $(dir $@) && $(CC) -c -o $@ $<
$(UKL_BIN)/user-syscall.o: $(LINK)/user-syscall.S
	$(call cmd,as_bin)
# The interpreter is resolved once, here: a configure script runs the
# driver hundreds of times, and a python3 found through PATH may be a
# wrapper (pyenv's shim costs 0.3 s a call).
quiet_cmd_install_gcc = INSTALL $@ (and ukl-cc)
      cmd_install_gcc = py=$$(python3 -c 'import sys; print(sys.executable)') && \
		sed "1s|^\#!.*|\#!$$py|" $< > $@.tmp && chmod +x $@.tmp && mv -f $@.tmp $@ && \
		ln -sf ukl-gcc $(UKL_BIN)/ukl-cc
$(UKL_GCC): $(LINK)/ukl-gcc $(UKL_BIN)/ukl-gcc.conf $(UKL_BIN)/imports.txt \
		$(UKL_BIN)/user-syscall.o $(UKL_SYSCALLS)/user-syscalls.o $(RT_LIB) $(GLIBC_STAMP)
	$(call cmd,install_gcc)

PHONY += ukl-gcc
ukl-gcc: $(UKL_GCC) ## install the compiler driver: build/bin/ukl-gcc (CC=... for foreign builds)
	@echo '$(UKL_GCC)'
