package sqldb_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestCheckCollation: a PostgreSQL database whose default collation does
// not order text by code point (an ICU locale here: the test cluster has
// no libc locale but C, C.UTF-8 and POSIX) gives a warning naming the
// collation and the createdb command of a C.UTF-8 database; databases
// created with LC_COLLATE C, POSIX or C.UTF-8 and a SQLite file give none.
// Such a database was served without a word, sorting names in its
// locale's order.
func TestCheckCollation(t *testing.T) {
	for _, c := range []struct {
		options string
		want    string // the collation the warning names; "" no warning
	}{
		{"LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'", "en-US"},
		{"LOCALE 'C'", ""},
		{"LOCALE 'POSIX'", ""},
		{"LOCALE 'C.UTF-8'", ""},
	} {
		t.Run(c.options, func(t *testing.T) {
			db, err := sqldb.Open(t.Context(), sqldbtest.PostgresCollated(t, c.options), sqldb.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			var order string
			if err := db.Read().QueryRowContext(t.Context(),
				`SELECT string_agg(s, ' ' ORDER BY s) FROM (VALUES ('b'), ('B'), ('a')) v(s)`).Scan(&order); err != nil {
				t.Fatal(err)
			}
			w, err := db.CheckCollation(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case c.want == "" && w != nil:
				t.Errorf("CheckCollation: %s, want no warning (names sort %q)", w, order)
			case c.want != "" && w == nil:
				t.Errorf("CheckCollation: no warning, want one of %s (names sort %q)", c.want, order)
			case w != nil:
				if w.Collation != c.want || w.Provider != "icu" {
					t.Errorf("CheckCollation: %+v, want collation %s of provider icu", w, c.want)
				}
				for _, s := range []string{"排序规则为 " + c.want, "createdb -E UTF8 --locale=C.UTF-8 -T template0 " + w.Name} {
					if !strings.Contains(w.String(), s) {
						t.Errorf("warning %q, want it to say %q", w, s)
					}
				}
			}
			if want := map[bool]string{true: "B a b", false: "a b B"}[c.want == ""]; order != want {
				t.Errorf("names sort %q in this database, want %q", order, want)
			}
		})
	}
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		if w, err := db.CheckCollation(t.Context()); w != nil || err != nil {
			t.Errorf("CheckCollation on the test database: %v %v, want no warning", w, err)
		}
	})
	for _, c := range []struct {
		provider, locale string
		want             bool
	}{
		{"libc", "C", true}, {"libc", "POSIX", true}, {"libc", "C.UTF-8", true}, {"libc", "C.utf8", true},
		{"libc", "en_US.UTF-8", false}, {"libc", "zh_CN.UTF-8", false},
		{"builtin", "C.UTF-8", true}, {"builtin", "C", true}, {"icu", "und", false}, {"icu", "zh-CN", false},
	} {
		if got := sqldb.CodePointCollation(c.provider, c.locale); got != c.want {
			t.Errorf("CodePointCollation(%s, %s) = %v, want %v", c.provider, c.locale, got, c.want)
		}
	}
}
