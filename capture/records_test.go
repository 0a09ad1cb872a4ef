package capture

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/gopacket/pcapgo"

	"tend/internal/raceflag"
)

// record is what one read returned, for comparing two readers.
type record struct {
	Data   []byte
	Time   time.Time
	CapLen int
	Length int
	Err    string
}

// diffRecords is cmp.Diff(want, got) for the first record that differs, ""
// when none does. Comparing field by field first keeps a corpus of a few
// hundred thousand records fast under -race (cmp walks every byte through
// reflection: six minutes of the suite).
func diffRecords(want, got []record) string {
	for i := range min(len(want), len(got)) {
		w, g := want[i], got[i]
		if !bytes.Equal(w.Data, g.Data) || !w.Time.Equal(g.Time) || w.CapLen != g.CapLen || w.Length != g.Length || w.Err != g.Err {
			return fmt.Sprintf("record %d:\n%s", i, cmp.Diff(w, g))
		}
	}
	if len(want) != len(got) {
		return fmt.Sprintf("%d records, want %d", len(got), len(want))
	}
	return ""
}

// readAll reads path through read until an error, copying every record.
func readAll(t *testing.T, read func() ([]byte, time.Time, int, int, error)) []record {
	t.Helper()
	var out []record
	for {
		data, ts, capLen, length, err := read()
		r := record{Data: bytes.Clone(data), Time: ts, CapLen: capLen, Length: length}
		if err != nil {
			r.Data, r.Err = nil, err.Error()
			out = append(out, r)
			return out
		}
		out = append(out, r)
	}
}

