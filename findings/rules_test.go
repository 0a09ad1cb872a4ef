package findings

import (
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"tend/inventory"
	"tend/lifecycle"
)

var now = time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)

func mac(t *testing.T, s string) inventory.MAC {
	t.Helper()
	m, err := inventory.ParseMAC(s)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// dev is a device seen just now, with whatever edit makes it interesting.
func dev(t *testing.T, n int, typ inventory.DeviceType, edit func(d *inventory.Device)) inventory.Device {
	t.Helper()
	d := inventory.Device{
		MAC: mac(t, "00:11:32:00:00:0"+string(rune('0'+n))), IP: netip.AddrFrom4([4]byte{192, 168, 1, byte(10 + n)}),
		Type: typ, FirstSeen: now.Add(-30 * 24 * time.Hour), LastSeen: now, Vendor: "Synology Incorporated",
	}
	if edit != nil {
		edit(&d)
	}
	return d
}

// fired returns the findings rule raised.
func fired(in Input, rule string) []inventory.Finding {
	if in.Snapshot.Time.IsZero() {
		in.Snapshot.Time = now
	}
	var out []inventory.Finding
	for _, f := range Evaluate(in) {
		if f.Rule == rule {
			out = append(out, f)
		}
	}
	return out
}

type ruleCase struct {
	name string
	in   func(t *testing.T) Input
	want int                // findings of the rule
	sev  inventory.Severity // of the first, when want > 0
}

func snap(devs ...inventory.Device) Input {
	return Input{Snapshot: inventory.Snapshot{Time: now, Devices: devs}}
}

func runRule(t *testing.T, rule string, cases []ruleCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := fired(tc.in(t), rule)
			if len(got) != tc.want {
				t.Fatalf("%s raised %d findings, want %d: %+v", rule, len(got), tc.want, got)
			}
			for _, f := range got {
				if len(f.Evidence) == 0 || f.Title == "" || f.Action == "" || f.Device == "" {
					t.Errorf("finding lacks evidence, title, action or device: %+v", f)
				}
				if f.ID != ID(rule, f.Device) || f.State != inventory.FindingOpen {
					t.Errorf("finding id %q state %q, want %q open", f.ID, f.State, ID(rule, f.Device))
				}
			}
			if tc.want > 0 && got[0].Severity != tc.sev {
				t.Errorf("severity %s, want %s", got[0].Severity, tc.sev)
			}
		})
	}
}

func lc(status inventory.LifecycleStatus) *inventory.Lifecycle {
	eol := now.AddDate(-1, 0, 0)
	return &inventory.Lifecycle{Product: "fortios", Cycle: "7.2", Status: status, Latest: "7.2.11", Behind: 4, EOL: &eol,
		Evidence: []inventory.Evidence{{Source: "sysDescr", Detail: "FortiOS v7.2.3"}}}
}

func TestFirmwareBehind(t *testing.T) {
	runRule(t, RuleFirmwareBehind, []ruleCase{
		{"behind firewall", func(t *testing.T) Input {
			return snap(dev(t, 1, inventory.TypeFirewall, func(d *inventory.Device) { d.Lifecycle = lc(inventory.StatusBehind) }))
		}, 1, inventory.SeverityMedium},
		{"current", func(t *testing.T) Input {
			return snap(dev(t, 1, inventory.TypeFirewall, func(d *inventory.Device) { d.Lifecycle = lc(inventory.StatusCurrent) }))
		}, 0, ""},
		{"no verdict", func(t *testing.T) Input { return snap(dev(t, 1, inventory.TypeFirewall, nil)) }, 0, ""},
	})
}

func TestFirmwareEOL(t *testing.T) {
	runRule(t, RuleFirmwareEOL, []ruleCase{
		{"eol switch", func(t *testing.T) Input {
			return snap(dev(t, 1, inventory.TypeSwitch, func(d *inventory.Device) { d.Lifecycle = lc(inventory.StatusEOL) }))
		}, 1, inventory.SeverityHigh},
		{"eol workstation", func(t *testing.T) Input {
			return snap(dev(t, 1, inventory.TypeWorkstation, func(d *inventory.Device) { d.Lifecycle = lc(inventory.StatusEOL) }))
		}, 1, inventory.SeverityMedium},
		{"behind is not eol", func(t *testing.T) Input {
			return snap(dev(t, 1, inventory.TypeSwitch, func(d *inventory.Device) { d.Lifecycle = lc(inventory.StatusBehind) }))
		}, 0, ""},
	})
}

func TestFirmwareSecurityOnly(t *testing.T) {
	runRule(t, RuleFirmwareSecurityOnly, []ruleCase{
		{"security only", func(t *testing.T) Input {
			return snap(dev(t, 1, inventory.TypeNAS, func(d *inventory.Device) { d.Lifecycle = lc(inventory.StatusSecurityOnly) }))
		}, 1, inventory.SeverityLow},
		{"unknown", func(t *testing.T) Input {
			return snap(dev(t, 1, inventory.TypeNAS, func(d *inventory.Device) { d.Lifecycle = lc(inventory.StatusUnknown) }))
		}, 0, ""},
	})
}

func TestHardwareEOL(t *testing.T) {
	runRule(t, RuleHardwareEOL, []ruleCase{
		{"verdict eol", func(t *testing.T) Input {
			d := dev(t, 1, inventory.TypeSwitch, nil)
			in := snap(d)
			in.Hardware = map[string]inventory.Lifecycle{d.MAC.String(): *lc(inventory.StatusEOL)}
			return in
		}, 1, inventory.SeverityHigh},
		{"verdict current", func(t *testing.T) Input {
			d := dev(t, 1, inventory.TypeSwitch, nil)
			in := snap(d)
			in.Hardware = map[string]inventory.Lifecycle{d.MAC.String(): *lc(inventory.StatusCurrent)}
			return in
		}, 0, ""},
		{"judged by the lifecycle judge: Synology DS109 via the real catalog", func(t *testing.T) Input {
			cat, err := lifecycle.OpenCatalog()
			if err != nil {
				t.Fatal(err)
			}
			d := dev(t, 1, inventory.TypeNAS, func(d *inventory.Device) { d.Make, d.Model = "Synology", "DS109" })
			other := dev(t, 2, inventory.TypeNAS, func(d *inventory.Device) { d.Model = "no such model 123" })
			cat.Assess(&d, now)
			cat.Assess(&other, now)
			if d.Lifecycle == nil || d.Lifecycle.Hardware == nil {
				t.Fatalf("the judge put no hardware verdict on the DS109: %+v", d.Lifecycle)
			}
			return snap(d, other) // Hardware nil: Evaluate reads the devices' verdicts
		}, 1, inventory.SeverityHigh},
	})
}

