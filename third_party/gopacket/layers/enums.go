// Copyright 2012 Google, Inc. All rights reserved.
// Copyright 2009-2011 Andreas Krennmair. All rights reserved.
//
// Use of this source code is governed by a BSD-style license
// that can be found in the LICENSE file in the root of the source
// tree.

package layers

import (
	"fmt"
	"runtime"

	"github.com/google/gopacket"
)

// EnumMetadata keeps track of a set of metadata for each enumeration value
// for protocol enumerations.
// enumTable is a 65,536-entry table of EnumMetadata (tend's copy) that
// keeps only the entries set: a byte per key (64 KB without pointers, only
// the pages written become resident) indexes the known entries.
type enumTable struct {
	idx  [65536]uint8
	ents []EnumMetadata // ents[0] is the zero entry
}

// get returns the entry for k, the zero EnumMetadata when none was set.
func (t *enumTable) get(k uint16) EnumMetadata {
	if i := t.idx[k]; i != 0 {
		return t.ents[i]
	}
	return EnumMetadata{}
}

// set stores the entry for k; a table holds at most 255 entries. It is
// called only at init: not inlined, so its call sites stay small.
//
//go:noinline
func (t *enumTable) set(k uint16, m EnumMetadata) {
	if i := t.idx[k]; i != 0 {
		t.ents[i] = m
		return
	}
	if len(t.ents) == 0 {
		t.ents = []EnumMetadata{{}}
	}
	if len(t.ents) > 255 {
		panic("layers: more than 255 entries in an enumTable")
	}
	t.idx[k] = uint8(len(t.ents))
	t.ents = append(t.ents, m)
}

type EnumMetadata struct {
	// DecodeWith is the decoder to use to decode this protocol's data.
	DecodeWith gopacket.Decoder
	// Name is the name of the enumeration value.
	Name string
	// LayerType is the layer type implied by the given enum.
	LayerType gopacket.LayerType
}

// EthernetType is an enumeration of ethernet type values, and acts as a decoder
// for any type it supports.
type EthernetType uint16

const (
	// EthernetTypeLLC is not an actual ethernet type.  It is instead a
	// placeholder we use in Ethernet frames that use the 802.3 standard of
	// srcmac|dstmac|length|LLC instead of srcmac|dstmac|ethertype.
	EthernetTypeLLC                         EthernetType = 0
	EthernetTypeIPv4                        EthernetType = 0x0800
	EthernetTypeARP                         EthernetType = 0x0806
	EthernetTypeIPv6                        EthernetType = 0x86DD
	EthernetTypeCiscoDiscovery              EthernetType = 0x2000
	EthernetTypeNortelDiscovery             EthernetType = 0x01a2
	EthernetTypeTransparentEthernetBridging EthernetType = 0x6558
	EthernetTypeDot1Q                       EthernetType = 0x8100
	EthernetTypePPP                         EthernetType = 0x880b
	EthernetTypePPPoEDiscovery              EthernetType = 0x8863
	EthernetTypePPPoESession                EthernetType = 0x8864
	EthernetTypeMPLSUnicast                 EthernetType = 0x8847
	EthernetTypeMPLSMulticast               EthernetType = 0x8848
	EthernetTypeEAPOL                       EthernetType = 0x888e
	EthernetTypeERSPAN                      EthernetType = 0x88be
	EthernetTypeQinQ                        EthernetType = 0x88a8
	EthernetTypeLinkLayerDiscovery          EthernetType = 0x88cc
	EthernetTypeEthernetCTP                 EthernetType = 0x9000
)

// IPProtocol is an enumeration of IP protocol values, and acts as a decoder
// for any type it supports.
type IPProtocol uint8

const (
	IPProtocolIPv6HopByHop    IPProtocol = 0
	IPProtocolICMPv4          IPProtocol = 1
	IPProtocolIGMP            IPProtocol = 2
	IPProtocolIPv4            IPProtocol = 4
	IPProtocolTCP             IPProtocol = 6
	IPProtocolUDP             IPProtocol = 17
	IPProtocolRUDP            IPProtocol = 27
	IPProtocolIPv6            IPProtocol = 41
	IPProtocolIPv6Routing     IPProtocol = 43
	IPProtocolIPv6Fragment    IPProtocol = 44
	IPProtocolGRE             IPProtocol = 47
	IPProtocolESP             IPProtocol = 50
	IPProtocolAH              IPProtocol = 51
	IPProtocolICMPv6          IPProtocol = 58
	IPProtocolNoNextHeader    IPProtocol = 59
	IPProtocolIPv6Destination IPProtocol = 60
	IPProtocolOSPF            IPProtocol = 89
	IPProtocolIPIP            IPProtocol = 94
	IPProtocolEtherIP         IPProtocol = 97
	IPProtocolVRRP            IPProtocol = 112
	IPProtocolSCTP            IPProtocol = 132
	IPProtocolUDPLite         IPProtocol = 136
	IPProtocolMPLSInIP        IPProtocol = 137
)

