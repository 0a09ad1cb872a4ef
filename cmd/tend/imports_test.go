package main

import (
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// allowedImports is the one-way table of ../shared/docs/design.md: which of
// tend's packages each package may import. A folder missing here is an error,
// so a new package has to take its place in the table on purpose.
var allowedImports = map[string][]string{
	"inventory": nil,
	"capture":   nil,
	"discovery": {"inventory", "capture"},
	"traffic":   {"inventory", "capture"},
	"snmp":      {"inventory"},
	"survey":    {"inventory", "discovery", "snmp"}, // an active pass: ARP sweep + SNMP poll
	"lifecycle": {"inventory"},
	"findings":  {"inventory", "lifecycle"},
	"storage":   {"inventory", "identity"},
	"identity":  {"inventory"},
	"notify":    {"inventory"},
	"webkit":    nil, // the web shell of webui and hub
	"webui":     {"inventory", "storage", "findings", "lifecycle", "notify", "webkit"},
	"upstream":  {"inventory", "storage", "findings"},
	"hub":       {"inventory", "storage", "upstream", "notify", "webkit"},
	"lab":       nil,
	"settings":  nil, // the settings file and credential files of serve and hub
	"internal":  nil, // test helpers (internal/testclock), the generators' internal/genfile, internal/follow, internal/packfs, internal/lazyre, internal/orphans, internal/schedstat: stdlib only
	"cmd":       {"*"},
}

// testImports are what a package's tests (never its code) may import
// beyond its row: snmp's accuracy tests fold each identified recording
// into a device through identity (identity.Fold), to grade the type
// Classify gives it, as `tend scan` shows it, rather than the SNMP
// sensor's clues alone. identity imports no snmp, so there is no cycle.
var testImports = map[string][]string{"snmp": {"identity"}}

// bannedImports need cgo; the binary is CGO_ENABLED=0 and static.
var bannedImports = []string{"github.com/google/gopacket/pcap", "github.com/google/gopacket/afpacket", "runtime/cgo", "C"}

type goPackage struct {
	ImportPath string
	Imports    []string
	Deps       []string
}

func listPackages(t *testing.T, args ...string) []goPackage {
	t.Helper()
	cmd := exec.Command("go", append([]string{"list", "-json"}, args...)...)
	cmd.Dir = "../.."
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	var pkgs []goPackage
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for {
		var p goPackage
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	return pkgs
}

// top is the first folder of a package path inside the module ("tend/snmp/x" -> "snmp").
func top(path string) (string, bool) {
	path, _, _ = strings.Cut(path, " ") // "tend/x [tend/x.test]" is a test variant of tend/x
	path = strings.TrimSuffix(strings.TrimSuffix(path, ".test"), "_test")
	rest, ok := strings.CutPrefix(path, "tend/")
	if !ok {
		return "", false
	}
	first, _, _ := strings.Cut(rest, "/")
	return first, true
}

// isTestVariant tells a package compiled for its tests ("tend/x [tend/x.test]",
// "tend/x_test", "tend/x.test") from the package itself.
func isTestVariant(path string) bool {
	return strings.Contains(path, " [") || strings.HasSuffix(path, ".test") || strings.HasSuffix(path, "_test")
}

func TestImportTable(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("go toolchain not on PATH")
	}
	present := map[string]bool{}
	for _, p := range listPackages(t, "-test", "./...") {
		from, _ := top(p.ImportPath)
		present[from] = true
		allowed, known := allowedImports[from]
		if !known {
			t.Errorf("package %s is in no row of the import table (design.md); add it there and here", p.ImportPath)
			continue
		}
		for _, imp := range p.Imports {
			to, ours := top(imp)
			if !ours || to == from || slices.Contains(allowed, "*") {
				continue
			}
			if to == "internal" {
				// Test helpers: any package's tests may use them, no product
				// code; the generators (under an internal/ folder, never in
				// the binary: TestNoGeneratorInBinary) share internal/genfile.
				generator := imp == "tend/internal/genfile" && strings.Contains(p.ImportPath, "/internal/")
				// internal/follow (stdlib only) follows the run-time tables' files;
				// internal/packfs (stdlib only) holds the UIs' files in `make build`;
				// internal/lazyre (stdlib only) compiles rule tables' patterns on first use;
				// internal/orphans (stdlib only) is what `tend lab reap` reads of the tests' owner markers;
				// internal/schedstat (stdlib only) tells `tend lab up` a starting agent from a stuck one.
				product := imp == "tend/internal/follow" || imp == "tend/internal/packfs" || imp == "tend/internal/lazyre" ||
					(imp == "tend/internal/orphans" || imp == "tend/internal/schedstat") && p.ImportPath == "tend/lab"
				if !isTestVariant(p.ImportPath) && !generator && !product {
					t.Errorf("%s imports %s: internal/ holds test and generator helpers only", p.ImportPath, imp)
				}
				continue
			}
			if !slices.Contains(allowed, to) && !(isTestVariant(p.ImportPath) && slices.Contains(testImports[from], to)) {
				t.Errorf("%s imports %s: %s may import only %v (design.md)", p.ImportPath, imp, from, allowed)
			}
		}
	}
	// A row without a package is a table that no longer describes the code.
	for from := range allowedImports {
		if !present[from] {
			t.Errorf("the import table has a row for %s, which holds no package: remove it here and in design.md", from)
		}
	}
}

// TestNoGeneratorInBinary: the table generators' shared steps
// (internal/genfile) stay out of the binary.
func TestNoGeneratorInBinary(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("go toolchain not on PATH")
	}
	for _, p := range listPackages(t, "-deps", "./cmd/tend") {
		if p.ImportPath == "tend/internal/genfile" {
			t.Error("the binary links internal/genfile, the generators' helper")
		}
	}
}

func TestNoCgo(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("go toolchain not on PATH")
	}
	for _, p := range listPackages(t, "-deps", "./cmd/tend") {
		for _, banned := range bannedImports {
			if p.ImportPath == banned {
				t.Errorf("the binary depends on %s, which needs cgo", banned)
			}
		}
	}
}

// trimmedAway are packages tend's trimmed copies in third_party cut out of
// the binary; one coming back costs the size budget what its cut saved.
var trimmedAway = map[string]string{
	"image/gif":    "third_party/fpdf: fpdf decoded GIF images (229 KB with the rest of this list)",
	"image/jpeg":   "third_party/fpdf: fpdf decoded JPEG images",
	"image/png":    "third_party/fpdf: fpdf encoded GIFs as PNG",
	"encoding/gob": "third_party/fpdf: fpdf serialised templates and images",
}

// TestTrimmedAway: the packages the third_party copies cut stay out of the
// binary (a new import that brings one back should be a decision).
func TestTrimmedAway(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("go toolchain not on PATH")
	}
	for _, p := range listPackages(t, "-tags", "nethttpomithttp2", "-deps", "./cmd/tend") {
		if why, ok := trimmedAway[p.ImportPath]; ok {
			t.Errorf("the binary links %s again, cut by %s", p.ImportPath, why)
		}
	}
}
