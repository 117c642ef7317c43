package records

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/calendar"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/text"
)

// Pusher is who pushes operations: a provider's system (API app with scope
// records.write) or a department administrator.
type Pusher struct {
	Actor        audit.Actor
	DepartmentID int64
}

// BatchResult reports what a batch did. When Rejected is not empty nothing
// was applied.
type BatchResult struct {
	BatchID    int64 `json:"batch_id,omitempty"`
	EntryID    int64 `json:"entry_id"`
	Lines      int   `json:"lines"`      // operations read
	Applied    int   `json:"applied"`    // operations applied
	Duplicates int   `json:"duplicates"` // operations whose key was applied before: skipped
	// Unchanged counts the changes to the values their record already
	// holds: acknowledged, but no version is written. A batch's stored
	// summary (a replay, GET /records/batches) counts them alike; for a
	// batch stored before it did (migration 0029) it is 0 and Duplicates
	// counts them.
	Unchanged int         `json:"unchanged"`
	Late      int         `json:"late"` // applied after the timeliness deadline
	FirstSeq  int64       `json:"first_seq,omitempty"`
	LastSeq   int64       `json:"last_seq,omitempty"`
	Replayed  bool        `json:"replayed,omitempty"` // a batch with this key was applied before
	Rejected  []LineError `json:"rejected,omitempty"`
	// Warnings lists the warnings of lines accepted with one (a credit
	// code's wrong check character: uscc_check_digit), the first
	// MaxRejected (Pushes.Push: on line 1); WarningCount counts them all.
	Warnings     []LineError `json:"warnings,omitempty"`
	WarningCount int         `json:"warning_count"`
	// RejectedCount counts every error (a line may have several, a CSV
	// header one per bad column); Rejected lists the first MaxRejected.
	RejectedCount int `json:"rejected_count"`
	// RejectedLines counts the lines refused: those with at least one
	// error, a row holding a value in a CSV header's bad column among
	// them. The validity score counts them; never more than Lines.
	RejectedLines int       `json:"rejected_lines"`
	ReceivedAt    time.Time `json:"received_at"`
	// LateRule explains Late, when operations are late: the rule they
	// missed and where it comes from (EntryRule.Why).
	LateRule string `json:"late_rule,omitempty"`
	// Ops is each operation's outcome, in line order, when Options.PerOp
	// asks for it.
	Ops []OpResult `json:"-"`
	// mismatched counts the lines applied or unchanged that were warned
	// of subject_id_mismatch, which the validity score counts as invalid:
	// a duplicate was counted when it was first applied.
	mismatched int
}

// OpResult is what became of one operation of a batch.
type OpResult struct {
	Line      int
	Seq       int64 // its place in the change feed; 0 for a duplicate
	Duplicate bool  // its key was applied before: skipped
	Unchanged bool  // a change to the values the record holds: no version
	Late      bool
}

// MaxRejected bounds the rejected lines a result lists, and its warnings,
// so that a huge bad file cannot exhaust memory; RejectedCount and
// WarningCount still count them all.
const MaxRejected = 10000

// chunkSize is how many operations are checked and written per round: one
// multi-row statement per table, one lookup of keys and of current records.
const chunkSize = 500

// copyChunkSize is the chunk size when rows go in with COPY (PostgreSQL):
// each chunk costs a few round trips, and COPY has no parameter limit.
const copyChunkSize = 5000

// Options tunes Ingest.
type Options struct {
	// BatchKey makes a retried batch a no-op that returns the first result.
	BatchKey string
	// KeyFlag is the command-line flag that gave BatchKey ("-key"): the
	// key's errors then name it as their field, and their message does
	// not name the API's Idempotency-Key header, which names it otherwise.
	KeyFlag string
	// Digest is the batch's SHA-256 as sent (hex), when known: a BatchKey
	// used before for another entry, or with another digest, is refused.
	Digest string
	// Progress, when set, is called after every chunk with the lines read.
	Progress func(lines int)
	// Calendar defaults to calendar.Default().
	Calendar *calendar.Calendar
	// PerOp lists each operation's outcome in BatchResult.Ops (for batches
	// of a few operations: the list grows with the batch).
	PerOp bool
}

// errRejected rolls back a batch that has rejected lines.
var errRejected = errors.New("batch rejected")

// Ingest applies a batch of operations to one entry atomically: every line
// is validated, in memory and against the records as the batch leaves them;
// when any line is rejected, the transaction is rolled back and the result
// lists every rejected line; otherwise everything commits at once. A batch
// is one transaction, so a crash leaves either all of it or none.
func Ingest(ctx context.Context, db *sqldb.DB, by Pusher, entryID int64, src Source, now time.Time, opt Options) (BatchResult, error) {
	res := BatchResult{EntryID: entryID, ReceivedAt: now.UTC().Truncate(time.Microsecond)}
	// The reads before the transaction are bounded (sqldb.Bounded), as
	// its wait to begin is: a server that does not answer refuses the
	// batch in bounded time. The transaction's work is not.
	var t *target
	err := db.Bounded(ctx, func(ctx context.Context) (err error) {
		t, err = prepare(ctx, db.Read(), by, entryID, opt.Calendar)
		return err
	})
	if err != nil {
		return res, err
	}
	if opt.BatchKey != "" {
		if !text.Key(opt.BatchKey, MaxKey) {
			return res, opt.keyError(errs.Invalid, "invalid_idempotency_key", "不能超过128个字符，不能含有控制字符、非字符（如 U+FFFF）或无效的字符编码")
		}
		var prev keyedBatch
		var ok bool
		err := db.Bounded(ctx, func(ctx context.Context) (err error) {
			prev, ok, err = batchByKey(ctx, db.Read(), by.DepartmentID, opt.BatchKey)
			return err
		})
		if err != nil || ok {
			return prev.replay(entryID, opt, err)
		}
	}
	err = db.TxRaw(ctx, func(tx *sqldb.Tx, raw func(func(any) error) error) error {
		return t.apply(ctx, tx, raw, src, &res, opt)
	})
	if errors.Is(err, errRejected) {
		// Count the refused lines for the validity score, outside the
		// rolled-back transaction.
		cerr := db.Tx(ctx, func(tx *sqldb.Tx) error {
			return countRejected(ctx, tx, t.e, min(res.RejectedLines, res.Lines), res.Lines, opt.refusal())
		})
		res.BatchID, res.Applied, res.Duplicates, res.Unchanged, res.Late, res.FirstSeq, res.LastSeq = 0, 0, 0, 0, 0, 0, 0
		res.Ops = nil
		return res, cerr
	}
	if err != nil && opt.BatchKey != "" && sqldb.IsUniqueViolation(err) {
		// The same batch committed concurrently: report that one.
		if prev, ok, perr := batchByKey(ctx, db.Read(), by.DepartmentID, opt.BatchKey); perr == nil && ok {
			return prev.replay(entryID, opt, nil)
		}
	}
	return res, err
}

