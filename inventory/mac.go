package inventory

import (
	"fmt"
	"net"
	"strings"
)

// MAC is a hardware address that marshals as the canonical lower-case,
// colon-separated text ("00:1b:54:aa:bb:cc") instead of base64 bytes, so
// JSON output and storage keys read the same way people write addresses.
type MAC net.HardwareAddr

// ParseMAC parses any form net.ParseMAC accepts.
func ParseMAC(s string) (MAC, error) {
	hw, err := net.ParseMAC(strings.TrimSpace(s))
	if err != nil {
		return nil, fmt.Errorf("inventory: parse mac %q: %w", s, err)
	}
	return MAC(hw), nil
}

// String returns the canonical form, or "" for an empty address.
func (m MAC) String() string {
	if len(m) == 0 {
		return ""
	}
	return net.HardwareAddr(m).String()
}

// IsZero reports whether the address is absent.
func (m MAC) IsZero() bool { return len(m) == 0 }

// LocallyAdministered reports whether the U/L bit is set: such addresses are
// assigned by software (randomised phone and laptop MACs, VMs, containers), so
// the MAC registry says nothing about the maker.
func (m MAC) LocallyAdministered() bool { return len(m) > 0 && m[0]&0x02 != 0 }

// MarshalText implements encoding.TextMarshaler.
func (m MAC) MarshalText() ([]byte, error) { return []byte(m.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler; empty text is the zero MAC.
func (m *MAC) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*m = nil
		return nil
	}
	v, err := ParseMAC(string(b))
	if err != nil {
		return err
	}
	*m = v
	return nil
}
