package traffic

import (
	"encoding/binary"
	"fmt"
	"net"
	"testing"
	"time"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"

	"tend/inventory"
)

var (
	stpDst   = hw("01:80:c2:00:00:00")
	ciscoDst = hw("01:00:0c:cc:cc:cc")
)

// frame8023 is an IEEE 802.3 frame: a length, not an EtherType, then LLC.
func frame8023(dst, src net.HardwareAddr, llc []byte) []byte {
	b := append(append(append([]byte{}, dst...), src...), byte(len(llc)>>8), byte(len(llc)))
	b = append(b, llc...)
	for len(b) < 60 {
		b = append(b, 0) // Ethernet's padding, beyond the length
	}
	return b
}

// configBPDU is an 802.1D configuration BPDU naming root and bridge
// (priority in the top 16 bits, MAC below).
func configBPDU(src net.HardwareAddr, root, bridge uint64) []byte {
	b := make([]byte, 3+35)
	copy(b, []byte{0x42, 0x42, 0x03})
	binary.BigEndian.PutUint64(b[3+5:], root)
	binary.BigEndian.PutUint64(b[3+17:], bridge)
	b[3+25], b[3+26] = 0x80, 0x01 // port ID
	return frame8023(stpDst, src, b)
}

func tcnBPDU(src net.HardwareAddr) []byte {
	return frame8023(stpDst, src, []byte{0x42, 0x42, 0x03, 0, 0, 0, 0x80})
}

// snap is an LLC/SNAP header for Cisco's OUI and pid.
func snap(pid uint16, body []byte) []byte {
	return append([]byte{0xaa, 0xaa, 0x03, 0, 0, 0x0c, byte(pid >> 8), byte(pid)}, body...)
}

func cdpBody(deviceID string) []byte {
	b := []byte{2, 180, 0, 0, 0, 1, 0, byte(4 + len(deviceID))}
	return append(b, deviceID...)
}

func dtpBody(status byte) []byte {
	return []byte{1, 0, 1, 0, 5, 0, 0, 2, 0, 5, status, 0, 3, 0, 5, 0xa5}
}

func bridgeKey(prio uint16, m net.HardwareAddr) uint64 {
	return uint64(prio)<<48 | macKey(mac(m))
}

