package sqldbtest

import (
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/sqldb"
)

// These store keys as a release before names were compared as they look
// stored them (the name or item name as written, its invisible characters
// and all), for tests of the re-keying that hutong migrate and the
// server's upkeep run.

// StaleEntryName stores name as catalog entry id's name and its name key
// (catalog.RekeyNames rewrites the key).
func StaleEntryName(t testing.TB, db *sqldb.DB, id int64, name string) {
	t.Helper()
	Exec(t, db, `UPDATE catalog_entries SET name = $2, name_key = $2 WHERE id = $1`, id, name)
}

// StaleItemKey stores item, a person entry's item name, as catalog entry
// id's item key (catalog.RekeyItems rewrites it).
func StaleItemKey(t testing.TB, db *sqldb.DB, id int64, item string) {
	t.Helper()
	Exec(t, db, `INSERT INTO catalog_item_keys (subject_kind, item_key, entry_id, item_name)
		VALUES ('person', $2, $1, $2)`, id, item)
}

// StaleRecordItemKey stores item, a person entry's item name, as the
// records' cross-check's item key of entry id (records.RekeyItems
// rewrites it).
func StaleRecordItemKey(t testing.TB, db *sqldb.DB, id int64, item string) {
	t.Helper()
	Exec(t, db, `INSERT INTO record_item_keys (entry_id, subject_kind, item_key, item_name)
		VALUES ($1, 'person', $2, $2)`, id, item)
}

// StaleDiscrepancy stores an open discrepancy of item, keyed by its name,
// between person subject's values in entries[0] and entries[1], of
// depts[0] and depts[1], found (and due) at at (records.RekeyItems
// rewrites its key).
func StaleDiscrepancy(t testing.TB, db *sqldb.DB, item, subject string, entries, depts [2]int64, at time.Time) {
	t.Helper()
	Exec(t, db, `INSERT INTO record_discrepancies (subject_kind, item_key, subject_id, entry_a,
		entry_b, department_a, department_b, item_a, item_b, value_a, value_b, status, found_by, found_at, due_at)
		VALUES ('person', $1, $2, $3, $4, $5, $6, $1, $1, '2026-01-03', '2026-01-04', 'open', 'arrival', $7, $7)`,
		item, subject, entries[0], entries[1], depts[0], depts[1], at)
}

// StaleNextDay stores 次日更新 for 实时推送 in the 时效要求 of catalog entry
// id and of its versions, as a release before 2026-12-05 (which read 次日
// as real time) let a licence be saved with it.
func StaleNextDay(t testing.TB, db *sqldb.DB, id int64) {
	t.Helper()
	Exec(t, db, `UPDATE catalog_entry_versions SET data = REPLACE(data, '实时推送', '次日更新') WHERE entry_id = $1`, id)
	Exec(t, db, `UPDATE catalog_entries SET data = REPLACE(data, '实时推送', '次日更新') WHERE id = $1`, id)
}
