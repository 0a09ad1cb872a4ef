package traffic

// Names from the wire: the DNS question a client asks and the server name
// in a TLS ClientHello. Both decoders read a packet's payload in place and
// write the lower-cased name into a buffer the caller owns, so a packet
// costs no allocation. They are the only place tend reads names out of
// client traffic; what becomes of a name (matched against the hygiene
// table, or dropped unseen) is decided by the caller.

// MaxNameLen is the longest DNS name (RFC 1035 3.1); a dst of this capacity
// never grows.
const MaxNameLen = 255

// DNSQuestion decodes the first question of a DNS message: a UDP payload,
// or a TCP payload without its two-byte length prefix (see DNSOverTCP). It
// writes the name lower-cased, without a trailing dot, into dst[:0] and
// returns it, and whether the message is a response. A malformed or
// truncated message, a compression pointer in the question, or a name over
// 255 bytes gives ok == false.
func DNSQuestion(msg, dst []byte) (name []byte, response, ok bool) {
	if len(msg) < 12 {
		return nil, false, false
	}
	response = msg[2]&0x80 != 0
	if opcode := (msg[2] >> 3) & 0x0f; opcode != 0 { // only standard queries
		return nil, false, false
	}
	if qd := int(msg[4])<<8 | int(msg[5]); qd == 0 {
		return nil, false, false
	}
	name = dst[:0]
	i := 12
	for {
		if i >= len(msg) {
			return nil, false, false
		}
		l := int(msg[i])
		i++
		if l == 0 {
			break
		}
		if l > 63 || i+l > len(msg) { // 0xc0 pointers and reserved label types land here too
			return nil, false, false
		}
		if len(name) > 0 {
			name = append(name, '.')
		}
		if len(name)+l > MaxNameLen {
			return nil, false, false
		}
		for _, c := range msg[i : i+l] {
			name = append(name, lower(c))
		}
		i += l
	}
	if i+4 > len(msg) || len(name) == 0 { // QTYPE and QCLASS; the root alone is no name
		return nil, false, false
	}
	return name, response, true
}

// DNSOverTCP returns the first DNS message in a TCP segment's payload: the
// two-byte length prefix removed, cut to the length when the segment holds
// more. A segment shorter than its message still yields what it holds:
// DNSQuestion needs only the start.
func DNSOverTCP(payload []byte) ([]byte, bool) {
	if len(payload) < 2+12 {
		return nil, false
	}
	n := int(payload[0])<<8 | int(payload[1])
	msg := payload[2:]
	if n < 12 {
		return nil, false
	}
	if n < len(msg) {
		msg = msg[:n]
	}
	return msg, true
}

// ClientHelloSNI returns the host name of the server_name extension in a
// TLS ClientHello at the start of a TCP payload (one record; a ClientHello
// split across segments is read as far as this one goes), lower-cased into
// dst[:0]. Anything else gives ok == false.
func ClientHelloSNI(payload, dst []byte) (name []byte, ok bool) {
	// Record header: content type 22 (handshake), version 3.x, length.
	if len(payload) < 5+4 || payload[0] != 22 || payload[1] != 3 {
		return nil, false
	}
	rec := payload[5:]
	if n := int(payload[3])<<8 | int(payload[4]); n < len(rec) {
		rec = rec[:n]
	}
	return clientHelloMessageSNI(rec, dst, false)
}

// clientHelloMessageSNI reads the server name from a ClientHello handshake
// message (type 1, 24-bit length). partial accepts a message cut short
// (QUIC: the rest is in the next packet) and reads the extensions that
// are there.
func clientHelloMessageSNI(rec, dst []byte, partial bool) (name []byte, ok bool) {
	// Handshake header: type 1 (ClientHello), 24-bit length.
	if len(rec) < 4 || rec[0] != 1 {
		return nil, false
	}
	body := rec[4:]
	if n := int(rec[1])<<16 | int(rec[2])<<8 | int(rec[3]); n < len(body) {
		body = body[:n]
	}
	r := reader{b: body}
	r.skip(2 + 32)  // client_version, random
	r.skip(r.u8())  // session_id
	r.skip(r.u16()) // cipher_suites
	r.skip(r.u8())  // compression_methods
	n := r.u16()    // extensions
	if partial {
		n = min(n, len(r.b))
	}
	ext := r.bytes(n)
	if r.bad {
		return nil, false
	}
	for e := (reader{b: ext}); !e.bad && len(e.b) >= 4; {
		typ, data := e.u16(), e.bytes(e.u16())
		if e.bad {
			return nil, false
		}
		if typ != 0 { // server_name
			continue
		}
		l := reader{b: data}
		list := reader{b: l.bytes(l.u16())}
		for !list.bad && len(list.b) >= 3 {
			kind, host := list.u8(), list.bytes(list.u16())
			if list.bad || kind != 0 || len(host) == 0 || len(host) > MaxNameLen {
				continue
			}
			name = dst[:0]
			for _, c := range host {
				name = append(name, lower(c))
			}
			if name[len(name)-1] == '.' {
				name = name[:len(name)-1]
			}
			return name, len(name) > 0
		}
		return nil, false
	}
	return nil, false
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// reader walks length-prefixed TLS structures; a read past the end sets
// bad and yields zeros, so callers check once.
type reader struct {
	b   []byte
	bad bool
}

func (r *reader) u8() int {
	if len(r.b) < 1 {
		r.bad = true
		return 0
	}
	v := int(r.b[0])
	r.b = r.b[1:]
	return v
}

func (r *reader) u16() int {
	if len(r.b) < 2 {
		r.bad = true
		return 0
	}
	v := int(r.b[0])<<8 | int(r.b[1])
	r.b = r.b[2:]
	return v
}

func (r *reader) bytes(n int) []byte {
	if len(r.b) < n {
		r.bad = true
		r.b = nil
		return nil
	}
	v := r.b[:n]
	r.b = r.b[n:]
	return v
}

func (r *reader) skip(n int) { r.bytes(n) }