func TestReplacementAge(t *testing.T) {
	bought := now.AddDate(-8, 0, 0)
	runRule(t, RuleReplacementAge, []ruleCase{
		{"estimated old switch", func(t *testing.T) Input {
			return snap(dev(t, 1, inventory.TypeSwitch, func(d *inventory.Device) {
				d.Age = &inventory.Age{MinYears: 8, MaxYears: 10, Evidence: []inventory.Evidence{{Source: "serial", Detail: "FOC1532"}}}
			}))
		}, 1, inventory.SeverityLow},
		{"band straddles the limit", func(t *testing.T) Input {
			return snap(dev(t, 1, inventory.TypeSwitch, func(d *inventory.Device) { d.Age = &inventory.Age{MinYears: 5, MaxYears: 9} }))
		}, 0, ""},
		{"purchase date beats estimate", func(t *testing.T) Input {
			return snap(dev(t, 1, inventory.TypeWorkstation, func(d *inventory.Device) {
				d.PurchaseDate = &bought
				d.Age = &inventory.Age{MinYears: 1, MaxYears: 2}
			}))
		}, 1, inventory.SeverityLow},
		{"unknown type not judged", func(t *testing.T) Input {
			return snap(dev(t, 1, inventory.TypeUnknown, func(d *inventory.Device) { d.PurchaseDate = &bought }))
		}, 0, ""},
	})
}

func snmpDev(t *testing.T, typ inventory.DeviceType, version string, def bool) inventory.Device {
	return dev(t, 1, typ, func(d *inventory.Device) {
		d.SNMP = &inventory.SNMPSystem{Version: version, DefaultCommunity: def, Uptime: 3 * time.Hour}
	})
}

func TestSNMPDefaultCommunity(t *testing.T) {
	runRule(t, RuleSNMPDefaultCommunity, []ruleCase{
		{"public", func(t *testing.T) Input { return snap(snmpDev(t, inventory.TypePrinter, "2c", true)) }, 1, inventory.SeverityHigh},
		{"custom community", func(t *testing.T) Input { return snap(snmpDev(t, inventory.TypePrinter, "2c", false)) }, 0, ""},
	})
}

func TestSNMPDefaultCommunityOnTheWire(t *testing.T) {
	runRule(t, RuleSNMPDefaultCommunity, []ruleCase{
		{"seen by traffic", func(t *testing.T) Input {
			return withEvents(event(t, inventory.EventInsecureProtocol, time.Hour, macA, macB, "snmp between 10.0.0.1 (server, port 161) and 10.0.0.9",
				inventory.Evidence{Source: "traffic", Detail: `SNMPv2c with the default community "public" on the wire`}))
		}, 1, inventory.SeverityHigh},
		{"one manager's polls of three agents: a finding per agent, none on the manager", func(t *testing.T) Input {
			return withEvents(event(t, inventory.EventInsecureProtocol, time.Hour, macB, "", "snmp polls from 10.0.0.9 (manager, to port 161) of 3 agents with a default community",
				inventory.Evidence{Source: "traffic", Detail: `polls of 3 agents (10.0.0.1, 10.0.0.2, 10.0.0.3): SNMPv2c with the default community "public" on the wire`},
				inventory.Evidence{Source: "snmp agents", Detail: "00:11:32:00:00:01 10.0.0.1, 00:11:32:00:00:02 10.0.0.2, 00:11:32:00:00:03 10.0.0.3"}))
		}, 3, inventory.SeverityHigh},
		{"poller and traffic agree: one finding", func(t *testing.T) Input {
			in := withEvents(event(t, inventory.EventInsecureProtocol, time.Hour, "00:11:32:00:00:01", macB, "snmp between a and b"))
			in.Snapshot.Devices = []inventory.Device{snmpDev(t, inventory.TypePrinter, "2c", true)}
			return in
		}, 1, inventory.SeverityHigh},
	})
}

func TestCleartextLogins(t *testing.T) {
	runRule(t, RuleCleartextLogins, []ruleCase{
		{"ftp and pop3 on one server", func(t *testing.T) Input {
			return withEvents(event(t, inventory.EventInsecureProtocol, time.Hour, macA, macB, "ftp between a and b"),
				event(t, inventory.EventInsecureProtocol, time.Hour, macA, macB, "pop3 between a and b"))
		}, 1, inventory.SeverityMedium},
		{"telnet is management, not this", func(t *testing.T) Input {
			return withEvents(event(t, inventory.EventInsecureProtocol, time.Hour, macA, macB, "telnet between a and b"))
		}, 0, ""},
		{"ldap simple binds in clear", func(t *testing.T) Input {
			return withEvents(event(t, inventory.EventInsecureProtocol, time.Hour, macA, macB, "ldap between a and b"))
		}, 1, inventory.SeverityMedium},
		{"an anonymous directory read is anonymous_access, not this", func(t *testing.T) Input {
			return withEvents(event(t, inventory.EventInsecureProtocol, time.Hour, macA, macB, "ldap between a and b",
				inventory.Evidence{Source: "traffic", Detail: "anonymous LDAP session (an empty bind, or none) answered with 42 directory entries"}))
		}, 0, ""},
	})
}

func TestAnonymousAccess(t *testing.T) {
	anonLDAP := inventory.Evidence{Source: "traffic", Detail: "anonymous LDAP session (an empty bind, or none) answered with 42 directory entries with password attributes (userPassword)"}
	anonFTP := inventory.Evidence{Source: "traffic", Detail: `anonymous FTP session stored a file: STOR "update.sh" answered 150`}
	runRule(t, RuleAnonymousAccess, []ruleCase{
		{"ldap dump and ftp upload on one server, the dump High", func(t *testing.T) Input {
			dump := event(t, inventory.EventInsecureProtocol, time.Hour, macA, macB, "ldap between a and b", anonLDAP)
			dump.Severity = inventory.SeverityHigh
			return withEvents(dump, event(t, inventory.EventInsecureProtocol, time.Hour, macA, macB, "ftp between a and b", anonFTP))
		}, 1, inventory.SeverityHigh},
		{"an anonymous FTP login alone (download) is not this", func(t *testing.T) Input {
			return withEvents(event(t, inventory.EventInsecureProtocol, time.Hour, macA, macB, "ftp between a and b",
				inventory.Evidence{Source: "traffic", Detail: "anonymous FTP login (USER anonymous): a public service in clear, no secret"}))
		}, 0, ""},
	})
}

func TestSNMPNoV3(t *testing.T) {
	runRule(t, RuleSNMPNoV3, []ruleCase{
		{"v2c switch", func(t *testing.T) Input { return snap(snmpDev(t, inventory.TypeSwitch, "2c", false)) }, 1, inventory.SeverityMedium},
		{"v1 ups", func(t *testing.T) Input { return snap(snmpDev(t, inventory.TypeUPS, "1", false)) }, 1, inventory.SeverityMedium},
		{"v3 switch", func(t *testing.T) Input { return snap(snmpDev(t, inventory.TypeSwitch, "3", false)) }, 0, ""},
		{"v2c printer is not infrastructure", func(t *testing.T) Input { return snap(snmpDev(t, inventory.TypePrinter, "2c", false)) }, 0, ""},
	})
}

