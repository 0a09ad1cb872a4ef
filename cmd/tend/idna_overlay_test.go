package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// idnaProbe is a program built with make build's overlay: for each host
// name argument it prints the Host header net/http writes (the vendored
// idna's ToASCII, through httpguts.PunycodeHostPort) and whether a request
// to it bypasses the proxy under NO_PROXY (Lookup.ToASCII, through
// httpproxy's canonical address), so the overlay's idna is checked where
// net/http calls it.
const idnaProbe = `package main

import (
	"bufio"
	"bytes"
	"fmt"
	"net/http"
	"os"
	"strings"
)

func main() {
	for _, h := range os.Args[1:] {
		host := "error"
		req, err := http.NewRequest("GET", "http://example.invalid/", nil)
		if err != nil {
			panic(err)
		}
		req.Host = h
		var b bytes.Buffer
		if req.Write(&b) == nil {
			sc := bufio.NewScanner(&b)
			for sc.Scan() {
				if v, ok := strings.CutPrefix(sc.Text(), "Host: "); ok {
					host = v
				}
			}
		}
		req, err = http.NewRequest("GET", "https://example.invalid/", nil)
		if err != nil {
			panic(err)
		}
		req.URL.Host = h
		proxy, err := http.ProxyFromEnvironment(req)
		fmt.Printf("%s %s %v\n", h, host, err == nil && proxy == nil)
	}
}
`

// TestIDNAOverlay checks the idna package make build's overlay puts in
// place of the standard library's (scripts/overlay/idna.go): host names
// convert as golang.org/x/net/idna v0.62's Lookup and Punycode profiles
// convert them (the expected values are theirs), but for the compatibility
// forms the overlay does not map.
func TestIDNAOverlay(t *testing.T) {
	bin := buildOverlayProbe(t, idnaProbe, "idnaprobe")
	// host, the Host header (ToASCII), and whether NO_PROXY, which lists
	// the hosts' Lookup forms, exempts it (Lookup.ToASCII succeeded and
	// gave one of them).
	want := []struct {
		host, header string
		noProxy      bool
	}{
		{"bücher.example", "xn--bcher-kva.example", true},
		{"MÜNCHEN.de", "xn--MNCHEN-psa.de", true},
		{"例え.テスト", "xn--r8jz45g.xn--zckzah", true},
		{"пример.испытание", "xn--e1afmkfd.xn--80akhbyknj4f", true},
		{"straße.de", "xn--strae-oqa.de", true},
		{"日本語。jp", "xn--jp-q13az21vzlbtz6h", true},
		{"ＡＢＣ.com", "xn--ph7ccd.com", true}, // Lookup: abc.com
		{"☃.net", "xn--n3h.net", true},
		{"mañana.com:8080", "xn--maana-pta.com:8080", true},
		{"a_b.bücher.de", "a_b.xn--bcher-kva.de", false}, // STD3: no underscore
		{"-ábc.com", "xn---bc-ela.com", false},           // CheckHyphens
		{"plain.example", "plain.example", false},        // all ASCII: not converted, not listed
	}
	noProxy := "xn--bcher-kva.example,xn--mnchen-3ya.de,xn--r8jz45g.xn--zckzah,xn--e1afmkfd.xn--80akhbyknj4f," +
		"xn--strae-oqa.de,xn--wgv71a119e.jp,abc.com,xn--n3h.net,xn--maana-pta.com,a_b.xn--bcher-kva.de,xn---bc-ela.com"
	args := make([]string, len(want))
	for i, w := range want {
		args[i] = w.host
	}
	run := exec.Command(bin, args...)
	run.Env = []string{"HTTPS_PROXY=http://127.0.0.1:9", "NO_PROXY=" + noProxy}
	out, err := run.Output()
	if err != nil {
		t.Fatalf("run the probe: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) != len(want) {
		t.Fatalf("probe printed %d lines, want %d:\n%s", len(lines), len(want), out)
	}
	for i, w := range want {
		if got, exp := lines[i], w.host+" "+w.header+" "+map[bool]string{true: "true", false: "false"}[w.noProxy]; got != exp {
			t.Errorf("got %q, want %q", got, exp)
		}
	}
}

// buildOverlayProbe builds src, a main package, with make build's overlay
// (scripts/template-overlay.sh) and returns the program's path; it skips
// in -short mode and without a go tool.
func buildOverlayProbe(t *testing.T, src, module string) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds a program with the overlay: skipped in -short mode")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go tool on PATH")
	}
	overlay := t.TempDir()
	if b, err := exec.Command("bash", "../../scripts/template-overlay.sh", overlay).CombinedOutput(); err != nil {
		t.Fatalf("template overlay: %v\n%s", err, b)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module "+module+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "probe")
	build := exec.Command("go", "build", "-tags", "nethttpomithttp2", "-overlay", filepath.Join(overlay, "overlay.json"), "-o", bin, ".")
	build.Dir = dir
	build.Env = append(os.Environ(), "CGO_ENABLED=0", "GOFLAGS=-mod=mod", "GOWORK=off")
	if b, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build the probe: %v\n%s", err, b)
	}
	return bin
}