// LinkType is an enumeration of link types, and acts as a decoder for any
// link type it supports.
type LinkType uint8

const (
	// According to pcap-linktype(7) and http://www.tcpdump.org/linktypes.html
	LinkTypeNull           LinkType = 0
	LinkTypeEthernet       LinkType = 1
	LinkTypeAX25           LinkType = 3
	LinkTypeTokenRing      LinkType = 6
	LinkTypeArcNet         LinkType = 7
	LinkTypeSLIP           LinkType = 8
	LinkTypePPP            LinkType = 9
	LinkTypeFDDI           LinkType = 10
	LinkTypePPP_HDLC       LinkType = 50
	LinkTypePPPEthernet    LinkType = 51
	LinkTypeATM_RFC1483    LinkType = 100
	LinkTypeRaw            LinkType = 101
	LinkTypeC_HDLC         LinkType = 104
	LinkTypeIEEE802_11     LinkType = 105
	LinkTypeFRelay         LinkType = 107
	LinkTypeLoop           LinkType = 108
	LinkTypeLinuxSLL       LinkType = 113
	LinkTypeLTalk          LinkType = 114
	LinkTypePFLog          LinkType = 117
	LinkTypePrismHeader    LinkType = 119
	LinkTypeIPOverFC       LinkType = 122
	LinkTypeSunATM         LinkType = 123
	LinkTypeIEEE80211Radio LinkType = 127
	LinkTypeARCNetLinux    LinkType = 129
	LinkTypeIPOver1394     LinkType = 138
	LinkTypeMTP2Phdr       LinkType = 139
	LinkTypeMTP2           LinkType = 140
	LinkTypeMTP3           LinkType = 141
	LinkTypeSCCP           LinkType = 142
	LinkTypeDOCSIS         LinkType = 143
	LinkTypeLinuxIRDA      LinkType = 144
	LinkTypeLinuxLAPD      LinkType = 177
	LinkTypeLinuxUSB       LinkType = 220
	LinkTypeFC2            LinkType = 224
	LinkTypeFC2Framed      LinkType = 225
	LinkTypeIPv4           LinkType = 228
	LinkTypeIPv6           LinkType = 229
)

// PPPoECode is the PPPoE code enum, taken from http://tools.ietf.org/html/rfc2516
type PPPoECode uint8

const (
	PPPoECodePADI    PPPoECode = 0x09
	PPPoECodePADO    PPPoECode = 0x07
	PPPoECodePADR    PPPoECode = 0x19
	PPPoECodePADS    PPPoECode = 0x65
	PPPoECodePADT    PPPoECode = 0xA7
	PPPoECodeSession PPPoECode = 0x00
)

// PPPType is an enumeration of PPP type values, and acts as a decoder for any
// type it supports.
type PPPType uint16

const (
	PPPTypeIPv4          PPPType = 0x0021
	PPPTypeIPv6          PPPType = 0x0057
	PPPTypeMPLSUnicast   PPPType = 0x0281
	PPPTypeMPLSMulticast PPPType = 0x0283
)

// SCTPChunkType is an enumeration of chunk types inside SCTP packets.
type SCTPChunkType uint8

const (
	SCTPChunkTypeData             SCTPChunkType = 0
	SCTPChunkTypeInit             SCTPChunkType = 1
	SCTPChunkTypeInitAck          SCTPChunkType = 2
	SCTPChunkTypeSack             SCTPChunkType = 3
	SCTPChunkTypeHeartbeat        SCTPChunkType = 4
	SCTPChunkTypeHeartbeatAck     SCTPChunkType = 5
	SCTPChunkTypeAbort            SCTPChunkType = 6
	SCTPChunkTypeShutdown         SCTPChunkType = 7
	SCTPChunkTypeShutdownAck      SCTPChunkType = 8
	SCTPChunkTypeError            SCTPChunkType = 9
	SCTPChunkTypeCookieEcho       SCTPChunkType = 10
	SCTPChunkTypeCookieAck        SCTPChunkType = 11
	SCTPChunkTypeShutdownComplete SCTPChunkType = 14
)

