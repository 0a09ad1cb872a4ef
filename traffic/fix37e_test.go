package traffic

import (
	"fmt"
	"net"
	"testing"
	"time"

	"github.com/google/gopacket/layers"

	"tend/inventory"
)

// TestPassiveFTPAcksNoScan (review 37b ftp): a vsftpd server's bare ACKs
// and FIN/ACKs from its passive data ports (40000 and up) to its clients'
// lower ephemeral ports belong to connections whose handshake was seen:
// no port_scan on the server. The same ACKs to the same ports with no
// handshake (nmap -sA from a high port) stay a scan.
func TestPassiveFTPAcksNoScan(t *testing.T) {
	srv, cli := hw("00:50:56:37:00:14"), hw("f8:bc:12:37:00:65")
	for _, handshake := range []bool{true, false} {
		r := newRig(t, Config{})
		for i := range 60 {
			at := t0.Add(time.Duration(i) * 100 * time.Millisecond)
			cport, sport := uint16(33000+i), uint16(40000+i)
			if handshake {
				r.feed(at, tcpFrame(t, cli, "10.0.0.101", cport, srv, "10.0.0.14", sport, tcpFlags{syn: true}, nil))
				r.feed(at.Add(time.Millisecond), tcpFrame(t, srv, "10.0.0.14", sport, cli, "10.0.0.101", cport, tcpFlags{syn: true, ack: true}, nil))
				r.feed(at.Add(2*time.Millisecond), tcpFrame(t, cli, "10.0.0.101", cport, srv, "10.0.0.14", sport, tcpFlags{ack: true}, nil))
				r.feed(at.Add(3*time.Millisecond), tcpFrame(t, cli, "10.0.0.101", cport, srv, "10.0.0.14", sport, tcpFlags{ack: true, psh: true}, []byte("data")))
			}
			r.feed(at.Add(4*time.Millisecond), tcpFrame(t, srv, "10.0.0.14", sport, cli, "10.0.0.101", cport, tcpFlags{ack: true}, nil))
			r.feed(at.Add(5*time.Millisecond), tcpFrame(t, srv, "10.0.0.14", sport, cli, "10.0.0.101", cport, tcpFlags{ack: true, fin: true}, nil))
		}
		if got := len(r.of(inventory.EventPortScan)); (got == 0) != handshake {
			t.Errorf("handshake %v: %d port_scan, want %v", handshake, got, !handshake)
		}
	}
}

// TestAnonymousFTPLow (review 37b ftp): USER anonymous (RFC 1635) from
// three clients is one Low insecure_protocol for the server; a named
// user's login stays High per client.
func TestAnonymousFTPLow(t *testing.T) {
	srv := hw("00:50:56:37:00:14")
	for _, user := range []string{"anonymous", "bob"} {
		r := newRig(t, Config{})
		for i := range 3 {
			cli, ip := hw(fmt.Sprintf("f8:bc:12:37:00:%02x", 0x65+i)), fmt.Sprintf("10.0.0.%d", 101+i)
			at := t0.Add(time.Duration(i) * time.Second)
			r.feed(at, tcpFrame(t, cli, ip, 50000, srv, "10.0.0.14", 21, tcpFlags{ack: true, psh: true}, []byte("USER "+user+"\r\n")))
			r.feed(at.Add(time.Millisecond), tcpFrame(t, cli, ip, 50000, srv, "10.0.0.14", 21, tcpFlags{ack: true, psh: true}, []byte("PASS lftp@\r\n")))
		}
		ev := r.of(inventory.EventInsecureProtocol)
		want, sev := 3, inventory.SeverityHigh
		if user == "anonymous" {
			want, sev = 1, inventory.SeverityLow
		}
		if len(ev) != want {
			t.Fatalf("USER %s: %d events, want %d: %v", user, len(ev), want, ev)
		}
		for _, e := range ev {
			if e.Severity != sev {
				t.Errorf("USER %s: severity %s, want %s", user, e.Severity, sev)
			}
		}
	}
}

