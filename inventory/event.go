package inventory

import (
	"net/netip"
	"time"
)

// Severity ranks events and findings; the zero value is SeverityInfo.
type Severity string

// Severities from least to most urgent.
const (
	SeverityInfo     Severity = "info"
	SeverityLow      Severity = "low"
	SeverityMedium   Severity = "medium"
	SeverityHigh     Severity = "high"
	SeverityCritical Severity = "critical"
)

// Rank orders severities: info 0 … critical 4; unknown strings rank as info.
func (s Severity) Rank() int {
	switch s {
	case SeverityLow:
		return 1
	case SeverityMedium:
		return 2
	case SeverityHigh:
		return 3
	case SeverityCritical:
		return 4
	}
	return 0
}

// EventType names what a sensor noticed, in snake_case as in design.md.
type EventType string

// Event types from design.md's JSON contract.
const (
	EventNewDevice        EventType = "new_device"
	EventIPChanged        EventType = "ip_changed"
	EventARPSpoof         EventType = "arp_spoof"
	EventGatewayChanged   EventType = "gateway_changed"
	EventDuplicateIP      EventType = "duplicate_ip"
	EventRogueDHCP        EventType = "rogue_dhcp"
	EventPortScan         EventType = "port_scan"
	EventHostSweep        EventType = "host_sweep"
	EventInsecureProtocol EventType = "insecure_protocol"
	EventTrafficSpike     EventType = "traffic_spike"
	EventDeviceGone       EventType = "device_gone"
	// Detectors of attacks added for real captures (issue 14).
	EventFlood          EventType = "flood"           // SYN, UDP, ICMP or IP flood toward one host
	EventRogueRA        EventType = "rogue_ra"        // IPv6 router advertisement from a host that is not the router
	EventNDSpoof        EventType = "nd_spoof"        // IPv6 neighbour-advertisement spoofing, the twin of arp_spoof
	EventNamePoisoning  EventType = "name_poisoning"  // LLMNR, NBT-NS or mDNS answers for names the host does not own, or DNS answers forged under the resolver's address
	EventDHCPStarvation EventType = "dhcp_starvation" // many client hardware addresses from few real hosts
	EventBruteForce     EventType = "brute_force"     // password guessing: many logins of one client to one service
	EventRogueSwitch    EventType = "rogue_switch"    // a host speaks the switches' protocols: a spanning-tree root claim, a BPDU or CDP flood, a DTP trunk request
	EventFHRPTakeover   EventType = "fhrp_takeover"   // a router never heard in an HSRP or VRRP group takes the gateway address over
	EventMACFlood       EventType = "mac_flood"       // thousands of never-seen source MACs in seconds: the switches' address tables overflow
	EventResetInjection EventType = "reset_injection" // TCP resets sent into other hosts' sessions under one of their addresses (tcpkill)
	EventSwitchingLoop  EventType = "switching_loop"  // one broadcast frame repeated thousands of times a second: a cable loop between switch ports
	EventSpoofedSource  EventType = "spoofed_source"  // IP under source addresses the sender does not own: LAND, off-link SYN sources (BCP 38)
	EventSlowHTTP       EventType = "slow_http"       // many HTTP requests held unfinished by one client, fed a few bytes at a time (slowloris, slow POST)
	EventDNSTunnel      EventType = "dns_tunnel"      // data carried in the names of DNS queries under one domain (iodine, dnscat2)
	EventICMPTunnel     EventType = "icmp_tunnel"     // data carried in ping payloads between a host and one peer (ptunnel, icmpsh)
)

// EventDHCPReleaseForged is a DHCPRELEASE of another client's lease, sent
// under its name from another MAC (review 33b: only the client releases,
// RFC 2131 4.4.6).
const EventDHCPReleaseForged EventType = "dhcp_release_forged"

