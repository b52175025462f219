# SPDX-License-Identifier: MIT
# mk/sanitize.mk - the C tests under sanitizers, through the SCTP harness and the test runner:
#
#   make asan      builds the library and every test/t_*.c with AddressSanitizer + UndefinedBehavior-
#                  Sanitizer into $(ASAN_B) (build/asan by default) and runs them. Any report fails the
#                  test that made it: ASan and LeakSanitizer exit non-zero, UBSan is not recoverable.
#   make valgrind  builds the tests as usual into $(B) and runs each under
#                  `valgrind --leak-check=full --error-exitcode=1` (definite and possible leaks count
#                  as errors), through a one-line wrapper per test in $(VG_B), so the runner's lines
#                  still carry the test's name.
#
# Both run inside the guest where the host has no SCTP (scripts/sctp-run), with a longer per-test
# limit (SAN_TEST_TIMEOUT) and whole-run limit (SAN_VM_TIMEOUT) than `make test`: the guest is
# software-emulated, and valgrind slows it again by an order of magnitude. Included from the Makefile,
# whose B and SCTP_RUN it uses; ThreadSanitizer lives in mk/tsan.mk.

ASAN_B           ?= $(B)/asan
VG_B             ?= $(B)/valgrind
SAN_TEST_TIMEOUT ?= 600
SAN_VM_TIMEOUT   ?= 5400
ASAN_FLAGS       := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
# Leaks are errors; a report prints its stack; a failure kills the test at once.
ASAN_ENV         := ASAN_OPTIONS=detect_leaks=1:detect_stack_use_after_return=1:strict_string_checks=1 \
		    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
VALGRIND         ?= valgrind
VALGRIND_FLAGS   ?= -q --vgdb=no --leak-check=full --error-exitcode=1 --track-fds=no

SAN_TESTS         = $(sort $(wildcard test/t_*.c))
ASAN_BINS         = $(SAN_TESTS:test/%.c=$(ASAN_B)/test/%)
VG_WRAPS          = $(SAN_TESTS:test/%.c=$(VG_B)/%)

.PHONY: asan asan-build valgrind

asan-build:
	$(MAKE) --no-print-directory B=$(ASAN_B) CFLAGS='-O1 -g' SAN='$(ASAN_FLAGS)' tests

asan: asan-build
	$(SCTP_RUN) -t $(SAN_VM_TIMEOUT) -- env $(ASAN_ENV) test/run-tests -t $(SAN_TEST_TIMEOUT) $(ASAN_BINS)

# The wrapper names the test binary by absolute path: the runner may start it from anywhere.
$(VG_B)/%: $(B)/test/% mk/sanitize.mk
	@mkdir -p $(VG_B)
	printf '#!/bin/sh\nexec %s %s %s "$$@"\n' '$(VALGRIND)' '$(VALGRIND_FLAGS)' '$(abspath $<)' >$@
	chmod +x $@

valgrind: $(VG_WRAPS)
	$(SCTP_RUN) -t $(SAN_VM_TIMEOUT) -- test/run-tests -t $(SAN_TEST_TIMEOUT) $(VG_WRAPS)
