package audit

import (
	"context"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
)

// Problem describes the first place where the chain does not hold.
type Problem struct {
	Seq    int64  `json:"seq"`    // the row (or expected row) where the chain breaks
	Code   string `json:"code"`   // the kind of break, one of the Break codes, for programs
	Reason string `json:"reason"` // in Chinese, for the operator
}

// The codes of Problem, one per kind of break Verify tells.
const (
	RowEdited        = "row_edited"         // a row's content (its time's stored text among it) does not match its hash
	RowMissing       = "row_missing"        // a gap in seq: the row was deleted
	PrevHashMismatch = "prev_hash_mismatch" // a row's prev_hash is not its predecessor's hash: rows deleted, replaced or reordered
	ChainTruncated   = "chain_truncated"    // rows at the end are missing: the head, or an anchor, names a later row
	HeadMismatch     = "head_mismatch"      // audit_head does not name the last row and its hash
	AnchorMismatch   = "anchor_mismatch"    // the anchor's row is there with another hash: it or rows before it were rewritten
	SubjectsMismatch = "subjects_mismatch"  // audit_subjects does not hold a row's other subjects (detail other_subjects) as its detail names them
)

// Before is the cursor of the audit list whose page starts with the
// problem's row (the console's ?before=, audit list's -before, the API's
// cursor): the rows around the break, newest first.
func (p Problem) Before() int64 { return p.Seq + 1 }

// Report is the result of Verify.
type Report struct {
	From     int64    `json:"from"`      // the row the check started after (VerifyFrom's anchor), 0 for the whole log
	Rows     int64    `json:"rows"`      // rows checked (after From)
	Head     int64    `json:"head"`      // sequence number recorded in audit_head
	HeadHash string   `json:"head_hash"` // hash recorded in audit_head
	Problem  *Problem `json:"problem"`   // nil when the chain is intact
}

// Anchor is a row of the chain as recorded outside the database: a head
// Verify reported earlier, "SEQ:HASH". The chain alone cannot tell rows
// deleted from its end, or rewritten with new hashes, when audit_head is
// rewritten with them; a chain that still holds an anchor's row with its
// hash holds every row up to it as it was.
type Anchor struct {
	Seq  int64
	Hash string
}

func (a Anchor) String() string { return strconv.FormatInt(a.Seq, 10) + ":" + a.Hash }

// ParseAnchor reads an Anchor written as SEQ:HASH.
func ParseAnchor(s string) (Anchor, error) {
	seq, hash, ok := strings.Cut(strings.TrimSpace(s), ":")
	n, err := strconv.ParseInt(seq, 10, 64)
	hash = strings.ToLower(hash)
	if b, herr := hex.DecodeString(hash); !ok || err != nil || n < 1 || herr != nil || len(b) != 32 {
		return Anchor{}, errs.Field("anchor", "invalid_anchor", "锚点应为“序号:哈希”，即此前校验所报的链头，如 504:"+strings.Repeat("0", 64))
	}
	return Anchor{Seq: n, Hash: hash}, nil
}

// VerifyFromDB is VerifyFrom of a database in use: on one snapshot, so
// that rows written while it reads are neither half seen nor taken for
// tampering.
func VerifyFromDB(ctx context.Context, db *sqldb.DB, from Anchor, anchors ...Anchor) (Report, error) {
	var r Report
	err := db.Snapshot(ctx, func(q sqldb.Querier) (err error) {
		r, err = VerifyFrom(ctx, q, from, anchors...)
		return err
	})
	return r, err
}

// fullVerify is the one verify of the whole log a process serves at a
// time (VerifyServed): it reads every row, minutes on a large log.
var fullVerify = make(chan struct{}, 1)

// HoldFullVerify takes the slot of the verify of the whole log
// VerifyServed runs, as a verify running would, until release: for the
// console's tests (internal/web) that answer a verify refused, which
// export_test.go cannot reach, and audit's own.
func HoldFullVerify() (release func()) {
	fullVerify <- struct{}{}
	return func() { <-fullVerify }
}

// ServedFullRows is the rows a verify a server serves may read before it
// counts as a whole verify (VerifyServed): a verify from an anchor that
// many rows or more before the head takes the one slot a whole verify
// takes, so that an anchor near the start of the log (its hashes are in
// the audit list) is no way round the limit. A daily check from the day
// before's head reads far fewer.
const ServedFullRows = 100_000

// servedFullRows is ServedFullRows, lowered by tests.
var servedFullRows int64 = ServedFullRows

