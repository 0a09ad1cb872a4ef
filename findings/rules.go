package findings

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"tend/inventory"
)

// Rule names: stable, snake_case, part of every finding's ID and JSON.
const (
	RuleFirmwareBehind       = "firmware_behind"
	RuleFirmwareEOL          = "firmware_eol"
	RuleFirmwareSecurityOnly = "firmware_security_only"
	RuleHardwareEOL          = "hardware_eol"
	RuleReplacementAge       = "replacement_age"
	RuleSNMPDefaultCommunity = "snmp_default_community"
	RuleSNMPNoV3             = "snmp_v1v2c_only"
	RuleInsecureManagement   = "insecure_management"
	RuleSMBv1                = "smbv1"
	RuleCleartextLogins      = "cleartext_logins"
	RuleUnknownDevice        = "unknown_device"
	RuleRogueDHCP            = "rogue_dhcp"
	RuleARPSpoof             = "arp_spoof"
	RuleGatewayChanged       = "gateway_changed"
	RuleDuplicateIP          = "duplicate_ip"
	RuleNDSpoof              = "nd_spoof"
	RuleRogueRA              = "rogue_ra"
	RuleNamePoisoning        = "name_poisoning"
	RuleDHCPStarvation       = "dhcp_starvation"
	RuleFlood                = "flood"
	RuleScan                 = "scan"
	RulePrinterSupplyLow     = "printer_supply_low"
	RuleUPSBatteryReplace    = "ups_battery_replace"
	RuleUPSOnBattery         = "ups_on_battery"
	RuleNASDegraded          = "nas_degraded"
	RuleDiskSpaceLow         = "disk_space_low"
	RuleInterfaceErrors      = "interface_errors_rising"
	RulePortNearCapacity     = "port_near_capacity"
	RuleLongUptime           = "long_uptime"
	RuleUnexpectedReboot     = "unexpected_reboot"
	RuleInfrastructureQuiet  = "infrastructure_quiet"
	RuleBackupTargetIdle     = "backup_target_idle"
)

// RoleBackupTarget is the role a person gives a device that receives
// backups (a NAS, a backup server), so tend checks backups actually arrive.
const RoleBackupTarget = "backup_target"