func event(t *testing.T, typ inventory.EventType, age time.Duration, culprit, target string, summary string, ev ...inventory.Evidence) inventory.Event {
	e := inventory.Event{Time: now.Add(-age), Type: typ, Severity: inventory.SeverityMedium, Summary: summary, Evidence: ev}
	if culprit != "" {
		e.MAC = mac(t, culprit)
	}
	if target != "" {
		e.TargetMAC = mac(t, target)
	}
	return e
}

func withEvents(es ...inventory.Event) Input {
	in := snap()
	in.Snapshot.Events = es
	return in
}

const (
	macA = "00:11:32:00:00:0a"
	macB = "00:11:32:00:00:0b"
)

func TestInsecureManagement(t *testing.T) {
	runRule(t, RuleInsecureManagement, []ruleCase{
		{"telnet to a switch", func(t *testing.T) Input {
			return withEvents(event(t, inventory.EventInsecureProtocol, time.Hour, macA, macB, "telnet session",
				inventory.Evidence{Source: "protocol", Detail: "telnet"}))
		}, 1, inventory.SeverityHigh},
		{"http and telnet on one device is one finding", func(t *testing.T) Input {
			return withEvents(
				event(t, inventory.EventInsecureProtocol, time.Hour, macA, macB, "HTTP login to web management"),
				event(t, inventory.EventInsecureProtocol, 2*time.Hour, macA, macB, "telnet session"))
		}, 1, inventory.SeverityHigh},
		{"http only", func(t *testing.T) Input {
			return withEvents(event(t, inventory.EventInsecureProtocol, time.Hour, macA, macB, "", inventory.Evidence{Source: "protocol", Detail: "HTTP"}))
		}, 1, inventory.SeverityMedium},
		{"old event outside window", func(t *testing.T) Input {
			return withEvents(event(t, inventory.EventInsecureProtocol, 8*24*time.Hour, macA, macB, "telnet session"))
		}, 0, ""},
		{"smbv1 is not management", func(t *testing.T) Input {
			return withEvents(event(t, inventory.EventInsecureProtocol, time.Hour, macA, macB, "SMBv1 negotiate"))
		}, 0, ""},
	})
	// As the traffic sensor reports it: the server is the device
	// concerned, the client the target.
	f := fired(withEvents(event(t, inventory.EventInsecureProtocol, time.Hour, macA, macB, "telnet between 10.0.0.1 (server, port 23) and 10.0.0.9",
		inventory.Evidence{Source: "traffic", Detail: "telnet session: keystrokes and password cross the wire in clear"})), RuleInsecureManagement)
	if len(f) != 1 || f[0].Device != macA {
		t.Errorf("telnet finding %+v, want one on the server %s", f, macA)
	}
	if f := fired(withEvents(event(t, inventory.EventInsecureProtocol, time.Hour, macA, macB, "http-basic between a and b")), RuleInsecureManagement); len(f) != 1 {
		t.Errorf("http-basic: %+v", f)
	}
}

func TestSMBv1(t *testing.T) {
	runRule(t, RuleSMBv1, []ruleCase{
		{"smbv1", func(t *testing.T) Input {
			return withEvents(event(t, inventory.EventInsecureProtocol, time.Hour, macA, macB, "SMBv1 negotiate from copier"))
		}, 1, inventory.SeverityHigh},
		{"smb by evidence", func(t *testing.T) Input {
			return withEvents(event(t, inventory.EventInsecureProtocol, time.Hour, macA, "", "file share", inventory.Evidence{Source: "protocol", Detail: "smb1"}))
		}, 1, inventory.SeverityHigh},
		{"telnet", func(t *testing.T) Input {
			return withEvents(event(t, inventory.EventInsecureProtocol, time.Hour, macA, macB, "telnet"))
		}, 0, ""},
	})
}

// TestNetBIOSBrowse: the traffic sensor's netbios-browse events (Low,
// browser datagrams to \MAILSLOT\BROWSE) are a Low finding on the
// announcing device with advice, not SMBv1 (checked: fails without the
// rule, no finding).
func TestNetBIOSBrowse(t *testing.T) {
	browse := func(t *testing.T) Input {
		return withEvents(event(t, inventory.EventInsecureProtocol, time.Hour, macA, macB, "netbios-browse between 10.0.0.1 (00:11:32:00:00:0a) (server, port 138) and 10.0.0.255",
			inventory.Evidence{Source: "traffic", Detail: "NetBIOS browser datagram to \\MAILSLOT\\BROWSE"}))
	}
	runRule(t, RuleNetBIOSBrowse, []ruleCase{
		{"browse announcements", browse, 1, inventory.SeverityLow},
		{"smbv1", func(t *testing.T) Input {
			return withEvents(event(t, inventory.EventInsecureProtocol, time.Hour, macA, macB, "smbv1 between a and b"))
		}, 0, ""},
	})
	if f := fired(browse(t), RuleSMBv1); len(f) != 0 {
		t.Errorf("netbios-browse raised smbv1: %+v", f)
	}
	f := fired(browse(t), RuleNetBIOSBrowse)
	if len(f) != 1 || f[0].Device != macA || !strings.Contains(f[0].Action, "NetBIOS over TCP/IP") {
		t.Errorf("finding %+v, want one on %s advising to disable NetBIOS over TCP/IP", f, macA)
	}
}

func TestUnknownDevice(t *testing.T) {
	runRule(t, RuleUnknownDevice, []ruleCase{
		{"unknown for a month", func(t *testing.T) Input { return snap(dev(t, 1, inventory.TypeUnknown, nil)) }, 1, inventory.SeverityInfo},
		{"unknown but labelled", func(t *testing.T) Input {
			return snap(dev(t, 1, inventory.TypeUnknown, func(d *inventory.Device) { d.Label = "Lab Pi" }))
		}, 0, ""},
		{"just arrived", func(t *testing.T) Input {
			return snap(dev(t, 1, inventory.TypeUnknown, func(d *inventory.Device) { d.FirstSeen = now.Add(-time.Minute) }))
		}, 0, ""},
		{"known type", func(t *testing.T) Input { return snap(dev(t, 1, inventory.TypePrinter, nil)) }, 0, ""},
		{"randomised MAC (a phone)", func(t *testing.T) Input {
			return snap(dev(t, 1, inventory.TypeUnknown, func(d *inventory.Device) { d.RandomMAC = true }))
		}, 0, ""},
	})
}

