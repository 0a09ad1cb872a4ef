package traffic

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"encoding/binary"
	"encoding/hex"
	"net/netip"
	"testing"
	"time"

	"tend/capture"
	"tend/inventory"
)

// TestQUICInitialKeys checks the key derivation against RFC 9001 A.1 (the
// client's Initial keys for Destination Connection ID 0x8394c8f03e515708).
func TestQUICInitialKeys(t *testing.T) {
	dcid, _ := hex.DecodeString("8394c8f03e515708")
	k, ok := quicInitialKeys(quicV1, dcid)
	if !ok {
		t.Fatal("no keys")
	}
	for _, c := range []struct {
		what, got, want string
	}{
		{"key", hex.EncodeToString(k.key[:]), "1f369613dd76d5467730efcbe3b1a22d"},
		{"iv", hex.EncodeToString(k.iv[:]), "fa044b2f42a3fd3b46fb255c"},
		{"hp", hex.EncodeToString(k.hp[:]), "9f50449e04a0e810283a1e9933adedd2"},
	} {
		if c.got != c.want {
			t.Errorf("client %s %s, want %s (RFC 9001 A.1)", c.what, c.got, c.want)
		}
	}
}

// quicInitial builds a client's protected Initial packet (RFC 9001 5)
// carrying the ClientHello for serverName the way browsers send it: the
// CRYPTO data in two frames, the second half first, with PING and
// PADDING around them, padded to 1200 bytes.
func quicInitial(t testing.TB, version uint32, serverName string) []byte {
	t.Helper()
	hello := clientHello(t, serverName)[5:] // the handshake message, without the TLS record header
	half := len(hello) / 2
	var frames []byte
	crypto := func(off int, data []byte) {
		frames = append(frames, 0x06, 0x40|byte(off>>8), byte(off), 0x40|byte(len(data)>>8), byte(len(data)))
		frames = append(frames, data...)
	}
	frames = append(frames, 0x01) // PING
	crypto(half, hello[half:])
	frames = append(frames, 0x00, 0x00) // PADDING
	crypto(0, hello[:half])
	dcid := []byte{0x83, 0x94, 0xc8, 0xf0, 0x3e, 0x51, 0x57, 0x08}
	typ := byte(0x00)
	if version == quicV2 {
		typ = 0x10
	}
	const pnLen = 2
	pn := 0x0102
	hdrLen := 1 + 4 + 1 + len(dcid) + 1 + 1 + 2 + pnLen
	if pad := 1200 - hdrLen - len(frames) - 16; pad > 0 {
		frames = append(frames, make([]byte, pad)...)
	}
	length := pnLen + len(frames) + 16
	hdr := []byte{0xc0 | typ | (pnLen - 1)}
	hdr = binary.BigEndian.AppendUint32(hdr, version)
	hdr = append(hdr, byte(len(dcid)))
	hdr = append(hdr, dcid...)
	hdr = append(hdr, 0, 0, 0x40|byte(length>>8), byte(length), byte(pn>>8), byte(pn&0xff)) // no SCID, no token
	k, _ := quicInitialKeys(version, dcid)
	block, _ := aes.NewCipher(k.key[:])
	aead, _ := cipher.NewGCM(block)
	nonce := k.iv
	nonce[10] ^= byte(pn >> 8)
	nonce[11] ^= byte(pn & 0xff)
	pkt := aead.Seal(bytes.Clone(hdr), nonce[:], frames, hdr)
	hp, _ := aes.NewCipher(k.hp[:])
	var mask [16]byte
	pnOffset := len(hdr) - pnLen
	hp.Encrypt(mask[:], pkt[pnOffset+4:pnOffset+20])
	pkt[0] ^= mask[0] & 0x0f
	pkt[pnOffset] ^= mask[1]
	pkt[pnOffset+1] ^= mask[2]
	return pkt
}

