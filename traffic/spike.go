package traffic

import (
	"fmt"
	"math"
	"math/bits"
	"net/netip"
	"sort"
	"time"

	"tend/inventory"
)

// Baselines: an EWMA of a host's bytes and packets per minute, one per
// hour of the day (so the nightly backup is normal at 02:00 but not at
// 14:00) and one over all hours for hours not yet learned.
const (
	spikeAlpha      = 0.05 // weight of the newest minute
	spikeMinSamples = 30   // minutes of history before an hour's baseline counts
	spikeMaxGap     = 120  // idle minutes folded into the baseline at most
)

// closeBuckets closes the minutes between h's current bucket and now:
// checks the finished minute against the baseline and folds it (and any
// idle minutes after it) into the baselines. Cur is the frame's minute,
// worked out once for its sender and receiver; most frames fall in the
// host's current minute with no tick since, a test small enough to be
// inlined into account (closeBucketsAt is the rest).
func (e *Engine) closeBuckets(h *host, cur int64) {
	if cur > h.bucket || h.bucket < e.tickTo {
		e.closeBucketsAt(h, cur)
	}
}

func (e *Engine) closeBucketsAt(h *host, cur int64) {
	if n := len(e.ticks); n > 0 && h.bucket < e.ticks[n-1].to {
		e.catchUp(h) // idle since a tick: its folds waited
	}
	e.closeAt(h, cur)
}

func (e *Engine) closeAt(h *host, cur int64) {
	if cur <= h.bucket {
		return
	}
	e.checkSpike(h)
	for i := range h.peers {
		h.peerMark[i] = h.peers[i].bytes
	}
	clear(h.peerWeb[:])
	h.peerMixed = 0
	if h.bPkts != 0 {
		h.busy = h.bucket
	}
	if h.bucket <= h.busy+spikeMaxGap {
		e.fold(h, h.bucket, h.bBytes, h.bPkts)
	}
	e.foldIdle(h, h.bucket+1, min(cur, h.bucket+1+spikeMaxGap))
	h.bucket, h.bBytes, h.bPkts = cur, 0, 0
}

// tickRun is a run of ticks at consecutive minutes from..to (inclusive).
type tickRun struct{ from, to int64 }

// maxTickRuns bounds the ticks remembered for idle hosts; past it every
// idle host catches up and the log starts again.
const maxTickRuns = 1024

// tickClose is a tick's closeBuckets for h at minute cur. A host whose
// minute holds no traffic has nothing to check, only idle minutes to fold:
// it folds them when it is next heard from (catchUp), so a long replay does
// not fold every minute of every host that is gone (a month of capture is
// ~43,000 ticks times every host ever seen).
func (e *Engine) tickClose(h *host, cur int64) {
	if h.bPkts != 0 || h.bBytes != 0 {
		e.closeAt(h, cur)
	}
}

// logTick records a tick at minute cur for the idle hosts.
func (e *Engine) logTick(cur int64) {
	if n := len(e.ticks); n > 0 && cur <= e.ticks[n-1].to+1 {
		e.ticks[n-1].to = max(e.ticks[n-1].to, cur)
		e.tickTo = e.ticks[n-1].to
		return
	}
	if len(e.ticks) == maxTickRuns {
		last := e.ticks[len(e.ticks)-1].to
		for _, h := range e.order {
			if h.bucket < last {
				e.catchUp(h)
			}
		}
		e.ticks = e.ticks[:0]
	}
	e.ticks = append(e.ticks, tickRun{cur, cur})
	e.tickTo = cur
}

// catchUp folds what the ticks since h went idle would have folded, the
// same minutes with the same arithmetic: each tick at minute cur after h's
// bucket folds [bucket, min(cur, bucket+1+spikeMaxGap)) and moves the bucket
// to cur, so a run of ticks at consecutive minutes folds every minute up to
// its end.
func (e *Engine) catchUp(h *host) {
	// The runs are in time order: skip those that ended before the
	// bucket by bisection, not one by one (up to maxTickRuns per host).
	first := sort.Search(len(e.ticks), func(i int) bool { return e.ticks[i].to > h.bucket })
	// Minutes in a row are folded at once (foldIdle only counts them):
	// a gap folded whole and the run after it are one span.
	from, to := h.bucket, h.bucket
	span := func(a, b int64) {
		if a >= b {
			return
		}
		if a != to {
			e.foldIdle(h, from, to)
			from = a
		}
		to = b
	}
	for _, r := range e.ticks[first:] {
		if h.bucket < r.from {
			span(h.bucket, min(r.from, h.bucket+1+spikeMaxGap))
			h.bucket = r.from
		}
		span(h.bucket, r.to)
		h.bucket = r.to
	}
	e.foldIdle(h, from, to)
}

