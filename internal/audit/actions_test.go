package audit_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/audit"
)

// TestEveryAuditedActionLabelled reads the module's source for the actions
// it writes to the audit log and wants a label and a group of the audit
// page's filter for each. An action is written as the Action of an
// audit.Event literal, as the argument of a function's parameter named
// action (records.ReadEvent, catalog's record), or assigned to a variable
// named action; any other way of writing one fails the test until the test
// learns it.
func TestEveryAuditedActionLabelled(t *testing.T) {
	written := writtenActions(t)
	for _, want := range []string{"auth.login", "user.disable", "catalog.create", "records.read", "records.history", "records.feed", "records.discrepancy.read"} {
		if _, ok := written[want]; !ok {
			t.Errorf("the scan did not find %q, which the code writes", want)
		}
	}
	for _, a := range slices.Sorted(maps.Keys(written)) {
		if audit.ActionLabel(a) == "" {
			t.Errorf("%s writes the audited action %q, which has no label in audit.ActionGroups", written[a], a)
		}
	}
	seen := map[string]bool{}
	for _, g := range audit.ActionGroups {
		for _, a := range g.Actions {
			if seen[a.Action] {
				t.Errorf("%q is in two groups", a.Action)
			}
			seen[a.Action] = true
		}
	}
}

// writtenActions returns the audited actions the module's non-test source
// writes, each with a place that writes it.
func writtenActions(t *testing.T) map[string]string {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	mod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	module := strings.TrimSpace(strings.TrimPrefix(strings.SplitN(string(mod), "\n", 2)[0], "module "))

	type file struct {
		dir string // import path of its package
		f   *ast.File
	}
	fset := token.NewFileSet()
	var files []file
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != root && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || d.Name() == "vendor") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, p, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, filepath.Dir(p))
		if err != nil {
			return err
		}
		files = append(files, file{path.Join(module, filepath.ToSlash(rel)), f})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	// The functions and methods with a parameter named action: where it is.
	type fn struct{ pkg, name string }
	actionParam := map[fn]int{}
	methods := map[string]int{}
	for _, f := range files {
		for _, d := range f.f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok {
				continue
			}
			i := 0
			for _, field := range fd.Type.Params.List {
				for _, n := range field.Names {
					if n.Name == "action" {
						actionParam[fn{f.dir, fd.Name.Name}] = i
						if fd.Recv != nil {
							methods[fd.Name.Name] = i
						}
					}
					i++
				}
			}
		}
	}

	out := map[string]string{}
	for _, f := range files {
		imports := map[string]string{}
		for _, im := range f.f.Imports {
			p, _ := strconv.Unquote(im.Path.Value)
			name := path.Base(p)
			if im.Name != nil {
				name = im.Name.Name
			}
			imports[name] = p
		}
		// take records the action e writes, or fails on a way of writing
		// one the test does not know. It says whether e is the variable
		// action, whose values are the ones assigned to it.
		take := func(e ast.Expr, what string) (variable bool) {
			switch x := e.(type) {
			case *ast.BasicLit:
				if a, err := strconv.Unquote(x.Value); err == nil && x.Kind == token.STRING {
					if _, ok := out[a]; !ok {
						out[a] = fset.Position(x.Pos()).String()
					}
					return false
				}
			case *ast.Ident:
				if x.Name == "action" {
					return true
				}
			case *ast.SelectorExpr:
				// A route's audited action (api.Route.Audit), whose
				// values the api.Audited literals give.
				if in, ok := x.X.(*ast.SelectorExpr); ok && in.Sel.Name == "Audit" && x.Sel.Name == "Action" {
					return false
				}
			}
			t.Errorf("%s: %s is not a string literal nor a variable named action: teach TestEveryAuditedActionLabelled to read it",
				fset.Position(e.Pos()), what)
			return false
		}
		for _, d := range f.f.Decls {
			uses := false      // d writes the variable action as an action
			var set []ast.Expr // the values d assigns to a variable named action
			ast.Inspect(d, func(n ast.Node) bool {
				switch x := n.(type) {
				case *ast.CompositeLit:
					isEvent := false
					switch ty := x.Type.(type) {
					case *ast.SelectorExpr:
						id, ok := ty.X.(*ast.Ident)
						isEvent = ok && ty.Sel.Name == "Event" && imports[id.Name] == module+"/internal/audit"
					case *ast.Ident:
						isEvent = ty.Name == "Event" && f.dir == module+"/internal/audit"
					}
					if isAudited := f.dir == module+"/internal/api" && isIdent(x.Type, "Audited"); isAudited && len(x.Elts) > 0 {
						if kv, ok := x.Elts[0].(*ast.KeyValueExpr); ok {
							take(kv.Value, "the Action of an api.Audited")
						} else {
							take(x.Elts[0], "the Action of an api.Audited")
						}
					}
					if !isEvent {
						return true
					}
					for _, el := range x.Elts {
						if kv, ok := el.(*ast.KeyValueExpr); ok {
							if k, ok := kv.Key.(*ast.Ident); ok && k.Name == "Action" {
								uses = take(kv.Value, "the Action of an audit.Event") || uses
							}
						}
					}
				case *ast.CallExpr:
					i, ok := -1, false
					switch fun := x.Fun.(type) {
					case *ast.Ident:
						i, ok = actionParam[fn{f.dir, fun.Name}]
					case *ast.SelectorExpr:
						if id, isID := fun.X.(*ast.Ident); isID && imports[id.Name] != "" {
							i, ok = actionParam[fn{imports[id.Name], fun.Sel.Name}]
						} else {
							i, ok = methods[fun.Sel.Name]
						}
					}
					if ok && i < len(x.Args) {
						uses = take(x.Args[i], "the action argument") || uses
					}
				case *ast.AssignStmt:
					for i, l := range x.Lhs {
						if id, ok := l.(*ast.Ident); ok && id.Name == "action" && i < len(x.Rhs) {
							set = append(set, x.Rhs[i])
						}
					}
				case *ast.ValueSpec:
					for i, id := range x.Names {
						if id.Name == "action" && i < len(x.Values) {
							set = append(set, x.Values[i])
						}
					}
				}
				return true
			})
			if uses {
				for _, e := range set {
					if take(e, "a value assigned to action") {
						t.Errorf("%s: action assigned to itself", fset.Position(e.Pos()))
					}
				}
			}
		}
	}
	return out
}

// isIdent reports whether e is the identifier name.
func isIdent(e ast.Expr, name string) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == name
}
