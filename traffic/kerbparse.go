package traffic

import "bytes"

// A small bounded reader of the Kerberos messages a KDC exchanges in clear
// (RFC 4120 5: ASN.1 DER): the request's kind, its client name (AS-REQ) or
// service name (TGS-REQ) told apart by a hash, whether an AS-REQ carries a
// pre-authentication, whether the request asks for RC4 alone, and a
// KRB-ERROR's error-code. Nothing else is read; no name is kept.

// Kerberos message types (RFC 4120 5.10): the [APPLICATION n] tags.
const (
	krbASReq   = 10
	krbASRep   = 11
	krbTGSReq  = 12
	krbTGSRep  = 13
	krbError   = 30
	krbPort    = 88
	krbEtypeRC = 23 // rc4-hmac (RFC 4757); 24 is its export variant
)

// krbMsg is what parseKerberos reads of one message.
type krbMsg struct {
	kind    byte   // krbASReq ... krbError
	code    int32  // a KRB-ERROR's error-code
	name    uint64 // AS-REQ: the client's name, TGS-REQ: the service's (fnv64 of its components), 0: absent
	preauth bool   // an AS-REQ carries a pre-authentication (PA-ENC-TIMESTAMP, PKINIT, FAST, encrypted challenge)
	rc4Only bool   // a request's etype list holds RC4 and nothing stronger
	// rc4First: the etype list starts with RC4 (a roasting tool's order:
	// impacket getST asks 23, 16, 3, 18); aesFirst: with AES (Windows
	// since Vista asks 18, 17, 23; MIT and Heimdal AES first too).
	rc4First, aesFirst bool
	sname              []byte // a TGS-REQ's sname PrincipalName, in the payload (krbNameText)
}

// derElem reads one BER element at the start of b: its tag (one byte; the
// high-tag-number form is refused), its contents and what follows it.
// Definite lengths of up to four bytes; a constructed element (tag bit
// 0x20) longer than b is cut to what is present (a TCP segment holding a
// message's start), a primitive one is refused.
func derElem(b []byte) (tag byte, body, rest []byte, ok bool) {
	if len(b) < 2 || b[0]&0x1f == 0x1f {
		return 0, nil, nil, false
	}
	tag = b[0]
	n, off := int(b[1]), 2
	if n&0x80 != 0 {
		k := n & 0x7f
		if k == 0 || k > 4 || len(b) < 2+k {
			return 0, nil, nil, false
		}
		n = 0
		for _, x := range b[2 : 2+k] {
			n = n<<8 | int(x)
		}
		off += k
	}
	b = b[off:]
	if n < 0 || n > len(b) { // n < 0: four length bytes overflowing a 32-bit int
		if tag&0x20 == 0 {
			return 0, nil, nil, false
		}
		n = len(b)
	}
	return tag, b[:n], b[n:], true
}

// derField returns the contents of the first element tagged tag among the
// elements of b (a SEQUENCE's contents), looking at 16 at most.
func derField(b []byte, tag byte) ([]byte, bool) {
	for i := 0; i < 16 && len(b) > 0; i++ {
		t, body, rest, ok := derElem(b)
		if !ok {
			return nil, false
		}
		if t == tag {
			return body, true
		}
		b = rest
	}
	return nil, false
}

// derInt reads the INTEGER at the start of b (an explicitly tagged
// field's contents) as an int32; longer ones are refused.
func derInt(b []byte) (int32, bool) {
	t, v, _, ok := derElem(b)
	if !ok || t != 0x02 || len(v) == 0 || len(v) > 4 {
		return 0, false
	}
	n := int32(int8(v[0]))
	for _, x := range v[1:] {
		n = n<<8 | int32(x)
	}
	return n, true
}

// krbPayload returns the Kerberos message in a datagram's or a segment's
// payload: over TCP after the 4-byte record length (RFC 4120 7.2.2). Only
// a payload starting a message is read.
func krbPayload(b []byte, tcp bool) []byte {
	if tcp {
		if len(b) < 6 || b[0]&0x80 != 0 {
			return nil
		}
		b = b[4:]
	}
	return b
}

// parseKerberos reads one message; ok is false for anything that is not
// one of the five kinds or is cut before the fields read.
func parseKerberos(b []byte) (m krbMsg, ok bool) {
	t, body, _, ok := derElem(b)
	if !ok || t&0xe0 != 0x60 {
		return m, false
	}
	m.kind = t & 0x1f
	seq, ok := derField(body, 0x30)
	if !ok {
		return m, false
	}
	switch m.kind {
	case krbError:
		f, ok := derField(seq, 0xa6)
		if !ok {
			return m, false
		}
		m.code, ok = derInt(f)
		return m, ok
	case krbASRep, krbTGSRep:
		return m, true
	case krbASReq, krbTGSReq:
		return m, krbRequest(seq, &m)
	}
	return m, false
}

