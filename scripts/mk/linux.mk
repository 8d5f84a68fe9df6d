# SPDX-License-Identifier: GPL-2.0
# Linux 6.12: extract -> patch -> configure (two configs) -> build.
#
#   $(O)/linux/src      the extracted tree, a git repo (tag ukl-base = pristine)
#   $(O)/linux-ukl      O= build with CONFIG_UKL=y  (vmlinux links the app archive)
#   $(O)/linux-base     O= build of the same tree and base config, CONFIG_UKL=n

##@ Linux
LINUX_PACKAGE := linux-source-6.12
LINUX_TARBALL := /usr/src/linux-source-6.12.tar.xz
$(eval $(call package-file,$(LINUX_TARBALL),$(LINUX_PACKAGE)))
KSRC := $(O)/linux/src
KO_UKL := $(if $(filter 1,$(SPECIALIZE)),$(APP_BUILD)/linux-ukl,$(O)/linux-ukl)
KO_BASE := $(O)/linux-base
LINUX_PATCHES := $(TOP)/linux-patches/series $(wildcard $(TOP)/linux-patches/*.patch)
CONFIG_FRAGMENTS_BASE := $(TOP)/scripts/configs/qemu-guest.config $(TOP)/scripts/configs/baseline.config
ifeq ($(SPECIALIZE),1)
CONFIG_FRAGMENTS_UKL := $(TOP)/scripts/configs/specialize-base.config $(KO_UKL)/app.config \
	$(KO_UKL)/initramfs.config
else
CONFIG_FRAGMENTS_UKL := $(TOP)/scripts/configs/qemu-guest.config $(TOP)/scripts/configs/ukl.config \
	$(KO_UKL)/initramfs.config
endif
ifeq ($(DEBUG_KERNEL),1)
CONFIG_FRAGMENTS_BASE += $(TOP)/scripts/configs/debug.config $(TOP)/scripts/configs/debug-kasan.config
CONFIG_FRAGMENTS_UKL += $(TOP)/scripts/configs/debug.config
endif
# The debug info names the build folder relative to $(O) (as glibc's, see
# GLIBC_CFLAGS), so that ccache can reuse another clone's objects; gdb and
# addr2line resolve the paths from $(O).
KMAKE = $(ccache-env) $(MAKE) -C $(KSRC) ARCH=x86_64 -j$(JOBS) KCFLAGS=-fdebug-prefix-map=$(O)=.

LINUX_SOURCE := $(if $(LINUX_SRC),$(abspath $(LINUX_SRC)),$(LINUX_TARBALL))
linux-keep-work = $(TOP)/scripts/check-exported $(KSRC) linux-export

# Which source the tree came from: a change (LINUX_SRC, or a new Debian
# point release of the tarball) re-extracts, unless the tree holds work.
$(O)/linux/source: FORCE
	$(call write-if-changed,$@,'$(LINUX_SOURCE)')

# The pristine tree, from Debian's tarball or from LINUX_SRC (copied, never
# patched in place).
quiet_cmd_extract_linux = EXTRACT $(or $(LINUX_SRC),$(LINUX_TARBALL)) (about 1 min)
      cmd_extract_linux = $(TOP)/scripts/extract-source $(KSRC) $(LINUX_SOURCE) && \
			  sed -n 's/^VERSION = /v/p;s/^PATCHLEVEL = /./p;s/^SUBLEVEL = /./p' $(KSRC)/Makefile | \
			  tr -d '\n' > $(O)/linux/version && \
			  { dpkg-query -W -f='$(LINUX_PACKAGE) $${Version}\n' $(LINUX_PACKAGE) 2>/dev/null || true; } \
			  > $(O)/linux/debian-version
$(O)/linux/.stamp-extracted: $(O)/linux/source $(if $(LINUX_SRC),,$(LINUX_TARBALL))
	$(Q)$(linux-keep-work)
	$(call cmd,extract_linux)
	$(Q)found=$$(sed -n 's/^VERSION = //p;s/^PATCHLEVEL = //p' $(KSRC)/Makefile 2>/dev/null | \
	  head -n 2 | paste -sd. -); [ "$$found" = 6.12 ] || \
	  { echo "error: $(LINUX_SOURCE) is not a Linux 6.12 tree" \
	    "(its Makefile says: $${found:-no version, or there is none})" >&2; exit 1; }
	$(Q)touch $@

# apply-series resets the tree to ukl-base and applies the whole series; the
# ukl/ directory of the kernel tree is the project's ukl-lib/.
$(O)/linux/.stamp-patched: $(O)/linux/.stamp-extracted $(LINUX_PATCHES)
	$(Q)$(TOP)/scripts/apply-series $(KSRC) $(TOP)/linux-patches linux-export
	$(Q)ln -sfn $(TOP)/ukl-lib $(KSRC)/ukl
	$(Q)touch $@

# The UKL kernel's built-in initramfs is the list the app build copies in
# (app.mk): its path is absolute, so this fragment is generated.
$(KO_UKL)/initramfs.config: FORCE
	$(call write-if-changed,$@,'CONFIG_INITRAMFS_SOURCE="$(KO_UKL)/ukl-rootfs.list"')

# SPECIALIZE=1: the fragment of the app's kernel, from the app's linked
# object (scripts/specialize writes only what changed), and the report of
# what pulled each option in (make config-report).
SPECIALIZE_PY := $(TOP)/scripts/specialize
SPECIALIZE_MAP := $(TOP)/scripts/configs/specialize.map
$(KO_UKL)/specialize-args: FORCE
	$(call write-if-changed,$@,'$(PORTS)' '$(SPECIALIZE_SYSCALLS)')
$(KO_UKL)/app.config: $(APP_BUILD)/ukl-app.o $(SPECIALIZE_MAP) $(SPECIALIZE_PY) \
		$(KO_UKL)/specialize-args $(wildcard $(APP)/specialize.config) $(O)/linux/.stamp-patched
	$(Q)$(call say,SPECIAL,$(APP_NAME): the kernel options its system calls need (report: $(APP_BUILD)/config-report))
	$(Q)$(SPECIALIZE_PY) config --app-object $< --table $(KSRC)/arch/x86/entry/syscalls/syscall_64.tbl \
	  --map $(SPECIALIZE_MAP) $(if $(PORTS),--ports) --extra-syscalls '$(SPECIALIZE_SYSCALLS)' \
	  $(addprefix --app-config ,$(wildcard $(APP)/specialize.config)) \
	  --fragment $@ --report $(APP_BUILD)/config-report --syscalls $(KO_UKL)/app-syscalls

# A config: allnoconfig + the fragments, through the kernel's merge_config.
# Every value a fragment asks for must reach the final .config (an option
# asked to be off may be missing from it: one whose dependencies are not
# met, as CONFIG_UKL next to KASAN in the debug baseline, is off too).
# $(1): build dir, $(2): fragments
define kconfig-rule
$(1)/.config: $(O)/linux/.stamp-patched $(2) $(TOP)/Kconfig.ukl
	$$(Q)$$(call say,CONFIG,$$(notdir $(1)) [$$(notdir $(2))])
	$$(Q)mkdir -p $(1)
	$$(Q)cd $(KSRC) && ARCH=x86_64 $(KSRC)/scripts/kconfig/merge_config.sh \
		-n -O $(1) $(2) > $(1)/config.log 2>&1 </dev/null || \
		{ cat $(1)/config.log >&2; rm -f $(1)/.config; exit 1; }
	$$(Q)if awk '/not in final .config/ { getline r; getline a; \
		  if (r ~ / is not set$$$$/ && a ~ /^Actual value: *$$$$/) next; \
		  print $$$$0 "\n" r "\n" a; bad = 1 } END { exit !bad }' $(1)/config.log >&2; then \
		echo "error: the config fragments ask for values Kconfig did not accept (see above)" >&2; \
		rm -f $(1)/.config; exit 1; fi
	$$(Q)touch $(1)/.config	# kconfig leaves an unchanged .config's date alone
endef
$(eval $(call kconfig-rule,$(KO_UKL),$(CONFIG_FRAGMENTS_UKL)))
$(eval $(call kconfig-rule,$(KO_BASE),$(CONFIG_FRAGMENTS_BASE)))

# Kernel builds: kbuild tracks its own dependencies, so the sub-make always
# runs; its output goes to a log unless V=1.
# $(call kbuild,build dir,targets[,more make arguments,what they mean])
kbuild = $(call say,KERNEL,$(notdir $(1)) $(2)$(if $(4), ($(4)))$(if $(wildcard $(1)/vmlinux $(1)/built-in.a),, (a first build: about 5 min)) (log: $(1)/build.log)); \
	 if [ "$(KBUILD_VERBOSE)" = 1 ]; then $(KMAKE) O=$(1) $(2) $(3); \
	 else $(KMAKE) O=$(1) $(2) $(3) > $(1)/build.log 2>&1 || \
	   { tail -n 40 $(1)/build.log >&2; echo "error: kernel build failed; full log: $(1)/build.log" >&2; exit 1; }; fi

$(KO_BASE)/vmlinux: $(KO_BASE)/.config FORCE
	$(Q)$(call kbuild,$(KO_BASE),vmlinux)

# The series one step at a time (scripts/check-series): each commit of
# $(KSRC) on ukl-base built at its step with both configs (vmlinux_o: every
# object, ld -r, objtool; at the last step ukl-lib/ too, and the baseline
# linked), in a clone of the tree in $(LINUX_SERIES_CHECK).  A step is built
# again only when its tree, the configs or (last step) ukl-lib/ changed.
LINUX_SERIES_CHECK := $(O)/series-check

PHONY += linux-source linux-check-series linux-export menuconfig linux-clean baseline-kernel
linux-source: $(O)/linux/.stamp-patched ## extract Linux 6.12 and apply linux-patches/
linux-check-series: ## build every patch of build/linux/src at its step (linux-export runs it)
	$(Q)$(ccache-env) JOBS=$(JOBS) $(TOP)/scripts/check-series $(KSRC) $(TOP) $(LINUX_SERIES_CHECK)
linux-export: linux-check-series ## write the commits made in build/linux/src back into linux-patches/
	$(Q)$(TOP)/scripts/export-series $(KSRC) $(TOP)/linux-patches
	$(Q)touch $(O)/linux/.stamp-patched
menuconfig: $(KO_UKL)/.config ## open the UKL kernel's config (build/linux-ukl/.config)
	$(Q)$(KMAKE) O=$(KO_UKL) menuconfig
baseline-kernel: $(KO_BASE)/vmlinux ## build the baseline kernel (CONFIG_UKL=n)
linux-clean: ## remove the extracted tree, both kernel builds and the series check (refused while the tree has unexported work)
	$(Q)$(linux-keep-work)
	$(Q)rm -rf $(O)/linux $(KO_UKL) $(KO_BASE) $(LINUX_SERIES_CHECK)

PHONY += config-report
ifeq ($(SPECIALIZE),1)
config-report: $(KO_UKL)/app.config ## what in APP turns each option of its specialized kernel on, and its system calls
	$(Q)cat $(APP_BUILD)/config-report
else
config-report:
	$(Q)$(MAKE) --no-print-directory SPECIALIZE=1 config-report
endif
