package discovery

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/mdlayher/arp"
	"github.com/mdlayher/ethernet"

	"tend/inventory"
)

// fakeHost is a simulated device behind a fakeConn.
type fakeHost struct {
	mac    net.HardwareAddr
	delay  time.Duration // reply latency
	ignore int           // requests dropped before it starts answering
	repeat int           // extra copies of each reply
	also   []net.HardwareAddr
}

type sentRequest struct {
	ip netip.Addr
	at time.Time
}

// fakeConn is a hand-written Conn: requests are recorded with their time and
// answered by the hosts map; Read honours deadlines with timers, so it works
// under testing/synctest's virtual clock as well as the real one.
type fakeConn struct {
	mac   net.HardwareAddr
	own   []netip.Addr
	hosts map[netip.Addr]*fakeHost
	stall func(i int) time.Duration // time Request i takes, to simulate a busy box
	onReq func(i int)               // runs after Request i

	pkts chan readResult

	mu       sync.Mutex
	requests []sentRequest
	deadline time.Time
	changed  chan struct{}
}

type readResult struct {
	p   *arp.Packet
	err error
}

func newFakeConn(own string, hosts map[string]*fakeHost) *fakeConn {
	c := &fakeConn{
		mac:     net.HardwareAddr{0x02, 0, 0, 0, 0, 0x01},
		own:     []netip.Addr{netip.MustParseAddr(own)},
		hosts:   make(map[netip.Addr]*fakeHost),
		pkts:    make(chan readResult, 1<<16),
		changed: make(chan struct{}),
	}
	for ip, h := range hosts {
		c.hosts[netip.MustParseAddr(ip)] = h
	}
	return c
}

func (c *fakeConn) Request(ip netip.Addr) error {
	c.mu.Lock()
	i := len(c.requests)
	c.requests = append(c.requests, sentRequest{ip, time.Now()})
	h := c.hosts[ip]
	answer := h != nil && h.ignore == 0
	if h != nil && h.ignore > 0 {
		h.ignore--
	}
	c.mu.Unlock()
	if c.stall != nil {
		time.Sleep(c.stall(i))
	}
	if answer {
		macs := append([]net.HardwareAddr{h.mac}, h.also...)
		deliver := func() {
			for _, m := range macs {
				for range 1 + h.repeat {
					c.inject(reply(m, ip, c.mac, c.own[0]), nil)
				}
			}
		}
		if h.delay > 0 {
			time.AfterFunc(h.delay, deliver)
		} else {
			deliver()
		}
	}
	if c.onReq != nil {
		c.onReq(i)
	}
	return nil
}

func (c *fakeConn) inject(p *arp.Packet, err error) { c.pkts <- readResult{p, err} }

func (c *fakeConn) Read() (*arp.Packet, *ethernet.Frame, error) {
	for {
		c.mu.Lock()
		d, changed := c.deadline, c.changed
		c.mu.Unlock()
		var expired <-chan time.Time
		if !d.IsZero() {
			wait := time.Until(d)
			if wait <= 0 {
				return nil, nil, timeoutError{}
			}
			t := time.NewTimer(wait)
			defer t.Stop()
			expired = t.C
		}
		select {
		case r := <-c.pkts:
			return r.p, nil, r.err
		case <-expired:
			return nil, nil, timeoutError{}
		case <-changed:
		}
	}
}

func (c *fakeConn) SetReadDeadline(t time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.deadline = t
	close(c.changed)
	c.changed = make(chan struct{})
	return nil
}

func (c *fakeConn) HardwareAddr() net.HardwareAddr { return c.mac }
func (c *fakeConn) LocalAddrs() []netip.Addr       { return c.own }

func (c *fakeConn) sent() []sentRequest {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.requests)
}

type timeoutError struct{}

func (timeoutError) Error() string   { return "i/o timeout" }
func (timeoutError) Timeout() bool   { return true }
func (timeoutError) Temporary() bool { return true }

