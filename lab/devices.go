package lab

import (
	"context"
	"encoding/binary"
	"fmt"
	"net"
	"net/netip"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// device finds a running device of the lab by name.
func (s *State) device(name string) (*DeviceState, error) {
	for i := range s.Devices {
		if s.Devices[i].Name == name {
			return &s.Devices[i], nil
		}
	}
	return nil, fmt.Errorf("lab: no device %q in lab %s", name, s.Name)
}

// SetLink takes a device's network port down (the device is switched off or
// unplugged: it stops answering anything) or up again.
func (s *State) SetLink(ctx context.Context, name string, up bool) error {
	d, err := s.device(name)
	if err != nil {
		return err
	}
	state := "down"
	if up {
		state = "up"
	}
	if err := ipBatch(ctx, d.Netns, "link set eth0 "+state); err != nil {
		return err
	}
	if up {
		return s.waitCarrier(ctx, d)
	}
	return nil
}

// waitCarrier waits until a device's port carries frames at both ends: its
// eth0 and the switch's end of the cable report carrier (IFF_RUNNING). The
// kernel raises carrier asynchronously after "link set up" (linkwatch), and a
// frame sent before that is dropped, so a test that sends right after a
// link change would lose it on a busy machine.
func (s *State) waitCarrier(ctx context.Context, d *DeviceState) error {
	port := fmt.Sprintf("p%d", d.index(s))
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	for {
		dev, derr := running(d.Netns, "eth0")
		sw, serr := running(Prefix(s.Name)+"-sw", port)
		if derr == nil && serr == nil && dev && sw {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("lab: %s: no carrier on eth0 (%v, %v) and switch port %s (%v, %v) after the link came up",
				d.Name, dev, derr, port, sw, serr)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// index is the device's position in the lab (its switch port is p<index>).
func (d *DeviceState) index(s *State) int {
	for i := range s.Devices {
		if &s.Devices[i] == d {
			return i
		}
	}
	return -1
}

// running reports whether an interface in a namespace has carrier.
func running(ns, name string) (bool, error) {
	var up bool
	err := InNetns(ns, func() error {
		ifi, err := net.InterfaceByName(name)
		if err != nil {
			return err
		}
		up = ifi.Flags&net.FlagRunning != 0
		return nil
	})
	return up, err
}

// SetMAC gives a device a new MAC address, the way a phone or laptop with
// MAC randomisation does when it rejoins a network. Its IP stays.
func (s *State) SetMAC(ctx context.Context, name string, mac net.HardwareAddr) error {
	d, err := s.device(name)
	if err != nil {
		return err
	}
	if len(mac) != 6 {
		return fmt.Errorf("lab: mac %s: want an EUI-48 address", mac)
	}
	if err := ipBatch(ctx, d.Netns, "link set eth0 down", "link set eth0 address "+mac.String(), "link set eth0 up"); err != nil {
		return err
	}
	d.MAC, d.MACText = mac, mac.String()
	return s.waitCarrier(ctx, d)
}

// DHCPClient is what a device's DHCP client says about itself.
type DHCPClient struct {
	ClientID []byte // option 61, sent verbatim (type byte first)
	Hostname string // option 12
	Vendor   string // option 60
	Params   []byte // option 55
}

// SendDHCP makes a device broadcast a DHCPREQUEST as a client rebinding its
// lease does (RFC 2131 4.4.5: ciaddr set, to 255.255.255.255:67), from its
// current MAC, through a real UDP socket in its namespace. The lab has no
// DHCP server; the request is there to be overheard.
func (s *State) SendDHCP(name string, c DHCPClient) error {
	d, err := s.device(name)
	if err != nil {
		return err
	}
	return InNetns(d.Netns, func() error {
		ifi, err := net.InterfaceByName("eth0")
		if err != nil {
			return fmt.Errorf("lab: %s eth0: %w", name, err)
		}
		lc := net.ListenConfig{Control: func(_, _ string, rc syscall.RawConn) error {
			var serr error
			err := rc.Control(func(fd uintptr) {
				if serr = unix.SetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_BROADCAST, 1); serr != nil {
					return
				}
				serr = unix.BindToDevice(int(fd), "eth0")
			})
			if err != nil {
				return err
			}
			return serr
		}}
		pc, err := lc.ListenPacket(context.Background(), "udp4", "0.0.0.0:68")
		if err != nil {
			return fmt.Errorf("lab: %s dhcp client socket: %w", name, err)
		}
		defer pc.Close()
		msg := dhcpRequest(ifi.HardwareAddr, d.IP, c)
		if _, err := pc.WriteTo(msg, &net.UDPAddr{IP: net.IPv4bcast, Port: 67}); err != nil {
			return fmt.Errorf("lab: %s send dhcp request: %w", name, err)
		}
		return nil
	})
}

// dhcpRequest builds a BOOTREQUEST carrying DHCPREQUEST (RFC 2131 2, RFC 2132).
func dhcpRequest(mac net.HardwareAddr, ip netip.Addr, c DHCPClient) []byte {
	b := make([]byte, 240, 400)
	b[0], b[1], b[2] = 1, 1, 6 // BOOTREQUEST, Ethernet, 6-byte address
	binary.BigEndian.PutUint32(b[4:8], binary.BigEndian.Uint32(mac[2:6]))
	if ip.Is4() {
		a := ip.As4()
		copy(b[12:16], a[:]) // ciaddr: rebinding
	}
	copy(b[28:34], mac)
	copy(b[236:240], []byte{99, 130, 83, 99})
	opt := func(code byte, v []byte) {
		for len(v) > 0 {
			n := min(len(v), 255)
			b = append(b, code, byte(n))
			b = append(b, v[:n]...)
			v = v[n:]
		}
	}
	opt(53, []byte{3}) // DHCPREQUEST
	if len(c.ClientID) > 0 {
		opt(61, c.ClientID)
	}
	if c.Hostname != "" {
		opt(12, []byte(c.Hostname))
	}
	if c.Vendor != "" {
		opt(60, []byte(c.Vendor))
	}
	if len(c.Params) > 0 {
		opt(55, c.Params)
	}
	return append(b, 255)
}
