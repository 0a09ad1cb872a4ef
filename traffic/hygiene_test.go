package traffic

import (
	"bytes"
	_ "embed" // the table file, to check the built-in table against
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// hygieneGz is the table in the data directory's format, as generated
// beside hygiene_builtin.go.
//
//go:embed hygiene.json.gz
var hygieneGz []byte

// TestHygieneBuiltinIsTable: the built-in table (static data) opens to the
// same catalog as the generated table file parses to.
func TestHygieneBuiltinIsTable(t *testing.T) {
	builtin, err := OpenHygieneCatalog()
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := ParseHygieneCatalog(hygieneGz)
	if err != nil {
		t.Fatal(err)
	}
	if len(builtin.Entries) < 50 {
		t.Fatalf("built-in table has %d entries", len(builtin.Entries))
	}
	opts := cmp.Options{cmp.AllowUnexported(HygieneCatalog{}, hygieneProduct{}, hygienePattern{}), cmpopts.IgnoreFields(HygieneCatalog{}, "index")}
	if diff := cmp.Diff(parsed, builtin, opts); diff != "" {
		t.Errorf("built-in table differs from hygiene.json.gz (-parsed +built-in):\n%s", diff)
	}
	if diff := cmp.Diff(parsed.index(), builtin.index(), opts); diff != "" {
		t.Errorf("built-in table's index differs from hygiene.json.gz's (-parsed +built-in):\n%s", diff)
	}
}

// TestHygieneIndexAtFirstMatch: opening the built-in table checks and
// folds its entries but leaves its patterns unindexed until a name is
// matched, so a replay that sees none pays a few allocations, not the
// ~1,300 the index takes.
func TestHygieneIndexAtFirstMatch(t *testing.T) {
	if n := testing.AllocsPerRun(20, func() {
		if _, err := OpenHygieneCatalog(); err != nil {
			t.Fatal(err)
		}
	}); n > 16 {
		t.Errorf("opening the built-in table took %.0f allocations, want at most 16", n)
	}
}

// TestPatternIndex: the index keeps each registrable domain's patterns in
// the table's order (on equal ranks the first wins), each pattern split
// into its labels.
func TestPatternIndex(t *testing.T) {
	entries := []HygieneEntry{
		{Patterns: []string{"a.example.com", "*.other.net"}, Specificity: "service"},
		{Patterns: []string{"*.example.com"}, Ambiguous: true},
		{Patterns: []string{"b.*.example.com", "other.net"}},
	}
	want := map[string][]hygienePattern{
		"example.com": {
			{entry: 0, labels: []string{"a", "example", "com"}, rank: 6*256 + 3},
			{entry: 1, labels: []string{"*", "example", "com"}, rank: 3},
			{entry: 2, labels: []string{"b", "*", "example", "com"}, rank: 4*256 + 4},
		},
		"other.net": {
			{entry: 0, labels: []string{"*", "other", "net"}, rank: 6*256 + 3},
			{entry: 2, labels: []string{"other", "net"}, rank: 4*256 + 2},
		},
	}
	if diff := cmp.Diff(want, patternIndex(entries), cmp.AllowUnexported(hygienePattern{})); diff != "" {
		t.Errorf("patternIndex (-want +got):\n%s", diff)
	}
}

func TestHygieneMatch(t *testing.T) {
	c, err := OpenHygieneCatalog()
	if err != nil {
		t.Fatal(err)
	}
	if c.Date.IsZero() || len(c.Entries) < 50 {
		t.Fatalf("table dated %v with %d entries", c.Date, len(c.Entries))
	}
	for _, tt := range []struct{ name, category, product string }{
		{"wdcp.microsoft.com", HygieneProtection, "Microsoft Defender"},             // exact
		{"eu.wdcp.microsoft.com", HygieneProtection, "Microsoft Defender"},          // *.x: one label
		{"a.b.wd.microsoft.com", HygieneProtection, "Microsoft Defender"},           // *.x: any depth
		{"winatp-gw-weu.microsoft.com", HygieneProtection, "Defender for Endpoint"}, // * inside a label
		{"ts01-b.cloudsink.net", HygieneProtection, "CrowdStrike"},
	} {
		e, ok := c.Match([]byte(tt.name))
		if !ok {
			t.Errorf("%s: no match", tt.name)
			continue
		}
		if e.Category != tt.category || !bytes.Contains([]byte(e.Product), []byte(tt.product)) {
			t.Errorf("%s: %s / %s, want %s / …%s…", tt.name, e.Category, e.Product, tt.category, tt.product)
		}
	}
	for _, name := range []string{"microsoft.com", "wd.microsoft.com.evil.example", "www.example.org", "com", "", "winatp-gw-we!u.microsoft.com", "notwdcp.microsoft.com"} {
		if e, ok := c.Match([]byte(name)); ok {
			t.Errorf("%q matched %s (%v)", name, e.Product, e.Patterns)
		}
	}
}

func TestMatchLabels(t *testing.T) {
	for _, tt := range []struct {
		pat, name string
		want      bool
	}{
		{"*.example.com", "a.example.com", true},
		{"*.example.com", "a.b.example.com", true},
		{"*.example.com", "example.com", false},
		{"s3.*.amazonaws.com", "s3.eu-west-1.amazonaws.com", true},
		{"s3.*.amazonaws.com", "s3.a.b.amazonaws.com", false},
		{"master*.teamviewer.com", "master.teamviewer.com", true},
		{"master*.teamviewer.com", "master16.teamviewer.com", true},
		{"master*.teamviewer.com", "x.master16.teamviewer.com", false},
		{"ksn-*-geo.kaspersky-labs.com", "ksn-file-geo.kaspersky-labs.com", true},
		{"ksn-*-geo.kaspersky-labs.com", "ksn-geo.kaspersky-labs.com", false},
		{"host.example.com", "host.example.com", true},
		{"host.example.com", "xhost.example.com", false},
	} {
		if got := matchLabels(splitString(tt.pat), []byte(tt.name)); got != tt.want {
			t.Errorf("%s ~ %s = %v, want %v", tt.pat, tt.name, got, tt.want)
		}
	}
}

func splitString(s string) []string {
	var out []string
	for _, b := range bytes.Split([]byte(s), []byte(".")) {
		out = append(out, string(b))
	}
	return out
}

func TestParseHygieneCatalogRefusesDamage(t *testing.T) {
	for what, b := range map[string][]byte{"empty": nil, "not gzip": []byte("{}"), "truncated": hygieneGz[:len(hygieneGz)/2]} {
		if _, err := ParseHygieneCatalog(b); err == nil {
			t.Errorf("%s: accepted", what)
		}
	}
}

// TestHygieneTableReproducible: the committed table is what the generator
// makes from the corpus, byte for byte.
func TestHygieneTableReproducible(t *testing.T) {
	src := "../../shared/corpus/hygiene/domains.json"
	if _, err := os.Stat(src); err != nil {
		t.Skip("reference corpus ../shared/corpus/hygiene absent: the table's reproduction is not checked")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("go toolchain not on PATH")
	}
	out := filepath.Join(t.TempDir(), "h.json.gz")
	goOut := filepath.Join(t.TempDir(), "h.go")
	cmd := exec.Command("go", "run", "./internal/hygienegen", "-in", src, "-out", out, "-go", goOut)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("hygienegen: %v: %s", err, b)
	}
	got, _ := os.ReadFile(out)
	if !bytes.Equal(got, hygieneGz) {
		t.Error("traffic/hygiene.json.gz differs from what make catalog generates: run make catalog")
	}
	gotGo, _ := os.ReadFile(goOut)
	committed, err := os.ReadFile("hygiene_builtin.go")
	if err != nil || !bytes.Equal(gotGo, committed) {
		t.Errorf("traffic/hygiene_builtin.go differs from what make catalog generates (%v): run make catalog", err)
	}
}
