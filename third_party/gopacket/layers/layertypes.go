// Copyright 2012 Google, Inc. All rights reserved.
//
// Use of this source code is governed by a BSD-style license
// that can be found in the LICENSE file in the root of the source
// tree.

package layers

import (
	"github.com/google/gopacket"
)

// layerTypes holds the metadata of every layer type above, registered by
// one loop (registerLayerTypes) instead of one RegisterLayerType call per
// variable: the table is static data, where the calls were 43 kB of init
// code that every tend process ran (tend's copy, see TEND.md).
var layerTypes = [...]struct {
	num  int
	meta gopacket.LayerTypeMetadata
}{
	{10, gopacket.LayerTypeMetadata{Name: "ARP", Decoder: gopacket.DecodeFunc(decodeARP)}},
	{11, gopacket.LayerTypeMetadata{Name: "CiscoDiscovery", Decoder: notDecoded("CiscoDiscovery")}},
	{12, gopacket.LayerTypeMetadata{Name: "EthernetCTP", Decoder: notDecoded("EthernetCTP")}},
	{13, gopacket.LayerTypeMetadata{Name: "EthernetCTPForwardData", Decoder: nil}},
	{14, gopacket.LayerTypeMetadata{Name: "EthernetCTPReply", Decoder: nil}},
	{15, gopacket.LayerTypeMetadata{Name: "Dot1Q", Decoder: gopacket.DecodeFunc(decodeDot1Q)}},
	{16, gopacket.LayerTypeMetadata{Name: "EtherIP", Decoder: notDecoded("EtherIP")}},
	{17, gopacket.LayerTypeMetadata{Name: "Ethernet", Decoder: gopacket.DecodeFunc(decodeEthernet)}},
	{18, gopacket.LayerTypeMetadata{Name: "GRE", Decoder: notDecoded("GRE")}},
	{19, gopacket.LayerTypeMetadata{Name: "ICMPv4", Decoder: gopacket.DecodeFunc(decodeICMPv4)}},
	{20, gopacket.LayerTypeMetadata{Name: "IPv4", Decoder: gopacket.DecodeFunc(decodeIPv4)}},
	{21, gopacket.LayerTypeMetadata{Name: "IPv6", Decoder: gopacket.DecodeFunc(decodeIPv6)}},
	{22, gopacket.LayerTypeMetadata{Name: "LLC", Decoder: gopacket.DecodeFunc(decodeLLC)}},
	{23, gopacket.LayerTypeMetadata{Name: "SNAP", Decoder: gopacket.DecodeFunc(decodeSNAP)}},
	{24, gopacket.LayerTypeMetadata{Name: "MPLS", Decoder: notDecoded("MPLS")}},
	{25, gopacket.LayerTypeMetadata{Name: "PPP", Decoder: notDecoded("PPP")}},
	{26, gopacket.LayerTypeMetadata{Name: "PPPoE", Decoder: notDecoded("PPPoE")}},
	{27, gopacket.LayerTypeMetadata{Name: "RUDP", Decoder: notDecoded("RUDP")}},
	{28, gopacket.LayerTypeMetadata{Name: "SCTP", Decoder: notDecoded("SCTP")}},
	{29, gopacket.LayerTypeMetadata{Name: "SCTPUnknownChunkType", Decoder: nil}},
	{30, gopacket.LayerTypeMetadata{Name: "SCTPData", Decoder: nil}},
	{31, gopacket.LayerTypeMetadata{Name: "SCTPInit", Decoder: nil}},
	{32, gopacket.LayerTypeMetadata{Name: "SCTPSack", Decoder: nil}},
	{33, gopacket.LayerTypeMetadata{Name: "SCTPHeartbeat", Decoder: nil}},
	{34, gopacket.LayerTypeMetadata{Name: "SCTPError", Decoder: nil}},
	{35, gopacket.LayerTypeMetadata{Name: "SCTPShutdown", Decoder: nil}},
	{36, gopacket.LayerTypeMetadata{Name: "SCTPShutdownAck", Decoder: nil}},
	{37, gopacket.LayerTypeMetadata{Name: "SCTPCookieEcho", Decoder: nil}},
	{38, gopacket.LayerTypeMetadata{Name: "SCTPEmptyLayer", Decoder: nil}},
	{39, gopacket.LayerTypeMetadata{Name: "SCTPInitAck", Decoder: nil}},
	{40, gopacket.LayerTypeMetadata{Name: "SCTPHeartbeatAck", Decoder: nil}},
	{41, gopacket.LayerTypeMetadata{Name: "SCTPAbort", Decoder: nil}},
	{42, gopacket.LayerTypeMetadata{Name: "SCTPShutdownComplete", Decoder: nil}},
	{43, gopacket.LayerTypeMetadata{Name: "SCTPCookieAck", Decoder: nil}},
	{44, gopacket.LayerTypeMetadata{Name: "TCP", Decoder: gopacket.DecodeFunc(decodeTCP)}},
	{45, gopacket.LayerTypeMetadata{Name: "UDP", Decoder: gopacket.DecodeFunc(decodeUDP)}},
	{46, gopacket.LayerTypeMetadata{Name: "IPv6HopByHop", Decoder: gopacket.DecodeFunc(decodeIPv6HopByHop)}},
	{47, gopacket.LayerTypeMetadata{Name: "IPv6Routing", Decoder: gopacket.DecodeFunc(decodeIPv6Routing)}},
	{48, gopacket.LayerTypeMetadata{Name: "IPv6Fragment", Decoder: gopacket.DecodeFunc(decodeIPv6Fragment)}},
	{49, gopacket.LayerTypeMetadata{Name: "IPv6Destination", Decoder: gopacket.DecodeFunc(decodeIPv6Destination)}},
	{50, gopacket.LayerTypeMetadata{Name: "IPSecAH", Decoder: notDecoded("IPSecAH")}},
	{51, gopacket.LayerTypeMetadata{Name: "IPSecESP", Decoder: notDecoded("IPSecESP")}},
	{52, gopacket.LayerTypeMetadata{Name: "UDPLite", Decoder: notDecoded("UDPLite")}},
	{53, gopacket.LayerTypeMetadata{Name: "FDDI", Decoder: notDecoded("FDDI")}},
	{54, gopacket.LayerTypeMetadata{Name: "Loopback", Decoder: notDecoded("Loopback")}},
	{55, gopacket.LayerTypeMetadata{Name: "EAP", Decoder: notDecoded("EAP")}},
	{56, gopacket.LayerTypeMetadata{Name: "EAPOL", Decoder: notDecoded("EAPOL")}},
	{57, gopacket.LayerTypeMetadata{Name: "ICMPv6", Decoder: gopacket.DecodeFunc(decodeICMPv6)}},
	{58, gopacket.LayerTypeMetadata{Name: "LinkLayerDiscovery", Decoder: notDecoded("LinkLayerDiscovery")}},
	{59, gopacket.LayerTypeMetadata{Name: "CiscoDiscoveryInfo", Decoder: notDecoded("CiscoDiscoveryInfo")}},
	{60, gopacket.LayerTypeMetadata{Name: "LinkLayerDiscoveryInfo", Decoder: nil}},
	{61, gopacket.LayerTypeMetadata{Name: "NortelDiscovery", Decoder: notDecoded("NortelDiscovery")}},
	{62, gopacket.LayerTypeMetadata{Name: "IGMP", Decoder: notDecoded("IGMP")}},
	{63, gopacket.LayerTypeMetadata{Name: "PFLog", Decoder: notDecoded("PFLog")}},
	{64, gopacket.LayerTypeMetadata{Name: "RadioTap", Decoder: notDecoded("RadioTap")}},
	{65, gopacket.LayerTypeMetadata{Name: "Dot11", Decoder: notDecoded("Dot11")}},
	{66, gopacket.LayerTypeMetadata{Name: "Dot11Ctrl", Decoder: notDecoded("Dot11Ctrl")}},
	{67, gopacket.LayerTypeMetadata{Name: "Dot11Data", Decoder: notDecoded("Dot11Data")}},
	{68, gopacket.LayerTypeMetadata{Name: "Dot11DataCFAck", Decoder: notDecoded("Dot11DataCFAck")}},
	{69, gopacket.LayerTypeMetadata{Name: "Dot11DataCFPoll", Decoder: notDecoded("Dot11DataCFPoll")}},
	{70, gopacket.LayerTypeMetadata{Name: "Dot11DataCFAckPoll", Decoder: notDecoded("Dot11DataCFAckPoll")}},
	{71, gopacket.LayerTypeMetadata{Name: "Dot11DataNull", Decoder: notDecoded("Dot11DataNull")}},
	{72, gopacket.LayerTypeMetadata{Name: "Dot11DataCFAck", Decoder: notDecoded("Dot11DataCFAck")}},
	{73, gopacket.LayerTypeMetadata{Name: "Dot11DataCFPoll", Decoder: notDecoded("Dot11DataCFPoll")}},
	{74, gopacket.LayerTypeMetadata{Name: "Dot11DataCFAckPoll", Decoder: notDecoded("Dot11DataCFAckPoll")}},
	{75, gopacket.LayerTypeMetadata{Name: "Dot11DataQOSData", Decoder: notDecoded("Dot11DataQOSData")}},
	{76, gopacket.LayerTypeMetadata{Name: "Dot11DataQOSDataCFAck", Decoder: notDecoded("Dot11DataQOSDataCFAck")}},
	{77, gopacket.LayerTypeMetadata{Name: "Dot11DataQOSDataCFPoll", Decoder: notDecoded("Dot11DataQOSDataCFPoll")}},
	{78, gopacket.LayerTypeMetadata{Name: "Dot11DataQOSDataCFAckPoll", Decoder: notDecoded("Dot11DataQOSDataCFAckPoll")}},
	{79, gopacket.LayerTypeMetadata{Name: "Dot11DataQOSNull", Decoder: notDecoded("Dot11DataQOSNull")}},
	{80, gopacket.LayerTypeMetadata{Name: "Dot11DataQOSCFPoll", Decoder: notDecoded("Dot11DataQOSCFPollNoData")}},
	{81, gopacket.LayerTypeMetadata{Name: "Dot11DataQOSCFAckPoll", Decoder: notDecoded("Dot11DataQOSCFAckPollNoData")}},
	{82, gopacket.LayerTypeMetadata{Name: "Dot11InformationElement", Decoder: notDecoded("Dot11InformationElement")}},
	{83, gopacket.LayerTypeMetadata{Name: "Dot11CtrlCTS", Decoder: notDecoded("Dot11CtrlCTS")}},
	{84, gopacket.LayerTypeMetadata{Name: "Dot11CtrlRTS", Decoder: notDecoded("Dot11CtrlRTS")}},
	{85, gopacket.LayerTypeMetadata{Name: "Dot11CtrlBlockAckReq", Decoder: notDecoded("Dot11CtrlBlockAckReq")}},
	{86, gopacket.LayerTypeMetadata{Name: "Dot11CtrlBlockAck", Decoder: notDecoded("Dot11CtrlBlockAck")}},
	{87, gopacket.LayerTypeMetadata{Name: "Dot11CtrlPowersavePoll", Decoder: notDecoded("Dot11CtrlPowersavePoll")}},
	{88, gopacket.LayerTypeMetadata{Name: "Dot11CtrlAck", Decoder: notDecoded("Dot11CtrlAck")}},
	{89, gopacket.LayerTypeMetadata{Name: "Dot11CtrlCFEnd", Decoder: notDecoded("Dot11CtrlCFEnd")}},
	{90, gopacket.LayerTypeMetadata{Name: "Dot11CtrlCFEndAck", Decoder: notDecoded("Dot11CtrlCFEndAck")}},
	{91, gopacket.LayerTypeMetadata{Name: "Dot11MgmtAssociationReq", Decoder: notDecoded("Dot11MgmtAssociationReq")}},
	{92, gopacket.LayerTypeMetadata{Name: "Dot11MgmtAssociationResp", Decoder: notDecoded("Dot11MgmtAssociationResp")}},
	{93, gopacket.LayerTypeMetadata{Name: "Dot11MgmtReassociationReq", Decoder: notDecoded("Dot11MgmtReassociationReq")}},
	{94, gopacket.LayerTypeMetadata{Name: "Dot11MgmtReassociationResp", Decoder: notDecoded("Dot11MgmtReassociationResp")}},
	{95, gopacket.LayerTypeMetadata{Name: "Dot11MgmtProbeReq", Decoder: notDecoded("Dot11MgmtProbeReq")}},
	{96, gopacket.LayerTypeMetadata{Name: "Dot11MgmtProbeResp", Decoder: notDecoded("Dot11MgmtProbeResp")}},
	{97, gopacket.LayerTypeMetadata{Name: "Dot11MgmtMeasurementPilot", Decoder: notDecoded("Dot11MgmtMeasurementPilot")}},
	{98, gopacket.LayerTypeMetadata{Name: "Dot11MgmtBeacon", Decoder: notDecoded("Dot11MgmtBeacon")}},
	{99, gopacket.LayerTypeMetadata{Name: "Dot11MgmtATIM", Decoder: notDecoded("Dot11MgmtATIM")}},
	{100, gopacket.LayerTypeMetadata{Name: "Dot11MgmtDisassociation", Decoder: notDecoded("Dot11MgmtDisassociation")}},
	{101, gopacket.LayerTypeMetadata{Name: "Dot11MgmtAuthentication", Decoder: notDecoded("Dot11MgmtAuthentication")}},
	{102, gopacket.LayerTypeMetadata{Name: "Dot11MgmtDeauthentication", Decoder: notDecoded("Dot11MgmtDeauthentication")}},
	{103, gopacket.LayerTypeMetadata{Name: "Dot11MgmtAction", Decoder: notDecoded("Dot11MgmtAction")}},
	{104, gopacket.LayerTypeMetadata{Name: "Dot11MgmtActionNoAck", Decoder: notDecoded("Dot11MgmtActionNoAck")}},
	{105, gopacket.LayerTypeMetadata{Name: "Dot11MgmtArubaWLAN", Decoder: notDecoded("Dot11MgmtArubaWLAN")}},
	{106, gopacket.LayerTypeMetadata{Name: "Dot11WEP", Decoder: notDecoded("Dot11WEP")}},
	{107, gopacket.LayerTypeMetadata{Name: "DNS", Decoder: gopacket.DecodeFunc(decodeDNS)}},
	{108, gopacket.LayerTypeMetadata{Name: "USB", Decoder: notDecoded("USB")}},
	{109, gopacket.LayerTypeMetadata{Name: "USBRequestBlockSetup", Decoder: notDecoded("USBRequestBlockSetup")}},
	{110, gopacket.LayerTypeMetadata{Name: "USBControl", Decoder: notDecoded("USBControl")}},
	{111, gopacket.LayerTypeMetadata{Name: "USBInterrupt", Decoder: notDecoded("USBInterrupt")}},
	{112, gopacket.LayerTypeMetadata{Name: "USBBulk", Decoder: notDecoded("USBBulk")}},
	{113, gopacket.LayerTypeMetadata{Name: "Linux SLL", Decoder: notDecoded("LinuxSLL")}},
	{114, gopacket.LayerTypeMetadata{Name: "SFlow", Decoder: notDecoded("SFlow")}},
	{115, gopacket.LayerTypeMetadata{Name: "Prism monitor mode header", Decoder: notDecoded("PrismHeader")}},
	{116, gopacket.LayerTypeMetadata{Name: "VXLAN", Decoder: notDecoded("VXLAN")}},
	{117, gopacket.LayerTypeMetadata{Name: "NTP", Decoder: notDecoded("NTP")}},
	{118, gopacket.LayerTypeMetadata{Name: "DHCPv4", Decoder: gopacket.DecodeFunc(decodeDHCPv4)}},
	{119, gopacket.LayerTypeMetadata{Name: "VRRP", Decoder: notDecoded("VRRP")}},
	{120, gopacket.LayerTypeMetadata{Name: "Geneve", Decoder: notDecoded("Geneve")}},
	{121, gopacket.LayerTypeMetadata{Name: "STP", Decoder: notDecoded("STP")}},
	{122, gopacket.LayerTypeMetadata{Name: "BFD", Decoder: notDecoded("BFD")}},
	{123, gopacket.LayerTypeMetadata{Name: "OSPF", Decoder: notDecoded("OSPF")}},
	{124, gopacket.LayerTypeMetadata{Name: "ICMPv6RouterSolicitation", Decoder: gopacket.DecodeFunc(decodeICMPv6RouterSolicitation)}},
	{125, gopacket.LayerTypeMetadata{Name: "ICMPv6RouterAdvertisement", Decoder: gopacket.DecodeFunc(decodeICMPv6RouterAdvertisement)}},
	{126, gopacket.LayerTypeMetadata{Name: "ICMPv6NeighborSolicitation", Decoder: gopacket.DecodeFunc(decodeICMPv6NeighborSolicitation)}},
	{127, gopacket.LayerTypeMetadata{Name: "ICMPv6NeighborAdvertisement", Decoder: gopacket.DecodeFunc(decodeICMPv6NeighborAdvertisement)}},
	{128, gopacket.LayerTypeMetadata{Name: "ICMPv6Redirect", Decoder: gopacket.DecodeFunc(decodeICMPv6Redirect)}},
	{129, gopacket.LayerTypeMetadata{Name: "GTPv1U", Decoder: notDecoded("GTPv1u")}},
	{130, gopacket.LayerTypeMetadata{Name: "EAPOLKey", Decoder: notDecoded("EAPOLKey")}},
	{131, gopacket.LayerTypeMetadata{Name: "LCM", Decoder: notDecoded("LCM")}},
	{132, gopacket.LayerTypeMetadata{Name: "ICMPv6Echo", Decoder: gopacket.DecodeFunc(decodeICMPv6Echo)}},
	{133, gopacket.LayerTypeMetadata{Name: "SIP", Decoder: notDecoded("SIP")}},
	{134, gopacket.LayerTypeMetadata{Name: "DHCPv6", Decoder: notDecoded("DHCPv6")}},
	{135, gopacket.LayerTypeMetadata{Name: "MLDv1MulticastListenerReport", Decoder: notDecoded("MLDv1MulticastListenerReport")}},
	{136, gopacket.LayerTypeMetadata{Name: "MLDv1MulticastListenerDone", Decoder: notDecoded("MLDv1MulticastListenerDone")}},
	{137, gopacket.LayerTypeMetadata{Name: "MLDv1MulticastListenerQuery", Decoder: notDecoded("MLDv1MulticastListenerQuery")}},
	{138, gopacket.LayerTypeMetadata{Name: "MLDv2MulticastListenerReport", Decoder: notDecoded("MLDv2MulticastListenerReport")}},
	{139, gopacket.LayerTypeMetadata{Name: "MLDv2MulticastListenerQuery", Decoder: notDecoded("MLDv2MulticastListenerQuery")}},
	{140, gopacket.LayerTypeMetadata{Name: "TLS", Decoder: notDecoded("TLS")}},
	{141, gopacket.LayerTypeMetadata{Name: "ModbusTCP", Decoder: notDecoded("ModbusTCP")}},
	{142, gopacket.LayerTypeMetadata{Name: "RMCP", Decoder: notDecoded("RMCP")}},
	{143, gopacket.LayerTypeMetadata{Name: "ASF", Decoder: notDecoded("ASF")}},
	{144, gopacket.LayerTypeMetadata{Name: "ASFPresencePong", Decoder: notDecoded("ASFPresencePong")}},
	{145, gopacket.LayerTypeMetadata{Name: "ERSPAN Type II", Decoder: notDecoded("ERSPANII")}},
	{146, gopacket.LayerTypeMetadata{Name: "RADIUS", Decoder: notDecoded("RADIUS")}},
}

