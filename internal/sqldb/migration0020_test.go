package sqldb_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestMigration0020NameLength: 0020 gives every posting its entry's name
// length in characters of name_key (full-width letters folded, Han and
// ASCII alike), and the rank index orders by it (PostgreSQL's primary key
// covers it too).
func TestMigration0020NameLength(t *testing.T) {
	atMigration(t, "0019_record_discrepancies_open_b.sql", func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		at := time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)
		departmentOne(t, db, at)
		for _, e := range []struct {
			id            int64
			name, nameKey string
			tokens        []string
		}{
			{1, "不动产登记信息", "不动产登记信息", []string{"不动", "登记"}},
			{2, "ＧＩＳ地图", "gis地图", []string{"gis", "地图"}},
			{3, "A B", "a b", []string{"a", "b"}},
		} {
			if _, err := db.Write().ExecContext(ctx, `INSERT INTO catalog_entries (id, code, department_id, status, version,
				name, name_key, abstract, domain, share_type, share_methods, update_frequency, security_level,
				open_attribute, subject_kind, data, created_at, updated_at)
				VALUES ($1, $2, 1, 'published', 1, $3, $4, '', '18', 'unconditional', 1, 'daily', 1, 'open', 'none', '{}', $5, $5)`,
				e.id, "101001/00000"+string(rune('0'+e.id)), e.name, e.nameKey, at); err != nil {
				t.Fatal(err)
			}
			for _, tok := range e.tokens {
				if _, err := db.Write().ExecContext(ctx, `INSERT INTO catalog_search_tokens (token, entry_id, fields, attrs, department_id, updated_at)
					VALUES ($1, $2, 1, 0, 1, $3)`, tok, e.id, at); err != nil {
					t.Fatal(err)
				}
			}
		}
		if _, err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		got := sqldbtest.QueryRows(t, db.Read(), `SELECT token, CAST(entry_id AS TEXT), CAST(name_len AS TEXT) FROM catalog_search_tokens ORDER BY entry_id, token`)
		want := [][]string{{"不动", "1", "7"}, {"登记", "1", "7"}, {"gis", "2", "5"}, {"地图", "2", "5"}, {"a", "3", "3"}, {"b", "3", "3"}}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("postings after 0020 (-want +got):\n%s", diff)
		}
		def := `SELECT sql FROM sqlite_master WHERE name = 'catalog_search_tokens_rank'`
		if db.Dialect == sqldb.Postgres {
			def = `SELECT indexdef FROM pg_indexes WHERE indexname = 'catalog_search_tokens_rank'`
		}
		if rows := sqldbtest.QueryRows(t, db.Read(), def); len(rows) != 1 || !strings.Contains(rows[0][0], "name_len") {
			t.Errorf("rank index after 0020: %v, want one on name_len", rows)
		}
		if db.Dialect == sqldb.Postgres { // index-only scans of the postings read it from the primary key
			key := sqldbtest.QueryRows(t, db.Read(), `SELECT indexdef FROM pg_indexes WHERE indexname = 'catalog_search_tokens_pkey'`)
			if len(key) != 1 || !strings.Contains(key[0][0], "name_len") {
				t.Errorf("primary key after 0020: %v, want it to include name_len", key)
			}
		}
	})
}