// target is an entry made ready for batches by a pusher: loaded, the
// pusher checked as its provider, its timeliness rule read.
type target struct {
	e    *Entry
	by   Pusher
	rule EntryRule
	cal  *calendar.Calendar
}

// CheckPusher reports whether by may push batches to the entry: it exists,
// takes records, and by's department is its provider.
func CheckPusher(ctx context.Context, q sqldb.Querier, by Pusher, entryID int64) error {
	_, err := prepare(ctx, q, by, entryID, nil)
	return err
}

// prepare loads the entry for batches by by; cal nil is calendar.Default().
func prepare(ctx context.Context, q sqldb.Querier, by Pusher, entryID int64, cal *calendar.Calendar) (*target, error) {
	if cal == nil {
		cal = calendar.Default()
	}
	e, err := LoadEntry(ctx, q, entryID)
	if err != nil {
		return nil, err
	}
	if by.DepartmentID != e.DepartmentID {
		return nil, errs.E(errs.Forbidden, "not_provider", fmt.Sprintf("本部门不是数据资源 %s 的数源部门，不能推送数据", e.Code))
	}
	rule, err := RuleFor(ctx, q, e)
	if err != nil {
		return nil, err
	}
	return &target{e: e, by: by, rule: rule, cal: cal}, nil
}

// apply runs a batch in tx, filling res (whose ReceivedAt is the time of
// receipt). It returns errRejected when lines are refused: what it wrote
// must then be rolled back.
func (t *target) apply(ctx context.Context, tx *sqldb.Tx, raw func(func(any) error) error, src Source, res *BatchResult, opt Options) error {
	in := &ingest{ctx: ctx, tx: tx, raw: raw, e: t.e, by: t.by, cal: t.cal, rule: t.rule.Rule, why: t.rule.Why(), now: res.ReceivedAt,
		res: res, perOp: opt.PerOp, fills: map[string]int64{}}
	return in.run(src, opt)
}

// countRejected counts a refused batch's lines for the validity score:
// rejected of checked lines. refusal identifies the batch (Options.refusal)
// or an operation pushed on its own (opRefusal): the entry keeps the
// digests of its last maxRefusals refusals (last_refused, most recent
// first), and a refusal among them is the same data sent again as it was,
// refused again: it is not counted again, whatever was accepted for the
// entry in between. "" is always counted.
func countRejected(ctx context.Context, tx *sqldb.Tx, e *Entry, rejected, checked int, refusal string) error {
	if err := ensureStats(ctx, tx, e); err != nil {
		return err
	}
	if refusal == "" {
		_, err := tx.ExecContext(ctx, `UPDATE record_entry_stats SET rejected_lines = rejected_lines + $2,
			checked_lines = checked_lines + $3 WHERE entry_id = $1`, e.ID, rejected, checked)
		return err
	}
	// Digests are of one length: the new one put first, the list's first
	// maxRefusals are its first maxRefusals*(len(d)+1)-1 characters.
	h := sha256.Sum256([]byte(refusal))
	d := hex.EncodeToString(h[:16])
	_, err := tx.ExecContext(ctx, `UPDATE record_entry_stats SET rejected_lines = rejected_lines + $2,
		checked_lines = checked_lines + $3,
		last_refused = CASE WHEN last_refused = '' THEN $4 ELSE substr($4 || ' ' || last_refused, 1, $6) END
		WHERE entry_id = $1 AND ' ' || last_refused || ' ' NOT LIKE $5`,
		e.ID, rejected, checked, d, "% "+d+" %", maxRefusals*(len(d)+1)-1)
	return err
}

// maxRefusals bounds the refusals an entry keeps (countRejected): a client
// retrying as many refused operations or batches in turn counts each once.
const maxRefusals = 16

// refusal identifies a batch among the refused ones of its entry: by the
// digest of its body, else by its key; "" when neither is known.
func (opt Options) refusal() string {
	switch {
	case opt.Digest != "":
		return "sha256:" + opt.Digest
	case opt.BatchKey != "":
		return "key:" + opt.BatchKey
	}
	return ""
}

// keyError is an error of the batch key: for the API, "Idempotency-Key "
// and msg, its field the header when the key is invalid (as before KeyFlag
// existed); for the command line, msg with the flag as its field, which
// the CLI prints before it (-key：msg).
func (opt Options) keyError(kind errs.Kind, code, msg string) error {
	if opt.KeyFlag != "" {
		e := errs.E(kind, code, msg)
		e.Field = opt.KeyFlag
		return e
	}
	e := errs.E(kind, code, "Idempotency-Key "+msg)
	if kind == errs.Invalid {
		e.Field = "Idempotency-Key"
	}
	return e
}

// keyedBatch is a batch applied before under a key, and the digest of its
// body.
type keyedBatch struct {
	BatchResult
	digest string
}

// replay answers a batch sent again with the key of prev: prev's result,
// or a conflict when the key came with another entry or another body.
func (prev keyedBatch) replay(entryID int64, opt Options, err error) (BatchResult, error) {
	if err != nil {
		return BatchResult{EntryID: entryID}, err
	}
	if prev.EntryID != entryID || opt.Digest != "" && prev.digest != "" && opt.Digest != prev.digest {
		return BatchResult{EntryID: entryID}, opt.keyError(errs.Conflict, "idempotency_key_reused",
			fmt.Sprintf("已用于另一个批次（批次 %d），请为新的批次使用新的键", prev.BatchID))
	}
	prev.Replayed = true
	return prev.BatchResult, nil
}

func batchByKey(ctx context.Context, q sqldb.Querier, dept int64, key string) (keyedBatch, bool, error) {
	var r keyedBatch
	var warnings string
	err := q.QueryRowContext(ctx, `SELECT id, entry_id, ops, duplicates, unchanged, late, first_seq, last_seq, received_at, warning_count,
		warnings, late_rule, body_digest FROM record_batches WHERE department_id = $1 AND batch_key = $2`, dept, key).Scan(&r.BatchID,
		&r.EntryID, &r.Applied, &r.Duplicates, &r.Unchanged, &r.Late, &r.FirstSeq, &r.LastSeq, &r.ReceivedAt, &r.WarningCount, &warnings,
		&r.LateRule, &r.digest)
	if errors.Is(err, sql.ErrNoRows) {
		return r, false, nil
	}
	if err != nil {
		return r, false, fmt.Errorf("load batch: %w", err)
	}
	if r.Warnings, err = decodeWarnings(warnings); err != nil {
		return r, false, fmt.Errorf("batch %d: %w", r.BatchID, err)
	}
	r.Lines = r.Applied + r.Duplicates + r.Unchanged
	r.ReceivedAt = r.ReceivedAt.UTC()
	return r, true, nil
}

// storedWarning is a warning as record_batches.warnings stores it: with
// its operation's subject whole (LineError.Subject, which no answer
// serves), for the audit rows of its reads. Warnings stored before
// 2026-12-05 have none.
type storedWarning struct {
	LineError
	Subject string `json:"subject_id,omitempty"`
}

