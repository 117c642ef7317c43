package org_test

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestDepartmentSearchFormsFolded: a department search the keys cannot
// take is looked for in the names' stored search forms (searchForm),
// where a radical is its ideograph, in the search and in the name: 政务⻔户
// （筹） (⻔ U+2ED4, copied out of a PDF) finds 政务门户（筹）, ⼈力资源（筹）
// (the Kangxi radical U+2F08) 人力资源（筹）, 门户中心（试） a name holding
// ⻔; before, each found nothing. A name mixing widths in what is searched
// is found as the search's other forms are (ＡＰＰ（筹） and app(筹) find
// Ａpp运维（筹）, where the full-width and the half-width forms alone were
// looked for). Punctuation stays as typed and letters beyond ASCII in the
// case written, as before. On both engines.
func TestDepartmentSearchFormsFolded(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		seed(t, db)
		create := departmentCreator(db, 500)
		for _, n := range [][2]string{{"佛山市南海区政务门户（筹）", ""}, {"人力资源（筹）", ""}, {"政务⻔户中心（试）", "⻔户（试）"},
			{"Ａpp运维（筹)", ""}, {"佛山市南海区统筹发展办公室", ""}, {"Straße 局", ""}} {
			if _, err := create(n[0], n[1]); err != nil {
				t.Fatal(err)
			}
		}
		checkSearch(t, db, map[string]string{
			"政务⻔户（筹）":  "佛山市南海区政务门户（筹）",
			"⼈力资源（筹）":  "人力资源（筹）",
			"门户中心（试）":  "政务⻔户中心（试）",
			"门户(试)":    "政务⻔户中心（试）",
			"ＡＰＰ运维（筹）": "Ａpp运维（筹)",
			"app运维(筹)": "Ａpp运维（筹)",
			"（筹）":      "佛山市南海区政务门户（筹） 人力资源（筹） Ａpp运维（筹)",
			"门户 筹":     "佛山市南海区政务门户（筹）",
			"STRAẞE局":  "",
			"straße 局": "Straße 局",
		})
	})
}

// TestDepartmentSearchFormsWritten: every writer of a department's name
// or short name stores their search forms with them: creating one (as
// the API, the console, the CLI and the registration import do, through
// org.CreateDepartment), renaming it and changing or clearing its short
// name (org.UpdateDepartment), and RekeyDepartments, which rewrites a
// form left empty (by an older release's server) or stale; no other
// statement of the code base writes a department's name (writeStatements).
// On both engines.
func TestDepartmentSearchFormsWritten(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		seed(t, db)
		forms := func(id int64) string {
			t.Helper()
			var n, s string
			if err := db.Read().QueryRowContext(ctx, `SELECT name_search, short_name_search FROM departments WHERE id = $1`, id).Scan(&n, &s); err != nil {
				t.Fatal(err)
			}
			return n + "|" + s
		}
		d, err := departmentCreator(db, 500)("政务⻔户 中心（ＡＢ）", "Ｃ＋＋\u3000组")
		if err != nil {
			t.Fatal(err)
		}
		if got, want := forms(d.ID), "政务门户中心(ab)|c++组"; got != want {
			t.Errorf("forms after creation: %q, want %q", got, want)
		}
		update := func(name string, short *string) {
			t.Helper()
			err := db.Tx(ctx, func(tx *sqldb.Tx) error {
				cur, err := org.DepartmentByID(ctx, tx, d.ID)
				if err != nil {
					return err
				}
				_, err = org.UpdateDepartment(ctx, tx, admin, d.ID, org.DepartmentChange{Name: name, ShortName: short, USCC: cur.USCC}, t0)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		short := "区 MSA"
		update("Straße\u00a0局（试）", &short)
		if got, want := forms(d.ID), "straße局(试)|区msa"; got != want {
			t.Errorf("forms after the rename: %q, want %q", got, want)
		}
		short = ""
		update("Straße\u00a0局（试）", &short)
		if got, want := forms(d.ID), "straße局(试)|"; got != want {
			t.Errorf("forms after the short name cleared: %q, want %q", got, want)
		}
		sqldbtest.Exec(t, db, `UPDATE departments SET name_search = '', short_name_search = 'x' WHERE id = $1`, d.ID)
		if n, err := org.RekeyDepartments(ctx, db); err != nil || n != 1 {
			t.Fatalf("RekeyDepartments: %d changed, %v; want 1", n, err)
		}
		if got, want := forms(d.ID), "straße局(试)|"; got != want {
			t.Errorf("forms after the rekey: %q, want %q", got, want)
		}
		for _, s := range writeStatements(t) {
			if !strings.Contains(s, "name_search") || !strings.Contains(s, "short_name_search") {
				t.Errorf("a statement writing a department's name without its search forms:\n%s", s)
			}
		}
	})
}

// departmentWrite is an SQL statement that inserts a department or sets
// its name or short name.
var departmentWrite = regexp.MustCompile("(?s)(INSERT INTO departments\\b|UPDATE departments SET[^`]*\\b(short_)?name = )[^`]*")

// writeStatements are the statements of the code base's Go files, tests
// left out, that write a department's name (departmentWrite), which must
// be at least CreateDepartment's and UpdateDepartment's.
func writeStatements(t *testing.T) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir("../..", func(path string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, s := range departmentWrite.FindAllString(string(b), -1) {
			out = append(out, path+": "+s)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) < 2 {
		t.Fatalf("statements writing a department's name: %q, want CreateDepartment's and UpdateDepartment's", out)
	}
	return out
}
