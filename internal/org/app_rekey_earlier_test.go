package org_test

import (
	"context"
	"testing"

	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestRekeyAppsEarlierKeyLeft: a database an earlier build rekeyed with
// text.NameKey, which drops punctuation, holds 接口新 for 接口（新） and a1
// for A-1 (接口(新) and A1 were left with their names, the NameKey being
// held). Under appKey 接口（新） wants 接口(新), which 接口(新) holds, so it
// cannot take its key; it must not keep 接口新 either, which refused the
// distinct names 接口新 and a1 for ever and reported A1 as looking like
//
func TestRekeyAppsEarlierKeyLeft(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		d, _ := seed(t, db)
		for _, a := range []struct{ name, key string }{
			{"接口（新）", "接口新"}, {"接口(新)", "接口(新)"}, {"A-1", "a1"}, {"a-1", "a-1"}, {"A1", "A1"},
		} {
			if _, err := db.Write().ExecContext(ctx, `INSERT INTO apps (name, name_key, department_id, scopes, created_at)
				VALUES ($1, $2, $3, 'data.read', $4)`, a.name, a.key, d.ID, t0); err != nil {
				t.Fatal(err)
			}
		}
		r, err := org.RekeyApps(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Shared) != 2 {
			t.Errorf("shared: %+v, want 接口（新） with 接口(新) and A-1 with a-1", r.Shared)
		}
		for _, s := range r.Shared {
			if !(s.App == "接口（新）" && s.Holder == "接口(新)" || s.App == "A-1" && s.Holder == "a-1") {
				t.Errorf("%q reported as looking like %q", s.App, s.Holder)
			}
		}
		want := map[string]string{"接口（新）": "接口（新）", "接口(新)": "接口(新)", "A-1": "A-1", "a-1": "a-1", "A1": "a1"}
		rows, err := db.Read().QueryContext(ctx, `SELECT name, name_key FROM apps`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var n, k string
			if err := rows.Scan(&n, &k); err != nil {
				t.Fatal(err)
			}
			if k != want[n] {
				t.Errorf("app %q has the key %q, want %q", n, k, want[n])
			}
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
		if again, err := org.RekeyApps(ctx, db); err != nil || again.Changed != 0 {
			t.Errorf("second rekey: %+v, %v", again, err)
		}
		err = db.Tx(ctx, func(tx *sqldb.Tx) error {
			_, _, err := org.CreateApp(ctx, tx, admin, org.NewApp{Name: "接口新", DepartmentID: d.ID, Scopes: []string{"data.read"}}, t0)
			return err
		})
		if err != nil {
			t.Errorf("create 接口新: %v", err)
		}
	})
}
