# SPDX-License-Identifier: GPL-2.0
# Host packages.  Every build rule depends order-only on $(DEPS_STAMP), so the
# check runs (about 0.1 s) before anything is extracted or built.

##@ Dependencies
EXTRA_PACKAGES ?=
DEPS_STAMP := $(O)/.deps-checked

$(DEPS_STAMP): FORCE
	$(Q)$(TOP)/scripts/check-deps $(TOP)/scripts/packages.txt $(EXTRA_PACKAGES)
	$(Q)mkdir -p $(O) && touch $@

PHONY += deps FORCE
deps: $(DEPS_STAMP) ## check (as root: install) the Debian packages the build needs
FORCE:
