package main

import (
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// migratedSQLite migrates a new SQLite database with hutong migrate and
// returns the runner, which fails the test on an error, and the database,
// open until the test ends.
func migratedSQLite(t *testing.T) (func(args ...string) string, *sqldb.DB) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "h.db")
	run := mustHutong(t, map[string]string{"HUTONG_DB": path})
	run("migrate")
	db, err := sqldb.Open(t.Context(), path, sqldb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return run, db
}

// storedKey is the one key query reads from db.
func storedKey(t *testing.T, db *sqldb.DB, query string, args ...any) string {
	t.Helper()
	var key string
	if err := db.Read().QueryRowContext(t.Context(), query, args...).Scan(&key); err != nil {
		t.Fatal(err)
	}
	return key
}

// TestMigrateRekeysNames: hutong migrate rewrites the name key of a
// catalog entry stored before names were compared as they look
// (catalog.RekeyNames), says how many it rewrote, and a second run
// rewrites none.
func TestMigrateRekeysNames(t *testing.T) {
	run, db := migratedSQLite(t)
	dept := recordstest.Department(t, db, "民政局", 1)
	id := recordstest.Entry(t, db, dept, recordstest.Spec{Code: "101001/000001", Name: "殡葬服务记录信息", SubjectKind: "person",
		Items: []records.Item{{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true}}})
	sqldbtest.StaleEntryName(t, db, id, "殡葬服务\ufe0f记录信息")
	if out := run("migrate"); !strings.Contains(out, "已重写 1 个数据资源的名称比较键或搜索索引") {
		t.Errorf("migrate: %q, want the entry rekeyed", out)
	}
	key := storedKey(t, db, `SELECT name_key FROM catalog_entries WHERE id = $1`, id)
	if key != "殡葬服务记录信息" {
		t.Errorf("name key %q, want 殡葬服务记录信息", key)
	}
	if out := run("migrate"); strings.Contains(out, "已重写") {
		t.Errorf("second migrate: %q, want nothing rekeyed", out)
	}
}

// TestMigrateRekeysDepartments: hutong migrate rewrites the name and
// short name keys of a department stored with others (as migration 0045
// starts them, its names; org.RekeyDepartments), says how many it
// rewrote, and a second run rewrites none.
func TestMigrateRekeysDepartments(t *testing.T) {
	run, db := migratedSQLite(t)
	dept := recordstest.Department(t, db, "佛山市南海区（民政局）", 1)
	sqldbtest.Exec(t, db, `UPDATE departments SET short_name = $2, name_key = name, short_name_key = $2
		WHERE id = $1`, dept, "区（民政局）")
	if out := run("migrate"); !strings.Contains(out, "已重写 1 个部门的名称比较键与检索形式（") {
		t.Errorf("migrate: %q, want the department rekeyed", out)
	}
	if key := storedKey(t, db, `SELECT name_key || '/' || short_name_key FROM departments WHERE id = $1`, dept); key != "佛山市南海区民政局/区民政局" {
		t.Errorf("keys %q, want 佛山市南海区民政局/区民政局", key)
	}
	if out := run("migrate"); strings.Contains(out, "已重写") {
		t.Errorf("second migrate: %q, want nothing rekeyed", out)
	}
}