// FDDIFrameControl is an enumeration of FDDI frame control bytes.
type FDDIFrameControl uint8

const (
	FDDIFrameControlLLC FDDIFrameControl = 0x50
)

// EAPOLType is an enumeration of EAPOL packet types.
type EAPOLType uint8

const (
	EAPOLTypeEAP      EAPOLType = 0
	EAPOLTypeStart    EAPOLType = 1
	EAPOLTypeLogOff   EAPOLType = 2
	EAPOLTypeKey      EAPOLType = 3
	EAPOLTypeASFAlert EAPOLType = 4
)

// ProtocolFamily is the set of values defined as PF_* in sys/socket.h
type ProtocolFamily uint8

const (
	ProtocolFamilyIPv4 ProtocolFamily = 2
	// BSDs use different values for INET6... glory be.  These values taken from
	// tcpdump 4.3.0.
	ProtocolFamilyIPv6BSD     ProtocolFamily = 24
	ProtocolFamilyIPv6FreeBSD ProtocolFamily = 28
	ProtocolFamilyIPv6Darwin  ProtocolFamily = 30
	ProtocolFamilyIPv6Linux   ProtocolFamily = 10
)

// Dot11Type is a combination of IEEE 802.11 frame's Type and Subtype fields.
// By combining these two fields together into a single type, we're able to
// provide a String function that correctly displays the subtype given the
// top-level type.
//
// If you just care about the top-level type, use the MainType function.
type Dot11Type uint8

// MainType strips the subtype information from the given type,
// returning just the overarching type (Mgmt, Ctrl, Data, Reserved).
func (d Dot11Type) MainType() Dot11Type {
	return d & dot11TypeMask
}

func (d Dot11Type) QOS() bool {
	return d&dot11QOSMask == Dot11TypeDataQOSData
}

const (
	Dot11TypeMgmt     Dot11Type = 0x00
	Dot11TypeCtrl     Dot11Type = 0x01
	Dot11TypeData     Dot11Type = 0x02
	Dot11TypeReserved Dot11Type = 0x03
	dot11TypeMask               = 0x03
	dot11QOSMask                = 0x23

	// The following are type/subtype conglomerations.

	// Management
	Dot11TypeMgmtAssociationReq    Dot11Type = 0x00
	Dot11TypeMgmtAssociationResp   Dot11Type = 0x04
	Dot11TypeMgmtReassociationReq  Dot11Type = 0x08
	Dot11TypeMgmtReassociationResp Dot11Type = 0x0c
	Dot11TypeMgmtProbeReq          Dot11Type = 0x10
	Dot11TypeMgmtProbeResp         Dot11Type = 0x14
	Dot11TypeMgmtMeasurementPilot  Dot11Type = 0x18
	Dot11TypeMgmtBeacon            Dot11Type = 0x20
	Dot11TypeMgmtATIM              Dot11Type = 0x24
	Dot11TypeMgmtDisassociation    Dot11Type = 0x28
	Dot11TypeMgmtAuthentication    Dot11Type = 0x2c
	Dot11TypeMgmtDeauthentication  Dot11Type = 0x30
	Dot11TypeMgmtAction            Dot11Type = 0x34
	Dot11TypeMgmtActionNoAck       Dot11Type = 0x38

	// Control
	Dot11TypeCtrlWrapper       Dot11Type = 0x1d
	Dot11TypeCtrlBlockAckReq   Dot11Type = 0x21
	Dot11TypeCtrlBlockAck      Dot11Type = 0x25
	Dot11TypeCtrlPowersavePoll Dot11Type = 0x29
	Dot11TypeCtrlRTS           Dot11Type = 0x2d
	Dot11TypeCtrlCTS           Dot11Type = 0x31
	Dot11TypeCtrlAck           Dot11Type = 0x35
	Dot11TypeCtrlCFEnd         Dot11Type = 0x39
	Dot11TypeCtrlCFEndAck      Dot11Type = 0x3d

	// Data
	Dot11TypeDataCFAck              Dot11Type = 0x06
	Dot11TypeDataCFPoll             Dot11Type = 0x0a
	Dot11TypeDataCFAckPoll          Dot11Type = 0x0e
	Dot11TypeDataNull               Dot11Type = 0x12
	Dot11TypeDataCFAckNoData        Dot11Type = 0x16
	Dot11TypeDataCFPollNoData       Dot11Type = 0x1a
	Dot11TypeDataCFAckPollNoData    Dot11Type = 0x1e
	Dot11TypeDataQOSData            Dot11Type = 0x22
	Dot11TypeDataQOSDataCFAck       Dot11Type = 0x26
	Dot11TypeDataQOSDataCFPoll      Dot11Type = 0x2a
	Dot11TypeDataQOSDataCFAckPoll   Dot11Type = 0x2e
	Dot11TypeDataQOSNull            Dot11Type = 0x32
	Dot11TypeDataQOSCFPollNoData    Dot11Type = 0x3a
	Dot11TypeDataQOSCFAckPollNoData Dot11Type = 0x3e
)

