package findings

import (
	"cmp"
	"fmt"
	"strings"

	"tend/inventory"
)

// Rule names: stable, snake_case, part of every finding's ID and JSON.
const (
	RuleFirmwareBehind       = "firmware_behind"
	RuleFirmwareEOL          = "firmware_eol"
	RuleFirmwareSecurityOnly = "firmware_security_only"
	RuleHardwareEOL          = "hardware_eol"
	RuleReplacementAge       = "replacement_age"
	RuleSNMPDefaultCommunity = "snmp_default_community"
	RuleSNMPNoV3             = "snmp_v1v2c_only"
	RuleInsecureManagement   = "insecure_management"
	RuleSMBv1                = "smbv1"
	RuleNetBIOSBrowse        = "netbios_browse"
	RuleCleartextLogins      = "cleartext_logins"
	RuleTFTPService          = "tftp_service"
	RuleSNMPWrite            = "snmp_write_accepted"
	RuleUnknownDevice        = "unknown_device"
	RuleRogueDHCP            = "rogue_dhcp"
	RuleARPSpoof             = "arp_spoof"
	RuleGatewayChanged       = "gateway_changed"
	RuleDuplicateIP          = "duplicate_ip"
	RuleNDSpoof              = "nd_spoof"
	RuleRogueRA              = "rogue_ra"
	RuleRogueTime            = "rogue_time"
	RuleNamePoisoning        = "name_poisoning"
	RuleDHCPStarvation       = "dhcp_starvation"
	RuleDHCPReleaseForged    = "dhcp_release_forged"
	RuleRogueSwitch          = "rogue_switch"
	RuleFHRPTakeover         = "fhrp_takeover"
	RuleMACFlood             = "mac_flood"
	RuleSwitchingLoop        = "switching_loop"
	RuleResetInjection       = "reset_injection"
	RuleSpoofedSource        = "spoofed_source"
	RuleMalformedIP          = "malformed_ip"
	RuleSlowHTTP             = "slow_http"
	RuleWebAttack            = "web_attack"
	RuleRansomware           = "ransomware"
	RuleADAttack             = "ad_attack"
	RuleCredentialCapture    = "credential_capture"
	RuleLateralMovement      = "lateral_movement"
	RuleDNSTunnel            = "dns_tunnel"
	RuleRemoteShell          = "remote_shell"
	RuleICMPTunnel           = "icmp_tunnel"
	RuleCryptominer          = "cryptominer"
	RuleFlood                = "flood"
	RuleBruteForce           = "brute_force"
	RuleAnonymousAccess      = "anonymous_access"
	RuleScan                 = "scan"
	RulePrinterSupplyLow     = "printer_supply_low"
	RuleUPSBatteryReplace    = "ups_battery_replace"
	RuleUPSOnBattery         = "ups_on_battery"
	RuleNASDegraded          = "nas_degraded"
	RuleDiskSpaceLow         = "disk_space_low"
	RuleInterfaceErrors      = "interface_errors_rising"
	RulePortNearCapacity     = "port_near_capacity"
	RuleLongUptime           = "long_uptime"
	RuleUnexpectedReboot     = "unexpected_reboot"
	RuleInfrastructureQuiet  = "infrastructure_quiet"
	RuleBackupTargetIdle     = "backup_target_idle"
)

// RoleBackupTarget is the role a person gives a device that receives
// backups (a NAS, a backup server), so tend checks backups actually arrive.
const RoleBackupTarget = "backup_target"