func TestRogueSwitch(t *testing.T) {
	sw := hw("00:19:06:ea:b8:85")
	swBridge := bridgeKey(0x8000, hw("00:19:06:ea:b8:80"))
	t.Run("root claim", func(t *testing.T) {
		r := newRig(t, Config{})
		at := t0
		for i := 0; i < 5; i++ {
			r.feed(at, configBPDU(sw, swBridge, swBridge))
			at = at.Add(2 * time.Second)
		}
		// A switch coming up claims itself root until it hears the better one: no attack.
		late := bridgeKey(0x9000, hw("00:19:06:00:00:01"))
		r.feed(at, configBPDU(hw("00:19:06:00:00:02"), late, late))
		// One better root once (a flood's forged BPDU): not yet a claim.
		evil := bridgeKey(0x8000, hw("00:19:06:e9:b8:80"))
		r.feed(at.Add(time.Second), configBPDU(evilMAC, evil, evil))
		if evs := r.all(); len(evs) != 0 {
			t.Fatalf("the switch's BPDUs raised %+v", evs)
		}
		r.feed(at.Add(2*time.Second), configBPDU(evilMAC, evil, evil))
		wantOne(t, r, inventory.EventRogueSwitch, evilMAC.String(), "")
	})
	t.Run("root unknown or silent", func(t *testing.T) {
		r := newRig(t, Config{})
		evil := bridgeKey(0x1000, hw("00:19:06:e9:b8:80"))
		r.feed(t0, configBPDU(sw, swBridge, swBridge))
		r.feed(t0.Add(2*time.Second), configBPDU(sw, swBridge, swBridge))
		// The root went silent two minutes ago: a new root is a re-election.
		r.feed(t0.Add(2*time.Minute), configBPDU(evilMAC, evil, evil))
		r.feed(t0.Add(2*time.Minute+2*time.Second), configBPDU(evilMAC, evil, evil))
		if evs := r.all(); len(evs) != 0 {
			t.Fatalf("a root elected after the old one fell silent raised %+v", evs)
		}
	})
	t.Run("forged BPDU flood", func(t *testing.T) {
		r := newRig(t, Config{})
		r.feed(t0, configBPDU(sw, swBridge, swBridge))
		for i := 0; i < 300; i++ {
			m := hw(fmt.Sprintf("02:00:00:00:%02x:%02x", i>>8, i&0xff))
			id := bridgeKey(uint16(i), m)
			r.feed(t0.Add(time.Duration(i)*time.Millisecond), configBPDU(m, id, id))
		}
		wantOne(t, r, inventory.EventRogueSwitch, "", "")
	})
	t.Run("TCN flood from one MAC", func(t *testing.T) {
		r := newRig(t, Config{})
		for i := 0; i < bpduFloodAny+10; i++ {
			r.feed(t0.Add(time.Duration(i)*time.Millisecond), tcnBPDU(evilMAC))
		}
		wantOne(t, r, inventory.EventRogueSwitch, evilMAC.String(), "")
	})
	t.Run("a mirrored switch is no flood", func(t *testing.T) {
		// 48 ports of one bridge, each a BPDU every 2 s, for a minute, and a
		// topology change answered by the usual TCN.
		r := newRig(t, Config{})
		for s := 0; s < 30; s++ {
			for p := 0; p < 48; p++ {
				r.feed(t0.Add(time.Duration(s)*2*time.Second+time.Duration(p)*time.Millisecond), configBPDU(hw(fmt.Sprintf("00:19:06:ea:b9:%02x", p)), swBridge, swBridge))
			}
		}
		r.feed(t0.Add(time.Minute), tcnBPDU(hw("00:19:06:00:00:02")))
		if evs := r.all(); len(evs) != 0 {
			t.Fatalf("a switch's BPDUs raised %+v", evs)
		}
	})
	t.Run("CDP flood", func(t *testing.T) {
		r := newRig(t, Config{})
		// 30 IP phones announce themselves once a minute: quiet.
		for i := 0; i < 30; i++ {
			r.feed(t0.Add(time.Duration(i)*time.Second), frame8023(ciscoDst, hw(fmt.Sprintf("00:1b:54:00:00:%02x", i)), snap(0x2000, cdpBody(fmt.Sprintf("SEP001B540000%02X", i)))))
		}
		if evs := r.all(); len(evs) != 0 {
			t.Fatalf("IP phones' CDP raised %+v", evs)
		}
		at := t0.Add(time.Minute)
		for i := 0; i < 200; i++ {
			r.feed(at, frame8023(ciscoDst, hw(fmt.Sprintf("02:00:00:00:%02x:%02x", i>>8, i&0xff)), snap(0x2000, cdpBody(fmt.Sprintf("D%03d", i)))))
		}
		wantOne(t, r, inventory.EventRogueSwitch, "", "")
	})
	t.Run("DTP", func(t *testing.T) {
		r := newRig(t, Config{})
		r.feed(t0, configBPDU(sw, swBridge, swBridge))
		r.feed(t0.Add(time.Second), frame8023(ciscoDst, sw, snap(0x2004, dtpBody(0x03)))) // heard once: not yet a switch
		wantOne(t, r, inventory.EventRogueSwitch, sw.String(), "")
		r = newRig(t, Config{})
		r.feed(t0, configBPDU(sw, swBridge, swBridge))
		r.feed(t0.Add(2*time.Second), configBPDU(sw, swBridge, swBridge))
		r.feed(t0.Add(2*time.Second), frame8023(ciscoDst, sw, snap(0x2004, dtpBody(0x03))))                      // the switch port itself, desirable
		r.feed(t0.Add(2*time.Second), frame8023(ciscoDst, hw("00:19:06:ea:b8:86"), snap(0x2004, dtpBody(0x03)))) // its next port
		r.feed(t0.Add(2*time.Second), frame8023(ciscoDst, pcMAC, snap(0x2004, dtpBody(0x04))))                   // auto: asks nothing
		if evs := r.all(); len(evs) != 0 {
			t.Fatalf("a switch's DTP raised %+v", evs)
		}
		r.feed(t0.Add(3*time.Second), frame8023(ciscoDst, evilMAC, snap(0x2004, dtpBody(0x03))))
		wantOne(t, r, inventory.EventRogueSwitch, evilMAC.String(), "")
	})
}

