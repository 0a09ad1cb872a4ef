package inventory

import (
	"net/netip"
	"reflect"
	"slices"
	"strings"
	"time"
)

// Source names the sensor that saw a device.
type Source string

// Sources used by the sensors.
const (
	SourceARP  Source = "arp"  // active ARP sweep reply
	SourceSNMP Source = "snmp" // answered an SNMP poll
	// Passive sources: frames the box overheard (see discovery.Passive).
	SourceARPPassive Source = "arp_passive" // an ARP request, reply or gratuitous announcement it sent
	SourceDHCP       Source = "dhcp"        // its DHCP client traffic or the server's acknowledgement
	SourceMDNS       Source = "mdns"        // multicast DNS / DNS-SD
	SourceSSDP       Source = "ssdp"        // SSDP / UPnP announcements
	SourceNBNS       Source = "nbns"        // NetBIOS name service
	SourceLLDP       Source = "lldp"        // IEEE 802.1AB
	SourceCDP        Source = "cdp"         // Cisco Discovery Protocol
	SourceWSD        Source = "wsd"         // WS-Discovery
	SourceUbiquiti   Source = "ubiquiti"    // Ubiquiti discovery (UDP 10001)
	SourceND         Source = "nd"          // IPv6 neighbour discovery
	SourceTraffic    Source = "traffic"     // any other frame it sent
)

// DeviceType is the coarse kind of a device, as in design.md.
type DeviceType string

// Device types from design.md's JSON contract.
const (
	TypeUnknown     DeviceType = "unknown"
	TypeRouter      DeviceType = "router"
	TypeSwitch      DeviceType = "switch"
	TypeFirewall    DeviceType = "firewall"
	TypeAP          DeviceType = "ap"
	TypePrinter     DeviceType = "printer"
	TypeNAS         DeviceType = "nas"
	TypeUPS         DeviceType = "ups"
	TypeServer      DeviceType = "server"
	TypeWorkstation DeviceType = "workstation"
	TypePhone       DeviceType = "phone"
	TypeCamera      DeviceType = "camera"
	TypeHypervisor  DeviceType = "hypervisor"
	TypeIoT         DeviceType = "iot"
)

// SNMPSystem is what a device's SNMP agent said about itself (MIB-II system
// group, RFC 3418), kept verbatim as evidence for identity verdicts.
type SNMPSystem struct {
	Version     string        `json:"version"` // "1", "2c" or "3": the one that worked
	SysDescr    string        `json:"sys_descr,omitempty"`
	SysObjectID string        `json:"sys_object_id,omitempty"`
	SysName     string        `json:"sys_name,omitempty"`
	SysContact  string        `json:"sys_contact,omitempty"`
	SysLocation string        `json:"sys_location,omitempty"`
	Uptime      time.Duration `json:"uptime,omitempty"`
	// DefaultCommunity is true when the agent answered a well-known default
	// community ("public", "private"): anyone on the LAN can read it.
	DefaultCommunity bool `json:"default_community,omitempty"`
}

