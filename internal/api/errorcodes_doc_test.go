package api_test

import (
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/records"
)

// TestErrorCodesDocumented keeps docs/api-errors.md true: its first table
// lists every code a problem document of the API can carry, with the
// statuses it comes with; its second, the codes that only a report
// carries (a batch's rejected lines and warnings, a catalog import's row
// errors). The codes are read from the non-test Go files of internal/ and
// cmd/ (errorCodeSources): the calls of errs.E, errs.Wrap and errs.Field
// and the errs.Error, api.Problem, records.LineError and
// catalogio.RowError literals with a constant code, following a code or
// kind passed as a parameter to the callers that pass a constant. A code
// the API cannot answer is left out: one produced only in internal/web
// (the console) or only by functions that the functions of internal/api
// and internal/server do not reach (the CLI's, cmd/hutong's); see
// apiReachable.
func TestErrorCodesDocumented(t *testing.T) {
	found := errorCodeSources(t, filepath.Join("..", ".."))
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "api-errors.md"))
	if err != nil {
		t.Fatal(err)
	}
	// The Problem schema's code points here and stays open (no enum):
	// clients must take a code they do not know. README links here.
	code := asObject(asObject(asObject(asObject(openAPIDoc(t)["components"])["schemas"])["Problem"])["properties"])["code"]
	if d, _ := asObject(code)["description"].(string); !strings.Contains(d, "docs/api-errors.md") || asObject(code)["enum"] != nil {
		t.Errorf("the Problem schema's code %v: want an open string whose description names docs/api-errors.md", code)
	}
	if readme, err := os.ReadFile(filepath.Join("..", "..", "README.md")); err != nil || !strings.Contains(string(readme), "(docs/api-errors.md)") {
		t.Errorf("README does not link docs/api-errors.md (%v)", err)
	}
	problems := docTable(t, string(doc), "## Problem codes")
	reports := docTable(t, string(doc), "## Codes only in reports")
	if len(problems) < 150 || len(reports) < 10 {
		t.Fatalf("docs/api-errors.md lists %d problem codes and %d report codes", len(problems), len(reports))
	}
	for code, statuses := range found.problems {
		row, ok := problems[code]
		switch {
		case !ok && reports[code] != "":
			t.Errorf("%s: a problem code (%v), listed among the codes only in reports", code, statuses)
		case !ok:
			t.Errorf("%s: a problem code (%v) docs/api-errors.md does not list (at %v)", code, statuses, found.at[code])
		case row != statusList(statuses):
			t.Errorf("%s: docs/api-errors.md gives status %q, the code base %q (at %v)", code, row, statusList(statuses), found.at[code])
		}
	}
	for code := range found.reports {
		if _, ok := found.problems[code]; ok {
			continue
		}
		if _, ok := reports[code]; !ok {
			t.Errorf("%s: a code of reports only that docs/api-errors.md does not list among them (at %v)", code, found.at[code])
		}
	}
	for code := range problems {
		if _, ok := found.problems[code]; !ok {
			t.Errorf("docs/api-errors.md lists %s, which no problem of the API carries", code)
		}
	}
	for code := range reports {
		if _, ok := found.reports[code]; !ok || found.problems[code] != nil {
			t.Errorf("docs/api-errors.md lists %s among the codes only in reports, which no report alone carries", code)
		}
	}
}

// TestLineOnlyCodesPushDoc keeps the error table of docs/records-push.md
// true for the codes of a batch's lines only (lineOnlyCodes): each is
// listed there, and only in rows of status "422 (batch only)", since the
// batch answers them in its rejected lines (422) and a single operation
// never carries them. line_too_long and malformed_csv were listed as a
// single operation's 400.
func TestLineOnlyCodesPushDoc(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "records-push.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, table, ok := strings.Cut(string(doc), "\n## Errors\n")
	if !ok {
		t.Fatal("docs/records-push.md has no ## Errors")
	}
	table, _, _ = strings.Cut(table, "\n## ")
	row := regexp.MustCompile("(?m)^\\| (`[^|]*) \\| ([^|]*) \\|")
	code := regexp.MustCompile("`([a-z0-9_]+)`")
	listed := map[string]bool{}
	for _, m := range row.FindAllStringSubmatch(table, -1) {
		for _, c := range code.FindAllStringSubmatch(m[1], -1) {
			if !slices.Contains(lineOnlyCodes, c[1]) {
				continue
			}
			listed[c[1]] = true
			if status := strings.TrimSpace(m[2]); status != "422 (batch only)" {
				t.Errorf("docs/records-push.md lists %s with status %q: a batch's rejected line, want 422 (batch only)", c[1], status)
			}
		}
	}
	for _, c := range lineOnlyCodes {
		if !listed[c] {
			t.Errorf("docs/records-push.md's errors do not list %s", c)
		}
	}
}

