package records

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/sqldb"
)

// rekeyChunk is how many entries (record_item_keys) or discrepancies
// RekeyItems reads at a time.
var rekeyChunk = 500

// RekeyResult is what RekeyItems rewrote.
type RekeyResult struct {
	Entries       int // entries whose item keys (record_item_keys) it rewrote
	Discrepancies int // discrepancies whose item key it rewrote, those merged included
	Merged        int // discrepancies closed as merged into an older one of the same fact
}

// Changed reports whether RekeyItems rewrote anything.
func (r RekeyResult) Changed() bool { return r.Entries > 0 || r.Discrepancies > 0 }

// mergedReason is the reason, in its audit row, of a discrepancy closed as
// merged into an older one of the same fact by RekeyItems.
const mergedReason = "merged_same_fact"

// RekeyItems rewrites the item keys the cross-check stores that are not
// catalog.ItemKey of their item's name: those of record_item_keys (the
// entries a sweep pairs, a batch's peers) and those of
// record_discrepancies. Keys stored before ItemKey folded names with
// text.Fold kept zero-width characters and compatibility forms
// (出生<U+200B>日期): the cross-check, which compares items by their
// current keys, no longer found such a discrepancy (a sweep closed it as
// item_not_shared and opened it again under the new key), nor the catalog's
// one source of its item (catalog.RekeyItems rewrote those), and two
// entries whose items had one old key no longer paired until their next
// batch. It runs right after catalog.RekeyItems, by the server at start
// (server.Maintain) and by hutong migrate.
//
// rekeyChunk entries, then rekeyChunk discrepancies, are read at a time
// by id, outside any transaction (db.Read), and only a chunk where some are
// to be rewritten takes a write transaction: on SQLite it holds the one
// writer, which a pass reading every key took chunk after chunk even when
// nothing was stale. In it those are read again, after the counters of
// their entries (record_entry_stats, which a batch and a sweep of the
// entries hold) and the discrepancies to rewrite are locked, in id order,
// on PostgreSQL; only those still stale are rewritten. A key an entry already has for another of its items is dropped
// rather than rewritten, as syncItemKeys keeps one row per key. A
// discrepancy whose items' names now have two keys is left as it is: its
// entries no longer compare it, and a sweep closes it (item_not_shared).
//
// Two discrepancies not closed of one fact (the two entries, the subject,
// the new key), which the partial unique index allows only once — one
// opened under the new key by a comparison since the upgrade, or two items
// of an entry whose names now look alike — are merged: the older (lower
// id) is kept and takes the key, and is given what the other had that it
// lacks (carryOver): the later decision of the two (or the only one), the
// later deadline, each side's later feedback with its dispute, and a copy
// of the other's feedback history; the other is closed (resolved, as a
// sweep closes one, a resolution it had kept with the note added), its
// note naming the one kept, with an audit row by by
// (records.discrepancy.resolve, reason merged_same_fact), and logged to
// log (if not nil); its feedback history stays its own. The values of the
// one kept are brought up to date by the next comparison of the subject (a
// batch of either entry, or a sweep). A second run changes nothing.
func RekeyItems(ctx context.Context, db *sqldb.DB, by audit.Actor, now time.Time, log *slog.Logger) (RekeyResult, error) {
	var res RekeyResult
	now = now.UTC().Truncate(time.Microsecond)
	var after int64
	for {
		read, last, stale, err := staleEntryChunk(ctx, db.Read(), after)
		if err != nil {
			return res, err
		}
		if len(stale) > 0 {
			n := 0
			if err := db.Tx(ctx, func(tx *sqldb.Tx) error {
				var err error
				n, err = rekeyEntries(ctx, tx, stale)
				return err
			}); err != nil {
				return res, err
			}
			res.Entries += n
		}
		if read < rekeyChunk {
			break
		}
		after = last
	}
	after = 0
	for {
		rows, err := db.Read().QueryContext(ctx, `SELECT `+discrepancyKeyCols+` FROM record_discrepancies WHERE id > $1
			ORDER BY id LIMIT `+strconv.Itoa(rekeyChunk), after)
		if err != nil {
			return res, fmt.Errorf("rekey discrepancies: %w", err)
		}
		read, last, stale, err := staleDiscrepancies(rows)
		if err != nil {
			return res, err
		}
		var (
			n      int
			merged []mergedDiscrepancy
		)
		if len(stale) > 0 {
			if err := db.Tx(ctx, func(tx *sqldb.Tx) error {
				var err error
				n, merged, err = rekeyDiscrepancies(ctx, tx, stale, by, now)
				return err
			}); err != nil {
				return res, err
			}
		}
		res.Discrepancies += n
		res.Merged += len(merged)
		if log != nil {
			for _, m := range merged {
				log.Info("closed a discrepancy as merged into an older one of the same fact, whose item names look alike",
					"discrepancy", m.closed, "kept", m.kept, "item_key", m.key)
			}
		}
		if read < rekeyChunk {
			return res, nil
		}
		after = last
	}
}

