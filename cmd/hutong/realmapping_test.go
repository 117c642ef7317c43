package main

import (
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/catalogio/catalogiotest"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// docRealMappingCommand returns the words of the command that
// docs/catalog-workbook.md gives for importing the real catalog (the sh
// block after the realdata-mapping marker), split as a shell splits them.
func docRealMappingCommand(t *testing.T) []string {
	t.Helper()
	doc, err := os.ReadFile("../../docs/catalog-workbook.md")
	if err != nil {
		t.Fatal(err)
	}
	_, after, ok := strings.Cut(string(doc), "<!-- realdata-mapping")
	if !ok {
		t.Fatal("docs/catalog-workbook.md: no realdata-mapping marker")
	}
	_, block, ok := strings.Cut(after, "```sh\n")
	if !ok {
		t.Fatal("docs/catalog-workbook.md: no sh block after the realdata-mapping marker")
	}
	block, _, ok = strings.Cut(block, "```")
	if !ok {
		t.Fatal("docs/catalog-workbook.md: the sh block does not end")
	}
	words, err := shellWords(block)
	if err != nil {
		t.Fatalf("docs/catalog-workbook.md: %v", err)
	}
	return words
}

// shellWords splits s as a POSIX shell splits a simple command: words
// separated by blanks, a backslash and newline joining lines, single and
// double quotes and backslash escapes. Nothing is expanded.
func shellWords(s string) ([]string, error) {
	var words []string
	var w strings.Builder
	inWord := false
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		switch r := rs[i]; {
		case r == '\\' && i+1 < len(rs) && rs[i+1] == '\n':
			i++
		case r == '\\' && i+1 < len(rs):
			i++
			w.WriteRune(rs[i])
			inWord = true
		case r == '\'' || r == '"':
			end := strings.IndexRune(string(rs[i+1:]), r)
			if end < 0 {
				return nil, errors.New("unterminated quote")
			}
			quoted := []rune(string(rs[i+1:])[:end])
			if r == '"' && strings.ContainsAny(string(quoted), "\\$`") {
				return nil, errors.New("double quotes with \\, $ or ` are not read here")
			}
			w.WriteString(string(quoted))
			i += len(quoted) + 1
			inWord = true
		case r == ' ' || r == '\t' || r == '\n':
			if inWord {
				words = append(words, w.String())
				w.Reset()
				inWord = false
			}
		default:
			w.WriteRune(r)
			inWord = true
		}
	}
	if inWord {
		words = append(words, w.String())
	}
	return words, nil
}

func TestShellWords(t *testing.T) {
	got, err := shellWords("hutong a \\\n  -default '资源分类(类)=部门 信息资源' -map x= \"b c\" d\\ e\n")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"hutong", "a", "-default", "资源分类(类)=部门 信息资源", "-map", "x=", "b c", "d e"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("shellWords (-want +got):\n%s", d)
	}
}

// TestDocRealMapping: the command docs/catalog-workbook.md gives a user
// for importing the real catalog is the mapping the import tests use
// (catalogiotest.RealMapping, TestRealCatalog), given as a user passes it
// to hutong import catalog, and run so it imports the real file as
// TestRealCatalog does: every row imported or reported, the numbers the
// doc states (43 imported, 798 without 信息项), and the saved mapping
// (-mapping 开放平台目录) finds every entry again. The doc pointed users at
// a test file for the mapping.
func TestDocRealMapping(t *testing.T) {
	catalogiotest.ReadRealCatalog(t) // skips when the real catalog is not there
	words := docRealMappingCommand(t)
	if len(words) < 3 || words[0] != "hutong" || words[1] != "import" || words[2] != "catalog" {
		t.Fatalf("the doc's command is not hutong import catalog: %q", words)
	}
	args := words[1:]
	cols, defs := map[string]string{}, map[string]string{}
	var name string
	for i := 0; i+1 < len(args); i++ {
		var into map[string]string
		switch args[i] {
		case "-file":
			args[i+1] = catalogiotest.RealCatalog
		case "-department":
			args[i+1] = "区市监局"
		case "-save-mapping":
			name = args[i+1]
		case "-map":
			into = cols
		case "-default":
			into = defs
		}
		if into != nil {
			k, v, _ := strings.Cut(args[i+1], "=")
			into[k] = v
		}
	}
	want := catalogiotest.RealMapping()
	if d := cmp.Diff(want.Columns, cols); d != "" {
		t.Errorf("the doc's -map is not RealMapping's columns (-want +got):\n%s", d)
	}
	if d := cmp.Diff(want.Defaults, defs); d != "" {
		t.Errorf("the doc's -default is not RealMapping's defaults (-want +got):\n%s", d)
	}
	if name != want.Name {
		t.Errorf("the doc saves the mapping as %q, want %q", name, want.Name)
	}
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		vars := map[string]string{"HUTONG_DB": dsn}
		must := mustHutong(t, vars)
		cliDepartments(must)
		stdout, stderr, err := hutongApart(t, vars, append(args, "-json")...)
		if err != nil {
			t.Fatalf("the doc's command: %v\n%s", err, stderr)
		}
		var rep catalogio.Report
		if err := json.NewDecoder(strings.NewReader(stdout)).Decode(&rep); err != nil {
			t.Fatalf("report: %v\n%s", err, stdout)
		}
		if !rep.Imported || rep.Rows != 844 || rep.Created+rep.RowsWithErrors != rep.Rows {
			t.Errorf("imported %v: %d rows, %d created, %d with errors; want 844 rows, each created or reported",
				rep.Imported, rep.Rows, rep.Created, rep.RowsWithErrors)
		}
		if rep.Created != 44 || rep.ErrorCounts["items_required"] != 798 {
			t.Errorf("created %d, %d rows without 信息项; the doc says 44 and 798", rep.Created, rep.ErrorCounts["items_required"])
		}
		if !strings.Contains(stdout, "已保存列映射“开放平台目录”") {
			t.Errorf("mapping not saved:\n%s", stdout)
		}
		stdout, stderr, err = hutongApart(t, vars, "import", "catalog", "-file", catalogiotest.RealCatalog, "-department", "区市监局",
			"-mapping", "开放平台目录", "-any-provider", "-good-only", "-dry-run", "-json")
		if err != nil {
			t.Fatalf("import with the saved mapping: %v\n%s", err, stderr)
		}
		var again catalogio.Report
		if err := json.NewDecoder(strings.NewReader(stdout)).Decode(&again); err != nil {
			t.Fatalf("report: %v\n%s", err, stdout)
		}
		if again.Created != 0 || again.Updated != 0 || again.Unchanged != rep.Created {
			t.Errorf("again with -mapping 开放平台目录: created %d, updated %d, unchanged %d; want the %d entries unchanged",
				again.Created, again.Updated, again.Unchanged, rep.Created)
		}
	})
}
