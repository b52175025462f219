# SPDX-License-Identifier: MIT
# sctpio build. `make run` and `make test` are the two entry points; see README.md.

VERSION   := 0.1.0
SOVERSION := 0
PREFIX    ?= /usr/local
LIBDIR    ?= $(PREFIX)/lib
INCLUDEDIR?= $(PREFIX)/include
BINDIR    ?= $(PREFIX)/bin
MANDIR    ?= $(PREFIX)/share/man
DESTDIR   ?=

CC        ?= cc
CFLAGS    ?= -O2 -g
SAN       ?=
B         ?= build
GO        ?= go
SCTP_RUN  := scripts/sctp-run
TEST_TIMEOUT ?= 300
# The harness's own tests boot several guests each; the whole suite runs in one guest, whose limit
# must cover every test (sctp-run's default, 900 s, did not on a loaded 2-core host).
HARNESS_TIMEOUT ?= 900
SUITE_VM_TIMEOUT ?= 3600

WARN      := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
BASEFLAGS := -std=gnu11 -D_GNU_SOURCE -Iinclude -fvisibility=hidden -fPIC $(WARN) $(SAN)
TESTFLAGS := -std=gnu11 -D_GNU_SOURCE -Iinclude -Itest -Wall -Wextra -Werror -Wshadow $(SAN) -pthread