func reply(srcMAC net.HardwareAddr, srcIP netip.Addr, dstMAC net.HardwareAddr, dstIP netip.Addr) *arp.Packet {
	p, err := arp.NewPacket(arp.OperationReply, srcMAC, srcIP, dstMAC, dstIP)
	if err != nil {
		panic(err)
	}
	return p
}

func mac(last byte) net.HardwareAddr { return net.HardwareAddr{0x00, 0x1b, 0x54, 0, 0, last} }

// collector gathers found observations; Sweep calls found from one goroutine,
// but the test reads them from another.
type collector struct {
	mu  sync.Mutex
	obs []inventory.Observation
}

func (c *collector) found(o inventory.Observation) {
	c.mu.Lock()
	c.obs = append(c.obs, o)
	c.mu.Unlock()
}

func (c *collector) pairs() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for _, o := range c.obs {
		out = append(out, o.IP.String()+" "+o.MAC.String())
	}
	slices.Sort(out)
	return out
}

var testTargets = []netip.Prefix{netip.MustParsePrefix("10.9.8.0/24")}

// checkRate asserts the sender's promise: at the configured rate any k+1
// consecutive requests span at least k-extra intervals, extra being the
// catch-up lateCredit allows (a whole interval at least), i.e. at most
// rate*T+1+extra requests in any window T. Timestamps taken outside the
// sweeper need some slack.
func checkRate(t *testing.T, reqs []sentRequest, rate int, slack time.Duration) {
	t.Helper()
	interval := time.Second / time.Duration(rate)
	extra := int(max(interval, lateCredit) / interval)
	for i := range reqs {
		for j := i + extra + 1; j < len(reqs); j++ {
			if span, min := reqs[j].at.Sub(reqs[i].at), time.Duration(j-i-extra)*interval-slack; span < min {
				t.Fatalf("requests %d..%d went out in %v, faster than %d/s allows (%v)", i, j, span, rate, min)
			}
		}
	}
}

func TestSweepPacing(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		conn := newFakeConn("10.9.8.1", map[string]*fakeHost{
			"10.9.8.10": {mac: mac(10)}, "10.9.8.20": {mac: mac(20), delay: 3 * time.Millisecond},
		})
		sw := NewSweeper(SweepConfig{Passes: 1, MinWait: -1}, nil) // defaults: 500/s, a fixed 250ms wait
		start := time.Now()
		st, err := sw.Sweep(t.Context(), conn, testTargets, func(inventory.Observation) {})
		if err != nil {
			t.Fatal(err)
		}
		reqs := conn.sent()
		if len(reqs) != 253 || st.Sent != 253 {
			t.Fatalf("sent %d requests (stats %d), want 253 (254 hosts less our own)", len(reqs), st.Sent)
		}
		for i := 1; i < len(reqs); i++ {
			if gap := reqs[i].at.Sub(reqs[i-1].at); gap != 2*time.Millisecond {
				t.Fatalf("gap before request %d is %v, want exactly 2ms at 500/s", i, gap)
			}
		}
		if got, want := time.Since(start), 252*2*time.Millisecond+DefaultWait; got != want {
			t.Errorf("sweep took %v, want %v (252 intervals + wait)", got, want)
		}
		if st.Hosts != 2 || st.Replies != 2 || st.Duration != time.Since(start) {
			t.Errorf("stats %+v", st)
		}
	})
}

