package traffic

import (
	"bytes"
	"fmt"
	"net/netip"

	"tend/capture"
	"tend/inventory"
)

// IP phone provisioning over TFTP (review 37b voip_prov): a Cisco phone
// reads CTLSEP<MAC>.tlv, ITLSEP<MAC>.tlv and SEP<MAC>.cnf.xml from the
// TFTP server its DHCP option 150 (or 66) names, a Yealink or Polycom
// phone <mac>.cfg, at every boot: a PoE switch's reboot makes every phone
// of the office read its files, and the phones cannot be told otherwise,
// so the MSP's remedy is a voice VLAN, as for PXE (Low). Each such name
// carries the reading phone's own MAC, which a client reading other
// devices' configurations (a configuration theft) does not: the read is
// provisioning when every client read a file named for its own MAC, or a
// DHCP server offered the TFTP server to phones (option 150, or 66 with
// no boot file).

// noteOwn records that client (from m) read name, if name carries m in
// hex (SEP001B54370031.cnf.xml, 805ec0370031.cfg).
func (inc *tftpIncident) noteOwn(name []byte, m mac, client netip.Addr) {
	if !namesMAC(name, m) {
		return
	}
	if inc.own == nil {
		inc.own = map[netip.Addr]struct{}{}
	}
	if len(inc.own) < 4096 {
		inc.own[client] = struct{}{}
	}
}

// namesMAC reports whether name holds m's twelve hex digits, in either
// case, without separators.
func namesMAC(name []byte, m mac) bool {
	const digits = "0123456789abcdef"
	var h [12]byte
	for i, b := range m {
		h[2*i], h[2*i+1] = digits[b>>4], digits[b&15]
	}
	if len(name) < len(h) {
		return false
	}
	for i := 0; i+len(h) <= len(name); i++ {
		if bytes.EqualFold(name[i:i+len(h)], h[:]) {
			return true
		}
	}
	return false
}

// provisioning reports whether inc's reads are phones' provisioning:
// every client read a file named for its own MAC.
func (inc *tftpIncident) provisioning() bool {
	return !inc.write && len(inc.own) > 0 && len(inc.own) == len(inc.clients)
}

// provisioningEvidence is the evidence that makes inc's reads Low: the
// DHCP offer naming the server for phones (o), or the clients' own MACs
// in the names they read.
func (inc *tftpIncident) provisioningEvidence(o pxeOffer) inventory.Evidence {
	if o.dhcp.IsValid() && o.file == "" {
		return inventory.Evidence{Source: "dhcp", Detail: fmt.Sprintf("DHCP offers from %s name %s as the TFTP server for IP phones (option 150 or 66, no boot file): phones read their configuration over TFTP; keep it on a voice VLAN and the server read-only", o.dhcp, inc.server)}
	}
	return inventory.Evidence{Source: "traffic", Detail: fmt.Sprintf("each of the %s read a file named for its own MAC (SEP<MAC>.cnf.xml, <mac>.cfg): IP phone provisioning; keep it on a voice VLAN and the server read-only", plural(len(inc.clients), "client"))}
}

// phoneTFTP records the TFTP server a DHCP offer or ack from dhcp names
// for IP phones: option 150 (Cisco: a list of IPv4 addresses), else
// option 66 (a name or address) with no boot file.
func phoneTFTP(e *Engine, d *capture.DHCP, dhcp netip.Addr) {
	server := netip.Addr{}
	if v := d.Option(150); len(v) >= 4 {
		server = netip.AddrFrom4([4]byte(v[:4]))
	} else if v := d.Option(66); len(v) > 0 {
		server, _ = netip.ParseAddr(string(bytes.TrimRight(v, "\x00")))
	}
	if !server.IsValid() || server.IsUnspecified() {
		return
	}
	if _, seen := e.pxe[server]; seen || len(e.pxe) >= pxeServersMax {
		return
	}
	if e.pxe == nil {
		e.pxe = make(map[netip.Addr]pxeOffer)
	}
	e.pxe[server] = pxeOffer{dhcp: dhcp}
}
