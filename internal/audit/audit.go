// Package audit keeps Hutong's append-only audit log: every access to a
// subject's data and every change, chained by SM3 hash so that any edit,
// deletion or reordering of rows is detected by Verify. A change's row is
// written in the change's transaction (Record, RecordAll); the rows of
// reads are committed by Group, many requests' per transaction, before
// each is answered, the console's in a transaction of their own
// (RecordReads); a refusal's in a transaction of its own after the refused
// one rolled back (RecordDenied). docs/design.md (Audit chain) says why.
//
// Chain: each row carries seq (1, 2, 3 … without gaps), the previous row's
// hash and its own hash = SM3(prev_hash ‖ canonical(row)). A one-row table,
// audit_head, holds the last seq and hash, which lets Verify notice
// deleted tail rows. A transaction keeps the rows it records and appends
// them just before it commits (pending): it locks the head, chains its
// rows after it and writes the head, which serialises concurrent
// appenders on every engine for that moment only, and gives rows their
// seqs in the order their transactions commit.
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

// actorKinds are the actor kinds, the values Filter.Check takes.
var actorKinds = []string{ActorUser, ActorApp, ActorApplicant, ActorSystem, ActorAnonymous}

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
	// Credential, when set, is what authenticated the actor's request:
	// a transaction recording a row of the actor checks it before it
	// commits (Record). The command line's actors and the platform's
	// have none.
	Credential Credential `json:"-"`
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
// with the action it records. It is kept in tx and appended as tx
// commits (pending), where a failure to append fails the commit. The
// credential of ev's actor, if any, is checked as tx commits, before
// (credentialCheck), at the time ctx's clock reads then (WithClock), or
// at now when ctx has none: the action of a request whose key or session
// ended since it was authenticated is refused, rolled back with its row.
func Record(ctx context.Context, tx *sqldb.Tx, ev Event, now time.Time) error {
	return RecordAll(ctx, tx, []Event{ev}, now)
}

// RecordDenied appends ev, a refusal, as denied (Outcome Denied) in a
// transaction of db of its own, even when ctx is done (the client gone):
// the refused action's transaction has ended, and the row would roll back
// with it (and on SQLite it needs the one writer), so ctx must not carry
// it (sqldb.WithTx).
// The actor's credential is not checked: a refusal is recorded whatever
// became of it.
func RecordDenied(ctx context.Context, db *sqldb.DB, ev Event, now time.Time) error {
	ev.Outcome = Denied
	ev.Actor.Credential = nil
	ctx = context.WithoutCancel(ctx)
	return db.Tx(ctx, func(tx *sqldb.Tx) error { return Record(ctx, tx, ev, now) })
}

// RecordAll appends evs, in order, as Record does.
func RecordAll(ctx context.Context, tx *sqldb.Tx, evs []Event, now time.Time) error {
	if err := refuseCrossSite(evs); err != nil {
		return err
	}
	checkCredentials(ctx, tx, evs, now)
	appendAt(tx, evs, now)
	return nil
}

// appendAt appends evs, in order, at now (appendAll).
func appendAt(tx *sqldb.Tx, evs []Event, now time.Time) {
	if len(evs) == 0 {
		return
	}
	ats := make([]time.Time, len(evs))
	for i := range ats {
		ats[i] = now
	}
	appendAll(tx, evs, ats)
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

// insertRows is how many rows one INSERT of the flush carries at most
// (17 parameters each, far below both engines' limits).
const insertRows = 256

// appendAll keeps evs, the i-th at ats[i], in order, as rows of tx to
// append to the log before it commits (pending), made as they are stored:
// the chain's place of a row, its seq and hash, is only known then.
func appendAll(tx *sqldb.Tx, evs []Event, ats []time.Time) {
	p, _ := tx.Deferred(pendingKey{}).(pending)
	p.rows = slices.Grow(p.rows, len(evs))
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
		ev.Subjects = ev.otherSubjects()
		if len(ev.Subjects) > 0 {
			ev.Detail = withDetail(ev.Detail, "other_subjects", strings.Join(ev.Subjects, ","))
		}
		p.rows = append(p.rows, pendingRow{ev: ev, at: ats[i].UTC().Truncate(time.Microsecond)})
	}
	tx.SetDeferred(pendingKey{}, p)
}