// docTable reads the table after heading: its rows' codes (the first
// cell, in backquotes) and second cells.
func docTable(t *testing.T, doc, heading string) map[string]string {
	t.Helper()
	_, after, ok := strings.Cut(doc, "\n"+heading+"\n")
	if !ok {
		t.Fatalf("docs/api-errors.md has no %q", heading)
	}
	if i := strings.Index(after, "\n## "); i >= 0 {
		after = after[:i]
	}
	rows := map[string]string{}
	row := regexp.MustCompile("(?m)^\\| `([a-z0-9_]+)` \\| ([^|]*) \\|")
	for _, m := range row.FindAllStringSubmatch(after, -1) {
		if _, dup := rows[m[1]]; dup {
			t.Errorf("docs/api-errors.md lists %s twice under %s", m[1], heading)
		}
		rows[m[1]] = strings.TrimSpace(m[2])
	}
	return rows
}

// statusList writes statuses as the table does: ascending, comma-separated.
func statusList(statuses map[int]bool) string {
	var s []string
	for _, st := range slices.Sorted(maps.Keys(statuses)) {
		s = append(s, strconv.Itoa(st))
	}
	return strings.Join(s, ", ")
}

// lineOnlyCodes are codes of errs calls that answer no request: the
// readers of a batch's body (internal/records/source.go) return them for
// a line, which the batch lists among its rejected (422); a single
// operation is decoded whole, never by them. Each must have no site
// elsewhere, or the test fails.
var lineOnlyCodes = []string{"csv_utf16", "csv_spreadsheet", "csv_delimiter", "csv_is_json", "json_is_csv",
	"json_spreadsheet", "json_not_lines", "line_too_long", "malformed_csv"}

// batchLineFiles hold the records.LineError literals of a batch's lines
// only (its readers, its CSV header's columns); those elsewhere refuse an
// operation pushed alone too (LineError.Err).
var batchLineFiles = []string{"internal/records/source.go", "internal/records/pipeline.go"}

// warningCodes are records.LineError codes of warnings: an operation is
// taken with them.
var warningCodes = []string{"uscc_check_digit", "subject_id_mismatch"}

// dynamicSites are the sites whose code or kind is no constant the scan
// follows, by file and function, each with what it produces: every one
// must be here, so that a new one is read and accounted for.
var dynamicSites = map[string]string{
	"internal/api/api.go ProblemFor":                 "the problem of any error: its code, its kind's status",
	"internal/api/catalogio.go importCatalogFile":    "a mapping's error, its code and kind kept (field under mapping.)",
	"internal/api/foundation.go auditDepartment":     "org.DepartmentByName's department_ambiguous (409) as 400: problemOverrides",
	"internal/api/records.go listDiscrepancies":      "ident.ParseSubject's errors, Invalid already, field subject_id",
	"internal/catalog/registration.go Import":        "an entry's validation errors, Invalid already, field under entries[i].resource.",
	"internal/catalog/registration.go provider":      "org.ReadRegionCode's invalid_region_code, its message extended",
	"internal/catalog/registration.go providerError": "an error of the provider, its code and kind kept",
	"internal/catalog/validate.go add":               "constants, but catalog.SecurityLevel.Check's f.field+\"_required\": dynamicCodes",
	"internal/catalogio/import.go rowError":          "a row's validation error as a report row, its code kept",
	"internal/catalogio/read.go ReadHeaders":         "a file's RowError as a problem; ReadHeaders is the console's and the CLI's",
	"internal/org/app.go ":                           "errInactiveKey: errBadKey's invalid_api_key (401)",
	"internal/org/credential.go Check":               "errBadKey's invalid_api_key (401): a key ended while its write ran",
	"internal/records/realtime.go Err":               "a refused line as its operation's problem: records.LineError's",
	"internal/records/validate.go lineErr":           "an error as a line, its code kept",
}

