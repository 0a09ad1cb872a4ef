package storage

import (
	"encoding/json"
	"fmt"
	"reflect"
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
// of looking for JSON's `\ufffd` in the encoding.
func deferrable(dev *inventory.Device) bool {
	if dev.SNMP != nil || dev.Health != nil || dev.Port != nil || dev.Neighbors != nil ||
		dev.Lifecycle != nil || dev.Vulnerabilities != nil || dev.Age != nil {
		return false
	}
	return validStrings(reflect.ValueOf(dev).Elem())
}

// validStrings reports whether every exported string in v is valid UTF-8.
func validStrings(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.String:
		return utf8.ValidString(v.String())
	case reflect.Pointer:
		return v.IsNil() || validStrings(v.Elem())
	case reflect.Slice, reflect.Array:
		if !hasStrings(v.Type().Elem()) {
			return true
		}
		for i := range v.Len() {
			if !validStrings(v.Index(i)) {
				return false
			}
		}
	case reflect.Struct:
		t := v.Type()
		for i := range v.NumField() {
			if t.Field(i).IsExported() && !validStrings(v.Field(i)) {
				return false
			}
		}
	case reflect.Map, reflect.Interface:
		return false // not in a device today; decline rather than guess
	}
	return true
}

// hasStrings reports whether values of t may hold a string or anything
// validStrings declines.
func hasStrings(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.String, reflect.Map, reflect.Interface, reflect.Pointer, reflect.Slice, reflect.Array:
		return true
	case reflect.Struct:
		for i := range t.NumField() {
			if f := t.Field(i); f.IsExported() && hasStrings(f.Type) {
				return true
			}
		}
	}
	return false
}

// cloneDevice returns a deep copy of d: no slice, map or pointer of the copy
// shares memory with d's, so folding into it leaves d as it was. Unexported
// fields (a time's location, an address's zone) are copied as they are:
// nothing changes them in place.
func cloneDevice(d *inventory.Device) inventory.Device {
	c := *d
	deepen(reflect.ValueOf(&c).Elem())
	return c
}

// deepen replaces, in the addressable v, every slice, map and pointer
// reachable through exported fields with a copy of its own.
func deepen(v reflect.Value) {
	switch v.Kind() {
	case reflect.Slice:
		if v.IsNil() {
			return
		}
		c := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		reflect.Copy(c, v)
		v.Set(c)
		deepenElems(c)
	case reflect.Array:
		deepenElems(v)
	case reflect.Pointer:
		if v.IsNil() {
			return
		}
		c := reflect.New(v.Type().Elem())
		c.Elem().Set(v.Elem())
		deepen(c.Elem())
		v.Set(c)
	case reflect.Map:
		if v.IsNil() {
			return
		}
		c := reflect.MakeMapWithSize(v.Type(), v.Len())
		for it := v.MapRange(); it.Next(); {
			e := reflect.New(v.Type().Elem()).Elem()
			e.Set(it.Value())
			deepen(e)
			c.SetMapIndex(it.Key(), e)
		}
		v.Set(c)
	case reflect.Struct:
		t := v.Type()
		for i := range v.NumField() {
			if f := t.Field(i); f.IsExported() && hasRefs(f.Type) {
				deepen(v.Field(i))
			}
		}
	}
}

func deepenElems(v reflect.Value) {
	if !hasRefs(v.Type().Elem()) {
		return
	}
	for i := range v.Len() {
		deepen(v.Index(i))
	}
}

// hasRefs reports whether values of t may share memory through exported
// fields: slices, maps and pointers (interfaces: none in a device).
func hasRefs(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Slice, reflect.Map, reflect.Pointer, reflect.Interface:
		return true
	case reflect.Array:
		return hasRefs(t.Elem())
	case reflect.Struct:
		for i := range t.NumField() {
			if f := t.Field(i); f.IsExported() && hasRefs(f.Type) {
				return true
			}
		}
	}
	return false
}

// WriteDeferred sets the records of the devices Apply deferred
// (Config.DeferWrites). Call it before reading devices or writing them by
// any other method.
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
