package catalog_test

import (
	"context"
	"strings"
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

// TestSecurityLevelLineBreaks: a description's line breaks are stored as
// line feeds, so that one stored with LF (as a PUT sends it) saved back
// as the console's form posts it, with CR LF, or with a CR alone writes
// nothing (no audit row, updated_at and the tag as they were); it moved
// updated_at, audited a change and stored CR LF. A description stored with
// CR LF before is the same text as one with LF. Check counts a CR LF as
// one character. On both engines.
func TestSecurityLevelLineBreaks(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		stored := func() catalog.SecurityLevel {
			t.Helper()
			ls, err := catalog.SecurityLevels(ctx, db.Read())
			if err != nil {
				t.Fatal(err)
			}
			return ls[2]
		}
		audited := func() int {
			t.Helper()
			var n int
			if err := db.Read().QueryRowContext(ctx, `SELECT count(*) FROM audit_log
				WHERE action = 'catalog.security_level.update' AND object_id = '3'`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		set := func(description string, at time.Time) bool {
			t.Helper()
			var changed bool
			if err := db.Tx(ctx, func(tx *sqldb.Tx) (err error) {
				_, changed, err = catalog.SetSecurityLevelIfChanged(ctx, tx, w.operator,
					catalog.SecurityLevel{Level: 3, Name: "较敏感", Description: description}, nil, at)
				return err
			}); err != nil {
				t.Fatal(err)
			}
			return changed
		}

		if !set("第一行\n第二行", t0) {
			t.Fatalf("a change of level 3 reported unchanged")
		}
		saved := stored()
		for _, d := range []string{"第一行\r\n第二行", "第一行\r第二行", "\r\n第一行\r\n第二行\r\n"} {
			if set(d, t0.Add(time.Hour)) {
				t.Errorf("%q over %q: reported changed", d, saved.Description)
			}
			if got := stored(); got.Description != "第一行\n第二行" || !got.UpdatedAt.Equal(saved.UpdatedAt) || got.Tag != saved.Tag {
				t.Errorf("%q over %q: stored %q, updated_at %v tag %s; want it as saved at %v, %s",
					d, saved.Description, got.Description, got.UpdatedAt, got.Tag, saved.UpdatedAt, saved.Tag)
			}
			if n := audited(); n != 1 {
				t.Errorf("%q over %q: %d audit rows of level 3, want 1 (the change)", d, saved.Description, n)
			}
		}

		if _, err := db.Write().ExecContext(ctx, `UPDATE catalog_security_levels SET description = $1 WHERE level = 3`, "第一行\r\n第二行"); err != nil {
			t.Fatal(err)
		}
		if set("第一行\n第二行", t0.Add(2*time.Hour)) || audited() != 1 {
			t.Errorf("LF over a description stored with CR LF: reported changed or audited (%d rows, want 1)", audited())
		}

		k := catalog.MaxText/2 - 1
		full := strings.Repeat("字\r\n", k) + strings.Repeat("字", catalog.MaxText-2*k)
		if problems := (catalog.SecurityLevel{Level: 3, Name: "较敏感", Description: full}).Check(); len(problems) != 0 {
			t.Errorf("a description of %d characters, each CR LF one: %v", catalog.MaxText, problems)
		}
		if problems := (catalog.SecurityLevel{Level: 3, Name: "较敏感", Description: full + "字"}).Check(); len(problems) != 1 || problems[0].Code != "too_long" {
			t.Errorf("a description of %d characters, each CR LF one: %v, want too_long", catalog.MaxText+1, problems)
		}
	})
}
