package web

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/auth"
	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
)

// fact is one labelled metadata value of an entry.
type fact struct {
	Label, Value string
	Mono         bool
}

type itemRow struct {
	No int
	catalog.Item
}

type versionRow struct {
	catalog.Version
	Prev int // the version before it that the reader may see, 0 for none
}

// reviewRow is one step of a version's review, labelled.
type reviewRow struct {
	catalog.Review
	Label string
}

// reviewLabels are the labels of the actions of catalog.Review.
var reviewLabels = map[string]string{"submit": "提交审核", "reject": "退回", "approve": "审核通过", "transfer": "转移部门", "retire": "注销",
	"retire_request": "申请注销", "retire_reject": "注销申请退回", "retire_approve": "注销申请通过", "retire_withdraw": "撤回注销申请"}

type conflictRow struct {
	catalog.Conflict
	Choices []conflictChoice
	Chosen  string // the decided entry, described, or that the items are distinct
}

// distinctChoice is the value of the conflict form's choice that the
// items are not the same data item (catalog.DecideDistinct).
const distinctChoice = "distinct"

// distinctLabel describes the decision that the items are distinct.
const distinctLabel = "不是同一数据项（仅名称相同：不互为权威数源，也不比对数据）"

// DistinctLabel is the form's label of the choice that the items are distinct.
func (conflictRow) DistinctLabel() string { return distinctLabel }

type conflictChoice struct {
	EntryID int64
	Label   string
	Checked bool
}

// retirement is how a retired entry was retired, as its audit row says:
// by the operator, or by a reviewer approving its department's request.
type retirement struct {
	Reason      string
	At          time.Time
	By          string // the actor's name
	RequestedBy string // who asked, when a reviewer approved a request
}

type catalogEntryData struct {
	Entry      catalog.Entry
	Retirement *retirement // nil unless the entry is retired
	Working    bool        // showing the revision being compiled or reviewed
	Items      []itemRow
	Facts      []fact
	Versions   []versionRow
	Conflicts  []conflictRow
	Reviews    []reviewRow // for the department and the reviewers
	Undecided  int
	// Tabs between the version in force and the revision, for those who may see both.
	CurrentHref, WorkingHref string
	// What the reader may do.
	CanEdit, CanSubmit, CanNewVersion, CanRetire, CanDelete, CanReview bool
	// RetireAsks: the reader's retire form asks for the retirement (the
	// entry's department) rather than retiring (the operator).
	RetireAsks bool
	// CanReviewRetire, CanWithdrawRetire: the entry's retirement request
	// is under review (catalog.RetireRequest), which a reviewer approves
	// or rejects and its department may withdraw.
	CanReviewRetire, CanWithdrawRetire bool
	// ApprovalRefusal is why the version under review cannot be approved, as
	// Approve refuses it (catalog.ApprovalRefusal's message), for its
	// reviewers: the review card says so and offers the rejection alone, its
	// reason filled in with what to change (catalog.ApprovalRejectReason)
	// unless the reviewer's own was posted.
	ApprovalRefusal string
	// ReviewOnWorking: the page shows the version in force while a revision
	// is submitted; it offers no approve or reject form (their Tag would name
	// content the page does not show) and links to the revision's tab.
	// SubmitOnWorking likewise while a revision is compiled or sent back:
	// no submit form, a link to the revision's tab.
	ReviewOnWorking, SubmitOnWorking bool
	// CanDiscard: the revision of a published entry being compiled or sent
	// back may be discarded (catalog.DiscardRevision).
	CanDiscard bool
	// CanConfirm: the published entry has no revision and its yearly review
	// is due or nearly so (catalog.ConfirmDue): its department may submit it
	// unchanged (内容无变化，提交年度复核), bound by Tag, the version in force's.
	CanConfirm bool
	// Tag names the metadata the submit, approve and reject forms act on
	// (catalog.WorkingTag: the version being compiled or reviewed) as the
	// page was read, and shows (the forms are on the page showing that
	// version only); the action is refused (concurrent_update) when it has
	// changed since, so that a reviewer approves only what the page showed.
	// The delete, discard, retire, withdraw and retirement review forms
	// carry it too, on either tab: they act on the draft, the revision or
	// the whole entry, and are refused likewise once it has changed.
	Tag        string
	Notice     string
	Error      string
	ErrorField string
	// ErrorForm is the form refused, its action's last path element
	// (retire, discard): the retire and discard forms both have a confirm
	// box, and only the refused form's is marked.
	ErrorForm string
	Reason    string
}

