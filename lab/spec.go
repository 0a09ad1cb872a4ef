package lab

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/netip"
	"strconv"
	"strings"

	"tend/internal/lazyre"
)

// Device is one simulated device of a LAN.
type Device struct {
	Name  string           `json:"name"`
	Role  string           `json:"role"`
	MAC   net.HardwareAddr `json:"-"`
	IP    netip.Addr       `json:"ip"`
	Agent string           `json:"agent"` // "-", "snmpd" or "snmpsim:<set>/<recording>"
	// Uplink and UplinkPort say where the device is plugged in: a port
	// (numbered from 1) of another device of the LAN; "" when not said.
	// The network devices' SNMP agents report this wiring (topology.go).
	Uplink     string `json:"uplink,omitempty"`
	UplinkPort int    `json:"uplink_port,omitempty"`
}

// MACString is the device's MAC in canonical form.
func (d Device) MACString() string { return d.MAC.String() }

// Recording returns the "<set>/<name>" of an snmpsim agent, or "".
func (d Device) Recording() string {
	r, ok := strings.CutPrefix(d.Agent, "snmpsim:")
	if !ok {
		return ""
	}
	return r
}

// LAN is a parsed .lan file.
type LAN struct {
	CIDR    netip.Prefix
	BoxIP   netip.Addr
	BoxMAC  net.HardwareAddr
	Devices []Device
	// SharedAgents ("agents shared" in a .lan file) puts every snmpsim
	// device on a macvlan link of one namespace, each with its own MAC
	// and address, served by a few snmpsimd processes that pick each
	// device's recording by the endpoint asked (shared.go): a LAN of
	// hundreds of recordings without a Python process each.
	SharedAgents bool
}

var nameRE = &lazyre.Regexp{Expr: `^[a-z0-9][a-z0-9-]{0,23}$`}

// ParseLAN reads the .lan format: "cidr P", "box IP MAC" and device lines
// "name role mac ip agent [uplink/port]"; '#' starts a comment. Errors name
// the line.
func ParseLAN(r io.Reader) (*LAN, error) {
	lan := &LAN{}
	seenName, seenIP, seenMAC := map[string]bool{}, map[netip.Addr]bool{}, map[string]bool{}
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line, _, _ := strings.Cut(sc.Text(), "#")
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		bad := func(format string, a ...any) error {
			return fmt.Errorf("lab: line %d: %s", n, fmt.Sprintf(format, a...))
		}
		switch {
		case f[0] == "cidr" && len(f) == 2:
			p, err := netip.ParsePrefix(f[1])
			if err != nil || !p.Addr().Is4() || !p.Addr().IsPrivate() {
				return nil, bad("cidr %q: want a private IPv4 prefix", f[1])
			}
			lan.CIDR = p.Masked()
		case len(f) == 2 && f[0] == "agents" && f[1] == "shared":
			lan.SharedAgents = true
		case f[0] == "box" && len(f) == 3:
			ip, err := netip.ParseAddr(f[1])
			if err != nil {
				return nil, bad("box address %q: %v", f[1], err)
			}
			mac, err := net.ParseMAC(f[2])
			if err != nil {
				return nil, bad("box mac %q: %v", f[2], err)
			}
			lan.BoxIP, lan.BoxMAC = ip, mac
		case len(f) == 5 || len(f) == 6:
			d, err := parseDevice(f, bad)
			if err != nil {
				return nil, err
			}
			if seenName[d.Name] || seenIP[d.IP] || seenMAC[d.MAC.String()] {
				return nil, bad("device %s repeats a name, IP or MAC", d.Name)
			}
			seenName[d.Name], seenIP[d.IP], seenMAC[d.MAC.String()] = true, true, true
			lan.Devices = append(lan.Devices, d)
		default:
			return nil, bad("cannot read %q", strings.TrimSpace(line))
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("lab: read lan: %w", err)
	}
	if !lan.CIDR.IsValid() || !lan.BoxIP.IsValid() {
		return nil, fmt.Errorf("lab: the lan needs a cidr line and a box line")
	}
	for _, ip := range append([]netip.Addr{lan.BoxIP}, ips(lan.Devices)...) {
		if !lan.CIDR.Contains(ip) {
			return nil, fmt.Errorf("lab: %s is outside the lan's %s", ip, lan.CIDR)
		}
	}
	if seenIP[lan.BoxIP] {
		return nil, fmt.Errorf("lab: the box address %s is also a device's", lan.BoxIP)
	}
	if err := lan.checkWiring(); err != nil {
		return nil, err
	}
	return lan, nil
}