// pendingKey keys a transaction's pending rows (sqldb.Tx.Deferred).
type pendingKey struct{}

// pending are the audit rows a transaction recorded and has yet to
// append, in order. They are appended in one go, before it commits
// (Flush), so that the transaction locks the log's head, for which every
// other appender waits, for its commit's last moment only. Until
// 2026-12-05 a transaction appended its rows as it recorded them, its
// first locking the head until it committed, and a catalog import
// recording a row per entry kept every audited read of every server
// waiting for as long as it ran (21 s for a large workbook). Rows commit
// in the order their transactions commit, seq with them.
//
// pending is a value (sqldb.Deferred): a savepoint keeps the one of its
// time, and rolling back to it drops the rows recorded since. rows only
// grows by append, so that the values a transaction's savepoints keep are
// prefixes of its current one, sharing its array, not copies: a value
// that is appended to after a rollback to a savepoint overwrites only
// rows no savepoint still standing holds.
type pending struct {
	rows []pendingRow
}

// pendingRow is a row to append: its event as stored (defaults filled in,
// texts storable, its other subjects, in Subjects, named in its detail)
// and its time, which is the event's, not the append's.
type pendingRow struct {
	ev Event
	at time.Time
}

// FlushesLast has the rows appended after the transaction's other
// deferred rows (sqldb.Final): the head is the last lock it takes.
func (pending) FlushesLast() {}

// Flush appends the rows to the log: it locks the head and reads it,
// chains the rows after it, inserts them insertRows to a statement, with
// their other subjects (audit_subjects), and writes the head once.
func (p pending) Flush(ctx context.Context, tx *sqldb.Tx) error {
	if len(p.rows) == 0 {
		return nil
	}
	lock := `SELECT seq, hash FROM audit_head WHERE id = 1`
	if tx.Dialect == sqldb.Postgres {
		lock += ` FOR UPDATE` // SQLite's transaction holds the one writer
	}
	var seq int64
	var prev string
	if err := tx.QueryRowContext(ctx, lock).Scan(&seq, &prev); err != nil {
		return unavailable(fmt.Errorf("audit: lock head: %w", err))
	}
	const cols = 17
	vals := make([]any, 0, min(len(p.rows), insertRows)*cols)
	var subjects []any // audit_subjects' rows: subject_id, seq
	for i, r := range p.rows {
		seq++
		ev := r.ev
		e := Entry{Seq: seq, At: r.at, Event: ev, PrevHash: prev}
		e.Hash = e.computeHash()
		var dept any
		if ev.Actor.DepartmentID != 0 {
			dept = ev.Actor.DepartmentID
		}
		vals = append(vals, e.Seq, e.At, ev.Actor.Kind, ev.Actor.ID, ev.Actor.Name, dept, ev.Action, ev.ObjectType,
			ev.ObjectID, ev.SubjectID, ev.Fields, ev.Purpose, ev.Outcome, ev.Detail, ev.Actor.RemoteAddr, e.PrevHash, e.Hash)
		prev = e.Hash
		for _, o := range ev.Subjects {
			subjects = append(subjects, o, e.Seq)
		}
		if n := len(vals) / cols; n == insertRows || i == len(p.rows)-1 {
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
	if _, err := tx.ExecContext(ctx, `UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1`, seq, prev); err != nil {
		return unavailable(fmt.Errorf("audit: update head: %w", err))
	}
	return nil
}

// unavailable marks a failure to write the audit log. The action it would
// have recorded fails with it (fail closed): nothing is done, and no data is
// served, without its audit row. Callers answer 503: database_unavailable
// (数据库繁忙) when the write ran out of time — it waited for the log's
// head, which another transaction held (one appending its rows as it
// commits, another server's round, a session's lock), or for SQLite's one
// writer (which a long import holds) — as a record push that cannot commit
// in time answers; audit_unavailable when the log refused the write (a
// full disk, a database gone read-only). A write whose request was
// cancelled (its client gone) failed for the request, not for the log:
// its error is returned as it is.
func unavailable(err error) error {
	if errors.Is(err, context.Canceled) && !sqldb.IsWaitTimeout(err) {
		return err
	}
	if errors.Is(err, context.DeadlineExceeded) || sqldb.IsWaitTimeout(err) {
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
