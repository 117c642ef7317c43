package catalog

import (
	"context"
	"database/sql"
	"encoding/base64"
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

// RetireState is the state of a department's request to retire one of
// its published entries (注销申请): under the operator's review, sent
// back with a reason, approved (the entry retired) or withdrawn. Every
// request is kept, for the entry's history (Reviews); the entry shows its
// last one while it is under review or sent back (Entry.RetireRequest).
type RetireState string

const (
	RetireRequested RetireState = "requested" // waiting for the operator's review; the entry stays published
	RetireRejected  RetireState = "rejected"  // sent back with a reason; the entry stays published
	RetireApproved  RetireState = "approved"  // the entry retired, by the approval or the operator's own retirement
	RetireWithdrawn RetireState = "withdrawn" // withdrawn by the department while under review
)

// Label is the Chinese name of the state.
func (s RetireState) Label() string {
	switch s {
	case RetireRequested:
		return "注销申请待审核"
	case RetireRejected:
		return "注销申请已退回"
	case RetireApproved:
		return "注销申请已通过"
	case RetireWithdrawn:
		return "注销申请已撤回"
	}
	return string(s)
}

// RetireRequest is a department's last request to retire its entry, as the
// department and the reviewers see it on the entry (Entry.RetireRequest).
type RetireRequest struct {
	State        RetireState `json:"state"`
	Reason       string      `json:"reason"`
	RequestedBy  string      `json:"requested_by"`
	RequestedAt  time.Time   `json:"requested_at"`
	RejectReason string      `json:"reject_reason,omitempty"`
	ReviewedBy   string      `json:"reviewed_by,omitempty"`
	ReviewedAt   *time.Time  `json:"reviewed_at,omitempty"`
}

// Pending reports whether r is a request under review.
func (r *RetireRequest) Pending() bool { return r != nil && r.State == RetireRequested }

// loadRetireRequest reads the last retirement request of entry id while
// it is under review or sent back; its State is empty when there is none,
// or when the last was approved or withdrawn.
func loadRetireRequest(ctx context.Context, q sqldb.Querier, id int64) (RetireRequest, error) {
	var r RetireRequest
	var reviewed sql.NullTime
	err := q.QueryRowContext(ctx, `SELECT state, reason, requested_by, requested_at, reject_reason, reviewed_by, reviewed_at
		FROM catalog_retire_requests WHERE entry_id = $1 ORDER BY id DESC LIMIT 1`, id).Scan(&r.State, &r.Reason,
		&r.RequestedBy, &r.RequestedAt, &r.RejectReason, &r.ReviewedBy, &reviewed)
	if errors.Is(err, sql.ErrNoRows) {
		return RetireRequest{}, nil
	}
	if err != nil {
		return RetireRequest{}, fmt.Errorf("retirement request of catalog entry %d: %w", id, err)
	}
	if r.State != RetireRequested && r.State != RetireRejected {
		return RetireRequest{}, nil
	}
	r.RequestedAt, r.ReviewedAt = r.RequestedAt.UTC(), utcPtr(reviewed)
	return r, nil
}

// closeRetireRequest closes the request of entry id under review, as
// state (approved, rejected or withdrawn), by by at now, with the reason
// of a rejection (empty otherwise, as the request was stored); none under
// review is nothing to close.
func closeRetireRequest(ctx context.Context, tx *sqldb.Tx, by Actor, id int64, state RetireState, rejectReason string, now time.Time) error {
	if _, err := tx.ExecContext(ctx, `UPDATE catalog_retire_requests SET state = $2, reject_reason = $3, reviewed_by = $4,
		reviewed_at = $5 WHERE entry_id = $1 AND state = $6`, id, string(state), rejectReason, by.Name, now.UTC(),
		string(RetireRequested)); err != nil {
		return fmt.Errorf("close retirement request of catalog entry %d: %w", id, err)
	}
	return nil
}

// retirable locks and loads entry id for its retirement, or a request of
// it, by by, and checks the reason: who may neither retire nor request it
// is refused first (403), whatever the reason, then an entry that is not
// published (entry never published are deleted instead, Delete) or whose
// revision is under review.
func retirable(ctx context.Context, tx *sqldb.Tx, by Actor, id int64, reason string, now time.Time) (Entry, string, error) {
	if err := lockSources(ctx, tx, now); err != nil {
		return Entry{}, "", err
	}
	if err := lockEntry(ctx, tx, id); err != nil {
		return Entry{}, "", err
	}
	e, err := mayRetire(ctx, tx, by, id)
	if err != nil {
		return e, "", err
	}
	reason, err = checkReason(reason, "注销")
	if err != nil {
		return e, "", err
	}
	switch {
	case e.Status != Published:
		return e, "", errs.E(errs.Conflict, "not_published", "只有已发布的数据资源可以注销")
	case e.WorkingStatus == Submitted:
		return e, "", errs.E(errs.Conflict, "entry_submitted", "数据资源有待审核的修订，审核完成前不能注销")
	}
	return e, reason, nil
}

// mayRetire loads entry id as by sees it (loadVisible), refusing by
// (forbidden) unless it is the operator or may edit the entry's
// department's entries.
func mayRetire(ctx context.Context, q sqldb.Querier, by Actor, id int64) (Entry, error) {
	e, err := loadVisible(ctx, q, by, id)
	if err != nil {
		return e, err
	}
	if !by.Operator && !by.mayEdit(e.DepartmentID) {
		return e, errs.E(errs.Forbidden, "forbidden", "只能注销本部门的数据资源")
	}
	return e, nil
}

// CheckRetire refuses by the retirement of entry id, or its request, as
// RetireIf does before it looks at the reason: entry_not_found for an
// entry that does not exist or that by may not see, forbidden for one it
// may neither retire nor ask to. The API checks it before it reads the
// body, so that a caller who may not is refused whatever it sends; RetireIf
// checks again.
func CheckRetire(ctx context.Context, q sqldb.Querier, by Actor, id int64) error {
	_, err := mayRetire(ctx, q, by, id)
	return err
}

// requestRetire records the department's request to retire e (published,
// locked, no revision under review) for the operator's review: the entry
// stays published, a source and open to pushes until a reviewer approves
// it (ApproveRetire). A request already under review is refused
// (retire_requested); one sent back before is kept, in the entry's
// history, and this one is the entry's last.
func requestRetire(ctx context.Context, tx *sqldb.Tx, by Actor, e Entry, reason string, now time.Time) (Entry, error) {
	prev, err := loadRetireRequest(ctx, tx, e.ID)
	if err != nil {
		return e, err
	}
	if prev.Pending() {
		return e, errs.E(errs.Conflict, "retire_requested", "数据资源已申请注销，正等待政务数据主管部门审核；如需修改理由请先撤回申请")
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO catalog_retire_requests (entry_id, state, reason, requested_by, requested_at)
		VALUES ($1, $2, $3, $4, $5)`, e.ID, string(RetireRequested), reason, by.Name, now.UTC()); err != nil {
		return e, fmt.Errorf("request retirement of catalog entry %d: %w", e.ID, err)
	}
	if err := record(ctx, tx, by, "catalog.retire.request", e, now, "reason", reason); err != nil {
		return e, err
	}
	return Get(ctx, tx, by, e.ID)
}

// retireTags is checkTags for a step of e's retirement (RetireIf,
// ApproveRetireIf, RejectRetireIf, WithdrawRetireIf), e locked and loaded:
// the retirement acts on the whole entry, its revision being compiled with
// it, so the tag of either view of the entry as it now is (EditTag as Get
// reads it, the version in force, or as Working does, the revision) is
// current. A tag read before a revision was opened, edited or discarded, or
// a version approved, is refused with concurrent_update and refusal.
func retireTags(ctx context.Context, q sqldb.Querier, e Entry, tags []string, refusal string) error {
	if tags == nil {
		return nil
	}
	if e.PublishedVersion != 0 {
		inForce, err := versionTag(ctx, q, e, e.PublishedVersion)
		if err != nil {
			return err
		}
		if slices.Contains(tags, inForce) {
			return nil
		}
	}
	return checkTags(ctx, q, e, tags, refusal)
}

// retireReviewable locks and loads entry id, whose retirement request a
// reviewer decides: only the operator and its reviewers may (NotReviewer),
// and only a request under review (retire_not_requested).
func retireReviewable(ctx context.Context, tx *sqldb.Tx, by Actor, id int64, now time.Time) (Entry, RetireRequest, error) {
	if !by.Reviews() {
		return Entry{}, RetireRequest{}, NotReviewer()
	}
	if err := lockSources(ctx, tx, now); err != nil {
		return Entry{}, RetireRequest{}, err
	}
	if err := lockEntry(ctx, tx, id); err != nil {
		return Entry{}, RetireRequest{}, err
	}
	e, err := load(ctx, tx, id)
	if err != nil {
		return e, RetireRequest{}, err
	}
	req, err := loadRetireRequest(ctx, tx, id)
	if err != nil {
		return e, req, err
	}
	if !req.Pending() {
		return e, req, errs.E(errs.Conflict, "retire_not_requested", "数据资源没有待审核的注销申请")
	}
	return e, req, nil
}

// ApproveRetire approves the department's request to retire entry id: the
// entry is retired as Retire retires it (its revision being compiled, if
// any, with it), and the audit row (catalog.retire.approve) keeps the
// department's reason and who asked.
func ApproveRetire(ctx context.Context, tx *sqldb.Tx, by Actor, id int64, now time.Time) (Entry, error) {
	return ApproveRetireIf(ctx, tx, by, id, nil, now)
}

// ApproveRetireIf is ApproveRetire of the entry one of tags names
// (retireTags), refused with concurrent_update when it has changed since the
// reviewer read it. Nil tags is ApproveRetire.
func ApproveRetireIf(ctx context.Context, tx *sqldb.Tx, by Actor, id int64, tags []string, now time.Time) (Entry, error) {
	e, req, err := retireReviewable(ctx, tx, by, id, now)
	if err != nil {
		return e, err
	}
	if err := retireTags(ctx, tx, e, tags, "该数据资源已被他人修改，请刷新核对后重新审核注销申请"); err != nil {
		return e, err
	}
	if err := retire(ctx, tx, by, "catalog.retire.approve", e, now, "reason", req.Reason, "requested_by", req.RequestedBy); err != nil {
		return e, err
	}
	return Get(ctx, tx, by, id)
}

// RejectRetire sends the department's request to retire entry id back
// with a reason, which the department reads on the entry: the entry stays
// published, as it was. Who asks is checked before the reason, as for
// Reject.
func RejectRetire(ctx context.Context, tx *sqldb.Tx, by Actor, id int64, reason string, now time.Time) (Entry, error) {
	return RejectRetireIf(ctx, tx, by, id, nil, reason, now)
}

// RejectRetireIf is RejectRetire of the entry one of tags names
// (retireTags), as ApproveRetireIf. Nil tags is RejectRetire.
func RejectRetireIf(ctx context.Context, tx *sqldb.Tx, by Actor, id int64, tags []string, reason string, now time.Time) (Entry, error) {
	e, req, err := retireReviewable(ctx, tx, by, id, now)
	if err != nil {
		return e, err
	}
	reason, err = checkReason(reason, "退回")
	if err != nil {
		return e, err
	}
	if err := retireTags(ctx, tx, e, tags, "该数据资源已被他人修改，请刷新核对后重新审核注销申请"); err != nil {
		return e, err
	}
	if err := closeRetireRequest(ctx, tx, by, id, RetireRejected, reason, now); err != nil {
		return e, err
	}
	if err := record(ctx, tx, by, "catalog.retire.reject", e, now, "reason", reason,
		"requested_by", req.RequestedBy, "request_reason", req.Reason); err != nil {
		return e, err
	}
	return Get(ctx, tx, by, id)
}

// WithdrawRetire withdraws the department's request to retire entry id
// while it is under review: who may edit the entry may (an entry of
// another department that by may not see is not found, as for Update).
func WithdrawRetire(ctx context.Context, tx *sqldb.Tx, by Actor, id int64, now time.Time) (Entry, error) {
	return WithdrawRetireIf(ctx, tx, by, id, nil, now)
}

// WithdrawRetireIf is WithdrawRetire of the entry one of tags names
// (retireTags), refused with concurrent_update when it has changed since it
// was read. Nil tags is WithdrawRetire.
func WithdrawRetireIf(ctx context.Context, tx *sqldb.Tx, by Actor, id int64, tags []string, now time.Time) (Entry, error) {
	e, err := editable(ctx, tx, by, id, "只能撤回本部门数据资源的注销申请")
	if err != nil {
		return e, err
	}
	req, err := loadRetireRequest(ctx, tx, id)
	if err != nil {
		return e, err
	}
	if !req.Pending() {
		return e, errs.E(errs.Conflict, "retire_not_requested", "数据资源没有待审核的注销申请")
	}
	if err := retireTags(ctx, tx, e, tags, "该数据资源已被他人修改，请刷新核对后再撤回注销申请"); err != nil {
		return e, err
	}
	if err := closeRetireRequest(ctx, tx, by, id, RetireWithdrawn, "", now); err != nil {
		return e, err
	}
	if err := record(ctx, tx, by, "catalog.retire.withdraw", e, now, "request_reason", req.Reason); err != nil {
		return e, err
	}
	return Get(ctx, tx, by, id)
}

// RetireRequestSummary is one retirement request under review, as the
// review queue lists it.
type RetireRequestSummary struct {
	EntryID        int64     `json:"entry_id"`
	Code           string    `json:"code"`
	Name           string    `json:"name"`
	DepartmentID   int64     `json:"department_id"`
	DepartmentName string    `json:"department_name"`
	Reason         string    `json:"reason"`
	RequestedBy    string    `json:"requested_by"`
	RequestedAt    time.Time `json:"requested_at"`
}

// RetireQuery pages the retirement requests under review (RetireRequests).
type RetireQuery struct {
	// Filter narrows the requests by their entries: its department, text
	// (every word in the entry's name or code) and attribute filters;
	// its statuses, review due, sort, cursor and limit are not read.
	Filter Query
	Cursor string // from RetirePage.NextCursor
	Limit  int    // default 20, at most 100
}

// RetirePage is one page of retirement requests under review.
type RetirePage struct {
	Items      []RetireRequestSummary `json:"items"`
	NextCursor string                 `json:"next_cursor,omitempty"`
}

// retireCursor is the request a page ended with: requests are paged in
// the order they were made, their id's, not by requested_at, which a
// server clock that was stepped back (or one of several servers over one
// database behind another) would put before requests already paged past.
type retireCursor struct {
	Request int64  `json:"r"`
	List    string `json:"f"` // listKey of the filter
}

// RetireRequests lists a page of the retirement requests under review,
// oldest first (in the order they were made): every department's to the reviewers, the caller's
// department's to anyone else (none to a caller of no department), under
// rq's filter. A cursor of another filter is refused (invalid_cursor).
func RetireRequests(ctx context.Context, q sqldb.Querier, by Actor, rq RetireQuery) (RetirePage, error) {
	if rq.Limit <= 0 {
		rq.Limit = 20
	}
	rq.Limit = min(rq.Limit, 100)
	list := listKey(by, retireFilter(rq.Filter))
	b := &sqlb{}
	if err := retireWhere(b, by, rq.Filter); err != nil {
		return RetirePage{}, err
	}
	if rq.Cursor != "" {
		var c retireCursor
		raw, err := base64.RawURLEncoding.DecodeString(rq.Cursor)
		if err == nil {
			err = json.Unmarshal(raw, &c)
		}
		// A cursor of before 2026-12-06 (requested_at and entry id, no
		// request) is refused as any other.
		if err != nil || c.List != list || c.Request <= 0 {
			return RetirePage{}, errInvalidCursor()
		}
		b.where(`r.id > ` + b.arg(c.Request))
	}
	rows, err := q.QueryContext(ctx, `SELECT r.id, e.id, e.code, e.name, e.department_id, d.name, r.reason, r.requested_by, r.requested_at
		FROM catalog_retire_requests r JOIN catalog_entries e ON e.id = r.entry_id JOIN departments d ON d.id = e.department_id`+
		b.clause()+` ORDER BY r.id LIMIT `+strconv.Itoa(rq.Limit+1), b.args...)
	if err != nil {
		return RetirePage{}, fmt.Errorf("catalog retirement requests: %w", err)
	}
	defer rows.Close()
	page := RetirePage{Items: []RetireRequestSummary{}}
	var lastID int64
	for rows.Next() {
		var s RetireRequestSummary
		var id int64
		if err := rows.Scan(&id, &s.EntryID, &s.Code, &s.Name, &s.DepartmentID, &s.DepartmentName, &s.Reason,
			&s.RequestedBy, &s.RequestedAt); err != nil {
			return RetirePage{}, fmt.Errorf("catalog retirement requests: %w", err)
		}
		s.RequestedAt = s.RequestedAt.UTC()
		if len(page.Items) == rq.Limit {
			raw, _ := json.Marshal(retireCursor{Request: lastID, List: list}) // plain fields always marshal
			page.NextCursor = base64.RawURLEncoding.EncodeToString(raw)
			break
		}
		page.Items = append(page.Items, s)
		lastID = id
	}
	return page, rows.Err()
}

// CountRetireRequests counts the retirement requests under review that
// RetireRequests lists to by under filter (RetireQuery.Filter).
func CountRetireRequests(ctx context.Context, q sqldb.Querier, by Actor, filter Query) (int, error) {
	b := &sqlb{}
	if err := retireWhere(b, by, filter); err != nil {
		return 0, err
	}
	var n int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM catalog_retire_requests r JOIN catalog_entries e ON e.id = r.entry_id`+
		b.clause(), b.args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count catalog retirement requests: %w", err)
	}
	return n, nil
}

// retireFilter is the part of a query that filters retirement requests.
func retireFilter(f Query) Query {
	return Query{Text: f.Text, DepartmentID: f.DepartmentID, Domain: f.Domain, ShareType: f.ShareType,
		ShareMethod: f.ShareMethod, UpdateFrequency: f.UpdateFrequency, SecurityLevel: f.SecurityLevel,
		OpenAttribute: f.OpenAttribute, SubjectKind: f.SubjectKind}
}

// retireWhere states the requests under review that by sees, under f:
// its department and attribute filters on the entry, and each word of
// its text in the entry's name (as NameKey folds it) or code; a text with
// control characters or invalid UTF-8, or longer than MaxQueryChars, is
// refused, as Search refuses it (checkQueryText): each of its words is a
// condition of the statement.
func retireWhere(b *sqlb, by Actor, f Query) error {
	if err := checkQueryText(f.Text); err != nil {
		return err
	}
	b.where(`r.state = ` + b.arg(string(RetireRequested)))
	if !by.Reviews() {
		b.where(`e.department_id = ` + b.arg(by.DepartmentID))
	}
	facetWhere(b, f)
	for _, word := range strings.Fields(NameKey(f.Text)) {
		like := b.arg("%" + likeEscaper.Replace(word) + "%")
		b.where(`(e.name_key LIKE ` + like + ` ESCAPE '\' OR e.code LIKE ` + like + ` ESCAPE '\')`)
	}
	return nil
}

// retireSteps are the history actions (Review.Action) of a retirement
// request's outcome, by its state.
var retireSteps = map[RetireState]string{RetireRejected: "retire_reject", RetireApproved: "retire_approve",
	RetireWithdrawn: "retire_withdraw"}

// withRetireRequests adds the retirement requests of entry id to its
// review steps rs (mergeSteps): each request (retire_request, with its
// reason, who asked and when) and, once closed, its outcome (retire_reject
// with the reviewer's reason, retire_approve, retire_withdraw, by who
// closed it), in the order of the requests.
func withRetireRequests(ctx context.Context, q sqldb.Querier, id int64, rs []Review) ([]Review, error) {
	rows, err := q.QueryContext(ctx, `SELECT state, reason, requested_by, requested_at, reject_reason, reviewed_by, reviewed_at
		FROM catalog_retire_requests WHERE entry_id = $1 ORDER BY id`, id)
	if err != nil {
		return nil, fmt.Errorf("retirement requests of catalog entry %d: %w", id, err)
	}
	defer rows.Close()
	var steps []Review
	for rows.Next() {
		var r RetireRequest
		var reviewed sql.NullTime
		if err := rows.Scan(&r.State, &r.Reason, &r.RequestedBy, &r.RequestedAt, &r.RejectReason, &r.ReviewedBy,
			&reviewed); err != nil {
			return nil, fmt.Errorf("retirement requests of catalog entry %d: %w", id, err)
		}
		steps = append(steps, Review{Action: "retire_request", At: r.RequestedAt.UTC(), By: r.RequestedBy, Reason: r.Reason})
		if step, ok := retireSteps[r.State]; ok && reviewed.Valid {
			steps = append(steps, Review{Action: step, At: reviewed.Time.UTC(), By: r.ReviewedBy, Reason: r.RejectReason})
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("retirement requests of catalog entry %d: %w", id, err)
	}
	return mergeSteps(rs, steps), nil
}
