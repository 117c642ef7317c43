package org

import (
	"context"
	"fmt"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/text"
)

// rekeyChunk is how many departments RekeyDepartments reads at a time.
var rekeyChunk = 1000

// RekeyDepartments rewrites the keys stored with each department
// (name_key, short_name_key) that are not text.NameKey of its name and
// short name, and says how many departments it changed: those migration
// 0045 gave their names as keys, and every department stored before
// NameKey's folding last changed. checkNamesFree and DepartmentsNamed
// compare names by the stored keys, which SQL cannot compute (NFKC on
// SQLite), so they are rewritten here, by the server at start
// (server.Maintain) and by hutong migrate, beside the catalog's
// (catalog.RekeyNames). The departments are read rekeyChunk at a time by
// id, outside any transaction (db.Read), and only a chunk with stale keys
// takes a write transaction to rewrite them: on SQLite a write
// transaction holds the one writer, which an hourly pass reading and
// folding every department's names took chunk after chunk even when
// nothing was stale. A key is written only where the department still has
// the name and short name it was read with, so that a rename meanwhile,
// which wrote its own keys, keeps them. A second run changes nothing.
func RekeyDepartments(ctx context.Context, db *sqldb.DB) (int, error) {
	changed := 0
	var after int64
	for {
		stale, read, last, err := staleDepartments(ctx, db.Read(), after)
		if err != nil {
			return changed, err
		}
		if len(stale) > 0 {
			n := 0
			err := db.Tx(ctx, func(tx *sqldb.Tx) error {
				n = 0
				for _, r := range stale {
					res, err := tx.ExecContext(ctx, `UPDATE departments SET name_key = $2, short_name_key = $3
						WHERE id = $1 AND name = $4 AND short_name = $5`, r.id, r.key, r.skey, r.name, r.short)
					if err != nil {
						return fmt.Errorf("rekey department %d: %w", r.id, err)
					}
					k, err := res.RowsAffected()
					if err != nil {
						return fmt.Errorf("rekey department %d: %w", r.id, err)
					}
					n += int(k)
				}
				return nil
			})
			if err != nil {
				return changed, err
			}
			changed += n
		}
		if read < rekeyChunk {
			return changed, nil
		}
		after = last
	}
}

// staleKeys is a department whose stored keys are not key and skey, of its
// name and short name.
type staleKeys struct {
	id                     int64
	name, short, key, skey string
}

// staleDepartments reads the next rekeyChunk departments after id after
// and answers those of them whose stored keys are stale, how many it read
// and the last one's id.
func staleDepartments(ctx context.Context, q sqldb.Querier, after int64) (stale []staleKeys, read int, last int64, err error) {
	rows, err := q.QueryContext(ctx, `SELECT id, name, short_name, name_key, short_name_key FROM departments
		WHERE id > $1 ORDER BY id LIMIT $2`, after, rekeyChunk)
	if err != nil {
		return nil, 0, 0, fmt.Errorf("rekey department names: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r staleKeys
		var key, skey string
		if err := rows.Scan(&r.id, &r.name, &r.short, &key, &skey); err != nil {
			return nil, 0, 0, fmt.Errorf("rekey department names: %w", err)
		}
		read, last = read+1, r.id
		if r.key, r.skey = text.NameKey(r.name), text.NameKey(r.short); r.key != key || r.skey != skey {
			stale = append(stale, r)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, 0, 0, fmt.Errorf("rekey department names: %w", err)
	}
	return stale, read, last, nil
}
