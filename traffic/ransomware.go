package traffic

import (
	"encoding/binary"
	"fmt"
	"net/netip"
	"time"

	"tend/capture"
	"tend/inventory"
)

// Ransomware on a file share (review 37a P1: 200 invoices renamed to
// *.locked over SMB3, nothing raised) encrypts each file it reaches and
// gives it a new name: the old one with an extension of its own appended
// (invoice.xlsx.locked) or put in place of the old one (invoice.locked),
// by renaming the file it encrypted in place, or by writing the encrypted
// copy under the new name and deleting the original. Cleartext SMB2 and
// SMB3 show both (MS-SMB2 2.2.13 CREATE, 2.2.39 SET_INFO with
// FileRenameInformation, MS-FSCC 2.4.37): a CREATE request names the file
// the client opens; a rename names the file's new name; a CREATE that
// creates or overwrites names the new file. SMB3 encryption (a transform
// header, 0xFD 'SMB') hides them and is passed over; it is off by default
// on Samba, Windows and the NASes.
//
// Counted, per client and server, are renames whose new extension differs
// from the opened file's (not a temporary file's: Office saves through
// ~WRD0000.tmp and ~WRL0001.tmp, a sync client downloads x.jpg.part and
// renames it x.jpg, a prefix of its old name), and creations or overwrites
// of a name that is a file the connection opened lately with one more
// extension; their new extension must be no temporary or backup one (tmp,
// part, bak, old...). smbRansomCount of one extension within
// smbRansomWindow is ransomware, raised at once (critical). A person
// renames a file or two, a backup writes files under their own names, a
// bulk rename gives each its own name, rsync's temporary names each their
// own random suffix.
const (
	smbRansomCount  = 50
	smbRansomWindow = time.Minute
	smbRansomConns  = 256 // connections followed at most
	smbRansomPairs  = 64  // client-server pairs counted at most
	smbRansomExts   = 4   // extensions counted per pair
	smbRansomIdle   = 10 * time.Minute
	smbOpened       = 8  // names a connection opened lately, kept
	smbExtMax       = 16 // longest extension counted, in UTF-16 units
)

// smbNames is what a connection opened lately: the hashes of the last
// smbOpened names (smbNameHash), the last one's extension, its share.
type smbNames struct {
	_      [0]func() // not comparable: no equality function linked
	opened [smbOpened]uint64
	next   int
	last   smbName
	share  [24]byte
	shareN int
	lastNS int64
	// a guest or anonymous session's (smbshare.go): its last new directory
	guest     bool
	mkdir     uint64
	mkdirNS   int64
	mkdirName string
}

// smbName is a file name's hashes and extension, folded to lower case.
type smbName struct {
	_          [0]func() // not comparable: no equality function linked
	hash, stem uint64    // the whole name's, and the name without its extension
	dots       int       // the extensions in the name's last part (invoice.xlsx.locked: 2)
	temp       bool      // a temporary file's: its last part starts with '~' or '.', or its extension is smbTempExt
	ext        [smbExtMax]byte
	extN       int
}

type smbRansomExt struct {
	_       [0]func() // not comparable: no equality function linked
	ext     [smbExtMax]byte
	extN    int
	n       int
	firstNS int64
	sample  string // the first new name counted
}

type smbRansomPair struct {
	_              [0]func() // not comparable: no equality function linked
	cliMAC, srvMAC mac
	exts           [smbRansomExts]smbRansomExt
	share          string
	lastNS         int64
	port           uint16
}

type smbRansomState struct {
	conns  map[smbConnKey]*smbNames
	pairs  map[[2]netip.Addr]*smbRansomPair
	shares []smbSharePair // guest sessions' shares and write tests (smbshare.go)
}