// This registers layerTypes while the package's variables are
// initialised, before any init function, as the per-variable calls did.
var _ = registerLayerTypes()

// registerLayerTypes registers every entry of layerTypes.
func registerLayerTypes() bool {
	for _, l := range layerTypes {
		gopacket.RegisterLayerType(l.num, l.meta)
	}
	return true
}

var (
	LayerTypeARP                          = gopacket.LayerType(10)
	LayerTypeCiscoDiscovery               = gopacket.LayerType(11)
	LayerTypeEthernetCTP                  = gopacket.LayerType(12)
	LayerTypeEthernetCTPForwardData       = gopacket.LayerType(13)
	LayerTypeEthernetCTPReply             = gopacket.LayerType(14)
	LayerTypeDot1Q                        = gopacket.LayerType(15)
	LayerTypeEtherIP                      = gopacket.LayerType(16)
	LayerTypeEthernet                     = gopacket.LayerType(17)
	LayerTypeGRE                          = gopacket.LayerType(18)
	LayerTypeICMPv4                       = gopacket.LayerType(19)
	LayerTypeIPv4                         = gopacket.LayerType(20)
	LayerTypeIPv6                         = gopacket.LayerType(21)
	LayerTypeLLC                          = gopacket.LayerType(22)
	LayerTypeSNAP                         = gopacket.LayerType(23)
	LayerTypeMPLS                         = gopacket.LayerType(24)
	LayerTypePPP                          = gopacket.LayerType(25)
	LayerTypePPPoE                        = gopacket.LayerType(26)
	LayerTypeRUDP                         = gopacket.LayerType(27)
	LayerTypeSCTP                         = gopacket.LayerType(28)
	LayerTypeSCTPUnknownChunkType         = gopacket.LayerType(29)
	LayerTypeSCTPData                     = gopacket.LayerType(30)
	LayerTypeSCTPInit                     = gopacket.LayerType(31)
	LayerTypeSCTPSack                     = gopacket.LayerType(32)
	LayerTypeSCTPHeartbeat                = gopacket.LayerType(33)
	LayerTypeSCTPError                    = gopacket.LayerType(34)
	LayerTypeSCTPShutdown                 = gopacket.LayerType(35)
	LayerTypeSCTPShutdownAck              = gopacket.LayerType(36)
	LayerTypeSCTPCookieEcho               = gopacket.LayerType(37)
	LayerTypeSCTPEmptyLayer               = gopacket.LayerType(38)
	LayerTypeSCTPInitAck                  = gopacket.LayerType(39)
	LayerTypeSCTPHeartbeatAck             = gopacket.LayerType(40)
	LayerTypeSCTPAbort                    = gopacket.LayerType(41)
	LayerTypeSCTPShutdownComplete         = gopacket.LayerType(42)
	LayerTypeSCTPCookieAck                = gopacket.LayerType(43)
	LayerTypeTCP                          = gopacket.LayerType(44)
	LayerTypeUDP                          = gopacket.LayerType(45)
	LayerTypeIPv6HopByHop                 = gopacket.LayerType(46)
	LayerTypeIPv6Routing                  = gopacket.LayerType(47)
	LayerTypeIPv6Fragment                 = gopacket.LayerType(48)
	LayerTypeIPv6Destination              = gopacket.LayerType(49)
	LayerTypeIPSecAH                      = gopacket.LayerType(50)
	LayerTypeIPSecESP                     = gopacket.LayerType(51)
	LayerTypeUDPLite                      = gopacket.LayerType(52)
	LayerTypeFDDI                         = gopacket.LayerType(53)
	LayerTypeLoopback                     = gopacket.LayerType(54)
	LayerTypeEAP                          = gopacket.LayerType(55)
	LayerTypeEAPOL                        = gopacket.LayerType(56)
	LayerTypeICMPv6                       = gopacket.LayerType(57)
	LayerTypeLinkLayerDiscovery           = gopacket.LayerType(58)
	LayerTypeCiscoDiscoveryInfo           = gopacket.LayerType(59)
	LayerTypeLinkLayerDiscoveryInfo       = gopacket.LayerType(60)
	LayerTypeNortelDiscovery              = gopacket.LayerType(61)
	LayerTypeIGMP                         = gopacket.LayerType(62)
	LayerTypePFLog                        = gopacket.LayerType(63)
	LayerTypeRadioTap                     = gopacket.LayerType(64)
	LayerTypeDot11                        = gopacket.LayerType(65)
	LayerTypeDot11Ctrl                    = gopacket.LayerType(66)
	LayerTypeDot11Data                    = gopacket.LayerType(67)
	LayerTypeDot11DataCFAck               = gopacket.LayerType(68)
	LayerTypeDot11DataCFPoll              = gopacket.LayerType(69)
	LayerTypeDot11DataCFAckPoll           = gopacket.LayerType(70)
	LayerTypeDot11DataNull                = gopacket.LayerType(71)
	LayerTypeDot11DataCFAckNoData         = gopacket.LayerType(72)
	LayerTypeDot11DataCFPollNoData        = gopacket.LayerType(73)
	LayerTypeDot11DataCFAckPollNoData     = gopacket.LayerType(74)
	LayerTypeDot11DataQOSData             = gopacket.LayerType(75)
	LayerTypeDot11DataQOSDataCFAck        = gopacket.LayerType(76)
	LayerTypeDot11DataQOSDataCFPoll       = gopacket.LayerType(77)
	LayerTypeDot11DataQOSDataCFAckPoll    = gopacket.LayerType(78)
	LayerTypeDot11DataQOSNull             = gopacket.LayerType(79)
	LayerTypeDot11DataQOSCFPollNoData     = gopacket.LayerType(80)
	LayerTypeDot11DataQOSCFAckPollNoData  = gopacket.LayerType(81)
	LayerTypeDot11InformationElement      = gopacket.LayerType(82)
	LayerTypeDot11CtrlCTS                 = gopacket.LayerType(83)
	LayerTypeDot11CtrlRTS                 = gopacket.LayerType(84)
	LayerTypeDot11CtrlBlockAckReq         = gopacket.LayerType(85)
	LayerTypeDot11CtrlBlockAck            = gopacket.LayerType(86)
	LayerTypeDot11CtrlPowersavePoll       = gopacket.LayerType(87)
	LayerTypeDot11CtrlAck                 = gopacket.LayerType(88)
	LayerTypeDot11CtrlCFEnd               = gopacket.LayerType(89)
	LayerTypeDot11CtrlCFEndAck            = gopacket.LayerType(90)
	LayerTypeDot11MgmtAssociationReq      = gopacket.LayerType(91)
	LayerTypeDot11MgmtAssociationResp     = gopacket.LayerType(92)
	LayerTypeDot11MgmtReassociationReq    = gopacket.LayerType(93)
	LayerTypeDot11MgmtReassociationResp   = gopacket.LayerType(94)
	LayerTypeDot11MgmtProbeReq            = gopacket.LayerType(95)
	LayerTypeDot11MgmtProbeResp           = gopacket.LayerType(96)
	LayerTypeDot11MgmtMeasurementPilot    = gopacket.LayerType(97)
	LayerTypeDot11MgmtBeacon              = gopacket.LayerType(98)
	LayerTypeDot11MgmtATIM                = gopacket.LayerType(99)
	LayerTypeDot11MgmtDisassociation      = gopacket.LayerType(100)
	LayerTypeDot11MgmtAuthentication      = gopacket.LayerType(101)
	LayerTypeDot11MgmtDeauthentication    = gopacket.LayerType(102)
	LayerTypeDot11MgmtAction              = gopacket.LayerType(103)
	LayerTypeDot11MgmtActionNoAck         = gopacket.LayerType(104)
	LayerTypeDot11MgmtArubaWLAN           = gopacket.LayerType(105)
	LayerTypeDot11WEP                     = gopacket.LayerType(106)
	LayerTypeDNS                          = gopacket.LayerType(107)
	LayerTypeUSB                          = gopacket.LayerType(108)
	LayerTypeUSBRequestBlockSetup         = gopacket.LayerType(109)
	LayerTypeUSBControl                   = gopacket.LayerType(110)
	LayerTypeUSBInterrupt                 = gopacket.LayerType(111)
	LayerTypeUSBBulk                      = gopacket.LayerType(112)
	LayerTypeLinuxSLL                     = gopacket.LayerType(113)
	LayerTypeSFlow                        = gopacket.LayerType(114)
	LayerTypePrismHeader                  = gopacket.LayerType(115)
	LayerTypeVXLAN                        = gopacket.LayerType(116)
	LayerTypeNTP                          = gopacket.LayerType(117)
	LayerTypeDHCPv4                       = gopacket.LayerType(118)
	LayerTypeVRRP                         = gopacket.LayerType(119)
	LayerTypeGeneve                       = gopacket.LayerType(120)
	LayerTypeSTP                          = gopacket.LayerType(121)
	LayerTypeBFD                          = gopacket.LayerType(122)
	LayerTypeOSPF                         = gopacket.LayerType(123)
	LayerTypeICMPv6RouterSolicitation     = gopacket.LayerType(124)
	LayerTypeICMPv6RouterAdvertisement    = gopacket.LayerType(125)
	LayerTypeICMPv6NeighborSolicitation   = gopacket.LayerType(126)
	LayerTypeICMPv6NeighborAdvertisement  = gopacket.LayerType(127)
	LayerTypeICMPv6Redirect               = gopacket.LayerType(128)
	LayerTypeGTPv1U                       = gopacket.LayerType(129)
	LayerTypeEAPOLKey                     = gopacket.LayerType(130)
	LayerTypeLCM                          = gopacket.LayerType(131)
	LayerTypeICMPv6Echo                   = gopacket.LayerType(132)
	LayerTypeSIP                          = gopacket.LayerType(133)
	LayerTypeDHCPv6                       = gopacket.LayerType(134)
	LayerTypeMLDv1MulticastListenerReport = gopacket.LayerType(135)
	LayerTypeMLDv1MulticastListenerDone   = gopacket.LayerType(136)
	LayerTypeMLDv1MulticastListenerQuery  = gopacket.LayerType(137)
	LayerTypeMLDv2MulticastListenerReport = gopacket.LayerType(138)
	LayerTypeMLDv2MulticastListenerQuery  = gopacket.LayerType(139)
	LayerTypeTLS                          = gopacket.LayerType(140)
	LayerTypeModbusTCP                    = gopacket.LayerType(141)
	LayerTypeRMCP                         = gopacket.LayerType(142)
	LayerTypeASF                          = gopacket.LayerType(143)
	LayerTypeASFPresencePong              = gopacket.LayerType(144)
	LayerTypeERSPANII                     = gopacket.LayerType(145)
	LayerTypeRADIUS                       = gopacket.LayerType(146)
)