func TestEventRules(t *testing.T) {
	for _, tc := range []struct {
		rule string
		typ  inventory.EventType
		sev  inventory.Severity
	}{
		{RuleRogueDHCP, inventory.EventRogueDHCP, inventory.SeverityCritical},
		{RuleARPSpoof, inventory.EventARPSpoof, inventory.SeverityCritical},
		{RuleGatewayChanged, inventory.EventGatewayChanged, inventory.SeverityHigh},
		{RuleDuplicateIP, inventory.EventDuplicateIP, inventory.SeverityMedium},
		{RuleNDSpoof, inventory.EventNDSpoof, inventory.SeverityCritical},
		{RuleRogueRA, inventory.EventRogueRA, inventory.SeverityCritical},
		{RuleNamePoisoning, inventory.EventNamePoisoning, inventory.SeverityCritical},
		{RuleDHCPStarvation, inventory.EventDHCPStarvation, inventory.SeverityHigh},
		{RuleDHCPReleaseForged, inventory.EventDHCPReleaseForged, inventory.SeverityMedium},
		{RuleFlood, inventory.EventFlood, inventory.SeverityHigh},
		{RuleBruteForce, inventory.EventBruteForce, inventory.SeverityMedium}, // sessions only: the event says High when logins failed
		{RuleRogueSwitch, inventory.EventRogueSwitch, inventory.SeverityHigh},
		{RuleFHRPTakeover, inventory.EventFHRPTakeover, inventory.SeverityCritical},
		{RuleMACFlood, inventory.EventMACFlood, inventory.SeverityHigh},
		{RuleSwitchingLoop, inventory.EventSwitchingLoop, inventory.SeverityCritical},
		{RuleResetInjection, inventory.EventResetInjection, inventory.SeverityHigh},
		{RuleSpoofedSource, inventory.EventSpoofedSource, inventory.SeverityHigh},
		{RuleSlowHTTP, inventory.EventSlowHTTP, inventory.SeverityMedium}, // the event says High for 100 requests held
		{RuleDNSTunnel, inventory.EventDNSTunnel, inventory.SeverityMedium},
		{RuleRemoteShell, inventory.EventRemoteShell, inventory.SeverityHigh},
		{RuleWebAttack, inventory.EventWebAttack, inventory.SeverityHigh},
		{RuleRansomware, inventory.EventRansomware, inventory.SeverityCritical},
		{RuleADAttack, inventory.EventADAttack, inventory.SeverityHigh}, // DCSync's events are Critical (below)
		{RuleCredentialCapture, inventory.EventCredentialCapture, inventory.SeverityHigh},
		{RuleLateralMovement, inventory.EventLateralMovement, inventory.SeverityHigh},
		{RuleCryptominer, inventory.EventCryptominer, inventory.SeverityHigh},
		{RuleMalformedIP, inventory.EventMalformedIP, inventory.SeverityMedium}, // the events' severity: Low floor (below)
	} {
		t.Run(tc.rule, func(t *testing.T) {
			runRule(t, tc.rule, []ruleCase{
				{"two culprits", func(t *testing.T) Input {
					return withEvents(event(t, tc.typ, time.Hour, macA, "", "x"), event(t, tc.typ, 2*time.Hour, macA, "", "y"),
						event(t, tc.typ, 3*time.Hour, macB, "", "z"))
				}, 2, tc.sev},
				{"other event types", func(t *testing.T) Input {
					return withEvents(event(t, inventory.EventNewDevice, time.Hour, macA, "", "x"))
				}, 0, ""},
				{"expired", func(t *testing.T) Input { return withEvents(event(t, tc.typ, 30*24*time.Hour, macA, "", "x")) }, 0, ""},
			})
		})
	}
	// Password guessing with failed logins carries High; sessions alone
	// (a monitoring or backup tool's shape too) stay Medium.
	bf := event(t, inventory.EventBruteForce, time.Hour, macA, "", "25 failed logins (FTP)")
	bf.Severity = inventory.SeverityHigh
	if f := fired(withEvents(bf), RuleBruteForce); len(f) != 1 || f[0].Severity != inventory.SeverityHigh {
		t.Errorf("brute force with failed logins: %+v, want one High finding", f)
	}
	if f := fired(withEvents(bf), RuleBruteForce); len(f) != 1 || !strings.HasPrefix(f[0].Title, "Password guessing") {
		t.Errorf("brute force with failed logins: %+v, want password guessing", f)
	}
	// TFTP file-name guessing (fix36d) is configuration theft, with its advice.
	tg := event(t, inventory.EventBruteForce, time.Hour, macA, macB, "TFTP file-name guessing: 10.36.1.66 asked 10.36.1.2 for 12 different files, 10 refused: harvesting device configurations")
	tg.Severity = inventory.SeverityHigh
	if f := fired(withEvents(tg), RuleBruteForce); len(f) != 1 || f[0].Severity != inventory.SeverityHigh || !strings.HasPrefix(f[0].Title, "TFTP configuration theft") || !strings.Contains(f[0].Action, "enable secret") {
		t.Errorf("tftp guessing: %+v, want one High configuration theft finding", f)
	}
	// One client spraying logins over servers (fix42b, traffic/spray.go):
	// its own title and advice.
	sp := event(t, inventory.EventBruteForce, time.Hour, macA, macB, "10.42.1.66 (b8:27:eb:00:00:66) sprayed passwords against SMB: 70 failed logins on 7 servers, 5 accounts named (administrator, admin, backup, svc_sql, helpdesk) in 36s")
	sp.Severity = inventory.SeverityHigh
	if f := fired(withEvents(sp), RuleBruteForce); len(f) != 1 || f[0].Severity != inventory.SeverityHigh || !strings.HasPrefix(f[0].Title, "Password spraying across servers") || !strings.Contains(f[0].Action, "4625") {
		t.Errorf("password spraying: %+v, want one High spraying finding", f)
	}
	if f := fired(withEvents(sp, bf), RuleBruteForce); len(f) != 1 || !strings.HasPrefix(f[0].Title, "Password guessing") {
		t.Errorf("spraying and guessing by one host: %+v, want password guessing", f)
	}
	// Guessing spread over many hosts (det38a) has no culprit MAC: one
	// finding naming the server, with its advice.
	dg := event(t, inventory.EventBruteForce, time.Hour, "", macB, "Distributed password guessing against SMB on 10.0.0.30 port 445: 50 failed logins (SMB) for the account administrator from 10 clients in 40s")
	dg.Severity, dg.TargetIP = inventory.SeverityHigh, netip.MustParseAddr("10.0.0.30")
	if f := fired(withEvents(dg), RuleBruteForce); len(f) != 1 || f[0].Severity != inventory.SeverityHigh || !strings.HasSuffix(f[0].Title, "against 10.0.0.30") || !strings.Contains(f[0].Action, "botnet") {
		t.Errorf("distributed guessing: %+v, want one High finding naming the server", f)
	}
	// Malformed IP takes its events' severity: a record route option alone
	// (ping -R) stays Low, a teardrop is High.
	for _, sev := range []inventory.Severity{inventory.SeverityLow, inventory.SeverityHigh} {
		m := event(t, inventory.EventMalformedIP, time.Hour, macA, "", "malformed")
		m.Severity = sev
		if f := fired(withEvents(m), RuleMalformedIP); len(f) != 1 || f[0].Severity != sev {
			t.Errorf("malformed_ip %s: %+v, want one %s finding", sev, f, sev)
		}
	}
	// An event with no MAC is keyed by its IP.
	e := event(t, inventory.EventRogueDHCP, time.Hour, "", "", "offer from 10.0.0.9")
	e.IP = netip.MustParseAddr("10.0.0.9")
	if f := fired(withEvents(e), RuleRogueDHCP); len(f) != 1 || f[0].Device != "ip:10.0.0.9" {
		t.Errorf("rogue dhcp without MAC: %+v", f)
	}
}

