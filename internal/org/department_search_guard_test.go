package org_test

import (
	"context"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// guardRunes are what TestDepartmentSearchGuard's names and searches
// are made of: ideographs and the radical ⻔, ASCII letters and digits in
// either case and width, İ and I with U+0307, ſ (ToUpper S), white space
// of either width, brackets of either width, and characters whose NFKC
// form the keys hold but searchForm leaves as they are (é written with
// U+0301, ﬁ, ①).
var guardRunes = []string{"部", "门", "⻔", "户", "区", "局", "数", "据", "a", "b", "i", "s", "A", "B", "I", "S",
	"1", "2", "ａ", "Ｂ", "ｉ", "Ｓ", "１", "２", "İ", "I\u0307", "ſ", " ", "\u3000", "\u00a0", "（", "）", "(", ")",
	"e\u0301", "é", "e", "ﬁ", "f", "①"}

// TestDepartmentSearchGuard: a search the keys take finds the same
// departments with its conditions on the names as typed guarded by a
// cheap one (the name holding the search with any character for its ASCII
// letters, DepartmentFilter.Where) as without the guard
// (org.UnguardedWhere), over 300 generated names and short names and
// 1,000 generated searches (parts of them with their case, width, white
// space and radicals changed, and strings of the same characters), on
// both engines. It also counts the searches found as typed but not by
// the keys, which the guard must keep: the guard would be untested
// without them.
func TestDepartmentSearchGuard(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		seed(t, db)
		rnd := rand.New(rand.NewPCG(7, 56))
		word := func(n int) string {
			var b strings.Builder
			for range n {
				b.WriteString(guardRunes[rnd.IntN(len(guardRunes))])
			}
			return b.String()
		}
		create := departmentCreator(db, 500)
		var names []string
		for len(names) < 300 {
			name, short := "部门"+word(2+rnd.IntN(8)), ""
			if rnd.IntN(2) == 0 {
				short = word(1 + rnd.IntN(5))
			}
			if _, err := create(name, short); err != nil {
				continue // refused: a name or short name alike to another's, or not a name
			}
			names = append(names, name)
			if short != "" {
				names = append(names, short)
			}
		}
		vary := func(s string) string {
			var b strings.Builder
			for _, r := range s {
				c := string(r)
				switch rnd.IntN(8) {
				case 0:
					c = strings.ToUpper(c)
				case 1:
					c = strings.ToLower(c)
				case 2:
					if '!' <= r && r <= '~' {
						c = string(r + 0xfee0)
					} else if '\uff01' <= r && r <= '\uff5e' {
						c = string(r - 0xfee0)
					}
				case 3:
					c = strings.NewReplacer("门", "⻔", "⻔", "门").Replace(c)
				case 4:
					c += " "
				case 5:
					if strings.TrimSpace(c) == "" {
						c = ""
					}
				}
				b.WriteString(c)
			}
			return b.String()
		}
		ids := func(cond string, args []any) []int64 {
			t.Helper()
			rows, err := db.Read().QueryContext(ctx, `SELECT id FROM departments WHERE `+cond+` ORDER BY id`, args...)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var ids []int64
			for rows.Next() {
				var id int64
				if err := rows.Scan(&id); err != nil {
					t.Fatal(err)
				}
				ids = append(ids, id)
			}
			if err := rows.Err(); err != nil {
				t.Fatal(err)
			}
			return ids
		}
		compared, found, typedOnly, differ := 0, 0, 0, 0
		for range 1000 {
			var q string
			if rnd.IntN(4) == 0 {
				q = word(1 + rnd.IntN(4))
			} else {
				n := []rune(names[rnd.IntN(len(names))])
				i := rnd.IntN(len(n))
				q = vary(string(n[i : i+1+rnd.IntN(min(4, len(n)-i))]))
			}
			want, wantArgs, keyed := org.UnguardedWhere(q, true)
			if !keyed {
				continue
			}
			compared++
			cond, args := org.DepartmentFilter{Q: q}.Where("")
			got, exp := ids(cond, args), ids(want, wantArgs)
			if !slices.Equal(got, exp) {
				if differ++; differ <= 5 {
					t.Errorf("search %q: departments %v, unguarded %v", q, got, exp)
				}
			}
			if len(exp) > 0 {
				found++
			}
			if keys, keysArgs, _ := org.UnguardedWhere(q, false); len(ids(keys, keysArgs)) < len(exp) {
				typedOnly++
			}
		}
		if differ > 0 {
			t.Errorf("%d of %d searches the keys take found other departments than unguarded", differ, compared)
		}
		if compared < 400 || found < 250 || typedOnly < 20 {
			t.Errorf("%d searches the keys take compared, %d finding departments, %d finding some as typed alone: too few to tell",
				compared, found, typedOnly)
		}
		t.Logf("%d searches the keys take compared, %d finding departments, %d finding some as typed alone", compared, found, typedOnly)
	})
}
