package traffic

import (
	"fmt"
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"

	"tend/inventory"
)

// conn is one TCP connection played into a rig: the client's and the
// server's next sequence numbers after their ISNs.
type conn struct {
	r              *rig
	at             time.Time
	cliMAC, srvMAC net.HardwareAddr
	cliIP, srvIP   string
	cport, sport   uint16
	cliSeq, srvSeq uint32
	noHandshake    bool
}

func (c *conn) frame(fromClient bool, syn, ack bool, data []byte) {
	ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolTCP, SrcIP: ip4(c.cliIP), DstIP: ip4(c.srvIP)}
	tcp := &layers.TCP{SrcPort: layers.TCPPort(c.cport), DstPort: layers.TCPPort(c.sport), SYN: syn, ACK: ack, PSH: len(data) > 0,
		Seq: c.cliSeq, Ack: c.srvSeq, Window: 1024}
	src, dst := c.cliMAC, c.srvMAC
	if !fromClient {
		ip.SrcIP, ip.DstIP = ip.DstIP, ip.SrcIP
		tcp.SrcPort, tcp.DstPort, tcp.Seq, tcp.Ack = tcp.DstPort, tcp.SrcPort, c.srvSeq, c.cliSeq
		src, dst = dst, src
	}
	tcp.SetNetworkLayerForChecksum(ip)
	c.at = c.at.Add(10 * time.Millisecond)
	c.r.feed(c.at, serialize(c.r.t, &layers.Ethernet{SrcMAC: src, DstMAC: dst, EthernetType: layers.EthernetTypeIPv4}, ip, tcp, gopacket.Payload(data)))
	n := uint32(len(data))
	if syn {
		n = 1
	}
	if fromClient {
		c.cliSeq += n
	} else {
		c.srvSeq += n
	}
}

// open plays the handshake (unless noHandshake: a capture that starts
// mid-connection skips its ISNs) and returns c.
func (c *conn) open() *conn {
	c.cliSeq, c.srvSeq = 854250728, 2503809798
	if c.noHandshake {
		c.cliSeq, c.srvSeq = c.cliSeq+1, c.srvSeq+1
		return c
	}
	c.frame(true, true, false, nil)
	c.frame(false, true, true, nil)
	c.frame(true, false, true, nil)
	return c
}

// say sends data from the client (true) or the server, in order.
func (c *conn) say(lines ...any) *conn {
	for i := 0; i+1 < len(lines); i += 2 {
		c.frame(lines[i].(bool), false, true, []byte(lines[i+1].(string)))
	}
	return c
}

const (
	fromCli = true
	fromSrv = false
)

// The shells' own bytes, as review 35a's reverse_shell.pcap and this
// session's staged captures hold them.
const (
	bashTTY   = "bash: cannot set terminal process group (5175): Inappropriate ioctl for device\n"
	bashJobs  = "bash: no job control in this shell\n"
	rootPS1   = "root@vm:/work/r35a# "
	idOut     = "uid=0(root) gid=0(root) groups=0(root)\n"
	passwdOut = "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
	iacDo     = "\xff\xfd\x18\xff\xfd\x20\xff\xfd\x23\xff\xfd\x27"
)