func TestScan(t *testing.T) {
	runRule(t, RuleScan, []ruleCase{
		{"port scan and sweep from one host", func(t *testing.T) Input {
			return withEvents(event(t, inventory.EventPortScan, time.Hour, macA, macB, "100 ports"), event(t, inventory.EventHostSweep, time.Hour, macA, "", "254 hosts"))
		}, 1, inventory.SeverityHigh},
		{"sanctioned scanner", func(t *testing.T) Input {
			in := withEvents(event(t, inventory.EventPortScan, time.Hour, macA, macB, "100 ports"))
			in.Snapshot.Devices = []inventory.Device{dev(t, 1, inventory.TypeServer, func(d *inventory.Device) { d.MAC = mac(t, macA); d.Role = "scanner" })}
			return in
		}, 1, inventory.SeverityInfo},
		{"an admin fan-out (fix33f): Low", func(t *testing.T) Input {
			e := event(t, inventory.EventHostSweep, time.Hour, macA, "", "10.0.0.20: admin fan-out: 29 sessions to port 22 (SSH) on 29 hosts")
			e.Severity = inventory.SeverityLow
			return withEvents(e)
		}, 1, inventory.SeverityLow},
		{"an admin fan-out and a port scan: High", func(t *testing.T) Input {
			e := event(t, inventory.EventHostSweep, time.Hour, macA, "", "10.0.0.20: admin fan-out: 29 sessions to port 22 (SSH) on 29 hosts")
			e.Severity = inventory.SeverityLow
			return withEvents(e, event(t, inventory.EventPortScan, time.Hour, macA, macB, "100 ports"))
		}, 1, inventory.SeverityHigh},
		{"an undeclared inventory agent (fix36d): Medium", func(t *testing.T) Input {
			e := event(t, inventory.EventHostSweep, time.Hour, macA, "", "undeclared inventory/management scan from 10.0.0.5 (00:0c:29:36:00:05): declare it with --known-scanner")
			e.Severity = inventory.SeverityMedium
			return withEvents(e)
		}, 1, inventory.SeverityMedium},
		{"an inventory agent and a port scan: High", func(t *testing.T) Input {
			e := event(t, inventory.EventHostSweep, time.Hour, macA, "", "undeclared inventory/management scan from 10.0.0.5 (00:0c:29:36:00:05): declare it with --known-scanner")
			e.Severity = inventory.SeverityMedium
			return withEvents(e, event(t, inventory.EventPortScan, time.Hour, macA, macB, "100 ports"))
		}, 1, inventory.SeverityHigh},
		{"an SMB null-session enumeration (det37a): Medium", func(t *testing.T) Input {
			e := event(t, inventory.EventPortScan, time.Hour, macA, macB, "SMB null-session enumeration: 10.36.1.66 (b8:27:eb:00:00:66) logged on to 10.36.1.30 anonymously and asked for its users, groups and aliases from the SAM (samr)")
			e.Severity = inventory.SeverityMedium
			return withEvents(e)
		}, 1, inventory.SeverityMedium},
		{"an SMB share enumeration with write tests (session 41): Medium", func(t *testing.T) Input {
			e := event(t, inventory.EventPortScan, time.Hour, macA, macB, "SMB share enumeration with write tests: 10.41.1.66 (b8:27:eb:00:00:66) logged on to 10.41.1.30 as guest or anonymously, connected to 2 shares (ADMIN$, share)")
			e.Severity = inventory.SeverityMedium
			return withEvents(e)
		}, 1, inventory.SeverityMedium},
		{"DNS zone transfer attempts refused (det37a): Medium", func(t *testing.T) Input {
			e := event(t, inventory.EventPortScan, time.Hour, macA, macB, "DNS zone transfer attempt: 10.88.8.66 asked 10.88.8.1 for whole zones (lan.): 4 refused")
			e.Severity = inventory.SeverityMedium
			return withEvents(e)
		}, 1, inventory.SeverityMedium},
		{"a DNS zone transfer answered (det37a): High", func(t *testing.T) Input {
			e := event(t, inventory.EventPortScan, time.Hour, macA, macB, "DNS zone transfer attempt: 10.88.8.66 asked 10.88.8.1 for whole zones (lan.): 1 answered with 5 records")
			e.Severity = inventory.SeverityHigh
			return withEvents(e)
		}, 1, inventory.SeverityHigh},
		{"a Mirai-style bot scanning the Internet (session 40): Critical", func(t *testing.T) Input {
			e := event(t, inventory.EventHostSweep, time.Hour, macA, "", "10.41.1.66 (b8:27:eb:00:00:66) is scanning the Internet with Mirai's SYNs: an infected device (Mirai-style bot)")
			e.Severity = inventory.SeverityCritical
			return withEvents(e, event(t, inventory.EventPortScan, time.Hour, macA, macB, "100 ports"))
		}, 1, inventory.SeverityCritical},
		{"a Mirai-style bot on a device declared a scanner: still Critical", func(t *testing.T) Input {
			e := event(t, inventory.EventHostSweep, time.Hour, macA, "", "10.40.1.66 swept 24 hosts for Telnet (23): an infected device (Mirai-style bot)")
			e.Severity = inventory.SeverityCritical
			in := withEvents(e)
			in.Snapshot.Devices = []inventory.Device{dev(t, 1, inventory.TypeServer, func(d *inventory.Device) { d.MAC = mac(t, macA); d.Role = "scanner" })}
			return in
		}, 1, inventory.SeverityCritical},
		{"an SMB enumeration and a port scan: High", func(t *testing.T) Input {
			e := event(t, inventory.EventPortScan, time.Hour, macA, macB, "SMB null-session enumeration: 10.36.1.66 logged on to 10.36.1.30 anonymously")
			e.Severity = inventory.SeverityMedium
			return withEvents(e, event(t, inventory.EventPortScan, time.Hour, macA, macB, "100 ports"))
		}, 1, inventory.SeverityHigh},
	})
}

func healthDev(t *testing.T, typ inventory.DeviceType, h inventory.Health) inventory.Device {
	return dev(t, 1, typ, func(d *inventory.Device) { d.Health = &h })
}

func TestPrinterSupplyLow(t *testing.T) {
	runRule(t, RulePrinterSupplyLow, []ruleCase{
		{"black toner 5%", func(t *testing.T) Input {
			return snap(healthDev(t, inventory.TypePrinter, inventory.Health{Supplies: []inventory.Supply{{Name: "Black Toner", Kind: "toner", Percent: 5}, {Name: "Drum", Kind: "drum", Percent: 60}}}))
		}, 1, inventory.SeverityLow},
		{"empty", func(t *testing.T) Input {
			return snap(healthDev(t, inventory.TypePrinter, inventory.Health{Supplies: []inventory.Supply{{Name: "Cyan", Kind: "toner", Percent: 1}}}))
		}, 1, inventory.SeverityMedium},
		{"some remaining (-1) and a waste box", func(t *testing.T) Input {
			return snap(healthDev(t, inventory.TypePrinter, inventory.Health{Supplies: []inventory.Supply{{Name: "Black", Kind: "toner", Percent: -1}, {Name: "Waste", Kind: "waste", Percent: 0}}}))
		}, 0, ""},
	})
}

