// Package traffic watches decoded frames passively and reports anomalies as
// inventory.Events with evidence: new and vanished devices, ARP spoofing,
// gateway changes, duplicate addresses, rogue DHCP servers and DHCP
// starvation, rogue IPv6 routers and neighbour spoofing, name poisoning,
// port scans and host sweeps, floods, password guessing, rogue switches
// (spanning tree, CDP, DTP) and first-hop router takeovers, insecure
// cleartext protocols and traffic spikes. It also keeps
// per-host statistics (bytes and packets in and out, protocols, peers) in
// bounded memory.
//
// The Engine's clock is the packets' own timestamps, so replaying a capture
// gives the same events as watching it live. Detectors that need to know
// what is normal (new_device, device_gone, rogue_dhcp without a configured
// server, traffic_spike) first learn for Config.Learning; detectors of
// attacks (scans, sweeps, spoofing, cleartext logins) are active at once.
package traffic
