package snmp

import (
	"bufio"
	"context"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/gosnmp/gosnmp"
)

// recording is an snmpsim .snmprec file served in-process: a session that
// answers GET, GETNEXT and GETBULK from it the way snmpsimd does, so the
// poller's real code path runs against the corpus in milliseconds.
type recording struct {
	names  []string // sorted by arcs
	arcs   [][]uint32
	sorted []gosnmp.SnmpPDU // names' objects, in their order: a walk reads them without hashing a name
	pdus   map[string]gosnmp.SnmpPDU
	calls  int
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
	r := &recording{pdus: map[string]gosnmp.SnmpPDU{}}
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
		arcs, err := parseOID(oid)
		if err != nil {
			continue
		}
		if _, dup := r.pdus[oid]; !dup {
			r.names = append(r.names, oid)
			r.arcs = append(r.arcs, arcs)
		}
		r.pdus[oid] = pdu
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	idx := make([]int, len(r.names))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int { return compareArcs(r.arcs[a], r.arcs[b]) })
	names, arcs, sorted := make([]string, len(idx)), make([][]uint32, len(idx)), make([]gosnmp.SnmpPDU, len(idx))
	for i, j := range idx {
		names[i], arcs[i], sorted[i] = r.names[j], r.arcs[j], r.pdus[r.names[j]]
	}
	r.names, r.arcs, r.sorted = names, arcs, sorted
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
	arcs, err := parseOID(oid)
	if err != nil {
		return len(r.names)
	}
	i, found := slices.BinarySearchFunc(r.arcs, arcs, compareArcs)
	if found {
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
		if p, ok := r.pdus[o]; ok {
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
			if pos[i] >= len(r.names) {
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
