package traffic

import "encoding/binary"

// A DNS forwarder (a branch router, a Pi-hole, a domain controller
// forwarding to a LAN server) sends its server every lookup its clients
// make from one socket: 700 to a few thousand queries a second at a busy
// site, small frames, one flow, the shape of a small-frame flood at a
// service (udpSmallRate), where a service's answers make no stream two-way
// (answered). What a forwarder's stream is, and a flood's is not, is DNS
// on the wire both ways: each datagram a query (QR 0, opcode QUERY, one
// question; RFC 1035 4.1.1) under a transaction ID of its own (RFC 5452
// 9.2: a resolver randomises it per query), and each answer a response to
// one of them: the same ID and question (RFC 1035 7.3: a resolver matches
// them so), QR 1, NOERROR or NXDOMAIN, soon after it. A flood tool's
// datagrams are garbage a server answers with FORMERR or not at all, or one
// query sent again and again (hping3 --file, mausezahn, nping --data: one
// ID, one question); a server answers a query it will not serve REFUSED;
// an echo is a query again (QR 0). So a target past the gate keeps each DNS
// query's key (dnsKey: its ID and question, mixed with its sender and flow
// as an echo's signature is, echoKey) in its echo ring next to the
// datagram's signature (noteEcho), and counts the queries whose key was
// not there already (floodState.dnsFresh), and the key of the question
// alone, counting the queries asking one not asked lately (dnsNewQ); an
// answer on the stream's reverse flow whose key is there, a response of
// the kinds above, going to the MAC the stream came from, is a reply,
// counted on the stream's own pair counter (udpPairCounter.replies). A
// stream at a service's port from udpSmallRate to udpOneWayRate is a
// forwarder's (resolved) where nine in ten of its datagrams are fresh
// queries and its target replied on the flow to half or more of those the
// stream sent on it in this window (flow by flow: a forwarder may send
// from a few sockets, and each flow of a flood is judged by its own),
// unless its questions are a random-subdomain flood's (waterTorture) or
// its queries were answered twice (dnsTwiceShare). A query flood of
// distinct well-formed names over many zones that the server answers
// NOERROR is the one flood this cannot tell from a forwarder: it is
// raised from udpOneWayRate on, as every one-way stream is.
//
// NTP is given no such pass: its clients poll once every 64 to 1,024 s
// (RFC 5905 7.3, minpoll and maxpoll), and a server's clients each have a
// flow of their own, so no benign NTP stream from one socket comes near
// udpSmallRate.

// dnsPort is DNS's port (RFC 1035 4.2.1).
const dnsPort = 53

// DNS header bits (RFC 1035 4.1.1): the second and third octets' QR,
// opcode and RCODE.
const (
	dnsQR       = 0x80 // octet 2: a response
	dnsOpcode   = 0x78 // octet 2: QUERY is 0
	dnsRcode    = 0x0f // octet 3
	dnsNXDomain = 3
	dnsHeader   = 12
)

// dnsKey is the key of a DNS message's transaction ID and its one
// question, and whether b is one (dnsKeys).
func dnsKey(b []byte, query bool) (uint64, bool) {
	k, _, ok := dnsKeys(b, query)
	return k, ok
}

// dnsKeys is the key of a DNS message's transaction ID and its one
// question (its name, lower-cased as ASCII, RFC 4343, and its type and
// class), the key of the question alone, and whether b is one: a query
// (query) or a response to one that a resolver takes (NOERROR or
// NXDOMAIN, RFC 1035 4.1.1, RFC 2308 2.1). Anything else (another opcode,
// a count of questions but one, a compressed or truncated name, FORMERR,
// SERVFAIL, REFUSED) has none. A query and the response to it have the
// same keys; no key is 0.
func dnsKeys(b []byte, query bool) (key, question uint64, ok bool) {
	if rc := dnsRcodeOf(b); !query && rc != 0 && rc != dnsNXDomain {
		return 0, 0, false
	}
	return dnsAnyKeys(b, query)
}

