package traffic

import (
	"encoding/binary"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"

	"tend/inventory"
)

// nbnsMsg is an NBT-NS message (RFC 1002 4.2) from srcMAC/src port 137 with
// flags (the second and third header bytes: R, opcode, NM flags, rcode),
// a question for name<suffix> when question is set, and one NB record for
// it naming addrs (group: the G bit), as the answer of a response or the
// additional record of a registration.
func nbnsMsg(t testing.TB, srcMAC net.HardwareAddr, src string, dstMAC net.HardwareAddr, dst string, flags uint16, question bool, name string, suffix byte, group bool, addrs ...string) []byte {
	enc := []byte{32}
	padded := fmt.Sprintf("%-15s", strings.ToUpper(name)) + string([]byte{suffix})
	for _, c := range []byte(padded) {
		enc = append(enc, 'A'+c>>4, 'A'+c&0x0f)
	}
	enc = append(enc, 0)
	b := []byte{0, 9, byte(flags >> 8), byte(flags), 0, 0, 0, 0, 0, 0, 0, 0}
	if question {
		b[5] = 1
		b = append(b, enc...)
		b = append(b, 0, 0x20, 0, 1)
	}
	if flags&0x8000 != 0 {
		b[7] = 1 // an answer
	} else {
		b[11] = 1 // an additional record
	}
	if question {
		b = append(b, 0xc0, 12)
	} else {
		b = append(b, enc...)
	}
	b = append(b, 0, 0x20, 0, 1, 0, 4, 0x93, 0xe0, 0, byte(6*len(addrs)))
	for _, a := range addrs {
		f := byte(0)
		if group {
			f = 0x80
		}
		b = append(b, f, 0)
		b = append(b, ip4(a).To4()...)
	}
	return udpFrame(t, srcMAC, src, 137, dstMAC, dst, 137, b)
}

const (
	nbAnswer    = 0x8500 // R, opcode 0, AA, RD
	nbRegister  = 0x2910 // opcode 5, RD, B: a B node's NAME REGISTRATION REQUEST
	nbOverwrite = 0x2810 // the same with RD clear: NAME OVERWRITE DEMAND (RFC 1002 4.2.3)
	nbRefuse    = 0xad86 // R, opcode 5, AA, RD, RA, rcode 6 (ACT_ERR)
)

