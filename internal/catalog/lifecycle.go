package catalog

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hutong-gov/hutong/internal/calendar"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/text"
)

// Submit sends the version being compiled to the operator's review and
// records the data items it shares with other departments' entries as
// source conflicts (一数一源) for the reviewer to decide. A version named as
// another of the department's entries in the catalog or under review is
// refused (nameFree), and so is a related code that is the entry's own, no
// entry's or a retired entry's (checkRelated). Fields stored
// before placeholders were refused that hold only one are cleared (audited
// as placeholders_cleared). It locks the entry before reading it
// (lockEntry): an edit under way is submitted, and checked, as edited.
// While the entry's retirement is requested (Retire's request under
// review) nothing is submitted (retire_requested): the reviewer decides one
// change of a published entry at a time.
func Submit(ctx context.Context, tx *sqldb.Tx, by Actor, id int64, now time.Time) (Entry, error) {
	return SubmitIf(ctx, tx, by, id, nil, now)
}

// SubmitIf is Submit of the metadata one of tags names (EditTag of the entry
// as the submitter read it, as UpdateIf takes): when another edit saved
// since, or what was read was the version in force beside the revision, it is
// refused with concurrent_update rather than submitting what the submitter
// never saw. Nil tags is Submit. A published entry with no revision is
// submitted as it stands when its yearly review is due or nearly so
// (ConfirmDue: 确认无变化，提交年度复核), tags then naming the version in force;
// earlier it has nothing to submit.
func SubmitIf(ctx context.Context, tx *sqldb.Tx, by Actor, id int64, tags []string, now time.Time) (Entry, error) {
	if err := lockSources(ctx, tx, now); err != nil {
		return Entry{}, err
	}
	e, err := editable(ctx, tx, by, id, "只能提交本部门的数据资源目录")
	if err != nil {
		return e, err
	}
	if e.Status == Retired {
		return e, errs.E(errs.Conflict, "entry_retired", "数据资源已注销，不能提交")
	}
	if req, err := loadRetireRequest(ctx, tx, id); err != nil {
		return e, err
	} else if req.Pending() {
		return e, errs.E(errs.Conflict, "retire_requested", "数据资源已申请注销，注销申请审核完成或撤回前不能提交修订")
	}
	unchanged := e.Status == Published && e.WorkingVersion == 0
	if unchanged && !ConfirmDue(e, now) {
		return e, errs.E(errs.Conflict, "nothing_to_submit", fmt.Sprintf(
			"没有待提交的修订稿：现行版本无需再次提交。内容无变化的年度复核自 %s 起可确认提交（到期前 %d 天），如需修改请新建版本",
			confirmFrom(e).In(calendar.Location()).Format("2006-01-02"), int(ConfirmWindow/(24*time.Hour))))
	}
	if !unchanged && e.WorkingStatus != Draft && e.WorkingStatus != Rejected {
		return e, errs.E(errs.Conflict, "nothing_to_submit", "没有待提交的草稿（已提交审核或已发布的版本无需再次提交）")
	}
	if err := checkTags(ctx, tx, e, tags, "该数据资源已被他人修改，请刷新核对后重新提交"); err != nil {
		return e, err
	}
	if unchanged {
		if e, err = openUnchanged(ctx, tx, by, e, now); err != nil {
			return e, err
		}
	}
	v, err := loadVersion(ctx, tx, id, e.WorkingVersion)
	if err != nil {
		return e, err
	}
	cleared := clearPlaceholders(&v.Resource)
	// nowValid and checkKeeping validate alike: one of them, the
	// unchanged confirmation's with its own message.
	if unchanged {
		if err := nowValid(v.Resource, inForce(e), "现行版本不符合现行目录规则，年度复核不能原样确认：请新建版本修改以下内容后提交。"); err != nil {
			return e, err
		}
		v.Resource.normalize()
	} else if err := checkKeeping(&v.Resource, inForce(e)); err != nil {
		return e, err
	}
	if err := nameFree(ctx, tx, e, v.Resource.Name, Submitted); err != nil {
		return e, err
	}
	if err := checkRelated(ctx, tx, e, v.Resource, false); err != nil {
		return e, err
	}
	if len(cleared) > 0 {
		if err := setVersionData(ctx, tx, id, e.WorkingVersion, v.Resource, now); err != nil {
			return e, err
		}
		if e.PublishedVersion == 0 {
			if err := writeHead(ctx, tx, id, e.Code, e.WorkingVersion, v.Resource, now); err != nil {
				return e, err
			}
		}
	}
	if err := setState(ctx, tx, e, Submitted, "", now, ""); err != nil {
		return e, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE catalog_entry_versions SET submitted_at = $3
		WHERE entry_id = $1 AND version = $2`, id, e.WorkingVersion, now.UTC()); err != nil {
		return e, fmt.Errorf("submit catalog version: %w", err)
	}
	if err := indexReview(ctx, tx, id, e.WorkingVersion, v.Resource); err != nil {
		return e, err
	}
	n, err := detectConflicts(ctx, tx, e, v.Resource, now)
	if err != nil {
		return e, err
	}
	digest, err := contentDigest(ctx, tx, id, e.WorkingVersion)
	if err != nil {
		return e, err
	}
	kv := []string{"version", strconv.Itoa(e.WorkingVersion), "content_digest", digest, "source_conflicts", strconv.Itoa(n)}
	if len(cleared) > 0 {
		kv = append(kv, "placeholders_cleared", strings.Join(cleared, "、"))
	}
	if unchanged {
		kv = append(kv, "unchanged_confirmation", strconv.Itoa(e.Version))
	}
	if err := record(ctx, tx, by, "catalog.submit", e, now, kv...); err != nil {
		return e, err
	}
	return Get(ctx, tx, by, id)
}

// ConfirmWindow is how long before its yearly maintenance falls due
// (ReviewDueFrom its last review) a published entry with no revision may
// be submitted as it stands (ConfirmDue): whole days, by the Beijing
// calendar.
const ConfirmWindow = 30 * 24 * time.Hour

// ConfirmDue reports whether e, published with no revision, may be
// submitted unchanged for its yearly review: at or after confirmFrom(e),
// ConfirmWindow before its review falls due, so while its review is due
// (the review_due flag) too. Submit then opens a revision identical to
// the version in force and submits it, so that an entry still correct is
// reviewed, and its review_due cleared, by the approval every revision
// takes, without an edit that changes nothing.
func ConfirmDue(e Entry, now time.Time) bool {
	return e.Status == Published && e.WorkingVersion == 0 && e.ReviewedAt != nil && !now.Before(confirmFrom(e))
}

// confirmFrom is when e's unchanged confirmation becomes possible:
// 00:00 Beijing of the day ConfirmWindow before its review falls due
// (ReviewDueFrom its last review; its publication for an entry never
// reviewed, as reviewed_at is set by the approval that publishes it), so
// that the date Submit's refusal names is the first day it is accepted.
// Beijing keeps no daylight saving time: a whole number of days before a
// midnight is a midnight.
func confirmFrom(e Entry) time.Time {
	at := e.ReviewedAt
	if at == nil {
		at = e.PublishedAt
	}
	if at == nil {
		return e.UpdatedAt
	}
	return ReviewDueFrom(*at).Add(-ConfirmWindow)
}

// openUnchanged opens, as the revision of e (published, locked, no
// revision), a version holding the metadata of the version in force as
// stored, which the submitter confirms unchanged (ConfirmDue). It writes no
// catalog.update row: the submission's audit row says it is a confirmation.
func openUnchanged(ctx context.Context, tx *sqldb.Tx, by Actor, e Entry, now time.Time) (Entry, error) {
	cur, err := loadVersion(ctx, tx, e.ID, e.Version)
	if err != nil {
		return e, err
	}
	n, err := lastVersion(ctx, tx, e.ID)
	if err != nil {
		return e, err
	}
	n++
	if err := insertVersion(ctx, tx, e.ID, n, Draft, cur.Resource, by, now); err != nil {
		return e, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE catalog_entries SET working_version = $2, revision_state = $3 WHERE id = $1`,
		e.ID, n, string(Draft)); err != nil {
		return e, fmt.Errorf("open catalog version: %w", err)
	}
	e.WorkingVersion, e.WorkingStatus = n, Draft
	return e, nil
}

