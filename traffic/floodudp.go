package traffic

import "time"

// A UDP flood from one flow (hping3 -2 -k --flood, mausezahn -t udp) has
// no fan-in to tell it by: a QUIC download, a VPN tunnel carrying a backup,
// a video call or a camera stream are single flows too. What none of them
// is, is fast and one-way at once: QUIC and tunnels carry the other
// direction's data and acknowledgements on the same addresses (tens of
// thousands of packets a second each way in a fast transfer), a call sends
// both ways at 50 to 400 packets a second, and a camera's one-way RTP
// stream (its receiver reports on another port) reaches about 2,000 a
// second for 4K at 25 Mbit/s. The busiest UDP flow of the corpus' 38 benign
// captures sends 9 a second (SIP's RTP in ndpi_sip.pcap). So a few flows
// from one LAN host (not through the gateway: an internet server's stream
// names no culprit here) toward one host at udpOneWayRate or more,
// udpOneWayMin packets within floodWindow, while the host sends no UDP back
// (under 1 % of what it gets: a flooded closed port answers ICMP, which is
// not counted), are a flood. Many-flow floods keep the fan-in rule
// (floodFlows).
//
// Slower one-way floods (mausezahn -t udp -d 500us, nping --udp --rate
// 2000: empty datagrams from one or two flows) are told by their size as
// well: at udpSmallRate or more, from at most udpSmallFlows flows, in
// frames of udpSmallFrame bytes or less on average. Every one-way stream an
// office sends at that rate carries media or data in full frames (a camera's
// RTP, 1,200 to 1,400 bytes; a backup or a NetFlow export, full datagrams);
// the small-packet streams are two-way (a call's RTP, 50 a second each way,
// 74 to 214 bytes; DNS, NTP) or far slower (syslog, SNMP traps). A call
// recorder that receives forked RTP one-way gets small frames, but one flow
// per call and 50 a second each: 700 a second is 14 calls, 14 flows.
const (
	udpOneWayMin  = 5_000
	udpOneWayRate = 5_000
	udpCompare    = 2_000
	udpSmallRate  = 700
	udpSmallFrame = 128 // bytes on the wire: headers and 72 bytes of payload
	udpSmallFlows = 4
)

var udpSmallFlowsBits = sketchBits(udpSmallFlows + 1)

// oneWayUDP reports whether the UDP state f, below the fan-in of a flood,
// is a one-way stream from one LAN host at a flood's rate. gated is the
// gate's count of UDP toward the target in this clock window; the target's
// own UDP toward f's source is read from the gate too (a collision there
// only makes the stream look two-way: a miss, never a false alarm). Until
// the window holds udpCompare packets toward the target the directions are
// not compared, and the decision waits for a later packet: a stream
// acknowledged once in fifty packets has sent 30 back by then.
func (e *Engine) oneWayUDP(t time.Time, f *floodState, gated uint64) bool {
	// Cheapest first: a fast download runs through here for every packet.
	if f.pkts < udpOneWayMin || gated < udpCompare || f.same*10 < f.pkts*9 || !f.srcIP.IsValid() || !local(f.srcIP) {
		return false
	}
	if back := e.gateSlot(newFloodKey(f.srcIP, fUDP)); back.window == t.UnixNano()/int64(floodWindow) && back.n*100 >= gated {
		return false
	}
	return udpFloodRate(t, f) && !e.isGatewayMAC(f.srcMAC)
}

// udpFloodRate reports whether the packets f tracked since it began came
// at a one-way flood's rate: udpOneWayRate, or udpSmallRate in small frames
// from few flows. The rate is taken over a second at least: a state that
// starts afresh after floodWindow begins with the gate's count for the
// clock's window already in f.pkts and one packet tracked, which over no
// time at all would be any rate (a camera at 1,000 a second, six seconds
// off the clock's phase, was "7,001,000 packets/s").
func udpFloodRate(t time.Time, f *floodState) bool {
	tracked, secs := f.pkts-f.gated, max(t.Sub(f.start).Seconds(), 1)
	if float64(tracked) >= udpOneWayRate*secs {
		return true
	}
	return float64(tracked) >= udpSmallRate*secs && f.bytes <= udpSmallFrame*tracked && !f.flows.atLeast(udpSmallFlowsBits)
}
