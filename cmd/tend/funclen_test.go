package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

// maxFuncLines is the longest function tend's own code may have (the
// issue's bar, "no function over 80 lines"): past it a function is read in
// pieces by everyone who changes it.
const maxFuncLines = 80

// longFuncs are the functions allowed past maxFuncLines, by "dir/file.go
// Name" (Type.Name for methods), each with its reason. An entry that no
// longer applies fails the test too, so the list only shrinks.
var longFuncs = map[string]string{
	// Tools run at go generate time, never in the binary.
	"traffic/internal/mixcap/main.go write":                  "test-capture generator: one linear script of frames",
	"lifecycle/internal/vulncatalog/vulncatalog.go Generate": "generator: one pass over the advisory sources",
	// The per-packet dispatch: every detector's entry in packet order, one
	// function so the whole hot path is one frame and PGO's profile lines
	// match it; a split adds a call per packet.
	"traffic/engine.go Engine.packet": "the per-packet dispatch, kept whole on the hot path",
}

// TestNoLongFunctions fails on a function longer than maxFuncLines in
// tend's own non-test, non-generated code (third_party and testdata
// excluded) that longFuncs does not list.
func TestNoLongFunctions(t *testing.T) {
	fset := token.NewFileSet()
	seen := map[string]bool{}
	err := filepath.WalkDir("../..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "third_party" || d.Name() == "testdata" || (strings.HasPrefix(d.Name(), ".") && path != "../..")) {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		if ast.IsGenerated(f) {
			return nil
		}
		rel, _ := filepath.Rel("../..", path)
		for _, decl := range f.Decls {
			fd, ok := decl.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			n := fset.Position(fd.End()).Line - fset.Position(fd.Pos()).Line + 1
			if n <= maxFuncLines {
				continue
			}
			key := filepath.ToSlash(rel) + " " + funcName(fd)
			seen[key] = true
			if _, ok := longFuncs[key]; !ok {
				t.Errorf("%s is %d lines, over %d: split it where it reads better, or list it in longFuncs with the reason", key, n, maxFuncLines)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for key := range longFuncs {
		if !seen[key] {
			t.Errorf("longFuncs lists %s, which is no longer over %d lines (or gone): remove it", key, maxFuncLines)
		}
	}
}

// funcName is Name, or Type.Name for a method.
func funcName(fd *ast.FuncDecl) string {
	if fd.Recv == nil || len(fd.Recv.List) == 0 {
		return fd.Name.Name
	}
	t := fd.Recv.List[0].Type
	if s, ok := t.(*ast.StarExpr); ok {
		t = s.X
	}
	switch x := t.(type) {
	case *ast.IndexExpr:
		t = x.X
	case *ast.IndexListExpr:
		t = x.X
	}
	if id, ok := t.(*ast.Ident); ok {
		return id.Name + "." + fd.Name.Name
	}
	return fd.Name.Name
}
