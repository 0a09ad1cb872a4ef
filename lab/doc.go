// Package lab builds a virtual client LAN out of Linux network namespaces, for
// `tend lab`, the demo and the integration tests.
//
// A LAN is data (a .lan file: one device per line with its role, MAC, IP and
// agent). Up turns it into a switch namespace holding a bridge, one namespace
// per device joined to the bridge by a veth pair, real SNMP agents (Debian
// snmpsimd serving a recording, or net-snmp snmpd) and a port for the
// appliance: either its own namespace ("netns" box, for tests) or a link in
// the host namespace ("host" box, for the demo, so a browser can reach the UI).
// In mirror mode the bridge never learns addresses and so floods every frame
// to every port, as a switch's mirror port would show them.
//
// Every name Up creates starts with "tl-<lab name>-" and every address is
// private with no route out; Down removes all of it, processes included,
// even when the state directory is gone.
package lab
