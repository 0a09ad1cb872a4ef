package traffic

import (
	"flag"
	"log/slog"
	"path/filepath"
	"strings"
	"time"
)

// Flags are the engine's command-line settings, shared by tend replay and
// tend serve.
type Flags struct {
	Learning    time.Duration
	Gateway     string
	DHCPServers stringList
	Self        stringList
	IPv6Routers stringList
	Hygiene     bool
	// KnownScanners are --known-scanner's values, checked as set.
	KnownScanners knownScanners
}

type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

// Register adds the flags to fs with learning as the learning period's default.
func (f *Flags) Register(fs *flag.FlagSet, learning time.Duration) {
	fs.DurationVar(&f.Learning, "learning", learning, "learning period before new devices, unknown DHCP servers and traffic spikes are reported")
	fs.StringVar(&f.Gateway, "gateway", "", "the LAN's default gateway address (serve: read from the routing table when empty)")
	fs.Var(&f.DHCPServers, "dhcp-server", "a legitimate DHCP server address (repeatable)")
	fs.Var(&f.IPv6Routers, "ipv6-router", "the MAC of a legitimate IPv6 router besides the gateway (repeatable; any other MAC advertising a default route is rogue)")
	fs.Var(&f.Self, "self-mac", "a MAC address of this box, whose own probes are not reported (repeatable)")
	fs.Var(&f.KnownScanners, "known-scanner", "a declared scanner's MAC, address or prefix (a monitoring server, a second sensor): its port scans, host sweeps and SNMP community guesses are raised at info (repeatable)")
	fs.BoolVar(&f.Hygiene, "hygiene", true, "read clients' DNS questions and TLS server names for protection, update, backup and remote-access traffic (only matches are kept)")
}

// Config is the engine's configuration from the flags. With dataDir (serve's
// data directory), a newer hygiene table there applies at run time and is
// read now, before stored hygiene records are restored against it.
func (f *Flags) Config(dataDir string, log *slog.Logger) (Config, error) {
	cfg, err := ParseConfig(f.Learning, f.Gateway, f.DHCPServers, f.Self, f.IPv6Routers)
	cfg.KnownScanners = f.KnownScanners
	if err == nil && f.Hygiene {
		cfg.Hygiene, err = NewDefaultHygiene()
	}
	if err == nil && cfg.Hygiene != nil && dataDir != "" {
		cfg.Hygiene.FollowFile(filepath.Join(dataDir, HygieneFileName), log)
		cfg.Hygiene.Refresh()
	}
	return cfg, err
}