// nameUnusedQuery and nameFreeQuery read the entries of a department
// named name_key: through catalog_entries_name_key, which holds a name's few
// entries, the department compared on the rows found (+department_id keeps
// the planner from an index of it). Without statistics SQLite searched the
// department's index instead (department_id and status, or department_id
// and name), reading each of its entries in those statuses: an import
// creating and submitting entries read, for its k-th row, k-1 rows in each
// check (4.5 million for 3,000 rows), most of the time -submit added.
const (
	nameUnusedQuery = `SELECT code, name, status FROM catalog_entries WHERE name_key = $1
		AND +department_id = $2 AND status <> 'retired' ORDER BY code LIMIT 1`
	nameFreeQuery = `SELECT code, name, status FROM catalog_entries WHERE name_key = $1
		AND +department_id = $2 AND id <> $3 AND status IN ('published', $4) ORDER BY code LIMIT 1`
)

// nameUnused refuses name for a new entry of department when one of its
// entries that is not retired is named so (name_key, as nameFree compares):
// a draft too, unlike nameFree, since a new draft named as an entry under
// way is that entry compiled twice (a form saved twice), which could never be
// submitted and, like every entry, never deleted; the entry is edited
// instead. The caller holds the department's row lock (lockDepartment), so
// that two creations of one name cannot both find it unused.
func nameUnused(ctx context.Context, tx *sqldb.Tx, department int64, name string) error {
	var code, held string
	var st Status
	err := tx.QueryRowContext(ctx, nameUnusedQuery, NameKey(name), department).Scan(&code, &held, &st)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("catalog entries named %s: %w", name, err)
	}
	return duplicateName(held, code, st)
}

