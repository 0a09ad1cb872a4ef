package discovery

import (
	"fmt"
	"net"
	"net/netip"
	"slices"
	"time"

	"github.com/mdlayher/arp"
	"github.com/mdlayher/ethernet"
)

// Conn is the part of an ARP socket a sweep uses. *ARPClient satisfies it;
// tests use a fake, so the sweep logic runs without privileges.
type Conn interface {
	// Request broadcasts an ARP request for ip.
	Request(ip netip.Addr) error
	// Read returns the next ARP packet, or an error once the read deadline
	// passes.
	Read() (*arp.Packet, *ethernet.Frame, error)
	// SetReadDeadline bounds Read, which keeps the sweep cancellable.
	SetReadDeadline(t time.Time) error
	// HardwareAddr is the box's own MAC on the interface.
	HardwareAddr() net.HardwareAddr
	// LocalAddrs are the box's own IPv4 addresses on the interface: never
	// asked for, and answers claiming them are not reported as devices.
	LocalAddrs() []netip.Addr
}

// ARPClient is an mdlayher/arp client that also knows the interface's own
// addresses, which arp.Client keeps to itself (it exposes neither its source
// address nor the others on the interface) but a sweep must skip.
type ARPClient struct {
	*arp.Client
	addrs []netip.Addr
}

// LocalAddrs returns the interface's IPv4 addresses as they were at DialARP.
func (c *ARPClient) LocalAddrs() []netip.Addr { return slices.Clone(c.addrs) }

// DialARP opens a raw ARP socket on ifi (needs CAP_NET_RAW). Requests carry
// the interface's first IPv4 address as sender, as mdlayher/arp decides;
// hosts on a second prefix of the same interface normally still answer.
// The caller closes the client.
func DialARP(ifi *net.Interface) (*ARPClient, error) {
	addrs, err := interfaceAddrs(ifi)
	if err != nil {
		return nil, err
	}
	c, err := arp.Dial(ifi)
	if err != nil {
		return nil, fmt.Errorf("discovery: open arp socket on %s: %w", ifi.Name, err)
	}
	return &ARPClient{Client: c, addrs: addrs}, nil
}
