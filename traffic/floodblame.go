package traffic

// Who a flood's gated packets came from.
//
// A state that restarts counts the packets the gate counted before it
// (gated) as its own, with no frame of them seen: they were credited to
// the MAC of the first packet after the restart. A state that restarts
// mid-window while the traffic goes on takes over thousands of them (the
// gate counted the window's), and a boot storm's client that sent 3 % of
// a PXE server's datagrams was named as the one MAC that sent nine in ten
// (review 32a, s12: 20,778 of 20,785). Where the last window went on
// without a pause, its share is the best word on who sent the gated
// packets: src is credited with its share of the last window's (none when
// the last window's first MAC was another, whose share alone was counted).
// A fresh state's gated packets are a quarter of a flood's count at most
// and stay the first MAC's.

// gatedFrom is how many of gated, the packets the gate counted before f
// restarts at a packet from src, src is credited with: f's share of its
// packets from its MAC (same) when that MAC is src, none otherwise.
func gatedFrom(f *floodState, src mac, gated uint64) uint64 {
	if f.srcMAC != src || f.pkts == 0 {
		return 0
	}
	return gated * min(f.same, f.pkts) / f.pkts
}
