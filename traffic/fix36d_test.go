package traffic

import (
	"encoding/hex"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/google/gopacket/layers"

	"tend/inventory"
)

// snmpGetSysDescr is net-snmp's snmpget -v2c -c public of sysDescr.0
// (review 36b inventory), and snmpSysDescrAnswer an agent's answer.
var (
	snmpGetSysDescr = []byte{0x30, 0x29, 0x02, 0x01, 0x01, 0x04, 0x06, 'p', 'u', 'b', 'l', 'i', 'c', 0xa0, 0x1c, 0x02, 0x04, 0x44, 0x3c, 0x15,
		0x1a, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00, 0x30, 0x0e, 0x30, 0x0c, 0x06, 0x08, 0x2b, 0x06, 0x01, 0x02, 0x01, 0x01, 0x01, 0x00, 0x05, 0x00}
	snmpSysDescrAnswer = []byte{0x30, 0x2e, 0x02, 0x01, 0x01, 0x04, 0x06, 'p', 'u', 'b', 'l', 'i', 'c', 0xa2, 0x21, 0x02, 0x04, 0x44, 0x3c, 0x15,
		0x1a, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00, 0x30, 0x13, 0x30, 0x11, 0x06, 0x08, 0x2b, 0x06, 0x01, 0x02, 0x01, 0x01, 0x01, 0x00, 0x04, 0x05,
		'L', 'i', 'n', 'u', 'x'}
)

// inventoryRound is an agent on .5 resolving 40 hosts by ARP and then
// talking to each: the first 25 answer, the rest refuse. talk feeds one
// live host's exchange.
func inventoryRound(t *testing.T, r *rig, talk func(at time.Time, h net.HardwareAddr, ip string, port uint16)) {
	src := hw("00:0c:29:36:00:05")
	for i := range 40 {
		h, ip := hw(fmt.Sprintf("f8:bc:12:36:01:%02x", i)), fmt.Sprintf("10.0.0.%d", 101+i)
		at := t0.Add(time.Duration(i) * 300 * time.Millisecond)
		port := uint16(40000 + i)
		r.feed(at, arpFrame(t, layers.ARPRequest, src, "10.0.0.5", nil, ip))
		r.feed(at.Add(time.Millisecond), arpFrame(t, layers.ARPReply, h, ip, src, "10.0.0.5"))
		if i >= 25 {
			r.feed(at.Add(2*time.Millisecond), tcpFrame(t, src, "10.0.0.5", port, h, ip, 445, tcpFlags{syn: true}, nil))
			r.feed(at.Add(3*time.Millisecond), tcpFrame(t, h, ip, 445, src, "10.0.0.5", port, tcpFlags{rst: true, ack: true}, nil))
			continue
		}
		talk(at.Add(2*time.Millisecond), h, ip, port)
	}
}

