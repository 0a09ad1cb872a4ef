package findings

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"tend/inventory"
)

// Security rules: SNMP credentials, insecure protocols, and the events of
// attacks and intruders. Events older than the window are history, not findings.

func snmpDefaultCommunity(x *input) []inventory.Finding {
	// The poller's word (the agent answered public/private) and the
	// traffic sensor's (a default community seen on the wire) both count.
	keys, groups := x.groupEventsEach(isProto("snmp"), snmpAgents)
	f := x.each(func(d *inventory.Device) *inventory.Finding {
		es := groups[d.MAC.String()]
		if (d.SNMP == nil || !d.SNMP.DefaultCommunity) && len(es) == 0 {
			return nil
		}
		var e []inventory.Evidence
		if d.SNMP != nil && d.SNMP.DefaultCommunity {
			e = append(e, ev("snmp", "SNMPv%s agent answered a well-known default community (public/private)", d.SNMP.Version))
		}
		if len(es) > 0 {
			e = append(e, eventEvidence(es)...)
		}
		return &inventory.Finding{Severity: inventory.SeverityHigh, Title: "SNMP answers a default community on " + identity(d), Evidence: e, Action: snmpCommunityAction}
	})
	for _, k := range keys {
		if _, known := x.devices[k]; !known {
			f = append(f, inventory.Finding{Severity: inventory.SeverityHigh, Device: k, Title: "SNMP answers a default community on " + x.who(k),
				Evidence: eventEvidence(groups[k]), Action: snmpCommunityAction})
		}
	}
	return f
}

// snmpAgents are the agents an SNMP insecure_protocol event is about: the
// server it names, or where the traffic sensor gathered a manager's polls
// of several agents into one event (traffic/snmppolls.go), each agent its
// "snmp agents" evidence names ("MAC address, MAC address, …"): the
// agent answers the default community, not the manager.
func snmpAgents(e *inventory.Event) []string {
	for _, v := range e.Evidence {
		if v.Source != "snmp agents" {
			continue
		}
		var keys []string
		for a := range strings.SplitSeq(v.Detail, ", ") {
			m, ip, _ := strings.Cut(a, " ")
			if mac, err := inventory.ParseMAC(m); err == nil && !mac.IsZero() {
				keys = append(keys, mac.String())
			} else if ip != "" {
				keys = append(keys, "ip:"+ip)
			}
		}
		if len(keys) > 0 {
			return keys
		}
	}
	return []string{server(e)}
}

const snmpCommunityAction = "Change the community to a long random one (better: SNMPv3 with authPriv) and give tend the new credential."

func snmpNoV3(x *input) []inventory.Finding {
	return x.each(func(d *inventory.Device) *inventory.Finding {
		if d.SNMP == nil || !infrastructure(d.Type) || (d.SNMP.Version != "1" && d.SNMP.Version != "2c") {
			return nil
		}
		return &inventory.Finding{Severity: inventory.SeverityMedium, Title: "SNMPv" + d.SNMP.Version + " only on " + identity(d),
			Evidence: []inventory.Evidence{ev("snmp", "agent answered SNMPv%s; no SNMPv3 credential worked", d.SNMP.Version)},
			Action:   "Enable SNMPv3 (authPriv, SHA/AES), give tend the credential, then disable v1/v2c: their community travels in clear text."}
	})
}

// eventKey is the device a finding about e belongs to: its MAC, or its IP
// when the sensor saw no MAC.
func eventKey(mac inventory.MAC, ip fmt.Stringer, ipValid bool) string {
	if !mac.IsZero() {
		return mac.String()
	}
	if ipValid {
		return "ip:" + ip.String()
	}
	return ""
}

// groupEvents collects the recent events match accepts by the device key
// key returns, in time order.
func (x *input) groupEvents(match func(e *inventory.Event) bool, key func(e *inventory.Event) string) (keys []string, groups map[string][]*inventory.Event) {
	return x.groupEventsEach(match, func(e *inventory.Event) []string { return []string{key(e)} })
}

