package lab

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sync/errgroup"

	"tend/internal/lazyre"
)

// Box placements.
const (
	BoxNetns = "netns" // the appliance port is eth0 in namespace tl-<name>-box
	BoxHost  = "host"  // the appliance port is link tl-<name> in the host namespace
)

// Config says where and how to build a lab. The zero value is a lab named
// "tend" with its box in a namespace, state under /run/tend-lab.
type Config struct {
	Name      string // 1-10 of a-z, 0-9: prefixes every namespace and link
	Box       string // BoxNetns (default) or BoxHost
	Mirror    bool   // the bridge floods every frame to every port
	CorpusDir string // folder holding the recording sets (…/corpus/snmp); "" = built-in recordings only
	StateDir  string // default /run/tend-lab
	// Owner is the process the lab belongs to (a test binary), 0 for none
	// (a lab that outlives `tend lab up`). An owned lab is recorded in
	// OwnersDir, and any later Up removes it once its owner is gone, even
	// when the owner never ran Down (go test's -timeout panics past
	// t.Cleanup): see Reap.
	Owner     int
	OwnersDir string // default DefaultOwnersDir
	// TempDir is where test binaries mark the host daemons and PostgreSQL
	// clusters they start (internal/orphans), for reap; default os.TempDir().
	TempDir string
	Log     *slog.Logger
}

var labNameRE = &lazyre.Regexp{Expr: `^[a-z0-9]{1,10}$`}

func (c Config) withDefaults() (Config, error) {
	if c.Name == "" {
		c.Name = "tend"
	}
	if !labNameRE.MatchString(c.Name) {
		return c, fmt.Errorf("lab: name %q: want 1-10 of a-z and 0-9", c.Name)
	}
	switch c.Box {
	case "":
		c.Box = BoxNetns
	case BoxNetns, BoxHost:
	default:
		return c, fmt.Errorf("lab: box %q: want %s or %s", c.Box, BoxNetns, BoxHost)
	}
	if c.StateDir == "" {
		c.StateDir = "/run/tend-lab"
	}
	if c.OwnersDir == "" {
		c.OwnersDir = DefaultOwnersDir
	}
	if c.TempDir == "" {
		c.TempDir = os.TempDir()
	}
	if c.Log == nil {
		c.Log = slog.New(slog.DiscardHandler)
	}
	c.Log = c.Log.With("component", "lab", "lab", c.Name)
	return c, nil
}

// State is what Up built, saved as JSON in the state directory.
type State struct {
	Name      string        `json:"name"`
	Box       string        `json:"box"`
	Mirror    bool          `json:"mirror"`
	Shared    bool          `json:"shared_agents,omitempty"`
	CIDR      netip.Prefix  `json:"cidr"`
	BoxIP     netip.Addr    `json:"box_ip"`
	BoxMAC    string        `json:"box_mac"`
	BoxNetns  string        `json:"box_netns,omitempty"` // "" when the box is in the host namespace
	BoxIface  string        `json:"box_iface"`
	Devices   []DeviceState `json:"devices"`
	StartedAt time.Time     `json:"started_at"`
}

// DeviceState is one running device.
type DeviceState struct {
	Device
	MACText string `json:"mac"`
	Netns   string `json:"netns"`
	PID     int    `json:"pid,omitempty"` // the agent's process
	Served  string `json:"served,omitempty"`
}

// Prefix is the string every namespace and host link of the lab starts with.
func Prefix(name string) string { return "tl-" + name }

func (s *State) path(dir string) string { return filepath.Join(dir, s.Name, "state.json") }

