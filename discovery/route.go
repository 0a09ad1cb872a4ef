package discovery

import (
	"bufio"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"net"
	"net/netip"
	"os"
	"strings"
)

// LAN is what the box knows of the LAN on one of its interfaces.
type LAN struct {
	MAC      net.HardwareAddr // the interface's own (nil when it has none)
	Gateway  netip.Addr       // the IPv4 default route's gateway on it (invalid: none)
	Prefixes []netip.Prefix   // its IPv4 networks (InterfacePrefixes; none: observations carry MACs alone)
}

// LookupLAN reads iface's MAC, IPv4 networks and default gateway (from
// /proc/net/route).
func LookupLAN(iface string) (LAN, error) {
	ifi, err := net.InterfaceByName(iface)
	if err != nil {
		return LAN{}, fmt.Errorf("discovery: interface %s: %w", iface, err)
	}
	lan := LAN{MAC: ifi.HardwareAddr}
	lan.Gateway, _ = DefaultGateway("/proc/net/route", iface)
	lan.Prefixes, _ = InterfacePrefixes(ifi)
	return lan, nil
}

// Gateways is iface's IPv4 default gateway as classification takes it
// (identity.ClassifyHints: a router or firewall even if it answers nothing
// else): one address, none without a default route.
func Gateways(iface string) []netip.Addr {
	if gw, err := DefaultGateway("/proc/net/route", iface); err == nil {
		return []netip.Addr{gw}
	}
	return nil
}

// DefaultGateway reads the IPv4 default route's gateway on iface from a
// /proc/net/route table.
func DefaultGateway(path, iface string) (netip.Addr, error) {
	f, err := os.Open(path)
	if err != nil {
		return netip.Addr{}, fmt.Errorf("discovery: default gateway: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 3 || fields[0] != iface || fields[1] != "00000000" {
			continue
		}
		b, err := hex.DecodeString(fields[2])
		if err != nil || len(b) != 4 {
			continue
		}
		var a [4]byte
		binary.LittleEndian.PutUint32(a[:], binary.BigEndian.Uint32(b))
		if ip := netip.AddrFrom4(a); !ip.IsUnspecified() {
			return ip, nil
		}
	}
	return netip.Addr{}, fmt.Errorf("discovery: no default route via %s in %s", iface, path)
}
