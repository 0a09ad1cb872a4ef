// Command genproducts builds snmp's embedded sysObjectID → product name
// table from vendors' product MIBs, the modules that assign each of a
// maker's platforms the object identifier its agent reports as sysObjectID:
//
//	go run ./snmp/internal/genproducts -mibs $TEND_MIBS -out snmp/products.tsv.bz2
//
// The MIBs are not in the repository (they are the vendors', all rights
// reserved): go generate passes -if-present, so without TEND_MIBS (a folder
// holding every file branches names) the committed table stays as it is.
//
// The input is each MIB's text. Its assignments under a product branch
// ("catalyst2950t24 OBJECT IDENTIFIER ::= { ciscoProducts 359 }", or an
// OBJECT-IDENTITY macro whose "::= { f10SSeriesProducts 4 }" closes it a
// few lines on) are read; everything else (the module header, comments
// starting "--", assignments under other parents) is skipped. The branches
// read, with each one's symbol and numeric OID, are the list branches.
//
// The output is bzip2 text (genfile.Bzip2): per branch, one comment line
// naming the module, its LAST-UPDATED stamp and the range of numbers read,
// one "@<oid>" line for the branch, then "gap\tname\n" lines sorted by
// number, where gap is the number minus the previous one (the first's minus
// 0), left empty when it is 1: most products follow the one before. The
// MIB text itself is not written, only the facts (number and symbol). The
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
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"tend/internal/genfile"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "genproducts:", err)
		os.Exit(1)
	}
}

func run() error {
	mibs := flag.String("mibs", "", "the folder holding the product MIBs branches names (TEND_MIBS)")
	out := flag.String("out", "products.tsv.bz2", "path of the bzip2 table to write")
	ifPresent := flag.Bool("if-present", false, "leave -out as it is when a MIB is not in -mibs (go generate without TEND_MIBS)")
	flag.Parse()
	if flag.NArg() != 0 {
		flag.Usage()
		return errors.New("unexpected arguments")
	}
	table, sts, err := generateAll(*mibs, branches)
	if errors.Is(err, os.ErrNotExist) && *ifPresent {
		fmt.Fprintf(os.Stderr, "genproducts: %v (TEND_MIBS names a folder holding the MIBs); %s left as committed\n", err, *out)
		return nil
	}
	if err != nil {
		return err
	}
	if err := genfile.WriteAtomic(*out, table); err != nil {
		return err
	}
	for _, st := range sts {
		fmt.Fprintf(os.Stderr, "genproducts: %s (last updated %s): %d products %d-%d\n", st.Module, st.Updated, st.Entries, st.First, st.Last)
	}
	fmt.Fprintf(os.Stderr, "genproducts: wrote %s: %d bytes\n", *out, len(table))
	return nil
}

// A branch is one product branch of a vendor's MIB.
type branch struct {
	file   string // the MIB's file name in -mibs
	parent string // the symbol the products are assigned under
	oid    string // its numeric OID
	// commented: the product's name is the comment that ends its
	// assignment ("s548dn OBJECT IDENTIFIER ::= { fsModel 5482 } --
	// FortiSwitch-548D"), the symbol a code that names nothing
	commented bool
}

// branches are the table's product branches, in order: Cisco's products,
// Dell Networking's (Force10) series, Allied Telesis's routers, switches
// and appliances (every branch of those MIBs), Juniper's platform
// names (jnxProductName, the branch its sysObjectIDs sit in) and
// Fortinet's FortiSwitch models (fsModel).
var branches = []branch{
	{"CISCO-PRODUCTS-MIB.my", "ciscoProducts", "1.3.6.1.4.1.9.1", false},
	{"F10-PRODUCTS-MIB", "f10ESeriesProducts", "1.3.6.1.4.1.6027.1.1", false}, // FORCE10-SMI f10Products is 6027.1
	{"F10-PRODUCTS-MIB", "f10CSeriesProducts", "1.3.6.1.4.1.6027.1.2", false},
	{"F10-PRODUCTS-MIB", "f10SSeriesProducts", "1.3.6.1.4.1.6027.1.3", false},
	{"F10-PRODUCTS-MIB", "f10MSeriesProducts", "1.3.6.1.4.1.6027.1.4", false},
	{"F10-PRODUCTS-MIB", "f10ZSeriesProducts", "1.3.6.1.4.1.6027.1.5", false},
	{"AT-PRODUCT-MIB", "bridgeRouter", "1.3.6.1.4.1.207.1.1", false}, // AT-PRODUCT-MIB products is { alliedTelesis 1 }
	{"AT-PRODUCT-MIB", "swhub", "1.3.6.1.4.1.207.1.4", false},
	{"AT-PRODUCT-MIB", "routerSwitch", "1.3.6.1.4.1.207.1.14", false},
	{"AT-PRODUCT-MIB", "industrialSwitch", "1.3.6.1.4.1.207.1.24", false},
	{"AT-PRODUCT-MIB", "virtualApp", "1.3.6.1.4.1.207.1.26", false},
	// JUNIPER-SMI jnxProducts is { juniperMIB 1 }; JUNIPER-CHASSIS-DEFINES-MIB
	// puts jnxProductName at jnxClassGeneral 2 = jnxProducts.1.1.2
	{"JUNIPER-CHASSIS-DEFINES-MIB", "jnxProductName", "1.3.6.1.4.1.2636.1.1.1.2", false},
	// FORTINET-FORTISWITCH-MIB's 2022 revision lists the models under
	// fsModel, which it moves to { fnFortiSwitchMib 5 }; the 2011 one put
	// fsModel at { fnFortiSwitchMib 1 }, and there the agents still name
	// themselves (FortiSwitchOS 3.3 to 7.4: 12356.106.1.2482 beside an
	// fsSysVersion "FortiSwitch-248D-FPOE v3.3.3", .42404 beside
	// "FortiSwitch-424E-Fiber v7.4.0"), so the branch is 106.1. The
	// symbols are six-letter codes (s548dn); the comment names the model.
	{"FORTINET-FORTISWITCH-MIB", "fsModel", "1.3.6.1.4.1.12356.106.1", true},
}

