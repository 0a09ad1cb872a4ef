package snmp

import (
	"bufio"
	"context"
	"encoding/hex"
	"fmt"
	"hash/maphash"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/gosnmp/gosnmp"
)

// recording is an snmpsim .snmprec file served in-process: a session that
// answers GET, GETNEXT and GETBULK from it the way snmpsimd does, so the
// poller's real code path runs against the corpus in milliseconds.
//
// Its objects are held with few pointers: the names are substrings of one
// string, the octet strings slices of one array and the arcs one slice of
// numbers. BenchmarkIdentifyEvery holds every recording of setA and setC
// (1,155): held as a string, a slice of arcs and a map entry per object,
// they made the collector's every cycle mark ~450 MB for half a second,
// during which 40% of the devices' rounds ran and were charged for it.
type recording struct {
	arcs   []uint32         // every object's arcs, in order, one after another
	ends   []int32          // object i's arcs end at arcs[ends[i]]
	sorted []gosnmp.SnmpPDU // the objects, sorted by arcs: a walk reads them without hashing a name
	want   []uint32         // the arcs of the name asked for, parsed into it (GET and GETBULK run one at a time)
	slots  []int32          // GET's table: 1 + the index of the object whose name hashes to the slot or follows it, 0 empty
	calls  int
}

// size is how many objects the recording holds.
func (r *recording) size() int { return len(r.sorted) }

// arcsOf is the i-th object's arcs.
func (r *recording) arcsOf(i int) []uint32 {
	start := int32(0)
	if i > 0 {
		start = r.ends[i-1]
	}
	return r.arcs[start:r.ends[i]]
}

// search is the index of the first object whose arcs are oid's or come
// after them, and whether oid parsed.
func (r *recording) search(oid string) (int, bool) {
	want, ok := appendArcs(r.want[:0], strings.TrimPrefix(oid, "."))
	if !ok {
		return r.size(), false
	}
	r.want = want
	return sort.Search(r.size(), func(i int) bool { return compareArcs(r.arcsOf(i), want) >= 0 }), true
}

// appendArcs is parseOID appending to arcs, without an error's text.
func appendArcs(arcs []uint32, s string) ([]uint32, bool) {
	if s == "" {
		return arcs, false
	}
	for a := range strings.SplitSeq(s, ".") {
		n, err := strconv.ParseUint(a, 10, 32)
		if err != nil || a == "" || a[0] == '+' || len(arcs) == 128 {
			return arcs, false
		}
		arcs = append(arcs, uint32(n))
	}
	return arcs, true
}

// object is the object named oid (no leading dot), if the recording holds it.
func (r *recording) object(oid string) (gosnmp.SnmpPDU, bool) {
	mask := uint64(len(r.slots) - 1)
	for i := maphash.String(recordingSeed, oid) & mask; r.slots[i] != 0; i = (i + 1) & mask {
		if p := r.sorted[r.slots[i]-1]; p.Name[1:] == oid {
			return p, true
		}
	}
	return gosnmp.SnmpPDU{}, false
}

var recordingSeed = maphash.MakeSeed()

// index fills GET's table, open addressing with room for twice the
// objects: a map of names would hold a pointer per object.
func (r *recording) index() {
	n := 1
	for n < 2*r.size() {
		n *= 2
	}
	r.slots = make([]int32, n)
	mask := uint64(n - 1)
	for j, p := range r.sorted {
		i := maphash.String(recordingSeed, p.Name[1:]) & mask
		for r.slots[i] != 0 {
			i = (i + 1) & mask
		}
		r.slots[i] = int32(j + 1)
	}
}

// corpusDir is the setA recordings folder, or a skip.
func corpusDir(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("TEND_CORPUS")
	if dir == "" {
		dir = filepath.Join("..", "..", "shared", "corpus", "snmp")
	}
	dir = filepath.Join(dir, "setA")
	if _, err := os.Stat(filepath.Join(dir, "manifest.jsonl")); err != nil {
		t.Skipf("skipping: corpus not found at %s (set TEND_CORPUS): %v", dir, err)
	}
	return dir
}

// recordingOf writes text (snmprec lines) to a file of the test's and
// loads it: an agent a test writes line by line.
func recordingOf(t testing.TB, text string) *recording {
	t.Helper()
	path := filepath.Join(t.TempDir(), "agent.snmprec")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return loadRecording(t, path)
}

func loadRecording(t testing.TB, path string) *recording {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var names []string
	var arcs [][]uint32
	pdus := map[string]gosnmp.SnmpPDU{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		oid, tag, val, ok := splitRec(sc.Text())
		if !ok {
			continue
		}
		pdu, err := recPDU(oid, tag, val)
		if err != nil {
			continue // types tend does not read (Opaque) and malformed lines
		}
		a, err := parseOID(oid)
		if err != nil {
			continue
		}
		if _, dup := pdus[oid]; !dup {
			names = append(names, oid)
			arcs = append(arcs, a)
		}
		pdus[oid] = pdu
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	idx := make([]int, len(names))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int { return compareArcs(arcs[a], arcs[b]) })
	return packRecording(idx, names, arcs, pdus)
}