// dnsRcodeOf is a DNS message's RCODE, where it has a header.
func dnsRcodeOf(b []byte) byte {
	if len(b) < dnsHeader {
		return 0
	}
	return b[3] & dnsRcode
}

// dnsAnyKeys is dnsKeys for a response of any RCODE (one that fails or
// refuses still answers its query once: dnsAnswered).
func dnsAnyKeys(b []byte, query bool) (key, question uint64, ok bool) {
	if len(b) < dnsHeader+5 || b[4] != 0 || b[5] != 1 || b[2]&dnsOpcode != 0 || (b[2]&dnsQR == 0) != query {
		return 0, 0, false
	}
	i := dnsHeader
	for i < len(b) && b[i] != 0 {
		if b[i] > 63 {
			return 0, 0, false // a pointer (0xc0) or a reserved label type: no question as a query asks it
		}
		i += 1 + int(b[i])
	}
	end := i + 5 // the root label, QTYPE and QCLASS
	if end > len(b) {
		return 0, 0, false
	}
	question = lowerHash(b[dnsHeader:end])
	return mix64(question^uint64(binary.BigEndian.Uint16(b))*0xc4ceb9fe1a85ec53) | 1, question, true
}

// lowerHash is the key of q's bytes, lower-cased as ASCII (RFC 4343),
// read in words; never 0.
func lowerHash(q []byte) uint64 {
	h, n := uint64(0xd5)<<56, len(q)
	for ; len(q) >= 8; q = q[8:] {
		h = (h ^ (binary.LittleEndian.Uint64(q) | 0x2020202020202020)) * 0x9e3779b97f4a7c15
	}
	var w uint64
	for j, c := range q {
		w |= uint64(c|0x20) << (8 * j)
	}
	return mix64(h^w^uint64(n)) | 1
}

// dnsZone is the key of the zone a query's question is asked under, for a
// query dnsKeys took: the registered domain, its last two labels, or
// three where the top-level label is a country's (two bytes) and the
// second-level one has three bytes or less (co.uk, com.au: a registry's
// own second level). Only the labels the name's owner registered count: a
// flood that puts random labels at any depth under the victim's domain
// (x8f2k.y7h3z.example.com) asks under one zone. A reverse name under
// .arpa (RFC 3172: reverse lookups, RFC 1035 3.5) whose leftmost label is
// an address's (addressLabel) has none, nor has a blocklist's name
// (listedAddress, listedDomain), nor has the root: reverse names
// enumerate an address space, 256 under each parent by design (an address
// scanner's or a log server's PTR lookups), no sign of a flood's invented
// ones. A victim whose registered name is three bytes or less under a
// country code without a second level of its own (abc.de) is taken for a
// registry, and each of its subdomains for a zone: the Public Suffix List
// would tell, at a size tend does not embed for this.
func dnsZone(b []byte) (uint64, bool) {
	if b[dnsHeader] == 0 {
		return 0, false // the root
	}
	last, second, third := -1, -1, -1 // the last three labels' offsets
	j := dnsHeader
	for b[j] != 0 { // dnsKeys walked it: the root label is there
		third, second, last = second, last, j
		j += 1 + int(b[j])
	}
	if b[last] == 4 && b[last+1]|0x20 == 'a' && b[last+2]|0x20 == 'r' && b[last+3]|0x20 == 'p' && b[last+4]|0x20 == 'a' &&
		addressLabel(b[dnsHeader+1:dnsHeader+1+int(b[dnsHeader])]) || listedAddress(b) || listedDomain(b) {
		return 0, false
	}
	start := second
	switch {
	case second < 0:
		start = last
	case third >= 0 && b[last] == 2 && b[second] <= 3:
		start = third
	}
	return lowerHash(b[start : j+1]), true
}

