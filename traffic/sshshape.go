package traffic

import (
	"bytes"
	"encoding/binary"
	"net/netip"
	"time"

	"tend/capture"
)

// SSH password guessing slowed below a tool's burst (hydra -t 1 -W 3, a
// session every half minute) shows nothing in clear: each guess, or each
// six, is a session the server accepts. What the wire does show is where a
// session ends. The key exchange is in clear (RFC 4253 7): the server's
// NEWKEYS closes it, and what follows is encrypted but sized. A failed
// login ends in the authentication phase, where the server sends only
// small messages (SERVICE_ACCEPT, USERAUTH_FAILURE naming the methods left,
// a DISCONNECT after MaxAuthTries: 40 to 130 bytes a segment with any
// cipher and MAC); a login that succeeds goes on to a channel, and OpenSSH
// (6.8 and later) sends its host keys at once (hostkeys-00@openssh.com, 260
// bytes or more), then the command's output and exit status. So a session
// whose server sent no encrypted segment over sshAuthMsgMax bytes and that
// ended within sshAuthOnlyMax of its start is an authentication-only
// session if it got as far as an answer to a login (SERVICE_ACCEPT and one
// more: a key scan or a banner check that ends after the key exchange is
// no login): sshAuthOnlySessions of them from one client to one server
// within bruteWindow are password guessing, or sshAuthOnlyFew carrying
// bruteFailures authentication exchanges (the server's encrypted segments
// but the first), raised at low (medium when the exchanges came at
// bruteFailures a minute: hydra -t 4's pace). The exchanges are no failed
// passwords: each key an agent offers is one too, and the wire, encrypted,
// cannot tell them apart; a user whose agent offers six keys ("Too many
// authentication failures") retrying three or four times, or mistyping a
// password thrice a session, stays below sshAuthOnlyFew sessions.
// sshAuthOnlyMax covers sshd's LoginGraceTime (120 s): a slow guesser's
// session lasts until the server closes it. An admin's
// scripted key logins and monitoring checks succeed: each shows the host
// keys or its output. What this cannot see: guessing against a server
// that sends a banner (a legal notice) before authentication looks like
// success, as does guessing slower than sshAuthOnlyFew sessions in
// bruteWindow (info at bruteSessions sessions); a server other than
// OpenSSH whose successful sessions send only small messages (dropbear
// running a command with no output) looks like failure to a script that
// logs in eight times in five minutes (low); a session with no FIN or RST
// seen is never classed; keyboard-interactive prompts larger than
// sshAuthMsgMax (a one-time-password challenge with text) look like
// success.
const (
	sshAuthOnlySessions = 8
	sshAuthOnlyFew      = 5
	sshAuthMsgMax       = 160
	sshAuthOnlyMax      = 150 * time.Second
)

// sshConnKey is one SSH connection: client and server address and port.
type sshConnKey struct {
	client, server netip.Addr
	cport, sport   uint16
}

// sshConn is what the server sent in one SSH connection.
type sshConn struct {
	_     [0]func() // not comparable: no equality function linked
	start int64     // on the engine's clock (Engine.nanos)
	kex   bool      // the server's NEWKEYS was seen: what follows is encrypted
	// banner is set once the server's version line was seen, skip is what
	// is left of the cleartext packet under way, lost that the stream
	// could not be followed.
	banner, lost bool
	skip         int
	segs         int  // encrypted segments from the server
	big          bool // one of them over sshAuthMsgMax bytes
	// sbytes and cbytes are the bytes the server and the client sent
	// encrypted (fanout.go).
	sbytes, cbytes int
}

// sshStart notes an SSH session accepted (the server's SYN+ACK in p).
func (e *Engine) sshStart(p *capture.Packet) {
	if len(e.ssh) >= e.cfg.MaxTrackers {
		e.counters.TrackersDropped++
		return
	}
	k := sshConnKey{p.DstIP(), p.SrcIP(), uint16(p.TCP.DstPort), uint16(p.TCP.SrcPort)}
	e.ssh[k] = &sshConn{start: e.nanos(p.Time)}
}

// sshServerSegment counts a segment with payload from an SSH server's port.
func (e *Engine) sshServerSegment(p *capture.Packet) {
	c := e.ssh[sshConnKey{p.DstIP(), p.SrcIP(), uint16(p.TCP.DstPort), uint16(p.TCP.SrcPort)}]
	switch {
	case c == nil:
	case c.lost:
	case !c.kex:
		c.cleartext(p.TCP.Payload)
	default:
		c.segs++
		c.sbytes += len(p.TCP.Payload)
		c.big = c.big || len(p.TCP.Payload) > sshAuthMsgMax
	}
}

