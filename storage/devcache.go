package storage

import (
	"encoding/json"
	"fmt"
	"sync"

	"github.com/tidwall/buntdb"

	"tend/inventory"
)

// decoded remembers each device record's last decoding, keyed by MAC, so
// listing 2,000 devices decodes only the records that changed since the
// last listing. A record is reused only when its stored JSON is byte for
// byte the one decoded, so the cache can never serve stale data.
type decoded struct {
	mu sync.Mutex
	m  map[string]decodedDevice
}

type decodedDevice struct {
	raw string
	dev inventory.Device
}

// DevicesShared is Devices for read-only callers that list often (the
// device page): the same devices in the same order, but a device whose
// record did not change since the last call is not decoded again, and its
// slices and pointers are shared with other callers. Do not modify what it
// returns; copy first.
func (s *Store) DevicesShared() ([]inventory.Device, error) {
	c := &s.decoded
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string]decodedDevice{}
	}
	var out []inventory.Device
	var decodeErr error
	seen := 0
	err := s.db.View(func(tx *buntdb.Tx) error {
		return tx.Ascend(indexDevicesByIP, func(key, val string) bool {
			seen++
			if e, ok := c.m[key]; ok && e.raw == val {
				out = append(out, e.dev)
				return true
			}
			var d inventory.Device
			if err := json.Unmarshal([]byte(val), &d); err != nil {
				decodeErr = fmt.Errorf("decode %s: %w", key, err)
				return false
			}
			c.m[key] = decodedDevice{raw: val, dev: d}
			out = append(out, d)
			return true
		})
	})
	if err == nil {
		err = decodeErr
	}
	if err != nil {
		return nil, fmt.Errorf("storage: list devices: %w", err)
	}
	if len(c.m) > seen { // devices were deleted: drop their entries
		keep := make(map[string]bool, len(out))
		for i := range out {
			keep[deviceKey(out[i].MAC)] = true
		}
		for k := range c.m {
			if !keep[k] {
				delete(c.m, k)
			}
		}
	}
	return out, nil
}
