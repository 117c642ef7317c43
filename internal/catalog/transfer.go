package catalog

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
)

// Transfer asks for catalog entries of one department to pass to
// another (机构改革: a department dissolved or reorganised): the entries
// EntryIDs names, each of department FromDepartmentID, or every entry of
// that department when EntryIDs is empty.
type Transfer struct {
	FromDepartmentID int64   `json:"from_department_id"`
	ToDepartmentID   int64   `json:"to_department_id"`
	EntryIDs         []int64 `json:"entry_ids,omitempty"`
}

// TransferredEntry is an entry a transfer moved, as it was before.
type TransferredEntry struct {
	ID     int64  `json:"id"`
	Code   string `json:"code"`
	Name   string `json:"name"`
	Status Status `json:"status"`
}

// TransferResult reports a transfer: the two departments and the entries
// moved, in the order of their ids.
type TransferResult struct {
	FromDepartmentID   int64              `json:"from_department_id"`
	FromDepartmentName string             `json:"from_department_name"`
	ToDepartmentID     int64              `json:"to_department_id"`
	ToDepartmentName   string             `json:"to_department_name"`
	Entries            []TransferredEntry `json:"entries"`
}

// MaxTransferEntries bounds the entries one transfer names (EntryIDs).
const MaxTransferEntries = 10000

