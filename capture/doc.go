// Package capture reads Ethernet frames from a live interface (AF_PACKET
// through mdlayher/packet, promiscuous, with a BPF filter and read
// deadlines) or from pcap and pcapng files, behind one Source interface, and
// decodes them with gopacket's DecodingLayerParser into a reused Packet
// without allocating per frame.
//
// A file source carries the capture's own timestamps, so consumers that use
// Packet.Time as their clock replay a capture exactly as it happened.
package capture
