package discovery

import (
	"encoding/binary"
	"errors"
	"net/netip"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/google/gopacket/layers"

	"tend/internal/lazyre"
	"tend/inventory"
)

// cleanText makes an untrusted protocol string safe to store and show:
// valid UTF-8, no control characters, no padding NULs, at most max runes.
func cleanText(b []byte, max int) string {
	s := strings.ToValidUTF8(string(b), "")
	s = strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' || r == '\t' {
			return ' '
		}
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > max {
		s = string(r[:max])
	}
	return s
}

// arpObservation reads an RFC 826 ARP packet: the sender's MAC and IPv4
// address. A gratuitous announcement (sender = target address) and an RFC
// 5227 probe (sender 0.0.0.0: the MAC alone) are marked in the evidence.
func arpObservation(ts time.Time, f *frame) (inventory.Observation, error) {
	a := f.arp
	if a == nil {
		return inventory.Observation{}, errors.New("discovery: malformed arp packet") // capture could not decode it
	}
	if a.AddrType != layers.LinkTypeEthernet || a.Protocol != layers.EthernetTypeIPv4 || a.HwAddressSize != 6 || a.ProtAddressSize != 4 {
		return inventory.Observation{}, errors.New("discovery: arp for other than Ethernet/IPv4")
	}
	op := a.Operation
	sha, spa, tpa := a.SourceHwAddress, netip.AddrFrom4([4]byte(a.SourceProtAddress)), netip.AddrFrom4([4]byte(a.DstProtAddress))
	if !unicastMAC(sha) {
		return inventory.Observation{}, errNotMine
	}
	o := inventory.Observation{Time: ts, Source: inventory.SourceARPPassive, MAC: inventory.MAC(slices.Clone(sha)), VLAN: f.vlan}
	switch {
	case spa.IsUnspecified():
		o.Evidence = []inventory.Evidence{{Source: "arp", Detail: "address probe for " + tpa.String()}}
	case spa == tpa:
		o.IP = spa
		o.Evidence = []inventory.Evidence{{Source: "arp", Detail: "gratuitous announcement of " + spa.String()}}
	case usableIPv4(spa) && (op == 1 || op == 2):
		o.IP = spa
	default:
		return inventory.Observation{}, errNotMine
	}
	return o, nil
}

// LLDP TLV types (IEEE 802.1AB-2016 8.4).
const (
	lldpEnd       = 0
	lldpChassis   = 1
	lldpPortID    = 2
	lldpPortDescr = 4
	lldpSysName   = 5
	lldpSysDescr  = 6
	lldpCaps      = 7
	lldpMgmtAddr  = 8
	lldpOrg       = 127
)

// lldpCapNames are the system capability bits (802.1AB 8.5.8.1).
var lldpCapNames = []string{"other", "repeater", "bridge", "wlan-ap", "router", "phone", "docsis", "station", "cvlan", "svlan", "tpmr"}

// decodeLLDP reads an LLDPDU: chassis, system name and description,
// capabilities, management address and the LLDP-MED inventory TLVs
// (ANSI/TIA-1057 10.2.6: hardware, firmware and software revision, serial,
// manufacturer, model).
func decodeLLDP(dst []inventory.Observation, ts time.Time, f *frame) ([]inventory.Observation, error) {
	o := f.base(ts, inventory.SourceLLDP)
	p := f.payload
	var sysDescr string
	for len(p) >= 2 {
		h := binary.BigEndian.Uint16(p[0:2])
		typ, n := int(h>>9), int(h&0x1ff)
		if len(p) < 2+n {
			return dst, errors.New("discovery: truncated lldp tlv")
		}
		v := p[2 : 2+n]
		p = p[2+n:]
		switch typ {
		case lldpEnd:
			p = nil
		case lldpChassis:
			if n == 7 && v[0] == 4 && unicastMAC(v[1:7]) && !slices.Equal(v[1:7], f.src) {
				o.ChassisMAC = inventory.MAC(slices.Clone(v[1:7]))
			}
		case lldpSysName:
			if name := hostName(cleanText(v, 64)); name != "" {
				o.Hostname = name
				o.Names = append(o.Names, name)
			}
		case lldpSysDescr:
			sysDescr = cleanText(v, 255)
		case lldpCaps:
			if n >= 4 {
				sys, enabled := binary.BigEndian.Uint16(v[0:2]), binary.BigEndian.Uint16(v[2:4])
				if enabled == 0 {
					enabled = sys
				}
				o.Capabilities = capNames(uint32(enabled), lldpCapNames)
			}
		case lldpMgmtAddr:
			// length (subtype + address), subtype (IANA address family: 1 = IPv4), address.
			if n >= 6 && v[0] == 5 && v[1] == 1 {
				if a := netip.AddrFrom4([4]byte(v[2:6])); usableIPv4(a) {
					o.IP = a
				}
			}
		case lldpOrg:
			if n >= 4 && v[0] == 0x00 && v[1] == 0x12 && v[2] == 0xbb { // TIA LLDP-MED
				s := cleanText(v[4:], 64)
				switch v[3] {
				case 6: // firmware revision
					if s != "" {
						o.Firmware = s
					}
				case 7: // software revision, when there is no firmware revision
					if s != "" && o.Firmware == "" {
						o.Firmware = s
					}
				case 8:
					o.Serial = s
				case 9:
					o.Make = s
				case 10:
					o.Model = s
				}
			}
		}
	}
	if sysDescr != "" {
		o.Evidence = append(o.Evidence, inventory.Evidence{Source: "lldp sysDescr", Detail: sysDescr})
		osName, version := osFromDescr(sysDescr)
		if o.OS == "" {
			o.OS = osName
		}
		if o.Firmware == "" {
			o.Firmware = version
		}
	}
	return append(dst, o), nil
}

