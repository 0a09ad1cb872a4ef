package traffic

import (
	"fmt"
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"

	"tend/inventory"

	"github.com/google/gopacket/layers"
)

// albServer plays a balance-alb server at 10.0.0.40 as bond_alb.c puts it
// on the wire: cards[0] is the bond's MAC (the active card), each client
// asking for the address is assigned a card in turn from first, answered
// from it at once and sent two replies from it 20 ms later (the update of a
// new client); the bond's own requests carry cards[0] as sender from the
// client's card, and each is followed 300 ms later by two replies to every
// client off the active card (rlb_req_update_subnet_clients).
type albServer struct {
	r       *rig
	cards   [2]net.HardwareAddr
	first   int
	n       int // clients (9 if 0), each probed at its own second of the 30 when n > 9
	clients []albClient
}

type albClient struct {
	mac  net.HardwareAddr
	ip   string
	card int
}

const albIP = "10.0.0.40"

func (s *albServer) frame(t *testing.T, op uint16, src, sha net.HardwareAddr, dst net.HardwareAddr, dstIP string) []byte {
	f := arpFrame(t, op, sha, albIP, dst, dstIP)
	copy(f[6:12], src) // the frame's source: the card it left from
	if op == layers.ARPRequest {
		copy(f[0:6], dst) // a probe of a known neighbour is unicast
	}
	return f
}

// ask is a new client's broadcast request at at and what follows it.
func (s *albServer) ask(t *testing.T, at time.Time, c net.HardwareAddr, ip string) {
	card := (s.first + len(s.clients)) % 2
	s.clients = append(s.clients, albClient{c, ip, card})
	s.r.feed(at, arpFrame(t, layers.ARPRequest, c, ip, nil, albIP))
	cm := s.cards[card]
	for _, d := range []time.Duration{time.Millisecond, 20 * time.Millisecond, 21 * time.Millisecond} {
		s.r.feed(at.Add(d), arpFrame(t, layers.ARPReply, cm, albIP, c, ip))
	}
}

// probe is the bond's unicast request for client i (NUD) at at and the
// client's reply.
func (s *albServer) probe(t *testing.T, at time.Time, i int) {
	c := s.clients[i]
	s.r.feed(at, s.frame(t, layers.ARPRequest, s.cards[c.card], s.cards[0], c.mac, c.ip))
	s.r.feed(at.Add(time.Millisecond), arpFrame(t, layers.ARPReply, c.mac, c.ip, s.cards[0], albIP))
}

// update is the monitor's burst at at after the bond's requests: two
// replies to each client off the active card.
func (s *albServer) update(t *testing.T, at time.Time) {
	for _, o := range s.clients {
		if o.card != 0 {
			for k := range 2 {
				s.r.feed(at.Add(time.Duration(k)*time.Millisecond), arpFrame(t, layers.ARPReply, s.cards[1], albIP, o.mac, o.ip))
			}
		}
	}
}

// run is nine clients asking within 100 ms and pinging the server every
// second for a minute, the bond probing each 5 s after it asked and every
// 30 s after that; the probes of one client in three are 2 s apart from the
// rest's, each followed by its update (the monitor's delay restarts with
// each request, so the rest share one).
func (s *albServer) run(t *testing.T, at time.Time, extra func(at time.Time)) {
	n := max(s.n, 9)
	for i := range n {
		s.ask(t, at.Add(time.Duration(i)*10*time.Millisecond), hw(fmt.Sprintf("3c:52:82:00:02:%02x", i)), fmt.Sprintf("10.0.0.%d", 100+i))
	}
	for sec := 1; sec <= 60; sec++ {
		now := at.Add(time.Duration(sec) * time.Second)
		for i, c := range s.clients {
			if n == 9 || sec%10 == i%10 { // sixty clients: every 10 s
				s.r.feed(now.Add(time.Duration(i)*10*time.Millisecond), pingFrame(t, c.mac, c.ip, s.cards[c.card], albIP, 56))
			}
			if n == 9 && sec%30 == 5+2*min(i%3, 1) || n > 9 && sec%30 == 5+i%20 {
				s.probe(t, now.Add(time.Duration(i)*10*time.Millisecond+5*time.Millisecond), i)
			}
		}
		if n == 9 && (sec%30 == 5 || sec%30 == 7) || n > 9 && sec%30 >= 5 && sec%30 < 25 {
			s.update(t, now.Add(400*time.Millisecond))
		}
		if extra != nil {
			extra(now)
		}
	}
}

