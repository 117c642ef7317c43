package web

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/auth"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/sqldb"
)

type discrepancyRow struct {
	records.Discrepancy
	EntryAName, EntryBName string
	DeptAName, DeptBName   string
	// FeedbackOfA and FeedbackOfB are each side's feedback, oldest first.
	FeedbackOfA, FeedbackOfB []records.DiscrepancyFeedback
	// Mine is the caller's side ("a", "b") when its department is a party
	// and the caller acts for it (rolesRecordsWrite, not a reviewer): it
	// may give feedback.
	Mine string
	// Authority is the entry named as the item's one source, 0 if none.
	Authority int64
	// CanResolve: the caller acts for the authority's department, or is
	// the operator.
	CanResolve  bool
	DaysLeft    int // working days until the deadline
	OverdueDays int // working days past it
}

// discrepanciesPageSize is how many discrepancies one page of the console
// lists.
const discrepanciesPageSize = 50

type discrepanciesData struct {
	Rows     []discrepancyRow
	Status   string
	Operator bool
	Notice   string
	Error    string
	ErrorID  int64
	// Where is the page's own query ("?status=all&after=50", "" for the
	// first page of open ones): the actions come back to it.
	Where          string
	Total, Overdue int64 // of the status shown, all pages
	Page           int64
	From, To       int64  // the rows of this page among Total, from 1
	First          string // URL of the first page, "" on it
	Next           string // URL of the next page, "" on the last
}

var discrepancyNotices = map[string]string{
	"feedback": "反馈已提交。",
	"resolved": "差异已处理，待取值有误的数源部门推送更正；取值一致后自动办结。",
}

func (w *Web) discrepanciesPage(rw http.ResponseWriter, r *http.Request) error {
	d := discrepanciesData{Notice: discrepancyNotices[r.URL.Query().Get("msg")]}
	return w.renderDiscrepancies(rw, r, http.StatusOK, d)
}

func (w *Web) renderDiscrepancies(rw http.ResponseWriter, r *http.Request, status int, d discrepanciesData) error {
	ctx, q, now := r.Context(), w.cfg.DB.Read(), w.cfg.Now()
	p := auth.From(ctx)
	d.Operator = p.HasRole(org.Operator)
	d.Status = r.URL.Query().Get("status")
	if d.Status != "awaiting_correction" && d.Status != "resolved" && d.Status != "all" {
		d.Status = "open"
	}
	after, _ := strconv.ParseInt(r.URL.Query().Get("after"), 10, 64)
	f := records.DiscrepancyFilter{DepartmentID: scope(p), Status: d.Status, AfterID: max(after, 0), Limit: discrepanciesPageSize}
	if d.Status == "all" {
		f.Status = ""
	}
	ds, next, err := records.Discrepancies(ctx, q, f, now)
	if err != nil {
		return err
	}
	c, err := records.CountDiscrepancies(ctx, q, w.cfg.DB.Dialect, f, now)
	if err != nil {
		return err
	}
	// Each difference shows both sources' values of a subject: a read.
	evs := records.DiscrepancyReads(p.Actor, ds, "")
	if err := w.cfg.DB.Tx(ctx, func(tx *sqldb.Tx) error { return audit.RecordAll(ctx, tx, evs, now) }); err != nil {
		return err
	}
	d.Total, d.Overdue = c.Total, c.Overdue
	d.Page, d.From, d.To = c.Before/discrepanciesPageSize+1, c.Before+1, c.Before+int64(len(ds))
	list := func(after int64) string {
		v := url.Values{}
		if d.Status != "open" {
			v.Set("status", d.Status)
		}
		if after > 0 {
			v.Set("after", strconv.FormatInt(after, 10))
		}
		if len(v) == 0 {
			return ""
		}
		return "?" + v.Encode()
	}
	d.Where = list(f.AfterID)
	if f.AfterID > 0 {
		d.First = "/records/discrepancies" + list(0)
	}
	if next != 0 {
		d.Next = "/records/discrepancies" + list(next)
	}
	names, err := org.DepartmentNames(ctx, q)
	if err != nil {
		return err
	}
	entries := map[int64]*records.Entry{}
	entry := func(id int64) (*records.Entry, error) {
		if e, ok := entries[id]; ok {
			return e, nil
		}
		e, err := records.LoadEntry(ctx, q, id)
		if err != nil {
			return nil, err
		}
		entries[id] = e
		return e, nil
	}
	acts := p.HasRole(rolesRecordsWrite...)
	for _, x := range ds {
		row := discrepancyRow{Discrepancy: x, DeptAName: names[x.DepartmentA], DeptBName: names[x.DepartmentB]}
		ea, err := entry(x.EntryA)
		if err != nil {
			return err
		}
		eb, err := entry(x.EntryB)
		if err != nil {
			return err
		}
		row.EntryAName, row.EntryBName = ea.Name, eb.Name
		for _, fb := range x.FeedbackHistory {
			if fb.DepartmentID == x.DepartmentA {
				row.FeedbackOfA = append(row.FeedbackOfA, fb)
			} else {
				row.FeedbackOfB = append(row.FeedbackOfB, fb)
			}
		}
		switch {
		case !acts:
		case p.DepartmentID() == x.DepartmentA:
			row.Mine = "a"
		case p.DepartmentID() == x.DepartmentB:
			row.Mine = "b"
		}
		row.Authority = x.Authority
		if x.Status == "open" {
			row.Authority = x.NamedSource
			authDept := int64(0)
			switch row.Authority {
			case x.EntryA:
				authDept = x.DepartmentA
			case x.EntryB:
				authDept = x.DepartmentB
			}
			row.CanResolve = d.Operator || (acts && authDept != 0 && authDept == p.DepartmentID())
			row.DaysLeft = w.cfg.Calendar.WorkingDaysBetween(now, x.DueAt)
			if row.DaysLeft < 0 {
				row.OverdueDays, row.DaysLeft = -row.DaysLeft, 0
			}
		}
		d.Rows = append(d.Rows, row)
	}
	return w.render(rw, r, status, "records_discrepancies", "多源校核差异", d)
}

