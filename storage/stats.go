package storage

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tidwall/buntdb"
	"github.com/tidwall/gjson"

	"tend/inventory"
)

// Host statistics live in files, not in buntdb (which keeps every key in
// memory: 30 days of 5-minute rollups for 1,000 hosts would be ~6 MB an
// hour of heap): append-only files per UTC day (64 buckets by MAC), read on demand
// (hoststats_files.go). buntdb keeps only the site's total per period,
// sitestat:<period start, unix seconds, 12 digits> → bytes sent, for the
// dashboard's chart. hoststat:<mac>:<s> keys from older versions move to
// the files when the store opens (migrateHostStats).
const (
	prefixHostStat = "hoststat:"
	prefixSiteStat = "sitestat:"

	// DefaultStatsRetention keeps 30 days of rollups.
	DefaultStatsRetention = 30 * 24 * time.Hour
)

// HostStat is one host's traffic during one rollup period.
type HostStat = inventory.HostTraffic

// StatPeer is one of a host's top peers during a period.
type StatPeer = inventory.PeerBytes

func siteStatKey(start int64) string { return fmt.Sprintf("%s%012d", prefixSiteStat, max(start, 0)) }

// PutHostStats stores one rollup period's records; hosts without traffic in
// the period should be left out by the caller. Each record is appended to
// its host's file for the day, and the period's site total is added to.
func (s *Store) PutHostStats(stats ...HostStat) error {
	if len(stats) == 0 {
		return nil
	}
	files := map[[2]string][]byte{}
	sums := map[int64]uint64{}
	for _, st := range stats {
		if len(st.MAC) == 0 {
			return fmt.Errorf("storage: host stat without MAC")
		}
		b, err := json.Marshal(st)
		if err != nil {
			return fmt.Errorf("storage: encode host stat: %w", err)
		}
		k := [2]string{statDay(st.Start), statFileName(st.MAC.String())}
		files[k] = append(append(files[k], b...), '\n')
		sums[st.Start.Unix()] += st.BytesOut
	}
	for k, b := range files {
		if err := s.stats.appendTo(k[0], k[1], b); err != nil {
			return statErr("put", err)
		}
	}
	s.writes.Add(uint64(len(stats)))
	return s.update(func(tx *buntdb.Tx) (int, error) { return addSiteSums(tx, sums) })
}

// addSiteSums adds each period's bytes to its sitestat record.
func addSiteSums(tx *buntdb.Tx, sums map[int64]uint64) (int, error) {
	for start, n := range sums {
		k := siteStatKey(start)
		v, err := tx.Get(k)
		if err != nil && !errors.Is(err, buntdb.ErrNotFound) {
			return 0, err
		}
		old, _ := strconv.ParseUint(v, 10, 64)
		if _, _, err := tx.Set(k, strconv.FormatUint(old+n, 10), nil); err != nil {
			return 0, fmt.Errorf("storage: put site traffic: %w", err)
		}
	}
	return len(sums), nil
}

// HostStats returns one host's rollups from since on, oldest first. A line
// that does not decode (a write torn by power loss) is skipped: it costs
// that one period, not the host's history.
func (s *Store) HostStats(mac inventory.MAC, since time.Time) ([]HostStat, error) {
	days, err := s.stats.days()
	if err != nil {
		return nil, statErr("list", err)
	}
	out := []HostStat{}
	ms := mac.String()
	name, from, needle := statFileName(ms), statDay(since), []byte(`"mac":"`+ms+`"`)
	for _, d := range days {
		if d < from {
			continue
		}
		err := s.stats.each(d, name, func(line []byte) {
			if !bytes.Contains(line, needle) {
				return // another host in the bucket
			}
			var st HostStat
			if json.Unmarshal(line, &st) != nil || !bytes.Equal(st.MAC, mac) || st.Start.Unix() < since.Unix() {
				return
			}
			out = append(out, st)
		})
		if err != nil {
			return nil, statErr("read", err)
		}
	}
	slices.SortStableFunc(out, func(a, b HostStat) int { return a.Start.Compare(b.Start) })
	// A period written twice keeps its last record, as a key overwrite did.
	for i := len(out) - 1; i > 0; i-- {
		if out[i].Start.Equal(out[i-1].Start) {
			out = slices.Delete(out, i-1, i)
		}
	}
	return out, nil
}

