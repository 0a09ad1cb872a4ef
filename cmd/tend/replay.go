package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"strings"
	"time"

	"tend/capture"
	"tend/discovery"
	"tend/inventory"
	"tend/storage"
	"tend/traffic"
)

// trafficFlags are the traffic engine's settings shared by replay and serve.
type trafficFlags struct {
	learning    time.Duration
	gateway     string
	dhcpServers stringList
	self        stringList
	hygiene     bool
	dataDir     string // serve's data directory: a newer hygiene table there applies at run time (not a flag)
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
	cfg, err := traffic.ParseConfig(f.learning, f.gateway, f.dhcpServers, f.self)
	if err == nil && f.hygiene {
		cfg.Hygiene, err = traffic.NewDefaultHygiene()
	}
	return cfg, err
}

// replay runs the passive pipeline over capture files (traffic.Replay),
// folding devices in an in-memory store through the same fold as serve's.
func replay(ctx context.Context, files []string, cfg traffic.Config, observe func(*capture.Packet) []inventory.Observation) (*traffic.ReplayResult, error) {
	st, err := storage.OpenMemory()
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
	if err := cfg.Hygiene.Save(st, res.Hosts, time.Time{}); err != nil {
		return nil, err
	}
	devs, err := st.Devices()
	if err != nil {
		return nil, err
	}
	res.Devices = append(res.Devices, devs...)
	inventory.SortByAddress(res.Devices)
	return res, nil
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
	res, err := replay(ctx, fs.Args(), cfg, discovery.NewPassive(discovery.PassiveConfig{Own: cfg.Self}).Packet)
	if err != nil {
		return fmt.Errorf("replay: %w", err)
	}
	if *jsonOut {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	return res.WriteText(e.stdout, e.stderr)
}
