// SPDX-License-Identifier: MIT

//go:build linux && cgo && sctpiodebug

package sctp

// debugBuild turns on the batch poisoning (see Batch): built with -tags sctpiodebug.
const debugBuild = true