// statsFullDetail is how long rollups keep their own period: older days are
// summed per host per hour (the UI charts 24 hours; the backup rule looks
// back 48).
const statsFullDetail = 3 * 24 * time.Hour

// PruneHostStats drops rollups that started before now-retention (zero: the
// default) a whole day at a time (a day goes once all of it is older), and
// site totals per period; rollups and site totals older than three days are
// summed per hour. It returns how many day files went.
func (s *Store) PruneHostStats(now time.Time, retention time.Duration) (int, error) {
	if retention <= 0 {
		retention = DefaultStatsRetention
	}
	cut, coarse := now.Add(-retention), now.Add(-statsFullDetail)
	days, err := s.stats.days()
	if err != nil {
		return 0, statErr("list", err)
	}
	var n int
	for _, d := range days {
		if d < statDay(cut) {
			k, err := s.stats.drop(d)
			if n += k; err != nil {
				return n, statErr("prune", err)
			}
		} else if d < statDay(coarse) {
			if err := s.hourlyDay(d); err != nil {
				return n, statErr("sum up", err)
			}
		}
	}
	err = s.update(func(tx *buntdb.Tx) (int, error) {
		var doomed []string
		hours := map[int64]uint64{}
		err := tx.AscendRange("", prefixSiteStat, siteStatKey(max(cut.Unix(), coarse.Unix())), func(k, v string) bool {
			start, _ := strconv.ParseInt(strings.TrimPrefix(k, prefixSiteStat), 10, 64)
			if start >= cut.Unix() && start%3600 == 0 {
				return true // an hour's total (or a period starting on the hour)
			}
			doomed = append(doomed, k)
			if start >= cut.Unix() {
				b, _ := strconv.ParseUint(v, 10, 64)
				hours[start-start%3600] += b
			}
			return true
		})
		for _, k := range doomed {
			if err != nil {
				break
			}
			_, err = tx.Delete(k)
		}
		if err != nil {
			return 0, err
		}
		w, err := addSiteSums(tx, hours)
		return len(doomed) + w, err
	})
	if err != nil {
		return n, fmt.Errorf("storage: prune site traffic: %w", err)
	}
	return n, nil
}

// hourlyDay sums a day's rollups per host per hour, one bucket file at a
// time (each replaced whole), then marks the day done.
func (s *Store) hourlyDay(day string) error {
	done := false
	if err := s.stats.each(day, hourlyMarker, func([]byte) { done = true }); err != nil || done {
		return err
	}
	names, err := s.stats.names(day)
	if err != nil {
		return err
	}
	for _, name := range names {
		hours := map[string]*HostStat{}
		peers := map[string]int{} // the most peers a period of the hour kept
		var keys []string
		err := s.stats.each(day, name, func(line []byte) {
			var st HostStat
			if json.Unmarshal(line, &st) != nil || len(st.MAC) == 0 {
				return
			}
			hour := st.Start.UTC().Truncate(time.Hour)
			k := st.MAC.String() + hour.Format(time.RFC3339)
			h := hours[k]
			if h == nil {
				h = &HostStat{MAC: st.MAC, Start: hour, Period: time.Hour}
				hours[k] = h
				keys = append(keys, k)
			}
			peers[k] = max(peers[k], len(st.Peers))
			addHour(h, st)
		})
		if err != nil {
			return err
		}
		slices.Sort(keys)
		var b []byte
		for _, k := range keys {
			h := hours[k]
			slices.SortFunc(h.Peers, func(x, y StatPeer) int { return cmp.Compare(y.Bytes, x.Bytes) })
			h.Peers = h.Peers[:min(len(h.Peers), peers[k])]
			line, err := json.Marshal(h)
			if err != nil {
				return err
			}
			b = append(append(b, line...), '\n')
		}
		if err := s.stats.replace(day, name, b); err != nil {
			return err
		}
	}
	return s.stats.replace(day, hourlyMarker, []byte("summed per host per hour\n"))
}