SRCS      := $(sort $(wildcard src/*.c))
HDRS      := include/sctpio.h $(sort $(wildcard include/sctpio/*.h)) src/internal.h
OBJS      := $(SRCS:src/%.c=$(B)/obj/%.o)
TESTS     := $(sort $(wildcard test/t_*.c))
TESTBINS  := $(TESTS:test/%.c=$(B)/test/%)
# Shell tests (interoperation with other tools) run from test/ and find the build through $B.
TESTSCRIPTS := $(sort $(wildcard test/t_*.sh))
# Tests that run on the host, before the guest (see the test target): those of scripts/sctp-run itself
# (each starts the harness) and those that need no SCTP and crawl in the emulator (test/host).
HARNESSTESTS := $(sort $(wildcard test/harness/t_*.sh)) $(sort $(wildcard test/host/t_*.sh))
BENCHES   := $(patsubst bench/%.c,$(B)/bench/%,$(wildcard bench/*.c))
TOOLS     := $(B)/sctpperf
GOTEST    := $(B)/go/sctp.test
COMPATTEST:= $(B)/go/compat.test

.PHONY: all lib tools tests benches gotest run test check bench install install-sctp-run uninstall clean amalg amalg-check fuzz portability

all: lib tools

lib: $(B)/libsctpio.a $(B)/libsctpio.so

$(B)/obj/%.o: src/%.c $(HDRS) | $(B)/obj
	$(CC) $(CFLAGS) $(BASEFLAGS) -c -o $@ $<

$(B)/libsctpio.a: $(OBJS)
	rm -f $@ && ar rcs $@ $^

$(B)/libsctpio.so: $(OBJS) src/sctpio.map
	$(CC) $(CFLAGS) $(SAN) -shared $(if $(SAN),,-Wl,-z,defs) -Wl,-soname,libsctpio.so.$(SOVERSION) -Wl,--version-script=src/sctpio.map \
		-o $(B)/libsctpio.so.$(VERSION) $(OBJS) -pthread
	ln -sf libsctpio.so.$(VERSION) $(B)/libsctpio.so.$(SOVERSION)
	ln -sf libsctpio.so.$(VERSION) $@

$(B)/obj $(B)/test $(B)/go $(B)/bench:
	mkdir -p $@

# Test programs and tools link the static library, so they run from the tree without LD_LIBRARY_PATH.
$(B)/test/%: test/%.c $(wildcard test/*.h) $(B)/libsctpio.a | $(B)/test
	$(CC) $(CFLAGS) $(TESTFLAGS) -o $@ $< $(B)/libsctpio.a -lm

$(B)/sctpperf: $(wildcard tools/sctpperf/*.c tools/sctpperf/*.h) $(B)/libsctpio.a
	$(CC) $(CFLAGS) $(TESTFLAGS) -Itools/sctpperf -o $@ $(filter %.c,$^) $(B)/libsctpio.a -lm

$(B)/bench/%: bench/%.c bench/bench.h $(B)/libsctpio.a | $(B)/bench
	$(CC) $(CFLAGS) $(TESTFLAGS) -o $@ $< $(B)/libsctpio.a -lm

tools: $(TOOLS)
tests: $(TESTBINS)
benches: $(BENCHES)

# The Go package compiles an amalgamation of src/ (cgo only sees files in the package's folder).
# After a change to the Go package's exported API, stubgen regenerates the other platforms' stubs.
amalg:
	scripts/amalgamate
	$(GO) run ./sctp/internal/stubgen

# Every GOOS/GOARCH builds: vet and build for darwin, windows, freebsd, linux without cgo, and
# linux/arm64 with a cross C compiler (CI runs it; see the script).
portability:
	GO=$(GO) scripts/go-portability

amalg-check:
	scripts/amalgamate --check

# On the host: vet, the tests that need no SCTP (decoders, a fresh module importing the package with
# no install step); the full suite is compiled here and run through the harness by `make test`.
gotest: amalg-check | $(B)/go
	GO=$(GO) scripts/need-go
	@unformatted=$$("$$($(GO) env GOROOT)/bin/gofmt" -l sctp compat bench/go); [ -z "$$unformatted" ] || { echo "gofmt needed: $$unformatted"; exit 1; }
	$(GO) vet ./sctp/ ./compat/...
	cd bench/go && $(GO) vet ./...
	# The ishidawataru/sctp replacement exports every identifier of the original, signature for signature.
	cd bench/go && $(GO) run ./apicheck
	$(GO) test -count=1 ./sctp/ ./compat/...
	$(GO) test -race -c -o $(GOTEST) ./sctp/
	$(GO) test -race -c -o $(COMPATTEST) ./compat/ishidawataru/sctp

# The main job: a loopback demo through the harness (natively where the kernel has SCTP).
run: all
	$(SCTP_RUN) -- $(B)/sctpperf loopback

# Build everything on the host, install the interoperation peers (test/need-peers), run the host-side
# tests here (HARNESSTESTS) and record their results, then run the C and Go tests
# where kernel SCTP works; that run counts the recorded results in its one closing line.
test: all tests gotest
	test/need-peers
	@rm -f $(B)/harness.results
	B=$(B) test/run-tests -t $(HARNESS_TIMEOUT) --record $(B)/harness.results $(HARNESSTESTS)
	B=$(B) $(SCTP_RUN) -t $(SUITE_VM_TIMEOUT) -- test/run-tests -t $(TEST_TIMEOUT) --include $(B)/harness.results \
		$(TESTBINS) $(TESTSCRIPTS) $(GOTEST) $(COMPATTEST)

check: test

# Benchmarks, in one harness run: batch drain vs per-message, the dispatch models vs a plain loop, the
# Go rows, and the cost curves from 1 to 10,000 associations (see scripts/bench and bench/README.md).
bench: all benches gobench-build
	B=$(B) scripts/bench

fuzz:
	$(MAKE) -f fuzz/Makefile

install: lib install-sctp-run
	install -d $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(INCLUDEDIR)/sctpio
	install -m 644 $(B)/libsctpio.a $(DESTDIR)$(LIBDIR)/
	install -m 755 $(B)/libsctpio.so.$(VERSION) $(DESTDIR)$(LIBDIR)/
	ln -sf libsctpio.so.$(VERSION) $(DESTDIR)$(LIBDIR)/libsctpio.so.$(SOVERSION)
	ln -sf libsctpio.so.$(VERSION) $(DESTDIR)$(LIBDIR)/libsctpio.so
	install -m 644 include/sctpio.h $(DESTDIR)$(INCLUDEDIR)/
	install -m 644 include/sctpio/*.h $(DESTDIR)$(INCLUDEDIR)/sctpio/
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' \
		-e 's|@VERSION@|$(VERSION)|' sctpio.pc.in >$(DESTDIR)$(LIBDIR)/pkgconfig/sctpio.pc

# The harness, for other projects' tests: sctp-run on the PATH, with its man page.
install-sctp-run:
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 755 scripts/sctp-run $(DESTDIR)$(BINDIR)/sctp-run
	install -m 644 man/sctp-run.1 $(DESTDIR)$(MANDIR)/man1/

uninstall:
	rm -f $(DESTDIR)$(LIBDIR)/libsctpio.* $(DESTDIR)$(LIBDIR)/pkgconfig/sctpio.pc $(DESTDIR)$(INCLUDEDIR)/sctpio.h
	rm -f $(DESTDIR)$(BINDIR)/sctp-run $(DESTDIR)$(MANDIR)/man1/sctp-run.1
	rm -rf $(DESTDIR)$(INCLUDEDIR)/sctpio

clean:
	rm -rf $(B)

# Sanitizer and valgrind runs of the C suite (asan, valgrind, tsan), each in its own file.
include $(wildcard mk/*.mk)
