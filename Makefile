# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The zcpipe authors
#
# make          build build/zcpipe against the installed DPDK (pkg-config)
# make run      install what is missing, hugepages, build, replay the bundled
#               capture through the default pipeline
# make test     same set-up, then every test (unit + integration)
# make bench    zcpipe vs dpdk-testpmd and DPDK's l3fwd (built from dpdk-doc), side by
#               side on identical work (not part of make test)
# make nostats  build-nostats/zcpipe: statistics compiled out (-DZC_NO_STATS),
#               to measure what they cost (docs/telemetry.md)
# make asan     build-asan/: zcpipe and the unit tests with AddressSanitizer
#               and UndefinedBehaviorSanitizer (docs/testing.md)
# make test-asan  the unit tests and the replay/bad-input integration tests
#               on the asan build; any sanitizer report fails (part of
#               make test)
# make fuzz     build-fuzz/fuzz/fuzz_*: libFuzzer targets (tests/fuzz/)
# make fuzz-smoke  replay every target's regression corpus, then fuzz each
#               for FUZZ_TIME seconds (40; part of make test)
# make install  install under $(DESTDIR)$(PREFIX) (default /usr/local): the
#               binary, zcstat, zcctl, drivers-config, examples, docs, man page and
#               the systemd unit zcpipe@.service (docs/deployment.md)
# make uninstall  remove what make install put there

APP      := zcpipe
BUILD    := build
PKGCONF  ?= pkg-config