// lockDepartment locks the row of department id until the transaction ends,
// as org.UpdateDepartment does, serialising the creations of its entries on
// PostgreSQL (READ COMMITTED); on SQLite the transaction is the only writer
// already.
func lockDepartment(ctx context.Context, tx *sqldb.Tx, id int64) error {
	if _, err := tx.ExecContext(ctx, `UPDATE departments SET id = id WHERE id = $1`, id); err != nil {
		return fmt.Errorf("lock department %d: %w", id, err)
	}
	return nil
}

// duplicateName refuses a name the department's entry code (named held, in
// status st) has.
func duplicateName(held, code string, st Status) error {
	return &errs.Error{Kind: errs.Conflict, Code: "duplicate_entry_name", Field: "name", Message: fmt.Sprintf(
		"本部门已有同名数据资源“%s”（资源代码 %s，%s），同一数据资源不能重复编目：请修改该数据资源，或改用能区分内容的名称",
		held, code, st.Label())}
}

// nameFree refuses name for the working version of e when another entry of
// its department is published under it, or is in status also under it (the
// name in force, or the draft's before the first approval),
// compared as the catalog keeps names (name_key, NameKey: folded as text
// that looks alike, width-folded, ASCII letters in lower case): a department catalogs one resource once (不重复编目).
// Drafts and rejected entries do not count: they are not in the catalog and
// cannot be deleted, so one left behind (created before Create refused a
// name in use, nameUnused) must not hold a name. Submit checks
// the entries published and under review, Approve those published, both under
// lockSources: a revision renamed while another entry of that name waited for
// review is refused when the other was approved first. Other departments may
// use the name, and so may the department once the entry is retired.
func nameFree(ctx context.Context, tx *sqldb.Tx, e Entry, name string, also Status) error {
	var code, held string
	var st Status
	err := tx.QueryRowContext(ctx, nameFreeQuery, NameKey(name), e.DepartmentID, e.ID, string(also)).Scan(&code, &held, &st)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("catalog entries named %s: %w", name, err)
	}
	return duplicateName(held, code, st)
}

