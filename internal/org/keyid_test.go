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

// TestRevokeKeyChecksSecret: RevokeKey given a whole key
// (htk_<key id>_<secret>) whose secret is not the key's refuses it
// (key_secret_mismatch), naming the key id and not the secret, and revokes
// nothing, where it revoked the key of that id whatever secret followed
// (only the CLI checked, org.CheckWholeKey before it). The right whole key
// revokes, and writes app.key.revoke naming the id alone. On both engines.
func TestRevokeKeyChecksSecret(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		d, _ := seed(t, db)
		var app org.App
		var key string
		err := db.Tx(ctx, func(tx *sqldb.Tx) (err error) {
			app, key, err = org.CreateApp(ctx, tx, admin, org.NewApp{Name: "查询", DepartmentID: d.ID, Scopes: []string{"catalog.read"}}, t0)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		parts := strings.SplitN(key, "_", 3)
		id, secret := parts[1], parts[2]
		revoked := func() bool {
			t.Helper()
			a, err := org.AppByID(ctx, db.Read(), app.ID)
			if err != nil || len(a.Keys) != 1 || a.Keys[0].ID != id {
				t.Fatalf("app %d: %+v, %v; want its one key %s", app.ID, a, err, id)
			}
			return a.Keys[0].RevokedAt != nil
		}
		revoke := func(k string) error {
			return db.Tx(ctx, func(tx *sqldb.Tx) error { return org.RevokeKey(ctx, tx, admin, k, t0) })
		}
		wrong := "htk_" + id + "_WRONGSECRET" + secret[:4]
		e := errs.As(revoke(wrong))
		if e == nil || e.Code != "key_secret_mismatch" || !strings.Contains(e.Message, id) || strings.Contains(e.Message, "WRONGSECRET") {
			t.Errorf("RevokeKey(a whole key with a wrong secret): %v, want key_secret_mismatch naming %s, not the secret", e, id)
		}
		if revoked() {
			t.Fatal("a whole key with a wrong secret revoked the key")
		}
		if err := revoke(" " + key + " "); err != nil {
			t.Fatalf("RevokeKey(the whole key): %v", err)
		}
		if !revoked() {
			t.Error("the whole key did not revoke the key")
		}
		rows := sqldbtest.QueryRows(t, db.Read(), `SELECT detail FROM audit_log WHERE action = 'app.key.revoke'`)
		if len(rows) != 1 || !strings.Contains(rows[0][0], id) || strings.Contains(rows[0][0], secret) {
			t.Errorf("app.key.revoke rows: %q, want one naming %s alone", rows, id)
		}
	})
}