func TestNBNSNameHijack(t *testing.T) {
	bcast := hw("ff:ff:ff:ff:ff:ff")
	const owner, evil, pc = "10.0.0.30", "10.0.0.66", "10.0.0.10"
	answers := func(r *rig, at time.Time, m net.HardwareAddr, ip, name string, suffix byte) {
		r.feed(at, nbnsMsg(t, m, ip, pcMAC, pc, nbAnswer, false, name, suffix, false, ip))
	}
	t.Run("both answer one query", func(t *testing.T) {
		r := newRig(t, Config{})
		for i := range 5 {
			at := t0.Add(time.Duration(i) * 20 * time.Second)
			answers(r, at, nasMAC, owner, "filesrv", 0x20)
			if i >= 2 {
				answers(r, at.Add(3*time.Millisecond), evilMAC, evil, "filesrv", 0x20)
			}
		}
		ev := wantOne(t, r, inventory.EventNamePoisoning, evilMAC.String(), evil)
		if ev.TargetIP.String() != owner || !strings.Contains(ev.Summary, "FILESRV<20>") {
			t.Errorf("event %+v", ev)
		}
	})
	t.Run("the hijacker answers first", func(t *testing.T) {
		r := newRig(t, Config{})
		answers(r, t0, nasMAC, owner, "filesrv", 0x20)
		for i := range 3 {
			at := t0.Add(time.Minute + time.Duration(i)*20*time.Second)
			answers(r, at, evilMAC, evil, "filesrv", 0x20)
			answers(r, at.Add(40*time.Millisecond), nasMAC, owner, "filesrv", 0x20)
		}
		wantOne(t, r, inventory.EventNamePoisoning, evilMAC.String(), evil)
	})
	t.Run("overwrite after the owner refused", func(t *testing.T) {
		r := newRig(t, Config{})
		r.feed(t0, nbnsMsg(t, evilMAC, evil, bcast, "10.0.0.255", nbRegister, true, "filesrv", 0x20, false, evil))
		r.feed(t0.Add(time.Millisecond), nbnsMsg(t, nasMAC, owner, evilMAC, evil, nbRefuse, false, "filesrv", 0x20, false, owner))
		if evs := r.all(); len(evs) != 0 {
			t.Fatalf("a refused registration raised %+v", evs)
		}
		r.feed(t0.Add(time.Minute), nbnsMsg(t, evilMAC, evil, bcast, "10.0.0.255", nbOverwrite, true, "filesrv", 0x20, false, evil))
		ev := wantOne(t, r, inventory.EventNamePoisoning, evilMAC.String(), evil)
		if !strings.Contains(ev.Evidence[0].Detail, "refused") {
			t.Errorf("evidence %+v", ev.Evidence)
		}
	})
	for _, tc := range []struct {
		name string
		feed func(r *rig)
	}{
		{"a host answering and registering its own names", func(r *rig) {
			for i := range 30 {
				at := t0.Add(time.Duration(i) * 10 * time.Second)
				answers(r, at, nasMAC, owner, "nas01", 0x20)
				answers(r, at, pcMAC, pc, "ws-acct-01", 0x00)
				r.feed(at, nbnsMsg(t, nasMAC, owner, bcast, "10.0.0.255", nbRegister, true, "nas01", 0x00, false, owner))
			}
		}},
		{"a workgroup name answered by every member", func(r *rig) {
			for i := range 10 {
				at := t0.Add(time.Duration(i) * time.Second)
				r.feed(at, nbnsMsg(t, nasMAC, owner, pcMAC, pc, nbAnswer, false, "workgroup", 0x00, true, owner))
				r.feed(at, nbnsMsg(t, evilMAC, evil, pcMAC, pc, nbAnswer, false, "workgroup", 0x00, true, evil))
			}
		}},
		{"a browser election moving the master browser's <1D>", func(r *rig) {
			for i := range 10 {
				at := t0.Add(time.Duration(i) * time.Second)
				answers(r, at, nasMAC, owner, "workgroup", 0x1d)
				answers(r, at, evilMAC, evil, "workgroup", 0x1d)
			}
		}},
		{"a WINS server answering with the owner's address", func(r *rig) {
			for i := range 10 {
				at := t0.Add(time.Duration(i) * time.Second)
				answers(r, at, nasMAC, owner, "filesrv", 0x20)
				r.feed(at, nbnsMsg(t, gwMAC, "10.0.0.1", pcMAC, pc, nbAnswer, false, "filesrv", 0x20, false, owner))
			}
		}},
		{"a multi-homed host answering on both cards", func(r *rig) {
			for i := range 10 {
				at := t0.Add(time.Duration(i) * time.Second)
				r.feed(at, nbnsMsg(t, nasMAC, owner, pcMAC, pc, nbAnswer, false, "filesrv", 0x20, false, owner, evil))
				r.feed(at, nbnsMsg(t, evilMAC, evil, pcMAC, pc, nbAnswer, false, "filesrv", 0x20, false, evil, owner))
			}
		}},
		{"a laptop moved from its cable to the wireless", func(r *rig) {
			answers(r, t0, nasMAC, owner, "laptop7", 0x00)
			r.feed(t0.Add(30*time.Second), nbnsMsg(t, evilMAC, evil, bcast, "10.0.0.255", nbRegister, true, "laptop7", 0x00, false, evil))
			for i := range 10 {
				answers(r, t0.Add(time.Minute+time.Duration(i)*time.Minute), evilMAC, evil, "laptop7", 0x00)
			}
		}},
		{"a duplicate name given in to", func(r *rig) {
			answers(r, t0, nasMAC, owner, "filesrv", 0x20)
			r.feed(t0.Add(time.Second), nbnsMsg(t, evilMAC, evil, bcast, "10.0.0.255", nbRegister, true, "filesrv", 0x20, false, evil))
			r.feed(t0.Add(time.Second+time.Millisecond), nbnsMsg(t, nasMAC, owner, evilMAC, evil, nbRefuse, false, "filesrv", 0x20, false, owner))
			r.feed(t0.Add(time.Second+2*time.Millisecond), nbnsMsg(t, evilMAC, evil, bcast, "10.0.0.255", nbRegister, true, "filesrv", 0x20, false, evil)) // a retry in flight
			for i := range 10 {
				answers(r, t0.Add(time.Minute+time.Duration(i)*time.Minute), nasMAC, owner, "filesrv", 0x20)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{})
			tc.feed(r)
			if evs := r.of(inventory.EventNamePoisoning); len(evs) != 0 {
				t.Fatalf("raised %+v", evs)
			}
		})
	}
}