// TestBondALBIsOneHost: a balance-alb server's two cards answering for its
// one address, each request once from the card the bond assigns to the
// client, raise nothing, whichever card was heard first, nor do the updates
// a busy one sends sixty clients after its requests (1,200 replies nobody
// asked for in 30 s); two devices given
// the same address, a silent poisoner answering every request a second time
// and arpspoof against the server are raised still.
func TestBondALBIsOneHost(t *testing.T) {
	cards := [2]net.HardwareAddr{hw("00:1b:21:aa:00:40"), hw("00:1b:21:aa:00:41")}
	for _, tc := range []struct{ first, n int }{{0, 9}, {1, 9}, {0, 60}} {
		t.Run(fmt.Sprintf("card %d heard first, %d clients", tc.first, tc.n), func(t *testing.T) {
			r := newRig(t, Config{})
			s := &albServer{r: r, cards: cards, first: tc.first, n: tc.n}
			s.run(t, t0, nil)
			for _, ev := range r.all() {
				if ev.Severity.Rank() > 0 {
					t.Errorf("raised %s %s: %s", ev.Severity, ev.Type, ev.Summary)
				}
			}
		})
	}
	dup := hw("00:80:77:00:00:40")
	t.Run("two devices with the address", func(t *testing.T) {
		// A printer given the server's address answers each request too
		// and asks with it for the gateway.
		r := newRig(t, Config{})
		s := &albServer{r: r, cards: cards}
		s.run(t, t0, func(at time.Time) {
			for _, c := range s.clients {
				if at.Sub(t0) == 2*time.Second {
					r.feed(at, arpFrame(t, layers.ARPRequest, c.mac, c.ip, nil, albIP))
					r.feed(at.Add(time.Millisecond), arpFrame(t, layers.ARPReply, cards[c.card], albIP, c.mac, c.ip))
					r.feed(at.Add(2*time.Millisecond), arpFrame(t, layers.ARPReply, dup, albIP, c.mac, c.ip))
				}
			}
		})
		wantOne(t, r, inventory.EventDuplicateIP, dup.String(), albIP)
	})
	t.Run("a poisoner answering every request a second time", func(t *testing.T) {
		r := newRig(t, Config{})
		s := &albServer{r: r, cards: cards}
		s.run(t, t0, func(at time.Time) {
			if at.Sub(t0) == 2*time.Second {
				c := s.clients[0]
				r.feed(at, arpFrame(t, layers.ARPRequest, c.mac, c.ip, nil, albIP))
				r.feed(at.Add(time.Millisecond), arpFrame(t, layers.ARPReply, evilMAC, albIP, c.mac, c.ip))
				r.feed(at.Add(2*time.Millisecond), arpFrame(t, layers.ARPReply, cards[c.card], albIP, c.mac, c.ip))
			}
		})
		if n := len(r.of(inventory.EventDuplicateIP)) + len(r.of(inventory.EventARPSpoof)); n == 0 {
			t.Errorf("the second answer raised nothing: %+v", r.all())
		}
	})
	t.Run("arpspoof against the server", func(t *testing.T) {
		r := newRig(t, Config{})
		s := &albServer{r: r, cards: cards}
		r.feed(t0, arpFrame(t, layers.ARPRequest, evilMAC, "10.0.0.66", nil, "10.0.0.1"))
		s.run(t, t0, func(at time.Time) {
			if sec := at.Sub(t0) / time.Second; sec >= 10 && sec%2 == 0 {
				r.feed(at.Add(500*time.Millisecond), arpFrame(t, layers.ARPReply, evilMAC, albIP, s.clients[0].mac, s.clients[0].ip))
			}
		})
		wantOne(t, r, inventory.EventARPSpoof, evilMAC.String(), "10.0.0.66")
	})
}

// TestFailoverAnnouncingWithoutAsking: an idle server's active-backup
// failover whose peer notifications outlast handoverQuiet without the host
// sending anything (num_grat_arp 5 with peer_notif_delay 1000 ms; 255 at
// miimon's 100 ms) raises nothing, and the address moves at the new card's
// first request; a stranger with no address of its own announcing the idle
// NAS's address in the same gratuitous ARP once a second is raised once its
// run outlasts announceOnly, and at once when the NAS speaks.
func TestFailoverAnnouncingWithoutAsking(t *testing.T) {
	card := hw("00:1b:21:aa:00:41")
	gw := netip.MustParseAddr("10.0.0.1")
	garps := func(r *rig, at time.Time, from net.HardwareAddr, n int, every time.Duration) time.Time {
		for i := range n {
			r.feed(at.Add(time.Duration(i)*every), arpFrame(t, layers.ARPRequest, from, "10.0.0.30", nil, "10.0.0.30"))
		}
		return at.Add(time.Duration(n-1) * every)
	}
	for _, tc := range []struct {
		n     int
		every time.Duration
	}{{5, time.Second}, {255, 100 * time.Millisecond}, {10, 3 * time.Second}} {
		t.Run(fmt.Sprintf("num_grat_arp %d every %s", tc.n, tc.every), func(t *testing.T) {
			r := newRig(t, Config{Gateway: gw})
			at := garps(r, r.baseline(t0, 30*time.Second), card, tc.n, tc.every)
			r.feed(at.Add(5*time.Second), arpFrame(t, layers.ARPRequest, card, "10.0.0.30", nil, "10.0.0.1"))
			r.feed(at.Add(5*time.Second), pingFrame(t, card, "10.0.0.30", gwMAC, "10.0.0.1", 56))
			if evs := r.all(); len(evs) != 0 {
				t.Errorf("raised %+v", evs)
			}
			if b := r.e.arp[netip.MustParseAddr("10.0.0.30")]; b == nil || b.mac != mac(card) {
				t.Errorf("10.0.0.30 not moved to the new card: %+v", b)
			}
		})
	}
	t.Run("a stranger announcing every second", func(t *testing.T) {
		r := newRig(t, Config{Gateway: gw})
		at := r.baseline(t0, 30*time.Second)
		garps(r, at, evilMAC, 29, time.Second)
		if evs := r.all(); len(evs) != 0 {
			t.Fatalf("raised within the failover's bound: %+v", evs)
		}
		garps(r, at.Add(29*time.Second), evilMAC, 3, time.Second)
		wantOne(t, r, inventory.EventARPSpoof, evilMAC.String(), "")
	})
	t.Run("a stranger announcing, the NAS speaking", func(t *testing.T) {
		r := newRig(t, Config{Gateway: gw})
		at := garps(r, r.baseline(t0, 30*time.Second), evilMAC, 5, time.Second)
		r.feed(at.Add(time.Second), pingFrame(t, nasMAC, "10.0.0.30", gwMAC, "10.0.0.1", 56))
		garps(r, at.Add(2*time.Second), evilMAC, 1, time.Second)
		wantOne(t, r, inventory.EventARPSpoof, evilMAC.String(), "")
	})
}

