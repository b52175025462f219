// SPDX-License-Identifier: MIT

//go:build linux && cgo && !sctpiodebug

package sctp

// debugBuild is false: build with -tags sctpiodebug to poison batch bytes after their loan ends and
// to have objects dropped without Close reported.
const debugBuild = false

// debugOrigin costs nothing outside debug builds: no stack is kept.
func debugOrigin() string { return "" }

// debugReport is silent outside debug builds; droppedObjects still counts.
func debugReport(kind, origin string) {}