// encodeWarnings is a batch's warnings as record_batches.warnings stores
// them: a JSON array, or "" for none.
func encodeWarnings(ws []LineError) (string, error) {
	if len(ws) == 0 {
		return "", nil
	}
	stored := make([]storedWarning, len(ws))
	for i, w := range ws {
		stored[i] = storedWarning{LineError: w, Subject: w.Subject}
	}
	b, err := json.Marshal(stored)
	if err != nil {
		return "", fmt.Errorf("encode warnings: %w", err)
	}
	return string(b), nil
}

// decodeWarnings reads record_batches.warnings; "" is none (nil).
func decodeWarnings(s string) ([]LineError, error) {
	if s == "" {
		return nil, nil
	}
	var stored []storedWarning
	if err := json.Unmarshal([]byte(s), &stored); err != nil {
		return nil, fmt.Errorf("decode warnings: %w", err)
	}
	ws := make([]LineError, len(stored))
	for i, w := range stored {
		ws[i] = w.LineError
		ws[i].Subject = w.Subject
	}
	return ws, nil
}

// state is the current record of a subject during a batch.
type state struct {
	exists   bool
	active   bool
	version  int
	vals     map[string]string
	dirty    bool
	seq      int64     // latest version
	produced time.Time // the latest version's produced_at
	// by is what made the latest version, for out_of_order's message: 0
	// the records before this batch, a line number a line of this chunk,
	// earlierChunk a line of an earlier chunk of this batch.
	by int
}

// earlierChunk is state.by for a version written by a line of the batch
// in an earlier chunk, whose number is not kept.
const earlierChunk = -1

type pending struct {
	op       Op
	line     int
	js       string // for add: the values as stored
	mismatch bool   // warned of subject_id_mismatch
	refused  bool   // refused already (a value in a CSV column of no item): among RejectedLines
	// ambiguous is why subject_id, a permit's lifetime number, names no
	// one record of the holder's permits stored whole (resolveForms).
	ambiguous string
}

// receiptReorder is how much later than an operation's receipt the
// entry's last_received_at may be and still be kept when the operation
// is applied: it never moves back for a batch received before the last
// one applied that commits after it (an upload takes up to
// auth.LongRequest, half an hour); a time later still was stamped by a
// clock that was ahead (an NTP correction, a VM resumed, one of several
// servers over one database), and is replaced, or the entry would look
// fresh, hiding it from the stale report, until the clock reached it.
const receiptReorder = time.Hour

type ingest struct {
	ctx  context.Context
	tx   *sqldb.Tx
	raw  func(func(any) error) error // the driver connection under tx, when available
	e    *Entry
	by   Pusher
	cal  *calendar.Calendar
	rule Rule
	why  string // the rule's EntryRule.Why, the late_rule of a batch with late operations
	now  time.Time
	res  *BatchResult

	batchID    int64
	lastSeq    int64
	lastProd   time.Time
	lastRcv    time.Time // the entry's last_received_at: the latest receipt of an operation applied (receiptReorder)
	liveDelta  int64
	fills      map[string]int64 // change of record_item_values by item name
	peers      []peer
	stmts      map[string]*sql.Stmt
	versionBuf []any
	seen       *subjectFilter   // subjects this batch wrote, when the entry started empty
	lookupKeys bool             // look op keys up before writing (after a conflict)
	keysKept   bool             // the entry has keys of unchanged changes (record_unchanged_keys)
	keptBuf    []any            // a chunk's rows of record_unchanged_keys
	keptFound  map[string]prior // findUnchanged's answer for the chunk, kept for its redo
	savepoints int              // PostgreSQL: chunks applied under a savepoint
	versionSQL map[int]string   // insertVersionsSQLite's statements by rows
	argBuf     []any
	copyBuf    []byte    // copyRows' buffer
	lastTime   time.Time // timeArg's cache
	lastText   string
	perOp      bool // fill res.Ops
}

