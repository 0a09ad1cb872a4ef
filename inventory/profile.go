package inventory

import (
	"bytes"
	"net/netip"
	"slices"
	"time"
)

// Profile is what tend learned about a device beyond its MAC and SNMP
// agent: the keys that tie a randomised MAC to the same phone, the names and
// services it announces, its address history, its presence and the verdict
// on what kind of thing it is. Device embeds it, so its fields sit at the top
// level of the device's JSON.
type Profile struct {
	IPv6         []netip.Addr `json:"ipv6,omitempty"`
	VLANs        []int        `json:"vlans,omitempty"`
	ClientIDs    []string     `json:"dhcp_client_ids,omitempty"` // DHCP option 61, hex
	DHCPVendor   string       `json:"dhcp_vendor,omitempty"`
	DHCPParams   string       `json:"dhcp_params,omitempty"`
	Names        []string     `json:"names,omitempty"`
	Services     []string     `json:"services,omitempty"`
	Capabilities []string     `json:"capabilities,omitempty"`
	// OtherMACs are further addresses of this same device: the MACs a
	// randomising phone used before, a switch's port MACs next to its
	// chassis MAC.
	OtherMACs []MAC    `json:"other_macs,omitempty"`
	IPHistory []IPSeen `json:"ip_history,omitempty"` // most recent first
	// TypeConfidence (0..1) and TypeEvidence explain Type.
	TypeConfidence float64    `json:"type_confidence,omitempty"`
	TypeEvidence   []Evidence `json:"type_evidence,omitempty"`
	// SensorType is the type a sensor stated outright (an SNMP agent's
	// own category), kept as one piece of evidence for classification.
	SensorType DeviceType `json:"sensor_type,omitempty"`
	// SensorWeight is the weight of the sensor's evidence for SensorType
	// (Observation.TypeWeight), 0 for an outright statement.
	SensorWeight float64 `json:"sensor_weight,omitempty"`
	// Online is the presence verdict: heard from inside the grace window.
	Online bool `json:"online"`
	// StatusChanged is when Online last flipped.
	StatusChanged time.Time `json:"status_changed,omitzero"`
	// MergeSuggestions name devices that are probably this one, where the
	// evidence was not strong enough to merge them without a person.
	MergeSuggestions []MergeSuggestion `json:"merge_suggestions,omitempty"`
}

// IPSeen is one address a device used and when.
type IPSeen struct {
	IP        netip.Addr `json:"ip"`
	FirstSeen time.Time  `json:"first_seen"`
	LastSeen  time.Time  `json:"last_seen"`
}

// MergeSuggestion says "device MAC is probably the same thing as this one".
type MergeSuggestion struct {
	MAC        MAC        `json:"mac"`
	Confidence float64    `json:"confidence"`
	Evidence   []Evidence `json:"evidence"`
}

// Bounds on the identity lists, so a chatty or hostile device cannot grow a
// record without limit. The oldest entries go first.
const (
	maxNames     = 16
	maxServices  = 32
	maxIPHistory = 16
	maxOtherMACs = 16
	maxSmall     = 8 // client IDs, VLANs, IPv6 addresses
	// maxCapabilities holds LLDP/CDP's bits, NetBIOS roles and the SNMP
	// sensor's structure (up to six, snmpcaps.go) together: a list past
	// its bound would lose one to each new poll and report a change.
	maxCapabilities = 16
)

// addUnique appends the values of add that list lacks, keeping at most max
// (dropping the oldest), and reports whether list changed.
func addUnique[T comparable](list *[]T, max int, add ...T) bool {
	changed := false
	var zero T
	for _, v := range add {
		if v == zero || slices.Contains(*list, v) {
			continue
		}
		*list = append(*list, v)
		changed = true
	}
	if n := len(*list); n > max {
		*list = slices.Delete(*list, 0, n-max)
	}
	return changed
}

