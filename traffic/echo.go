package traffic

import "tend/capture"

// An echo responder (RFC 862, or one of the kind on any port) sends each
// datagram back as it came, but not at once: under a flood its socket's
// queue holds thousands (the staged hping3 recording's echoes came a
// median 1,912 datagrams behind their originals). A flood whose payload
// varies (a counter, random bytes) is then never answered by its latest
// datagram, and compared with the latest alone its echoes read as the
// target's own traffic: two-way. So a target past the gate keeps the
// signatures (udpSig) of the datagrams that came to it lately, each mixed
// with its sender's address and its flow (echoKey), in an echoRing: a
// set-associative table of udpEchoSets sets of udpEchoWays, the oldest of
// a set giving way (the 8,192 slots keep a datagram 4,096 behind with
// probability 0.86, 2,000 behind 0.98). An answer whose signature is there
// is an echo. udpEchoRings targets hold a ring at most (74 KB each with
// its zone table and senders, 4.7 MB in all), rings freed (the target gone,
// or raised without DNS queries: keepEcho) are reused, and a
// target with more datagrams takes the ring of the one with the fewest
// (takeEcho). Each ring has a zone table of its own beside it (zoneTable):
// the zones a target's senders asked under lately, which the ring's
// datagrams never evict.
const (
	udpEchoSetBits = 11
	udpEchoSets    = 1 << udpEchoSetBits
	udpEchoWays    = 4
	udpEchoRings   = 64
)

// echoRing is the recent datagrams' signatures toward one target, the
// zones its senders asked under lately (noteZone), and its busiest DNS
// senders' counts (dnsSender).
type echoRing struct {
	_       [0]func() // not comparable: no equality function linked
	keys    [udpEchoSets][udpEchoWays]uint64
	zones   zoneTable
	senders [dnsSenders]dnsSender // dnssender.go
}

func (r *echoRing) add(s uint64) {
	b := &r.keys[s>>(64-udpEchoSetBits)]
	if b[0] != s {
		b[3], b[2], b[1], b[0] = b[2], b[1], b[0], s
	}
}

// mark is the low bits of the key in r that is a with them cleared (an
// answer mark: dnsAnswered, its RCODE kept in them), where one is there.
func (r *echoRing) mark(a uint64) (rc byte, ok bool) {
	for _, k := range r.keys[a>>(64-udpEchoSetBits)] {
		if k&^dnsAnswerRcode == a {
			return byte(k & dnsAnswerRcode), true
		}
	}
	return 0, false
}

// dropMark takes the answer mark a (mark) out of r, where it is there.
func (r *echoRing) dropMark(a uint64) {
	b := &r.keys[a>>(64-udpEchoSetBits)]
	for i := range b {
		if b[i]&^dnsAnswerRcode == a {
			b[i] = 0
		}
	}
}

func (r *echoRing) has(s uint64) bool {
	b := &r.keys[s>>(64-udpEchoSetBits)]
	return b[0] == s || b[1] == s || b[2] == s || b[3] == s
}

// A forwarder's stream puts four or five keys into its target's ring for
// each query (the datagram's, the query's, the question's, the answer's;
// a zone's where it is new), and its zones were pushed out by them: the
// ring holds about 1,800 queries' keys, half a second at 4,000 a second,
// and at a lag of 1,300 queries behind their replies the zones' own keys
// (a fifth of the ring's) pushed out the query keys the replies are
// matched to (resolved: 2,180 of 5,000 replies matched). So zones are
// kept in a table of their own, zoneSets sets of udpEchoWays, the least
// recently asked of a set giving way: only zones not asked lately push a
// zone out, never queries, and a zone asked again goes to the front of
// its set. 1,024 zones per target hold a flood's few and a forwarder's
// popular ones; a forwarder's long tail (its clients' thousands of
// domains) turns over and reads as new: more spread, never less
// (waterTorture).
const (
	zoneSetBits = 8
	zoneSets    = 1 << zoneSetBits
)

// zoneTable is the keys of the zones a target's senders asked under
// lately (noteZone).
type zoneTable [zoneSets][udpEchoWays]uint64

