package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"strings"
	"sync"
	"time"

	"tend/discovery"
	"tend/inventory"
	"tend/snmp"
)

// discoveryFlags are the flags scan and serve share.
type discoveryFlags struct {
	iface       string
	cidrs       prefixList
	communities secretList
	v3users     v3List
	allowPublic bool
	rate        int
	snmpTimeout time.Duration
	vlans       vlanList
}

func (f *discoveryFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.iface, "interface", "", "the interface facing the client LAN (required)")
	fs.Var(&f.cidrs, "cidr", "a subnet to sweep (repeatable); default: the interface's own IPv4 subnets")
	fs.Var(&f.communities, "community", "an SNMP v1/v2c community to try (repeatable, tried in order); default: public")
	fs.Var(&f.v3users, "snmp-v3", "an SNMPv3 user to try first, user:auth:authpass[:priv:privpass], e.g. mon:SHA-256:secret12:AES:secret34 (repeatable)")
	fs.Var(credentialFile{&f.communities}, "community-file", "a file of SNMP communities, one per line (mode 0600; keeps them out of ps)")
	fs.Var(credentialFile{&f.v3users}, "snmp-v3-file", "a file of SNMPv3 users, one per line as for --snmp-v3 (mode 0600)")
	fs.BoolVar(&f.allowPublic, "allow-public", false, "allow sweeping addresses outside RFC 1918 / RFC 6598 (only on a network you are responsible for)")
	fs.IntVar(&f.rate, "rate", discovery.DefaultRate, "ARP requests per second at most (500 is arp-scan's polite default)")
	fs.DurationVar(&f.snmpTimeout, "snmp-timeout", time.Second, "how long to wait for each SNMP answer")
	fs.Var(&f.vlans, "vlan", "an 802.1Q VLAN to sweep too, as ID:BOX-ADDRESS/BITS, e.g. 20:10.20.0.250/24 (repeatable); the box makes the sub-interface and removes it afterwards")
}

// vlanList is a repeatable --vlan flag.
type vlanList []discovery.VLAN

func (l *vlanList) String() string { return fmt.Sprint([]discovery.VLAN(*l)) }

func (l *vlanList) Set(v string) error {
	x, err := discovery.ParseVLAN(v)
	if err != nil {
		return err
	}
	*l = append(*l, x)
	return nil
}

// pipeline is one discovery pass: an ARP sweep whose every responder is
// polled over SNMP at once, each result turned into observations (the store
// fills in the MAC registry's vendor as it folds them).
type pipeline struct {
	ifi      *net.Interface
	prefixes []netip.Prefix
	vlans    []discovery.VLAN
	sweeper  *discovery.Sweeper
	poller   *snmp.Poller
	log      *slog.Logger
	// identityOnly skips the health and topology walks (tend scan
	// without --deep): identity answers in a fraction of the time.
	identityOnly bool
}

func newPipeline(f discoveryFlags, log *slog.Logger) (*pipeline, error) {
	if f.iface == "" {
		return nil, errors.New("--interface is required: name the interface that faces the client LAN")
	}
	ifi, err := net.InterfaceByName(f.iface)
	if err != nil {
		return nil, fmt.Errorf("interface %s: %w", f.iface, err)
	}
	prefixes := []netip.Prefix(f.cidrs)
	if len(prefixes) == 0 {
		if prefixes, err = discovery.InterfacePrefixes(ifi); err != nil {
			return nil, err
		}
		if len(prefixes) == 0 {
			return nil, fmt.Errorf("interface %s has no IPv4 subnet: give one with --cidr", f.iface)
		}
	}
	if err := discovery.CheckScope(prefixes, f.allowPublic); err != nil {
		return nil, err
	}
	for _, v := range f.vlans {
		if err := discovery.CheckScope([]netip.Prefix{v.Prefix()}, f.allowPublic); err != nil {
			return nil, fmt.Errorf("vlan %d: %w", v.ID, err)
		}
	}
	return &pipeline{
		ifi: ifi, prefixes: prefixes, vlans: f.vlans, log: log,
		sweeper: discovery.NewSweeper(discovery.SweepConfig{Rate: f.rate, AllowPublic: f.allowPublic}, log.With("component", "discovery")),
		poller:  snmp.NewPoller(snmp.Config{Communities: f.communities, V3Users: f.v3users, Timeout: f.snmpTimeout}, log.With("component", "snmp")),
	}, nil
}