// generateAll reads every branch from its MIB in dir and returns the
// bzip2 table of them all, in order.
func generateAll(dir string, bs []branch) ([]byte, []stats, error) {
	var raw bytes.Buffer
	var sts []stats
	for _, b := range bs {
		text, st, err := readBranchFile(filepath.Join(dir, b.file), b)
		if err != nil {
			return nil, nil, err
		}
		raw.Write(text)
		sts = append(sts, st)
	}
	bz, err := genfile.Bzip2(raw.Bytes())
	return bz, sts, err
}

// readBranchFile is branchText of the MIB file path.
func readBranchFile(path string, b branch) ([]byte, stats, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, stats{}, err
	}
	defer f.Close()
	text, st, err := branchText(f, b.parent, b.oid, b.commented)
	if err != nil {
		return nil, st, fmt.Errorf("%s: %w", path, err)
	}
	return text, st, nil
}

// stats describes one run.
type stats struct {
	Module, Updated string // the MIB's module name and LAST-UPDATED stamp
	Entries         int
	First, Last     uint32
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
	text, st, err := branchText(r, parent, oid, false)
	if err != nil {
		return nil, st, err
	}
	bz, err := genfile.Bzip2(text)
	return bz, st, err
}

// identityRE opens an OBJECT-IDENTITY macro, whose assignment ends it on
// a later line ("s25pac OBJECT-IDENTITY … ::= { f10SSeriesProducts 4 }").
var identityRE = regexp.MustCompile(`^\s*([a-z][A-Za-z0-9\-]*)\s+OBJECT-IDENTITY\s*$`)

// commentName is the name a comment gives at the end of an assignment's
// line ("-- FortiSwitch-548D"): one word that opens with a capital.
var commentName = regexp.MustCompile(`\}\s*--\s*([A-Z][A-Za-z0-9\-+/.]*)\s*$`)

// branchText reads a product MIB from r and returns the table text of
// the assignments under parent, whose numeric OID is oid; commented, the
// names are the assignments' comments (branch.commented).
func branchText(r io.Reader, parent, oid string, commented bool) ([]byte, stats, error) {
	var st stats
	if !dottedRE.MatchString(oid) || !symbolRE.MatchString(parent) {
		return nil, st, fmt.Errorf("bad oid %q or parent %q", oid, parent)
	}
	assign := regexp.MustCompile(`^\s*(\S+)\s+OBJECT\s+IDENTIFIER\s*::=\s*\{\s*` + regexp.QuoteMeta(parent) + `\s+(\d+)\s*\}`)
	closing := regexp.MustCompile(`^\s*::=\s*\{\s*` + regexp.QuoteMeta(parent) + `\s+(\d+)\s*\}`)
	var entries []entry
	pending := "" // the OBJECT-IDENTITY macro open
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
		if m := identityRE.FindStringSubmatch(line); m != nil {
			pending = m[1]
			continue
		}
		m := assign.FindStringSubmatch(line)
		if m == nil && pending != "" {
			if c := closing.FindStringSubmatch(line); c != nil {
				m = []string{c[0], pending, c[1]}
			}
		}
		if strings.Contains(line, "::=") {
			pending = "" // a macro ends at its assignment, under parent or not
		}
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
		name := m[1]
		if commented {
			c := commentName.FindStringSubmatch(line)
			if c == nil {
				return nil, st, fmt.Errorf("line %d: %s %d has no name in a comment", lineNo, parent, n)
			}
			name = c[1]
		}
		entries = append(entries, entry{uint32(n), name})
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
	return tableText(entries, st, parent, oid), st, nil
}

// tableText writes one branch's table text: see the package comment.
func tableText(entries []entry, st stats, parent, oid string) []byte {
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
	return raw.Bytes()
}
