package snmp

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"syscall"
	"time"

	"github.com/gosnmp/gosnmp"

	"tend/inventory"
)

// session is the part of a gosnmp connection the poller uses: the seam where
// tests put a scripted fake instead of an agent.
type session interface {
	Get(oids []string) (*gosnmp.SnmpPacket, error)
	Close() error
}

// target is one agent with one credential.
type target struct {
	ip      netip.Addr
	port    uint16
	cred    credential
	timeout time.Duration
	retries int
}

// credential is one way to talk to an agent.
type credential struct {
	version   Version
	community inventory.Secret
}

// String keeps the community out of logs and %v: fmt cannot see the
// Secret's own String through an unexported field.
func (c credential) String() string {
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
	version := gosnmp.Version2c
	if t.cred.version == V1 {
		version = gosnmp.Version1
	}
	g := &gosnmp.GoSNMP{
		Target:    t.ip.String(),
		Port:      t.port,
		Transport: "udp",
		Community: t.cred.community.Reveal(),
		Version:   version,
		Timeout:   t.timeout,
		Retries:   t.retries,
		Context:   ctx,
		MaxOids:   gosnmp.MaxOids,
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

func (s *gosnmpSession) Close() error {
	s.stop()
	return s.g.Close()
}

// refusedConn remembers an ECONNREFUSED and fails every later write with it.
// gosnmp uses a session from one goroutine, so it needs no lock.
type refusedConn struct {
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
