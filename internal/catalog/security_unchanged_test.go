package catalog_test

import (
	"context"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestSecurityLevelUnchangedWritesNothing: a save of a level's name and
// description as stored (the seed's as shipped, or a save sent again, its
// texts with spaces around them, with the tag read or without one) writes
// nothing: updated_at stays, no audit row, and it reports changed false;
// a save that changes the level reports changed. On both engines.
func TestSecurityLevelUnchangedWritesNothing(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		stored := func() catalog.SecurityLevel {
			t.Helper()
			ls, err := catalog.SecurityLevels(ctx, db.Read())
			if err != nil {
				t.Fatal(err)
			}
			return ls[1]
		}
		audited := func() int {
			t.Helper()
			var n int
			if err := db.Read().QueryRowContext(ctx, `SELECT count(*) FROM audit_log
				WHERE action = 'catalog.security_level.update' AND object_id = '2'`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		set := func(l catalog.SecurityLevel, tags []string, at time.Time) bool {
			t.Helper()
			var changed bool
			if err := db.Tx(ctx, func(tx *sqldb.Tx) (err error) {
				_, changed, err = catalog.SetSecurityLevelIfChanged(ctx, tx, w.operator, l, tags, at)
				return err
			}); err != nil {
				t.Fatal(err)
			}
			return changed
		}

		seed := stored()
		if set(seed, []string{seed.Tag}, t0) {
			t.Errorf("the seed's level 2 saved as shipped reported changed")
		}
		if got := stored(); !got.UpdatedAt.Equal(seed.UpdatedAt) || audited() != 0 {
			t.Errorf("the seed's level 2 saved as shipped: updated_at %v (was %v), %d audit rows; want both as they were",
				got.UpdatedAt, seed.UpdatedAt, audited())
		}

		l := catalog.SecurityLevel{Level: 2, Name: "二级（内部）", Description: "仅限政务部门内部使用"}
		if !set(l, nil, t0) {
			t.Fatalf("a change of level 2 reported unchanged")
		}
		saved := stored()
		for _, c := range []struct {
			what string
			l    catalog.SecurityLevel
			tags []string
		}{
			{"sent again without a tag", l, nil},
			{"sent again with the tag read", l, []string{saved.Tag}},
			{"sent again, spaces around", catalog.SecurityLevel{Level: 2, Name: " " + l.Name + " ", Description: l.Description + "\n"}, nil},
		} {
			if set(c.l, c.tags, t0.Add(time.Hour)) {
				t.Errorf("%s: reported changed", c.what)
			}
			if got := stored(); !got.UpdatedAt.Equal(saved.UpdatedAt) || got.Tag != saved.Tag {
				t.Errorf("%s: updated_at %v tag %s, want %v %s as saved", c.what, got.UpdatedAt, got.Tag, saved.UpdatedAt, saved.Tag)
			}
			if n := audited(); n != 1 {
				t.Errorf("%s: %d audit rows of level 2, want 1 (the change)", c.what, n)
			}
		}
	})
}