// setState moves the working version to st; before the first approval
// the entry's status follows it, after it the entry's revision_state (the
// search finds the revision's entry by it). A version leaving review loses
// its rows of catalog_review_item_keys.
func setState(ctx context.Context, tx *sqldb.Tx, e Entry, st Status, reason string, now time.Time, reviewer string) error {
	_, err := tx.ExecContext(ctx, `UPDATE catalog_entry_versions SET state = $3, reject_reason = $4, updated_at = $5,
		reviewed_by = CASE WHEN $6 = '' THEN reviewed_by ELSE $6 END
		WHERE entry_id = $1 AND version = $2`, e.ID, e.WorkingVersion, string(st), reason, now.UTC(), reviewer)
	if err != nil {
		return fmt.Errorf("set catalog version state: %w", err)
	}
	if st != Submitted {
		if err := unindexReview(ctx, tx, e.ID); err != nil {
			return err
		}
	}
	if e.PublishedVersion != 0 {
		if _, err := tx.ExecContext(ctx, `UPDATE catalog_entries SET revision_state = $2 WHERE id = $1`, e.ID, string(st)); err != nil {
			return fmt.Errorf("set catalog revision state: %w", err)
		}
		return nil
	}
	headChange(tx)
	if _, err := tx.ExecContext(ctx, `UPDATE catalog_entries SET status = $2 WHERE id = $1`, e.ID, string(st)); err != nil {
		return fmt.Errorf("set catalog entry status: %w", err)
	}
	return nil
}

// NotReviewer is the refusal of a review (approve, reject, decide a
// source) to whoever is not a catalog reviewer.
func NotReviewer() error {
	return errs.E(errs.Forbidden, "forbidden", "只有平台管理员或政务数据主管部门的审核员可以审核数据资源目录")
}

// reviewable loads a submitted entry for review by the operator or a
// reviewer of its department, under lockSources.
func reviewable(ctx context.Context, tx *sqldb.Tx, by Actor, id int64, now time.Time) (Entry, error) {
	if !by.Reviews() {
		return Entry{}, NotReviewer()
	}
	if err := lockSources(ctx, tx, now); err != nil {
		return Entry{}, err
	}
	e, err := load(ctx, tx, id)
	if err != nil {
		return e, err
	}
	if e.WorkingStatus != Submitted {
		return e, errs.E(errs.Conflict, "not_submitted", "数据资源没有待审核的版本")
	}
	return e, nil
}

// reviewedAs is reviewable, refusing the entry with concurrent_update when
// tags (non-nil) does not name the submitted metadata (checkTags): sent
// back, edited and submitted again since the reviewer read it, under the
// same version number. A submission holds lockSources too, so the entry
// read is the one last submitted.
func reviewedAs(ctx context.Context, tx *sqldb.Tx, by Actor, id int64, tags []string, now time.Time) (Entry, error) {
	e, err := reviewable(ctx, tx, by, id, now)
	if err != nil {
		return e, err
	}
	return e, checkTags(ctx, tx, e, tags, "待审核的内容已不是所查看的内容（已退回修改后重新提交），请刷新核对后重新审核")
}

// Approve publishes the submitted version: it replaces the version in force
// (which is kept as superseded) and records the reviewer's one-source
// decisions. Its source conflicts are detected again first, against the
// catalog as it is now (decisions taken stay), and it is refused while one
// is undecided: run Recheck in a transaction of its own first, so that
// conflicts found then stay for the reviewer to decide. It is refused too
// while an entry it relates to is neither published nor under review
// (checkRelated, reading those entries in tx).
func Approve(ctx context.Context, tx *sqldb.Tx, by Actor, id int64, now time.Time) (Entry, error) {
	return ApproveIf(ctx, tx, by, id, nil, now)
}