// Up builds the LAN. It is idempotent: when the same lab is already up and
// healthy it returns its state; a half-built or different one is torn down
// first. Nothing is created before every recording and tool is found.
func Up(ctx context.Context, cfg Config, lan *LAN) (*State, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	if os.Geteuid() != 0 {
		return nil, errors.New("lab: building namespaces needs root (run with sudo)")
	}
	if reaped, err := Reap(ctx, cfg.OwnersDir, cfg.Log); err != nil {
		cfg.Log.Warn("could not remove every leftover lab", "reaped", reaped, "err", err)
	}
	if old, err := Load(cfg); err == nil && old.sameAs(cfg, lan) && old.healthy() {
		cfg.Log.Info("lab already up")
		return old, nil
	}
	sources, err := resolveAgents(cfg, lan)
	if err != nil {
		return nil, err
	}
	if cfg.Box == BoxHost {
		if err := checkHostOverlap(lan.CIDR, Prefix(cfg.Name)); err != nil {
			return nil, err
		}
	}
	if err := Down(ctx, cfg); err != nil {
		return nil, err
	}
	if cfg.Owner != 0 {
		if err := recordOwner(cfg); err != nil {
			return nil, err
		}
	}
	st := &State{Name: cfg.Name, Box: cfg.Box, Mirror: cfg.Mirror, Shared: lan.SharedAgents, CIDR: lan.CIDR, BoxIP: lan.BoxIP,
		BoxMAC: lan.BoxMAC.String(), StartedAt: time.Now().UTC()}
	dir := filepath.Join(cfg.StateDir, cfg.Name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("lab: make state dir: %w", err)
	}
	if err := checkTraversable(dir); err != nil {
		return nil, err
	}
	if err := buildLAN(ctx, cfg, lan, st, sources); err != nil {
		// Leave nothing half-built behind.
		_ = Down(context.WithoutCancel(ctx), cfg)
		return nil, err
	}
	if !stillOwned(cfg) {
		_ = Down(context.WithoutCancel(ctx), cfg)
		return nil, fmt.Errorf("lab: %s: its owner %d went, or removed it, while it was being built", cfg.Name, cfg.Owner)
	}
	b, _ := json.MarshalIndent(st, "", "  ")
	if err := os.WriteFile(st.path(cfg.StateDir), b, 0o644); err != nil {
		_ = Down(context.WithoutCancel(ctx), cfg)
		return nil, fmt.Errorf("lab: save state: %w", err)
	}
	return st, nil
}

func (s *State) sameAs(cfg Config, lan *LAN) bool {
	if s.Box != cfg.Box || s.Mirror != cfg.Mirror || s.Shared != lan.SharedAgents || s.CIDR != lan.CIDR || s.BoxIP != lan.BoxIP || len(s.Devices) != len(lan.Devices) {
		return false
	}
	for i, d := range lan.Devices {
		o := s.Devices[i]
		if o.Name != d.Name || o.Role != d.Role || o.IP != d.IP || o.MACText != d.MAC.String() || o.Agent != d.Agent ||
			o.Uplink != d.Uplink || o.UplinkPort != d.UplinkPort {
			return false
		}
	}
	return true
}

func (s *State) healthy() bool {
	have := map[string]bool{}
	for _, n := range listNetns() {
		have[n] = true
	}
	for _, d := range s.Devices {
		if !have[d.Netns] || (d.PID != 0 && !alive(d.PID)) {
			return false
		}
	}
	return s.BoxNetns == "" || have[s.BoxNetns]
}

// agentSource is where one snmpsim device's recording comes from: a file set
// keyed by community ("public", "public@10", …).
type agentSource map[string]func() ([]byte, error)

func resolveAgents(cfg Config, lan *LAN) (map[string]agentSource, error) {
	out := map[string]agentSource{}
	var missing []string
	needSim, needSnmpd := false, false
	for _, d := range lan.Devices {
		switch {
		case d.Agent == "snmpd":
			needSnmpd = true
		case d.Recording() != "":
			needSim = true
			src, err := findRecording(cfg.CorpusDir, d.Recording())
			if err != nil {
				missing = append(missing, fmt.Sprintf("%s (%v)", d.Name, err))
				continue
			}
			if lan.wired() {
				read := src["public"]
				src["public"] = func() ([]byte, error) {
					b, err := read()
					if err != nil {
						return nil, err
					}
					return withWiring(b, lan, d)
				}
			}
			out[d.Name] = src
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("lab: recordings not found for %s; pass the corpus folder (…/corpus/snmp) or use the small lan", strings.Join(missing, ", "))
	}
	for tool, need := range map[string]bool{"ip": true, "snmpsimd": needSim, "snmpd": needSnmpd} {
		if _, err := exec.LookPath(tool); need && err != nil {
			return nil, fmt.Errorf("lab: %s not found: install iproute2, snmpsim and snmpd (make deps)", tool)
		}
	}
	return out, nil
}

func findRecording(corpus, ref string) (agentSource, error) {
	set, name, _ := strings.Cut(ref, "/")
	src := agentSource{}
	if set == "builtin" {
		p := "recordings/" + name + ".snmprec"
		if _, err := fs.Stat(labFiles, p); err != nil {
			return nil, fmt.Errorf("no built-in recording %q", name)
		}
		src["public"] = func() ([]byte, error) { return labFiles.ReadFile(p) }
		return src, nil
	}
	if corpus == "" {
		return nil, errors.New("no corpus folder given")
	}
	dir := filepath.Join(corpus, set)
	main := filepath.Join(dir, name+".snmprec")
	if _, err := os.Stat(main); err != nil {
		return nil, err
	}
	src["public"] = func() ([]byte, error) { return os.ReadFile(main) }
	ctxs, _ := filepath.Glob(filepath.Join(dir, name+"@*.snmprec"))
	for _, f := range ctxs {
		vlan := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(f), name+"@"), ".snmprec")
		src["public@"+vlan] = func() ([]byte, error) { return os.ReadFile(f) }
	}
	return src, nil
}

