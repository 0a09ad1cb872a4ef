package snmp

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"slices"
	"syscall"
	"time"

	"github.com/gosnmp/gosnmp"

	"tend/inventory"
)

// session is the part of a gosnmp connection the poller uses: the seam where
// tests put a scripted fake (or a recording) instead of an agent.
type session interface {
	Get(oids []string) (*gosnmp.SnmpPacket, error)
	// GetNext asks for the object after each of oids (RFC 1157 section
	// 4.1.3), the v1 way to walk.
	GetNext(oids []string) (*gosnmp.SnmpPacket, error)
	// GetBulk asks for the next maxRepetitions objects after each of oids
	// (RFC 3416 section 4.2.3); v2c and v3 only.
	GetBulk(oids []string, nonRepeaters uint8, maxRepetitions uint32) (*gosnmp.SnmpPacket, error)
	Close() error
}

// target is one agent with one credential.
type target struct {
	_       [0]func() // not comparable: no equality function linked
	ip      netip.Addr
	port    uint16
	cred    credential
	timeout time.Duration
	retries int
	context string // SNMP context: v3 contextName, or community@context on v1/v2c
}

// credential is one way to talk to an agent. It is comparable, so the
// poller can remember and reorder credentials.
type credential struct {
	version   Version
	community inventory.Secret
	v3        V3User
}

// defaultCommunities are the communities every scanner on the internet
// tries first; an agent answering one of them is a finding.
var defaultCommunities = []string{"public", "private"}

// defaultCommunity reports whether c is SNMPv1/v2c with a well-known
// default community.
func (c credential) defaultCommunity() bool {
	return c.version != V3 && slices.Contains(defaultCommunities, c.community.Reveal())
}

// String keeps secrets out of logs and %v: fmt cannot see the Secret's own
// String through an unexported field.
func (c credential) String() string {
	if c.version == V3 {
		return "v3 user " + c.v3.User
	}
	return "v" + string(c.version) + " community " + c.community.String()
}

// dialFunc opens a session; ctx bounds every request made on it.
type dialFunc func(ctx context.Context, t target) (session, error)

// dialGoSNMP opens a real gosnmp session on a connected UDP socket.
//
// Two things gosnmp does not do are added here. It reads ctx only between
// retries, so a cancelled ctx closes the socket to end a blocked read at
// once. And it retries after a read fails with ECONNREFUSED (an ICMP
// port-unreachable: no agent listens), waiting for the timeout again if the
// second ICMP is rate-limited away; refusedConn makes every later write fail
// with the same error, so the retries cost nothing.
func dialGoSNMP(ctx context.Context, t target) (session, error) {
	g := &gosnmp.GoSNMP{
		Target:             t.ip.String(),
		Port:               t.port,
		Transport:          "udp",
		Timeout:            t.timeout,
		Retries:            t.retries,
		Context:            ctx,
		MaxOids:            gosnmp.MaxOids,
		MaxRepetitions:     DefaultMaxRepetitions,
		ExponentialTimeout: false,
	}
	switch t.cred.version {
	case V1:
		g.Version = gosnmp.Version1
	case V3:
		g.Version = gosnmp.Version3
		g.SecurityModel = gosnmp.UserSecurityModel
		g.MsgFlags, g.SecurityParameters = t.cred.v3.usm()
		g.ContextName = t.context
	default:
		g.Version = gosnmp.Version2c
	}
	if t.cred.version != V3 {
		g.Community = t.cred.community.Reveal()
		if t.context != "" {
			g.Community += "@" + t.context // Cisco's per-VLAN community indexing
		}
	}
	if err := g.Connect(); err != nil {
		return nil, err
	}
	rc := &refusedConn{Conn: g.Conn}
	g.Conn = rc
	stop := context.AfterFunc(ctx, func() { _ = rc.Conn.Close() })
	return &gosnmpSession{g: g, stop: stop}, nil
}

type gosnmpSession struct {
	g    *gosnmp.GoSNMP
	stop func() bool
}

func (s *gosnmpSession) Get(oids []string) (*gosnmp.SnmpPacket, error) { return s.g.Get(oids) }

func (s *gosnmpSession) GetNext(oids []string) (*gosnmp.SnmpPacket, error) { return s.g.GetNext(oids) }

func (s *gosnmpSession) GetBulk(oids []string, nonRepeaters uint8, maxRepetitions uint32) (*gosnmp.SnmpPacket, error) {
	return s.g.GetBulk(oids, nonRepeaters, maxRepetitions)
}

func (s *gosnmpSession) Close() error {
	s.stop()
	return s.g.Close()
}

// refusedConn remembers an ECONNREFUSED and fails every later write with it.
// gosnmp uses a session from one goroutine, so it needs no lock.
type refusedConn struct {
	_ [0]func() // not comparable: no equality function linked
	net.Conn
	refused error
}

func (c *refusedConn) Read(b []byte) (int, error) {
	n, err := c.Conn.Read(b)
	if errors.Is(err, syscall.ECONNREFUSED) {
		c.refused = err
	}
	return n, err
}

func (c *refusedConn) Write(b []byte) (int, error) {
	if c.refused != nil {
		return 0, c.refused // gosnmp returns this, the original read error
	}
	n, err := c.Conn.Write(b)
	if errors.Is(err, syscall.ECONNREFUSED) {
		c.refused = err
	}
	return n, err
}
