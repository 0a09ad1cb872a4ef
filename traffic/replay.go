package traffic

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"tend/capture"
	"tend/inventory"
)

// ReplayResult is what `tend replay --json` prints; the caller fills
// Devices from the store the observations were folded into.
type ReplayResult struct {
	Files    []ReplayFile       `json:"files"`
	Events   []inventory.Event  `json:"events"`
	Devices  []inventory.Device `json:"devices"`
	Hosts    []HostStats        `json:"hosts"`
	Counters Counters           `json:"counters"`
}

// ReplayFile is one replayed capture file.
type ReplayFile struct {
	_       [0]func() // not comparable: no equality function linked
	Path    string    `json:"path"`
	Packets uint64    `json:"packets"`
	First   time.Time `json:"first,omitzero"`
	Last    time.Time `json:"last,omitzero"`
}

// replayBatch is how many observations Replay hands to apply at once: the
// store's fold reads, classifies and writes each device once per batch, so
// a few large batches cost less than many small ones; but every page of the
// batch's buffer costs a page fault when first touched (12 µs each in a
// paravirtualised VM) and the collector scans the whole of it. 1,024
// (~0.5 MB) replays the corpus mix faster than 8,192.
const replayBatch = 1024

// replayHeadroom is room above replayBatch for one frame's observations, so
// that appending them never moves the buffer: the batch is handed on once
// it holds replayBatch or more.
const replayHeadroom = 64

// Replay runs the passive pipeline over capture files in order, with the
// packets' timestamps as the clock: each packet goes to the engine and to
// observe (nil: none), which appends its observations to the batch it is
// given; the batches go to apply.
func Replay(ctx context.Context, files []string, cfg Config, observe func([]inventory.Observation, *capture.Packet) []inventory.Observation,
	apply func(...inventory.Observation) error) (*ReplayResult, error) {
	res := &ReplayResult{Events: []inventory.Event{}, Devices: []inventory.Device{}}
	eng := New(cfg, func(ev inventory.Event) { res.Events = append(res.Events, ev) })
	pending := make([]inventory.Observation, 0, replayBatch+replayHeadroom) // allocated once: no growing copies, no fresh pages
	var applyErr error
	flush := func() {
		if len(pending) > 0 && applyErr == nil {
			applyErr = apply(pending...)
		}
		clear(pending) // let go of the observations' strings
		pending = pending[:0]
	}
	// The engine is this replay's own: its lock is taken once, not for
	// every frame (6 % of the engine's time).
	eng.mu.Lock()
	unlock := sync.OnceFunc(eng.mu.Unlock)
	defer unlock()
	for _, path := range files {
		src, err := capture.OpenFile(path)
		if err != nil {
			return nil, err
		}
		rf := ReplayFile{Path: path}
		err = capture.Run(ctx, src, func(p *capture.Packet) {
			if rf.First.IsZero() {
				rf.First = p.Time
			}
			rf.Last = p.Time
			eng.packet(p)
			if observe == nil {
				return
			}
			if pending = observe(pending, p); len(pending) >= replayBatch {
				flush()
			}
		})
		rf.Packets = src.Stats().Received
		src.Close()
		if err != nil {
			return nil, err
		}
		res.Files = append(res.Files, rf)
	}
	flush()
	unlock()
	if err := errors.Join(ctx.Err(), applyErr); err != nil {
		return nil, err
	}
	eng.Flush()
	res.Hosts = eng.Hosts()
	res.Counters = eng.Counters()
	return res, nil
}

// WriteText prints the result for people: a summary line to summary, the
// events and devices as tables to w.
func (res *ReplayResult) WriteText(w, summary io.Writer) error {
	var pkts uint64
	for _, f := range res.Files {
		pkts += f.Packets
	}
	fmt.Fprintf(summary, "tend replay: %d files, %d packets, %d events, %d devices (%d malformed frames)\n",
		len(res.Files), pkts, len(res.Events), len(res.Devices), res.Counters.Malformed)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "EVENTS\nTIME\tTYPE\tSEVERITY\tMAC\tIP\tSUMMARY")
	for _, ev := range res.Events {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", ev.Time.UTC().Format("2006-01-02 15:04:05"), ev.Type, ev.Severity, ev.MAC, addrOrDash(ev.IP), ev.Summary)
		for _, x := range ev.Evidence {
			fmt.Fprintf(tw, "\t\t\t\t\t  %s: %s\n", x.Source, x.Detail)
		}
	}
	fmt.Fprintln(tw, "\nDEVICES\nIP\tMAC\tFIRST SEEN\tLAST SEEN\tSOURCES")
	for _, d := range res.Devices {
		src := make([]string, len(d.Sources))
		for i, s := range d.Sources {
			src[i] = string(s)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", addrOrDash(d.IP), d.MAC, d.FirstSeen.UTC().Format(time.DateTime), d.LastSeen.UTC().Format(time.DateTime), strings.Join(src, ","))
	}
	return tw.Flush()
}

func addrOrDash(a netip.Addr) string {
	if !a.IsValid() {
		return "-"
	}
	return a.String()
}

// ParseConfig builds an engine Config from text settings (tend's flags):
// the learning period, the gateway address ("" for none), the legitimate
// DHCP servers, the box's own MACs and the IPv6 routers besides the gateway.
func ParseConfig(learning time.Duration, gateway string, dhcpServers, self, ipv6Routers []string) (Config, error) {
	cfg := Config{Learning: learning}
	if gateway != "" {
		ip, err := netip.ParseAddr(gateway)
		if err != nil {
			return cfg, fmt.Errorf("--gateway: %w", err)
		}
		cfg.Gateway = ip
	}
	for _, s := range dhcpServers {
		ip, err := netip.ParseAddr(s)
		if err != nil {
			return cfg, fmt.Errorf("--dhcp-server: %w", err)
		}
		cfg.DHCPServers = append(cfg.DHCPServers, ip)
	}
	for _, s := range self {
		m, err := parseMAC48(s)
		if err != nil {
			return cfg, fmt.Errorf("--self-mac: %w", err)
		}
		cfg.Self = append(cfg.Self, m)
	}
	for _, s := range ipv6Routers {
		m, err := parseMAC48(s)
		if err != nil {
			return cfg, fmt.Errorf("--ipv6-router: %w", err)
		}
		cfg.IPv6Routers = append(cfg.IPv6Routers, m)
	}
	return cfg, nil
}

// parseMAC48 parses an Ethernet MAC: net.ParseMAC also accepts 8- and
// 20-byte addresses (EUI-64, InfiniBand), which the engine's 6-byte keys
// would turn into zeros or a truncated address.
func parseMAC48(s string) (net.HardwareAddr, error) {
	m, err := net.ParseMAC(s)
	if err != nil {
		return nil, err
	}
	if len(m) != 6 {
		return nil, fmt.Errorf("%q is a %d-byte address, want a 6-byte Ethernet MAC", s, len(m))
	}
	return m, nil
}
