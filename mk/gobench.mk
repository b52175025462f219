# SPDX-License-Identifier: MIT
# mk/gobench.mk - the Go benchmark binaries, built on the host:
#
#   make gobench-build   builds bench/go's commands into $(B)/go/: gobench (what bench/go/run runs
#                        inside the harness of `make bench`: sctpio's Go receive paths against
#                        github.com/ishidawataru/sctp and the C limit; see bench/README.md) and peercmp
#                        (behaviour checks: deadlines, Close, threads). It builds the C programs gobench
#                        starts as well ($(B)/bench/drain).
#
# The binaries are built here, not in the guest: the guest shares this filesystem, but compiling
# under software emulation would take minutes. The target is phony so that `go build` always runs;
# its cache makes an unchanged build take a second. Included from the Makefile, whose B and GO it uses.

GOBENCH_B := $(abspath $(B))/go

.PHONY: gobench-build

gobench-build: $(B)/bench/drain | $(B)/go
	GO=$(GO) scripts/need-go
	cd bench/go && $(GO) build -o $(GOBENCH_B)/gobench ./gobench
	cd bench/go && $(GO) build -o $(GOBENCH_B)/peercmp ./peercmp
