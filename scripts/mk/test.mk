# SPDX-License-Identifier: GPL-2.0
# The test suite: host checks, build checks, boot tests, bad input.
# tests/run-tests runs each program (TAP), keeps its output under
# $(O)/tests/, and ends with "N passed, N failed".

##@ Test
TEST_PROGS := \
	tests/host/test-verdict \
	tests/host/deps-order \
	tests/host/gen-syscalls \
	tests/host/driver-options \
	tests/host/check-series \
	tests/build/libc \
	tests/build/image \
	tests/build/relink \
	tests/build/specialize \
	tests/build/driver \
	tests/build/corpus \
	tests/build/lock \
	tests/boot/hello \
	tests/boot/smoke \
	tests/boot/process \
	tests/boot/net \
	tests/boot/redis \
	tests/boot/nginx \
	tests/boot/bench \
	tests/boot/debug \
	tests/boot/profile \
	tests/boot/hardened \
	tests/conformance/subset \
	tests/bad-input/app-errors \
	tests/bad-input/host-errors \
	tests/build/interrupt

# make test DEBUG_KERNEL=1: the tests that boot the kernels (the boot tests
# of the process model, the smoke and hardened apps, and three boots of the
# stress program), on kernels built with debug.config's checkers, whose
# reports fail a boot's verdict.  The other tests check the build system.
ifeq ($(DEBUG_KERNEL),1)
TEST_PROGS := tests/boot/hello tests/boot/smoke tests/boot/process tests/boot/hardened \
	tests/stress/process
endif

# The driver test builds autoconf, libtool and CMake projects
# (tests/build/driver); the kselftest Makefiles copy their scripts with
# rsync.
DEPS_GOAL_PACKAGES += $(if $(filter test,$(MAKECMDGOALS)),automake libtool cmake)
# The debug test runs gdb (make debug); the bad-input test makes a C++
# object to be refused.
DEPS_GOAL_PACKAGES += $(if $(filter test,$(MAKECMDGOALS)),gdb g++)
# The clients of the server tests: redis-cli, curl.
DEPS_GOAL_PACKAGES += $(if $(filter test,$(MAKECMDGOALS)),redis-tools curl)
DEPS_GOAL_PACKAGES += $(if $(filter test conformance,$(MAKECMDGOALS)),rsync)

# The images the tests boot: the default app, the smoke test, the process
# tests, the line server, the hardened app, the benchmark program (a quick run).
TEST_APPS := $(TOP)/app-template $(TOP)/tests/apps/smoke $(TOP)/tests/apps/process \
	$(TOP)/tests/apps/net $(TOP)/tests/apps/hardened $(if $(filter 1,$(DEBUG_KERNEL)),,$(TOP)/tests/bench/lebench)

PHONY += test test-images
test-images: ## build the images the boot tests use
	$(Q)$(foreach a,$(TEST_APPS),$(MAKE) --no-print-directory APP=$(a) ukl-image baseline-image &&) true

test: test-images ## run the whole suite; the last line is "N passed, N failed"
	$(Q)UKL_TOP=$(TOP) UKL_O=$(O) ACCEL=$(ACCEL) TIMEOUT=$(TIMEOUT) STRESS_RUNS=3 \
		$(TOP)/tests/run-tests --logdir $(O)/tests/results $(addprefix $(TOP)/,$(TEST_PROGS))

# The README's two commands in a fresh Debian 12 root (scripts/test-fresh):
# proof that the build installs everything it needs.  Each command gets
# FRESH_TIMEOUT seconds; the logs stay in $(O)/fresh/.
FRESH_TIMEOUT ?= 3000
# The root's builds share this machine's compiler cache (UKL_CACHE, keyed
# by content: a missing package still fails); FRESH_CACHE=0, a cold one.
FRESH_CACHE ?= $(CCACHE)
DEPS_GOAL_PACKAGES += $(if $(filter test-fresh,$(MAKECMDGOALS)),mmdebstrap)

PHONY += test-fresh
test-fresh: ## make run + make test in a fresh Debian 12 root made by mmdebstrap (root; ~45 min); what CI runs
	$(Q)FRESH_CACHE=$(if $(filter 1,$(FRESH_CACHE)),$(UKL_CACHE)) \
		$(TOP)/scripts/test-fresh $(O)/fresh $(FRESH_TIMEOUT)