// dynamicCodes are the codes of dynamicSites that the scan does not see,
// with their statuses: catalog.SecurityLevel.Check's f.field+"_required".
var dynamicCodes = map[string][]int{"name_required": {400}, "description_required": {400}}

// problemOverrides are the statuses of codes that the scan gets wrong:
// none where the API cannot answer the code at all.
var problemOverrides = map[string][]int{
	// org.DepartmentByName refuses a name of several departments 409; the
	// API reaches it through the audit log's department filter only,
	// which answers 400 (auditDepartment).
	"department_ambiguous": {400},
	// catalog.checkRelated picks 400 or 409 by approving, but refuses
	// an entry neither published nor submitted only when approving.
	"related_code_unpublished": {409},
	// The built-in calendar's errors, reached from calendar.Default, which
	// panics if its embedded data were invalid: a calendar file is read
	// by hutong serve -calendar before it serves.
	"calendar_overlap":          nil,
	"invalid_calendar_encoding": nil,
	"invalid_calendar_rule":     nil,
}

// errorCodes is what errorCodeSources found: the statuses of the codes
// of problems, the codes of reports, and where each was found.
type errorCodes struct {
	problems map[string]map[int]bool
	reports  map[string]bool
	at       map[string][]string
}

// errorCodeSources scans the module under root (see
// TestErrorCodesDocumented).
func errorCodeSources(t *testing.T, root string) errorCodes {
	t.Helper()
	s := loadCodeScan(t, root)
	reach := s.apiReachable()
	out := errorCodes{problems: map[string]map[int]bool{}, reports: map[string]bool{}, at: map[string][]string{}}
	seenDynamic := map[string]bool{}
	for _, site := range s.sites() {
		if notAPI(site.pkg) {
			continue
		}
		if site.err != nil {
			key := site.file + " " + site.fn
			if _, ok := dynamicSites[key]; !ok {
				t.Errorf("%s (%s): %v; say what it produces in dynamicSites", site.pos, key, site.err)
			}
			seenDynamic[key] = true
		}
		for _, p := range site.pairs {
			if !reach[p.fn] {
				continue
			}
			out.at[p.code] = append(out.at[p.code], p.pos)
			report := false
			switch {
			case slices.Contains(warningCodes, p.code):
				report = true
			case p.kind == "RowError":
				report = true
			case p.kind == "LineError":
				report = slices.Contains(batchLineFiles, site.file)
			case slices.Contains(lineOnlyCodes, p.code):
				if site.file != "internal/records/source.go" {
					t.Errorf("%s: %s, a code of a batch's lines only (lineOnlyCodes), produced outside a batch's readers", p.pos, p.code)
				}
				report = true
			}
			if report {
				out.reports[p.code] = true
				continue
			}
			if _, ok := problemOverrides[p.code]; ok {
				continue
			}
			st, err := p.status()
			if err != nil {
				t.Errorf("%s: %s: %v", p.pos, p.code, err)
				continue
			}
			if out.problems[p.code] == nil {
				out.problems[p.code] = map[int]bool{}
			}
			out.problems[p.code][st] = true
		}
	}
	for key := range dynamicSites {
		if !seenDynamic[key] {
			t.Errorf("dynamicSites: %s is no site whose code or kind is not constant", key)
		}
	}
	for code, statuses := range dynamicCodes {
		out.at[code] = append(out.at[code], "dynamicCodes")
		if out.problems[code] == nil {
			out.problems[code] = map[int]bool{}
		}
		for _, st := range statuses {
			out.problems[code][st] = true
		}
	}
	for code, statuses := range problemOverrides {
		if len(out.at[code]) == 0 {
			t.Errorf("problemOverrides: %s is produced nowhere the API reaches", code)
		}
		if len(statuses) > 0 {
			out.problems[code] = map[int]bool{}
			for _, st := range statuses {
				out.problems[code][st] = true
			}
		}
	}
	if len(out.problems) < 150 {
		t.Fatalf("found only %d problem codes", len(out.problems))
	}
	return out
}

// codePair is a code one site produces, with its kind: an errs kind
// (Invalid), a status of an api.Problem (http.StatusNotFound), or
// LineError or RowError.
type codePair struct {
	kind, code string
	pos        string // where the code is written
	fn         string // the function it is written in (codeScan.fnKey)
}

