package traffic

import (
	"fmt"
	"net/netip"
	"strings"

	"tend/inventory"
)

// A monitoring server or a second sensor sweeps and scans the LAN on a
// schedule (fping -g and snmpget every five minutes, tend's own active
// scan from another box), and nothing on the wire tells it from
// reconnaissance: the same probes, the same empty addresses. So the
// operator names it (setting known-scanner: a MAC, an address or a prefix),
// and its port scans, host sweeps and SNMP community guesses are raised at
// info with the setting quoted; whatever else it does (ARP spoofing,
// floods, guessing logins) is judged as anyone's.

// KnownScanner is one declared scanner: a MAC, or an address or prefix
// (an address is its /32 or /128), with the text it was given as.
type KnownScanner struct {
	_      [0]func() // not comparable: no equality function linked
	Text   string
	MAC    mac
	Prefix netip.Prefix // invalid when MAC is set
}

// ParseKnownScanner parses a known-scanner value: a MAC
// (00:1b:21:32:00:14), an address (10.32.0.14) or a prefix (10.32.0.0/28).
func ParseKnownScanner(s string) (KnownScanner, error) {
	s = strings.TrimSpace(s)
	k := KnownScanner{Text: s}
	if p, err := netip.ParsePrefix(s); err == nil {
		k.Prefix = p.Masked()
		return k, nil
	}
	if a, err := netip.ParseAddr(s); err == nil {
		k.Prefix = netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen())
		return k, nil
	}
	if m, err := parseMAC48(s); err == nil {
		k.MAC = mac(m)
		if !unicast(k.MAC) || k.MAC == (mac{}) {
			return k, fmt.Errorf("%q is not a host's MAC (a group or the zero address)", s)
		}
		return k, nil
	}
	return k, fmt.Errorf("%q is neither a MAC (00:1b:21:32:00:14), an address (10.32.0.14) nor a prefix (10.32.0.0/28)", s)
}

// knownScanners is the repeatable --known-scanner flag: each value is
// checked as it is set, so a bad line of the settings file is named.
type knownScanners []KnownScanner

func (l *knownScanners) String() string {
	if l == nil {
		return ""
	}
	s := make([]string, len(*l))
	for i, k := range *l {
		s[i] = k.Text
	}
	return strings.Join(s, ",")
}

func (l *knownScanners) Set(v string) error {
	k, err := ParseKnownScanner(v)
	if err != nil {
		return err
	}
	*l = append(*l, k)
	return nil
}

// scanLike reports whether ev is what a declared scanner does by trade:
// a port scan, a host sweep, SNMP community guessing (a discovery
// trying the site's communities), or a management server's remote
// service creation (agent deployment).
func scanLike(ev *inventory.Event) bool {
	switch ev.Type {
	case inventory.EventPortScan, inventory.EventHostSweep, inventory.EventLateralMovement:
		return true // lateral_movement: software deployment creates services so (smbexec.go)
	case inventory.EventBruteForce:
		return ev.TargetIP.IsValid() && len(ev.Evidence) > 0 && strings.Contains(ev.Evidence[0].Detail, " SNMP communities ")
	}
	return false
}

// declaredScanner returns the known-scanner setting naming ev's culprit
// (by its MAC, or its address within a declared prefix), or nil.
func (e *Engine) declaredScanner(ev *inventory.Event) *KnownScanner {
	ip := ev.IP.Unmap()
	for i := range e.cfg.KnownScanners {
		k := &e.cfg.KnownScanners[i]
		if k.Prefix.IsValid() {
			if ip.IsValid() && k.Prefix.Contains(ip) {
				return k
			}
		} else if len(ev.MAC) == 6 && mac(ev.MAC) == k.MAC {
			return k
		}
	}
	return nil
}

// declare lowers a declared scanner's scan, sweep or community guessing
// to info, quoting the setting; it reports whether it did.
func (e *Engine) declare(ev *inventory.Event) bool {
	if len(e.cfg.KnownScanners) == 0 {
		return false
	}
	if ev.Type == inventory.EventInsecureProtocol {
		return e.declaredPeer(ev)
	}
	if !scanLike(ev) {
		return false
	}
	k := e.declaredScanner(ev)
	if k == nil {
		return false
	}
	ev.Severity = inventory.SeverityInfo
	ev.Evidence = append(ev.Evidence, inventory.Evidence{Source: "traffic", Detail: fmt.Sprintf("declared scanner (setting known-scanner = %s)", k.Text)})
	return true
}

// declaredPeer words a cleartext server's finding whose only sight was a
// declared scanner's probe (nmap -sV reading telnet's options, review 41
// P10) as what it is: the device (the culprit, issue 14's rule for
// cleartext protocols) offers the service; no login was seen, so medium,
// a device's finding, not an incident. A login in clear, even the
// scanner's, stays as it was.
func (e *Engine) declaredPeer(ev *inventory.Event) bool {
	if len(ev.Evidence) == 0 || !strings.Contains(ev.Evidence[0].Detail, "server answering") {
		return false
	}
	k := e.declaredScanner(&inventory.Event{IP: ev.TargetIP, MAC: ev.TargetMAC})
	if k == nil {
		return false
	}
	if i := strings.LastIndex(ev.Summary, " and "); i > 0 {
		ev.Summary = strings.Replace(ev.Summary[:i], " between ", " offered by ", 1) + ", answering the declared scanner " + ev.Summary[i+5:]
	}
	if ev.Severity == inventory.SeverityHigh || ev.Severity == inventory.SeverityCritical {
		ev.Severity = inventory.SeverityMedium
	}
	ev.Evidence = append(ev.Evidence, inventory.Evidence{Source: "traffic", Detail: fmt.Sprintf("seen only in a declared scanner's probe (setting known-scanner = %s), no login: the device offers the service in clear", k.Text)})
	return true
}