// TestMigrateRekeysApps: hutong migrate rewrites the name keys of the apps
// stored with their names as keys (as migration 0053 starts them;
// org.RekeyApps), says how many it rewrote, and warns of two apps of one
// department whose names only look different, naming both and keeping
// both; a second run rewrites none and warns again.
func TestMigrateRekeysApps(t *testing.T) {
	run, db := migratedSQLite(t)
	dept := recordstest.Department(t, db, "民政局", 1)
	for _, name := range []string{"ETL推送测试", "ＥＴＬ推送测试"} {
		sqldbtest.Exec(t, db, `INSERT INTO apps (name, name_key, department_id, scopes, created_at) VALUES ($1, $1, $2, 'data.read', $3)`,
			name, dept, time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	}
	warning := "警告：部门“民政局”（编号 " + strconv.FormatInt(dept, 10) + "）的应用“ＥＴＬ推送测试”（编号 2）与应用“ETL推送测试”（编号 1）名称看起来相同"
	out := run("migrate")
	if !strings.Contains(out, "已重写 1 个应用的名称比较键") || !strings.Contains(out, warning) || !strings.Contains(out, "两个应用都保留") {
		t.Errorf("migrate: %q, want the app rekeyed and the other warned of", out)
	}
	if key := storedKey(t, db, `SELECT name_key FROM apps WHERE id = 1`); key != "etl推送测试" {
		t.Errorf("key %q, want etl推送测试", key)
	}
	if out := run("migrate"); strings.Contains(out, "已重写") || !strings.Contains(out, warning) {
		t.Errorf("second migrate: %q, want nothing rekeyed and the warning again", out)
	}
}

// TestMigrateRekeysItems: hutong migrate rewrites the item key of a
// catalog entry stored before item names were compared as they look
// (catalog.RekeyItems), says how many it rewrote, and a second run
// rewrites none.
func TestMigrateRekeysItems(t *testing.T) {
	run, db := migratedSQLite(t)
	dept := recordstest.Department(t, db, "民政局", 1)
	id := recordstest.Entry(t, db, dept, recordstest.Spec{Code: "101001/000001", Name: "殡葬服务记录信息", SubjectKind: "person",
		Items: []records.Item{{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true}, {Name: "死亡\u200b日期", Type: "D"}}})
	sqldbtest.StaleItemKey(t, db, id, "死亡\u200b日期")
	if out := run("migrate"); !strings.Contains(out, "已重写 1 个数据资源的信息项比较键") {
		t.Errorf("migrate: %q, want the entry's item rekeyed", out)
	}
	key := storedKey(t, db, `SELECT item_key FROM catalog_item_keys WHERE entry_id = $1`, id)
	if key != "死亡日期" {
		t.Errorf("item key %q, want 死亡日期", key)
	}
	if out := run("migrate"); strings.Contains(out, "已重写") {
		t.Errorf("second migrate: %q, want nothing rekeyed", out)
	}
}

// TestMigrateRekeysRecordItems: hutong migrate rewrites the item keys the
// records' cross-check stored before item names were compared as they
// look (records.RekeyItems) — an entry's in record_item_keys and an open
// discrepancy's —, says how many it rewrote, and a second run rewrites
// none.
func TestMigrateRekeysRecordItems(t *testing.T) {
	run, db := migratedSQLite(t)
	var entries, depts [2]int64
	for i, name := range []string{"民政局", "卫健委"} {
		dept := recordstest.Department(t, db, name, i+1)
		id := recordstest.Entry(t, db, dept, recordstest.Spec{Code: "30" + strconv.Itoa(i+3) + "001/000001", Name: name + "死亡信息",
			SubjectKind: "person", Items: []records.Item{{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true},
				{Name: "死亡\u200b日期", Type: "D"}}})
		sqldbtest.StaleRecordItemKey(t, db, id, "死亡\u200b日期")
		entries[i], depts[i] = id, dept
	}
	at := time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)
	sqldbtest.StaleDiscrepancy(t, db, "死亡\u200b日期", recordstest.CitizenID(1), entries, depts, at)
	if out := run("migrate"); !strings.Contains(out, "已重写 2 个数据资源归集数据的信息项比较键、1 条多源校核差异的信息项比较键") {
		t.Errorf("migrate: %q, want the entries' and the discrepancy's item keys rekeyed", out)
	}
	key := storedKey(t, db, `SELECT item_key FROM record_discrepancies`)
	if key != "死亡日期" {
		t.Errorf("discrepancy's item key %q, want 死亡日期", key)
	}
	if out := run("migrate"); strings.Contains(out, "已重写") {
		t.Errorf("second migrate: %q, want nothing rekeyed", out)
	}
}