// status is the HTTP status of the problem a pair's error answers.
func (p codePair) status() (int, error) {
	if name, ok := strings.CutPrefix(p.kind, "http."); ok {
		if st, ok := httpStatuses[name]; ok {
			return st, nil
		}
		return 0, fmt.Errorf("status %s: add it to httpStatuses", name)
	}
	if p.kind == "LineError" {
		return errs.KindOf(records.LineError{Code: p.code}.Err()).HTTPStatus(), nil
	}
	i := slices.Index(errKinds, p.kind)
	if i < 0 {
		return 0, fmt.Errorf("kind %s", p.kind)
	}
	return errs.Kind(i).HTTPStatus(), nil
}

var httpStatuses = map[string]int{
	"StatusNotFound":             http.StatusNotFound,
	"StatusMethodNotAllowed":     http.StatusMethodNotAllowed,
	"StatusUnsupportedMediaType": http.StatusUnsupportedMediaType,
	"StatusServiceUnavailable":   http.StatusServiceUnavailable,
}

// errKinds are errs.Kind's constants, in their order.
var errKinds = []string{"Internal", "Invalid", "Unauthenticated", "Forbidden", "NotFound", "Conflict", "TooLarge", "TooMany", "Unavailable"}

const modulePath = "github.com/hutong-gov/hutong/"

type scanFile struct {
	path    string // relative to the root, slashed
	pkg     string // its directory
	f       *ast.File
	imports map[string]string // name → package directory, of the module's imports
}

type scanPkg struct {
	consts map[string]string // package-level string constants
	funcs  map[string][]*ast.FuncDecl
}

// codeScan holds the parsed non-test Go files of internal/ and cmd/.
type codeScan struct {
	fset  *token.FileSet
	root  string
	files []*scanFile
	pkgs  map[string]*scanPkg
}

// scanCtx is where an expression is: its file and function (nil at
// package level, where v names the variable), and the function literals
// around it.
type scanCtx struct {
	file *scanFile
	fn   *ast.FuncDecl
	v    string
	lits []*ast.FuncLit
}

