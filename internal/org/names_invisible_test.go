package org_test

import (
	"context"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/demo"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/org/orgtest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestNamesInvisible: a name on one line (a region's, a department's or
// its short name, an account's display name, an app's name) holding an
// invisible character (a variation selector U+FE0F or U+E0100, the Hangul
// filler U+3164), only such characters, or a line separator U+2028 is
// refused 400 invalid_characters with text.NameProblem's clause, on
// creation and on change; before, 佛山市南海区某局 and it followed by
// U+FE0F, U+3164 or U+E0100 were four departments shown alike. An app's
// description on several lines keeps taking them. A department named
// like another but for a compatibility ideograph (U+F9D1 for 六) or a
// decomposed letter (E and U+0301 for É) is refused as confusable
// (text.NameKey folds with text.Fold). On both engines.
func TestNamesInvisible(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		d, users := seed(t, db)
		n := 0
		dept := func(name, short string) func(tx *sqldb.Tx) error {
			return func(tx *sqldb.Tx) error {
				n++
				return org.CreateDepartment(ctx, tx, admin, &org.Department{Name: name, ShortName: short,
					USCC: demo.USCC("440605", 200+n), RegionCode: "440605"}, t0)
			}
		}
		user := func(name string) func(tx *sqldb.Tx) error {
			return func(tx *sqldb.Tx) error {
				n++
				_, err := orgtest.CreateUser(ctx, tx, admin, org.NewUser{Username: "u.inv" + string(rune('a'+n)), DisplayName: name,
					DepartmentID: d.ID, Role: org.Reviewer, Password: password}, t0)
				return err
			}
		}
		rename := func(name string) func(tx *sqldb.Tx) error {
			return func(tx *sqldb.Tx) error {
				_, err := org.UpdateUser(ctx, tx, admin, users[org.Reviewer].ID, org.UserChange{DisplayName: &name}, t0)
				return err
			}
		}
		app := func(name, desc string) func(tx *sqldb.Tx) error {
			return func(tx *sqldb.Tx) error {
				_, _, err := org.CreateApp(ctx, tx, admin, org.NewApp{Name: name, Description: desc, DepartmentID: d.ID,
					Scopes: []string{"data.read"}}, t0)
				return err
			}
		}
		if err := db.Tx(ctx, dept("佛山市南海区某局", "")); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name, field, want string
			f                 func(tx *sqldb.Tx) error
		}{
			{"department U+FE0F", "name", "不可见", dept("佛山市南海区某局\ufe0f", "")},
			{"department U+3164", "name", "不可见", dept("佛山市南海区某局\u3164", "")},
			{"department U+E0100", "name", "不可见", dept("佛山市南海区某局\U000E0100", "")},
			{"department of fillers", "name", "只有空白或不可见的字符", dept("\u3164\u3164", "")},
			{"department U+2028", "name", "换行", dept("佛山市南海区\u2028换行局", "")},
			{"short name U+FE0F", "short_name", "不可见", dept("佛山市南海区另一局", "南海\ufe0f")},
			{"region U+3164", "name", "不可见", func(tx *sqldb.Tx) error {
				return org.CreateRegion(ctx, tx, admin, &org.Region{Code: "440606", Name: "顺德区\u3164", Level: org.District,
					ParentCode: "440000"}, t0)
			}},
			{"display name U+3164", "display_name", "不可见", user("王\u3164哲")},
			{"display name U+2029", "display_name", "换行", user("王\u2029哲")},
			{"display name changed to U+E0100", "display_name", "不可见", rename("王哲\U000E0100")},
			{"app U+FE0F", "name", "不可见", app("审批系统\ufe0f", "")},
		} {
			err := db.Tx(ctx, c.f)
			e := errs.As(err)
			if e == nil || e.Code != "invalid_characters" || e.Field != c.field || !strings.Contains(e.Message, c.want) {
				t.Errorf("%s: %v, want invalid_characters on %s saying %s", c.name, err, c.field, c.want)
			}
		}
		if err := db.Tx(ctx, app("审批系统", "第一行\u2028第二行\u3164")); err != nil {
			t.Errorf("description on several lines: %v", err)
		}
		for _, pair := range [][2]string{{"佛山市南海区王六局", "佛山市南海区王\uf9d1局"}, {"佛山市南海区Éclair局", "佛山市南海区E\u0301clair局"}} {
			if err := db.Tx(ctx, dept(pair[0], "")); err != nil {
				t.Fatal(err)
			}
			err := db.Tx(ctx, dept(pair[1], ""))
			if e := errs.As(err); e == nil || e.Code != "department_name_confusable" || e.Field != "name" {
				t.Errorf("%q beside %q: %v, want department_name_confusable on name", pair[1], pair[0], err)
			}
		}
		var count int
		if err := db.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM departments WHERE name LIKE '佛山市南海区%'`).Scan(&count); err != nil || count != 3 {
			t.Errorf("departments stored: %d %v, want 3", count, err)
		}
	})
}
