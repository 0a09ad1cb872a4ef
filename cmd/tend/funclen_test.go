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
	"snmp/internal/genvendoroids/main.go run":                "generator: one linear read-transform-write script",
	"lifecycle/internal/vulncatalog/vulncatalog.go Generate": "generator: one pass over the advisory sources",
	// Other helpers work in these files this session; split after the merge.
	"hub/store.go HubStore.store":             "the hub's ingest transaction (helper D works in hub/store.go)",
	"snmp/walk.go walker.walkColumns":         "the SNMP table walk's retry state machine (helper A works in snmp)",
	"webui/netmap.go layoutMap":               "the map layout in one pass (helper G works on the map)",
	"webui/netmap.go buildMap":                "the map's graph build (helper G works on the map)",
	"webui/dashboard.go Server.dashboardPage": "one page's view assembly (helper G's area)",
	"hub/sealed.go HubStore.SealKeys":         "the master-key migration in one transaction (helper D's package)",
	"inventory/device.go Merge":               "the field-by-field merge of an observation: one rule per field",
	"discovery/sweep.go Sweeper.passes":       "the paced sweep loop (helper B works on scan speed)",
	"hub/report.go HubStore.BuildReport":      "the PDF report's sections in order (helper D's package)",
	"snmp/rules.go identify":                  "the identity rules in order (helper A works on SNMP identity)",
	"identity/classify.go ClassifyWith":       "the classification rules in order (helper B works on device types)",
	"traffic/flood.go Engine.floodPacket":     "the per-packet flood detector, a hot path (helper C works on detection speed)",
	"snmp/topology.go Poller.neighbors":       "LLDP and CDP neighbour tables (helper A works in snmp)",
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