var (
	// LayerClassIPNetwork contains TCP/IP network layer types.
	LayerClassIPNetwork = gopacket.NewLayerClass([]gopacket.LayerType{
		LayerTypeIPv4,
		LayerTypeIPv6,
	})
	// LayerClassIPTransport contains TCP/IP transport layer types.
	LayerClassIPTransport = gopacket.NewLayerClass([]gopacket.LayerType{
		LayerTypeTCP,
		LayerTypeUDP,
		LayerTypeSCTP,
	})
	// LayerClassIPControl contains TCP/IP control protocols.
	LayerClassIPControl = gopacket.NewLayerClass([]gopacket.LayerType{
		LayerTypeICMPv4,
		LayerTypeICMPv6,
	})
	// LayerClassSCTPChunk contains SCTP chunk types (not the top-level SCTP
	// layer).
	LayerClassSCTPChunk = gopacket.NewLayerClass([]gopacket.LayerType{
		LayerTypeSCTPUnknownChunkType,
		LayerTypeSCTPData,
		LayerTypeSCTPInit,
		LayerTypeSCTPSack,
		LayerTypeSCTPHeartbeat,
		LayerTypeSCTPError,
		LayerTypeSCTPShutdown,
		LayerTypeSCTPShutdownAck,
		LayerTypeSCTPCookieEcho,
		LayerTypeSCTPEmptyLayer,
		LayerTypeSCTPInitAck,
		LayerTypeSCTPHeartbeatAck,
		LayerTypeSCTPAbort,
		LayerTypeSCTPShutdownComplete,
		LayerTypeSCTPCookieAck,
	})
	// LayerClassIPv6Extension contains IPv6 extension headers.
	LayerClassIPv6Extension = gopacket.NewLayerClass([]gopacket.LayerType{
		LayerTypeIPv6HopByHop,
		LayerTypeIPv6Routing,
		LayerTypeIPv6Fragment,
		LayerTypeIPv6Destination,
	})
	LayerClassIPSec = gopacket.NewLayerClass([]gopacket.LayerType{
		LayerTypeIPSecAH,
		LayerTypeIPSecESP,
	})
	// LayerClassICMPv6NDP contains ICMPv6 neighbor discovery protocol
	// messages.
	LayerClassICMPv6NDP = gopacket.NewLayerClass([]gopacket.LayerType{
		LayerTypeICMPv6RouterSolicitation,
		LayerTypeICMPv6RouterAdvertisement,
		LayerTypeICMPv6NeighborSolicitation,
		LayerTypeICMPv6NeighborAdvertisement,
		LayerTypeICMPv6Redirect,
	})
	// LayerClassMLDv1 contains multicast listener discovery protocol
	LayerClassMLDv1 = gopacket.NewLayerClass([]gopacket.LayerType{
		LayerTypeMLDv1MulticastListenerQuery,
		LayerTypeMLDv1MulticastListenerReport,
		LayerTypeMLDv1MulticastListenerDone,
	})
	// LayerClassMLDv2 contains multicast listener discovery protocol v2
	LayerClassMLDv2 = gopacket.NewLayerClass([]gopacket.LayerType{
		LayerTypeMLDv1MulticastListenerReport,
		LayerTypeMLDv1MulticastListenerDone,
		LayerTypeMLDv2MulticastListenerReport,
		LayerTypeMLDv1MulticastListenerQuery,
		LayerTypeMLDv2MulticastListenerQuery,
	})
)
