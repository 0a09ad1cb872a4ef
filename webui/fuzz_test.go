package webui

import (
	"strings"
	"testing"
)

// FuzzRowsHTML: whatever a sensor stores in a device's fields (hostile
// SNMP agents, DHCP names), the hand-written table body adds no markup:
// it has exactly the tags of a row of empty fields.
func FuzzRowsHTML(f *testing.F) {
	f.Add("<script>alert(1)</script>", `"><img src=x>`, "printer", "&amp;", "'")
	f.Add("", "", "", "", "")
	f.Fuzz(func(t *testing.T, name, vendor, typ, firmware, serial string) {
		empty := string(rowsHTML([]deviceRow{{}}))
		got := string(rowsHTML([]deviceRow{{Name: name, Vendor: vendor, Type: typ, Firmware: firmware, Serial: serial,
			URL: name, MakeModel: vendor, LastSeenISO: serial, LastSeenWhen: firmware, LastSeenAgo: typ}}))
		for _, c := range []string{"<", ">", `"`} {
			if strings.Count(got, c) != strings.Count(empty, c) {
				t.Fatalf("%q count changed with hostile fields:\n%s", c, got)
			}
		}
	})
}

// FuzzSetupCodeHash: any typed code hashes to 64 hex digits, and a code
// (codes are ASCII) typed in lower case with spaces for dashes is the same
// code.
func FuzzSetupCodeHash(f *testing.F) {
	f.Add("ABCD-EFGH-JKMN-PQRS")
	f.Add("")
	f.Fuzz(func(t *testing.T, code string) {
		h := SetupCodeHash(code)
		if len(h) != 64 || strings.Trim(h, "0123456789abcdef") != "" {
			t.Fatalf("hash %q", h)
		}
		ascii := strings.IndexFunc(code, func(r rune) bool { return r > 127 }) < 0
		if ascii && SetupCodeHash(strings.ToLower(strings.ReplaceAll(code, "-", " "))) != SetupCodeHash(strings.ToUpper(code)) {
			t.Fatalf("case or separators change the hash of %q", code)
		}
	})
}

func TestNewSetupCodeShape(t *testing.T) {
	seen := map[string]bool{}
	for range 100 {
		code, hash := NewSetupCode()
		if len(code) != 19 || strings.Count(code, "-") != 3 || strings.ContainsAny(code, "ILOU") || hash != SetupCodeHash(code) || seen[code] {
			t.Fatalf("code %q hash %q", code, hash)
		}
		seen[code] = true
	}
}