// foldIdle folds the idle minutes [from, to) into h's baselines, the same
// arithmetic as fold(h, m, 0, 0) for each (a spike's cap cannot lower a
// zero), one local hour at a time. It only counts them (hourK, allK): a
// baseline decays when it is next read (settle), so the hours a host is
// never heard in again, and hosts never heard from again, cost no steps.
func (e *Engine) foldIdle(h *host, from, to int64) {
	// A host silent longer than spikeMaxGap is away (switched off, on
	// holiday), not quiet: its baselines learn nothing from the minutes it
	// is gone, or a fortnight away would leave every hour's baseline at the
	// smallest float and each busy minute after it a spike for weeks.
	to = min(to, h.busy+1+spikeMaxGap)
	if from >= to {
		return
	}
	for m := from; m < to; {
		// The minutes of one local hour in a row: the zone's hour is asked
		// once for each (a long gap folds up to spikeMaxGap minutes for every host).
		hr, n := e.hours.run(time.Local, m)
		if d := min(to-m, e.hours.to/60-m) / (24 * 60); to-m >= 24*60 && d > 0 {
			// Whole days under one zone offset: 60 minutes of each hour
			// a day, whatever the hour they start in.
			h.foldDays(d)
			m += d * 24 * 60
			continue
		}
		k := min(to, m+n) - m
		m += k
		h.hourK[hr] = addIdle(&h.hourB[hr], &h.hourP[hr], int64(h.hourN[hr]), h.hourK[hr], k)
		h.hourN[hr] = uint16(min(int64(h.hourN[hr])+k, 65535))
	}
	h.allK = addIdle(&h.allB, &h.allP, int64(h.allN), h.allK, to-from)
	h.allN += uint32(to - from)
}

// foldDays is foldIdle's d whole days for the hours' baselines.
func (h *host) foldDays(d int64) {
	for hr := range h.hourK {
		h.hourK[hr] = addIdle(&h.hourB[hr], &h.hourP[hr], int64(h.hourN[hr]), h.hourK[hr], 60*d)
		h.hourN[hr] = uint16(min(int64(h.hourN[hr])+60*d, 65535))
	}
}

// maxIdle bounds the idle minutes a baseline keeps waiting: by then any
// average has decayed to a fixed point (TestDecayFixedPoint: even the
// largest float64 gets there in fewer steps), so more change nothing.
const maxIdle = 1 << 15

// addIdle is k idle minutes for an average of n samples so far with
// pending minutes not yet applied: the first sample sets it (to zero, as
// decay does, at once), each later one adds to the wait.
func addIdle(b, p *float64, n int64, pending uint32, k int64) uint32 {
	if n == 0 {
		*b, *p = 0, 0
		return 0
	}
	return uint32(min(int64(pending)+k, maxIdle))
}

// settle applies the idle minutes waiting on hour hr's baselines and the
// all-hours ones before they are read (fold, checkSpike): nothing touches a
// baseline while its minutes wait, so k steps now are the steps the folds
// would have taken one run at a time.
func (h *host) settle(hr int) {
	k1, k2 := int64(h.hourK[hr]), int64(h.allK)
	if k1|k2 == 0 {
		return
	}
	if k2 != 0 && h.allRetired() {
		// Nothing reads the all-hours baselines again: no steps for them
		// (a host back after days idle would take ~14,000).
		h.allB, h.allP, h.allK, k2 = 0, 0, 0, 0
	}
	k := min(k1, k2)
	decay2(&h.hourB[hr], &h.hourP[hr], 1, &h.allB, &h.allP, 1, k)
	decay(&h.hourB[hr], &h.hourP[hr], 1, k1-k)
	decay(&h.allB, &h.allP, 1, k2-k)
	h.hourK[hr], h.allK = 0, 0
}