// TestSweepAdaptiveWait: on a LAN that answers fast a pass waits
// rttFactor times the slowest round trip (at least MinWait), not the full
// Wait; a slow host stretches it; no answer at all means the full Wait.
func TestSweepAdaptiveWait(t *testing.T) {
	for _, tt := range []struct {
		name  string
		hosts map[string]*fakeHost
		wait  time.Duration
	}{
		{"fast LAN", map[string]*fakeHost{"10.9.8.10": {mac: mac(10)}, "10.9.8.20": {mac: mac(20), delay: 3 * time.Millisecond}}, DefaultMinWait},
		{"one slow host", map[string]*fakeHost{"10.9.8.10": {mac: mac(10), delay: 30 * time.Millisecond}}, 120 * time.Millisecond},
		{"silence", nil, DefaultWait},
	} {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				conn := newFakeConn("10.9.8.1", tt.hosts)
				start := time.Now()
				if _, err := NewSweeper(SweepConfig{Passes: 1}, nil).Sweep(t.Context(), conn, testTargets, nil); err != nil {
					t.Fatal(err)
				}
				if got, want := time.Since(start), 252*2*time.Millisecond+tt.wait; got != want {
					t.Errorf("sweep took %v, want %v (252 intervals + %v)", got, want, tt.wait)
				}
			})
		})
	}
}

// TestSweepRateNeverExceededAfterStalls: a sender that falls behind by
// less than lateCredit (a busy box's late timer) catches up and keeps its
// schedule; one that falls further behind keeps only lateCredit of credit,
// never a burst of everything it missed.
func TestSweepRateNeverExceededAfterStalls(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		conn := newFakeConn("10.9.8.1", nil)
		conn.stall = func(i int) time.Duration {
			switch i {
			case 20:
				return 9 * time.Millisecond // several intervals, less than lateCredit: caught up
			case 40, 41, 42:
				return 2500 * time.Microsecond // each less than an interval late: the schedule holds
			case 100:
				return 50 * time.Millisecond // more than lateCredit: lateCredit of catch-up, no more
			}
			return 0
		}
		sw := NewSweeper(SweepConfig{Passes: 1, Rate: 500}, nil)
		if _, err := sw.Sweep(t.Context(), conn, testTargets, func(inventory.Observation) {}); err != nil {
			t.Fatal(err)
		}
		reqs := conn.sent()
		checkRate(t, reqs, 500, 0)
		if got, want := reqs[25].at.Sub(reqs[0].at), 25*2*time.Millisecond; got != want {
			t.Errorf("request 25 went at %v, want %v: a stall shorter than lateCredit is caught up", got, want)
		}
		if got, want := reqs[60].at.Sub(reqs[0].at), 60*2*time.Millisecond; got != want {
			t.Errorf("request 60 went at %v, want %v: short stalls should not shift the schedule", got, want)
		}
		burst := int(lateCredit / (2 * time.Millisecond))
		for k := 102; k <= 101+burst; k++ {
			if gap := reqs[k].at.Sub(reqs[k-1].at); gap != 0 {
				t.Errorf("after the long stall, request %d followed %d by %v, want at once (lateCredit of catch-up)", k, k-1, gap)
			}
		}
		if gap := reqs[102+burst].at.Sub(reqs[101+burst].at); gap != 2*time.Millisecond {
			t.Errorf("request %d followed %d by %v, want a full interval: the credit is lateCredit, not everything missed", 102+burst, 101+burst, gap)
		}
	})
}

// TestSweepPacingRealClock runs the pacer against the real clock, where
// timers fire late: the rate must never be exceeded. How close it comes to the
// rate is a performance figure, measured by BenchmarkSweepPacing.
func TestSweepPacingRealClock(t *testing.T) {
	conn := newFakeConn("10.9.8.1", nil)
	const rate = 1000
	sw := NewSweeper(SweepConfig{Passes: 1, Rate: rate, Wait: time.Millisecond}, nil)
	if _, err := sw.Sweep(t.Context(), conn, testTargets, func(inventory.Observation) {}); err != nil {
		t.Fatal(err)
	}
	// The fake stamps each request a few microseconds after the pacer read
	// the clock for it, and that skew varies; 100µs of slack absorbs it
	// without hiding a real burst (one extra request is a whole 1ms).
	checkRate(t, conn.sent(), rate, 100*time.Microsecond)
}