var allRules = []Rule{
	{RuleFirmwareBehind, CategoryLifecycle, firmwareBehind},
	{RuleFirmwareEOL, CategoryLifecycle, firmwareEOL},
	{RuleFirmwareSecurityOnly, CategoryLifecycle, firmwareSecurityOnly},
	{RuleHardwareEOL, CategoryLifecycle, hardwareEOL},
	{RuleKnownVulnerabilities, CategorySecurity, knownVulnerabilities},
	{RuleReplacementAge, CategoryLifecycle, replacementAge},
	{RuleSNMPDefaultCommunity, CategorySecurity, snmpDefaultCommunity},
	{RuleSNMPNoV3, CategorySecurity, snmpNoV3},
	{RuleInsecureManagement, CategorySecurity, insecureManagement},
	{RuleSMBv1, CategorySecurity, smbv1},
	{RuleNetBIOSBrowse, CategorySecurity, netbiosBrowse},
	{RuleCleartextLogins, CategorySecurity, cleartextLogins},
	{RuleAnonymousAccess, CategorySecurity, anonymousAccess},
	{RuleTFTPService, CategorySecurity, tftpService},
	{RuleSNMPWrite, CategorySecurity, snmpWrite},
	{RuleUnknownDevice, CategoryInventory, unknownDevice},
	{RuleRogueDHCP, CategorySecurity, rogueDHCP},
	{RuleARPSpoof, CategorySecurity, eventRule(inventory.EventARPSpoof, inventory.SeverityCritical,
		"ARP spoofing", "Someone claims another device's address (a man-in-the-middle attack or a misconfigured device): locate it by MAC, disconnect it and check the victim's traffic; consider Dynamic ARP Inspection on the switches.")},
	{RuleGatewayChanged, CategorySecurity, eventRule(inventory.EventGatewayChanged, inventory.SeverityHigh,
		"Default gateway changed", "Confirm the router was replaced on purpose; if not, treat it as an intruder redirecting traffic.")},
	{RuleDuplicateIP, CategoryAvailability, eventRule(inventory.EventDuplicateIP, inventory.SeverityMedium,
		"Duplicate IP address", "Two devices use one address: give the static one an address outside the DHCP pool or a reservation.")},
	{RuleNDSpoof, CategorySecurity, eventRule(inventory.EventNDSpoof, inventory.SeverityCritical,
		"IPv6 neighbour spoofing", "A host answers IPv6 neighbour solicitations for another device's address (man-in-the-middle): locate it by MAC and disconnect it; consider RA Guard and ND inspection on the switches.")},
	{RuleRogueRA, CategorySecurity, eventRule(inventory.EventRogueRA, inventory.SeverityCritical,
		"Rogue router", "A host that is not the router advertises itself as a router (IPv6 router advertisements, IPv4 RIP routes or router advertisements, MLD multicast router advertisements), so clients or routers may send their traffic through it: locate it by MAC, stop the advertisements or disconnect it; enable RA Guard on the access switches and RIP authentication or passive interfaces on the routers.")},
	{RuleRogueTime, CategorySecurity, eventRule(inventory.EventRogueTime, inventory.SeverityHigh,
		"Rogue time source", "A device broadcasts NTP time far from the true time, and clients listening for broadcasts set their clocks by it: Kerberos logins fail, certificates and one-time codes go wrong, logs lie. Find the device by MAC and stop its NTP broadcasts (or disconnect it); point clients at the LAN's NTP server in unicast (w32time, chrony, ntpd without broadcastclient).")},
	{RuleNamePoisoning, CategorySecurity, eventRule(inventory.EventNamePoisoning, inventory.SeverityCritical,
		"Name-resolution poisoning", "A host answers LLMNR, NBT-NS or mDNS queries for names it does not own, the way credential-stealing tools (Responder) do, or forges DNS answers under the resolver's address (dnsspoof): disconnect it, reset passwords used from the clients it answered, flush their DNS caches, and disable LLMNR and NetBIOS over TCP/IP by group policy.")},
	{RuleDHCPStarvation, CategorySecurity, eventRule(inventory.EventDHCPStarvation, inventory.SeverityHigh,
		"DHCP starvation", "A host requests leases for many invented hardware addresses to exhaust the pool (often before a rogue DHCP server): disconnect it, clear the bogus leases and enable port security or DHCP snooping limits on the switches.")},
	{RuleDHCPReleaseForged, CategorySecurity, eventRule(inventory.EventDHCPReleaseForged, inventory.SeverityMedium,
		"Forged DHCP release", "A host released other devices' DHCP leases in their name, so the server hands their addresses to others and they lose the network: locate it by MAC and disconnect it; enable DHCP snooping on the switches (it drops releases from the wrong port), and renew the victims' leases.")},
	{RuleRogueSwitch, CategorySecurity, eventRule(inventory.EventRogueSwitch, inventory.SeverityHigh,
		"Switch protocol attack", "A host speaks the switches' own protocols: it claims the spanning-tree root, floods BPDUs or CDP, or asks for a trunk. Find its port by MAC and shut it; enable BPDU guard and root guard on access ports, and turn off DTP (switchport nonegotiate) and CDP there.")},
	{RuleFHRPTakeover, CategorySecurity, eventRule(inventory.EventFHRPTakeover, inventory.SeverityCritical,
		"Gateway takeover (HSRP/VRRP)", "A device that was never one of the gateway routers claimed the gateway's virtual address, so the LAN's traffic goes through it: find it by MAC and disconnect it; enable HSRP/VRRP authentication (MD5) on the routers.")},
	{RuleMACFlood, CategorySecurity, eventRule(inventory.EventMACFlood, inventory.SeverityHigh,
		"MAC flooding", "Frames from thousands of invented MAC addresses (macof) overflow the switches' address tables, so they send every frame to every port and anyone can eavesdrop: find the port whose MAC count jumped (show mac address-table count) and shut it; enable port security (a MAC limit per access port).")},
	{RuleSwitchingLoop, CategoryAvailability, eventRule(inventory.EventSwitchingLoop, inventory.SeverityCritical,
		"Switching loop", "One broadcast frame came round thousands of times a second: two switch ports are joined by a cable (or a misconfigured bridge, a dock, a phone's PC port looped back) and spanning tree is off, so every broadcast circles for ever and the LAN slows or stops. The MAC named sent the frame once and is a victim, not the cause: unplug the most recently added patch cable or unmanaged switch (the port LEDs flash together), and enable spanning tree (RSTP) with BPDU guard and storm control on the access ports.")},
	{RuleResetInjection, CategorySecurity, eventRule(inventory.EventResetInjection, inventory.SeverityHigh,
		"TCP reset injection", "A host sends TCP resets under other devices' addresses to cut their connections (tcpkill), usually from a man-in-the-middle position: find it by MAC and disconnect it; check for ARP spoofing and enable Dynamic ARP Inspection and IP source guard on the switches.")},
	{RuleSpoofedSource, CategorySecurity, eventRule(inventory.EventSpoofedSource, inventory.SeverityHigh,
		"Forged source addresses", "A host that is no router sends packets under addresses it does not own: SYNs whose source is their own target (a LAND attack), or under many public addresses whose answers go to the internet (a half-open attack, BCP 38), or UDP requests to amplifying services (SNMP, NTP, DNS, SSDP, memcached) under another LAN host's address, so the answers flood that host (reflection): find it by MAC and disconnect it; enable IP source guard (or unicast RPF on the router) so access ports accept only the address DHCP gave them.")},
	{RuleMalformedIP, CategorySecurity, eventRule(inventory.EventMalformedIP, inventory.SeverityLow,
		"Malformed IP packets", "A host sends IP packets no ordinary stack builds: overlapping fragments (teardrop), fragments reassembling past 65,535 bytes (ping of death) or source-routed packets, which crash old devices (printers, cameras, controllers) or slip past filters: find the sender by MAC (through the router: block the source at the firewall) and check it for an attack tool; drop IP source-routed packets and IPv6 type 0 routing headers on the router and firewall, and patch or isolate devices that still crash on such packets.")},
	{RuleFlood, CategoryAvailability, eventRule(inventory.EventFlood, inventory.SeverityHigh,
		"Traffic flood", "A host floods another with packets at a rate no office client produces (a denial of service or a broken device): find the source by MAC, disconnect it and check the target is answering again.")},
	{RuleSlowHTTP, CategoryAvailability, eventRule(inventory.EventSlowHTTP, inventory.SeverityMedium,
		"Slow HTTP attack", "One host holds many HTTP requests open without ever finishing them (slowloris, slow POST), tying up the web server's workers until it refuses real clients: find the host by MAC and stop it; on the server, limit connections per client and the time allowed for a request's header and body (nginx client_header_timeout and client_body_timeout, Apache mod_reqtimeout), or put it behind a reverse proxy that buffers whole requests.")},
	{RuleWebAttack, CategorySecurity, eventRule(inventory.EventWebAttack, inventory.SeverityHigh,
		"Web application attack", "A host sends a web application many requests carrying injection payloads (SQL injection, path traversal, script tags, Log4Shell lookups): an attack tool such as sqlmap or nikto, or malware probing the LAN: find the host by MAC and stop it; check the server's log for answers that leaked data or errors, patch the application (a NAS's, router's or camera's firmware), and keep its admin pages off networks where they are not needed. Against a printer (PJL on port 9100: its files read, its password or locks set), allow 9100 from the print server only, set a PJL password and disable PJL file-system access in its settings, and update its firmware.")},
	{RuleRansomware, CategorySecurity, eventRule(inventory.EventRansomware, inventory.SeverityCritical,
		"Ransomware on a file share", "A device is renaming or rewriting the files of a share to one new extension, the way ransomware encrypts them: disconnect it from the network now (pull its cable or block its switch port; keep it powered for forensics), make the share read-only or stop the file server's service until it is cleaned, then restore the renamed files from a backup or snapshot taken before the event's time and check every device that logs on with the same account.")},
	{RuleADAttack, CategorySecurity, eventRule(inventory.EventADAttack, inventory.SeverityHigh,
		"Active Directory attack (DCSync or kerberoasting)", "A device that is no domain controller asked a domain controller to replicate the directory (DCSync: mimikatz, secretsdump), which hands over every account's password hash, krbtgt's included, if its account holds replication rights: disconnect it, find which account it used (the domain controller's security log, event 4662 with the replication rights), reset that account's password, then reset krbtgt twice and the administrators' passwords. Only domain controllers (and an Azure AD Connect server, if that is what this device is) should replicate. Kerberoasting (the summary says so: service tickets asked for with the weak RC4 key first, impacket GetUserSPNs or getST, Rubeus) takes each service account's password hash to crack offline: isolate the device, find the user logged on to it (the DC's event 4769 with encryption type 0x17), change the named services' passwords to long random ones or group managed service accounts and allow them AES only.")},
	{RuleLateralMovement, CategorySecurity, eventRule(inventory.EventLateralMovement, inventory.SeverityHigh,
		"Remote command execution (service or task created over SMB, or a Redis server taken over)", "A device made a server run a command by creating a service or a scheduled task through its named pipes (psexec, smbexec, atexec, CrackMapExec): an attacker with an administrator's password moving from machine to machine, unless it is a sanctioned deployment tool. Find who uses the device; on the server, look for the new service or task (System log event 7045, Security 4697 or 4698) and what it ran, and reset the password of the account that logged on (Security 4624 from this device); if it is a management server (SCCM client push, PDQ Deploy), declare it with known-scanner. Give administrators separate accounts per tier and block SMB between workstations. If the evidence names Redis (CONFIG SET dir or dbfilename, SLAVEOF or MODULE LOAD: P2PInfect, miner botnets), look on the server for new files (~/.ssh/authorized_keys, cron, web roots), loaded modules (MODULE LIST) and its replication role (INFO replication), restore it if changed, and give Redis a password (requirepass or ACL), bind it to the hosts that need it, keep protected-mode on and rename CONFIG, SLAVEOF and MODULE.")},
	{RuleCredentialCapture, CategorySecurity, eventRule(inventory.EventCredentialCapture, inventory.SeverityHigh,
		"Password hash capture server", "A device serves SMB with the fixed challenge of a hash-capture tool (impacket smbserver, Responder), so every logon to it hands over the user's NetNTLM hash for cracking or relaying: disconnect it, change the passwords of the users named as targets, and look for what led them there (name poisoning, a planted shortcut or document); require SMB signing and disable NTLM where possible.")},
	{RuleDNSTunnel, CategorySecurity, eventRule(inventory.EventDNSTunnel, inventory.SeverityMedium,
		"DNS tunnel", "A host sends data hidden in the names of DNS queries under one domain (iodine, dnscat2, malware command and control), slipping past the firewall: find the host by MAC and check it for malware or a user bypassing policy; block the domain at the resolver and let clients use only the LAN's resolver (block outbound port 53 except from it).")},
	{RuleRemoteShell, CategorySecurity, eventRule(inventory.EventRemoteShell, inventory.SeverityHigh,
		"Remote command shell", "Someone drives a command shell on this device over a plain TCP connection (a reverse shell it opened to the other party, or a shell listening on an odd port): the device is most likely compromised. Disconnect it from the network now (keep it powered for forensics), block the other party's address at the firewall, find how the shell was started (its processes, cron, services, the web application it hosts), change every password it held, and restore it from a known-good image.")},
	{RuleICMPTunnel, CategorySecurity, eventRule(inventory.EventICMPTunnel, inventory.SeverityMedium,
		"ICMP tunnel", "A host exchanges data hidden in pings with one peer (ptunnel, icmpsh, hans: a shell or a TCP connection carried in echo requests and replies), slipping past a firewall that lets ping through: find the host by MAC and check it for malware or a user bypassing policy; at the firewall, drop echo requests to the Internet larger than a plain ping's (more than 100 bytes) or allow ping only to the addresses the monitoring needs.")},
	{RuleCryptominer, CategorySecurity, eventRule(inventory.EventCryptominer, inventory.SeverityHigh,
		"Cryptocurrency miner", "A device logged in to a cryptocurrency mining pool (xmrig and the like): its processor and power are being used for someone else's profit, most often by malware that also opened a way in. Find the device by MAC, look for the miner process and how it was installed (a scheduled task, a service, a compromised web application, a container), remove it and patch the way in, change the device's passwords; block the pool's address and the usual pool ports (3333, 4444, 5555, 14444) at the firewall.")},
	{RuleBruteForce, CategorySecurity, bruteForce},
	{RuleScan, CategorySecurity, scans},
	{RulePrinterSupplyLow, CategoryHealth, printerSupplyLow},
	{RuleUPSBatteryReplace, CategoryHealth, upsBatteryReplace},
	{RuleUPSOnBattery, CategoryAvailability, upsOnBattery},
	{RuleNASDegraded, CategoryHealth, nasDegraded},
	{RuleDiskSpaceLow, CategoryHealth, diskSpaceLow},
	{RuleInterfaceErrors, CategoryHealth, interfaceErrors},
	{RulePortNearCapacity, CategoryAvailability, portNearCapacity},
	{RuleLongUptime, CategoryLifecycle, longUptime},
	{RuleUnexpectedReboot, CategoryAvailability, unexpectedReboot},
	{RuleInfrastructureQuiet, CategoryAvailability, infrastructureQuiet},
	{RuleBackupTargetIdle, CategoryAvailability, backupTargetIdle},
	{RuleHygieneProtectionGap, CategorySecurity, protectionGap.check},
	{RuleHygieneUpdateGap, CategorySecurity, updateGap.check},
	{RuleHygieneBackupGap, CategoryAvailability, backupGap.check},
	{RuleRemoteAccessTool, CategorySecurity, remoteAccessTools},
}

