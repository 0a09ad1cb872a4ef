// Command genvendoroids writes snmp's vendor MIB rows (vendor_oids.tsv):
// for each private enterprise, the objects that hold a device's model,
// firmware and serial number. It reads the setC recordings of the corpus
// and the truth beside them (LibreNMS's discovery, GPL test fixtures used
// here as input only: the output holds OIDs, facts about vendor MIBs, and
// OS family names, no recorded value):
//
//	go run ./snmp/internal/genvendoroids -corpus ../shared/corpus/snmp/setC -out snmp/vendor_oids.tsv
//
// An object is a candidate for a field when its value equals the field's
// truth (ignoring case and punctuation) on some device of the enterprise,
// and is kept when it holds the truth on at least 60 % of the enterprise's
// devices that answer it. Standard MIBs (1.3.6.1.2.1) are left to the
// hand-written rules, as are objects indexed by large numbers (interface
// or entity indexes that differ per device). Each enterprise keeps its best
// five objects per field; net-snmp's (8072), which answers for many
// appliances, keeps twelve. With -holdout the OS families of the held-out
// fifth (accuracy_setc_test.go's heldOut) are left out, so their score
// measures how the rows do on families they were not drawn from.
// The same input gives the same bytes on every run.
package main

import (
	"bufio"
	"cmp"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

func main() {
	corpus := flag.String("corpus", "../shared/corpus/snmp/setC", "setC folder (manifest.jsonl and the .snmprec files)")
	out := flag.String("out", "vendor_oids.tsv", "output file")
	holdout := flag.Bool("holdout", false, "leave out the held-out fifth of the OS families")
	flag.Parse()
	if err := run(*corpus, *out, *holdout); err != nil {
		fmt.Fprintln(os.Stderr, "genvendoroids:", err)
		os.Exit(1)
	}
}

type device struct {
	File        string  `json:"file"`
	OS          string  `json:"os"`
	SysObjectID string  `json:"sysObjectID"`
	Hardware    *string `json:"hardware"`
	Version     *string `json:"version"`
	Serial      *string `json:"serial"`
}

var fields = []string{"model", "firmware", "serial"}

type key struct {
	ent   int
	field int
	oid   string
}

type stat struct {
	match, present int
	families       map[string]bool
}

func run(corpus, out string, holdout bool) error {
	devs, err := readManifest(filepath.Join(corpus, "manifest.jsonl"))
	if err != nil {
		return err
	}
	stats := map[key]*stat{}
	type rec struct {
		ent    int
		values map[string]string // octet-string objects
		oids   []string          // every object
		truth  [3][]string
	}
	var recs []rec
	for _, d := range devs {
		if holdout && heldOut(d.OS) {
			continue
		}
		values, oids, err := readRecording(filepath.Join(corpus, d.File))
		if err != nil {
			return err
		}
		r := rec{ent: enterprise(d.SysObjectID), values: values, oids: oids}
		for i, p := range []*string{d.Hardware, d.Version, d.Serial} {
			if p != nil && !strings.Contains(*p, "<private>") {
				r.truth[i] = tokens(*p)
			}
		}
		recs = append(recs, r)
		for i, t := range r.truth {
			if len(t) == 0 {
				continue
			}
			for oid, v := range values {
				if strings.HasPrefix(oid, "1.3.6.1.2.1.1.") || strings.HasPrefix(oid, "1.3.6.1.2.1.2.") || strings.HasPrefix(oid, "1.3.6.1.2.1.31.") {
					continue
				}
				if slices.Equal(tokens(v), t) {
					k := key{r.ent, i, oid}
					s := stats[k]
					if s == nil {
						s = &stat{families: map[string]bool{}}
						stats[k] = s
					}
					s.match++
					s.families[d.OS] = true
				}
			}
		}
	}
	for _, r := range recs {
		for i, t := range r.truth {
			if len(t) == 0 {
				continue
			}
			for _, oid := range r.oids {
				if s := stats[key{r.ent, i, oid}]; s != nil {
					s.present++
				}
			}
		}
	}
	type row struct {
		key
		match    int
		families string
	}
	groups := map[[2]int][]row{}
	for k, s := range stats {
		if 10*s.match < 6*s.present || k.ent == 0 || strings.HasPrefix(k.oid, "1.3.6.1.2.1.") {
			continue
		}
		arcs := strings.Split(k.oid, ".")
		if last, err := strconv.Atoi(arcs[len(arcs)-1]); err != nil || last > 100000 {
			continue
		}
		fams := slices.Sorted(func(yield func(string) bool) {
			for f := range s.families {
				if !yield(f) {
					return
				}
			}
		})
		groups[[2]int{k.ent, k.field}] = append(groups[[2]int{k.ent, k.field}], row{k, s.match, strings.Join(fams[:min(4, len(fams))], ",")})
	}
	gkeys := slices.SortedFunc(func(yield func([2]int) bool) {
		for g := range groups {
			if !yield(g) {
				return
			}
		}
	}, func(a, b [2]int) int { return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1])) })
	var b strings.Builder
	b.WriteString(header)
	if holdout {
		b.WriteString("# Drawn without the held-out fifth of the OS families (-holdout).\n")
	}
	for _, g := range gkeys {
		rows := groups[g]
		slices.SortFunc(rows, func(x, y row) int { return cmp.Or(cmp.Compare(y.match, x.match), cmp.Compare(x.oid, y.oid)) })
		limit := 5
		if g[0] == 8072 {
			limit = 12
		}
		for _, r := range rows[:min(limit, len(rows))] {
			fmt.Fprintf(&b, "%d\t%s\t%s\t%s\n", r.ent, fields[r.field], r.oid, r.families)
		}
	}
	return os.WriteFile(out, []byte(b.String()), 0o644)
}

