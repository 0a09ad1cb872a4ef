package traffic

import (
	"testing"
	"time"

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

// TestBruteForceNeedsAConversation: review 36a P3, nmap -O's probes at an
// open SSH port (SYN, SYN+ACK, RST: 36 in 11 s) raised SSH guessing, and a
// banner grabber that reads the server's greeting and leaves is no guess
// either. A session counts once the server acknowledges the client's
// bytes; four guessers interleaving their handshakes are all counted.
func TestBruteForceNeedsAConversation(t *testing.T) {
	const banner = "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n" // the NAS of nmap_O.pcap
	for _, tc := range []struct {
		name string
		play func(r *rig, at time.Time, cport uint16)
		want string
	}{
		{"nmap -O probes", func(r *rig, at time.Time, cport uint16) {
			r.feed(at, tcpSeqFrame(r.t, evilMAC, "10.0.0.66", cport, nasMAC, "10.0.0.30", 22, tcpFlags{syn: true}, 5000, 0, nil))
			r.feed(at, tcpSeqFrame(r.t, nasMAC, "10.0.0.30", 22, evilMAC, "10.0.0.66", cport, tcpFlags{syn: true, ack: true}, 9000, 5001, nil))
			r.feed(at, tcpSeqFrame(r.t, evilMAC, "10.0.0.66", cport, nasMAC, "10.0.0.30", 22, tcpFlags{rst: true}, 5001, 0, nil))
		}, ""},
		{"banner grabs", func(r *rig, at time.Time, cport uint16) {
			r.feed(at, tcpSeqFrame(r.t, evilMAC, "10.0.0.66", cport, nasMAC, "10.0.0.30", 22, tcpFlags{syn: true}, 5000, 0, nil))
			r.feed(at, tcpSeqFrame(r.t, nasMAC, "10.0.0.30", 22, evilMAC, "10.0.0.66", cport, tcpFlags{syn: true, ack: true}, 9000, 5001, nil))
			r.feed(at, tcpSeqFrame(r.t, nasMAC, "10.0.0.30", 22, evilMAC, "10.0.0.66", cport, tcpFlags{ack: true, psh: true}, 9001, 5001, []byte(banner)))
			r.feed(at, tcpSeqFrame(r.t, evilMAC, "10.0.0.66", cport, nasMAC, "10.0.0.30", 22, tcpFlags{fin: true, ack: true}, 5001, 9001+uint32(len(banner)), nil))
		}, ""},
		{"banners exchanged", func(r *rig, at time.Time, cport uint16) {
			r.greetSession(at, cport, 22, banner, "")
		}, "36 sessions in"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{Learning: time.Minute})
			at := r.baseline(t0, 2*time.Minute)
			for i := range 36 {
				tc.play(r, at.Add(time.Duration(i)*300*time.Millisecond), uint16(40000+i))
			}
			checkBrute(t, r.of(inventory.EventBruteForce), tc.want, inventory.SeverityHigh) // 36 SSH sessions in 10.5 s: sessionsSeverity
		})
	}
	// Four tasks: four handshakes, then each one's conversation.
	r := newRig(t, Config{Learning: time.Minute})
	at := r.baseline(t0, 2*time.Minute)
	for i := range 40 {
		cport := uint16(40000 + i)
		at := at.Add(time.Duration(i/4) * time.Second)
		r.feed(at, tcpSeqFrame(r.t, nasMAC, "10.0.0.30", 3389, evilMAC, "10.0.0.66", cport, tcpFlags{syn: true, ack: true}, 9000, 5001, nil))
		if i%4 == 3 {
			for j := range 4 {
				hello := sessionHello[3389]
				r.feed(at, tcpSeqFrame(r.t, evilMAC, "10.0.0.66", cport-uint16(j), nasMAC, "10.0.0.30", 3389, tcpFlags{ack: true, psh: true}, 5001, 9001, []byte(hello)))
				r.feed(at, tcpSeqFrame(r.t, nasMAC, "10.0.0.30", 3389, evilMAC, "10.0.0.66", cport-uint16(j), tcpFlags{ack: true, psh: true}, 9001, 5001+uint32(len(hello)), []byte(sessionReply[3389])))
			}
		}
	}
	checkBrute(t, r.of(inventory.EventBruteForce), "RDP on 10.0.0.30 port 3389: 40 sessions", inventory.SeverityMedium)
}