// entryID reads the entry id from the path.
func entryID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, errs.E(errs.NotFound, "entry_not_found", "数据资源不存在")
	}
	return id, nil
}

// resourceFacts lists the metadata of r with Chinese labels, in the order
// of the compilation guide.
func resourceFacts(r catalog.Resource, public bool) []fact {
	c := r.Classification
	class := c.Class.Label() + " / " + c.CategoryCode + " " + c.CategoryName + " / " + c.SubcategoryCode + " " + c.SubcategoryName
	if c.DetailCode != "" {
		class += " / " + c.DetailCode + " " + c.DetailName
	}
	freq := r.UpdateFrequency.Label()
	if r.UpdateFrequency == catalog.FrequencyOther && r.FrequencyOther != "" {
		freq += "（" + r.FrequencyOther + "）"
	}
	var methods []string
	for _, m := range r.ShareMethods {
		methods = append(methods, m.Label())
	}
	var services []string
	for _, s := range r.ServiceItems {
		services = append(services, strings.TrimSpace(s.Code+" "+s.Name))
	}
	out := []fact{
		{Label: "摘要", Value: r.Abstract},
		{Label: "资源分类", Value: class},
		{Label: "分类码", Value: c.Code(), Mono: true},
		{Label: "信息资源格式", Value: r.Format.Label()},
		{Label: "主体类型", Value: r.SubjectKind.Label()},
		{Label: "所属领域", Value: r.DomainLabel()},
		{Label: "共享类型", Value: r.ShareType.Label()},
	}
	if !public {
		out = append(out, fact{Label: "共享条件", Value: r.ShareConditions}, fact{Label: "不予共享依据", Value: r.LegalBasis})
	}
	out = append(out, fact{Label: "共享方式", Value: strings.Join(methods, "、")})
	if !public {
		out = append(out, fact{Label: "共享范围", Value: r.ShareScope})
	}
	out = append(out, fact{Label: "开放属性", Value: r.OpenAttribute.Label()}, fact{Label: "开放条件", Value: r.OpenConditions},
		fact{Label: "更新周期", Value: freq})
	if !public {
		out = append(out, fact{Label: "时效要求", Value: r.Timeliness},
			fact{Label: "安全级别", Value: fmt.Sprintf("%d级", r.SecurityLevel)},
			fact{Label: "网络环境", Value: r.NetworkZone.Label()})
	}
	out = append(out, fact{Label: "关联政务服务事项", Value: strings.Join(services, "；")})
	if !public {
		out = append(out, fact{Label: "关联资源代码", Value: strings.Join(r.RelatedCodes, "、"), Mono: true})
	}
	for i := range out {
		if out[i].Value == "" {
			out[i].Value, out[i].Mono = "—", false
		}
	}
	return out
}

func (w *Web) catalogEntryPage(rw http.ResponseWriter, r *http.Request) error {
	id, err := entryID(r)
	if err != nil {
		return err
	}
	d := catalogEntryData{Notice: catalogNotices[r.URL.Query().Get("msg")]}
	return w.renderEntry(rw, r, http.StatusOK, id, r.URL.Query().Get("view") == "working", d)
}

// renderEntry shows entry id, with d's notice or error. The page is read in
// one snapshot: read apart, an edit of a draft (which keeps its version
// number) or a discarded revision committed between reading the entry and
// its tag gave the page's forms a tag of other content than it shows, or
// no tag at all.
func (w *Web) renderEntry(rw http.ResponseWriter, r *http.Request, status int, id int64, working bool, d catalogEntryData) error {
	var e catalog.Entry
	err := w.cfg.DB.Snapshot(r.Context(), func(q sqldb.Querier) (err error) {
		e, err = w.entryPage(r.Context(), q, id, working, &d)
		return err
	})
	if err != nil {
		return err
	}
	return w.render(rw, r, status, "catalog_entry", e.Name+" - 数据资源目录", d)
}

