package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
)

// TestMigrateRekeysNames: hutong migrate rewrites the name key of a
// catalog entry stored before names were compared as they look
// (catalog.RekeyNames), says how many it rewrote, and a second run
// rewrites none.
func TestMigrateRekeysNames(t *testing.T) {
	path := filepath.Join(t.TempDir(), "h.db")
	run := mustHutong(t, map[string]string{"HUTONG_DB": path})
	run("migrate")
	db, err := sqldb.Open(t.Context(), path, sqldb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	dept := recordstest.Department(t, db, "民政局", 1)
	id := recordstest.Entry(t, db, dept, recordstest.Spec{Code: "101001/000001", Name: "殡葬服务记录信息", SubjectKind: "person",
		Items: []records.Item{{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true}}})
	if _, err := db.Write().ExecContext(t.Context(), `UPDATE catalog_entries SET name = $2, name_key = $2 WHERE id = $1`,
		id, "殡葬服务\ufe0f记录信息"); err != nil {
		t.Fatal(err)
	}
	if out := run("migrate"); !strings.Contains(out, "已重写 1 个数据资源的名称比较键或搜索索引") {
		t.Errorf("migrate: %q, want the entry rekeyed", out)
	}
	var key string
	if err := db.Read().QueryRowContext(t.Context(), `SELECT name_key FROM catalog_entries WHERE id = $1`, id).Scan(&key); err != nil {
		t.Fatal(err)
	}
	if key != "殡葬服务记录信息" {
		t.Errorf("name key %q, want 殡葬服务记录信息", key)
	}
	if out := run("migrate"); strings.Contains(out, "已重写") {
		t.Errorf("second migrate: %q, want nothing rekeyed", out)
	}
}
