package storage

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tidwall/buntdb"
	"github.com/tidwall/gjson"

	"tend/inventory"
)

// Host statistics keys: hoststat:<mac>:<period start, unix seconds, 12
// digits>. One record per host per rollup period holds that period's
// traffic, so charts read one host's history with one ordered scan.
const (
	prefixHostStat = "hoststat:"

	// DefaultStatsRetention keeps 30 days of rollups.
	DefaultStatsRetention = 30 * 24 * time.Hour
)

// HostStat is one host's traffic during one rollup period.
type HostStat = inventory.HostTraffic

// StatPeer is one of a host's top peers during a period.
type StatPeer = inventory.PeerBytes

func hostStatKey(mac inventory.MAC, start time.Time) string {
	return fmt.Sprintf("%s%s:%012d", prefixHostStat, mac.String(), max(start.Unix(), 0))
}

// PutHostStats stores one rollup period's records in one transaction;
// hosts without traffic in the period should be left out by the caller.
func (s *Store) PutHostStats(stats ...HostStat) error {
	if len(stats) == 0 {
		return nil
	}
	return s.update(func(tx *buntdb.Tx) (int, error) {
		for _, st := range stats {
			if len(st.MAC) == 0 {
				return 0, fmt.Errorf("storage: host stat without MAC")
			}
			b, err := json.Marshal(st)
			if err != nil {
				return 0, fmt.Errorf("storage: encode host stat: %w", err)
			}
			if _, _, err := tx.Set(hostStatKey(st.MAC, st.Start), string(b), nil); err != nil {
				return 0, fmt.Errorf("storage: put host stat: %w", err)
			}
		}
		return len(stats), nil
	})
}

// HostStats returns one host's rollups from since on, oldest first.
func (s *Store) HostStats(mac inventory.MAC, since time.Time) ([]HostStat, error) {
	out := []HostStat{}
	var derr error
	err := s.db.View(func(tx *buntdb.Tx) error {
		return tx.AscendRange("", hostStatKey(mac, since), prefixHostStat+mac.String()+":~", func(k, v string) bool {
			var st HostStat
			if err := json.Unmarshal([]byte(v), &st); err != nil {
				derr = fmt.Errorf("decode %s: %w", k, err)
				return false
			}
			out = append(out, st)
			return true
		})
	})
	if err == nil {
		err = derr
	}
	if err != nil {
		return nil, fmt.Errorf("storage: host stats of %s: %w", mac, err)
	}
	return out, nil
}

// PruneHostStats deletes rollups that started before now-retention (zero:
// the default) and returns how many.
func (s *Store) PruneHostStats(now time.Time, retention time.Duration) (int, error) {
	if retention <= 0 {
		retention = DefaultStatsRetention
	}
	cut := now.Add(-retention).Unix()
	var n int
	err := s.update(func(tx *buntdb.Tx) (int, error) {
		var doomed []string
		err := tx.AscendKeys(prefixHostStat+"*", func(k, _ string) bool {
			var ts int64
			if i := len(k) - 12; i > 0 {
				fmt.Sscanf(k[i:], "%d", &ts)
			}
			if ts < cut {
				doomed = append(doomed, k)
			}
			return true
		})
		if err != nil {
			return 0, err
		}
		for _, k := range doomed {
			if _, err := tx.Delete(k); err != nil {
				return 0, err
			}
		}
		n = len(doomed)
		return n, nil
	})
	if err != nil {
		return 0, fmt.Errorf("storage: prune host stats: %w", err)
	}
	return n, nil
}

// SitePeriod is the whole site's traffic in one rollup period.
type SitePeriod struct {
	Start time.Time
	Bytes uint64 // bytes sent by all hosts (each byte on the wire once)
}

// SiteTraffic sums every host's bytes sent per rollup period since since,
// oldest first: the dashboard's traffic chart. It reads two fields of each
// record, not the whole record.
func (s *Store) SiteTraffic(since time.Time) ([]SitePeriod, error) {
	sums := map[int64]uint64{}
	err := s.db.View(func(tx *buntdb.Tx) error {
		return tx.AscendKeys(prefixHostStat+"*", func(k, v string) bool {
			i := strings.LastIndexByte(k, ':')
			start, err := strconv.ParseInt(k[i+1:], 10, 64)
			if err != nil || start < since.Unix() {
				return true
			}
			sums[start] += gjson.Get(v, "bytes_out").Uint()
			return true
		})
	})
	if err != nil {
		return nil, fmt.Errorf("storage: site traffic: %w", err)
	}
	out := make([]SitePeriod, 0, len(sums))
	for start, b := range sums {
		out = append(out, SitePeriod{Start: time.Unix(start, 0).UTC(), Bytes: b})
	}
	slices.SortFunc(out, func(a, b SitePeriod) int { return a.Start.Compare(b.Start) })
	return out, nil
}

// BytesMoved is how many bytes a device moved (in and out) in the rollup
// periods that start in [since, until).
func (s *Store) BytesMoved(mac inventory.MAC, since, until time.Time) (uint64, error) {
	hs, err := s.HostStats(mac, since)
	if err != nil {
		return 0, err
	}
	var n uint64
	for _, h := range hs {
		if h.Start.Before(until) {
			n += h.BytesIn + h.BytesOut
		}
	}
	return n, nil
}

// PruneTraffic drops events and host statistics past their default
// retention as of now (the traffic watch calls it at each rollup).
func (s *Store) PruneTraffic(now time.Time) error {
	if _, err := s.PruneEvents(now, 0, 0); err != nil {
		return err
	}
	_, err := s.PruneHostStats(now, 0)
	return err
}
