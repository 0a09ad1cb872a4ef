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

// passiveObserver returns discovery's passive identity decoders for replay
// and the live watch: they read the packet capture decoded (one decode per
// frame); storage's fold fills the vendor.
func passiveObserver(cfg discovery.PassiveConfig) func(*capture.Packet) []inventory.Observation {
	return discovery.NewPassive(cfg).Packet
}

// trafficFlags are the traffic engine's settings shared by replay and serve.
type trafficFlags struct {
	learning    time.Duration
	gateway     string
	dhcpServers stringList
	self        stringList
}

type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

func (f *trafficFlags) register(fs *flag.FlagSet, learning time.Duration) {
	fs.DurationVar(&f.learning, "learning", learning, "learning period before new devices, unknown DHCP servers and traffic spikes are reported")
	fs.StringVar(&f.gateway, "gateway", "", "the LAN's default gateway address (serve: read from the routing table when empty)")
	fs.Var(&f.dhcpServers, "dhcp-server", "a legitimate DHCP server address (repeatable)")
	fs.Var(&f.self, "self-mac", "a MAC address of this box, whose own probes are not reported (repeatable)")
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
	return cfg, nil
}

// replay runs the passive pipeline over capture files (traffic.Replay),
// folding devices in an in-memory store through the same fold as serve's.
func replay(ctx context.Context, files []string, cfg traffic.Config, observe func(*capture.Packet) []inventory.Observation) (*traffic.ReplayResult, error) {
	st, err := openMemoryStore()
	if err != nil {
		return nil, err
	}
	defer st.Close()
	res, err := traffic.Replay(ctx, files, cfg, observe, func(obs ...inventory.Observation) error {
		_, err := st.Apply(obs...)
		return err
	})
	if err != nil {
		return nil, err
	}
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
