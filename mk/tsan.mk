# SPDX-License-Identifier: MIT
# mk/tsan.mk - the threaded C tests under ThreadSanitizer, through the SCTP harness and the runner:
#
#   make tsan   builds the library and every test/t_*.c with -fsanitize=thread into $(TSAN_B)
#               ($(B)/tsan by default) and runs the tests named by TSAN_TESTS (the dispatch layer's:
#               queue, pool, poller, dispatch) in one guest. A report makes its test exit 66 (TSan's
#               default exit code), so it fails; `make tsan TSAN_TESTS='t_x t_y'` picks others.
#
# TSan needs the address-space layout it was built for. The Debian 6.1 guest kernel gives it; if a
# kernel with more mmap randomisation refuses it ("unexpected memory mapping", "FATAL: ThreadSanitizer"),
# run with TSAN_RUN='setarch x86_64 -R' to turn address randomisation off for the tests.
# Included from the Makefile, whose B, SCTP_RUN and the test rule it uses.

TSAN_B          ?= $(B)/tsan
TSAN_TESTS      ?= $(sort $(basename $(notdir $(wildcard test/t_queue*.c test/t_pool_*.c test/t_poller_*.c \
			test/t_dispatch_*.c))))
TSAN_TIMEOUT    ?= 300
TSAN_VM_TIMEOUT ?= 1800
TSAN_RUN        ?=

.PHONY: tsan tsan-build

tsan-build:
	$(MAKE) --no-print-directory B=$(TSAN_B) SAN=-fsanitize=thread lib tests

tsan: tsan-build
	$(SCTP_RUN) -t $(TSAN_VM_TIMEOUT) -- $(TSAN_RUN) test/run-tests -t $(TSAN_TIMEOUT) \
		$(addprefix $(TSAN_B)/test/,$(TSAN_TESTS))
