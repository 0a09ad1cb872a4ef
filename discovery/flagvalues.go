package discovery

import (
	"fmt"
	"net/netip"
	"strings"
)

// PrefixList is a repeatable flag of subnets to sweep (--cidr): each value
// a CIDR prefix, kept masked.
type PrefixList []netip.Prefix

func (l *PrefixList) String() string {
	s := make([]string, len(*l))
	for i, p := range *l {
		s[i] = p.String()
	}
	return strings.Join(s, ",")
}

// Set adds one prefix.
func (l *PrefixList) Set(v string) error {
	p, err := netip.ParsePrefix(strings.TrimSpace(v))
	if err != nil {
		return fmt.Errorf("not a CIDR prefix like 192.168.1.0/24: %w", err)
	}
	*l = append(*l, p.Masked())
	return nil
}

// VLANList is a repeatable flag of VLANs to sweep (--vlan), each as
// ParseVLAN reads it.
type VLANList []VLAN

func (l *VLANList) String() string { return fmt.Sprint([]VLAN(*l)) }

// Set adds one VLAN.
func (l *VLANList) Set(v string) error {
	x, err := ParseVLAN(v)
	if err != nil {
		return err
	}
	*l = append(*l, x)
	return nil
}
