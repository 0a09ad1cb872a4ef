package snmp

import (
	"encoding/binary"
	"fmt"
	"strings"
	"tend/internal/testclock"
	"testing"
	"unicode/utf8"

	"github.com/gosnmp/gosnmp"
)

// fuzzPDU builds a varbind of type typ from fuzz input, holding the Go
// value gosnmp would decode into that type, or a mismatched one (agents
// and decoders get types wrong).
func fuzzPDU(name string, typ uint8, data []byte, n int64) gosnmp.SnmpPDU {
	t := gosnmp.Asn1BER(typ)
	var v any
	switch typ % 7 {
	case 0:
		v = data
	case 1:
		v = string(data)
	case 2:
		v = int(n)
	case 3:
		v = uint32(n)
	case 4:
		v = uint64(n)
	case 5:
		v = uint(n)
	default:
		v = nil
	}
	switch t {
	case gosnmp.OctetString:
		if typ%7 > 1 {
			v = data
		}
	case gosnmp.ObjectIdentifier:
		v = string(data)
	}
	return gosnmp.SnmpPDU{Name: name, Type: t, Value: v}
}

func checkText(t *testing.T, what, s string) {
	t.Helper()
	if !utf8.ValidString(s) || len(s) > maxText {
		t.Fatalf("%s: %d bytes, valid UTF-8 %v", what, len(s), utf8.ValidString(s))
	}
}

func FuzzParseOID(f *testing.F) {
	for _, s := range []string{"1.3.6.1.2.1.1.1.0", ".1.3", "", "1..3", "1.+3", "4294967296", strings.Repeat("1.", 130) + "1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		arcs, err := parseOID(s)
		if err != nil {
			return
		}
		if len(arcs) == 0 || len(arcs) > 128 {
			t.Fatalf("%q: %d arcs", s, len(arcs))
		}
		back, err := parseOID(formatArcs(arcs))
		if err != nil || compareArcs(back, arcs) != 0 {
			t.Fatalf("%q does not round-trip: %v", s, err)
		}
		if m := macFromIndex(strings.TrimPrefix(s, ".")); m != nil && len(m) != 6 {
			t.Fatalf("mac %v", m)
		}
	})
}

// FuzzHexWordText: hexWordText returns its input or the printable ASCII
// its "0xNN" words spell, one byte a word.
func FuzzHexWordText(f *testing.F) {
	for _, s := range []string{"0x43 0x52 0x30", "0x41 0x42", "0x20 0x20 0x20", "0x4g 0x52 0x30", "0x43 0x52 0x30 ", "", "0X7e 0x7E 0x7f"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := hexWordText(s)
		if got == s {
			return
		}
		if len(got) == 0 || len(got) > (len(s)+1)/5 || !printableASCII([]byte(got)) {
			t.Fatalf("hexWordText(%q) = %q", s, got)
		}
	})
}

func FuzzValueDecoders(f *testing.F) {
	f.Add(uint8(gosnmp.OctetString), []byte("\x00\x1b\x54\xaa\xbb\xcc"), int64(0))
	f.Add(uint8(gosnmp.Integer), []byte{}, int64(-1))
	f.Add(uint8(gosnmp.Counter64), []byte{}, int64(-1))
	f.Add(uint8(gosnmp.ObjectIdentifier), []byte(".1.3.6.1.4.1.9.1.634"), int64(0))
	f.Add(uint8(gosnmp.TimeTicks), []byte{0xff}, int64(1<<40))
	f.Add(uint8(gosnmp.OctetString), []byte{0x07, 0xe5, 3, 14, 10, 0, 0, 0, '+', 1, 0}, int64(0))
	f.Fuzz(func(t *testing.T, typ uint8, data []byte, n int64) {
		v := fuzzPDU(".1.3.6.1.2.1.1.1.0", typ, data, n)
		if val, ok := decodeValue(v); ok {
			checkText(t, "decodeValue", val.text)
			if raw := rawOctets(v); len(raw) > maxText {
				t.Fatalf("raw %d bytes", len(raw))
			}
		}
		_, _ = pduUint(v)
		if i, ok := pduInt(v); ok && v.Type != gosnmp.Integer && i < 0 {
			t.Fatalf("negative %d from %v", i, v.Type)
		}
		checkText(t, "pduText", pduText(v))
		if m := pduMAC(v); m != nil && len(m) != 6 {
			t.Fatalf("mac %v", m)
		}
		if s, err := decodeOID(v); err == nil && s != "" && !isDottedOID(s) {
			t.Fatalf("decodeOID %q", s)
		}
		_, _ = decodeTicks(v)
		if d, ok := decodeDateAndTime(data); ok && (d.Year() < 1969 || d.Year() > 2201) {
			t.Fatalf("date %v from %x", d, data)
		}
		if d := parseAPCDate(string(data), testclock.Now()); d != nil && d.After(testclock.Now()) {
			t.Fatalf("future date %v", d)
		}
	})
}

