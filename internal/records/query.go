package records

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hutong-gov/hutong/internal/calendar"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
)

// Record is the state of a subject's record in an entry, now or at a time.
type Record struct {
	EntryID    int64             `json:"entry_id"`
	SubjectID  string            `json:"subject_id"`
	Status     string            `json:"status"` // active, cancelled (已注销)
	Version    int               `json:"version"`
	Values     map[string]string `json:"values"`
	ProducedAt time.Time         `json:"produced_at"`
	ReceivedAt time.Time         `json:"received_at"`
	Seq        int64             `json:"seq"`
	// Disputed lists the items with a cross-check discrepancy not closed:
	// open, their values contested by another source; or awaiting the
	// correction of this entry's value, decided wrong.
	Disputed []DisputedItem `json:"disputed,omitempty"`
}

// DisputedItem says that a value is contested and by whom.
type DisputedItem struct {
	Item string `json:"item"`
	// DiscrepancyID, OtherEntryID, OtherItem and OtherValue are never
	// zero or empty (a discrepancy is between two values, neither empty)
	// but OtherValue when Withheld.
	DiscrepancyID int64  `json:"discrepancy_id,omitempty"`
	OtherEntryID  int64  `json:"other_entry_id,omitempty"`
	OtherItem     string `json:"other_item,omitempty"`
	OtherValue    string `json:"other_value,omitempty"`
	// Withheld: the reader, the entry's source department (a party to
	// the discrepancy), may not read the other entry, whose value is
	// then left out (Record.Withhold). Any other reader who may not read
	// it is not told of the dispute at all.
	Withheld bool   `json:"other_value_withheld,omitempty"`
	DueAt    string `json:"due_at"`
	// Status is the discrepancy's: open, or awaiting_correction when it was
	// resolved against this entry's value (the other value is the one
	// decided right), which the source has yet to correct.
	Status string `json:"status"`
	// AuthoritativeEntryID is the entry whose value is right: the
	// resolution's, or while open the item's source the catalog names
	// when it is one of the two entries (as Resolve decides); 0 if none.
	AuthoritativeEntryID int64 `json:"authoritative_entry_id,omitempty"`
	Authoritative        bool  `json:"authoritative"` // this entry is AuthoritativeEntryID
	AuthorityKnown       bool  `json:"authority_known"`
}

// Version is one entry of a record's history, and one event of the change feed.
type Version struct {
	EntryID      int64             `json:"entry_id"`
	Seq          int64             `json:"seq"`
	SubjectID    string            `json:"subject_id"`
	Version      int               `json:"version"`
	Op           string            `json:"op"`
	Values       map[string]string `json:"values"`
	ProducedAt   time.Time         `json:"produced_at"`
	ReceivedAt   time.Time         `json:"received_at"`
	BatchID      int64             `json:"batch_id"`
	DepartmentID int64             `json:"department_id"`
	Key          string            `json:"key"`
	Late         bool              `json:"late"`
}

// headSeq selects the seq of the latest version of the subject $2 in the
// entry $1: the record's current state; no row when there is none. GROUP BY
// keeps SQLite from answering max(seq) by walking the entry's versions
// backwards in primary key order, which reads most of a large entry for a
// record last written long ago.
const headSeq = `SELECT max(seq) FROM record_versions WHERE entry_id = $1 AND subject_id = $2 GROUP BY subject_id`

// head is a record's latest version, which is its current state.
type head struct {
	seq      int64
	version  int
	op       string
	vals     map[string]string
	produced time.Time
}

// heads returns the current records of subjects in an entry by subject;
// subjects without a record are absent.
func heads(ctx context.Context, q sqldb.Querier, d sqldb.Dialect, entryID int64, subjects []string) (map[string]head, error) {
	if len(subjects) == 0 {
		return map[string]head{}, nil
	}
	subjectOf, err := headSeqs(ctx, q, d, entryID, subjects)
	if err != nil {
		return nil, err
	}
	return versionsAt(ctx, q, d, entryID, subjectOf)
}

// renewalHeads returns the current records of an entry stored under the
// whole numbers of the permits whose lifetime numbers are ids (renewalOf:
// H1234567800 to H1234567899 for H12345678), by subject: one range of the
// subjects' index for each, not a hundred lookups. Every such number lies
// between its lifetime number and "00" and its lifetime number and "99",
// whatever the collation; others in the range are left out.
func renewalHeads(ctx context.Context, q sqldb.Querier, d sqldb.Dialect, entryID int64, ids []string) (map[string]head, error) {
	if len(ids) == 0 {
		return map[string]head{}, nil
	}
	lo, hi := make([]string, len(ids)), make([]string, len(ids))
	lifetime := make(map[string]bool, len(ids))
	for i, id := range ids {
		lo[i], hi[i], lifetime[id] = id+"00", id+"99", true
	}
	var subjects []string
	scan := func(rows *sql.Rows, err error) error {
		if err != nil {
			return fmt.Errorf("load records: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				return err
			}
			if len(s) > 2 && lifetime[s[:len(s)-2]] && renewalOf(s, s[:len(s)-2]) {
				subjects = append(subjects, s)
			}
		}
		return rows.Err()
	}
	if d == sqldb.Postgres {
		if err := scan(q.QueryContext(ctx, `SELECT DISTINCT r.subject_id FROM unnest($2::text[], $3::text[]) AS k(lo, hi)
			JOIN record_versions r ON r.entry_id = $1 AND r.subject_id BETWEEN k.lo AND k.hi`, entryID, lo, hi)); err != nil {
			return nil, err
		}
	} else {
		for i := range ids {
			if err := scan(q.QueryContext(ctx, `SELECT DISTINCT subject_id FROM record_versions WHERE entry_id = $1 AND subject_id BETWEEN $2 AND $3`,
				entryID, lo[i], hi[i])); err != nil {
				return nil, err
			}
		}
	}
	slices.Sort(subjects)
	return heads(ctx, q, d, entryID, slices.Compact(subjects))
}