SRCS_LIB := $(wildcard lib/*/*.c)
SRCS_APP := $(wildcard app/*.c)
OBJS_LIB := $(SRCS_LIB:%.c=$(BUILD)/obj/%.o)
OBJS_APP := $(SRCS_APP:%.c=$(BUILD)/obj/%.o)

# Evaluated when used, so that "make run" on a fresh machine can install
# libdpdk-dev first.
DPDK_CFLAGS = $(shell $(PKGCONF) --cflags libdpdk)
DPDK_LIBS   = $(shell $(PKGCONF) --libs libdpdk)

CFLAGS  ?= -O3 -g
CFLAGS  += -std=gnu11 -Wall -Wextra -Werror -Wno-missing-field-initializers \
           -Wno-format-truncation -D_GNU_SOURCE
CFLAGS  += -DALLOW_EXPERIMENTAL_API -Ilib -Itests/unit -MMD -MP
LDLIBS  += -lpcap -lnuma -lpthread -lmnl

.PHONY: all deps hugepages run test unit integration bench clean nostats \
	asan test-asan unit-bins fuzz fuzz-bins fuzz-smoke install uninstall FORCE

# Version from git at build time; "make ZC_VERSION=1.2.3" outside a checkout.
ZC_VERSION ?= $(shell git -C $(CURDIR) describe --tags --always --dirty 2>/dev/null || echo unknown)

all: $(BUILD)/$(APP)

# Objects are linked one by one (no static archive) so that every stage's
# RTE_INIT registration is kept.
$(BUILD)/$(APP): $(OBJS_LIB) $(OBJS_APP)
	@echo "  LD $@"
	@$(CC) $(CFLAGS) -o $@ $^ $(DPDK_LIBS) $(LDLIBS)

# Rewritten only when the version changes, so that it rebuilds one object.
$(BUILD)/zc_version.h: FORCE
	@mkdir -p $(BUILD)
	@echo '#define ZC_VERSION "$(ZC_VERSION)"' >$@.tmp
	@cmp -s $@.tmp $@ && rm -f $@.tmp || mv -f $@.tmp $@

$(BUILD)/obj/app/version.o: $(BUILD)/zc_version.h
$(BUILD)/obj/app/version.o: CFLAGS += -I$(BUILD)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC $<"
	@$(CC) $(CFLAGS) $(DPDK_CFLAGS) -c -o $@ $<

deps:
	@scripts/setup.sh

hugepages:
	@scripts/hugepages.sh

run: deps
	@$(MAKE) --no-print-directory all
	@scripts/run-default.sh

# ---- tests -------------------------------------------------------------
UNIT_SRCS  := $(wildcard tests/unit/test_*.c)
UNIT_BINS  := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
CHECK_LIBS  = $(shell $(PKGCONF) --libs check)

$(BUILD)/obj/tests/unit/%.o: CFLAGS += -DZC_SRC_DIR='"$(CURDIR)"'

$(BUILD)/tests/%: $(BUILD)/obj/tests/unit/%.o $(BUILD)/obj/tests/unit/unit_main.o $(OBJS_LIB)
	@mkdir -p $(dir $@)
	@echo "  LD $@"
	@$(CC) $(CFLAGS) -o $@ $^ $(DPDK_LIBS) $(CHECK_LIBS) $(LDLIBS)

test: deps
	@$(MAKE) --no-print-directory all unit-bins
	@scripts/hugepages.sh || true
	@tests/run-all.sh
	@$(MAKE) --no-print-directory test-asan
	@$(MAKE) --no-print-directory fuzz-smoke

unit-bins: $(UNIT_BINS)

bench: deps
	@$(MAKE) --no-print-directory all
	@scripts/bench.sh

# Same sources, statistics compiled out; its own object folder.
nostats:
	@CFLAGS="-O3 -g -DZC_NO_STATS" \
		$(MAKE) --no-print-directory BUILD=build-nostats all

# Same sources with ASan + UBSan; its own object folder. Every UBSan
# finding aborts (-fno-sanitize-recover), like every ASan one. Alignment
# is not checked: packet headers sit at 2-byte offsets (Ethernet is 14
# bytes) and DPDK's own inline helpers (rte_hash_crc, rte_raw_cksum) load
# them a word at a time, which x86 allows.
ASAN_FLAGS := -fsanitize=address,undefined -fno-sanitize=alignment \
	      -fno-omit-frame-pointer -fno-sanitize-recover=undefined
# clang: its UBSan honours log_path (tests/run-asan.sh), GCC's does not.
SAN_CC ?= clang
asan:
	@CFLAGS="-O1 -g $(ASAN_FLAGS) -Wno-unknown-warning-option" \
		$(MAKE) --no-print-directory \
		CC=$(SAN_CC) BUILD=build-asan all unit-bins

# The unit suites and the integration tests that replay captures and feed
# bad input, on build-asan/ (tests/run-asan.sh says how they run).
test-asan: asan
	@tests/run-asan.sh

# libFuzzer targets: every lib/ object and tests/fuzz/common.c with each
# tests/fuzz/fuzz_NAME.c, built by clang with ASan and UBSan as above.
FUZZ_SRCS := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BINS := $(FUZZ_SRCS:tests/fuzz/%.c=$(BUILD)/fuzz/%)

$(BUILD)/fuzz/%: $(BUILD)/obj/tests/fuzz/%.o $(BUILD)/obj/tests/fuzz/common.o \
		$(OBJS_LIB)
	@mkdir -p $(dir $@)
	@echo "  LD $@"
	@$(CC) $(CFLAGS) -fsanitize=fuzzer -o $@ $^ $(DPDK_LIBS) $(LDLIBS)

fuzz-bins: $(FUZZ_BINS)

fuzz:
	@CFLAGS="-O1 -g -fsanitize=fuzzer-no-link $(ASAN_FLAGS) -Wno-unknown-warning-option" \
		$(MAKE) --no-print-directory CC=$(SAN_CC) BUILD=build-fuzz \
		fuzz-bins

FUZZ_TIME ?= 40
fuzz-smoke: fuzz
	@FUZZ_TIME=$(FUZZ_TIME) tests/fuzz/run.sh

clean:
	rm -rf $(BUILD) build-asan build-nostats build-fuzz

# ---- install -------------------------------------------------------------
PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
DATADIR    ?= $(PREFIX)/share/zcpipe
DOCDIR     ?= $(PREFIX)/share/doc/zcpipe
MANDIR     ?= $(PREFIX)/share/man
LIBEXECDIR ?= $(PREFIX)/libexec/zcpipe
UNITDIR    ?= $(PREFIX)/lib/systemd/system
SYSCONFDIR ?= /etc
# zcpipe finds drivers-config at BINDIR/../share/zcpipe/drivers-config.
INSTALL_SCRIPTS := scripts/zcstat $(wildcard scripts/zcctl)

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/drivers-config \
		$(DESTDIR)$(DATADIR)/examples $(DESTDIR)$(DOCDIR) \
		$(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(LIBEXECDIR) \
		$(DESTDIR)$(UNITDIR) $(DESTDIR)$(SYSCONFDIR)/zcpipe
	install -m 755 $(BUILD)/$(APP) $(DESTDIR)$(BINDIR)/zcpipe
	install -m 755 $(INSTALL_SCRIPTS) $(DESTDIR)$(BINDIR)/
	install -m 755 scripts/hugepages.sh $(DESTDIR)$(LIBEXECDIR)/zcpipe-hugepages
	install -m 644 drivers-config/*.ini $(DESTDIR)$(DATADIR)/drivers-config/
	install -m 644 examples/* $(DESTDIR)$(DATADIR)/examples/
	install -m 644 README.md docs/*.md $(DESTDIR)$(DOCDIR)/
	install -m 644 docs/zcpipe.8 $(DESTDIR)$(MANDIR)/man8/zcpipe.8
	sed -e 's|@BINDIR@|$(BINDIR)|g' -e 's|@LIBEXECDIR@|$(LIBEXECDIR)|g' \
		-e 's|@DOCDIR@|$(DOCDIR)|g' -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' \
		dist/zcpipe@.service.in >$(DESTDIR)$(UNITDIR)/zcpipe@.service
	chmod 644 $(DESTDIR)$(UNITDIR)/zcpipe@.service

# Configurations in SYSCONFDIR/zcpipe are the operator's: left alone.
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/zcpipe \
		$(addprefix $(DESTDIR)$(BINDIR)/,$(notdir $(INSTALL_SCRIPTS))) \
		$(DESTDIR)$(MANDIR)/man8/zcpipe.8 \
		$(DESTDIR)$(UNITDIR)/zcpipe@.service
	rm -rf $(DESTDIR)$(DATADIR) $(DESTDIR)$(DOCDIR) $(DESTDIR)$(LIBEXECDIR)
	[ ! -d $(DESTDIR)$(SYSCONFDIR)/zcpipe ] || \
		rmdir --ignore-fail-on-non-empty $(DESTDIR)$(SYSCONFDIR)/zcpipe

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