func capNames(bits uint32, names []string) []string {
	var out []string
	for i, n := range names {
		if bits&(1<<i) != 0 {
			out = append(out, n)
		}
	}
	return out
}

var (
	versionRE  = &lazyre.Regexp{Expr: `(?i)\bVersion:?\s+v?([0-9][0-9A-Za-z.()\-_]*[0-9A-Za-z)])`}
	shortVerRE = &lazyre.Regexp{Expr: `(?:^|\s)v([0-9]+\.[0-9][0-9A-Za-z.\-]*)`}
)

// osFromDescr pulls the OS family and version out of a free-text system
// description (LLDP sysDescr, CDP software version): "Cisco IOS Software,
// C3560 Software (…), Version 12.2(25)SEB4, RELEASE SOFTWARE" gives
// ("Cisco IOS", "12.2(25)SEB4").
func osFromDescr(s string) (osName, version string) {
	switch {
	case strings.Contains(s, "IOS-XE") || strings.Contains(s, "IOS XE"):
		osName = "Cisco IOS XE"
	case strings.Contains(s, "NX-OS"):
		osName = "Cisco NX-OS"
	case strings.Contains(s, "Cisco IOS") || strings.Contains(s, "IOS (tm)") || strings.Contains(s, "Cisco Internetwork Operating System"):
		osName = "Cisco IOS"
	case strings.Contains(s, "JUNOS") || strings.Contains(s, "Junos"):
		osName = "Junos"
	case strings.Contains(s, "RouterOS"):
		osName = "RouterOS"
	case strings.Contains(s, "ArubaOS"):
		osName = "ArubaOS"
	case strings.Contains(s, "Linux"):
		osName = "Linux"
	}
	if m := versionRE.FindStringSubmatch(s); m != nil {
		version = strings.TrimRight(m[1], ".,")
	} else if m := shortVerRE.FindStringSubmatch(s); m != nil {
		version = m[1]
	}
	return osName, version
}

// hostName trims a name to the form people use: no trailing dot, no
// ".local", at most 64 characters. It returns "" for names that are not
// names at all (empty, whitespace).
func hostName(s string) string {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSuffix(s, "."), ".local"))
	if s == "" {
		return ""
	}
	if r := []rune(s); len(r) > 64 {
		s = string(r[:64])
	}
	return s
}

// CDP TLV types (Cisco CDP specification; Wireshark packet-cdp.c).
const (
	cdpDeviceID  = 0x01
	cdpAddresses = 0x02
	cdpPortID    = 0x03
	cdpCaps      = 0x04
	cdpVersion   = 0x05
	cdpPlatform  = 0x06
	cdpMgmtAddrs = 0x16
)

var cdpCapNames = []string{"router", "bridge", "source-route-bridge", "switch", "host", "igmp", "repeater", "phone", "remote", "cvta", "mac-relay"}

