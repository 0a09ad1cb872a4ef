package storage

import (
	"fmt"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/tidwall/buntdb"

	"tend/inventory"
)

// Rollups live in files beside the database, survive a reopen, are private,
// and never become buntdb keys (which would stay in memory).
func TestHostStatsFiles(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tend.db")
	s, err := Open(path, Config{})
	if err != nil {
		t.Fatal(err)
	}
	a := mac(t, "00:1b:54:aa:bb:cc")
	day := time.Date(2026, 5, 1, 23, 55, 0, 0, time.UTC)
	for i := range 3 { // 23:55, 00:00 and 00:05: two days
		st := HostStat{MAC: a, Start: day.Add(time.Duration(i) * 5 * time.Minute), Period: 5 * time.Minute, BytesOut: uint64(10 * (i + 1))}
		if err := s.PutHostStats(st); err != nil {
			t.Fatal(err)
		}
	}
	// A host in the same bucket file (last byte 0x0c & 0x3f = 0xcc & 0x3f) is kept apart.
	if err := s.PutHostStats(HostStat{MAC: mac(t, "00:1b:54:aa:bb:0c"), Start: day, Period: 5 * time.Minute, BytesOut: 1000}); err != nil {
		t.Fatal(err)
	}
	// The same period written again keeps the last record.
	if err := s.PutHostStats(HostStat{MAC: a, Start: day, Period: 5 * time.Minute, BytesOut: 11}); err != nil {
		t.Fatal(err)
	}
	s.db.View(func(tx *buntdb.Tx) error {
		return tx.AscendKeys(prefixHostStat+"*", func(k, _ string) bool { t.Errorf("rollup in buntdb: %s", k); return true })
	})
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	f := filepath.Join(path+".hoststats", "2026-05-01", "0c.jsonl")
	fi, err := os.Stat(f)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("%s mode %v, want 0600", f, fi.Mode().Perm())
	}
	// A torn line (power loss mid-append) costs that line only.
	w, _ := os.OpenFile(f, os.O_APPEND|os.O_WRONLY, 0)
	fmt.Fprint(w, `{"mac":"00:1b:54:aa:bb:cc","start":"2026-05-`)
	w.Close()
	s, err = Open(path, Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	// The next append to that file starts a new line after the torn one.
	if err := s.PutHostStats(HostStat{MAC: a, Start: day.Add(-5 * time.Minute), Period: 5 * time.Minute, BytesOut: 40}); err != nil {
		t.Fatal(err)
	}
	if got, err := s.HostStats(a, day.Add(-5*time.Minute)); err != nil || len(got) != 4 || got[0].BytesOut != 40 {
		t.Fatalf("after a torn line: %+v %v", got, err)
	}
	got, err := s.HostStats(a, day)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[0].BytesOut != 11 || got[1].BytesOut != 20 || got[2].BytesOut != 30 {
		t.Fatalf("rollups after reopen %+v", got)
	}
	if got, _ := s.HostStats(a, day.Add(5*time.Minute)); len(got) != 2 {
		t.Errorf("since 00:00: %d rollups, want 2", len(got))
	}
	site, err := s.SiteTraffic(day)
	if err != nil || len(site) != 3 || site[0].Bytes != 1021 {
		t.Errorf("site traffic %+v %v (the period written twice adds both)", site, err)
	}
	if n, err := s.BytesMoved(a, day, day.Add(10*time.Minute)); err != nil || n != 31 {
		t.Errorf("bytes moved %d %v, want 31", n, err)
	}
}