// TestClusterTakeoverNoSpoof (review 37b cluster_ip): node n1 (.61)
// serves the cluster address .60 and crashes; 9 s later n2 (.62) adds
// .60, announces it by five gratuitous ARPs a second apart (IPaddr2,
// arping -U), asks with it and serves the clients from it, resetting a
// stale connection: a takeover, no arp_spoof or reset_injection. The same
// claims while n1 goes on serving from .60 are ARP spoofing.
func TestClusterTakeoverNoSpoof(t *testing.T) {
	n1, n2 := hw("00:14:22:37:00:61"), hw("00:14:22:37:00:62")
	for _, crash := range []bool{true, false} {
		r := newRig(t, Config{})
		r.feed(t0, arpFrame(t, layers.ARPRequest, n1, "10.0.0.61", nil, "10.0.0.1"))
		r.feed(t0.Add(time.Millisecond), arpFrame(t, layers.ARPRequest, n2, "10.0.0.62", nil, "10.0.0.1"))
		r.feed(t0.Add(2*time.Millisecond), arpFrame(t, layers.ARPRequest, n1, "10.0.0.60", nil, "10.0.0.60"))
		serve := func(at time.Time, node net.HardwareAddr, i int) {
			cli, ip := hw(fmt.Sprintf("f8:bc:12:37:00:%02x", 0x65+i%5)), fmt.Sprintf("10.0.0.%d", 101+i%5)
			r.feed(at, tcpFrame(t, node, "10.0.0.60", 80, cli, ip, uint16(40000+i), tcpFlags{ack: true, psh: true}, []byte("HTTP/1.1 200 OK\r\n\r\n")))
		}
		for i := range 60 {
			at := t0.Add(time.Second + time.Duration(i)*500*time.Millisecond)
			if at.Before(t0.Add(10*time.Second)) || !crash {
				serve(at, n1, i)
			}
			if at.After(t0.Add(19600 * time.Millisecond)) {
				serve(at.Add(time.Millisecond), n2, i)
			}
		}
		for i := range 5 {
			at := t0.Add(19*time.Second + time.Duration(i)*time.Second)
			r.feed(at, arpFrame(t, layers.ARPRequest, n2, "10.0.0.60", nil, "10.0.0.60"))
			r.feed(at.Add(100*time.Millisecond), arpFrame(t, layers.ARPRequest, n2, "10.0.0.60", nil, fmt.Sprintf("10.0.0.%d", 101+i)))
		}
		r.feed(t0.Add(21500*time.Millisecond), tcpFrame(t, n2, "10.0.0.60", 445, hw("f8:bc:12:37:00:65"), "10.0.0.101", 50000, tcpFlags{rst: true}, nil))
		spoof, rst := len(r.of(inventory.EventARPSpoof)), len(r.of(inventory.EventResetInjection))
		if crash && (spoof != 0 || rst != 0) {
			t.Errorf("takeover after a crash: %d arp_spoof, %d reset_injection, want none: %v", spoof, rst, r.all())
		}
		if !crash && spoof == 0 {
			t.Errorf("claims while the owner serves: no arp_spoof")
		}
	}
}

// TestPhoneProvisioningTFTPLow (review 37b voip_prov): Cisco and Yealink
// phones reading CTLSEP<MAC>.tlv, SEP<MAC>.cnf.xml, XMLDefault.cnf.xml and
// <mac>.cfg (each read by its own MAC, tftpd-hpa's requests as captured)
// are Low provisioning; one client reading the phones' configurations
// by their MACs (a configuration theft) stays Medium.
func TestPhoneProvisioningTFTPLow(t *testing.T) {
	srv := hw("00:50:56:37:00:30")
	rrq := func(name string) []byte { return append(append([]byte{0, 1}, name...), 0, 'o', 'c', 't', 'e', 't', 0) }
	for _, theft := range []bool{false, true} {
		r := newRig(t, Config{})
		for i := range 10 {
			m := hw(fmt.Sprintf("00:1b:54:37:00:%02x", i+1))
			names := []string{fmt.Sprintf("CTLSEP001B543700%02X.tlv", i+1), fmt.Sprintf("SEP001B543700%02X.cnf.xml", i+1), "XMLDefault.cnf.xml"}
			if i >= 5 {
				m = hw(fmt.Sprintf("80:5e:c0:37:00:%02x", i+1))
				names = []string{fmt.Sprintf("805ec03700%02x.cfg", i+1)}
			}
			from, ip := m, fmt.Sprintf("10.0.0.%d", 31+i)
			if theft {
				from, ip = hw("de:ad:00:00:00:66"), "10.0.0.66"
			}
			for j, n := range names {
				at := t0.Add(time.Duration(i)*time.Second + time.Duration(j)*100*time.Millisecond)
				r.feed(at, udpFrame(t, from, ip, uint16(50000+i), srv, "10.0.0.30", 69, rrq(n)))
			}
		}
		ev := r.of(inventory.EventInsecureProtocol)
		want := inventory.SeverityLow
		if theft {
			want = inventory.SeverityMedium
		}
		if len(ev) != 1 || ev[0].Severity != want {
			t.Errorf("theft %v: %v, want one %s", theft, ev, want)
		}
	}
	if !namesMAC([]byte("ITLSEP001B54370001.tlv"), mac{0x00, 0x1b, 0x54, 0x37, 0x00, 0x01}) || namesMAC([]byte("XMLDefault.cnf.xml"), mac{0x00, 0x1b, 0x54, 0x37, 0x00, 0x01}) {
		t.Error("namesMAC")
	}
}