// note reports whether the zone key z was in t, and puts it at the front
// of its set.
func (t *zoneTable) note(z uint64) bool {
	b := &t[z>>(64-zoneSetBits)]
	switch z {
	case b[0]:
		return true
	case b[1]:
		b[1], b[0] = b[0], z
		return true
	case b[2]:
		b[2], b[1], b[0] = b[1], b[0], z
		return true
	}
	was := b[3] == z
	b[3], b[2], b[1], b[0] = b[2], b[1], b[0], z
	return was
}

// echoKey is the signature sig of a datagram from the address whose
// floodKey words are from on the flow ports (udpPorts), as an echoRing
// keeps it: an answer is the echo of its own stream's datagrams alone.
func echoKey(sig uint64, from floodKey, ports uint32) uint64 {
	return sig ^ (from.lo^from.hi*31^uint64(ports)*0xc4ceb9fe1a85ec53)*0x9e3779b97f4a7c15
}

// noteEcho keeps the UDP datagram p's signature sig in the echo ring of f, its
// target's state, taking a ring if f has none and one is to be had
// (takeEcho) at now; where p is a DNS query (from the MAC src), it is
// counted toward f's and its sender's (dnsSender) counts, and f.sender is
// its sender's slot.
func (e *Engine) noteEcho(f *floodState, p *capture.Packet, src mac, sig uint64, now int64) {
	f.sender = nil
	if f.echo == nil {
		if f.pkts < f.echoNext {
			return
		}
		if !e.takeEcho(f) {
			f.echoNext = f.pkts + udpEchoRetry
			return
		}
		f.ringFrom, f.ringWin = f.pkts-1, now/int64(floodWindow) // the datagrams before this one it never saw (unechoed)
	}
	from, ports := udpFromKey(p.SrcIP()), udpPorts(p.UDP.SrcPort, p.UDP.DstPort)
	f.echo.add(echoKey(sig, from, ports))
	if p.UDP.DstPort == dnsPort {
		if q, question, ok := dnsKeys(p.UDP.Payload, true); ok {
			f.dnsQueries++
			e.noteQuery(f, p, src, q, question, from, ports, now)
		}
	} else if p.UDP.SrcPort == dnsPort {
		_, _, ok := dnsKeys(p.UDP.Payload, false)
		f.dnsReplies += uint64(b2u(ok))
	}
}

// noteQuery counts the DNS query p (keys q and question, dnsKeys) from the
// address whose floodKey words are from, in frames from src, on the flow
// ports, toward f's target: fresh where its key was not in f's ring, a
// retry where it was and the query was not resent lately (dnsResent),
// and where it is not a retry, a new question where that was not in the
// ring, and its zone (noteZone); in f's counts and its sender's.
func (e *Engine) noteQuery(f *floodState, p *capture.Packet, src mac, q, question uint64, from floodKey, ports uint32, now int64) {
	r, k := f.echo, echoKey(q, from, ports)
	fresh, retry := !r.has(k), false
	if fresh {
		r.dropMark(echoKey(q^dnsAnswered, from, ports) &^ dnsAnswerRcode) // its last sending's answer, outliving it in the ring: this one is unanswered
	} else {
		retry = r.resent(q, from, ports)
	}
	r.add(k)
	f.dnsFresh += uint64(b2u(fresh)) // a query not sent lately (dnsreply.go)
	f.dnsRetry += uint64(b2u(retry))
	var reverse, newZone bool
	sk := e.senderKey(from, macKey(src))
	if !retry {
		if k = echoKey(question^dnsQuestionSalt, from, ports); !r.has(k) {
			f.dnsNewQ++ // a question not asked lately
		}
		r.add(k)
		reverse, newZone = noteZone(f, p.UDP.Payload, sk)
	}
	s := r.sender(sk, macKey(src), now/int64(floodWindow), true)
	s.note(p.SrcIP(), src, now, fresh, retry, reverse, newZone)
	f.sender = s
}