var allRules = []Rule{
	{RuleFirmwareBehind, CategoryLifecycle, firmwareBehind},
	{RuleFirmwareEOL, CategoryLifecycle, firmwareEOL},
	{RuleFirmwareSecurityOnly, CategoryLifecycle, firmwareSecurityOnly},
	{RuleHardwareEOL, CategoryLifecycle, hardwareEOL},
	{RuleKnownVulnerabilities, CategorySecurity, knownVulnerabilities},
	{RuleReplacementAge, CategoryLifecycle, replacementAge},
	{RuleSNMPDefaultCommunity, CategorySecurity, snmpDefaultCommunity},
	{RuleSNMPNoV3, CategorySecurity, snmpNoV3},
	{RuleInsecureManagement, CategorySecurity, insecureManagement},
	{RuleSMBv1, CategorySecurity, smbv1},
	{RuleCleartextLogins, CategorySecurity, cleartextLogins},
	{RuleUnknownDevice, CategoryInventory, unknownDevice},
	{RuleRogueDHCP, CategorySecurity, eventRule(inventory.EventRogueDHCP, inventory.SeverityCritical,
		"Rogue DHCP server", "Find the device by its MAC on the switch port table and unplug or disable its DHCP service; clients that took its leases need renewing.")},
	{RuleARPSpoof, CategorySecurity, eventRule(inventory.EventARPSpoof, inventory.SeverityCritical,
		"ARP spoofing", "Someone claims another device's address (a man-in-the-middle attack or a misconfigured device): locate it by MAC, disconnect it and check the victim's traffic; consider Dynamic ARP Inspection on the switches.")},
	{RuleGatewayChanged, CategorySecurity, eventRule(inventory.EventGatewayChanged, inventory.SeverityHigh,
		"Default gateway changed", "Confirm the router was replaced on purpose; if not, treat it as an intruder redirecting traffic.")},
	{RuleDuplicateIP, CategoryAvailability, eventRule(inventory.EventDuplicateIP, inventory.SeverityMedium,
		"Duplicate IP address", "Two devices use one address: give the static one an address outside the DHCP pool or a reservation.")},
	{RuleNDSpoof, CategorySecurity, eventRule(inventory.EventNDSpoof, inventory.SeverityCritical,
		"IPv6 neighbour spoofing", "A host answers IPv6 neighbour solicitations for another device's address (man-in-the-middle): locate it by MAC and disconnect it; consider RA Guard and ND inspection on the switches.")},
	{RuleRogueRA, CategorySecurity, eventRule(inventory.EventRogueRA, inventory.SeverityCritical,
		"Rogue IPv6 router", "A host that is not the router advertises itself as an IPv6 router, so clients may send their traffic through it: locate it by MAC, disable its router advertisements or disconnect it; enable RA Guard on the access switches.")},
	{RuleNamePoisoning, CategorySecurity, eventRule(inventory.EventNamePoisoning, inventory.SeverityCritical,
		"Name-resolution poisoning", "A host answers LLMNR, NBT-NS or mDNS queries for names it does not own, the way credential-stealing tools (Responder) do: disconnect it, reset passwords used from the clients it answered, and disable LLMNR and NetBIOS over TCP/IP by group policy.")},
	{RuleDHCPStarvation, CategorySecurity, eventRule(inventory.EventDHCPStarvation, inventory.SeverityHigh,
		"DHCP starvation", "A host requests leases for many invented hardware addresses to exhaust the pool (often before a rogue DHCP server): disconnect it, clear the bogus leases and enable port security or DHCP snooping limits on the switches.")},
	{RuleFlood, CategoryAvailability, eventRule(inventory.EventFlood, inventory.SeverityHigh,
		"Traffic flood", "A host floods another with packets at a rate no office client produces (a denial of service or a broken device): find the source by MAC, disconnect it and check the target is answering again.")},
	{RuleScan, CategorySecurity, scans},
	{RulePrinterSupplyLow, CategoryHealth, printerSupplyLow},
	{RuleUPSBatteryReplace, CategoryHealth, upsBatteryReplace},
	{RuleUPSOnBattery, CategoryAvailability, upsOnBattery},
	{RuleNASDegraded, CategoryHealth, nasDegraded},
	{RuleDiskSpaceLow, CategoryHealth, diskSpaceLow},
	{RuleInterfaceErrors, CategoryHealth, interfaceErrors},
	{RulePortNearCapacity, CategoryAvailability, portNearCapacity},
	{RuleLongUptime, CategoryLifecycle, longUptime},
	{RuleUnexpectedReboot, CategoryAvailability, unexpectedReboot},
	{RuleInfrastructureQuiet, CategoryAvailability, infrastructureQuiet},
	{RuleBackupTargetIdle, CategoryAvailability, backupTargetIdle},
	{RuleHygieneProtectionGap, CategorySecurity, protectionGap.check},
	{RuleHygieneUpdateGap, CategorySecurity, updateGap.check},
	{RuleHygieneBackupGap, CategoryAvailability, backupGap.check},
	{RuleRemoteAccessTool, CategorySecurity, remoteAccessTools},
}

// infrastructure is gear the whole site depends on; it is held to a higher
// standard (SNMPv3, monitored uptime, never silent).
func infrastructure(t inventory.DeviceType) bool {
	switch t {
	case inventory.TypeRouter, inventory.TypeSwitch, inventory.TypeFirewall, inventory.TypeAP,
		inventory.TypeNAS, inventory.TypeUPS, inventory.TypeServer, inventory.TypeHypervisor:
		return true
	}
	return false
}

// each calls fn for every device, collecting what it returns.
func (x *input) each(fn func(d *inventory.Device) *inventory.Finding) []inventory.Finding {
	var out []inventory.Finding
	for i := range x.Snapshot.Devices {
		d := &x.Snapshot.Devices[i]
		if f := fn(d); f != nil {
			if f.Device == "" {
				f.Device = d.MAC.String()
			}
			out = append(out, *f)
		}
	}
	return out
}

func ev(source, format string, a ...any) inventory.Evidence {
	return inventory.Evidence{Source: source, Detail: fmt.Sprintf(format, a...)}
}

func identity(d *inventory.Device) string {
	s := strings.TrimSpace(d.Make + " " + d.Model)
	if s == "" {
		s = string(cmp.Or(d.Type, inventory.TypeUnknown))
	}
	return fmt.Sprintf("%s (%s)", d.Name(), s)
}