func TestQUICInitialSNI(t *testing.T) {
	var s QUICScratch
	dst := make([]byte, 0, MaxNameLen)
	for _, v := range []uint32{quicV1, quicV2} {
		pkt := quicInitial(t, v, "Router3.TeamViewer.com")
		orig := bytes.Clone(pkt)
		name, ok := QUICInitialSNI(pkt, dst, &s)
		if !ok || string(name) != "router3.teamviewer.com" {
			t.Errorf("version %#x: %q %v", v, name, ok)
		}
		if !bytes.Equal(pkt, orig) {
			t.Error("the datagram was changed")
		}
		// Coalesced packets after the Initial are ignored.
		if name, ok := QUICInitialSNI(append(bytes.Clone(pkt), 0x40, 1, 2, 3), dst, &s); !ok || string(name) != "router3.teamviewer.com" {
			t.Errorf("with a packet coalesced after it: %q %v", name, ok)
		}
		tampered := bytes.Clone(pkt)
		tampered[len(tampered)-40] ^= 1
		for what, b := range map[string][]byte{"tampered": tampered, "truncated": pkt[:len(pkt)-1], "short header": append([]byte{0x40}, pkt[1:]...),
			"other version": append([]byte{pkt[0], 0xff, 0, 0, 0x1d}, pkt[5:]...)} {
			if name, ok := QUICInitialSNI(b, dst, &s); ok {
				t.Errorf("version %#x, %s packet: %q", v, what, name)
			}
		}
	}
}

// TestHygieneQUIC: a QUIC Initial counts like a TLS ClientHello; HTTP/3
// to a public resolver and DNS over QUIC mark encrypted DNS.
func TestHygieneQUIC(t *testing.T) {
	c, _ := OpenHygieneCatalog()
	tr := NewHygieneTracker(c, 0)
	pc, _ := inventory.ParseMAC("02:00:00:00:02:01")
	at := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	web := netip.MustParseAddr("203.0.113.80")
	if !tr.ObservePayload(pc, true, web, 443, quicInitial(t, quicV1, "router3.teamviewer.com"), at) {
		t.Fatal("a QUIC Initial for TeamViewer did not match")
	}
	if h := tr.Device(pc); len(h.RemoteAccess) != 1 || h.RemoteAccess[0].Product != "TeamViewer" {
		t.Errorf("remote access: %+v", h.RemoteAccess)
	}
	tr.ObservePayload(pc, true, web, 443, quicInitial(t, quicV1, "dns.google"), at)
	tr.ObservePayload(pc, true, netip.MustParseAddr("94.140.14.14"), 853, quicInitial(t, quicV1, "dns.adguard-dns.com"), at)
	if st := tr.Stats(); st.Encrypted != 2 || !tr.Device(pc).EncryptedDNS.Equal(at) {
		t.Errorf("encrypted DNS over QUIC: %+v", st)
	}
}

// TestQUICAllocs: a datagram that is no QUIC Initial costs no allocation;
// an Initial costs only its keys' (reported, not a target: one or two per
// connection).
func TestQUICAllocs(t *testing.T) {
	c, _ := OpenHygieneCatalog()
	tr := NewHygieneTracker(c, 0)
	pc, _ := inventory.ParseMAC("02:00:00:00:02:02")
	at := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	web := netip.MustParseAddr("203.0.113.80")
	initial := quicInitial(t, quicV1, "www.example.com")
	tr.ObservePayload(pc, true, web, 443, initial, at)
	short := append([]byte{0x43}, initial[1:]...) // a 1-RTT packet
	if n := testing.AllocsPerRun(100, func() { tr.ObservePayload(pc, true, web, 443, short, at) }); n != 0 {
		t.Errorf("%v allocations for a short-header packet", n)
	}
	n := testing.AllocsPerRun(100, func() { tr.ObservePayload(pc, true, web, 443, initial, at) })
	t.Logf("%v allocations per QUIC Initial (key schedule and AEAD)", n)
}