// TestInventoryScanMedium (review 36b inventory): an undeclared agent's
// ARP sweep of live hosts, each then carrying a request and an answer (a
// request on 135 answered as review 36b's servers did, an SNMP get
// answered) or refusing, is Medium, an inventory scan to declare; the
// same sweep whose requests go unanswered, or whose only exchanges are on
// a login port (SSH banners: a key scan's or a sprayer's too), stays High.
func TestInventoryScanMedium(t *testing.T) {
	src := hw("00:0c:29:36:00:05")
	ssh := func(r *rig, answered bool) func(time.Time, net.HardwareAddr, string, uint16) {
		return func(at time.Time, h net.HardwareAddr, ip string, port uint16) {
			r.feed(at, tcpFrame(t, src, "10.0.0.5", port, h, ip, 22, tcpFlags{syn: true}, nil))
			r.feed(at.Add(time.Millisecond), tcpFrame(t, h, ip, 22, src, "10.0.0.5", port, tcpFlags{syn: true, ack: true}, nil))
			r.feed(at.Add(2*time.Millisecond), tcpFrame(t, src, "10.0.0.5", port, h, ip, 22, tcpFlags{ack: true, psh: true}, []byte("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n")))
			if answered {
				r.feed(at.Add(3*time.Millisecond), tcpFrame(t, h, ip, 22, src, "10.0.0.5", port, tcpFlags{ack: true, psh: true}, []byte("SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n")))
			}
		}
	}
	rpc := func(r *rig) func(time.Time, net.HardwareAddr, string, uint16) {
		return func(at time.Time, h net.HardwareAddr, ip string, port uint16) {
			r.feed(at, tcpFrame(t, src, "10.0.0.5", port, h, ip, 135, tcpFlags{syn: true}, nil))
			r.feed(at.Add(time.Millisecond), tcpFrame(t, h, ip, 135, src, "10.0.0.5", port, tcpFlags{syn: true, ack: true}, nil))
			r.feed(at.Add(2*time.Millisecond), tcpFrame(t, src, "10.0.0.5", port, h, ip, 135, tcpFlags{ack: true, psh: true}, []byte("x\n")))
			r.feed(at.Add(3*time.Millisecond), tcpFrame(t, h, ip, 135, src, "10.0.0.5", port, tcpFlags{ack: true, psh: true}, []byte("HTTP/1.1 200 OK\r\nContent-Length: 2000\r\nConnection: close\r\n\r\n")))
		}
	}
	snmp := func(r *rig, answered bool) func(time.Time, net.HardwareAddr, string, uint16) {
		return func(at time.Time, h net.HardwareAddr, ip string, port uint16) {
			r.feed(at, udpFrame(t, src, "10.0.0.5", port, h, ip, 161, snmpGetSysDescr))
			if answered {
				r.feed(at.Add(time.Millisecond), udpFrame(t, h, ip, 161, src, "10.0.0.5", port, snmpSysDescrAnswer))
			}
		}
	}
	for _, tc := range []struct {
		name string
		talk func(r *rig) func(time.Time, net.HardwareAddr, string, uint16)
		want inventory.Severity
	}{
		{"SSH banners exchanged (a key scan's too)", func(r *rig) func(time.Time, net.HardwareAddr, string, uint16) { return ssh(r, true) }, inventory.SeverityHigh},
		{"RPC on 135 answered", func(r *rig) func(time.Time, net.HardwareAddr, string, uint16) { return rpc(r) }, inventory.SeverityMedium},
		{"SNMP gets answered", func(r *rig) func(time.Time, net.HardwareAddr, string, uint16) { return snmp(r, true) }, inventory.SeverityMedium},
		{"SSH banner unanswered", func(r *rig) func(time.Time, net.HardwareAddr, string, uint16) { return ssh(r, false) }, inventory.SeverityHigh},
		{"SNMP gets unanswered", func(r *rig) func(time.Time, net.HardwareAddr, string, uint16) { return snmp(r, false) }, inventory.SeverityHigh},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{})
			inventoryRound(t, r, tc.talk(r))
			r.baseline(t0.Add(13*time.Second), 3*time.Minute)
			evs := r.of(inventory.EventHostSweep)
			if len(evs) != 1 || evs[0].Severity != tc.want {
				t.Fatalf("want one host_sweep %s, got %+v", tc.want, evs)
			}
			if inv := strings.Contains(evs[0].Summary, "undeclared inventory/management scan"); inv != (tc.want == inventory.SeverityMedium) {
				t.Errorf("summary %q: inventory named %v", evs[0].Summary, inv)
			}
		})
	}
}

// TestSlowStarvation (review 36a dhcp_starve_2s): one MAC sending a
// DISCOVER every 2 s, each under a new random client address, the server
// offering each, is starvation at the 50th, 98 s in, below the one-minute
// count's threshold. A MAC-rewriting repeater whose clients REQUEST what
// they were offered, 49 forged clients, or 60 paced over 15 minutes stay
// quiet.
func TestSlowStarvation(t *testing.T) {
	evil, repeater := hw("b8:27:eb:00:00:66"), hw("50:c7:bf:36:00:90")
	request := layers.NewDHCPOption(layers.DHCPOptMessageType, []byte{byte(layers.DHCPMsgTypeRequest)})
	for _, tc := range []struct {
		name      string
		src       net.HardwareAddr
		n         int
		gap       time.Duration
		requested bool
		want      int
	}{
		{"scapy every 2 s", evil, 65, 2 * time.Second, false, 1},
		{"49 forged", evil, 49, 2 * time.Second, false, 0},
		{"every 15 s", evil, 60, 15 * time.Second, false, 0},
		{"repeater's clients", repeater, 65, 2 * time.Second, true, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{})
			for i := range tc.n {
				chaddr := net.HardwareAddr{0x02, 0xfe, 0xbd, byte(i >> 8), byte(i), 0x9a}
				at := t0.Add(time.Duration(i) * tc.gap)
				xid := uint32(0x1000 + i)
				r.feed(at, dhcpDiscover(t, tc.src, chaddr, xid))
				r.feed(at.Add(20*time.Millisecond), dhcpReply(t, gwMAC, "10.0.0.1", chaddr, fmt.Sprintf("10.0.0.%d", 100+i%100), "10.0.0.1", 2))
				if tc.requested {
					r.feed(at.Add(40*time.Millisecond), dhcpClient(t, tc.src, chaddr, xid, request, dhcpOpt(layers.DHCPOptRequestIP, fmt.Sprintf("10.0.0.%d", 100+i%100))))
				}
			}
			evs := r.of(inventory.EventDHCPStarvation)
			if len(evs) != tc.want {
				t.Fatalf("want %d dhcp_starvation, got %+v", tc.want, evs)
			}
			if tc.want == 1 && (evs[0].MAC.String() != evil.String() || evs[0].Severity != inventory.SeverityHigh || !strings.Contains(evs[0].Summary, "slow DHCP starvation")) {
				t.Errorf("want High on %s, got %+v", evil, evs[0])
			}
		})
	}
}

