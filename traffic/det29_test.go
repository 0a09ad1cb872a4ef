package traffic

import (
	"fmt"
	"net/netip"
	"testing"
	"time"

	"tend/inventory"
)

// traceRig is a rig with the gateway 10.0.0.1 known.
func traceRig(t *testing.T) *rig {
	r := newRig(t, Config{Gateway: netip.MustParseAddr("10.0.0.1")})
	r.feed(t0.Add(-time.Second), garpFrame(t, gwMAC, "10.0.0.1"))
	return r
}

// traceSend feeds a probe to dst's port at ttl, and the destination's
// relayed port unreachable when the probe reaches it (hops away).
func traceSend(t *testing.T, r *rig, at time.Time, dst string, port uint16, ttl, hops uint8) {
	f := traceFrame(t, dst, port, ttl)
	r.feed(at, f)
	if hops > 0 && ttl >= hops {
		r.feed(at.Add(time.Millisecond), traceUnreachable(t, dst, f, ttl-hops+1))
	}
}

// TestTraceLadderAnyPorts: the trace tools' own ports and ladders to a
// destination three hops away: mtr -u (33000 and up, one round of TTL 1-3
// every half second for 40 rounds), tracepath (44444 and up, TTL 1 twice
// then up), Linux traceroute -U (port 53) and -p 161 (one fixed port), and
// traceroute -q 5 -f 2 to a destination that never answers (TTL 2 to 30,
// 145 ports): none is a scan. Each raised port_scan High before (exempt
// only to 33434-33534 with the ladder from TTL 1: review 28d,
// real-benign-mtr-u-tracepath, real-benign-trace-variants).
func TestTraceLadderAnyPorts(t *testing.T) {
	type probe struct {
		port uint16
		ttl  uint8
	}
	mtr := func() (ps []probe) {
		for i := 0; i < 120; i++ {
			ps = append(ps, probe{uint16(33000 + i), uint8(1 + i%3)})
		}
		return ps
	}
	tracepath := func() (ps []probe) {
		for i, ttl := range []uint8{1, 1, 2, 3, 3, 3} {
			ps = append(ps, probe{uint16(44444 + i), ttl})
		}
		return ps
	}
	fixed := func(port uint16) func() []probe {
		return func() (ps []probe) {
			for i := 0; i < 90; i++ {
				ps = append(ps, probe{port, uint8(1 + i/3)})
			}
			return ps
		}
	}
	f2 := func() (ps []probe) {
		for i := 0; i < 145; i++ {
			ps = append(ps, probe{uint16(33434 + i), uint8(2 + i/5)})
		}
		return ps
	}
	for _, c := range []struct {
		name   string
		probes func() []probe
		hops   uint8
	}{{"mtr -u", mtr, 3}, {"tracepath", tracepath, 3}, {"traceroute -U", fixed(53), 3}, {"traceroute -p 161", fixed(161), 3}, {"traceroute -q 5 -f 2, no answer", f2, 0}} {
		r := traceRig(t)
		for n, p := range c.probes() {
			traceSend(t, r, t0.Add(time.Duration(n)*170*time.Millisecond), "198.51.100.7", p.port, p.ttl, c.hops)
		}
		// several tools after one another, to one destination
		for n, p := range mtr() {
			traceSend(t, r, t0.Add(30*time.Second+time.Duration(n)*170*time.Millisecond), "198.51.100.7", p.port+200, p.ttl, 3)
		}
		if evs := r.all(); len(evs) != 0 {
			t.Errorf("%s then mtr -u to one destination raised %+v", c.name, evs)
		}
	}
}

// TestTraceManyAtOnce: a monitoring box traces 100 destinations at once
// that never answer (16 probes at once each, then one more TTL's three per
// round up to 30): no scan. Before, the 64-pair ladder table dropped the
// oldest traces, whose later probes then counted: port_scan High.
func TestTraceManyAtOnce(t *testing.T) {
	r := traceRig(t)
	for round := 0; round < 25; round++ {
		for d := 0; d < 100; d++ {
			dst := fmt.Sprintf("198.51.%d.%d", 100+d/50, d%50+1)
			at := t0.Add(time.Duration(round)*time.Second + time.Duration(d)*time.Millisecond)
			lo, hi := 1, 16
			if round > 0 {
				lo, hi = 17+(round-1)*3, 16+round*3
			}
			for i := lo; i <= hi && i <= 90; i++ {
				traceSend(t, r, at.Add(time.Duration(i)*10*time.Microsecond), dst, uint16(33433+i), uint8(1+(i-1)/3), 0)
			}
		}
	}
	if evs := r.all(); len(evs) != 0 {
		t.Errorf("traceroute to 100 destinations at once raised %+v", evs)
	}
}

// TestTraceLadderPrimedScan: a ladder does not cover what it was not: one
// probe at each TTL 1 to 3, then nmap -sU --ttl 4 of 100 ports of the
// destination (a fixed TTL above the ladder), or a fixed TTL from the
// first probe on (nmap --ttl 2, as traceroute -f 2 starts), is a scan;
// the refusals of counted probes count too, ladder or not.
func TestTraceLadderPrimedScan(t *testing.T) {
	for _, c := range []struct {
		name  string
		prime []uint8
		ttl   uint8
	}{{"TTL 1-3 then 4", []uint8{1, 2, 3}, 4}, {"TTL 2 only", nil, 2}, {"TTL 1 then 2", []uint8{1}, 2}} {
		r := traceRig(t)
		for i, ttl := range c.prime {
			traceSend(t, r, t0.Add(time.Duration(i)*time.Millisecond), "198.51.100.7", uint16(33434+i), ttl, 2)
		}
		for i := 0; i < 100; i++ {
			traceSend(t, r, t0.Add(time.Second+time.Duration(i)*10*time.Millisecond), "198.51.100.7", uint16(1+i*7), c.ttl, 2)
		}
		if len(r.of(inventory.EventPortScan)) == 0 {
			t.Errorf("%s: 100 ports at one TTL raised %+v, want port_scan", c.name, r.all())
		}
	}
}