// decodeCDP reads a CDP v1/v2 packet (after LLC/SNAP): device ID, platform
// (model), software version, addresses and capabilities.
func decodeCDP(dst []inventory.Observation, ts time.Time, f *frame) ([]inventory.Observation, error) {
	p := f.payload
	if len(p) < 4 || (p[0] != 1 && p[0] != 2) {
		return dst, errors.New("discovery: not a cdp v1/v2 header")
	}
	o := f.base(ts, inventory.SourceCDP)
	p = p[4:]
	for len(p) >= 4 {
		typ, n := binary.BigEndian.Uint16(p[0:2]), int(binary.BigEndian.Uint16(p[2:4]))
		if n < 4 || len(p) < n {
			return dst, errors.New("discovery: truncated cdp tlv")
		}
		v := p[4:n]
		p = p[n:]
		switch typ {
		case cdpDeviceID:
			if name := hostName(cleanText(v, 64)); name != "" {
				o.Hostname = name
				o.Names = append(o.Names, name)
			}
		case cdpAddresses, cdpMgmtAddrs:
			if a, ok := cdpFirstIPv4(v); ok && !o.IP.IsValid() {
				o.IP = a
			}
		case cdpCaps:
			if len(v) >= 4 {
				o.Capabilities = capNames(binary.BigEndian.Uint32(v), cdpCapNames)
			}
		case cdpVersion:
			s := cleanText(v, 255)
			o.Evidence = append(o.Evidence, inventory.Evidence{Source: "cdp software version", Detail: s})
			o.OS, o.Firmware = osFromDescr(s)
		case cdpPlatform:
			s := cleanText(v, 64)
			o.Evidence = append(o.Evidence, inventory.Evidence{Source: "cdp platform", Detail: s})
			if m, ok := strings.CutPrefix(s, "cisco "); ok {
				o.Make, o.Model = "Cisco", m
			} else if m, ok := strings.CutPrefix(s, "Cisco "); ok {
				o.Make, o.Model = "Cisco", m
			} else {
				o.Model = s
			}
		}
	}
	if o.Make == "" && strings.HasPrefix(o.OS, "Cisco") {
		o.Make = "Cisco"
	}
	return append(dst, o), nil
}

// cdpFirstIPv4 finds the first IPv4 address in a CDP address list: a 4-byte
// count, then per address protocol type, protocol length, protocol (NLPID
// 0xcc is IP), a 2-byte address length and the address.
func cdpFirstIPv4(v []byte) (netip.Addr, bool) {
	if len(v) < 4 {
		return netip.Addr{}, false
	}
	count := binary.BigEndian.Uint32(v[0:4])
	v = v[4:]
	for i := uint32(0); i < count && len(v) >= 2; i++ {
		plen := int(v[1])
		if len(v) < 2+plen+2 {
			return netip.Addr{}, false
		}
		proto := v[2 : 2+plen]
		alen := int(binary.BigEndian.Uint16(v[2+plen:]))
		rest := v[4+plen:]
		if len(rest) < alen {
			return netip.Addr{}, false
		}
		if v[0] == 1 && plen == 1 && proto[0] == 0xcc && alen == 4 {
			if a := netip.AddrFrom4([4]byte(rest[:4])); usableIPv4(a) {
				return a, true
			}
		}
		v = rest[alen:]
	}
	return netip.Addr{}, false
}

// ICMPv6 neighbour discovery message types (RFC 4861 4).
const (
	ndRouterSolicit = 133
	ndRouterAdvert  = 134
	ndNeighSolicit  = 135
	ndNeighAdvert   = 136
)

// decodeND reads IPv6 neighbour discovery: who uses which IPv6 address with
// which MAC, and who is a router. Only hop limit 255 counts (RFC 4861 6.1:
// anything else was forwarded and is forged or broken).
func decodeND(dst []inventory.Observation, ts time.Time, f *frame) ([]inventory.Observation, error) {
	p := f.l4
	if len(p) < 4 {
		return dst, errors.New("discovery: truncated icmpv6")
	}
	typ := p[0]
	var optOff int
	switch typ {
	case ndRouterSolicit:
		optOff = 8
	case ndRouterAdvert:
		optOff = 16
	case ndNeighSolicit, ndNeighAdvert:
		optOff = 24
	default:
		return dst, errNotMine
	}
	if len(p) < optOff {
		return dst, errors.New("discovery: truncated neighbour discovery message")
	}
	if f.hopLimit != 255 {
		return dst, errNotMine
	}
	o := f.base(ts, inventory.SourceND)
	if typ == ndNeighAdvert {
		if t := netip.AddrFrom16([16]byte(p[8:24])); !t.IsUnspecified() && !t.IsMulticast() {
			o.IPv6 = t
		}
		if p[4]&0x80 != 0 { // Router flag
			o.Capabilities = []string{"router"}
		}
	}
	if typ == ndNeighSolicit && f.srcIP.IsUnspecified() {
		return dst, errNotMine // duplicate address detection: the address is not the sender's yet
	}
	if typ == ndRouterAdvert {
		o.Capabilities = []string{"router"}
	}
	// Options: type, length in units of 8 bytes, value (RFC 4861 4.6).
	for opts := p[optOff:]; len(opts) >= 2; {
		n := int(opts[1]) * 8
		if n == 0 || len(opts) < n {
			return dst, errors.New("discovery: bad neighbour discovery option")
		}
		if (opts[0] == 1 || opts[0] == 2) && n >= 8 && unicastMAC(opts[2:8]) {
			o.MAC = inventory.MAC(slices.Clone(opts[2:8]))
		}
		opts = opts[n:]
	}
	return append(dst, o), nil
}