// decay2 is decay of two pairs of averages over the same k minutes (an
// hour's baselines and the all-hours ones, as settle applies the minutes
// both waited; an average the first sample set to zero stays zero). Each step waits on the last one's multiply and
// subtract; four independent chains keep the floating-point unit busy
// where two left it idle half the time.
func decay2(b1, p1 *float64, n1 int64, b2, p2 *float64, n2 int64, k int64) {
	if n1 != 0 && n2 != 0 {
		x, y, z, w := *b1, *p1, *b2, *p2
		for ; k > 0 && x >= 0x1p-1022 && y >= 0x1p-1022 && z >= 0x1p-1022 && w >= 0x1p-1022; k-- {
			x -= spikeAlpha * x // decay's step, bit for bit (TestDecayStep)
			y -= spikeAlpha * y
			z -= spikeAlpha * z
			w -= spikeAlpha * w
		}
		*b1, *p1, *b2, *p2 = x, y, z, w
	}
	decay(b1, p1, n1, k)
	decay(b2, p2, n2, k)
}

// decay folds k idle minutes into an average of n samples so far: the
// first sample sets it (to zero), each later one moves it toward zero.
func decay(b, p *float64, n, k int64) {
	if n == 0 {
		*b, *p = 0, 0
		return
	}
	x, y := *b, *p
	for ; k > 0 && x >= 0x1p-1022 && y >= 0x1p-1022; k-- { // both at once while both are normal: two chains in flight
		// x += spikeAlpha * (0 - x), bit for bit (0 - x is -x exactly,
		// and adding a negated product is subtracting it), with one
		// operation fewer in the chain (TestDecayStep).
		x -= spikeAlpha * x
		y -= spikeAlpha * y
	}
	*b, *p = decay1(x, k), decay1(y, k)
}

// decay1 is k times x += spikeAlpha * (0 - x), bit for bit. A baseline
// left for days decays through the subnormal numbers, where each float
// operation costs ~100 cycles on common x86 cores; there the same steps are
// taken in integers (subnormalDecay).
func decay1(x float64, k int64) float64 {
	for ; k > 0 && x != 0; k-- {
		if x > 0 && x < 0x1p-1022 {
			return subnormalDecay(x, k)
		}
		x += spikeAlpha * (0 - x)
	}
	return x
}

// alphaMant is spikeAlpha's significand: spikeAlpha = alphaMant / 2^alphaShift.
var alphaMant, alphaShift = func() (uint64, uint) {
	b := math.Float64bits(spikeAlpha)
	return b&(1<<52-1) | 1<<52, uint(1075 - b>>52)
}()

// subnormalDecay takes k steps of x += spikeAlpha * (0 - x) for a positive
// subnormal x = n * 2^-1074: the product is rounded to the nearest multiple of
// 2^-1074 (ties to even) and the subtraction is exact, so each step is
// n -= round(spikeAlpha * n) in integers.
func subnormalDecay(x float64, k int64) float64 {
	n := math.Float64bits(x)
	for ; k > 0 && n != 0; k-- {
		hi, lo := bits.Mul64(alphaMant, n)
		q := hi<<(64-alphaShift) | lo>>alphaShift
		r, half := lo&(1<<alphaShift-1), uint64(1)<<(alphaShift-1)
		if r > half || r == half && q&1 == 1 {
			q++
		}
		if q == 0 {
			break // a fixed point (n <= 9): the product rounds to zero from here on
		}
		n -= q
	}
	return math.Float64frombits(n)
}

func (e *Engine) fold(h *host, m int64, b, p float64) {
	hr := e.hours.hour(time.Local, m)
	h.settle(hr)
	// A spike enters the baseline only up to the spike threshold, so one
	// burst does not teach the baseline that bursts are normal.
	if base, pb, ok := h.baseline(hr); ok {
		b, p = min(b, base*e.cfg.SpikeFactor), min(p, pb*e.cfg.SpikeFactor)
	}
	ewma := func(avg *float64, v float64, n uint32) {
		if n == 0 {
			*avg = v
			return
		}
		*avg += spikeAlpha * (v - *avg)
	}
	ewma(&h.hourB[hr], b, uint32(h.hourN[hr]))
	ewma(&h.hourP[hr], p, uint32(h.hourN[hr]))
	if h.hourN[hr] < 65535 {
		h.hourN[hr]++
	}
	ewma(&h.allB, b, h.allN)
	ewma(&h.allP, p, h.allN)
	h.allN++
}

// allRetired says every hour of the day has its own baseline: baseline
// never returns the all-hours one again (an hour's count only grows), so
// its value no longer matters.
func (h *host) allRetired() bool {
	for _, n := range h.hourN {
		if n < spikeMinSamples {
			return false
		}
	}
	return true
}

