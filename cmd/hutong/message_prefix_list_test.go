package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestWrapPrefixesComplete: wrapPrefixes, the words message drops in
// front of a domain error, are the words that the packages this command
// is built from (itself and the module's packages it imports, directly or
// not) begin an English wrap with: every fmt.Errorf whose format starts
// "word: " and wraps an error (%w) in their non-test files, whatever the
// system the file is built for. A wrap that holds no error (errors.New,
// %v) cannot stand in front of a domain error. A word missing from the
// list left its wrap in front of the Chinese ("feedback: sqldb: …: 审计日志
// 暂时无法写入"); a word no package wraps in would drop a command's own
// English wrap.
func TestWrapPrefixesComplete(t *testing.T) {
	const root = "../.."
	mod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^module\s+(\S+)`).FindSubmatch(mod)
	if m == nil {
		t.Fatal("go.mod names no module")
	}
	module := string(m[1]) + "/"
	wrap := regexp.MustCompile(`^([a-z][a-z0-9]*): `)
	used := map[string]string{} // word: where it is first used
	fset := token.NewFileSet()
	seen := map[string]bool{"cmd/hutong": true}
	for queue := []string{"cmd/hutong"}; len(queue) > 0; queue = queue[1:] {
		dir := queue[0]
		entries, err := os.ReadDir(filepath.Join(root, dir))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			name := e.Name()
			if e.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(fset, filepath.Join(root, dir, name), nil, parser.SkipObjectResolution)
			if err != nil {
				t.Fatal(err)
			}
			for _, imp := range f.Imports {
				p, _ := strconv.Unquote(imp.Path.Value)
				if rel, ok := strings.CutPrefix(p, module); ok && !seen[rel] {
					seen[rel] = true
					queue = append(queue, rel)
				}
			}
			ast.Inspect(f, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok || len(call.Args) == 0 {
					return true
				}
				sel, ok := call.Fun.(*ast.SelectorExpr)
				if !ok || sel.Sel.Name != "Errorf" {
					return true
				}
				if pkg, ok := sel.X.(*ast.Ident); !ok || pkg.Name != "fmt" {
					return true
				}
				lit, ok := call.Args[0].(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					return true
				}
				format, err := strconv.Unquote(lit.Value)
				if err != nil || !strings.Contains(format, "%w") {
					return true
				}
				if w := wrap.FindStringSubmatch(format); w != nil {
					if _, ok := used[w[1]]; !ok {
						used[w[1]] = fset.Position(lit.Pos()).String()
					}
				}
				return true
			})
		}
	}
	if !seen["internal/sqldb"] || used["sqldb"] == "" {
		t.Fatalf("the packages found (%d) do not include sqldb's wrap \"sqldb: …%%w\": the walk is broken", len(seen))
	}
	for w, at := range used {
		if !slices.Contains(wrapPrefixes, w) {
			t.Errorf("%s wraps an error in %q, which is not in wrapPrefixes: message would keep it in front of a domain error", at, w+": ")
		}
	}
	for _, w := range wrapPrefixes {
		if _, ok := used[w]; !ok {
			t.Errorf("wrapPrefixes holds %q, which no package this command is built from wraps an error in: message would drop a command's own wrap", w)
		}
	}
}