// discrepancyAction runs a feedback or resolution in one transaction and
// redirects back; an invalid or conflicting request is shown on the list.
func (w *Web) discrepancyAction(rw http.ResponseWriter, r *http.Request, msg string,
	fn func(tx *sqldb.Tx, by records.Reviewer, id int64, now time.Time) error) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return errs.E(errs.NotFound, "discrepancy_not_found", "差异不存在")
	}
	p := auth.From(r.Context())
	by := records.Reviewer{Actor: p.Actor, DepartmentID: p.DepartmentID(), Operator: p.HasRole(org.Operator)}
	err = w.cfg.DB.Tx(r.Context(), func(tx *sqldb.Tx) error { return fn(tx, by, id, w.cfg.Now()) })
	if err != nil {
		if e := errs.As(err); e != nil && (e.Kind == errs.Invalid || e.Kind == errs.Conflict) {
			status, _ := userError(err)
			return w.renderDiscrepancies(rw, r, status, discrepanciesData{Error: e.Message, ErrorID: id})
		}
		return err
	}
	// Back to the page the action was taken on.
	v := url.Values{"msg": {msg}}
	for _, k := range []string{"status", "after"} {
		if x := r.URL.Query().Get(k); x != "" {
			v.Set(k, x)
		}
	}
	return redirect(rw, r, "/records/discrepancies?"+v.Encode())
}

func (w *Web) discrepancyFeedback(rw http.ResponseWriter, r *http.Request) error {
	return w.discrepancyAction(rw, r, "feedback", func(tx *sqldb.Tx, by records.Reviewer, id int64, now time.Time) error {
		_, err := records.Feedback(r.Context(), tx, by, id, r.PostFormValue("feedback"), now)
		return err
	})
}

func (w *Web) resolveDiscrepancy(rw http.ResponseWriter, r *http.Request) error {
	return w.discrepancyAction(rw, r, "resolved", func(tx *sqldb.Tx, by records.Reviewer, id int64, now time.Time) error {
		authority, _ := strconv.ParseInt(r.PostFormValue("authority"), 10, 64)
		_, err := records.Resolve(r.Context(), tx, by, id, authority, r.PostFormValue("note"), now)
		return err
	})
}
