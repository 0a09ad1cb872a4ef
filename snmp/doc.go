// Package snmp asks the devices discovery found who they are, over SNMP
// v1/v2c (RFC 1157, RFC 3416) with gosnmp.
//
// Poller.System reads the MIB-II system group (RFC 3418) in one GET and turns
// it into an inventory.Observation. It tries each configured community and
// version in turn and remembers, per address, the one that worked, so later
// polls cost a single request. Everything an agent sends is untrusted:
// strings are cleaned (quotes, NULs, control characters, invalid UTF-8) and
// bounded before they reach storage or a screen.
//
// A host without an agent usually answers with ICMP port-unreachable; the
// poller treats that as final instead of waiting out every timeout and
// credential, so polling a LAN of printers and phones stays quick.
//
// gosnmp sits behind a small interface (session) so the poller's logic is
// tested with a scripted fake; the real agent is tested against snmpsimd.
package snmp