// groupEventsEach is groupEvents for events about several devices: each
// is grouped under every key keysOf returns.
func (x *input) groupEventsEach(match func(e *inventory.Event) bool, keysOf func(e *inventory.Event) []string) (keys []string, groups map[string][]*inventory.Event) {
	groups = map[string][]*inventory.Event{}
	since := x.now.Add(-x.cfg.EventWindow)
	for i := range x.Snapshot.Events {
		e := &x.Snapshot.Events[i]
		if e.Time.Before(since) || e.Time.After(x.now.Add(time.Minute)) || !match(e) {
			continue
		}
		for _, k := range keysOf(e) {
			if _, ok := groups[k]; !ok {
				keys = append(keys, k)
			}
			groups[k] = append(groups[k], e)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		slices.SortStableFunc(groups[k], func(a, b *inventory.Event) int { return a.Time.Compare(b.Time) })
	}
	return keys, groups
}

// UnknownSender is the device key of findings about events whose culprit
// the sensor could not name, neither MAC nor address (forged DNS answers
// under the resolver's own MAC, an RA flood's invented MACs): one device
// that says so, not an empty one.
const UnknownSender = "unknown sender"

func culprit(e *inventory.Event) string {
	return cmp.Or(eventKey(e.MAC, e.IP, e.IP.IsValid()), UnknownSender)
}

// maxEventEvidence bounds the events quoted as evidence: the latest few are
// enough to check, the count says the rest.
const maxEventEvidence = 5

func eventEvidence(es []*inventory.Event) []inventory.Evidence {
	out := []inventory.Evidence{ev("events", "%d event(s) from %s to %s", len(es),
		es[0].Time.UTC().Format(time.DateTime), es[len(es)-1].Time.UTC().Format(time.DateTime))}
	for _, e := range es[max(0, len(es)-maxEventEvidence):] {
		out = append(out, ev(string(e.Type), "%s %s", e.Time.UTC().Format(time.DateTime), e.Summary))
		out = append(out, e.Evidence...)
	}
	return out
}

func (x *input) who(key string) string {
	if d, ok := x.devices[key]; ok {
		return identity(d)
	}
	return strings.TrimPrefix(key, "ip:")
}

func maxSeverity(es []*inventory.Event, floor inventory.Severity) inventory.Severity {
	s := floor
	for _, e := range es {
		if e.Severity.Rank() > s.Rank() {
			s = e.Severity
		}
	}
	return s
}

// eventRule raises one finding per culprit for events of type t.
func eventRule(t inventory.EventType, sev inventory.Severity, title, action string) func(*input) []inventory.Finding {
	return func(x *input) []inventory.Finding {
		keys, groups := x.groupEvents(func(e *inventory.Event) bool { return e.Type == t }, culprit)
		var out []inventory.Finding
		for _, k := range keys {
			es := groups[k]
			out = append(out, inventory.Finding{Severity: maxSeverity(es, sev), Device: k,
				Title: title + ": " + x.who(k), Evidence: eventEvidence(es), Action: action})
		}
		return out
	}
}

// bruteForce raises one finding per culprit of brute_force events:
// password guessing, or, where every event of one is the traffic sensor's
// TFTP file-name guessing (traffic/tftpguess.go), configuration theft.
func bruteForce(x *input) []inventory.Finding {
	keys, groups := x.groupEvents(func(e *inventory.Event) bool { return e.Type == inventory.EventBruteForce }, culprit)
	var out []inventory.Finding
	for _, k := range keys {
		es := groups[k]
		f := inventory.Finding{Severity: maxSeverity(es, inventory.SeverityMedium), Device: k, Title: "Password guessing: " + x.who(k), Evidence: eventEvidence(es),
			Action: "A host tries many logins against one service (a brute-force tool, or a script with a wrong password in a loop): find it by MAC and stop it; check the service's log for a login that succeeded, change that account's password, and limit logins (fail2ban, account lockout, no password logins over SSH)."}
		if !slices.ContainsFunc(es, func(e *inventory.Event) bool { return !strings.Contains(e.Summary, "against Kerberos") }) {
			f.Title = "Kerberos attack (user enumeration, password spraying, roasting): " + x.who(k)
			f.Action = kerberosAction
		}
		if !slices.ContainsFunc(es, func(e *inventory.Event) bool { return !strings.HasPrefix(e.Summary, "Distributed password guessing") }) {
			f.Title = "Distributed password guessing from many hosts against " + es[len(es)-1].TargetIP.String()
			f.Action = "Several hosts each try a few logins against one server (one account, where the protocol names it), staying under what one guesser would be caught at: a botnet or an attacker driving compromised workstations. The hosts are listed in the evidence: check each for malware and isolate them; on the server, look for a login that succeeded from any of them, change the targeted account's password, enable account lockout or fail2ban, and keep the service off the networks that do not need it."
		}
		if !slices.ContainsFunc(es, func(e *inventory.Event) bool { return !strings.Contains(e.Summary, " sprayed passwords against ") }) {
			f.Title = "Password spraying across servers: " + x.who(k)
			f.Action = sprayAction
		}
		if !slices.ContainsFunc(es, func(e *inventory.Event) bool { return !strings.HasPrefix(e.Summary, "TFTP file-name guessing") }) {
			f.Title = "TFTP configuration theft: " + x.who(k)
			f.Action = "A host guesses file names on a TFTP server (startup-config, running-config, router-confg...) to take device configurations, which hold enable secrets, SNMP communities and VPN keys: find it by MAC and stop it; treat every secret in a file it got as known (change the enable secret, communities and keys), turn off the device's TFTP server or restrict it to the management VLAN, and keep configurations out of TFTP roots."
		}
		out = append(out, f)
	}
	return out
}

// sprayAction is brute_force's advice when every event is one client's
// failed logins spread over many servers (traffic/spray.go).
const sprayAction = "A host tries a few accounts and passwords on each of many servers of one service (netexec/crackmapexec against a range, hydra -M), staying under what one server's guessing is caught at: an attacker on the LAN looking for a password that works anywhere. Find it by MAC and isolate it; the servers and accounts are listed in the evidence: on each server (the domain controller's security log, events 4625 and 4624, for SMB) look for a login that succeeded from it, reset the named accounts' passwords, enable account lockout, and check the host for malware or an unsanctioned tool."

// kerberosAction is brute_force's advice when every event is the traffic
// sensor's Kerberos guessing (traffic/kerberos.go).
const kerberosAction = "A host asks the domain controller for many accounts' tickets: listing which user names exist, trying one password on many accounts, or taking AS-REP or service-ticket hashes to crack offline. Find it by MAC and isolate it; read the DC's security log (events 4768, 4771, 4769) for the accounts it tried and any that succeeded, reset those passwords; require Kerberos pre-authentication on every account, give service accounts long random passwords (gMSA) and AES keys only, and enable account lockout."

func scans(x *input) []inventory.Finding {
	keys, groups := x.groupEvents(func(e *inventory.Event) bool {
		return e.Type == inventory.EventPortScan || e.Type == inventory.EventHostSweep
	}, culprit)
	var out []inventory.Finding
	for _, k := range keys {
		es := groups[k]
		sev := inventory.SeverityHigh
		if slices.ContainsFunc(es, miraiSweep) {
			out = append(out, inventory.Finding{Severity: inventory.SeverityCritical, Device: k, Title: "Infected device (Mirai-style bot): " + x.who(k),
				Evidence: eventEvidence(es),
				Action:   "It scans for telnet (23, 2323) with Mirai's SYNs, which carry their target's address as sequence number: a camera, DVR, router or other embedded device taken over by a botnet, now looking for more victims on the LAN or the Internet. Find it by MAC and unplug or isolate it; restore its firmware (a reboot clears Mirai, the default password lets it back in), set a strong password, turn telnet off, upgrade the firmware, keep it off the Internet (no port forwarding, no UPnP); check every device it reached by telnet for the same infection."})
			continue
		}
		if d, ok := x.devices[k]; ok && d.Role == "scanner" {
			sev = inventory.SeverityInfo // a person said this device scans on purpose
		} else if allSweeps(es, inventory.SeverityMedium, "undeclared inventory/management scan") {
			out = append(out, inventory.Finding{Severity: inventory.SeverityMedium, Device: k, Title: "Undeclared inventory scan from " + x.who(k),
				Evidence: eventEvidence(es),
				Action:   "It asked every live host something on its management ports (RPC, SMB, SSH, SNMP) and got answers: an inventory or management agent (Lansweeper, PDQ, an RMM audit). Confirm whose it is and declare it with --known-scanner (or set its role to \"scanner\"); if nobody owns it, isolate it."})
			continue
		} else if allScans(es, "DNS zone transfer attempt:") {
			out = append(out, inventory.Finding{Severity: maxSeverity(es, inventory.SeverityMedium), Device: k, Title: "DNS zone transfer attempts from " + x.who(k),
				Evidence: eventEvidence(es),
				Action:   "It asked a DNS server for whole zones (AXFR/IXFR: every name and address of the network at once), as dig, nmap dns-zone-transfer and dnsrecon do to map a network: find who runs it; if it is not a sanctioned audit, isolate the device and check it for malware. If the server answered (High), it gives its zones to anyone: allow transfers only to its secondaries (BIND allow-transfer, dnsmasq --auth-peer, Windows DNS: zone transfers only to the listed servers) and treat the zone's names as known."})
			continue
		} else if allScans(es, "SMB null-session enumeration:") {
			out = append(out, inventory.Finding{Severity: inventory.SeverityMedium, Device: k, Title: "Windows account enumeration from " + x.who(k),
				Evidence: eventEvidence(es),
				Action:   "It logged on to a file server's IPC$ share without an account and listed its users and groups, or turned SIDs into names one after another (enum4linux, rpcclient, RID cycling): the first step of password guessing or a domain attack. Find who runs it; if it is not a sanctioned audit, isolate the device and check it for malware. On the server, refuse anonymous access (Samba: restrict anonymous = 2; Windows: RestrictAnonymous and RestrictAnonymousSAM, no Everyone in Anonymous) and watch its log for logins that follow."})
			continue
		} else if allScans(es, "SMB share enumeration with write tests:") {
			out = append(out, inventory.Finding{Severity: inventory.SeverityMedium, Device: k, Title: "SMB share enumeration from " + x.who(k),
				Evidence: eventEvidence(es),
				Action:   "It logged on to a file server as guest and tested each share for write access (smbmap, crackmapexec --shares). Unless it is a sanctioned audit, isolate the device; on the server turn guest access off (Samba: map to guest = never) and check writable shares for planted files."})
			continue
		} else if allSweeps(es, inventory.SeverityLow, "admin fan-out:") {
			out = append(out, inventory.Finding{Severity: inventory.SeverityLow, Device: k, Title: "Admin fan-out from " + x.who(k),
				Evidence: eventEvidence(es),
				Action:   "Each host it resolved then carried a whole login session to one service (configuration management such as Ansible, pssh): confirm it is an administrator's; set its role to \"scanner\" if expected."})
			continue
		}
		out = append(out, inventory.Finding{Severity: sev, Device: k, Title: "Network scanning from " + x.who(k),
			Evidence: eventEvidence(es),
			Action:   "Find out who runs the scans; if it is not a sanctioned tool, isolate the device and check it for malware. Set its role to \"scanner\" if it is expected."})
	}
	return out
}

// miraiSweep reports whether e is a host sweep the traffic sensor found
// carrying Mirai's scanner SYNs (traffic/sweepsvc.go, traffic/miraiout.go:
// "an infected device (Mirai-style bot)"): a declared scanner's role does
// not lower it, since no inventory tool writes its target into a SYN's
// sequence number.
func miraiSweep(e *inventory.Event) bool {
	return e.Type == inventory.EventHostSweep && strings.Contains(e.Summary, "Mirai-style bot")
}

// allScans reports whether every event of es is a port scan whose summary
// starts with mark (traffic/smbenum.go: an SMB null-session enumeration;
// traffic/smbshare.go: an SMB share enumeration with write tests;
// traffic/zonexfer.go: DNS zone transfer attempts).
func allScans(es []*inventory.Event, mark string) bool {
	for _, e := range es {
		if e.Type != inventory.EventPortScan || !strings.HasPrefix(e.Summary, mark) {
			return false
		}
	}
	return len(es) > 0
}

// allSweeps reports whether every event of es is a host sweep of severity
// sev whose summary holds mark: the traffic sensor found it to be an
// admin's fan-out (Low, "admin fan-out:", traffic/fanout.go: logins that
// ran something on each host swept) or an inventory agent's (Medium,
// traffic/webfetch.go: a request answered by each live host), no discovery.
func allSweeps(es []*inventory.Event, sev inventory.Severity, mark string) bool {
	for _, e := range es {
		if e.Type != inventory.EventHostSweep || e.Severity != sev || !strings.Contains(e.Summary, mark) {
			return false
		}
	}
	return len(es) > 0
}

// insecureProtocols are the protocol names the traffic sensor puts first
// in an insecure_protocol event's summary ("telnet between …").
var insecureProtocols = []string{"telnet", "http-basic", "http", "smbv1", "smb1", "snmp", "ftp", "pop3", "imap", "ldap", "tftp", "netbios-browse"}

// protocolOf names the protocol an insecure_protocol event is about: the
// detail of a "protocol" evidence, else the summary's first word, else the
// first known name anywhere in the summary.
func protocolOf(e *inventory.Event) string {
	for _, v := range e.Evidence {
		if v.Source == "protocol" {
			return strings.ToLower(strings.TrimSpace(v.Detail))
		}
	}
	s := strings.ToLower(e.Summary)
	first, _, _ := strings.Cut(s, " ")
	if slices.Contains(insecureProtocols, first) {
		return first
	}
	for _, p := range insecureProtocols {
		if strings.Contains(s, p) {
			return p
		}
	}
	return ""
}

// server is the device offering the insecure service: the event's device
// concerned (the traffic sensor puts the server there and the client in
// the target).
func server(e *inventory.Event) string { return culprit(e) }

func isProto(names ...string) func(e *inventory.Event) bool {
	return func(e *inventory.Event) bool {
		return e.Type == inventory.EventInsecureProtocol && slices.Contains(names, protocolOf(e))
	}
}

// protocolsOf is the sorted set of protocols the events name.
func protocolsOf(es []*inventory.Event) []string {
	var protos []string
	for _, e := range es {
		if p := protocolOf(e); !slices.Contains(protos, p) {
			protos = append(protos, p)
		}
	}
	slices.Sort(protos)
	return protos
}

func cleartextLogins(x *input) []inventory.Finding {
	clear := isProto("ftp", "pop3", "imap", "ldap")
	keys, groups := x.groupEvents(func(e *inventory.Event) bool { return clear(e) && !isAnonymousAccess(e) }, server)
	var out []inventory.Finding
	for _, k := range keys {
		es := groups[k]
		protos := protocolsOf(es)
		out = append(out, inventory.Finding{Severity: inventory.SeverityMedium, Device: k,
			Title:    fmt.Sprintf("Clear-text logins (%s) to %s", strings.Join(protos, ", "), x.who(k)),
			Evidence: eventEvidence(es),
			Action:   "Move the service to its TLS variant (FTPS/SFTP, POP3S, IMAPS, LDAPS or StartTLS) or retire it; change the passwords that crossed the LAN."})
	}
	return out
}

// anonymousMarks open the traffic sensor's evidence of a server serving
// anyone (traffic/anonread.go): a directory read by an anonymous LDAP
// session, a file stored by an anonymous FTP login.
var anonymousMarks = []string{"anonymous LDAP session", "anonymous FTP session stored"}

func isAnonymousAccess(e *inventory.Event) bool {
	return e.Type == inventory.EventInsecureProtocol && slices.ContainsFunc(e.Evidence, func(v inventory.Evidence) bool {
		return slices.ContainsFunc(anonymousMarks, func(m string) bool { return strings.HasPrefix(v.Detail, m) })
	})
}

// anonymousAccess raises one finding per server that lets anyone read its
// directory or store files: what to fix is the server's anonymous access,
// not a protocol's encryption, so it stands apart from cleartextLogins.
func anonymousAccess(x *input) []inventory.Finding {
	keys, groups := x.groupEvents(isAnonymousAccess, server)
	var out []inventory.Finding
	for _, k := range keys {
		es := groups[k]
		out = append(out, inventory.Finding{Severity: maxSeverity(es, inventory.SeverityMedium), Device: k,
			Title:    fmt.Sprintf("Anonymous access (%s) to %s", strings.Join(protocolsOf(es), ", "), x.who(k)),
			Evidence: eventEvidence(es),
			Action:   "Anyone on the LAN can read this server's directory without a password (user and group names, sometimes password attributes) or store files on it (an FTP drop for malware). Turn anonymous access off: OpenLDAP olcDisallows bind_anon and ACLs giving anonymous auth only, Active Directory without the anonymous-operations dsHeuristics flag; vsftpd anonymous_enable=NO or anon_upload_enable=NO, IIS FTP without anonymous authentication. Then check what was uploaded (delete it, scan it) and change any password whose attribute was read."})
	}
	return out
}

func insecureManagement(x *input) []inventory.Finding {
	keys, groups := x.groupEvents(isProto("telnet", "http", "http-basic"), server)
	var out []inventory.Finding
	for _, k := range keys {
		es := groups[k]
		protos := protocolsOf(es)
		sev := inventory.SeverityMedium
		if slices.Contains(protos, "telnet") {
			sev = inventory.SeverityHigh
		}
		out = append(out, inventory.Finding{Severity: sev, Device: k,
			Title:    fmt.Sprintf("Management over %s on %s", strings.Join(protos, " and "), x.who(k)),
			Evidence: eventEvidence(es),
			Action:   "Turn telnet and plain HTTP management off and use SSH and HTTPS: passwords cross the LAN in clear text."})
	}
	return out
}

func smbv1(x *input) []inventory.Finding {
	keys, groups := x.groupEvents(isProto("smbv1", "smb1"), server)
	var out []inventory.Finding
	for _, k := range keys {
		out = append(out, inventory.Finding{Severity: inventory.SeverityHigh, Device: k, Title: "SMBv1 in use on " + x.who(k),
			Evidence: eventEvidence(groups[k]),
			Action:   "Disable SMBv1 (the protocol WannaCry spread through); update or replace whatever still needs it (old copiers scanning to folders, old NAS firmware)."})
	}
	return out
}

// netbiosBrowse is the Windows browser service (MS-BRWS) a device runs:
// its host and workgroup announcements broadcast over NetBIOS datagrams
// (UDP 138), which the traffic sensor reports as netbios-browse. Low: no
// file service nor password crosses the wire, but the names of every host
// and workgroup do, and NetBIOS over TCP/IP is what NBT-NS poisoning
// (Responder) answers.
func netbiosBrowse(x *input) []inventory.Finding {
	keys, groups := x.groupEvents(isProto("netbios-browse"), server)
	var out []inventory.Finding
	for _, k := range keys {
		out = append(out, inventory.Finding{Severity: inventory.SeverityLow, Device: k, Title: "NetBIOS browser announcements from " + x.who(k),
			Evidence: eventEvidence(groups[k]),
			Action:   "Disable NetBIOS over TCP/IP on the device (Windows: the adapter's WINS settings, or for every DHCP client the Microsoft vendor option 001 = 2; Samba: disable netbios = yes) and stop the Computer Browser service, an SMB1-era service Windows removed with SMB1: host and workgroup names stop being broadcast, and NBT-NS poisoning has nothing to answer."})
	}
	return out
}