// checkHostOverlap refuses a host-namespace box whose LAN would shadow a
// network the host is really on.
func checkHostOverlap(cidr netip.Prefix, own string) error {
	ifs, err := net.Interfaces()
	if err != nil {
		return fmt.Errorf("lab: list host interfaces: %w", err)
	}
	for _, ifi := range ifs {
		if ifi.Name == own {
			continue
		}
		addrs, _ := ifi.Addrs()
		for _, a := range addrs {
			ipn, ok := a.(*net.IPNet)
			if !ok {
				continue
			}
			ip, _ := netip.AddrFromSlice(ipn.IP)
			ones, _ := ipn.Mask.Size()
			p := netip.PrefixFrom(ip.Unmap(), ones).Masked()
			if p.Overlaps(cidr) {
				return fmt.Errorf("lab: the lan %s overlaps %s on host interface %s; choose another cidr", cidr, p, ifi.Name)
			}
		}
	}
	return nil
}

func buildLAN(ctx context.Context, cfg Config, lan *LAN, st *State, sources map[string]agentSource) error {
	pfx := Prefix(cfg.Name)
	sw := pfx + "-sw"
	ageing := ""
	if cfg.Mirror {
		ageing = " ageing_time 0"
	}
	if err := run(ctx, "ip", "netns", "add", sw); err != nil {
		return err
	}
	// The switch is an unmanaged one: it forwards frames but sends none of
	// its own (no IPv6 link-local address, so no router solicitations or
	// multicast listener reports from br0 and its ports, and no IGMP snooping,
	// whose reports come from br0 too), so it is no device
	// the box could discover.
	if err := InNetns(sw, quietIPv6); err != nil {
		return err
	}
	if err := ipBatch(ctx, sw, "link set lo up", "link add br0 type bridge mcast_snooping 0"+ageing, "link set br0 up"); err != nil {
		return err
	}
	if err := raiseForScale(cfg.Log, len(lan.Devices)); err != nil {
		return err
	}
	bits := lan.CIDR.Bits()
	gw := netip.Addr{}
	for _, d := range lan.Devices {
		if d.Role == "router" {
			gw = d.IP
			break
		}
	}
	st.Devices = make([]DeviceState, len(lan.Devices))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(8)
	own := lan.Devices // each in its own namespace
	if lan.SharedAgents {
		own = nil
		g.Go(func() error { return buildShared(gctx, cfg, lan, st, sw, sources) })
	}
	for i, d := range own {
		ns := pfx + "-" + d.Name
		st.Devices[i] = DeviceState{Device: d, MACText: d.MAC.String(), Netns: ns}
		g.Go(func() error {
			if err := run(gctx, "ip", "netns", "add", ns); err != nil {
				return err
			}
			port := fmt.Sprintf("p%d", i)
			if err := run(gctx, "ip", "-n", sw, "link", "add", port, "type", "veth", "peer", "name", "eth0",
				"netns", ns, "address", d.MAC.String()); err != nil {
				return err
			}
			cmds := []string{"link set lo up", fmt.Sprintf("addr add %s/%d dev eth0", d.IP, bits), "link set eth0 up"}
			if gw.IsValid() && gw != d.IP {
				cmds = append(cmds, "route add default via "+gw.String())
			}
			if err := ipBatch(gctx, ns, cmds...); err != nil {
				return err
			}
			if err := ipBatch(gctx, sw, "link set "+port+" master br0 up"); err != nil {
				return err
			}
			pid, served, err := startAgent(cfg, d, ns, sources[d.Name])
			st.Devices[i].PID, st.Devices[i].Served = pid, served
			return err
		})
	}
	g.Go(func() error { return attachBox(gctx, cfg, lan, st, sw) })
	if err := g.Wait(); err != nil {
		return err
	}
	return waitAll(ctx, cfg, lan, st)
}