func ensureStats(ctx context.Context, tx *sqldb.Tx, e *Entry) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO record_entry_stats (entry_id, department_id, item_count) VALUES ($1, $2, $3)
		ON CONFLICT (entry_id) DO NOTHING`, e.ID, e.DepartmentID, e.valueItems())
	if err != nil {
		return fmt.Errorf("create entry stats: %w", err)
	}
	return nil
}

// valueItems counts the items completeness is measured on: all but those
// that identify the subject (they repeat subject_id).
func (e *Entry) valueItems() int {
	n := 0
	for _, it := range e.Items {
		if !it.IdentifiesSubject {
			n++
		}
	}
	return n
}

// fill counts vals, a live record's values, by d (1 when the record takes
// them, -1 when it leaves them) in in.fills: values of every item stored,
// those of items the entry's version has not too (removed from it, they
// count again if an item of their name comes back).
func (in *ingest) fill(vals map[string]string, d int64) {
	for name, v := range vals {
		if v != "" {
			in.fills[name] += d
		}
	}
}

// saveFills adds in.fills to record_item_values and returns the values
// of e's value items that the entry's live records now hold: its
// filled_values for its version e.Version.
func (in *ingest) saveFills() (int64, error) {
	var rows []string
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }
	id := arg(in.e.ID)
	for _, name := range slices.Sorted(maps.Keys(in.fills)) {
		if n := in.fills[name]; n != 0 {
			rows = append(rows, "("+id+", "+arg(name)+", "+arg(n)+")")
		}
	}
	if len(rows) > 0 {
		if _, err := in.tx.ExecContext(in.ctx, `INSERT INTO record_item_values (entry_id, item_name, filled) VALUES `+
			strings.Join(rows, ", ")+` ON CONFLICT (entry_id, item_name) DO UPDATE
			SET filled = record_item_values.filled + excluded.filled`, args...); err != nil {
			return 0, fmt.Errorf("update item values: %w", err)
		}
	}
	filled, err := filledValues(in.ctx, in.tx, map[int64][]Item{in.e.ID: in.e.Items})
	return filled[in.e.ID], err
}

func (in *ingest) run(src Source, opt Options) error {
	ctx, tx, e := in.ctx, in.tx, in.e
	// A batch's lookups run as prepared statements while the batch grows
	// the tables; a generic plan made while a table looked empty would
	// scan it for every chunk.
	if err := tx.CustomPlans(ctx); err != nil {
		return err
	}
	if err := ensureStats(ctx, tx, e); err != nil {
		return err
	}
	held, err := holdPeersBelow(ctx, tx, e)
	if err != nil {
		return err
	}
	// Lock the entry's counters: writers of one entry queue here, so the
	// change feed's sequence numbers commit in order.
	var catVersion int
	var lastProd, lastRcv sql.NullTime
	if err := tx.QueryRowContext(ctx, `UPDATE record_entry_stats SET department_id = $2 WHERE entry_id = $1
		RETURNING last_seq, catalog_version, last_produced_at, last_received_at`, e.ID, e.DepartmentID).Scan(&in.lastSeq, &catVersion,
		&lastProd, &lastRcv); err != nil {
		return fmt.Errorf("lock entry stats: %w", err)
	}
	// Whether the entry kept keys of unchanged changes, read once the
	// counters are locked, in a statement of its own: on PostgreSQL an
	// UPDATE that waited for the lock re-reads the row it locks, but a
	// subquery of it sees the tables as they were when it began, without
	// the keys the batch it waited for committed.
	if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM record_unchanged_keys WHERE entry_id = $1)`,
		e.ID).Scan(&in.keysKept); err != nil {
		return fmt.Errorf("keys of unchanged changes: %w", err)
	}
	if lastProd.Valid {
		in.lastProd = lastProd.Time
	}
	if lastRcv.Valid {
		in.lastRcv = lastRcv.Time.UTC()
	}
	if catVersion != e.Version {
		if err := syncItemKeys(ctx, tx, e); err != nil {
			return err
		}
	}
	var key any
	if opt.BatchKey != "" {
		key = opt.BatchKey
	}
	if err := tx.QueryRowContext(ctx, `INSERT INTO record_batches (entry_id, department_id, batch_key, actor, received_at,
		body_digest) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, e.ID, in.by.DepartmentID, key,
		in.by.Actor.Kind+":"+in.by.Actor.ID, in.now, opt.Digest).Scan(&in.batchID); err != nil {
		return fmt.Errorf("insert batch: %w", err)
	}
	if in.peers, err = loadPeers(ctx, tx, e); err != nil {
		return err
	}
	if err := holdPeers(ctx, tx, in.peers, held); err != nil {
		return err
	}
	in.res.FirstSeq = in.lastSeq + 1
	if in.lastSeq == 0 {
		// The entry has no records yet (its counters are locked, so none
		// can appear): a subject needs looking up only if an earlier chunk
		// of this batch wrote it, which a fixed-size filter remembers.
		in.seen = newSubjectFilter()
	}
	// Reading, decoding and normalising run in a second goroutine,
	// overlapped with the writes; a few chunk buffers circulate between
	// the two, so memory stays flat however long the batch.
	size := chunkSize
	if in.copyable() {
		size = copyChunkSize
	}
	pieces, free, stop, wait := readChunks(src, e, in.now, size, 3)
	defer wait()
	defer close(stop)
	for pc := range pieces {
		in.res.Lines += pc.lines
		in.res.RejectedLines += pc.refused
		for _, le := range pc.rejects {
			in.reject(le)
		}
		in.res.RejectedCount += pc.unlisted
		for _, w := range pc.warnings {
			in.warn(w)
		}
		if pc.err != nil {
			return pc.err
		}
		if err := in.apply(pc.chunk); err != nil {
			return err
		}
		free <- pc.chunk[:0]
		if opt.Progress != nil && (len(pc.chunk) > 0 || pc.lines > 0) {
			opt.Progress(in.res.Lines)
		}
	}
	if in.res.RejectedCount > 0 {
		// Lines failing in memory are reported as read, those conflicting
		// with the records as their chunk is applied: report in line order.
		sort.SliceStable(in.res.Rejected, func(i, j int) bool { return in.res.Rejected[i].Line < in.res.Rejected[j].Line })
		return errRejected
	}
	if in.res.Lines == 0 {
		return errs.E(errs.Invalid, "empty_batch", "批次中没有任何操作")
	}
	if err := in.recheck(); err != nil {
		return err
	}
	if in.res.Applied == 0 {
		in.res.FirstSeq = 0
	} else {
		in.res.LastSeq = in.lastSeq
	}
	filled, err := in.saveFills()
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE record_entry_stats SET last_seq = $2, ops = ops + $3, late_ops = late_ops + $4,
		checked_lines = checked_lines + $5, live_records = live_records + $6, filled_values = $7,
		item_count = $8, catalog_version = $9, fill_version = $9, last_received_at = $10, last_produced_at = $11,
		mismatched_lines = mismatched_lines + $12 WHERE entry_id = $1`,
		e.ID, in.lastSeq, in.res.Applied, in.res.Late, in.res.Lines-in.res.Duplicates, in.liveDelta, filled, e.valueItems(),
		e.Version, nullTime(in.lastRcv), nullTime(in.lastProd), in.res.mismatched); err != nil {
		return fmt.Errorf("update entry stats: %w", err)
	}
	warnings, err := encodeWarnings(in.res.Warnings)
	if err != nil {
		return err
	}
	if in.res.Late > 0 {
		in.res.LateRule = in.why
	}
	if _, err := tx.ExecContext(ctx, `UPDATE record_batches SET ops = $2, duplicates = $3, late = $4, first_seq = $5,
		last_seq = $6, warning_count = $7, warnings = $8, late_rule = $9, unchanged = $10 WHERE id = $1`, in.batchID, in.res.Applied,
		in.res.Duplicates, in.res.Late, in.res.FirstSeq, in.res.LastSeq, in.res.WarningCount, warnings,
		in.res.LateRule, in.res.Unchanged); err != nil {
		return fmt.Errorf("update batch: %w", err)
	}
	in.res.BatchID = in.batchID
	detail, _ := json.Marshal(map[string]any{"entry_code": e.Code, "batch_id": in.batchID, "applied": in.res.Applied,
		"duplicates": in.res.Duplicates, "unchanged": in.res.Unchanged, "late": in.res.Late, "first_seq": in.res.FirstSeq, "last_seq": in.res.LastSeq})
	// The batch's row is dated when it is written, after the batch was
	// read whole (as its credential is checked then, audit.WithClock),
	// not when the batch was received (in.now, record_batches'
	// received_at): the audit log's times are those of its writes.
	return audit.Record(ctx, tx, audit.Event{Actor: in.by.Actor, Action: "records.batch", ObjectType: "catalog_entry",
		ObjectID: strconv.FormatInt(e.ID, 10), Detail: string(detail)}, audit.Now(ctx, in.now))
}

// recheck reads the entry again in the batch's transaction, before it
// commits: the batch was checked against the entry as read before the
// transaction began (prepare), and a retirement committed since must not
// take its records, nor a version approved since see the batch set the
// entry's catalog_version back to the one it was validated against. On
// PostgreSQL the entry's row is share-locked until the commit, so that a
// retirement or an approval (which lock it, catalog.lockEntry) waits for
// the batch, or the batch sees it; on SQLite the one writer the batch
// holds keeps them out.
func (in *ingest) recheck() error {
	q := `SELECT status, version, department_id FROM catalog_entries WHERE id = $1`
	if in.tx.Dialect == sqldb.Postgres {
		q += ` FOR SHARE`
	}
	var status string
	var version int
	var dept int64
	err := in.tx.QueryRowContext(in.ctx, q, in.e.ID).Scan(&status, &version, &dept)
	if errors.Is(err, sql.ErrNoRows) {
		return entryNotFound(in.e.ID)
	}
	if err != nil {
		return fmt.Errorf("recheck entry %d: %w", in.e.ID, err)
	}
	switch {
	case status != "published":
		return unpublished{id: in.e.ID, department: dept, code: in.e.Code, status: status}.refusal("不能归集数据")
	case dept != in.by.DepartmentID:
		return errs.E(errs.Forbidden, "not_provider", fmt.Sprintf("本部门不是数据资源 %s 的数源部门，不能推送数据", in.e.Code))
	case version != in.e.Version:
		return &errs.Error{Kind: errs.Conflict, Code: "entry_version_changed", Message: fmt.Sprintf(
			"数据资源 %s 在写入期间发布了第 %d 版，这些数据是按第 %d 版校验的，未写入，请重新推送", in.e.Code, version, in.e.Version),
			Err: errVersionChanged}
	}
	return nil
}