// hsrpFrame is an HSRP version 0 message for group 1, virtual 10.0.0.254.
func hsrpFrame(t testing.TB, src net.HardwareAddr, srcIP string, op, state, prio byte) []byte {
	b := []byte{0, op, state, 3, 10, prio, 1, 0, 'c', 'i', 's', 'c', 'o', 0, 0, 0, 10, 0, 0, 254}
	return udpFrame(t, src, srcIP, hsrpPort, hw("01:00:5e:00:00:02"), "224.0.0.2", hsrpPort, b)
}

func vrrpFrame(t testing.TB, src net.HardwareAddr, srcIP string, prio byte) []byte {
	ip := &layers.IPv4{Version: 4, TTL: 255, Protocol: vrrpProtocol, SrcIP: ip4(srcIP), DstIP: ip4("224.0.0.18")}
	return serialize(t, &layers.Ethernet{SrcMAC: src, DstMAC: hw("01:00:5e:00:00:12"), EthernetType: layers.EthernetTypeIPv4}, ip,
		gopacket.Payload([]byte{0x21, 7, prio, 1, 0, 1, 0, 0, 10, 0, 0, 254}))
}

func TestFHRPTakeover(t *testing.T) {
	standby := hw("00:1a:a1:00:00:02")
	t.Run("HSRP coup by a stranger", func(t *testing.T) {
		r := newRig(t, Config{})
		for i := 0; i < 3; i++ {
			at := t0.Add(time.Duration(i) * 3 * time.Second)
			r.feed(at, hsrpFrame(t, gwMAC, "10.0.0.1", 0, hsrpActive, 110))
			r.feed(at, hsrpFrame(t, standby, "10.0.0.2", 0, 8, 100))
		}
		r.feed(t0.Add(8*time.Second), hsrpFrame(t, evilMAC, "10.0.0.66", hsrpCoup, hsrpActive, 255))
		ev := wantOne(t, r, inventory.EventFHRPTakeover, evilMAC.String(), "10.0.0.66")
		if ev.TargetMAC.String() != gwMAC.String() || ev.TargetIP.String() != "10.0.0.254" {
			t.Errorf("target %s %s, want the active router and the virtual address", ev.TargetMAC, ev.TargetIP)
		}
		// The real router's hellos go on: no second event.
		r.feed(t0.Add(9*time.Second), hsrpFrame(t, gwMAC, "10.0.0.1", 0, hsrpActive, 110))
		r.feed(t0.Add(10*time.Second), hsrpFrame(t, evilMAC, "10.0.0.66", 0, hsrpActive, 255))
		if n := len(r.of(inventory.EventFHRPTakeover)); n != 1 {
			t.Errorf("%d takeovers, want 1", n)
		}
	})
	t.Run("HSRP failover and preemption", func(t *testing.T) {
		r := newRig(t, Config{})
		r.feed(t0, hsrpFrame(t, gwMAC, "10.0.0.1", 0, hsrpActive, 110))
		r.feed(t0, hsrpFrame(t, standby, "10.0.0.2", 0, 8, 100))
		// The active router dies: the standby takes over after the hold time.
		r.feed(t0.Add(12*time.Second), hsrpFrame(t, standby, "10.0.0.2", 0, hsrpActive, 100))
		// It comes back and preempts with a coup while the standby is active: a router the group knows.
		r.feed(t0.Add(58*time.Second), hsrpFrame(t, standby, "10.0.0.2", 0, hsrpActive, 100))
		r.feed(t0.Add(60*time.Second), hsrpFrame(t, gwMAC, "10.0.0.1", hsrpCoup, hsrpActive, 110))
		if evs := r.all(); len(evs) != 0 {
			t.Fatalf("a failover raised %+v", evs)
		}
	})
	t.Run("VRRP", func(t *testing.T) {
		r := newRig(t, Config{})
		r.feed(t0, vrrpFrame(t, gwMAC, "10.0.0.1", 100))
		r.feed(t0.Add(time.Second), vrrpFrame(t, gwMAC, "10.0.0.1", 100))
		r.feed(t0.Add(2*time.Second), vrrpFrame(t, evilMAC, "10.0.0.66", 254))
		wantOne(t, r, inventory.EventFHRPTakeover, evilMAC.String(), "10.0.0.66")
	})
}