// ErrVerifyRunning refuses a verify of the whole log while another runs
// in the same server (VerifyServed).
var ErrVerifyRunning = errs.E(errs.TooMany, "audit_verify_running",
	"另一次全链校验正在进行，请待其完成后再试；日常核对请从上次记录的链头开始校验（起点：序号:哈希），只校验此后的记录")

// VerifyServed is VerifyFromDB for a server's requests (the API's and
// the console's): a verify of the whole log (from is the zero Anchor),
// or from an anchor ServedFullRows rows or more before the head, while
// another such runs in the process is refused with ErrVerifyRunning, so
// that verifies asked again and again do not each walk the log at once.
// A verify from an anchor near the head, which reads the few rows after
// it, is not limited. The rows are counted to the head the verify reads,
// on its snapshot.
func VerifyServed(ctx context.Context, db *sqldb.DB, from Anchor, anchors ...Anchor) (Report, error) {
	var r Report
	err := db.Snapshot(ctx, func(q sqldb.Querier) error {
		head, err := readHead(ctx, q, from)
		if err != nil {
			return err
		}
		if from.Seq == 0 || head.Head-from.Seq >= servedFullRows {
			select {
			case fullVerify <- struct{}{}:
				defer func() { <-fullVerify }()
			default:
				return ErrVerifyRunning
			}
		}
		r, err = verifyAfter(ctx, q, head, from, anchors...)
		return err
	})
	return r, err
}

// Verify walks the whole log in order and reports the first row that was
// edited (its hash no longer matches its content), deleted (a gap in seq, or
// missing rows at the tail) or reordered (a row whose prev_hash does not
// match the row before it), a row of anchors that is no longer in the
// chain with its hash, and a row whose other subjects audit_subjects does
// not hold as its detail names them (subjects_mismatch, subjectsProblem).
// It streams the rows, so memory stays flat. q must see
// the log as of one moment (VerifyFromDB for a database in use). A
// transaction's own rows are not read until it commits (pending).
func Verify(ctx context.Context, q sqldb.Querier, anchors ...Anchor) (Report, error) {
	return VerifyFrom(ctx, q, Anchor{}, anchors...)
}

// VerifyFrom is Verify of the rows after from, a head reported before
// and recorded outside the database: the row from.Seq must be in the log
// with from.Hash (else the report's problem is that row, anchor_mismatch
// or row_missing, or chain_truncated past the head), and the rows after
// it are verified as Verify does, the first with from.Hash as its
// prev_hash. The anchor's row's content must hash to from.Hash too
// (else row_edited at it), as in a whole verify. A chain that holds the
// anchor's row with its hash holds every row before it as they were
// linked when the anchor was recorded: rows deleted, or rewritten with
// new hashes, before it would change its hash. The rows before it are
// not read, so one rewritten in place with its hash left is found only
// by a whole verify. A daily check from the day before's head reads the
// day's rows only.
// anchors before from are looked up by their row. The zero Anchor
// verifies the whole log.
func VerifyFrom(ctx context.Context, q sqldb.Querier, from Anchor, anchors ...Anchor) (Report, error) {
	r, err := readHead(ctx, q, from)
	if err != nil {
		return r, err
	}
	return verifyAfter(ctx, q, r, from, anchors...)
}