// versionsAt reads the versions of an entry keyed in subjectOf, by subject.
func versionsAt(ctx context.Context, q sqldb.Querier, d sqldb.Dialect, entryID int64, subjectOf map[int64]string) (map[string]head, error) {
	out := make(map[string]head, len(subjectOf))
	if len(subjectOf) == 0 {
		return out, nil
	}
	args := []any{entryID}
	var cond string
	if d == sqldb.Postgres {
		seqs := make([]int64, 0, len(subjectOf))
		for s := range subjectOf {
			seqs = append(seqs, s)
		}
		cond, args = "seq = ANY($2::bigint[])", append(args, seqs)
	} else {
		cond = "seq IN " + sqldb.In(q, &args, slices.Collect(maps.Keys(subjectOf)), 0)
	}
	rows, err := q.QueryContext(ctx, `SELECT seq, version, op, vals, produced_at FROM record_versions WHERE entry_id = $1 AND `+cond,
		args...)
	if err != nil {
		return nil, fmt.Errorf("load records: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var h head
		var js string
		if err := rows.Scan(&h.seq, &h.version, &h.op, &js, &h.produced); err != nil {
			return nil, err
		}
		h.produced = h.produced.UTC()
		if err := json.Unmarshal([]byte(js), &h.vals); err != nil {
			return nil, fmt.Errorf("version %d: %w", h.seq, err)
		}
		out[subjectOf[h.seq]] = h
	}
	return out, rows.Err()
}

// headSeqs returns the seq of the latest version of each of subjects in an
// entry that has one, keyed by seq. On PostgreSQL each subject is probed on
// its own (see findKeys); both engines read only the index.
func headSeqs(ctx context.Context, q sqldb.Querier, d sqldb.Dialect, entryID int64, subjects []string) (map[int64]string, error) {
	var rows *sql.Rows
	var err error
	if d == sqldb.Postgres {
		rows, err = q.QueryContext(ctx, `SELECT k.s, h.seq FROM unnest($2::text[]) AS k(s) CROSS JOIN LATERAL
			(SELECT max(seq) AS seq FROM record_versions WHERE entry_id = $1 AND subject_id = k.s) AS h
			WHERE h.seq IS NOT NULL`, entryID, subjects)
	} else {
		args := make([]any, 0, len(subjects)+1)
		args = append(args, entryID)
		in := sqldb.In(q, &args, subjects, 0)
		rows, err = q.QueryContext(ctx, `SELECT subject_id, max(seq) FROM record_versions
			WHERE entry_id = $1 AND subject_id IN `+in+` GROUP BY subject_id`, args...)
	}
	if err != nil {
		return nil, fmt.Errorf("load records: %w", err)
	}
	out, _, err := scanHeadSeqs(rows, len(subjects))
	return out, err
}

// scanHeadSeqs reads rows of (subject, latest seq) and closes them: the
// subjects by seq, and the subjects in row order.
func scanHeadSeqs(rows *sql.Rows, n int) (map[int64]string, []string, error) {
	defer rows.Close()
	bySeq := make(map[int64]string, n)
	subjects := make([]string, 0, n)
	for rows.Next() {
		var s string
		var seq int64
		if err := rows.Scan(&s, &seq); err != nil {
			return nil, nil, err
		}
		bySeq[seq] = s
		subjects = append(subjects, s)
	}
	return bySeq, subjects, rows.Err()
}

// status is the status of a record whose latest operation is op.
func status(op string) string {
	if op == Cancel {
		return "cancelled"
	}
	return "active"
}

// Get returns the current record of a subject, with its disputed items.
func Get(ctx context.Context, q sqldb.Querier, e *Entry, subject string) (Record, error) {
	subject, err := e.storedSubject(ctx, q, subject)
	if err != nil {
		return Record{}, err
	}
	r := Record{EntryID: e.ID, SubjectID: subject}
	var op, js string
	var disputed bool // whether to read the disputes: most records have none
	err = q.QueryRowContext(ctx, `SELECT op, version, vals, produced_at, received_at, seq,
		EXISTS (SELECT 1 FROM record_discrepancies WHERE `+disputing+`)
		FROM record_versions WHERE entry_id = $1 AND seq = (`+headSeq+`)`, e.ID, subject).
		Scan(&op, &r.Version, &js, &r.ProducedAt, &r.ReceivedAt, &r.Seq, &disputed)
	if errors.Is(err, sql.ErrNoRows) {
		return r, errs.E(errs.NotFound, "record_not_found", "记录不存在："+subject)
	}
	if err != nil {
		return r, fmt.Errorf("load record: %w", err)
	}
	r.Status = status(op)
	r.ProducedAt, r.ReceivedAt = r.ProducedAt.UTC(), r.ReceivedAt.UTC()
	if err := json.Unmarshal([]byte(js), &r.Values); err != nil {
		return r, err
	}
	e.served(r.Values)
	if disputed {
		r.Disputed, err = disputes(ctx, q, e, subject)
	}
	return r, err
}

// storedSubject returns the subject s (as given) in the form its record
// in e is stored under: its canonical form, or, where it has others
// (storedForms: a permit's number in an entry keyed by a 证件号码), the
// first holding a live record, else the first holding one, as the ingest
// applies operations (resolveForms); a permit's lifetime number alone,
// where none does, the whole number of the one record of its permits
// (Entry.renewable, renewed; subject_ambiguous for several); else the
// canonical form.
func (e *Entry) storedSubject(ctx context.Context, q sqldb.Querier, s string) (string, error) {
	id, err := e.subjectID(s)
	if err != nil {
		return id, err
	}
	forms := e.storedForms(strings.TrimSpace(s), id)
	lifetime := e.renewable(id, nil)
	if forms == nil && lifetime {
		forms = []string{id}
	}
	var cancelled string
	for _, f := range forms {
		var op string
		err := q.QueryRowContext(ctx, `SELECT op FROM record_versions WHERE entry_id = $1 AND seq = (`+headSeq+`)`, e.ID, f).Scan(&op)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			continue
		case err != nil:
			return id, fmt.Errorf("load record: %w", err)
		case op != Cancel:
			return f, nil
		case cancelled == "":
			cancelled = f
		}
	}
	if cancelled != "" {
		return cancelled, nil
	}
	if lifetime {
		d := sqldb.Postgres
		if sqldb.OnSQLite(q) {
			d = sqldb.SQLite
		}
		hs, err := renewalHeads(ctx, q, d, e.ID, []string{id})
		if err != nil {
			return id, err
		}
		if f, err := e.renewed(id, hs, false); err != nil || f != "" {
			return f, err
		}
	}
	return id, nil
}

// served leaves in vals, a record's values as stored, those of the items
// e has: every read of records serves the items of the entry's published
// version alone. A value of an item removed from the entry since (or
// renamed) stays stored in the versions that hold it, and is served
// again if an item of its name comes back.
func (e *Entry) served(vals map[string]string) {
	for name := range vals {
		if !e.has(name) {
			delete(vals, name)
		}
	}
}

// has reports whether e has an item named name (not merely one of the
// same key).
func (e *Entry) has(name string) bool {
	i, ok := e.byName[name]
	return ok && e.Items[i].Name == name
}

// disputing selects the discrepancies that mark the record of the subject
// $2 in the entry $1: open ones, and those awaiting the correction of its
// value (not those decided in its favour).
const disputing = `subject_id = $2 AND status IN ('open', 'awaiting_correction') AND (entry_a = $1 OR entry_b = $1)
	AND COALESCE(authoritative_entry_id, 0) <> $1`