// entryPage reads, by q, entry id and what its page shows into d.
func (w *Web) entryPage(ctx context.Context, q sqldb.Querier, id int64, working bool, d *catalogEntryData) (catalog.Entry, error) {
	by := catalogActor(auth.From(ctx))
	e, err := catalog.Get(ctx, q, by, id)
	if err != nil {
		return e, err
	}
	own := by.Reviews() || by.DepartmentID == e.DepartmentID
	hasRevision := e.WorkingVersion != 0 && e.WorkingVersion != e.Version
	if by.Reviews() {
		// Read from the entry as Get reads it: the version under review
		// keeps names and a licence's 次日 from the version in force.
		refusal, err := catalog.ApprovalRefusal(ctx, q, e)
		if err != nil {
			return e, err
		}
		if refusal != nil {
			d.ApprovalRefusal = refusal.Message
			if strings.TrimSpace(d.Reason) == "" {
				d.Reason = catalog.ApprovalRejectReason(refusal)
			}
		}
	}
	if hasRevision {
		d.CurrentHref, d.WorkingHref = fmt.Sprintf("/catalog/%d", id), fmt.Sprintf("/catalog/%d?view=working", id)
	}
	if working && hasRevision {
		if e, err = catalog.Working(ctx, q, by, id); err != nil {
			return e, err
		}
		d.Working = true
	}
	e.ReviewDue = catalog.ReviewDue(e, w.cfg.Now())
	d.Entry = e
	if e.Status == catalog.Retired {
		if d.Retirement, err = retiredBy(ctx, q, id); err != nil {
			return e, err
		}
	}
	d.Facts = resourceFacts(e.Resource, false)
	for i, it := range e.Items {
		d.Items = append(d.Items, itemRow{No: i + 1, Item: it})
	}

	vs, err := catalog.Versions(ctx, q, by, id)
	if err != nil {
		return e, err
	}
	prev := 0
	for _, v := range vs {
		d.Versions = append(d.Versions, versionRow{Version: v, Prev: prev})
		prev = v.Version
	}
	if own {
		rs, err := catalog.Reviews(ctx, q, by, id)
		if err != nil {
			return e, err
		}
		for _, rv := range rs {
			d.Reviews = append(d.Reviews, reviewRow{Review: rv, Label: reviewLabels[rv.Action]})
		}
	}
	// A retired entry is no source and under no review: its version's
	// conflicts, decided long ago, are not shown.
	var cs []catalog.Conflict
	if own && e.Status != catalog.Retired {
		if cs, err = catalog.Conflicts(ctx, q, by, id); err != nil {
			return e, err
		}
	}
	if err := d.labelDepartments(ctx, q, cs); err != nil {
		return e, err
	}
	for _, c := range cs {
		d.Conflicts = append(d.Conflicts, conflictRowFor(d.Entry, c))
		if !c.Decided() {
			d.Undecided++
		}
	}

	if err := d.showNames(ctx, q); err != nil {
		return e, err
	}

	editor := mayCompile(by, e.DepartmentID)
	open := e.WorkingStatus == catalog.Draft || e.WorkingStatus == catalog.Rejected
	retiring := e.RetireRequest.Pending()
	d.CanEdit = editor && e.Status != catalog.Retired && open
	d.CanSubmit = d.CanEdit && !retiring
	d.CanNewVersion = editor && e.Status == catalog.Published && e.WorkingVersion == 0
	d.CanRetire = mayRetire(by, e.DepartmentID) && e.Status == catalog.Published && e.WorkingStatus != catalog.Submitted &&
		(by.Operator || !retiring)
	d.RetireAsks = !by.Operator
	d.CanReviewRetire = by.Reviews() && retiring
	d.CanWithdrawRetire = editor && retiring
	d.CanDelete = editor && e.PublishedVersion == 0 && (e.Status == catalog.Draft || e.Status == catalog.Rejected)
	d.CanDiscard = editor && e.Status == catalog.Published && open
	d.CanReview = by.Reviews() && e.WorkingStatus == catalog.Submitted
	d.CanConfirm = editor && !d.Working && !retiring && catalog.ConfirmDue(e, w.cfg.Now())
	// The submit, approve and reject forms act on the working version: the
	// default tab of a published entry under revision shows the version in
	// force, and offers them not, pointing to the revision's tab instead.
	d.ReviewOnWorking = d.CanReview && hasRevision && !d.Working
	d.SubmitOnWorking = d.CanSubmit && hasRevision && !d.Working
	if (d.CanSubmit && !d.SubmitOnWorking) || (d.CanReview && !d.ReviewOnWorking) || d.CanConfirm ||
		d.CanDelete || d.CanDiscard || d.CanRetire || d.CanWithdrawRetire || d.CanReviewRetire {
		if entryRead != nil {
			entryRead()
		}
		if d.Tag, err = catalog.WorkingTag(ctx, q, e); err != nil {
			return e, err
		}
	}
	return e, nil
}

