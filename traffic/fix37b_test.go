package traffic

import (
	"bytes"
	"encoding/binary"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"tend/capture"
	"tend/inventory"
)

// f37bPayloads returns the TCP payloads of a staged recording whose
// destination port is port.
func f37bPayloads(t *testing.T, name string, port uint16) [][]byte {
	t.Helper()
	src, err := capture.OpenFile(filepath.Join("testdata", "staged", name))
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	d := capture.NewDecoder()
	var out [][]byte
	for {
		f, err := src.ReadFrame()
		if err != nil {
			return out
		}
		p := d.Decode(f)
		if p.Has&capture.HasTCP != 0 && uint16(p.TCP.DstPort) == port && len(p.TCP.Payload) > 0 {
			out = append(out, bytes.Clone(p.TCP.Payload))
		}
	}
}

func utf16le(s string) []byte {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = binary.LittleEndian.AppendUint16(b, u)
	}
	return b
}

// TestSMBNamesReal reads smbclient's real CREATE and SET_INFO requests
// (the staged rename): each rename's new name is the name its connection
// opened just before plus ".crypted", which smbNameOf finds as the new
// extension and the old name's hash as the new name's stem.
func TestSMBNamesReal(t *testing.T) {
	var opened, renamed []smbName
	for _, b := range f37bPayloads(t, "smb-ransomware-rename-smbclient.pcap", 445) {
		if len(b) < 4+64 || string(b[4:8]) != "\xfeSMB" {
			continue
		}
		m := b[4:]
		switch binary.LittleEndian.Uint16(m[12:]) {
		case 5:
			opened = append(opened, smbNameOf(smbField(m, int(binary.LittleEndian.Uint16(m[64+44:])), int(binary.LittleEndian.Uint16(m[64+46:])))))
		case 17:
			buf := smbField(m, int(binary.LittleEndian.Uint16(m[64+8:])), int(binary.LittleEndian.Uint32(m[64+4:])))
			nm := smbNameOf(buf[20 : 20+binary.LittleEndian.Uint32(buf[16:])])
			if len(opened) == 0 || opened[len(opened)-1].hash != nm.stem {
				t.Fatalf("rename %d: its stem is not the name opened before it", len(renamed))
			}
			if string(nm.ext[:nm.extN]) != "crypted" || nm.dots != 2 || nm.temp || opened[len(opened)-1].temp {
				t.Fatalf("rename %d: extension %q, %d dots, temp %v", len(renamed), nm.ext[:nm.extN], nm.dots, nm.temp)
			}
			renamed = append(renamed, nm)
		}
	}
	if len(renamed) != 60 {
		t.Fatalf("%d renames read, want 60", len(renamed))
	}
	a, b := smbNameOf(utf16le(`Finance\Invoice-1.XLSX`)), smbNameOf(utf16le(`\finance\invoice-1.xlsx`))
	if a.hash != b.hash || string(a.ext[:a.extN]) != "xlsx" {
		t.Fatalf("case or a leading backslash changed the name: %x %x %q", a.hash, b.hash, a.ext[:a.extN])
	}
	for _, s := range []string{`Finance\~WRL0001.tmp`, `Photos\.pic-1.jpg.a1Xq`} {
		if nm := smbNameOf(utf16le(s)); !nm.temp {
			t.Errorf("%s: not taken for a temporary file", s)
		}
	}
	if nm := smbNameOf(utf16le(`dir.v2\README`)); nm.extN != 0 {
		t.Errorf("a folder's dot taken for an extension: %q", nm.ext[:nm.extN])
	}
	locked := utf16le(`Finance\invoice-1.xlsx.locked`)
	if n := testing.AllocsPerRun(100, func() { smbNameOf(locked) }); n != 0 {
		t.Errorf("smbNameOf allocates %v times", n)
	}
}

// smb2Segment is one SMB2 request after its session header: cmd with the
// body body (from byte 64), message ID id.
func smb2Segment(cmd uint16, id uint64, body []byte) []byte {
	m := make([]byte, 64, 64+len(body))
	copy(m, "\xfeSMB\x40\x00")
	binary.LittleEndian.PutUint16(m[12:], cmd)
	binary.LittleEndian.PutUint64(m[24:], id)
	m = append(m, body...)
	return append([]byte{0, 0, byte(len(m) >> 8), byte(len(m))}, m...)
}

