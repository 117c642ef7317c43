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

// TestRevokeKeyNeverEchoesAKey: RevokeKey of a whole key whose id is
// damaged says it is no key id, without repeating it; a key id that is
// one and names no active key is named.
func TestRevokeKeyNeverEchoesAKey(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		d, _ := seed(t, db)
		var key string
		err := db.Tx(ctx, func(tx *sqldb.Tx) (err error) {
			_, key, err = org.CreateApp(ctx, tx, admin, org.NewApp{Name: "查询", DepartmentID: d.ID, Scopes: []string{"catalog.read"}}, t0)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		revoke := func(keyID string) *errs.Error {
			t.Helper()
			e := errs.As(db.Tx(ctx, func(tx *sqldb.Tx) error { return org.RevokeKey(ctx, tx, admin, keyID, t0) }))
			if e == nil || e.Code != "key_not_found" {
				t.Fatalf("RevokeKey(%q): %v, want key_not_found", keyID, e)
			}
			return e
		}
		for _, damaged := range []string{strings.ToUpper(key[:16]) + key[16:], key[:5] + key[6:], key[:15] + "z" + key[16:]} {
			if e := revoke(damaged); e.Message != "不是有效的密钥编号" {
				t.Errorf("RevokeKey(a damaged key): %q, want 不是有效的密钥编号", e.Message)
			}
		}
		if e := revoke("0123456789ab"); !strings.HasSuffix(e.Message, "：0123456789ab") {
			t.Errorf("RevokeKey(another key id): %q, want it named", e.Message)
		}
	})
}