const header = `# Vendor MIB objects that hold a device's model, firmware or serial, by the private enterprise
# number of its sysObjectID: enterprise<TAB>field<TAB>OID<TAB>OS families seen with it. Read after the
# family rules (ruletable.go) and before the standard MIBs, first answer wins, in file order.
# Generated by snmp/internal/genvendoroids from the setC recordings and their truth (make catalog);
# an object is kept where it held the value on most devices of the enterprise that answer it.
# net-snmp (8072) agents speak for many appliances, so that enterprise keeps more rows.
`

func readManifest(path string) ([]device, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open manifest: %w", err)
	}
	defer f.Close()
	var out []device
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var d device
		if err := json.Unmarshal(sc.Bytes(), &d); err != nil {
			return nil, fmt.Errorf("manifest %s: %w", path, err)
		}
		out = append(out, d)
	}
	return out, sc.Err()
}

// readRecording returns a recording's octet-string values and all its
// object names.
func readRecording(path string) (map[string]string, []string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("open recording: %w", err)
	}
	defer f.Close()
	values := map[string]string{}
	var oids []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		oid, rest, ok1 := strings.Cut(sc.Text(), "|")
		tag, val, ok2 := strings.Cut(rest, "|")
		if !ok1 || !ok2 {
			continue
		}
		oids = append(oids, oid)
		if !strings.HasPrefix(tag, "4") {
			continue
		}
		if strings.HasSuffix(tag, "x") {
			b, err := hex.DecodeString(val)
			if err != nil {
				continue
			}
			val = string(b)
		}
		values[oid] = val
	}
	return values, oids, sc.Err()
}

var word = regexp.MustCompile(`[a-z0-9]+`)

// tokens lowers s and keeps its runs of ASCII letters and digits.
func tokens(s string) []string { return word.FindAllString(strings.ToLower(s), -1) }

func enterprise(sysObjectID string) int {
	rest, ok := strings.CutPrefix(strings.TrimPrefix(sysObjectID, "."), "1.3.6.1.4.1.")
	if !ok {
		return 0
	}
	n, _, _ := strings.Cut(rest, ".")
	v, err := strconv.Atoi(n)
	if err != nil {
		return 0
	}
	return v
}

// heldOut is accuracy_setc_test.go's: a fifth of the OS families chosen by
// a hash of the name.
func heldOut(family string) bool {
	h := fnv.New32a()
	h.Write([]byte(family))
	return h.Sum32()%5 == 0
}
