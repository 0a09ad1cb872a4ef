package discovery

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"time"

	"tend/inventory"
)

// portNBDGM is the NetBIOS datagram service (RFC 1002 4.4), which carries
// the Windows browser's announcements.
const portNBDGM = 138

// Browser server type bits ([MS-BRWS] 2.2.1.1 / [MS-RAP] SV_TYPE_*).
const (
	svWorkstation = 0x00000001
	svDomainCtrl  = 0x00000008
	svBackupCtrl  = 0x00000010
	svPrintQ      = 0x00000200
	svUnix        = 0x00000800 // Samba says this of itself
	svNT          = 0x00001000
	svServerNT    = 0x00008000
)

var browseMailslot = []byte("\\MAILSLOT\\BROWSE\x00")

// decodeBrowser reads a Windows browser host announcement ([MS-BRWS]
// 2.2.1: HostAnnouncement, LocalMasterAnnouncement) sent as a NetBIOS
// datagram to \MAILSLOT\BROWSE: the computer's name, the Windows NT
// version it runs (or that it is a Samba server) and its role bits. Only a
// datagram whose NBDGM source address is the packet's own is attributed.
func decodeBrowser(dst []inventory.Observation, ts time.Time, f *frame) ([]inventory.Observation, error) {
	p := f.l4
	if len(p) < 14 || (p[0] != 0x10 && p[0] != 0x11 && p[0] != 0x12) { // direct unique/group, broadcast
		return dst, errNotMine
	}
	if src := netip.AddrFrom4([4]byte(p[4:8])); src != f.srcIP {
		return dst, errNotMine
	}
	i := bytes.Index(p, browseMailslot)
	if i < 0 {
		return dst, errNotMine
	}
	d := p[i+len(browseMailslot):]
	if len(d) < 1 || (d[0] != 1 && d[0] != 15) { // HostAnnouncement, LocalMasterAnnouncement
		return dst, errNotMine
	}
	// opcode, update count, periodicity (4), server name (16), OS major,
	// OS minor, server type (4, little-endian).
	if len(d) < 1+1+4+16+2+4 {
		return dst, errors.New("discovery: truncated browser announcement")
	}
	name := cleanText(bytes.TrimRight(d[6:22], "\x00 "), 15)
	major, minor := d[22], d[23]
	svType := binary.LittleEndian.Uint32(d[24:28])
	o := f.base(ts, inventory.SourceNBNS)
	if name != "" {
		o.Hostname = name
		o.Names = []string{name}
	}
	if svType&svUnix != 0 {
		o.OS = "Samba"
	} else if svType&svNT != 0 {
		o.OS = fmt.Sprintf("Windows NT %d.%d", major, minor)
	}
	var roles []string
	switch {
	case svType&(svDomainCtrl|svBackupCtrl) != 0:
		roles = append(roles, "domain-controller")
	case svType&svServerNT != 0:
		roles = append(roles, "server")
	case svType&svWorkstation != 0 && svType&svUnix == 0:
		roles = append(roles, "workstation")
	}
	if svType&svPrintQ != 0 {
		roles = append(roles, "print-server")
	}
	o.Capabilities = roles
	o.Evidence = []inventory.Evidence{{Source: "browser announcement",
		Detail: strings.TrimSpace(fmt.Sprintf("%s: os %d.%d, server type %#08x", name, major, minor, svType))}}
	return append(dst, o), nil
}
