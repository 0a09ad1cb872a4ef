package discovery

import (
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"time"

	"tend/inventory"
)

// decodeMDNS reads a multicast DNS message (RFC 6762) and its DNS-SD
// records (RFC 6763): the host names whose A/AAAA records are the sender's
// own address, the service types and instance names it announces, and the
// model from TXT records (IPP "ty"/"usb_MDL"/"usb_MFG", AirPlay and
// _device-info "model"/"md"). Records about other addresses (a Bonjour
// sleep proxy answering for a sleeping Mac) are not attributed to the
// sender. Questions alone are presence.
func decodeMDNS(dst []inventory.Observation, ts time.Time, f *frame) ([]inventory.Observation, error) {
	records, err := dnsRecords(f.l4)
	if err != nil {
		return dst, fmt.Errorf("discovery: mdns: %w", err)
	}
	o := f.base(ts, inventory.SourceMDNS)
	own := map[string]bool{}
	for _, r := range records {
		if a, ok := r.addr(); ok && a == f.srcIP.Unmap() && r.typ == dnsTypeA || a == f.srcIP && r.typ == dnsTypeAAAA {
			own[r.name] = true
		}
	}
	for _, r := range records {
		switch r.typ {
		case dnsTypeA, dnsTypeAAAA:
			if !own[r.name] {
				continue
			}
			if h := hostName(cleanText([]byte(r.name), 255)); h != "" && !slices.Contains(o.Names, h) {
				if o.Hostname == "" {
					o.Hostname = h
				}
				o.Names = append(o.Names, h)
			}
			if a, _ := r.addr(); r.typ == dnsTypeAAAA && !o.IPv6.IsValid() {
				o.IPv6 = a
			}
		case dnsTypePTR:
			if isReverseName(r.name) {
				continue
			}
			svc, ok := serviceType(r.name)
			if !ok {
				continue
			}
			target := r.ptr
			if svc == "_services._dns-sd._udp" {
				if t, ok := serviceType(target); ok {
					o.Services = appendNew(o.Services, t)
				}
				continue
			}
			o.Services = appendNew(o.Services, svc)
			if inst, ok := strings.CutSuffix(strings.TrimSuffix(target, "."), "."+svc+".local"); ok && inst != "" {
				o.Names = appendNew(o.Names, cleanText([]byte(inst), 64))
			}
		case dnsTypeTXT:
			txtModel(&o, r.txt)
		}
	}
	return append(dst, o), nil
}

// txtModel takes make and model from DNS-SD TXT keys.
func txtModel(o *inventory.Observation, txts []string) {
	kv := map[string]string{}
	for _, t := range txts {
		k, v, ok := strings.Cut(t, "=")
		if ok {
			kv[strings.ToLower(k)] = cleanText([]byte(v), 128)
		}
	}
	if m := kv["usb_mfg"]; m != "" && o.Make == "" {
		o.Make = m
	}
	for _, k := range []string{"usb_mdl", "model", "md", "ty", "product"} {
		if m := strings.Trim(kv[k], "()"); m != "" && o.Model == "" {
			o.Model = m
			o.Evidence = append(o.Evidence, inventory.Evidence{Source: "mdns txt " + k, Detail: kv[k]})
		}
	}
	if o.Make != "" && o.Model != "" {
		o.Model = strings.TrimSpace(strings.TrimPrefix(o.Model, o.Make))
	}
	if os := kv["osxvers"]; os != "" {
		o.OS = "macOS"
	}
}

// serviceType returns "_ipp._tcp" for "_ipp._tcp.local" or an instance or
// subtype name under it.
func serviceType(name string) (string, bool) {
	name = strings.TrimSuffix(name, ".")
	rest, ok := strings.CutSuffix(name, ".local")
	if !ok {
		return "", false
	}
	if rest == "_services._dns-sd._udp" {
		return rest, true
	}
	labels := strings.Split(rest, ".")
	n := len(labels)
	if n >= 2 && strings.HasPrefix(labels[n-2], "_") && (labels[n-1] == "_tcp" || labels[n-1] == "_udp") {
		return cleanText([]byte(labels[n-2]+"."+labels[n-1]), 64), true
	}
	return "", false
}

func isReverseName(n string) bool {
	n = strings.TrimSuffix(n, ".")
	return strings.HasSuffix(n, ".in-addr.arpa") || strings.HasSuffix(n, ".ip6.arpa")
}

func appendNew(list []string, v string) []string {
	if v == "" || slices.Contains(list, v) {
		return list
	}
	return append(list, v)
}

