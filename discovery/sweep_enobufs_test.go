package discovery

import (
	"errors"
	"net"
	"net/netip"
	"os"
	"sync"
	"syscall"
	"testing"
	"testing/synctest"
	"time"

	"github.com/mdlayher/arp"
	"github.com/mdlayher/ethernet"
)

// fullQueuePacketConn is a net.PacketConn under a real mdlayher/arp client,
// so the error a sweep sees has the shape the packet socket gives it
// ("write packet …: sendto: no buffer space available"). fail decides, per
// write, whether the box's transmit queue is full; hosts answer the
// requests that got out.
type fullQueuePacketConn struct {
	mac   net.HardwareAddr
	hosts map[netip.Addr]net.HardwareAddr
	fail  func(write int) bool

	frames chan []byte

	mu       sync.Mutex
	writes   int
	sent     []sentRequest
	deadline time.Time
	changed  chan struct{}
}

func newFullQueuePacketConn(mac net.HardwareAddr, hosts map[netip.Addr]net.HardwareAddr, fail func(int) bool) *fullQueuePacketConn {
	return &fullQueuePacketConn{mac: mac, hosts: hosts, fail: fail, frames: make(chan []byte, 1<<12), changed: make(chan struct{})}
}

func (c *fullQueuePacketConn) WriteTo(b []byte, _ net.Addr) (int, error) {
	c.mu.Lock()
	i := c.writes
	c.writes++
	c.mu.Unlock()
	if c.fail(i) {
		return 0, &net.OpError{Op: "write", Net: "packet", Err: os.NewSyscallError("sendto", syscall.ENOBUFS)}
	}
	var f ethernet.Frame
	var p arp.Packet
	if err := f.UnmarshalBinary(b); err != nil {
		return 0, err
	}
	if err := p.UnmarshalBinary(f.Payload); err != nil {
		return 0, err
	}
	c.mu.Lock()
	c.sent = append(c.sent, sentRequest{p.TargetIP, time.Now()})
	c.mu.Unlock()
	if hw, ok := c.hosts[p.TargetIP]; ok {
		r, err := arp.NewPacket(arp.OperationReply, hw, p.TargetIP, c.mac, p.SenderIP)
		if err != nil {
			return 0, err
		}
		pb, _ := r.MarshalBinary()
		fb, _ := (&ethernet.Frame{Destination: c.mac, Source: hw, EtherType: ethernet.EtherTypeARP, Payload: pb}).MarshalBinary()
		c.frames <- fb
	}
	return len(b), nil
}

func (c *fullQueuePacketConn) ReadFrom(b []byte) (int, net.Addr, error) {
	for {
		c.mu.Lock()
		d, changed := c.deadline, c.changed
		c.mu.Unlock()
		var expired <-chan time.Time
		if !d.IsZero() {
			wait := time.Until(d)
			if wait <= 0 {
				return 0, nil, os.ErrDeadlineExceeded
			}
			t := time.NewTimer(wait)
			defer t.Stop()
			expired = t.C
		}
		select {
		case f := <-c.frames:
			return copy(b, f), nil, nil
		case <-expired:
			return 0, nil, os.ErrDeadlineExceeded
		case <-changed:
		}
	}
}

func (c *fullQueuePacketConn) SetReadDeadline(t time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.deadline = t
	close(c.changed)
	c.changed = make(chan struct{})
	return nil
}

func (c *fullQueuePacketConn) SetDeadline(t time.Time) error    { return c.SetReadDeadline(t) }
func (c *fullQueuePacketConn) SetWriteDeadline(time.Time) error { return nil }
func (c *fullQueuePacketConn) Close() error                     { return nil }
func (c *fullQueuePacketConn) LocalAddr() net.Addr              { return nil }
func (c *fullQueuePacketConn) requests() []sentRequest {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.sent
}
func (c *fullQueuePacketConn) writeCount() int { c.mu.Lock(); defer c.mu.Unlock(); return c.writes }

