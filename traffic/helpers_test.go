package traffic

import (
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"

	"tend/capture"
	"tend/internal/raceflag"
	"tend/inventory"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// heavyUnderRace skips a test that drives tens of thousands of frames (a
// flood at its rate, the whole corpus) through one engine in one goroutine
// when built with -race: the detector has nothing to find there and made
// these tests most of the package's time (seven minutes of a loaded -race
// run). make test-future runs them without -race.
func heavyUnderRace(t *testing.T) {
	t.Helper()
	if raceflag.On {
		t.Skip("tens of thousands of frames through one engine in one goroutine: runs without -race (make test-future)")
	}
}

type rig struct {
	t      testing.TB
	e      *Engine
	d      *capture.Decoder
	events []inventory.Event
}

func newRig(t testing.TB, cfg Config) *rig {
	r := &rig{t: t, d: capture.NewDecoder()}
	r.e = New(cfg, func(ev inventory.Event) { r.events = append(r.events, ev) })
	return r
}

func (r *rig) feed(at time.Time, frame []byte) {
	r.e.Packet(r.d.Decode(capture.Frame{Time: at, Data: frame, Length: len(frame)}))
}

// all is every event so far, the port scans still gathering targets
// included (the engine holds them back for scanGather).
func (r *rig) all() []inventory.Event {
	r.e.Flush()
	return r.events
}

func (r *rig) reset() {
	r.e.Flush()
	r.events = r.events[:0]
}

func (r *rig) of(typ inventory.EventType) []inventory.Event {
	var out []inventory.Event
	for _, ev := range r.all() {
		if ev.Type == typ {
			out = append(out, ev)
		}
	}
	return out
}

func hw(s string) net.HardwareAddr {
	m, err := net.ParseMAC(s)
	if err != nil {
		panic(err)
	}
	return m
}

func ip4(s string) net.IP { return net.IP(netip.MustParseAddr(s).AsSlice()) }

type netHW = net.HardwareAddr

var bcast = hw("ff:ff:ff:ff:ff:ff")

func serialize(t testing.TB, ls ...gopacket.SerializableLayer) []byte {
	t.Helper()
	buf := gopacket.NewSerializeBuffer()
	if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}, ls...); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func arpFrame(t testing.TB, op uint16, srcMAC net.HardwareAddr, srcIP string, dstMAC net.HardwareAddr, dstIP string) []byte {
	ethDst := dstMAC
	if op == layers.ARPRequest {
		ethDst = bcast
		dstMAC = hw("00:00:00:00:00:00")
	}
	return serialize(t,
		&layers.Ethernet{SrcMAC: srcMAC, DstMAC: ethDst, EthernetType: layers.EthernetTypeARP},
		&layers.ARP{AddrType: layers.LinkTypeEthernet, Protocol: layers.EthernetTypeIPv4, HwAddressSize: 6, ProtAddressSize: 4,
			Operation: op, SourceHwAddress: srcMAC, SourceProtAddress: ip4(srcIP), DstHwAddress: dstMAC, DstProtAddress: ip4(dstIP)})
}

type tcpFlags struct{ syn, ack, fin, rst, psh, urg bool }

func tcpFrame(t testing.TB, srcMAC net.HardwareAddr, srcIP string, sport uint16, dstMAC net.HardwareAddr, dstIP string, dport uint16, f tcpFlags, payload []byte) []byte {
	ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolTCP, SrcIP: ip4(srcIP), DstIP: ip4(dstIP)}
	tcp := &layers.TCP{SrcPort: layers.TCPPort(sport), DstPort: layers.TCPPort(dport), SYN: f.syn, ACK: f.ack, FIN: f.fin, RST: f.rst, PSH: f.psh, URG: f.urg, Window: 1024}
	tcp.SetNetworkLayerForChecksum(ip)
	return serialize(t, &layers.Ethernet{SrcMAC: srcMAC, DstMAC: dstMAC, EthernetType: layers.EthernetTypeIPv4}, ip, tcp, gopacket.Payload(payload))
}

