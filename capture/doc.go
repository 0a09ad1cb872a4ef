// Package capture reads Ethernet frames from a live interface (AF_PACKET
// through mdlayher/packet, promiscuous, with a BPF filter and read
// deadlines) or from pcap and pcapng files, behind one Source interface, and
// decodes them into a reused Packet of gopacket layer structs without
// allocating per frame: the common frames by a hand-written decoder that
// fills the structs as gopacket would (fastdecode.go), the rest with
// gopacket's DecodingLayerParser.
//
// A file source carries the capture's own timestamps, so consumers that use
// Packet.Time as their clock replay a capture exactly as it happened.
package capture