// A CDP flood soon after a BPDU flood, both from forged MACs (no culprit),
// is a second incident: the protocol is in the cooldown key.
func TestL2FloodCooldownPerProtocol(t *testing.T) {
	r := newRig(t, Config{})
	for i := 0; i < 300; i++ {
		m := hw(fmt.Sprintf("02:00:00:00:%02x:%02x", i>>8, i&0xff))
		id := bridgeKey(uint16(i), m)
		r.feed(t0.Add(time.Duration(i)*time.Millisecond), configBPDU(m, id, id))
	}
	at := t0.Add(time.Minute)
	for i := 0; i < 200; i++ {
		r.feed(at, frame8023(ciscoDst, hw(fmt.Sprintf("02:00:00:01:%02x:%02x", i>>8, i&0xff)), snap(0x2000, cdpBody(fmt.Sprintf("D%03d", i)))))
	}
	if n := len(r.of(inventory.EventRogueSwitch)); n != 2 {
		t.Fatalf("%d rogue_switch events, want 2 (a BPDU flood, then a CDP flood)", n)
	}
}

// A speaker is known to its HSRP group only after hellos over some
// seconds: one standby hello before a coup does not make the coup a
// failover, and one-hello MACs cannot push the real standby out.
func TestFHRPLearning(t *testing.T) {
	standby := hw("00:1a:a1:00:00:02")
	t.Run("one hello first", func(t *testing.T) {
		r := newRig(t, Config{})
		for i := 0; i < 5; i++ {
			r.feed(t0.Add(time.Duration(i)*3*time.Second), hsrpFrame(t, gwMAC, "10.0.0.1", 0, hsrpActive, 110))
		}
		r.feed(t0.Add(13*time.Second), hsrpFrame(t, evilMAC, "10.0.0.66", 0, 8, 1))
		r.feed(t0.Add(14*time.Second), hsrpFrame(t, evilMAC, "10.0.0.66", hsrpCoup, hsrpActive, 255))
		wantOne(t, r, inventory.EventFHRPTakeover, evilMAC.String(), "10.0.0.66")
	})
	t.Run("churn", func(t *testing.T) {
		r := newRig(t, Config{})
		at := t0
		for i := 0; i < 5; i++ {
			r.feed(at, hsrpFrame(t, gwMAC, "10.0.0.1", 0, hsrpActive, 110))
			r.feed(at, hsrpFrame(t, standby, "10.0.0.2", 0, 8, 100))
			at = at.Add(3 * time.Second)
		}
		for i := 0; i < 20; i++ {
			r.feed(at, hsrpFrame(t, hw(fmt.Sprintf("02:00:00:00:00:%02x", i)), "10.0.0.9", 0, 8, 1))
		}
		if !r.e.fhrpRouter(mac(standby)) || r.e.fhrpRouter(mac(hw("02:00:00:00:00:13"))) {
			t.Fatal("one-hello MACs pushed the standby router out of its group, or were taken as routers")
		}
		// The standby preempts (it was configured with a higher priority): a known router.
		r.feed(at.Add(time.Second), hsrpFrame(t, standby, "10.0.0.2", hsrpCoup, hsrpActive, 120))
		if evs := r.of(inventory.EventFHRPTakeover); len(evs) != 0 {
			t.Fatalf("the known standby's preemption raised %+v", evs)
		}
	})
}

