// SPDX-License-Identifier: MIT

//go:build linux && cgo

package sctp

import (
	"sync/atomic"
)

// droppedObjects counts the objects that the garbage collector closed because the program dropped
// them without Close (see Batch). Tests read it; debug builds also print each one (debugReport).
var droppedObjects atomic.Int64

// droppedHook, when set (tests), is called with the kind of each object counted in droppedObjects,
// on the finalizer goroutine.
var droppedHook atomic.Pointer[func(kind string)]

// reportDropped records that an object of the given kind, made at origin (debugOrigin), was
// dropped without Close and has just been freed by its finalizer.
func reportDropped(kind, origin string) {
	droppedObjects.Add(1)
	debugReport(kind, origin)
	if h := droppedHook.Load(); h != nil {
		(*h)(kind)
	}
}
