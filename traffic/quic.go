package traffic

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/sha256"
	"encoding/binary"
)

// QUIC (HTTP/3) carries the TLS ClientHello in the client's Initial
// packets, encrypted with keys anyone can derive from the packet's
// Destination Connection ID (RFC 9001 5.2): they only keep the handshake
// from being read by middleboxes that do not know QUIC. QUICInitialSNI
// derives them, removes header protection, opens the payload (AES-128-GCM,
// tag checked: anything else on UDP 443 decodes to nothing) and reads the
// server name from the CRYPTO frames. Standard library crypto only.

// QUIC versions whose Initial packets are read: 1 (RFC 9000) and 2 (RFC
// 9369, other salt, labels and packet type bits).
const (
	quicV1 = 0x00000001
	quicV2 = 0x6b3343cf
)

var (
	quicSaltV1 = []byte{0x38, 0x76, 0x2c, 0xf7, 0xf5, 0x59, 0x34, 0xb3, 0x4d, 0x17, 0x9a, 0xe6, 0xa4, 0xc8, 0x0c, 0xad, 0xcc, 0xbb, 0x7f, 0x0a}
	quicSaltV2 = []byte{0x0d, 0xed, 0xe3, 0xde, 0xf7, 0x00, 0xa6, 0xdb, 0x81, 0x93, 0x81, 0xbe, 0x6e, 0x26, 0x9d, 0xcb, 0xf9, 0xbd, 0x2e, 0xd9}
)

// quicMaxPacket bounds the Initial packet decrypted (a datagram is at most
// what the link carries; 1200 to 1500 bytes in practice) and quicMaxCrypto
// the ClientHello bytes reassembled from it.
const (
	quicMaxPacket = 2048
	quicMaxCrypto = 4096
	quicMaxFrames = 64
)

// QUICScratch holds QUICInitialSNI's buffers, so a datagram costs no
// allocation beyond the per-connection keys. Not safe for concurrent use.
type QUICScratch struct {
	header [quicMaxPacket]byte // the unprotected header (the AEAD's additional data)
	plain  [quicMaxPacket]byte
	crypto [quicMaxCrypto]byte
	ranges [quicMaxFrames][2]int
}

// quicKeys are the client's Initial keys.
type quicKeys struct {
	key [16]byte
	iv  [12]byte
	hp  [16]byte
}

// quicInitialKeys derives the client's Initial keys from the Destination
// Connection ID (RFC 9001 5.2, RFC 9369 3.3.1).
func quicInitialKeys(version uint32, dcid []byte) (k quicKeys, ok bool) {
	salt, label := quicSaltV1, "quic "
	if version == quicV2 {
		salt, label = quicSaltV2, "quicv2 "
	}
	if len(dcid) > 20 {
		return k, false
	}
	initial := hmacSHA256(salt, dcid) // HKDF-Extract
	client := expandLabel(initial[:], "client in", 32)
	key := expandLabel(client[:], label+"key", 16)
	iv := expandLabel(client[:], label+"iv", 12)
	hp := expandLabel(client[:], label+"hp", 16)
	copy(k.key[:], key[:])
	copy(k.iv[:], iv[:])
	copy(k.hp[:], hp[:])
	return k, true
}

// expandLabel is TLS 1.3's HKDF-Expand-Label (RFC 8446 7.1) with an empty
// context, for n ≤ 32 (one HMAC block): HKDF-Expand's T(1) cut to n.
func expandLabel(secret []byte, label string, n int) [32]byte {
	var info [64]byte
	full := len("tls13 ") + len(label)
	i := copy(info[:], []byte{byte(n >> 8), byte(n), byte(full)})
	i += copy(info[i:], "tls13 ")
	i += copy(info[i:], label)
	info[i], info[i+1] = 0, 1 // empty context; T(1)'s counter
	return hmacSHA256(secret, info[:i+2])
}

// hmacSHA256 is HMAC-SHA-256 (RFC 2104) for keys and messages of at most
// 64 bytes, on the stack: crypto/hmac allocates per call, and an Initial
// needs five of them.
func hmacSHA256(key, msg []byte) [32]byte {
	var buf [64 + 64]byte
	for i := range 64 {
		var k byte
		if i < len(key) {
			k = key[i]
		}
		buf[i] = k ^ 0x36
	}
	n := copy(buf[64:], msg)
	inner := sha256.Sum256(buf[:64+n])
	for i := range 64 {
		buf[i] ^= 0x36 ^ 0x5c
	}
	copy(buf[64:], inner[:])
	return sha256.Sum256(buf[:64+32])
}

// quicVarint reads a QUIC variable-length integer (RFC 9000 16).
func quicVarint(b []byte) (v uint64, n int, ok bool) {
	if len(b) == 0 {
		return 0, 0, false
	}
	n = 1 << (b[0] >> 6)
	if len(b) < n {
		return 0, 0, false
	}
	v = uint64(b[0] & 0x3f)
	for _, c := range b[1:n] {
		v = v<<8 | uint64(c)
	}
	return v, n, true
}

// IsQUICInitial reports, from its first five bytes, whether a UDP payload
// is a QUIC v1 or v2 Initial packet: the cheap test before any crypto.
func IsQUICInitial(b []byte) bool {
	if len(b) < 5 || b[0]&0xc0 != 0xc0 {
		return false
	}
	switch binary.BigEndian.Uint32(b[1:5]) {
	case quicV1:
		return b[0]&0x30 == 0x00
	case quicV2:
		return b[0]&0x30 == 0x10
	}
	return false
}

