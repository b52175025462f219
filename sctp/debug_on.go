// SPDX-License-Identifier: MIT

//go:build linux && cgo && sctpiodebug

package sctp

import (
	"fmt"
	"os"
	"runtime/debug"
)

// debugBuild turns on the batch poisoning (see Batch) and the reports of objects dropped without
// Close: built with -tags sctpiodebug.
const debugBuild = true

// debugOrigin returns the stack of the constructor's caller, to say in a report where a dropped
// object was made.
func debugOrigin() string { return string(debug.Stack()) }

// debugReport prints that an object of the given kind, made at origin, was dropped without Close.
func debugReport(kind, origin string) {
	fmt.Fprintf(os.Stderr, "sctp: debug: a %s was dropped without Close; the garbage collector freed it. It was made at:\n%s",
		kind, origin)
}
