package storage

import (
	"encoding/json"
	"fmt"
	"slices"
	"unicode/utf8"

	"github.com/tidwall/buntdb"

	"tend/inventory"
)

// Config.DeferWrites: Apply keeps the devices it would write in
// Store.deferred, decoded, instead of encoding each one and setting it at
// every batch (a replay wrote 2,828 records for 82 devices, ~8 % of its
// time), and WriteDeferred sets each once. A deferred device is the record
// as stored: the next Apply folds a deep copy of it, so that a batch that
// does not write the device (coalesced) leaves it exactly as written, as a
// stored record would stay. Only devices whose decoded JSON would equal the
// struct are deferred (deferrable); others are written at once as before.

// deferrable reports whether dev may stand for its encoded record: the same
// conditions as keepFolded's (none of the fields the fold compares with
// reflect.DeepEqual set, nor SNMP), with every string valid UTF-8 in place
// of looking for JSON's `\ufffd` in the encoding; and neither of the
// pointers no fold sets (cloneDevice copies what the fold may change).
// TestDeferrableStrings checks it reads every string.
func deferrable(d *inventory.Device) bool {
	if d.SNMP != nil || d.Health != nil || d.Port != nil || d.Neighbors != nil ||
		d.Lifecycle != nil || d.Vulnerabilities != nil || d.Age != nil || d.Hygiene != nil || d.PurchaseDate != nil {
		return false
	}
	for _, s := range [...]string{d.Vendor, d.Hostname, string(d.Type), d.Make, d.Model, d.OS, d.Firmware, d.Serial,
		d.Label, d.Role, d.DHCPVendor, d.DHCPParams, string(d.SensorType)} {
		if !utf8.ValidString(s) {
			return false
		}
	}
	ok := validAll(d.Sources) && validEvidence(d.Evidence) && validAll(d.ClientIDs) && validAll(d.Names) &&
		validAll(d.Services) && validAll(d.Capabilities) && validEvidence(d.TypeEvidence)
	for i := range d.MergeSuggestions {
		ok = ok && validEvidence(d.MergeSuggestions[i].Evidence)
	}
	return ok
}

func validAll[S ~string](ss []S) bool {
	for _, s := range ss {
		if !utf8.ValidString(string(s)) {
			return false
		}
	}
	return true
}

func validEvidence(es []inventory.Evidence) bool {
	for _, e := range es {
		if !utf8.ValidString(e.Source) || !utf8.ValidString(e.Detail) {
			return false
		}
	}
	return true
}

// cloneDevice returns a deep copy of a deferrable d: no slice of the copy
// shares memory with d's, so folding into it leaves d as it was.
// TestCloneDeviceSharesNothing checks it copies every slice.
func cloneDevice(d *inventory.Device) inventory.Device {
	c := *d
	c.MAC = slices.Clone(d.MAC)
	c.IPs = slices.Clone(d.IPs)
	c.Sources = slices.Clone(d.Sources)
	c.Evidence = slices.Clone(d.Evidence)
	p := &c.Profile
	p.IPv6 = slices.Clone(p.IPv6)
	p.VLANs = slices.Clone(p.VLANs)
	p.ClientIDs = slices.Clone(p.ClientIDs)
	p.Names = slices.Clone(p.Names)
	p.Services = slices.Clone(p.Services)
	p.Capabilities = slices.Clone(p.Capabilities)
	p.OtherMACs = cloneMACs(p.OtherMACs)
	p.IPHistory = slices.Clone(p.IPHistory)
	p.TypeEvidence = slices.Clone(p.TypeEvidence)
	if p.MergeSuggestions != nil {
		p.MergeSuggestions = slices.Clone(p.MergeSuggestions)
		for i := range p.MergeSuggestions {
			m := &p.MergeSuggestions[i]
			m.MAC, m.Evidence = slices.Clone(m.MAC), slices.Clone(m.Evidence)
		}
	}
	return c
}

func cloneMACs(ms []inventory.MAC) []inventory.MAC {
	if ms == nil {
		return nil
	}
	c := make([]inventory.MAC, len(ms))
	for i, m := range ms {
		c[i] = slices.Clone(m)
	}
	return c
}

// WriteDeferred sets the records of the devices Apply deferred
// (Config.DeferWrites). Call it before reading devices or writing them by
// any other method than ReplayDevices and PutHygiene.
func (s *Store) WriteDeferred() error {
	if len(s.deferred) == 0 {
		return nil
	}
	err := s.db.Update(func(tx *buntdb.Tx) error { return s.writeDeferred(tx) })
	if err != nil {
		return fmt.Errorf("storage: write deferred devices: %w", err)
	}
	return nil
}

// ReplayDevices lists every device of a store that defers its writes
// (Config.DeferWrites) without setting the deferred ones first: those whose
// records are set and current, decoded as Devices does, then the deferred
// ones as Apply left them (over the record an earlier batch set, if any),
// which is what decoding their records would give (deferrable).
// A replay's listing then encodes and decodes no device it only deferred
// (3.5 % of tend replay's time on the corpus mix), sorted by
// inventory.SortByAddress. PutHygiene may come before it; the other readers
// and writers need WriteDeferred first.
func (s *Store) ReplayDevices() ([]inventory.Device, error) {
	out, err := s.devicesBut(s.deferred)
	if err != nil {
		return nil, err
	}
	for _, d := range s.deferred {
		out = append(out, cloneDevice(&d))
	}
	inventory.SortByAddress(out)
	return out, nil
}

// writeDeferred sets the deferred records in key order inside tx, as
// writeFolded would have, and forgets them. They were counted as writes
// when deferred.
func (s *Store) writeDeferred(tx *buntdb.Tx) error {
	keys := make([]string, 0, len(s.deferred))
	for k := range s.deferred {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, key := range keys {
		dev := s.deferred[key]
		if err := s.setDevice(tx, key, &dev); err != nil {
			return err
		}
		delete(s.deferred, key)
	}
	return nil
}

// setDevice encodes dev and sets it under key, keeping it for the next
// Apply (keepFolded, classified).
func (s *Store) setDevice(tx *buntdb.Tx, key string, dev *inventory.Device) error {
	b, err := json.Marshal(dev)
	if err != nil {
		return fmt.Errorf("encode %s: %w", key, err)
	}
	val := string(b)
	if _, _, err := tx.Set(key, val, nil); err != nil {
		return fmt.Errorf("set %s: %w", key, err)
	}
	s.keepFolded(key, val, dev)
	if len(s.classified) >= maxClassified {
		clear(s.classified) // devices deleted by other paths stay behind: start again
	}
	s.classified[key] = s.recordHashBytes(b)
	return nil
}
