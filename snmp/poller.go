package snmp

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/gosnmp/gosnmp"

	"tend/internal/lazyre"
	"tend/inventory"
)

// ErrNoAgent means no configured credential got an answer: the host runs no
// SNMP agent, refuses the port, or accepts none of the communities (a v1/v2c
// agent discards a message with an unknown community without answering,
// RFC 1157 section 4). Callers test for it with errors.Is; it is a fact about
// the device, not a fault of the poller.
var ErrNoAgent = errors.New("no snmp agent answered")

// Version is an SNMP protocol version, named as in inventory.SNMPSystem.
type Version string

// Supported versions.
const (
	V1  Version = "1"
	V2c Version = "2c"
	V3  Version = "3"
)

// Defaults for a zero Config.
const (
	DefaultPort        = 161 // RFC 3417 section 4
	DefaultTimeout     = time.Second
	DefaultRetries     = 1
	DefaultConcurrency = 32
	// DefaultMaxRepetitions is the GETBULK depth of a walk. 100 rows
	// halve the round trips of snmpbulkwalk -Cr50 (measured: a full walk
	// of net-snmp snmpd, medians 132 ms at 100 against 231 ms at 50); an
	// agent that cannot fill it answers with fewer (RFC 3416 4.2.3), one
	// that answers tooBig gets half as many asked again.
	DefaultMaxRepetitions = 100
	// DefaultDeviceTimeout bounds everything one device costs in one poll.
	DefaultDeviceTimeout = 20 * time.Second
)

// Config tunes a Poller; the zero value is the usual default.
type Config struct {
	// Communities to try, in order; nil means "public".
	Communities []inventory.Secret
	// Versions to try for each community, in order; nil means v2c then v1.
	// v2c comes first because v1 agents cannot report a missing object
	// without failing the whole request.
	Versions []Version
	// V3Users are SNMPv3 credentials, tried before the communities
	// (an agent answers an unknown user at once with a report).
	V3Users []V3User
	// Port is the agent's UDP port; 0 means 161.
	Port uint16
	// Timeout per request; 0 means one second.
	Timeout time.Duration
	// Retries per request after a timeout; 0 means 1, negative means none.
	Retries int
	// Concurrency caps the agents polled at once; 0 means 32.
	Concurrency int
	// MaxRepetitions is the GETBULK depth of walks; 0 means 50.
	MaxRepetitions int
	// DeviceTimeout bounds one device's whole poll; 0 means 20 seconds.
	DeviceTimeout time.Duration
	// MaxWalkRows bounds the objects one walk returns; 0 means 100000.
	MaxWalkRows int
	// MaxWalkBytes bounds the bytes of the values one walk returns; 0
	// means 16 MiB.
	MaxWalkBytes int
	// Now stamps observations; nil means time.Now.
	Now func() time.Time
	// MACVendor names the organisation the IEEE assigned a MAC address's
	// block (identity's registry, wired by cmd/tend); nil reads no MAC
	// out of a host name (macNamedHost).
	MACVendor func(mac []byte) (org string, ok bool)
}

// Poller asks SNMP agents who they are. It is safe for concurrent use and
// remembers, per address, which credential worked.
type Poller struct {
	cfg   Config
	creds []credential
	log   *slog.Logger
	dial  dialFunc
	sem   chan struct{}

	mu      sync.Mutex
	working map[netip.Addr]credential
}

// NewPoller returns a Poller with cfg's zero fields defaulted.
func NewPoller(cfg Config, log *slog.Logger) *Poller {
	return newPoller(cfg, log, dialGoSNMP)
}