// labelDepartments labels the departments the page names (org.DepartmentLabel):
// the entry's, its items' sources' and the candidates of cs, its conflicts.
func (d *catalogEntryData) labelDepartments(ctx context.Context, q sqldb.Querier, cs []catalog.Conflict) error {
	names := deptNames{}
	names.add(d.Entry.DepartmentID, &d.Entry.DepartmentName)
	for _, it := range d.Entry.Items {
		if s := it.Source; s != nil {
			names.add(s.DepartmentID, &s.DepartmentName)
		}
	}
	for _, c := range cs {
		for j := range c.Candidates {
			names.add(c.Candidates[j].DepartmentID, &c.Candidates[j].DepartmentName)
		}
	}
	return names.label(ctx, q)
}

// showNames puts the display names of the accounts that compiled,
// reviewed, decided and retired in place of their usernames.
func (d *catalogEntryData) showNames(ctx context.Context, q sqldb.Querier) error {
	var ptrs []*string
	for i := range d.Versions {
		ptrs = append(ptrs, &d.Versions[i].CreatedBy, &d.Versions[i].ReviewedBy)
	}
	for i := range d.Reviews {
		ptrs = append(ptrs, &d.Reviews[i].By)
	}
	for i := range d.Conflicts {
		if d.Conflicts[i].DecidedBy != systemDecider {
			ptrs = append(ptrs, &d.Conflicts[i].DecidedBy)
		}
	}
	if d.Retirement != nil {
		ptrs = append(ptrs, &d.Retirement.By, &d.Retirement.RequestedBy)
	}
	if rq := d.Entry.RetireRequest; rq != nil {
		ptrs = append(ptrs, &rq.RequestedBy, &rq.ReviewedBy)
	}
	return displayNames(ctx, q, ptrs...)
}

// systemDecider is the DecidedBy of a conflict the item's existing one
// source decided (catalog's), which the page words itself.
const systemDecider = "system"

// displayNames replaces each username in names by the display name of its
// account (姓名), for pages that show who did something; a name that is no
// account's (a system actor's) or is empty is left as it is.
func displayNames(ctx context.Context, q sqldb.Querier, names ...*string) error {
	var users []string
	for _, n := range names {
		if *n != "" && !slices.Contains(users, *n) {
			users = append(users, *n)
		}
	}
	if len(users) == 0 {
		return nil
	}
	shown, err := org.DisplayNames(ctx, q, users)
	if err != nil {
		return err
	}
	for _, n := range names {
		if name := shown[*n]; name != "" {
			*n = name
		}
	}
	return nil
}

