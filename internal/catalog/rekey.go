package catalog

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"maps"
	"slices"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/text"
)

// rekeyChunk is how many entries RekeyNames and RekeyItems read at a time.
var rekeyChunk = 500

// RekeyNames rewrites the name_key of every entry whose stored key is not
// NameKey of its name, and the name length its search postings carry
// (catalog_search_tokens.name_len, the length of name_key), indexes again
// for search the entries whose stored tokens are not those tokenFields now
// makes of their head, and says how many entries it changed. Keys stored
// before NameKey folded names with text.Fold kept zero-width characters,
// variation selectors and decomposed letters (殡葬服务<U+200B>记录信息,
// Cafe<U+0301>): a new entry named as such an entry looks was not refused
// as a duplicate, and the old entry's next submission was then refused as
// a duplicate of the new one. Tokens made before they were made from text
// folded so (searchFold) lacked the bigrams across such a character (务记
// of 殡葬服务<U+200B>记录信息), which a search for the text as it looks asks
// for. SQL cannot compute NFKC on SQLite, so keys and tokens are rewritten
// here, by the server at start (server.Maintain) and by hutong migrate.
// The entries are read rekeyChunk at a time by id, outside any
// transaction (db.Read), and only a chunk with entries to rewrite takes a
// write transaction, in which those entries are read again (locked on
// PostgreSQL: a rename meanwhile keeps its key) and only those still stale
// rewritten: on SQLite a write transaction holds the one writer, which a
// pass reading every entry took chunk after chunk even when nothing was
// stale. The tokens of an entry are read and compared only where
// text.Fold changes its head's text (its data), as nothing else makes
// them differ; a second run changes nothing. Two entries of one department
// that come to share a key are left as they are and logged to log (if not
// nil): the duplicate check applies to new writes, which the department
// resolves by renaming or retiring one of them.
func RekeyNames(ctx context.Context, db *sqldb.DB, log *slog.Logger) (int, error) {
	changed := 0
	var after int64
	for {
		read, last, wrong, folded, err := staleNames(ctx, db.Read(),
			`SELECT id, name, name_key, data FROM catalog_entries WHERE id > $1 ORDER BY id LIMIT $2`, after, rekeyChunk)
		if err != nil {
			return changed, err
		}
		retoken, err := staleTokens(ctx, db.Read(), folded)
		if err != nil {
			return changed, err
		}
		if len(wrong) > 0 || len(retoken) > 0 {
			set := map[int64]bool{}
			for _, r := range wrong {
				set[r.id] = true
			}
			for id := range retoken {
				set[id] = true
			}
			ids := slices.Sorted(maps.Keys(set))
			var keys []string
			n := 0
			err := db.Tx(ctx, func(tx *sqldb.Tx) error {
				n, keys = 0, nil
				// Those to rewrite, read again (locked on PostgreSQL): the
				// server re-keys while it serves, and a rename committed
				// since the read would otherwise get the key and tokens of
				// its old name.
				var args []any
				query := `SELECT id, name, name_key, data FROM catalog_entries WHERE id IN ` + sqldb.In(tx, &args, ids, 0) + ` ORDER BY id`
				if tx.Dialect == sqldb.Postgres {
					query += ` FOR UPDATE`
				}
				_, _, wrong, folded, err := staleNames(ctx, tx, query, args...)
				if err != nil {
					return err
				}
				retoken, err := staleTokens(ctx, tx, folded)
				if err != nil {
					return err
				}
				touched := map[int64]bool{}
				for _, r := range wrong {
					if _, err := tx.ExecContext(ctx, `UPDATE catalog_entries SET name_key = $2 WHERE id = $1`, r.id, r.key); err != nil {
						return fmt.Errorf("rekey catalog entry %d: %w", r.id, err)
					}
					if _, err := tx.ExecContext(ctx, `UPDATE catalog_search_tokens SET name_len = LENGTH($2) WHERE entry_id = $1`,
						r.id, r.key); err != nil {
						return fmt.Errorf("rekey search postings of catalog entry %d: %w", r.id, err)
					}
					keys = append(keys, r.key)
					touched[r.id] = true
				}
				for _, id := range slices.Sorted(maps.Keys(retoken)) {
					if err := writeTokens(ctx, tx, id, retoken[id]); err != nil {
						return fmt.Errorf("re-index catalog entry %d: %w", id, err)
					}
					touched[id] = true
				}
				n = len(touched)
				return nil
			})
			if err != nil {
				return changed, err
			}
			changed += n
			if log != nil && len(keys) > 0 {
				if err := db.Tx(ctx, func(tx *sqldb.Tx) error { return logSharedKeys(ctx, tx, keys, log) }); err != nil {
					return changed, err
				}
			}
		}
		if read < rekeyChunk {
			return changed, nil
		}
		after = last
	}
}