// Lifecycle rules read the verdict the wiring put on each device.

func firmwareBehind(x *input) []inventory.Finding {
	return x.each(func(d *inventory.Device) *inventory.Finding {
		l := d.Lifecycle
		if l == nil || l.Status != inventory.StatusBehind {
			return nil
		}
		sev := inventory.SeverityLow
		if infrastructure(d.Type) || l.Behind >= 3 {
			sev = inventory.SeverityMedium
		}
		e := append([]inventory.Evidence{ev("firmware", "running %s", cmp.Or(d.Firmware, d.OS, "?"))}, l.Evidence...)
		if l.Latest != "" {
			e = append(e, ev("catalog", "latest in the %s %s cycle: %s (%d releases behind)", l.Product, l.Cycle, l.Latest, l.Behind))
		}
		return &inventory.Finding{Severity: sev, Title: "Firmware update available on " + identity(d), Evidence: e,
			Action: fmt.Sprintf("Schedule an update to %s in the next maintenance window; read the release notes for security fixes.", cmp.Or(l.Latest, "the latest release of the cycle"))}
	})
}

func firmwareEOL(x *input) []inventory.Finding {
	return x.each(func(d *inventory.Device) *inventory.Finding {
		l := d.Lifecycle
		if l == nil || l.Status != inventory.StatusEOL {
			return nil
		}
		sev := inventory.SeverityMedium
		if infrastructure(d.Type) {
			sev = inventory.SeverityHigh
		}
		e := append([]inventory.Evidence{ev("firmware", "running %s %s", l.Product, cmp.Or(d.Firmware, d.OS, l.Cycle))}, l.Evidence...)
		if l.EOL != nil {
			e = append(e, ev("catalog", "security support ended %s", l.EOL.Format(time.DateOnly)))
		}
		return &inventory.Finding{Severity: sev, Title: "Firmware/OS out of security support on " + identity(d), Evidence: e,
			Action: "Upgrade to a supported release; if the hardware cannot run one, budget its replacement and isolate it meanwhile."}
	})
}

func firmwareSecurityOnly(x *input) []inventory.Finding {
	return x.each(func(d *inventory.Device) *inventory.Finding {
		l := d.Lifecycle
		if l == nil || l.Status != inventory.StatusSecurityOnly {
			return nil
		}
		e := slices.Clone(l.Evidence)
		if l.EOL != nil {
			e = append(e, ev("catalog", "security fixes end %s", l.EOL.Format(time.DateOnly)))
		}
		return &inventory.Finding{Severity: inventory.SeverityLow, Title: "Firmware/OS in security-only support on " + identity(d), Evidence: e,
			Action: "Plan the move to a release in active support before security fixes end."}
	})
}

func hardwareEOL(x *input) []inventory.Finding {
	return x.each(func(d *inventory.Device) *inventory.Finding {
		v, ok := x.Hardware[d.MAC.String()]
		if !ok || (v.Status != inventory.StatusEOL && v.Status != inventory.StatusSecurityOnly) {
			return nil
		}
		sev, title := inventory.SeverityHigh, "Hardware out of vendor support: "
		if v.Status == inventory.StatusSecurityOnly {
			sev, title = inventory.SeverityMedium, "Hardware past end of software maintenance: "
		}
		e := slices.Clone(v.Evidence)
		if v.EOL != nil {
			e = append(e, ev("catalog", "end of support %s", v.EOL.Format(time.DateOnly)))
		}
		return &inventory.Finding{Severity: sev, Title: title + identity(d), Evidence: e,
			Action: "Budget a replacement with the client at the next review; no more security fixes will come for this model."}
	})
}

// replacementYears is how long equipment usually serves before providers
// replace it: the common 3-5-7 rule (workstations 5, infrastructure 7,
// UPS 5 with batteries every 3-5).
func replacementYears(t inventory.DeviceType) float64 {
	switch t {
	case inventory.TypeRouter, inventory.TypeSwitch, inventory.TypeFirewall, inventory.TypeAP, inventory.TypeNAS:
		return 7
	case inventory.TypeServer, inventory.TypeHypervisor, inventory.TypePrinter:
		return 6
	case inventory.TypeUnknown, "":
		return 0 // no basis to judge
	}
	return 5
}

