// Copyright 2012 Google, Inc. All rights reserved.
//
// Use of this source code is governed by a BSD-style license
// that can be found in the LICENSE file in the root of the source
// tree.

package layers

import (
	"fmt"
	"strconv"

	"github.com/google/gopacket"
)

// TCPPort is a port in a TCP layer.
type TCPPort uint16

// UDPPort is a port in a UDP layer.
type UDPPort uint16

// RUDPPort is a port in a RUDP layer.
type RUDPPort uint8

// SCTPPort is a port in a SCTP layer.
type SCTPPort uint16

// UDPLitePort is a port in a UDPLite layer.
type UDPLitePort uint16

// RUDPPortNames contains the string names for all RUDP ports.
var RUDPPortNames = map[RUDPPort]string{}

// UDPLitePortNames contains the string names for all UDPLite ports.
var UDPLitePortNames = map[UDPLitePort]string{}

// {TCP,UDP,SCTP}PortNames can be found in iana_ports.go

// String returns the port as "number(name)" if there's a well-known port name,
// or just "number" if there isn't.  Well-known names are stored in
// TCPPortNames.
func (a TCPPort) String() string {
	if name, ok := TCPPortNames()[a]; ok {
		return fmt.Sprintf("%d(%s)", a, name)
	}
	return strconv.Itoa(int(a))
}

// LayerType returns a LayerType that would be able to decode the
// application payload. It uses some well-known ports such as 53 for
// DNS.
//
// Returns gopacket.LayerTypePayload for unknown/unsupported port numbers.
func (a TCPPort) LayerType() gopacket.LayerType {
	lt := tcpPortLayerType(uint16(a))
	if lt != 0 {
		return lt
	}
	return gopacket.LayerTypePayload
}

// tcpPortRegistered holds the ports RegisterTCPPortLayerType set, nil until
// it is called. tend's copy: the well-known ports are a switch
// (tcpPortLayerType), not a 65,536-entry array that init filled (512 kB of
// globals, a page fault for every port that fell in a page of its own, in
// every tend process).
var tcpPortRegistered map[uint16]gopacket.LayerType

// tcpPortLayerType is port's layer type, 0 for none. Not inlined: its
// callers (TCP's NextLayerType calls it twice) stay small.
//
//go:noinline
func tcpPortLayerType(port uint16) gopacket.LayerType {
	if lt, ok := tcpPortRegistered[port]; ok {
		return lt
	}
	switch port {
	case 53:
		return LayerTypeDNS
	case 443, // https
		636,  // ldaps
		989,  // ftps-data
		990,  // ftps
		992,  // telnets
		993,  // imaps
		994,  // ircs
		995,  // pop3s
		5061: // ips
		return LayerTypeTLS
	case 502: // modbustcp
		return LayerTypeModbusTCP
	}
	return 0
}

// RegisterTCPPortLayerType creates a new mapping between a TCPPort
// and an underlaying LayerType.
func RegisterTCPPortLayerType(port TCPPort, layerType gopacket.LayerType) {
	if tcpPortRegistered == nil {
		tcpPortRegistered = map[uint16]gopacket.LayerType{}
	}
	tcpPortRegistered[uint16(port)] = layerType
}

// String returns the port as "number(name)" if there's a well-known port name,
// or just "number" if there isn't.  Well-known names are stored in
// UDPPortNames.
func (a UDPPort) String() string {
	if name, ok := UDPPortNames()[a]; ok {
		return fmt.Sprintf("%d(%s)", a, name)
	}
	return strconv.Itoa(int(a))
}

// LayerType returns a LayerType that would be able to decode the
// application payload. It uses some well-known ports such as 53 for
// DNS.
//
// Returns gopacket.LayerTypePayload for unknown/unsupported port numbers.
func (a UDPPort) LayerType() gopacket.LayerType {
	lt := udpPortLayerType(uint16(a))
	if lt != 0 {
		return lt
	}
	return gopacket.LayerTypePayload
}

// udpPortRegistered holds the ports RegisterUDPPortLayerType set, nil until
// it is called (tend's copy: see tcpPortRegistered).
var udpPortRegistered map[uint16]gopacket.LayerType

// udpPortLayerType is port's layer type, 0 for none. Not inlined (see
// tcpPortLayerType).
//
//go:noinline
func udpPortLayerType(port uint16) gopacket.LayerType {
	if lt, ok := udpPortRegistered[port]; ok {
		return lt
	}
	switch port {
	case 53:
		return LayerTypeDNS
	case 123:
		return LayerTypeNTP
	case 4789:
		return LayerTypeVXLAN
	case 67, 68:
		return LayerTypeDHCPv4
	case 546, 547:
		return LayerTypeDHCPv6
	case 5060:
		return LayerTypeSIP
	case 6343:
		return LayerTypeSFlow
	case 6081:
		return LayerTypeGeneve
	case 3784:
		return LayerTypeBFD
	case 2152:
		return LayerTypeGTPv1U
	case 623:
		return LayerTypeRMCP
	case 1812:
		return LayerTypeRADIUS
	}
	return 0
}

// RegisterUDPPortLayerType creates a new mapping between a UDPPort
// and an underlaying LayerType.
func RegisterUDPPortLayerType(port UDPPort, layerType gopacket.LayerType) {
	if udpPortRegistered == nil {
		udpPortRegistered = map[uint16]gopacket.LayerType{}
	}
	udpPortRegistered[uint16(port)] = layerType
}

// String returns the port as "number(name)" if there's a well-known port name,
// or just "number" if there isn't.  Well-known names are stored in
// RUDPPortNames.
func (a RUDPPort) String() string {
	if name, ok := RUDPPortNames[a]; ok {
		return fmt.Sprintf("%d(%s)", a, name)
	}
	return strconv.Itoa(int(a))
}

// String returns the port as "number(name)" if there's a well-known port name,
// or just "number" if there isn't.  Well-known names are stored in
// SCTPPortNames.
func (a SCTPPort) String() string {
	if name, ok := SCTPPortNames()[a]; ok {
		return fmt.Sprintf("%d(%s)", a, name)
	}
	return strconv.Itoa(int(a))
}

// String returns the port as "number(name)" if there's a well-known port name,
// or just "number" if there isn't.  Well-known names are stored in
// UDPLitePortNames.
func (a UDPLitePort) String() string {
	if name, ok := UDPLitePortNames[a]; ok {
		return fmt.Sprintf("%d(%s)", a, name)
	}
	return strconv.Itoa(int(a))
}