// smbCreate and smbRename build smbclient's requests: a CREATE of name
// with disposition disp, a SET_INFO renaming the open file to name.
func smbCreate(name string, disp uint32) []byte {
	n := utf16le(name)
	body := make([]byte, 56)
	binary.LittleEndian.PutUint16(body, 57)
	binary.LittleEndian.PutUint32(body[36:], disp)
	binary.LittleEndian.PutUint16(body[44:], 64+56)
	binary.LittleEndian.PutUint16(body[46:], uint16(len(n)))
	return smb2Segment(5, 1, append(body, n...))
}

func smbRename(name string) []byte {
	n := utf16le(name)
	body := make([]byte, 32)
	binary.LittleEndian.PutUint16(body, 33)
	body[2], body[3] = 1, 10
	binary.LittleEndian.PutUint32(body[4:], uint32(20+len(n)))
	binary.LittleEndian.PutUint16(body[8:], 64+32)
	info := make([]byte, 20)
	binary.LittleEndian.PutUint32(info[16:], uint32(len(n)))
	return smb2Segment(17, 2, append(append(body, info...), n...))
}

// TestRansomwareShapes drives the shapes ransomware.go tells apart: 50
// renames to one appended or replacing extension within a minute raise
// ransomware on the client; 49, the same 50 over more than a minute,
// Office's temporary files, a sync client's .part files, a rename keeping
// each extension and the renames' extension changing each time stay quiet.
func TestRansomwareShapes(t *testing.T) {
	for _, tc := range []struct {
		name  string
		n     int
		every time.Duration
		pair  func(i int) (old, new string)
		want  bool
	}{
		{"appended", 50, 10 * time.Millisecond, func(i int) (string, string) { return f37bName("a", i, "xlsx"), f37bName("a", i, "xlsx") + ".locked" }, true},
		{"replaced", 50, time.Second, func(i int) (string, string) { return f37bName("a", i, "docx"), f37bName("a", i, "wncry") }, true},
		{"49", 49, 10 * time.Millisecond, func(i int) (string, string) { return f37bName("a", i, "xlsx"), f37bName("a", i, "xlsx") + ".locked" }, false},
		{"slow", 50, 1300 * time.Millisecond, func(i int) (string, string) { return f37bName("a", i, "xlsx"), f37bName("a", i, "xlsx") + ".locked" }, false},
		{"office", 60, 10 * time.Millisecond, func(i int) (string, string) { return f37bName("~WRD", i, "tmp"), f37bName("r", i, "docx") }, false},
		{"office old", 60, 10 * time.Millisecond, func(i int) (string, string) { return f37bName("r", i, "docx"), f37bName("~WRL", i, "tmp") }, false},
		{"sync", 60, 10 * time.Millisecond, func(i int) (string, string) { return f37bName("p", i, "jpg") + ".part", f37bName("p", i, "jpg") }, false},
		{"synced", 60, 10 * time.Millisecond, func(i int) (string, string) { return f37bName("p", i, "jpg.tmp1"), f37bName("p", i, "jpg") }, false},
		{"same extension", 60, 10 * time.Millisecond, func(i int) (string, string) { return f37bName("IMG_", i, "JPG"), f37bName("holiday-", i, "jpg") }, false},
		{"own extensions", 60, 10 * time.Millisecond, func(i int) (string, string) {
			return f37bName("x", i, "txt"), f37bName("x", i, "e"+strings.Repeat("x", i%12))
		}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{Learning: time.Minute})
			at := t0
			for i := range tc.n {
				old, nw := tc.pair(i)
				r.feed(at, tcpFrame(t, pcMAC, "10.0.0.10", 40000, nasMAC, "10.0.0.30", 445, tcpFlags{ack: true, psh: true}, smbCreate(old, 1)))
				r.feed(at.Add(time.Millisecond), tcpFrame(t, pcMAC, "10.0.0.10", 40000, nasMAC, "10.0.0.30", 445, tcpFlags{ack: true, psh: true}, smbRename(nw)))
				at = at.Add(tc.every)
			}
			got := r.of(inventory.EventRansomware)
			if tc.want != (len(got) == 1) || len(got) > 1 {
				t.Fatalf("%d ransomware events, want %v: %v", len(got), tc.want, got)
			}
			if tc.want && (got[0].MAC.String() != pcMAC.String() || got[0].TargetIP.String() != "10.0.0.30" || got[0].Severity != inventory.SeverityCritical) {
				t.Fatalf("wrong culprit, target or severity: %+v", got[0])
			}
		})
	}
}