// mldv2Report is atk6-fake_mld26's MLDv2 report (review 36a v6_fake_mld26,
// joining ff05::1:3) and igmpv3Report a Linux host's IGMPv3 report
// (staged benign-multicast-stream-python), as captured.
const (
	mldv2Report  = "33330000 0016b827 eb000066 86dd6000 00000034 0001fe80 00000000 0000ba27 ebfffe00 0066ff02 00000000 00000000 00000000 00163a00 05020000 00008f00 cc650000 00010300 0000ff05 00000000 00000000 00000001 00030000 00000000 00000000 00000000 0000"
	igmpv3Report = "01005e00 00160050 56000165 080046c0 00280000 40000102 f13c0a58 0865e000 00169404 00002200 e8fd0000 00010400 0000efff 0101"
)

func hexFrame(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestGroupReportFlood (review 36a v6_fake_mld26): 1,200 MLD reports from
// one MAC within a second are a flood on that MAC, and so are IGMP
// reports; 40 a second (a host joining many groups, answering queries),
// or 900 a second for 5 s, are not.
func TestGroupReportFlood(t *testing.T) {
	for _, tc := range []struct {
		name     string
		frame    string
		from     string
		n        int
		gap      time.Duration
		want     int
		protocol string
	}{
		{"fake_mld26 -l", mldv2Report, "b8:27:eb:00:00:66", 1200, 40 * time.Microsecond, 1, "MLD"},
		{"IGMPv3 flood", igmpv3Report, "00:50:56:00:01:65", 1200, 100 * time.Microsecond, 1, "IGMP"},
		{"MLD joins", mldv2Report, "", 40, 25 * time.Millisecond, 0, ""},
		{"900 a second", igmpv3Report, "", 4500, time.Second / 900, 0, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{})
			frame := hexFrame(t, tc.frame)
			for i := range tc.n {
				r.feed(t0.Add(time.Duration(i)*tc.gap), frame)
			}
			evs := r.of(inventory.EventFlood)
			if len(evs) != tc.want {
				t.Fatalf("want %d flood, got %+v", tc.want, evs)
			}
			if tc.want == 1 && (evs[0].MAC.String() != tc.from || evs[0].Severity != inventory.SeverityHigh || !strings.HasPrefix(evs[0].Summary, tc.protocol+" report flood")) {
				t.Errorf("want a High %s report flood on %s, got %+v", tc.protocol, tc.from, evs[0])
			}
		})
	}
}

// TestTFTPNameGuessing (review 36a tftp_theft): a host asking a switch's
// TFTP server for 12 configuration names, 10 answered "File not found",
// is brute_force on the host beside the server's TFTP note; a PXELINUX
// configuration search after the boot file (names in pxelinux.cfg/, most
// missing), a client reading 12 files all served, and 6 guesses stay the
// server's TFTP note alone.
func TestTFTPNameGuessing(t *testing.T) {
	guesses := []string{"startup-config", "running-config", "router-confg", "network-confg", "sw1-confg", "cisco.cfg",
		"config.text", "switch.cfg", "vlan.dat", "nvram", "backup.cfg", "config.bin"}
	pxe := []string{"pxelinux.0", "pxelinux.cfg/01-3c-52-82-00-00-10", "pxelinux.cfg/0A00000A", "pxelinux.cfg/0A00000", "pxelinux.cfg/0A0000",
		"pxelinux.cfg/0A000", "pxelinux.cfg/0A00", "pxelinux.cfg/0A0", "pxelinux.cfg/0A", "pxelinux.cfg/0", "pxelinux.cfg/default"}
	for _, tc := range []struct {
		name   string
		files  []string
		served func(i int) bool
		want   int
	}{
		{"config names guessed", guesses, func(i int) bool { return i < 2 }, 1},
		{"PXELINUX config search", pxe, func(i int) bool { return i == 0 || i == len(pxe)-1 }, 0},
		{"all served", guesses, func(int) bool { return true }, 0},
		{"6 guesses", guesses[:6], func(i int) bool { return i < 1 }, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{Learning: time.Minute, Gateway: netip.MustParseAddr("10.0.0.1")})
			at := r.baseline(t0, 2*time.Minute)
			for i, f := range tc.files {
				at := at.Add(time.Duration(i) * 300 * time.Millisecond)
				port := uint16(40000 + i)
				r.feed(at, udpFrame(t, evilMAC, "10.0.0.66", port, nasMAC, "10.0.0.30", 69, []byte("\x00\x01"+f+"\x00netascii\x00")))
				answer := []byte("\x00\x05\x00\x01File not found\x00")
				if tc.served(i) {
					answer = append([]byte("\x00\x03\x00\x01"), "hostname sw1\n"...)
				}
				r.feed(at.Add(2*time.Millisecond), udpFrame(t, nasMAC, "10.0.0.30", uint16(50000+i), evilMAC, "10.0.0.66", port, answer))
			}
			r.e.Flush()
			evs := r.of(inventory.EventBruteForce)
			if len(evs) != tc.want {
				t.Fatalf("want %d brute_force, got %+v", tc.want, r.all())
			}
			if len(r.of(inventory.EventInsecureProtocol)) != 1 {
				t.Errorf("want the server's TFTP note, got %+v", r.all())
			}
			if tc.want == 1 && (evs[0].MAC.String() != evilMAC.String() || evs[0].TargetIP.String() != "10.0.0.30" || !strings.Contains(evs[0].Summary, "10 refused")) {
				t.Errorf("want the guessing on %s, got %+v", evilMAC, evs[0])
			}
		})
	}
}

