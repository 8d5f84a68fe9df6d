# SPDX-License-Identifier: GPL-2.0
# Shared make machinery, in the manner of the kernel's scripts/Kbuild.include.
#
#   quiet_cmd_foo = LABEL   $@      (one short line per step)
#   cmd_foo       = the command     (shown in full with V=1)
#   $(call cmd,foo)                 runs it
#
# make -s shows nothing at all.

ifeq ($(origin V),command line)
  KBUILD_VERBOSE := $(V)
endif
KBUILD_VERBOSE ?= 0

ifeq ($(KBUILD_VERBOSE),1)
  quiet :=
  Q :=
else
  quiet := quiet_
  Q := @
endif

ifneq ($(findstring s,$(firstword -$(MAKEFLAGS))),)
  quiet := silent_
endif

# echo-cmd prints the quiet (or full) form of cmd_$(1); escsq escapes single quotes.
squote := '
escsq = $(subst $(squote),'\$(squote)',$1)
echo-cmd = $(if $($(quiet)cmd_$(1)),echo '  $(call escsq,$($(quiet)cmd_$(1)))';)
cmd = @set -e; $(echo-cmd) $(cmd_$(1))

# Announce a long step that is not a single command (e.g. a sub-make).
# $(call say,LABEL,what)
say = $(if $(filter silent_,$(quiet)),:,printf '  %-8s %s\n' '$(1)' '$(2)')

# A target that is written only when its content changes, so that make's
# timestamps follow content, not the last time a rule ran.
# $(call write-if-changed,file,content)
define write-if-changed
	$(Q)mkdir -p $(dir $(1)); printf '%s\n' $(2) > $(1).tmp; \
	if cmp -s $(1).tmp $(1); then rm -f $(1).tmp; else mv -f $(1).tmp $(1); fi
endef

# $(ccache-env) before a sub-make: its gcc is ccache's (Debian's masquerade
# folder first in PATH), so the sub-make's commands do not change with
# CCACHE.  Paths under $(O) are hashed relative to the folder of each
# compilation (CCACHE_BASEDIR), so another clone's objects are reused;
# the debug info of such a build must not name the folder either (see
# GLIBC_CFLAGS).  CCACHE_NOHASHDIR is not set: a hit never gives an object
# whose debug info names another clone.  The compiler is known by its
# content, not its file's date (CCACHE_COMPILERCHECK), so that the same
# Debian gcc installed elsewhere (test-fresh's root) finds the same objects.
# glibc's build runs ccache in depend mode ($(ccache-depend-env), glibc.mk):
# a hit is found from the source, the flags and the headers the compiler's
# own dependency file (-MD) named last time, never by running the
# preprocessor.  In the default mode every miss also runs the preprocessor:
# an empty cache then costs 30% more than no cache (measured on the
# kernel's kernel/ and mm/: 68.5 s, 52.5 s without ccache, 54.3 s in
# depend mode).  Not for the kernels: depend mode does not see an
# `.incbin' (kbuild's initramfs, the bzImage payload, the real-mode blob),
# so it hands back an object with the old contents (seen: an app's image
# with the previous app's initramfs); the default mode refuses to cache
# those, as "unsupported code directive".
ifeq ($(CCACHE),1)
ccache-env = env PATH=/usr/lib/ccache:$$PATH CCACHE_DIR=$(UKL_CACHE)/ccache CCACHE_BASEDIR=$(O) \
	CCACHE_COMPILERCHECK=content
ccache-depend-env = CCACHE_DEPEND=1
else ifeq ($(CCACHE),0)
ccache-env =
else
$(error CCACHE=$(CCACHE): say CCACHE=1 (compile through ccache) or CCACHE=0)
endif
