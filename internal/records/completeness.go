package records

import (
	"context"
	"fmt"

	"github.com/hutong-gov/hutong/internal/sqldb"
)

// StoreCompleteness counts again, and stores, the completeness of the
// entries published in another version since their last batch counted it
// (record_entry_stats.fill_version: every entry after migration 0023, an
// entry republished since): the values of the items of the version
// published now, as the quality reads count them (refill), which they
// would otherwise do on every read until the entry's next batch. Each
// entry is stored in a transaction of its own that holds its counters as
// a batch does, so that a batch committed meanwhile is not undone. It
// returns how many entries it stored.
func StoreCompleteness(ctx context.Context, db *sqldb.DB) (int, error) {
	rows, err := db.Read().QueryContext(ctx, `SELECT s.entry_id FROM record_entry_stats s JOIN catalog_entries c ON c.id = s.entry_id
		WHERE s.fill_version <> c.version ORDER BY s.entry_id`)
	if err != nil {
		return 0, fmt.Errorf("store completeness: %w", err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return 0, err
		}
		ids = append(ids, id)
	}
	if err := rows.Close(); err != nil {
		return 0, err
	}
	if err := rows.Err(); err != nil {
		return 0, err
	}
	stored := 0
	for _, id := range ids {
		var done bool
		err := db.Tx(ctx, func(tx *sqldb.Tx) (err error) {
			done, err = storeCompleteness(ctx, tx, id)
			return err
		})
		if err != nil {
			return stored, fmt.Errorf("store completeness of entry %d: %w", id, err)
		}
		if done {
			stored++
		}
	}
	return stored, nil
}

// storeCompleteness is StoreCompleteness for one entry, in tx; it reports
// false when the entry's completeness was counted for the version
// published now by then (a batch came first).
func storeCompleteness(ctx context.Context, tx *sqldb.Tx, id int64) (bool, error) {
	if _, err := tx.ExecContext(ctx, `UPDATE record_entry_stats SET department_id = department_id WHERE entry_id = $1`, id); err != nil {
		return false, fmt.Errorf("lock entry stats: %w", err)
	}
	var version int
	var data string
	var current bool
	if err := tx.QueryRowContext(ctx, `SELECT c.version, c.data, s.fill_version = c.version FROM record_entry_stats s
		JOIN catalog_entries c ON c.id = s.entry_id WHERE s.entry_id = $1`, id).Scan(&version, &data, &current); err != nil {
		return false, err
	}
	if current {
		return false, nil
	}
	fills, err := countFills(ctx, tx, map[int64]string{id: data})
	if err != nil {
		return false, err
	}
	_, err = tx.ExecContext(ctx, `UPDATE record_entry_stats SET filled_values = $2, item_count = $3, fill_version = $4
		WHERE entry_id = $1`, id, fills[id].filled, fills[id].items, version)
	return err == nil, err
}