// waitAll waits for every agent of the lab to answer. snmpsimd, a Python
// program, indexes its recording before it answers: forty of them
// starting at once on a busy 2-core box need more than the half minute
// one needs alone.
func waitAll(ctx context.Context, cfg Config, lan *LAN, st *State) error {
	agents := 0
	for _, d := range lan.Devices {
		if d.Agent != "-" {
			agents++
		}
	}
	return waitAgents(ctx, st, filepath.Join(cfg.StateDir, cfg.Name), max(30*time.Second, time.Duration(agents)*3*time.Second))
}

// scaleSysctls are the kernel limits a LAN of n hosts on one software bridge
// needs, as functions of n. A bridge floods a broadcast (every ARP request
// of a sweep) to all n ports at once, and each copy waits in the per-CPU
// input backlog (net.core.netdev_max_backlog, 1,000 by default): past it the
// kernel drops, so a sweep of a 1,000-port bridge would miss hosts arp-scan
// misses too. And every host namespace keeps a neighbour entry for the box
// in the kernel's one neighbour table, shared by all namespaces, whose hard
// limit (gc_thresh3) is 1,024 by default: a 1,000-host lab alone fills it.
var scaleSysctls = []struct {
	path string
	need func(n int) int
}{
	{"/proc/sys/net/core/netdev_max_backlog", func(n int) int { return 16 * n }},
	{"/proc/sys/net/ipv4/neigh/default/gc_thresh1", func(n int) int { return n }},
	{"/proc/sys/net/ipv4/neigh/default/gc_thresh2", func(n int) int { return 4 * n }},
	{"/proc/sys/net/ipv4/neigh/default/gc_thresh3", func(n int) int { return 8 * n }},
}

// raiseForScale raises the host's limits in scaleSysctls for a LAN of n
// hosts, when they are lower; it never lowers one (another lab may be
// running), and leaves them raised after the lab is down. Small LANs (the
// defaults fit 250 hosts) change nothing.
func raiseForScale(log *slog.Logger, n int) error {
	if n <= 250 {
		return nil
	}
	for _, s := range scaleSysctls {
		b, err := os.ReadFile(s.path)
		if err != nil {
			return fmt.Errorf("lab: read %s: %w", s.path, err)
		}
		have, err := strconv.Atoi(strings.TrimSpace(string(b)))
		if err != nil {
			return fmt.Errorf("lab: read %s: %w", s.path, err)
		}
		if want := s.need(n); have < want {
			if err := os.WriteFile(s.path, []byte(strconv.Itoa(want)), 0o644); err != nil {
				return fmt.Errorf("lab: raise %s to %d for %d hosts: %w", s.path, want, n, err)
			}
			log.Info("raised a kernel limit for a large lab", "sysctl", s.path, "from", have, "to", want)
		}
	}
	return nil
}

// quietIPv6 turns IPv6 off for the calling thread's namespace (the sysctl
// files under /proc/sys/net belong to the namespace of whoever opens them).
// A kernel without IPv6 has no such files, which is fine.
func quietIPv6() error {
	for _, f := range []string{"/proc/sys/net/ipv6/conf/default/disable_ipv6", "/proc/sys/net/ipv6/conf/all/disable_ipv6"} {
		if err := os.WriteFile(f, []byte("1"), 0o644); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("lab: switch: turn off ipv6: %w", err)
		}
	}
	return nil
}

