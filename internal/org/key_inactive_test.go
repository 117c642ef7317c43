package org_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestKeyInactiveTellsRightSecret: Authenticate refuses a wrong secret
// and a right secret of a revoked or expired key alike (invalid_api_key,
// the same message), and KeyInactive tells the second from the first, for
// the audit row only: a right secret shows its holder had the app's key,
// a wrong one with a known key id shows nothing of the app.
func TestKeyInactiveTellsRightSecret(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		d, _ := seed(t, db)
		app, key := createApp(t, db, d, "data.read")
		keyID := strings.Split(key, "_")[1]
		wrong := "htk_" + keyID + "_wrongsecret"
		auth := func(token string, at time.Time) error {
			_, _, _, err := new(org.KeyCache).Authenticate(ctx, db.Read(), token, at)
			return err
		}
		if err := auth(wrong, t0); code(err) != "invalid_api_key" || org.KeyInactive(err) {
			t.Errorf("wrong secret of an active key: %v, inactive %v; want invalid_api_key, not inactive", err, org.KeyInactive(err))
		}
		if err := db.Tx(ctx, func(tx *sqldb.Tx) error { return org.RevokeApp(ctx, tx, admin, app.ID, t0) }); err != nil {
			t.Fatal(err)
		}
		right, bad := auth(key, t0), auth(wrong, t0)
		if code(right) != "invalid_api_key" || !org.KeyInactive(right) {
			t.Errorf("right secret of a revoked app's key: %v, inactive %v; want invalid_api_key, inactive", right, org.KeyInactive(right))
		}
		if code(bad) != "invalid_api_key" || org.KeyInactive(bad) || bad.Error() != right.Error() {
			t.Errorf("wrong secret of a revoked app's key: %v, inactive %v; want %v, not inactive", bad, org.KeyInactive(bad), right)
		}
		if err := auth("htk_0123456789ab_wrongsecret", t0); code(err) != "invalid_api_key" || org.KeyInactive(err) {
			t.Errorf("unknown key id: %v, inactive %v; want invalid_api_key, not inactive", err, org.KeyInactive(err))
		}
	})
}