// Decode a raw v4 or v6 IP packet.
func decodeIPv4or6(data []byte, p gopacket.PacketBuilder) error {
	version := data[0] >> 4
	switch version {
	case 4:
		return decodeIPv4(data, p)
	case 6:
		return decodeIPv6(data, p)
	}
	return fmt.Errorf("Invalid IP packet version %v", version)
}

// initActualTypeData fills the enums' metadata tables from actualTypeData,
// in its order (a later entry for the same value replaces an earlier one).
// Tend's copy: one loop over a table instead of one statement per entry
// (session 39: the statements were 18 kB of code).
func initActualTypeData() {
	// Each of the XXXTypeMetadata arrays contains mappings of how to handle enum
	// values for various enum types in gopacket/layers. They are filled with
	// all of the protocols gopacket/layers knows how to handle, but users of
	// the library can add new decoders or override existing ones.
	arrays := [...]*[256]EnumMetadata{&IPProtocolMetadata, &SCTPChunkTypeMetadata, &PPPoECodeMetadata,
		&LinkTypeMetadata, &FDDIFrameControlMetadata, &EAPOLTypeMetadata, &ProtocolFamilyMetadata,
		&Dot11TypeMetadata, &USBTransportTypeMetadata}
	// The decoders tend decodes with, numbered from 1 in actualTypeData (in
	// the table they would make an initialization cycle: they call enums).
	decoders := [...]gopacket.Decoder{
		gopacket.DecodeFunc(decodeLLC),
		gopacket.DecodeFunc(decodeIPv4),
		gopacket.DecodeFunc(decodeIPv6),
		gopacket.DecodeFunc(decodeARP),
		gopacket.DecodeFunc(decodeDot1Q),
		gopacket.DecodeFunc(decodeEthernet),
		gopacket.DecodeFunc(decodeTCP),
		gopacket.DecodeFunc(decodeUDP),
		gopacket.DecodeFunc(decodeICMPv4),
		gopacket.DecodeFunc(decodeICMPv6),
		gopacket.DecodeFunc(decodeIPv6HopByHop),
		gopacket.DecodeFunc(decodeIPv6Routing),
		gopacket.DecodeFunc(decodeIPv6Fragment),
		gopacket.DecodeFunc(decodeIPv6Destination),
		gopacket.DecodePayload,
		gopacket.DecodeFunc(decodeIPv4or6),
	}
	for i := range actualTypeData {
		e := &actualTypeData[i]
		m := EnumMetadata{Name: e.name, LayerType: e.layerType}
		if e.decoder == 0 {
			m.DecodeWith = notDecoded(e.notDecoded)
		} else {
			m.DecodeWith = decoders[e.decoder-1]
		}
		switch e.table {
		case 0:
			EthernetTypeMetadata.set(e.k, m)
		case 1:
			PPPTypeMetadata.set(e.k, m)
		default:
			arrays[e.table-2][e.k] = m
		}
	}
	// See https://github.com/the-tcpdump-group/libpcap/blob/170f717e6e818cdc4bcbbfd906b63088eaa88fa0/pcap/dlt.h#L85
	// Or https://github.com/wireshark/wireshark/blob/854cfe53efe44080609c78053ecfb2342ad84a08/wiretap/pcap-common.c#L508
	if runtime.GOOS == "openbsd" {
		LinkTypeMetadata[14] = EnumMetadata{DecodeWith: gopacket.DecodeFunc(decodeIPv4or6), Name: "Raw"}
	} else {
		LinkTypeMetadata[12] = EnumMetadata{DecodeWith: gopacket.DecodeFunc(decodeIPv4or6), Name: "Raw"}
	}
}