// rekey is an entry's name key to be.
type rekey struct {
	id  int64
	key string
}

// staleNames reads the entries query selects (id, name, name_key, data)
// and returns how many it read, the last id, the keys of those whose
// stored key is not NameKey of their name, and the data of those whose
// text.Fold changes it.
func staleNames(ctx context.Context, q sqldb.Querier, query string, args ...any) (read int, last int64, wrong []rekey, folded map[int64]string, err error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return 0, 0, nil, nil, fmt.Errorf("rekey catalog names: %w", err)
	}
	defer rows.Close()
	folded = map[int64]string{}
	for rows.Next() {
		var id int64
		var name, key, data string
		if err := rows.Scan(&id, &name, &key, &data); err != nil {
			return 0, 0, nil, nil, err
		}
		read, last = read+1, id
		if want := NameKey(name); want != key {
			wrong = append(wrong, rekey{id, want})
		}
		if text.Fold(data) != data {
			folded[id] = data
		}
	}
	return read, last, wrong, folded, rows.Err()
}

// staleTokens returns the tokens (tokenFields) of the entries of data (by
// id, the head each stores) whose stored search tokens differ from them.
func staleTokens(ctx context.Context, q sqldb.Querier, data map[int64]string) (map[int64]map[string]int, error) {
	out := map[int64]map[string]int{}
	for _, id := range slices.Sorted(maps.Keys(data)) {
		var r Resource
		if err := json.Unmarshal([]byte(data[id]), &r); err != nil {
			return nil, fmt.Errorf("re-index catalog entry %d: %w", id, err)
		}
		want := tokenFields(r)
		rows, err := q.QueryContext(ctx, `SELECT token, fields FROM catalog_search_tokens WHERE entry_id = $1`, id)
		if err != nil {
			return nil, fmt.Errorf("search tokens of catalog entry %d: %w", id, err)
		}
		stored := map[string]int{}
		for rows.Next() {
			var t string
			var f int
			if err := rows.Scan(&t, &f); err != nil {
				rows.Close()
				return nil, err
			}
			stored[t] = f
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		if !maps.Equal(stored, want) {
			out[id] = want
		}
	}
	return out, nil
}

// logSharedKeys logs the entries not retired of one department that share
// one of keys, which RekeyNames has just given to some of them.
func logSharedKeys(ctx context.Context, tx *sqldb.Tx, keys []string, log *slog.Logger) error {
	for _, k := range keys {
		rows, err := tx.QueryContext(ctx, `SELECT department_id, code FROM catalog_entries
			WHERE name_key = $1 AND status <> 'retired' ORDER BY department_id, code`, k)
		if err != nil {
			return fmt.Errorf("entries sharing a name key: %w", err)
		}
		byDept := map[int64][]string{}
		var order []int64
		for rows.Next() {
			var d int64
			var code string
			if err := rows.Scan(&d, &code); err != nil {
				rows.Close()
				return err
			}
			if byDept[d] == nil {
				order = append(order, d)
			}
			byDept[d] = append(byDept[d], code)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, d := range order {
			if len(byDept[d]) > 1 {
				log.Warn("catalog entries of one department now share a name key (names that look alike): they stay as they are, but a revision of one is refused as a duplicate while another is published or under review; rename or retire one",
					"department_id", d, "codes", byDept[d], "name_key", k)
			}
		}
	}
	return nil
}
