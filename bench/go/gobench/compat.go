// SPDX-License-Identifier: MIT

package main

// The ishidawataru/sctp replacement's rows (compat in receivers.go), beside ishidawataru's own Read:
// what switching one import line gains.
func init() {
	moreReceivers = append(moreReceivers,
		func() (*receiver, error) { return compat(false) },
		func() (*receiver, error) { return compat(true) })
}
