package traffic

import (
	"fmt"
	"net/netip"
	"strings"
	"time"

	"tend/capture"
	"tend/inventory"
)

// SMB share-permission enumeration (smbmap, crackmapexec/netexec --shares;
// review 41 P4: smbmap raised nothing) logs on as guest or anonymously,
// connects to the server's shares one after another, the administrative
// ones (ADMIN$, C$) among them, and tests whether each is writable by
// creating a directory of a random name and deleting it at once (smbmap:
// CREATE with FILE_CREATE and FILE_DIRECTORY_FILE, then the same name
// opened again and SET_INFO FileDispositionInformation, MS-SMB2 2.2.13,
// 2.2.39, MS-FSCC 2.4.11). The server tells a guest or anonymous session
// in its SESSION_SETUP answer (SessionFlags IS_GUEST 0x1, IS_NULL 0x2,
// MS-SMB2 2.2.6), whatever user name the client gave (Samba's "map to
// guest = bad user"). Counted, per client and server, on such sessions:
// the shares connected (not IPC$, the pipes' share) and the directories
// created and deleted within smbProbeWithin. One such write test with two
// shares connected is raised: port_scan, Medium. A person's guest mapping
// of a share connects to it alone and keeps the folders it makes (or
// deletes one seconds later, by hand); smbclient -L lists shares on IPC$
// and connects to none.
const (
	smbSharePairs  = 32              // client-server pairs counted at most
	smbShareSeen   = 8               // distinct shares kept per pair
	smbShareMin    = 2               // shares connected
	smbProbeWithin = 2 * time.Second // from a directory's creation to its deletion
	smbShareIdle   = 10 * time.Minute
	smbShareGather = 10 * time.Second
	smbShareHold   = time.Minute
)

type smbSharePair struct {
	_              [0]func() // not comparable: no equality function linked
	cli, srv       netip.Addr
	cliMAC, srvMAC mac
	names          [smbShareSeen]string // the shares connected
	n              int
	probes         int
	sample         string // the first directory created and deleted, and its share
	firstNS        int64
	lastNS         int64
	metNS          int64     // when it met the thresholds (0: not yet)
	lastProbe      time.Time // the last write test's
	reported       bool
}

// smbGuest marks the connection k as a guest or anonymous session's: the
// server said so, or the client's NTLMSSP AUTHENTICATE was anonymous
// (Samba answers an anonymous logon without IS_NULL).
func (e *Engine) smbGuest(p *capture.Packet, k smbConnKey) {
	if c := e.ransomConn(k, p); c != nil {
		c.guest = true
	}
}

// smbShareTree counts the share c (a guest connection) just connected to.
func (e *Engine) smbShareTree(k smbConnKey, c *smbNames, src, dst mac) {
	name := string(c.share[:c.shareN])
	if name == "IPC$" || name == "ipc$" || name == "" {
		return
	}
	pr := e.smbSharePair(k, src, dst)
	if pr == nil {
		return
	}
	for _, x := range pr.names[:pr.n] {
		if x == name {
			return
		}
	}
	if pr.n < smbShareSeen {
		pr.names[pr.n] = name
		pr.n++
	}
}

// smbShareCreate reads a guest connection's CREATE of the name nm with
// disposition disp and options opts: a new directory is remembered, the
// same name opened for deletion soon after is a write test.
func (e *Engine) smbShareCreate(p *capture.Packet, k smbConnKey, c *smbNames, nm *smbName, raw []byte, disp, opts uint32, src, dst mac) {
	switch {
	case disp == 2 && opts&1 != 0: // FILE_CREATE, FILE_DIRECTORY_FILE
		c.mkdir, c.mkdirNS = nm.hash, e.pktNS
		c.mkdirName = smbString(raw) + " on " + string(c.share[:c.shareN])
	case opts&0x1000 != 0: // FILE_DELETE_ON_CLOSE
		e.smbShareDelete(p, k, c, nm.hash, src, dst)
	}
}

// smbShareDelete counts the deletion of the name hashing to h on the guest
// connection c as a write test when c created it as a directory lately.
func (e *Engine) smbShareDelete(p *capture.Packet, k smbConnKey, c *smbNames, h uint64, src, dst mac) {
	if h == 0 || c.mkdir != h || e.pktNS-c.mkdirNS > int64(smbProbeWithin) {
		return
	}
	c.mkdir = 0
	pr := e.smbSharePair(k, src, dst)
	if pr == nil {
		return
	}
	pr.probes++
	pr.lastProbe = p.Time
	if pr.sample == "" {
		pr.sample = c.mkdirName
	}
	if pr.metNS == 0 && pr.n >= smbShareMin {
		pr.metNS = e.pktNS
	}
}

// flushSMBShares reports the enumerations quiet for smbShareGather or going
// on for smbShareHold (all when all is set: the end of a replay), in the
// order they began, and forgets the pairs idle for smbShareIdle. It runs
// every tick.
func (e *Engine) flushSMBShares(all bool) {
	if e.ransom == nil {
		return
	}
	kept := e.ransom.shares[:0]
	for _, pr := range e.ransom.shares {
		if pr.metNS != 0 && !pr.reported && (all || e.clock-pr.lastNS >= int64(smbShareGather) || e.clock-pr.metNS >= int64(smbShareHold)) {
			pr.reported = true
			e.reportSMBShares(&pr)
		}
		if e.clock-pr.lastNS <= int64(smbShareIdle) {
			kept = append(kept, pr)
		}
	}
	e.ransom.shares = kept
}

// smbSharePair returns the counts of k's client and server, making them
// when the table has room.
func (e *Engine) smbSharePair(k smbConnKey, src, dst mac) *smbSharePair {
	s := e.ransom
	for i := range s.shares {
		if pr := &s.shares[i]; pr.cli == k.cli && pr.srv == k.srv {
			pr.lastNS = e.pktNS
			return pr
		}
	}
	if len(s.shares) >= smbSharePairs {
		e.counters.TrackersDropped++ // pairs leave when idle (flushSMBShares)
		return nil
	}
	s.shares = append(s.shares, smbSharePair{cli: k.cli, srv: k.srv, cliMAC: src, srvMAC: dst, firstNS: e.pktNS, lastNS: e.pktNS})
	return &s.shares[len(s.shares)-1]
}

// reportSMBShares raises the share enumeration of a server by its client:
// a port_scan (reconnaissance), Medium.
func (e *Engine) reportSMBShares(pr *smbSharePair) {
	ev := inventory.Event{Time: pr.lastProbe, Type: inventory.EventPortScan, Severity: inventory.SeverityMedium, IP: pr.cli, TargetMAC: macOf(pr.srvMAC), TargetIP: pr.srv,
		Evidence: []inventory.Evidence{{Source: "traffic", Detail: "threshold: a directory created and deleted within 2s by a guest or anonymous SMB2 session that connected to 2 shares besides IPC$"}}}
	culprit, who := e.webCulprit(&ev, pr.cliMAC, pr.cli)
	ev.Summary = fmt.Sprintf("SMB share enumeration with write tests: %s logged on to %s as guest or anonymously, connected to %d shares (%s) and created then deleted a directory in them (write tests: %d, the first %s): smbmap, crackmapexec --shares",
		who, pr.srv, pr.n, strings.Join(pr.names[:pr.n], ", "), pr.probes, pr.sample)
	e.report(ev, culprit, pr.srvMAC)
}
