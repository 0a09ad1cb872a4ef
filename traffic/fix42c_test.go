package traffic

import (
	"encoding/hex"
	"net/netip"
	"path/filepath"
	"testing"

	"tend/capture"
	"tend/inventory"

	"github.com/google/gopacket/layers"
)

// Agent datagrams from snmpv3-*.pcap (net-snmp's snmpd): Reports of
// usmStatsUnknownEngineIDs (.4.0, a manager's engine discovery),
// usmStatsUnknownUserNames (.3.0, user "admin") and usmStatsWrongDigests
// (.5.0, user "monitor" with a wrong password).
const (
	snmpv3Discovery   = "3071020103301102046" + "6a4bdc9020300ffe30401000201030421301f041180001f88808b3c1b163a37176b0000000002010102010204000400040030360411" + "80001f88808b3c1b163a37176b000000000400a81f02043a9dc80e020100020100301130" + "0f060a2b060106030f0101040041010" + "1"
	snmpv3UnknownUser = "3076020103301102046" + "6a4bdc8020300ffe304010002010304263024041180001f88808b3c1b163a37176b0000000002010102010204056164" + "6d696e04000400303604118000" + "1f88808b3c1b163a37176b00000000" + "0400a81f02043a9dc80d020100020100301130" + "0f060a2b060106030f01010300410101"
	snmpv3WrongDigest = "3078020103301102042422eec2020300ffe304010002010304283026041180001f88802212b751503717" + "6b00000000020100020100040" + "76d6f6e69746f72040004003036041180001f88802212b7515037176b00000000" + "0400a81f02046cb09d94020100020100301130" + "0f060a2b060106030f01010500410101"
)

func TestSNMPv3Failure(t *testing.T) {
	for _, c := range []struct {
		hex  string
		want bool
	}{{snmpv3Discovery, false}, {snmpv3UnknownUser, true}, {snmpv3WrongDigest, true}} {
		b, err := hex.DecodeString(c.hex)
		if err != nil {
			t.Fatal(err)
		}
		if got := snmpV3Failure(b); got != c.want {
			t.Errorf("snmpV3Failure(%s...) = %v, want %v", c.hex[:40], got, c.want)
		}
		for i := range b {
			snmpV3Failure(b[:i]) // cut anywhere: no panic
		}
		if n := testing.AllocsPerRun(20, func() { snmpV3Failure(b) }); n != 0 {
			t.Errorf("snmpV3Failure allocates %v times", n)
		}
	}
}

func TestPJLAbuse(t *testing.T) {
	for line, want := range map[string]bool{
		`@PJL FSUPLOAD NAME="0:\..\..\..\etc\passwd" OFFSET=0 SIZE=2048`: true,
		`@PJL FSDIRLIST NAME="0:\" ENTRY=1 COUNT=65535`:                  true,
		`@pjl fsdownload FORMAT:BINARY SIZE=19 NAME="0:\x"`:              true,
		`@PJL DEFAULT PASSWORD=0`:                                        true,
		`@PJL DEFAULT CPLOCK=ON`:                                         true,
		`@PJL DMCMD ASCIIHEX="040006020501010301040106"`:                 true,
		`@PJL JOB NAME="Report 1.docx" DISPLAY="alice 1"`:                false,
		`@PJL SET COPIES=2`:                                              false,
		`@PJL ENTER LANGUAGE=PCL`:                                        false,
		`@PJL RDYMSG DISPLAY="alice"`:                                    false,
		`@PJL INFO STATUS`:                                               false,
		`@PJL USTATUS DEVICE=ON`:                                         false,
		`@PJL`:                                                           false,
	} {
		if got := pjlAbuse([]byte(line)) != ""; got != want {
			t.Errorf("pjlAbuse(%q) = %v, want %v", line, got, want)
		}
	}
}

// TestAnonymousReads replays the staged recordings: the LDAP dumps and the
// FTP upload raise insecure_protocol naming the server with what was read
// or stored; the rootDSE reads, address-book lookups and the anonymous
// download do not (the login's Low event aside).
func TestAnonymousReads(t *testing.T) {
	cfg := Config{Gateway: netip.MustParseAddr("10.88.8.1")}
	count := func(name, detail string) (n int, sev inventory.Severity) {
		for _, ev := range replayFile(t, filepath.Join("testdata", "staged", name), cfg) {
			if ev.Type == inventory.EventInsecureProtocol && len(ev.Evidence) > 0 && containsFold([]byte(ev.Evidence[0].Detail), detail) {
				n, sev = n+1, ev.Severity
			}
		}
		return n, sev
	}
	for _, c := range []struct {
		file, detail string
		n            int
		sev          inventory.Severity
	}{
		{"ldap-anonymous-dump-ldapsearch.pcap", "42 directory entries with password", 1, inventory.SeverityHigh},
		{"ldap-anonymous-dump-nmap-ldap-search.pcap", "directory entries with password", 1, inventory.SeverityHigh},
		{"benign-ldap-anonymous-rootdse-addressbook-ldapsearch.pcap", "directory entries", 0, ""},
		{"ftp-anonymous-upload-lftp-vsftpd.pcap", `stor "update.sh" answered 150`, 1, inventory.SeverityMedium},
		{"ftp-anonymous-download-only-lftp-vsftpd.pcap", "stored a file", 0, ""},
	} {
		if n, sev := count(c.file, c.detail); n != c.n || sev != c.sev {
			t.Errorf("%s: %d events %q at %q, want %d at %q", c.file, n, c.detail, sev, c.n, c.sev)
		}
	}
}

// FuzzAnonymousPJL runs the LDAP, FTP and PJL readers over any segment,
// both ways: no panic, and the tables stay at anonConns.
func FuzzAnonymousPJL(f *testing.F) {
	f.Add([]byte("\x30\x0c\x02\x01\x01\x60\x07\x02\x01\x03\x04\x00\x80\x00"))
	f.Add([]byte("\x30\x82\x01\x22\x02\x01\x04\x64\x82\x01\x1b\x04\x21uid=user1,ou=people,dc=lab,dc=lan\x30\x81"))
	f.Add([]byte("\x30\x0c\x02\x01\x02\x65\x07\x0a\x01\x00\x04\x00\x04\x00"))
	f.Add([]byte("USER anonymous\r\n"))
	f.Add([]byte("STOR update.sh\r\n"))
	f.Add([]byte("150 Ok to send data.\r\n"))
	f.Add([]byte("\x1b%-12345X@PJL FSUPLOAD NAME=\"0:\\..\\etc\\passwd\"\r\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		e := New(Config{Gateway: netip.MustParseAddr("10.0.0.1")}, nil)
		for _, ports := range [][2]uint16{{40000, 389}, {389, 40000}, {40000, 21}, {21, 40000}, {40000, pjlPort}} {
			p := &capture.Packet{Has: capture.HasEthernet | capture.HasIPv4 | capture.HasTCP}
			p.TCP.SrcPort, p.TCP.DstPort, p.TCP.Payload = layers.TCPPort(ports[0]), layers.TCPPort(ports[1]), b
			e.appPorts(p, mac{2}, mac{4}, ports[0], ports[1])
			e.appPorts(p, mac{2}, mac{4}, ports[0], ports[1])
		}
	})
}