func loadCodeScan(t *testing.T, root string) *codeScan {
	t.Helper()
	s := &codeScan{fset: token.NewFileSet(), root: root, pkgs: map[string]*scanPkg{}}
	for _, top := range []string{"internal", "cmd"} {
		err := filepath.WalkDir(filepath.Join(root, top), func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return err
			}
			f, err := parser.ParseFile(s.fset, path, nil, 0)
			if err != nil {
				return err
			}
			rel, err := filepath.Rel(root, path)
			if err != nil {
				return err
			}
			sf := &scanFile{path: filepath.ToSlash(rel), pkg: filepath.ToSlash(filepath.Dir(rel)), f: f, imports: map[string]string{}}
			for _, im := range f.Imports {
				p, _ := strconv.Unquote(im.Path.Value)
				dir, ok := strings.CutPrefix(p, modulePath)
				if !ok {
					continue
				}
				name := p[strings.LastIndex(p, "/")+1:]
				if im.Name != nil {
					name = im.Name.Name
				}
				sf.imports[name] = dir
			}
			s.files = append(s.files, sf)
			pk := s.pkgs[sf.pkg]
			if pk == nil {
				pk = &scanPkg{consts: map[string]string{}, funcs: map[string][]*ast.FuncDecl{}}
				s.pkgs[sf.pkg] = pk
			}
			for _, decl := range f.Decls {
				switch d := decl.(type) {
				case *ast.GenDecl:
					if d.Tok != token.CONST {
						continue
					}
					for _, spec := range d.Specs {
						vs := spec.(*ast.ValueSpec)
						for i, n := range vs.Names {
							if i < len(vs.Values) {
								if lit, ok := vs.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
									pk.consts[n.Name], _ = strconv.Unquote(lit.Value)
								}
							}
						}
					}
				case *ast.FuncDecl:
					pk.funcs[d.Name.Name] = append(pk.funcs[d.Name.Name], d)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return s
}

func (s *codeScan) pos(n ast.Node) string {
	p := s.fset.Position(n.Pos())
	rel, _ := filepath.Rel(s.root, p.Filename)
	return fmt.Sprintf("%s:%d", filepath.ToSlash(rel), p.Line)
}

// fnKey names c's function as apiReachable does: its package and name,
// or the package and variable outside any function.
func fnKey(c scanCtx) string {
	if c.fn == nil {
		return c.file.pkg + "." + c.v
	}
	return c.file.pkg + "." + c.fn.Name.Name
}

// inspect walks f, calling visit with each node and where it is.
func inspect(f *scanFile, visit func(n ast.Node, c scanCtx)) {
	var stack []ast.Node
	ast.Inspect(f.f, func(n ast.Node) bool {
		if n == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		stack = append(stack, n)
		c := scanCtx{file: f}
		for _, s := range stack {
			switch s := s.(type) {
			case *ast.FuncDecl:
				c.fn = s
			case *ast.FuncLit:
				c.lits = append(c.lits, s)
			case *ast.ValueSpec:
				c.v = s.Names[0].Name
			}
		}
		visit(n, c)
		return true
	})
}

// codeSite is one place that produces codes: the pairs it could follow,
// and err when some of it is no constant.
type codeSite struct {
	pos, file, pkg, fn string
	pairs              []codePair
	err                error
}

// sites returns every site of the module but the errs package's own
// constructors (internal/errs/errs.go).
func (s *codeScan) sites() []codeSite {
	var out []codeSite
	for _, f := range s.files {
		if f.path == "internal/errs/errs.go" {
			continue
		}
		inspect(f, func(n ast.Node, c scanCtx) {
			kindX, codeX, kind, ok := s.site(f, n)
			if !ok {
				return
			}
			var ps []codePair
			var err error
			if kind != "" {
				ps, err = s.pairs(nil, codeX, c, 0)
				for i := range ps {
					ps[i].kind = kind
				}
			} else {
				ps, err = s.pairs(kindX, codeX, c, 0)
			}
			if k, ok := s.kindSet(n, c); ok {
				for i := range ps {
					ps[i].kind = k
				}
			}
			for i := range ps {
				if ps[i].code == "" { // errs.E's default: the kind's name
					ps[i].code = errs.Kind(slices.Index(errKinds, ps[i].kind)).String()
				}
			}
			fn := ""
			if c.fn != nil {
				fn = c.fn.Name.Name
			}
			out = append(out, codeSite{pos: s.pos(n), file: f.path, pkg: f.pkg, fn: fn, pairs: ps, err: err})
		})
	}
	return out
}

// site reports whether n produces a code: its kind and code expressions,
// or a constant kind (Invalid of errs.Field, LineError, a status …).
func (s *codeScan) site(f *scanFile, n ast.Node) (kindX, codeX ast.Expr, kind string, ok bool) {
	switch n := n.(type) {
	case *ast.CallExpr:
		name, in := s.ref(f, n.Fun)
		if in != "internal/errs" {
			return nil, nil, "", false
		}
		switch name {
		case "E", "Wrap":
			return n.Args[0], n.Args[1], "", true
		case "Field":
			return nil, n.Args[1], "Invalid", true
		}
	case *ast.CompositeLit:
		name, in := s.ref(f, n.Type)
		var kx, cx ast.Expr
		for _, e := range n.Elts {
			kv, ok := e.(*ast.KeyValueExpr)
			if !ok {
				continue
			}
			key, ok := kv.Key.(*ast.Ident)
			if !ok {
				continue
			}
			switch {
			case key.Name == "Code":
				cx = kv.Value
			case key.Name == "Kind", key.Name == "Status" && name == "Problem":
				kx = kv.Value
			}
		}
		if cx == nil {
			return nil, nil, "", false
		}
		switch {
		case in == "internal/errs" && name == "Error":
			if kx == nil {
				return nil, cx, "Internal", true
			}
			return kx, cx, "", true
		case in == "internal/records" && name == "LineError":
			return nil, cx, "LineError", true
		case in == "internal/catalogio" && name == "RowError":
			return nil, cx, "RowError", true
		case in == "internal/api" && name == "Problem":
			if sel, ok := kx.(*ast.SelectorExpr); ok {
				return nil, cx, "http." + sel.Sel.Name, true
			}
			return kx, cx, "", true
		}
	}
	return nil, nil, "", false
}

// kindSet reports the kind that an assignment x.Kind = K sets, in the
// block where the error of n was assigned to x, after it: e :=
// errs.Field(…); e.Kind = errs.Conflict.
func (s *codeScan) kindSet(n ast.Node, c scanCtx) (string, bool) {
	if c.fn == nil {
		return "", false
	}
	kind, found := "", false
	ast.Inspect(c.fn.Body, func(b ast.Node) bool {
		block, ok := b.(*ast.BlockStmt)
		if !ok || found {
			return !found
		}
		name := ""
		for _, st := range block.List {
			if as, ok := st.(*ast.AssignStmt); ok && len(as.Lhs) == 1 && len(as.Rhs) == 1 {
				if as.Rhs[0] == n {
					if id, ok := as.Lhs[0].(*ast.Ident); ok {
						name = id.Name
					}
					continue
				}
				sel, ok := as.Lhs[0].(*ast.SelectorExpr)
				if !ok || name == "" || sel.Sel.Name != "Kind" {
					continue
				}
				if x, ok := sel.X.(*ast.Ident); ok && x.Name == name {
					if ks, err := s.values(as.Rhs[0], c, true); err == nil && len(ks) == 1 {
						kind, found = ks[0], true
					}
				}
			}
		}
		return !found
	})
	return kind, found
}

// ref names what e refers to and the package it is in: errs.E is ("E",
// "internal/errs"), and so is E within package errs.
func (s *codeScan) ref(f *scanFile, e ast.Expr) (name, in string) {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name, f.pkg
	case *ast.SelectorExpr:
		if x, ok := e.X.(*ast.Ident); ok {
			if p, ok := f.imports[x.Name]; ok {
				return e.Sel.Name, p
			}
		}
	case *ast.StarExpr:
		return s.ref(f, e.X)
	}
	return "", ""
}

// pairs evaluates a site's kind (nil: the site's own) and code in c: to
// constants, following a parameter of c's function to what its callers
// pass. The pairs it could follow come with the error of those it could
// not.
func (s *codeScan) pairs(kindX, codeX ast.Expr, c scanCtx, depth int) ([]codePair, error) {
	if depth > 6 {
		return nil, errors.New("parameters passed too deep")
	}
	ki, kParam := s.param(kindX, c)
	ci, cParam := s.param(codeX, c)
	if !kParam && !cParam {
		ks := []string{""}
		if kindX != nil {
			var err error
			if ks, err = s.values(kindX, c, true); err != nil {
				return nil, err
			}
		}
		cs, err := s.values(codeX, c, false)
		if err != nil {
			return nil, err
		}
		var out []codePair
		for _, k := range ks {
			for _, code := range cs {
				out = append(out, codePair{kind: k, code: code, pos: s.pos(codeX), fn: fnKey(c)})
			}
		}
		return out, nil
	}
	callers := s.callers(c)
	if len(callers) == 0 {
		return nil, fmt.Errorf("a parameter of %s, which nothing calls", c.fn.Name.Name)
	}
	var out []codePair
	var failed []error
	for _, call := range callers {
		if notAPI(call.ctx.file.pkg) {
			continue // its codes are not the API's
		}
		k, kc, code := kindX, c, codeX
		if kParam {
			k, kc = call.expr.Args[ki], call.ctx
		}
		if cParam {
			code = call.expr.Args[ci]
		}
		var ps []codePair
		var err error
		switch {
		case cParam && (kParam || kindX == nil):
			ps, err = s.pairs(k, code, call.ctx, depth+1)
		case cParam:
			// The kind is c's, the code the caller's.
			var ks []string
			if ks, err = s.values(k, kc, true); err == nil {
				var cs []codePair
				cs, err = s.pairs(nil, code, call.ctx, depth+1)
				for _, kk := range ks {
					for _, p := range cs {
						ps = append(ps, codePair{kind: kk, code: p.code, pos: p.pos, fn: p.fn})
					}
				}
			}
		default:
			// The kind is the caller's, the code c's.
			var cs []string
			if cs, err = s.values(code, c, false); err == nil {
				var kps []codePair
				kps, err = s.pairs(k, &ast.BasicLit{Kind: token.STRING, Value: `"-"`}, call.ctx, depth+1)
				for _, kp := range kps {
					for _, cc := range cs {
						ps = append(ps, codePair{kind: kp.kind, code: cc, pos: s.pos(codeX), fn: kp.fn})
					}
				}
			}
		}
		if err != nil {
			failed = append(failed, fmt.Errorf("called at %s: %w", s.pos(call.expr), err))
		}
		out = append(out, ps...)
	}
	return out, errors.Join(failed...)
}

type scanCall struct {
	expr *ast.CallExpr
	ctx  scanCtx
}

// callers returns the calls of c's function with as many arguments as it
// takes: by its name in its package (a method by its name on anything
// there), or through its package's name elsewhere.
func (s *codeScan) callers(c scanCtx) []scanCall {
	name, method := c.fn.Name.Name, c.fn.Recv != nil
	var out []scanCall
	for _, f := range s.files {
		inspect(f, func(n ast.Node, cc scanCtx) {
			call, ok := n.(*ast.CallExpr)
			if !ok || !takes(c.fn, call) {
				return
			}
			match := false
			switch fun := call.Fun.(type) {
			case *ast.Ident:
				match = fun.Name == name && f.pkg == c.file.pkg && !method
			case *ast.SelectorExpr:
				if fun.Sel.Name != name {
					break
				}
				if x, ok := fun.X.(*ast.Ident); ok {
					if p, ok := f.imports[x.Name]; ok {
						match = p == c.file.pkg && !method
						break
					}
				}
				match = f.pkg == c.file.pkg && method
			}
			if match {
				out = append(out, scanCall{expr: call, ctx: cc})
			}
		})
	}
	return out
}

// takes reports whether call passes as many arguments as fd takes.
func takes(fd *ast.FuncDecl, call *ast.CallExpr) bool {
	n := 0
	for _, f := range fd.Type.Params.List {
		if _, ok := f.Type.(*ast.Ellipsis); ok {
			return true
		}
		n += max(1, len(f.Names))
	}
	return n == len(call.Args)
}

// param reports whether e is a parameter of c's function that the
// function never assigns, and its index.
func (s *codeScan) param(e ast.Expr, c scanCtx) (int, bool) {
	id, ok := e.(*ast.Ident)
	if !ok || c.fn == nil {
		return 0, false
	}
	for _, l := range c.lits {
		for _, f := range l.Type.Params.List {
			for _, n := range f.Names {
				if n.Name == id.Name {
					return 0, false
				}
			}
		}
	}
	i := 0
	for _, f := range c.fn.Type.Params.List {
		for _, n := range f.Names {
			if n.Name == id.Name {
				return i, !assigns(c.fn, id.Name)
			}
			i++
		}
	}
	return 0, false
}

// assigns reports whether fd's body assigns to name.
func assigns(fd *ast.FuncDecl, name string) bool {
	found := false
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		if as, ok := n.(*ast.AssignStmt); ok {
			for _, l := range as.Lhs {
				if id, ok := l.(*ast.Ident); ok && id.Name == name {
					found = true
				}
			}
		}
		return !found
	})
	return found
}