// FuzzNBNSClaim feeds hostile NBT-NS messages to nbclaim.go's decoder
// through the whole engine.
func FuzzNBNSClaim(f *testing.F) {
	f.Add(nbnsMsg(f, evilMAC, "10.0.0.66", pcMAC, "10.0.0.10", nbAnswer, false, "filesrv", 0x20, false, "10.0.0.66"))
	f.Add(nbnsMsg(f, evilMAC, "10.0.0.66", hw("ff:ff:ff:ff:ff:ff"), "10.0.0.255", nbOverwrite, true, "filesrv", 0x20, false, "10.0.0.66"))
	f.Add(nbnsMsg(f, nasMAC, "10.0.0.30", evilMAC, "10.0.0.66", nbRefuse, false, "filesrv", 0x20, false, "10.0.0.30"))
	r := newRig(f, Config{})
	f.Fuzz(func(t *testing.T, frame []byte) {
		r.feed(t0, frame)
		r.feed(t0, nbnsMsg(t, nasMAC, "10.0.0.30", pcMAC, "10.0.0.10", nbAnswer, false, "filesrv", 0x20, false, "10.0.0.30"))
		r.reset()
	})
}

// irdpFrame is an ICMP router advertisement (RFC 1256 3.1, typ 9) or
// solicitation (10) from srcMAC/src to all hosts naming each router in
// routers with preference pref.
func irdpFrame(t testing.TB, srcMAC net.HardwareAddr, src string, typ uint8, lifetime uint16, pref uint32, routers ...string) []byte {
	body := []byte{}
	for _, r := range routers {
		body = append(body, ip4(r).To4()...)
		body = binary.BigEndian.AppendUint32(body, pref)
	}
	ic := &layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(typ, 0)}
	if typ == 9 {
		ic.Id, ic.Seq = uint16(len(routers))<<8|2, lifetime
	}
	ip := &layers.IPv4{Version: 4, TTL: 1, Protocol: layers.IPProtocolICMPv4, SrcIP: ip4(src), DstIP: ip4("224.0.0.1")}
	return serialize(t, &layers.Ethernet{SrcMAC: srcMAC, DstMAC: hw("01:00:5e:00:00:01"), EthernetType: layers.EthernetTypeIPv4}, ip, ic, gopacket.Payload(body))
}

func TestIRDPRogueRouter(t *testing.T) {
	gw := netip.MustParseAddr("10.0.0.1")
	for _, tc := range []struct {
		name  string
		frame []byte
		want  bool
	}{
		{"a host advertising itself", irdpFrame(t, evilMAC, "10.0.0.66", 9, 1800, 100, "10.0.0.66"), true},
		{"a host advertising itself after the gateway", irdpFrame(t, evilMAC, "10.0.0.66", 9, 1800, 0, "10.0.0.1", "10.0.0.66"), true},
		{"forged under the PC's address, naming the attacker", irdpFrame(t, evilMAC, "10.0.0.10", 9, 9000, 1<<30, "10.0.0.66"), true},
		{"the gateway's own", irdpFrame(t, gwMAC, "10.0.0.1", 9, 1800, 0, "10.0.0.1", "10.0.0.2"), false},
		{"naming only the gateway", irdpFrame(t, evilMAC, "10.0.0.66", 9, 1800, 0, "10.0.0.1"), false},
		{"never a default router", irdpFrame(t, evilMAC, "10.0.0.66", 9, 1800, 0x80000000, "10.0.0.66"), false},
		{"lifetime 0", irdpFrame(t, evilMAC, "10.0.0.66", 9, 0, 0, "10.0.0.66"), false},
		{"no address", irdpFrame(t, evilMAC, "10.0.0.66", 9, 1800, 0), false},
		{"a solicitation", irdpFrame(t, pcMAC, "10.0.0.10", 10, 0, 0), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{Gateway: gw})
			at := r.baseline(t0, time.Minute)
			r.feed(at, tc.frame)
			evs := r.of(inventory.EventRogueRA)
			if !tc.want {
				if len(evs) != 0 {
					t.Fatalf("raised %+v", evs)
				}
				return
			}
			ev := wantOne(t, r, inventory.EventRogueRA, evilMAC.String(), "")
			if ev.Severity != inventory.SeverityHigh || ev.TargetMAC.String() != gwMAC.String() || !strings.Contains(ev.Summary, "10.0.0.66 as a default router") {
				t.Errorf("event %+v", ev)
			}
		})
	}
}

// FuzzIRDP feeds hostile ICMP router advertisements to irdp.go through the
// whole engine.
func FuzzIRDP(f *testing.F) {
	f.Add(irdpFrame(f, evilMAC, "10.0.0.66", 9, 1800, 100, "10.0.0.66"))
	f.Add(irdpFrame(f, evilMAC, "10.0.0.66", 9, 1800, 0, "10.0.0.1", "10.0.0.66"))
	r := newRig(f, Config{Gateway: netip.MustParseAddr("10.0.0.1")})
	r.baseline(t0, time.Minute)
	f.Fuzz(func(t *testing.T, frame []byte) {
		r.feed(t0.Add(time.Minute), frame)
		r.reset()
	})
}
