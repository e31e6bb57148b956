# umdp: kernel module, library, examples, tests.
#
#   make              build the module (for KVER), library, examples
#   make check        install what is missing, build (the packages too), run
#                     the suite in two guest boots (kernels.list: 6.1 on
#                     pc, 6.12-rt on q35), then the system pair
#   make check-system the system pair alone: tests/system in two boots of
#                     6.1 on q35 sharing a state disk, boot 1 with the fast
#                     init (1-*.bats: make install, the packages and DKMS,
#                     umdpctl), boot 2 with systemd as PID 1 (2-*.bats)
#   make check KERNEL=K MACHINE=M   one boot (defaults: the default kernel, pc),
#                     no system pair
#   make check KERNEL=debug         the suite on the debug kernel (KASAN,
#                     lockdep, kmemleak, UBSAN), on q35 unless MACHINE is
#                     given; built once from debug-kernel.pin and
#                     scripts/vm/debug.config into /var/cache/umdp (README)
#   make check-all    every kernel of kernels.list on every machine (pc, q35),
#                     then the system pair (never the debug kernel)
#   make demo         the main job, in the guest
#   make bench        umdp against the kernel's own mechanisms, and the tail
#                     latency of interrupts on 6.1 and 6.12-rt (two guests)
#   make fuzz SECONDS=N [SEED=S] [KERNEL=K] [MACHINE=M]
#                     the fuzzer (tests/c/umdp-fuzz) for N s in one guest
#   make modules-all  umdp.ko for every kernel of kernels.list
#   make C=1 / C=2    also run sparse over the module (C=2: every file)
#   make install      install library, headers, umdpctl, man pages, udev
#                     rules, systemd units, modules-load.d file, examples,
#                     /etc/umdp/grants.d and the module's source for DKMS
#                     in /usr/src/umdp-VERSION; without DESTDIR, where dkms
#                     is installed, also dkms add/build/install it for the
#                     running kernel (KVER=... for another) and ldconfig
#                     (DESTDIR, PREFIX; LIBDIR: the multiarch directory when
#                     PREFIX=/usr; SBINDIR, MANDIR, SYSTEMDUNITDIR,
#                     UDEVRULESDIR, MODULESLOADDIR: see below)
#   make uninstall    remove all of that again (same variables), and every
#                     directory install created; dkms remove first
#   make deb          Debian packages umdp-dkms, libumdp0, libumdp-dev,
#                     umdp-tools from a copy of the tree, into build/deb/
#                     (scripts/mkdeb; lintian when installed)
#
# KVER: the kernel to build umdp.ko for (default: the first of kernels.list);
# its headers are fetched into .cache/kernel/KVER/ unless KDIR names a tree.
# KVER=debug: the debug kernel's built tree (built first if need be).
# The module lands in build/module/KVER/umdp.ko; the tests' own module
# (tests/kmod, never installed) in build/module/KVER/test/umdp_test.ko.

# The one version of umdp: the library (libumdp.so.VERSION, soname
# libumdp.so.0, libumdp.pc), the module (MODULE_VERSION), DKMS
# (/usr/src/umdp-VERSION) and the Debian packages (debian/changelog must
# agree).
UMDP_VERSION := 0.3.0

KVER ?= $(shell scripts/umdp-vm kver)
KDIR ?= $(shell scripts/umdp-vm kdir --kernel $(KVER))
BUILD := build
CC ?= cc
CFLAGS ?= -O2 -g
UMDP_CFLAGS := -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror \
	-Iconfigfs_umdp/include/uapi -Ilibumdp
PREFIX ?= /usr/local
# Debian installs system libraries (PREFIX=/usr) in the multiarch directory;
# under /usr/local they go to lib/, which ld.so searches too.
MULTIARCH := $(shell $(CC) -print-multiarch 2>/dev/null)
ifeq ($(PREFIX)$(if $(MULTIARCH),,none),/usr)
LIBDIR ?= $(PREFIX)/lib/$(MULTIARCH)
else
LIBDIR ?= $(PREFIX)/lib
endif
INCLUDEDIR ?= $(PREFIX)/include
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
# The example drivers, and install's record of the directories it created.
PKGLIBDIR ?= $(PREFIX)/lib/umdp
# Where systemd, udev, modules-load and DKMS look, whatever PREFIX is.
SYSTEMDUNITDIR ?= $(or $(shell pkg-config --variable=systemdsystemunitdir systemd 2>/dev/null),/lib/systemd/system)
UDEVRULESDIR ?= $(or $(shell pkg-config --variable=udevdir udev 2>/dev/null),/lib/udev)/rules.d
MODULESLOADDIR ?= /usr/lib/modules-load.d
DKMSSRCDIR := /usr/src/umdp-$(UMDP_VERSION)
GRANTSDIR := /etc/umdp/grants.d