// Observation is one sensor's report about one device at one moment. Empty
// fields mean "not observed", never "observed empty".
type Observation struct {
	Time     time.Time
	Source   Source
	MAC      MAC
	IP       netip.Addr
	Vendor   string // MAC registry organisation, filled by the wiring
	Hostname string
	Type     DeviceType
	// TypeWeight is how much the sensor's evidence for Type weighs (0..1),
	// 0 when the sensor states it outright (a rule for the product).
	TypeWeight float64
	Make       string
	Model      string
	OS         string
	Firmware   string
	Serial     string
	SNMP       *SNMPSystem
	Health     *Health     // replaces the device's health when set
	Port       *SwitchPort // where the device hangs off a switch
	Neighbors  []Neighbor  // replaces the device's neighbours when set
	Evidence   []Evidence  // why the sensor believes the identity fields it set
	// Lifecycle and Age replace the device's verdict and age estimate when
	// set; the lifecycle judge, not a sensor, reports them.
	Lifecycle *Lifecycle
	Age       *Age
	// Vulnerabilities replaces the device's vulnerability verdict when set.
	Vulnerabilities *Vulnerabilities
	// Passive identity (see identity.go); all optional.
	IPv6         netip.Addr // an IPv6 address it uses (IP stays IPv4)
	VLAN         int        // the 802.1Q tag its frame carried, 0 untagged
	DHCPClientID string     // DHCP option 61, hex; survives MAC randomisation
	DHCPVendor   string     // DHCP option 60 vendor class, e.g. "MSFT 5.0"
	DHCPParams   string     // DHCP option 55 parameter request list, "1,3,6,15": an OS fingerprint
	Names        []string   // other names it answers to (mDNS, NBNS, LLDP/CDP system name)
	Services     []string   // services it announces ("_ipp._tcp", "upnp:rootdevice", "wsd:PrintDeviceType")
	Capabilities []string   // what LLDP/CDP say it is: "bridge", "router", "wlan-ap", "phone", …; what SNMP MIBs show (snmpcaps.go)
	ChassisMAC   MAC        // LLDP chassis ID when it is a MAC that differs from the frame's source
	OtherMACs    []MAC      // further MACs of the same device (identity fusion fills it)
	// MergeSuggestions are devices that are probably this one (identity
	// fusion fills it when the evidence is too weak to merge on its own).
	MergeSuggestions []MergeSuggestion
}

// Device is tend's record of one physical thing on the LAN, keyed by MAC.
// The JSON field names are the stable contract in design.md.
type Device struct {
	MAC       MAC          `json:"mac"`
	IP        netip.Addr   `json:"ip"`
	IPs       []netip.Addr `json:"ips"` // every address seen, current first
	Vendor    string       `json:"vendor"`
	RandomMAC bool         `json:"random_mac,omitempty"`
	Hostname  string       `json:"hostname"`
	Type      DeviceType   `json:"type"`
	Make      string       `json:"make"`
	Model     string       `json:"model"`
	OS        string       `json:"os"`
	Firmware  string       `json:"firmware"`
	Serial    string       `json:"serial"`
	FirstSeen time.Time    `json:"first_seen"`
	LastSeen  time.Time    `json:"last_seen"`
	Sources   []Source     `json:"sources"`
	SNMP      *SNMPSystem  `json:"snmp,omitempty"`
	Health    *Health      `json:"health,omitempty"`
	Port      *SwitchPort  `json:"port,omitempty"`
	Neighbors []Neighbor   `json:"neighbors,omitempty"`
	Evidence  []Evidence   `json:"evidence,omitempty"`  // identity evidence, most recent last, bounded
	Lifecycle *Lifecycle   `json:"lifecycle,omitempty"` // firmware/OS verdict, set by the wiring from lifecycle
	Age       *Age         `json:"age,omitempty"`       // equipment age estimate
	// Vulnerabilities is the known-vulnerability verdict, set by the wiring from lifecycle.
	Vulnerabilities *Vulnerabilities `json:"vulnerabilities,omitempty"`
	// Hygiene is what the wire showed of the endpoint's protection,
	// patching, backups and remote access (only hygiene-table matches);
	// written by storage.PutHygiene, never by a sensor's fold.
	Hygiene *Hygiene `json:"hygiene,omitempty"`
	// Set by a person in the UI; sensors never touch them.
	Label        string     `json:"label,omitempty"`
	Role         string     `json:"role,omitempty"` // e.g. "backup_target"
	PurchaseDate *time.Time `json:"purchase_date,omitempty"`
	Profile
}

// Name is the best human label for the device: its label, host name (from
// DHCP, mDNS or NetBIOS), SNMP sysName, another name it answers to (mDNS,
// NetBIOS, LLDP/CDP), model and address, then the address
// alone. Placeholders ("<private>", "localhost", a bare MAC) never name a
// device: many agents and clients report them instead of nothing.
func (d *Device) Name() string {
	switch {
	case d.Label != "":
		return d.Label
	case d.Hostname != "" && !PlaceholderName(d.Hostname):
		return d.Hostname
	case d.SNMP != nil && d.SNMP.SysName != "" && !PlaceholderName(d.SNMP.SysName):
		return d.SNMP.SysName
	case slices.ContainsFunc(d.Names, func(n string) bool { return !PlaceholderName(n) }):
		return d.Names[slices.IndexFunc(d.Names, func(n string) bool { return !PlaceholderName(n) })]
	case d.Model != "" && d.IP.IsValid():
		return d.Model + " (" + d.IP.String() + ")"
	case d.Model != "":
		return d.Model
	case d.IP.IsValid():
		return d.IP.String()
	}
	return d.MAC.String()
}

