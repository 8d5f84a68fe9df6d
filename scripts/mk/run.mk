# SPDX-License-Identifier: GPL-2.0
# Booting under QEMU.  scripts/run-qemu prints the command, shows the serial
# console, keeps it in a log, enforces TIMEOUT, and exits with the app's
# status (see README: 124 timeout, 125 QEMU failed, 126 crash, 127 no status).
# GNU make itself exits 2 on any failing recipe; its message names the
# runner's status ("Error 3").  RUN_STATUS_FILE=F also writes the runner's
# status to F: that is how ./ukl exits with the app's status.

##@ Run
# ARGS and ENV are shell-like words: ARGS='"a b" ""' is two arguments.
ENV ?=
RUN_QEMU = $(TOP)/scripts/run-qemu --accel $(ACCEL) --probe-cache $(O)/.accel-probe \
	   --timeout $(TIMEOUT) --mem $(QEMU_MEM) \
	   --app-args '$(call escsq,$(ARGS))' --app-env '$(call escsq,$(ENV))'
RUN_STATUS_FILE ?=
run-status = $(if $(RUN_STATUS_FILE),; rc=$$?; echo $$rc > $(RUN_STATUS_FILE); exit $$rc)

PHONY += run run-linux
run: $(APP_BUILD)/vmlinux ## boot APP on the UKL kernel (ARGS=... ENV=...)
	$(Q)$(RUN_QEMU) --kernel $< --log $(APP_BUILD)/ukl.log $(run-status)

run-linux: $(APP_BUILD)/initramfs.cpio $(KO_BASE)/vmlinux ## boot APP as PID 1 of the baseline kernel (ARGS=... ENV=...)
	$(Q)$(RUN_QEMU) --kernel $(KO_BASE)/vmlinux --initrd $(APP_BUILD)/initramfs.cpio \
		--log $(APP_BUILD)/baseline.log $(run-status)
