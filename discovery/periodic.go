package discovery

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"net/netip"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// DefaultJitter spreads periodic sweeps by ±10% of their period, so boxes
// (and sweeps of several VLANs) started together do not stay in lockstep.
const DefaultJitter = 0.1

// Periodic says how often to sweep.
type Periodic struct {
	Every  time.Duration // the mean time between sweep starts; required
	Jitter float64       // fraction of Every, 0 means DefaultJitter, negative none
	// Rand draws the jitter in [0,1); nil means math/rand/v2. Tests pin it.
	Rand func() float64
}

// Next is the wait before the next sweep start: Every with the jitter applied.
func (p Periodic) Next() time.Duration {
	j := p.Jitter
	if j == 0 {
		j = DefaultJitter
	}
	if j < 0 {
		return p.Every
	}
	r := rand.Float64
	if p.Rand != nil {
		r = p.Rand
	}
	return p.Every + time.Duration((r()*2-1)*j*float64(p.Every))
}

// Loop runs pass now and then again p.Next() after each start (a pass
// that overruns is followed at once), or as soon as trigger fires (nil:
// never), until ctx ends or pass returns false. It is the one periodic loop
// of serve's sweeps and scan's rounds.
func (p Periodic) Loop(ctx context.Context, trigger <-chan struct{}, pass func() bool) {
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-trigger:
		case <-timer.C:
		}
		start := time.Now()
		if !pass() || ctx.Err() != nil {
			return
		}
		timer.Stop()
		timer.Reset(max(p.Next()-time.Since(start), 0))
	}
}

// VLAN is an 802.1Q VLAN the box sweeps through a sub-interface of its port.
type VLAN struct {
	ID   int          // 1..4094
	Addr netip.Prefix // the box's own address on the VLAN, e.g. 10.20.0.250/24
}

// ParseVLAN reads "ID:ADDR/BITS", e.g. "20:10.20.0.250/24".
func ParseVLAN(s string) (VLAN, error) {
	id, addr, ok := strings.Cut(strings.TrimSpace(s), ":")
	if !ok {
		return VLAN{}, fmt.Errorf("vlan %q: want ID:ADDRESS/BITS, e.g. 20:10.20.0.250/24 (the box's address on that VLAN)", s)
	}
	n, err := strconv.Atoi(id)
	if err != nil || n < 1 || n > 4094 {
		return VLAN{}, fmt.Errorf("vlan %q: the id must be 1..4094", s)
	}
	p, err := netip.ParsePrefix(addr)
	if err != nil || !p.Addr().Is4() || p.Bits() > 30 {
		return VLAN{}, fmt.Errorf("vlan %q: want the box's IPv4 address with its prefix length, e.g. 10.20.0.250/24", s)
	}
	return VLAN{ID: n, Addr: p}, nil
}

// Prefix is the VLAN's subnet.
func (v VLAN) Prefix() netip.Prefix { return v.Addr.Masked() }

// SubInterfaceName is the name the box gives the VLAN's sub-interface:
// "<parent>.<id>", shortened to fit the kernel's 15 characters.
func SubInterfaceName(parent string, id int) string {
	suffix := "." + strconv.Itoa(id)
	if len(parent)+len(suffix) > 15 {
		parent = parent[:15-len(suffix)]
	}
	return parent + suffix
}

// AddVLAN creates the sub-interface for v on parent (iproute2's `ip`, as the
// appliance image ships it), gives it the box's address, brings it up, and
// returns it with a function that removes it again. It carries only the
// box's own address and the route to its own subnet; sweeps through it send
// requests only (never replies or gratuitous announcements), so no one's
// cache learns anything but the box's true MAC. Needs CAP_NET_ADMIN.
func AddVLAN(ctx context.Context, parent string, v VLAN) (*net.Interface, func() error, error) {
	name := SubInterfaceName(parent, v.ID)
	if _, err := net.InterfaceByName(name); err == nil {
		return nil, nil, fmt.Errorf("discovery: vlan %d: interface %s already exists", v.ID, name)
	}
	ipCmd := func(args ...string) error {
		var stderr bytes.Buffer
		cmd := exec.CommandContext(ctx, "ip", args...)
		cmd.Stderr = &stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("discovery: ip %s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
		}
		return nil
	}
	remove := func() error { return ipCmd("link", "del", name) }
	if err := ipCmd("link", "add", "link", parent, "name", name, "type", "vlan", "id", strconv.Itoa(v.ID)); err != nil {
		return nil, nil, err
	}
	for _, args := range [][]string{
		{"link", "set", name, "arp", "on"},
		{"addr", "add", v.Addr.String(), "dev", name},
		{"link", "set", name, "up"},
	} {
		if err := ipCmd(args...); err != nil {
			_ = remove()
			return nil, nil, err
		}
	}
	ifi, err := net.InterfaceByName(name)
	if err != nil {
		_ = remove()
		return nil, nil, fmt.Errorf("discovery: vlan %d: %w", v.ID, err)
	}
	return ifi, remove, nil
}