// retiredBy reads how entry id was retired from the audit row of its
// retirement (catalog.retire, or catalog.retire.approve of its
// department's request), where the reason catalog.Retire requires is
// kept; nil when there is none.
func retiredBy(ctx context.Context, q sqldb.Querier, id int64) (*retirement, error) {
	var r retirement
	var detail string
	err := q.QueryRowContext(ctx, `SELECT at, actor_name, detail FROM audit_log
		WHERE action IN ('catalog.retire', 'catalog.retire.approve') AND object_type = 'catalog_entry' AND object_id = $1 AND outcome = $2
		ORDER BY seq DESC LIMIT 1`, strconv.FormatInt(id, 10), audit.OK).Scan(&r.At, &r.By, &detail)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read retirement of catalog entry %d: %w", id, err)
	}
	var kv map[string]string
	if err := json.Unmarshal([]byte(detail), &kv); err != nil {
		return nil, fmt.Errorf("read retirement of catalog entry %d: %w", id, err)
	}
	r.Reason, r.RequestedBy = kv["reason"], kv["requested_by"]
	return &r, nil
}

// conflictRowFor offers the reviewer the submitted entry and every
// candidate as the authoritative source of one item; the template adds
// the choice that the items are distinct.
func conflictRowFor(e catalog.Entry, c catalog.Conflict) conflictRow {
	row := conflictRow{Conflict: c}
	self := conflictChoice{EntryID: e.ID, Label: fmt.Sprintf("本资源：%s《%s》（%s）", e.DepartmentName, e.Name, e.Code),
		Checked: c.AuthoritativeEntryID == e.ID}
	row.Choices = append(row.Choices, self)
	if self.Checked {
		row.Chosen = self.Label
	}
	for _, cand := range c.Candidates {
		ch := conflictChoice{EntryID: cand.EntryID, Checked: c.AuthoritativeEntryID == cand.EntryID,
			Label: fmt.Sprintf("%s《%s》（%s）的“%s”", cand.DepartmentName, cand.EntryName, cand.Code, cand.ItemName)}
		row.Choices = append(row.Choices, ch)
		if ch.Checked {
			row.Chosen = ch.Label
		}
	}
	if c.Distinct {
		row.Chosen = distinctLabel
	}
	return row
}

// entryAction runs one lifecycle action on the entry in the path and
// redirects back to it with a notice. A refused action (invalid input or
// a conflict with the entry's state) is shown on the entry page.
func (w *Web) entryAction(rw http.ResponseWriter, r *http.Request, msg string,
	fn func(tx *sqldb.Tx, by catalog.Actor, id int64) error) error {
	return w.entryChange(rw, r, func(id int64) string { return fmt.Sprintf("/catalog/%d?msg=%s", id, msg) }, fn)
}

// entryChange is entryAction redirecting to target(id) once done.
func (w *Web) entryChange(rw http.ResponseWriter, r *http.Request, target func(id int64) string,
	fn func(tx *sqldb.Tx, by catalog.Actor, id int64) error) error {
	id, err := entryID(r)
	if err != nil {
		return err
	}
	by := catalogActor(auth.From(r.Context()))
	err = w.cfg.DB.Tx(r.Context(), func(tx *sqldb.Tx) error { return fn(tx, by, id) })
	if err != nil {
		if e := inputRefusal(err); e != nil {
			status, _ := userError(err)
			d := catalogEntryData{Error: e.Message, ErrorField: e.Field, ErrorForm: path.Base(r.URL.Path), Reason: r.PostFormValue("reason")}
			return w.renderEntry(rw, r, status, id, r.PostFormValue("view") == "working", d)
		}
		return err
	}
	return redirect(rw, r, target(id))
}

// formTags is the tag an entry page's action form carries (Tag), as the
// one tag the action may act on: the console's forms always carry it, so
// they are bound to the page they were sent from. A post without the field
// (a page rendered before the forms carried it, a script) is not bound, as
// the API without If-Match is not.
func formTags(r *http.Request) []string {
	if err := r.ParseForm(); err != nil || !r.PostForm.Has("tag") {
		return nil
	}
	return []string{r.PostForm.Get("tag")}
}