// BenchmarkSweepPacing reports the request rate the pacer achieves on the
// real clock against a 1,000/s target (reqs/s; closer to 1000 is better).
func BenchmarkSweepPacing(b *testing.B) {
	const rate = 1000
	var total float64
	for b.Loop() {
		conn := newFakeConn("10.9.8.1", nil)
		sw := NewSweeper(SweepConfig{Passes: 1, Rate: rate, Wait: time.Millisecond}, nil)
		if _, err := sw.Sweep(b.Context(), conn, testTargets, func(inventory.Observation) {}); err != nil {
			b.Fatal(err)
		}
		reqs := conn.sent()
		span := reqs[len(reqs)-1].at.Sub(reqs[0].at)
		total += float64(len(reqs)-1) / span.Seconds()
	}
	b.ReportMetric(total/float64(b.N), "reqs/s")
}

func TestSweepSecondPassOnlyToSilent(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		conn := newFakeConn("10.9.8.1", map[string]*fakeHost{
			"10.9.8.10": {mac: mac(10)},
			"10.9.8.20": {mac: mac(20), ignore: 1},                         // missed the first broadcast
			"10.9.8.30": {mac: mac(30), delay: 100 * time.Millisecond},     // slow, but within the wait
			"10.9.8.40": {mac: mac(40), ignore: 5},                         // asleep all sweep
			"10.9.8.50": {mac: mac(50), delay: 2 * time.Second, repeat: 1}, // answers after the sweep
		})
		var got collector
		sw := NewSweeper(SweepConfig{}, nil)
		st, err := sw.Sweep(t.Context(), conn, testTargets, got.found)
		if err != nil {
			t.Fatal(err)
		}
		reqs := conn.sent()
		var second []netip.Addr
		for _, r := range reqs[253:] {
			second = append(second, r.ip)
		}
		if len(second) != 251 {
			t.Fatalf("second pass sent %d requests, want 251 (253 less the two that answered)", len(second))
		}
		for _, answered := range []string{"10.9.8.10", "10.9.8.30", "10.9.8.1"} {
			if slices.Contains(second, netip.MustParseAddr(answered)) {
				t.Errorf("second pass asked %s again", answered)
			}
		}
		if diff := cmp.Diff([]string{"10.9.8.10 00:1b:54:00:00:0a", "10.9.8.20 00:1b:54:00:00:14", "10.9.8.30 00:1b:54:00:00:1e"}, got.pairs()); diff != "" {
			t.Errorf("found (-want +got):\n%s", diff)
		}
		want := Stats{Sent: 504, Replies: 3, Hosts: 3, Passes: []PassStats{
			{Sent: 253, Replies: 2, NewHosts: 2, Duration: 252*2*time.Millisecond + DefaultWait},
			{Sent: 251, Replies: 1, NewHosts: 1, Duration: 250*2*time.Millisecond + DefaultWait},
		}}
		st.Duration = 0
		if diff := cmp.Diff(want, st); diff != "" {
			t.Errorf("stats (-want +got):\n%s", diff)
		}
		time.Sleep(3 * time.Second) // let the late replies' timers run out inside the bubble
	})
}

func TestSweepReportsEachPairOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		t0 := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
		conn := newFakeConn("10.9.8.1", map[string]*fakeHost{
			"10.9.8.10": {mac: mac(10), repeat: 3},
			"10.9.8.66": {mac: mac(66), also: []net.HardwareAddr{mac(67)}}, // duplicate IP: both are news
			"10.9.8.70": {mac: mac(70), ignore: 1},
		})
		var got collector
		sw := NewSweeper(SweepConfig{Now: func() time.Time { return t0 }, Passes: 3}, nil)
		st, err := sw.Sweep(t.Context(), conn, testTargets, got.found)
		if err != nil {
			t.Fatal(err)
		}
		want := []inventory.Observation{
			{Time: t0, Source: inventory.SourceARP, MAC: inventory.MAC(mac(10)), IP: netip.MustParseAddr("10.9.8.10")},
			{Time: t0, Source: inventory.SourceARP, MAC: inventory.MAC(mac(66)), IP: netip.MustParseAddr("10.9.8.66")},
			{Time: t0, Source: inventory.SourceARP, MAC: inventory.MAC(mac(67)), IP: netip.MustParseAddr("10.9.8.66")},
			{Time: t0, Source: inventory.SourceARP, MAC: inventory.MAC(mac(70)), IP: netip.MustParseAddr("10.9.8.70")},
		}
		if diff := cmp.Diff(want, got.obs, cmp.Comparer(func(a, b netip.Addr) bool { return a == b })); diff != "" {
			t.Errorf("observations (-want +got):\n%s", diff)
		}
		if st.Replies != 7 || st.Hosts != 3 || len(st.Passes) != 3 || st.Passes[2].Sent != 250 {
			t.Errorf("stats %+v", st)
		}
	})
}

func TestSweepIgnoresStrangers(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		conn := newFakeConn("10.9.8.1", map[string]*fakeHost{"10.9.8.10": {mac: mac(10)}})
		own := conn.own[0]
		conn.onReq = func(i int) {
			if i != 0 {
				return
			}
			conn.inject(reply(mac(99), netip.MustParseAddr("10.9.9.5"), conn.mac, own), nil)   // outside targets
			conn.inject(reply(mac(98), own, conn.mac, own), nil)                               // claims our address
			conn.inject(reply(conn.mac, netip.MustParseAddr("10.9.8.11"), conn.mac, own), nil) // our own MAC
			conn.inject(reply(net.HardwareAddr{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, netip.MustParseAddr("10.9.8.12"), conn.mac, own), nil)
			req, _ := arp.NewPacket(arp.OperationRequest, mac(13), netip.MustParseAddr("10.9.8.13"), ethernet.Broadcast, own)
			conn.inject(req, nil)                       // a request is not an answer
			conn.inject(nil, io.ErrUnexpectedEOF)       // malformed frame: skipped
			conn.inject(nil, errors.New("invalid arp")) // likewise
		}
		var got collector
		st, err := NewSweeper(SweepConfig{Passes: 1}, nil).Sweep(t.Context(), conn, testTargets, got.found)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]string{"10.9.8.10 00:1b:54:00:00:0a"}, got.pairs()); diff != "" {
			t.Errorf("found (-want +got):\n%s", diff)
		}
		for _, r := range conn.sent() {
			if r.ip == own || r.ip.String() == "10.9.8.0" || r.ip.String() == "10.9.8.255" {
				t.Errorf("asked for %s", r.ip)
			}
		}
		if st.Malformed != 2 || st.Replies != 1 {
			t.Errorf("stats %+v, want 2 malformed and 1 reply", st)
		}
	})
}

func TestSweepCancelIsNotAnError(t *testing.T) {
	for _, tt := range []struct {
		name  string
		after time.Duration
	}{
		{"while sending", 51 * time.Millisecond},
		{"while waiting", 700 * time.Millisecond},
		{"before start", 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				conn := newFakeConn("10.9.8.1", map[string]*fakeHost{"10.9.8.2": {mac: mac(2)}})
				ctx, cancel := context.WithCancel(t.Context())
				if tt.after == 0 {
					cancel()
				} else {
					time.AfterFunc(tt.after, cancel)
				}
				sw := NewSweeper(SweepConfig{Passes: 1, Wait: time.Second}, nil)
				st, err := sw.Sweep(ctx, conn, testTargets, func(inventory.Observation) {})
				if err != nil {
					t.Fatalf("cancelled sweep returned %v", err)
				}
				want := min(253, int(tt.after/(2*time.Millisecond))+1)
				if tt.after == 0 {
					want = 0
				}
				if st.Sent != want {
					t.Errorf("sent %d before cancellation, want %d", st.Sent, want)
				}
			})
		})
	}
}