// smb2Request reads one SMB2 request m: a TREE_CONNECT's share, a CREATE's
// name, a rename's new name.
func (e *Engine) smb2Request(p *capture.Packet, m []byte, k smbConnKey, src, dst mac) {
	cmd := binary.LittleEndian.Uint16(m[12:])
	if cmd != 3 && cmd != 5 && cmd != 17 {
		return
	}
	c := e.ransomConn(k, p)
	if c == nil {
		return
	}
	switch {
	case cmd == 3 && len(m) >= 64+8: // TREE_CONNECT: \\server\share
		name := smbField(m, int(binary.LittleEndian.Uint16(m[64+4:])), int(binary.LittleEndian.Uint16(m[64+6:])))
		c.shareN = 0
		for i := len(name) - 2; i >= 0; i -= 2 {
			if name[i] == '\\' && name[i+1] == 0 {
				break
			}
			c.shareN++
		}
		c.shareN = min(c.shareN, len(c.share))
		for j := range c.shareN {
			c.share[j] = name[len(name)-2*c.shareN+2*j]
		}
		if c.guest {
			e.smbShareTree(k, c, src, dst) // smbshare.go
		}
	case cmd == 5 && len(m) >= 64+56: // CREATE
		name := smbField(m, int(binary.LittleEndian.Uint16(m[64+44:])), int(binary.LittleEndian.Uint16(m[64+46:])))
		nm := smbNameOf(name)
		switch binary.LittleEndian.Uint32(m[64+36:]) { // CreateDisposition
		case 0, 2, 4, 5: // SUPERSEDE, CREATE, OVERWRITE, OVERWRITE_IF
			if nm.extN > 0 && !nm.temp && nm.dots >= 2 && c.openedLately(nm.stem) {
				e.smbRenamed(p, k, c, &nm, name, src, dst)
			}
		}
		if c.guest {
			e.smbShareCreate(p, k, c, &nm, name, binary.LittleEndian.Uint32(m[64+36:]), binary.LittleEndian.Uint32(m[64+40:]), src, dst)
		}
		c.opened[c.next%smbOpened] = nm.hash
		c.next++
		c.last = nm
	case cmd == 17 && c.guest && len(m) >= 64+32 && m[64+2] == 1 && (m[64+3] == 13 || m[64+3] == 64): // FileDispositionInformation(Ex)
		e.smbShareDelete(p, k, c, c.last.hash, src, dst) // smbshare.go
	case cmd == 17 && len(m) >= 64+32 && m[64+2] == 1 && m[64+3] == 10: // SET_INFO FileRenameInformation
		buf := smbField(m, int(binary.LittleEndian.Uint16(m[64+8:])), int(binary.LittleEndian.Uint32(m[64+4:])))
		if len(buf) < 20 {
			return
		}
		name := buf[20:min(len(buf), 20+int(binary.LittleEndian.Uint32(buf[16:])))]
		nm := smbNameOf(name)
		old := &c.last
		if nm.extN == 0 || nm.temp || old.temp || old.hash == 0 ||
			string(nm.ext[:nm.extN]) == string(old.ext[:old.extN]) || nm.hash == old.stem {
			return // no new extension, a temporary file's, or a suffix dropped (x.jpg.part to x.jpg)
		}
		e.smbRenamed(p, k, c, &nm, name, src, dst)
	}
}

// smbField returns the n bytes at off in the message m, as far as it has
// them.
func smbField(m []byte, off, n int) []byte {
	if off < 64 || off >= len(m) || n <= 0 {
		return nil
	}
	return m[off:min(len(m), off+n)]
}

// ransomConn returns the names the connection k opened lately, making its
// entry when the tables have room.
func (e *Engine) ransomConn(k smbConnKey, p *capture.Packet) *smbNames {
	if e.ransom == nil {
		e.ransom = &smbRansomState{conns: map[smbConnKey]*smbNames{}, pairs: map[[2]netip.Addr]*smbRansomPair{}}
	}
	s := e.ransom
	c := s.conns[k]
	if c == nil {
		if len(s.conns) >= smbRansomConns {
			e.expireRansom(e.pktNS, smbRansomWindow)
			if len(s.conns) >= smbRansomConns {
				e.counters.TrackersDropped++
				return nil
			}
		}
		c = &smbNames{}
		s.conns[k] = c
	}
	c.lastNS = e.pktNS
	return c
}

// openedLately reports whether the connection opened a file whose name
// hashes to h among its last smbOpened.
func (c *smbNames) openedLately(h uint64) bool {
	for _, o := range c.opened {
		if o == h && h != 0 {
			return true
		}
	}
	return false
}

// smbNameOf hashes a UTF-16LE file name (FNV-1a over its units folded to
// lower case, leading backslashes skipped) and finds its extension: the
// units after the last dot of its last part, when there are 1 to
// smbExtMax of them.
func smbNameOf(name []byte) smbName {
	var nm smbName
	const offset, prime = 14695981039346656037, 1099511628211
	h, stem, dot, start := uint64(offset), uint64(0), -1, 0
	i := 0
	for ; i+1 < len(name) && name[i] == '\\' && name[i+1] == 0; i += 2 {
	}
	for ; i+1 < len(name); i += 2 {
		u := uint16(name[i]) | uint16(name[i+1])<<8
		if u >= 'A' && u <= 'Z' {
			u += 'a' - 'A'
		}
		switch u {
		case '\\':
			dot, start, nm.dots = -1, i+2, 0
		case '.':
			if i > start {
				stem, dot = h, i+2
				nm.dots++
			}
		}
		h = (h ^ uint64(u&0xff)) * prime
		h = (h ^ uint64(u>>8)) * prime
	}
	nm.hash = h
	if start+1 < len(name) && (name[start] == '~' || name[start] == '.') && name[start+1] == 0 {
		nm.temp = true
	}
	if dot < 0 || (len(name)-dot)/2 > smbExtMax || dot >= len(name)-1 {
		nm.dots = 0
		return nm
	}
	nm.stem = stem
	for j := dot; j+1 < len(name); j += 2 {
		c := name[j]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		nm.ext[nm.extN] = c
		nm.extN++
	}
	nm.temp = nm.temp || smbTempExt(nm.ext[:nm.extN])
	return nm
}

