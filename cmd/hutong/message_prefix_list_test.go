package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path"
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
// English wrap. A wrap that begins in more than one word ("create app: ")
// or with a sentinel error's text ("%w (waited %s): %w" of
// sqldb.ErrWaitTimeout, "sqldb: …") is held to packagePrefix too: message
// must drop its steps named before any verb, or the wrap reads a word
// with a number or a capital ("Create app: "), which message keeps.
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
	wrap := regexp.MustCompile(`^[a-z][a-z0-9]*$`)
	steps := regexp.MustCompile(`^(?:[^:%]+: )+`) // the steps named before any verb
	used := map[string]string{}                   // word: where it is first used
	// check records the word a wrap's format begins with, or reports a
	// step message would keep in front of a domain error.
	check := func(format, at string) {
		chain := steps.FindString(format)
		if chain == "" {
			return
		}
		first, _, _ := strings.Cut(chain, ": ")
		switch {
		case wrap.MatchString(first):
			if _, ok := used[first]; !ok {
				used[first] = at
			}
			if !slices.Contains(wrapPrefixes, first) {
				return // reported below
			}
		case !isASCII(first):
			return // a Chinese wrap's, said to the user
		case !packagePrefix.MatchString(first + ": "):
			t.Errorf("%s wraps an error in %q, neither a word of wrapPrefixes nor a step in words of letters (stepPhrase): message would keep it in front of a domain error", at, first+": ")
			return
		}
		if isASCII(chain) && !packagePrefix.MatchString(chain) {
			t.Errorf("%s wraps an error in %q, whose steps message would keep in front of a domain error", at, chain)
		}
	}
	sentinels := map[string]string{} // dir.Name: the text of errors.New
	var led []sentinelLed
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
			for _, d := range f.Decls {
				if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.VAR {
					for _, spec := range gd.Specs {
						vs := spec.(*ast.ValueSpec)
						for i, v := range vs.Values {
							if text, ok := errorsNew(v); ok && i < len(vs.Names) {
								sentinels[dir+"."+vs.Names[i].Name] = text
							}
						}
					}
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
				if strings.HasPrefix(format, "%w") && len(call.Args) > 1 {
					// A sentinel's text in front ("%w (waited %s): %w"):
					// read once every package is parsed.
					if name := sentinelName(call.Args[1], module, dir, f); name != "" {
						led = append(led, sentinelLed{name, format[len("%w"):], fset.Position(lit.Pos()).String()})
					}
					return true
				}
				check(format, fset.Position(lit.Pos()).String())
				return true
			})
		}
	}
	for _, l := range led {
		if text, ok := sentinels[l.name]; ok {
			check(text+l.rest, l.at)
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

// sentinelLed is a wrap whose format begins with a sentinel error's text
// (%w), named dir.Name, and goes on with rest.
type sentinelLed struct{ name, rest, at string }

// errorsNew is the text of errors.New("…"), if v is such a call.
func errorsNew(v ast.Expr) (string, bool) {
	call, ok := v.(*ast.CallExpr)
	if !ok || len(call.Args) != 1 {
		return "", false
	}
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "New" {
		return "", false
	}
	if pkg, ok := sel.X.(*ast.Ident); !ok || pkg.Name != "errors" {
		return "", false
	}
	lit, ok := call.Args[0].(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", false
	}
	text, err := strconv.Unquote(lit.Value)
	return text, err == nil
}

// sentinelName names the variable e refers to as dir.Name, dir being the
// folder of its package in the module: a Name of dir's own package, or
// pkg.Name of a package f imports from the module (module, with its
// slash). It is "" otherwise.
func sentinelName(e ast.Expr, module, dir string, f *ast.File) string {
	switch e := e.(type) {
	case *ast.Ident:
		return dir + "." + e.Name
	case *ast.SelectorExpr:
		x, ok := e.X.(*ast.Ident)
		if !ok {
			return ""
		}
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			name := path.Base(p)
			if imp.Name != nil {
				name = imp.Name.Name
			}
			if rel, ok := strings.CutPrefix(p, module); ok && name == x.Name {
				return rel + "." + e.Sel.Name
			}
		}
	}
	return ""
}
