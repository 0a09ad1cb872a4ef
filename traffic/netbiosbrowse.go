package traffic

import "bytes"

// The NetBIOS datagram service (UDP 138, RFC 1002 4.4) carries the
// Windows browser protocol (MS-BRWS): host and domain announcements,
// elections and backup-list requests, each an SMB_COM_TRANSACTION (0x25)
// addressed to the mailslot \MAILSLOT\BROWSE (or \MAILSLOT\LANMAN for
// LAN Manager's), broadcast to the subnet (MS-MAIL 2.2.1). The SMB1
// header is only the mailslot's envelope: Samba's nmbd announces every
// host that runs it whatever its SMB server allows (server min protocol
// SMB2 and up included), so a browse datagram is no SMB1 file service;
// what it shows is NetBIOS browsing, host names and workgroup broadcast to
// the subnet: a low finding. SMB1 on 445 or 139 (smb1) stays high.

// netbiosBrowse reports an SMB mailslot transaction to a browse mailslot
// in a NetBIOS datagram's payload p (cut to 256 bytes).
func netbiosBrowse(p []byte) (Insecure, bool) {
	if len(p) > 256 {
		p = p[:256]
	}
	i := bytes.Index(p, []byte("\xffSMB\x25"))
	if i < 0 || len(p) < i+32 {
		return Insecure{}, false
	}
	rest := p[i+32:]
	for _, slot := range []string{`\MAILSLOT\BROWSE`, `\MAILSLOT\LANMAN`} {
		if bytes.Contains(rest, []byte(slot)) {
			return Insecure{Proto: "netbios-browse", Detail: "NetBIOS browser datagram to " + slot + " (an SMB mailslot transaction over UDP 138, MS-BRWS): host and workgroup names broadcast to the subnet; no SMB1 file service"}, true
		}
	}
	return Insecure{}, false
}