// editTags is the tag an edit form carries (edit_tag: that of what the
// form was filled from) as the one tag its save may act on, as If-Match
// does the API's; none when the form carries none (a page served before
// the forms carried it), whose save is not checked, as the API's without
// If-Match is not.
func editTags(r *http.Request) []string {
	if tag := r.PostFormValue("edit_tag"); tag != "" {
		return []string{tag}
	}
	return nil
}

func (w *Web) submitEntry(rw http.ResponseWriter, r *http.Request) error {
	return w.entryAction(rw, r, "submitted", func(tx *sqldb.Tx, by catalog.Actor, id int64) error {
		_, err := catalog.SubmitIf(r.Context(), tx, by, id, formTags(r), w.cfg.Now())
		return err
	})
}

func (w *Web) approveEntry(rw http.ResponseWriter, r *http.Request) error {
	// Conflicts found again are stored on their own first, so that a refusal
	// for them leaves them listed (catalog.Recheck); Approve reports the
	// user's mistakes. A form whose tag does not name the submitted metadata
	// is refused by ApproveIf with nothing written: it is read first, and
	// the conflicts are not rechecked for it.
	if id, err := entryID(r); err == nil {
		err := w.cfg.DB.Tx(r.Context(), func(tx *sqldb.Tx) error {
			return catalog.RecheckIf(r.Context(), tx, catalogActor(auth.From(r.Context())), id, formTags(r), w.cfg.Now())
		})
		if err != nil && errs.As(err) == nil {
			return err
		}
	}
	return w.entryAction(rw, r, "approved", func(tx *sqldb.Tx, by catalog.Actor, id int64) error {
		_, err := catalog.ApproveIf(r.Context(), tx, by, id, formTags(r), w.cfg.Now())
		return err
	})
}

func (w *Web) rejectEntry(rw http.ResponseWriter, r *http.Request) error {
	return w.entryAction(rw, r, "rejected", func(tx *sqldb.Tx, by catalog.Actor, id int64) error {
		_, err := catalog.RejectIf(r.Context(), tx, by, id, formTags(r), r.PostFormValue("reason"), w.cfg.Now())
		return err
	})
}

// retireEntry retires the entry (the operator) or asks the operator's
// review to (its department: catalog.Retire records a request), and says
// which. The confirmation is asked of a caller who may retire it
// (mayRetire); catalog.Retire refuses anyone else, who is told so
// whatever the form holds.
func (w *Web) retireEntry(rw http.ResponseWriter, r *http.Request) error {
	msg := "retired"
	return w.entryChange(rw, r, func(id int64) string { return fmt.Sprintf("/catalog/%d?msg=%s", id, msg) },
		func(tx *sqldb.Tx, by catalog.Actor, id int64) error {
			if err := confirmed(r, tx, by, id, mayRetire, "确认注销"); err != nil {
				return err
			}
			e, err := catalog.RetireIf(r.Context(), tx, by, id, formTags(r), r.PostFormValue("reason"), w.cfg.Now())
			if e.Status != catalog.Retired {
				msg = "retire_requested"
			}
			return err
		})
}

// approveRetire approves the department's request to retire the entry
// (catalog.ApproveRetire); catalog refuses whoever does not review.
func (w *Web) approveRetire(rw http.ResponseWriter, r *http.Request) error {
	return w.entryAction(rw, r, "retire_approved", func(tx *sqldb.Tx, by catalog.Actor, id int64) error {
		_, err := catalog.ApproveRetireIf(r.Context(), tx, by, id, formTags(r), w.cfg.Now())
		return err
	})
}

// rejectRetire sends the department's request to retire the entry back
// with the reviewer's reason (catalog.RejectRetire).
func (w *Web) rejectRetire(rw http.ResponseWriter, r *http.Request) error {
	return w.entryAction(rw, r, "retire_rejected", func(tx *sqldb.Tx, by catalog.Actor, id int64) error {
		_, err := catalog.RejectRetireIf(r.Context(), tx, by, id, formTags(r), r.PostFormValue("reason"), w.cfg.Now())
		return err
	})
}

