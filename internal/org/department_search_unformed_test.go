package org_test

import (
	"context"
	"testing"

	"github.com/hutong-gov/hutong/internal/demo"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
	"github.com/hutong-gov/hutong/internal/text"
)

// TestDepartmentSearchUnformed: a department a server of the release
// before migration 0056 creates while a newer one serves the migrated
// database (a rolling upgrade) has the empty search forms of the columns'
// default, with its keys, until the next RekeyDepartments. Before it, a
// search the keys cannot take finds it as it will once the forms are
// written: （筹） finds 新城管委会（筹）, 新城(筹) it by its short name,
// 门户(试) a name written with ⻔, ob'局 ＯＢ＇局（筹）; 统筹发展办公室
// is still not found by （筹）, nor Straße 局 by STRAẞE局. Before, the
// stored forms alone were read and none was found. On both engines.
func TestDepartmentSearchUnformed(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		op, _ := seed(t, db)
		for i, n := range [][2]string{{"新城管委会（筹）", "新城（筹）"}, {"南海区 市场监督管理局（筹）", ""}, {"Ａpp运维（筹)", ""},
			{"政务⻔户中心（试）", "⻔户（试）"}, {"ＯＢ＇局（筹）", ""}, {"佛山市南海区统筹发展办公室", ""}, {"Straße\u3000局", ""}} {
			sqldbtest.Exec(t, db, `INSERT INTO departments (name, short_name, uscc, region_code, is_operator, disabled, created_at, name_key, short_name_key)
				SELECT $1, $2, $3, '440605', false, false, created_at, $4, $5 FROM departments WHERE id = $6`,
				n[0], n[1], demo.USCC("440605", i+1), text.NameKey(n[0]), text.NameKey(n[1]), op.ID)
		}
		if _, err := departmentCreator(db, 500)("老城管委会（筹）", ""); err != nil {
			t.Fatal(err)
		}
		var unformed int
		if err := db.Read().QueryRowContext(ctx, `SELECT count(*) FROM departments WHERE name_search = '' AND short_name_search = ''`).
			Scan(&unformed); err != nil || unformed != 7 {
			t.Fatalf("departments stored as the previous release stores them: %d, %v; want 7 with empty forms", unformed, err)
		}
		want := map[string]string{
			"（筹）":           "新城管委会（筹） 南海区 市场监督管理局（筹） Ａpp运维（筹) ＯＢ＇局（筹） 老城管委会（筹）",
			"新城管委会（筹）":      "新城管委会（筹）",
			"新城(筹)":         "新城管委会（筹）",
			"南海区市场监督管理局(筹)": "南海区 市场监督管理局（筹）",
			"APP运维(筹)":      "Ａpp运维（筹)",
			"门户(试)":         "政务⻔户中心（试）",
			"ob'局":          "ＯＢ＇局（筹）",
			"straße 局":      "Straße\u3000局",
			"STRAẞE局":       "",
		}
		checkSearch(t, db, want)
		if n, err := org.RekeyDepartments(ctx, db); err != nil || n != 7 {
			t.Fatalf("RekeyDepartments: %d changed, %v; want 7", n, err)
		}
		checkSearch(t, db, want)
	})
}
