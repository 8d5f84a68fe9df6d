# SPDX-License-Identifier: GPL-2.0
# Booting under QEMU.  scripts/run-qemu prints the command, shows the serial
# console, keeps it in a log, enforces TIMEOUT, and exits with the app's
# status (see README: 124 timeout, 125 QEMU failed, 126 crash, 127 no status;
# 123 with READY=: the ready line was seen and the guest stopped).
# GNU make itself exits 2 on any failing recipe; its message names the
# runner's status ("Error 3").  RUN_STATUS_FILE=F also writes the runner's
# status to F: that is how ./ukl exits with the app's status.

##@ Run
# ARGS and ENV are shell-like words: ARGS='"a b" ""' is two arguments.
# KPARAMS: more kernel parameters (e.g. ukl.bypass=0: every syscall through
# the full path).  READY=REGEX: a server's ready line; run and run-linux stop
# the guest 2 s after a console line matches it, and the runner exits 123.
# PORTS="6379 8080:80": forward TCP from 127.0.0.1:HOST on the host to the
# guest's port (HOST[:GUEST]; scripts/qemu.conf NETDEV); a host port in use
# is refused before the boot.
ENV ?=
KPARAMS ?=
READY ?=
PORTS ?=
run-append = --append '$(call escsq,$(strip $(KPARAMS) $(1)))'
run-qemu-args = --accel $(ACCEL) --probe-cache $(O)/.accel-probe --mem $(QEMU_MEM) \
	   --app-args '$(call escsq,$(ARGS))' --app-env '$(call escsq,$(ENV))' \
	   $(if $(strip $(PORTS)),--ports '$(call escsq,$(PORTS))')
RUN_QEMU = $(TOP)/scripts/run-qemu $(run-qemu-args) --timeout $(TIMEOUT) $(call run-append) \
	   $(if $(READY),--ready '$(call escsq,$(READY))')
RUN_STATUS_FILE ?=
run-status = $(if $(RUN_STATUS_FILE),; rc=$$?; echo $$rc > $(RUN_STATUS_FILE); exit $$rc)

PHONY += run run-linux
run: $(first-build-if-new) $(APP_BUILD)/vmlinux ## boot APP on the UKL kernel (ARGS=... ENV=... READY=regex PORTS="host[:guest] ...")
	$(Q)$(RUN_QEMU) --kernel $(APP_BUILD)/vmlinux --log $(APP_BUILD)/ukl.log $(run-status)

run-linux: $(APP_BUILD)/initramfs.cpio $(KO_BASE)/vmlinux ## boot APP as PID 1 of the baseline kernel (ARGS=... ENV=... READY=regex PORTS=...)
	$(Q)$(RUN_QEMU) --kernel $(KO_BASE)/vmlinux --initrd $(APP_BUILD)/initramfs.cpio \
		--log $(APP_BUILD)/baseline.log $(run-status)

# gdb on the image (scripts/ukl-debug, scripts/gdb/ukl.py): the console goes
# to $(APP_BUILD)/debug.log.  GDB_CMDS=FILE: a batch run of FILE.  A boot
# under gdb may wait at breakpoints: it gets DEBUG_TIMEOUT seconds.
GDB_CMDS ?=
DEBUG_TIMEOUT ?= 3600
DEPS_GOAL_PACKAGES += $(if $(filter debug,$(MAKECMDGOALS)),gdb)
PHONY += debug
# The kernel's gdb helpers (scripts_gdb) are built here, once after each
# whole kernel build ($(KBUILD_DONE), app.mk): make run does not need them.
debug: $(APP_BUILD)/vmlinux ## boot APP stopped, with gdb on the same vmlinux (ARGS=... GDB_CMDS=file)
	$(Q)[ $(KO_UKL)/.gdb-scripts -nt $(KBUILD_DONE) ] || \
	  { $(call kbuild,$(KO_UKL),scripts_gdb) && touch $(KO_UKL)/.gdb-scripts; }
	$(Q)$(TOP)/scripts/ukl-debug --image $< --kbuild $(KO_UKL) --obj $(O) \
		--socket $(APP_BUILD)/gdb.sock $(if $(GDB_CMDS),--batch $(abspath $(GDB_CMDS))) -- \
		$(TOP)/scripts/run-qemu $(run-qemu-args) --timeout $(DEBUG_TIMEOUT) $(call run-append) \
		--kernel $< --log $(APP_BUILD)/debug.log $(run-status)

# The sampling profiler (ukl/profile.c, scripts/ukl-profile): one boot with
# ukl.profile=PROFILE_HZ; the console goes to $(APP_BUILD)/profile.log
# (not echoed: the profile is hundreds of lines), the folded stacks and the
# flame graph to $(O)/profile/APP.folded and .svg.  The recipe fails if the
# app's status is not 0 (as make run) or if there is no profile (the app
# never exited: a timeout).
PROFILE_HZ ?= 1000
PHONY += profile
profile: $(APP_BUILD)/vmlinux ## boot APP with the sampling profiler: folded stacks and a flame graph (ARGS=... PROFILE_HZ=N)
	$(Q)rc=0; $(TOP)/scripts/run-qemu $(run-qemu-args) --timeout $(TIMEOUT) --quiet \
		$(call run-append,ukl.profile=$(PROFILE_HZ)) --kernel $< \
		--log $(APP_BUILD)/profile.log || rc=$$?; \
	$(TOP)/scripts/ukl-profile --image $< --log $(APP_BUILD)/profile.log \
		--out $(O)/profile/$(APP_NAME) --title '$(call escsq,$(APP_NAME) $(ARGS))' \
		--console || prc=$$?; \
	$(if $(RUN_STATUS_FILE),echo $$rc > $(RUN_STATUS_FILE);) \
	[ $${prc:-0} = 0 ] || exit $$prc; exit $$rc
