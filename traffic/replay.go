package traffic

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"runtime"
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
	Path    string    `json:"path"`
	Packets uint64    `json:"packets"`
	First   time.Time `json:"first,omitzero"`
	Last    time.Time `json:"last,omitzero"`
}

// replayBatch is how many observations Replay hands to apply at once
// (~2 MB): the store's fold reads, classifies and writes each device once per
// batch, so a few large batches cost far less than many small ones.
const replayBatch = 8192

// Replay runs the passive pipeline over capture files in order, with the
// packets' timestamps as the clock: each packet goes to the engine and to
// observe (nil: none), whose observations go to apply in batches.
//
// With more than one CPU (GOMAXPROCS), the engine runs on a goroutine of
// its own over copies of the frames, decoding them again, while this one
// reads, observes and applies: each side sees every packet in file order,
// so the result is the same as on one CPU (TestReplayPipelinedSame), and
// a replay takes about as long as its slower side, the engine.
func Replay(ctx context.Context, files []string, cfg Config, observe func(*capture.Packet) []inventory.Observation,
	apply func(...inventory.Observation) error) (*ReplayResult, error) {
	return replay(ctx, files, cfg, observe, apply, observe != nil && runtime.GOMAXPROCS(0) > 1)
}

func replay(ctx context.Context, files []string, cfg Config, observe func(*capture.Packet) []inventory.Observation,
	apply func(...inventory.Observation) error, pipelined bool) (*ReplayResult, error) {
	res := &ReplayResult{Events: []inventory.Event{}, Devices: []inventory.Device{}}
	eng := New(cfg, func(ev inventory.Event) { res.Events = append(res.Events, ev) })
	pending := make([]inventory.Observation, 0, replayBatch) // allocated once: no growing copies, no fresh pages
	var applyErr error
	flush := func() {
		if len(pending) > 0 && applyErr == nil {
			applyErr = apply(pending...)
		}
		clear(pending) // let go of the observations' strings
		pending = pending[:0]
	}
	toEngine, wait := eng.packet, func() {}
	if pipelined {
		toEngine, wait = pipeEngine(eng)
	} else {
		eng.mu.Lock() // nothing else has eng until Replay returns
		wait = sync.OnceFunc(eng.mu.Unlock)
	}
	for _, path := range files {
		src, err := capture.OpenFile(path)
		if err != nil {
			wait()
			return nil, err
		}
		rf := ReplayFile{Path: path}
		err = capture.Run(ctx, src, func(p *capture.Packet) {
			if rf.First.IsZero() {
				rf.First = p.Time
			}
			rf.Last = p.Time
			toEngine(p)
			if observe == nil {
				return
			}
			obs := observe(p)
			if len(pending)+len(obs) > cap(pending) {
				flush()
			}
			pending = append(pending, obs...)
		})
		rf.Packets = src.Stats().Received
		src.Close()
		if err != nil {
			wait()
			return nil, err
		}
		res.Files = append(res.Files, rf)
	}
	flush()
	wait()
	if err := errors.Join(ctx.Err(), applyErr); err != nil {
		return nil, err
	}
	eng.Flush()
	res.Hosts = eng.Hosts()
	res.Counters = eng.Counters()
	return res, nil
}

// frameBatch is frames copied for the engine's goroutine: their bytes one
// after another in data, each ending at its frame's end.
type frameBatch struct {
	data   []byte
	frames []batchFrame
}

type batchFrame struct {
	at          time.Time
	length, end int
}

// Sizes of a frameBatch and how many are in flight: enough that neither
// side waits for the other on a burst of large frames (a batch holds 43 of
// 1,514 bytes), few enough to stay in the cache and to take few page faults
// (4 × 64 KB).
const (
	batchFrames   = 512
	batchBytes    = 64 << 10
	batchesFlying = 4
)

// pipeEngine starts a goroutine that decodes copies of the frames given to
// the returned packet function and runs eng over them in order; wait hands
// over the last batch and returns once the engine has seen every frame.
func pipeEngine(eng *Engine) (packet func(*capture.Packet), wait func()) {
	full := make(chan *frameBatch, batchesFlying) // owned by the reading side, which closes it
	free := make(chan *frameBatch, batchesFlying)
	for range batchesFlying {
		free <- &frameBatch{data: make([]byte, 0, batchBytes), frames: make([]batchFrame, 0, batchFrames)}
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		eng.mu.Lock() // nothing else has eng until wait returns
		defer eng.mu.Unlock()
		d := capture.NewDecoder()
		for b := range full {
			start := 0
			for _, f := range b.frames {
				eng.packet(d.Decode(capture.Frame{Time: f.at, Data: b.data[start:f.end:f.end], Length: f.length}))
				start = f.end
			}
			b.data, b.frames = b.data[:0], b.frames[:0]
			free <- b
		}
	}()
	cur := <-free
	packet = func(p *capture.Packet) {
		if len(cur.frames) == cap(cur.frames) || (len(cur.data)+len(p.Data) > cap(cur.data) && len(cur.frames) > 0) {
			full <- cur
			cur = <-free
		}
		cur.data = append(cur.data, p.Data...)
		cur.frames = append(cur.frames, batchFrame{at: p.Time, length: p.Length, end: len(cur.data)})
	}
	var once sync.Once
	wait = func() {
		once.Do(func() {
			if len(cur.frames) > 0 {
				full <- cur
			}
			close(full)
			<-done
		})
	}
	return packet, wait
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
// DHCP servers and the box's own MACs.
func ParseConfig(learning time.Duration, gateway string, dhcpServers, self []string) (Config, error) {
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
		m, err := net.ParseMAC(s)
		if err != nil {
			return cfg, fmt.Errorf("--self-mac: %w", err)
		}
		cfg.Self = append(cfg.Self, m)
	}
	return cfg, nil
}
