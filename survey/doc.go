// Package survey is one active discovery pass over the client's LAN and the
// loop that repeats it: an ARP sweep (package discovery) of the box's
// subnets and VLANs whose every responder is polled over SNMP (package snmp)
// at once; identified routing gear's ARP tables add the devices of other
// private subnets, and the switches' forwarding tables place each device on
// its port. It emits observations only: folding them into devices is
// storage's job, so survey imports neither storage nor identity.
//
// It sits above discovery and snmp because it needs both and they must not
// import each other (design.md's table).
package survey