// errVersionChanged is the cause of recheck's refusal of a batch checked
// against a version of its entry that another has replaced since.
var errVersionChanged = errors.New("entry version changed during the batch")

func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}

func (in *ingest) reject(le LineError) {
	in.res.RejectedCount++
	if len(in.res.Rejected) < MaxRejected {
		in.res.Rejected = append(in.res.Rejected, le)
	}
}

// refuse rejects p's operation for le, its line counted among the
// refused unless it was already.
func (in *ingest) refuse(p *pending, le LineError) {
	in.reject(le)
	if !p.refused {
		in.res.RejectedLines++
	}
}

func (in *ingest) warn(w LineError) {
	in.res.WarningCount++
	if len(in.res.Warnings) < MaxRejected {
		in.res.Warnings = append(in.res.Warnings, w)
	}
}

// countMismatch counts p, applied or answered unchanged, among the lines
// contradicting their subject's citizen ID when it was warned so. A
// duplicate is not counted: the line was checked, and counted, when it
// was first applied; checked_lines leaves duplicates out alike.
func (in *ingest) countMismatch(p pending) {
	if p.mismatch {
		in.res.mismatched++
	}
}

// opKey derives an idempotency key from an operation's content, so that a
// retried operation without a key is still applied once.
func opKey(entryID int64, op *Op) string {
	h := sha256.New()
	fmt.Fprintf(h, "%d\x00%s\x00%s\x00%s", entryID, op.Op, op.SubjectID, op.ProducedAt.Format(time.RFC3339Nano))
	names := make([]string, 0, len(op.Values))
	for k := range op.Values {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		fmt.Fprintf(h, "\x00%s\x00%s", k, op.Values[k])
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil)[:16])
}

// apply checks and writes one chunk of validated operations.
func (in *ingest) apply(chunk []pending) error {
	if len(chunk) == 0 {
		return nil
	}
	in.keptFound = nil
	pg := in.tx.Dialect == sqldb.Postgres
	if pg && in.savepoints == maxSavepoints {
		in.lookupKeys = true
	}
	if in.lookupKeys {
		return in.applyOnce(chunk, true)
	}
	// The keys are not looked up first, which would probe the key index
	// twice per operation: a key applied before makes the versions INSERT
	// fail on the unique index. On SQLite that undoes the statement alone;
	// on PostgreSQL the chunk runs under a savepoint, rolled back to. The
	// chunk is then redone with the lookup, and so is the rest of the
	// batch (it is likely a retry). The keys kept from unchanged changes,
	// which that index does not hold, are looked up in any case
	// (findUnchanged), in the entries that have some.
	if pg {
		in.savepoints++
		if _, err := in.tx.ExecContext(in.ctx, `SAVEPOINT chunk`); err != nil {
			return err
		}
	}
	r := *in.res
	nRejected := len(in.res.Rejected)
	lastSeq, live, fills, lastProd, lastRcv := in.lastSeq, in.liveDelta, maps.Clone(in.fills), in.lastProd, in.lastRcv
	err := in.applyOnce(chunk, false)
	if errors.Is(err, errKeyConflict) || errors.Is(err, errMaybeDuplicate) {
		if pg {
			if _, err := in.tx.ExecContext(in.ctx, `ROLLBACK TO SAVEPOINT chunk`); err != nil {
				return err
			}
		}
		r.Rejected = in.res.Rejected[:nRejected]
		*in.res = r
		in.lastSeq, in.liveDelta, in.fills, in.lastProd, in.lastRcv = lastSeq, live, fills, lastProd, lastRcv
		in.lookupKeys = errors.Is(err, errKeyConflict)
		err = in.applyOnce(chunk, true)
		if in.res.Duplicates > r.Duplicates {
			in.lookupKeys = true // a retry: the rest of it is looked up first
		}
	}
	if pg && err == nil {
		_, err = in.tx.ExecContext(in.ctx, `RELEASE SAVEPOINT chunk`)
	}
	return err
}

// maxSavepoints bounds the savepoints of one PostgreSQL batch: past 64
// subtransactions a transaction's subtransaction cache overflows and every
// session's snapshots slow down until it ends. Chunks after that look
// their keys up first. A variable for the tests.
var maxSavepoints = 48

// errKeyConflict reports an op key applied before, found by the index;
// errMaybeDuplicate a line refused, or a change found to change nothing,
// in a chunk whose keys were not looked up: a resent operation may be
// refused (record_exists…) or found unchanged before its key is checked,
// so the chunk is redone with the lookup.
var (
	errKeyConflict    = errors.New("operation key applied before")
	errMaybeDuplicate = errors.New("refused line in a chunk whose keys were not looked up")
)