// TestSweepCancelPromptRealClock checks that a reader blocked in Read is
// interrupted promptly. The bound is generous on purpose: it catches a hang
// (waiting out timeouts), not scheduling jitter on a loaded CI machine.
func TestSweepCancelPromptRealClock(t *testing.T) {
	conn := newFakeConn("10.9.8.1", nil)
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := NewSweeper(SweepConfig{}, slog.New(slog.DiscardHandler)).Sweep(ctx, conn, testTargets, func(inventory.Observation) {})
	if err != nil {
		t.Fatalf("cancelled sweep returned %v", err)
	}
	if took := time.Since(start); took > time.Second {
		t.Errorf("Sweep returned %v after a 30ms deadline", took)
	}
}

func TestSweepSocketFailure(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		conn := newFakeConn("10.9.8.1", nil)
		conn.onReq = func(i int) {
			if i == 10 {
				conn.inject(nil, &net.OpError{Op: "read", Net: "packet", Err: errors.New("network is down")})
			}
		}
		st, err := NewSweeper(SweepConfig{}, nil).Sweep(t.Context(), conn, testTargets, func(inventory.Observation) {})
		var oe *net.OpError
		if !errors.As(err, &oe) || st.Sent > 12 {
			t.Fatalf("Sweep = %+v, %v; want a read error soon after request 10", st, err)
		}
	})
}

func TestSweepRefusesOutOfScope(t *testing.T) {
	conn := newFakeConn("198.51.100.1", nil)
	_, err := NewSweeper(SweepConfig{}, nil).Sweep(t.Context(), conn, []netip.Prefix{netip.MustParsePrefix("198.51.100.0/24")}, nil)
	if !errors.Is(err, ErrNotPrivate) || len(conn.sent()) != 0 {
		t.Fatalf("public sweep: err %v, %d requests", err, len(conn.sent()))
	}
}

// TestSweepPeriodic: Loop sweeps at once, then every period (between
// starts) with the jitter applied, until the context ends.
func TestSweepPeriodic(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		conn := newFakeConn("10.9.8.1", map[string]*fakeHost{"10.9.8.10": {mac: mac(10)}})
		ctx, cancel := context.WithTimeout(t.Context(), 35*time.Second)
		defer cancel()
		var starts []time.Duration
		begin := time.Now()
		found := 0
		sw := NewSweeper(SweepConfig{Passes: 1}, nil)
		Periodic{Every: 10 * time.Second, Jitter: 0.1, Rand: func() float64 { return 1 }}.Loop(ctx, nil, func() bool { // always +10%
			st, err := sw.Sweep(ctx, conn, testTargets, func(inventory.Observation) { found++ })
			if err != nil {
				t.Fatal(err)
			}
			if ctx.Err() == nil {
				starts = append(starts, time.Since(begin)-st.Duration)
			}
			return true
		})
		want := []time.Duration{0, 11 * time.Second, 22 * time.Second, 33 * time.Second}
		if diff := cmp.Diff(want, starts); diff != "" {
			t.Errorf("sweep starts (-want +got):\n%s", diff)
		}
		if found != 4 {
			t.Errorf("found called %d times, want once per sweep", found)
		}
	})
}

// TestLoopTriggerAndStop: a trigger starts a pass at once, and a pass that
// returns false ends the loop.
func TestLoopTriggerAndStop(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		trigger := make(chan struct{}, 1)
		begin := time.Now()
		var starts []time.Duration
		Periodic{Every: time.Hour, Jitter: -1}.Loop(t.Context(), trigger, func() bool {
			starts = append(starts, time.Since(begin))
			if len(starts) == 1 {
				go func() { time.Sleep(time.Minute); trigger <- struct{}{} }()
			}
			return len(starts) < 3
		})
		want := []time.Duration{0, time.Minute, time.Hour + time.Minute}
		if diff := cmp.Diff(want, starts); diff != "" {
			t.Errorf("starts (-want +got):\n%s", diff)
		}
	})
}
