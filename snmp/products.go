package snmp

import (
	"bytes"
	"compress/bzip2"
	_ "embed"
	"io"
	"strconv"
	"strings"
	"sync"
)

//go:generate go run ./internal/genproducts -if-present -mibs ${TEND_MIBS} -out products.tsv.bz2

// productsBz2 maps sysObjectID values to the product names the vendors
// assign them in their product MIBs (CISCO-PRODUCTS-MIB: 1.3.6.1.4.1.9.1.359
// is catalyst2950t24; F10-PRODUCTS-MIB: 1.3.6.1.4.1.6027.1.3.4 is s25pac;
// AT-PRODUCT-MIB: 1.3.6.1.4.1.207.1.14.114 is atSBx8106;
// JUNIPER-CHASSIS-DEFINES-MIB: 1.3.6.1.4.1.2636.1.1.1.2.25 is
// jnxProductNameMX480, read as MX480), written by
// internal/genproducts: bzip2'd text, per branch a '#' comment line, an
// "@<oid>" line and "gap\tname\n" lines sorted by number (gap empty for
// 1). The name is the last resort for the model: it names a platform or
// family, where the agent's own ENTITY-MIB or vendor objects name the
// exact model.
//
//go:embed products.tsv.bz2
var productsBz2 []byte

// productBranch is one vendor's product branch: the numbers assigned
// under it, sorted, and their names.
type productBranch struct {
	oid string
	registry
}

// parseProducts decodes the generated table. The table is embedded and
// tested, so a malformed one is a build mistake and panics.
func parseProducts(bz []byte) []productBranch {
	var sb strings.Builder
	if _, err := io.Copy(&sb, bzip2.NewReader(bytes.NewReader(bz))); err != nil {
		panic("snmp: products.tsv.bz2: " + err.Error())
	}
	var out []productBranch
	for line := range strings.SplitSeq(sb.String(), "\n") {
		switch {
		case line == "" || line[0] == '#':
			continue
		case line[0] == '@':
			if !isDottedOID(line[1:]) {
				panic("snmp: bad branch in products.tsv.bz2: " + line)
			}
			out = append(out, productBranch{oid: line[1:]})
			continue
		}
		if len(out) == 0 {
			panic("snmp: a product before any branch in products.tsv.bz2: " + line)
		}
		out[len(out)-1].add(line, "products.tsv.bz2")
	}
	return out
}

var productTable = sync.OnceValue(func() []productBranch { return parseProducts(productsBz2) })

// mibProduct is the name a vendor's product MIB gives sysObjectID, ""
// when the OID is not one the table's branches assign (only the branch's
// direct children: a deeper OID is some other registration).
func mibProduct(sysObjectID string) string {
	oid := strings.TrimPrefix(sysObjectID, ".")
	if rest, ok := strings.CutPrefix(oid, epsonNamed+"."); ok {
		return arcsText(rest)
	}
	for _, b := range productTable() {
		if !below(oid, b.oid) {
			continue
		}
		rest := oid[len(b.oid)+1:]
		n, err := strconv.ParseUint(rest, 10, 32)
		if err != nil {
			return ""
		}
		// Juniper's symbols carry their branch's name
		// (jnxProductNameMX480): the rest is the platform's
		return strings.TrimPrefix(b.lookup(int(n)), "jnxProductName")
	}
	return ""
}

// epsonNamed is the branch under which Epson's network interfaces name
// themselves in sysObjectID: the name's length, then its characters
// (….1248.1.1.2.1.3.7.65.76.45.67.88.49.49 is "AL-CX11"). A built-in
// interface takes its printer's name; an external one its own ("Network
// Interface Unit"), and some built-in ones their board's ("EEPS2"): the
// epson rule reads HOST-RESOURCES' printer first and this name only when
// it is shaped like a model.
const epsonNamed = "1.3.6.1.4.1.1248.1.1.2.1.3"

// arcsText decodes an OID's arcs that spell a string as SNMP indexes
// spell one: its length, then one printable ASCII character per arc; ""
// when they do not.
func arcsText(arcs string) string {
	f := strings.Split(arcs, ".")
	n, err := strconv.Atoi(f[0])
	if err != nil || n != len(f)-1 {
		return ""
	}
	b := make([]byte, 0, n)
	for _, a := range f[1:] {
		c, err := strconv.Atoi(a)
		if err != nil || c < ' ' || c > '~' {
			return ""
		}
		b = append(b, byte(c))
	}
	return string(b)
}

