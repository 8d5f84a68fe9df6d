# SPDX-License-Identifier: GPL-2.0
# Host packages.
#
# The check is an included makefile, so make runs it before it considers any
# goal: a source tarball that a package provides (/usr/src/...) is then
# there before make asks how to build it.  (As an ordinary prerequisite,
# even an order-only one, the check came too late: make stopped with "No
# rule to make target" before the package that ships the tarball could be
# installed.)  The file holds the list of packages checked and is rewritten
# only when that list changes, which is when make restarts itself once.
# The check runs (about 0.1 s) on every make invocation that has a goal
# other than those in DEPS_FREE_GOALS; as root it installs what is missing,
# otherwise it prints the exact apt-get command and make stops before it
# has written anything.

##@ Dependencies
EXTRA_PACKAGES ?=
DEPS_STAMP := $(O)/.deps-checked
DEPS_FREE_GOALS := help clean distclean

# scripts/packages.txt: "package  what-for" lines.  A source package is not
# needed when the user names their own tree.
DEPS_PACKAGES = $(filter-out $(if $(LINUX_SRC),$(LINUX_PACKAGE)) $(if $(GLIBC_SRC),$(GLIBC_PACKAGE)), \
		  $(shell sed -e 's/#.*//' -e 's/[[:space:]].*//' $(TOP)/scripts/packages.txt)) \
		$(EXTRA_PACKAGES) $(DEPS_GOAL_PACKAGES)
# Packages that only some goals need (added by the fragment of that goal).
DEPS_GOAL_PACKAGES := $(if $(filter 1,$(CCACHE)),ccache)

ifneq ($(filter-out $(DEPS_FREE_GOALS),$(or $(MAKECMDGOALS),$(.DEFAULT_GOAL))),)
include $(DEPS_STAMP)
endif

$(DEPS_STAMP): $(TOP)/scripts/check-deps $(TOP)/scripts/packages.txt FORCE
	$(Q)$(TOP)/scripts/check-deps $(DEPS_PACKAGES)
	$(call write-if-changed,$@,'# Debian packages checked by scripts/check-deps:' \
		$(foreach p,$(sort $(DEPS_PACKAGES)),'#   $(p)'))

# A file that a package provides (a source tarball).  The check has run
# before make looks for it, so a missing one is the package's fault.
# $(call package-file,file,package)
define package-file
$(1):
	$$(Q)echo "error: $(1) not found, although package $(2) is installed (see dpkg -L $(2))" >&2; exit 1
endef

PHONY += deps FORCE
deps: ## check (as root: install) the Debian packages the build needs
	@:
FORCE:
