# SPDX-License-Identifier: MIT
# mk/gofuzz.mk - the Go package's native fuzz targets (sctp/fuzz_test.go), on the host:
#
#   make gofuzz   runs every func FuzzXxx of sctp/fuzz_test.go for GOFUZZ_EXECS executions each
#                 (300000 by default, about 10 s here), one after another: `go test -fuzz` fuzzes a
#                 single target per invocation. A count, not a duration: with a duration Go 1.26's
#                 coordinator can fail a target with a bare "context deadline exceeded" as the time
#                 runs out (golang/go#75804, fixed in Go 1.27), as it did FuzzRcvInfo in one CI run.
#                 The first failure stops the run; Go writes the failing input to
#                 sctp/testdata/fuzz/<target>/, where a plain `go test ./sctp/` replays it from then on.
#                 `make gofuzz GOFUZZ_TARGETS=FuzzSockaddr` runs one target.
#
# The targets only decode bytes and text (no socket is opened), so no kernel SCTP is needed. What
# the fuzzer finds interesting is kept in Go's cache (go env GOCACHE)/fuzz, not in the tree.
# Included from the Makefile, whose GO it uses.

GOFUZZ_EXECS ?= 300000
GOFUZZ_TARGETS ?= $(shell sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(f \*testing\.F).*/\1/p' sctp/fuzz_test.go)

.PHONY: gofuzz

gofuzz:
	GO=$(GO) scripts/need-go
	@set -e; for t in $(GOFUZZ_TARGETS); do \
		echo "gofuzz: $$t for $(GOFUZZ_EXECS) executions"; \
		$(GO) test -run '^$$' -fuzz "^$$t\$$" -fuzztime $(GOFUZZ_EXECS)x ./sctp/; \
	done
