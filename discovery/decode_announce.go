package discovery

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/xml"
	"errors"
	"io"
	"net/netip"
	"slices"
	"strings"
	"time"

	"tend/inventory"
)

// decodeSSDP reads an SSDP message (UPnP Device Architecture 2.0, 1.1): a
// NOTIFY ssdp:alive or a search response names the announced device and
// service types (NT/ST) and carries the SERVER header "OS/version
// UPnP/1.x product/version"; an M-SEARCH is a client's presence with its
// USER-AGENT. ssdp:byebye is a device leaving: nothing to learn.
func decodeSSDP(dst []inventory.Observation, ts time.Time, f *frame) ([]inventory.Observation, error) {
	r := bufio.NewReader(io.LimitReader(bytes.NewReader(f.l4), 8192))
	start, err := r.ReadString('\n')
	if err != nil && start == "" {
		return dst, errors.New("discovery: empty ssdp message")
	}
	start = strings.TrimSpace(start)
	kind := ""
	switch {
	case strings.HasPrefix(start, "NOTIFY "):
		kind = "notify"
	case strings.HasPrefix(start, "M-SEARCH "):
		kind = "search"
	case strings.HasPrefix(start, "HTTP/1."):
		kind = "response"
	default:
		return dst, errors.New("discovery: not an ssdp start line")
	}
	h := map[string]string{}
	for range 64 {
		line, err := r.ReadString('\n')
		if k, v, ok := strings.Cut(line, ":"); ok {
			h[strings.ToUpper(strings.TrimSpace(k))] = cleanText([]byte(v), 255)
		}
		if err != nil || strings.TrimSpace(line) == "" {
			break
		}
	}
	o := f.base(ts, inventory.SourceSSDP)
	switch kind {
	case "search":
		if ua := h["USER-AGENT"]; ua != "" {
			o.Evidence = []inventory.Evidence{{Source: "ssdp user-agent", Detail: ua}}
		}
		return append(dst, o), nil
	case "notify":
		if h["NTS"] == "ssdp:byebye" {
			return dst, errNotMine
		}
		o.Services = ssdpType(h["NT"])
	case "response":
		o.Services = ssdpType(h["ST"])
	}
	if srv := h["SERVER"]; srv != "" {
		o.Evidence = append(o.Evidence, inventory.Evidence{Source: "ssdp server", Detail: srv})
		// "Linux/3.10 UPnP/1.0 Synology/DSM/10.0.0.30": the first token is
		// the OS, the one after UPnP/x the product.
		toks := strings.Fields(srv)
		for i, t := range toks {
			if strings.HasPrefix(strings.ToUpper(t), "UPNP/") {
				if i > 0 && strings.Contains(toks[0], "/") {
					o.OS = strings.Split(toks[0], "/")[0] // "Linux/3.10", "Windows/10.0"
				}
				if i+1 < len(toks) {
					o.Make = productVendor(toks[i+1])
				}
				break
			}
			if i == 0 && strings.Count(t, "/") >= 1 && len(toks) == 1 {
				o.Make = productVendor(t)
			}
		}
	}
	if loc := h["LOCATION"]; loc != "" {
		o.Evidence = append(o.Evidence, inventory.Evidence{Source: "ssdp location", Detail: loc})
	}
	return append(dst, o), nil
}

// ssdpType keeps device and service types and drops per-device uuid NTs.
func ssdpType(t string) []string {
	if t == "" || strings.HasPrefix(t, "uuid:") {
		return nil
	}
	return []string{t}
}

// productVendor takes the vendor from a product token such as
// "Synology/DSM/10.0.0.30" only when it is a recognisable maker name.
func productVendor(tok string) string {
	v := strings.Split(tok, "/")[0]
	for _, known := range []string{"Synology", "QNAP", "Sonos", "Philips", "Samsung", "LG", "Roku", "Microsoft", "Windows",
		"HP", "Canon", "Epson", "Brother", "Xerox", "Ricoh", "Kyocera", "Netgear", "ASUS", "TP-LINK", "Ubiquiti", "Hikvision", "Dahua", "Axis"} {
		if strings.EqualFold(v, known) {
			return known
		}
	}
	return ""
}

