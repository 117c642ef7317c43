package records

import (
	"context"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/sqldb"
)

// CheckValue exposes checkValue to the tests, for a value of a JSON
// push or JSON Lines batch.
func CheckValue(it Item, v string) (string, error) {
	v, _, err := checkValue(&it, v, Person, isoTimes, nil)
	return v, err
}

// CheckCSVValue is CheckValue for a value of a CSV file.
func CheckCSVValue(it Item, v string) (string, error) {
	v, _, err := checkValue(&it, v, Person, excelTimes, nil)
	return v, err
}

// SetRecomputeChunk sets how many discrepancies RecomputeDueDates reads
// in one transaction, for a test.
func SetRecomputeChunk(n int) (restore func()) {
	old := recomputeChunk
	recomputeChunk = n
	return func() { recomputeChunk = old }
}

// SetMaxSavepoints lowers maxSavepoints for a test.
func SetMaxSavepoints(n int) (restore func()) {
	old := maxSavepoints
	maxSavepoints = n
	return func() { maxSavepoints = old }
}

// Queue reports whether a caller leads p's queue for the entry and pusher,
// and how many operations wait for a round.
func (p *Pushes) Queue(entryID int64, by Pusher) (leading bool, waiting int) {
	return p.rounds.Queue(pushKey{entryID, by})
}

// SetStaleScan sets how many entries StalePage reads per query.
func SetStaleScan(n int) (restore func()) {
	old := staleScan
	staleScan = n
	return func() { staleScan = old }
}

// SetPruneBatch sets how many keys a statement of PruneUnchangedKeys
// deletes.
func SetPruneBatch(n int) (restore func()) {
	old := pruneBatch
	pruneBatch = n
	return func() { pruneBatch = old }
}

// KeysSQL is the query that looks n op keys of a batch up in the
// versions on SQLite: its arguments are each subject and key, then the
// entry.
func KeysSQL(n int) string { return keysSQLite(versionKeys, n) }

// QualitySQL is the query of EntryQualityOf(ids) and its arguments.
func QualitySQL(q sqldb.Querier, ids []int64) (string, []any) {
	return qualitySQL(q, qualityQuery{entryIDs: ids})
}

// CloseUncomparedByNone is the end of a sweep that listed no pair (as one
// that began before a pair's first push): closeUncompared with nothing
// compared.
func CloseUncomparedByNone(ctx context.Context, db *sqldb.DB, by audit.Actor, now time.Time) (int, error) {
	return closeUncompared(ctx, db, map[pairItem]bool{}, by, now)
}

// SetRekeyChunk has RekeyItems read n entries or discrepancies at a time
// until the test ends.
func SetRekeyChunk(t interface{ Cleanup(func()) }, n int) {
	old := rekeyChunk
	rekeyChunk = n
	t.Cleanup(func() { rekeyChunk = old })
}

// ReadRejects reads src for e as Ingest does, returning each chunk, and
// reports the errors its pieces held (listed) and those they counted in
// all (errors), with the lines read.
func ReadRejects(src Source, e *Entry, now time.Time) (listed, errors, lines int) {
	pieces, free, stop, wait := readChunks(src, e, now, chunkSize, 3)
	defer wait()
	defer close(stop)
	for pc := range pieces {
		listed += len(pc.rejects)
		errors += len(pc.rejects) + pc.unlisted
		lines += pc.lines
		free <- pc.chunk[:0]
	}
	return listed, errors, lines
}

// StaleScanSQL is the query of a chunk of StaleByDepartment(ids) after
// the entry after, and its arguments.
func StaleScanSQL(q sqldb.Querier, ids []int64, after int64) (string, []any) {
	return staleScanSQL(q, staleFilter{departmentIDs: ids}, after)
}

// PublishedSQL is the query of the published entries without counters
// that DepartmentQuality (of all departments) adds, and its arguments.
func PublishedSQL(q sqldb.Querier) (string, []any) {
	return publishedSQL(q, qualityQuery{})
}

// AllQualitySQL is the query of the entries with counters that
// DepartmentQuality (of all departments) sums, and its arguments.
func AllQualitySQL(q sqldb.Querier) (string, []any) {
	return qualitySQL(q, qualityQuery{})
}
