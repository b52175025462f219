// SPDX-License-Identifier: MIT

//go:build !gosctp

// Without the tag gosctp this binary has no go-sctp (see gosctp.go); its rows say why.

package main

// goSCTPNote says why go-sctp is not built in; mk/gobench.mk sets it with -ldflags -X.
var goSCTPNote = "not built in (build with mk/gobench.mk, which adds it when ../shared/peers/go-sctp exists)"

func init() {
	for _, dir := range []string{"recv", "send"} {
		api := map[string]string{"recv": "SCTPConn.Read", "send": "SCTPConn.Write"}[dir]
		notMeasured = append(notMeasured, row{Dir: dir, Name: "go-sctp " + api[len("SCTPConn."):],
			Package: "github.com/georgeyanev/go-sctp", API: api, Style: "one-to-one", Note: goSCTPNote})
	}
}