// runResult summarises one pass.
type runResult struct {
	Sweep discovery.Stats
	SNMP  int // hosts that answered SNMP
	// Identified is how long after the start the last SNMP device was
	// identified (make, model, firmware, serial); health and topology
	// reads follow.
	Identified time.Duration
	Duration   time.Duration
	Prefixes   []netip.Prefix
	Interface  string
}

// pass is one run's shared state; mu guards everything below it.
type pass struct {
	start time.Time
	emit  func(inventory.Observation)

	mu         sync.Mutex
	snmpOK     int
	identified time.Duration           // when the last device was identified
	seen       map[string]bool         // MACs emitted
	ports      []snmp.PortEntry        // forwarding entries of every switch
	agents     []inventory.Observation // identified SNMP agents
}

// run sweeps once and hands every observation to emit (from several
// goroutines, so emit must be safe for concurrent use).
func (p *pipeline) run(ctx context.Context, emit func(inventory.Observation)) (runResult, error) {
	conn, err := discovery.DialARP(p.ifi)
	if err != nil {
		return runResult{}, fmt.Errorf("open ARP socket on %s (needs root or CAP_NET_RAW): %w", p.ifi.Name, err)
	}
	defer conn.Close()
	ps := &pass{start: time.Now(), emit: emit, seen: map[string]bool{}}
	// The sweeper's callback must not block: hand responders to a
	// dispatcher that polls each over SNMP at once (the poller caps how
	// many run concurrently).
	pending := make(chan inventory.Observation, 1024)
	identified := make(chan struct{})
	go func() {
		defer close(identified)
		p.identify(ctx, ps, pending)
	}()
	found := func(o inventory.Observation) {
		select {
		case pending <- o:
		default:
			p.log.Warn("discovery backlog full, responder dropped", "ip", o.IP)
		}
	}
	// Each configured VLAN is swept through its own sub-interface at the
	// same time as the untagged LAN (each paced on its own).
	var vg sync.WaitGroup
	vlanErrs := make([]error, len(p.vlans))
	for i, v := range p.vlans {
		vg.Go(func() {
			vlanErrs[i] = p.sweepVLAN(ctx, v, func(o inventory.Observation) { o.VLAN = v.ID; found(o) })
		})
	}
	stats, err := p.sweeper.Sweep(ctx, conn, p.prefixes, found)
	vg.Wait()
	if err == nil {
		err = errors.Join(vlanErrs...)
	}
	close(pending)
	<-identified
	// Health and topology come second: their table walks would otherwise
	// compete with identification for the agents' (and the box's) time.
	p.details(ctx, ps)
	for _, e := range snmp.PlacePorts(ps.ports, ps.seen) {
		port := e.Port
		emit(inventory.Observation{Time: time.Now(), Source: inventory.SourceSNMP, MAC: e.MAC, Port: &port})
	}
	return runResult{Sweep: stats, SNMP: ps.snmpOK, Identified: ps.identified, Duration: time.Since(ps.start), Prefixes: p.prefixes, Interface: p.ifi.Name}, err
}

// identify emits each responder and polls it over SNMP, emitting what the
// agents say about themselves; it returns once pending is closed and every
// poll has ended.
func (p *pipeline) identify(ctx context.Context, ps *pass, pending <-chan inventory.Observation) {
	var wg sync.WaitGroup
	defer wg.Wait()
	for obs := range pending {
		ps.mu.Lock()
		ps.seen[obs.MAC.String()] = true
		ps.mu.Unlock()
		ps.emit(obs)
		wg.Go(func() {
			id, err := p.poller.Identify(ctx, obs.IP)
			if err != nil {
				if !errors.Is(err, snmp.ErrNoAgent) && ctx.Err() == nil {
					p.log.Debug("snmp poll failed", "ip", obs.IP, "err", err)
				}
				return
			}
			id.MAC = obs.MAC
			ps.mu.Lock()
			ps.snmpOK++
			ps.identified = time.Since(ps.start)
			ps.mu.Unlock()
			ps.emit(id)
			ps.mu.Lock()
			ps.agents = append(ps.agents, id)
			ps.mu.Unlock()
		})
	}
}