// arpClientOn builds the production ARPClient (mdlayher/arp's Client) over
// pc. arp.New takes the sender address from the interface: loopback has
// 127.0.0.1 and needs no privileges; the MAC is made up.
func arpClientOn(t *testing.T, pc net.PacketConn, mac net.HardwareAddr) *ARPClient {
	t.Helper()
	lo, err := net.InterfaceByName("lo")
	if err != nil {
		t.Skipf("no loopback interface: %v", err)
	}
	ifi := *lo
	ifi.HardwareAddr = mac
	c, err := arp.New(&ifi, pc)
	if err != nil {
		t.Skipf("arp client on loopback: %v", err)
	}
	return &ARPClient{Client: c, addrs: []netip.Addr{netip.MustParseAddr("127.0.0.1")}}
}

// The abort: on a /22 the kernel's queue filled and a sweep ended
// with "sendto: no buffer space available". Here the queue is full for
// stretches (60 writes in a row, then every fifth write for a while): the
// sweep must slow down, retry, find every host, and still never exceed the
// configured rate.
func TestSweepSlowsDownOnENOBUFS(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		boxMAC := net.HardwareAddr{0x02, 0, 0, 0, 0, 0x01}
		hosts := make(map[netip.Addr]net.HardwareAddr)
		for i := 1; i < 255; i += 3 {
			hosts[netip.AddrFrom4([4]byte{10, 9, 8, byte(i)})] = mac(byte(i))
		}
		pc := newFullQueuePacketConn(boxMAC, hosts, func(w int) bool {
			return (w >= 40 && w < 100) || (w >= 150 && w < 400 && w%5 == 0)
		})
		conn := arpClientOn(t, pc, boxMAC)
		var got collector
		st, err := NewSweeper(SweepConfig{Rate: 500}, nil).Sweep(t.Context(), conn, testTargets, got.found)
		if err != nil {
			t.Fatalf("Sweep: %v (a full transmit queue must not abort a sweep)", err)
		}
		if len(got.pairs()) != len(hosts) || st.Hosts != len(hosts) {
			t.Errorf("found %d hosts (stats %d), want all %d", len(got.pairs()), st.Hosts, len(hosts))
		}
		if st.SendErrors == 0 || st.SendErrors != pc.writeCount()-len(pc.requests()) {
			t.Errorf("SendErrors = %d, want the %d failed writes", st.SendErrors, pc.writeCount()-len(pc.requests()))
		}
		checkRate(t, pc.requests(), 500, 0)
	})
}

// A queue that never drains: the sweep gives up on each address after a few
// retries, ends, and reports what it skipped, with no error.
func TestSweepQueueNeverDrains(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		boxMAC := net.HardwareAddr{0x02, 0, 0, 0, 0, 0x01}
		pc := newFullQueuePacketConn(boxMAC, nil, func(int) bool { return true })
		conn := arpClientOn(t, pc, boxMAC)
		targets := []netip.Prefix{netip.MustParsePrefix("10.9.8.0/29")} // 6 hosts
		st, err := NewSweeper(SweepConfig{Passes: 2}, nil).Sweep(t.Context(), conn, targets, nil)
		if err != nil {
			t.Fatalf("Sweep: %v", err)
		}
		if st.Sent != 0 || st.Skipped != 12 || st.SendErrors != 12*(sendRetries+1) {
			t.Errorf("stats %+v; want 0 sent, 12 skipped (6 hosts × 2 passes), %d send errors", st, 12*(sendRetries+1))
		}
	})
}

// A socket error that is not a full queue still ends the sweep.
func TestSweepAbortsOnDeadSocket(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		boxMAC := net.HardwareAddr{0x02, 0, 0, 0, 0, 0x01}
		pc := newFullQueuePacketConn(boxMAC, nil, func(int) bool { return false })
		conn := arpClientOn(t, deadWriter{pc}, boxMAC)
		_, err := NewSweeper(SweepConfig{}, nil).Sweep(t.Context(), conn, testTargets, nil)
		if err == nil || !errors.Is(err, syscall.ENETDOWN) {
			t.Fatalf("Sweep = %v, want the ENETDOWN that ended it", err)
		}
	})
}

type deadWriter struct{ *fullQueuePacketConn }

func (deadWriter) WriteTo([]byte, net.Addr) (int, error) {
	return 0, &net.OpError{Op: "write", Net: "packet", Err: os.NewSyscallError("sendto", syscall.ENETDOWN)}
}
