package snmp

import (
	"bytes"
	"compress/bzip2"
	_ "embed"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
)

//go:generate go run ./internal/genenterprises -in /usr/share/wireshark/enterprises.tsv -out enterprises.tsv.bz2

// enterprisesBz2 is the whole IANA Private Enterprise Numbers registry,
// written by internal/genenterprises from Wireshark's copy of it: bzip2'd
// "gap\tname\n" lines sorted by number after one '#' comment line, where
// gap is the number minus the previous line's (the first line's minus 0),
// empty for 1.
//
//go:embed enterprises.tsv.bz2
var enterprisesBz2 []byte

// enterpriseNamesTSV holds the short maker names tend shows instead of the
// registry's ("Cisco" for "ciscoSystems"), hand-kept for the makers tend
// meets on a client's LAN; they win over the registry.
//
//go:embed enterprise_names.tsv
var enterpriseNamesTSV string

// registry is the decoded registry: nums sorted, names[i] the organisation
// holding nums[i]. The names are substrings of one decompressed string.
type registry struct {
	nums  []uint32
	names []string
}

// lookup finds n by binary search; "" when the registry does not list it.
func (r *registry) lookup(n int) string {
	if n < 0 || int64(n) > int64(^uint32(0)) {
		return ""
	}
	if i, ok := slices.BinarySearch(r.nums, uint32(n)); ok {
		return r.names[i]
	}
	return ""
}

// parseRegistry decodes the generated table. The table is embedded and
// tested, so a malformed one is a build mistake and panics.
func parseRegistry(bz []byte) *registry {
	// One allocation the names are then substrings of: the table
	// decompresses to about three times its size.
	var sb strings.Builder
	sb.Grow(3 * len(bz))
	if _, err := io.Copy(&sb, bzip2.NewReader(bytes.NewReader(bz))); err != nil {
		panic("snmp: enterprises.tsv.bz2: " + err.Error())
	}
	text := sb.String()
	n := strings.Count(text, "\n")
	r := &registry{nums: make([]uint32, 0, n), names: make([]string, 0, n)}
	for line := range strings.SplitSeq(text, "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		r.add(line, "enterprises.tsv.bz2")
	}
	return r
}

// add appends one line of a generated number table: "gap<TAB>name", the
// number being the previous one plus gap (an empty gap is 1). The tables
// are embedded and tested, so a malformed line is a build mistake and
// panics, naming table.
func (r *registry) add(line, table string) {
	gap, name, ok := strings.Cut(line, "\t")
	g := uint64(1)
	var err error
	if gap != "" {
		g, err = strconv.ParseUint(gap, 10, 32)
	}
	var prev uint64
	if len(r.nums) > 0 {
		prev = uint64(r.nums[len(r.nums)-1])
	}
	if !ok || err != nil || name == "" || g == 0 || prev+g > math.MaxUint32 {
		panic("snmp: bad line in " + table + ": " + line)
	}
	r.nums = append(r.nums, uint32(prev+g))
	r.names = append(r.names, name)
}

// enterpriseRegistry decodes the registry on first use (about 80 ms, most
// of it bzip2, which keeps 137 kB off the binary; 2.6 MB that stay for the
// life of the process). A sorted slice rather than a map
// (BenchmarkEnterpriseDecode, BenchmarkEnterpriseLookup): a map keeps 4.9 MB,
// for lookups of 13 ns instead of the binary search's 22 ns, which runs
// once per identified device.
var enterpriseRegistry = sync.OnceValue(func() *registry { return parseRegistry(enterprisesBz2) })

// enterpriseNames is the override layer over the registry.
var enterpriseNames = sync.OnceValue(func() map[int]string {
	m := make(map[int]string)
	for line := range strings.SplitSeq(enterpriseNamesTSV, "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		num, name, ok := strings.Cut(line, "\t")
		n, err := strconv.Atoi(num)
		if !ok || err != nil {
			panic("snmp: bad line in enterprise_names.tsv: " + line)
		}
		m[n] = name
	}
	return m
})

// enterpriseName returns the maker holding private enterprise number n:
// tend's short name when it has one, else the name IANA registered, else "".
func enterpriseName(n int) string {
	if name, ok := enterpriseNames()[n]; ok {
		return name
	}
	return enterpriseRegistry().lookup(n)
}

// enterprise returns the private enterprise number under
// 1.3.6.1.4.1 that sysObjectID lies in, and its maker's name ("" when
// neither tend's names nor the IANA registry know it, or the OID is not
// under enterprises).
func enterprise(sysObjectID string) (int, string) {
	rest, ok := strings.CutPrefix(strings.TrimPrefix(sysObjectID, "."), "1.3.6.1.4.1.")
	if !ok {
		return 0, ""
	}
	num, _, _ := strings.Cut(rest, ".")
	n, err := strconv.Atoi(num)
	if err != nil || n < 0 {
		return 0, ""
	}
	return n, enterpriseName(n)
}