// withdrawRetire withdraws the department's request to retire the entry
// (catalog.WithdrawRetire).
func (w *Web) withdrawRetire(rw http.ResponseWriter, r *http.Request) error {
	return w.entryAction(rw, r, "retire_withdrawn", func(tx *sqldb.Tx, by catalog.Actor, id int64) error {
		_, err := catalog.WithdrawRetireIf(r.Context(), tx, by, id, formTags(r), w.cfg.Now())
		return err
	})
}

// deleteEntry deletes a draft never published (catalog.Delete) once its
// department's editor has ticked 确认删除, and returns to the catalog. As
// retireEntry does, it asks for the confirmation only of who may delete;
// anyone else is told why not whatever the form holds.
func (w *Web) deleteEntry(rw http.ResponseWriter, r *http.Request) error {
	return w.entryChange(rw, r, func(int64) string { return "/catalog?view=drafts&msg=deleted" },
		func(tx *sqldb.Tx, by catalog.Actor, id int64) error {
			if err := confirmed(r, tx, by, id, mayCompile, "确认删除"); err != nil {
				return err
			}
			return catalog.DeleteIf(r.Context(), tx, by, id, formTags(r), w.cfg.Now())
		})
}

// discardRevision discards the revision of a published entry being
// compiled or sent back (catalog.DiscardRevision) once its department's
// editor has ticked 确认放弃修订, and shows the version in force. As
// deleteEntry does, it asks for the confirmation only of who may edit;
// anyone else is told why not whatever the form holds.
func (w *Web) discardRevision(rw http.ResponseWriter, r *http.Request) error {
	return w.entryAction(rw, r, "discarded", func(tx *sqldb.Tx, by catalog.Actor, id int64) error {
		if err := confirmed(r, tx, by, id, mayCompile, "确认放弃修订"); err != nil {
			return err
		}
		_, err := catalog.DiscardRevisionIf(r.Context(), tx, by, id, formTags(r), w.cfg.Now())
		return err
	})
}

// confirmed refuses the action on entry id of a form without its box
// (labelled label) ticked, when by may act on the entry's department
// (may): whoever may not is left to the action's own refusal, which tells
// why not whatever the form holds.
func confirmed(r *http.Request, tx *sqldb.Tx, by catalog.Actor, id int64, may func(catalog.Actor, int64) bool, label string) error {
	if r.PostFormValue("confirm") == "yes" {
		return nil
	}
	e, err := catalog.Get(r.Context(), tx, by, id)
	if err != nil {
		return err
	}
	if may(by, e.DepartmentID) {
		return errs.Field("confirm", "confirm_required", "请勾选“"+label+"”后再提交")
	}
	return nil
}

// decideConflict names the authoritative source of a conflict, or, chosen
// as "distinct", decides that the items are not the same data item
// (catalog.DecideDistinct). The choice is asked of a reviewer of the
// catalog; catalog.Decide refuses anyone else, who is told so whatever the
// form holds, as retireEntry does.
func (w *Web) decideConflict(rw http.ResponseWriter, r *http.Request) error {
	msg := "decided"
	if r.PostFormValue("authoritative_entry_id") == distinctChoice {
		msg = "decided_distinct"
	}
	return w.entryAction(rw, r, msg, func(tx *sqldb.Tx, by catalog.Actor, id int64) error {
		cid, err := strconv.ParseInt(r.PathValue("conflict"), 10, 64)
		if err != nil || cid <= 0 {
			return errs.E(errs.NotFound, "conflict_not_found", "该一数一源冲突不存在")
		}
		choice := r.PostFormValue("authoritative_entry_id")
		if choice == distinctChoice {
			_, err = catalog.DecideDistinct(r.Context(), tx, by, id, cid, w.cfg.Now())
			return err
		}
		src, err := strconv.ParseInt(choice, 10, 64)
		if (err != nil || src <= 0) && by.Reviews() {
			return errs.Field("authoritative_entry_id", "source_required", "请选择权威数源，或裁定为不是同一数据项")
		}
		_, err = catalog.Decide(r.Context(), tx, by, id, cid, src, w.cfg.Now())
		return err
	})
}