func disputes(ctx context.Context, q sqldb.Querier, e *Entry, subject string) ([]DisputedItem, error) {
	rows, err := q.QueryContext(ctx, `SELECT d.id, d.entry_a, d.entry_b, d.item_a, d.item_b, d.value_a, d.value_b, d.due_at,
		d.status, COALESCE(d.authoritative_entry_id, a.entry_id) FROM record_discrepancies d `+namedSource+`
		WHERE `+disputing+` ORDER BY d.id`, e.ID, subject)
	if err != nil {
		return nil, fmt.Errorf("load disputes: %w", err)
	}
	defer rows.Close()
	var out []DisputedItem
	for rows.Next() {
		var id, ea, eb int64
		var ia, ib, va, vb, st string
		var due time.Time
		var auth sql.NullInt64
		if err := rows.Scan(&id, &ea, &eb, &ia, &ib, &va, &vb, &due, &st, &auth); err != nil {
			return nil, err
		}
		d := DisputedItem{DiscrepancyID: id, DueAt: due.UTC().Format(time.RFC3339Nano), Status: st,
			AuthoritativeEntryID: auth.Int64, AuthorityKnown: auth.Valid, Authoritative: auth.Valid && auth.Int64 == e.ID}
		if ea == e.ID {
			d.Item, d.OtherEntryID, d.OtherItem, d.OtherValue = ia, eb, ib, vb
		} else {
			d.Item, d.OtherEntryID, d.OtherItem, d.OtherValue = ib, ea, ia, va
		}
		if !e.has(d.Item) {
			continue // an item removed from the entry, not served
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// Withhold leaves out the disputes of r, a record of e, whose other
// entry the reader, of department reader, may not read — may reports
// whether it may read an entry of a department shared as a share type —
// and returns the disputed items whose other value is shown: reads of the
// other entries, for their audit rows. The source department of e is a
// party to its disputes and sees them, the other entry and item, as in
// the list of discrepancies, but the other value only where it may read
// the other entry (WithholdValues, Withheld): a not-shared entry's value
// is read by its source department only.
//
// Any other reader is not told of a dispute whose other side it may not
// read: that the subject has a record in the other entry is itself data
// of that entry (a 低保 recipient's), and a dispute said only to exist,
// its other side withheld, told it as well, since there was one only
// where the subject was in an entry the reader may not read. Until
// 2026-12-05 such a dispute was served as other_value_withheld.
func (r *Record) Withhold(ctx context.Context, q sqldb.Querier, e *Entry, reader int64,
	may func(department int64, share string) error) ([]DisputedItem, error) {
	var shown, kept []DisputedItem
	refused := entriesRefused(ctx, q, may)
	for _, d := range r.Disputed {
		no, err := refused(d.OtherEntryID)
		if err != nil {
			return nil, err
		}
		switch {
		case !no:
			shown = append(shown, d)
			kept = append(kept, d)
		case reader == e.DepartmentID:
			d.OtherValue, d.Withheld = "", true // a party: the discrepancy is its own
			kept = append(kept, d)
		}
	}
	r.Disputed = kept
	return shown, nil
}

// entriesRefused returns a check of whether the reader that may describes
// may not read an entry's data (may refuses its department and share type,
// or the entry is gone or no longer published), each entry loaded once.
func entriesRefused(ctx context.Context, q sqldb.Querier, may func(department int64, share string) error) func(entry int64) (bool, error) {
	refused := map[int64]bool{}
	return func(entry int64) (bool, error) {
		if no, ok := refused[entry]; ok {
			return no, nil
		}
		e, err := LoadEntry(ctx, q, entry)
		switch {
		case err == nil:
			refused[entry] = may(e.DepartmentID, e.ShareType) != nil
		case errs.Is(err, errs.NotFound), errs.Is(err, errs.Conflict):
			refused[entry] = true // gone, or no longer published
		default:
			return false, err
		}
		return refused[entry], nil
	}
}

// At returns the record of a subject as the platform held it at time t:
// the last version received at or before t. (Of the versions received by
// t, the last applied: a batch received earlier may have waited for the
// entry's lock and applied later.)
func At(ctx context.Context, q sqldb.Querier, e *Entry, subject string, t time.Time) (Record, error) {
	vs, err := History(ctx, q, e, subject)
	if err != nil {
		return Record{}, err
	}
	for i := len(vs) - 1; i >= 0; i-- {
		if v := vs[i]; !v.ReceivedAt.After(t) {
			return Record{EntryID: e.ID, SubjectID: v.SubjectID, Status: status(v.Op), Version: v.Version, Values: v.Values,
				ProducedAt: v.ProducedAt, ReceivedAt: v.ReceivedAt, Seq: v.Seq}, nil
		}
	}
	return Record{}, errs.E(errs.NotFound, "record_not_found", "该时间点记录不存在："+vs[0].SubjectID)
}

// History returns every version of a subject's record, oldest first. The
// versions are found on the index (entry, subject, op key), which holds
// their seq, then read by primary key: asked for the subject's rows in seq
// order directly, SQLite without statistics walks the whole entry in
// primary-key order instead.
func History(ctx context.Context, q sqldb.Querier, e *Entry, subject string) ([]Version, error) {
	subject, err := e.storedSubject(ctx, q, subject)
	if err != nil {
		return nil, err
	}
	vs, err := versions(ctx, q, e, `WHERE entry_id = $1 AND seq IN (SELECT seq FROM record_versions
		WHERE entry_id = $1 AND subject_id = $2) ORDER BY seq`, e.ID, subject)
	if err != nil {
		return nil, err
	}
	if len(vs) == 0 {
		return nil, errs.E(errs.NotFound, "record_not_found", "记录不存在："+subject)
	}
	return vs, nil
}

// Page asks for one page of a list in keyset order: the items after the
// cursor After (0: from the first), at most Limit (0: MaxPage; more is
// served as MaxPage).
type Page struct {
	After int64
	Limit int
}

// MaxPage is the most items a page of quality scores, stale entries or a
// record's history holds, and the default.
const MaxPage = 1000

func (p Page) size() int {
	if p.Limit <= 0 || p.Limit > MaxPage {
		return MaxPage
	}
	return p.Limit
}

// HistoryPage returns a page of the versions of a subject's record, oldest
// first, after the version whose Seq is pg.After, and the cursor of the
// next page (0 when this is the last). A subject without a record is
// record_not_found, whatever the cursor.
func HistoryPage(ctx context.Context, q sqldb.Querier, e *Entry, subject string, pg Page) ([]Version, int64, error) {
	subject, err := e.storedSubject(ctx, q, subject)
	if err != nil {
		return nil, 0, err
	}
	n := pg.size()
	vs, err := versions(ctx, q, e, `WHERE entry_id = $1 AND seq IN (SELECT seq FROM record_versions
		WHERE entry_id = $1 AND subject_id = $2 AND seq > $3) ORDER BY seq LIMIT `+strconv.Itoa(n+1), e.ID, subject, pg.After)
	if err != nil {
		return nil, 0, err
	}
	if len(vs) == 0 {
		var seq int64
		err := q.QueryRowContext(ctx, headSeq, e.ID, subject).Scan(&seq)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, 0, errs.E(errs.NotFound, "record_not_found", "记录不存在："+subject)
		}
		return vs, 0, err
	}
	vs, next := pageOf(vs, n, func(v Version) int64 { return v.Seq })
	return vs, next, nil
}

// Subject returns s as a subject identifier of e in canonical form, or
// the reason it is none.
func (e *Entry) Subject(s string) (string, error) { return e.subjectID(s) }

// Changes returns the change feed of an entry: the operations applied
// after cursor seq, in order, at most limit (default 100, at most 1000),
// and the cursor of the next page: the Seq of the last one returned while
// more follow, else 0.
func Changes(ctx context.Context, q sqldb.Querier, e *Entry, after int64, limit int) ([]Version, int64, error) {
	if limit <= 0 {
		limit = 100
	}
	limit = min(limit, 1000)
	vs, err := versions(ctx, q, e, `WHERE entry_id = $1 AND seq > $2 ORDER BY seq LIMIT `+strconv.Itoa(limit+1), e.ID, after)
	if err != nil {
		return nil, 0, err
	}
	vs, next := pageOf(vs, limit, func(v Version) int64 { return v.Seq })
	return vs, next, nil
}

// pageOf cuts items, read one past a page of size, to the page, and
// returns with it the cursor of the next page: the key of its last item
// when that one more was read, else 0 (the last page).
func pageOf[T any](items []T, size int, key func(T) int64) ([]T, int64) {
	if len(items) <= size {
		return items, 0
	}
	items = items[:size]
	return items, key(items[size-1])
}

// versions reads the versions of e that where selects, with the values
// e serves (Entry.served).
func versions(ctx context.Context, q sqldb.Querier, e *Entry, where string, args ...any) ([]Version, error) {
	rows, err := q.QueryContext(ctx, `SELECT entry_id, seq, subject_id, version, op, vals, produced_at, received_at,
		batch_id, department_id, op_key, late FROM record_versions `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("load versions: %w", err)
	}
	defer rows.Close()
	out := []Version{}
	for rows.Next() {
		var v Version
		var js string
		if err := rows.Scan(&v.EntryID, &v.Seq, &v.SubjectID, &v.Version, &v.Op, &js, &v.ProducedAt, &v.ReceivedAt,
			&v.BatchID, &v.DepartmentID, &v.Key, &v.Late); err != nil {
			return nil, err
		}
		v.ProducedAt, v.ReceivedAt = v.ProducedAt.UTC(), v.ReceivedAt.UTC()
		if err := json.Unmarshal([]byte(js), &v.Values); err != nil {
			return nil, err
		}
		e.served(v.Values)
		out = append(out, v)
	}
	return out, rows.Err()
}

// Quality is the quality of an entry's data, or of all a department's
// entries together. Scores are between 0 and 1; a score without data is 1.
type Quality struct {
	EntryID            int64      `json:"entry_id,omitempty"`
	EntryCode          string     `json:"entry_code,omitempty"`
	EntryName          string     `json:"entry_name,omitempty"`
	DepartmentID       int64      `json:"department_id"`
	Entries            int        `json:"entries,omitempty"` // for departments
	Ops                int64      `json:"ops"`
	LateOps            int64      `json:"late_ops"`
	CheckedLines       int64      `json:"checked_lines"`
	RejectedLines      int64      `json:"rejected_lines"`
	MismatchedLines    int64      `json:"mismatched_lines"` // accepted, contradicting their subject's citizen ID
	LiveRecords        int64      `json:"live_records"`
	OpenDiscrepancies  int64      `json:"open_discrepancies"`
	AwaitingCorrection int64      `json:"awaiting_correction"` // resolved against its values, not corrected yet
	DisputedRecords    int64      `json:"disputed_records"`    // live records with an open or awaiting one, each once
	StaleEntries       int        `json:"stale_entries"`
	ScheduledEntries   int        `json:"scheduled_entries"`              // entries whose staleness is judged (staleSince); Freshness is over them
	PublishedEntries   int        `json:"published_entries,omitempty"`    // for departments
	EntriesWithoutData int        `json:"entries_without_data,omitempty"` // published, never received data: not in Entries
	LastReceivedAt     *time.Time `json:"last_received_at,omitempty"`
	Completeness       float64    `json:"completeness"` // filled item values / (live records × items)
	Validity           float64    `json:"validity"`     // lines neither refused nor mismatched / lines checked
	Timeliness         float64    `json:"timeliness"`   // operations on time / operations
	Freshness          float64    `json:"freshness"`    // entries not stale / entries with a schedule
	Consistency        float64    `json:"consistency"`  // 1 − disputed records / live records
	Coverage           float64    `json:"coverage"`     // published entries with data / published entries
	filled, expected   int64
	published, silent  int // published entries, those without data
}

// ratio is num / den between 0 and 1, rounded to 4 decimals, 1 when den
// is 0. A ratio below 1 is never shown as 1, nor one above 0 as 0
// (roundScore): rounded up to 1 (one rejected line of 20,000 is 0.99995),
// it is 0.9999, and rounded down to 0 (one of 30,000), 0.0001, so that a
// score of 1 always means nothing missed, refused, late, stale, disputed
// or silent, and a score of 0 nothing received, accepted, on time, fresh,
// undisputed or fed.
func ratio(num, den int64) float64 {
	if den <= 0 || num >= den {
		return 1
	}
	if num <= 0 {
		return 0
	}
	return roundScore(float64(num)/float64(den), 10000) / 10000
}

func (qa *Quality) score() {
	qa.Completeness = ratio(qa.filled, qa.expected)
	qa.Validity = ratio(qa.CheckedLines-qa.RejectedLines-qa.MismatchedLines, qa.CheckedLines)
	qa.Timeliness = ratio(qa.Ops-qa.LateOps, qa.Ops)
	qa.Freshness = ratio(int64(qa.ScheduledEntries-qa.StaleEntries), int64(qa.ScheduledEntries))
	qa.Consistency = ratio(qa.LiveRecords-qa.DisputedRecords, qa.LiveRecords)
	qa.Coverage = ratio(int64(qa.published-qa.silent), int64(qa.published))
}

// EntryQuality returns the quality of every published entry that has
// received data, or of one entry (entryID != 0), or of one department's
// (departmentID != 0). A retired entry has none: it receives nothing and
// its department can act on none of its figures, so neither its past
// operations, records and discrepancies nor staleness count in the
// quality of the entries or of its department (its batches stay listed).
// The counters are kept by the ingest transactions; only the
// discrepancies are counted here, from their indexes: the open ones, which
// count against both entries, and those awaiting a correction, which count
// against the entry whose value was decided wrong (the records marked as
// disputed: an awaiting value is still a wrong value served). Consistency
// counts the records they mark, each once.
func EntryQuality(ctx context.Context, q sqldb.Querier, cal *calendar.Calendar, entryID, departmentID int64, now time.Time) ([]Quality, error) {
	return entryQuality(ctx, q, cal, qualityQuery{entryID: entryID, departmentID: departmentID}, now)
}

// EntryQualityOf returns the quality of those of the entries ids that have
// received data, in entry id order: a page of a list of entries.
func EntryQualityOf(ctx context.Context, q sqldb.Querier, cal *calendar.Calendar, ids []int64, now time.Time) ([]Quality, error) {
	if len(ids) == 0 {
		return []Quality{}, nil
	}
	return entryQuality(ctx, q, cal, qualityQuery{entryIDs: ids}, now)
}

// EntryQualityPage is a page of EntryQuality in entry id order, after the
// entry pg.After, and the cursor of the next page (0 when this is the last).
func EntryQualityPage(ctx context.Context, q sqldb.Querier, cal *calendar.Calendar, entryID, departmentID int64, pg Page,
	now time.Time) ([]Quality, int64, error) {
	n := pg.size()
	qs, err := entryQuality(ctx, q, cal, qualityQuery{entryID: entryID, departmentID: departmentID, after: pg.After, limit: n + 1}, now)
	if err != nil || len(qs) <= n {
		return qs, 0, err
	}
	return qs[:n], qs[n-1].EntryID, nil
}

// qualityQuery selects the entries of entryQuality: one entry, or those
// of entryIDs, or those of the departments departmentIDs, or one
// department's, or all; after an entry id, at most limit (0: all).
type qualityQuery struct {
	entryID, departmentID int64
	entryIDs              []int64
	departmentIDs         []int64
	after                 int64
	limit                 int
}

// against counts the discrepancies of status against the entry s.entry_id
// (those marking its records, as disputing does), on either side. The
// partial index of the discrepancies not closed holds them; its predicate
// is spelled out, or SQLite would not use it.
func against(status string) string {
	count := func(side string) string {
		return `(SELECT count(*) FROM record_discrepancies d WHERE d.status IN ('open', 'awaiting_correction')
		AND d.status = '` + status + `' AND d.` + side + ` = s.entry_id AND COALESCE(d.authoritative_entry_id, 0) <> s.entry_id)`
	}
	return count("entry_a") + " + " + count("entry_b")
}

// disputedRecords counts the records (subjects) of the entry s.entry_id
// that a discrepancy not closed counts against, as against does, each
// once however many items and other entries dispute it.
func disputedRecords() string {
	side := func(side string) string {
		return `SELECT d.subject_id FROM record_discrepancies d WHERE d.status IN ('open', 'awaiting_correction')
		AND d.` + side + ` = s.entry_id AND COALESCE(d.authoritative_entry_id, 0) <> s.entry_id`
	}
	return `(SELECT count(*) FROM (` + side("entry_a") + ` UNION ` + side("entry_b") + `) x)`
}

// qualitySQL is the query of entryQuality on q and its arguments.
func qualitySQL(q sqldb.Querier, f qualityQuery) (string, []any) {
	where, args, limit := "", []any{}, ""
	arg := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }
	if f.entryID != 0 {
		where += " AND s.entry_id = " + arg(f.entryID)
	} else if len(f.entryIDs) > 0 {
		where += " AND s.entry_id IN " + sqldb.In(q, &args, f.entryIDs, 0)
	} else if len(f.departmentIDs) > 0 {
		where += " AND s.department_id IN " + sqldb.In(q, &args, f.departmentIDs, 0)
	} else if f.departmentID != 0 {
		where += " AND s.department_id = " + arg(f.departmentID)
	}
	if f.limit > 0 {
		where += " AND s.entry_id > " + arg(f.after)
		limit = " LIMIT " + strconv.Itoa(f.limit)
	}
	return `SELECT s.entry_id, c.code, c.name, c.update_frequency, ` + frequencyOtherCol(q) + `, ` + firstPublishedCols + `, s.department_id, s.ops,
		s.late_ops, s.checked_lines, s.rejected_lines, s.mismatched_lines, s.live_records, s.filled_values, s.item_count, s.fill_version <> c.version, s.last_received_at,
		` + against("open") + `, ` + against("awaiting_correction") + `, ` + disputedRecords() + `
		FROM record_entry_stats s JOIN catalog_entries c ON c.id = s.entry_id` + firstPublished + `
		WHERE c.status = 'published'` + where + ` ORDER BY s.entry_id` + limit, args
}

func entryQuality(ctx context.Context, q sqldb.Querier, cal *calendar.Calendar, f qualityQuery, now time.Time) ([]Quality, error) {
	if cal == nil {
		cal = calendar.Default()
	}
	query, args := qualitySQL(q, f)
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("quality: %w", err)
	}
	defer rows.Close()
	out := []Quality{}
	var republished []int64 // entries published in another version since their last batch
	for rows.Next() {
		var qa Quality
		var freq, other string
		var items int64
		var republishedSince bool
		var reviewed, created, pub, last sql.NullTime
		if err := rows.Scan(&qa.EntryID, &qa.EntryCode, &qa.EntryName, &freq, &other, &reviewed, &created, &pub, &qa.DepartmentID, &qa.Ops, &qa.LateOps,
			&qa.CheckedLines, &qa.RejectedLines, &qa.MismatchedLines, &qa.LiveRecords, &qa.filled, &items, &republishedSince, &last,
			&qa.OpenDiscrepancies, &qa.AwaitingCorrection, &qa.DisputedRecords); err != nil {
			return nil, err
		}
		if republishedSince {
			republished = append(republished, qa.EntryID)
		}
		qa.expected = qa.LiveRecords * items
		qa.LastReceivedAt = ptrTime(last)
		qa.published = 1
		since := last
		if !last.Valid {
			qa.silent = 1 // refused batches alone
			since = firstPublishedAt(reviewed, created, pub)
		}
		if since.Valid {
			qa.ScheduledEntries, qa.StaleEntries = judge(cal, freq, other, since.Time, last.Valid, now)
		}
		out = append(out, qa)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	if err := refill(ctx, q, out, republished); err != nil {
		return nil, err
	}
	for i := range out {
		out[i].score()
	}
	return out, nil
}

// judge returns whether an entry is scheduled (its update frequency, or
// its 具体更新周期 other, sets one) and whether it is stale, as 1 or 0, as
// staleSince decides.
func judge(cal *calendar.Calendar, freq, other string, since time.Time, received bool, now time.Time) (scheduled, stale int) {
	st, ok := staleSince(cal, freq, other, since, received, now)
	switch {
	case !ok:
		return 0, 0
	case st:
		return 1, 1
	}
	return 1, 0
}

// refill counts again the completeness of the entries ids among qs, which
// were published in another version since their last batch counted it:
// the values of the items of the version published now (Entry.served).
func refill(ctx context.Context, q sqldb.Querier, qs []Quality, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	var args []any
	in := sqldb.In(q, &args, ids, 0)
	rows, err := q.QueryContext(ctx, `SELECT id, data FROM catalog_entries WHERE id IN `+in, args...)
	if err != nil {
		return fmt.Errorf("quality: entries published since: %w", err)
	}
	defer rows.Close()
	data := make(map[int64]string, len(ids))
	for rows.Next() {
		var id int64
		var d string
		if err := rows.Scan(&id, &d); err != nil {
			return err
		}
		data[id] = d
	}
	if err := rows.Err(); err != nil {
		return err
	}
	rows.Close()
	fills, err := countFills(ctx, q, data)
	if err != nil {
		return err
	}
	for i := range qs {
		if f, ok := fills[qs[i].EntryID]; ok {
			qs[i].filled, qs[i].expected = f.filled, qs[i].LiveRecords*int64(f.items)
		}
	}
	return nil
}

// entryFill is an entry's completeness in a version of its catalog entry: the
// values of the version's value items that its live records hold, and how
// many value items the version has.
type entryFill struct {
	filled int64
	items  int
}

// countFills counts the completeness of entries in the versions whose
// catalog data is given, by entry id: each decoded, then its values
// summed (filledValues). The quality reads (refill) and StoreCompleteness
// count it so.
func countFills(ctx context.Context, q sqldb.Querier, data map[int64]string) (map[int64]entryFill, error) {
	items := make(map[int64][]Item, len(data))
	out := make(map[int64]entryFill, len(data))
	for id, d := range data {
		e := Entry{ID: id}
		if err := e.decode(d); err != nil {
			return nil, err
		}
		items[id], out[id] = e.Items, entryFill{items: e.valueItems()}
	}
	filled, err := filledValues(ctx, q, items)
	if err != nil {
		return nil, err
	}
	for id, n := range filled {
		f := out[id]
		f.filled = n
		out[id] = f
	}
	return out, nil
}

// filledValues sums, for each entry of items (its data items by its id),
// the values of its value items that its live records hold
// (record_item_values): the numerator of its completeness.
func filledValues(ctx context.Context, q sqldb.Querier, items map[int64][]Item) (map[int64]int64, error) {
	out := make(map[int64]int64, len(items))
	if len(items) == 0 {
		return out, nil
	}
	var args []any
	in := sqldb.In(q, &args, slices.Collect(maps.Keys(items)), 0)
	rows, err := q.QueryContext(ctx, `SELECT entry_id, item_name, filled FROM record_item_values WHERE entry_id IN `+in, args...)
	if err != nil {
		return nil, fmt.Errorf("item values: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, n int64
		var name string
		if err := rows.Scan(&id, &name, &n); err != nil {
			return nil, err
		}
		for _, it := range items[id] {
			if it.Name == name && !it.IdentifiesSubject {
				out[id] += n
				break
			}
		}
	}
	return out, rows.Err()
}

// DepartmentQuality sums the published entries' counters per providing
// department (as EntryQuality lists them), in department id order.
func DepartmentQuality(ctx context.Context, q sqldb.Querier, cal *calendar.Calendar, departmentID int64, now time.Time) ([]Quality, error) {
	return departmentQuality(ctx, q, cal, qualityQuery{departmentID: departmentID}, now)
}

// DepartmentQualityPage is a page of DepartmentQuality, after the
// department pg.After, and the cursor of the next page (0 when this is the
// last).
func DepartmentQualityPage(ctx context.Context, q sqldb.Querier, cal *calendar.Calendar, departmentID int64, pg Page,
	now time.Time) ([]Quality, int64, error) {
	n := pg.size()
	ids, err := departmentPage(ctx, q, departmentID, pg.After, n+1)
	if err != nil || len(ids) == 0 {
		return []Quality{}, 0, err
	}
	qs, err := departmentQuality(ctx, q, cal, qualityQuery{departmentIDs: ids}, now)
	if err != nil || len(qs) <= n {
		return qs, 0, err
	}
	return qs[:n], qs[n-1].DepartmentID, nil
}

// departmentPage lists the ids of up to limit departments after the
// department after, those that publish entries (one, when departmentID is
// not 0), in id order: the quality counts published entries alone, so a
// department whose entries are all retired has none to show.
func departmentPage(ctx context.Context, q sqldb.Querier, departmentID, after int64, limit int) ([]int64, error) {
	args := []any{after}
	where := " department_id > $1"
	if departmentID != 0 {
		where += " AND department_id = $2"
		args = append(args, departmentID)
	}
	ids, err := sqldb.IDs(ctx, q, `SELECT DISTINCT department_id FROM catalog_entries WHERE status = 'published' AND`+where+`
		ORDER BY department_id LIMIT `+strconv.Itoa(limit), args...)
	if err != nil {
		return nil, fmt.Errorf("quality: departments: %w", err)
	}
	return ids, nil
}

// departmentQuality sums the quality of the entries of the departments f
// selects (departmentIDs, departmentID or all) per department, with their
// published entries that never received data (publishedEntries).
func departmentQuality(ctx context.Context, q sqldb.Querier, cal *calendar.Calendar, f qualityQuery, now time.Time) ([]Quality, error) {
	if cal == nil {
		cal = calendar.Default()
	}
	entries, err := entryQuality(ctx, q, cal, f, now)
	if err != nil {
		return nil, err
	}
	var out []Quality
	idx := map[int64]int{}
	dept := func(id int64) *Quality {
		i, ok := idx[id]
		if !ok {
			i = len(out)
			idx[id] = i
			out = append(out, Quality{DepartmentID: id})
		}
		return &out[i]
	}
	for _, e := range entries {
		d := dept(e.DepartmentID)
		d.Entries++
		d.Ops += e.Ops
		d.LateOps += e.LateOps
		d.CheckedLines += e.CheckedLines
		d.RejectedLines += e.RejectedLines
		d.MismatchedLines += e.MismatchedLines
		d.LiveRecords += e.LiveRecords
		d.OpenDiscrepancies += e.OpenDiscrepancies
		d.AwaitingCorrection += e.AwaitingCorrection
		d.DisputedRecords += e.DisputedRecords
		d.StaleEntries += e.StaleEntries
		d.ScheduledEntries += e.ScheduledEntries
		d.filled += e.filled
		d.expected += e.expected
		d.published += e.published
		d.silent += e.silent
		if e.LastReceivedAt != nil && (d.LastReceivedAt == nil || e.LastReceivedAt.After(*d.LastReceivedAt)) {
			d.LastReceivedAt = e.LastReceivedAt
		}
	}
	if err := publishedEntries(ctx, q, cal, f, now, dept); err != nil {
		return nil, err
	}
	for i := range out {
		out[i].PublishedEntries, out[i].EntriesWithoutData = out[i].published, out[i].silent
		out[i].score()
	}
	if out == nil {
		out = []Quality{}
	}
	slices.SortFunc(out, func(a, b Quality) int { return cmp.Compare(a.DepartmentID, b.DepartmentID) })
	return out, nil
}

// publishedEntries adds to the departments f selects (dept returns one's
// sums) their published entries that never received data and have no
// counters (record_entry_stats): each counts against coverage, and
// against freshness when its update frequency sets a schedule and it is
// stale since its publication, as Stale lists it. entryQuality counted
// the entries with counters.
func publishedEntries(ctx context.Context, q sqldb.Querier, cal *calendar.Calendar, f qualityQuery, now time.Time,
	dept func(int64) *Quality) error {
	query, args := publishedSQL(q, f)
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("quality: entries without data: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var freq, other string
		var reviewed, created, pub sql.NullTime
		if err := rows.Scan(&id, &freq, &other, &reviewed, &created, &pub); err != nil {
			return err
		}
		d := dept(id)
		d.published++
		d.silent++
		if pub = firstPublishedAt(reviewed, created, pub); pub.Valid {
			scheduled, stale := judge(cal, freq, other, pub.Time, false, now)
			d.ScheduledEntries += scheduled
			d.StaleEntries += stale
		}
	}
	return rows.Err()
}

// publishedSQL is the query of publishedEntries on q and its arguments.
func publishedSQL(q sqldb.Querier, f qualityQuery) (string, []any) {
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }
	where := ""
	switch {
	case len(f.departmentIDs) > 0:
		where = " AND c.department_id IN " + sqldb.In(q, &args, f.departmentIDs, 0)
	case f.departmentID != 0:
		where = " AND c.department_id = " + arg(f.departmentID)
	}
	return `SELECT c.department_id, c.update_frequency, ` + frequencyOtherCol(q) + `, ` + firstPublishedCols + ` FROM catalog_entries c` +
		firstPublished + ` WHERE c.status = 'published'` + where + ` AND NOT EXISTS (SELECT 1 FROM record_entry_stats s WHERE s.entry_id = c.id)`, args
}

// firstPublished joins to the catalog entry c its first version ever
// published (fv: the one in force or one superseded since), whose
// approval is the entry's first publication: an entry that never received
// data is judged stale from it. catalog_entries.published_at is the
// approval of the version in force, which every revision approved moves:
// judged from it, approving an edit of the abstract cleared a stale flag
// months old. firstPublishedCols are its columns for firstPublishedAt.
//
// fv is the published version no earlier one precedes (NOT EXISTS), not
// the version equal to a correlated min(version): PostgreSQL joined the
// latter by hash, evaluating the min once per entry on each side (200,000
// subplans for the quality of 100,000 entries, seconds), where it reads
// the former as an anti join of the versions.
//
// firstPublishedAfter is firstPublished for a chunk of entries after the
// id $1 (staleScanSQL), its versions bounded by the chunk's lower end:
// without the bound, PostgreSQL merged the chunk with the versions' whole
// primary key from the first entry on, reading more of it for each chunk,
// as many rows as the entries before the chunk (quadratic in the catalog).
// A chunk reads at most staleScan entries; their first versions are
// looked up each by its min(version).
const (
	firstPublished = ` LEFT JOIN catalog_entry_versions fv ON fv.entry_id = c.id AND fv.state IN ('published', 'superseded')
		AND NOT EXISTS (SELECT 1 FROM catalog_entry_versions v WHERE v.entry_id = fv.entry_id AND v.state IN ('published', 'superseded')
		AND v.version < fv.version)`
	firstPublishedAfter = ` LEFT JOIN catalog_entry_versions fv ON fv.entry_id = c.id AND fv.entry_id > $1 AND fv.version =
		(SELECT min(v.version) FROM catalog_entry_versions v WHERE v.entry_id = c.id AND v.state IN ('published', 'superseded'))`
	firstPublishedCols = `fv.reviewed_at, fv.created_at, c.published_at`
)

// firstPublishedAt is when an entry was first published, from the columns
// firstPublishedCols: its first published version's approval, or its
// creation for a version published without a review (catalog.PublishGenerated
// writes it published), or, for an entry without versions, its
// published_at.
func firstPublishedAt(reviewed, created, published sql.NullTime) sql.NullTime {
	switch {
	case reviewed.Valid:
		return reviewed
	case created.Valid:
		return created
	}
	return published
}

// StaleEntry is a published entry that received nothing for longer than
// its update frequency allows.
type StaleEntry struct {
	EntryID         int64      `json:"entry_id"`
	Code            string     `json:"code"`
	Name            string     `json:"name"`
	DepartmentID    int64      `json:"department_id"`
	UpdateFrequency string     `json:"update_frequency"`
	FrequencyOther  string     `json:"update_frequency_other,omitempty"` // 具体更新周期 when other, judged by OtherPeriod
	LastReceivedAt  *time.Time `json:"last_received_at,omitempty"`       // nil: never received anything
	// Since is when the entry last received data, or, when it never did,
	// its first publication; the time of judging when the last receipt is
	// after it (staleSince: unknown, stamped by a clock that was ahead).
	Since time.Time `json:"since"`
}

// Stale lists the stale published entries in id order. An entry that never
// received anything counts from its first publication (firstPublished). A
// retired entry is never stale: it can receive nothing.
func Stale(ctx context.Context, q sqldb.Querier, cal *calendar.Calendar, departmentID int64, now time.Time) ([]StaleEntry, error) {
	return staleOf(ctx, q, cal, staleFilter{departmentID: departmentID}, now)
}

// staleFilter selects the published entries of a stale scan: those of
// entryIDs, or those of the departments departmentIDs, or one
// department's (departmentID), or all.
type staleFilter struct {
	departmentID            int64
	entryIDs, departmentIDs []int64
}

// staleOf lists the stale entries f selects in id order, reading them
// staleScan at a time.
func staleOf(ctx context.Context, q sqldb.Querier, cal *calendar.Calendar, f staleFilter, now time.Time) ([]StaleEntry, error) {
	if cal == nil {
		cal = calendar.Default()
	}
	out := []StaleEntry{}
	var after int64
	for {
		scanned, last, err := staleScanFrom(ctx, q, cal, f, after, now, &out)
		if err != nil {
			return nil, err
		}
		if scanned < staleScan {
			return out, nil
		}
		after = last
	}
}

// staleScan is how many entries StalePage reads per query (a variable
// for the tests).
var staleScan = 1000

// StalePage is a page of Stale, after the entry pg.After, and the cursor
// of the next page (0 when this is the last). Staleness is decided in Go
// (working days), so the entries are read in keyset order, staleScan at a
// time, until the page is full or none are left.
func StalePage(ctx context.Context, q sqldb.Querier, cal *calendar.Calendar, departmentID int64, pg Page, now time.Time) ([]StaleEntry, int64, error) {
	if cal == nil {
		cal = calendar.Default()
	}
	n := pg.size()
	out := []StaleEntry{}
	after := pg.After
	for {
		scanned, last, err := staleScanFrom(ctx, q, cal, staleFilter{departmentID: departmentID}, after, now, &out)
		if err != nil {
			return nil, 0, err
		}
		if len(out) > n {
			return out[:n], out[n-1].EntryID, nil
		}
		if scanned < staleScan {
			return out, 0, nil
		}
		after = last
	}
}

// staleScanSQL is the query of staleScanFrom on q and its arguments.
func staleScanSQL(q sqldb.Querier, f staleFilter, after int64) (string, []any) {
	where, args := " AND c.id > $1", []any{after}
	arg := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }
	switch {
	case len(f.entryIDs) > 0:
		where += " AND c.id IN " + sqldb.In(q, &args, f.entryIDs, 0)
	case len(f.departmentIDs) > 0:
		where += " AND c.department_id IN " + sqldb.In(q, &args, f.departmentIDs, 0)
	case f.departmentID != 0:
		where += " AND c.department_id = " + arg(f.departmentID)
	}
	return `SELECT c.id, c.code, c.name, c.department_id, c.update_frequency, ` + frequencyOtherCol(q) + `, ` +
		firstPublishedCols + `, s.last_received_at FROM catalog_entries c LEFT JOIN record_entry_stats s ON s.entry_id = c.id` + firstPublishedAfter + `
		WHERE c.status = 'published' AND c.update_frequency IN ('realtime', 'daily', 'weekly', 'monthly', 'quarterly', 'yearly', 'other')` +
		where + ` ORDER BY c.id LIMIT ` + strconv.Itoa(staleScan), args
}