// TestRemoteShellRaised: review 35a P12 (bash -i >& /dev/tcp on the NAS
// raised nothing) and the staged shells' shapes are one remote_shell High
// naming the shell's host, the operator as target. Checked to fail
// without shellSegment (nothing raised).
func TestRemoteShellRaised(t *testing.T) {
	for _, tc := range []struct {
		name        string
		nasIsClient bool
		port        uint16
		play        []any
		want        string
	}{
		{"bash /dev/tcp reverse shell", true, 4444, []any{fromCli, bashTTY, fromCli, bashJobs, fromSrv, "id\n", fromCli, rootPS1}, "reverse shell"},
		{"nc -e reverse shell: output answers id", true, 4445, []any{fromSrv, "id\n", fromCli, idOut, fromSrv, "cat /etc/passwd\n", fromCli, passwdOut}, "reverse shell"},
		{"python pty on 443: echo then output and prompt", true, 443, []any{fromSrv, "id\n", fromCli, "id\r\n", fromCli, "uid=0(root) gid=0(root) groups=0(root)\r\n# "}, "reverse shell"},
		{"socat pty: bracketed paste and title before a prompt", true, 4446, []any{fromCli, "\x1b]0;root@nas: ~\a\x1b[?2004hroot@nas:~# "}, "reverse shell"},
		{"cmd.exe reverse shell", true, 4447, []any{fromCli, "Microsoft Windows [Version 10.0.19045.3803]\r\n(c) Microsoft Corporation. All rights reserved.\r\n\r\nC:\\Windows\\system32>"}, "reverse shell"},
		{"powershell prompt", true, 8443, []any{fromCli, "PS C:\\Users\\bob> "}, "reverse shell"},
		{"ncat -l -e bind shell", false, 4448, []any{fromCli, "id\n", fromSrv, idOut}, "bind shell"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{Learning: time.Minute})
			at := r.baseline(t0, 2*time.Minute)
			c := &conn{r: r, at: at, cliMAC: evilMAC, cliIP: "10.0.0.66", cport: 51000, srvMAC: nasMAC, srvIP: "10.0.0.30", sport: tc.port}
			play := tc.play
			if tc.nasIsClient {
				c = &conn{r: r, at: at, cliMAC: nasMAC, cliIP: "10.0.0.30", cport: 48214, srvMAC: evilMAC, srvIP: "10.0.0.66", sport: tc.port}
			}
			c.open().say(play...)
			evs := r.of(inventory.EventRemoteShell)
			if len(evs) != 1 || evs[0].Severity != inventory.SeverityHigh || evs[0].MAC.String() != nasMAC.String() ||
				evs[0].IP != netip.MustParseAddr("10.0.0.30") || evs[0].TargetIP != netip.MustParseAddr("10.0.0.66") || !strings.Contains(evs[0].Summary, tc.want) {
				t.Fatalf("want one High remote_shell (%s) on the NAS for 10.0.0.66, got %+v", tc.want, r.all())
			}
		})
	}
}

// TestRemoteShellQuiet: servers showing their prompt to the client, bulk
// data holding /etc/passwd, text from a client before its peer said
// anything, and connections whose handshake was not seen stay quiet.
func TestRemoteShellQuiet(t *testing.T) {
	bulk := strings.Repeat("x", 1400)
	for _, tc := range []struct {
		name        string
		port        uint16
		noHandshake bool
		play        []any
	}{
		{"telnet: the server's prompt and output after its negotiation", 23, false, []any{fromSrv, iacDo, fromCli, "\xff\xfc\x18", fromSrv, "\r\nBusyBox v1.36.1 built-in shell (ash)\r\n\r\n# ", fromCli, "id\r\n", fromSrv, "id\r\nuid=0(root) gid=0(root)\r\n# "}},
		{"telnet on 2323: the server negotiates first", 2323, false, []any{fromSrv, iacDo, fromCli, "id\r\n", fromSrv, idOut}},
		{"a console server's prompt on 2001 after the engineer's Enter", 2001, false, []any{fromCli, "\r\n", fromSrv, "switch01# "}},
		{"a server greeting then answering with id's output", 7000, false, []any{fromSrv, "welcome\n", fromCli, "id\n", fromSrv, idOut}},
		{"an HTTP download of /etc/passwd", 8080, false, []any{fromCli, "GET /passwd HTTP/1.1\r\nHost: nas\r\n\r\n", fromSrv, "HTTP/1.1 200 OK\r\nContent-Length: 9000\r\n\r\n", fromSrv, bulk, fromSrv, bulk, fromSrv, bulk, fromSrv, passwdOut}},
		{"a client uploading /etc/passwd unasked (nc file copy)", 9000, false, []any{fromCli, passwdOut}},
		{"an engineer's nc chat", 5555, false, []any{fromSrv, "hi, did the backup job finish?\n", fromCli, "yes, at 02:14, 3.2 GB\n", fromSrv, "ok, thanks $ ", fromCli, "uid=0 check done\n"}},
		{"syslog over TCP with id's text", 6514, false, []any{fromCli, "<13>1 2026-12-07T04:46:55Z vm root - - - uid=0(root) gid=0(root) groups=0(root)\n"}},
		{"a reverse shell whose handshake was not captured", 4444, true, []any{fromCli, bashJobs}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{Learning: time.Minute})
			at := r.baseline(t0, 2*time.Minute)
			c := &conn{r: r, at: at, cliMAC: pcMAC, cliIP: "10.0.0.10", cport: 51000, srvMAC: nasMAC, srvIP: "10.0.0.30", sport: tc.port, noHandshake: tc.noHandshake}
			c.open().say(tc.play...)
			if evs := r.of(inventory.EventRemoteShell); len(evs) != 0 {
				t.Fatalf("want no remote_shell, got %+v", evs)
			}
		})
	}
}

