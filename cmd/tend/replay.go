package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"tend/capture"
	"tend/discovery"
	"tend/inventory"
	"tend/storage"
	"tend/traffic"
)

// observer turns one frame into passive identity observations; the
// discovery package's passive decoders plug in here.
type observer func(p *capture.Packet) []inventory.Observation

// passiveObserver returns discovery's passive identity decoders for replay
// and the live watch; the store fills vendors when it folds them.
func passiveObserver(cfg discovery.PassiveConfig) observer {
	p := discovery.NewPassive(cfg)
	return p.Packet // the packet capture decoded: one decode per frame; storage's fold fills the vendor
}

// trafficFlags are the traffic engine's settings shared by replay and serve.
type trafficFlags struct {
	learning    time.Duration
	gateway     string
	dhcpServers stringList
	self        stringList
	hygiene     bool
}

type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

func (f *trafficFlags) register(fs *flag.FlagSet, learning time.Duration) {
	fs.DurationVar(&f.learning, "learning", learning, "learning period before new devices, unknown DHCP servers and traffic spikes are reported")
	fs.StringVar(&f.gateway, "gateway", "", "the LAN's default gateway address (serve: read from the routing table when empty)")
	fs.Var(&f.dhcpServers, "dhcp-server", "a legitimate DHCP server address (repeatable)")
	fs.Var(&f.self, "self-mac", "a MAC address of this box, whose own probes are not reported (repeatable)")
	fs.BoolVar(&f.hygiene, "hygiene", true, "read clients' DNS questions and TLS server names for protection, update, backup and remote-access traffic (only matches are kept)")
}

func (f *trafficFlags) config() (traffic.Config, error) {
	cfg := traffic.Config{Learning: f.learning}
	if f.gateway != "" {
		ip, err := netip.ParseAddr(f.gateway)
		if err != nil {
			return cfg, fmt.Errorf("--gateway: %w", err)
		}
		cfg.Gateway = ip
	}
	for _, s := range f.dhcpServers {
		ip, err := netip.ParseAddr(s)
		if err != nil {
			return cfg, fmt.Errorf("--dhcp-server: %w", err)
		}
		cfg.DHCPServers = append(cfg.DHCPServers, ip)
	}
	for _, s := range f.self {
		m, err := net.ParseMAC(s)
		if err != nil {
			return cfg, fmt.Errorf("--self-mac: %w", err)
		}
		cfg.Self = append(cfg.Self, m)
	}
	if f.hygiene {
		cat, err := traffic.OpenHygieneCatalog()
		if err != nil {
			return cfg, err
		}
		cfg.Hygiene = traffic.NewHygieneTracker(cat, 0)
	}
	return cfg, nil
}

// replayResult is what `tend replay --json` prints.
type replayResult struct {
	Files    []replayFile        `json:"files"`
	Events   []inventory.Event   `json:"events"`
	Devices  []inventory.Device  `json:"devices"`
	Hosts    []traffic.HostStats `json:"hosts"`
	Counters traffic.Counters    `json:"counters"`
}

type replayFile struct {
	Path    string    `json:"path"`
	Packets uint64    `json:"packets"`
	First   time.Time `json:"first,omitzero"`
	Last    time.Time `json:"last,omitzero"`
}

// replayBatch is how many observations replay folds in one transaction.
const replayBatch = 512

// replay runs the passive pipeline over capture files in order, with the
// packets' timestamps as the clock. Devices are folded in an in-memory store,
// through the same fold as serve's.
func replay(ctx context.Context, files []string, cfg traffic.Config, observe observer) (*replayResult, error) {
	res := &replayResult{Events: []inventory.Event{}, Devices: []inventory.Device{}}
	eng := traffic.New(cfg, func(ev inventory.Event) { res.Events = append(res.Events, ev) })
	st, err := openMemoryStore()
	if err != nil {
		return nil, err
	}
	defer st.Close()
	var pending []inventory.Observation
	var applyErr error
	flush := func() {
		if len(pending) > 0 && applyErr == nil {
			_, applyErr = st.Apply(pending...)
		}
		pending = pending[:0]
	}
	for _, path := range files {
		src, err := capture.OpenFile(path)
		if err != nil {
			return nil, err
		}
		rf := replayFile{Path: path}
		err = capture.Run(ctx, src, func(p *capture.Packet) {
			if rf.First.IsZero() {
				rf.First = p.Time
			}
			rf.Last = p.Time
			eng.Packet(p)
			if pending = append(pending, observe(p)...); len(pending) >= replayBatch {
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
	if err := errors.Join(ctx.Err(), applyErr); err != nil {
		return nil, err
	}
	res.Hosts = eng.Hosts()
	if err := storeHygiene(st, cfg.Hygiene, res.Hosts, time.Time{}); err != nil {
		return nil, err
	}
	res.Counters = eng.Counters()
	devs, err := st.Devices()
	if err != nil {
		return nil, err
	}
	res.Devices = append(res.Devices, devs...)
	sortDevices(res.Devices)
	return res, nil
}

// openMemoryStore opens the in-memory store scan and replay fold into: the
// same fold as serve's, with every sighting written (no last_seen
// coalescing, since nothing wears out).
func openMemoryStore() (*storage.Store, error) {
	return storage.Open(":memory:", storage.Config{LastSeenResolution: time.Nanosecond})
}

// sortDevices orders devices by address, then MAC, as people read a subnet.
func sortDevices(devs []inventory.Device) {
	slices.SortFunc(devs, func(a, b inventory.Device) int {
		if c := a.IP.Compare(b.IP); c != 0 {
			return c
		}
		return strings.Compare(a.MAC.String(), b.MAC.String())
	})
}

func runReplay(ctx context.Context, e env) error {
	fs := newFlagSet("replay", "FILE...", e)
	jsonOut := fs.Bool("json", false, "print events, devices, host statistics and counters as JSON")
	var tf trafficFlags
	tf.register(fs, 10*time.Minute)
	if err := fs.Parse(e.args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return errors.New("replay: no capture files given")
	}
	cfg, err := tf.config()
	if err != nil {
		return fmt.Errorf("replay: %w", err)
	}
	res, err := replay(ctx, fs.Args(), cfg, passiveObserver(discovery.PassiveConfig{Own: cfg.Self}))
	if err != nil {
		return fmt.Errorf("replay: %w", err)
	}
	if *jsonOut {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	var pkts uint64
	for _, f := range res.Files {
		pkts += f.Packets
	}
	fmt.Fprintf(e.stderr, "tend replay: %d files, %d packets, %d events, %d devices (%d malformed frames)\n",
		len(res.Files), pkts, len(res.Events), len(res.Devices), res.Counters.Malformed)
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
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
