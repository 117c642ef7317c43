package org_test

import (
	"context"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestDepartmentSearchKeyed: a department search is also looked for in
// the names' stored keys (text.NameKey), so that an inner space in the
// search (南海区 政务门户, 区　政务) or in the name (佛山市南海区 市场监督管理局
// found by 区市场监督) and a radical copied out of a PDF (⻔ U+2ED4 for 门)
// no longer keep a department from being found; before, each found
// nothing. The keys' case folding beyond ASCII stays out
// (TestSearchFoldsASCIIOnly): istanbul finds ISTANBUL but not İSTANBUL,
// written with U+0130 or with I and U+0307, whose key holds istanbul,
// while stanbul 联络 (no i) finds both; İSTANBUL finds itself alone. A
// search holding punctuation or a symbol is looked for in the names as
// typed alone, as the keys leave those out: （筹） must not find
// 统筹发展办公室 by its key, nor C++ every name with a c. The lists by
// name, the listings with regions and the count agree, on both engines.
func TestDepartmentSearchKeyed(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		seed(t, db)
		create := departmentCreator(db, 500)
		for _, n := range [][2]string{{"佛山市南海区政务门户管理中心", ""}, {"佛山市南海区 市场监督管理局", "区市监"},
			{"佛山市南海区İSTANBUL联络处", ""}, {"佛山市南海区I\u0307STANBUL办事处", ""}, {"佛山市南海区ISTANBUL联络站", ""},
			{"佛山市南海区统筹发展办公室", ""}, {"新城管理委员会（筹）", ""}, {"佛山市南海区ABC数据局", ""}, {"C++研发中心", ""}} {
			if _, err := create(n[0], n[1]); err != nil {
				t.Fatal(err)
			}
		}
		checkSearch(t, db, map[string]string{
			"南海区 政务门户":   "佛山市南海区政务门户管理中心",
			"区\u3000政务":  "佛山市南海区政务门户管理中心",
			"政务⻔户":       "佛山市南海区政务门户管理中心",
			"区市场监督":      "佛山市南海区 市场监督管理局",
			"区 市 监":      "佛山市南海区 市场监督管理局",
			"istanbul":   "佛山市南海区ISTANBUL联络站",
			"İSTANBUL":   "佛山市南海区İSTANBUL联络处",
			"stanbul 联络": "佛山市南海区İSTANBUL联络处 佛山市南海区ISTANBUL联络站",
			"istanbul办事": "",
			"stanbul 办事": "佛山市南海区I\u0307STANBUL办事处",
			"（筹）":        "新城管理委员会（筹）",
			"(筹)":        "新城管理委员会（筹）",
			"C++":        "C++研发中心",
			"c#":         "",
			"管理委员会 筹":    "新城管理委员会（筹）",
		})
	})
}

// TestDepartmentSearchSpacesAsTyped: a department search the keys cannot
// take (punctuation, a letter beyond ASCII with case: searchKey) is looked
// for as typed with white space left out of it and of the names, so that
// typing a name's own brackets with an inner space, or without the name's
// inner space, finds what typing less found by the key; before, 南海区
// 市场监督管理局（筹） found nothing where 南海区 市场监督管理局 found
// 佛山市南海区市场监督管理局（筹）. Nothing else is widened: （筹） still
// does not find 统筹发展办公室, punctuation is looked for as typed (发展
// 办公室（筹） finds nothing), and letters beyond ASCII are in the case
// written (TestSearchFoldsASCIIOnly: ärzte 联络处 does not find ÄRZTE
// 联络处, STRAẞE局 not Straße 局). The lists and the count agree, on both
// engines.
func TestDepartmentSearchSpacesAsTyped(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		seed(t, db)
		create := departmentCreator(db, 500)
		for _, n := range [][2]string{{"佛山市南海区市场监督管理局（筹）", ""}, {"佛山市南海区 数据管理局（筹）", "区数据局（筹）"},
			{"佛山市南海区统筹发展办公室", ""}, {"ÄRZTE 联络处", ""}, {"Straße 局", ""}} {
			if _, err := create(n[0], n[1]); err != nil {
				t.Fatal(err)
			}
		}
		checkSearch(t, db, map[string]string{
			"南海区 市场监督管理局（筹）":      "佛山市南海区市场监督管理局（筹）",
			"南海区 市场监督管理局(筹)":      "佛山市南海区市场监督管理局（筹）",
			"南海区\u3000市场监督管理局（筹）": "佛山市南海区市场监督管理局（筹）",
			"南海区数据管理局（筹）":         "佛山市南海区 数据管理局（筹）",
			"区 数据局(筹)":            "佛山市南海区 数据管理局（筹）",
			"（筹）":                 "佛山市南海区市场监督管理局（筹） 佛山市南海区 数据管理局（筹）",
			"发展 办公室（筹）":           "",
			"ÄRZTE联络处":            "ÄRZTE 联络处",
			"ärzte 联络处":           "",
			"straße局":             "Straße 局",
			"STRAẞE局":             "",
		})
	})
}

// checkSearch looks each search of want up in the departments' list, their
// listings and their count, which must all name want's departments (their
// names joined by spaces, in list order).
func checkSearch(t *testing.T, db *sqldb.DB, want map[string]string) {
	t.Helper()
	ctx := context.Background()
	for q, names := range want {
		f := org.DepartmentFilter{Q: q}
		ds, _, err := org.FindDepartments(ctx, db.Read(), f)
		if err != nil {
			t.Fatal(err)
		}
		ls, _, err := org.FindDepartmentListings(ctx, db.Read(), f)
		if err != nil {
			t.Fatal(err)
		}
		n, err := org.CountDepartments(ctx, db.Read(), f)
		if err != nil {
			t.Fatal(err)
		}
		var got, listed []string
		for _, d := range ds {
			got = append(got, d.Name)
		}
		for _, l := range ls {
			listed = append(listed, l.Name)
		}
		if strings.Join(got, " ") != names || strings.Join(listed, " ") != names || n != len(got) {
			t.Errorf("departments named %q: got %d %q, listed %q, want %q", q, n, got, listed, names)
		}
	}
}
