package traffic

import (
	"bytes"
	"math/bits"
	"time"

	"tend/capture"
	"tend/inventory"
)

// An IoT botnet's spread (review 40 mirai_telnet): Mirai and its
// descendants sweep telnet (23, and 2323 one time in ten) with SYNs whose
// sequence number is the target's IPv4 address (Mirai's scanner.c,
// iph->daddr as tcph->seq, kept by its forks), try a few default pairs
// one connection each (too few for brute_force's count), and once the
// device shows a shell prompt type "enable", "system", "shell", "sh" and
// "/bin/busybox WORD", whose "WORD: applet not found" tells the bot it has
// a BusyBox shell to load itself into. So:
//   - a sweep whose SYNs to a named service carry their target's address
//     as sequence number (seqDst, counted by noteSvcProbe per source and
//     service, tcpProbe's seqDst) names its source an infected device;
//   - a client that swept telnet (telnetBotHosts hosts within bruteWindow)
//     and, after the server's shell prompt, typed one of the bot's
//     commands has logged in to that device: brute_force Critical, "login
//     succeeded", culprit the client, target the device. brute_force's
//     advice (find the host, stop it, change the password the login used)
//     is what the MSP does; lateral_movement's speaks of SMB services.
//
// An administrator's telnet to a switch or a BusyBox device (show, ls,
// enable) sweeps nothing: quiet. Only telnet ports' payloads of at most
// telnetBotLen bytes are read (typed lines, prompts); nothing else pays.
const (
	telnetBotSlots = 8   // connections whose server showed a prompt to a sweeper
	telnetBotHosts = 8   // telnet hosts a client probed to count as a sweeper
	telnetBotLen   = 256 // longer segments are no typed line nor prompt
	seqDstMin      = 4   // SYNs carrying their target's address (a chance ISN: 1 in 2^32 each)
)

// telnetPrompt is a telnet connection whose server showed a shell prompt
// to a client that swept telnet.
type telnetPrompt struct {
	_        [0]func() // not comparable: no equality function linked
	cli, srv mac
	cport    uint16
	angle    bool // the prompt ends in '>': a switch's user mode, where an admin types enable
	at       int64
}

func telnetPort(p uint16) bool { return p == 23 || p == 2323 }

// telnetBot reads a telnet segment (sp or dp a telnet port, payload b).
func (e *Engine) telnetBot(p *capture.Packet, src, dst mac, sp, dp uint16) {
	b := p.TCP.Payload
	if len(b) == 0 || len(b) > telnetBotLen {
		return
	}
	now := e.nanosOf(p.Time)
	if telnetPort(sp) {
		if c := telnetPromptChar(b); c != 0 && e.telnetSweeper(dst, now) {
			slot := &e.telnetPrompts[0]
			for i := range e.telnetPrompts {
				t := &e.telnetPrompts[i]
				if t.cli == dst && t.srv == src && t.cport == dp {
					slot = t
					break
				}
				if t.at < slot.at {
					slot = t
				}
			}
			if slot.at != 0 && time.Duration(now-slot.at) < bruteWindow && (slot.cli != dst || slot.srv != src) {
				e.counters.TrackersDropped++
			}
			*slot = telnetPrompt{cli: dst, srv: src, cport: dp, angle: c == '>', at: now}
		}
		return
	}
	cmd := botCommand(b)
	if cmd == nil {
		return
	}
	for i := range e.telnetPrompts {
		if t := &e.telnetPrompts[i]; t.cli == src && t.srv == dst && t.cport == sp && t.at != 0 && time.Duration(now-t.at) < bruteWindow && (!t.angle || cmd[0] == '/') {
			cliIP, srvIP := p.SrcIP(), p.DstIP()
			e.reportKey(quietKey{inventory.EventBruteForce, src, dst, "telnet bot"}, inventory.Event{
				Time: p.Time, Type: inventory.EventBruteForce, Severity: inventory.SeverityCritical,
				MAC: macOf(src), IP: cliIP, TargetMAC: macOf(dst), TargetIP: srvIP,
				Summary:  describe(src, cliIP) + " swept telnet and logged in to " + describe(dst, srvIP) + ": login succeeded, device taken over",
				Evidence: []inventory.Evidence{{Source: "traffic", Detail: "typed \"" + string(cmd) + "\" at its prompt, as Mirai checks"}},
			})
			return
		}
	}
}

// telnetSweeper reports whether src probed telnet on telnetBotHosts hosts
// within bruteWindow before now (sweepsvc.go's counts).
func (e *Engine) telnetSweeper(src mac, now int64) bool {
	n := 0
	for i := range e.svcProbes {
		if p := &e.svcProbes[i]; p.src == src && p.at != 0 && telnetPort(sweepServices[p.svc].port) && time.Duration(now-p.at) <= bruteWindow {
			for _, w := range p.hosts {
				n += bits.OnesCount64(w)
			}
		}
	}
	return n >= telnetBotHosts
}

// telnetPromptChar returns the prompt character a server's segment ends in
// ("# ", "$ ", "> "), 0 for anything else (a login's "Password:", "Login
// incorrect").
func telnetPromptChar(b []byte) byte {
	if i := bytes.LastIndexByte(b, 0x1b); i >= 0 && len(b)-i <= 8 {
		b = b[:i] // BusyBox ash's cursor query after its prompt ("# \x1b[6n")
	}
	b = bytes.TrimRight(b, " \r\n\x00")
	if len(b) == 0 || containsFold(b, "incorrect") {
		return 0
	}
	if c := b[len(b)-1]; c == '#' || c == '$' || c == '>' {
		return c
	}
	return 0
}

// botCommand returns the first line of a client's segment when it is one
// of the commands an IoT bot types after its login, nil otherwise.
func botCommand(b []byte) []byte {
	if i := bytes.IndexAny(b, "\r\n"); i >= 0 {
		b = b[:i]
	}
	switch string(b) {
	case "enable", "system", "shell", "sh":
		return b
	}
	if w, ok := bytes.CutPrefix(b, []byte("/bin/busybox ")); ok && len(w) > 0 && bytes.IndexByte(w, ' ') < 0 {
		return b
	}
	return nil
}
