# SPDX-License-Identifier: GPL-2.0
# Booting under QEMU.  scripts/run-qemu prints the command, shows the serial
# console, keeps it in a log, enforces TIMEOUT, and exits with the app's
# status (see README: 124 timeout, 125 QEMU failed, 126 crash, 127 no status).
# GNU make itself exits 2 on any failing recipe; its message names the
# runner's status ("Error 3").  RUN_STATUS_FILE=F also writes the runner's
# status to F: that is how ./ukl exits with the app's status.

##@ Run
RUN_QEMU = $(TOP)/scripts/run-qemu --accel $(ACCEL) --probe-cache $(O)/.accel-probe \
	   --timeout $(TIMEOUT) --mem $(QEMU_MEM)
RUN_STATUS_FILE ?=
run-status = $(if $(RUN_STATUS_FILE),; rc=$$?; echo $$rc > $(RUN_STATUS_FILE); exit $$rc)

PHONY += run run-linux
run: $(APP_BUILD)/vmlinux ## boot APP on the UKL kernel (ARGS=...), exit with its status
	$(Q)$(RUN_QEMU) --kernel $< --log $(APP_BUILD)/ukl.log --append "-- $(ARGS)" $(run-status)

run-linux: $(APP_BUILD)/initramfs.cpio $(KO_BASE)/vmlinux ## boot APP as /init on the baseline kernel (ARGS=...)
	$(Q)$(RUN_QEMU) --kernel $(KO_BASE)/vmlinux --initrd $(APP_BUILD)/initramfs.cpio \
		--log $(APP_BUILD)/baseline.log --append "rdinit=/$(APP_NAME) -- $(ARGS)" $(run-status)