// mergeProfile is Merge's part for the Profile fields.
func mergeProfile(d *Device, o *Observation) bool {
	changed := false
	id := &d.Profile
	if o.IPv6.IsValid() && addUnique(&id.IPv6, maxSmall, o.IPv6) {
		changed = true
	}
	if o.VLAN != 0 && addUnique(&id.VLANs, maxSmall, o.VLAN) {
		changed = true
	}
	if addUnique(&id.ClientIDs, maxSmall, o.DHCPClientID) {
		changed = true
	}
	for _, p := range []struct{ dst, v *string }{{&id.DHCPVendor, &o.DHCPVendor}, {&id.DHCPParams, &o.DHCPParams}} {
		if *p.v != "" && *p.dst != *p.v {
			*p.dst = *p.v
			changed = true
		}
	}
	if addUnique(&id.Names, maxNames, o.Names...) {
		changed = true
	}
	if addUnique(&id.Services, maxServices, o.Services...) {
		changed = true
	}
	if addUnique(&id.Capabilities, maxCapabilities, o.Capabilities...) {
		changed = true
	}
	if addOtherMAC(d, o.ChassisMAC) {
		changed = true
	}
	for _, m := range o.OtherMACs {
		if addOtherMAC(d, m) {
			changed = true
		}
	}
	for _, sg := range o.MergeSuggestions {
		if sg.MAC.String() == d.MAC.String() || slices.ContainsFunc(id.OtherMACs, func(m MAC) bool { return m.String() == sg.MAC.String() }) {
			continue
		}
		i := slices.IndexFunc(id.MergeSuggestions, func(x MergeSuggestion) bool { return x.MAC.String() == sg.MAC.String() })
		if i < 0 {
			id.MergeSuggestions = append(id.MergeSuggestions, sg)
			changed = true
		} else if sg.Confidence > id.MergeSuggestions[i].Confidence {
			id.MergeSuggestions[i] = sg
			changed = true
		}
	}
	return changed
}

// addOtherMAC records m as one of d's other MACs unless it is empty, d's
// own or known already, keeping the newest maxOtherMACs.
func addOtherMAC(d *Device, m MAC) bool {
	id := &d.Profile
	if m.IsZero() || bytes.Equal(m, d.MAC) || slices.ContainsFunc(id.OtherMACs, func(x MAC) bool { return bytes.Equal(x, m) }) {
		return false
	}
	id.OtherMACs = append(id.OtherMACs, slices.Clone(m))
	if n := len(id.OtherMACs); n > maxOtherMACs {
		id.OtherMACs = slices.Delete(id.OtherMACs, 0, n-maxOtherMACs)
	}
	return true
}

// Absorb folds src, a record that turned out to be the same physical thing
// as dst (a phone's earlier randomised MAC, a switch port's MAC), into dst:
// src's MAC and other MACs become dst's other MACs, its addresses, names and
// sightings join dst's. dst keeps its own MAC and person-set fields.
func Absorb(dst *Device, src Device) {
	o := Observation{
		Time: src.FirstSeen, MAC: dst.MAC, Vendor: src.Vendor, Hostname: src.Hostname, Make: src.Make, Model: src.Model,
		OS: src.OS, Firmware: src.Firmware, Serial: src.Serial, SNMP: src.SNMP, Port: src.Port, Evidence: src.Evidence,
		DHCPVendor: src.DHCPVendor, DHCPParams: src.DHCPParams, Names: src.Names, Services: src.Services,
		Capabilities: src.Capabilities, OtherMACs: append([]MAC{src.MAC}, src.OtherMACs...),
	}
	// Fill only what dst lacks: dst's own, newer identity wins.
	for _, f := range []struct{ dst, src *string }{{&dst.Vendor, &o.Vendor}, {&dst.Hostname, &o.Hostname}, {&dst.Make, &o.Make},
		{&dst.Model, &o.Model}, {&dst.OS, &o.OS}, {&dst.Firmware, &o.Firmware}, {&dst.Serial, &o.Serial}} {
		if *f.dst != "" {
			*f.src = ""
		}
	}
	if dst.SNMP != nil {
		o.SNMP = nil
	}
	if dst.Port != nil {
		o.Port = nil
	}
	lastSeen := dst.LastSeen
	Merge(dst, o)
	dst.LastSeen = lastSeen
	if src.LastSeen.After(dst.LastSeen) {
		dst.LastSeen = src.LastSeen
	}
	for _, id := range src.ClientIDs {
		addUnique(&dst.ClientIDs, maxSmall, id)
	}
	for _, a := range src.IPv6 {
		addUnique(&dst.IPv6, maxSmall, a)
	}
	for _, v := range src.VLANs {
		addUnique(&dst.VLANs, maxSmall, v)
	}
	for _, s := range src.Sources {
		if !slices.Contains(dst.Sources, s) {
			dst.Sources = append(dst.Sources, s)
		}
	}
	slices.Sort(dst.Sources)
	for _, h := range src.IPHistory {
		if !slices.ContainsFunc(dst.IPHistory, func(x IPSeen) bool { return x.IP == h.IP }) && len(dst.IPHistory) < maxIPHistory {
			dst.IPHistory = append(dst.IPHistory, h)
		}
	}
	for _, a := range src.IPs {
		if !slices.Contains(dst.IPs, a) {
			dst.IPs = append(dst.IPs, a)
		}
	}
	if !dst.IP.IsValid() {
		dst.IP = src.IP
	}
	dst.MergeSuggestions = slices.DeleteFunc(dst.MergeSuggestions, func(s MergeSuggestion) bool {
		return slices.ContainsFunc(dst.OtherMACs, func(m MAC) bool { return m.String() == s.MAC.String() })
	})
}