// staleScanFrom reads up to staleScan scheduled published entries f
// selects after the entry id after, appends the stale ones to out, and
// returns how many it read and the id of the last.
func staleScanFrom(ctx context.Context, q sqldb.Querier, cal *calendar.Calendar, f staleFilter, after int64, now time.Time,
	out *[]StaleEntry) (int, int64, error) {
	query, args := staleScanSQL(q, f, after)
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return 0, 0, fmt.Errorf("stale entries: %w", err)
	}
	defer rows.Close()
	scanned, last := 0, after
	for rows.Next() {
		var s StaleEntry
		var reviewed, created, pub, lastRcv sql.NullTime
		if err := rows.Scan(&s.EntryID, &s.Code, &s.Name, &s.DepartmentID, &s.UpdateFrequency, &s.FrequencyOther, &reviewed, &created, &pub,
			&lastRcv); err != nil {
			return 0, 0, err
		}
		pub = firstPublishedAt(reviewed, created, pub)
		scanned, last = scanned+1, s.EntryID
		s.LastReceivedAt = ptrTime(lastRcv)
		switch {
		case lastRcv.Valid:
			s.Since = lastRcv.Time.UTC()
		case pub.Valid:
			s.Since = pub.Time.UTC()
		default:
			continue
		}
		if stale, _ := staleSince(cal, s.UpdateFrequency, s.FrequencyOther, s.Since, lastRcv.Valid, now); stale {
			// A last receipt in the future (stamped by a clock that was
			// ahead) leaves the last receipt unknown: the entry is stale
			// as of the time of judging, not from a time yet to come.
			if s.Since.After(now) {
				s.Since = now.UTC()
			}
			*out = append(*out, s)
		}
	}
	return scanned, last, rows.Err()
}