func replacementAge(x *input) []inventory.Finding {
	return x.each(func(d *inventory.Device) *inventory.Finding {
		limit := replacementYears(d.Type)
		if limit == 0 {
			return nil
		}
		var age float64
		var e []inventory.Evidence
		switch {
		case d.PurchaseDate != nil:
			age = x.now.Sub(*d.PurchaseDate).Hours() / (24 * 365.25)
			e = append(e, ev("purchase_date", "bought %s (entered by a person)", d.PurchaseDate.Format(time.DateOnly)))
		case d.Age != nil:
			age = d.Age.MinYears // the conservative end of the band
			e = append(e, ev("age", "estimated %.1f-%.1f years old", d.Age.MinYears, d.Age.MaxYears))
			e = append(e, d.Age.Evidence...)
		default:
			return nil
		}
		if age < limit {
			return nil
		}
		e = append(e, ev("policy", "%s gear is usually replaced after %.0f years", cmp.Or(d.Type, inventory.TypeUnknown), limit))
		return &inventory.Finding{Severity: inventory.SeverityLow, Title: fmt.Sprintf("%s is past its replacement age (%.0f years)", identity(d), math.Floor(age)), Evidence: e,
			Action: "Add it to the client's replacement budget for the coming year."}
	})
}

// SNMP rules.

func snmpDefaultCommunity(x *input) []inventory.Finding {
	// The poller's word (the agent answered public/private) and the
	// traffic sensor's (a default community seen on the wire) both count.
	keys, groups := x.groupEvents(isProto("snmp"), server)
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

// Event rules. Events older than the window are history, not findings.

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
	groups = map[string][]*inventory.Event{}
	since := x.now.Add(-x.cfg.EventWindow)
	for i := range x.Snapshot.Events {
		e := &x.Snapshot.Events[i]
		if e.Time.Before(since) || e.Time.After(x.now.Add(time.Minute)) || !match(e) {
			continue
		}
		k := key(e)
		if _, ok := groups[k]; !ok {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], e)
	}
	slices.Sort(keys)
	for _, k := range keys {
		slices.SortStableFunc(groups[k], func(a, b *inventory.Event) int { return a.Time.Compare(b.Time) })
	}
	return keys, groups
}

func culprit(e *inventory.Event) string { return eventKey(e.MAC, e.IP, e.IP.IsValid()) }

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

func scans(x *input) []inventory.Finding {
	keys, groups := x.groupEvents(func(e *inventory.Event) bool {
		return e.Type == inventory.EventPortScan || e.Type == inventory.EventHostSweep
	}, culprit)
	var out []inventory.Finding
	for _, k := range keys {
		es := groups[k]
		sev := inventory.SeverityHigh
		if d, ok := x.devices[k]; ok && d.Role == "scanner" {
			sev = inventory.SeverityInfo // a person said this device scans on purpose
		}
		out = append(out, inventory.Finding{Severity: sev, Device: k, Title: "Network scanning from " + x.who(k),
			Evidence: eventEvidence(es),
			Action:   "Find out who runs the scans; if it is not a sanctioned tool, isolate the device and check it for malware. Set its role to \"scanner\" if it is expected."})
	}
	return out
}

// insecureProtocols are the protocol names the traffic sensor puts first
// in an insecure_protocol event's summary ("telnet between …").
var insecureProtocols = []string{"telnet", "http-basic", "http", "smbv1", "smb1", "snmp", "ftp", "pop3", "imap", "tftp"}

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

func cleartextLogins(x *input) []inventory.Finding {
	keys, groups := x.groupEvents(isProto("ftp", "pop3", "imap", "tftp"), server)
	var out []inventory.Finding
	for _, k := range keys {
		es := groups[k]
		var protos []string
		for _, e := range es {
			if p := protocolOf(e); !slices.Contains(protos, p) {
				protos = append(protos, p)
			}
		}
		slices.Sort(protos)
		out = append(out, inventory.Finding{Severity: inventory.SeverityMedium, Device: k,
			Title:    fmt.Sprintf("Clear-text logins (%s) to %s", strings.Join(protos, ", "), x.who(k)),
			Evidence: eventEvidence(es),
			Action:   "Move the service to its TLS variant (FTPS/SFTP, POP3S, IMAPS) or retire it; change the passwords that crossed the LAN."})
	}
	return out
}