// TransferEntries moves catalog entries from one department to another,
// for the platform operator alone, in tx: all of them or, refused, none
// (docs/catalog-transfer.md). Each entry keeps its id, resource code,
// versions, records and history; what names its department moves with it:
// the entry's department (its provider: pushes, edits and the public
// catalog follow it), its records' counters (record_entry_stats) and its
// side of the cross-check discrepancies not yet closed, and the source
// conflicts of the reviews under way are brought up to date (an entry of
// the department reviewed is no longer another department's rival). A
// revision being compiled or sent back (draft, rejected) moves with the
// entry, to be finished by the new department; a version under review
// (submitted) refuses the transfer (entry_under_review), and so does a
// retirement request under review (retire_requested): the department
// that submitted or asked answers for it; a request sent back stays with
// the entry, as its last. A name the receiving department already uses
// for an entry published or under review refuses it too
// (duplicate_entry_name), and a disabled receiving department refuses
// every entry (department_disabled): a department leaving may be
// disabled, one receiving may not. What happened before stays as it was: the
// batches and record versions name the department that pushed them, the
// feedback on discrepancies the department that gave it. Each entry moved
// leaves an audit row, catalog.transfer, naming both departments.
func TransferEntries(ctx context.Context, tx *sqldb.Tx, by Actor, t Transfer, now time.Time) (TransferResult, error) {
	var res TransferResult
	if !by.Operator {
		return res, errs.E(errs.Forbidden, "forbidden", "只有平台管理员可以转移数据资源")
	}
	switch {
	case t.FromDepartmentID <= 0:
		return res, errs.Field("from_department_id", "from_department_required", "请指定转出部门")
	case t.ToDepartmentID <= 0:
		return res, errs.Field("to_department_id", "to_department_required", "请指定接收部门")
	case t.FromDepartmentID == t.ToDepartmentID:
		return res, errs.Field("to_department_id", "same_department", "接收部门与转出部门相同，无需转移")
	case len(t.EntryIDs) > MaxTransferEntries:
		return res, errs.Field("entry_ids", "too_many_entries",
			fmt.Sprintf("一次最多转移 %d 个数据资源", MaxTransferEntries))
	}
	// The receiving department's row first, then the sources' (as Submit
	// and Approve take them): names checked free stay free until the
	// commit. It is read after the lock, which a disable holding it (FOR
	// UPDATE on PostgreSQL) makes wait, so a disable committed meanwhile is
	// seen and refuses the transfer.
	if err := lockDepartment(ctx, tx, t.ToDepartmentID); err != nil {
		return res, err
	}
	from, err := transferDepartment(ctx, tx, t.FromDepartmentID, "from_department_id")
	if err != nil {
		return res, err
	}
	to, err := transferDepartment(ctx, tx, t.ToDepartmentID, "to_department_id")
	if err != nil {
		return res, err
	}
	// The refusals name the departments by their labels (org.DepartmentLabel):
	// two may share a name (every district has its 区市场监督管理局).
	labels, err := org.DepartmentLabels(ctx, tx, []int64{from.ID, to.ID})
	if err != nil {
		return res, err
	}
	if to.Disabled {
		return res, &errs.Error{Kind: errs.Conflict, Code: "department_disabled", Field: "to_department_id", Message: "接收部门“" +
			labels[to.ID] + "”已停用，不能接收数据资源；请转移到在用的部门，或先由平台管理员启用该部门"}
	}
	res = TransferResult{FromDepartmentID: from.ID, FromDepartmentName: from.Name, ToDepartmentID: to.ID,
		ToDepartmentName: to.Name, Entries: []TransferredEntry{}}
	if err := lockSources(ctx, tx, now); err != nil {
		return res, err
	}
	ids, err := transferIDs(ctx, tx, t, from.ID, labels[from.ID])
	if err != nil {
		return res, err
	}
	entries := make([]Entry, 0, len(ids))
	var busy, retiring, named []string
	for _, id := range ids {
		if err := lockEntry(ctx, tx, id); err != nil {
			return res, err
		}
		e, err := load(ctx, tx, id)
		if err != nil {
			return res, err
		}
		if e.DepartmentID != from.ID { // moved since transferIDs read it
			return res, errs.E(errs.Conflict, "concurrent_update", "数据资源 "+e.Code+" 正被他人转移，请刷新后重试")
		}
		if e.Status == Submitted || e.WorkingStatus == Submitted {
			busy = append(busy, e.Code)
		}
		req, err := loadRetireRequest(ctx, tx, id)
		if err != nil {
			return res, err
		}
		if req.Pending() {
			retiring = append(retiring, e.Code)
		}
		if held, err := transferNameHeld(ctx, tx, e, to.ID); err != nil {
			return res, err
		} else if held != "" {
			named = append(named, fmt.Sprintf("%s“%s”（接收部门的 %s）", e.Code, e.Name, held))
		}
		entries = append(entries, e)
	}
	if len(busy) > 0 {
		return res, &errs.Error{Kind: errs.Conflict, Code: "entry_under_review", Field: "entry_ids", Message: fmt.Sprintf(
			"以下数据资源有版本正在审核，不能转移：%s。请先审核通过或退回后再转移", strings.Join(busy, "、"))}
	}
	if len(retiring) > 0 {
		return res, &errs.Error{Kind: errs.Conflict, Code: "retire_requested", Field: "entry_ids", Message: fmt.Sprintf(
			"以下数据资源的注销申请正在审核，不能转移：%s。请先审核该申请或由原部门撤回后再转移", strings.Join(retiring, "、"))}
	}
	if len(named) > 0 {
		return res, &errs.Error{Kind: errs.Conflict, Code: "duplicate_entry_name", Field: "entry_ids", Message: fmt.Sprintf(
			"接收部门“%s”已有同名的数据资源，转移后将重复编目：%s。请先注销重复的一个，或修订名称后再转移",
			labels[to.ID], strings.Join(named, "、"))}
	}
	headChange(tx)
	var moved []Resource
	for _, e := range entries {
		if err := moveEntry(ctx, tx, e.ID, to.ID, now); err != nil {
			return res, err
		}
		if e.Status == Published {
			moved = append(moved, e.Resource)
		}
		err := record(ctx, tx, by, "catalog.transfer", e, now,
			"from_department_id", strconv.FormatInt(from.ID, 10), "from_department", from.Name,
			"to_department_id", strconv.FormatInt(to.ID, 10), "to_department", to.Name)
		if err != nil {
			return res, err
		}
		res.Entries = append(res.Entries, TransferredEntry{ID: e.ID, Code: e.Code, Name: e.Name, Status: e.Status})
	}
	if err := refreshPending(ctx, tx, 0, now, moved...); err != nil {
		return res, err
	}
	return res, nil
}

// transferDepartment returns department id of a transfer, refusing an
// unknown one (404 department_not_found) at field.
func transferDepartment(ctx context.Context, tx *sqldb.Tx, id int64, field string) (org.Department, error) {
	d, err := org.DepartmentByID(ctx, tx, id)
	if errs.KindOf(err) == errs.NotFound {
		return d, &errs.Error{Kind: errs.NotFound, Code: "department_not_found", Field: field,
			Message: fmt.Sprintf("部门不存在：%d", id)}
	}
	return d, err
}

