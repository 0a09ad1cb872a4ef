package traffic

import (
	"fmt"
	"net/netip"
	"sort"
	"strings"
	"sync"
	"time"

	"tend/capture"
	"tend/inventory"
)

// DNS tunnels (iodine, dnscat2, DNS C2 frameworks) carry data in the names
// a client asks: labels of encoded bytes (base32, base64, iodine's raw
// 8-bit labels) under one domain whose name server is the tunnel's other
// end, asked in record types an answer can carry data back in (NULL, TXT,
// CNAME, MX, SRV, iodine's PRIVATE). A query is encoded when a label left of
// the registered domain is dnsTunnelLabel long or more, or holds bytes no
// host name does (RFC 952, 1123: letters, digits, hyphen), or when its
// labels of dnsTunnelDense characters or more that read as encoded bytes
// (dense: letters and digits mixed as hex, base32 and base64 mix them,
// no hyphen) hold dnsTunnelData characters between them: 60-character hex
// labels, or three of 31 (review 35a's dns_exfil_a and dns_exfil_txt31).
// Address queries (A, AAAA; iodine -T A, DNS exfiltration tools) are read
// by the last two tests: a CDN's or an ad frame's one hashed label (32 hex
// digits) is short of the last. dnsTunnelQueries
// such queries from one client under one domain within dnsTunnelWindow are
// one dns_tunnel incident. Names with an underscore label (DKIM, DMARC,
// ACME, DNS-SD services, RFC 8552) and the names of the hygiene catalog's
// services (antivirus and reputation lookups with long hashed labels) are
// passed over; address, pointer and DNSSEC queries are not read.
const (
	dnsTunnelLabel   = 32
	dnsTunnelRaw     = 16 // a data part this long with bytes outside host names
	dnsTunnelDense   = 16 // a label read for encoded bytes (dense)
	dnsTunnelData    = 40 // dense labels' characters in one name
	dnsTunnelQueries = 20
	dnsTunnelWindow  = 5 * time.Minute
	dnsTunnelMax     = 256 // clients and domains tracked
)

// dnsTunnelTypes are the record types tunnels ask, and their names.
var dnsTunnelTypes = [...]struct {
	code uint16
	name string
}{{5, "CNAME"}, {10, "NULL"}, {15, "MX"}, {16, "TXT"}, {33, "SRV"}, {65399, "PRIVATE"}, {1, "A"}, {28, "AAAA"}}

// dnsTunnelAddr is the index in dnsTunnelTypes of the first address type.
const dnsTunnelAddr = 6

type dnsTunKey struct {
	client mac
	domain string
}

type dnsTun struct {
	_           [0]func() // not comparable: no equality function linked
	first, last int64
	queries     int
	types       [len(dnsTunnelTypes)]int
	server      netip.Addr
	servers     int
	suffix      string // the labels every encoded name ends with
	example     string
	lastName    uint64
	reported    bool
	forwarder   string // the LAN resolver that forwarded them (dnsforward.go)
}

// builtinCatalog is the built-in hygiene table, for an engine without a
// hygiene tracker.
var builtinCatalog = sync.OnceValue(func() *HygieneCatalog {
	c, _ := OpenHygieneCatalog()
	return c
})

// tunName is a question's name split into labels, read in place.
type tunName struct {
	msg   []byte
	offs  [128]uint16 // each label's length byte
	n     int
	qtype uint16
	under bool // a label starts with an underscore
}

func (d *tunName) parse(msg []byte) bool {
	d.msg = msg
	i := 12
	for {
		if i >= len(msg) || d.n == len(d.offs) {
			return false
		}
		l := int(msg[i])
		if l == 0 {
			break
		}
		if l > 63 || i+1+l > len(msg) {
			return false
		}
		d.offs[d.n] = uint16(i)
		d.n++
		d.under = d.under || msg[i+1] == '_'
		i += 1 + l
	}
	if i+5 > len(msg) || d.n < 2 {
		return false
	}
	d.qtype = uint16(msg[i+1])<<8 | uint16(msg[i+2])
	return true
}

func (d *tunName) label(j int) []byte {
	o := int(d.offs[j])
	return d.msg[o+1 : o+1+int(d.msg[o])]
}

// registered is how many labels at the end make the registered domain:
// two, three under a country's second level (co.uk, com.au).
func (d *tunName) registered() int {
	if d.n >= 3 && len(d.label(d.n-1)) == 2 && len(d.label(d.n-2)) <= 3 {
		return 3
	}
	return 2
}

