// Command genproducts builds snmp's embedded sysObjectID → product name
// table from a vendor's product MIB, the module that assigns each of its
// platforms the object identifier its agent reports as sysObjectID:
//
//	go run ./snmp/internal/genproducts -in $TEND_MIBS/CISCO-PRODUCTS-MIB.my -out snmp/products.tsv.bz2
//
// The MIB is not in the repository (it is Cisco's, all rights reserved):
// go generate passes -if-present, so without TEND_MIBS the committed table
// stays as it is.
//
// The input is the MIB's text. Its assignments under the product branch
// ("catalyst2950t24 OBJECT IDENTIFIER ::= { ciscoProducts 359 }") are
// read; everything else (the module header, comments starting "--",
// assignments under other parents) is skipped. The branch's symbol and
// its numeric OID are flags (-parent, -oid): Cisco's are the defaults.
//
// The output is bzip2 text (genfile.Bzip2): one comment line naming the
// module, its LAST-UPDATED stamp and the range of numbers read, then one
// "@<oid>" line for the branch, then "gap\tname\n" lines sorted by number,
// where gap is the number minus the previous one (the first's minus 0),
// left empty when it is 1: most products follow the one before. The MIB
// text itself is not written, only the facts (number and symbol). The
// same input gives the same bytes on every run.
package main

import (
	"bufio"
	"bytes"
	"cmp"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strconv"

	"tend/internal/genfile"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "genproducts:", err)
		os.Exit(1)
	}
}

func run() error {
	in := flag.String("in", "CISCO-PRODUCTS-MIB.my", "the vendor's product MIB (e.g. cisco/cisco-mibs v2/CISCO-PRODUCTS-MIB.my)")
	out := flag.String("out", "products.tsv.bz2", "path of the bzip2 table to write")
	parent := flag.String("parent", "ciscoProducts", "the MIB symbol the products are assigned under")
	oid := flag.String("oid", "1.3.6.1.4.1.9.1", "the numeric OID of -parent")
	ifPresent := flag.Bool("if-present", false, "leave -out as it is when -in does not exist (go generate without TEND_MIBS)")
	flag.Parse()
	if flag.NArg() != 0 {
		flag.Usage()
		return errors.New("unexpected arguments")
	}
	f, err := os.Open(*in)
	if errors.Is(err, os.ErrNotExist) && *ifPresent {
		fmt.Fprintf(os.Stderr, "genproducts: %s not found (TEND_MIBS names a folder holding it); %s left as committed\n", *in, *out)
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	table, st, err := generate(f, *parent, *oid)
	if err != nil {
		return fmt.Errorf("%s: %w", *in, err)
	}
	if err := genfile.WriteAtomic(*out, table); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "genproducts: %s (%s, last updated %s): %d products %d-%d; wrote %s: %d bytes (%d before bzip2)\n",
		*in, st.Module, st.Updated, st.Entries, st.First, st.Last, *out, len(table), st.RawBytes)
	return nil
}

// stats describes one run.
type stats struct {
	Module, Updated string // the MIB's module name and LAST-UPDATED stamp
	Entries         int
	First, Last     uint32
	RawBytes        int
}

type entry struct {
	num  uint32
	name string
}

var (
	moduleRE  = regexp.MustCompile(`^\s*([A-Z][A-Za-z0-9\-]*)\s+DEFINITIONS\s*::=\s*BEGIN`)
	updatedRE = regexp.MustCompile(`LAST-UPDATED\s+"(\d{10,14}Z)"`)
	symbolRE  = regexp.MustCompile(`^[a-z][A-Za-z0-9\-]*$`)
	dottedRE  = regexp.MustCompile(`^\d+(?:\.\d+)+$`)
)

// generate reads a product MIB from r and returns the bzip2 table of the
// assignments under parent, whose numeric OID is oid.
func generate(r io.Reader, parent, oid string) ([]byte, stats, error) {
	var st stats
	if !dottedRE.MatchString(oid) || !symbolRE.MatchString(parent) {
		return nil, st, fmt.Errorf("bad -oid %q or -parent %q", oid, parent)
	}
	assign := regexp.MustCompile(`^\s*(\S+)\s+OBJECT\s+IDENTIFIER\s*::=\s*\{\s*` + regexp.QuoteMeta(parent) + `\s+(\d+)\s*\}`)
	var entries []entry
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for lineNo := 1; sc.Scan(); lineNo++ {
		line := sc.Text()
		if st.Module == "" {
			if m := moduleRE.FindStringSubmatch(line); m != nil {
				st.Module = m[1]
			}
		}
		if m := updatedRE.FindStringSubmatch(line); m != nil && st.Updated == "" {
			st.Updated = m[1]
		}
		m := assign.FindStringSubmatch(line)
		if m == nil {
			continue // header, comments ("-- ciscoMGX8820 ..." included), other parents
		}
		if !symbolRE.MatchString(m[1]) {
			return nil, st, fmt.Errorf("line %d: %q is not a MIB symbol", lineNo, m[1])
		}
		n, err := strconv.ParseUint(m[2], 10, 32)
		if err != nil || n == 0 {
			return nil, st, fmt.Errorf("line %d: bad number %q", lineNo, m[2])
		}
		entries = append(entries, entry{uint32(n), m[1]})
	}
	if err := sc.Err(); err != nil {
		return nil, st, err
	}
	if len(entries) == 0 {
		return nil, st, fmt.Errorf("no assignment under %s", parent)
	}
	slices.SortStableFunc(entries, func(a, b entry) int { return cmp.Compare(a.num, b.num) })
	for i := 1; i < len(entries); i++ {
		if entries[i].num == entries[i-1].num {
			return nil, st, fmt.Errorf("%s %d assigned twice (%s, %s)", parent, entries[i].num, entries[i-1].name, entries[i].name)
		}
	}
	st.Entries, st.First, st.Last = len(entries), entries[0].num, entries[len(entries)-1].num

	var raw bytes.Buffer
	fmt.Fprintf(&raw, "# %s", cmp.Or(st.Module, "product MIB"))
	if st.Updated != "" {
		fmt.Fprintf(&raw, " (LAST-UPDATED %s)", st.Updated)
	}
	fmt.Fprintf(&raw, ", %s %d-%d (%d products); written by snmp/internal/genproducts.\n@%s\n", parent, st.First, st.Last, st.Entries, oid)
	prev := uint32(0)
	for _, e := range entries {
		if gap := e.num - prev; gap != 1 {
			raw.WriteString(strconv.FormatUint(uint64(gap), 10))
		}
		prev = e.num
		raw.WriteByte('\t')
		raw.WriteString(e.name)
		raw.WriteByte('\n')
	}
	st.RawBytes = raw.Len()
	bz, err := genfile.Bzip2(raw.Bytes())
	return bz, st, err
}
