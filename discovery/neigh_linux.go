//go:build linux

package discovery

import (
	"encoding/binary"
	"fmt"
	"net"
	"net/netip"
	"sync"

	"golang.org/x/sys/unix"
)

// neighborTable writes into the box's own kernel neighbour (ARP) table over
// rtnetlink (RTM_NEWNEIGH, rtnetlink(7)). Why: after a sweep the SNMP poller
// talks to every responder at once, and a kernel that has no entry would
// first broadcast its own ARP request for each, unpaced, doubling the
// requests on the wire and delaying the poll. The sweep has just heard the
// answer, so the box tells its own kernel. No frame leaves the box: this is
// the box's cache, not anyone else's.
type neighborTable struct {
	_       [0]func() // not comparable: no equality function linked
	mu      sync.Mutex
	fd      int
	ifindex int
	seq     uint32
}

func openNeighborTable(ifindex int) (*neighborTable, error) {
	fd, err := unix.Socket(unix.AF_NETLINK, unix.SOCK_RAW|unix.SOCK_CLOEXEC, unix.NETLINK_ROUTE)
	if err != nil {
		return nil, fmt.Errorf("discovery: open rtnetlink: %w", err)
	}
	if err := unix.Bind(fd, &unix.SockaddrNetlink{Family: unix.AF_NETLINK}); err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("discovery: bind rtnetlink: %w", err)
	}
	tv := unix.Timeval{Usec: 200000}
	_ = unix.SetsockoptTimeval(fd, unix.SOL_SOCKET, unix.SO_RCVTIMEO, &tv)
	return &neighborTable{fd: fd, ifindex: ifindex}, nil
}

// set records ip at mac as reachable (replacing what was there).
func (n *neighborTable) set(ip netip.Addr, mac net.HardwareAddr) error {
	if !ip.Is4() || len(mac) != 6 {
		return nil
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	n.seq++
	a := ip.As4()
	// nlmsghdr (16) + ndmsg (12) + NDA_DST (4+4) + NDA_LLADDR (4+6+2 pad).
	msg := make([]byte, 16+12+8+12)
	binary.NativeEndian.PutUint32(msg[0:4], uint32(len(msg)))
	binary.NativeEndian.PutUint16(msg[4:6], unix.RTM_NEWNEIGH)
	binary.NativeEndian.PutUint16(msg[6:8], unix.NLM_F_REQUEST|unix.NLM_F_ACK|unix.NLM_F_CREATE|unix.NLM_F_REPLACE)
	binary.NativeEndian.PutUint32(msg[8:12], n.seq)
	nd := msg[16:28]
	nd[0] = unix.AF_INET
	binary.NativeEndian.PutUint32(nd[4:8], uint32(n.ifindex))
	binary.NativeEndian.PutUint16(nd[8:10], unix.NUD_REACHABLE)
	attr := msg[28:]
	binary.NativeEndian.PutUint16(attr[0:2], 8)
	binary.NativeEndian.PutUint16(attr[2:4], unix.NDA_DST)
	copy(attr[4:8], a[:])
	binary.NativeEndian.PutUint16(attr[8:10], 10)
	binary.NativeEndian.PutUint16(attr[10:12], unix.NDA_LLADDR)
	copy(attr[12:18], mac)
	if err := unix.Sendto(n.fd, msg, 0, &unix.SockaddrNetlink{Family: unix.AF_NETLINK}); err != nil {
		return fmt.Errorf("discovery: set neighbour %s: %w", ip, err)
	}
	buf := make([]byte, 1024)
	for {
		k, _, err := unix.Recvfrom(n.fd, buf, 0)
		if err != nil {
			return fmt.Errorf("discovery: set neighbour %s: %w", ip, err)
		}
		if k < 20 || binary.NativeEndian.Uint32(buf[8:12]) != n.seq {
			continue // a stale answer to an earlier request that timed out
		}
		if binary.NativeEndian.Uint16(buf[4:6]) == unix.NLMSG_ERROR {
			if code := int32(binary.NativeEndian.Uint32(buf[16:20])); code != 0 {
				return fmt.Errorf("discovery: set neighbour %s: %w", ip, unix.Errno(-code))
			}
		}
		return nil
	}
}

func (n *neighborTable) close() error { return unix.Close(n.fd) }