# The stress program, STRESS_RUNS boots of STRESS_SECONDS on UKL.
STRESS_RUNS ?= 10
STRESS_SECONDS ?= 20
PHONY += stress
stress: ## threads x signals x timers x mmap, STRESS_RUNS (10) boots of STRESS_SECONDS (20) on UKL
	$(Q)$(MAKE) --no-print-directory APP=$(TOP)/tests/apps/process ukl-image
	$(Q)UKL_TOP=$(TOP) UKL_O=$(O) ACCEL=$(ACCEL) STRESS_RUNS=$(STRESS_RUNS) \
		STRESS_SECONDS=$(STRESS_SECONDS) $(TOP)/tests/run-tests \
		--timeout $$(( $(STRESS_RUNS) * ($(STRESS_SECONDS) * 4 + 60) )) \
		--logdir $(O)/tests/results-stress $(TOP)/tests/stress/process

# Soak: N boots of the stress program (SOAK_SECONDS each), bypass mode and
# the full entry path in turn; the flakes are listed with their logs
# ($(O)/tests/logs/soak/).  Zero is the bar.  SOAK_ARGS boots another area
# of the process app instead: make soak SOAK_ARGS="events 2" (stacks
# moved and dropped under events, tests/apps/process/events.c).
N ?= 100
SOAK_SECONDS ?= 5
PHONY += soak
soak: ## N (100) boots of the stress program on UKL, SOAK_SECONDS (5) each: the flakes and their logs
	$(Q)$(MAKE) --no-print-directory APP=$(TOP)/tests/apps/process ukl-image
	$(Q)UKL_TOP=$(TOP) UKL_O=$(O) ACCEL=$(ACCEL) STRESS_RUNS=$(N) STRESS_SECONDS=$(SOAK_SECONDS) \
		STRESS_KINDS='ukl ukl-entry' STRESS_LOGS=$(O)/tests/logs/soak \
		$(if $(SOAK_ARGS),STRESS_ARGS='$(SOAK_ARGS)') \
		$(TOP)/tests/run-tests --timeout $$(( $(N) * ($(SOAK_SECONDS) * 4 + 60) )) \
		--logdir $(O)/tests/results-soak $(TOP)/tests/stress/process

##@ Conformance
# Other people's tests inside UKL (tests/conformance/conformance): the
# kselftests of the kernel tree and glibc's own tests, built by their own
# Makefiles (kselftests through ukl-gcc and with the host's gcc; glibc's in
# a copy of the glibc build folder, relinked by ukl-gcc): on UKL one boot
# per test and column, on the baseline a boot per batch of tests.  Three
# boots at a time on two cores: a boot whose test sleeps or hangs leaves
# its core idle (two kept the load average near 1.5).
CONF_JOBS ?= 3
CONF_TIMEOUT ?= 120
CONF_TIMEOUT_FACTOR ?= 1
PHONY += conformance
conformance: ## kselftests and glibc tests on linux / linux_ukl_libc / ukl_entry / ukl_bypass: table, build/conformance/results.csv
	$(Q)$(MAKE) --no-print-directory ukl-gcc glibc-shared baseline-image
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

# Servers under load (tests/bench/run-apps): Redis and nginx from the
# corpus, each column's image, and the gcc builds for the native ceiling;
# QEMU and the clients in a network namespace with a tap device (root).
# BENCH_APPS=redis or nginx: one of them.
DEPS_GOAL_PACKAGES += $(if $(filter bench-apps,$(MAKECMDGOALS)),gnuplot-nox redis-tools wrk iproute2)
BENCH_APPS ?= redis nginx
BENCH_SECONDS ?= 8
PHONY += bench-apps
bench-apps: ## Redis and nginx under load: linux vs ukl_entry vs ukl_bypass (vs ukl_shortcut), build/bench/apps.csv, chart (root)
	$(Q)$(foreach a,$(BENCH_APPS),$(MAKE) --no-print-directory APP=$(a) ukl-image baseline-image && \
		$(MAKE) --no-print-directory corpus-$(a)-gcc && \
		$(if $(wildcard $(TOP)/tests/corpus/$(a)-shortcut.recipe),$(MAKE) --no-print-directory APP=$(a)-shortcut ukl-image &&)) true
	$(Q)UKL_TOP=$(TOP) UKL_O=$(O) ACCEL=$(ACCEL) $(TOP)/tests/bench/run-apps \
		--rounds $(BENCH_ROUNDS) --seconds $(BENCH_SECONDS) $(addprefix --only ,$(BENCH_APPS))
