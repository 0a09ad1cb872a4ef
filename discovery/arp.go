package discovery

import (
	"fmt"
	"net"
	"net/netip"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
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
	neigh *neighborTable // nil when rtnetlink is unavailable

	mu      sync.Mutex
	learned map[netip.Addr]bool // addresses written into the kernel's table
	budget  int                 // at most this many (see neighborBudget)
}

// Learn tells the box's own kernel that ip is at mac (a reply the sweep just
// heard), so its next packet to ip (the SNMP poll) needs no ARP request of
// the kernel's own: the box then sends only the paced requests of the sweep.
func (c *ARPClient) Learn(ip netip.Addr, mac net.HardwareAddr) error {
	if c.neigh == nil {
		return nil
	}
	c.mu.Lock()
	if !c.learned[ip] && len(c.learned) >= c.budget {
		c.mu.Unlock()
		return nil // the kernel ARPs for the rest itself, when it needs them
	}
	c.learned[ip] = true
	c.mu.Unlock()
	return c.neigh.set(ip, mac)
}

// neighborBudget is how many entries one sweep may write into the box's
// kernel neighbour table: half of gc_thresh2, the soft limit above which the
// kernel starts evicting (and past gc_thresh3 refuses new entries, logging
// "neighbor table overflow" and failing sends with ENOBUFS). A sweep of a
// /22 hears a thousand replies; writing them all would fill the table the
// kernel needs for the box's own traffic. The table is shared by every
// network namespace, so the limits are read from the initial one's sysctl
// when it is visible, and the kernel default (512) otherwise.
func neighborBudget() int {
	n := 512
	if b, err := os.ReadFile("/proc/sys/net/ipv4/neigh/default/gc_thresh2"); err == nil {
		if v, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil && v > 0 {
			n = v
		}
	}
	return n / 2
}

// Close closes the ARP socket and the neighbour table handle.
func (c *ARPClient) Close() error {
	if c.neigh != nil {
		_ = c.neigh.close()
	}
	return c.Client.Close()
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
	neigh, _ := openNeighborTable(ifi.Index) // without it the kernel simply ARPs for itself
	return &ARPClient{Client: c, addrs: addrs, neigh: neigh, learned: make(map[netip.Addr]bool), budget: neighborBudget()}, nil
}