func TestUPSBattery(t *testing.T) {
	runRule(t, RuleUPSBatteryReplace, []ruleCase{
		{"replace needed", func(t *testing.T) Input {
			return snap(healthDev(t, inventory.TypeUPS, inventory.Health{Battery: &inventory.Battery{Status: "normal", ReplaceNeeded: true}}))
		}, 1, inventory.SeverityHigh},
		{"depleted", func(t *testing.T) Input {
			return snap(healthDev(t, inventory.TypeUPS, inventory.Health{Battery: &inventory.Battery{Status: "depleted"}}))
		}, 1, inventory.SeverityHigh},
		{"good", func(t *testing.T) Input {
			return snap(healthDev(t, inventory.TypeUPS, inventory.Health{Battery: &inventory.Battery{Status: "normal", ChargePercent: 100}}))
		}, 0, ""},
	})
	runRule(t, RuleUPSOnBattery, []ruleCase{
		{"on battery", func(t *testing.T) Input {
			return snap(healthDev(t, inventory.TypeUPS, inventory.Health{Battery: &inventory.Battery{Status: "normal", OnBattery: true, ChargePercent: 80, RuntimeMinutes: 12}}))
		}, 1, inventory.SeverityCritical},
		{"on mains", func(t *testing.T) Input {
			return snap(healthDev(t, inventory.TypeUPS, inventory.Health{Battery: &inventory.Battery{Status: "normal"}}))
		}, 0, ""},
	})
}

func TestNASDegraded(t *testing.T) {
	runRule(t, RuleNASDegraded, []ruleCase{
		{"degraded volume, failed disk", func(t *testing.T) Input {
			return snap(healthDev(t, inventory.TypeNAS, inventory.Health{
				Volumes: []inventory.Volume{{Name: "volume1", Status: "degraded"}},
				Disks:   []inventory.Disk{{Name: "Disk 2", Status: "failed"}, {Name: "Disk 1", Status: "normal"}}}))
		}, 1, inventory.SeverityHigh},
		{"failed volume", func(t *testing.T) Input {
			return snap(healthDev(t, inventory.TypeNAS, inventory.Health{Volumes: []inventory.Volume{{Name: "volume1", Status: "failed"}}}))
		}, 1, inventory.SeverityCritical},
		{"disk warning", func(t *testing.T) Input {
			return snap(healthDev(t, inventory.TypeNAS, inventory.Health{Disks: []inventory.Disk{{Name: "Disk 1", Status: "warning"}}}))
		}, 1, inventory.SeverityMedium},
		{"all normal", func(t *testing.T) Input {
			return snap(healthDev(t, inventory.TypeNAS, inventory.Health{Volumes: []inventory.Volume{{Name: "v", Status: "normal"}}, Disks: []inventory.Disk{{Name: "d", Status: "normal"}}}))
		}, 0, ""},
	})
}

func TestDiskSpaceLow(t *testing.T) {
	runRule(t, RuleDiskSpaceLow, []ruleCase{
		{"92% full", func(t *testing.T) Input {
			return snap(healthDev(t, inventory.TypeServer, inventory.Health{Storage: []inventory.StorageUse{{Name: "/", SizeBytes: 100 << 30, UsedBytes: 92 << 30}}}))
		}, 1, inventory.SeverityMedium},
		{"99% full", func(t *testing.T) Input {
			return snap(healthDev(t, inventory.TypeServer, inventory.Health{Storage: []inventory.StorageUse{{Name: "/volume1", SizeBytes: 100 << 30, UsedBytes: 99 << 30}}}))
		}, 1, inventory.SeverityHigh},
		{"memory full is normal", func(t *testing.T) Input {
			return snap(healthDev(t, inventory.TypeServer, inventory.Health{Storage: []inventory.StorageUse{{Name: "Physical memory", SizeBytes: 8 << 30, UsedBytes: 8 << 30}}}))
		}, 0, ""},
		{"half full", func(t *testing.T) Input {
			return snap(healthDev(t, inventory.TypeServer, inventory.Health{Storage: []inventory.StorageUse{{Name: "/", SizeBytes: 100, UsedBytes: 50}}}))
		}, 0, ""},
	})
}

// twoSnaps gives a device's interface counters five minutes apart.
func twoSnaps(t *testing.T, before, after inventory.Interface) Input {
	d0 := healthDev(t, inventory.TypeSwitch, inventory.Health{Interfaces: []inventory.Interface{before}})
	d1 := healthDev(t, inventory.TypeSwitch, inventory.Health{Interfaces: []inventory.Interface{after}})
	in := snap(d1)
	in.Previous = &inventory.Snapshot{Time: now.Add(-5 * time.Minute), Devices: []inventory.Device{d0}}
	return in
}

func TestInterfaceErrors(t *testing.T) {
	runRule(t, RuleInterfaceErrors, []ruleCase{
		{"rising", func(t *testing.T) Input {
			return twoSnaps(t, inventory.Interface{Index: 3, Name: "Gi0/3", InErrors: 10}, inventory.Interface{Index: 3, Name: "Gi0/3", InErrors: 500})
		}, 1, inventory.SeverityMedium},
		{"steady (old errors)", func(t *testing.T) Input {
			return twoSnaps(t, inventory.Interface{Index: 3, InErrors: 9000}, inventory.Interface{Index: 3, InErrors: 9005})
		}, 0, ""},
		{"counter reset", func(t *testing.T) Input {
			return twoSnaps(t, inventory.Interface{Index: 3, InErrors: 9000}, inventory.Interface{Index: 3, InErrors: 2})
		}, 0, ""},
		{"no previous", func(t *testing.T) Input {
			return snap(healthDev(t, inventory.TypeSwitch, inventory.Health{Interfaces: []inventory.Interface{{Index: 3, InErrors: 1e6}}}))
		}, 0, ""},
	})
}

func TestPortNearCapacity(t *testing.T) {
	const gig = 1_000_000_000
	octets := func(pct float64) uint64 { return uint64(pct / 100 * gig / 8 * 300) } // over 5 minutes
	runRule(t, RulePortNearCapacity, []ruleCase{
		{"90% out", func(t *testing.T) Input {
			return twoSnaps(t, inventory.Interface{Index: 1, Name: "uplink", SpeedBps: gig, OperUp: true},
				inventory.Interface{Index: 1, Name: "uplink", SpeedBps: gig, OperUp: true, OutOctets: octets(90)})
		}, 1, inventory.SeverityMedium},
		{"40%", func(t *testing.T) Input {
			return twoSnaps(t, inventory.Interface{Index: 1, SpeedBps: gig, OperUp: true},
				inventory.Interface{Index: 1, SpeedBps: gig, OperUp: true, InOctets: octets(40)})
		}, 0, ""},
		{"beyond line rate is a glitch", func(t *testing.T) Input {
			return twoSnaps(t, inventory.Interface{Index: 1, SpeedBps: gig, OperUp: true},
				inventory.Interface{Index: 1, SpeedBps: gig, OperUp: true, InOctets: octets(300)})
		}, 0, ""},
	})
}