// applyOnce applies a chunk, looking its op keys up first or not.
func (in *ingest) applyOnce(chunk []pending, lookup bool) error {
	e := in.e
	if err := in.resolveForms(chunk); err != nil {
		return err
	}
	rejectedBefore := in.res.RejectedCount
	seen := make(map[string]prior, len(chunk))
	if lookup {
		var err error
		subjects, keys := make([]string, len(chunk)), make([]string, len(chunk))
		for i := range chunk {
			subjects[i], keys[i] = chunk[i].op.SubjectID, chunk[i].op.Key
		}
		if seen, err = in.findKeys(versionKeys, subjects, keys); err != nil {
			return fmt.Errorf("look up operation keys: %w", err)
		}
	}
	subjects := make([]string, 0, len(chunk))
	states := make(map[string]*state, len(chunk))
	for _, p := range chunk {
		if _, found := seen[recordKey(p.op.SubjectID, p.op.Key)]; found {
			continue // a duplicate, or a key reused: answered without its record
		}
		if _, ok := states[p.op.SubjectID]; !ok {
			states[p.op.SubjectID] = &state{}
			if in.seen == nil || in.seen.has(p.op.SubjectID) {
				subjects = append(subjects, p.op.SubjectID)
			}
		}
	}
	if len(subjects) > 0 {
		if err := in.loadStates(subjects, states); err != nil {
			return err
		}
	}
	if in.keysKept {
		// The keys of unchanged changes are not in the versions' index:
		// looked up whether or not the versions' keys are, for the
		// operations on records that exist (no other can have one), once
		// per chunk (its redo finds the same).
		if in.keptFound == nil {
			var err error
			if in.keptFound, err = in.findUnchanged(chunk, states); err != nil {
				return fmt.Errorf("look up operation keys: %w", err)
			}
		}
		maps.Copy(seen, in.keptFound)
	}
	versions := in.versionBuf[:0]
	nv := 0
	kept := in.keptBuf[:0]
	var resentSubjects, resentKeys []string // the kept keys resent
	unchanged := false
	nowArg := in.timeArg(in.now)
	for _, p := range chunk {
		op := &p.op
		k := recordKey(op.SubjectID, op.Key)
		if was, ok := seen[k]; ok {
			same, err := was.same(op)
			if err != nil {
				return err
			}
			if !same {
				in.refuse(&p, LineError{Line: p.line, Code: "idempotency_key_reused", Field: "key",
					Reason: "幂等键“" + clip(op.Key) + "”已用于该记录（" + op.SubjectID + "）的另一个不同的操作，请为新的操作使用新的键"})
				continue
			}
			if _, kept := in.keptFound[k]; kept {
				resentSubjects, resentKeys = append(resentSubjects, op.SubjectID), append(resentKeys, op.Key)
			}
			in.res.Duplicates++
			if in.perOp {
				in.res.Ops = append(in.res.Ops, OpResult{Line: p.line, Duplicate: true})
			}
			continue
		}
		if p.ambiguous != "" {
			in.refuse(&p, LineError{Line: p.line, Code: "subject_ambiguous", Field: "subject_id", Reason: p.ambiguous})
			continue
		}
		// The key is taken once the operation is applied or answered
		// unchanged, not before: a refused operation stores no key, so a
		// later line under it is another operation, checked on its own.
		taken := prior{op: op.Op, produced: op.ProducedAt, vals: op.Values, exact: true}
		st := states[op.SubjectID]
		// A new operation older than the record's current version (a
		// retry queued behind later ones, a time rounded to the minute or
		// the day) would replace newer data, but a change to the values
		// the record holds replaces nothing: it is unchanged (below).
		older := st.exists && st.produced.After(op.ProducedAt)
		if older && (op.Op != Change || !st.active) {
			in.refuse(&p, in.outOfOrder(p.line, op, st))
			continue
		}
		var vals map[string]string
		var js string
		switch op.Op {
		case Add:
			if st.active {
				in.refuse(&p, LineError{Line: p.line, Code: "record_exists", Field: "subject_id",
					Reason: "记录已存在（" + op.SubjectID + "），请用 change 变更"})
				continue
			}
			vals = op.Values
			js = p.js
		case Change:
			if !st.active {
				in.refuse(&p, notFound(p.line, st, op.SubjectID))
				continue
			}
			vals = make(map[string]string, len(st.vals)+len(op.Values))
			for k, v := range st.vals {
				vals[k] = v
			}
			for k, v := range op.Values {
				vals[k] = v
			}
			dropEmpty(vals)
			if maps.Equal(vals, st.vals) {
				// Nothing would change: acknowledged, no version, its key
				// kept. It may be a resent change (a duplicate), or another
				// change under a key applied before: known only once keys
				// are looked up.
				unchanged = true
				in.res.Unchanged++
				in.countMismatch(p)
				seen[k] = taken
				kv, err := encodeVals(given(op.Values))
				if err != nil {
					return err
				}
				kept = append(kept, e.ID, op.SubjectID, op.Key, in.timeArg(op.ProducedAt), kv, in.batchID, nowArg)
				if in.perOp {
					in.res.Ops = append(in.res.Ops, OpResult{Line: p.line, Unchanged: true})
				}
				continue
			}
			if older {
				in.refuse(&p, in.outOfOrder(p.line, op, st))
				continue
			}
			if le := e.changeMismatch(p.line, op, vals); le != nil {
				in.refuse(&p, *le)
				continue
			}
		case Cancel:
			if !st.active {
				in.refuse(&p, notFound(p.line, st, op.SubjectID))
				continue
			}
			vals = st.vals
		}
		dropEmpty(vals)
		if st.active {
			in.liveDelta--
			in.fill(st.vals, -1)
		}
		st.exists, st.active, st.vals, st.dirty, st.produced, st.by = true, op.Op != Cancel, vals, true, op.ProducedAt, p.line
		if st.active {
			in.liveDelta++
			in.fill(vals, 1)
		}
		st.version++
		in.lastSeq++
		prev := st.seq
		st.seq = in.lastSeq
		// Judged by when the operation arrived, not by when its round of
		// pushes began (it may have queued for it).
		rcv := in.now
		if !op.ReceivedAt.IsZero() {
			rcv = op.ReceivedAt
		}
		late := in.rule.Late(in.cal, op.ProducedAt, rcv)
		if late {
			in.res.Late++
		}
		if op.ProducedAt.After(in.lastProd) {
			in.lastProd = op.ProducedAt
		}
		if rcv.After(in.lastRcv) || in.lastRcv.After(rcv.Add(receiptReorder)) {
			in.lastRcv = rcv
		}
		if op.Op != Add {
			var err error
			if js, err = encodeVals(vals); err != nil {
				return err
			}
		}
		rcvArg := nowArg
		if !rcv.Equal(in.now) {
			rcvArg = in.timeArg(rcv)
		}
		versions = append(versions, e.ID, st.seq, op.SubjectID, st.version, op.Op, js, in.timeArg(op.ProducedAt),
			rcvArg, in.batchID, in.by.DepartmentID, op.Key, late, prev)
		nv++
		in.res.Applied++
		in.countMismatch(p)
		seen[k] = taken
		if in.perOp {
			in.res.Ops = append(in.res.Ops, OpResult{Line: p.line, Seq: st.seq, Late: late})
		}
	}
	in.versionBuf, in.keptBuf = versions, kept
	if !lookup && (in.res.RejectedCount > rejectedBefore || unchanged) {
		return errMaybeDuplicate
	}
	// Even once a line is rejected the chunk is written: nothing will
	// commit, but later lines are checked against the records as the
	// batch would leave them, so that every reported error is real.
	if nv > 0 {
		if err := in.insertVersions(versions, nv); err != nil {
			if !lookup && sqldb.IsUniqueViolation(err) {
				return errKeyConflict
			}
			return fmt.Errorf("insert record versions: %w", err)
		}
	}
	if len(kept) > 0 {
		if err := in.exec(in.tx.Dialect.Values(`INSERT INTO record_unchanged_keys (entry_id, subject_id, op_key, produced_at,
			vals, batch_id, kept_at) VALUES `, 7, len(kept)/7), kept...); err != nil {
			return fmt.Errorf("insert keys of unchanged changes: %w", err)
		}
		in.keysKept = true
	}
	if len(resentKeys) > 0 {
		// A kept key resent is kept a whole retention from now, so that a
		// source that keeps resending it (a stuck outbox) never sees it
		// pruned and its old values applied anew.
		if err := in.keepResent(resentSubjects, resentKeys, nowArg); err != nil {
			return fmt.Errorf("keep the keys of unchanged changes: %w", err)
		}
	}
	var changed []string
	for subject, st := range states {
		if !st.dirty {
			continue
		}
		changed = append(changed, subject)
		if in.seen != nil {
			in.seen.add(subject)
		}
	}
	if len(in.peers) > 0 && len(changed) > 0 {
		// In subject order, as every writer of discrepancies goes: two
		// batches of entries sharing facts then take their rows' locks
		// in the same order (PostgreSQL found deadlocks otherwise).
		slices.Sort(changed)
		return in.crossCheck(changed, states)
	}
	return nil
}