// infrastructure is gear the whole site depends on; it is held to a higher
// standard (SNMPv3, monitored uptime, never silent).
func infrastructure(t inventory.DeviceType) bool {
	switch t {
	case inventory.TypeRouter, inventory.TypeSwitch, inventory.TypeFirewall, inventory.TypeAP,
		inventory.TypeNAS, inventory.TypeUPS, inventory.TypeServer, inventory.TypeHypervisor:
		return true
	}
	return false
}

// each calls fn for every device, collecting what it returns.
func (x *input) each(fn func(d *inventory.Device) *inventory.Finding) []inventory.Finding {
	var out []inventory.Finding
	for i := range x.Snapshot.Devices {
		d := &x.Snapshot.Devices[i]
		if f := fn(d); f != nil {
			if f.Device == "" {
				f.Device = d.MAC.String()
			}
			out = append(out, *f)
		}
	}
	return out
}

func ev(source, format string, a ...any) inventory.Evidence {
	return inventory.Evidence{Source: source, Detail: fmt.Sprintf(format, a...)}
}

func identity(d *inventory.Device) string {
	s := strings.TrimSpace(d.Make + " " + d.Model)
	if s == "" {
		s = string(cmp.Or(d.Type, inventory.TypeUnknown))
	}
	return fmt.Sprintf("%s (%s)", d.Name(), s)
}
