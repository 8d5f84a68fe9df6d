# SPDX-License-Identifier: GPL-2.0
#
# Unikernel Linux (UKL): one application + glibc + Linux 6.12 in one vmlinux.
# This is the one entry point; `make help` lists every target and variable.

TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))

# Everything built lives under $(O) (default build/), never in the tree.
O ?= $(TOP)/build
# DEBUG_KERNEL=1: both kernels with the checkers of scripts/configs/
# debug.config (lockdep, UBSAN, KFENCE...; the baseline KASAN too), all
# built in a folder of its own, $(O)/debug-kernel (glibc from the cache).
DEBUG_KERNEL ?= 0
ifeq ($(DEBUG_KERNEL),1)
# (once: a make that a test runs with O=$(O) inherits DEBUG_KERNEL=1 too)
override O := $(patsubst %/debug-kernel/debug-kernel,%/debug-kernel,$(abspath $(O))/debug-kernel)
else ifneq ($(DEBUG_KERNEL),0)
$(error DEBUG_KERNEL=$(DEBUG_KERNEL): say DEBUG_KERNEL=1 (the debug kernels) or DEBUG_KERNEL=0)
endif
override O := $(abspath $(O))

# One make at a time in a build folder (scripts/with-lock): a make started
# from a shell runs its goals in a sub-make that holds $(O)/.make.lock, so
# that a second one (another shell, another app) waits for it, saying which
# make holds the folder, instead of building over it.  Sub-makes inherit
# UKL_MAKE_LOCK and run under their parent's lock.  `make help' takes none,
# nor does `make test-fresh', which builds in a root of its own (with a
# lock of its own) and would hold the folder for half an hour.
UKL_LOCK_GOALS := $(if $(UKL_MAKE_LOCK),,$(filter-out help test-fresh,$(or $(MAKECMDGOALS),all)))
ifneq ($(UKL_LOCK_GOALS),)
export UKL_MAKE_LOCK := $(O)/.make.lock
.PHONY: ukl-make-lock $(or $(MAKECMDGOALS),all)
$(or $(MAKECMDGOALS),all): ukl-make-lock
	@:
ukl-make-lock:
	@$(TOP)/scripts/with-lock $(UKL_MAKE_LOCK) $(MAKE) --no-print-directory $(MAKECMDGOALS)
else

# The application: a directory of C sources (see app-template/README.md),
# a program linked by ukl-gcc, or the NAME of a corpus recipe
# (tests/corpus/NAME.recipe, when no file or folder NAME exists here): the
# program the recipe builds (make corpus-NAME), with the recipe's args as
# ARGS, its port as PORTS and its rootfs as UKL_ROOTFS unless given.
APP ?= $(TOP)/app-template
corpus-recipe-get = $(shell sed -n 's/^$(2)[[:space:]]*=[[:space:]]*//p' $(1) | head -n 1)
ifeq ($(wildcard $(APP))$(findstring /,$(APP)),)
ifneq ($(wildcard $(TOP)/tests/corpus/$(APP).recipe),)
CORPUS_APP := $(APP)
CORPUS_APP_RECIPE := $(TOP)/tests/corpus/$(APP).recipe
ifeq ($(call corpus-recipe-get,$(CORPUS_APP_RECIPE),program),)
$(error APP=$(APP): tests/corpus/$(APP).recipe builds a library, not a program)
endif
override APP := $(O)/corpus/$(CORPUS_APP)/ukl/$(call corpus-recipe-get,$(CORPUS_APP_RECIPE),program)
ifeq ($(origin ARGS),undefined)
ARGS := $(call corpus-recipe-get,$(CORPUS_APP_RECIPE),args)
endif
ifeq ($(origin PORTS),undefined)
PORTS := $(call corpus-recipe-get,$(CORPUS_APP_RECIPE),port)
endif
ifeq ($(origin UKL_ROOTFS),undefined)
UKL_ROOTFS := $(addprefix $(TOP)/tests/corpus/,$(call corpus-recipe-get,$(CORPUS_APP_RECIPE),rootfs))
endif
endif
endif
override APP := $(abspath $(APP))
APP_NAME := $(notdir $(APP))
ARGS ?=

# SPECIALIZE=1: APP's UKL kernel is configured from what the app can call
# (scripts/specialize, scripts/configs/specialize.map) and built in a
# folder of its own, $(O)/apps-specialized/NAME; SPECIALIZE_SYSCALLS
# names the system calls of sites whose number is known only at run time.
SPECIALIZE ?= 0
SPECIALIZE_SYSCALLS ?=
ifeq ($(filter 0 1,$(SPECIALIZE)),)
$(error SPECIALIZE=$(SPECIALIZE): say SPECIALIZE=1 (a kernel configured for APP) or SPECIALIZE=0)
endif
# Everything made for APP (scripts/mk/app.mk), and with SPECIALIZE=1 its
# kernel build too (scripts/mk/linux.mk).
APP_BUILD := $(O)/$(if $(filter 1,$(SPECIALIZE)),apps-specialized,apps)/$(APP_NAME)

# Sources: Debian's linux-source-6.12 and glibc-source, or the user's trees.
LINUX_SRC ?=
GLIBC_SRC ?=

# QEMU: ACCEL=auto probes KVM once and falls back to TCG only when the probe
# says so; ACCEL=tcg|kvm forces one.  TIMEOUT bounds every boot (seconds).
ACCEL ?= auto
TIMEOUT ?= 120
QEMU_MEM ?= 256M

JOBS ?= $(shell nproc)

