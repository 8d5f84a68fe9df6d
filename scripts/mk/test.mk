# SPDX-License-Identifier: GPL-2.0
# The test suite: host checks, build checks, boot tests, bad input.
# tests/run-tests runs each program (TAP), keeps its output under
# $(O)/tests/, and ends with "N passed, N failed".

##@ Test
TEST_PROGS := \
	tests/host/test-verdict \
	tests/host/deps-order \
	tests/host/gen-syscalls \
	tests/build/libc \
	tests/build/image \
	tests/build/driver \
	tests/build/lock \
	tests/boot/hello \
	tests/boot/smoke \
	tests/boot/process \
	tests/boot/bench \
	tests/boot/debug \
	tests/boot/profile \
	tests/boot/hardened \
	tests/conformance/subset \
	tests/bad-input/app-errors \
	tests/bad-input/host-errors

# The driver test builds an autoconf project (tests/build/driver); the
# kselftest Makefiles copy their scripts with rsync.
DEPS_GOAL_PACKAGES += $(if $(filter test,$(MAKECMDGOALS)),automake)
# The debug test runs gdb (make debug).
DEPS_GOAL_PACKAGES += $(if $(filter test,$(MAKECMDGOALS)),gdb)
DEPS_GOAL_PACKAGES += $(if $(filter test conformance,$(MAKECMDGOALS)),rsync)

# The images the tests boot: the default app, the smoke test, the process
# tests, the hardened app, the benchmark program (a quick run).
TEST_APPS := $(TOP)/app-template $(TOP)/tests/apps/smoke $(TOP)/tests/apps/process \
	$(TOP)/tests/apps/hardened $(TOP)/tests/bench/lebench

PHONY += test test-images
test-images: ## build the images the boot tests use
	$(Q)$(foreach a,$(TEST_APPS),$(MAKE) --no-print-directory APP=$(a) ukl-image baseline-image &&) true

test: test-images ## run the whole suite; the last line is "N passed, N failed"
	$(Q)UKL_TOP=$(TOP) UKL_O=$(O) ACCEL=$(ACCEL) TIMEOUT=$(TIMEOUT) \
		$(TOP)/tests/run-tests --logdir $(O)/tests/results $(addprefix $(TOP)/,$(TEST_PROGS))

# The README's two commands in a fresh Debian 12 root (scripts/test-fresh):
# proof that the build installs everything it needs.  Each command gets
# FRESH_TIMEOUT seconds; the logs stay in $(O)/fresh/.
FRESH_TIMEOUT ?= 2400
DEPS_GOAL_PACKAGES += $(if $(filter test-fresh,$(MAKECMDGOALS)),mmdebstrap)

PHONY += test-fresh
test-fresh: ## make run + make test in a fresh Debian 12 root made by mmdebstrap (root; ~15 min)
	$(Q)$(TOP)/scripts/test-fresh $(O)/fresh $(FRESH_TIMEOUT)

# The stress program, STRESS_RUNS boots of STRESS_SECONDS on UKL.
STRESS_RUNS ?= 10
STRESS_SECONDS ?= 20
PHONY += stress
stress: ## threads x signals x timers x mmap, STRESS_RUNS (10) boots of STRESS_SECONDS (20) on UKL
	$(Q)$(MAKE) --no-print-directory APP=$(TOP)/tests/apps/process ukl-image
	$(Q)UKL_TOP=$(TOP) UKL_O=$(O) ACCEL=$(ACCEL) STRESS_RUNS=$(STRESS_RUNS) \
		STRESS_SECONDS=$(STRESS_SECONDS) $(TOP)/tests/run-tests --timeout 7200 \
		--logdir $(O)/tests/results-stress $(TOP)/tests/stress/process

##@ Conformance
# Other people's tests inside UKL (tests/conformance/conformance): the
# kselftests of the kernel tree and glibc's own tests, built by their own
# Makefiles (kselftests through ukl-gcc and with the host's gcc; glibc's in
# a copy of the glibc build folder, relinked by ukl-gcc), one boot per test
# and column.
CONF_JOBS ?= 2
CONF_TIMEOUT ?= 120
CONF_TIMEOUT_FACTOR ?= 1
PHONY += conformance
conformance: ## kselftests and glibc tests on linux / linux_ukl_libc / ukl_entry / ukl_bypass: table, build/conformance/results.csv
	$(Q)$(MAKE) --no-print-directory ukl-gcc baseline-image
	$(Q)UKL_TOP=$(TOP) UKL_O=$(O) ACCEL=$(ACCEL) CONF_TIMEOUT=$(CONF_TIMEOUT) \
		CONF_TIMEOUT_FACTOR=$(CONF_TIMEOUT_FACTOR) \
		$(TOP)/tests/conformance/conformance --jobs $(CONF_JOBS)

##@ Bench
# gnuplot draws the chart of make bench only.
DEPS_GOAL_PACKAGES += $(if $(filter bench,$(MAKECMDGOALS)),gnuplot-nox)
BENCH_APP := $(TOP)/tests/bench/lebench
BENCH_ROUNDS ?= 3
BENCH_BOOTS ?= 5
PHONY += bench
bench: ## UKL (entry and bypass) vs the baseline (and mitigations=off): table, build/bench/results.csv, chart
	$(Q)$(MAKE) --no-print-directory APP=$(BENCH_APP) ukl-image baseline-image
	$(Q)$(MAKE) --no-print-directory APP=$(TOP)/app-template ukl-bzimage baseline-bzimage baseline-image
	$(Q)UKL_TOP=$(TOP) UKL_O=$(O) ACCEL=$(ACCEL) BENCH_ROUNDS=$(BENCH_ROUNDS) \
		BENCH_BOOTS=$(BENCH_BOOTS) $(TOP)/tests/bench/run-bench
