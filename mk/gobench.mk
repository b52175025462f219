# SPDX-License-Identifier: MIT
# mk/gobench.mk - the Go benchmark binaries, built on the host:
#
#   make gobench-build   builds bench/go's commands into $(B)/go/: gobench (what bench/go/run runs
#                        inside the harness of `make bench`: sctpio's Go receive and send paths
#                        against github.com/ishidawataru/sctp, github.com/georgeyanev/go-sctp and the
#                        C limit; see bench/README.md) and peercmp (behaviour checks: deadlines,
#                        Close, threads). It builds the C programs gobench starts as well
#                        ($(B)/bench/drain).
#
# go-sctp is not served by the module proxy, so gobench gets it from the snapshot in
# ../shared/peers/go-sctp when that folder exists: bench/go/go.mod is copied into $(B)/go with a
# require and a replace directive for it (and the golang.org/x/sys it needs, whose checksums come
# from the snapshot's go.sum), and gobench is built from that module file with the tag gosctp. The
# checked-in go.mod never names it, so a clone without ../shared builds as before; gobench then
# reports go-sctp's rows as not measured, saying why (GOSCTP_NOTE). A build with the snapshot that
# fails says so and falls back to one without, whose note the quick benchmark treats as a failure.
#
# The binaries are built here, not in the guest: the guest shares this filesystem, but compiling
# under software emulation would take minutes. The target is phony so that `go build` always runs;
# its cache makes an unchanged build take a second. Included from the Makefile, whose B and GO it uses.

GOBENCH_B := $(abspath $(B))/go
GOSCTP_DIR := $(abspath ../shared/peers/go-sctp)
GOSCTP_MOD := $(GOBENCH_B)/gobench-gosctp.mod
GOSCTP_ABSENT := ../shared/peers/go-sctp is absent (the module proxy does not serve go-sctp; a clone has no ../shared)
GOSCTP_FAILED := the build with ../shared/peers/go-sctp failed (see the output of make gobench-build)

.PHONY: gobench-build

gobench-build: $(B)/bench/drain | $(B)/go
	GO=$(GO) scripts/need-go
	@if [ -f $(GOSCTP_DIR)/go.mod ]; then \
		cp bench/go/go.mod $(GOSCTP_MOD) && cp bench/go/go.sum $(GOSCTP_MOD:.mod=.sum) && \
		grep -h '^golang.org/x/sys v0.28.0' $(GOSCTP_DIR)/go.sum >>$(GOSCTP_MOD:.mod=.sum) && \
		cd bench/go && $(GO) mod edit -modfile=$(GOSCTP_MOD) -require=github.com/georgeyanev/go-sctp@v1.0.1 \
			-require=golang.org/x/sys@v0.28.0 -replace=github.com/georgeyanev/go-sctp=$(GOSCTP_DIR) && \
		echo "cd bench/go && $(GO) build -modfile=$(GOSCTP_MOD) -tags gosctp -o $(GOBENCH_B)/gobench ./gobench" && \
		$(GO) build -modfile=$(GOSCTP_MOD) -tags gosctp -o $(GOBENCH_B)/gobench ./gobench || { \
			echo "gobench-build: WARNING: $(GOSCTP_FAILED); building gobench without go-sctp" >&2; \
			cd $(CURDIR)/bench/go && $(GO) build -ldflags "-X 'main.goSCTPNote=$(GOSCTP_FAILED)'" \
				-o $(GOBENCH_B)/gobench ./gobench; }; \
	else \
		echo "gobench-build: $(GOSCTP_ABSENT): gobench is built without it"; \
		cd bench/go && $(GO) build -ldflags "-X 'main.goSCTPNote=$(GOSCTP_ABSENT)'" -o $(GOBENCH_B)/gobench ./gobench; \
	fi
	cd bench/go && $(GO) build -o $(GOBENCH_B)/peercmp ./peercmp
	cd bench/go && $(GO) build -o $(GOBENCH_B)/gocurve ./gocurve