// pcapgoRecords is the reference: pcapgo's own reader over the same bytes,
// with the snap length raised as newFile raises it.
func pcapgoRecords(t *testing.T, file []byte) []record {
	r, err := pcapgo.NewReader(bytes.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	if r.Snaplen() < maxSnapLen {
		r.SetSnaplen(maxSnapLen)
	}
	return readAll(t, func() ([]byte, time.Time, int, int, error) {
		d, ci, err := r.ZeroCopyReadPacketData()
		return d, ci.Timestamp, ci.CaptureLength, ci.Length, err
	})
}

func ownRecords(t *testing.T, file []byte, bufSize int) []record {
	rd := bytes.NewReader(file)
	br := bufio.NewReaderSize(rd, bufSize)
	var hdr [24]byte
	copy(hdr[:], file)
	r, err := pcapgo.NewReader(br)
	if err != nil {
		t.Fatal(err)
	}
	if r.Snaplen() < maxSnapLen {
		r.SetSnaplen(maxSnapLen)
	}
	rr, ok := newRecords(br, rd, bufSize, hdr, r.Snaplen())
	if !ok {
		t.Fatalf("magic %x not taken", hdr[:4])
	}
	return readAll(t, func() ([]byte, time.Time, int, int, error) {
		var f Frame
		capLen, err := rr.next(&f)
		if err == nil && f.UnixNano != f.Time.UnixNano() {
			t.Errorf("record at %v: UnixNano %d, want Time's %d", f.Time, f.UnixNano, f.Time.UnixNano())
		}
		return f.Data, f.Time, capLen, f.Length, err
	})
}

// pcapFile builds a classic pcap: magic picks byte order and unit; each
// record is (capture length, wire length); fraction is the sub-second field.
func pcapFile(order binary.ByteOrder, magic uint32, snaplen uint32, recs [][2]uint32, fraction uint32) []byte {
	var b bytes.Buffer
	h := make([]byte, 24)
	order.PutUint32(h[0:], magic)
	order.PutUint16(h[4:], 2)
	order.PutUint16(h[6:], 4)
	order.PutUint32(h[16:], snaplen)
	order.PutUint32(h[20:], 1)
	b.Write(h)
	for i, r := range recs {
		rh := make([]byte, 16)
		order.PutUint32(rh[0:], uint32(1700000000+i))
		order.PutUint32(rh[4:], fraction+uint32(i))
		order.PutUint32(rh[8:], r[0])
		order.PutUint32(rh[12:], r[1])
		b.Write(rh)
		for j := range r[0] {
			b.WriteByte(byte(i + int(j)))
		}
	}
	return b.Bytes()
}

// TestRecordsSameAsPcapgo: the buffered reader returns what pcapgo returns
// (data, timestamps, lengths and errors) for both byte orders and
// timestamp units, records longer than the buffer, a snap length exceeded,
// a capture length above the wire length, and files cut mid-header and
// mid-record; a 4 KB buffer refills often and takes the long-record path.
func TestRecordsSameAsPcapgo(t *testing.T) {
	normal := [][2]uint32{{60, 60}, {1514, 1514}, {0, 0}, {96, 1500}, {14, 14}}
	cases := map[string][]byte{
		"little micro":         pcapFile(binary.LittleEndian, 0xa1b2c3d4, 65535, normal, 999999),
		"big micro":            pcapFile(binary.BigEndian, 0xa1b2c3d4, 65535, normal, 5),
		"little nano":          pcapFile(binary.LittleEndian, 0xa1b23c4d, 65535, normal, 999999999),
		"big nano":             pcapFile(binary.BigEndian, 0xa1b23c4d, 65535, normal, 7),
		"fraction overflows":   pcapFile(binary.LittleEndian, 0xa1b2c3d4, 65535, normal, 4294967),
		"longer than buffer":   pcapFile(binary.LittleEndian, 0xa1b2c3d4, 65535, [][2]uint32{{60, 60}, {9000, 9000}, {60, 60}}, 0),
		"snap length exceeded": pcapFile(binary.LittleEndian, 0xa1b2c3d4, 65535, [][2]uint32{{60, 60}, {maxSnapLen + 1, maxSnapLen + 1}}, 0),
		"capture above wire":   pcapFile(binary.LittleEndian, 0xa1b2c3d4, 65535, [][2]uint32{{60, 60}, {61, 60}, {60, 60}}, 0),
		"long record cut":      pcapFile(binary.LittleEndian, 0xa1b2c3d4, 65535, [][2]uint32{{60, 60}, {9000, 9000}}, 0)[:24+76+16+5000],
		"long record no data":  pcapFile(binary.LittleEndian, 0xa1b2c3d4, 65535, [][2]uint32{{60, 60}, {9000, 9000}}, 0)[:24+76+16],
		"large header snaplen": pcapFile(binary.LittleEndian, 0xa1b2c3d4, 1<<21, [][2]uint32{{60, 60}, {maxSnapLen + 100, maxSnapLen + 100}, {60, 60}}, 0),
	}
	whole := cases["little micro"]
	for _, cut := range []int{24 + 8, 24 + 16, 24 + 16 + 30, len(whole) - 1} {
		cases[fmt.Sprintf("cut at %d", cut)] = whole[:cut]
	}
	for name, file := range cases {
		// pcapgo reads the header through the reader itself from 4096 bytes on.
		for _, size := range []int{4096, readBuffer} {
			t.Run(fmt.Sprintf("%s/%d", name, size), func(t *testing.T) {
				if diff := diffRecords(pcapgoRecords(t, file), ownRecords(t, file, size)); diff != "" {
					t.Errorf("records (-pcapgo +own):\n%s", diff)
				}
			})
		}
	}
}

// TestRecordsCorpus compares the two readers on every classic pcap of the
// corpus (skips without it).
func TestRecordsCorpus(t *testing.T) {
	if raceflag.On {
		t.Skip("every corpus capture read twice in one goroutine: runs without -race (make test-future)")
	}
	dir := corpus(t, "")
	n := 0
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !(strings.HasSuffix(p, ".pcap") || strings.HasSuffix(p, ".cap")) {
			return err
		}
		file, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if len(file) < 24 || bytes.Equal(file[:4], pcapngMagic) || file[0] == 0x1f {
			return nil
		}
		n++
		if diff := diffRecords(pcapgoRecords(t, file), ownRecords(t, file, readBuffer)); diff != "" {
			t.Errorf("%s: records (-pcapgo +own):\n%s", p, diff)
		}
		return nil
	})
	if err != nil && !errors.Is(err, io.EOF) {
		t.Fatal(err)
	}
	if n == 0 {
		t.Fatal("no classic pcap in the corpus")
	}
	t.Logf("%d captures compared", n)
}