// The switch table: a MAC is a switch once heard twice a second apart
// outside a flood; a flood's forged MACs or CDP-speaking phones do not fill
// it for good, and one CDP frame before DTP does not make a switch.
func TestSwitchTable(t *testing.T) {
	sw := hw("00:19:06:ea:b8:85")
	swBridge := bridgeKey(0x8000, hw("00:19:06:ea:b8:80"))
	dtp := func(r *rig, at time.Time, m net.HardwareAddr) {
		r.feed(at, frame8023(ciscoDst, m, snap(0x2004, dtpBody(0x03))))
	}
	t.Run("after a flood", func(t *testing.T) {
		r := newRig(t, Config{})
		for i := 0; i < 300; i++ {
			m := hw(fmt.Sprintf("02:00:00:%02x:%02x:00", i>>8, i&0xff))
			id := bridgeKey(uint16(i), m)
			r.feed(t0.Add(time.Duration(i)*time.Millisecond), configBPDU(m, id, id))
		}
		at := t0.Add(time.Hour) // the flood is over; a real switch comes up
		r.feed(at, configBPDU(sw, swBridge, swBridge))
		r.feed(at.Add(2*time.Second), configBPDU(sw, swBridge, swBridge))
		dtp(r, at.Add(3*time.Second), sw)
		if n := len(r.of(inventory.EventRogueSwitch)); n != 1 {
			t.Fatalf("%d rogue_switch events, want the flood's alone", n)
		}
	})
	t.Run("phones", func(t *testing.T) {
		r := newRig(t, Config{})
		phone := func(i int) net.HardwareAddr { return hw(fmt.Sprintf("00:1b:%02x:00:00:01", i)) }
		for round := 0; round < 2; round++ {
			for i := 0; i < 20; i++ {
				body := append(cdpBody(fmt.Sprintf("SEP%02d", i)), 0, 4, 0, 8, 0, 0, 0x04, 0x90) // capabilities: host, phone, IGMP
				r.feed(t0.Add(time.Duration(round)*time.Minute+time.Duration(i)*time.Second), frame8023(ciscoDst, phone(i), snap(0x2000, body)))
			}
		}
		if r.e.isSwitch(mac(phone(0)), t0.Add(2*time.Minute)) {
			t.Fatal("an IP phone's CDP made it a switch")
		}
		at := t0.Add(2 * time.Minute)
		r.feed(at, configBPDU(sw, swBridge, swBridge))
		r.feed(at.Add(2*time.Second), configBPDU(sw, swBridge, swBridge))
		dtp(r, at.Add(3*time.Second), sw)
		if evs := r.all(); len(evs) != 0 {
			t.Fatalf("a switch heard after 20 phones raised %+v", evs)
		}
	})
	t.Run("one CDP frame first", func(t *testing.T) {
		r := newRig(t, Config{})
		r.feed(t0, frame8023(ciscoDst, evilMAC, snap(0x2000, cdpBody("evil"))))
		dtp(r, t0.Add(time.Second), evilMAC)
		wantOne(t, r, inventory.EventRogueSwitch, evilMAC.String(), "")
	})
	t.Run("ages out", func(t *testing.T) {
		r := newRig(t, Config{})
		r.feed(t0, configBPDU(sw, swBridge, swBridge))
		r.feed(t0.Add(2*time.Second), configBPDU(sw, swBridge, swBridge))
		if !r.e.isSwitch(mac(sw), t0.Add(3*time.Second)) || r.e.isSwitch(mac(sw), t0.Add(time.Hour)) {
			t.Fatal("a switch is not one while heard, or still one an hour unheard")
		}
	})
}

// A root switch that reboots: the worse root elected meanwhile is adopted
// after Window, and the original root's return is no claim.
func TestRootReboot(t *testing.T) {
	root := hw("00:19:06:ea:b8:85")
	rootID := bridgeKey(0x1000, hw("00:19:06:ea:b8:80"))
	other := hw("00:1c:0e:00:00:01")
	otherID := bridgeKey(0x8000, hw("00:1c:0e:00:00:00"))
	r := newRig(t, Config{})
	at := t0
	for i := 0; i < 5; i++ {
		r.feed(at, configBPDU(root, rootID, rootID))
		at = at.Add(2 * time.Second)
	}
	at = at.Add(90 * time.Second) // the root reboots: the other switch is elected
	for i := 0; i < 60; i++ {
		r.feed(at, configBPDU(other, otherID, otherID))
		at = at.Add(2 * time.Second)
	}
	for i := 0; i < 5; i++ { // it is back
		r.feed(at, configBPDU(root, rootID, rootID))
		at = at.Add(2 * time.Second)
	}
	if evs := r.all(); len(evs) != 0 {
		t.Fatalf("the root's return raised %+v", evs)
	}
}