func newPoller(cfg Config, log *slog.Logger, dial dialFunc) *Poller {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	log = log.With("component", "snmp")
	if len(cfg.Communities) == 0 {
		cfg.Communities = []inventory.Secret{"public"}
	}
	var versions []Version
	for _, v := range cfg.Versions {
		if v == V3 {
			continue // v3 is on when V3Users are given
		}
		if v != V1 && v != V2c {
			log.Warn("unsupported snmp version ignored", "version", string(v))
			continue
		}
		if !slices.Contains(versions, v) {
			versions = append(versions, v)
		}
	}
	if len(versions) == 0 {
		versions = []Version{V2c, V1}
	}
	cfg.Versions = versions
	if cfg.Port == 0 {
		cfg.Port = DefaultPort
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	switch {
	case cfg.Retries == 0:
		cfg.Retries = DefaultRetries
	case cfg.Retries < 0:
		cfg.Retries = 0
	}
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = DefaultConcurrency
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.MaxRepetitions <= 0 {
		cfg.MaxRepetitions = DefaultMaxRepetitions
	}
	if cfg.DeviceTimeout <= 0 {
		cfg.DeviceTimeout = DefaultDeviceTimeout
	}
	if cfg.MaxWalkRows <= 0 {
		cfg.MaxWalkRows = defaultMaxWalkRows
	}
	if cfg.MaxWalkBytes <= 0 {
		cfg.MaxWalkBytes = 16 << 20
	}
	// Version-major order: a modern agent with the second community answers
	// on the second try, not the third.
	var creds []credential
	for _, u := range cfg.V3Users {
		if err := u.Check(); err != nil {
			log.Warn("snmp v3 user ignored", "err", err)
			continue
		}
		creds = append(creds, credential{version: V3, v3: u})
	}
	for _, v := range cfg.Versions {
		for _, c := range cfg.Communities {
			creds = append(creds, credential{version: v, community: c})
		}
	}
	return &Poller{
		cfg:     cfg,
		creds:   creds,
		log:     log,
		dial:    dial,
		sem:     make(chan struct{}, cfg.Concurrency),
		working: make(map[netip.Addr]credential),
	}
}

// System reads the agent's system group (sysDescr, sysObjectID, sysUpTime,
// sysContact, sysName, sysLocation) in one GET and reports it as an
// observation with Source SNMP, the agent's IP, and sysName as Hostname.
// Credentials are tried in order, the one that last worked for ip first;
// a refused port ends the attempt at once. The error wraps ErrNoAgent when
// nothing answered, and ctx's error when ctx ended first.
func (p *Poller) System(ctx context.Context, ip netip.Addr) (inventory.Observation, error) {
	ip, release, err := p.acquire(ctx, ip)
	if err != nil {
		return inventory.Observation{}, err
	}
	defer release()
	ctx, cancel := context.WithTimeout(ctx, p.cfg.DeviceTimeout)
	defer cancel()
	o, _, err := p.system(ctx, ip)
	return o, err
}

// acquire takes one of the Config.Concurrency slots for ip.
func (p *Poller) acquire(ctx context.Context, ip netip.Addr) (netip.Addr, func(), error) {
	if !ip.IsValid() {
		return ip, nil, fmt.Errorf("snmp: poll: invalid address")
	}
	ip = ip.Unmap()
	select {
	case p.sem <- struct{}{}:
		return ip, func() { <-p.sem }, nil
	case <-ctx.Done():
		return ip, nil, fmt.Errorf("snmp: poll %s: %w", ip, ctx.Err())
	}
}

// system is System inside a slot; it also returns the credential that worked.
func (p *Poller) system(ctx context.Context, ip netip.Addr) (inventory.Observation, credential, error) {
	var lastErr error
	tried := 0
	for _, cred := range p.order(ip) {
		tried++
		pkt, err := p.get(ctx, ip, cred, systemOIDs)
		if err == nil {
			p.remember(ip, cred)
			return p.observation(ip, cred, pkt), cred, nil
		}
		if err := ctxDone(ctx); err != nil {
			return inventory.Observation{}, credential{}, fmt.Errorf("snmp: get system on %s: %w", ip, err)
		}
		var agentErr *agentError
		switch {
		case errors.As(err, &agentErr):
			// The agent answered, so the credential is right, but it
			// refused the request: another community will not fix that.
			p.remember(ip, cred)
			return inventory.Observation{}, credential{}, fmt.Errorf("snmp: get system on %s: %w", ip, err)
		case errors.Is(err, syscall.ECONNREFUSED):
			p.forget(ip)
			return inventory.Observation{}, credential{}, fmt.Errorf("snmp: get system on %s: %w: port %d refused: %w", ip, ErrNoAgent, p.cfg.Port, err)
		}
		p.log.Debug("snmp credential got no answer", "ip", ip, "cred", cred.String(), "err", err)
		lastErr = err
	}
	p.forget(ip)
	return inventory.Observation{}, credential{}, fmt.Errorf("snmp: get system on %s: %w (%d credentials tried, last error: %w)", ip, ErrNoAgent, tried, lastErr)
}

// agentError is an answer carrying an error status (RFC 3416 section 3).
type agentError struct {
	status gosnmp.SNMPError
	index  uint8
}

func (e *agentError) Error() string {
	return fmt.Sprintf("agent answered %s at varbind %d", e.status, e.index)
}

// get sends one GET with one credential. A v1 agent fails the whole request
// with noSuchName when one object is missing (RFC 1157 section 4.1.2), so
// the missing object is dropped and the GET repeated, as net-snmp's
// snmpget -Cf does.
func (p *Poller) get(ctx context.Context, ip netip.Addr, cred credential, oids []string) ([]gosnmp.SnmpPDU, error) {
	sess, err := p.open(ctx, ip, cred, "")
	if err != nil {
		return nil, err
	}
	defer sess.Close()
	return getAll(sess, oids)
}

// open dials ip with cred, in SNMP context sctx when not empty.
func (p *Poller) open(ctx context.Context, ip netip.Addr, cred credential, sctx string) (session, error) {
	sess, err := p.dial(ctx, target{ip: ip, port: p.cfg.Port, cred: cred, timeout: p.cfg.Timeout, retries: p.cfg.Retries, context: sctx})
	if err != nil {
		return nil, fmt.Errorf("open session: %w", err)
	}
	return sess, nil
}

// getAll is one GET on an open session, repeated without the objects a v1
// agent reports missing.
func getAll(sess session, oids []string) ([]gosnmp.SnmpPDU, error) {
	oids = slices.Clone(oids)
	for {
		pkt, err := sess.Get(oids)
		if err != nil {
			return nil, err
		}
		if pkt == nil {
			return nil, errors.New("empty response")
		}
		switch {
		case pkt.Error == gosnmp.NoError:
			return pkt.Variables, nil
		case pkt.Error == gosnmp.NoSuchName && pkt.ErrorIndex >= 1 && int(pkt.ErrorIndex) <= len(oids) && len(oids) > 1:
			oids = slices.Delete(oids, int(pkt.ErrorIndex)-1, int(pkt.ErrorIndex))
		case pkt.Error == gosnmp.NoSuchName && len(oids) == 1:
			return nil, nil // nothing of the group exists; the agent still answered
		default:
			return nil, &agentError{status: pkt.Error, index: pkt.ErrorIndex}
		}
	}
}

func (p *Poller) observation(ip netip.Addr, cred credential, vars []gosnmp.SnmpPDU) inventory.Observation {
	sys, problems := decodeSystem(vars)
	if len(problems) > 0 {
		p.log.Debug("snmp system group partly unreadable", "ip", ip, "problems", problems)
	}
	sys.Version = string(cred.version)
	sys.DefaultCommunity = cred.defaultCommunity()
	o := inventory.Observation{
		Time:     p.cfg.Now(),
		Source:   inventory.SourceSNMP,
		IP:       ip,
		Hostname: hostnameFrom(sys.SysName),
		SNMP:     &sys,
	}
	// A placeholder names no device: it must not become the name people
	// see (a device's name falls back on sysName). The note keeps it.
	if n := strings.TrimSpace(sys.SysName); n != "" && (placeholderName.MatchString(n) || strings.EqualFold(n, "<private>")) {
		o.Evidence = append(o.Evidence, inventory.Evidence{Source: "sysName", Detail: fmt.Sprintf("placeholder %q ignored", n)})
		sys.SysName = ""
	}
	return o
}

// hostnameFrom returns sysName when it is a plausible host name (RFC 1123
// letters, digits, '-', '.', '_'; at most 253 characters), else "". Agents
// also put placeholders there ("<private>", "Not set", a sentence), which
// must not become a device's name; the raw value stays in the SNMP evidence.
func hostnameFrom(sysName string) string {
	if sysName == "" || len(sysName) > 253 || placeholderName.MatchString(sysName) {
		return ""
	}
	for _, r := range sysName {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '.' || r == '_') {
			return ""
		}
	}
	return sysName
}

