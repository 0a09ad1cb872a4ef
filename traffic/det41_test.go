package traffic

import (
	"strings"
	"testing"
	"time"

	"tend/inventory"
)

// TestReflectionForgedOneIncident: review 40's memcached reflection is one
// spoofed_source, High, from the first forged request (its time and its
// ARP proof) with the reflector and the amplification; not the first
// request's Medium and then the flood's High.
func TestReflectionForgedOneIncident(t *testing.T) {
	var got []inventory.Event
	for _, ev := range stagedEvents(t, "reflect-memcached-forged-gets-scapy.pcap.gz") {
		if ev.Type == inventory.EventSpoofedSource {
			got = append(got, ev)
		}
	}
	if len(got) != 1 {
		t.Fatalf("%d spoofed_source events, want 1: %v", len(got), got)
	}
	ev := got[0]
	if ev.Severity != inventory.SeverityHigh || ev.MAC.String() != "b8:27:eb:00:00:66" || len(ev.Evidence) != 3 {
		t.Fatalf("%s %s %v", ev.Severity, ev.MAC, ev.Evidence)
	}
	first := ev.Time.UTC().Format(time.RFC3339Nano)
	if !strings.Contains(ev.Evidence[0].Detail, "11211") || !strings.Contains(ev.Evidence[0].Detail, " at "+first+":") ||
		!strings.HasPrefix(ev.Evidence[1].Detail, "ARP binds 10.40.1.10") || !strings.Contains(ev.Evidence[2].Detail, "amplification") && !strings.Contains(ev.Summary, "amplification") {
		t.Errorf("%s %q %v", first, ev.Summary, ev.Evidence)
	}
}