LIB_VERSION := $(UMDP_VERSION)
LIB_SONAME := libumdp.so.0
LIB_SRCS := $(wildcard libumdp/*.c)
LIB_OBJS := $(LIB_SRCS:libumdp/%.c=$(BUILD)/libumdp/%.o)
LIB_SO := $(BUILD)/lib/libumdp.so.$(LIB_VERSION)
LIB_A := $(BUILD)/lib/libumdp.a
LIB_HDRS := libumdp/umdp.h configfs_umdp/include/uapi/linux/umdp.h

EXAMPLES := $(patsubst examples/%.c,$(BUILD)/bin/%,$(wildcard examples/*.c))
# A test program or benchmark is DIR/NAME.c, or a directory DIR/NAME/ whose
# .c files make one program NAME.
progs = $(patsubst $(1)/%.c,$(2)/%,$(wildcard $(1)/*.c)) \
	$(patsubst $(1)/%/,$(2)/%,$(sort $(dir $(wildcard $(1)/*/*.c))))
prog-srcs = $(wildcard $(1)/$(2).c $(1)/$(2)/*.c $(1)/$(2)/*.h)
TESTPROGS := $(call progs,tests/c,$(BUILD)/tests)
BENCHES := $(call progs,bench,$(BUILD)/bench)

MODDIR := $(BUILD)/module/$(KVER)
# The module's sources as git knows them: never an in-tree build's leftovers
# (umdp.mod.c from another kernel would link into this one).
MOD_SRCS := $(patsubst ./%,%,$(shell cd configfs_umdp && find . \( -name '*.[ch]' ! -name '*.mod.c' \) -o -name Makefile -o -name Kbuild))

.PHONY: all module modules-all lib examples testprogs benches deps check \
	check-all check-system demo bench fuzz shell install uninstall deb \
	clean FORCE

all: module lib examples testprogs benches

deps:
	@scripts/deps.sh

# kbuild builds in the M= directory: build/module/KVER/ holds symlinks to the
# sources (refreshed each time, so added and removed files follow) and the
# objects for that kernel.
module:
ifeq ($(origin KDIR),file)
	@scripts/umdp-vm fetch --headers --kernel $(KVER)
endif
	@mkdir -p $(MODDIR)
	@find $(MODDIR) -type l -delete
	@for f in $(MOD_SRCS); do \
		mkdir -p $(MODDIR)/$$(dirname $$f) && \
		ln -s $(CURDIR)/configfs_umdp/$$f $(MODDIR)/$$f || exit 1; \
	done
	$(MAKE) -C $(KDIR) M=$(CURDIR)/$(MODDIR) UMDP_VERSION=$(UMDP_VERSION) \
		W=1 $(if $(C),C=$(C)) modules
	@mkdir -p $(MODDIR)/test
	@ln -sf $(CURDIR)/tests/kmod/Kbuild $(CURDIR)/tests/kmod/umdp_test.c $(MODDIR)/test/
	$(MAKE) -C $(KDIR) M=$(CURDIR)/$(MODDIR)/test W=1 $(if $(C),C=$(C)) modules

modules-all:
	@for k in $$(scripts/umdp-vm kernels); do \
		$(MAKE) --no-print-directory module KVER=$$k || exit 1; \
	done

lib: $(LIB_SO) $(LIB_A) $(BUILD)/lib/libumdp.pc $(BUILD)/lib/libumdp-uninstalled.pc

$(BUILD)/libumdp/%.o: libumdp/%.c $(LIB_HDRS) libumdp/umdp-internal.h
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(UMDP_CFLAGS) -fPIC -fvisibility=hidden \
		$$(pkg-config --cflags libudev) -c -o $@ $<

$(LIB_SO): $(LIB_OBJS) libumdp/libumdp.map
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -shared -Wl,-soname,$(LIB_SONAME) \
		-Wl,--version-script=libumdp/libumdp.map -Wl,-z,defs \
		-o $@ $(LIB_OBJS) $$(pkg-config --libs libudev) -pthread
	ln -sf libumdp.so.$(LIB_VERSION) $(BUILD)/lib/$(LIB_SONAME)
	ln -sf $(LIB_SONAME) $(BUILD)/lib/libumdp.so

$(LIB_A): $(LIB_OBJS)
	@mkdir -p $(@D)
	rm -f $@
	$(AR) rcs $@ $^

# Rebuilt whenever PREFIX, LIBDIR or INCLUDEDIR (or, for the uninstalled
# .pc, the tree's place) differ from the last build.
PC_DIRS := $(PREFIX) $(LIBDIR) $(INCLUDEDIR) $(LIB_VERSION) $(CURDIR) $(BUILD)
$(BUILD)/lib/pc-dirs: FORCE
	@mkdir -p $(@D)
	@echo '$(PC_DIRS)' | cmp -s - $@ || echo '$(PC_DIRS)' >$@

$(BUILD)/lib/libumdp.pc: libumdp/libumdp.pc.in $(BUILD)/lib/pc-dirs
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
		-e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' \
		-e 's|@VERSION@|$(LIB_VERSION)|' $< >$@

# A driver built outside the tree against this build, without installing:
# PKG_CONFIG_PATH=$(BUILD)/lib pkg-config --cflags --libs libumdp-uninstalled
$(BUILD)/lib/libumdp-uninstalled.pc: libumdp/libumdp-uninstalled.pc.in \
		$(BUILD)/lib/pc-dirs
	sed -e 's|@TOP@|$(CURDIR)|' -e 's|@LIBDIR@|$(abspath $(BUILD)/lib)|' \
		-e 's|@VERSION@|$(LIB_VERSION)|' $< >$@

FORCE:

# Examples and test programs link the static library: they run in the guest
# from the build tree without an installed libumdp.
define link-prog
@mkdir -p $(@D)
$(CC) $(CPPFLAGS) $(CFLAGS) $(UMDP_CFLAGS) $(LDFLAGS) -o $@ $(filter %.c,$^) $(LIB_A) $$(pkg-config --libs libudev) -pthread
endef

examples: $(EXAMPLES)
testprogs: $(TESTPROGS)
benches: $(BENCHES)

$(BUILD)/bin/%: examples/%.c examples/example.h $(LIB_A) $(LIB_HDRS)
	$(link-prog)

.SECONDEXPANSION:
$(BUILD)/tests/%: $$(call prog-srcs,tests/c,$$*) tests/c/check.h $(LIB_A) $(LIB_HDRS)
	$(link-prog)

$(BUILD)/bench/%: $$(call prog-srcs,bench,$$*) $(LIB_A) $(LIB_HDRS)
	$(link-prog)

# check and demo install their own packages first, then build, then boot.
# scripts/check builds umdp.ko for each kernel it boots.
check:
	@scripts/deps.sh
	@$(MAKE) --no-print-directory all $(if $(KERNEL)$(MACHINE),,deb)
	@scripts/check $(if $(KERNEL),--kernel $(KERNEL)) $(if $(MACHINE),--machine $(MACHINE))

check-all:
	@scripts/deps.sh
	@$(MAKE) --no-print-directory all deb
	@scripts/check --all

check-system:
	@scripts/deps.sh
	@$(MAKE) --no-print-directory all deb
	@scripts/check --system

demo:
	@scripts/deps.sh
	@$(MAKE) --no-print-directory all
	@scripts/demo

# Two guest boots: umdp against inb/outb, /dev/port, UIO and sysfs resource
# mappings, and the tail latency of interrupts, on the default kernel; the
# tail latency again on 6.12-rt (scripts/bench builds umdp.ko for it);
# prints the tables, writes build/bench/results.json and latency.svg.
bench:
	@scripts/deps.sh
	@$(MAKE) --no-print-directory all
	@scripts/bench

# One guest boot: umdp-fuzz for SECONDS (default 60); SEED replays a run.
# KERNEL, MACHINE: as for check; by default the debug kernel (KERNEL=debug)
# on q35 once it is built, else the default kernel on pc. Exits non-zero
# on any kernel report.
fuzz:
	@scripts/deps.sh
	@$(MAKE) --no-print-directory all
	@scripts/fuzz $(if $(SECONDS),--seconds $(SECONDS)) $(if $(SEED),--seed $(SEED)) \
		$(if $(KERNEL),--kernel $(KERNEL)) $(if $(MACHINE),--machine $(MACHINE))

shell:
	@scripts/deps.sh
	@$(MAKE) --no-print-directory all
	@scripts/umdp-vm shell

# What `make install` puts on the machine and `make uninstall` takes away:
# one list for both (scripts/install-files). f|MODE|SOURCE|DEST is a file,
# l|TARGET|DEST a symbolic link, d|MODE|DEST a directory of its own (left
# in place by uninstall unless empty).
MAN_PAGES := $(wildcard man/*.[1-8])
UNITS := $(notdir $(wildcard systemd/*.service))
INSTALL_LIST = \
	f|644|$(LIB_A)|$(LIBDIR)/libumdp.a \
	f|755|$(LIB_SO)|$(LIBDIR)/libumdp.so.$(LIB_VERSION) \
	l|libumdp.so.$(LIB_VERSION)|$(LIBDIR)/$(LIB_SONAME) \
	l|$(LIB_SONAME)|$(LIBDIR)/libumdp.so \
	f|644|$(BUILD)/lib/libumdp.pc|$(LIBDIR)/pkgconfig/libumdp.pc \
	f|644|libumdp/umdp.h|$(INCLUDEDIR)/umdp.h \
	f|644|configfs_umdp/include/uapi/linux/umdp.h|$(INCLUDEDIR)/linux/umdp.h \
	f|755|scripts/umdpctl|$(SBINDIR)/umdpctl \
	$(foreach m,$(MAN_PAGES),f|644|$(m)|$(MANDIR)/man$(subst .,,$(suffix $(m)))/$(notdir $(m))) \
	$(foreach r,$(wildcard udev/*.rules),f|644|$(r)|$(UDEVRULESDIR)/$(notdir $(r))) \
	$(foreach u,$(UNITS),f|644|$(BUILD)/install/$(u)|$(SYSTEMDUNITDIR)/$(u)) \
	f|644|systemd/umdp-modules-load.conf|$(MODULESLOADDIR)/umdp.conf \
	$(foreach e,$(EXAMPLES),f|755|$(e)|$(PKGLIBDIR)/examples/$(notdir $(e))) \
	$(foreach m,$(MOD_SRCS),f|644|configfs_umdp/$(m)|$(DKMSSRCDIR)/$(m)) \
	f|644|$(BUILD)/install/dkms.conf|$(DKMSSRCDIR)/dkms.conf \
	d|755|$(GRANTSDIR)

# dkms for the running kernel, or KVER when given (KVER's default, the
# first of kernels.list, is for the guest); never into a DESTDIR.
DKMS_KVER = $(if $(filter command line environment,$(origin KVER)),$(KVER),$(shell uname -r))
DKMS = $(if $(DESTDIR),,$(shell command -v dkms 2>/dev/null))
DKMS_MOD := umdp/$(UMDP_VERSION)

# The units call umdpctl where this install puts it.
INSTALL_DIRS := $(PREFIX) $(SBINDIR) $(UMDP_VERSION)
$(BUILD)/install/dirs: FORCE
	@mkdir -p $(@D)
	@echo '$(INSTALL_DIRS)' | cmp -s - $@ || echo '$(INSTALL_DIRS)' >$@

$(BUILD)/install/%.service: systemd/%.service $(BUILD)/install/dirs
	sed 's|/usr/sbin/umdpctl|$(SBINDIR)/umdpctl|g' $< >$@

$(BUILD)/install/dkms.conf: configfs_umdp/dkms.conf $(BUILD)/install/dirs
	sed '/^PACKAGE_VERSION=/s|#MODULE_VERSION#|$(UMDP_VERSION)|' $< >$@

install: lib examples $(addprefix $(BUILD)/install/,$(UNITS) dkms.conf)
	@echo 'scripts/install-files install ($(words $(INSTALL_LIST)) entries; DESTDIR=$(DESTDIR))'
	@DESTDIR='$(DESTDIR)' scripts/install-files install \
		'$(PKGLIBDIR)/installed-dirs' $(foreach e,$(INSTALL_LIST),'$(e)')
ifeq ($(DESTDIR),)
	ldconfig
endif
ifneq ($(DKMS),)
	if [ -n "$$(dkms status $(DKMS_MOD))" ]; then dkms remove $(DKMS_MOD) --all; fi
	dkms add $(DKMS_MOD)
	dkms build $(DKMS_MOD) -k $(DKMS_KVER)
	dkms install $(DKMS_MOD) -k $(DKMS_KVER)
endif

uninstall:
ifneq ($(DKMS),)
	if [ -n "$$(dkms status $(DKMS_MOD))" ]; then dkms remove $(DKMS_MOD) --all; fi
endif
	@echo 'scripts/install-files uninstall ($(words $(INSTALL_LIST)) entries; DESTDIR=$(DESTDIR))'
	@DESTDIR='$(DESTDIR)' scripts/install-files uninstall \
		'$(PKGLIBDIR)/installed-dirs' $(foreach e,$(INSTALL_LIST),'$(e)')
ifeq ($(DESTDIR),)
	ldconfig
endif

# Debian packages from a copy of the tree (git's files, committed or not),
# built with dpkg-buildpackage -b; the .debs land in build/deb/.
deb:
	scripts/mkdeb

# Also what an in-place build (make -C configfs_umdp) leaves behind.
clean:
	-[ ! -d $(KDIR) ] || $(MAKE) -C $(KDIR) M=$(CURDIR)/configfs_umdp clean
	rm -rf $(BUILD)
