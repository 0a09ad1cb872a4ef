package traffic

import (
	"bytes"
	"net/netip"

	"tend/capture"
	"tend/inventory"
)

// Redis abuse (review 41 redis_abuse): a Redis server without a password
// (protected mode off, bound to the LAN: a NAS's or a developer's) runs
// any client's command, and the known ways from that to code execution on
// the server are few (P2PInfect, the cryptominer botnets, redis-rogue-
// server, Metasploit's redis modules):
//   - CONFIG SET dir and CONFIG SET dbfilename then SAVE write the
//     database, carrying a key the attacker SET, as a file of their choice
//     (~/.ssh/authorized_keys, a crontab, a web shell);
//   - SLAVEOF (REPLICAOF since 5.0) naming the attacker's own address
//     makes the server a replica of a rogue master, which hands it a
//     module (.so) as the "database" for MODULE LOAD to run;
//   - MODULE LOAD itself.
//
// Applications and redis-cli GET, SET, INFO, CONFIG GET: none of these.
// A replica configured at start sends PSYNC to its master with no SLAVEOF
// seen; an administrator's REPLICAOF names the master, another server, not
// the administrator's workstation; Sentinel's failover sends its SLAVEOF
// inside MULTI ... EXEC (a segment whose first command is MULTI is not
// read further). Each is lateral_movement High, culprit the client, target
// the server: remote command execution as psexec's, through Redis. (A
// SLAVEOF naming the client by a host name, which the server's PSYNC to
// the client would confirm, is not followed: the tools send an address.)
//
// Only client segments to redisPort are read, up to redisCmds commands
// each, their first redisWords words (RESP arrays of bulk strings, RESP
// spec "Sending commands to a Redis server", or inline commands).
const (
	redisPort   = 6379
	redisCmds   = 8 // commands read per segment (a pipeline's)
	redisWords  = 4 // words read per command: CONFIG SET dir VALUE
	redisInline = 512
)

// redisCommand reads the first command of b: its words (at most
// redisWords, each cut to what b holds) into w, their number, and the
// rest of b after the command (nil if it runs past b or is not one).
//
//go:noinline
func redisCommand(b []byte, w *[redisWords][]byte) (int, []byte) {
	if len(b) == 0 {
		return 0, nil
	}
	if b[0] != '*' {
		return redisInlineCmd(b, w)
	}
	n, b, ok := redisInt(b[1:])
	if !ok || n <= 0 {
		return 0, nil
	}
	var k int
	for i := 0; i < n; i++ {
		if len(b) == 0 || b[0] != '$' {
			return k, nil
		}
		l, r, ok := redisInt(b[1:])
		if !ok || l < 0 {
			return k, nil
		}
		if l > len(r) {
			l = len(r)
		}
		if k < redisWords {
			w[k] = r[:l]
			k++
		}
		if l+2 > len(r) {
			return k, nil
		}
		b = r[l+2:]
	}
	return k, b
}

// redisInt reads a decimal integer ended by CR LF, returning it and what
// follows.
func redisInt(b []byte) (int, []byte, bool) {
	var n int
	for i, c := range b {
		switch {
		case c >= '0' && c <= '9' && i < 9:
			n = n*10 + int(c-'0')
		case c == '\r' && i > 0 && i+1 < len(b) && b[i+1] == '\n':
			return n, b[i+2:], true
		default:
			return 0, nil, false
		}
	}
	return 0, nil, false
}

// redisInlineCmd reads an inline command (words separated by spaces,
// ended by LF) of printable ASCII.
func redisInlineCmd(b []byte, w *[redisWords][]byte) (int, []byte) {
	end := bytes.IndexByte(b[:min(len(b), redisInline)], '\n')
	if end < 0 {
		return 0, nil
	}
	line, rest := bytes.TrimRight(b[:end], "\r"), b[end+1:]
	var k, start int
	for i, c := range line {
		if c < ' ' && c != '\t' || c > '~' {
			return 0, nil
		}
		if c == ' ' || c == '\t' {
			if i > start && k < redisWords {
				w[k] = line[start:i]
				k++
			}
			start = i + 1
		}
	}
	if len(line) > start && k < redisWords {
		w[k] = line[start:]
		k++
	}
	return k, rest
}

// redisAbuse names what the command w (n words) from the client at cli
// does that takes a server over, "" if nothing.
func redisAbuse(w *[redisWords][]byte, n int, cli netip.Addr) string {
	switch {
	case n < 2:
	case n >= 3 && bytes.EqualFold(w[0], []byte("CONFIG")) && bytes.EqualFold(w[1], []byte("SET")) &&
		(bytes.EqualFold(w[2], []byte("dir")) || bytes.EqualFold(w[2], []byte("dbfilename"))):
		return "moved where it saves its database (CONFIG SET dir or dbfilename): SAVE then writes a file of the client's choice (an SSH key, a crontab, a web shell)"
	case bytes.EqualFold(w[0], []byte("MODULE")) && bytes.EqualFold(w[1], []byte("LOAD")):
		return "loaded a module (MODULE LOAD): native code run by the server"
	case n >= 3 && (bytes.EqualFold(w[0], []byte("SLAVEOF")) || bytes.EqualFold(w[0], []byte("REPLICAOF"))) && !bytes.EqualFold(w[1], []byte("NO")):
		if a, err := netip.ParseAddr(string(w[1])); err == nil && a.Unmap() == cli.Unmap() {
			return redisRogue
		}
	}
	return ""
}

// redisRogue is what a SLAVEOF naming the client itself does.
const redisRogue = "made it a replica of the client itself (SLAVEOF or REPLICAOF): a rogue master hands it a module to load"

// redisSegment reads a client's segment to a Redis server.
func (e *Engine) redisSegment(p *capture.Packet, src, dst mac) {
	b := p.TCP.Payload
	var w [redisWords][]byte
	for i := 0; i < redisCmds && len(b) > 0; i++ {
		n, rest := redisCommand(b, &w)
		if n > 0 && bytes.EqualFold(w[0], []byte("MULTI")) {
			return // a transaction: Sentinel's failover reconfiguration
		}
		if what := redisAbuse(&w, n, p.SrcIP()); what != "" {
			e.redisRaise(p, src, dst, what)
			return
		}
		b = rest
	}
}

// redisRaise raises lateral_movement High: the client of p (from the MAC
// culprit) took or tried to take the Redis server (MAC target) over.
func (e *Engine) redisRaise(p *capture.Packet, culprit, target mac, what string) {
	cli, srv := p.SrcIP(), p.DstIP()
	k := newQuietKey(inventory.EventLateralMovement, culprit, target, srv)
	if e.quieted(k, p.Time) {
		return
	}
	ev := inventory.Event{Time: p.Time, Type: inventory.EventLateralMovement, Severity: inventory.SeverityHigh, IP: cli, TargetIP: srv, MAC: macOf(culprit), TargetMAC: macOf(target),
		Summary: describe(culprit, cli) + " abused the Redis server " + srv.String() + ": it " + what, Evidence: []inventory.Evidence{{Source: "tcp", Detail: "Redis: " + what}}}
	e.reportKey(k, ev)
}