// dnsQuestionSalt keeps a question's key in an echo ring apart from the
// keys of datagrams and of queries (dnsKeys), dnsZoneSalt a zone's.
const (
	dnsQuestionSalt = 0x51ed27f4a3c8b961
	dnsZoneSalt     = 0x2b7e151628aed2a7
)

// noteZone counts the query b (dnsKeys took it) toward f's dnsNewZone
// where the zone it asks under (dnsZone) was not asked under lately by
// its sender (from: senderKey's words), on any of its flows (a forwarder's
// sockets share its clients' zones) and, a LAN host, from any of its
// addresses, and keeps the zone's key in f's ring's zone table; or
// toward dnsReverse where it asks under none. It reports which.
func noteZone(f *floodState, b []byte, from floodKey) (reverse, newZone bool) {
	z, ok := dnsZone(b)
	if !ok {
		f.dnsReverse++ // reverse lookups of addresses: neither (dnsZone)
		return true, false
	}
	if !f.echo.zones.note(echoKey(z^dnsZoneSalt, from, 0)) {
		f.dnsNewZone++
		return false, true
	}
	return false, false
}

// udpEchoRetry is how many datagrams a target without a ring waits before
// it asks again (takeEcho looks at every ring's holder).
const udpEchoRetry = 256

// takeEcho gives f an echo ring: a free one, or else the one of the
// holder with the fewest datagrams where f has more. Decoys toward
// udpEchoRings addresses past the gate, each below a flood's count, hold
// the rings for no longer than a flood needs to outnumber them.
func (e *Engine) takeEcho(f *floodState) bool {
	slot := 0
	for i, o := range e.echoOwner {
		if o == nil {
			slot = i
			break
		}
		if o.pkts < e.echoOwner[slot].pkts {
			slot = i
		}
	}
	if o := e.echoOwner[slot]; o != nil {
		if o.pkts >= f.pkts {
			return false
		}
		o.echo = nil
	}
	if r := e.echoRing[slot]; r == nil {
		e.echoRing[slot] = new(echoRing)
	} else {
		*r = echoRing{}
	}
	e.echoOwner[slot], f.echo, f.echoSlot = f, e.echoRing[slot], slot
	return true
}

// A DNS server raised as flooded (by one sender among its clients:
// senderTorture, or by all of them) goes on answering its other clients,
// a forwarder's thousands of lookups a second among them, and its answers
// are told from a flood of its own by the queries in its ring (lookedUp).
// Its ring given back when it was raised, the answers after it answered
// nothing, and the server was raised as flooding the forwarder, and the
// flooder, a few seconds later. So a target raised after DNS queries came
// to it keeps its ring until its state goes, and the queries it takes go
// on into it (noteEcho): one ring of udpEchoRings, for a flood's length.

// keepEcho reports whether f, raised, keeps its echo ring: DNS queries
// came to its target (see above).
func keepEcho(f *floodState) bool { return f.dnsFresh > 0 }

// dropEcho gives f's echo ring back (noteEcho).
func (e *Engine) dropEcho(f *floodState) {
	if f.echo != nil {
		e.echoOwner[f.echoSlot], f.echo = nil, nil
	}
}

// ringOf is the echo ring of the target whose floodKey (kind fUDP) is k,
// where it is past the gate in window and holds one (noteEcho), else nil.
func (e *Engine) ringOf(k floodKey, window int64) *echoRing {
	if g := e.gateSlot(k); g.window != window || g.n < floodMin[fUDP]/4 {
		return nil
	}
	if o := e.floodsTo[k]; o != nil {
		return o.echo
	}
	return nil
}