// decodeNBNS reads a NetBIOS name service packet (RFC 1002 4.2): a name
// registration or refresh names its sender; a positive answer or a node
// status answer names the sender when the answer is about the sender's own
// address (a WINS server answers for everyone). Queries are presence only.
func decodeNBNS(dst []inventory.Observation, ts time.Time, f *frame) ([]inventory.Observation, error) {
	p := f.l4
	if len(p) < 12 {
		return dst, errors.New("discovery: truncated nbns header")
	}
	flags, _ := be16(p, 2)
	qd, _ := be16(p, 4)
	an, _ := be16(p, 6)
	ar, _ := be16(p, 10)
	response, opcode := flags&0x8000 != 0, (flags>>11)&0xf
	o := f.base(ts, inventory.SourceNBNS)
	off := 12
	addName := func(name string, suffix byte, group bool) {
		if name == "" || group || (suffix != 0x00 && suffix != 0x20) || name == "*" {
			return
		}
		o.Names = appendNew(o.Names, name)
		if o.Hostname == "" {
			o.Hostname = name
		}
	}
	switch {
	case !response && (opcode == 5 || opcode == 8 || opcode == 9) && qd == 1 && ar >= 1:
		// Registration / refresh: question name, then an NB resource record.
		name, suffix, n, err := nbName(p, off)
		if err != nil {
			return dst, err
		}
		off = n + 4 // type, class
		rr, err := nbRecord(p, off)
		if err != nil {
			return dst, err
		}
		if rr.typ == 0x20 && len(rr.data) >= 6 {
			ip := netip.AddrFrom4([4]byte(rr.data[2:6]))
			if ip == f.srcIP || !usableIPv4(f.srcIP) {
				addName(name, suffix, rr.data[0]&0x80 != 0)
				if usableIPv4(ip) {
					o.IP = ip
				}
			}
		}
	case response && an >= 1:
		rr, err := nbRecord(p, off)
		if err != nil {
			return dst, err
		}
		switch rr.typ {
		case 0x20: // NB: flags + address, possibly several
			if len(rr.data) >= 6 && netip.AddrFrom4([4]byte(rr.data[2:6])) == f.srcIP {
				addName(rr.name, rr.suffix, rr.data[0]&0x80 != 0)
			}
		case 0x21: // NBSTAT: the sender's own name table (RFC 1002 4.2.18)
			d := rr.data
			if len(d) < 1 {
				return dst, errors.New("discovery: empty nbstat answer")
			}
			count := int(d[0])
			d = d[1:]
			for i := 0; i < count && len(d) >= 18; i++ {
				name := cleanText([]byte(strings.TrimRight(string(d[:15]), " \x00")), 15)
				addName(name, d[15], d[16]&0x80 != 0)
				d = d[18:]
			}
		}
	}
	return append(dst, o), nil
}

// nbRecord is one NBNS resource record.
type nbRecordT struct {
	name   string
	suffix byte
	typ    uint16
	data   []byte
}

func nbRecord(p []byte, off int) (nbRecordT, error) {
	var rr nbRecordT
	var err error
	var n int
	if off < len(p) && p[off]&0xc0 == 0xc0 { // compression pointer to the question
		ptr, _ := be16(p, off)
		if rr.name, rr.suffix, _, err = nbName(p, int(ptr&0x3fff)); err != nil {
			return rr, err
		}
		n = off + 2
	} else if rr.name, rr.suffix, n, err = nbName(p, off); err != nil {
		return rr, err
	}
	typ, ok := be16(p, n)
	rdlen, ok2 := be16(p, n+8)
	if !ok || !ok2 || len(p) < n+10+int(rdlen) {
		return rr, errors.New("discovery: truncated nbns record")
	}
	rr.typ = typ
	rr.data = p[n+10 : n+10+int(rdlen)]
	return rr, nil
}

// nbName decodes a first-level encoded NetBIOS name at off (RFC 1001 14.1:
// 32 letters 'A'..'P', two per byte, then the scope labels) into the name
// and its 16th-byte suffix, and returns the offset after it.
func nbName(p []byte, off int) (string, byte, int, error) {
	if off < 0 || len(p) < off+34 || p[off] != 32 {
		return "", 0, 0, errors.New("discovery: bad netbios name")
	}
	var raw [16]byte
	for i := range 16 {
		hi, lo := p[off+1+2*i]-'A', p[off+2+2*i]-'A'
		if hi > 15 || lo > 15 {
			return "", 0, 0, errors.New("discovery: bad netbios name encoding")
		}
		raw[i] = hi<<4 | lo
	}
	n := off + 33
	for n < len(p) && p[n] != 0 { // scope labels
		n += 1 + int(p[n])
	}
	if n >= len(p) {
		return "", 0, 0, errors.New("discovery: unterminated netbios name")
	}
	name := cleanText([]byte(strings.TrimRight(string(raw[:15]), " \x00")), 15)
	return name, raw[15], n + 1, nil
}
