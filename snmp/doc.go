// Package snmp asks the devices discovery found who they are and how they
// are, over SNMP v1, v2c (RFC 1157, RFC 3416) and v3 with the user-based
// security model (RFC 3414: SHA-1/SHA-2 authentication, AES or DES
// privacy), with gosnmp.
//
// Poller.System reads the MIB-II system group (RFC 3418) in one GET. It
// tries each configured credential in turn (v3 users, then communities per
// version) and remembers, per address, the one that worked, so later polls
// cost a single request. A host without an agent usually answers with ICMP
// port-unreachable; the poller treats that as final instead of waiting out
// every timeout and credential.
//
// Poller.Identify adds identity: a data-driven rule table (ruletable.go),
// one entry per vendor family, matched on the sysObjectID's enterprise
// (enterprises.tsv, from the IANA registry), sysDescr grammars and probe
// objects, names where make, model, firmware and serial live for that
// family: sysDescr patterns, vendor MIB scalars and table columns, and the
// ENTITY-MIB chassis row. Identification costs three requests.
//
// Poller.Details reads what the proactive checks need (IF-MIB interfaces,
// HOST-RESOURCES storage, Printer-MIB supplies, UPS-MIB and APC PowerNet
// batteries, Synology disks and RAID), LLDP and CDP neighbours, the
// BRIDGE-MIB / Q-BRIDGE-MIB forwarding table (with Cisco's per-VLAN
// community@vlan contexts) and the ARP table. Tables are walked with
// GETBULK, column by column side by side.
//
// Everything an agent sends is untrusted. Strings are cleaned (quotes,
// NULs, control characters, invalid UTF-8) and bounded; walks stop on
// objects out of order (loops), answers outside the subtree, empty
// answers and Config.MaxWalkRows objects; every device poll ends by
// Config.DeviceTimeout and at once when its context is cancelled. The
// hostile-agent tests play such agents on loopback.
//
// gosnmp sits behind a small interface (session) so the poller's logic is
// tested with scripted fakes and with recordings served in-process; the
// real thing is tested against snmpsimd and net-snmp's snmpd.
package snmp