// details reads every identified agent's health and topology: its system
// observation, the devices in other private subnets its ARP table names
// (routing gear only) and its switch ports.
func (p *pipeline) details(ctx context.Context, ps *pass) {
	if p.identityOnly {
		return // scan without --deep: identity only
	}
	var wg sync.WaitGroup
	for _, id := range ps.agents {
		wg.Go(func() {
			res, err := p.poller.Details(ctx, id)
			if err != nil {
				p.log.Debug("snmp details failed", "ip", id.IP, "err", err)
				return
			}
			s := res.Device
			var remote []inventory.Observation
			// Only routing gear's ARP tables speak for other subnets: a
			// printer's or NAS's cache holds its own LAN at most. Public
			// addresses there are the provider's side of a WAN link, not
			// the client's equipment.
			routes := id.Type == inventory.TypeRouter || id.Type == inventory.TypeFirewall || id.Type == inventory.TypeSwitch
			for _, a := range res.ARP {
				if routes && !p.inScope(a.IP) && discovery.PrivateAddr(a.IP) && !a.MAC.LocallyAdministered() {
					remote = append(remote, inventory.Observation{Time: s.Time, Source: inventory.SourceSNMP, MAC: a.MAC, IP: a.IP,
						Evidence: []inventory.Evidence{{Source: "ARP table", Detail: string(id.Type) + " " + id.IP.String()}}})
				}
			}
			ps.mu.Lock()
			for i := range res.Ports {
				if res.Ports[i].Port.Switch.IsZero() {
					res.Ports[i].Port.Switch = id.MAC
				}
			}
			ps.ports = append(ps.ports, res.Ports...)
			for _, o := range remote {
				ps.seen[o.MAC.String()] = true
			}
			ps.mu.Unlock()
			ps.emit(s)
			for _, o := range remote {
				ps.emit(o)
			}
		})
	}
	wg.Wait()
}

// inScope reports whether ip lies in a swept prefix.
func (p *pipeline) inScope(ip netip.Addr) bool {
	for _, pr := range p.prefixes {
		if pr.Contains(ip) {
			return true
		}
	}
	return false
}

// sweepVLAN makes the VLAN's sub-interface, sweeps its subnet and removes it.
func (p *pipeline) sweepVLAN(ctx context.Context, v discovery.VLAN, found func(inventory.Observation)) error {
	ifi, remove, err := discovery.AddVLAN(ctx, p.ifi.Name, v)
	if err != nil {
		return fmt.Errorf("vlan %d: %w", v.ID, err)
	}
	defer func() {
		if err := remove(); err != nil {
			p.log.Warn("remove vlan sub-interface", "vlan", v.ID, "err", err)
		}
	}()
	conn, err := discovery.DialARP(ifi)
	if err != nil {
		return fmt.Errorf("vlan %d: open ARP socket: %w", v.ID, err)
	}
	defer conn.Close()
	_, err = p.sweeper.Sweep(ctx, conn, []netip.Prefix{v.Prefix()}, found)
	return err
}

// prefixList is a repeatable --cidr flag.
type prefixList []netip.Prefix

func (l *prefixList) String() string {
	s := make([]string, len(*l))
	for i, p := range *l {
		s[i] = p.String()
	}
	return strings.Join(s, ",")
}

func (l *prefixList) Set(v string) error {
	p, err := netip.ParsePrefix(strings.TrimSpace(v))
	if err != nil {
		return fmt.Errorf("not a CIDR prefix like 192.168.1.0/24: %w", err)
	}
	*l = append(*l, p.Masked())
	return nil
}

// secretList is a repeatable --community flag that never prints its values.
type secretList []inventory.Secret

func (l *secretList) String() string { return fmt.Sprintf("%d communities", len(*l)) }

func (l *secretList) Set(v string) error {
	if v == "" {
		return errors.New("an empty community")
	}
	*l = append(*l, inventory.Secret(v))
	return nil
}

// v3List is a repeatable --snmp-v3 flag that never prints its values.
type v3List []snmp.V3User

func (l *v3List) String() string { return fmt.Sprintf("%d v3 users", len(*l)) }

func (l *v3List) Set(v string) error {
	u, err := snmp.ParseV3User(v)
	if err != nil {
		return err
	}
	*l = append(*l, u)
	return nil
}