// readHead is the report of a verify from from before it reads a row:
// the head audit_head records.
func readHead(ctx context.Context, q sqldb.Querier, from Anchor) (Report, error) {
	r := Report{From: from.Seq}
	if err := q.QueryRowContext(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`).Scan(&r.Head, &r.HeadHash); err != nil {
		return r, fmt.Errorf("audit: read head: %w", err)
	}
	return r, nil
}

// verifyAfter is VerifyFrom once it has read the head, into r
// (readHead).
func verifyAfter(ctx context.Context, q sqldb.Querier, r Report, from Anchor, anchors ...Anchor) (Report, error) {
	var err error
	for _, a := range append([]Anchor{from}, anchors...) {
		if a.Seq > 0 && a.Seq <= from.Seq && r.Problem == nil {
			if r.Problem, err = anchorProblem(ctx, q, a, r.Head); err != nil {
				return r, err
			}
		}
	}
	if r.Problem != nil {
		return r, nil
	}
	hasSubjects, err := subjectsTable(ctx, q)
	if err != nil {
		return r, err
	}
	// The anchor's row is read too: anchorProblem found its stored hash,
	// and its content must still hash to it, as a whole verify checks.
	start := max(from.Seq-1, 0)
	rows, err := q.QueryContext(ctx, verifyRowsSQL(q, hasSubjects), start)
	if err != nil {
		return r, fmt.Errorf("audit: verify: %w", err)
	}
	defer rows.Close()
	prev, want := from.Hash, from.Seq+1
	for rows.Next() {
		var at storedAt
		var indexed sql.NullString
		e, err := scanEntryAt(withExtra{rows, &indexed}, &at)
		if err != nil {
			return r, fmt.Errorf("audit: verify: %w", err)
		}
		e.At = at.t
		if e.Seq == from.Seq {
			// Its prev_hash is not checked: the row before it is not read.
			if r.Problem = contentProblem(e, at); r.Problem == nil {
				r.Problem = subjectsProblem(e, indexed.String)
			}
			continue
		}
		r.Rows++
		if r.Problem != nil {
			continue
		}
		switch {
		case e.Seq != want:
			r.Problem = &Problem{Seq: want, Code: RowMissing, Reason: fmt.Sprintf("第 %d 条缺失（下一条为第 %d 条）：记录被删除", want, e.Seq)}
		case e.PrevHash != prev:
			r.Problem = &Problem{Seq: e.Seq, Code: PrevHashMismatch, Reason: fmt.Sprintf("第 %d 条的前序哈希与第 %d 条不符：记录被删除、替换或调换顺序", e.Seq, e.Seq-1)}
		default:
			r.Problem = contentProblem(e, at)
			for _, a := range anchors {
				if r.Problem == nil && a.Seq == e.Seq && a.Hash != e.Hash {
					r.Problem = anchorMismatch(a, false)
				}
			}
			if r.Problem == nil {
				r.Problem = subjectsProblem(e, indexed.String)
			}
		}
		prev = e.Hash
		want = e.Seq + 1
	}
	if err := rows.Err(); err != nil {
		return r, fmt.Errorf("audit: verify: %w", err)
	}
	if err := rows.Close(); err != nil {
		return r, fmt.Errorf("audit: verify: %w", err)
	}
	if r.Problem == nil && hasSubjects {
		// Rows of audit_subjects whose seq is no row of the log.
		var seq sql.NullInt64
		if err := q.QueryRowContext(ctx, straySubjectsSQL, from.Seq).Scan(&seq); err != nil {
			return r, fmt.Errorf("audit: verify subjects: %w", err)
		}
		if seq.Valid {
			r.Problem = &Problem{Seq: seq.Int64, Code: SubjectsMismatch, Reason: fmt.Sprintf(
				"主体索引（audit_subjects）记有第 %d 条，但日志中没有该条：索引被篡改，按主体查询日志时会列出不存在的记录", seq.Int64)}
		}
	}
	if r.Problem == nil {
		switch {
		case want-1 < r.Head:
			r.Problem = &Problem{Seq: want, Code: ChainTruncated, Reason: fmt.Sprintf("日志止于第 %d 条，但链头记录为第 %d 条：末尾记录被删除", want-1, r.Head)}
		case want-1 > r.Head || prev != r.HeadHash:
			r.Problem = &Problem{Seq: r.Head, Code: HeadMismatch, Reason: "链头与最后一条记录不符：日志或链头被篡改"}
		}
	}
	for _, a := range anchors {
		if r.Problem == nil && a.Seq > r.Head {
			r.Problem = anchorTruncated(r.Head, a, false)
		}
	}
	return r, nil
}

// verifyRowsSQL is VerifyFrom's query of the rows after $1, in seq order,
// each with the subjects audit_subjects holds for it (subjectsOf), which
// are checked against its detail, which the hash covers; NULL without
// hasSubjects: a database of a release before audit_subjects (a backup's
// copy, migration 0037) has none, and its rows name no other subjects.
// On SQLite at is read as stored, text, which the date filters compare,
// to be checked against the form the platform writes. The rows of
// audit_subjects after $1, here and in straySubjectsSQL, are read through
// audit_subjects_seq (0046), not the whole table (TestVerifyFromPlan).
func verifyRowsSQL(q sqldb.Querier, hasSubjects bool) string {
	cols := columns
	if sqldb.OnSQLite(q) {
		cols = strings.Replace(columns, "seq, at,", "seq, CAST(at AS TEXT),", 1)
	}
	indexedSQL := `NULL FROM audit_log l`
	if hasSubjects {
		indexedSQL = `s.subjects FROM audit_log l LEFT JOIN (` + subjectsOf(q) + `) s ON s.seq = l.seq`
	}
	return `SELECT ` + prefixed(cols) + `, ` + indexedSQL + ` WHERE l.seq > $1 ORDER BY l.seq`
}

// straySubjectsSQL is VerifyFrom's query of the first row of
// audit_subjects after $1 whose seq is no row of the log.
const straySubjectsSQL = `SELECT min(s.seq) FROM audit_subjects s
	WHERE s.seq > $1 AND NOT EXISTS (SELECT 1 FROM audit_log l WHERE l.seq = s.seq)`

// contentProblem is row_edited when e's content does not hash to its
// hash, or its time (at, as stored) is not in the form the platform
// writes; nil otherwise.
func contentProblem(e Entry, at storedAt) *Problem {
	switch {
	case !at.canonical():
		return &Problem{Seq: e.Seq, Code: RowEdited, Reason: fmt.Sprintf("第 %d 条的时间被改写为“%s”，不是平台写入的格式（%s）：记录被篡改，按时间筛选时会漏掉或错列该条",
			e.Seq, at.text, at.want())}
	case e.computeHash() != e.Hash:
		return &Problem{Seq: e.Seq, Code: RowEdited, Reason: fmt.Sprintf("第 %d 条的内容与其哈希不符：记录被篡改", e.Seq)}
	}
	return nil
}

// anchorProblem looks a's row up: nil when the log holds it with a's
// hash, else the problem, as Verify would report it on its way past (the
// reason says the anchor may be miscopied too).
func anchorProblem(ctx context.Context, q sqldb.Querier, a Anchor, head int64) (*Problem, error) {
	var hash string
	err := q.QueryRowContext(ctx, `SELECT hash FROM audit_log WHERE seq = $1`, a.Seq).Scan(&hash)
	switch {
	case errors.Is(err, sql.ErrNoRows) && a.Seq > head:
		return anchorTruncated(head, a, true), nil
	case errors.Is(err, sql.ErrNoRows):
		return &Problem{Seq: a.Seq, Code: RowMissing, Reason: fmt.Sprintf("锚点 %s 所记的第 %d 条缺失：记录被删除", a, a.Seq)}, nil
	case err != nil:
		return nil, fmt.Errorf("audit: verify anchor: %w", err)
	case hash != a.Hash:
		return anchorMismatch(a, true), nil
	}
	return nil, nil
}

// anchorMismatch is the problem of a's row in the log with another hash:
// it, or rows before it, rewritten with their hashes. miscopy adds that a
// may have been copied wrong (as anchorProblem says).
func anchorMismatch(a Anchor, miscopy bool) *Problem {
	return &Problem{Seq: a.Seq, Code: AnchorMismatch, Reason: fmt.Sprintf("第 %d 条的哈希与锚点 %s 不符：该条或此前的记录连同哈希被改写%s",
		a.Seq, a, miscopied(miscopy))}
}

// anchorTruncated is the problem of a log that ends at head, before a's
// row: rows at its end deleted with the head. miscopy adds that a may
// have been copied wrong, as anchorMismatch.
func anchorTruncated(head int64, a Anchor, miscopy bool) *Problem {
	return &Problem{Seq: head + 1, Code: ChainTruncated, Reason: fmt.Sprintf("日志止于第 %d 条，但锚点 %s 记录了第 %d 条：末尾记录连同链头被删除%s",
		head, a, a.Seq, miscopied(miscopy))}
}

// miscopied is the end of a reason of an anchor's problem that says the
// anchor may have been copied wrong, when miscopy; else "".
func miscopied(miscopy bool) string {
	if miscopy {
		return "，或锚点抄错"
	}
	return ""
}

// subjectSep joins a row's subjects in subjectsOf: a unit separator,
// which no stored subject holds (text.Storable refuses control
// characters), so that the subjects are told apart whatever they hold.
const subjectSep = "\x1f"

// subjectsOf is the SQL of the rows of audit_subjects after $1 grouped by
// seq: seq, and its subjects joined by subjectSep, in no particular order.
func subjectsOf(q sqldb.Querier) string {
	if sqldb.OnSQLite(q) {
		return `SELECT seq, group_concat(subject_id, char(31)) AS subjects FROM audit_subjects WHERE seq > $1 GROUP BY seq`
	}
	return `SELECT seq, string_agg(subject_id, chr(31)) AS subjects FROM audit_subjects WHERE seq > $1 GROUP BY seq`
}

// subjectsTable reports whether the database has audit_subjects.
func subjectsTable(ctx context.Context, q sqldb.Querier) (bool, error) {
	query := `SELECT to_regclass('audit_subjects') IS NOT NULL`
	if sqldb.OnSQLite(q) {
		query = `SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'audit_subjects'`
	}
	var ok bool
	if err := q.QueryRowContext(ctx, query).Scan(&ok); err != nil {
		return false, fmt.Errorf("audit: verify: %w", err)
	}
	return ok, nil
}

// prefixed is cols, a list of audit_log's columns, each prefixed with l.
func prefixed(cols string) string {
	fields := strings.Split(cols, ",")
	for i, f := range fields {
		f = strings.TrimSpace(f)
		if strings.HasPrefix(f, "CAST(") {
			f = "CAST(l." + strings.TrimPrefix(f, "CAST(")
		} else {
			f = "l." + f
		}
		fields[i] = f
	}
	return strings.Join(fields, ", ")
}

// withExtra scans a row of columns and one more column into extra.
type withExtra struct {
	rows  *sql.Rows
	extra any
}

func (w withExtra) Scan(dest ...any) error { return w.rows.Scan(append(dest, w.extra)...) }

// subjectsProblem compares the other subjects e's detail names
// (other_subjects, which its hash covers) with indexed, those
// audit_subjects holds for it (subjectSep-joined): the audit log's filter
// by subject reads the table, so a row deleted from it hides a read from
// the subject's search, and one added shows an unrelated read under a
// subject. nil when they agree.
func subjectsProblem(e Entry, indexed string) *Problem {
	var named []string
	if strings.Contains(e.Detail, `"other_subjects"`) {
		var d map[string]json.RawMessage
		var v string
		if json.Unmarshal([]byte(e.Detail), &d) == nil && json.Unmarshal(d["other_subjects"], &v) == nil && v != "" {
			named = strings.Split(v, ",")
		}
	}
	var held []string
	if indexed != "" {
		held = strings.Split(indexed, subjectSep)
	}
	var missing, extra int
	for _, s := range named {
		if !slices.Contains(held, s) {
			missing++
		}
	}
	for _, s := range held {
		if !slices.Contains(named, s) {
			extra++
		}
	}
	if missing == 0 && extra == 0 {
		return nil
	}
	return &Problem{Seq: e.Seq, Code: SubjectsMismatch, Reason: fmt.Sprintf(
		"第 %d 条详情所记的其他主体（%d 个）与主体索引（audit_subjects）不符：缺少 %d 个、多出 %d 个。索引被篡改，按主体查询日志时会漏掉该条或把它列在无关的主体下",
		e.Seq, len(named), missing, extra)}
}

// storedAt is an audit row's time as Verify reads it: a time.Time from
// PostgreSQL's TIMESTAMPTZ, which keeps an instant and no text, or the
// text SQLite stores, which it parses as the driver writes it
// (sqldb.SQLiteTime).
type storedAt struct {
	t      time.Time
	text   string
	isText bool // read as text (SQLite)
	parsed bool // text in one of atLayouts, read into t
}

func (s *storedAt) Scan(v any) error {
	switch v := v.(type) {
	case time.Time:
		s.t = v.UTC()
		return nil
	case string:
		s.text = v
	case []byte:
		s.text = string(v)
	default:
		return fmt.Errorf("audit: at of type %T", v)
	}
	s.isText = true
	for _, layout := range atLayouts {
		if t, err := time.Parse(layout, s.text); err == nil {
			s.t, s.parsed = t.UTC(), true
			break
		}
	}
	return nil
}

// atLayouts are the forms of a time the SQLite driver reads, as it reads
// them (without an offset, in UTC): the form it writes, and others a
// hand-edited row may hold.
var atLayouts = []string{sqldb.SQLiteTime, time.RFC3339Nano, "2006-01-02 15:04:05.999999999", "2006-01-02T15:04:05.999999999"}

// canonical reports whether the time is stored as the platform writes it:
// on SQLite, exactly the text the driver writes for its instant in UTC.
// The hash covers the instant, not the text; the same instant in another
// form (2026-12-05T01:33:56.278296Z, or +08:00) keeps the hash but
// compares otherwise in the date filters, which compare the text.
func (s storedAt) canonical() bool {
	return !s.isText || s.parsed && s.text == s.t.Format(sqldb.SQLiteTime)
}

// want says, in Chinese, what a time not stored canonically should be.
func (s storedAt) want() string {
	if !s.parsed {
		return "无法识别为时间"
	}
	return "应为“" + s.t.Format(sqldb.SQLiteTime) + "”"
}
