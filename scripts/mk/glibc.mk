# SPDX-License-Identifier: GPL-2.0
# glibc 2.36 for the kernel code model: extract -> patch -> configure ->
# build -> install into a sysroot.
#
#   $(O)/glibc/src       the extracted tree, a git repo (tag ukl-base = pristine)
#   $(O)/glibc/obj       glibc's build folder (its configparms is ours, below)
#   $(O)/glibc/sysroot   the result: usr/include, usr/lib/{libc.a,libm.a,crt*.o}
#   $(O)/glibc/*.log     glibc's own output (configure, build, install)
#
# A normal (shared + static) configure, where only the static objects (.o,
# the ones that go into libc.a, libm.a and crt1.o) are built with the kernel
# code model and -DUKL_SYSCALL_CALL, which makes every system call site in
# glibc-patches/ a call of the stub __ukl_sys_NAME (ukl-syscalls.h, below)
# or, for the rest, a `call __ukl_syscall'.  The shared objects (.os, .oS) keep
# their PIC flags and their syscall instructions.
#
# Two builds in the one build folder.  What every image links (make glibc,
# the sysroot) is built with build-shared=no on glibc's make command line:
# the static objects only (2,976 objects instead of 6,340).  That is not
# --disable-shared, which would also turn on static NSS and so change
# libc.a: the configure, config.h and the headers generated first are those
# of the shared configure, so every member of libc.a and libm.a is the one
# the whole build makes (compared with the debug information stripped: the
# same bytes).  glibc 2.36 makes some of the headers every object includes
# only in its shared configuration (GLIBC_PREGEN): they are made first, by
# a make without build-shared=no.  The shared half (libc.so, ld.so, the .os
# objects, the gconv modules) is needed only by the linux column of make
# conformance (glibc's tests linked dynamically): make glibc-shared builds
# it into the same folder, and make conformance asks for it.
#
# Working on the patches: commit in $(O)/glibc/src, then `make glibc-export`;
# the next `make glibc` rebuilds from a fresh configure.  For quick
# experiments, `make -C $(O)/glibc/obj -j2 build-shared=no && make -C
# $(O)/glibc/obj build-shared=no install install_root=$(O)/glibc/sysroot`
# rebuilds only what changed.

