package org_test

import (
	"context"
	"testing"

	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
	"github.com/hutong-gov/hutong/internal/text"
)

// TestDepartmentRadicalNames: a department name or short name written
// with radicals of the CJK Radicals Supplement (⻋ U+2ECB, ⻔ U+2ED4), as
// text copied out of a PDF holds them, looks like the one written with 车
// and 门 and is refused as department_name_confusable, in each direction;
// a department stored under the radicals' key before is re-keyed by
// RekeyDepartments. Before, all were created. On both engines.
func TestDepartmentRadicalNames(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		seed(t, db)
		create := departmentCreator(db, 300)
		cl, err := create("佛山市南海区车辆门户测试局", "区车辆测试局")
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []lookalike{
			{"a name in radicals", "佛山市南海区\u2ecb辆\u2ed4户测试局", "", "name", cl.Name},
			{"a short name in radicals", "佛山市南海区另一测试局", "区\u2ecb辆测试局", "short_name", cl.Name},
		} {
			_, err := create(c.name, c.short)
			c.refused(t, err)
		}
		old, err := create("佛山市南海区马车测试局", "")
		if err != nil {
			t.Fatal(err)
		}
		sqldbtest.Exec(t, db, `UPDATE departments SET name = $2, name_key = $2 WHERE id = $1`, old.ID, "佛山市南海区\u2ee2\u2ecb测试局")
		if n, err := org.RekeyDepartments(ctx, db); err != nil || n != 1 {
			t.Fatalf("RekeyDepartments: %d changed, %v; want 1", n, err)
		}
		var key string
		if err := db.Read().QueryRowContext(ctx, `SELECT name_key FROM departments WHERE id = $1`, old.ID).Scan(&key); err != nil ||
			key != text.NameKey("佛山市南海区马车测试局") {
			t.Errorf("key %q (%v), want %q", key, err, text.NameKey("佛山市南海区马车测试局"))
		}
		lookalike{"the ideographs of a re-keyed name", "佛山市南海区马车测试局", "", "name", "佛山市南海区\u2ee2\u2ecb测试局"}.refused(t,
			func() error { _, err := create("佛山市南海区马车测试局", ""); return err }())
	})
}