// PlaceholderName reports whether a reported name names no one device: empty,
// "<private>", "localhost" and its kin, "unknown", or a bare MAC address.
func PlaceholderName(s string) bool {
	s = strings.ToLower(strings.TrimSpace(s))
	switch s {
	case "", "<private>", "private", "localhost", "localhost.localdomain", "unknown", "none", "n/a", "(none)", "not set", "default":
		return true
	}
	// A bare MAC (or EUI-64, or InfiniBand's 20 octets) in any of the forms
	// net.ParseMAC reads, or without separators. Counted by hand: this runs
	// for every host name Merge sees, and a failed ParseMAC allocates its
	// error.
	hex := 0
	for _, r := range s {
		if (r >= '0' && r <= '9') || (r >= 'a' && r <= 'f') {
			hex++
		} else if r != '-' && r != ':' && r != '.' {
			return false
		}
	}
	return hex == 12 || hex == 16 || hex == 40 // 001122334455, 0011.2233.4455, 00:11:…
}

// Merge folds o into d and reports whether anything a person would care about
// changed (last_seen alone does not count, so storage can coalesce writes).
// It is pure: same inputs, same result. A zero d (no MAC yet) takes o's MAC.
// Each group of fields has its own merger; every one of them reports its
// changes, which identity.FoldClassified relies on (classification runs
// again only when Merge or Track reports one).
func Merge(d *Device, o Observation) bool { return MergeFrom(d, &o) }

// MergeFrom is Merge reading o in place, which it leaves as it is: an
// Observation is over half a kilobyte, and storage's fold, which merges
// every observation a replay makes, copied it once per call.
func MergeFrom(d *Device, o *Observation) bool {
	changed := mergeSighting(d, o)
	if mergeIdentity(d, o) {
		changed = true
	}
	if mergeReadings(d, o) {
		changed = true
	}
	if mergeVerdicts(d, o) {
		changed = true
	}
	if mergeEvidence(d, o) {
		changed = true
	}
	if mergeProfile(d, o) {
		changed = true
	}
	if o.Source != "" && !slices.Contains(d.Sources, o.Source) {
		d.Sources = append(d.Sources, o.Source)
		slices.Sort(d.Sources)
		changed = true
	}
	return changed
}

// mergeSighting is Merge's part for the MAC, the first and last sighting
// and the current address.
func mergeSighting(d *Device, o *Observation) bool {
	changed := false
	if d.MAC.IsZero() && !o.MAC.IsZero() {
		d.MAC = o.MAC
		d.RandomMAC = o.MAC.LocallyAdministered()
		changed = true
	}
	if d.FirstSeen.IsZero() || (!o.Time.IsZero() && o.Time.Before(d.FirstSeen)) {
		d.FirstSeen = o.Time
		changed = true
	}
	if o.Time.After(d.LastSeen) {
		d.LastSeen = o.Time
	}
	if o.IP.IsValid() && o.IP != d.IP {
		d.IP = o.IP
		d.IPs = append([]netip.Addr{o.IP}, slices.DeleteFunc(d.IPs, func(a netip.Addr) bool { return a == o.IP })...)
		changed = true
	}
	return changed
}