func TestLongUptime(t *testing.T) {
	runRule(t, RuleLongUptime, []ruleCase{
		{"400 days", func(t *testing.T) Input {
			return snap(dev(t, 1, inventory.TypeSwitch, func(d *inventory.Device) { d.SNMP = &inventory.SNMPSystem{Version: "3", Uptime: 400 * 24 * time.Hour} }))
		}, 1, inventory.SeverityLow},
		{"30 days", func(t *testing.T) Input {
			return snap(dev(t, 1, inventory.TypeSwitch, func(d *inventory.Device) { d.SNMP = &inventory.SNMPSystem{Version: "3", Uptime: 30 * 24 * time.Hour} }))
		}, 0, ""},
	})
}

func TestUnexpectedReboot(t *testing.T) {
	withUptime := func(t *testing.T, typ inventory.DeviceType, before, after time.Duration) Input {
		d0 := dev(t, 1, typ, func(d *inventory.Device) {
			d.SNMP = &inventory.SNMPSystem{Version: "3", Uptime: before}
			d.LastSeen = now.Add(-5 * time.Minute)
		})
		d1 := dev(t, 1, typ, func(d *inventory.Device) { d.SNMP = &inventory.SNMPSystem{Version: "3", Uptime: after} })
		in := snap(d1)
		in.Previous = &inventory.Snapshot{Time: now.Add(-5 * time.Minute), Devices: []inventory.Device{d0}}
		return in
	}
	stored := func(t *testing.T, up time.Duration) Input { // no previous reading: what storage holds
		return snap(dev(t, 1, inventory.TypeSwitch, func(d *inventory.Device) { d.SNMP = &inventory.SNMPSystem{Version: "3", Uptime: up} }))
	}
	runRule(t, RuleUnexpectedReboot, []ruleCase{
		{"uptime fell", func(t *testing.T) Input { return withUptime(t, inventory.TypeSwitch, 20*24*time.Hour, 2*time.Minute) }, 1, inventory.SeverityMedium},
		{"uptime grew", func(t *testing.T) Input {
			return withUptime(t, inventory.TypeSwitch, 20*24*time.Hour, 20*24*time.Hour+5*time.Minute)
		}, 0, ""},
		{"counter wrap at 497 days", func(t *testing.T) Input {
			return withUptime(t, inventory.TypeSwitch, sysUpTimeWrap-time.Minute, 3*time.Minute)
		}, 0, ""},
		{"workstations reboot", func(t *testing.T) Input {
			return withUptime(t, inventory.TypeWorkstation, 20*24*time.Hour, 2*time.Minute)
		}, 0, ""},
		{"stored uptime says it booted 2 days ago", func(t *testing.T) Input { return stored(t, 48*time.Hour) }, 1, inventory.SeverityMedium},
		{"booted 10 days ago: old news", func(t *testing.T) Input { return stored(t, 10*24*time.Hour) }, 0, ""},
		{"booted before tend first saw it", func(t *testing.T) Input { return stored(t, 40*24*time.Hour) }, 0, ""},
	})
}

func TestInfrastructureQuiet(t *testing.T) {
	runRule(t, RuleInfrastructureQuiet, []ruleCase{
		{"switch silent for an hour", func(t *testing.T) Input {
			return snap(dev(t, 1, inventory.TypeSwitch, func(d *inventory.Device) { d.LastSeen = now.Add(-time.Hour) }))
		}, 1, inventory.SeverityHigh},
		{"switch seen recently", func(t *testing.T) Input {
			return snap(dev(t, 1, inventory.TypeSwitch, func(d *inventory.Device) { d.LastSeen = now.Add(-5 * time.Minute) }))
		}, 0, ""},
		{"laptop gone home", func(t *testing.T) Input {
			return snap(dev(t, 1, inventory.TypeWorkstation, func(d *inventory.Device) { d.LastSeen = now.Add(-24 * time.Hour) }))
		}, 0, ""},
	})
}

func TestBackupTargetIdle(t *testing.T) {
	target := func(t *testing.T, bytes uint64, ok bool) Input {
		in := snap(dev(t, 1, inventory.TypeNAS, func(d *inventory.Device) { d.Role = RoleBackupTarget }))
		in.BulkBytes = func(m inventory.MAC, since, until time.Time) (uint64, bool) {
			if until.Sub(since) != 48*time.Hour {
				t.Errorf("window %s, want 48h", until.Sub(since))
			}
			return bytes, ok
		}
		return in
	}
	runRule(t, RuleBackupTargetIdle, []ruleCase{
		{"nothing in 48h", func(t *testing.T) Input { return target(t, 12<<10, true) }, 1, inventory.SeverityHigh},
		{"nightly backups", func(t *testing.T) Input { return target(t, 40<<30, true) }, 0, ""},
		{"no statistics", func(t *testing.T) Input { return target(t, 0, false) }, 0, ""},
		{"not a backup target", func(t *testing.T) Input {
			in := target(t, 0, true)
			in.Snapshot.Devices[0].Role = ""
			return in
		}, 0, ""},
	})
}

func TestRulesHaveUniqueNamesAndCategories(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range Rules() {
		if seen[r.Name] || r.Category == "" || r.Check == nil {
			t.Errorf("rule %q duplicated or incomplete", r.Name)
		}
		seen[r.Name] = true
	}
	if len(seen) < 20 {
		t.Errorf("%d rules, want at least 20", len(seen))
	}
}

func TestEvaluateIsStableAndSorted(t *testing.T) {
	in := snap(
		dev(t, 1, inventory.TypeUPS, func(d *inventory.Device) { d.Health = &inventory.Health{Battery: &inventory.Battery{OnBattery: true}} }),
		dev(t, 2, inventory.TypeUnknown, nil),
		dev(t, 3, inventory.TypeSwitch, func(d *inventory.Device) { d.Lifecycle = lc(inventory.StatusEOL) }),
	)
	a, b := Evaluate(in), Evaluate(in)
	if len(a) != 3 {
		t.Fatalf("%d findings, want 3: %+v", len(a), a)
	}
	for i := range a {
		if a[i].ID != b[i].ID {
			t.Errorf("finding %d: id %s then %s", i, a[i].ID, b[i].ID)
		}
	}
	if !slices.IsSortedFunc(a, func(x, y inventory.Finding) int { return y.Severity.Rank() - x.Severity.Rank() }) {
		t.Errorf("not most severe first: %v %v %v", a[0].Severity, a[1].Severity, a[2].Severity)
	}
	if id := ID(RuleUPSOnBattery, "00:11:32:00:00:01"); !strings.HasPrefix(id, RuleUPSOnBattery+"-") || len(id) != len(RuleUPSOnBattery)+13 {
		t.Errorf("ID = %q", id)
	}
	if ID("a", "b") == ID("a", "c") || ID("a", "b") == ID("b", "b") {
		t.Error("IDs collide across devices or rules")
	}
}