// answerKinds reports whether a datagram from target (its floodKey, kind
// fUDP) to the address whose
// floodKey is to, in a frame to toMAC (macKey), on the flow ports (udpPorts, the stream's own: the
// answer's reversed), with the signature sig and the payload b, echoes
// one of the stream's recent datagrams (last: its latest; else the ring
// of target's recent ones, noteEcho), whether it is a DNS reply to one of
// the stream's recent queries (dnsKey: from dnsPort, its key in the
// ring; its query not answered before, or sent again and answered once,
// else twice: dnsTwiceShare), of them a NOERROR one, whether it is the
// first response of any RCODE to one of them (answer: counted toward to's
// dnsSender), and whether the ring judged it (target held one:
// unechoed).
func (e *Engine) answerKinds(target, to floodKey, toMAC uint64, ports uint32, sig uint64, last bool, fromPort uint16, b []byte, window int64) (k answerKind) {
	r := e.ringOf(target, window)
	if r == nil {
		return answerKind{echo: last}
	}
	k.echo, k.judged = last || r.has(echoKey(sig, to, ports)), true
	if fromPort == dnsPort && !k.echo {
		if q, _, ok := dnsAnyKeys(b, false); ok && r.has(echoKey(q, to, ports)) {
			if k.twice = !r.firstAnswer(q, to, ports, b[3]&dnsRcode); !k.twice {
				k.answer = true
				rc := b[3] & dnsRcode
				k.reply = rc == 0 || rc == dnsNXDomain
				k.noerror = rc == 0 // the name exists (waterTorture)
				if s := r.sender(e.senderKey(to, toMAC), toMAC, window, false); s != nil {
					s.answers++
					s.noerror += b2u(k.noerror)
				}
			}
		}
	}
	return k
}

// firstAnswer reports whether a response to the query whose key is q
// (dnsKeys), sent from the address whose floodKey words are to on the
// flow ports, is the first to one of its sendings (dnsResent: a query
// sent three times is answered three times, with the same RCODE:
// dnsAnswerRcode), and
// marks it answered so.
func (r *echoRing) firstAnswer(q uint64, to floodKey, ports uint32, rc byte) bool {
	a := echoKey(q^dnsAnswered, to, ports) &^ dnsAnswerRcode
	first, ok := r.mark(a)
	if !ok {
		r.add(a | uint64(rc))
		return true
	}
	if first != rc {
		return false
	}
	for _, again := range [2][2]uint64{{dnsAnsweredAgain, dnsResent}, {dnsAnsweredThrice, dnsResentTwice}} {
		if a = echoKey(q^again[0], to, ports); !r.has(a) {
			if !r.has(echoKey(q^again[1], to, ports)) {
				return false // not sent again as often as answered
			}
			r.add(a)
			return true
		}
	}
	return false
}

// resent reports whether a query whose key q (dnsKeys) is in r, sent again
// from the address whose floodKey words are from on the flow ports, is
// one of its retries (dnsResentTwice: the first two sendings again), and marks it
// resent so.
func (r *echoRing) resent(q uint64, from floodKey, ports uint32) bool {
	for _, salt := range [2]uint64{dnsResent, dnsResentTwice} {
		if k := echoKey(q^salt, from, ports); !r.has(k) {
			r.add(k)
			return true
		}
	}
	return false
}

// answerKind is what answerKinds found an answer to be: answer is a
// query's first response of any RCODE (lookedUp).
type answerKind struct{ echo, answer, reply, noerror, twice, judged bool }

// unechoed is how many of the answers back on f's reverse flow in now's
// flood window are no echoes. The ring begins with f (at the gate, a
// quarter of a flood's count): the answers that came before it, and those
// echoing the datagrams before it, are not told from answers, and an echo
// of a varying payload read as two-way through its first window (a
// thousand unjudged echoes are once in a hundred of the window's
// datagrams). So where half or more of the answers the ring judged are
// echoes, the answers are those it judged no echo, less as many as the
// datagrams it never saw in this window (ringFrom): what answers a stream
// in kind answers none of it, however early. Two-way traffic (a tunnel,
// QUIC, RTP, a transfer's reports: bytes of its own each way) has no
// echoes and keeps every answer.
func unechoed(now int64, f *floodState, back udpBack) uint64 {
	if back.ringed == 0 || back.ringEcho*2 < back.ringed {
		return back.n - back.echo
	}
	n := back.ringed - back.ringEcho
	if f.ringWin == now/int64(floodWindow) {
		n -= min(n, f.ringFrom)
	}
	return n
}
