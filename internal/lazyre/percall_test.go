package lazyre

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

// TestNoPatternPerCall fails where a function body gives New a pattern
// literal, directly or through one of its package's constructors (a
// function that passes its own argument on to New, such as snmp's
// sysDescr and source.match). Such a pattern is a new Regexp on every
// call, compiled again on its first match each time: four of snmp's
// identification sources did that, a third of the setC "cdata" device's
// identification time. Patterns belong in package-level variables (or
// tables built once); a constructor's own body is allowed.
func TestNoPatternPerCall(t *testing.T) {
	fset := token.NewFileSet()
	byDir := map[string][]*ast.File{}
	err := filepath.WalkDir("../..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "third_party" || d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && path != "../.." {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		byDir[filepath.Dir(path)] = append(byDir[filepath.Dir(path)], f)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, files := range byDir {
		ctors := patternConstructors(files)
		eachCall(files, func(fd *ast.FuncDecl, c *ast.CallExpr) {
			if ctors[calleeName(c)] && literalFirst(c) {
				t.Errorf("%s: %s builds a pattern from a literal on every call of %s; declare it at package level",
					fset.Position(c.Pos()), calleeName(c), fd.Name.Name)
			}
		})
		eachRegexpLit(files, func(fd *ast.FuncDecl, c *ast.CompositeLit) {
			t.Errorf("%s: a lazyre.Regexp literal builds a pattern on every call of %s; declare it at package level",
				fset.Position(c.Pos()), fd.Name.Name)
		})
	}
}

// eachRegexpLit calls f with every lazyre.Regexp literal in the bodies of
// the files' function declarations.
func eachRegexpLit(files []*ast.File, f func(*ast.FuncDecl, *ast.CompositeLit)) {
	eachInBody(files, func(fd *ast.FuncDecl, n ast.Node) {
		if c, ok := n.(*ast.CompositeLit); ok {
			if sel, ok := c.Type.(*ast.SelectorExpr); ok && sel.Sel.Name == "Regexp" && isLazyre(sel.X) {
				f(fd, c)
			}
		}
	})
}

// patternConstructors returns New and the functions and methods of one
// package that pass a non-literal first argument on to New or to another
// such constructor, by name.
func patternConstructors(files []*ast.File) map[string]bool {
	ctors := map[string]bool{"lazyre.New": true}
	for changed := true; changed; {
		changed = false
		eachCall(files, func(fd *ast.FuncDecl, c *ast.CallExpr) {
			if !ctors[fd.Name.Name] && ctors[calleeName(c)] && len(c.Args) > 0 && !literalFirst(c) {
				ctors[fd.Name.Name], changed = true, true
			}
		})
	}
	return ctors
}

// eachCall calls f with every call expression in the bodies of the
// files' function declarations.
func eachCall(files []*ast.File, f func(*ast.FuncDecl, *ast.CallExpr)) {
	eachInBody(files, func(fd *ast.FuncDecl, n ast.Node) {
		if c, ok := n.(*ast.CallExpr); ok {
			f(fd, c)
		}
	})
}

// eachInBody calls f with every node in the bodies of the files' function
// declarations.
func eachInBody(files []*ast.File, f func(*ast.FuncDecl, ast.Node)) {
	for _, file := range files {
		for _, d := range file.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			ast.Inspect(fd.Body, func(n ast.Node) bool {
				f(fd, n)
				return true
			})
		}
	}
}

// calleeName is "lazyre.New" for New, else the called function's or
// method's bare name.
func calleeName(c *ast.CallExpr) string {
	switch fn := c.Fun.(type) {
	case *ast.SelectorExpr:
		if x, ok := fn.X.(*ast.Ident); ok && x.Name == "lazyre" {
			return "lazyre." + fn.Sel.Name
		}
		return fn.Sel.Name
	case *ast.Ident:
		return fn.Name
	}
	return ""
}

// literalFirst reports whether the call's first argument is a string
// literal.
func literalFirst(c *ast.CallExpr) bool {
	if len(c.Args) == 0 {
		return false
	}
	lit, ok := c.Args[0].(*ast.BasicLit)
	return ok && lit.Kind == token.STRING
}