func f37bName(prefix string, i int, ext string) string {
	return `Docs\` + prefix + string(rune('a'+i%26)) + string(rune('a'+i/26)) + "." + ext
}

// TestCopyDeleteStaged replays the staged encrypted-copy shape and checks
// the event names the extension and the share.
func TestCopyDeleteStaged(t *testing.T) {
	evs := replayFile(t, filepath.Join("testdata", "staged", "smb-ransomware-copy-delete-smbclient.pcap.gz"), Config{})
	if len(evs) != 1 || evs[0].Type != inventory.EventRansomware || !strings.Contains(evs[0].Summary, ".enc") || !strings.Contains(evs[0].Summary, "share share") {
		t.Fatalf("want one ransomware event naming .enc on share share: %v", evs)
	}
}

// TestDCSyncFromDC replays secretsdump's DRSUAPI bind after its source
// answered LDAP (a domain controller replicating): quiet; alone it is
// ad_attack (TestStagedCaptures).
func TestDCSyncFromDC(t *testing.T) {
	var evs []inventory.Event
	e := New(Config{}, func(ev inventory.Event) { evs = append(evs, ev) })
	d := capture.NewDecoder()
	src, err := capture.OpenFile(filepath.Join("testdata", "staged", "dcsync-secretsdump-samba-dc.pcap"))
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	first := true
	for {
		f, err := src.ReadFrame()
		if err != nil {
			break
		}
		if first {
			synack := tcpFrame(t, evilMAC, "10.37.1.66", 389, nasMAC, "10.37.1.30", 50000, tcpFlags{syn: true, ack: true}, nil)
			e.Packet(d.Decode(capture.Frame{Time: f.Time, Data: synack, Length: len(synack)}))
			first = false
		}
		e.Packet(d.Decode(f))
	}
	e.Flush()
	for _, ev := range evs {
		if ev.Type == inventory.EventADAttack {
			t.Fatalf("a domain controller's replication raised %s", ev.Summary)
		}
	}
}

// FuzzSMBWatch feeds arbitrary segments to an SMB server's port, from
// one, and to an RPC port as a bind: nothing may panic or grow past the
// caps.
func FuzzSMBWatch(f *testing.F) {
	f.Add(smbCreate(`a\b.xlsx`, 5))
	f.Add(smbRename(`a\b.xlsx.locked`))
	f.Add(append([]byte{5, 0, 11, 3, 16, 0, 0, 0, 72, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0}, uuidDRSUAPI...))
	f.Fuzz(func(t *testing.T, b []byte) {
		r := newRig(t, Config{Learning: time.Minute})
		r.feed(t0, tcpFrame(t, pcMAC, "10.0.0.10", 40000, nasMAC, "10.0.0.30", 445, tcpFlags{ack: true}, smbCreate(`a\b.xlsx`, 1)))
		r.feed(t0.Add(time.Millisecond), tcpFrame(t, pcMAC, "10.0.0.10", 40000, nasMAC, "10.0.0.30", 445, tcpFlags{ack: true}, b))
		r.feed(t0.Add(2*time.Millisecond), tcpFrame(t, nasMAC, "10.0.0.30", 445, pcMAC, "10.0.0.10", 40000, tcpFlags{ack: true}, b))
		r.feed(t0.Add(3*time.Millisecond), tcpFrame(t, pcMAC, "10.0.0.10", 40001, nasMAC, "10.0.0.30", 49153, tcpFlags{ack: true}, append([]byte{5, 0, 11}, b...)))
		r.e.Flush()
		if r.e.ransom == nil || len(r.e.ransom.conns) > smbRansomConns || len(r.e.ransom.pairs) > smbRansomPairs {
			t.Fatal("state missing or past its caps")
		}
	})
}