// TestRatesUseEachDevicesOwnSamples: a poller that samples every 5 minutes
// read by an evaluation every minute must not be taken for a 1-minute rate.
func TestRatesUseEachDevicesOwnSamples(t *testing.T) {
	const gig = 1_000_000_000
	before := inventory.Interface{Index: 1, Name: "uplink", SpeedBps: gig, OperUp: true}
	after := before
	after.OutOctets = uint64(0.5 * gig / 8 * 300) // 50% over 5 minutes: 250% if read as one minute
	d0 := healthDev(t, inventory.TypeSwitch, inventory.Health{Interfaces: []inventory.Interface{before}})
	d0.LastSeen = now.Add(-5 * time.Minute)
	d1 := healthDev(t, inventory.TypeSwitch, inventory.Health{Interfaces: []inventory.Interface{after}})
	in := snap(d1)
	in.Previous = &inventory.Snapshot{Time: now.Add(-time.Minute), Devices: []inventory.Device{d0}}
	if got := fired(in, RulePortNearCapacity); len(got) != 0 {
		t.Errorf("50%% load over 5 minutes raised %+v", got)
	}
	after.OutOctets = uint64(0.9 * gig / 8 * 300)
	in.Snapshot.Devices[0].Health.Interfaces[0] = after
	if got := fired(in, RulePortNearCapacity); len(got) != 1 || !strings.Contains(got[0].Evidence[0].Detail, "90%") {
		t.Errorf("90%% load over 5 minutes: %+v", got)
	}
}

// TestEveryAttackEventBecomesAnAction keeps detectors and rules in step: an
// event type a detector raises at medium or above must turn into an action,
// or an engineer never hears of it. The exceptions are changes the inventory
// shows (new device, new address, a device gone), traffic spikes (at most
// medium, an anomaly on the events page and chart) and insecure_protocol,
// whose rules need the protocol named (tested with those rules).
func TestEveryAttackEventBecomesAnAction(t *testing.T) {
	shownElsewhere := []inventory.EventType{inventory.EventNewDevice, inventory.EventIPChanged,
		inventory.EventDeviceGone, inventory.EventTrafficSpike, inventory.EventInsecureProtocol}
	for _, typ := range inventory.EventTypes {
		if slices.Contains(shownElsewhere, typ) {
			continue
		}
		e := event(t, typ, time.Hour, macA, macB, "staged")
		e.Severity = inventory.SeverityHigh
		in := withEvents(e)
		in.Snapshot.Time = now
		if len(Evaluate(in)) == 0 {
			t.Errorf("a %s event at high severity raises no action", typ)
		}
	}
}

// TestTFTPService: the traffic sensor's tftp events are no clear-text
// login (TFTP has none) but their own finding, one per server, as severe
// as the server's events: Low for PXE boot reads, Medium with a write
// (checked: fails without tftpService, tftp under cleartext_logins).
func TestTFTPService(t *testing.T) {
	tftp := func(t *testing.T, sev inventory.Severity, op string) inventory.Event {
		e := event(t, inventory.EventInsecureProtocol, time.Hour, macA, "", "tftp on 10.0.0.1 (00:11:32:00:00:0a) (server, port 69): 3 files "+op+" by 20 clients")
		e.Severity = sev
		return e
	}
	runRule(t, RuleTFTPService, []ruleCase{
		{"pxe reads", func(t *testing.T) Input { return withEvents(tftp(t, inventory.SeverityLow, "read")) }, 1, inventory.SeverityLow},
		{"pxe reads and a write", func(t *testing.T) Input {
			return withEvents(tftp(t, inventory.SeverityLow, "read"), tftp(t, inventory.SeverityMedium, "write"))
		}, 1, inventory.SeverityMedium},
		{"ftp", func(t *testing.T) Input {
			return withEvents(event(t, inventory.EventInsecureProtocol, time.Hour, macA, macB, "ftp between a and b"))
		}, 0, ""},
	})
	in := withEvents(tftp(t, inventory.SeverityLow, "read"))
	if f := fired(in, RuleCleartextLogins); len(f) != 0 {
		t.Errorf("tftp raised cleartext_logins: %+v", f)
	}
	f := fired(in, RuleTFTPService)
	if len(f) != 1 || f[0].Device != macA || !strings.Contains(f[0].Action, "read-only") {
		t.Errorf("finding %+v, want one on %s advising a read-only server", f, macA)
	}
}

// TestUnknownSender: an event naming neither a MAC nor an address (forged
// DNS answers under the resolver's own MAC: bettercap dns.spoof alone)
// is a finding about an "unknown sender" device, not an empty one.
func TestUnknownSender(t *testing.T) {
	e := event(t, inventory.EventNamePoisoning, time.Hour, "", macB, "two different DNS answers to one query of 10.88.8.10 under the resolver 10.88.8.1's address and MAC, from two IP stacks")
	f := fired(withEvents(e), RuleNamePoisoning)
	if len(f) != 1 || f[0].Device != UnknownSender || !strings.HasSuffix(f[0].Title, ": unknown sender") {
		t.Fatalf("got %+v", f)
	}
}

// TestADAttackKerberoasting: an ad_attack that is kerberoasting keeps the
// event's High; DCSync's Critical event makes the finding Critical.
func TestADAttackKerberoasting(t *testing.T) {
	kr := event(t, inventory.EventADAttack, time.Hour, macA, "", "10.0.0.66 asked the KDC 10.0.0.40 for service tickets with RC4 first (kerberoasting): MSSQLSvc/sql1")
	kr.Severity = inventory.SeverityHigh
	if f := fired(withEvents(kr), RuleADAttack); len(f) != 1 || f[0].Severity != inventory.SeverityHigh || !strings.Contains(f[0].Action, "4769") {
		t.Errorf("kerberoasting: %+v, want one High finding", f)
	}
	dc := event(t, inventory.EventADAttack, time.Hour, macA, "", "DCSync")
	dc.Severity = inventory.SeverityCritical
	if f := fired(withEvents(kr, dc), RuleADAttack); len(f) != 1 || f[0].Severity != inventory.SeverityCritical {
		t.Errorf("kerberoasting and DCSync: %+v, want one Critical finding", f)
	}
}

// TestLateralMovementRedis: a Redis abuse event (traffic/redis.go) is
// lateral_movement's finding, whose title and advice name Redis too.
func TestLateralMovementRedis(t *testing.T) {
	e := event(t, inventory.EventLateralMovement, time.Hour, macA, macB, "10.41.1.66 (b8:27:eb:00:00:66) abused the Redis server 10.41.1.30: it moved where it saves its database (CONFIG SET dir or dbfilename)")
	e.Severity = inventory.SeverityHigh
	var got []inventory.Finding
	for _, f := range Evaluate(withEvents(e)) {
		if f.Rule == RuleLateralMovement {
			got = append(got, f)
		}
	}
	if len(got) != 1 || !strings.Contains(got[0].Title, "Redis server taken over") || !strings.Contains(got[0].Action, "requirepass") || got[0].Severity != inventory.SeverityHigh {
		t.Fatalf("%+v", got)
	}
}
