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
		{"one host's second adapter registering the name unrefused, then both answering", func(r *rig) {
			// Review 43 #5 (checked to fail without rivalRegistered).
			answers(r, t0, nasMAC, owner, "laptop7", 0x00)
			r.feed(t0.Add(30*time.Second), nbnsMsg(t, evilMAC, evil, bcast, "10.0.0.255", nbRegister, true, "laptop7", 0x00, false, evil))
			for i := range 10 {
				at := t0.Add(time.Minute + time.Duration(i)*time.Minute)
				answers(r, at, nasMAC, owner, "laptop7", 0x00)
				answers(r, at.Add(2*time.Millisecond), evilMAC, evil, "laptop7", 0x00)
				answers(r, at.Add(time.Minute/2), evilMAC, evil, "laptop7", 0x00)
				answers(r, at.Add(time.Minute/2+2*time.Millisecond), nasMAC, owner, "laptop7", 0x00)
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

// TestNBNSNamesBounded: a flood of made-up names claimed leaves the name
// table at its cap and counts what it dropped.
func TestNBNSNamesBounded(t *testing.T) {
	r := newRig(t, Config{})
	for i := range nbMaxNames + 100 {
		r.feed(t0.Add(time.Duration(i)*time.Millisecond), nbnsMsg(t, evilMAC, "10.0.0.66", pcMAC, "10.0.0.10", nbAnswer, false, fmt.Sprintf("n%d", i), 0x20, false, "10.0.0.66"))
	}
	if n := len(r.e.nbNames); n != nbMaxNames || r.e.counters.TrackersDropped < 100 {
		t.Fatalf("%d names tracked, %d dropped; want %d and 100 or more", n, r.e.counters.TrackersDropped, nbMaxNames)
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
		{"no gateway known", irdpFrame(t, gwMAC, "10.0.0.1", 9, 1800, 0, "10.0.0.1"), false},
		// review 43 item 6: the gateway's peer (an HSRP/VRRP pair sends from
		// its physical MACs), here known as an IPv6 router
		{"the router pair's other box", irdpFrame(t, nasMAC, "10.0.0.2", 9, 1800, 0, "10.0.0.2"), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := Config{Gateway: gw, IPv6Routers: []net.HardwareAddr{nasMAC}}
			if tc.name == "no gateway known" {
				cfg.Gateway = netip.Addr{}
			}
			r := newRig(t, cfg)
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

// bootOffer is a DHCP OFFER from srv to a PXE client: a proxyDHCP's
// (yiaddr 0, option 60 PXEClient, option 43 naming bootSrv) when yours is
// "", else a DHCP server's handing out yours with a router, siaddr bootSrv
// and file.
func bootOffer(t testing.TB, srvMAC net.HardwareAddr, srv string, client net.HardwareAddr, yours, bootSrv, file string) []byte {
	d := &layers.DHCPv4{Operation: layers.DHCPOpReply, HardwareType: layers.LinkTypeEthernet, HardwareLen: 6, Xid: 7, ClientHWAddr: client,
		Options: layers.DHCPOptions{
			layers.NewDHCPOption(layers.DHCPOptMessageType, []byte{2}),
			layers.NewDHCPOption(layers.DHCPOptServerID, ip4(srv).To4()),
		}}
	if yours == "" {
		d.YourClientIP = ip4("0.0.0.0")
		sub8 := append([]byte{6, 1, 8, 8, 7, 0x80, 0x00, 1}, ip4(bootSrv).To4()...)
		d.Options = append(d.Options, layers.NewDHCPOption(layers.DHCPOptClassID, []byte("PXEClient")),
			layers.NewDHCPOption(43, append(sub8, 255)))
	} else {
		d.YourClientIP, d.NextServerIP, d.File = ip4(yours), ip4(bootSrv), []byte(file)
		d.Options = append(d.Options, layers.NewDHCPOption(layers.DHCPOptRouter, ip4("10.0.0.1").To4()))
	}
	if file != "" && yours == "" {
		d.File = []byte(file)
	}
	d.Options = append(d.Options, layers.NewDHCPOption(layers.DHCPOptEnd, nil))
	ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolUDP, SrcIP: ip4(srv), DstIP: ip4("255.255.255.255")}
	udp := &layers.UDP{SrcPort: 67, DstPort: 68}
	udp.SetNetworkLayerForChecksum(ip)
	return serialize(t, &layers.Ethernet{SrcMAC: srvMAC, DstMAC: hw("ff:ff:ff:ff:ff:ff"), EthernetType: layers.EthernetTypeIPv4}, ip, udp, d)
}

func TestRogueProxyDHCPBootHijack(t *testing.T) {
	client := func(i int) net.HardwareAddr { return hw(fmt.Sprintf("00:50:56:00:02:%02x", i)) }
	boot := func(r *rig, at time.Time, i int, rogue bool, dhcpFile string) {
		r.feed(at, bootOffer(t, gwMAC, "10.0.0.1", client(i), fmt.Sprintf("10.0.0.%d", 150+i), "10.0.0.1", dhcpFile))
		r.feed(at.Add(time.Millisecond), bootOffer(t, nasMAC, "10.0.0.30", client(i), "", "10.0.0.30", ""))
		if rogue {
			r.feed(at.Add(2*time.Millisecond), bootOffer(t, evilMAC, "10.0.0.66", client(i), "", "10.0.0.66", "evil.efi"))
		}
	}
	t.Run("a second proxy naming its own boot server", func(t *testing.T) {
		r := newRig(t, Config{})
		boot(r, t0, 1, false, "")
		boot(r, t0.Add(time.Minute), 2, true, "")
		ev := wantOne(t, r, inventory.EventRogueDHCP, evilMAC.String(), "10.0.0.66")
		if ev.Severity != inventory.SeverityHigh || !strings.Contains(ev.Summary, "boot hijack") {
			t.Errorf("event %+v", ev)
		}
	})
	t.Run("the rogue answering first", func(t *testing.T) {
		r := newRig(t, Config{})
		boot(r, t0, 1, false, "")
		r.feed(t0.Add(time.Minute), bootOffer(t, evilMAC, "10.0.0.66", client(2), "", "10.0.0.66", "evil.efi"))
		r.feed(t0.Add(time.Minute+time.Millisecond), bootOffer(t, nasMAC, "10.0.0.30", client(2), "", "10.0.0.30", ""))
		wantOne(t, r, inventory.EventRogueDHCP, evilMAC.String(), "10.0.0.66")
	})
	t.Run("the proxy table filled by forged server IDs first", func(t *testing.T) {
		// Review 43 #8: a full table no longer blinds the rule (checked to
		// fail with pxerival.go's old return).
		r := newRig(t, Config{})
		boot(r, t0, 1, false, "")
		for i := range 8 {
			r.feed(t0.Add(time.Second), bootOffer(t, hw(fmt.Sprintf("00:de:ad:00:00:%02x", i)), fmt.Sprintf("10.0.0.%d", 200+i), client(100+i), "", "10.0.0.99", "x.efi"))
		}
		boot(r, t0.Add(time.Minute), 2, true, "")
		wantOne(t, r, inventory.EventRogueDHCP, evilMAC.String(), "10.0.0.66")
	})
	t.Run("a proxy beside a DHCP server naming a boot file", func(t *testing.T) {
		r := newRig(t, Config{})
		r.feed(t0, bootOffer(t, gwMAC, "10.0.0.1", client(1), "10.0.0.151", "10.0.0.1", "pxelinux.0"))
		r.feed(t0.Add(time.Millisecond), bootOffer(t, evilMAC, "10.0.0.66", client(1), "", "10.0.0.66", "evil.efi"))
		wantOne(t, r, inventory.EventRogueDHCP, evilMAC.String(), "10.0.0.66")
	})
	for _, tc := range []struct {
		name string
		feed func(r *rig)
	}{
		{"one proxy beside the DHCP server", func(r *rig) {
			for i := range 10 {
				boot(r, t0.Add(time.Duration(i)*time.Minute), i, false, "")
			}
		}},
		{"two proxies naming one boot server", func(r *rig) {
			for i := range 10 {
				at := t0.Add(time.Duration(i) * time.Minute)
				boot(r, at, i, false, "")
				r.feed(at.Add(3*time.Millisecond), bootOffer(t, evilMAC, "10.0.0.66", client(i), "", "10.0.0.30", ""))
			}
		}},
		{"a redundant pair of proxies from the first boot on", func(r *rig) {
			for i := range 10 {
				at := t0.Add(time.Duration(i) * time.Minute)
				boot(r, at, i, false, "")
				r.feed(at.Add(3*time.Millisecond), bootOffer(t, evilMAC, "10.0.0.66", client(i), "", "10.0.0.66", ""))
			}
		}},
		{"a proxy beside a DHCP server naming it with another file", func(r *rig) {
			r.feed(t0, bootOffer(t, gwMAC, "10.0.0.1", client(1), "10.0.0.151", "10.0.0.30", "boot\\x64\\wdsnbp.com"))
			r.feed(t0.Add(time.Millisecond), bootOffer(t, nasMAC, "10.0.0.30", client(1), "", "10.0.0.30", "boot\\x64\\wdsmgfw.efi"))
		}},
		{"two proxies answering different clients", func(r *rig) {
			boot(r, t0, 1, false, "")
			r.feed(t0.Add(time.Minute), bootOffer(t, evilMAC, "10.0.0.66", client(2), "", "10.0.0.66", "evil.efi"))
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{})
			tc.feed(r)
			if evs := r.of(inventory.EventRogueDHCP); len(evs) != 0 {
				t.Fatalf("raised %+v", evs)
			}
		})
	}
}

// FuzzBootService feeds hostile DHCP answers to pxerival.go's decoder and
// through the whole engine.
func FuzzBootService(f *testing.F) {
	f.Add(bootOffer(f, evilMAC, "10.0.0.66", pcMAC, "", "10.0.0.66", "evil.efi"))
	f.Add(bootOffer(f, gwMAC, "10.0.0.1", pcMAC, "10.0.0.151", "10.0.0.1", "pxelinux.0"))
	r := newRig(f, Config{})
	f.Fuzz(func(t *testing.T, frame []byte) {
		r.feed(t0, bootOffer(t, nasMAC, "10.0.0.30", pcMAC, "", "10.0.0.30", ""))
		r.feed(t0, frame)
		r.reset()
	})
}