// values evaluates e, a kind (kind true) or a code, to its constant values
// in c: a literal, a constant, or a local variable assigned only those,
// or a function's result of that.
func (s *codeScan) values(e ast.Expr, c scanCtx, kind bool) ([]string, error) {
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind == token.STRING && !kind {
			v, _ := strconv.Unquote(e.Value)
			return []string{v}, nil
		}
	case *ast.SelectorExpr:
		name, in := s.ref(c.file, e)
		switch {
		case in == "":
		case kind && in == "internal/errs" && slices.Contains(errKinds, name):
			return []string{name}, nil
		case !kind:
			if v, ok := s.pkgs[in].consts[name]; ok {
				return []string{v}, nil
			}
		}
	case *ast.Ident:
		if kind && c.file.pkg == "internal/errs" && slices.Contains(errKinds, e.Name) {
			return []string{e.Name}, nil
		}
		if v, ok := s.pkgs[c.file.pkg].consts[e.Name]; ok && !kind {
			return []string{v}, nil
		}
		if c.fn != nil {
			return s.locals(e.Name, c, kind)
		}
	}
	return nil, fmt.Errorf("%s: no constant: %s", s.pos(e), exprText(e))
}

// locals evaluates the local variable name of c's function: every value
// assigned to it.
func (s *codeScan) locals(name string, c scanCtx, kind bool) ([]string, error) {
	var out []string
	var failed []error
	assigned := false
	add := func(vs []string, err error) {
		out = append(out, vs...)
		if err != nil {
			failed = append(failed, err)
		}
	}
	ast.Inspect(c.fn.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			for i, l := range n.Lhs {
				if id, ok := l.(*ast.Ident); !ok || id.Name != name {
					continue
				}
				assigned = true
				switch {
				case len(n.Rhs) == len(n.Lhs):
					add(s.values(n.Rhs[i], c, kind))
				case len(n.Rhs) == 1:
					add(s.results(n.Rhs[0], i, c, kind))
				}
			}
		case *ast.ValueSpec:
			for i, id := range n.Names {
				if id.Name == name && i < len(n.Values) {
					assigned = true
					add(s.values(n.Values[i], c, kind))
				}
			}
		}
		return true
	})
	if !assigned {
		return nil, fmt.Errorf("%s: %s is no local variable of %s", s.pos(c.fn), name, c.fn.Name.Name)
	}
	return out, errors.Join(failed...)
}