// listedAddress reports whether the question's name opens with an address
// written as a reverse name writes it, four decimal octets or 32 hexadecimal
// nibbles, under a further zone: a DNS blocklist's query (RFC 5782 2.1 and
// 2.4: 2.0.0.127.zen.example), one per address a mail gateway checks, and
// answered NXDOMAIN where the address is not listed. Like a reverse name it
// counts toward neither zone share, so a gateway checking every connecting
// address is not a random-subdomain flood (a flood under address-shaped
// labels is then raised from udpOneWayRate only).
func listedAddress(b []byte) bool {
	n, letters := 0, false
	j := dnsHeader
	for b[j] != 0 && n <= 32 {
		l := b[j+1 : j+1+int(b[j])]
		if !addressLabel(l) {
			break
		}
		letters = letters || l[0] > '9'
		n++
		j += 1 + int(b[j])
	}
	return b[j] != 0 && (n == 4 && !letters || n == 32)
}

// listedDomain reports whether the question's name is a registered
// domain's under a further zone of two labels or more: a label, then a
// top-level one (topLabel: example.com, example.co.uk), then the list's
// zone. A domain blocklist (RFC 5782 2.3; Spamhaus DBL, URIBL, SURBL:
// example.com.dbl.example.org) is asked so, once per domain a mail
// gateway finds in a message, and answers NXDOMAIN where it is not
// listed; like listedAddress's names these count toward neither zone
// share. A flood under such names (x.com under the victim's domain) is
// then raised from udpOneWayRate only, as one under address-shaped labels
// is (and one five labels deep under such a word, x.shop.victim.co.uk);
// a list asked by a hash of what it lists (Spamhaus HBL) is not told
// from random labels.
func listedDomain(b []byte) bool {
	j, n := dnsHeader, 0
	var second []byte
	for ; b[j] != 0 && n < 5; n++ {
		if n == 1 {
			second = b[j+1 : j+1+int(b[j])]
		}
		j += 1 + int(b[j])
	}
	// a label, a top-level one and a zone of two labels at least; one of
	// the newer generic top-level labels spam most uses (newTopLabel) under
	// a zone of three at least, as the lists' zones are a list's label
	// under its provider's domain (dbl.spamhaus.org, multi.uribl.com)
	return n >= 4 && topLabel(second) || n == 5 && newTopLabel(second)
}

// newTopLabel reports whether l is one of the newer generic top-level
// domains whose names spam links use most (Spamhaus's most abused TLDs:
// a spam wave's fresh domains share one, each asked of a domain list).
func newTopLabel(l []byte) bool {
	var w [6]byte
	if len(l) < 3 || len(l) > len(w) {
		return false
	}
	for i, c := range l {
		w[i] = c | 0x20
	}
	switch string(w[:len(l)]) {
	case "top", "xyz", "shop", "online", "site", "icu", "club", "cfd", "sbs", "bond", "buzz", "cyou", "live", "store", "click", "link", "fun", "space", "tech":
		return true
	}
	return false
}

// topLabel reports whether l reads as a top-level domain's label: a
// country's (two letters, ISO 3166-1; co.uk's co too) or one of the
// oldest and most asked generic ones (RFC 1591).
func topLabel(l []byte) bool {
	if len(l) < 2 || len(l) > 4 {
		return false
	}
	var w [4]byte
	for i, c := range l {
		if w[i] = c | 0x20; w[i] < 'a' || w[i] > 'z' {
			return false
		}
	}
	switch string(w[:len(l)]) {
	case "com", "net", "org", "info", "biz", "edu", "gov":
		return true
	}
	return len(l) == 2
}

// addressLabel reports whether l is a reverse name's leftmost label as
// an address gives it: a decimal octet, 0 to 255 (RFC 1035 3.5), or one
// hexadecimal nibble (RFC 3596 2.5). A random label under .arpa is no
// address's: a flood may ask under a reverse zone too.
func addressLabel(l []byte) bool {
	if len(l) == 1 {
		c := l[0] | 0x20
		return c >= '0' && c <= '9' || c >= 'a' && c <= 'f'
	}
	v := 0
	for _, c := range l {
		if c < '0' || c > '9' {
			return false
		}
		v = v*10 + int(c-'0')
	}
	return len(l) <= 3 && v <= 255
}