// dropEmpty deletes the cleared items (empty values) of vals.
func dropEmpty(vals map[string]string) {
	for k, v := range vals {
		if v == "" {
			delete(vals, k)
		}
	}
}

// given returns vals without its cleared items (empty values), copied
// only when it has some.
func given(vals map[string]string) map[string]string {
	for _, v := range vals {
		if v == "" {
			out := maps.Clone(vals)
			dropEmpty(out)
			return out
		}
	}
	return vals
}

// prior is an operation applied before under a key, in its record: by an
// earlier line of the chunk (exact: vals are its values) or stored (vals
// are the record's values after it, or an unchanged change's own values,
// as JSON in js until compared).
type prior struct {
	op       string
	produced time.Time
	vals     map[string]string
	js       string
	exact    bool
}

// same reports whether op is the operation applied before under its key
// (a retry) rather than another one sent under the same key. A stored
// change is known by the values it left (an unchanged one by its own):
// op's values must be among them (an empty one absent).
func (p prior) same(op *Op) (bool, error) {
	if p.op != op.Op || !p.produced.Equal(op.ProducedAt) {
		return false, nil
	}
	if p.exact {
		return op.Op == Cancel || maps.Equal(p.vals, op.Values), nil
	}
	if p.vals == nil && p.js != "" {
		if err := json.Unmarshal([]byte(p.js), &p.vals); err != nil {
			return false, fmt.Errorf("decode stored values: %w", err)
		}
	}
	switch op.Op {
	case Add:
		return maps.Equal(p.vals, op.Values), nil
	case Change:
		for k, v := range op.Values {
			if sv, ok := p.vals[k]; ok != (v != "") || sv != v {
				return false, nil
			}
		}
	}
	return true, nil
}

// outOfOrder refuses op, produced before st.produced, the produced_at of
// its record's latest version, saying what made that version (st.by): the
// version stored before the batch, an earlier line of the batch (by its
// number when in the same chunk), or, in a round of single pushes
// (perOp), another push of the record in the same round.
func (in *ingest) outOfOrder(line int, op *Op, st *state) LineError {
	var what string
	switch {
	case st.by == 0:
		what = fmt.Sprintf("记录（%s）的当前版本", op.SubjectID)
	case in.perOp:
		what = fmt.Sprintf("同时推送的同一记录（%s）的另一操作", op.SubjectID)
	case st.by == earlierChunk:
		what = fmt.Sprintf("本批次中较早一行同一记录（%s）的操作", op.SubjectID)
	default:
		what = fmt.Sprintf("本批次第 %d 行同一记录（%s）的操作", st.by, op.SubjectID)
	}
	newer, older := orderTimes(st.produced, op.ProducedAt)
	return LineError{Line: line, Code: "out_of_order", Field: "produced_at", Reason: fmt.Sprintf(
		"%s产生于 %s，晚于本操作的数据产生时间（produced_at）%s：较早产生的操作不能覆盖较新的数据。"+
			"同一记录的操作请按产生时间先后推送（批次中同一记录的行也应按产生时间排列）；本操作如已被更新的数据取代，无需再推送；"+
			"如本操作的数据才是最新的，请以其实际产生时间重新推送（只记到分钟或日期的时间可能早于同一分钟或同一天实时推送的版本，请精确到秒）",
		what, newer, older)}
}

func notFound(line int, st *state, subject string) LineError {
	if st.exists {
		return LineError{Line: line, Code: "record_cancelled", Field: "subject_id", Reason: "记录已注销（" + subject + "）"}
	}
	return LineError{Line: line, Code: "record_not_found", Field: "subject_id", Reason: "记录不存在（" + subject + "），请先新增"}
}

const versionInsert = `INSERT INTO record_versions (entry_id, seq, subject_id, version, op, vals, produced_at, received_at,
	batch_id, department_id, op_key, late, prev_seq) VALUES `

// exec runs a multi-row statement, prepared once per transaction and size:
// parsing a statement of thousands of parameters costs as much as running it.
func (in *ingest) exec(query string, args ...any) error {
	st, ok := in.stmts[query]
	if !ok {
		var err error
		if st, err = in.tx.PrepareContext(in.ctx, query); err != nil {
			return err
		}
		if in.stmts == nil {
			in.stmts = map[string]*sql.Stmt{}
		}
		in.stmts[query] = st
	}
	_, err := st.ExecContext(in.ctx, args...)
	return err
}

// recordKey is an operation's idempotency key in its record's scope.
func recordKey(subject, key string) string { return subject + "\x00" + key }

// keyTable is where op keys are kept: with the versions, or apart for the
// changes acknowledged as unchanged (always op change).
type keyTable struct{ name, op string }

var (
	versionKeys   = keyTable{"record_versions", "v.op"}
	unchangedKeys = keyTable{"record_unchanged_keys", "'change'"}
)

// findKeys looks up in t the op keys[i] of subjects[i], each in its
// record, and returns the operations found by recordKey. On PostgreSQL
// each pair is probed on its own (a LATERAL subquery with LIMIT cannot be
// flattened): given whole arrays, the planner may read every version of the
// entry and filter them, which grows with the history. Heads do the same.
func (in *ingest) findKeys(t keyTable, subjects, keys []string) (map[string]prior, error) {
	var rows *sql.Rows
	var err error
	if in.tx.Dialect == sqldb.Postgres {
		rows, err = in.tx.QueryContext(in.ctx, `SELECT k.s, k.k, x.op, x.vals, x.produced_at FROM unnest($2::text[], $3::text[]) AS k(s, k)
			CROSS JOIN LATERAL (SELECT `+t.op+` AS op, v.vals, v.produced_at FROM `+t.name+` v
			WHERE v.entry_id = $1 AND v.subject_id = k.s AND v.op_key = k.k LIMIT 1) AS x`,
			in.e.ID, subjects, keys)
	} else {
		args := make([]any, 0, 2*len(subjects)+1)
		for i := range subjects {
			args = append(args, subjects[i], keys[i])
		}
		rows, err = in.tx.QueryContext(in.ctx, keysSQLite(t, len(subjects)), append(args, in.e.ID)...)
	}
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make(map[string]prior, len(subjects))
	for rows.Next() {
		var s, k string
		var p prior
		if err := rows.Scan(&s, &k, &p.op, &p.js, &p.produced); err != nil {
			return nil, err
		}
		p.produced = p.produced.UTC()
		out[recordKey(s, k)] = p
	}
	return out, rows.Err()
}