##@ glibc
GLIBC_VERSION := 2.36
GLIBC_PACKAGE := glibc-source
GLIBC_TARBALL := /usr/src/glibc/glibc-$(GLIBC_VERSION).tar.xz
$(eval $(call package-file,$(GLIBC_TARBALL),$(GLIBC_PACKAGE)))
GLIBC_SOURCE := $(if $(GLIBC_SRC),$(abspath $(GLIBC_SRC)),$(GLIBC_TARBALL))
GLIBC_DIR := $(O)/glibc
GLIBC_TREE := $(GLIBC_DIR)/src
GLIBC_OBJ := $(GLIBC_DIR)/obj
GLIBC_SYSROOT := $(GLIBC_DIR)/sysroot
GLIBC_STAMP := $(GLIBC_DIR)/.stamp-installed
GLIBC_PATCHDIR := $(TOP)/glibc-patches
GLIBC_PATCHES := $(GLIBC_PATCHDIR)/series $(wildcard $(GLIBC_PATCHDIR)/*.patch)

# The syscall interface of the app side, generated from the kernel tree's
# syscall table (scripts/gen-syscalls): ukl-syscalls.h for glibc, the
# baseline's stubs (user-syscalls.S) and the imports of the UKL link.  The
# files are rewritten only when their content changes, so a new kernel
# patch does not rebuild glibc.
UKL_SYSCALLS := $(O)/syscalls
UKL_SYSCALLS_FILES := $(addprefix $(UKL_SYSCALLS)/,ukl-syscalls.h user-syscalls.S imports.txt)
quiet_cmd_gen_syscalls = GEN     $(UKL_SYSCALLS) (from the kernel's syscall table)
      cmd_gen_syscalls = $(TOP)/scripts/gen-syscalls $(KSRC) $(UKL_SYSCALLS) && touch $@
$(UKL_SYSCALLS)/.stamp: $(O)/linux/.stamp-patched $(TOP)/scripts/gen-syscalls
	$(call cmd,gen_syscalls)
$(UKL_SYSCALLS_FILES): $(UKL_SYSCALLS)/.stamp ;

# Flags of the static objects.  The app is compiled with the same ones.
GLIBC_KFLAGS := -mcmodel=kernel -mno-red-zone -fno-pic -fno-pie

# Frame pointers, so that the fault reports, gdb and the profiler can follow
# the app's call chain through libc (ukl-lib/fault-report.c, profile.c);
# gcc still makes no frame record in a leaf function that uses no stack.
# The call frame information goes to .debug_frame too (-fno-dwarf2-cfi-asm:
# gcc writes the tables itself, .eh_frame and, with -g, .debug_frame): the
# kernel's link discards .eh_frame, and gdb would otherwise unwind app
# frames by guessing from their prologues (make debug).  The app and
# ukl-gcc use the same flags (app.mk).
UKL_FRAME_FLAGS := -fno-omit-frame-pointer -fno-dwarf2-cfi-asm

# The debug info names the sources relative to the build folder
# (./glibc/src/...), not by their absolute path: the same in every clone,
# so that ccache can hand one clone's objects to another.  ccache hashes
# the folder of each compilation as this map maps it, which needs the
# folder without a trailing slash: $(O)=., not $(O)/=.
GLIBC_CFLAGS := -g -O2 $(UKL_FRAME_FLAGS) -fdebug-prefix-map=$(O)=.

# No IFUNCs (--disable-multi-arch), no static PIE, and nothing the app does
# not link: libmvec, nscd, the timezone tools.  libcrypt is built: Debian
# takes crypt.h from libxcrypt, and programs such as nginx include it
# unconditionally (crypt() for its basic authentication).  The libraries go to
# usr/lib (not usr/lib64) so that the sysroot layout is the same everywhere.
GLIBC_CONFIGURE_ARGS := \
	--prefix=/usr --libdir=/usr/lib \
	libc_cv_slibdir=/usr/lib libc_cv_rtlddir=/usr/lib \
	--disable-default-pie --disable-multi-arch \
	--disable-mathvec --disable-nscd --disable-build-nscd \
	--disable-timezone-tools --disable-profile --without-selinux \
	--disable-werror --with-pkgversion=UKL \
	CC=gcc CFLAGS="$(GLIBC_CFLAGS)"

# glibc's Makeconfig includes configparms before it sets the per-suffix
# flags, so the .o flags need `override'; that also drops the `+=' of a few
# sysdeps Makefiles (-fcf-protection, stack-protector elision), which only
# apply with CET or the stack protector, both off here.  CFLAGS-.oS is
# glibc's own definition minus the kernel flags (.oS objects are PIC).
# build-programs = no: ldconfig, sln and the other programs would link the
# static libc, which now needs __ukl_syscall.  malloc/Makefile adds -fPIC to
# mcheck-init.c (libmcheck.a), which the kernel code model refuses: drop it.
define glibc-configparms
# Generated by scripts/mk/glibc.mk -- do not edit.
build-programs = no
ukl-cflags = $(GLIBC_KFLAGS)
override CPPFLAGS-.o = -DUKL_SYSCALL_CALL -I$(UKL_SYSCALLS)
override CFLAGS-.o = $$(filter %frame-pointer,$$(+cflags)) $$(ukl-cflags)
ASFLAGS-.o = $$(ukl-cflags)
override CPPFLAGS-.oS = -DPIC -DLIBC_NONSHARED=1
override CFLAGS-.oS = $$(filter %frame-pointer,$$(+cflags)) $$(pie-default) \
	$$(PIC-ccflag) $$(extra-nonshared-cflags)
override CFLAGS-mcheck-init.c =
endef

# $(call glibc-run,step,command): glibc's output goes to $(GLIBC_DIR)/step.log
# (to the terminal with V=1); on failure show its tail and fail.
ifeq ($(KBUILD_VERBOSE),1)
glibc-run = $(2)
else
glibc-run = ( $(2) ) > $(GLIBC_DIR)/$(1).log 2>&1 || \
	{ tail -n 40 $(GLIBC_DIR)/$(1).log >&2; \
	  echo "error: glibc $(1) failed; full log: $(GLIBC_DIR)/$(1).log" >&2; exit 1; }
endif

# glibc's make must not see our command-line variables (O=, V=, ...).
# ccache in depend mode (include.mk): glibc has no .incbin.
GLIBC_MAKE = cd $(GLIBC_OBJ) && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
	$(ccache-env) $(ccache-depend-env) $(MAKE) -j$(JOBS)

# Such a tree is never removed or re-extracted (scripts/check-exported).
glibc-keep-work = $(TOP)/scripts/check-exported $(GLIBC_TREE) glibc-export

$(GLIBC_DIR)/.dir:
	$(Q)mkdir -p $(GLIBC_DIR) && touch $@

# Generated files whose content (not their date) decides what is redone.
$(GLIBC_DIR)/source: FORCE | $(GLIBC_DIR)/.dir
	$(call write-if-changed,$@,'$(GLIBC_SOURCE)')
$(GLIBC_DIR)/configure-args: FORCE | $(GLIBC_DIR)/.dir
	$(call write-if-changed,$@,'$(call escsq,$(GLIBC_CONFIGURE_ARGS))')
# How the build is run (a build folder made another way is made again).
$(GLIBC_DIR)/build-steps: FORCE | $(GLIBC_DIR)/.dir
	$(call write-if-changed,$@,'one make of $(GLIBC_PREGEN) then build-shared=no')
$(GLIBC_DIR)/configparms: FORCE | $(GLIBC_DIR)/.dir
	$(file >$@.tmp,$(glibc-configparms))
	$(Q)if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv -f $@.tmp $@; fi

quiet_cmd_glibc_extract = EXTRACT glibc-$(GLIBC_VERSION) ($(GLIBC_SOURCE))
      cmd_glibc_extract = $(TOP)/scripts/extract-source $(GLIBC_TREE) $(GLIBC_SOURCE)
$(GLIBC_DIR)/.stamp-extracted: $(GLIBC_DIR)/source $(if $(GLIBC_SRC),,$(GLIBC_TARBALL))
	$(Q)$(glibc-keep-work)
	$(call cmd,glibc_extract)
	$(Q)found=$$(sed -n 's/^#define VERSION "\([^"]*\)".*/\1/p' $(GLIBC_TREE)/version.h 2>/dev/null); \
	  case $$found in $(GLIBC_VERSION)|$(GLIBC_VERSION).*) ;; \
	  *) echo "error: $(GLIBC_SOURCE) is not a glibc $(GLIBC_VERSION) tree" \
	       "(its version.h says: $${found:-nothing, or there is none})" >&2; exit 1 ;; esac
	$(Q)touch $@

# apply-series resets the tree to ukl-base and applies the whole series (it
# refuses a tree holding unexported work).
$(GLIBC_DIR)/.stamp-patched: $(GLIBC_DIR)/.stamp-extracted $(GLIBC_PATCHES)
	$(Q)$(TOP)/scripts/apply-series $(GLIBC_TREE) $(GLIBC_PATCHDIR) glibc-export
	$(Q)touch $@

# Any change of sources or flags: a fresh build folder.
$(GLIBC_DIR)/.stamp-configured: $(GLIBC_DIR)/.stamp-patched \
		$(GLIBC_DIR)/configure-args $(GLIBC_DIR)/configparms $(GLIBC_DIR)/build-steps \
		$(UKL_SYSCALLS)/ukl-syscalls.h
	$(Q)$(call say,CONFIG,glibc (log: $(GLIBC_DIR)/configure.log))
	$(Q)rm -rf $(GLIBC_OBJ) $(GLIBC_DIR)/.stamp-built $(GLIBC_STAMP)
	$(Q)mkdir -p $(GLIBC_OBJ) && cp $(GLIBC_DIR)/configparms $(GLIBC_OBJ)/configparms
	$(Q)$(call glibc-run,configure,cd $(GLIBC_OBJ) && \
	  $(GLIBC_TREE)/configure $(GLIBC_CONFIGURE_ARGS) < /dev/null)
	$(Q)touch $@

# The headers are asked of one make in glibc's source folder: the build
# folder's Makefile passes each goal to a make of its own (.DEFAULT), and
# those makes, run at once under -j, write the same Versions.mk together.
GLIBC_PREGEN := libc-modules.h abi-versions.h first-versions.h ldbl-compat-choose.h \
	dl-tunable-list.h gnu/lib-names.h gnu/lib-names-64.h
$(GLIBC_DIR)/.stamp-built: $(GLIBC_DIR)/.stamp-configured
	$(Q)$(call say,BUILD,glibc static (about 3 min; log: $(GLIBC_DIR)/build.log))
	$(Q)rm -f $(GLIBC_DIR)/.stamp-built-shared
	$(Q)$(call glibc-run,build,$(GLIBC_MAKE) -r -C $(GLIBC_TREE) objdir=$(GLIBC_OBJ) \
	    $(addprefix $(GLIBC_OBJ)/,$(GLIBC_PREGEN)) && \
	  $(GLIBC_MAKE) build-shared=no)
	$(Q)touch $@

# The shared half, on top of the static build (the .o objects and libc.a
# are up to date and stay as they are: only what build-shared=no left out is
# made).
$(GLIBC_DIR)/.stamp-built-shared: $(GLIBC_DIR)/.stamp-built
	$(Q)$(call say,BUILD,glibc shared (for make conformance; about 4 min; log: $(GLIBC_DIR)/build-shared.log))
	$(Q)$(call glibc-run,build-shared,$(GLIBC_MAKE))
	$(Q)touch $@

# What the static install leaves out but a static link may use: the
# <gnu/lib-names.h> headers (generated first, above; the shared install
# copies them as they are) and libanl.a, which since glibc 2.34 is an empty
# archive (getaddrinfo_a is in libc) that only the shared configuration
# makes: a program's -lanl finds it, as on Debian.
define glibc-install-static-extras
cp $(GLIBC_OBJ)/gnu/lib-names.h $(GLIBC_OBJ)/gnu/lib-names-64.h $(GLIBC_SYSROOT)/usr/include/gnu/ && \
printf '!<arch>\n' > $(GLIBC_SYSROOT)/usr/lib/libanl.a
endef

# A fresh sysroot each time, so that nothing stale survives in it.  It also
# gets the Linux UAPI headers glibc was built against (linux-libc-dev), so
# that it is complete for compiling apps with -nostdinc.
GLIBC_UAPI_DIRS := asm-generic linux misc mtd rdma sound video xen
$(GLIBC_STAMP): $(GLIBC_DIR)/.stamp-built
	$(Q)$(call say,INSTALL,glibc -> $(GLIBC_SYSROOT))
	$(Q)rm -rf $(GLIBC_SYSROOT)
	$(Q)$(call glibc-run,install,$(GLIBC_MAKE) build-shared=no install install_root=$(GLIBC_SYSROOT))
	$(Q)$(glibc-install-static-extras)
	$(Q)for d in $(GLIBC_UAPI_DIRS); do \
	  if [ -d /usr/include/$$d ]; then cp -a /usr/include/$$d $(GLIBC_SYSROOT)/usr/include/; fi; \
	done; cp -a /usr/include/x86_64-linux-gnu/asm $(GLIBC_SYSROOT)/usr/include/asm
	$(Q)test -f $(GLIBC_SYSROOT)/usr/lib/libc.a && test -f $(GLIBC_SYSROOT)/usr/lib/crt1.o || \
	  { echo "error: glibc install did not produce usr/lib/libc.a and crt1.o" >&2; exit 1; }
	$(Q)touch $@

PHONY += glibc glibc-shared glibc-source glibc-export glibc-clean
glibc: $(GLIBC_STAMP) ## build glibc for the kernel code model into build/glibc/sysroot
glibc-shared: $(GLIBC_STAMP) $(GLIBC_DIR)/.stamp-built-shared ## also glibc's shared half in build/glibc/obj (make conformance needs it)
glibc-source: $(GLIBC_DIR)/.stamp-patched ## extract glibc 2.36 and apply glibc-patches/
glibc-export: ## write the commits made in build/glibc/src back into glibc-patches/
	$(Q)test -d $(GLIBC_TREE)/.git || { echo "error: no tree in $(GLIBC_TREE) (make glibc-source)" >&2; exit 1; }
	$(Q)$(TOP)/scripts/export-series $(GLIBC_TREE) $(GLIBC_PATCHDIR)
	$(Q)touch $(GLIBC_DIR)/.stamp-patched
glibc-clean: ## remove build/glibc (refused while the tree has unexported work)
	$(Q)$(glibc-keep-work)
	$(Q)$(call say,CLEAN,$(GLIBC_DIR))
	$(Q)rm -rf $(GLIBC_DIR)