// BatchInfo is a batch as listed: what was pushed into which entry, by
// whom and when.
type BatchInfo struct {
	BatchID      int64     `json:"batch_id"`
	EntryID      int64     `json:"entry_id"`
	EntryCode    string    `json:"entry_code"`
	EntryName    string    `json:"entry_name"`
	DepartmentID int64     `json:"department_id"`
	Actor        string    `json:"actor"` // kind:id of the user or app that pushed it
	Key          string    `json:"key,omitempty"`
	Applied      int       `json:"applied"`
	Duplicates   int       `json:"duplicates"`
	Unchanged    int       `json:"unchanged"` // 0 for the batches stored before it was (their duplicates count them)
	Late         int       `json:"late"`
	FirstSeq     int64     `json:"first_seq,omitempty"`
	LastSeq      int64     `json:"last_seq,omitempty"`
	WarningCount int       `json:"warning_count"` // of its lines, which Batch lists
	ReceivedAt   time.Time `json:"received_at"`
}

// BatchFilter selects batches; zero fields select all.
type BatchFilter struct {
	DepartmentID int64
	EntryID      int64
	BeforeID     int64 // cursor: batches older than this one
	Limit        int   // default 50, at most 1000
}

// Batches lists applied batches newest first, with their entries' codes
// and names (whatever the entries' status now), and the cursor of the next
// page (its BeforeID): the id of the last batch listed while older ones
// follow, else 0.
func Batches(ctx context.Context, q sqldb.Querier, f BatchFilter) ([]BatchInfo, int64, error) {
	var where []string
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }
	if f.DepartmentID != 0 {
		where = append(where, "b.department_id = "+arg(f.DepartmentID))
	}
	if f.EntryID != 0 {
		where = append(where, "b.entry_id = "+arg(f.EntryID))
	}
	if f.BeforeID > 0 {
		where = append(where, "b.id < "+arg(f.BeforeID))
	}
	if f.Limit <= 0 {
		f.Limit = 50
	}
	f.Limit = min(f.Limit, 1000)
	cond := ""
	if len(where) > 0 {
		cond = "WHERE " + strings.Join(where, " AND ")
	}
	rows, err := q.QueryContext(ctx, `SELECT b.id, b.entry_id, c.code, c.name, b.department_id, b.actor, b.batch_key, b.ops,
		b.duplicates, b.unchanged, b.late, b.first_seq, b.last_seq, b.warning_count, b.received_at
		FROM record_batches b JOIN catalog_entries c ON c.id = b.entry_id `+cond+` ORDER BY b.id DESC LIMIT `+strconv.Itoa(f.Limit+1), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("list batches: %w", err)
	}
	defer rows.Close()
	out := []BatchInfo{}
	for rows.Next() {
		var b BatchInfo
		var key sql.NullString
		if err := rows.Scan(&b.BatchID, &b.EntryID, &b.EntryCode, &b.EntryName, &b.DepartmentID, &b.Actor, &key, &b.Applied, &b.Duplicates, &b.Unchanged, &b.Late,
			&b.FirstSeq, &b.LastSeq, &b.WarningCount, &b.ReceivedAt); err != nil {
			return nil, 0, err
		}
		b.Key, b.ReceivedAt = key.String, b.ReceivedAt.UTC()
		out = append(out, b)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	out, next := pageOf(out, f.Limit, func(b BatchInfo) int64 { return b.BatchID })
	return out, next, nil
}

