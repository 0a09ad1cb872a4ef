package findings

import "tend/inventory"

// tftpService is a device serving TFTP (RFC 1350): no login at all, so not
// a clear-text login but unauthenticated file transfer, one finding per
// server (its reads and writes together), as severe as its most severe
// event: the traffic sensor raises a server's reads Low when DHCP names it
// the PXE boot server (network boot needs TFTP), Medium otherwise and for
// writes.
func tftpService(x *input) []inventory.Finding {
	keys, groups := x.groupEvents(isProto("tftp"), server)
	var out []inventory.Finding
	for _, k := range keys {
		es := groups[k]
		sev := inventory.SeverityLow
		for _, e := range es {
			if e.Severity.Rank() > sev.Rank() {
				sev = e.Severity
			}
		}
		out = append(out, inventory.Finding{Severity: sev, Device: k,
			Title:    "Unauthenticated file transfer (TFTP) on " + x.who(k),
			Evidence: eventEvidence(es),
			Action:   "TFTP has no login and no encryption: anyone who reaches the server can read its files (device configurations, boot images) and, if writes are allowed, replace them. Keep it to what needs it (PXE boot, phone provisioning) on the boot or provisioning VLAN, serve read-only (tftpd-hpa without --create, a directory the daemon cannot write), accept no writes from clients, and turn it off where nothing boots from it."})
	}
	return out
}