// addHour adds one period's rollup to its hour's.
func addHour(h *HostStat, st HostStat) {
	if st.IP.IsValid() {
		h.IP = st.IP
	}
	h.BytesIn += st.BytesIn
	h.BytesOut += st.BytesOut
	h.PacketsIn += st.PacketsIn
	h.PacketsOut += st.PacketsOut
	for p, n := range st.Protocols {
		if h.Protocols == nil {
			h.Protocols = map[string]uint64{}
		}
		h.Protocols[p] += n
	}
	for _, pe := range st.Peers {
		if i := slices.IndexFunc(h.Peers, func(x StatPeer) bool { return x.IP == pe.IP }); i >= 0 {
			h.Peers[i].Bytes += pe.Bytes
		} else {
			h.Peers = append(h.Peers, pe)
		}
	}
}

// SitePeriod is the whole site's traffic in one rollup period.
type SitePeriod struct {
	Start time.Time
	Bytes uint64 // bytes sent by all hosts (each byte on the wire once)
}

// SiteTraffic returns every host's bytes sent per rollup period since
// since, oldest first: the dashboard's traffic chart.
func (s *Store) SiteTraffic(since time.Time) ([]SitePeriod, error) {
	out := []SitePeriod{}
	err := s.db.View(func(tx *buntdb.Tx) error {
		return tx.AscendRange("", siteStatKey(since.Unix()), prefixSiteStat+"~", func(k, v string) bool {
			start, err := strconv.ParseInt(strings.TrimPrefix(k, prefixSiteStat), 10, 64)
			n, err2 := strconv.ParseUint(v, 10, 64)
			if err == nil && err2 == nil {
				out = append(out, SitePeriod{Start: time.Unix(start, 0).UTC(), Bytes: n})
			}
			return true
		})
	})
	if err != nil {
		return nil, fmt.Errorf("storage: site traffic: %w", err)
	}
	return out, nil
}

// migrateHostStats moves hoststat: keys (versions before the files) out of
// buntdb into the day files and the site totals, a batch per transaction;
// a batch's files are written before its keys are deleted, so a crash
// midway repeats lines (HostStats keeps one per period) rather than losing
// them.
func (s *Store) migrateHostStats() error {
	for {
		moved := 0
		err := s.update(func(tx *buntdb.Tx) (int, error) {
			files := map[[2]string][]byte{}
			sums := map[int64]uint64{}
			var keys []string
			err := tx.AscendKeys(prefixHostStat+"*", func(k, v string) bool {
				i := strings.LastIndexByte(k, ':')
				start, err := strconv.ParseInt(k[i+1:], 10, 64)
				if i <= len(prefixHostStat) || err != nil {
					return true // not a rollup key: left alone
				}
				f := [2]string{statDay(time.Unix(start, 0)), statFileName(k[len(prefixHostStat):i])}
				files[f] = append(append(files[f], v...), '\n')
				sums[start] += gjson.Get(v, "bytes_out").Uint()
				keys = append(keys, k)
				return len(keys) < 10000
			})
			if err != nil {
				return 0, err
			}
			for f, b := range files {
				if err := s.stats.appendTo(f[0], f[1], b); err != nil {
					return 0, err
				}
			}
			for _, k := range keys {
				if _, err := tx.Delete(k); err != nil {
					return 0, err
				}
			}
			moved = len(keys)
			n, err := addSiteSums(tx, sums)
			return n + moved, err
		})
		if err != nil {
			return statErr("migrate", err)
		}
		if moved == 0 {
			return nil
		}
	}
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
