// Package audit keeps Hutong's append-only audit log: every access to a
// subject's data and every change, written in the same transaction as the
// action it records, chained by SM3 hash so that any edit, deletion or
// reordering of rows is detected by Verify.
//
// Chain: each row carries seq (1, 2, 3 … without gaps), the previous row's
// hash and its own hash = SM3(prev_hash ‖ canonical(row)). A one-row table,
// audit_head, holds the last seq and hash; a transaction's first append
// updates it first, which serialises concurrent appenders on every engine,
// and the transaction writes its last seq and hash there before it commits
// (head), which lets Verify notice deleted tail rows.
package audit

import (
	"context"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/emmansun/gmsm/sm3"

	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/text"
)

// Actor kinds.
const (
	ActorUser      = "user"      // staff account
	ActorApp       = "app"       // system using an API key
	ActorApplicant = "applicant" // citizen or company
	ActorSystem    = "system"    // the platform itself, CLI commands
	ActorAnonymous = "anonymous"
)

// Outcomes.
const (
	OK     = "ok"
	Denied = "denied"
	Failed = "failed"
)

// Actor is who did something.
type Actor struct {
	Kind         string `json:"kind"`
	ID           string `json:"id"`
	Name         string `json:"name"`
	DepartmentID int64  `json:"department_id,omitempty"` // 0 when none
	RemoteAddr   string `json:"remote_addr"`
	// CrossSite, when set, marks a request another site made in the
	// actor's name: no row naming it is written (audit.CrossSite).
	CrossSite *CrossSite `json:"-"`
}

// Event is one audit row before it is chained. The JSON names are the
// API's (GET /api/v1/audit), snake_case like the rest of it.
type Event struct {
	Actor      Actor  `json:"actor"`
	Action     string `json:"action"` // e.g. "auth.login", "app.key.create", "catalog.publish"
	ObjectType string `json:"object_type"`
	ObjectID   string `json:"object_id"`
	SubjectID  string `json:"subject_id"` // whose data, when personal or enterprise data is read
	Fields     string `json:"fields"`     // data items read, comma-separated
	Purpose    string `json:"purpose"`    // purpose or case number
	Outcome    string `json:"outcome"`    // OK, Denied, Failed; empty means OK
	Detail     string `json:"detail"`     // JSON object, empty means {}; kept as text, as it is hashed
	// Subjects are the other subjects whose data the row's read served
	// (the identifiers of other persons or legal entities in the values
	// shown, or the several subjects of a batch's warnings), each as
	// records store a subject. Written, they are named in the detail
	// (other_subjects, comma-separated), which the chain covers, and each
	// is a row of audit_subjects, so that the filter by subject (List)
	// finds the row under any of them as under SubjectID. Read back, the
	// detail holds them.
	Subjects []string `json:"-"`
}

