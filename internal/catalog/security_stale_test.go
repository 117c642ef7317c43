package catalog_test

import (
	"context"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestSecurityLevelStaleRefused: two operators opened a level's
// definition and the second save overwrote the first's without a word. A
// save conditioned on the tag read (SetSecurityLevelIf; the console's
// edit_tag, the API's If-Match) is now refused concurrent_update once
// another was saved, nothing written, also when the two race (the second
// waits for the first's row lock and then sees it); one asking for the
// definition as now stored (the same form sent again) is answered with it;
// the tag read since is taken. On both engines.
func TestSecurityLevelStaleRefused(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		levels, err := catalog.SecurityLevels(ctx, db.Read())
		if err != nil || len(levels) != 4 || levels[1].Tag == "" {
			t.Fatalf("levels %+v, %v; want four with their tags", levels, err)
		}
		opened := []string{levels[1].Tag}
		first := catalog.SecurityLevel{Level: 2, Name: "二级（甲）", Description: "甲填写的说明"}
		second := catalog.SecurityLevel{Level: 2, Name: "二级（乙）", Description: "乙填写的说明"}
		set := func(ctx context.Context, tx *sqldb.Tx, l catalog.SecurityLevel, tags []string) error {
			_, err := catalog.SetSecurityLevelIf(ctx, tx, w.operator, l, tags, t0)
			return err
		}
		e1, e2 := sqldbtest.Race(t, db,
			func(ctx context.Context, tx *sqldb.Tx) error { return set(ctx, tx, first, opened) },
			func(ctx context.Context, tx *sqldb.Tx) error { return set(ctx, tx, second, opened) })
		if e1 != nil {
			t.Fatal(e1)
		}
		if e := errs.As(e2); e == nil || e.Kind != errs.Conflict || e.Code != "concurrent_update" {
			t.Fatalf("the second save from the same definition: %v, want 409 concurrent_update", e2)
		}
		stored := func() catalog.SecurityLevel {
			t.Helper()
			ls, err := catalog.SecurityLevels(ctx, db.Read())
			if err != nil {
				t.Fatal(err)
			}
			return ls[1]
		}
		if got := stored(); got.Name != first.Name || got.Description != first.Description {
			t.Fatalf("after the refusal level 2 is %+v, want the first save's", got)
		}
		if err := db.Tx(ctx, func(tx *sqldb.Tx) error { return set(ctx, tx, first, opened) }); err != nil {
			t.Errorf("the first save sent again: %v, want answered as stored", err)
		}
		if err := db.Tx(ctx, func(tx *sqldb.Tx) error { return set(ctx, tx, second, []string{}) }); errs.As(err) == nil || errs.As(err).Code != "concurrent_update" {
			t.Errorf("an empty list of tags: %v, want concurrent_update", err)
		}
		if err := db.Tx(ctx, func(tx *sqldb.Tx) error { return set(ctx, tx, second, []string{stored().Tag}) }); err != nil {
			t.Fatalf("the second save from the definition as now stored: %v", err)
		}
		if got := stored(); got.Name != second.Name {
			t.Errorf("level 2 is %+v, want the second save's", got)
		}
		var n int
		if err := db.Read().QueryRowContext(ctx, `SELECT count(*) FROM audit_log WHERE action = 'catalog.security_level.update'
			AND object_id = '2' AND outcome <> 'denied'`).Scan(&n); err != nil || n != 2 {
			t.Errorf("%d audit rows of level 2, %v; want 2 (the two saves that changed it)", n, err)
		}
	})
}