// ApproveIf is Approve of the submitted metadata one of tags names (EditTag
// of the submitted version as the reviewer read it): approval is bound to
// what the reviewer saw, and a version sent back, edited and submitted again
// since (same number, other content) is refused with concurrent_update.
// Nil tags is Approve.
func ApproveIf(ctx context.Context, tx *sqldb.Tx, by Actor, id int64, tags []string, now time.Time) (Entry, error) {
	e, err := reviewedAs(ctx, tx, by, id, tags, now)
	if err != nil {
		return e, err
	}
	v, err := loadVersion(ctx, tx, id, e.WorkingVersion)
	if err != nil {
		return e, err
	}
	if refusal := approvalRefusal(e, v.Resource); refusal != nil {
		return e, refusal
	}
	if err := checkRelated(ctx, tx, e, v.Resource, true); err != nil {
		return e, err
	}
	if _, err := detectConflicts(ctx, tx, e, v.Resource, now); err != nil {
		return e, err
	}
	if err := nameFree(ctx, tx, e, v.Resource.Name, Published); err != nil {
		return e, err
	}
	if err := applyDecisions(ctx, tx, e, now); err != nil {
		return e, err
	}
	dropped, err := publishVersion(ctx, tx, e, v, by.Name, now)
	if err != nil {
		return e, err
	}
	digest, err := contentDigest(ctx, tx, id, v.Version)
	if err != nil {
		return e, err
	}
	if err := record(ctx, tx, by, "catalog.approve", e, now,
		sourcesDropped(dropped, "version", strconv.Itoa(v.Version), "content_digest", digest)...); err != nil {
		return e, err
	}
	return Get(ctx, tx, by, id)
}

// ApprovalRefused opens the message of Approve's refusal of a version that
// breaks a rule made since it was submitted (ApprovalRefusal), the rules'
// messages following it: nobody may approve it, and its reviewer sends it
// back (Reject) for its department to mend and submit again, as the
// reviewer's page says before approval.
const ApprovalRefused = "提交的版本不符合现行目录规则（规则在提交后更新），不能审核通过：" +
	"请退回（写明退回理由），由编制部门按以下内容修改后重新提交。"

// rulesChanged opens the reason a reviewer sends such a version back with
// (ApprovalRejectReason), the rules' messages following it.
const rulesChanged = "提交后目录规则已更新，此版本不符合现行规则，不能审核通过，请按以下内容修改后重新提交："

// ApprovalRefusal returns Approve's refusal of the version of e under
// review for the rules made since its submission that it breaks
// (ApprovalRefused, nowValid), or nil when e has no version under review
// or it breaks none. e is as Get reads it (its Resource the version in
// force, whose names and licence's 次日 the version may keep). The
// console's review card shows it before approval.
func ApprovalRefusal(ctx context.Context, q sqldb.Querier, e Entry) (*errs.Error, error) {
	if e.WorkingStatus != Submitted {
		return nil, nil
	}
	v, err := loadVersion(ctx, q, e.ID, e.WorkingVersion)
	if err != nil {
		return nil, err
	}
	return approvalRefusal(e, v.Resource), nil
}

// approvalRefusal is ApprovalRefusal of v, the version of e under review.
func approvalRefusal(e Entry, v Resource) *errs.Error {
	return nowValid(v, inForce(e), ApprovalRefused)
}

// ApprovalRejectReason is the reason a reviewer sends back the version an
// approval refusal (ApprovalRefusal) refuses with, telling its department
// what to change (the rules the refusal names after ApprovalRefused), or
// "" when it is longer than a reason may be (MaxReasonChars): the
// reviewer writes one.
func ApprovalRejectReason(refusal *errs.Error) string {
	reason := rulesChanged + strings.TrimPrefix(refusal.Message, ApprovalRefused)
	if utf8.RuneCountInString(reason) > MaxReasonChars {
		return ""
	}
	return reason
}

// inForce is the metadata of e's version in force, or nil before its first
// approval: the names it keeps are not refused for characters a check made
// since they were stored refuses (validateKeeping), so that an entry
// published under such a name can be revised and confirmed without renaming.
func inForce(e Entry) *Resource {
	if e.PublishedVersion == 0 {
		return nil
	}
	return &e.Resource
}

// nowValid refuses metadata stored before a rule it breaks was made (a
// version submitted, or an entry published, before a deploy): the error is
// the first ValidateEntry finds, its code and field kept, its message saying
// why the stored version is refused and naming every rule broken. The names
// r keeps from stored, if not nil, are not refused for their characters
// (validateKeeping).
func nowValid(r Resource, stored *Resource, why string) *errs.Error {
	found := validateKeeping(r, stored)
	if len(found) == 0 {
		return nil
	}
	msgs := make([]string, len(found))
	for i, f := range found {
		msgs[i] = f.Message
	}
	first := *found[0]
	first.Message = why + strings.Join(msgs, "；")
	return &first
}