// results evaluates result i of e, a call of a function of c's package:
// that result of each of its return statements.
func (s *codeScan) results(e ast.Expr, i int, c scanCtx, kind bool) ([]string, error) {
	call, ok := e.(*ast.CallExpr)
	if !ok {
		return nil, fmt.Errorf("%s: no call", s.pos(e))
	}
	id, ok := call.Fun.(*ast.Ident)
	if !ok || len(s.pkgs[c.file.pkg].funcs[id.Name]) != 1 {
		return nil, fmt.Errorf("%s: a result of %s", s.pos(e), exprText(call.Fun))
	}
	fd := s.pkgs[c.file.pkg].funcs[id.Name][0]
	fc := scanCtx{file: c.file, fn: fd}
	for _, f := range s.files {
		if f.pkg == c.file.pkg && slices.Contains(f.f.Decls, ast.Decl(fd)) {
			fc.file = f
		}
	}
	var out []string
	var failed []error
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		if _, ok := n.(*ast.FuncLit); ok {
			return false
		}
		if r, ok := n.(*ast.ReturnStmt); ok && i < len(r.Results) {
			vs, err := s.values(r.Results[i], fc, kind)
			out = append(out, vs...)
			if err != nil {
				failed = append(failed, err)
			}
		}
		return true
	})
	return out, errors.Join(failed...)
}