// packRecording lays the objects out in idx's order the few-pointer way
// recording holds them.
func packRecording(idx []int, names []string, arcs [][]uint32, pdus map[string]gosnmp.SnmpPDU) *recording {
	var text strings.Builder
	var octets []byte
	for _, j := range idx {
		text.WriteString("." + names[j])
		if b, ok := pdus[names[j]].Value.([]byte); ok {
			octets = append(octets, b...)
		}
	}
	all := text.String()
	r := &recording{ends: make([]int32, len(idx)), sorted: make([]gosnmp.SnmpPDU, len(idx))}
	at, off := 0, 0
	for i, j := range idx {
		pdu := pdus[names[j]]
		pdu.Name = all[at : at+1+len(names[j])]
		at += len(pdu.Name)
		if b, ok := pdu.Value.([]byte); ok {
			pdu.Value = octets[off : off+len(b) : off+len(b)]
			off += len(b)
		}
		r.sorted[i] = pdu
		r.arcs = append(r.arcs, arcs[j]...)
		r.ends[i] = int32(len(r.arcs))
	}
	r.index()
	return r
}

func splitRec(line string) (oid, tag, val string, ok bool) {
	oid, rest, ok1 := strings.Cut(line, "|")
	tag, val, ok2 := strings.Cut(rest, "|")
	return oid, tag, val, ok1 && ok2
}

// recPDU decodes one snmprec value as gosnmp would hand it over.
func recPDU(oid, tag, val string) (gosnmp.SnmpPDU, error) {
	hexed := strings.HasSuffix(tag, "x")
	tag = strings.TrimRight(tag, "xe")
	n, err := strconv.Atoi(tag)
	if err != nil {
		return gosnmp.SnmpPDU{}, err
	}
	raw := []byte(val)
	if hexed {
		if raw, err = hex.DecodeString(val); err != nil {
			return gosnmp.SnmpPDU{}, err
		}
	}
	p := gosnmp.SnmpPDU{Name: "." + oid, Type: gosnmp.Asn1BER(n)}
	switch p.Type {
	case gosnmp.OctetString:
		p.Value = raw
	case gosnmp.ObjectIdentifier:
		p.Value = "." + strings.TrimPrefix(string(raw), ".")
	case gosnmp.IPAddress:
		p.Value = string(raw)
	case gosnmp.Integer:
		v, err := strconv.Atoi(string(raw))
		if err != nil {
			return p, err
		}
		p.Value = v
	case gosnmp.Counter32, gosnmp.Gauge32, gosnmp.TimeTicks:
		v, err := strconv.ParseUint(string(raw), 10, 32)
		if err != nil {
			return p, err
		}
		p.Value = uint(v)
		if p.Type == gosnmp.TimeTicks {
			p.Value = uint32(v)
		}
	case gosnmp.Counter64:
		v, err := strconv.ParseUint(string(raw), 10, 64)
		if err != nil {
			return p, err
		}
		p.Value = v
	default:
		return p, fmt.Errorf("tag %d not served", n)
	}
	return p, nil
}

// next is the index of the first object after oid.
func (r *recording) next(oid string) int {
	i, ok := r.search(oid)
	if ok && i < r.size() && compareArcs(r.arcsOf(i), r.want) == 0 {
		i++
	}
	return i
}

func (r *recording) session(context.Context, target) (session, error) { return r, nil }

func (r *recording) Get(oids []string) (*gosnmp.SnmpPacket, error) {
	r.calls++
	pkt := &gosnmp.SnmpPacket{Variables: make([]gosnmp.SnmpPDU, 0, len(oids))}
	for _, o := range oids {
		o = strings.TrimPrefix(o, ".")
		if p, ok := r.object(o); ok {
			pkt.Variables = append(pkt.Variables, p)
		} else {
			pkt.Variables = append(pkt.Variables, gosnmp.SnmpPDU{Name: "." + o, Type: gosnmp.NoSuchObject})
		}
	}
	return pkt, nil
}

func (r *recording) GetNext(oids []string) (*gosnmp.SnmpPacket, error) {
	return r.GetBulk(oids, 0, 1)
}

// GetBulk answers as RFC 3416 section 4.2.3 has agents do (snmpsimd's
// answers are so; net-snmp 5.9 ends its answer at the first
// endOfMibView instead): a repetition past the end of the MIB
// is an endOfMibView named after the previous repetition's object, the
// last one the column returned, and after the request's name only in the
// first repetition.
func (r *recording) GetBulk(oids []string, _ uint8, maxRep uint32) (*gosnmp.SnmpPacket, error) {
	r.calls++
	// the answer sized once, as a decoder sizes it by the packet (the
	// harness's own appends were a tenth of BenchmarkIdentifyEvery's time)
	pkt := &gosnmp.SnmpPacket{Variables: make([]gosnmp.SnmpPDU, 0, len(oids)*int(maxRep))}
	pos, prev := make([]int, len(oids)), make([]string, len(oids))
	for i, o := range oids {
		pos[i], prev[i] = r.next(o), "."+strings.TrimPrefix(o, ".")
	}
	for range maxRep {
		for i := range oids {
			if pos[i] >= r.size() {
				pkt.Variables = append(pkt.Variables, gosnmp.SnmpPDU{Name: prev[i], Type: gosnmp.EndOfMibView})
				continue
			}
			pdu := r.sorted[pos[i]]
			pkt.Variables = append(pkt.Variables, pdu)
			pos[i], prev[i] = pos[i]+1, pdu.Name
		}
	}
	return pkt, nil
}

func (r *recording) Close() error { return nil }
