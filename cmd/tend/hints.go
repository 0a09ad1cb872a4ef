package main

import (
	"net/netip"

	"tend/discovery"
	"tend/identity"
)

// lanHints is what the wiring knows of the LAN for classification: the
// default gateway on the LAN interface, when the box routes through it, is a
// router or firewall even if it answers nothing else.
func lanHints(iface string) identity.ClassifyHints {
	gw, err := discovery.DefaultGateway("/proc/net/route", iface)
	if err != nil {
		return identity.ClassifyHints{}
	}
	return identity.ClassifyHints{Gateways: []netip.Addr{gw}}
}
