package lazyre

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// TestPatternsCompile compiles every string literal the repository gives
// New, the check regexp.MustCompile at package init used to make at start-up.
// Patterns passed through a helper (snmp's rule constructors) are compiled
// by their package's own test.
func TestPatternsCompile(t *testing.T) {
	patterns := repoPatterns(t)
	for _, p := range patterns {
		if _, err := regexp.Compile(p.expr); err != nil {
			t.Errorf("%s: %v", p.path, err)
		}
	}
	// identity, snmp, lifecycle, storage and the rest hold about 200.
	if len(patterns) < 150 {
		t.Errorf("found %d patterns given to lazyre.New, want the repository's (at least 150)", len(patterns))
	}
}

type repoPattern struct{ path, expr string }

// repoPatterns returns every string literal the repository gives New.
func repoPatterns(t *testing.T) []repoPattern {
	var out []repoPattern
	err := filepath.WalkDir("../..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "third_party" || strings.HasPrefix(d.Name(), ".")) && path != "../.." {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(x ast.Node) bool {
			if expr, ok := newLiteral(t, path, x); ok {
				out = append(out, repoPattern{path, expr})
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// newLiteral returns the pattern x gives lazyre.New, if it is such a call
// with a string literal.
func newLiteral(t *testing.T, path string, x ast.Node) (string, bool) {
	call, ok := x.(*ast.CallExpr)
	if !ok || len(call.Args) != 1 {
		return "", false
	}
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "New" {
		return "", false
	}
	if pkg, ok := sel.X.(*ast.Ident); !ok || pkg.Name != "lazyre" {
		return "", false
	}
	lit, ok := call.Args[0].(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", false
	}
	expr, err := strconv.Unquote(lit.Value)
	if err != nil {
		t.Errorf("%s: %v", path, err)
		return "", false
	}
	return expr, true
}

func TestCompiledOnceAndShared(t *testing.T) {
	r := New(`^a(b+)c$`)
	if r.re != nil {
		t.Fatal("New compiled the pattern")
	}
	var wg sync.WaitGroup
	got := make([]*regexp.Regexp, 8)
	for i := range got {
		wg.Add(1)
		go func() { defer wg.Done(); got[i] = r.Compiled() }()
	}
	wg.Wait()
	for _, g := range got {
		if g != got[0] || g == nil {
			t.Fatalf("Compiled returned %p and %p", got[0], g)
		}
	}
	if m := r.FindStringSubmatch("abbc"); len(m) != 2 || m[1] != "bb" {
		t.Errorf("FindStringSubmatch(abbc) = %q, want [abbc bb]", m)
	}
	if r.MatchString("ac") || r.String() != `^a(b+)c$` {
		t.Errorf("MatchString(ac) true or String() = %q", r.String())
	}
}

func TestBadPatternPanicsOnFirstUse(t *testing.T) {
	r := New(`(`)
	defer func() {
		if recover() == nil {
			t.Error("a pattern that does not compile did not panic on first use")
		}
	}()
	r.MatchString("x")
}
