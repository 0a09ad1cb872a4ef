package traffic

import (
	"fmt"
	"net"
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
// ARP sweep of live hosts, each then carrying a request and an answer (an
// SSH banner exchange on 22, an SNMP get answered) or refusing, is Medium,
// an inventory scan to declare; the same sweep whose requests go
// unanswered, or whose accepted connections carry nothing, stays High.
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
		{"SSH banners exchanged", func(r *rig) func(time.Time, net.HardwareAddr, string, uint16) { return ssh(r, true) }, inventory.SeverityMedium},
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