// parseDevice reads a device line's fields "name role mac ip agent
// [uplink/port]"; bad words an error with the line's number.
func parseDevice(f []string, bad func(format string, a ...any) error) (Device, error) {
	d := Device{Name: f[0], Role: f[1], Agent: f[4]}
	if len(f) == 6 {
		up, port, ok := strings.Cut(f[5], "/")
		n, err := strconv.Atoi(port)
		if !ok || !nameRE.MatchString(up) || err != nil || n < 1 || n > 4096 {
			return Device{}, bad("uplink %q: want <device>/<port number>", f[5])
		}
		d.Uplink, d.UplinkPort = up, n
	}
	if !nameRE.MatchString(d.Name) {
		return Device{}, bad("device name %q: want 1-24 of a-z, 0-9 and '-'", d.Name)
	}
	var err error
	if d.MAC, err = net.ParseMAC(f[2]); err != nil || len(d.MAC) != 6 {
		return Device{}, bad("mac %q: want an EUI-48 address", f[2])
	}
	if d.IP, err = netip.ParseAddr(f[3]); err != nil {
		return Device{}, bad("ip %q: %v", f[3], err)
	}
	if d.Agent != "-" && d.Agent != "snmpd" && d.Recording() == "" {
		return Device{}, bad("agent %q: want -, snmpd or snmpsim:<set>/<recording>", d.Agent)
	}
	return d, nil
}

func ips(ds []Device) []netip.Addr {
	out := make([]netip.Addr, len(ds))
	for i, d := range ds {
		out[i] = d.IP
	}
	return out
}

// BuiltinLAN returns one of the LANs shipped with tend: "office" (every
// recording of the reference corpus), "small" (the repository's own
// recordings only), "big" (250 hosts without agents, for sweep timings) or
// "huge" (GenerateLAN's 1,000 hosts on a /22, for sweeps and memory at
// scale).
func BuiltinLAN(name string) (*LAN, error) {
	if name == "huge" {
		return GenerateLAN(netip.MustParsePrefix("10.78.0.0/22"), HugeHosts)
	}
	f, err := labFiles.Open("lans/" + name + ".lan")
	if err != nil {
		return nil, fmt.Errorf("lab: no built-in lan %q (have office, small, big, huge)", name)
	}
	defer f.Close()
	return ParseLAN(f)
}

// Only returns a copy of the LAN restricted to the first n devices (n <= 0
// keeps all), so tests can compose smaller LANs from the built-in ones.
func (l *LAN) Only(n int) *LAN {
	c := *l
	if n > 0 && n < len(l.Devices) {
		c.Devices = l.Devices[:n:n]
	}
	return &c
}

// HugeHosts is the size of the "huge" built-in LAN.
const HugeHosts = 1000

// genOUIs are real vendor prefixes a generated LAN's MACs cycle through.
var genOUIs = [][3]byte{
	{0x18, 0xfb, 0x7b}, {0x00, 0x06, 0x1b}, {0x00, 0x03, 0x93}, {0x94, 0xb8, 0x6d},
	{0x64, 0x16, 0x7f}, {0x00, 0x1b, 0x54}, {0xfc, 0x3f, 0xdb}, {0x3c, 0x2a, 0xf4},
	{0x00, 0x11, 0x32}, {0x74, 0x83, 0xc2}, {0xac, 0xcc, 0x8e}, {0x00, 0x08, 0x74},
}

// GenerateLAN makes a LAN of n agentless hosts on cidr: the first is the
// router, the rest workstations, at consecutive addresses from the first
// host address; the box takes the last host address. Names are h0001…, MACs
// cycle through real vendor prefixes with the host number in the last three
// bytes, so a generated LAN is the same every time.
func GenerateLAN(cidr netip.Prefix, n int) (*LAN, error) {
	cidr = cidr.Masked()
	if !cidr.Addr().Is4() || !cidr.Addr().IsPrivate() {
		return nil, fmt.Errorf("lab: generate lan on %s: want a private IPv4 prefix", cidr)
	}
	if size := 1 << (32 - cidr.Bits()); n < 1 || n > size-3 {
		return nil, fmt.Errorf("lab: generate %d hosts on %s: want 1 to %d", n, cidr, size-3)
	}
	last := cidr.Addr()
	for range 1<<(32-cidr.Bits()) - 2 {
		last = last.Next()
	}
	lan := &LAN{CIDR: cidr, BoxIP: last, BoxMAC: net.HardwareAddr{0x02, 0x7e, 0x4e, 0xd0, 0x03, 0xfe}}
	ip := cidr.Addr()
	for i := 1; i <= n; i++ {
		ip = ip.Next()
		o := genOUIs[i%len(genOUIs)]
		role := "workstation"
		if i == 1 {
			role = "router"
		}
		lan.Devices = append(lan.Devices, Device{
			Name:  fmt.Sprintf("h%04d", i),
			Role:  role,
			MAC:   net.HardwareAddr{o[0], o[1], o[2], 0x42, byte(i >> 8), byte(i)},
			IP:    ip,
			Agent: "-",
		})
	}
	return lan, nil
}