// resolved reports whether f, at a service's port from udpSmallRate to
// udpOneWayRate, is a DNS forwarder's stream (see dnsKey): nine in ten of
// the datagrams it saw itself, less its resends (asked), are fresh queries and half or more ask a
// question not asked lately (a forwarder sends its server its cache's
// misses; a tool asking one name, or a few in turn, under a new ID each
// time asks none: dnsNewQ), and its target replied on a flow (own: the
// stream's count on it this window, replies counted beside the datagrams
// they answer, so a collision that restarts one restarts both) to half or
// more of the datagrams the stream sent on it.
func resolved(f *floodState, own udpBack) bool {
	seen := asked(f)
	return f.dnsFresh*10 >= seen*9 && f.dnsNewQ*2 >= seen && own.replies > 0 && own.replies*2 >= own.n &&
		own.twice*dnsTwiceShare < own.replies && !waterTorture(f, own, seen)
}

// A server answers each query once (RFC 1035 7.3: a resolver matches a
// response to the query it sent, and takes the first). A flooder that
// forges "replies" to its own queries from the server's address and MAC,
// to pass as a forwarder (resolved), is answered by the server as well,
// NOERROR or REFUSED or NXDOMAIN: each query then gets two responses. So
// the first response of any RCODE to a query in the echo ring marks it
// answered (dnsAnswered), and a second is counted (udpPairCounter.twice),
// not as a reply; a stream whose queries were answered twice once for
// dnsTwiceShare replies or more is no forwarder's. A forwarder that sends
// a query again under its ID after a loss may get two answers, a few in a
// hundred at worst. Where the server answers nothing (down, or dropping
// under the flood) the forged replies are the only ones, and nothing on a
// mirror port tells them from the server's: their addresses, TTL and IP
// ID are the forger's to copy, and the switch port they came in on is not
// in the capture.
const dnsTwiceShare = 10

// dnsAnswered is a query key's salt in an echo ring once a response
// answered it (dnsTwiceShare).
const dnsAnswered = 0x7c159e3779b97f4a

// A resolver that hears no response to a query within its timeout (a few
// hundred milliseconds to a second: BIND, Unbound, Windows; glibc's stub
// waits 5 s) sends it again (RFC 1035 4.2.1, RFC 1536 1): the same ID and
// question, from the same socket, and the server answers each sending.
// A query sent again on its flow is a retry, not a repeat: a forwarder
// resending one in eight was no longer nine in ten fresh queries, a
// random-subdomain flood doing so was no longer a flood's (its names
// never repeated but for the retries), and the server's response to the
// retry, a second response to the query, was no first one: a forwarder
// resending more than one query in nine had its server's responses
// raised as its flood (lookedUp). So a query whose key is in the ring
// once more is a retry the first time (its key salted with dnsResent goes
// into the ring; a tool sending one query again and again repeats it, no
// retry), counted apart (floodState.dnsRetry, dnsSender.retry) and left
// out of the shares (asked); and a second response to a query sent again
// is the first to its second sending (dnsAnsweredAgain): an answer, not
// one of dnsTwiceShare's (a forger's reply beside the server's to each
// sending is a third response). A retry from a port of its own is a new
// query on a new flow, fresh, and answered on that flow first; so is a
// retry whose query's key left the ring before it, and the mark of its
// first sending's answer, where it outlived the key, is taken out (at a
// forwarder's 4,500 datagrams a second, one query in two resent 300 ms
// later, a third of the resends' answers read as second ones so).
//
// A server answers each sending of a query alike (dnsAnswerRcode).
//
// A resolver that hears nothing again sends the query a third time
// (BIND and Unbound back off and retry more than once; a forwarder at
// 0, +300 and +600 ms): the third sending was a repeat, and a forwarder
// sending one query in four three times raised its server, or itself from
// a port per query. So a query's first two resends are its retries (its
// key salted with dnsResent, then dnsResentTwice), their responses the
// first to them (dnsAnsweredAgain, dnsAnsweredThrice), and only a fourth
// sending and later ones repeat it: a tool sending one query over and over
// still does.
const (
	dnsResent         = 0x3c6ef372fe94f82b
	dnsAnsweredAgain  = 0x1f83d9abfb41bd6b
	dnsResentTwice    = 0x5be0cd19137e2179
	dnsAnsweredThrice = 0x6a09e667bb67ae85
)