// actualTypeEntry is one entry of actualTypeData: value k of the table
// numbered table (EthernetType, PPPType, then initActualTypeData's arrays)
// gets name, layerType and decoder number decoder (initActualTypeData's
// decoders), or with decoder 0 notDecoded(notDecoded).
type actualTypeEntry struct {
	table, decoder   uint8
	k                uint16
	name, notDecoded string
	layerType        gopacket.LayerType
}

// actualTypeData links up all enumerations with their respective names and
// decoders (upstream's initActualTypeData, one entry per statement, in its
// order).
var actualTypeData = [...]actualTypeEntry{
	{0, 1, uint16(EthernetTypeLLC), "LLC", "", LayerTypeLLC},
	{0, 2, uint16(EthernetTypeIPv4), "IPv4", "", LayerTypeIPv4},
	{0, 3, uint16(EthernetTypeIPv6), "IPv6", "", LayerTypeIPv6},
	{0, 4, uint16(EthernetTypeARP), "ARP", "", LayerTypeARP},
	{0, 5, uint16(EthernetTypeDot1Q), "Dot1Q", "", LayerTypeDot1Q},
	{0, 0, uint16(EthernetTypePPP), "PPP", "PPP", LayerTypePPP},
	{0, 0, uint16(EthernetTypePPPoEDiscovery), "PPPoEDiscovery", "PPPoE", LayerTypePPPoE},
	{0, 0, uint16(EthernetTypePPPoESession), "PPPoESession", "PPPoE", LayerTypePPPoE},
	{0, 0, uint16(EthernetTypeEthernetCTP), "EthernetCTP", "EthernetCTP", LayerTypeEthernetCTP},
	{0, 0, uint16(EthernetTypeCiscoDiscovery), "CiscoDiscovery", "CiscoDiscovery", LayerTypeCiscoDiscovery},
	{0, 0, uint16(EthernetTypeNortelDiscovery), "NortelDiscovery", "NortelDiscovery", LayerTypeNortelDiscovery},
	{0, 0, uint16(EthernetTypeLinkLayerDiscovery), "LinkLayerDiscovery", "LinkLayerDiscovery", LayerTypeLinkLayerDiscovery},
	{0, 0, uint16(EthernetTypeMPLSUnicast), "MPLSUnicast", "MPLS", LayerTypeMPLS},
	{0, 0, uint16(EthernetTypeMPLSMulticast), "MPLSMulticast", "MPLS", LayerTypeMPLS},
	{0, 0, uint16(EthernetTypeEAPOL), "EAPOL", "EAPOL", LayerTypeEAPOL},
	{0, 5, uint16(EthernetTypeQinQ), "Dot1Q", "", LayerTypeDot1Q},
	{0, 6, uint16(EthernetTypeTransparentEthernetBridging), "TransparentEthernetBridging", "", LayerTypeEthernet},
	{0, 0, uint16(EthernetTypeERSPAN), "ERSPAN Type II", "ERSPANII", LayerTypeERSPANII},
	{2, 2, uint16(IPProtocolIPv4), "IPv4", "", LayerTypeIPv4},
	{2, 7, uint16(IPProtocolTCP), "TCP", "", LayerTypeTCP},
	{2, 8, uint16(IPProtocolUDP), "UDP", "", LayerTypeUDP},
	{2, 9, uint16(IPProtocolICMPv4), "ICMPv4", "", LayerTypeICMPv4},
	{2, 10, uint16(IPProtocolICMPv6), "ICMPv6", "", LayerTypeICMPv6},
	{2, 0, uint16(IPProtocolSCTP), "SCTP", "SCTP", LayerTypeSCTP},
	{2, 3, uint16(IPProtocolIPv6), "IPv6", "", LayerTypeIPv6},
	{2, 2, uint16(IPProtocolIPIP), "IPv4", "", LayerTypeIPv4},
	{2, 0, uint16(IPProtocolEtherIP), "EtherIP", "EtherIP", LayerTypeEtherIP},
	{2, 0, uint16(IPProtocolRUDP), "RUDP", "RUDP", LayerTypeRUDP},
	{2, 0, uint16(IPProtocolGRE), "GRE", "GRE", LayerTypeGRE},
	{2, 11, uint16(IPProtocolIPv6HopByHop), "IPv6HopByHop", "", LayerTypeIPv6HopByHop},
	{2, 12, uint16(IPProtocolIPv6Routing), "IPv6Routing", "", LayerTypeIPv6Routing},
	{2, 13, uint16(IPProtocolIPv6Fragment), "IPv6Fragment", "", LayerTypeIPv6Fragment},
	{2, 14, uint16(IPProtocolIPv6Destination), "IPv6Destination", "", LayerTypeIPv6Destination},
	{2, 0, uint16(IPProtocolOSPF), "OSPF", "OSPF", LayerTypeOSPF},
	{2, 0, uint16(IPProtocolAH), "IPSecAH", "IPSecAH", LayerTypeIPSecAH},
	{2, 0, uint16(IPProtocolESP), "IPSecESP", "IPSecESP", LayerTypeIPSecESP},
	{2, 0, uint16(IPProtocolUDPLite), "UDPLite", "UDPLite", LayerTypeUDPLite},
	{2, 0, uint16(IPProtocolMPLSInIP), "MPLS", "MPLS", LayerTypeMPLS},
	{2, 15, uint16(IPProtocolNoNextHeader), "NoNextHeader", "", gopacket.LayerTypePayload},
	{2, 0, uint16(IPProtocolIGMP), "IGMP", "IGMP", LayerTypeIGMP},
	{2, 0, uint16(IPProtocolVRRP), "VRRP", "VRRP", LayerTypeVRRP},
	{3, 0, uint16(SCTPChunkTypeData), "Data", "SCTPData", 0},
	{3, 0, uint16(SCTPChunkTypeInit), "Init", "SCTPInit", 0},
	{3, 0, uint16(SCTPChunkTypeInitAck), "InitAck", "SCTPInit", 0},
	{3, 0, uint16(SCTPChunkTypeSack), "Sack", "SCTPSack", 0},
	{3, 0, uint16(SCTPChunkTypeHeartbeat), "Heartbeat", "SCTPHeartbeat", 0},
	{3, 0, uint16(SCTPChunkTypeHeartbeatAck), "HeartbeatAck", "SCTPHeartbeat", 0},
	{3, 0, uint16(SCTPChunkTypeAbort), "Abort", "SCTPError", 0},
	{3, 0, uint16(SCTPChunkTypeError), "Error", "SCTPError", 0},
	{3, 0, uint16(SCTPChunkTypeShutdown), "Shutdown", "SCTPShutdown", 0},
	{3, 0, uint16(SCTPChunkTypeShutdownAck), "ShutdownAck", "SCTPShutdownAck", 0},
	{3, 0, uint16(SCTPChunkTypeCookieEcho), "CookieEcho", "SCTPCookieEcho", 0},
	{3, 0, uint16(SCTPChunkTypeCookieAck), "CookieAck", "SCTPEmptyLayer", 0},
	{3, 0, uint16(SCTPChunkTypeShutdownComplete), "ShutdownComplete", "SCTPEmptyLayer", 0},
	{1, 2, uint16(PPPTypeIPv4), "IPv4", "", 0},
	{1, 3, uint16(PPPTypeIPv6), "IPv6", "", 0},
	{1, 0, uint16(PPPTypeMPLSUnicast), "MPLSUnicast", "MPLS", 0},
	{1, 0, uint16(PPPTypeMPLSMulticast), "MPLSMulticast", "MPLS", 0},
	{4, 0, uint16(PPPoECodeSession), "PPP", "PPP", 0},
	{5, 6, uint16(LinkTypeEthernet), "Ethernet", "", 0},
	{5, 0, uint16(LinkTypePPP), "PPP", "PPP", 0},
	{5, 0, uint16(LinkTypeFDDI), "FDDI", "FDDI", 0},
	{5, 0, uint16(LinkTypeNull), "Null", "Loopback", 0},
	{5, 0, uint16(LinkTypeIEEE802_11), "Dot11", "Dot11", 0},
	{5, 0, uint16(LinkTypeLoop), "Loop", "Loopback", 0},
	{5, 0, uint16(LinkTypeIEEE802_11), "802.11", "Dot11", 0},
	{5, 16, uint16(LinkTypeRaw), "Raw", "", 0},
	{5, 0, uint16(LinkTypePFLog), "PFLog", "PFLog", 0},
	{5, 0, uint16(LinkTypeIEEE80211Radio), "RadioTap", "RadioTap", 0},
	{5, 0, uint16(LinkTypeLinuxUSB), "USB", "USB", 0},
	{5, 0, uint16(LinkTypeLinuxSLL), "Linux SLL", "LinuxSLL", 0},
	{5, 0, uint16(LinkTypePrismHeader), "Prism", "PrismHeader", 0},
	{6, 1, uint16(FDDIFrameControlLLC), "LLC", "", 0},
	{7, 0, uint16(EAPOLTypeEAP), "EAP", "EAP", LayerTypeEAP},
	{7, 0, uint16(EAPOLTypeKey), "EAPOLKey", "EAPOLKey", LayerTypeEAPOLKey},
	{8, 2, uint16(ProtocolFamilyIPv4), "IPv4", "", LayerTypeIPv4},
	{8, 3, uint16(ProtocolFamilyIPv6BSD), "IPv6", "", LayerTypeIPv6},
	{8, 3, uint16(ProtocolFamilyIPv6FreeBSD), "IPv6", "", LayerTypeIPv6},
	{8, 3, uint16(ProtocolFamilyIPv6Darwin), "IPv6", "", LayerTypeIPv6},
	{8, 3, uint16(ProtocolFamilyIPv6Linux), "IPv6", "", LayerTypeIPv6},
	{9, 0, uint16(Dot11TypeMgmtAssociationReq), "MgmtAssociationReq", "Dot11MgmtAssociationReq", LayerTypeDot11MgmtAssociationReq},
	{9, 0, uint16(Dot11TypeMgmtAssociationResp), "MgmtAssociationResp", "Dot11MgmtAssociationResp", LayerTypeDot11MgmtAssociationResp},
	{9, 0, uint16(Dot11TypeMgmtReassociationReq), "MgmtReassociationReq", "Dot11MgmtReassociationReq", LayerTypeDot11MgmtReassociationReq},
	{9, 0, uint16(Dot11TypeMgmtReassociationResp), "MgmtReassociationResp", "Dot11MgmtReassociationResp", LayerTypeDot11MgmtReassociationResp},
	{9, 0, uint16(Dot11TypeMgmtProbeReq), "MgmtProbeReq", "Dot11MgmtProbeReq", LayerTypeDot11MgmtProbeReq},
	{9, 0, uint16(Dot11TypeMgmtProbeResp), "MgmtProbeResp", "Dot11MgmtProbeResp", LayerTypeDot11MgmtProbeResp},
	{9, 0, uint16(Dot11TypeMgmtMeasurementPilot), "MgmtMeasurementPilot", "Dot11MgmtMeasurementPilot", LayerTypeDot11MgmtMeasurementPilot},
	{9, 0, uint16(Dot11TypeMgmtBeacon), "MgmtBeacon", "Dot11MgmtBeacon", LayerTypeDot11MgmtBeacon},
	{9, 0, uint16(Dot11TypeMgmtATIM), "MgmtATIM", "Dot11MgmtATIM", LayerTypeDot11MgmtATIM},
	{9, 0, uint16(Dot11TypeMgmtDisassociation), "MgmtDisassociation", "Dot11MgmtDisassociation", LayerTypeDot11MgmtDisassociation},
	{9, 0, uint16(Dot11TypeMgmtAuthentication), "MgmtAuthentication", "Dot11MgmtAuthentication", LayerTypeDot11MgmtAuthentication},
	{9, 0, uint16(Dot11TypeMgmtDeauthentication), "MgmtDeauthentication", "Dot11MgmtDeauthentication", LayerTypeDot11MgmtDeauthentication},
	{9, 0, uint16(Dot11TypeMgmtAction), "MgmtAction", "Dot11MgmtAction", LayerTypeDot11MgmtAction},
	{9, 0, uint16(Dot11TypeMgmtActionNoAck), "MgmtActionNoAck", "Dot11MgmtActionNoAck", LayerTypeDot11MgmtActionNoAck},
	{9, 0, uint16(Dot11TypeCtrl), "Ctrl", "Dot11Ctrl", LayerTypeDot11Ctrl},
	{9, 0, uint16(Dot11TypeCtrlWrapper), "CtrlWrapper", "Dot11Ctrl", LayerTypeDot11Ctrl},
	{9, 0, uint16(Dot11TypeCtrlBlockAckReq), "CtrlBlockAckReq", "Dot11CtrlBlockAckReq", LayerTypeDot11CtrlBlockAckReq},
	{9, 0, uint16(Dot11TypeCtrlBlockAck), "CtrlBlockAck", "Dot11CtrlBlockAck", LayerTypeDot11CtrlBlockAck},
	{9, 0, uint16(Dot11TypeCtrlPowersavePoll), "CtrlPowersavePoll", "Dot11CtrlPowersavePoll", LayerTypeDot11CtrlPowersavePoll},
	{9, 0, uint16(Dot11TypeCtrlRTS), "CtrlRTS", "Dot11CtrlRTS", LayerTypeDot11CtrlRTS},
	{9, 0, uint16(Dot11TypeCtrlCTS), "CtrlCTS", "Dot11CtrlCTS", LayerTypeDot11CtrlCTS},
	{9, 0, uint16(Dot11TypeCtrlAck), "CtrlAck", "Dot11CtrlAck", LayerTypeDot11CtrlAck},
	{9, 0, uint16(Dot11TypeCtrlCFEnd), "CtrlCFEnd", "Dot11CtrlCFEnd", LayerTypeDot11CtrlCFEnd},
	{9, 0, uint16(Dot11TypeCtrlCFEndAck), "CtrlCFEndAck", "Dot11CtrlCFEndAck", LayerTypeDot11CtrlCFEndAck},
	{9, 0, uint16(Dot11TypeData), "Data", "Dot11Data", LayerTypeDot11Data},
	{9, 0, uint16(Dot11TypeDataCFAck), "DataCFAck", "Dot11DataCFAck", LayerTypeDot11DataCFAck},
	{9, 0, uint16(Dot11TypeDataCFPoll), "DataCFPoll", "Dot11DataCFPoll", LayerTypeDot11DataCFPoll},
	{9, 0, uint16(Dot11TypeDataCFAckPoll), "DataCFAckPoll", "Dot11DataCFAckPoll", LayerTypeDot11DataCFAckPoll},
	{9, 0, uint16(Dot11TypeDataNull), "DataNull", "Dot11DataNull", LayerTypeDot11DataNull},
	{9, 0, uint16(Dot11TypeDataCFAckNoData), "DataCFAckNoData", "Dot11DataCFAckNoData", LayerTypeDot11DataCFAckNoData},
	{9, 0, uint16(Dot11TypeDataCFPollNoData), "DataCFPollNoData", "Dot11DataCFPollNoData", LayerTypeDot11DataCFPollNoData},
	{9, 0, uint16(Dot11TypeDataCFAckPollNoData), "DataCFAckPollNoData", "Dot11DataCFAckPollNoData", LayerTypeDot11DataCFAckPollNoData},
	{9, 0, uint16(Dot11TypeDataQOSData), "DataQOSData", "Dot11DataQOSData", LayerTypeDot11DataQOSData},
	{9, 0, uint16(Dot11TypeDataQOSDataCFAck), "DataQOSDataCFAck", "Dot11DataQOSDataCFAck", LayerTypeDot11DataQOSDataCFAck},
	{9, 0, uint16(Dot11TypeDataQOSDataCFPoll), "DataQOSDataCFPoll", "Dot11DataQOSDataCFPoll", LayerTypeDot11DataQOSDataCFPoll},
	{9, 0, uint16(Dot11TypeDataQOSDataCFAckPoll), "DataQOSDataCFAckPoll", "Dot11DataQOSDataCFAckPoll", LayerTypeDot11DataQOSDataCFAckPoll},
	{9, 0, uint16(Dot11TypeDataQOSNull), "DataQOSNull", "Dot11DataQOSNull", LayerTypeDot11DataQOSNull},
	{9, 0, uint16(Dot11TypeDataQOSCFPollNoData), "DataQOSCFPollNoData", "Dot11DataQOSCFPollNoData", LayerTypeDot11DataQOSCFPollNoData},
	{9, 0, uint16(Dot11TypeDataQOSCFAckPollNoData), "DataQOSCFAckPollNoData", "Dot11DataQOSCFAckPollNoData", LayerTypeDot11DataQOSCFAckPollNoData},
	{10, 0, uint16(USBTransportTypeInterrupt), "Interrupt", "USBInterrupt", LayerTypeUSBInterrupt},
	{10, 0, uint16(USBTransportTypeControl), "Control", "USBControl", LayerTypeUSBControl},
	{10, 0, uint16(USBTransportTypeBulk), "Bulk", "USBBulk", LayerTypeUSBBulk},
}