// TestPortScanStartsAtItsFirstProbe: the workstation nmap runs on fetched
// a page from the first target every 15 s before the scan (inside the
// target's one-minute window), or opened one connection to it 55 s before:
// the scan is dated from nmap's first probe, not from that traffic, and so
// is one target's "within"; a scan probing every 3 s keeps its start at its
// first probe.
func TestPortScanStartsAtItsFirstProbe(t *testing.T) {
	syn := tcpFlags{syn: true}
	t.Run("a page every 15 s before the scan", func(t *testing.T) {
		r := newRig(t, Config{})
		for i := range 4 { // a page from the first target every 15 s (demolife's workstations)
			at := t0.Add(time.Duration(i) * 15 * time.Second)
			r.feed(at, tcpFrame(t, pcMAC, "10.0.0.10", uint16(40000+i), nasMAC, "10.0.0.30", 80, syn, nil))
			r.feed(at.Add(time.Millisecond), tcpFrame(t, nasMAC, "10.0.0.30", 80, pcMAC, "10.0.0.10", uint16(40000+i), tcpFlags{syn: true, ack: true}, nil))
		}
		scan := t0.Add(55 * time.Second)
		for h := range 4 {
			for p := range 100 {
				at := scan.Add(time.Duration(h*100+p) * 5 * time.Millisecond)
				r.feed(at, tcpFrame(t, pcMAC, "10.0.0.10", 50000, hw(fmt.Sprintf("00:11:32:00:01:%02x", h)), fmt.Sprintf("10.0.0.%d", 30+h), uint16(1+p), syn, nil))
			}
		}
		ev := wantOne(t, r, inventory.EventPortScan, pcMAC.String(), "10.0.0.10")
		if want := "between " + scan.UTC().Format(time.RFC3339) + " and"; !strings.Contains(ev.Summary, want) {
			t.Errorf("summary %q, want %q", ev.Summary, want)
		}
	})
	t.Run("one target", func(t *testing.T) {
		r := newRig(t, Config{})
		r.feed(t0, tcpFrame(t, pcMAC, "10.0.0.10", 40000, nasMAC, "10.0.0.30", 443, syn, nil))
		for p := range 30 {
			r.feed(t0.Add(55*time.Second+time.Duration(p)*10*time.Millisecond), tcpFrame(t, pcMAC, "10.0.0.10", 50000, nasMAC, "10.0.0.30", uint16(1+p), syn, nil))
		}
		ev := wantOne(t, r, inventory.EventPortScan, pcMAC.String(), "10.0.0.10")
		if !strings.Contains(ev.Summary, "within 180ms") {
			t.Errorf("summary %q, want within 180ms (the 19th port nmap probed, 443 the 20th)", ev.Summary)
		}
	})
	t.Run("a probe every 3 s", func(t *testing.T) {
		r := newRig(t, Config{})
		for h := range 2 {
			for p := range 21 {
				r.feed(t0.Add(time.Duration(p)*3*time.Second+time.Duration(h)*time.Millisecond), tcpFrame(t, pcMAC, "10.0.0.10", 50000, hw(fmt.Sprintf("00:11:32:00:01:%02x", h)), fmt.Sprintf("10.0.0.%d", 30+h), uint16(1+p), syn, nil))
			}
		}
		ev := wantOne(t, r, inventory.EventPortScan, pcMAC.String(), "10.0.0.10")
		if want := "between " + t0.UTC().Format(time.RFC3339) + " and"; !strings.Contains(ev.Summary, want) {
			t.Errorf("summary %q, want %q", ev.Summary, want)
		}
	})
}
