# SPDX-License-Identifier: MIT
# mk/stress.mk - the dispatch torture test (test/t_dispatch_torture.c) for long runs:
#
#   make stress   runs it STRESS_SEEDS times with fresh seeds, STRESS_SECONDS in all plain, then
#                 STRESS_TSAN_SECONDS in all under ThreadSanitizer (the build of mk/tsan.mk). It needs no
#                 SCTP (eventfds stand in for sockets), so it runs on the host. Each run prints its seed
#                 first; replay one with `build/test/t_dispatch_torture SECONDS SEED`.
#
# make test runs a short round of the same program (6 s) in the guest, and make tsan one under TSan.
# Included from the Makefile, whose B and test rule it uses.

STRESS_SECONDS      ?= 1800
STRESS_TSAN_SECONDS ?= 600
STRESS_SEEDS        ?= 3

.PHONY: stress

stress: $(B)/test/t_dispatch_torture tsan-build
	@for i in $$(seq $(STRESS_SEEDS)); do \
		$(B)/test/t_dispatch_torture $$(( $(STRESS_SECONDS) / $(STRESS_SEEDS) )) || exit 1; done
	@for i in $$(seq $(STRESS_SEEDS)); do \
		$(TSAN_RUN) $(TSAN_B)/test/t_dispatch_torture $$(( $(STRESS_TSAN_SECONDS) / $(STRESS_SEEDS) )) || exit 1; done
