package traffic

import (
	"testing"

	"tend/inventory"
)

// SMB1 NEGOTIATE answers as servers sent them (4-byte session header, the
// 32-byte SMB1 header, WordCount, DialectIndex...). smb1NegotiateNTLM is a
// Windows server choosing "NT LM 0.12" (corpus smb/smbv1.pcap, cut after
// its first words); smb1NegotiateRefused is Samba 4.17 (server min protocol
// SMB2_02) answering nmap -sV with DialectIndex 0xFFFF: no dialect, SMB1
// refused (review 36a, nmap_sV.pcap).
const (
	smb1NegotiateNTLM    = "\x00\x00\x00\x71\xffSMB\x72\x00\x00\x00\x00\x98\x53\xc0\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\xff\xfe\x00\x00\x40\x00\x11\x05\x00\x03\x32\x00\x01\x00\x04\x11\x00\x00"
	smb1NegotiateRefused = "\x00\x00\x00\x25\xffSMB\x72\x00\x00\x00\x00\x88\x03\x40\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x40\x06\x00\x00\x01\x00\x01\xff\xff\x00\x00"
)

func TestSMB1NegotiateRefusedIsNotSMBv1(t *testing.T) {
	for _, tc := range []struct {
		name string
		b    string
		want bool
	}{
		{"NT LM 0.12 chosen", smb1NegotiateNTLM, true},
		{"dialect index 0xffff", smb1NegotiateRefused, false},
		{"no words (an error answer)", smb1NegotiateRefused[:4+32] + "\x00\x00\x00", false},
		{"cut before the index", smb1NegotiateNTLM[:4+33], false},
	} {
		for _, port := range []uint16{445, 139} {
			in, ok := DetectInsecure(true, port, 40000, []byte(tc.b), nil)
			if ok != tc.want || ok && in.Proto != "smbv1" {
				t.Errorf("%s on %d: got %+v %v, want smbv1 %v", tc.name, port, in, ok, tc.want)
			}
		}
	}
	// The whole exchange through the engine: nmap's SMB1-only NEGOTIATE,
	// Samba's refusal, nothing raised; a server choosing a dialect is.
	neg := append([]byte{0, 0, 0, 0x51}, "\xffSMB\x72\x00\x00\x00\x00\x18\x01\x48"...)
	neg = append(append(neg, make([]byte, 22)...), "\x00\x0e\x00\x02NT LM 0.12\x00"...)
	for _, tc := range []struct {
		answer string
		want   int
	}{{smb1NegotiateRefused, 0}, {smb1NegotiateNTLM, 1}} {
		r := newRig(t, Config{})
		r.feed(t0, tcpFrame(t, pcMAC, "10.0.0.10", 50000, nasMAC, "10.0.0.30", 445, tcpFlags{ack: true, psh: true}, neg))
		r.feed(t0, tcpFrame(t, nasMAC, "10.0.0.30", 445, pcMAC, "10.0.0.10", 50000, tcpFlags{ack: true, psh: true}, []byte(tc.answer)))
		if got := len(r.of(inventory.EventInsecureProtocol)); got != tc.want {
			t.Errorf("answer % x...: %d insecure_protocol events %+v, want %d", tc.answer[36:39], got, r.all(), tc.want)
		}
	}
}