// bettercap dns.spoof alone (review 36a bettercap_dns_spoof): the PC's
// query for www1.bank.com, dnsmasq's REFUSED (TTL 64, DF, counting IDs)
// and bettercap's forged A 10.36.1.66 (TTL 64, no DF, ID 0), both under
// the gateway's MAC, as captured.
const (
	bcapQuery   = "001aa100 00013c52 82000010 08004500 003b22c2 40004011 019e0a24 010a0a24 0101ab94 00350027 168bfe11 01000001 00000000 00000477 77773104 62616e6b 03636f6d 00000100 01"
	bcapRefused = "3c528200 0010001a a1000001 08004500 003b98fe 40004011 8b610a24 01010a24 010a0035 ab940027 168bfe11 81050001 00000000 00000477 77773104 62616e6b 03636f6d 00000100 01"
	bcapForged  = "3c528200 0010001a a1000001 08004500 00580000 00004011 64430a24 01010a24 010a0035 ab940044 2d49fe11 80000001 00010000 00000477 77773104 62616e6b 03636f6d 00000100 01047777 77310462 616e6b03 636f6d00 00010001 00000400 00040a24 0142"
	// bcapForged's answer under dnsmasq's IP header (DF, ID 0x98ff): the
	// resolver's own second answer to a retried query.
	bcapOwnAnswer = "3c528200 0010001a a1000001 08004500 005898ff 40004011 64430a24 01010a24 010a0035 ab940044 2d49fe11 80000001 00010000 00000477 77773104 62616e6b 03636f6d 00000100 01047777 77310462 616e6b03 636f6d00 00010001 00000400 00040a24 0142"
)

// TestDNSRaceSameMAC: two different answers to one query from the
// resolver's MAC, from two IP stacks (TTL, DF, ID 0) 19 ms apart, are a
// race raised with no culprit MAC and the PC as target; the resolver's
// own second answer (same IP header signature), the same forged answer
// repeated, or the two stacks' answers 3 s apart stay quiet.
func TestDNSRaceSameMAC(t *testing.T) {
	for _, tc := range []struct {
		name   string
		second string
		gap    time.Duration
		want   int
	}{
		{"bettercap dns.spoof", bcapForged, 19 * time.Millisecond, 1},
		{"resolver's own second answer", bcapOwnAnswer, 700 * time.Millisecond, 0},
		{"the same answer twice", bcapRefused, 19 * time.Millisecond, 0},
		{"3 s apart", bcapForged, 3 * time.Second, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{})
			r.feed(t0, hexFrame(t, bcapQuery))
			r.feed(t0.Add(time.Millisecond), hexFrame(t, bcapRefused))
			r.feed(t0.Add(time.Millisecond+tc.gap), hexFrame(t, tc.second))
			evs := r.of(inventory.EventNamePoisoning)
			if len(evs) != tc.want {
				t.Fatalf("want %d name_poisoning, got %+v", tc.want, r.all())
			}
			if tc.want == 1 && (!evs[0].MAC.IsZero() || evs[0].TargetIP.String() != "10.36.1.10" || evs[0].Severity != inventory.SeverityHigh) {
				t.Errorf("want a High race on 10.36.1.10 naming no MAC, got %+v", evs[0])
			}
		})
	}
}
