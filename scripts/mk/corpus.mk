# SPDX-License-Identifier: GPL-2.0
# Programs from the field: Debian's source packages, built by their own
# build systems with CC=ukl-gcc, and with the host's gcc for the build
# times.  One recipe per program, tests/corpus/NAME.recipe (the format is in
# tests/corpus/README); tests/build/corpus boots them.
#
#   $(O)/apt                   apt's own state (scripts/fetch-debsrc)
#   $(UKL_CACHE)/debsrc        the downloaded files, by content
#   $(O)/corpus/NAME/src       the sources as Debian builds them
#   $(O)/corpus/NAME/ukl       the ukl-gcc build: make run APP=<its program>
#   $(O)/corpus/NAME/gcc       the same commands with CC=gcc
#   $(O)/corpus/times.csv      build seconds of both, one row a recipe
#   $(UKL_CACHE)/corpus        ukl-gcc builds' results, by the content of all
#                              they are made from (tests/corpus/build says
#                              what); CORPUS_CACHE=0: always build

##@ Corpus
CORPUS_DIR := $(TOP)/tests/corpus
CORPUS_OUT := $(O)/corpus
CORPUS_NAMES := $(sort $(basename $(notdir $(wildcard $(CORPUS_DIR)/*.recipe))))
# $(call corpus-get,NAME,key): the recipe's values of key
corpus-get = $(shell sed -n 's/^$(2)[[:space:]]*=[[:space:]]*//p' $(CORPUS_DIR)/$(1).recipe)
CORPUS_CACHE ?= 1
# dpkg-source unpacks; libevent's build starts with autoreconf, as Debian's;
# a recipe's patches are applied by patch.  Also for APP=NAME (Makefile).
DEPS_GOAL_PACKAGES += $(if $(CORPUS_APP)$(filter corpus corpus-% test,$(MAKECMDGOALS)),dpkg-dev autoconf automake libtool patch)

quiet_cmd_corpus_fetch = FETCH   $(notdir $(patsubst %/src/.debsrc-version,%,$@))
      cmd_corpus_fetch = $(TOP)/scripts/fetch-debsrc --apt-dir $(O)/apt --cache $(UKL_CACHE)/debsrc \
			 $(2) $(3) $(patsubst %/.debsrc-version,%,$@)

# $(1): NAME.  The sources, then a build with each compiler (after the
# recipes it needs, built with the same compiler).
define corpus-rules
$(CORPUS_OUT)/$(1)/src/.debsrc-version: $(CORPUS_DIR)/$(1).recipe $(TOP)/scripts/fetch-debsrc
	$$(call cmd,corpus_fetch,$(call corpus-get,$(1),package),$(call corpus-get,$(1),version))
$(CORPUS_OUT)/$(1)/ukl.seconds: $(CORPUS_OUT)/$(1)/src/.debsrc-version $(CORPUS_DIR)/$(1).recipe \
		$(addprefix $(CORPUS_DIR)/,$(call corpus-get,$(1),patch)) $(CORPUS_DIR)/build $(UKL_GCC) $(patsubst %,$(CORPUS_OUT)/%/ukl.seconds,$(call corpus-get,$(1),needs))
	$$(Q)$(CORPUS_DIR)/build $(CORPUS_DIR)/$(1).recipe ukl $(UKL_GCC) $(CORPUS_OUT) $(JOBS) \
		'$(if $(filter 1,$(CORPUS_CACHE)),$(UKL_CACHE)/corpus)'
$(CORPUS_OUT)/$(1)/gcc.seconds: $(CORPUS_OUT)/$(1)/src/.debsrc-version $(CORPUS_DIR)/$(1).recipe \
		$(addprefix $(CORPUS_DIR)/,$(call corpus-get,$(1),patch)) $(CORPUS_DIR)/build $(patsubst %,$(CORPUS_OUT)/%/gcc.seconds,$(call corpus-get,$(1),needs))
	$$(Q)$(CORPUS_DIR)/build $(CORPUS_DIR)/$(1).recipe gcc gcc $(CORPUS_OUT) $(JOBS)
PHONY += corpus-$(1)-src corpus-$(1) corpus-$(1)-gcc
corpus-$(1)-src: $(CORPUS_OUT)/$(1)/src/.debsrc-version
corpus-$(1): $(CORPUS_OUT)/$(1)/ukl.seconds
	@echo '$(if $(call corpus-get,$(1),program),$(CORPUS_OUT)/$(1)/ukl/$(call corpus-get,$(1),program),$(CORPUS_OUT)/$(1)/ukl-prefix)'
corpus-$(1)-gcc: $(CORPUS_OUT)/$(1)/gcc.seconds
endef
$(foreach n,$(CORPUS_NAMES),$(eval $(call corpus-rules,$(n))))

# APP=NAME (Makefile): the recipe's program, built by the recipe.
ifdef CORPUS_APP
$(APP): $(CORPUS_OUT)/$(CORPUS_APP)/ukl.seconds ;
endif

# The table: seconds of the same build commands through ukl-gcc and gcc.
CORPUS_TIMES := $(foreach n,$(CORPUS_NAMES),$(CORPUS_OUT)/$(n)/ukl.seconds $(CORPUS_OUT)/$(n)/gcc.seconds)
$(CORPUS_OUT)/times.csv: $(CORPUS_TIMES)
	$(Q){ echo 'program,debian_version,ukl_gcc_s,gcc_s,ratio'; \
	  for n in $(CORPUS_NAMES); do \
	    u=$$(cat $(CORPUS_OUT)/$$n/ukl.seconds) g=$$(cat $(CORPUS_OUT)/$$n/gcc.seconds); \
	    v=$$(cut -d' ' -f2 $(CORPUS_OUT)/$$n/src/.debsrc-version); \
	    awk -v n=$$n -v v="$$v" -v u=$$u -v g=$$g 'BEGIN { printf "%s,%s,%s,%s,%.1f\n", n, v, u, g, u / g }'; \
	  done; } > $@.tmp && mv -f $@.tmp $@

PHONY += corpus corpus-clean
corpus: ukl-gcc $(CORPUS_OUT)/times.csv ## build tests/corpus/*.recipe with ukl-gcc and gcc: build/corpus/times.csv (corpus-NAME: one, ukl-gcc only)
	@awk -F, 'NR == 1 { printf "%-12s %-26s %10s %8s %6s\n", "program", "Debian version", "ukl-gcc s", "gcc s", "ratio"; next } \
	  { printf "%-12s %-26s %10s %8s %6s\n", $$1, $$2, $$3, $$4, $$5 }' $(CORPUS_OUT)/times.csv
corpus-clean: ## remove build/corpus (the download cache stays)
	$(Q)$(call say,CLEAN,$(CORPUS_OUT))
	$(Q)rm -rf $(CORPUS_OUT)
