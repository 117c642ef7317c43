package org_test

import (
	"context"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestAppNameLooksAlike: a new app whose name only looks like another app's
// of its department (full width, composed or decomposed letters, a
// compatibility ideograph or a radical beside its unified ideograph, case,
// spaces) is refused as one of the same name is, 409 app_exists, naming
// the other app; a revoked one's says it was revoked.
// Names differing in punctuation or symbols are distinct apps (对接 C++
// 客户端 and 对接 C# 客户端, 接口 v11.0 and 接口 v1.10, A-1 and A1). Another
// department may have it. On both engines.
func TestAppNameLooksAlike(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		d, _ := seed(t, db)
		other, _, _, _ := seedOther(t, db)
		create := func(dept int64, name string) (org.App, error) {
			var a org.App
			err := db.Tx(ctx, func(tx *sqldb.Tx) (err error) {
				a, _, err = org.CreateApp(ctx, tx, admin, org.NewApp{Name: name, DepartmentID: dept, Scopes: []string{"data.read"}}, t0)
				return err
			})
			return a, err
		}
		for _, c := range []struct{ first, alike string }{
			{"ETL推送测试", "ＥＴＬ推送测试"},
			{"Caf\u00e9核验", "Cafe\u0301核验"},
			{"王六核验", "王\uf9d1核验"},
			{"车辆核验", "\u2ecb辆核验"},
		} {
			if _, err := create(d.ID, c.first); err != nil {
				t.Fatalf("create %q: %v", c.first, err)
			}
			_, err := create(d.ID, c.alike)
			if e := errs.As(err); e == nil || e.Code != "app_exists" || !strings.Contains(e.Message, "“"+c.first+"”") ||
				!strings.Contains(e.Message, "看起来相同") {
				t.Errorf("create %q beside %q: %v, want app_exists naming %[2]q", c.alike, c.first, err)
			}
		}
		if _, err := create(d.ID, "etl 推送测试"); code(err) != "app_exists" {
			t.Errorf("create etl 推送测试 beside ETL推送测试: %v, want app_exists", err)
		}
		for _, pair := range [][2]string{{"对接 C++ 客户端", "对接 C# 客户端"}, {"接口 v11.0", "接口 v1.10"}, {"A-1", "A1"}} {
			for _, name := range pair {
				if _, err := create(d.ID, name); err != nil {
					t.Errorf("create %q (beside %q): %v, want a distinct app", name, pair, err)
				}
			}
		}
		if _, err := create(other.ID, "ＥＴＬ推送测试"); err != nil {
			t.Errorf("another department's app of a name alike: %v", err)
		}
		a, err := create(d.ID, "综合窗口")
		if err != nil {
			t.Fatal(err)
		}
		if err := db.Tx(ctx, func(tx *sqldb.Tx) error { return org.RevokeApp(ctx, tx, admin, a.ID, t0) }); err != nil {
			t.Fatal(err)
		}
		_, err = create(d.ID, "综合 窗口")
		if e := errs.As(err); e == nil || e.Code != "app_exists" || !strings.Contains(e.Message, "已注销") || !strings.Contains(e.Message, "“综合窗口”") {
			t.Errorf("a name like a revoked app's: %v, want app_exists saying it was revoked", err)
		}
		var n int
		if err := db.Read().QueryRowContext(ctx, `SELECT count(*) FROM apps WHERE department_id = $1`, d.ID).Scan(&n); err != nil || n != 11 {
			t.Errorf("%d apps (%v), want the 5 first names and the 6 of the distinct pairs", n, err)
		}
	})
}

// TestAppNameKeyIndex: the key is unique in a department in the schema,
// and a violation of it is one CreateApp takes for a duplicate
// (app_exists), as two apps of names alike created at once meet it; the
// empty key, with which an older release's server stores an app during an
// upgrade, is left out. On both engines.
func TestAppNameKeyIndex(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		d, _ := seed(t, db)
		insert := func(name, key string) error {
			_, err := db.Write().ExecContext(ctx, `INSERT INTO apps (name, name_key, department_id, scopes, created_at)
				VALUES ($1, $2, $3, 'data.read', $4)`, name, key, d.ID, t0)
			return err
		}
		if err := insert("ETL推送测试", "etl推送测试"); err != nil {
			t.Fatal(err)
		}
		if err := insert("ＥＴＬ推送测试", "etl推送测试"); !sqldb.IsUniqueViolationOf(err, org.KeyAppNameKey) {
			t.Errorf("a second app of the key: %v, want a violation of %+v", err, org.KeyAppNameKey)
		}
		for _, name := range []string{"旧版一", "旧版二"} {
			if err := insert(name, ""); err != nil {
				t.Errorf("an app of the empty key: %v", err)
			}
		}
	})
}

// TestCreateAppAlikeAtOnce: of two apps of names alike created at once,
// the second is refused (app_exists) with a message saying that an app of
// the name or of one alike exists, not that one of its own name does. On
// PostgreSQL the first holds its transaction open until the second waits
// on the unique index of the keys; on SQLite the second waits for the one
// writer and finds the first.
func TestCreateAppAlikeAtOnce(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		d, _ := seed(t, db)
		create := func(tx *sqldb.Tx, name string) error {
			_, _, err := org.CreateApp(ctx, tx, admin, org.NewApp{Name: name, DepartmentID: d.ID, Scopes: []string{"data.read"}}, t0)
			return err
		}
		second := make(chan error, 1)
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			if err := create(tx, "ETL推送测试"); err != nil {
				return err
			}
			go func() {
				second <- db.Tx(ctx, func(tx *sqldb.Tx) error { return create(tx, "ＥＴＬ推送测试") })
			}()
			if db.Dialect == sqldb.Postgres {
				sqldbtest.AwaitLockWait(t, db, "the second app never waited for the first")
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		err = <-second
		if e := errs.As(err); e == nil || e.Code != "app_exists" || !strings.Contains(e.Message, "看起来相同") {
			t.Errorf("the second app: %v, want app_exists saying a name alike exists", err)
		}
	})
}