// decodeWSD reads a WS-Discovery SOAP message (OASIS WS-Discovery 1.1):
// Hello, ProbeMatches and ResolveMatches describe the sender (Types such as
// wsdp:Device, pub:Computer, wprt:PrintDeviceType, dn:NetworkVideoTransmitter;
// ONVIF scopes with hardware and name); Probe and Resolve are a client's
// presence; Bye is a device leaving.
func decodeWSD(dst []inventory.Observation, ts time.Time, f *frame) ([]inventory.Observation, error) {
	dec := xml.NewDecoder(io.LimitReader(bytes.NewReader(f.l4), 65536))
	dec.Strict = false
	var stack []string
	var action, types, scopes, xaddrs string
	for range 4096 {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return dst, errors.New("discovery: ws-discovery: malformed xml")
		}
		switch t := tok.(type) {
		case xml.StartElement:
			stack = append(stack, t.Name.Local)
		case xml.EndElement:
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		case xml.CharData:
			if len(stack) == 0 {
				continue
			}
			s := strings.TrimSpace(string(t))
			switch stack[len(stack)-1] {
			case "Action":
				action = s
			case "Types":
				types += " " + s
			case "Scopes":
				scopes += " " + s
			case "XAddrs":
				xaddrs += " " + s
			}
		}
	}
	if action == "" {
		return dst, errors.New("discovery: ws-discovery message without an action")
	}
	verb := action[strings.LastIndexAny(action, "/:")+1:]
	o := f.base(ts, inventory.SourceWSD)
	switch verb {
	case "Probe", "Resolve":
		return append(dst, o), nil
	case "Hello", "ProbeMatches", "ResolveMatches":
	default:
		return dst, errNotMine
	}
	for _, t := range strings.Fields(types) {
		if _, local, ok := strings.Cut(t, ":"); ok {
			t = local
		}
		o.Services = appendNew(o.Services, "wsd:"+cleanText([]byte(t), 64))
	}
	for _, s := range strings.Fields(scopes) {
		rest, ok := strings.CutPrefix(s, "onvif://www.onvif.org/")
		if !ok {
			continue
		}
		k, v, _ := strings.Cut(rest, "/")
		v = cleanText([]byte(strings.ReplaceAll(v, "%20", " ")), 64)
		switch k {
		case "hardware":
			o.Model = v
		case "name":
			o.Names = appendNew(o.Names, v)
		case "type":
			o.Services = appendNew(o.Services, "onvif:"+v)
		}
	}
	if x := strings.TrimSpace(xaddrs); x != "" {
		o.Evidence = append(o.Evidence, inventory.Evidence{Source: "ws-discovery xaddrs", Detail: cleanText([]byte(x), 255)})
	}
	return append(dst, o), nil
}

// Ubiquiti discovery TLV types, as the UniFi/EdgeOS devices send them
// (reverse-engineered; Wireshark packet-ubdp.c).
const (
	ubntHWAddr    = 0x01
	ubntAddr      = 0x02 // MAC + IPv4 of one interface
	ubntFirmware  = 0x03
	ubntHostname  = 0x0b
	ubntPlatform  = 0x0c
	ubntModelLong = 0x14
	ubntModel     = 0x15
	ubntVersion   = 0x16
	ubntMAC       = 0x13
)

// decodeUbiquiti reads a Ubiquiti discovery announcement (UDP 10001):
// version, command, length, then type/length/value fields. It gives model,
// firmware, host name, and the MAC and address of every interface, so a
// router's interfaces stay one device. A bare discovery request (no fields)
// is a controller's presence.
func decodeUbiquiti(dst []inventory.Observation, ts time.Time, f *frame) ([]inventory.Observation, error) {
	p := f.l4
	if len(p) < 4 || (p[0] != 1 && p[0] != 2) {
		return dst, errors.New("discovery: not a ubiquiti discovery header")
	}
	n := int(binary.BigEndian.Uint16(p[2:4]))
	if len(p) < 4+n {
		return dst, errors.New("discovery: truncated ubiquiti discovery packet")
	}
	o := f.base(ts, inventory.SourceUbiquiti)
	if n == 0 {
		return append(dst, o), nil
	}
	var fw string
	for t := p[4 : 4+n]; len(t) > 0; {
		if len(t) < 3 || len(t) < 3+int(binary.BigEndian.Uint16(t[1:3])) {
			return dst, errors.New("discovery: truncated ubiquiti field")
		}
		typ, v := t[0], t[3:3+int(binary.BigEndian.Uint16(t[1:3]))]
		t = t[3+len(v):]
		switch typ {
		case ubntAddr:
			if len(v) == 10 && unicastMAC(v[0:6]) {
				mac, ip := v[0:6], netip.AddrFrom4([4]byte(v[6:10]))
				if slices.Equal(mac, f.src) {
					if usableIPv4(ip) {
						o.IP = ip
					}
				} else if !slices.ContainsFunc(o.OtherMACs, func(m inventory.MAC) bool { return slices.Equal(m, mac) }) {
					o.OtherMACs = append(o.OtherMACs, inventory.MAC(slices.Clone(mac)))
				}
			}
		case ubntHWAddr, ubntMAC:
			if len(v) == 6 && unicastMAC(v) && !slices.Equal(v, f.src) &&
				!slices.ContainsFunc(o.OtherMACs, func(m inventory.MAC) bool { return slices.Equal(m, v) }) {
				o.OtherMACs = append(o.OtherMACs, inventory.MAC(slices.Clone(v)))
			}
		case ubntFirmware:
			fw = cleanText(v, 128)
		case ubntHostname:
			if h := hostName(cleanText(v, 64)); h != "" {
				o.Hostname = h
				o.Names = appendNew(o.Names, h)
			}
		case ubntModelLong:
			o.Model = cleanText(v, 64)
		case ubntModel, ubntPlatform:
			if o.Model == "" {
				o.Model = cleanText(v, 64)
			}
		case ubntVersion:
			o.Firmware = cleanText(v, 64)
		}
	}
	o.Make = "Ubiquiti"
	if fw != "" {
		o.Evidence = append(o.Evidence, inventory.Evidence{Source: "ubiquiti firmware", Detail: fw})
		if o.Firmware == "" {
			// "UniFiSecurityGateway.ER-e120.v4.3.33.4936086.161203.2031"
			if _, after, ok := strings.Cut(fw, ".v"); ok {
				o.Firmware = after
			}
		}
	}
	return append(dst, o), nil
}