// encoded returns the index of the last label of the data part that reads
// as encoded bytes, -1 when none does; an address query's (addr) not by
// its labels' length alone.
func (d *tunName) encoded(addr bool) int {
	if addr && int(d.offs[d.n-d.registered()])-12 <= dnsTunnelRaw {
		return -1 // most address queries: www.example.com's data part is a word
	}
	if j := d.dense(); j >= 0 {
		return j
	}
	last, size, raw := -1, 0, false
	for j := 0; j < d.n-d.registered(); j++ {
		l := d.label(j)
		size += len(l)
		if len(l) >= dnsTunnelLabel && !addr {
			last = j
		}
		for _, c := range l {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
				raw = true
				last = max(last, j)
				break
			}
		}
	}
	if raw && size < dnsTunnelRaw {
		return -1 // a short name with an odd byte: no data to speak of
	}
	return last
}

// dense returns the index of the last label of the data part of
// dnsTunnelDense characters or more reading as encoded bytes (denseLabel),
// when such labels hold dnsTunnelData characters or more; -1 otherwise.
func (d *tunName) dense() int {
	last, size := -1, 0
	for j := 0; j < d.n-d.registered(); j++ {
		if l := d.label(j); len(l) >= dnsTunnelDense && denseLabel(l) {
			last, size = j, size+len(l)
		}
	}
	if size < dnsTunnelData {
		return -1
	}
	return last
}

// denseLabel reports whether l reads as encoded bytes: letters and digits
// only, switching between the two at least once every 6 characters (hex
// does about every second, base32 every third; words with a number, ELB
// and Azure names with hyphens, do not).
func denseLabel(l []byte) bool {
	switches, digit := 0, l[0] >= '0' && l[0] <= '9'
	for _, c := range l {
		d := c >= '0' && c <= '9'
		if !d && !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
		if d != digit {
			switches++
			digit = d
		}
	}
	return switches*6 >= len(l)
}

// join is labels from..n-1, lower-cased and dot-separated.
func (d *tunName) join(from int) string {
	var b strings.Builder
	for j := from; j < d.n; j++ {
		if j > from {
			b.WriteByte('.')
		}
		for _, c := range d.label(j) {
			b.WriteByte(lower(c))
		}
	}
	return b.String()
}

func dnsTunnelType(code uint16) int {
	for i, t := range dnsTunnelTypes {
		if t.code == code {
			return i
		}
	}
	return -1
}

// dnsQuery reads a DNS query p from src to port 53.
func (e *Engine) dnsQuery(p *capture.Packet, src mac) {
	msg := p.UDP.Payload
	if len(msg) < 17 || msg[2]&0xf8 != 0 || msg[5] == 0 || !unicast(src) { // a response, not a standard query, no question
		if notDNS(msg) {
			e.dnsRawNote(p, src) // dnsraw.go
		}
		return
	}
	var d tunName
	if !d.parse(msg) || d.under {
		return
	}
	ti := dnsTunnelType(d.qtype)
	if ti < 0 {
		return
	}
	enc := d.encoded(ti >= dnsTunnelAddr)
	if enc < 0 || e.isSelf(src) || hashLookup(&d) { // benign33.go: a reputation lookup by digest
		return
	}
	name := d.join(0)
	if c := e.hygieneCatalog(); c != nil {
		if _, ok := c.Match([]byte(name)); ok {
			return
		}
	}
	if e.dnsForwarded(p, src, name, d.join(d.n-d.registered())) { // dnsforward.go
		return
	}
	e.dnsTunnelNote(p, src, &d, ti, enc, name)
}

func (e *Engine) hygieneCatalog() *HygieneCatalog {
	if e.cfg.Hygiene != nil {
		if c := e.cfg.Hygiene.Catalog(); c != nil {
			return c
		}
	}
	return builtinCatalog()
}

