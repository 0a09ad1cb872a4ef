package snmp

import (
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/gosnmp/gosnmp"
)

func TestCleanText(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{`"Brother NC-8300h"`, "Brother NC-8300h"},
		{`""quoted twice""`, `"quoted twice"`}, // only one pair goes
		{`"unbalanced`, `"unbalanced`},
		{`say "hi"`, `say "hi"`},
		{"name\x00\x00\x00", "name"},
		{"name\x00garbage", "name"},
		{"  padded \t ", "padded"},
		{"Cisco IOS\r\nTechnical Support\r\n", "Cisco IOS\nTechnical Support"},
		{"Büro 2", "Büro 2"},
		{"B\xfcro 2", "B\uFFFDro 2"}, // Latin-1 from an old agent
		{"\x1b]0;pwned\x07title", "]0;pwned title"},
		{"", ""},
		{strings.Repeat("é", 600), strings.Repeat("é", 512)},
	} {
		if got := cleanText([]byte(tt.in)); got != tt.want {
			t.Errorf("cleanText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// FuzzCleanText checks that no agent can put invalid UTF-8, NULs, control
// characters, edge whitespace or unbounded text into the inventory.
func FuzzCleanText(f *testing.F) {
	for _, s := range []string{`"Brother NC-8300h"`, "a\x00b", "\r\n\t x \xff", `""`, "\"\u2028\"", strings.Repeat("ü", 700)} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		s := cleanText(b)
		if !utf8.ValidString(s) {
			t.Fatalf("invalid UTF-8 %q", s)
		}
		if len(s) > maxText {
			t.Fatalf("%d bytes, more than %d", len(s), maxText)
		}
		if s != strings.TrimSpace(s) {
			t.Fatalf("edge whitespace in %q", s)
		}
		for _, r := range s {
			if r != '\n' && (unicode.IsControl(r) || r == '\u2028' || r == '\u2029') {
				t.Fatalf("control character %U in %q", r, s)
			}
		}
		// Plain text passes unchanged.
		if plain := string(b); len(plain) <= maxText && isPlain(plain) && cleanText(b) != plain {
			t.Fatalf("plain %q became %q", plain, s)
		}
	})
}

func isPlain(s string) bool {
	if s == "" || s != strings.TrimSpace(s) || (len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"') {
		return s == ""
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// FuzzDecodeSystem feeds arbitrary types and values (as gosnmp might decode
// them from a hostile or broken agent) to the system group decoder.
func FuzzDecodeSystem(f *testing.F) {
	f.Add(uint8(0), uint8(gosnmp.OctetString), []byte(`"sysDescr"`), int64(0))
	f.Add(uint8(1), uint8(gosnmp.ObjectIdentifier), []byte(".1.3.6.1.4.1.2435"), int64(0))
	f.Add(uint8(2), uint8(gosnmp.TimeTicks), []byte{}, int64(123456))
	f.Add(uint8(2), uint8(gosnmp.Integer), []byte{}, int64(-5))
	f.Add(uint8(1), uint8(gosnmp.OctetString), []byte("1..3"), int64(0))
	f.Add(uint8(4), uint8(gosnmp.NoSuchInstance), []byte{}, int64(0))
	f.Fuzz(func(t *testing.T, which, typ uint8, data []byte, n int64) {
		name := "." + systemOIDs[int(which)%len(systemOIDs)]
		if which >= 200 {
			name = string(data) // a varbind the agent was not asked for
		}
		var values []any
		switch uint8(n) % 4 {
		case 0:
			values = []any{data, string(data)}
		case 1:
			values = []any{int(n), uint(n), uint32(n), uint64(n)}
		case 2:
			values = []any{nil}
		case 3:
			values = []any{float64(n), []string{string(data)}}
		}
		for _, v := range values {
			sys, _ := decodeSystem([]gosnmp.SnmpPDU{{Name: name, Type: gosnmp.Asn1BER(typ), Value: v}})
			for _, s := range []string{sys.SysDescr, sys.SysName, sys.SysContact, sys.SysLocation, sys.SysObjectID} {
				if !utf8.ValidString(s) || len(s) > maxText || strings.ContainsRune(s, 0) {
					t.Fatalf("unsafe field %q from %v %T", s, gosnmp.Asn1BER(typ), v)
				}
			}
			if sys.SysObjectID != "" && !isDottedOID(sys.SysObjectID) {
				t.Fatalf("sysObjectID %q", sys.SysObjectID)
			}
			if sys.Uptime < 0 {
				t.Fatalf("negative uptime %v", sys.Uptime)
			}
		}
	})
}

func TestHostnameFrom(t *testing.T) {
	for in, want := range map[string]string{
		"sw-core-01":            "sw-core-01",
		"nas01.example.lan":     "nas01.example.lan",
		"<private>":             "",
		"Not set":               "",
		"":                      "",
		"GXW4200":               "GXW4200",
		"localhost":             "",
		"LOCALHOST.localdomain": "",
		"00:1B:54:00:00:01":     "",
		"001b54000001":          "",
		"001b.5400.0001":        "",
		"cafe-printer":          "cafe-printer",
	} {
		if got := hostnameFrom(in); got != want {
			t.Errorf("hostnameFrom(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDecodeDateAndTime(t *testing.T) {
	for _, c := range []struct {
		b    []byte
		want string
	}{
		{[]byte{0x07, 0xe5, 3, 14, 10, 30, 0, 0}, "2021-03-14T10:30:00Z"},
		{[]byte{0x07, 0xe5, 3, 14, 10, 30, 0, 0, '-', 5, 0}, "2021-03-14T10:30:00-05:00"},
		{make([]byte, 8), ""},
		{[]byte{0x07, 0xe2, 5, 21, 0, 0, 0, 0, 0, 0, 0}, "2018-05-21T00:00:00Z"}, // VMware ESXi's, no offset direction
		{[]byte{0x07, 0xe5, 2, 31, 0, 0, 0, 0}, ""},
		{[]byte{0x07, 0xe5, 3, 14}, ""},
	} {
		got, ok := decodeDateAndTime(c.b)
		if s := got.Format(time.RFC3339); (ok && s != c.want) || (!ok && c.want != "") {
			t.Errorf("%x: %v %v, want %q", c.b, got, ok, c.want)
		}
	}
}