func attachBox(ctx context.Context, cfg Config, lan *LAN, st *State, sw string) error {
	pfx := Prefix(cfg.Name)
	addr := fmt.Sprintf("addr add %s/%d dev ", lan.BoxIP, lan.CIDR.Bits())
	if cfg.Box == BoxHost {
		st.BoxIface = pfx
		if err := run(ctx, "ip", "link", "add", pfx, "address", lan.BoxMAC.String(), "type", "veth", "peer", "name", "pbox", "netns", sw); err != nil {
			return err
		}
		for _, args := range [][]string{{"addr", "add", fmt.Sprintf("%s/%d", lan.BoxIP, lan.CIDR.Bits()), "dev", pfx}, {"link", "set", pfx, "up"}} {
			if err := run(ctx, "ip", args...); err != nil {
				return err
			}
		}
	} else {
		st.BoxNetns, st.BoxIface = pfx+"-box", "eth0"
		if err := run(ctx, "ip", "netns", "add", st.BoxNetns); err != nil {
			return err
		}
		if err := run(ctx, "ip", "-n", sw, "link", "add", "pbox", "type", "veth", "peer", "name", "eth0",
			"netns", st.BoxNetns, "address", lan.BoxMAC.String()); err != nil {
			return err
		}
		if err := ipBatch(ctx, st.BoxNetns, "link set lo up", addr+"eth0", "link set eth0 up"); err != nil {
			return err
		}
	}
	return ipBatch(ctx, sw, "link set pbox master br0 up")
}

func startAgent(cfg Config, d Device, ns string, src agentSource) (pid int, served string, err error) {
	if d.Agent == "-" {
		return 0, "", nil
	}
	dir := filepath.Join(cfg.StateDir, cfg.Name, d.Name)
	if err := os.MkdirAll(filepath.Join(dir, "data"), 0o755); err != nil {
		return 0, "", fmt.Errorf("lab: agent dir for %s: %w", d.Name, err)
	}
	endpoint := d.IP.String() + ":161"
	var args []string
	if d.Agent == "snmpd" {
		conf := filepath.Join(dir, "snmpd.conf")
		text := fmt.Sprintf("agentAddress udp:%s\nrocommunity public default\nsysName %s\nsysLocation Server room, rack 1\nsysContact it@client.example\nsysServices 72\n", endpoint, d.Name)
		if err := os.WriteFile(conf, []byte(text), 0o644); err != nil {
			return 0, "", fmt.Errorf("lab: snmpd config for %s: %w", d.Name, err)
		}
		args = []string{"netns", "exec", ns, "snmpd", "-f", "-C", "-c", conf, "-Lf", filepath.Join(dir, "agent.log"),
			"-u", "nobody", "-g", "nogroup", "-p", filepath.Join(dir, "snmpd.pid")}
		served = "net-snmp snmpd"
	} else {
		for community, read := range src {
			b, err := read()
			if err != nil {
				return 0, "", fmt.Errorf("lab: read recording for %s: %w", d.Name, err)
			}
			if err := os.WriteFile(filepath.Join(dir, "data", community+".snmprec"), b, 0o644); err != nil {
				return 0, "", fmt.Errorf("lab: write recording for %s: %w", d.Name, err)
			}
		}
		cache := filepath.Join(dir, "cache")
		if err := os.MkdirAll(cache, 0o755); err != nil {
			return 0, "", err
		}
		if err := chownNobody(cache); err != nil {
			return 0, "", fmt.Errorf("lab: cache dir for %s: %w", d.Name, err)
		}
		args = []string{"netns", "exec", ns, "snmpsimd", "--data-dir=" + filepath.Join(dir, "data"), "--cache-dir=" + cache,
			"--agent-udpv4-endpoint=" + endpoint, "--process-user=nobody", "--process-group=nogroup", "--logging-method=null"}
		served = d.Recording()
	}
	logf, err := os.Create(filepath.Join(dir, "agent.out"))
	if err != nil {
		return 0, "", err
	}
	defer logf.Close()
	cmd := exec.Command("ip", args...)
	cmd.Stdout, cmd.Stderr = logf, logf
	// Its own process group: the agent must outlive `tend lab up`, and a
	// Ctrl-C in the terminal that started it must not reach it.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return 0, "", fmt.Errorf("lab: start agent for %s: %w", d.Name, err)
	}
	pid = cmd.Process.Pid
	go cmd.Wait() // reap it if it dies while we are still running
	return pid, served, nil
}

// checkTraversable makes sure the agents, which drop to user nobody, can
// reach their data: otherwise snmpsimd dies without a word.
func checkTraversable(dir string) error {
	for d := dir; ; d = filepath.Dir(d) {
		fi, err := os.Stat(d)
		if err != nil {
			return fmt.Errorf("lab: state dir: %w", err)
		}
		if fi.Mode().Perm()&0o001 == 0 {
			return fmt.Errorf("lab: state dir %s: %s is not searchable by others (mode %v), so the SNMP agents (user nobody) cannot read their data; choose another --state", dir, d, fi.Mode().Perm())
		}
		if d == filepath.Dir(d) {
			return nil
		}
	}
}