// QUICInitialSNI returns the host name in the ClientHello of a client's
// QUIC Initial packet (the first of a UDP datagram), lower-cased and
// without a trailing dot, written into dst[:0]. The datagram is not
// changed. ok is false for anything else: another packet type or version,
// a payload that fails authentication, a ClientHello without a name in
// this packet (the rest of a long ClientHello travels in the next one;
// the name usually comes early, but a client may put it late).
func QUICInitialSNI(datagram, dst []byte, s *QUICScratch) (name []byte, ok bool) {
	if !IsQUICInitial(datagram) {
		return nil, false
	}
	version := binary.BigEndian.Uint32(datagram[1:5])
	b := datagram[5:]
	if len(b) < 1 {
		return nil, false
	}
	dcidLen := int(b[0])
	if dcidLen > 20 || len(b) < 1+dcidLen+1 {
		return nil, false
	}
	dcid := b[1 : 1+dcidLen]
	b = b[1+dcidLen:]
	scidLen := int(b[0])
	if scidLen > 20 || len(b) < 1+scidLen {
		return nil, false
	}
	b = b[1+scidLen:]
	tokenLen, n, ok := quicVarint(b)
	if !ok || uint64(len(b)-n) < tokenLen {
		return nil, false
	}
	b = b[n+int(tokenLen):]
	length, n, ok := quicVarint(b)
	if !ok || uint64(len(b)-n) < length || length < 4+16 {
		return nil, false // the whole packet is needed: its tag comes last
	}
	pnOffset := len(datagram) - len(b) + n
	end := pnOffset + int(length)
	if end > quicMaxPacket {
		return nil, false
	}
	k, ok := quicInitialKeys(version, dcid)
	if !ok {
		return nil, false
	}
	// Header protection (RFC 9001 5.4): the mask comes from a sample 4
	// bytes past the packet number's start.
	hp, err := aes.NewCipher(k.hp[:])
	if err != nil {
		return nil, false
	}
	var mask [16]byte
	hp.Encrypt(mask[:], datagram[pnOffset+4:pnOffset+4+16])
	hdr := s.header[:pnOffset+4]
	copy(hdr, datagram[:pnOffset+4])
	hdr[0] ^= mask[0] & 0x0f
	pnLen := int(hdr[0]&0x03) + 1
	var pn uint64
	for i := range pnLen {
		hdr[pnOffset+i] ^= mask[1+i]
		pn = pn<<8 | uint64(hdr[pnOffset+i])
	}
	hdr = hdr[:pnOffset+pnLen]
	var nonce [12]byte
	copy(nonce[:], k.iv[:])
	for i := range 8 {
		nonce[11-i] ^= byte(pn >> (8 * i))
	}
	block, err := aes.NewCipher(k.key[:])
	if err != nil {
		return nil, false
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, false
	}
	plain, err := aead.Open(s.plain[:0], nonce[:], datagram[pnOffset+pnLen:end], hdr)
	if err != nil {
		return nil, false
	}
	hello := s.cryptoPrefix(plain)
	return clientHelloMessageSNI(hello, dst, true)
}

// cryptoPrefix gathers the CRYPTO frames of a decrypted Initial payload
// into s.crypto at their offsets (clients send them out of order and
// interleave PING and PADDING) and returns the bytes contiguous from
// offset 0.
func (s *QUICScratch) cryptoPrefix(p []byte) []byte {
	nr := 0
	for len(p) > 0 && nr < quicMaxFrames {
		typ, n, ok := quicVarint(p)
		if !ok {
			break
		}
		p = p[n:]
		switch typ {
		case 0x00, 0x01: // PADDING, PING
			continue
		case 0x02, 0x03: // ACK: largest, delay, range count, first range, ranges, ECN counts
			var v [4]uint64
			for i := range v {
				if v[i], n, ok = quicVarint(p); !ok {
					return s.contiguous(nr)
				}
				p = p[n:]
			}
			extra := 2 * v[2]
			if typ == 0x03 {
				extra += 3
			}
			for ; extra > 0; extra-- {
				if _, n, ok = quicVarint(p); !ok {
					return s.contiguous(nr)
				}
				p = p[n:]
			}
		case 0x06: // CRYPTO: offset, length, data
			off, n1, ok1 := quicVarint(p)
			if !ok1 {
				return s.contiguous(nr)
			}
			l, n2, ok2 := quicVarint(p[n1:])
			if !ok2 || uint64(len(p)-n1-n2) < l {
				return s.contiguous(nr)
			}
			data := p[n1+n2 : n1+n2+int(l)]
			p = p[n1+n2+int(l):]
			if off < quicMaxCrypto && l <= quicMaxCrypto-off {
				copy(s.crypto[off:], data)
				s.ranges[nr] = [2]int{int(off), int(off) + len(data)}
				nr++
			}
		default: // anything else ends what a client's first Initial holds
			return s.contiguous(nr)
		}
	}
	return s.contiguous(nr)
}

// contiguous returns s.crypto from 0 up to the first byte no range covers.
func (s *QUICScratch) contiguous(nr int) []byte {
	end := 0
	for grew := true; grew; {
		grew = false
		for _, r := range s.ranges[:nr] {
			if r[0] <= end && r[1] > end {
				end, grew = r[1], true
			}
		}
	}
	return s.crypto[:end]
}