// transferIDs returns the entries t moves, in the order of their ids:
// those it names, each once and each of department from, or every entry
// of from, named fromLabel in a refusal; none is refused (no_entries).
func transferIDs(ctx context.Context, tx *sqldb.Tx, t Transfer, from int64, fromLabel string) ([]int64, error) {
	if len(t.EntryIDs) == 0 {
		entries, err := departmentEntries(ctx, tx, from)
		if err != nil {
			return nil, err
		}
		if len(entries) == 0 {
			return nil, errs.E(errs.Conflict, "no_entries", "部门“"+fromLabel+"”没有数据资源，无可转移")
		}
		ids := make([]int64, len(entries))
		for i, e := range entries {
			ids[i] = e.ID
		}
		return ids, nil
	}
	ids := slices.Clone(t.EntryIDs)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	owners, err := entryOwners(ctx, tx, ids)
	if err != nil {
		return nil, err
	}
	var others []string
	for _, id := range ids {
		o, ok := owners[id]
		if !ok {
			return nil, &errs.Error{Kind: errs.NotFound, Code: "entry_not_found", Field: "entry_ids",
				Message: fmt.Sprintf("数据资源不存在：%d", id)}
		}
		if o.department != from {
			others = append(others, o.code)
		}
	}
	if len(others) > 0 {
		return nil, &errs.Error{Kind: errs.Conflict, Code: "entry_not_of_department", Field: "entry_ids", Message: fmt.Sprintf(
			"以下数据资源不属于转出部门“%s”，未转移：%s", fromLabel, strings.Join(others, "、"))}
	}
	return ids, nil
}

// entryOwner is an entry's department and code, as transferIDs checks it.
type entryOwner struct {
	department int64
	code       string
}

// transferChunk bounds the ids of one query of entryOwners, well under
// either engine's limit of parameters.
const transferChunk = 500

// entryOwners reads the department and code of the entries ids names, a
// query for each transferChunk of them; an id of no entry is not in the
// map.
func entryOwners(ctx context.Context, tx *sqldb.Tx, ids []int64) (map[int64]entryOwner, error) {
	out := make(map[int64]entryOwner, len(ids))
	for rest := ids; len(rest) > 0; {
		n := min(len(rest), transferChunk)
		var args []any
		in := sqldb.In(tx, &args, rest[:n], 0)
		rows, err := tx.QueryContext(ctx, `SELECT id, department_id, code FROM catalog_entries WHERE id IN `+in, args...)
		if err != nil {
			return nil, fmt.Errorf("catalog entries to transfer: %w", err)
		}
		for rows.Next() {
			var id int64
			var o entryOwner
			if err := rows.Scan(&id, &o.department, &o.code); err != nil {
				rows.Close()
				return nil, fmt.Errorf("catalog entries to transfer: %w", err)
			}
			out[id] = o
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("catalog entries to transfer: %w", err)
		}
		rest = rest[n:]
	}
	return out, nil
}

// transferNameHeldQuery reads the entries of department $2 named $1
// through catalog_entries_name_key, the department compared on the rows
// found (+department_id keeps the planner from an index of it), as
// nameFreeQuery does: without statistics SQLite searched the department's
// index (department_id, status) instead, reading each of the receiving
// department's entries published or under review for every entry moved.
const transferNameHeldQuery = `SELECT code FROM catalog_entries WHERE name_key = $1 AND +department_id = $2
	AND status IN ('published', 'submitted') ORDER BY code LIMIT 1`

// transferNameHeld returns the code of the entry of department to,
// published or under review, named as e is in force (or, before its
// first approval, as its draft is), "" when none: a department catalogs
// one resource once (nameFree). A retired entry, a draft and one sent back
// hold no name, moved or received.
func transferNameHeld(ctx context.Context, tx *sqldb.Tx, e Entry, to int64) (string, error) {
	if e.Status == Retired || e.Status == Draft || e.Status == Rejected {
		return "", nil
	}
	var code string
	err := tx.QueryRowContext(ctx, transferNameHeldQuery, NameKey(e.Name), to).Scan(&code)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("catalog entries named %s: %w", e.Name, err)
	}
	return code, nil
}