// staleKey is a row of record_item_keys keyed otherwise than ItemKey of its
// item's name (want).
type staleKey struct {
	entry     int64
	key, want string
}

// staleEntryChunk reads the item keys of the next rekeyChunk entries of
// record_item_keys after after. It returns how many entries it read, the
// last id read and the stale keys.
func staleEntryChunk(ctx context.Context, q sqldb.Querier, after int64) (int, int64, []staleKey, error) {
	ids, err := sqldb.IDs(ctx, q, `SELECT DISTINCT entry_id FROM record_item_keys WHERE entry_id > $1
		ORDER BY entry_id LIMIT `+strconv.Itoa(rekeyChunk), after)
	if err != nil {
		return 0, after, nil, fmt.Errorf("rekey record items: %w", err)
	}
	if len(ids) == 0 {
		return 0, after, nil, nil
	}
	last := ids[len(ids)-1]
	stale, err := staleKeys(ctx, q, `entry_id > $1 AND entry_id <= $2`, after, last)
	if err != nil {
		return 0, after, nil, err
	}
	return len(ids), last, stale, nil
}

// rekeyEntries rewrites the item keys of the entries of stale that are
// still stale, and returns how many entries it rewrote.
func rekeyEntries(ctx context.Context, tx *sqldb.Tx, stale []staleKey) (int, error) {
	// Those to rewrite, read again (locked on PostgreSQL): a batch of the
	// entry (under its counters' lock) committed since the read wrote them
	// anew.
	set := map[int64]bool{}
	for _, s := range stale {
		set[s.entry] = true
	}
	var args []any
	in := sqldb.In(tx, &args, slices.Sorted(maps.Keys(set)), 0)
	if tx.Dialect == sqldb.Postgres {
		if err := lockEntryStats(ctx, tx, in, args); err != nil {
			return 0, err
		}
	}
	stale, err := staleKeys(ctx, tx, `entry_id IN `+in, args...)
	if err != nil {
		return 0, err
	}
	touched := map[int64]bool{}
	for _, s := range stale {
		var taken int
		if s.want != "" {
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM record_item_keys WHERE entry_id = $1 AND item_key = $2`,
				s.entry, s.want).Scan(&taken); err != nil {
				return 0, fmt.Errorf("rekey record items of entry %d: %w", s.entry, err)
			}
		}
		query := `UPDATE record_item_keys SET item_key = $3 WHERE entry_id = $1 AND item_key = $2`
		args := []any{s.entry, s.key, s.want}
		if taken > 0 || s.want == "" {
			query, args = `DELETE FROM record_item_keys WHERE entry_id = $1 AND item_key = $2`, args[:2]
		}
		if _, err := tx.ExecContext(ctx, query, args...); err != nil {
			return 0, fmt.Errorf("rekey record items of entry %d: %w", s.entry, err)
		}
		touched[s.entry] = true
	}
	return len(touched), nil
}

// staleKeys reads the rows of record_item_keys cond (on entry_id, with
// args) selects whose key is not ItemKey of their item's name.
func staleKeys(ctx context.Context, q sqldb.Querier, cond string, args ...any) ([]staleKey, error) {
	rows, err := q.QueryContext(ctx, `SELECT entry_id, item_key, item_name FROM record_item_keys WHERE `+cond+
		` ORDER BY entry_id, item_key`, args...)
	if err != nil {
		return nil, fmt.Errorf("rekey record items: %w", err)
	}
	defer rows.Close()
	var out []staleKey
	for rows.Next() {
		var s staleKey
		var name string
		if err := rows.Scan(&s.entry, &s.key, &name); err != nil {
			return nil, err
		}
		if s.want = catalog.ItemKey(name); s.want != s.key {
			out = append(out, s)
		}
	}
	return out, rows.Err()
}

// lockEntryStats locks, on PostgreSQL, the counters of the entries of the
// IN list in (with args), in entry-id order, as a batch of an entry locks
// its own and a sweep holds its pair's: their batches and sweeps wait.
func lockEntryStats(ctx context.Context, tx *sqldb.Tx, in string, args []any) error {
	if _, err := tx.ExecContext(ctx, `SELECT entry_id FROM record_entry_stats WHERE entry_id IN `+in+`
		ORDER BY entry_id FOR UPDATE`, args...); err != nil {
		return fmt.Errorf("lock entry stats: %w", err)
	}
	return nil
}

// staleDiscrepancy is a discrepancy keyed otherwise than ItemKey of its
// items' names (want, which both give).
type staleDiscrepancy struct {
	id, a, b     int64
	subject, key string
	want, status string
	itemA, itemB string
}

// mergedDiscrepancy is a discrepancy RekeyItems closed (closed) as merged
// into the older one of its fact (kept), whose key is key.
type mergedDiscrepancy struct {
	closed, kept int64
	key          string
}

// discrepancyKeyCols are the columns staleDiscrepancies reads.
const discrepancyKeyCols = `id, entry_a, entry_b, subject_id, item_key, item_a, item_b, status`

// rekeyDiscrepancies rewrites the keys of the discrepancies of stale that
// are still stale, merging those that then are one fact's. It returns how
// many it rewrote and those merged.
func rekeyDiscrepancies(ctx context.Context, tx *sqldb.Tx, stale []staleDiscrepancy, by audit.Actor, now time.Time) (int,
	[]mergedDiscrepancy, error) {
	// Those to rewrite, read again (locked on PostgreSQL, after the
	// counters of their entries): a comparison (a batch's or a sweep's,
	// which hold them) may have opened one of the same fact under the new
	// key, or closed one, since the read.
	set := map[int64]bool{}
	var ids []int64
	for _, s := range stale {
		set[s.a], set[s.b] = true, true
		ids = append(ids, s.id)
	}
	lock := ""
	if tx.Dialect == sqldb.Postgres {
		var args []any
		if err := lockEntryStats(ctx, tx, sqldb.In(tx, &args, slices.Sorted(maps.Keys(set)), 0), args); err != nil {
			return 0, nil, err
		}
		lock = " FOR UPDATE"
	}
	var args []any
	rows, err := tx.QueryContext(ctx, `SELECT `+discrepancyKeyCols+` FROM record_discrepancies WHERE id IN `+sqldb.In(tx, &args, ids, 0)+`
		ORDER BY id`+lock, args...)
	if err != nil {
		return 0, nil, fmt.Errorf("rekey discrepancies: %w", err)
	}
	if _, _, stale, err = staleDiscrepancies(rows); err != nil {
		return 0, nil, err
	}
	var (
		merged []mergedDiscrepancy
		evs    []audit.Event
	)
	for _, s := range stale {
		m, ev, err := rekeyDiscrepancy(ctx, tx, s, by, now)
		if err != nil {
			return 0, nil, err
		}
		if ev != nil {
			merged, evs = append(merged, m), append(evs, *ev)
		}
	}
	if err := audit.RecordAll(ctx, tx, evs, now); err != nil {
		return 0, nil, err
	}
	return len(stale), merged, nil
}

// staleDiscrepancies reads rows of discrepancyKeyCols and returns how many
// it read, the last id, and those keyed otherwise than ItemKey of their
// items' names where both names give one key.
func staleDiscrepancies(rows *sql.Rows) (int, int64, []staleDiscrepancy, error) {
	defer rows.Close()
	read, last := 0, int64(0)
	var out []staleDiscrepancy
	for rows.Next() {
		var s staleDiscrepancy
		if err := rows.Scan(&s.id, &s.a, &s.b, &s.subject, &s.key, &s.itemA, &s.itemB, &s.status); err != nil {
			return 0, 0, nil, err
		}
		read, last = read+1, s.id
		s.want = catalog.ItemKey(s.itemA)
		if s.want != s.key && s.want != "" && s.want == catalog.ItemKey(s.itemB) {
			out = append(out, s)
		}
	}
	return read, last, out, rows.Err()
}

// rekeyDiscrepancy gives s its key. Another discrepancy not closed of the
// same fact under that key is merged with s: the older kept, the newer
// closed, which it returns with the audit event of its closing.
func rekeyDiscrepancy(ctx context.Context, tx *sqldb.Tx, s staleDiscrepancy, by audit.Actor, now time.Time) (mergedDiscrepancy,
	*audit.Event, error) {
	var other int64
	if s.status == "open" || s.status == "awaiting_correction" {
		err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM record_discrepancies WHERE entry_a = $1 AND entry_b = $2
			AND item_key = $3 AND subject_id = $4 AND status IN ('open', 'awaiting_correction') AND id <> $5`,
			s.a, s.b, s.want, s.subject, s.id).Scan(&other)
		if err != nil {
			return mergedDiscrepancy{}, nil, fmt.Errorf("rekey discrepancy %d: %w", s.id, err)
		}
	}
	m := mergedDiscrepancy{closed: max(s.id, other), kept: min(s.id, other), key: s.want}
	note := fmt.Sprintf("与差异 %d 是同一事实（两个信息项名称外观相同，视为同一数据项），已并入该差异", m.kept)
	var kept, closed Discrepancy
	if other != 0 {
		var err error
		if kept, err = lockDiscrepancy(ctx, tx, m.kept, now); err == nil {
			closed, err = lockDiscrepancy(ctx, tx, m.closed, now)
		}
		if err != nil {
			return m, nil, fmt.Errorf("merge discrepancy %d: %w", m.closed, err)
		}
	}
	if other != 0 {
		// Closed as a sweep closes one (closePage): a resolution keeps who
		// decided it and when, the note added to it; only while not closed
		// (a comparison or a sweep may have closed the other since it was
		// read). The newer first, so that the older may take the key the
		// index allows one of.
		res, err := tx.ExecContext(ctx, `UPDATE record_discrepancies SET item_key = $2, status = 'resolved',
			resolution = CASE WHEN status = 'awaiting_correction' THEN resolution || '；' || $3 ELSE $3 END,
			resolved_by = CASE WHEN status = 'awaiting_correction' THEN resolved_by ELSE 'system' END,
			resolved_at = CASE WHEN status = 'awaiting_correction' THEN resolved_at ELSE $4 END
			WHERE id = $1 AND status IN ('open', 'awaiting_correction')`, m.closed, s.want, note, now)
		if err != nil {
			return m, nil, fmt.Errorf("merge discrepancy %d: %w", m.closed, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			other = 0
		}
	}
	if other == 0 || m.kept == s.id {
		if _, err := tx.ExecContext(ctx, `UPDATE record_discrepancies SET item_key = $2 WHERE id = $1`, s.id, s.want); err != nil {
			return m, nil, fmt.Errorf("rekey discrepancy %d: %w", s.id, err)
		}
	}
	if other == 0 {
		return mergedDiscrepancy{}, nil, nil
	}
	if err := carryOver(ctx, tx, kept, closed); err != nil {
		return m, nil, fmt.Errorf("merge discrepancy %d into %d: %w", m.closed, m.kept, err)
	}
	detail, err := json.Marshal(map[string]string{"reason": mergedReason, "note": note})
	if err != nil {
		return m, nil, err
	}
	return m, &audit.Event{Actor: by, Action: "records.discrepancy.resolve", ObjectType: "record_discrepancy",
		ObjectID: strconv.FormatInt(m.closed, 10), SubjectID: s.subject, Detail: string(detail)}, nil
}

// lockDiscrepancy reads discrepancy id, locked on PostgreSQL: a feedback
// or a resolution of it waits for the merge.
func lockDiscrepancy(ctx context.Context, tx *sqldb.Tx, id int64, now time.Time) (Discrepancy, error) {
	lock := ""
	if tx.Dialect == sqldb.Postgres {
		lock = " FOR UPDATE"
	}
	return scanDiscrepancy(tx.QueryRowContext(ctx, `SELECT `+discrepancyCols+` FROM record_discrepancies WHERE id = $1`+lock, id), 0, now)
}

// carryOver gives kept, of two discrepancies of one fact merged, the state
// closed (as read before its closing) had that it lacks, so that the merge
// loses no decision, dispute or feedback of either:
//
//   - a decision (awaiting_correction: the authoritative entry, the
//     resolution, who made it and when, whether it overrode the catalog):
//     the later of the two, the only one if one alone was decided. A
//     decision stands over an open discrepancy's dispute, as a decided one
//     can no longer be disputed;
//   - the feedback history: kept's becomes both's, in the order the
//     feedback was given, that of the rows' ids (a history lists in the
//     order its rows were added, not by given_at, which a clock stepped
//     back puts out of order); closed keeps its own;
//   - each side's latest feedback, with whether it disputes (disputed_a,
//     disputed_b): the side's last in that history, as Feedback keeps the
//     last given, so that a dispute of either stays in the operator's
//     queue unless its side since accepted, and the history ends with the
//     feedback in force;
//   - the feedback deadline: the later, the one the departments were told
//     last.
func carryOver(ctx context.Context, tx *sqldb.Tx, kept, closed Discrepancy) error {
	d := kept
	if closed.Status == "awaiting_correction" && (d.Status != "awaiting_correction" ||
		d.ResolvedAt == nil || closed.ResolvedAt != nil && closed.ResolvedAt.After(*d.ResolvedAt)) {
		d.Status, d.Authority, d.Resolution = closed.Status, closed.Authority, closed.Resolution
		d.ResolvedBy, d.ResolvedAt, d.Override = closed.ResolvedBy, closed.ResolvedAt, closed.Override
	}
	last, err := mergeFeedback(ctx, tx, kept.ID, closed.ID)
	if err != nil {
		return err
	}
	for _, fb := range last {
		at := fb.At
		switch fb.DepartmentID {
		case d.DepartmentA:
			d.FeedbackA, d.FeedbackAAt, d.DisputedA = fb.Feedback, &at, fb.Disputed
		case d.DepartmentB:
			d.FeedbackB, d.FeedbackBAt, d.DisputedB = fb.Feedback, &at, fb.Disputed
		}
	}
	d.DueAt = maxTime(d.DueAt, closed.DueAt)
	var auth any
	if d.Authority != 0 {
		auth = d.Authority
	}
	_, err = tx.ExecContext(ctx, `UPDATE record_discrepancies SET status = $2, authoritative_entry_id = $3,
		resolution = $4, resolved_by = $5, resolved_at = $6, feedback_a = $7, feedback_a_at = $8, disputed_a = $9,
		feedback_b = $10, feedback_b_at = $11, disputed_b = $12, due_at = $13, operator_override = $14 WHERE id = $1`, d.ID,
		d.Status, auth, d.Resolution, d.ResolvedBy, d.ResolvedAt, d.FeedbackA, d.FeedbackAAt, d.DisputedA, d.FeedbackB,
		d.FeedbackBAt, d.DisputedB, d.DueAt, d.Override)
	return err
}

// mergeFeedback makes kept's feedback history the rows of kept's and
// closed's, in the order of their ids, the order given: it adds a copy of
// each, in that order, and deletes kept's own. It returns each
// department's last row.
func mergeFeedback(ctx context.Context, tx *sqldb.Tx, kept, closed int64) (map[int64]DiscrepancyFeedback, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, department_id, feedback, disputed, given_at FROM record_discrepancy_feedback
		WHERE discrepancy_id IN ($1, $2) ORDER BY id`, kept, closed)
	if err != nil {
		return nil, fmt.Errorf("merge feedback: %w", err)
	}
	defer rows.Close()
	last := map[int64]DiscrepancyFeedback{}
	var upTo int64
	for rows.Next() {
		var fb DiscrepancyFeedback
		if err := rows.Scan(&upTo, &fb.DepartmentID, &fb.Feedback, &fb.Disputed, &fb.At); err != nil {
			return nil, err
		}
		fb.At = fb.At.UTC()
		last[fb.DepartmentID] = fb
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	if upTo == 0 {
		return last, nil
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO record_discrepancy_feedback (discrepancy_id, department_id, feedback, given_at,
		disputed) SELECT $1, department_id, feedback, given_at, disputed FROM record_discrepancy_feedback
		WHERE discrepancy_id IN ($1, $2) AND id <= $3 ORDER BY id`, kept, closed, upTo); err != nil {
		return nil, fmt.Errorf("merge feedback: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM record_discrepancy_feedback WHERE discrepancy_id = $1 AND id <= $2`,
		kept, upTo); err != nil {
		return nil, fmt.Errorf("merge feedback: %w", err)
	}
	return last, nil
}

// maxTime returns the later of a and b.
func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