func udpFrame(t testing.TB, srcMAC net.HardwareAddr, srcIP string, sport uint16, dstMAC net.HardwareAddr, dstIP string, dport uint16, payload []byte) []byte {
	ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolUDP, SrcIP: ip4(srcIP), DstIP: ip4(dstIP)}
	udp := &layers.UDP{SrcPort: layers.UDPPort(sport), DstPort: layers.UDPPort(dport)}
	udp.SetNetworkLayerForChecksum(ip)
	return serialize(t, &layers.Ethernet{SrcMAC: srcMAC, DstMAC: dstMAC, EthernetType: layers.EthernetTypeIPv4}, ip, udp, gopacket.Payload(payload))
}

func pingFrame(t testing.TB, srcMAC net.HardwareAddr, srcIP string, dstMAC net.HardwareAddr, dstIP string, size int) []byte {
	ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolICMPv4, SrcIP: ip4(srcIP), DstIP: ip4(dstIP)}
	return serialize(t, &layers.Ethernet{SrcMAC: srcMAC, DstMAC: dstMAC, EthernetType: layers.EthernetTypeIPv4}, ip,
		&layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(layers.ICMPv4TypeEchoRequest, 0), Id: 1, Seq: 1}, gopacket.Payload(make([]byte, size)))
}

// dhcpReply builds a DHCP OFFER (typ 2) or ACK (5) from server to client.
func dhcpReply(t testing.TB, srvMAC net.HardwareAddr, srvIP string, client net.HardwareAddr, yours, router string, typ byte) []byte {
	d := &layers.DHCPv4{Operation: layers.DHCPOpReply, HardwareType: layers.LinkTypeEthernet, HardwareLen: 6, Xid: 7,
		YourClientIP: ip4(yours), ClientHWAddr: client,
		Options: layers.DHCPOptions{
			layers.NewDHCPOption(layers.DHCPOptMessageType, []byte{typ}),
			layers.NewDHCPOption(layers.DHCPOptServerID, ip4(srvIP).To4()),
			layers.NewDHCPOption(layers.DHCPOptRouter, ip4(router).To4()),
			layers.NewDHCPOption(layers.DHCPOptEnd, nil),
		}}
	ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolUDP, SrcIP: ip4(srvIP), DstIP: ip4("255.255.255.255")}
	udp := &layers.UDP{SrcPort: 67, DstPort: 68}
	udp.SetNetworkLayerForChecksum(ip)
	return serialize(t, &layers.Ethernet{SrcMAC: srvMAC, DstMAC: bcast, EthernetType: layers.EthernetTypeIPv4}, ip, udp, d)
}

// The cast of the tests' LAN.
var (
	gwMAC   = hw("00:1a:a1:00:00:01")
	pcMAC   = hw("3c:52:82:00:00:10")
	nasMAC  = hw("00:11:32:00:00:30")
	evilMAC = hw("b8:27:eb:00:00:66")
	boxMAC  = hw("02:74:65:6e:64:01")
)

// baseline plays a quiet office for d: the gateway, a PC and a NAS
// resolving each other and pinging every 10 s.
func (r *rig) baseline(from time.Time, d time.Duration) time.Time {
	at := from
	for ; at.Before(from.Add(d)); at = at.Add(10 * time.Second) {
		r.feed(at, arpFrame(r.t, layers.ARPRequest, pcMAC, "10.0.0.10", nil, "10.0.0.1"))
		r.feed(at, arpFrame(r.t, layers.ARPReply, gwMAC, "10.0.0.1", pcMAC, "10.0.0.10"))
		r.feed(at, arpFrame(r.t, layers.ARPRequest, nasMAC, "10.0.0.30", nil, "10.0.0.1"))
		r.feed(at, pingFrame(r.t, pcMAC, "10.0.0.10", gwMAC, "10.0.0.1", 56))
		r.feed(at, pingFrame(r.t, gwMAC, "10.0.0.1", pcMAC, "10.0.0.10", 56))
		r.feed(at, pingFrame(r.t, nasMAC, "10.0.0.30", gwMAC, "10.0.0.1", 56))
		r.feed(at, tcpFrame(r.t, pcMAC, "10.0.0.10", 50000, nasMAC, "10.0.0.30", 445, tcpFlags{ack: true, psh: true}, []byte("\x00\x00\x00\x04\xfeSMB")))
	}
	return at
}