// EventMalformedIP is IP no office stack builds, sent to harm or evade
// (review 33b): overlapping fragments (teardrop), fragments reassembling
// past 65,535 bytes (ping of death), IPv4 source route, record route and
// timestamp options, IPv6 type 0 routing headers.
const EventMalformedIP EventType = "malformed_ip"

// EventRemoteShell is a command shell driven over a cleartext TCP
// connection: a reverse shell (the host connected out and sent its shell's
// prompt, banner or command output) or a bind shell (a server on an odd
// port answering a first command with its output). The culprit is the host
// whose shell it is, the target the peer driving it.
const EventRemoteShell EventType = "remote_shell"

// EventWebAttack is many requests of one client to a web application
// carrying injection shapes: SQL injection, path traversal, script tags,
// JNDI lookups (review 36a P2: sqlmap, nikto).
const EventWebAttack EventType = "web_attack"

// EventRansomware is a client renaming or rewriting many files of a share
// to one new extension within a minute (review 37a P1): the culprit is the
// client, the target the file server.
const EventRansomware EventType = "ransomware"

// EventADAttack is an attack on Active Directory seen in cleartext DCE/RPC
// (review 37a P2): a directory replication request (DRSUAPI, DCSync) from a
// host that is no domain controller; or kerberoasting read from Kerberos:
// service tickets asked for with RC4 first.
const EventADAttack EventType = "ad_attack"

// EventCredentialCapture is a server collecting password hashes with a
// capture tool: its NTLM challenge is the tool's fixed one (impacket's
// smbserver, Responder; review 37a P11). The culprit is the server.
const EventCredentialCapture EventType = "credential_capture"

// EventCryptominer is a host logging in to a cryptocurrency mining pool:
// a stratum or Monero-style JSON-RPC login naming a miner (xmrig), in clear
// on any port (review 37a P10). The culprit is the miner, the target the
// pool's address.
const EventCryptominer EventType = "cryptominer"

// EventLateralMovement is a host making a server run a command by creating
// a service or a scheduled task over SMB's named pipes (psexec, smbexec,
// atexec; session 38). The culprit is the client, the target the server.
const EventLateralMovement EventType = "lateral_movement"

// EventRogueTime is a host broadcasting NTP time far off the true time
// (review 43 P9): broadcast clients set their clocks by it. The culprit is
// the sender.
const EventRogueTime EventType = "rogue_time"

// EventTypes lists every event type, in the order the UI offers them as
// filters.
var EventTypes = []EventType{EventNewDevice, EventIPChanged, EventARPSpoof, EventNDSpoof, EventGatewayChanged,
	EventDuplicateIP, EventRogueDHCP, EventDHCPStarvation, EventDHCPReleaseForged, EventRogueRA, EventRogueTime, EventRogueSwitch, EventMACFlood, EventSwitchingLoop, EventFHRPTakeover, EventNamePoisoning, EventResetInjection, EventSpoofedSource, EventMalformedIP, EventRemoteShell, EventRansomware, EventADAttack, EventLateralMovement, EventCredentialCapture, EventPortScan,
	EventHostSweep, EventFlood, EventSlowHTTP, EventWebAttack, EventBruteForce, EventDNSTunnel, EventICMPTunnel, EventCryptominer, EventInsecureProtocol, EventTrafficSpike, EventDeviceGone}

// Event is something a sensor noticed at a moment: the culprit's MAC and IP
// (who did it) and, where there is one, the target's (whom it was done to),
// with the evidence an engineer needs to check it.
type Event struct {
	Time      time.Time  `json:"time"`
	Type      EventType  `json:"type"`
	Severity  Severity   `json:"severity"`
	MAC       MAC        `json:"mac"` // the culprit or the device concerned
	IP        netip.Addr `json:"ip"`
	TargetMAC MAC        `json:"target_mac,omitzero"`
	TargetIP  netip.Addr `json:"target_ip,omitzero"`
	Summary   string     `json:"summary"`
	Evidence  []Evidence `json:"evidence"`
}