// baseline returns the bytes and packets per minute normal for hr.
func (h *host) baseline(hr int) (bytes, pkts float64, ok bool) {
	if h.hourN[hr] >= spikeMinSamples {
		return h.hourB[hr], h.hourP[hr], true
	}
	if h.allN >= spikeMinSamples {
		return h.allB, h.allP, true
	}
	return 0, 0, false
}

func (e *Engine) checkSpike(h *host) {
	start := time.Unix(h.bucket*60, 0)
	if start.Before(e.learnEnd) || !e.learned() {
		return
	}
	hr := e.hours.hour(time.Local, h.bucket)
	h.settle(hr)
	base, basePkts, ok := h.baseline(hr)
	if !ok {
		return
	}
	floor := float64(e.cfg.SpikeMinBytes)
	byBytes := h.bBytes >= floor && h.bBytes > e.cfg.SpikeFactor*max(base, 1)
	byPkts := h.bBytes >= floor/8 && h.bPkts > e.cfg.SpikeFactor*max(basePkts, 100)
	if !byBytes && !byPkts {
		return
	}
	sev := inventory.SeverityLow
	peerIP, peerBytes, transfer := e.lanTransfer(h)
	if h.bBytes > 4*e.cfg.SpikeFactor*max(base, floor/e.cfg.SpikeFactor) && !transfer {
		sev = inventory.SeverityMedium
	}
	ev := inventory.Event{
		Time: start.Add(time.Minute), Type: inventory.EventTrafficSpike, Severity: sev,
		MAC: macOf(h.mac), IP: h.ip,
		Summary: fmt.Sprintf("%s moved %s in one minute, %.0f× its usual %s", describe(h.mac, h.ip),
			human(h.bBytes), h.bBytes/max(base, 1), human(base)),
		Evidence: []inventory.Evidence{
			{Source: "traffic", Detail: fmt.Sprintf("minute from %s: %s, %.0f packets (in+out)", start.UTC().Format(time.RFC3339), human(h.bBytes), h.bPkts)},
			{Source: "baseline", Detail: fmt.Sprintf("usual at %02d:00: %s, %.0f packets per minute (EWMA)", hr, human(base), basePkts)},
		},
	}
	if transfer {
		ev.Evidence = append(ev.Evidence, inventory.Evidence{Source: "traffic", Detail: fmt.Sprintf(
			"%.0f%% of it with %s, a host on the LAN's segment (in its prefix, bound in ARP or neighbour discovery to the MAC the frames went to, not the gateway's unless the address is the gateway's own), not over a proxy's ports: one transfer between the network's own hosts (a backup, iSCSI or NFS, a copy), so Low however large", 100*peerBytes/h.bBytes, peerIP)})
	}
	e.report(ev, h.mac, mac{})
}

// lanTransfer reports whether h's spike minute is one transfer with a
// host of the LAN (spikeTransferShare of its bytes with one peer on the
// segment, onSegment, every frame of the minute with it through the one
// MAC bound to it, not spoken to through a proxy, spikeWebShare), and the
// peer and its bytes.
func (e *Engine) lanTransfer(h *host) (netip.Addr, float64, bool) {
	top, bytes := h.minuteTop()
	ip := h.peers[top].ip
	ok := bytes >= spikeTransferShare*h.bBytes && float64(h.peerWeb[top]) < spikeWebShare*bytes &&
		h.peerMixed&(1<<top) == 0 && e.onSegment(ip, h.peerVia[top])
	return ip, bytes, ok
}

// spikeWebShare is the share of a peer's minute bytes over a forward
// proxy's ports (classify) from which it is a proxy, not a LAN
// transfer's peer: an upload to a LAN proxy (Squid, SOCKS) leaves the
// network, and one DNS query to the proxy after it does not make it a
// file server; a backup or copy runs over SMB, NFS, iSCSI, rsync or SSH,
// beside a NAS's web page at most.
const spikeWebShare = 0.1

// onSegment reports whether ip, whose frames went to or came from via, is a
// host on the LAN's own segment, so that a transfer with it stays inside
// the network: a private address (local) in the LAN's prefix (lanPrefix),
// bound in ARP or neighbour discovery to via, which is not the gateway's
// MAC (gatewayMAC) unless ip is the gateway's own address (a router's NAS
// or USB disk is an endpoint). Private is not enough: a 10.x VPN site, a
// CGNAT address or another site's subnet behind a router has no binding on
// the segment (its frames carry the router's MAC), an address the gateway
// answers for (proxy ARP) is bound to the gateway's MAC, a binding forged
// with one gratuitous ARP is not the MAC the frames go to, and a LAN router
// proxy-ARPing for a site is answering for an address outside the prefix;
// an upload to any of them leaves the network.
func (e *Engine) onSegment(ip netip.Addr, via mac) bool {
	if !local(ip) {
		return false
	}
	tbl := e.arp
	if ip.Is6() {
		tbl = e.nd
	}
	if b := tbl[ip]; b == nil || b.mac != via {
		return false
	}
	if e.isGateway(ip) {
		return true
	}
	if gw, ok := e.gatewayMAC(); ok && via == gw {
		return false
	}
	return e.lanPrefix(ip)
}