// FuzzQUICInitialSNI: hostile datagrams never panic, never change the
// input, and a name comes back only lower-case and within MaxNameLen.
func FuzzQUICInitialSNI(f *testing.F) {
	f.Add(quicInitial(f, quicV1, "eu.wdcp.microsoft.com"))
	f.Add(quicInitial(f, quicV2, "a.b"))
	f.Add([]byte{0xc0, 0, 0, 0, 1, 0, 0, 0, 0x40, 0x14})
	var s QUICScratch
	dst := make([]byte, 0, MaxNameLen)
	f.Fuzz(func(t *testing.T, b []byte) {
		orig := bytes.Clone(b)
		name, ok := QUICInitialSNI(b, dst, &s)
		if !bytes.Equal(b, orig) {
			t.Fatal("input changed")
		}
		if ok && (len(name) == 0 || len(name) > MaxNameLen || !bytes.Equal(name, bytes.ToLower(name))) {
			t.Fatalf("name %q", name)
		}
	})
}

// FuzzQUICFrames fuzzes what follows decryption, which random datagrams
// never reach (they fail authentication): the frame walk, CRYPTO
// reassembly and the partial ClientHello.
func FuzzQUICFrames(f *testing.F) {
	hello := clientHello(f, "eu.wdcp.microsoft.com")[5:]
	f.Add(append([]byte{0x01, 0x06, 0x00, 0x40 | byte(len(hello)>>8), byte(len(hello))}, hello...))
	f.Add(append([]byte{0x02, 0x05, 0x00, 0x02, 0x01, 0x00, 0x00, 0x06, 0x00, 0x20}, hello[:32]...))
	f.Add([]byte{0x06, 0x44, 0x00, 0x01, 0xff, 0x06, 0x00, 0x01, 0x01})
	var s QUICScratch
	dst := make([]byte, 0, MaxNameLen)
	f.Fuzz(func(t *testing.T, b []byte) {
		p := s.cryptoPrefix(b)
		if len(p) > quicMaxCrypto {
			t.Fatalf("%d bytes reassembled", len(p))
		}
		if name, ok := clientHelloMessageSNI(p, dst, true); ok && (len(name) == 0 || len(name) > MaxNameLen) {
			t.Fatalf("name %q", name)
		}
	})
}

// TestEngineHygieneQUICAndCaches: the engine hands QUIC Initials and
// sessions to local update caches to the tracker, and nothing else.
func TestEngineHygieneQUICAndCaches(t *testing.T) {
	c, _ := OpenHygieneCatalog()
	tr := NewHygieneTracker(c, 0)
	e := New(Config{Learning: time.Minute, Hygiene: tr}, nil)
	d := capture.NewDecoder()
	pc, nas := hw("3c:52:82:00:01:01"), hw("00:11:32:00:00:30")
	for i, f := range [][]byte{
		udpFrame(t, pc, "10.0.1.10", 50000, gwMAC, "142.250.74.46", 443, quicInitial(t, quicV1, "router3.teamviewer.com")),
		udpFrame(t, pc, "10.0.1.10", 50001, gwMAC, "142.250.74.46", 443, append([]byte{0x41}, make([]byte, 100)...)), // 1-RTT
		tcpFrame(t, pc, "10.0.1.10", 50002, nas, "10.0.0.30", 8530, tcpFlags{ack: true, psh: true}, []byte("POST /ClientWebService/client.asmx HTTP/1.1\r\n\r\n")),
	} {
		e.Packet(d.Decode(capture.Frame{Time: t0.Add(time.Duration(i) * time.Second), Data: f, Length: len(f)}))
	}
	h := tr.Device(inventory.MAC(pc))
	if len(h.RemoteAccess) != 1 || h.RemoteAccess[0].Product != "TeamViewer" || len(h.OSUpdate) != 1 || h.OSUpdate[0].Product != "Windows Update via WSUS (local cache)" {
		t.Errorf("hygiene %+v", h)
	}
	if st := tr.Stats(); st.Names != 1 || st.Matches != 2 {
		t.Errorf("stats %+v, want 1 name (the Initial's) and 2 matches", st)
	}
}
