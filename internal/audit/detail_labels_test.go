package audit_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/records"
)

// TestDetailLabelsCoverWrittenKeys checks that every key the platform
// writes into an audit row's detail has a Chinese label on the console's
// audit page and in hutong audit list. It reads the module's sources for the keys passed as string
// literals to a function taking kv ...string (audit.Detail, catalog's
// record and event, records.DiscrepanciesDenied…), in a []string literal
// or an append to a slice named kv or detail; keys marshalled from JSON
// (a batch's counts, a sweep's result, a resolution) and the audit.read
// rows' filter parameters are listed here, or read from their types.
func TestDetailLabelsCoverWrittenKeys(t *testing.T) {
	keys := sourceDetailKeys(t, filepath.Join("..", ".."))
	if len(keys) < 20 {
		t.Fatalf("found only %d detail keys in the sources: %v", len(keys), keys)
	}
	// records.batch (ingest), records.discrepancy.resolve (resolveDetail
	// and the sweep's closing note), a sweep's page (records' auditPage).
	keys = append(keys, "entry_code", "batch_id", "applied", "duplicates", "unchanged", "late", "first_seq", "last_seq",
		"authoritative_entry_id", "note", "reason", "peer_entry_id", "peer_entry_code", "page_compared", "page_found",
		"page_resolved", "page_updated")
	st := reflect.TypeFor[records.SweepResult]()
	for i := range st.NumField() {
		keys = append(keys, strings.Split(st.Field(i).Tag.Get("json"), ",")[0])
	}
	// audit.read: the console's filter, the API's (GET /api/v1/audit) and
	// hutong audit list's flags (the console's, TestAuditParamsLabelled).
	keys = append(keys, "action", "subject", "actor_kind", "actor", "department", "since", "until", "outcome",
		"before", "actor_id", "subject_id", "department_id", "cursor", "limit", "actor-kind")
	slices.Sort(keys)
	for _, k := range slices.Compact(keys) {
		if !labelled(k) {
			t.Errorf("audit detail key %q has no label in detailLabels", k)
		}
	}
}

// labelled reports whether audit.DetailFields names the detail key k in
// Chinese.
func labelled(k string) bool {
	f := audit.DetailFields("x", "", "{"+strconv.Quote(k)+`:"v"}`)
	return len(f) == 1 && f[0].Key == k && f[0].Label != k
}

// sourceDetailKeys returns the detail keys written as string literals in
// the non-test Go files under root.
func sourceDetailKeys(t *testing.T, root string) []string {
	t.Helper()
	fset := token.NewFileSet()
	var files []*ast.File
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && strings.HasPrefix(d.Name(), ".") && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		files = append(files, f)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Functions whose last parameter is kv ...string: the index of kv.
	variadic := map[string]int{}
	for _, f := range files {
		for _, decl := range f.Decls {
			fd, ok := decl.(*ast.FuncDecl)
			if !ok {
				continue
			}
			params := fd.Type.Params.List
			if len(params) == 0 {
				continue
			}
			last := params[len(params)-1]
			if e, ok := last.Type.(*ast.Ellipsis); ok && len(last.Names) == 1 && last.Names[0].Name == "kv" {
				if id, ok := e.Elt.(*ast.Ident); ok && id.Name == "string" {
					n := 0
					for _, p := range params {
						n += len(p.Names)
					}
					variadic[fd.Name.Name] = n - 1
				}
			}
		}
	}
	var keys []string
	var pairs func(args []ast.Expr)
	pairs = func(args []ast.Expr) {
		for i := 0; i < len(args); i += 2 {
			// audit.Detail(append([]string{"code", e.Code}, kv...)...)
			if c, ok := args[i].(*ast.CallExpr); ok {
				if id, ok := c.Fun.(*ast.Ident); ok && id.Name == "append" && len(c.Args) > 0 {
					if cl, ok := c.Args[0].(*ast.CompositeLit); ok {
						pairs(cl.Elts)
					}
				}
			}
			if lit, ok := args[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
				if k, err := strconv.Unquote(lit.Value); err == nil && !slices.Contains(keys, k) {
					keys = append(keys, k)
				}
			}
		}
	}
	named := func(e ast.Expr) bool {
		id, ok := e.(*ast.Ident)
		return ok && (id.Name == "kv" || id.Name == "detail")
	}
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				name := ""
				switch fn := n.Fun.(type) {
				case *ast.Ident:
					name = fn.Name
				case *ast.SelectorExpr:
					name = fn.Sel.Name
				}
				if i, ok := variadic[name]; ok && len(n.Args) > i {
					pairs(n.Args[i:])
				}
				if name == "append" && len(n.Args) > 1 && named(n.Args[0]) {
					pairs(n.Args[1:])
				}
			case *ast.AssignStmt:
				if len(n.Lhs) == 1 && len(n.Rhs) == 1 && named(n.Lhs[0]) {
					if cl, ok := n.Rhs[0].(*ast.CompositeLit); ok {
						pairs(cl.Elts)
					}
				}
			}
			return true
		})
	}
	return keys
}
