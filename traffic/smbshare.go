package traffic

import (
	"encoding/binary"
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
	cliMAC, srvMAC mac
	shares         [smbShareSeen]uint64 // the shares' hashes
	names          [smbShareSeen]string
	n              int
	probes         int
	sample         string // the first directory created and deleted, and its share
	firstNS        int64
	lastNS         int64
	metNS          int64     // when it met the thresholds (0: not yet)
	lastProbe      time.Time // the last write test's
	reported       bool
}

// smbGuestAnswer reads an SMB2 SESSION_SETUP answer m (success) from the
// server: a guest or anonymous session marks its connection for the share
// counting.
func (e *Engine) smbGuestAnswer(p *capture.Packet, m []byte) {
	if len(m) >= 64+4 && binary.LittleEndian.Uint16(m[64+2:])&3 != 0 {
		e.smbGuest(p, smbConnKey{p.DstIP(), p.SrcIP(), uint16(p.TCP.DstPort)})
	}
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
	if strings.EqualFold(name, "IPC$") || name == "" {
		return
	}
	pr := e.smbSharePair(k, src, dst)
	if pr == nil {
		return
	}
	h := uint64(14695981039346656037)
	for _, b := range c.share[:c.shareN] {
		h = (h ^ uint64(b|0x20)) * 1099511628211 // case folded: share names are ASCII
	}
	for i := range pr.n {
		if pr.shares[i] == h {
			return
		}
	}
	if pr.n < smbShareSeen {
		pr.shares[pr.n], pr.names[pr.n] = h, name
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
// order they began. It runs every tick.
func (e *Engine) flushSMBShares(all bool) {
	if e.ransom == nil || len(e.ransom.shares) == 0 {
		return
	}
	var due [][2]netip.Addr
	for k, pr := range e.ransom.shares {
		if pr.metNS != 0 && !pr.reported && (all || e.clock-pr.lastNS >= int64(smbShareGather) || e.clock-pr.metNS >= int64(smbShareHold)) {
			due = append(due, k)
		}
	}
	for i := 1; i < len(due); i++ { // a few: no sort package instantiated for them
		for j := i; j > 0 && e.ransom.shares[due[j]].firstNS < e.ransom.shares[due[j-1]].firstNS; j-- {
			due[j], due[j-1] = due[j-1], due[j]
		}
	}
	for _, k := range due {
		pr := e.ransom.shares[k]
		pr.reported = true
		e.reportSMBShares(smbConnKey{cli: k[0], srv: k[1]}, pr)
	}
}

// smbSharePair returns the counts of k's client and server, making them
// when the table has room (pairs idle for smbShareIdle make room).
func (e *Engine) smbSharePair(k smbConnKey, src, dst mac) *smbSharePair {
	s := e.ransom
	pk := [2]netip.Addr{k.cli, k.srv}
	if pr := s.shares[pk]; pr != nil {
		pr.lastNS = e.pktNS
		return pr
	}
	if s.shares == nil {
		s.shares = map[[2]netip.Addr]*smbSharePair{}
	}
	if len(s.shares) >= smbSharePairs {
		for x, pr := range s.shares {
			if e.pktNS-pr.lastNS > int64(smbShareIdle) {
				delete(s.shares, x)
			}
		}
		if len(s.shares) >= smbSharePairs {
			e.counters.TrackersDropped++
			return nil
		}
	}
	pr := &smbSharePair{cliMAC: src, srvMAC: dst, firstNS: e.pktNS, lastNS: e.pktNS}
	s.shares[pk] = pr
	return pr
}

// reportSMBShares raises the share enumeration of k's server by its
// client: a port_scan (reconnaissance), Medium.
func (e *Engine) reportSMBShares(k smbConnKey, pr *smbSharePair) {
	ev := inventory.Event{Time: pr.lastProbe, Type: inventory.EventPortScan, Severity: inventory.SeverityMedium, IP: k.cli, TargetMAC: macOf(pr.srvMAC), TargetIP: k.srv,
		Evidence: []inventory.Evidence{
			{Source: "traffic", Detail: fmt.Sprintf("a guest or anonymous SMB2 logon (the server's answer, or an NTLMSSP logon proving no password); %s after its first share connection, the directory %s was created and deleted within %s", roundDur(time.Duration(pr.metNS-pr.firstNS)), pr.sample, smbProbeWithin)},
			{Source: "traffic", Detail: fmt.Sprintf("threshold: a directory created and deleted within %s on a guest or anonymous session that connected to %d shares besides IPC$; a person's guest mapping uses one share and keeps its folders", smbProbeWithin, smbShareMin)}}}
	culprit, who := e.webCulprit(&ev, pr.cliMAC, k.cli)
	ev.Summary = fmt.Sprintf("SMB share enumeration with write tests: %s logged on to %s as guest or anonymously, connected to %d shares (%s) and created then deleted a directory in them (write tests: %d): smbmap, crackmapexec --shares",
		who, k.srv, pr.n, strings.Join(pr.names[:pr.n], ", "), pr.probes)
	e.report(ev, culprit, pr.srvMAC)
}