// TestShellWords: the prompt shapes read, and lines that only look alike.
func TestShellWords(t *testing.T) {
	for in, want := range map[string]shellKind{
		"sh-5.2$ ": shellPrompt, "bash-5.1# ": shellPrompt, "[root@web01 ~]# ": shellPrompt, "bob@pc:/tmp$ ": shellPrompt,
		"C:\\Windows\\system32>": shellPrompt, "uid=1000(bob) gid=1000(bob) groups=1000(bob)\n": shellOutput,
		"sh: 0: can't access tty; job control turned off\n# ": shellBanner,
		"price: 5$ ": shellNone, "a-b$ ": shellNone, "<html>": shellNone, "uid=abc\n": shellNone, "total 5 # ": shellNone,
		"hello> ": shellNone, "uid=0 check done\n": shellNone,
	} {
		if got, _ := shellWords([]byte(in)); got != want {
			t.Errorf("shellWords(%q) = %d, want %d", in, got, want)
		}
	}
}

// TestTFTPScanProbeInsidePXEBoot: nmap -sU's TFTP probe (a read of
// "r7tftp.txt") reaching a PXE boot server among 40 probed ports is the
// scan's, not a Medium "new client reading a file" beside its port_scan
// (session 34's open case); a host that probed two ports and reads
// startup-config is still split off. Fails without tftpScanProbe (a
// Medium naming .66 in the scan's case).
func TestTFTPScanProbeInsidePXEBoot(t *testing.T) {
	for _, ports := range []int{40, 2} {
		t.Run(fmt.Sprintf("%d ports probed", ports), func(t *testing.T) {
			r := newRig(t, Config{Learning: time.Minute, Gateway: netip.MustParseAddr("10.0.0.1")})
			at := r.baseline(t0, 2*time.Minute)
			r.feed(at, dhcpAnswer(t, gwMAC, "10.0.0.1", clientMAC(0), clientIP(0), 2, append(scope("255.255.255.0", "10.0.0.1", "10.0.0.1"),
				layers.NewDHCPOption(layers.DHCPOpt(66), []byte("10.0.0.30")), layers.NewDHCPOption(layers.DHCPOpt(67), []byte("pxelinux.0")))...))
			r.feed(at.Add(time.Second), udpFrame(t, clientMAC(0), clientIP(0), 2000, nasMAC, "10.0.0.30", 69, []byte("\x00\x01pxelinux.0\x00octet\x00")))
			file := "r7tftp.txt"
			if ports < 10 {
				file = "startup-config"
			}
			for i := range ports {
				r.feed(at.Add(2*time.Second+time.Duration(i)*time.Millisecond), udpFrame(t, evilMAC, "10.0.0.66", 40000, nasMAC, "10.0.0.30", uint16(100+i), nil))
			}
			r.feed(at.Add(3*time.Second), udpFrame(t, evilMAC, "10.0.0.66", 40001, nasMAC, "10.0.0.30", 69, []byte("\x00\x01"+file+"\x00octet\x00")))
			r.e.Flush()
			var split []inventory.Event
			for _, ev := range r.of(inventory.EventInsecureProtocol) {
				if ev.Severity == inventory.SeverityMedium {
					split = append(split, ev)
				}
			}
			if ports < 10 {
				if len(split) != 1 || !strings.Contains(split[0].Summary, "startup-config") {
					t.Fatalf("want startup-config's Medium, got %+v", r.all())
				}
				return
			}
			if len(split) != 0 || len(r.of(inventory.EventPortScan)) == 0 {
				t.Fatalf("want the port_scan alone, no Medium tftp read, got %+v", r.all())
			}
		})
	}
}