// moveEntry makes department to the provider of entry id: the entry, its
// records' counters, and its side of the discrepancies not yet closed.
func moveEntry(ctx context.Context, tx *sqldb.Tx, id, to int64, now time.Time) error {
	for _, s := range []struct{ what, query string }{
		{"catalog entry", `UPDATE catalog_entries SET department_id = $2, updated_at = $3 WHERE id = $1`},
		{"record counters", `UPDATE record_entry_stats SET department_id = $2 WHERE entry_id = $1`},
		{"discrepancies", `UPDATE record_discrepancies SET department_a = $2
			WHERE entry_a = $1 AND status IN ('open', 'awaiting_correction')`},
		{"discrepancies", `UPDATE record_discrepancies SET department_b = $2
			WHERE entry_b = $1 AND status IN ('open', 'awaiting_correction')`},
	} {
		args := []any{id, to}
		if strings.Contains(s.query, "$3") {
			args = append(args, now.UTC())
		}
		if _, err := tx.ExecContext(ctx, s.query, args...); err != nil {
			return fmt.Errorf("transfer %s of entry %d: %w", s.what, id, err)
		}
	}
	return nil
}

// DepartmentEntries lists every entry of department id, in any status, in
// the order of their ids: what a transfer of the whole department moves,
// for the operator's form to list before it is confirmed.
func DepartmentEntries(ctx context.Context, q sqldb.Querier, by Actor, id int64) ([]TransferredEntry, error) {
	if !by.Operator {
		return nil, errs.E(errs.Forbidden, "forbidden", "只有平台管理员可以转移数据资源")
	}
	return departmentEntries(ctx, q, id)
}

// departmentEntries lists every entry of department id, in the order of
// their ids (DepartmentEntries, and the entries transferIDs moves when a
// transfer names none).
func departmentEntries(ctx context.Context, q sqldb.Querier, id int64) ([]TransferredEntry, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, code, name, status FROM catalog_entries WHERE department_id = $1 ORDER BY id`, id)
	if err != nil {
		return nil, fmt.Errorf("catalog entries of department %d: %w", id, err)
	}
	defer rows.Close()
	out := []TransferredEntry{}
	for rows.Next() {
		var e TransferredEntry
		if err := rows.Scan(&e.ID, &e.Code, &e.Name, &e.Status); err != nil {
			return nil, fmt.Errorf("catalog entries of department %d: %w", id, err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// withTransfers adds the transfers of entry id to its review steps rs,
// audit rows whose sequence numbers are seqs, in the audit log's order:
// audit rows of catalog.transfer, read by their action (audit_log_action),
// which a transfer alone writes, one per entry moved. Not by time: a
// server clock stepped back (or one of several servers over one database
// behind another) stamps a later step earlier.
func withTransfers(ctx context.Context, q sqldb.Querier, id int64, rs []Review, seqs []int64) ([]Review, error) {
	rows, err := q.QueryContext(ctx, `SELECT seq, at, actor_name, detail FROM audit_log WHERE action = 'catalog.transfer'
		AND object_type = 'catalog_entry' AND object_id = $1 AND outcome = $2 ORDER BY seq`, strconv.FormatInt(id, 10), audit.OK)
	if err != nil {
		return nil, fmt.Errorf("transfers of catalog entry %d: %w", id, err)
	}
	defer rows.Close()
	out := make([]Review, 0, len(rs))
	for rows.Next() {
		r := Review{Action: "transfer"}
		var seq int64
		var detail string
		if err := rows.Scan(&seq, &r.At, &r.By, &detail); err != nil {
			return nil, fmt.Errorf("transfers of catalog entry %d: %w", id, err)
		}
		var kv map[string]string
		if err := json.Unmarshal([]byte(detail), &kv); err != nil {
			return nil, fmt.Errorf("transfers of catalog entry %d: %w", id, err)
		}
		r.At, r.Reason = r.At.UTC(), "由“"+kv["from_department"]+"”转移到“"+kv["to_department"]+"”"
		for len(seqs) > 0 && seqs[0] < seq {
			out, rs, seqs = append(out, rs[0]), rs[1:], seqs[1:]
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("transfers of catalog entry %d: %w", id, err)
	}
	return append(out, rs...), nil
}