func insecureManagement(x *input) []inventory.Finding {
	keys, groups := x.groupEvents(isProto("telnet", "http", "http-basic"), server)
	var out []inventory.Finding
	for _, k := range keys {
		es := groups[k]
		var protos []string
		for _, e := range es {
			if p := protocolOf(e); !slices.Contains(protos, p) {
				protos = append(protos, p)
			}
		}
		slices.Sort(protos)
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

func unknownDevice(x *input) []inventory.Finding {
	return x.each(func(d *inventory.Device) *inventory.Finding {
		// Randomised MACs are phones and laptops with privacy addresses:
		// they change address per network and day, so a label would not
		// stick; triage is for the gear that stays.
		if (d.Type != "" && d.Type != inventory.TypeUnknown) || d.Label != "" || d.Role != "" || d.RandomMAC {
			return nil
		}
		if d.FirstSeen.IsZero() || x.now.Sub(d.FirstSeen) < x.cfg.TriageAfter {
			return nil
		}
		e := []inventory.Evidence{ev("inventory", "first seen %s, type unknown, no label", d.FirstSeen.UTC().Format(time.DateTime))}
		if d.Vendor != "" {
			e = append(e, ev("mac_registry", "MAC %s belongs to %s", d.MAC, d.Vendor))
		}
		return &inventory.Finding{Severity: inventory.SeverityInfo, Title: "Unknown device awaiting triage: " + d.Name(), Evidence: e,
			Action: "Identify it (switch port, vendor, hostname) and give it a label, or remove it from the network."}
	})
}

// Health rules read what devices' agents report.

func printerSupplyLow(x *input) []inventory.Finding {
	return x.each(func(d *inventory.Device) *inventory.Finding {
		if d.Health == nil {
			return nil
		}
		var e []inventory.Evidence
		sev := inventory.SeverityLow
		for _, s := range d.Health.Supplies {
			if s.Percent < 0 || s.Percent > x.cfg.SupplyLowPercent || s.Kind == "waste" {
				continue
			}
			e = append(e, ev("printer_mib", "%s (%s) at %.0f%%", s.Name, s.Kind, s.Percent))
			if s.Percent <= 2 {
				sev = inventory.SeverityMedium
			}
		}
		if e == nil {
			return nil
		}
		return &inventory.Finding{Severity: sev, Title: "Printer supplies low on " + identity(d), Evidence: e,
			Action: "Order replacements now so the printer does not stop."}
	})
}

func upsBatteryReplace(x *input) []inventory.Finding {
	return x.each(func(d *inventory.Device) *inventory.Finding {
		if d.Health == nil || d.Health.Battery == nil {
			return nil
		}
		b := d.Health.Battery
		if !b.ReplaceNeeded && b.Status != "depleted" {
			return nil
		}
		e := []inventory.Evidence{ev("ups_mib", "battery status %q, replace indicator %t", b.Status, b.ReplaceNeeded)}
		if b.LastReplaced != nil {
			e = append(e, ev("ups_mib", "battery last replaced %s", b.LastReplaced.Format(time.DateOnly)))
		}
		return &inventory.Finding{Severity: inventory.SeverityHigh, Title: "UPS battery needs replacing: " + identity(d), Evidence: e,
			Action: "Order a replacement battery pack; until it is fitted the UPS may not carry the load through a power cut."}
	})
}

func upsOnBattery(x *input) []inventory.Finding {
	return x.each(func(d *inventory.Device) *inventory.Finding {
		if d.Health == nil || d.Health.Battery == nil || !d.Health.Battery.OnBattery {
			return nil
		}
		b := d.Health.Battery
		e := []inventory.Evidence{ev("ups_mib", "on battery: charge %d%%, %d minutes of runtime left", b.ChargePercent, b.RuntimeMinutes)}
		return &inventory.Finding{Severity: inventory.SeverityCritical, Title: "UPS running on battery: " + identity(d), Evidence: e,
			Action: "Mains power is out or the input is failing: check the feed, and shut servers down cleanly before the runtime ends."}
	})
}

func nasDegraded(x *input) []inventory.Finding {
	return x.each(func(d *inventory.Device) *inventory.Finding {
		if d.Health == nil {
			return nil
		}
		var e []inventory.Evidence
		sev := inventory.SeverityMedium
		for _, v := range d.Health.Volumes {
			switch v.Status {
			case "degraded":
				sev = worse(sev, inventory.SeverityHigh)
				e = append(e, ev("nas_mib", "volume %s is degraded", v.Name))
			case "failed":
				sev = inventory.SeverityCritical
				e = append(e, ev("nas_mib", "volume %s has failed", v.Name))
			}
		}
		for _, k := range d.Health.Disks {
			switch k.Status {
			case "warning":
				e = append(e, ev("nas_mib", "disk %s %s (serial %s) reports a warning", k.Name, k.Model, k.Serial))
			case "failed":
				sev = worse(sev, inventory.SeverityHigh)
				e = append(e, ev("nas_mib", "disk %s %s (serial %s) has failed", k.Name, k.Model, k.Serial))
			}
		}
		if e == nil {
			return nil
		}
		return &inventory.Finding{Severity: sev, Title: "Storage degraded on " + identity(d), Evidence: e,
			Action: "Replace the failing disk and let the array rebuild; check the last backup is good before the rebuild starts."}
	})
}

// worse returns the more severe of a and b.
func worse(a, b inventory.Severity) inventory.Severity {
	if b.Rank() > a.Rank() {
		return b
	}
	return a
}

// memoryStorage tells RAM, swap and caches in hrStorage from filesystems.
func memoryStorage(name string) bool {
	n := strings.ToLower(name)
	return strings.Contains(n, "memory") || strings.Contains(n, "swap") || strings.Contains(n, "ram")
}

func diskSpaceLow(x *input) []inventory.Finding {
	return x.each(func(d *inventory.Device) *inventory.Finding {
		if d.Health == nil {
			return nil
		}
		var e []inventory.Evidence
		sev := inventory.SeverityMedium
		for _, s := range d.Health.Storage {
			if s.SizeBytes == 0 || memoryStorage(s.Name) {
				continue
			}
			pct := 100 * float64(s.UsedBytes) / float64(s.SizeBytes)
			if pct < x.cfg.DiskFullPercent {
				continue
			}
			if pct >= 97 {
				sev = inventory.SeverityHigh
			}
			e = append(e, ev("host_resources", "%s %.0f%% full (%s free of %s)", s.Name, pct, bytesHuman(s.SizeBytes-min(s.UsedBytes, s.SizeBytes)), bytesHuman(s.SizeBytes)))
		}
		if e == nil {
			return nil
		}
		return &inventory.Finding{Severity: sev, Title: "Disk space low on " + identity(d), Evidence: e,
			Action: "Free space (old backups, logs, snapshots) or grow the volume before writes start failing."}
	})
}

func bytesHuman(b uint64) string {
	const unit = 1024
	if b < unit {
		return fmt.Sprintf("%d B", b)
	}
	div, exp := uint64(unit), 0
	for n := b / unit; n >= unit; n /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(b)/float64(div), "KMGTPE"[exp])
}

// Rules over change between the previous snapshot and this one.

// elapsed is the time between the snapshots, 0 without a usable previous.
func (x *input) elapsed() time.Duration {
	if x.Previous == nil || !x.Previous.Time.Before(x.now) {
		return 0
	}
	return x.now.Sub(x.Previous.Time)
}

// elapsedFor is the time between device d's previous sample p and now:
// the difference of their last sightings when both are known (sensors
// sample at their own pace, not the evaluation's), else the time between
// the snapshots; 0 when there is no previous sample.
func (x *input) elapsedFor(d, p *inventory.Device) time.Duration {
	if p == nil {
		return 0
	}
	if !p.LastSeen.IsZero() && d.LastSeen.After(p.LastSeen) {
		return d.LastSeen.Sub(p.LastSeen)
	}
	return x.elapsed()
}

func prevInterface(p *inventory.Device, idx int) *inventory.Interface {
	if p == nil || p.Health == nil {
		return nil
	}
	for i := range p.Health.Interfaces {
		if p.Health.Interfaces[i].Index == idx {
			return &p.Health.Interfaces[i]
		}
	}
	return nil
}

// delta is b-a, 0 when the counter went backwards (a reboot or a wrap).
func delta(a, b uint64) uint64 {
	if b < a {
		return 0
	}
	return b - a
}

func interfaceErrors(x *input) []inventory.Finding {
	return x.each(func(d *inventory.Device) *inventory.Finding {
		pd := x.prev[d.MAC.String()]
		el := x.elapsedFor(d, pd)
		if d.Health == nil || el == 0 {
			return nil
		}
		var e []inventory.Evidence
		for _, ifc := range d.Health.Interfaces {
			p := prevInterface(pd, ifc.Index)
			if p == nil {
				continue
			}
			n := delta(p.InErrors, ifc.InErrors) + delta(p.OutErrors, ifc.OutErrors)
			if n < x.cfg.InterfaceErrors {
				continue
			}
			e = append(e, ev("if_mib", "%s: %d new errors in %s (in %d→%d, out %d→%d)", cmp.Or(ifc.Name, fmt.Sprint(ifc.Index)),
				n, el.Round(time.Second), p.InErrors, ifc.InErrors, p.OutErrors, ifc.OutErrors))
		}
		if e == nil {
			return nil
		}
		return &inventory.Finding{Severity: inventory.SeverityMedium, Title: "Interface errors rising on " + identity(d), Evidence: e,
			Action: "Errors that keep rising mean a failing cable, patch lead, transceiver or port, or a duplex mismatch: reseat or replace the cable, then move the port."}
	})
}

func portNearCapacity(x *input) []inventory.Finding {
	return x.each(func(d *inventory.Device) *inventory.Finding {
		pd := x.prev[d.MAC.String()]
		el := x.elapsedFor(d, pd)
		if d.Health == nil || el < time.Minute { // shorter windows measure bursts, not load
			return nil
		}
		var e []inventory.Evidence
		for _, ifc := range d.Health.Interfaces {
			p := prevInterface(pd, ifc.Index)
			if p == nil || ifc.SpeedBps == 0 || !ifc.OperUp {
				continue
			}
			in := float64(delta(p.InOctets, ifc.InOctets)) * 8 / el.Seconds()
			out := float64(delta(p.OutOctets, ifc.OutOctets)) * 8 / el.Seconds()
			pct := 100 * math.Max(in, out) / float64(ifc.SpeedBps)
			if pct < x.cfg.CapacityPercent || pct > 110 { // beyond line rate: a counter glitch
				continue
			}
			e = append(e, ev("if_mib", "%s at %.0f%% of %s over %s (in %.1f Mbit/s, out %.1f Mbit/s)", cmp.Or(ifc.Name, fmt.Sprint(ifc.Index)),
				pct, rate(ifc.SpeedBps), el.Round(time.Second), in/1e6, out/1e6))
		}
		if e == nil {
			return nil
		}
		return &inventory.Finding{Severity: inventory.SeverityMedium, Title: "Link near capacity on " + identity(d), Evidence: e,
			Action: "Find the heavy talker on the traffic page; if the load is legitimate, upgrade the link or add an aggregated one."}
	})
}

func rate(bps uint64) string {
	switch {
	case bps >= 1e9:
		return fmt.Sprintf("%g Gbit/s", float64(bps)/1e9)
	case bps >= 1e6:
		return fmt.Sprintf("%g Mbit/s", float64(bps)/1e6)
	}
	return fmt.Sprintf("%d bit/s", bps)
}

func longUptime(x *input) []inventory.Finding {
	return x.each(func(d *inventory.Device) *inventory.Finding {
		if d.SNMP == nil || d.SNMP.Uptime < x.cfg.LongUptime {
			return nil
		}
		days := int(d.SNMP.Uptime / (24 * time.Hour))
		return &inventory.Finding{Severity: inventory.SeverityLow, Title: fmt.Sprintf("%s has run %d days without a reboot", identity(d), days),
			Evidence: []inventory.Evidence{ev("snmp", "sysUpTime %d days", days)},
			Action:   "A device that never reboots is not getting firmware updates: check its version and schedule an update with a reboot."}
	})
}

// sysUpTimeWrap is when sysUpTime, 32-bit hundredths of a second (RFC
// 3418), wraps: after 497 days a drop to near zero is not a reboot.
const sysUpTimeWrap = time.Duration(math.MaxUint32) * 10 * time.Millisecond

// unexpectedReboot raises a finding for infrastructure that restarted in
// the last EventWindow while tend was watching it: its boot time (last
// sighting minus uptime) falls after tend first saw it. A previous reading
// just below the counter's wrap means the drop was a wrap, not a reboot.
func unexpectedReboot(x *input) []inventory.Finding {
	return x.each(func(d *inventory.Device) *inventory.Finding {
		if !infrastructure(d.Type) || d.SNMP == nil || d.SNMP.Uptime <= 0 || d.LastSeen.IsZero() || d.FirstSeen.IsZero() {
			return nil
		}
		boot := d.LastSeen.Add(-d.SNMP.Uptime)
		if !boot.After(d.FirstSeen) || x.now.Sub(boot) > x.cfg.EventWindow {
			return nil
		}
		e := []inventory.Evidence{ev("snmp", "sysUpTime %s at %s: restarted about %s, after tend first saw it on %s",
			d.SNMP.Uptime.Round(time.Minute), d.LastSeen.UTC().Format(time.DateTime), boot.UTC().Format(time.DateTime), d.FirstSeen.UTC().Format(time.DateOnly))}
		if p := x.prev[d.MAC.String()]; p != nil && p.SNMP != nil && p.SNMP.Uptime > d.SNMP.Uptime {
			if p.SNMP.Uptime+x.elapsedFor(d, p) > sysUpTimeWrap-time.Hour {
				return nil // the counter wrapped
			}
			e = append(e, ev("snmp", "uptime fell from %s to %s between two polls", p.SNMP.Uptime.Round(time.Minute), d.SNMP.Uptime.Round(time.Minute)))
		}
		return &inventory.Finding{Severity: inventory.SeverityMedium, Title: "Unexpected reboot of " + identity(d), Evidence: e,
			Action: "If nobody restarted it, check its power (UPS events), logs and temperature; repeated reboots mean failing hardware."}
	})
}

func infrastructureQuiet(x *input) []inventory.Finding {
	return x.each(func(d *inventory.Device) *inventory.Finding {
		if !infrastructure(d.Type) || d.LastSeen.IsZero() || x.now.Sub(d.LastSeen) < x.cfg.QuietAfter {
			return nil
		}
		return &inventory.Finding{Severity: inventory.SeverityHigh, Title: "Infrastructure device gone quiet: " + identity(d),
			// No "N minutes ago" here: evidence that changes every
			// evaluation would rewrite the finding every minute.
			Evidence: []inventory.Evidence{ev("inventory", "last seen %s at %s, silent for more than %s", d.LastSeen.UTC().Format(time.DateTime), d.IP, x.cfg.QuietAfter)},
			Action:   "Check power and the uplink; if it was removed on purpose, delete it from tend."}
	})
}

func backupTargetIdle(x *input) []inventory.Finding {
	if x.BulkBytes == nil {
		return nil
	}
	return x.each(func(d *inventory.Device) *inventory.Finding {
		n, idle := idleBackupTarget(x, d)
		if !idle {
			return nil
		}
		f := &inventory.Finding{Severity: inventory.SeverityHigh, Title: "No backup traffic to " + identity(d),
			Evidence: []inventory.Evidence{ev("traffic", "%s moved in the last %s (expected at least %s)", bytesHuman(n), x.cfg.BackupWindow, bytesHuman(x.cfg.BackupMinBytes)),
				ev("role", "marked as a backup target")},
			Action: "Check the backup jobs: a backup target that receives nothing means backups are not running."}
		if g := backupGap.finding(x, d); g != nil { // its own backup off site stopped too: one finding (hygiene.go)
			f.Evidence = append(append(f.Evidence, ev("traffic", "%s", g.Title)), g.Evidence...)
		}
		return f
	})
}

// idleBackupTarget reports whether d is a backup target that moved less
// than BackupMinBytes in the last BackupWindow, and how much it moved.
func idleBackupTarget(x *input, d *inventory.Device) (uint64, bool) {
	if x.BulkBytes == nil || d.Role != RoleBackupTarget {
		return 0, false
	}
	n, ok := x.BulkBytes(d.MAC, x.now.Add(-x.cfg.BackupWindow), x.now)
	return n, ok && n < x.cfg.BackupMinBytes
}