// placeholderName matches sysNames that name no one device: the loopback
// names agents ship with, and a bare MAC address (any separators).
var placeholderName = &lazyre.Regexp{Expr: `(?i)^(localhost(\.localdomain)?|\(none\)|none|unknown|default|openwrt|[0-9a-f]{2}([-:.]?[0-9a-f]{2}){5}|[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4})$`}

// order lists the credentials to try for ip, the remembered one first.
func (p *Poller) order(ip netip.Addr) []credential {
	p.mu.Lock()
	known, ok := p.working[ip]
	p.mu.Unlock()
	if !ok {
		return p.creds
	}
	out := []credential{known}
	for _, c := range p.creds {
		if c != known {
			out = append(out, c)
		}
	}
	return out
}

func (p *Poller) remember(ip netip.Addr, c credential) {
	p.mu.Lock()
	p.working[ip] = c
	p.mu.Unlock()
}

func (p *Poller) forget(ip netip.Addr) {
	p.mu.Lock()
	delete(p.working, ip)
	p.mu.Unlock()
}

// ctxDone is ctx.Err, but also reports a deadline that has passed before
// ctx's own timer noticed: gosnmp sets the socket deadline to ctx's, so a
// request can time out a moment before ctx.Err turns non-nil, and that must
// not read as an agent that never answered.
func ctxDone(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if dl, ok := ctx.Deadline(); ok && !time.Now().Before(dl) {
		return context.DeadlineExceeded
	}
	return nil
}
