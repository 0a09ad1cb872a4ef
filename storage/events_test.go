package storage

import (
	"net/netip"
	"testing"
	"time"

	"tend/inventory"
)

func TestEventsRetentionAndQuery(t *testing.T) {
	s := openMemory(t, Config{})
	base := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	evil, pc := mac(t, "b8:27:eb:00:00:66"), mac(t, "3c:52:82:00:00:10")
	var evs []inventory.Event
	for i := range 10 {
		evs = append(evs, inventory.Event{Time: base.Add(time.Duration(i) * time.Hour), Type: inventory.EventPortScan,
			Severity: inventory.SeverityHigh, MAC: evil, IP: netip.MustParseAddr("10.0.0.66"), TargetMAC: pc,
			Summary: "scan", Evidence: []inventory.Evidence{{Source: "traffic", Detail: "ports 1-1024"}}})
	}
	// Two events at the same instant both survive.
	evs = append(evs, inventory.Event{Time: base, Type: inventory.EventNewDevice, MAC: pc, Summary: "new"})
	if err := s.AddEvents(evs...); err != nil {
		t.Fatal(err)
	}
	all, err := s.Events(EventQuery{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 11 || !all[0].Time.Equal(base.Add(9*time.Hour)) || all[0].Evidence[0].Detail != "ports 1-1024" {
		t.Fatalf("events %d, first %+v", len(all), all[0])
	}
	news, _ := s.Events(EventQuery{Types: []inventory.EventType{inventory.EventNewDevice}})
	if len(news) != 1 {
		t.Errorf("type filter: %d", len(news))
	}
	byTarget, _ := s.Events(EventQuery{MAC: pc, Since: base.Add(5 * time.Hour)})
	if len(byTarget) != 5 {
		t.Errorf("since+mac filter: %d", len(byTarget))
	}
	// Retention by age, then by count.
	n, err := s.PruneEvents(base.Add(10*time.Hour), 6*time.Hour, 0)
	if err != nil || n != 5 {
		t.Fatalf("pruned %d by age: %v", n, err)
	}
	n, _ = s.PruneEvents(base.Add(10*time.Hour), 0, 2)
	left, _ := s.Events(EventQuery{})
	if n != 4 || len(left) != 2 || !left[1].Time.Equal(base.Add(8*time.Hour)) {
		t.Fatalf("pruned %d by count, left %d", n, len(left))
	}
}

func TestHostStatsRollups(t *testing.T) {
	s := openMemory(t, Config{})
	base := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	nas, pc := mac(t, "00:11:32:00:00:30"), mac(t, "3c:52:82:00:00:10")
	for i := range 6 {
		err := s.PutHostStats(
			HostStat{MAC: nas, Start: base.Add(time.Duration(i) * 5 * time.Minute), Period: 5 * time.Minute, BytesOut: uint64(i * 1000),
				Protocols: map[string]uint64{"smb": 3}, Peers: []StatPeer{{IP: netip.MustParseAddr("10.0.0.10"), Bytes: 99}}},
			HostStat{MAC: pc, Start: base.Add(time.Duration(i) * 5 * time.Minute), Period: 5 * time.Minute, BytesIn: 1})
		if err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.HostStats(nas, base.Add(10*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 4 || got[0].BytesOut != 2000 || got[3].BytesOut != 5000 || got[0].Protocols["smb"] != 3 || got[0].Peers[0].Bytes != 99 {
		t.Fatalf("rollups %+v", got)
	}
	// A day goes once all of it is past the retention: not yet here...
	if n, err := s.PruneHostStats(base.Add(30*time.Minute), 15*time.Minute); err != nil || n != 0 {
		t.Fatalf("pruned %d files the same day: %v", n, err)
	}
	// ...but the next day, both hosts' files for May 1 go, with the site totals.
	n, err := s.PruneHostStats(base.Add(24*time.Hour), time.Hour)
	if err != nil || n != 2 {
		t.Fatalf("pruned %d files: %v", n, err)
	}
	if got, _ := s.HostStats(nas, base); len(got) != 0 {
		t.Errorf("pruned rollups still read: %+v", got)
	}
	if got, _ := s.SiteTraffic(base); len(got) != 0 {
		t.Errorf("pruned site totals still read: %+v", got)
	}
	if err := s.PutHostStats(HostStat{}); err == nil {
		t.Error("stat without MAC stored")
	}
}
