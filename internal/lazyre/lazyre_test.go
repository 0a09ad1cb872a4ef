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

// newLiteral returns the pattern x gives lazyre.New, or a lazyre.Regexp
// literal's Expr, if x is such a call or literal with a string literal.
func newLiteral(t *testing.T, path string, x ast.Node) (string, bool) {
	var arg ast.Expr
	switch x := x.(type) {
	case *ast.CallExpr:
		if sel, ok := x.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "New" && isLazyre(sel.X) && len(x.Args) == 1 {
			arg = x.Args[0]
		}
	case *ast.CompositeLit:
		if sel, ok := x.Type.(*ast.SelectorExpr); ok && sel.Sel.Name == "Regexp" && isLazyre(sel.X) {
			arg = literalExpr(x)
		}
	}
	lit, ok := arg.(*ast.BasicLit)
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

// isLazyre reports whether x names this package.
func isLazyre(x ast.Expr) bool {
	id, ok := x.(*ast.Ident)
	return ok && id.Name == "lazyre"
}

// literalExpr returns the Expr field's value in a Regexp literal, or nil.
func literalExpr(c *ast.CompositeLit) ast.Expr {
	for _, e := range c.Elts {
		if kv, ok := e.(*ast.KeyValueExpr); ok {
			if k, ok := kv.Key.(*ast.Ident); ok && k.Name == "Expr" {
				return kv.Value
			}
		}
	}
	return nil
}

func TestCompiledOnceAndShared(t *testing.T) {
	r := New(`^a(b+)c$`)
	if compiled(r) {
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

// compiled reports whether r has compiled its pattern.
func compiled(r *Regexp) bool {
	s := r.st.Load()
	return s != nil && s.re != nil
}