// FuzzIdentify feeds arbitrary sysObjectID, sysDescr and vendor-object
// values through the rule table.
func FuzzIdentify(f *testing.F) {
	f.Add("1.3.6.1.4.1.9.1.634", "Cisco IOS Software, C3560 Software, Version 12.2(55)SE12", []byte("WS-C3560"))
	f.Add("1.3.6.1.4.1.8072.3.2.10", "Linux nas 3.2.40 #25426 armv7l", []byte("DS214se"))
	f.Add("1.3.6.1.4.1.311.1.1.3.1.2", "Hardware: Intel64 - Software: Windows Version 6.3 (Build 17763 Multiprocessor Free)", []byte{})
	f.Add("1.3.6.1.4.1.368.1.1", " ; AXIS P1435-LE; Network Camera; 9.80.69; May 13 2024", []byte{0xac, 0xcc, 0x8e, 0xc0, 0xff, 0xee})
	f.Add(".1.3.6.1.4.1.9.1.18446744073709551617", "", []byte{})                                                  // the product table's branch, a number past 64 bits
	f.Add("1.3.6.1.4.1.8741.1", "SonicWALL TZ 670 (SonicOS 7.1.1-7058)", []byte{})                                // the bracketed system after the product
	f.Add("1.3.6.1.4.1.12356.106.1.5482", "Fortiswitch", []byte("FortiSwitch-548D v7.0.5,build0086,220725 (GA)")) // fsModel's product list
	f.Add("1.3.6.1.4.1.25506.11.1.165", "1920-16G Switch Software Version 5.20.99, Release 1108\nCopyright(c)2010-2015 Hewlett-Packard", []byte{})
	f.Add("", "FreeBSD fw 11.3-STABLE FreeBSD 11.3-STABLE #233 2c992b2181a(factory-RELENG_2_4_5): Tue Mar 24", []byte{}) // pfSense's branch
	f.Fuzz(func(t *testing.T, oid, descr string, data []byte) {
		descr = cleanText([]byte(descr))
		cands := candidates(oid, descr)
		scalars, columns := reads(oid, cands, vendorOIDs())
		vs := newValues(descr)
		for i, o := range scalars {
			vs.addScalars([]gosnmp.SnmpPDU{fuzzPDU(o, uint8(gosnmp.OctetString), append(data, byte(i)), int64(i))})
		}
		for i, c := range columns {
			vs.addRows(columns, []gosnmp.SnmpPDU{fuzzPDU(c+"."+fmt.Sprint(i%3), uint8(i), data, int64(len(data)))})
		}
		vs.addSubtree([]string{"1.3.6.1.4.1.99999"}, []gosnmp.SnmpPDU{fuzzPDU("1.3.6.1.4.1.99999.1.0", uint8(gosnmp.OctetString), data, 0)})
		vs.addSubtree(agentRoots, []gosnmp.SnmpPDU{fuzzPDU("1.3.6.1.4.1.48690.1."+fmt.Sprint(len(data))+".0", uint8(gosnmp.OctetString), data, 0)})
		id := identify(oid, cands, vs)
		for _, s := range []string{id.Make, id.Model, id.OS, id.Firmware, id.Serial} {
			checkText(t, "identity", s)
		}
		// an empty own subtree: the next enterprise's objects, one a
		// product banner built from the fuzzed description
		vs = newValues(descr)
		vs.addSubtree([]string{"1.3.6.1.4.1.99"}, []gosnmp.SnmpPDU{fuzzPDU("1.3.6.1.4.1.99999.2.0", uint8(gosnmp.OctetString), data, 0),
			fuzzPDU("1.3.6.1.4.1.99999.3.1", uint8(gosnmp.OctetString), append([]byte(descr+" v "), data...), 0)})
		id = identify(oid, cands, vs)
		for _, s := range []string{id.Make, id.Model, id.OS, id.Firmware, id.Serial} {
			checkText(t, "identity", s)
		}
	})
}