# The compiler cache of the kernel and glibc builds (ccache, keyed by the
# content of each compilation), kept outside the clone so that a clean clone
# reuses what an earlier one compiled.  CCACHE=0 turns it off.
UKL_CACHE ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/ukl
CCACHE ?= 1

# Host tools (the app side is linked with the host binutils).
CC ?= cc
LD := $(if $(filter default,$(origin LD)),ld,$(LD))
OBJCOPY ?= objcopy
OBJDUMP ?= objdump
NM ?= nm
READELF ?= readelf
export NM OBJDUMP READELF

.DELETE_ON_ERROR:
.SUFFIXES:
.DEFAULT_GOAL := all

include $(TOP)/scripts/mk/include.mk
include $(TOP)/scripts/mk/deps.mk
include $(TOP)/scripts/mk/linux.mk
include $(TOP)/scripts/mk/glibc.mk
include $(TOP)/scripts/mk/app.mk
include $(TOP)/scripts/mk/run.mk
include $(TOP)/scripts/mk/test.mk
include $(TOP)/scripts/mk/corpus.mk

##@ Build
PHONY += all
all: ukl-image baseline-image ## build the UKL image and the baseline for APP

##@ Clean
PHONY += clean distclean
clean: ## remove built apps and kernel objects, keep extracted and built sources
	$(Q)$(call say,CLEAN,apps and kernels)
	$(Q)rm -rf $(O)/apps $(O)/apps-specialized $(O)/linux-ukl $(O)/linux-base $(O)/tests
distclean: ## remove the whole build folder (refused while a source tree has unexported work)
	$(Q)$(linux-keep-work) && $(glibc-keep-work)
	$(Q)$(call say,CLEAN,$(O))
	$(Q)rm -rf $(O)

##@ Help
PHONY += help
help: ## this list
	@echo 'Unikernel Linux (UKL) -- build folder: $(O)'
	@awk 'BEGIN { FS = ":.*## " } \
	     /^##@/ { printf "\n%s:\n", substr($$0, 5); next } \
	     /^[a-zA-Z0-9_.%-]+:.*## / { printf "  %-18s - %s\n", $$1, $$2 }' \
	     $(MAKEFILE_LIST)
	@echo
	@echo 'Variables:'
	@echo '  APP=DIR            - the app to build and run (default app-template/)'
	@echo '  ARGS='"'"'a "b c"'"'"'     - the app'"'"'s argv[1..], shell-like words'
	@echo '  ENV='"'"'A=1 B="x y"'"'"'  - entries added to the app'"'"'s environment'
	@echo '  UKL_ROOTFS=DIR     - contents appear at / of the app'"'"'s file system (default APP/rootfs)'
	@echo '  O=DIR              - build folder (default build/)'
	@echo '  LINUX_SRC=DIR      - your own Linux 6.12 tree instead of linux-source-6.12'
	@echo '  GLIBC_SRC=DIR      - your own glibc 2.36 tree instead of glibc-source'
	@echo '  ACCEL=auto|tcg|kvm - QEMU accelerator (auto: KVM only after a probe boot)'
	@echo '  TIMEOUT=SECONDS    - outer timeout for each boot (default $(TIMEOUT))'
	@echo '  QEMU_MEM=SIZE      - guest memory (default $(QEMU_MEM))'
	@echo '  KPARAMS="p=v"      - more kernel parameters for run, debug, profile (e.g. ukl.bypass=0)'
	@echo '  GDB_CMDS=FILE      - debug: run gdb on FILE in batch mode instead of interactively'
	@echo '  DEBUG_TIMEOUT=S    - debug: outer timeout of the boot under gdb (default $(DEBUG_TIMEOUT))'
	@echo '  PROFILE_HZ=N       - profile: samples a second on each CPU (default $(PROFILE_HZ))'
	@echo '  EXTRA_PACKAGES="p" - more Debian packages to check/install (e.g. for an app)'
	@echo '  DEBUG_KERNEL=1     - both kernels with lockdep, UBSAN, KFENCE... in $$(O)/debug-kernel (make test: the boot tests)'
	@echo '  SPECIALIZE=1       - APP'"'"'s UKL kernel configured from the system calls it makes, in $$(O)/apps-specialized/NAME'
	@echo '  SPECIALIZE_SYSCALLS="a b" - with SPECIALIZE=1: the system calls made with run-time numbers (syscall(n))'
	@echo '  N=100 SOAK_SECONDS=5 - soak: boots of the stress program, seconds each'
	@echo '  FRESH_CACHE=0      - test-fresh: a cold compiler cache in the root (default: this machine'"'"'s, UKL_CACHE)'
	@echo '  JOBS=N             - parallel jobs for the kernel and glibc builds'
	@echo '  CCACHE=0|1         - compile the kernels and glibc through ccache (default 1)'
	@echo '  UKL_CACHE=DIR      - where the caches live (default $(UKL_CACHE))'
	@echo '  FRESH_TIMEOUT=S    - test-fresh: seconds for each of the two commands (default 2400)'
	@echo '  BENCH_ROUNDS=N     - bench: boots of the benchmark program per configuration (default 3)'
	@echo '  BENCH_BOOTS=N      - bench: boots of the default app per configuration, for boot time (default 5)'
	@echo '  CONF_JOBS=N        - conformance: boots at a time (default 3)'
	@echo '  CONF_TIMEOUT=S     - conformance: the most seconds a test boot may take (default 120)'
	@echo '  CONF_TIMEOUT_FACTOR=N - conformance: times the suites'"'"' own limits (default 1)'
	@echo '  V=1                - show full commands'

.PHONY: $(PHONY)

endif # UKL_LOCK_GOALS