// junosPlatform is the model a Junos sysDescr names ("Juniper Networks,
// Inc. mx80 internet router": MX80), "" for a J-series agent's internal
// platform token (jsr2300, jsr4350, jsr6350 for the J2320, J4350 and
// J6350), which names no product: jnxProductName (sysObjectID) does.
func junosPlatform(s string) string {
	if len(s) > 3 && strings.EqualFold(s[:3], "jsr") && s[3] >= '0' && s[3] <= '9' {
		return ""
	}
	return strings.ToUpper(s)
}

// ifModelLike is s when it is shaped like a model (modelLike), else "".
func ifModelLike(s string) string {
	if modelLike(s) {
		return s
	}
	return ""
}

// ciscoProductName spells a CISCO-PRODUCTS-MIB descriptor as people read
// the product: the descriptor's own letters and digits, words apart and
// the model's code in capitals ("catalyst2950t24" is "Catalyst 2950T24",
// "catalyst37xxStack" "Catalyst 37xx Stack", "ciscoASA5510" "Cisco ASA
// 5510", "ciscoUCVirtualMachine" "Cisco UC Virtual Machine"). Only spaces
// and case change, so the name still compares equal, case and
// punctuation aside, with the descriptor other tools show (LibreNMS's
// hardware field). A descriptor of another shape ("ciscoitpRT1081K9",
// "catwsC3560CX12pcS", a part number's lower-case run) is returned as
// it is.
func ciscoProductName(s string) string {
	var b strings.Builder
	var rest string
	for _, p := range [...]struct{ id, word string }{{"catalyst", "Catalyst"}, {"cisco", "Cisco"}, {"cat", "Cat"}} {
		if r, ok := strings.CutPrefix(s, p.id); ok && r != "" && (isUpper(r[0]) || isDigit(r[0])) {
			b.WriteString(p.word)
			rest = r
			break
		}
	}
	if rest == "" {
		return s
	}
	numbered := false
	for rest != "" {
		var w string
		switch c := rest[0]; {
		case isDigit(c) && !numbered:
			// the model's number and its code up to the next word
			// ("2950t24", "37xx" before "Stack", "5408pK9")
			i := 0
			for i < len(rest) && !wordAt(rest, i) && !lowerWordAt(rest, i) {
				i++
			}
			w, rest = codeCase(rest[:i]), rest[i:]
			if rest != "" && isLower(rest[0]) {
				w, rest = w+" "+rest, "" // the lower-case word (lowerWordAt)
			}
			numbered = true
		case wordAt(rest, 0):
			i := 1
			for i < len(rest) && isLower(rest[i]) {
				i++
			}
			w, rest = rest[:i], rest[i:]
		case isUpper(c):
			// an acronym ("ASA", "UC" before "Virtual"); one letter
			// before the number is the model's own ("C888EG", "N520X20G4ZA")
			i := 1
			for i < len(rest) && isUpper(rest[i]) && !wordAt(rest, i) {
				i++
			}
			if i == 1 && i < len(rest) && isDigit(rest[i]) && !numbered {
				j := i
				for j < len(rest) && !wordAt(rest, j) {
					j++
				}
				w, rest = rest[:1]+codeCase(rest[1:j]), rest[j:]
				numbered = true
				break
			}
			w, rest = rest[:i], rest[i:]
		default:
			return s // a lower-case run or a second number: a part number's shape
		}
		b.WriteByte(' ')
		b.WriteString(w)
	}
	return b.String()
}

// wordAt reports whether a capitalised word starts at s[i]: a capital
// and two or more lower-case letters ("Stack", "Wlc"), not the "x" of
// a family's number ("37xx").
func wordAt(s string, i int) bool {
	return isUpper(s[i]) && i+2 < len(s) && isLower(s[i+1]) && isLower(s[i+2])
}

// lowerWordAt reports whether s ends at s[i] in a lower-case word, four
// letters or more after the number's code ("cat36xxstack"); a code's
// letters are fewer ("8540msr", "2948gL3").
func lowerWordAt(s string, i int) bool {
	if i == 0 || isLower(s[i-1]) && s[i-1] != 'x' || s[i] == 'x' && (isDigit(s[i-1]) || s[i-1] == 'x') || len(s)-i < 4 {
		return false
	}
	for j := i; j < len(s); j++ {
		if !isLower(s[j]) {
			return false
		}
	}
	return true
}

// codeCase is a model code in capitals, but for the x's standing for a
// family's digits ("37xx", "18xxx").
func codeCase(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c == 'x' && i > 0 && (isDigit(b[i-1]) || b[i-1] == 'x') {
			continue
		}
		if isLower(c) {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}

func isUpper(c byte) bool { return c >= 'A' && c <= 'Z' }
func isLower(c byte) bool { return c >= 'a' && c <= 'z' }