// A flooder that sent each query twice, a millisecond apart, and forged a
// NOERROR reply to it before the server's NXDOMAIN had the server's reply
// taken for the first response to its resend: no reply read as a second
// one (dnsTwiceShare) and half the answers read NOERROR (waterTorture,
// senderTorture). A server answers a query sent again as it answered it
// the first time (the same name, the same data), so a second response is
// the first to a resend only where its RCODE is the first response's: the
// answer mark (dnsAnswered) keeps the first response's RCODE in its low
// four bits (a mark of its own per RCODE, a fifth key per query, pushed a
// lagging forwarder's queries out of the ring). dnsAnswerRcode names it.
const dnsAnswerRcode = dnsRcode

// asked is how many of the datagrams f saw itself were no retries
// (dnsResent).
func asked(f *floodState) uint64 {
	seen := f.pkts - f.gated
	return seen - min(seen, f.dnsRetry)
}

// A random-subdomain flood ("water torture": x8f2k.example.com,
// q91az.example.com, ...) asks fresh, well-formed questions its target
// answers, as a forwarder's stream does, but two things a forwarder's
// stream is not. Its questions are under one zone or a few, the victim's
// (a forwarder's cache misses are spread over the many zones its clients
// use: each a few names, popular ones back when their records expire);
// and they are names nobody registered, so the server's answers are
// NXDOMAIN, or SERVFAIL once the zone's servers give up, or none (a
// forwarder's lookups are mostly of names that exist: NOERROR). So a
// stream where fewer than one query in dnsZoneSpread asks under a zone
// not asked lately by its sender (dnsNewZone; reverse lookups of
// addresses and blocklist lookups, dnsZone, are left out of both counts:
// dnsReverse; a stream most of whose queries are those is none: their count
// and the stream's need not start in the same datagram) and fewer
// than a quarter of the datagrams on its flow were answered NOERROR
// (udpPairCounter.noerror; a flood's are almost none) is no forwarder's. Either
// alone is: an antivirus' or a DNSBL's lookups under one zone are
// answered, and a forwarder's clients may ask for names that do not
// exist (search-list suffixes, typos), in many zones.
const dnsZoneSpread = 10

// waterTorture reports whether f's DNS queries, seen of them, are a
// random-subdomain flood's, its target's replies on a flow own (see
// dnsZoneSpread).
func waterTorture(f *floodState, own udpBack, seen uint64) bool {
	named := seen - min(seen, f.dnsReverse)
	return named*2 > seen && f.dnsNewZone*dnsZoneSpread < named && own.noerror*4 < own.n
}

// A resolver's client, and a forwarder above all, asks each question from
// a source port of its own (RFC 5452 9.2: BIND, Unbound, dnsmasq and
// glibc's stub pick one at random per query), so a busy one's lookups are
// a fan-in of flows at its server (udpFlooding), and the server's
// responses, all from port 53, are one flow by their source (floodKind)
// toward it, each on a flow its target used once, before it: no answer
// comes back on their reverse flows after them. At 700 lookups a second
// the server was raised as flooding the forwarder that asked. A response
// is the server's answer to its target where it carries the ID and the
// question of a query the target sent it lately on the same flow, from the
// MAC the query came from (answerKinds: the first response of any RCODE);
// a flooder on the LAN forging queries from its victim's address sends
// them from its own MAC, and the responses, going to the victim's, answer
// none of them (a reflection through the server, raised). So a stream of
// which nine in ten datagrams its state saw are such responses is the
// target's lookups answered, no flood by the server: the lookups are judged
// as the target's own stream toward the server.

// lookedUp reports whether nine in ten of the UDP datagrams f saw toward
// its target are the first responses to DNS queries the target sent (to
// each sending: a retry's response is one, dnsResent).
func lookedUp(f *floodState) bool {
	return f.dnsAnswers*10 >= (f.pkts-f.gated)*9
}