// smbTempExt reports whether ext (lower case) is a temporary, partial or
// backup file's: an editor's, a browser's download, a sync client's.
func smbTempExt(ext []byte) bool {
	if len(ext) == 0 {
		return false
	}
	switch string(ext) {
	case "tmp", "temp", "part", "partial", "crdownload", "download", "bak", "old", "orig", "swp", "wbk", "asd", "lock", "lck", "~":
		return true
	}
	return ext[len(ext)-1] == '~' || ext[0] == '$'
}

// smbRenamed counts a new name nm (raw: the UTF-16LE name) with a new
// extension for the client and server of k, and raises ransomware at
// smbRansomCount of one extension within smbRansomWindow.
func (e *Engine) smbRenamed(p *capture.Packet, k smbConnKey, c *smbNames, nm *smbName, raw []byte, src, dst mac) {
	s, at := e.ransom, e.pktNS
	pk := [2]netip.Addr{k.cli, k.srv}
	pr := s.pairs[pk]
	if pr == nil {
		if len(s.pairs) >= smbRansomPairs {
			e.counters.TrackersDropped++ // until a tick forgets the idle ones
			return
		}
		pr = &smbRansomPair{cliMAC: src, srvMAC: dst, port: uint16(p.TCP.DstPort)}
		s.pairs[pk] = pr
	}
	pr.lastNS = at
	ext := nm.ext[:nm.extN]
	var x *smbRansomExt
	for i := range pr.exts {
		y := &pr.exts[i]
		if y.n > 0 && at-y.firstNS > int64(smbRansomWindow) {
			y.n = 0 // its window ended: counted again from this one
		}
		if y.n > 0 && string(y.ext[:y.extN]) == string(ext) {
			x = y
			break
		}
		if x == nil && y.n == 0 {
			x = y
		}
	}
	if x == nil {
		e.counters.TrackersDropped++ // 4 extensions at once: the oldest's count goes on
		return
	}
	if x.n == 0 {
		*x = smbRansomExt{extN: nm.extN, firstNS: at, sample: smbString(raw)}
		copy(x.ext[:], ext)
		pr.share = string(c.share[:c.shareN])
	}
	x.n++
	if x.n == smbRansomCount {
		e.reportRansomware(p, k, pr, x)
	}
}

// smbString returns a UTF-16LE name as a string, its non-ASCII units as '?'.
func smbString(raw []byte) string {
	b := make([]byte, 0, len(raw)/2)
	for i := 0; i+1 < len(raw) && len(b) < 120; i += 2 {
		c := raw[i]
		if raw[i+1] != 0 || c < 0x20 || c >= 0x7f {
			c = '?'
		}
		b = append(b, c)
	}
	return string(b)
}

func (e *Engine) reportRansomware(p *capture.Packet, k smbConnKey, pr *smbRansomPair, x *smbRansomExt) {
	share := ""
	if pr.share != "" {
		share = " on share " + pr.share
	}
	what := fmt.Sprintf(" renamed or rewrote %d files on %s%s to the new extension .%s in %s: ransomware encrypting the share", x.n, k.srv, share, string(x.ext[:x.extN]), roundDur(time.Duration(e.pktNS-x.firstNS)))
	e.raiseSMB(inventory.Event{Time: p.Time, Type: inventory.EventRansomware, Severity: inventory.SeverityCritical, IP: k.cli, TargetIP: k.srv,
		Evidence: []inventory.Evidence{{Source: "traffic", Detail: "SMB2 renames (SET_INFO FileRenameInformation), or creations of an opened file's name plus an extension, from " + k.cli.String() + " to one new extension within a minute; the first new name: " + x.sample},
			{Source: "traffic", Detail: "threshold: 50 files of one client on one server given one new extension within a minute (temporary, partial and backup names not counted: Office's ~*.tmp, .part, .bak, hidden names); a person renames a file or two, a sync client or a backup keeps each file's own extension"}}},
		pr.cliMAC, pr.srvMAC, what)
}

// raiseSMB reports ev, whose summary is its culprit's description followed
// by what: a ransomware.go or adattack.go event.
func (e *Engine) raiseSMB(ev inventory.Event, culprit, target mac, what string) {
	c, who := e.webCulprit(&ev, culprit, ev.IP)
	ev.Summary, ev.TargetMAC = who+what, macOf(target)
	e.report(ev, c, target)
}

// expireRansom forgets the connections and pairs idle for idle nanoseconds
// before at (every tick with smbRansomIdle; when a table is full, with the
// window).
func (e *Engine) expireRansom(at int64, idle time.Duration) {
	if e.ransom == nil {
		return
	}
	for k, c := range e.ransom.conns {
		if at-c.lastNS > int64(idle) {
			delete(e.ransom.conns, k)
		}
	}
	for k, pr := range e.ransom.pairs {
		if at-pr.lastNS > int64(idle) {
			delete(e.ransom.pairs, k)
		}
	}
}