// Items is ev's data items, each once, in the order Fields names them.
// Rows that records.DiscrepancyReads wrote before it named an item
// compared with itself once name it twice ("姓名,姓名"); the chain keeps
// them as written, and readers show it once.
func (ev Event) Items() []string {
	var out []string
	for _, f := range strings.Split(ev.Fields, ",") {
		if f = strings.TrimSpace(f); f != "" && !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	return out
}

// Entry is a stored audit row.
type Entry struct {
	Seq int64     `json:"seq"`
	At  time.Time `json:"at"`
	Event
	PrevHash string `json:"prev_hash"`
	Hash     string `json:"hash"`
}

// Record appends ev to the log inside tx: the row commits or rolls back
// with the action it records.
func Record(ctx context.Context, tx *sqldb.Tx, ev Event, now time.Time) error {
	if err := refuseCrossSite([]Event{ev}); err != nil {
		return err
	}
	return appendAll(ctx, tx, []Event{ev}, []time.Time{now})
}

// RecordDenied appends ev, a refusal, as denied (Outcome Denied) in a
// transaction of db of its own, even when ctx is done (the client gone):
// the refused action's transaction has ended, and the row would roll back
// with it (and on SQLite it needs the one writer), so ctx must not carry
// it (sqldb.WithTx).
func RecordDenied(ctx context.Context, db *sqldb.DB, ev Event, now time.Time) error {
	ev.Outcome = Denied
	ctx = context.WithoutCancel(ctx)
	return db.Tx(ctx, func(tx *sqldb.Tx) error { return Record(ctx, tx, ev, now) })
}

// RecordAll appends evs, in order, as Record does.
func RecordAll(ctx context.Context, tx *sqldb.Tx, evs []Event, now time.Time) error {
	if err := refuseCrossSite(evs); err != nil {
		return err
	}
	if len(evs) == 0 {
		return nil
	}
	ats := make([]time.Time, len(evs))
	for i := range ats {
		ats[i] = now
	}
	return appendAll(ctx, tx, evs, ats)
}

// storable makes every text of ev one both databases store: what a caller
// sent (a purpose, a subject asked for) is kept, with NUL and bytes that
// are not UTF-8 as U+FFFD, rather than fail the row, and with it every row
// of its group-commit round, on PostgreSQL.
func (ev *Event) storable() {
	for _, s := range []*string{&ev.Actor.Kind, &ev.Actor.ID, &ev.Actor.Name, &ev.Actor.RemoteAddr, &ev.Action,
		&ev.ObjectType, &ev.ObjectID, &ev.SubjectID, &ev.Fields, &ev.Purpose, &ev.Outcome, &ev.Detail} {
		*s = text.MakeStorable(*s)
	}
}

// insertRows is how many rows one INSERT of appendAll carries at most
// (17 parameters each, far below both engines' limits).
const insertRows = 256

// appendAll appends evs, the i-th at ats[i], in order, advancing the head
// once for all of them and inserting them insertRows to a statement.
func appendAll(ctx context.Context, tx *sqldb.Tx, evs []Event, ats []time.Time) error {
	var last int64
	var prev string
	if h, ok := tx.Deferred(headKey{}).(head); ok {
		// The transaction holds the head since its first rows: its last
		// row must be there still (a savepoint rolled back to takes the
		// head back with the rows, see sqldb.Deferred).
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log WHERE seq = $1 AND hash = $2`,
			h.seq, h.hash).Scan(&n); err != nil {
			return unavailable(fmt.Errorf("audit: read head: %w", err))
		}
		if n != 1 {
			return unavailable(fmt.Errorf("audit: the transaction's last row %d is gone", h.seq))
		}
		last, prev = h.seq+int64(len(evs)), h.hash
	} else if err := tx.QueryRowContext(ctx, `UPDATE audit_head SET seq = seq + $1 WHERE id = 1 RETURNING seq, hash`,
		len(evs)).Scan(&last, &prev); err != nil {
		return unavailable(fmt.Errorf("audit: advance head: %w", err))
	}
	const cols = 17
	vals := make([]any, 0, min(len(evs), insertRows)*cols)
	var subjects []any // audit_subjects' rows: subject_id, seq
	for i, ev := range evs {
		if ev.Outcome == "" {
			ev.Outcome = OK
		}
		if ev.Detail == "" {
			ev.Detail = "{}"
		}
		if ev.Actor.Kind == "" {
			ev.Actor.Kind = ActorSystem
		}
		ev.storable()
		others := ev.otherSubjects()
		if len(others) > 0 {
			ev.Detail = withDetail(ev.Detail, "other_subjects", strings.Join(others, ","))
		}
		e := Entry{Seq: last - int64(len(evs)-1-i), At: ats[i].UTC().Truncate(time.Microsecond), Event: ev, PrevHash: prev}
		e.Hash = e.computeHash()
		var dept any
		if ev.Actor.DepartmentID != 0 {
			dept = ev.Actor.DepartmentID
		}
		vals = append(vals, e.Seq, e.At, ev.Actor.Kind, ev.Actor.ID, ev.Actor.Name, dept, ev.Action, ev.ObjectType,
			ev.ObjectID, ev.SubjectID, ev.Fields, ev.Purpose, ev.Outcome, ev.Detail, ev.Actor.RemoteAddr, e.PrevHash, e.Hash)
		prev = e.Hash
		for _, o := range others {
			subjects = append(subjects, o, e.Seq)
		}
		if n := len(vals) / cols; n == insertRows || i == len(evs)-1 {
			q := tx.Dialect.Values(`INSERT INTO audit_log (seq, at, actor_kind, actor_id, actor_name, department_id, action,
				object_type, object_id, subject_id, fields, purpose, outcome, detail, remote_addr, prev_hash, hash) VALUES `, cols, n)
			if _, err := tx.ExecContext(ctx, q, vals...); err != nil {
				return unavailable(fmt.Errorf("audit: insert: %w", err))
			}
			vals = vals[:0]
		}
	}
	for len(subjects) > 0 {
		n := min(len(subjects)/2, insertRows)
		q := tx.Dialect.Values(`INSERT INTO audit_subjects (subject_id, seq) VALUES `, 2, n)
		if _, err := tx.ExecContext(ctx, q, subjects[:2*n]...); err != nil {
			return unavailable(fmt.Errorf("audit: insert subjects: %w", err))
		}
		subjects = subjects[2*n:]
	}
	tx.SetDeferred(headKey{}, head{seq: last, hash: prev})
	return nil
}

// headKey keys a transaction's head (sqldb.Tx.Deferred).
type headKey struct{}

// head is the chain's last row that a transaction appended, written to
// audit_head once, before it commits, rather than twice for every append:
// on PostgreSQL each update of the one row adds a version that every later
// append of the transaction stepped past, and a catalog import appends a
// row per entry. The first append of a transaction advances the head's seq
// (taking its lock, for which concurrent appenders wait until the commit,
// as before), the others only the rows.
type head struct {
	seq  int64
	hash string
}

// headRead has audit_head hold the head of the transaction q is, if it is
// one that appended rows, for a read of it in q.
func headRead(ctx context.Context, q sqldb.Querier) error {
	if tx, ok := q.(*sqldb.Tx); ok && tx.Deferred(headKey{}) != nil {
		return tx.FlushDeferred(ctx)
	}
	return nil
}

func (h head) Flush(ctx context.Context, tx *sqldb.Tx) error {
	if _, err := tx.ExecContext(ctx, `UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1`, h.seq, h.hash); err != nil {
		return unavailable(fmt.Errorf("audit: update head: %w", err))
	}
	return nil
}

// unavailable marks a failure to write the audit log. The action it would
// have recorded fails with it (fail closed): nothing is done, and no data is
// served, without its audit row. Callers answer 503: database_unavailable
// (数据库繁忙) when the write ran out of time — it waited for the log's
// head, which another transaction held (a long import, another server's
// round), or for SQLite's one writer — as a record push that cannot commit
// in time answers; audit_unavailable when the log refused the write (a
// full disk, a database gone read-only).
func unavailable(err error) error {
	if errors.Is(err, context.DeadlineExceeded) {
		return errs.Wrap(errs.Unavailable, "database_unavailable",
			"数据库繁忙，审计日志未能在限定时间内写入，本次操作已拒绝，请稍后重试", err)
	}
	return errs.Wrap(errs.Unavailable, "audit_unavailable",
		"审计日志暂时无法写入：为保证每次访问可追溯，本次操作已拒绝，请稍后重试", err)
}

// computeHash returns hex(SM3(prev_hash ‖ canonical form)). The canonical
// form is each field as a 4-byte big-endian length and its UTF-8 bytes, in a
// fixed order; times are RFC 3339 in UTC with microseconds.
func (e *Entry) computeHash() string {
	h := sm3.New()
	var n [4]byte
	put := func(s string) {
		binary.BigEndian.PutUint32(n[:], uint32(len(s)))
		h.Write(n[:])
		h.Write([]byte(s))
	}
	put(e.PrevHash)
	put(strconv.FormatInt(e.Seq, 10))
	put(e.At.UTC().Format("2006-01-02T15:04:05.000000Z"))
	put(e.Actor.Kind)
	put(e.Actor.ID)
	put(e.Actor.Name)
	put(strconv.FormatInt(e.Actor.DepartmentID, 10))
	put(e.Action)
	put(e.ObjectType)
	put(e.ObjectID)
	put(e.SubjectID)
	put(e.Fields)
	put(e.Purpose)
	put(e.Outcome)
	put(e.Detail)
	put(e.Actor.RemoteAddr)
	return hex.EncodeToString(h.Sum(nil))
}

// otherSubjects are ev's Subjects to record, each once, in order: not
// empty, not SubjectID, stored as every text of the row is (storable).
func (ev *Event) otherSubjects() []string {
	var out []string
	for _, s := range ev.Subjects {
		s = text.MakeStorable(s)
		if s != "" && s != ev.SubjectID && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// withDetail is detail, a JSON object ("" or "{}" for none), with the
// member key: value added last, the members before kept as written.
func withDetail(detail, key, value string) string {
	member := strings.TrimSuffix(strings.TrimPrefix(Detail(key, value), "{"), "}")
	d := strings.TrimSpace(detail)
	var m map[string]json.RawMessage
	switch {
	case d == "":
		return "{" + member + "}"
	case json.Unmarshal([]byte(d), &m) != nil || m == nil:
		// Not an object: kept whole under detail, as DetailFields shows it.
		return Detail("detail", d, key, value)
	case len(m) == 0:
		return "{" + member + "}"
	}
	return strings.TrimSuffix(d, "}") + "," + member + "}"
}

// Detail builds the JSON object of an Event's Detail from key, value pairs.
func Detail(kv ...string) string {
	m := make(map[string]string, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	b, err := json.Marshal(m)
	if err != nil {
		panic(err) // a map of strings always marshals
	}
	return string(b)
}