// BatchNotFound is the answer for batch id when there is no such batch,
// or none its caller may see (another department's): 404 batch_not_found
// naming the id the caller gave, so that both read the same.
func BatchNotFound(id int64) error {
	return errs.E(errs.NotFound, "batch_not_found", fmt.Sprintf("批次 %d 不存在", id))
}

// Batch reads a batch's result by id, with its lines' warnings, and its
// department, whose batch it is: the caller answers one it may not see
// BatchNotFound, as Batch answers an id that names no batch.
func Batch(ctx context.Context, q sqldb.Querier, id int64) (BatchResult, int64, error) {
	var r BatchResult
	var dept int64
	var warnings string
	err := q.QueryRowContext(ctx, `SELECT id, entry_id, department_id, ops, duplicates, unchanged, late, first_seq, last_seq, received_at,
		warning_count, warnings, late_rule FROM record_batches WHERE id = $1`, id).Scan(&r.BatchID, &r.EntryID, &dept, &r.Applied,
		&r.Duplicates, &r.Unchanged, &r.Late, &r.FirstSeq, &r.LastSeq, &r.ReceivedAt, &r.WarningCount, &warnings, &r.LateRule)
	if errors.Is(err, sql.ErrNoRows) {
		return r, 0, BatchNotFound(id)
	}
	if err != nil {
		return r, 0, fmt.Errorf("load batch %d: %w", id, err)
	}
	if r.Warnings, err = decodeWarnings(warnings); err != nil {
		return r, 0, fmt.Errorf("batch %d: %w", id, err)
	}
	r.Lines = r.Applied + r.Duplicates + r.Unchanged
	r.ReceivedAt = r.ReceivedAt.UTC()
	return r, dept, nil
}