// publishVersion makes version v of e the one in force. The entry stops
// being the one source of the items v no longer has (their names are
// returned), and the source conflicts of the reviews under way that share
// its items are brought up to date.
func publishVersion(ctx context.Context, tx *sqldb.Tx, e Entry, v Version, reviewer string, now time.Time) ([]string, error) {
	if _, err := tx.ExecContext(ctx, `UPDATE catalog_entry_versions SET state = 'superseded', updated_at = $3
		WHERE entry_id = $1 AND version = $2`, e.ID, e.PublishedVersion, now.UTC()); err != nil {
		return nil, fmt.Errorf("supersede catalog version: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE catalog_entry_versions SET state = 'published', reject_reason = '',
		reviewed_at = $3, reviewed_by = $4, updated_at = $3 WHERE entry_id = $1 AND version = $2`,
		e.ID, v.Version, now.UTC(), reviewer); err != nil {
		return nil, fmt.Errorf("publish catalog version: %w", err)
	}
	if err := unindexReview(ctx, tx, e.ID); err != nil {
		return nil, err
	}
	if err := writeHead(ctx, tx, e.ID, e.Code, v.Version, v.Resource, now); err != nil {
		return nil, err
	}
	_, err := tx.ExecContext(ctx, `UPDATE catalog_entries SET status = 'published', published_version = $2,
		working_version = 0, revision_state = '', reviewed_at = $3, published_at = $3 WHERE id = $1`, e.ID, v.Version, now.UTC())
	if err != nil {
		return nil, fmt.Errorf("publish catalog entry: %w", err)
	}
	dropped, err := pruneSources(ctx, tx, e.ID, v.Resource)
	if err != nil {
		return nil, err
	}
	return dropped, refreshPending(ctx, tx, e.ID, now, e.Resource, v.Resource)
}

// sourcesDropped appends to an audit detail the items whose one source the
// entry stopped being, when there are any.
func sourcesDropped(dropped []string, kv ...string) []string {
	if len(dropped) == 0 {
		return kv
	}
	return append(kv, "sources_dropped", strings.Join(dropped, "、"))
}

// Reject sends the submitted version back to its department with a
// reason; it becomes editable again and the version in force, if any, stays.
// Who asks is checked before the reason, as for Retire: whoever may not
// review is refused as such (403), whatever the reason.
func Reject(ctx context.Context, tx *sqldb.Tx, by Actor, id int64, reason string, now time.Time) (Entry, error) {
	return RejectIf(ctx, tx, by, id, nil, reason, now)
}

// RejectIf is Reject of the submitted metadata one of tags names, as
// ApproveIf. Nil tags is Reject.
func RejectIf(ctx context.Context, tx *sqldb.Tx, by Actor, id int64, tags []string, reason string, now time.Time) (Entry, error) {
	e, err := reviewedAs(ctx, tx, by, id, tags, now)
	if err != nil {
		return e, err
	}
	reason, err = checkReason(reason, "退回")
	if err != nil {
		return e, err
	}
	if err := setState(ctx, tx, e, Rejected, reason, now, by.Name); err != nil {
		return e, err
	}
	digest, err := contentDigest(ctx, tx, id, e.WorkingVersion)
	if err != nil {
		return e, err
	}
	if err := record(ctx, tx, by, "catalog.reject", e, now, "version", strconv.Itoa(e.WorkingVersion),
		"content_digest", digest, "reason", reason); err != nil {
		return e, err
	}
	return Get(ctx, tx, by, id)
}

// Retire withdraws a published entry from the catalog, with a reason
// (required, as for Reject: the console, the API and any other caller are
// refused the same way). The operator retires at once: it is the
// reviewer of the catalog's changes, and its retirement closes a request
// of the department under review (the audit row names it). The entry's
// department (an editor) asks for it instead: a change to the catalog is
// published after the operator's review (requirement 4), so its
// retirement is a request (catalog.retire.request) that the reviewers
// approve (ApproveRetire) or reject (RejectRetire) and the department may
// withdraw (WithdrawRetire); until approved the entry stays published, a
// source and open to pushes. The entry returned tells which happened: its
// Status is retired, or its RetireRequest is pending. An
// entry never published is not retired but deleted (Delete); neither is
// done while a revision is under review.
func Retire(ctx context.Context, tx *sqldb.Tx, by Actor, id int64, reason string, now time.Time) (Entry, error) {
	return RetireIf(ctx, tx, by, id, nil, reason, now)
}

// RetireIf is Retire of the entry one of tags names (retireTags): when it
// has changed since it was read, the retirement, or its request, is refused
// with concurrent_update. Nil tags is Retire.
func RetireIf(ctx context.Context, tx *sqldb.Tx, by Actor, id int64, tags []string, reason string, now time.Time) (Entry, error) {
	e, reason, err := retirable(ctx, tx, by, id, reason, now)
	if err != nil {
		return e, err
	}
	if err := retireTags(ctx, tx, e, tags, "该数据资源已被他人修改，请刷新核对后再注销"); err != nil {
		return e, err
	}
	if !by.Operator {
		return requestRetire(ctx, tx, by, e, reason, now)
	}
	req, err := loadRetireRequest(ctx, tx, id)
	if err != nil {
		return e, err
	}
	kv := []string{"reason", reason}
	if req.Pending() {
		kv = append(kv, "requested_by", req.RequestedBy, "request_reason", req.Reason)
	}
	if err := retire(ctx, tx, by, "catalog.retire", e, now, kv...); err != nil {
		return e, err
	}
	return Get(ctx, tx, by, id)
}

// retire withdraws e (published, locked under lockSources, no revision
// under review) from the catalog and records action with kv. The entry
// stops being the one source of its items and a candidate in the source
// conflicts of the reviews under way. A revision being compiled (draft or
// sent back) is retired with the entry, and the audit row names it
// (revision_discarded); the entry's retirement request under review, if
// any, is closed as approved.
func retire(ctx context.Context, tx *sqldb.Tx, by Actor, action string, e Entry, now time.Time, kv ...string) error {
	id := e.ID
	if _, err := tx.ExecContext(ctx, `UPDATE catalog_entry_versions SET state = 'retired', updated_at = $4
		WHERE entry_id = $1 AND version IN ($2, $3)`, id, e.PublishedVersion, e.WorkingVersion, now.UTC()); err != nil {
		return fmt.Errorf("retire catalog version: %w", err)
	}
	headChange(tx)
	if _, err := tx.ExecContext(ctx, `UPDATE catalog_entries SET status = 'retired', working_version = 0,
		revision_state = '', updated_at = $2 WHERE id = $1`, id, now.UTC()); err != nil {
		return fmt.Errorf("retire catalog entry: %w", err)
	}
	if err := closeRetireRequest(ctx, tx, by, id, RetireApproved, "", now); err != nil {
		return err
	}
	dropped, err := pruneSources(ctx, tx, id, Resource{}) // no items: every one
	if err != nil {
		return err
	}
	if err := refreshPending(ctx, tx, id, now, e.Resource); err != nil {
		return err
	}
	if e.WorkingVersion != 0 {
		kv = append(kv, "revision_discarded", strconv.Itoa(e.WorkingVersion))
	}
	return record(ctx, tx, by, action, e, now, sourcesDropped(dropped, kv...)...)
}

// MaxReasonChars bounds the reason given to reject or retire an entry,
// in characters (runes): it is stored and audited.
const MaxReasonChars = 500

// checkReason returns the reason given for doing what (退回, 注销),
// trimmed, and refuses none (reason_required), one that is not plain text
// (tabs and line breaks allowed) or holds format characters (text.HasFormat:
// zero-width, BOM, bidi controls, with which the reason shown to the
// department and in the audit log looks blank or reads reversed;
// invalid_characters), then one that otherwise shows nothing (text.Blank:
// a Hangul filler, the braille blank, a variation selector) as none, as
// records.CheckPurpose reads a purpose, and one longer than MaxReasonChars
// (too_long).
func checkReason(reason, what string) (string, error) {
	reason = strings.TrimSpace(reason)
	required := errs.Field("reason", "reason_required", what+"时必须说明理由")
	if reason == "" {
		return "", required
	}
	if !text.Plain(reason, true) || text.HasFormat(reason) {
		return "", errs.Field("reason", "invalid_characters", "理由含有控制字符（换行和制表符除外）、不可见的格式字符（如零宽空格、BOM、文字方向控制符）或无效的字符编码，请删除后再提交")
	}
	if text.Blank(reason) {
		return "", required
	}
	if n := utf8.RuneCountInString(reason); n > MaxReasonChars {
		return "", errs.Field("reason", "too_long", fmt.Sprintf("理由不能超过 %d 个字（当前 %d 个字）", MaxReasonChars, n))
	}
	return reason, nil
}

// checkRelated checks the related codes (关联资源代码) of r, the working
// version of e, against the catalog, reading the entries they name in tx
// (share-locked on PostgreSQL until the transaction ends, so that none is
// retired, deleted or recoded under the check). Submit refuses the entry's
// own code (related_code_self), a code no entry has (related_code_unknown)
// and a retired entry's (related_code_retired), each as an invalid field
// related_codes[i]; a draft or rejected entry of the department may be
// named, so that entries compiled together may relate to each other.
// Another department's entry neither published nor retired (a draft,
// never published) is, to the entry's department, a code of no entry
// (related_code_unknown, the same message): it may not read it
// (Entry.visible), and the check must not tell it exists. Approve
// (approving set)
// refuses the same, as conflicts the department has to fix (the reviewer
// sends the entry back), and also an entry that is neither published nor
// under review at that moment (related_code_unpublished). The first
// problem is returned, in the order of the codes.
func checkRelated(ctx context.Context, tx *sqldb.Tx, e Entry, r Resource, approving bool) error {
	if len(r.RelatedCodes) == 0 {
		return nil
	}
	args := make([]any, len(r.RelatedCodes))
	marks := make([]string, len(r.RelatedCodes))
	for i, c := range r.RelatedCodes {
		args[i], marks[i] = c, "$"+strconv.Itoa(i+1)
	}
	// Another department's entry neither published nor retired is not
	// visible to the entry's department (Entry.visible; Get answers
	// entry_not_found): it is not read, and naming it is refused as
	// naming a code of no entry is.
	args = append(args, e.DepartmentID)
	q := `SELECT code, status FROM catalog_entries WHERE code IN (` + strings.Join(marks, ", ") + `)
		AND (status IN ('published', 'retired') OR department_id = $` + strconv.Itoa(len(args)) + `) ORDER BY id`
	if tx.Dialect == sqldb.Postgres {
		q += ` FOR SHARE`
	}
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("related catalog entries: %w", err)
	}
	defer rows.Close()
	status := map[string]Status{}
	for rows.Next() {
		var code string
		var st Status
		if err := rows.Scan(&code, &st); err != nil {
			return fmt.Errorf("related catalog entries: %w", err)
		}
		status[code] = st
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("related catalog entries: %w", err)
	}
	kind, fix := errs.Invalid, ""
	if approving {
		kind, fix = errs.Conflict, "；请退回由数源部门修改关联资源代码"
	}
	for i, c := range r.RelatedCodes {
		f := fmt.Sprintf("related_codes[%d]", i)
		st, ok := status[c]
		switch {
		case c == e.Code:
			return &errs.Error{Kind: kind, Code: "related_code_self", Field: f,
				Message: "关联资源代码 " + c + " 是本数据资源自己的资源代码，不能关联自身" + fix}
		case !ok:
			return &errs.Error{Kind: kind, Code: "related_code_unknown", Field: f,
				Message: "关联资源代码 " + c + " 不是目录中任何数据资源的资源代码" + fix}
		case st == Retired:
			return &errs.Error{Kind: kind, Code: "related_code_retired", Field: f,
				Message: "关联资源代码 " + c + " 的数据资源已注销，不能关联" + fix}
		case approving && st != Published && st != Submitted:
			return &errs.Error{Kind: kind, Code: "related_code_unpublished", Field: f, Message: "关联资源代码 " + c +
				" 的数据资源" + st.Label() + "，既未发布也未提交审核：关联的数据资源发布或提交审核后才能审核通过本数据资源"}
		}
	}
	return nil
}
