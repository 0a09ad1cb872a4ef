package traffic

import (
	"encoding/hex"
	"testing"
)

// TestPlainTCP: plainTCP passes over no TCP payload DetectInsecure reports, on any
// pair of ports (every port below 1100 either way round against a client's
// port, and the shapes' own ports), and does pass over a TLS record and an
// SMB2 one on a port of no service DetectInsecure reads by its port.
func TestPlainTCP(t *testing.T) {
	smb1Neg, _ := hex.DecodeString("000000a4ff534d4272000000001853c8000000000000000000000000fffffffe00000000008100025043204e4554574f524b2050524f4752414d20312e3000")
	payloads := [][]byte{
		[]byte("x"), []byte("USER anonymous\r\n"), []byte("USER alice\r\n"), []byte("pass secret\r\n"),
		[]byte("a1 login alice secret\r\n"), smb1Neg, []byte("AUTH LOGIN\r\n"), []byte("AUTH PLAIN AGFsaWNlAHNlY3JldA==\r\n"),
		[]byte("APOP mrose c4c9334bac560ecc979e58001b3e22fb\r\n"), []byte("331 Please specify the password.\r\n"),
		{0xff, 0xfd, 0x18, 0xff, 0xfd, 0x20}, {0xff, 0xfc, 0x2e, 0xff, 0xfb, 0x18}, []byte("RFB 003.008\n"),
		[]byte("0\x00alice\x00secret\x00id\x00"), []byte("\x00alice\x00alice\x00xterm/38400\x00"),
		[]byte("GET / HTTP/1.1\r\nHost: a\r\nAuthorization: Basic YWxpY2U6c2VjcmV0\r\n\r\n"),
		[]byte("POST /x HTTP/1.1\r\nAuthorization: Basic YWxpY2U6c2VjcmV0\r\n\r\n"),
		[]byte("OPTIONS * HTTP/1.1\r\nAuthorization: Basic YWxpY2U6c2VjcmV0\r\n\r\n"),
	}
	ldap, _ := hex.DecodeString("3021020101601c020103040f636e3d61646d696e2c64633d6c616e8006736563726574")
	payloads = append(payloads, ldap)
	ports := []uint16{2121, 2222, 2323, 3268, 5900, 5901, 8080, 50000, 65535}
	for p := range uint16(1100) {
		ports = append(ports, p)
	}
	found := 0
	for _, b := range payloads {
		for _, p := range ports {
			for _, pair := range [][2]uint16{{p, 50000}, {50000, p}, {p, p}} {
				_, ok := DetectInsecure(true, pair[0], pair[1], b, nil)
				if ok {
					found++
				}
				if ok && plainTCP(pair[0], pair[1], b) {
					t.Errorf("plainTCP passes over %q from %d to %d, which DetectInsecure reports", b, pair[0], pair[1])
				}
			}
		}
	}
	if found < len(payloads) {
		t.Errorf("DetectInsecure found %d, want at least one per payload (%d)", found, len(payloads))
	}
	for _, b := range [][]byte{{0x17, 0x03, 0x03, 0x00, 0x20}, {0x00, 0x00, 0x00, 0x40, 0xfe, 'S', 'M', 'B'}} {
		if !plainTCP(50000, 8443, b) || !plainTCP(443, 50000, b) {
			t.Errorf("plainTCP does not pass over %x", b)
		}
	}
}