func exprText(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name
	case *ast.SelectorExpr:
		return exprText(e.X) + "." + e.Sel.Name
	}
	return fmt.Sprintf("%T", e)
}

// notAPI reports whether the package pkg is the console (internal/web),
// a command (cmd/…) or the load generator (internal/bench), whose codes
// are not the API's.
func notAPI(pkg string) bool {
	return pkg == "internal/web" || pkg == "internal/bench" || strings.HasPrefix(pkg, "cmd/")
}

// apiReachable returns the functions (and package-level variables) that
// the API's requests may run: those of internal/api and internal/server,
// and every one they name, transitively, by name: an identifier of a
// function or variable of their package, pkg.Name of another of the
// module's packages, x.Name any method of that name in any package (so
// that an interface's methods are reached). The console (internal/web),
// the commands (cmd/…) and the load generator (internal/bench) are never
// entered (notAPI): a code produced only there is not the API's.
func (s *codeScan) apiReachable() map[string]bool {
	type decl struct {
		file *scanFile
		node ast.Node
	}
	decls := map[string][]decl{}
	methods := map[string][]string{}
	for _, f := range s.files {
		if notAPI(f.pkg) {
			continue
		}
		for _, d := range f.f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				k := f.pkg + "." + d.Name.Name
				decls[k] = append(decls[k], decl{f, d})
				if d.Recv != nil {
					methods[d.Name.Name] = append(methods[d.Name.Name], k)
				}
			case *ast.GenDecl:
				if d.Tok != token.VAR {
					continue
				}
				for _, spec := range d.Specs {
					for _, n := range spec.(*ast.ValueSpec).Names {
						k := f.pkg + "." + n.Name
						decls[k] = append(decls[k], decl{f, spec})
					}
				}
			}
		}
	}
	seen := map[string]bool{}
	var queue []string
	visit := func(k string) {
		if _, ok := decls[k]; ok && !seen[k] {
			seen[k] = true
			queue = append(queue, k)
		}
	}
	for k := range decls {
		if strings.HasPrefix(k, "internal/api.") || strings.HasPrefix(k, "internal/server.") {
			visit(k)
		}
	}
	for len(queue) > 0 {
		k := queue[0]
		queue = queue[1:]
		for _, d := range decls[k] {
			ast.Inspect(d.node, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.SelectorExpr:
					if x, ok := n.X.(*ast.Ident); ok {
						if p, ok := d.file.imports[x.Name]; ok {
							visit(p + "." + n.Sel.Name)
							return false
						}
					}
					for _, m := range methods[n.Sel.Name] {
						visit(m)
					}
				case *ast.Ident:
					visit(d.file.pkg + "." + n.Name)
				}
				return true
			})
		}
	}
	return seen
}