func chownNobody(dir string) error {
	out, err := exec.Command("id", "-u", "nobody").Output()
	if err != nil {
		return err
	}
	var uid int
	fmt.Sscan(string(out), &uid)
	return os.Chown(dir, uid, -1)
}

// Down removes every namespace, host link, process and state file of the
// lab. It works from names alone, so it also cleans up after a crash.
func Down(ctx context.Context, cfg Config) error {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return err
	}
	pfx := Prefix(cfg.Name) + "-"
	var mine []string
	for _, n := range listNetns() {
		if strings.HasPrefix(n, pfx) {
			mine = append(mine, n)
		}
	}
	killInNetns(mine)
	var errs []error
	var mu sync.Mutex
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(8)
	for _, n := range mine {
		g.Go(func() error {
			if err := run(gctx, "ip", "netns", "del", n); err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
			return nil
		})
	}
	g.Wait()
	if _, err := net.InterfaceByName(Prefix(cfg.Name)); err == nil {
		// The host's end of a veth goes with its peer's namespace, which
		// the kernel tears down after `ip netns del` returns: a link that
		// is gone by the time it is deleted is no error.
		if err := run(ctx, "ip", "link", "del", Prefix(cfg.Name)); err != nil {
			if _, gone := net.InterfaceByName(Prefix(cfg.Name)); gone == nil {
				errs = append(errs, err)
			}
		}
	}
	if err := os.RemoveAll(filepath.Join(cfg.StateDir, cfg.Name)); err != nil {
		errs = append(errs, fmt.Errorf("lab: remove state: %w", err))
	}
	if len(errs) == 0 { // else the next reap tries again
		if err := os.Remove(recordPath(cfg.OwnersDir, cfg.Name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, fmt.Errorf("lab: remove owner record: %w", err))
		}
	}
	return errors.Join(errs...)
}

// Load reads the saved state of a lab that is up.
func Load(cfg Config) (*State, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	st := &State{Name: cfg.Name}
	b, err := os.ReadFile(st.path(cfg.StateDir))
	if err != nil {
		return nil, fmt.Errorf("lab: %s is not up: %w", cfg.Name, err)
	}
	if err := json.Unmarshal(b, st); err != nil {
		return nil, fmt.Errorf("lab: read state: %w", err)
	}
	for i := range st.Devices {
		st.Devices[i].MAC, _ = net.ParseMAC(st.Devices[i].MACText)
	}
	return st, nil
}

// Leftovers lists the namespaces and host links of the lab that still exist,
// for tests that prove Down left nothing behind.
func Leftovers(name string) []string {
	var out []string
	for _, n := range listNetns() {
		if strings.HasPrefix(n, Prefix(name)+"-") {
			out = append(out, "netns "+n)
		}
	}
	if _, err := net.InterfaceByName(Prefix(name)); err == nil {
		out = append(out, "link "+Prefix(name))
	}
	return out
}

// Alive reports, per device name, whether its agent process still runs.
func (s *State) Alive() map[string]bool {
	out := map[string]bool{}
	for _, d := range s.Devices {
		out[d.Name] = d.PID == 0 || alive(d.PID)
	}
	return out
}

func alive(pid int) bool { return syscall.Kill(pid, 0) == nil }

func listNetns() []string {
	ents, err := os.ReadDir("/run/netns")
	if err != nil {
		return nil
	}
	out := make([]string, 0, len(ents))
	for _, e := range ents {
		out = append(out, e.Name())
	}
	slices.Sort(out)
	return out
}

func run(ctx context.Context, name string, args ...string) error {
	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("lab: %s %s: %w: %s", name, strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return nil
}

func ipBatch(ctx context.Context, ns string, cmds ...string) error {
	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, "ip", "-n", ns, "-batch", "-")
	cmd.Stdin = strings.NewReader(strings.Join(cmds, "\n") + "\n")
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("lab: ip -n %s %q: %w: %s", ns, cmds, err, strings.TrimSpace(stderr.String()))
	}
	return nil
}