// lanPrefix reports whether the IPv4 address ip is inside the LAN's
// prefix: a subnet a legitimate DHCP server hands out (option 1), else the
// gateway's /24 (its mask is not on the wire); with neither known, or for
// IPv6 (neighbour discovery binds on-link addresses only), any.
func (e *Engine) lanPrefix(ip netip.Addr) bool {
	if !ip.Is4() {
		return true
	}
	known := false
	for srv := range e.dhcp.known {
		if s := e.dhcp.seen[srv]; s != nil {
			for _, p := range s.out.subnets {
				if p.Contains(ip) {
					return true
				}
				known = true
			}
		}
	}
	if known {
		return false
	}
	for _, g := range [2]netip.Addr{e.gateway, e.dhcp.router} {
		if g.Is4() {
			if p, _ := g.Prefix(24); p.Contains(ip) {
				return true
			}
			known = true
		}
	}
	return !known
}

// spikeTransferShare is the share of a spike minute's bytes that one peer
// on the segment (onSegment), not spoken to through a proxy (classify), must
// have for the spike to be a transfer between two of the
// network's hosts (a backup server reading a NAS at line rate, an iSCSI or
// NFS initiator, a VM migration): such a minute is Low however far above
// its baseline; a minute spread over many peers, or one whose top peer is
// off the segment (an upload out of the network, a VPN site's address
// through the gateway), keeps Medium.
const spikeTransferShare = 0.9

// minuteTop returns the peers slot with the most bytes in the current
// minute and those bytes, from the top-peer slots and their marks (peerMark): a peer
// that took a slot during the minute counts from the count it inherited,
// an upper bound kept by space-saving, so its bytes are never overstated.
func (h *host) minuteTop() (slot int, bytes float64) {
	var most uint64
	for i := range h.peers[:h.nPeers%(topPeers+1)] {
		if d := h.peers[i].bytes - h.peerMark[i]; d > most {
			slot, most = i, d
		}
	}
	return slot, float64(most)
}

func human(b float64) string {
	switch {
	case b >= 1<<30:
		return fmt.Sprintf("%.1f GB", b/(1<<30))
	case b >= 1<<20:
		return fmt.Sprintf("%.1f MB", b/(1<<20))
	case b >= 1<<10:
		return fmt.Sprintf("%.1f kB", b/(1<<10))
	}
	return fmt.Sprintf("%.0f B", b)
}

// localHours gives the hour of the day of a minute since the epoch, as
// time.Unix(m*60, 0).In(loc).Hour() does, from the zone offset it caches
// for as long as the zone holds: closing every host's idle minutes at each
// tick asks for thousands of them.
type localHours struct {
	loc      *time.Location
	from, to int64 // Unix seconds; off holds in [from, to)
	off      int64
}

func (c *localHours) hour(loc *time.Location, m int64) int {
	sec := m * 60
	if c.loc != loc || sec < c.from || sec >= c.to {
		t := time.Unix(sec, 0).In(loc)
		_, off := t.Zone()
		start, end := t.ZoneBounds()
		c.loc, c.off, c.from, c.to = loc, int64(off), math.MinInt64, math.MaxInt64
		if !start.IsZero() {
			c.from = start.Unix()
		}
		if !end.IsZero() {
			c.to = end.Unix()
		}
	}
	return int(((sec+c.off)%86400+86400)%86400) / 3600
}

// run is hour's hour of minute m and how many minutes from m on (at least
// one) have it: up to the next local hour or the end of the zone's offset.
func (c *localHours) run(loc *time.Location, m int64) (hr int, n int64) {
	hr = c.hour(loc, m)
	sec := m * 60
	intoHour := ((sec+c.off)%3600 + 3600) % 3600
	n = (3600 - intoHour + 59) / 60 // minutes starting before the next hour
	if c.to != math.MaxInt64 {
		n = min(n, (c.to-sec+59)/60) // and before the offset changes
	}
	return hr, max(n, 1)
}