// A database from before the files has hoststat: keys in buntdb: Open moves
// them out, losing nothing the charts show.
func TestHostStatsMigrate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tend.db")
	s, err := Open(path, Config{})
	if err != nil {
		t.Fatal(err)
	}
	a, b := mac(t, "00:1b:54:aa:bb:cc"), mac(t, "00:1b:54:aa:bb:cd")
	const n = 12001 // more than one batch
	err = s.db.Update(func(tx *buntdb.Tx) error {
		for i := range n {
			start := t0.Add(time.Duration(i) * 5 * time.Minute)
			for j, m := range []string{a.String(), b.String()} {
				k := fmt.Sprintf("%s%s:%012d", prefixHostStat, m, start.Unix())
				v := fmt.Sprintf(`{"mac":%q,"start":%q,"period":300000000000,"bytes_in":1,"bytes_out":%d}`, m, start.Format(time.RFC3339), j+1)
				if _, _, err := tx.Set(k, v, nil); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = Open(path, Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	left := 0
	s.db.View(func(tx *buntdb.Tx) error {
		return tx.AscendKeys(prefixHostStat+"*", func(string, string) bool { left++; return true })
	})
	if left != 0 {
		t.Errorf("%d hoststat keys left in buntdb", left)
	}
	got, err := s.HostStats(b, t0)
	if err != nil || len(got) != n || got[0].BytesOut != 2 || !got[0].Start.Equal(t0) {
		t.Fatalf("%d rollups of b (first %+v), want %d: %v", len(got), got[0], n, err)
	}
	site, err := s.SiteTraffic(t0)
	if err != nil || len(site) != n || site[n-1].Bytes != 3 {
		t.Fatalf("site traffic: %d periods, want %d: %v", len(site), n, err)
	}
}

// BenchmarkHostStatsDay reads one host's last 24 hours (a device page's
// chart) among 1,000 hosts' 5-minute rollups, from the files.
func BenchmarkHostStatsDay(b *testing.B) {
	s, err := Open(filepath.Join(b.TempDir(), "tend.db"), Config{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	macs := make([]HostStat, 1000)
	for i := range macs {
		m, _ := net.ParseMAC(fmt.Sprintf("02:00:00:00:%02x:%02x", i>>8, i&0xff))
		macs[i] = HostStat{MAC: inventory.MAC(m), Period: 5 * time.Minute, BytesIn: 1000, BytesOut: 2000,
			Protocols: map[string]uint64{"tcp": 10, "udp": 3}, Peers: []StatPeer{{IP: netip.MustParseAddr("10.0.0.1"), Bytes: 3000}}}
	}
	for p := range 288 {
		for i := range macs {
			macs[i].Start = t0.Add(time.Duration(p) * 5 * time.Minute)
		}
		if err := s.PutHostStats(macs...); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for b.Loop() {
		got, err := s.HostStats(macs[500].MAC, t0)
		if err != nil || len(got) != 288 {
			b.Fatalf("%d rollups: %v", len(got), err)
		}
	}
}

// Days older than three days are summed per host per hour, once; what the
// charts and the backup rule read of the last days keeps its periods.
func TestHostStatsHourly(t *testing.T) {
	s := openMemory(t, Config{})
	a, b := mac(t, "00:1b:54:aa:bb:cc"), mac(t, "00:1b:54:aa:bb:0c")
	day := time.Date(2026, 5, 1, 10, 0, 7, 0, time.UTC)
	p1, p2 := netip.MustParseAddr("10.0.0.1"), netip.MustParseAddr("10.0.0.2")
	put := func(start time.Time) {
		t.Helper()
		err := s.PutHostStats(
			HostStat{MAC: a, Start: start, Period: 5 * time.Minute, BytesIn: 1, BytesOut: 10, PacketsOut: 2,
				Protocols: map[string]uint64{"tcp": 2}, Peers: []StatPeer{{IP: p1, Bytes: 5}, {IP: p2, Bytes: 4}}},
			HostStat{MAC: b, Start: start, Period: 5 * time.Minute, BytesOut: 100})
		if err != nil {
			t.Fatal(err)
		}
	}
	for i := range 12 { // 10:00:07 .. 10:55:07
		put(day.Add(time.Duration(i) * 5 * time.Minute))
	}
	put(day.Add(3 * time.Hour))      // 13:00:07
	put(day.Add(4 * 24 * time.Hour)) // recent: keeps its period
	now := day.Add(4*24*time.Hour + time.Hour)
	for range 2 { // a second prune changes nothing
		if n, err := s.PruneHostStats(now, 0); err != nil || n != 0 {
			t.Fatalf("pruned %d: %v", n, err)
		}
		got, err := s.HostStats(a, day.Add(-time.Hour))
		if err != nil || len(got) != 3 {
			t.Fatalf("%d records, want 2 hours and a recent period: %+v %v", len(got), got, err)
		}
		h := got[0]
		if !h.Start.Equal(day.Truncate(time.Hour)) || h.Period != time.Hour || h.BytesIn != 12 || h.BytesOut != 120 ||
			h.PacketsOut != 24 || h.Protocols["tcp"] != 24 || len(h.Peers) != 2 || h.Peers[0] != (StatPeer{IP: p1, Bytes: 60}) {
			t.Errorf("10:00 hour %+v", h)
		}
		if got[2].Period != 5*time.Minute || !got[2].Start.Equal(day.Add(4*24*time.Hour)) {
			t.Errorf("recent period summed: %+v", got[2])
		}
		if hb, _ := s.HostStats(b, day.Add(-time.Hour)); len(hb) != 3 || hb[0].BytesOut != 1200 {
			t.Errorf("b: %+v", hb)
		}
		site, err := s.SiteTraffic(day.Add(-time.Hour))
		if err != nil || len(site) != 3 || site[0].Bytes != 1320 || !site[0].Start.Equal(day.Truncate(time.Hour)) || site[1].Bytes != 110 {
			t.Errorf("site traffic %+v %v", site, err)
		}
	}
}