// mergeIdentity is Merge's part for what a sensor says the device is: a
// value replaces the stored one, an empty one never does, and a
// placeholder host name never replaces a real one.
func mergeIdentity(d *Device, o *Observation) bool {
	changed := false
	set := func(dst *string, v string) {
		if v != "" && *dst != v {
			*dst = v
			changed = true
		}
	}
	set(&d.Vendor, o.Vendor)
	if !PlaceholderName(o.Hostname) || d.Hostname == "" {
		set(&d.Hostname, o.Hostname)
	}
	set(&d.Make, o.Make)
	set(&d.Model, o.Model)
	set(&d.OS, o.OS)
	set(&d.Firmware, o.Firmware)
	set(&d.Serial, o.Serial)
	if o.Type != "" && o.Type != TypeUnknown && o.Type != d.Type {
		d.Type = o.Type
		changed = true
	}
	if d.Type == "" {
		d.Type = TypeUnknown
	}
	return changed
}

// mergeReadings is Merge's part for what an SNMP poll read: the system
// group (uptime only when it is news), health, switch port and neighbours,
// each replaced whole when it differs.
func mergeReadings(d *Device, o *Observation) bool {
	changed := false
	if o.SNMP != nil && (d.SNMP == nil || !snmpEqual(*d.SNMP, *o.SNMP)) {
		s := *o.SNMP
		d.SNMP = &s
		changed = true
	} else if o.SNMP != nil && uptimeNews(d.SNMP.Uptime, o.SNMP.Uptime) {
		d.SNMP.Uptime = o.SNMP.Uptime
		changed = true
	}
	if o.Health != nil && !reflect.DeepEqual(d.Health, o.Health) {
		d.Health = o.Health.clone()
		changed = true
	}
	if o.Port != nil && !reflect.DeepEqual(d.Port, o.Port) {
		p := *o.Port
		d.Port = &p
		changed = true
	}
	if o.Neighbors != nil && !reflect.DeepEqual(d.Neighbors, o.Neighbors) {
		d.Neighbors = slices.Clone(o.Neighbors)
		changed = true
	}
	return changed
}

// mergeVerdicts is Merge's part for the lifecycle judge's verdicts, each
// replaced whole when it differs.
func mergeVerdicts(d *Device, o *Observation) bool {
	changed := false
	if o.Lifecycle != nil && !reflect.DeepEqual(d.Lifecycle, o.Lifecycle) {
		l := *o.Lifecycle
		d.Lifecycle = &l
		changed = true
	}
	if o.Vulnerabilities != nil && !reflect.DeepEqual(d.Vulnerabilities, o.Vulnerabilities) {
		v := *o.Vulnerabilities
		d.Vulnerabilities = &v
		changed = true
	}
	if o.Age != nil && !reflect.DeepEqual(d.Age, o.Age) {
		a := *o.Age
		d.Age = &a
		changed = true
	}
	return changed
}

// mergeEvidence adds o's identity evidence that d lacks, keeping the
// newest maxEvidence.
func mergeEvidence(d *Device, o *Observation) bool {
	changed := false
	for _, e := range o.Evidence {
		if !slices.Contains(d.Evidence, e) {
			d.Evidence = append(d.Evidence, e)
			changed = true
		}
	}
	if n := len(d.Evidence); n > maxEvidence {
		d.Evidence = slices.Delete(d.Evidence, 0, n-maxEvidence)
	}
	return changed
}

// maxEvidence bounds a device's identity evidence; the oldest goes first.
const maxEvidence = 32

// uptimeNews reports whether a new uptime reading is worth storing: it went
// backwards (the device rebooted) or has grown by a day since the stored
// one, so the long-uptime and reboot findings stay right to a day at one
// write per device per day.
func uptimeNews(stored, seen time.Duration) bool {
	return seen > 0 && (seen < stored || seen-stored >= 24*time.Hour)
}

// snmpEqual compares everything but uptime, which changes on every poll.
func snmpEqual(a, b SNMPSystem) bool {
	a.Uptime, b.Uptime = 0, 0
	return a == b
}

// SortByAddress orders devices by IP address, then MAC, as people read a
// subnet.
func SortByAddress(devs []Device) {
	slices.SortFunc(devs, func(a, b Device) int {
		if c := a.IP.Compare(b.IP); c != 0 {
			return c
		}
		return strings.Compare(a.MAC.String(), b.MAC.String())
	})
}
