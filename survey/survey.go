package survey

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"sync"
	"time"

	"tend/discovery"
	"tend/inventory"
	"tend/snmp"
)

// Config is what a survey sweeps and how it asks.
type Config struct {
	Interface   string           // the interface facing the client LAN; required
	Prefixes    []netip.Prefix   // subnets to sweep; empty: the interface's own IPv4 subnets
	VLANs       []discovery.VLAN // 802.1Q VLANs swept through sub-interfaces as well
	AllowPublic bool             // allow addresses outside RFC 1918 / RFC 6598
	Rate        int              // ARP requests per second at most; 0: discovery.DefaultRate
	SNMP        snmp.Config      // credentials and timeout for the poller
	// IdentityOnly skips the health and topology walks (tend scan without
	// --deep): identity answers in a fraction of the time.
	IdentityOnly bool
}

// Survey is one discovery pass, repeatable: an ARP sweep whose every
// responder is polled over SNMP at once, each result turned into
// observations (the store fills in the MAC registry's vendor as it folds
// them).
type Survey struct {
	ifi          *net.Interface
	prefixes     []netip.Prefix
	vlans        []discovery.VLAN
	sweeper      *discovery.Sweeper
	poller       *snmp.Poller
	log          *slog.Logger
	identityOnly bool
}

// New checks cfg (the interface exists, every subnet is in scope) and
// prepares the sweeper and the poller.
func New(cfg Config, log *slog.Logger) (*Survey, error) {
	if cfg.Interface == "" {
		return nil, errors.New("--interface is required: name the interface that faces the client LAN")
	}
	ifi, err := net.InterfaceByName(cfg.Interface)
	if err != nil {
		return nil, fmt.Errorf("interface %s: %w", cfg.Interface, err)
	}
	prefixes := cfg.Prefixes
	if len(prefixes) == 0 {
		if prefixes, err = discovery.InterfacePrefixes(ifi); err != nil {
			return nil, err
		}
		if len(prefixes) == 0 {
			return nil, fmt.Errorf("interface %s has no IPv4 subnet: give one with --cidr", cfg.Interface)
		}
	}
	if err := discovery.CheckScope(prefixes, cfg.AllowPublic); err != nil {
		return nil, err
	}
	for _, v := range cfg.VLANs {
		if err := discovery.CheckScope([]netip.Prefix{v.Prefix()}, cfg.AllowPublic); err != nil {
			return nil, fmt.Errorf("vlan %d: %w", v.ID, err)
		}
	}
	return &Survey{
		ifi: ifi, prefixes: prefixes, vlans: cfg.VLANs, log: log, identityOnly: cfg.IdentityOnly,
		sweeper: discovery.NewSweeper(discovery.SweepConfig{Rate: cfg.Rate, AllowPublic: cfg.AllowPublic}, log.With("component", "discovery")),
		poller:  snmp.NewPoller(cfg.SNMP, log.With("component", "snmp")),
	}, nil
}

// Prefixes are the subnets the survey sweeps (besides its VLANs).
func (p *Survey) Prefixes() []netip.Prefix { return p.prefixes }

// Result summarises one pass.
type Result struct {
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

// Run sweeps once and hands every observation to emit (from several
// goroutines, so emit must be safe for concurrent use).
func (p *Survey) Run(ctx context.Context, emit func(inventory.Observation)) (Result, error) {
	conn, err := discovery.DialARP(p.ifi)
	if err != nil {
		return Result{}, fmt.Errorf("open ARP socket on %s (needs root or CAP_NET_RAW): %w", p.ifi.Name, err)
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
	return Result{Sweep: stats, SNMP: ps.snmpOK, Identified: ps.identified, Duration: time.Since(ps.start), Prefixes: p.prefixes, Interface: p.ifi.Name}, err
}

// identify emits each responder and polls it over SNMP, emitting what the
// agents say about themselves; it returns once pending is closed and every
// poll has ended.
func (p *Survey) identify(ctx context.Context, ps *pass, pending <-chan inventory.Observation) {
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
func (p *Survey) details(ctx context.Context, ps *pass) {
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
func (p *Survey) inScope(ip netip.Addr) bool {
	for _, pr := range p.prefixes {
		if pr.Contains(ip) {
			return true
		}
	}
	return false
}

// sweepVLAN makes the VLAN's sub-interface, sweeps its subnet and removes it.
func (p *Survey) sweepVLAN(ctx context.Context, v discovery.VLAN, found func(inventory.Observation)) error {
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