// keysSQLite is findKeys' query on SQLite for n keys, whose arguments are
// each subject and key, then the entry. The keys are joined to the table
// (CROSS JOIN keeps that order), so that each is one probe of its index:
// as (subject_id, op_key) IN (VALUES …), SQLite without statistics read
// every version of the entry and tested it against the list, for every
// chunk of a batch whose keys are looked up (a batch resent whole).
func keysSQLite(t keyTable, n int) string {
	return `SELECT k.column1, k.column2, ` + t.op + `, v.vals, v.produced_at FROM (VALUES ` +
		strings.TrimSuffix(strings.Repeat("(?,?),", n), ",") + `) AS k CROSS JOIN ` + t.name + ` v
		WHERE v.entry_id = ? AND v.subject_id = k.column1 AND v.op_key = k.column2`
}

// keepResent sets kept_at to now for the kept keys[i] of subjects[i]
// (unchanged changes resent), in one statement.
func (in *ingest) keepResent(subjects, keys []string, now any) error {
	if in.tx.Dialect == sqldb.Postgres {
		return in.exec(`UPDATE record_unchanged_keys u SET kept_at = $1 FROM unnest($3::text[], $4::text[]) AS k(s, k)
			WHERE u.entry_id = $2 AND u.subject_id = k.s AND u.op_key = k.k`, now, in.e.ID, subjects, keys)
	}
	args := make([]any, 0, 2*len(keys)+2)
	args = append(args, now, in.e.ID)
	for i := range keys {
		args = append(args, subjects[i], keys[i])
	}
	return in.exec(`UPDATE record_unchanged_keys SET kept_at = ? WHERE entry_id = ? AND (subject_id, op_key) IN (VALUES `+
		strings.TrimSuffix(strings.Repeat("(?,?),", len(keys)), ",")+`)`, args...)
}

// findUnchanged returns the unchanged changes kept under the keys of a
// chunk's operations on records that exist, by recordKey. states holds
// the records loaded: not those of the operations found in the versions'
// keys, which are answered without them.
func (in *ingest) findUnchanged(chunk []pending, states map[string]*state) (map[string]prior, error) {
	var subjects, keys []string
	for i := range chunk {
		if op := &chunk[i].op; states[op.SubjectID] != nil && states[op.SubjectID].exists {
			subjects, keys = append(subjects, op.SubjectID), append(keys, op.Key)
		}
	}
	if len(subjects) == 0 {
		return map[string]prior{}, nil
	}
	return in.findKeys(unchangedKeys, subjects, keys)
}

// resolveForms puts each operation of chunk whose subject_id has other
// forms (Op.forms: a permit's number in an entry keyed by a 证件号码) under
// the form its record is stored in: a live record's, else a cancelled
// one's, else its own canonical form; one chosen for an earlier operation
// of the chunk sharing a form is kept, so that a chunk's operations on one
// holder meet one record. An add so meets a live record stored under the
// other form and is refused as record_exists naming it, rather than make
// a second record of the holder. The values of the identifying items that
// repeated subject_id are moved to the form chosen with it. A permit's
// lifetime number stored under no form of its own meets the one record of
// its permits stored whole (Op.lifetime, Entry.renewed); where several
// are, the operation is refused subject_ambiguous (pending.ambiguous).
func (in *ingest) resolveForms(chunk []pending) error {
	var all []string
	for i := range chunk {
		for _, f := range chunk[i].op.forms {
			if !slices.Contains(all, f) {
				all = append(all, f)
			}
		}
	}
	if len(all) == 0 {
		return nil
	}
	hs, err := heads(in.ctx, in.tx, in.tx.Dialect, in.e.ID, all)
	if err != nil {
		return err
	}
	if err := in.readRenewals(chunk, hs); err != nil {
		return err
	}
	chosen := make(map[string]string)
	for i := range chunk {
		p := &chunk[i]
		forms := p.op.forms
		if len(forms) == 0 {
			continue
		}
		to := pickForm(forms, hs, chosen)
		if p.op.lifetime && !slices.ContainsFunc(forms, func(f string) bool {
			_, c := chosen[f]
			_, h := hs[f]
			return c || h
		}) {
			// Stored under no form of its own: the one record of its
			// holder's permits stored whole, if any.
			r, err := in.e.renewed(forms[0], hs, p.op.Op == Add)
			if x := errs.As(err); x != nil {
				p.ambiguous = x.Message
				continue
			}
			if r != "" {
				to = r
			}
		}
		for _, f := range forms {
			chosen[f] = to
		}
		chosen[to] = to
		if to == p.op.SubjectID {
			continue
		}
		for _, it := range in.e.Items {
			if v, ok := p.op.Values[it.Name]; ok && it.IdentifiesSubject && v == p.op.SubjectID {
				p.op.Values[it.Name] = to
			}
		}
		p.op.SubjectID = to
		if p.op.Op == Add {
			if p.js, err = encodeVals(p.op.Values); err != nil {
				return err
			}
		}
	}
	return nil
}

// readRenewals adds to hs the records stored under the whole numbers of
// the permits of the operations of chunk whose subject_id is a lifetime
// number (Op.lifetime) stored under no form of their own (renewalHeads).
func (in *ingest) readRenewals(chunk []pending, hs map[string]head) error {
	var ids []string
	for i := range chunk {
		op := &chunk[i].op
		if !op.lifetime || slices.ContainsFunc(op.forms, func(f string) bool { _, ok := hs[f]; return ok }) {
			continue
		}
		ids = append(ids, op.forms[0])
	}
	if len(ids) == 0 {
		return nil
	}
	slices.Sort(ids)
	found, err := renewalHeads(in.ctx, in.tx, in.tx.Dialect, in.e.ID, slices.Compact(ids))
	maps.Copy(hs, found)
	return err
}

// pickForm returns the form of forms an operation is applied under
// (resolveForms): one chosen before for any of them, else the first with a
// live record in hs, else the first with a record, else the first.
func pickForm(forms []string, hs map[string]head, chosen map[string]string) string {
	for _, f := range forms {
		if to, ok := chosen[f]; ok {
			return to
		}
	}
	for _, f := range forms {
		if h, ok := hs[f]; ok && h.op != Cancel {
			return f
		}
	}
	for _, f := range forms {
		if _, ok := hs[f]; ok {
			return f
		}
	}
	return forms[0]
}

// loadStates reads the current records of subjects into states.
func (in *ingest) loadStates(subjects []string, states map[string]*state) error {
	hs, err := heads(in.ctx, in.tx, in.tx.Dialect, in.e.ID, subjects)
	if err != nil {
		return err
	}
	for s, h := range hs {
		st := states[s]
		st.exists, st.active, st.version, st.seq, st.vals, st.produced = true, h.op != Cancel, h.version, h.seq, h.vals, h.produced
		if in.res.FirstSeq > 0 && h.seq >= in.res.FirstSeq {
			st.by = earlierChunk
		}
	}
	return nil
}