// krbRequest reads a KDC-REQ's fields (RFC 4120 5.4.1): padata [3], and in
// req-body [4] cname [1] or sname [3] and etype [8].
func krbRequest(seq []byte, m *krbMsg) bool {
	if pa, ok := derField(seq, 0xa3); ok && m.kind == krbASReq {
		m.preauth = krbPreauth(pa)
	}
	rb, ok := derField(seq, 0xa4)
	if !ok {
		return false
	}
	if rb, ok = derField(rb, 0x30); !ok {
		return false
	}
	nameTag := byte(0xa1)
	if m.kind == krbTGSReq {
		nameTag = 0xa3
	}
	if pn, ok := derField(rb, nameTag); ok {
		m.name = krbName(pn, nil)
		if m.kind == krbTGSReq {
			m.sname = pn
		}
	}
	et, ok := derField(rb, 0xa8)
	if !ok {
		return false
	}
	if et, ok = derField(et, 0x30); !ok {
		return false
	}
	rc4, other := false, false
	for i := 0; i < 32 && len(et) > 0; i++ {
		n, ok := derInt(et)
		if !ok {
			return false
		}
		_, _, et, _ = derElem(et)
		if i == 0 {
			m.rc4First, m.aesFirst = n == krbEtypeRC || n == krbEtypeRC+1, n >= 17 && n <= 20 // aes (RFC 3962, 8009)
		}
		if n == krbEtypeRC || n == krbEtypeRC+1 {
			rc4 = true
		} else {
			other = true
		}
	}
	m.rc4Only = rc4 && !other
	return true
}

// krbPreauth reports whether a request's padata (SEQUENCE OF PA-DATA)
// carries a pre-authentication: PA-ENC-TIMESTAMP (2), PKINIT (14-17),
// FAST's armor (136) or an encrypted challenge (138). PA-PAC-REQUEST (128)
// and the like ask for no proof.
func krbPreauth(pa []byte) bool {
	seq, ok := derField(pa, 0x30)
	if !ok {
		return false
	}
	for i := 0; i < 16 && len(seq) > 0; i++ {
		t, d, rest, ok := derElem(seq)
		if !ok || t != 0x30 {
			return false
		}
		seq = rest
		f, ok := derField(d, 0xa1)
		if !ok {
			continue
		}
		switch n, _ := derInt(f); n {
		case 2, 14, 15, 16, 17, 136, 138:
			return true
		}
	}
	return false
}

// krbName hashes a PrincipalName's components (RFC 4120 5.2.2: name-type
// [0], name-string [1] SEQUENCE OF KerberosString), '/' between them; 0
// when there is none. With text set, it also writes the name there (up to
// its length; bytes outside printable ASCII as '?').
func krbName(pn, text []byte) uint64 {
	seq, ok := derField(pn, 0x30)
	if !ok {
		return 0
	}
	ns, ok := derField(seq, 0xa1)
	if !ok {
		return 0
	}
	if ns, ok = derField(ns, 0x30); !ok {
		return 0
	}
	h := uint64(14695981039346656037)
	for i := 0; i < 8 && len(ns) > 0; i++ {
		t, s, rest, ok := derElem(ns)
		if !ok || t != 0x1b {
			break
		}
		ns = rest
		if i > 0 {
			h = (h ^ '/') * 1099511628211
			text = putText(text, '/')
		}
		for _, c := range s {
			text = putText(text, c)
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A' // names compare without case (AD's do)
			}
			h = (h ^ uint64(c)) * 1099511628211
		}
	}
	if h == 14695981039346656037 {
		return 0
	}
	return h
}

// putText writes c at text's start and returns the rest (nil when full).
func putText(text []byte, c byte) []byte {
	if len(text) == 0 {
		return nil
	}
	if c < ' ' || c > '~' {
		c = '?'
	}
	text[0] = c
	return text[1:]
}

// krbNameText is the PrincipalName pn as text, for evidence: at most 64
// bytes.
func krbNameText(pn []byte) string {
	var b [64]byte
	krbName(pn, b[:])
	n := bytes.IndexByte(b[:], 0) // putText writes no zero byte
	if n < 0 {
		n = len(b)
	}
	return string(b[:n])
}