// dnsTunnelNote counts an encoded query of d's (record type ti, its last
// encoded label enc, the whole name) toward its client's and domain's
// incident.
func (e *Engine) dnsTunnelNote(p *capture.Packet, src mac, d *tunName, ti, enc int, name string) {
	k := dnsTunKey{src, d.join(d.n - d.registered())}
	t := e.dnsTuns[k]
	now := e.nanosOf(p.Time)
	if t == nil {
		if e.dnsTuns == nil {
			e.dnsTuns = map[dnsTunKey]*dnsTun{}
		}
		if len(e.dnsTuns) >= dnsTunnelMax {
			e.expireDNSTunnels(now)
			if len(e.dnsTuns) >= dnsTunnelMax {
				e.counters.TrackersDropped++
				return
			}
		}
		t = &dnsTun{first: now, suffix: d.join(enc + 1), example: name}
		e.dnsTuns[k] = t
	}
	if h := lowerHash([]byte(name)); h != t.lastName {
		t.lastName = h
	} else {
		return // a retry
	}
	if !t.reported && time.Duration(now-t.first) > dnsTunnelWindow {
		*t = dnsTun{first: now, suffix: t.suffix, example: name}
	}
	t.last = now
	t.queries++
	t.types[ti]++
	t.suffix = commonLabelSuffix(t.suffix, d.join(enc+1))
	if dst := p.DstIP(); dst != t.server {
		t.server = dst
		t.servers++
	}
	if t.queries >= dnsTunnelQueries && !t.reported {
		t.reported = true
		e.dnsTunnelReport(p, src, k, t)
	}
}

// commonLabelSuffix is the whole labels a and b both end with.
func commonLabelSuffix(a, b string) string {
	for a != "" {
		if b == a || strings.HasSuffix(b, "."+a) {
			return a
		}
		i := strings.IndexByte(a, '.')
		if i < 0 {
			return ""
		}
		a = a[i+1:]
	}
	return ""
}

// expireDNSTunnels forgets incidents quiet for dnsTunnelWindow.
func (e *Engine) expireDNSTunnels(now int64) {
	for k, t := range e.dnsTuns {
		if time.Duration(now-t.last) > dnsTunnelWindow {
			delete(e.dnsTuns, k)
		}
	}
}

func (e *Engine) dnsTunnelReport(p *capture.Packet, src mac, k dnsTunKey, t *dnsTun) {
	domain := t.suffix
	if domain == "" {
		domain = k.domain
	}
	qk := quietKey{inventory.EventDNSTunnel, src, mac{}, domain}
	if e.quieted(qk, p.Time) {
		return
	}
	var types []string
	for i, n := range t.types {
		if n > 0 {
			types = append(types, fmt.Sprintf("%s %d", dnsTunnelTypes[i].name, n))
		}
	}
	sort.Strings(types)
	server := t.server.String()
	if t.servers > 1 {
		server += fmt.Sprintf(" and %d other servers", t.servers-1)
	}
	ip, sev := p.SrcIP(), inventory.SeverityMedium
	if t.servers == 1 && t.forwarder == "" && !local(t.server) {
		sev = inventory.SeverityHigh // asked of an address outside the LAN, past the LAN's resolver
	}
	ev := inventory.Event{
		Time: p.Time, Type: inventory.EventDNSTunnel, Severity: sev,
		MAC: macOf(src), IP: ip, TargetIP: t.server,
		Summary: fmt.Sprintf("%s sent %d DNS queries with encoded labels under %s to %s within %s: data carried in DNS names, a DNS tunnel (iodine, dnscat2, DNS command and control)",
			describe(src, ip), t.queries, domain, server, roundDur(time.Duration(t.last-t.first))),
		Evidence: []inventory.Evidence{
			{Source: "traffic", Detail: "record types " + strings.Join(types, ", ") + fmt.Sprintf("; labels of %d characters or more, bytes no host name holds, or %d characters or more of hex- or base32-like labels, left of the domain", dnsTunnelLabel, dnsTunnelData)},
			{Source: "traffic", Detail: "first name " + printableName(t.example)},
		},
	}
	if fw := t.forwardedEvidence(); fw != "" {
		ev.Evidence = append(ev.Evidence, inventory.Evidence{Source: "dns", Detail: fw})
	}
	e.reportKey(qk, ev)
}

// printableName is name cut to 120 bytes with bytes outside printable
// ASCII escaped.
func printableName(name string) string {
	var b strings.Builder
	for i := 0; i < len(name) && b.Len() < 120; i++ {
		if c := name[i]; c >= 0x21 && c < 0x7f && c != '\\' {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "\\x%02x", c)
		}
	}
	if b.Len() >= 120 {
		b.WriteString("...")
	}
	return b.String()
}