// Track keeps a device's presence and address history (and the type a
// sensor stated, as classification evidence): call it with every
// observation, after Merge (which moves LastSeen). An observation at least as
// new as the device's last sighting means the device is there now, so an
// offline device comes back online; each IPv4 address it used gets its first
// and last sighting. It reports whether anything a person would care about
// changed (a new address, a presence flip), not the moving last-seen times.
// It is separate from Merge so records that predate presence keep comparing
// equal in storage tests; storage.Apply and the passive pipeline call both.
func Track(d *Device, o Observation) bool { return TrackFrom(d, &o) }

// TrackFrom is Track reading o in place (MergeFrom), which it leaves as it
// is.
func TrackFrom(d *Device, o *Observation) bool {
	changed := false
	id := &d.Profile
	if o.Type != "" && o.Type != TypeUnknown && (id.SensorType != o.Type || id.SensorWeight != o.TypeWeight) {
		id.SensorType, id.SensorWeight = o.Type, o.TypeWeight
		changed = true
	}
	if o.IP.IsValid() && o.IP.Is4() && noteIP(id, o.IP, o.Time) {
		changed = true
	}
	if !o.Time.IsZero() && !o.Time.Before(d.LastSeen) && !id.Online {
		id.Online = true
		id.StatusChanged = o.Time
		changed = true
	}
	return changed
}

// noteIP records ip in the history; only a new address counts as a change
// (last_seen moves on every sighting).
func noteIP(id *Profile, ip netip.Addr, at time.Time) bool {
	i := slices.IndexFunc(id.IPHistory, func(s IPSeen) bool { return s.IP == ip })
	if i >= 0 {
		s := id.IPHistory[i]
		if at.After(s.LastSeen) {
			s.LastSeen = at
		}
		if !at.IsZero() && at.Before(s.FirstSeen) {
			s.FirstSeen = at
		}
		// Most recent first.
		id.IPHistory = slices.Insert(slices.Delete(id.IPHistory, i, i+1), 0, s)
		return false
	}
	id.IPHistory = slices.Insert(id.IPHistory, 0, IPSeen{IP: ip, FirstSeen: at, LastSeen: at})
	if len(id.IPHistory) > maxIPHistory {
		id.IPHistory = id.IPHistory[:maxIPHistory]
	}
	return true
}

// Offline marks d offline at t if it has been silent for longer than grace,
// and reports whether that changed anything. A device last heard inside the
// window stays online: that is the whole point of the window (sleeping
// phones, busy hosts that miss one ARP sweep).
func Offline(d *Device, t time.Time, grace time.Duration) bool {
	if !d.Online || t.Sub(d.LastSeen) <= grace {
		return false
	}
	d.Online = false
	d.StatusChanged = t
	return true
}
