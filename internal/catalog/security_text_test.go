package catalog_test

import (
	"context"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestSecurityLevelText: a security level's name and description are
// plain text (line breaks allowed in the description) of at most 100 and
// 2000 characters, each problem a field error, and a refused level changes
// nothing. A NUL used to fail on PostgreSQL (500) and be stored on SQLite,
// as did other control characters and invalid UTF-8 on SQLite.
func TestSecurityLevelText(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		const desc = "数据泄露后无危害。"
		for _, c := range []struct {
			name, description, field, code string
		}{
			{"一\x00级", desc, "name", "invalid_characters"},
			{"一\n级", desc, "name", "invalid_characters"},
			{"一\u0085级", desc, "name", "invalid_characters"},
			{"一级", "无\x00危害", "description", "invalid_characters"},
			{"一级", "无\xff危害", "description", "invalid_characters"},
			{"一级", "无\x1b危害", "description", "invalid_characters"},
			{strings.Repeat("级", 101), desc, "name", "too_long"},
			{"一级", strings.Repeat("害", 2001), "description", "too_long"},
		} {
			l := catalog.SecurityLevel{Level: 1, Name: c.name, Description: c.description}
			problems := l.Check()
			if len(problems) != 1 || problems[0].Field != c.field || problems[0].Code != c.code {
				t.Errorf("Check %q %q: %v, want %s %s", c.name, c.description, problems, c.field, c.code)
			}
			err := db.Tx(ctx, func(tx *sqldb.Tx) error {
				_, err := catalog.SetSecurityLevel(ctx, tx, w.operator, l, t0)
				return err
			})
			if e := errs.As(err); e == nil || e.Kind != errs.Invalid || e.Field != c.field || e.Code != c.code {
				t.Errorf("SetSecurityLevel %q %q: %v, want %s %s", c.name, c.description, err, c.field, c.code)
			}
		}
		ok := catalog.SecurityLevel{Level: 1, Name: strings.Repeat("级", 100), Description: "第一行\n第二行\t" + strings.Repeat("害", 1990)}
		if problems := ok.Check(); len(problems) != 0 {
			t.Errorf("Check of a level at the limits: %v", problems)
		}
		levels, err := catalog.SecurityLevels(ctx, db.Read())
		if err != nil {
			t.Fatal(err)
		}
		if levels[0].Name != "1级" {
			t.Errorf("level 1 named %q after refusals, want 1级", levels[0].Name)
		}
	})
}
