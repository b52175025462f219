// SPDX-License-Identifier: MIT

//go:build !linux || !cgo

package sctp_test

import (
	"errors"
	"testing"

	"github.com/sctpio/sctpio/compat/ishidawataru/sctp"
)

// TestUnsupported checks the stubs: every call says ErrUnsupported, which is also
// errors.ErrUnsupported.
func TestUnsupported(t *testing.T) {
	if _, err := sctp.ListenSCTP("sctp", &sctp.SCTPAddr{Port: 1}); err != sctp.ErrUnsupported {
		t.Errorf("ListenSCTP: %v", err)
	}
	if _, err := sctp.DialSCTP("sctp", nil, &sctp.SCTPAddr{Port: 1}); !errors.Is(err, errors.ErrUnsupported) {
		t.Errorf("DialSCTP: %v", err)
	}
	c := sctp.NewSCTPConn(3, nil)
	if _, _, err := c.SCTPRead(make([]byte, 4)); err != sctp.ErrUnsupported {
		t.Errorf("SCTPRead: %v", err)
	}
	if err := sctp.SCTPBind(3, &sctp.SCTPAddr{}, sctp.SCTP_BINDX_ADD_ADDR); err != sctp.ErrUnsupported {
		t.Errorf("SCTPBind: %v", err)
	}
}