// sshEnd classes the SSH connection a FIN or RST in p ends, either side's.
func (e *Engine) sshEnd(p *capture.Packet) {
	k := sshConnKey{p.DstIP(), p.SrcIP(), uint16(p.TCP.DstPort), uint16(p.TCP.SrcPort)}
	c := e.ssh[k]
	if c == nil {
		k = sshConnKey{p.SrcIP(), p.DstIP(), uint16(p.TCP.SrcPort), uint16(p.TCP.DstPort)}
		if c = e.ssh[k]; c == nil {
			return
		}
	}
	delete(e.ssh, k)
	e.sshDataSession(k, c, e.nanos(p.Time)) // fanout.go
	if c.loggedIn() {
		// It opened a channel and moved data both ways: a login that worked
		// (a key-based job, rsync, check_by_ssh), no guess, as SMB's
		// (bruteAccepted): ten such jobs at once are no guessing burst
		// (review 36b FP 2).
		if tr := e.brute[bruteKey{k.client, k.server, k.sport}]; tr != nil {
			tr.logins++
		}
		return
	}
	if !c.kex || c.lost || c.big || c.segs < 2 || time.Duration(e.nanos(p.Time)-c.start) > sshAuthOnlyMax {
		return
	}
	tr := e.brute[bruteKey{k.client, k.server, k.sport}]
	if tr == nil {
		return
	}
	tr.authOnly++
	tr.authRounds += c.segs - 1                                                                            // SERVICE_ACCEPT is no guess
	e.spreadFail(p.Time, bruteKey{k.client, k.server, k.sport}, tr.clientMAC, tr.server, "SSH", 0, 0, nil) // brutespread.go
	tr.last = p.Time
	if tr.over.IsZero() && tr.authGuessing() {
		tr.over = p.Time
	}
}

// authGuessing reports whether the SSH sessions that ended in the
// authentication phase are guessing: sshAuthOnlySessions of them, or
// sshAuthOnlyFew carrying bruteFailures exchanges (a person retyping a
// password gets three prompts a connection and gives up or succeeds
// within two or three; an agent's keys are exchanges too).
func (tr *bruteTracker) authGuessing() bool {
	return tr.authOnly >= sshAuthOnlySessions || tr.authOnly >= sshAuthOnlyFew && tr.authRounds >= bruteFailures
}

// flushSSH forgets connections open longer than sshAuthOnlyMax: sessions,
// not logins that failed (sshd closes one still authenticating after its
// LoginGraceTime, 120 s by default).
func (e *Engine) flushSSH(now time.Time, all bool) {
	at := e.nanos(now)
	for k, c := range e.ssh {
		if all || time.Duration(at-c.start) > sshAuthOnlyMax {
			delete(e.ssh, k)
		}
	}
	e.forgetFanOut(at) // fanout.go
}

// sshMaxPacket bounds a cleartext packet's length field (RFC 4253 6.1:
// 35,000 bytes is what every implementation must take; a post-quantum key
// exchange's reply is about 1,600).
const sshMaxPacket = 35000

// cleartext follows the server's stream through the key exchange: the
// version line, then binary packets (RFC 4253 4.2, 6) until NEWKEYS (21,
// 7.3). What follows NEWKEYS in its segment (OpenSSH's EXT_INFO, RFC 8308)
// is not counted. A packet header split across segments or a length out of
// bounds loses the stream (a retransmission or a capture gap): the
// connection is never classed, a miss rather than a false alarm.
func (c *sshConn) cleartext(b []byte) {
	if !c.banner {
		i := bytes.IndexByte(b, '\n')
		if len(b) < 4 || string(b[:4]) != "SSH-" || i < 0 {
			c.lost = true
			return
		}
		c.banner, b = true, b[i+1:]
	}
	for len(b) > 0 {
		if c.skip > 0 {
			n := min(c.skip, len(b))
			c.skip -= n
			b = b[n:]
			continue
		}
		if len(b) < 6 {
			c.lost = true
			return
		}
		n := int(binary.BigEndian.Uint32(b))
		if n < 12 || n > sshMaxPacket {
			c.lost = true
			return
		}
		if b[5] == 21 {
			c.kex = true
			return
		}
		c.skip = 4 + n
	}
}