// FuzzHealthTables decodes arbitrary rows of every table health and
// topology read.
func FuzzHealthTables(f *testing.F) {
	f.Add([]byte("\x02\x00\x00\x00\x01eth0\x00\x1b\x54\x00\x00\x01"), int64(100))
	f.Add([]byte{3, 0xff, 0xff, 0xff, 0xfd}, int64(-3))
	f.Fuzz(func(t *testing.T, data []byte, n int64) {
		row := func(cols int) []gosnmp.SnmpPDU {
			r := make([]gosnmp.SnmpPDU, cols)
			for i := range r {
				var typ uint8
				if i < len(data) {
					typ = data[i]
				}
				k := n
				if len(data) >= 8 {
					k = int64(binary.BigEndian.Uint64(data[:8])) + int64(i)
				}
				r[i] = fuzzPDU("", typ, data, k)
			}
			return r
		}
		rows := map[string][]gosnmp.SnmpPDU{"1": row(len(ifColumns)), "x": row(len(ifColumns))}
		order := []string{"1", "x", "missing"}
		rows["missing"] = row(len(ifColumns))
		for _, in := range interfaces(rows, order, map[string][]gosnmp.SnmpPDU{"1": row(len(ifXColumns))}) {
			checkText(t, "interface", in.Name)
		}
		for _, s := range storage(rows, order) {
			if s.UsedBytes > s.SizeBytes {
				t.Fatalf("storage %+v", s)
			}
		}
		for _, s := range supplies(rows, order) {
			if s.Percent < -1 || s.Percent > 100 {
				t.Fatalf("supply %+v", s)
			}
		}
		_ = synologyDisks(rows, order)
		_ = synologyVolumes(rows, order)
		if b := battery(row(len(apcScalars)), testclock.Now()); b != nil && (b.ChargePercent < 0 || b.ChargePercent > 100) {
			t.Fatalf("battery %+v", b)
		}
		_ = localPortName(row(3), string(data), map[int]string{1: "gi1"})
		if e, ok := arpEntry(fmt.Sprint(n), string(data), row(2)); ok && (!e.IP.Is4() || len(e.MAC) != 6) {
			t.Fatalf("arp %+v", e)
		}
	})
}

// fuzzSession answers every request with varbinds named by the fuzz input.
type fuzzSession struct {
	names []string
	calls int
}

func (s *fuzzSession) Get([]string) (*gosnmp.SnmpPacket, error) { return &gosnmp.SnmpPacket{}, nil }
func (s *fuzzSession) GetNext(o []string) (*gosnmp.SnmpPacket, error) {
	return s.GetBulk(o, 0, 1)
}
func (s *fuzzSession) GetBulk([]string, uint8, uint32) (*gosnmp.SnmpPacket, error) {
	s.calls++
	pkt := &gosnmp.SnmpPacket{}
	for _, n := range s.names {
		pkt.Variables = append(pkt.Variables, gosnmp.SnmpPDU{Name: n, Type: gosnmp.Integer, Value: s.calls})
	}
	return pkt, nil
}
func (s *fuzzSession) Close() error { return nil }

// FuzzWalk plays an agent that answers every request with the same
// arbitrary names: every walk must end, within maxRows objects.
func FuzzWalk(f *testing.F) {
	f.Add("1.3.6.1.2.1.2.2.1.2.1\n1.3.6.1.2.1.2.2.1.2.2")
	f.Add("1.3.6.1.2.1.2.2.1.2.5\n1.3.6.1.2.1.2.2.1.2.3")
	f.Add("1.3.6.1.2.1.2.2.1.2.1\n1.3.6.1.2.1.2.2.1.3.1\n1.3.6.1.2.1.2.2.1.2.2")
	f.Fuzz(func(t *testing.T, names string) {
		s := &fuzzSession{names: strings.Split(names, "\n")}
		w := &walker{sess: s, version: V2c, maxRep: 10, maxRows: 50, maxBytes: 1 << 20, ctx: t.Context()}
		rows := 0
		_ = w.walk(hostileRoot, func(gosnmp.SnmpPDU) bool { rows++; return true })
		_, _, _ = w.table([]string{hostileRoot, "1.3.6.1.2.1.2.2.1.3"})
		if rows > 50 || s.calls > 200 {
			t.Fatalf("%d rows in %d requests", rows, s.calls)
		}
	})
}
