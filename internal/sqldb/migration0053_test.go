package sqldb_test

import (
	"slices"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestMigration0053AppNameKeys: a database at 0052 whose department has two
// apps named ETL推送测试 and ＥＴＬ推送测试 (full width), and two named Café
// composed and decomposed, migrates: every app is kept, with its name as
// its key. org.RekeyApps then gives the older of each pair the key of its
// name (the other's key, its name, folds to it), leaves the other as it
// was and reports it with the app holding the key, and a new app named
// like any of them is refused (app_exists); a second run rewrites nothing
// and reports them again, and once one app of a pair is revoked the pair
// is no longer reported. Another department's ＥＴＬ推送测试 is keyed, and so
// are its A 1 and A-1, distinct names, though the keys an earlier build
// stored for them (by text.NameKey, which dropped punctuation: A-1's a1
// held, A 1 left with its name) have the older needing the key the later
// leaves. On both engines.
func TestMigration0053AppNameKeys(t *testing.T) {
	atMigration(t, "0052_catalog_entries_department_name.sql", func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		at := time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)
		departmentOne(t, db, at)
		sqldbtest.Exec(t, db, `INSERT INTO departments (id, name, uscc, region_code, created_at)
			VALUES (2, '部门二', '114400000000000029', '440000', $1)`, at)
		apps := []struct {
			dept int64
			name string
		}{{1, "ETL推送测试"}, {1, "ＥＴＬ推送测试"}, {1, "Caf\u00e9"}, {1, "Cafe\u0301"}, {2, "ＥＴＬ推送测试"}, {2, "A 1"}, {2, "A-1"}}
		for i, a := range apps {
			sqldbtest.Exec(t, db, `INSERT INTO apps (id, name, department_id, scopes, created_at) VALUES ($1, $2, $3, 'data.read', $4)`,
				i+1, a.name, a.dept, at)
		}
		if _, err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		keys := func() []string {
			return sqldbtest.Column(t, db, `SELECT name_key FROM apps ORDER BY id`)
		}
		if got := keys(); !slices.Equal(got, []string{"ETL推送测试", "ＥＴＬ推送测试", "Caf\u00e9", "Cafe\u0301", "ＥＴＬ推送测试", "A 1", "A-1"}) {
			t.Errorf("keys after 0053: %q, want the names", got)
		}
		sqldbtest.Exec(t, db, `UPDATE apps SET name_key = 'a1' WHERE id = 7`)
		want := []org.SharedAppKey{
			{DepartmentID: 1, Department: "部门", AppID: 2, App: "ＥＴＬ推送测试", HolderID: 1, Holder: "ETL推送测试"},
			{DepartmentID: 1, Department: "部门", AppID: 4, App: "Cafe\u0301", HolderID: 3, Holder: "Caf\u00e9"},
		}
		r, err := org.RekeyApps(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		if r.Changed != 5 || !slices.Equal(r.Shared, want) {
			t.Errorf("rekey: %+v, want 5 changed and %+v shared", r, want)
		}
		if got := keys(); !slices.Equal(got, []string{"etl推送测试", "ＥＴＬ推送测试", "caf\u00e9", "Cafe\u0301", "etl推送测试", "a1", "a-1"}) {
			t.Errorf("keys after the rekey: %q", got)
		}
		for _, name := range []string{"ETL 推送测试", "ＥＴＬ推送测试", "ETL推送测试", "CAFE\u0301", "Caf\u00e9"} {
			err := db.Tx(ctx, func(tx *sqldb.Tx) error {
				_, _, err := org.CreateApp(ctx, tx, audit.Actor{Kind: audit.ActorSystem, ID: "test", Name: "test"},
					org.NewApp{Name: name, DepartmentID: 1, Scopes: []string{"data.read"}}, at)
				return err
			})
			if e := errs.As(err); e == nil || e.Code != "app_exists" {
				t.Errorf("a new app %q: %v, want app_exists", name, err)
			}
		}
		r, err = org.RekeyApps(ctx, db)
		if err != nil || r.Changed != 0 || !slices.Equal(r.Shared, want) {
			t.Errorf("second rekey: %+v %v, want none changed and the same shared", r, err)
		}
		sqldbtest.Exec(t, db, `UPDATE apps SET revoked_at = $1 WHERE id = 3`, at)
		r, err = org.RekeyApps(ctx, db)
		if err != nil || r.Changed != 0 || !slices.Equal(r.Shared, want[:1]) {
			t.Errorf("rekey after Café's revocation: %+v %v, want none changed and %+v shared", r, err, want[:1])
		}
	})
}
