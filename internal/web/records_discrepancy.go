package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/auth"
	"github.com/hutong-gov/hutong/internal/calendar"
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
	// CanResolve: the caller acts for the authority's department, and the
	// other side has not disputed it (records.Discrepancy.Contested), or
	// is the operator.
	CanResolve bool
	// Disputed: open and disputed by a side's feedback (Contested); only
	// the operator resolves it.
	Disputed bool
	// MayDispute: the caller's side (Mine) may dispute it with its
	// feedback: it is open and the catalog does not name the caller's
	// entry as the item's source (records.Feedback). The feedback form
	// then asks whether it accepts the other's value or disputes it.
	MayDispute bool
	// Correction is what it awaits, when it awaits a correction.
	Correction *correction
	// Of an open one, as a clerk reads its deadline: DueToday, the
	// deadline is the end of today; DaysLeft, the working days after
	// today up to the due day; PastDays, the days since the due day (at
	// least 1 once it is past), PastWorkingDays the working days among
	// them (0 on the weekend after a Friday's deadline).
	DueToday                  bool
	DaysLeft                  int
	PastDays, PastWorkingDays int
	// Feedback, Note and Chosen are what was typed into its feedback or
	// resolve form, and the entry chosen in the latter's select, when the
	// server refused it; FeedbackError, NoteError and AuthorityError why,
	// beside the field; Error a refusal of no field of them, at the top.
	// DisputedChoice is the feedback form's choice as sent ("true",
	// "false", "" for none).
	Feedback, Note, DisputedChoice                  string
	Chosen                                          int64
	FeedbackError, NoteError, AuthorityError, Error string
	// FeedbackEditTag is the feedback form's edit_tag: the discrepancy's
	// FeedbackTag, or the tag a feedback refused for its input was sent
	// with, so that a form from an older page stays conditional on the
	// state it was opened from.
	FeedbackEditTag string
}

// correction is what a discrepancy awaiting its correction waits for:
// the department whose value is wrong (Dept), that value (From) and the
// authority's (To), each withheld from the reader or not
// (records.WithholdValues): a withheld one is not quoted as a value.
type correction struct {
	Dept                     string
	From, To                 string
	FromWithheld, ToWithheld bool
}

// discrepanciesPageSize is how many discrepancies one page of the console
// lists.
const discrepanciesPageSize = 50

// discrepancyFilter is the page's filter as the form sends it: the
// subject (citizen ID or credit code), the entry on either side (resource
// code, name or id) and, for the operator, the department on either side
// (id, name, short name or credit code).
type discrepancyFilter struct {
	Subject, Entry, Department string
}

// discrepancyParams are the page's parameters but its cursor: the
// purpose, the status and the filter, which its links and actions keep.
var discrepancyParams = []string{"purpose", "status", "subject", "entry", "department"}

// values is f's parameters with purpose and status, those set.
func (f discrepancyFilter) values(purpose, status string) url.Values {
	v := url.Values{}
	for i, s := range []string{purpose, status, f.Subject, f.Entry, f.Department} {
		if s != "" {
			v.Set(discrepancyParams[i], s)
		}
	}
	return v
}

// discrepancyTab is a status tab of the page, which keeps the filter.
// Count, when not 0, is shown beside its label: the disputed ones, for the
// operator, whose queue they are.
type discrepancyTab struct {
	Status, Label, URL string
	Count              int64
}

type discrepanciesData struct {
	Rows     []discrepancyRow
	Status   string
	Operator bool
	Notice   string
	// Error is a refused action's reason, shown at the top when its
	// difference is not on the page (refused, at its card, when it is).
	Error   string
	refused discrepancyRefusal
	// Purpose is the purpose as typed; PurposeError why it was refused.
	// Read: a purpose was given and the list read, audited with it; the
	// page lists nothing without one.
	Purpose, PurposeError string
	Read                  bool
	Filter                discrepancyFilter
	Filtered              bool   // a filter is set
	Clear                 string // URL of the list without the filter
	// FilterError is why the filter was refused, beside its FilterField;
	// then nothing is listed.
	FilterError, FilterField string
	Tabs                     []discrepancyTab
	MaxChoices               int // suggestions of an entry at most
	// Where is the page's own query ("?status=all&after=50", "" for the
	// first page of open ones): the actions come back to it.
	Where          string
	Total, Overdue int64 // of the status shown, all pages
	// From and To are the rows of this page among Total, from 1: those
	// at or before its cursor are counted (CountDiscrepancies), so they
	// hold after rows of earlier pages were resolved. No page number is
	// claimed: a cursor page is not the Nth page of those listed now.
	From, To int64
	First    string // URL of the first page, "" on it
	Next     string // URL of the next page, "" on the last
}

// discrepancyRefusal is a feedback or resolution the server refused: the
// difference, the field at fault ("" for none of the forms'), why, and
// what was typed and chosen (Authority, the resolve form's entry, 0 for
// none or one that is no id). EditTag is the feedback form's edit_tag as
// sent, "" when it sent none or was refused as stale (concurrent_update),
// whose card then carries the current FeedbackTag.
type discrepancyRefusal struct {
	ID                       int64
	Field, Message           string
	Feedback, Note, Disputed string
	Authority                int64
	EditTag                  string
}

// at shows the refusal on row, the difference it is about: beside the
// field at fault, what was typed and chosen kept. A refused authority is
// beside the resolve form's select when it shows one (the catalog names
// neither entry), at the top of the card otherwise.
func (x discrepancyRefusal) at(row *discrepancyRow) {
	row.Feedback, row.Note, row.Chosen, row.DisputedChoice = x.Feedback, x.Note, x.Authority, x.Disputed
	if x.EditTag != "" {
		row.FeedbackEditTag = x.EditTag
	}
	switch {
	case x.Field == "feedback":
		row.FeedbackError = x.Message
	case x.Field == "note":
		row.NoteError = x.Message
	case x.Field == "authority" && row.CanResolve && row.Authority == 0:
		row.AuthorityError = x.Message
	default:
		row.Error = x.Message
	}
}

var discrepancyNotices = map[string]string{
	"feedback": "反馈已提交。",
	"resolved": "差异已处理，待取值有误的数源部门推送更正；取值一致后自动办结。",
}

func (w *Web) discrepanciesPage(rw http.ResponseWriter, r *http.Request) error {
	d := discrepanciesData{Notice: discrepancyNotices[r.URL.Query().Get("msg")]}
	return w.renderDiscrepancies(rw, r, http.StatusOK, d)
}

// discrepanciesDenied is the denied row of a list of discrepancies refused
// to its caller (readRefused: an auditor's role), as the API's refusal
// is: records.discrepancy.read with the purpose, and the subject of the
// filter when it is an identifier.
func discrepanciesDenied(r *http.Request, purpose string, err error) (*audit.Event, error) {
	// Not an identifier, the subject is not named (forms are empty).
	forms, _ := records.ParseSubject(strings.TrimSpace(r.URL.Query().Get("subject")))
	ev := records.DiscrepanciesDenied(auth.From(r.Context()).Actor, forms.Named(), purpose, err)
	return &ev, nil
}

// discrepancyTabs label the status tabs, in their order.
var discrepancyTabs = []discrepancyTab{
	{Status: "open", Label: "待处理"}, {Status: "disputed", Label: "有争议待协调"}, {Status: "awaiting_correction", Label: "待更正"},
	{Status: "resolved", Label: "已办结"}, {Status: "all", Label: "全部"},
}

// discrepancyPurposeRequired refuses the list without a purpose, as the
// record lookup is refused (purposeRequired): each difference shows a
// subject's values.
const discrepancyPurposeRequired = "请填写查询用途（如：核查多源差异，或办件的受理号），查看差异会连同用途记入审计日志"

// renderDiscrepancies shows the list of discrepancies. Each difference
// shows both sources' values of a subject, so the list is read only with
// a purpose, as a record is (recordPage), and each row's read is audited
// with it. Without one (the page as linked), the form asks for it and
// nothing is read or audited; a blank or invalid one is refused beside its
// field (400), along with a filter it cannot read.
func (w *Web) renderDiscrepancies(rw http.ResponseWriter, r *http.Request, status int, d discrepanciesData) error {
	ctx, q, now := r.Context(), w.cfg.DB.Read(), w.cfg.Now()
	p := auth.From(ctx)
	v := r.URL.Query()
	d.Operator, d.MaxChoices = p.HasRole(org.Operator), maxEntryChoices
	after, err := discrepancyCursor(v, d.Operator)
	if err != nil {
		return err
	}
	d.Purpose = v.Get("purpose")
	purpose, err := records.CheckPurpose(d.Purpose)
	switch e := errs.As(err); {
	case e != nil && purposeMessages[e.Code] != "":
		d.PurposeError = purposeMessages[e.Code]
	case err != nil:
		return err
	case purpose == "" && v.Has("purpose"):
		d.PurposeError = discrepancyPurposeRequired
	default:
		d.Purpose = purpose
	}
	// A status no tab has is refused with the filter (400, the page says
	// why), as the API refuses it (invalid_status), and the open ones'
	// tab is shown.
	var badStatus error
	if d.Status = v.Get("status"); d.Status == "" {
		d.Status = "open"
	}
	listed, ok := records.DiscrepancyStatusFilter(d.Status)
	if !ok {
		badStatus = errs.Field("status", "invalid_status", "差异状态“"+d.Status+"”无效，请选择待处理、有争议待协调、待更正、已办结或全部")
		d.Status = "open"
	}
	d.Filter = discrepancyFilter{Subject: strings.TrimSpace(v.Get("subject")), Entry: strings.TrimSpace(v.Get("entry"))}
	if d.Operator {
		d.Filter.Department = strings.TrimSpace(v.Get("department"))
	}
	d.Filtered = d.Filter != discrepancyFilter{}
	list := func(status string, after int64) string {
		if status == "open" {
			status = ""
		}
		v := d.Filter.values(purpose, status)
		if after > 0 {
			v.Set("after", strconv.FormatInt(after, 10))
		}
		if len(v) == 0 {
			return ""
		}
		return "?" + v.Encode()
	}
	unfiltered := discrepancyFilter{}.values(purpose, d.Status)
	if d.Status == "open" {
		unfiltered.Del("status")
	}
	d.Clear = "/records/discrepancies"
	if len(unfiltered) > 0 {
		d.Clear += "?" + unfiltered.Encode()
	}
	for _, t := range discrepancyTabs {
		t.URL = "/records/discrepancies" + list(t.Status, 0)
		d.Tabs = append(d.Tabs, t)
	}
	f, err := w.discrepancyQuery(r, d.Filter, scope(p))
	if err == nil {
		err = badStatus
	}
	if e := errs.As(err); e != nil && e.Kind == errs.Invalid {
		d.FilterError, d.FilterField = e.Message, e.Field
	} else if err != nil {
		return err
	}
	switch {
	case d.FilterError != "" || d.PurposeError != "":
		return w.render(rw, r, http.StatusBadRequest, "records_discrepancies", "多源校核差异", d)
	case purpose == "":
		// Nothing is read without a purpose, so nothing is audited.
		return w.render(rw, r, status, "records_discrepancies", "多源校核差异", d)
	}
	d.Read = true
	f.Status, f.AfterID, f.Limit = listed, after, discrepanciesPageSize
	ds, next, err := records.Discrepancies(ctx, q, f, now)
	if err != nil {
		return err
	}
	if err := records.WithholdValues(ctx, q, ds, p.ReadRecords); err != nil {
		return err
	}
	c, err := records.CountDiscrepancies(ctx, q, w.cfg.DB.Dialect, f, now)
	if err != nil {
		return err
	}
	// Each difference shows both sources' values of a subject: a read.
	evs := records.DiscrepancyReads(p.Actor, ds, purpose)
	if err := w.recordReads(ctx, now, evs...); err != nil {
		return err
	}
	d.Total, d.Overdue = c.Total, c.Overdue
	// The operator's queue: the disputed ones wait for it to coordinate.
	if d.Operator {
		df := f
		df.Status, df.AfterID = "disputed", 0
		dc, err := records.CountDiscrepancies(ctx, q, w.cfg.DB.Dialect, df, now)
		if err != nil {
			return err
		}
		for i := range d.Tabs {
			if d.Tabs[i].Status == "disputed" {
				d.Tabs[i].Count = dc.Total
			}
		}
	}
	d.From, d.To = c.Before+1, c.Before+int64(len(ds))
	d.Where = list(d.Status, f.AfterID)
	if f.AfterID > 0 {
		d.First = "/records/discrepancies" + list(d.Status, 0)
	}
	if next != 0 {
		d.Next = "/records/discrepancies" + list(d.Status, next)
	}
	names, err := org.DepartmentNames(ctx, q)
	if err != nil {
		return err
	}
	// The entries' names, whatever their status: a discrepancy stays
	// listed after one of its entries is retired.
	entryNames := map[int64]string{}
	entryName := func(id int64) (string, error) {
		if n, ok := entryNames[id]; ok {
			return n, nil
		}
		var n string
		if err := q.QueryRowContext(ctx, `SELECT name FROM catalog_entries WHERE id = $1`, id).Scan(&n); err != nil {
			return "", fmt.Errorf("discrepancy entry %d: %w", id, err)
		}
		entryNames[id] = n
		return n, nil
	}
	acts := p.HasRole(rolesRecordsWrite...)
	for _, x := range ds {
		row := discrepancyRow{Discrepancy: x, DeptAName: names[x.DepartmentA], DeptBName: names[x.DepartmentB]}
		if row.EntryAName, err = entryName(x.EntryA); err != nil {
			return err
		}
		if row.EntryBName, err = entryName(x.EntryB); err != nil {
			return err
		}
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
		row.FeedbackEditTag = x.FeedbackTag()
		if x.Status == "open" {
			row.Authority = x.NamedSource
			authDept := int64(0)
			switch row.Authority {
			case x.EntryA:
				authDept = x.DepartmentA
			case x.EntryB:
				authDept = x.DepartmentB
			}
			row.Disputed = x.Contested()
			row.CanResolve = d.Operator || (acts && authDept != 0 && authDept == p.DepartmentID() && !row.Disputed)
			row.MayDispute = row.Mine != "" && authDept != p.DepartmentID()
			row.due(w.cfg.Calendar, now)
		}
		if x.Status == "awaiting_correction" {
			row.Correction = &correction{Dept: row.DeptBName, From: x.ValueB, To: x.ValueA,
				FromWithheld: x.ValueBWithheld, ToWithheld: x.ValueAWithheld}
			if x.Authority != x.EntryA {
				row.Correction = &correction{Dept: row.DeptAName, From: x.ValueA, To: x.ValueB,
					FromWithheld: x.ValueAWithheld, ToWithheld: x.ValueBWithheld}
			}
		}
		if d.refused.ID == x.ID {
			d.refused.at(&row)
			d.Error = ""
		}
		d.Rows = append(d.Rows, row)
	}
	return w.render(rw, r, status, "records_discrepancies", "多源校核差异", d)
}

// due sets how row's deadline stands at now (DueToday, DaysLeft,
// PastDays): in working days until it, as it is set, and once past it in
// days, with the working days among them, so that neither the weekend
// after a deadline (no working day past it yet) nor the due day itself
// (none left after today) reads as 0 working days.
func (row *discrepancyRow) due(cal *calendar.Calendar, now time.Time) {
	today, dueDay := calendar.DateOf(now), calendar.DateOf(row.DueAt)
	switch {
	case now.After(row.DueAt):
		// Beijing time keeps no daylight saving: a day is 24 hours.
		row.PastDays = max(1, int(today.Start().Sub(dueDay.Start()).Round(24*time.Hour)/(24*time.Hour)))
		row.PastWorkingDays = max(0, -cal.WorkingDaysBetween(now, row.DueAt))
	case today == dueDay:
		row.DueToday = true
	default:
		row.DaysLeft = cal.WorkingDaysBetween(now, row.DueAt)
	}
}

// discrepancyCursor refuses a parameter the list does not take, 400
// unknown_parameter (checkParams), as the other records pages do: its
// filter, for the operator its department too, the cursor and a
// redirect's notice (msg). It reads the cursor (after, 0 for the first
// page) as the pager writes it: abc, 0, 007 and +7 are 400
// invalid_cursor, not shown as the first page.
func discrepancyCursor(v url.Values, operator bool) (int64, error) {
	known := append(slices.Clip(discrepancyParams), "after", "msg")
	if !operator {
		known = slices.DeleteFunc(known, func(p string) bool { return p == "department" })
	}
	if err := checkParams(v, known); err != nil {
		return 0, err
	}
	return pageCursor(v, "after")
}

// discrepancyQuery reads the page's filter into the store's, within the
// department the caller sees (every department for the operator, 0), or
// says which field it cannot read. The subject is validated as a citizen
// ID or a legal entity's code and compared in the form each kind's records
// store it (records.ParseSubject); the entry is
// any department's, a difference having two sides.
func (w *Web) discrepancyQuery(r *http.Request, f discrepancyFilter, sees int64) (records.DiscrepancyFilter, error) {
	df := records.DiscrepancyFilter{DepartmentID: sees}
	if f.Subject != "" {
		forms, err := records.ParseSubject(f.Subject)
		if e := errs.As(err); e != nil {
			return df, errs.Field("subject", e.Code, e.Message)
		}
		df.Subject = forms
	}
	if f.Entry != "" {
		id, err := w.recordsEntry(r, f.Entry, "entry", 0)
		if err != nil {
			return df, err
		}
		df.EntryID = id
	}
	if f.Department != "" {
		id, err := w.departmentField(r, f.Department)
		if err != nil {
			return df, err
		}
		df.DepartmentID = id
	}
	return df, nil
}

// discrepancyAction runs a feedback or resolution (action, the audited
// action) in one transaction and redirects back; an invalid or
// conflicting request is shown on the list, at its difference's card
// (beside the field at fault, what was typed kept) when the list shows
// it, as is refused, the form's input refused before any transaction (nil
// when none). A form refused so is first checked against the
// discrepancy (records.CheckSees), as the API checks before it reads the
// body: one who may not see it is answered as if there were none, never
// told what is wrong with the form.
func (w *Web) discrepancyAction(rw http.ResponseWriter, r *http.Request, action, msg string, refused error,
	fn func(tx *sqldb.Tx, by records.Reviewer, id int64, now time.Time) error) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return errs.E(errs.NotFound, "discrepancy_not_found", "差异不存在")
	}
	p := auth.From(r.Context())
	by := records.Reviewer{Actor: p.Actor, DepartmentID: p.DepartmentID(), Operator: p.HasRole(org.Operator)}
	if err = refused; err != nil {
		if serr := records.CheckSees(r.Context(), w.cfg.DB.Read(), by, action, id, w.cfg.Now()); serr != nil {
			err = serr
		}
	} else {
		err = w.cfg.DB.Tx(r.Context(), func(tx *sqldb.Tx) error { return fn(tx, by, id, w.cfg.Now()) })
	}
	// One who may not see the discrepancy is answered as if there were
	// none, and the attempt recorded, as the API's.
	if ev, ok := records.RefusedEvent(err); ok {
		if aerr := w.recordReads(r.Context(), w.cfg.Now(), ev); aerr != nil {
			return aerr
		}
	}
	if err != nil {
		if e := inputRefusal(err); e != nil {
			status, _ := userError(err)
			// The choice as sent: one that is no entry id shows none.
			chosen, _ := strconv.ParseInt(r.PostFormValue("authority"), 10, 64)
			d := discrepanciesData{Error: e.Message, refused: discrepancyRefusal{ID: id, Field: e.Field, Message: e.Message,
				Feedback: r.PostFormValue("feedback"), Note: r.PostFormValue("note"), Disputed: r.PostFormValue("disputed"),
				Authority: chosen}}
			if e.Code != "concurrent_update" {
				d.refused.EditTag = r.PostFormValue("edit_tag")
			}
			return w.renderDiscrepancies(rw, r, status, d)
		}
		return err
	}
	// Back to the page the action was taken on.
	v := url.Values{"msg": {msg}}
	for _, k := range append(discrepancyParams, "after") {
		if x := r.URL.Query().Get(k); x != "" {
			v.Set(k, x)
		}
	}
	return redirect(rw, r, "/records/discrepancies?"+v.Encode())
}

// discrepancyFeedback gives the caller's department's feedback
// (records.FeedbackIf) conditioned on the feedback state the card was
// rendered with (edit_tag, the discrepancy's FeedbackTag): a form sent
// again (Back, a double click) is answered as given, writing nothing; one
// from a page older than a feedback or resolution given since is refused
// (concurrent_update) at its card, the current feedback shown and what was
// typed kept, rather than overriding the department's newer position.
func (w *Web) discrepancyFeedback(rw http.ResponseWriter, r *http.Request) error {
	disputed, err := formDisputed(r.PostFormValue("disputed"))
	return w.discrepancyAction(rw, r, "records.discrepancy.feedback", "feedback", err, func(tx *sqldb.Tx, by records.Reviewer, id int64, now time.Time) error {
		_, err := records.FeedbackIf(r.Context(), tx, by, id, editTags(r), r.PostFormValue("feedback"), &disputed, now)
		return err
	})
}

// formDisputed reads the feedback form's choice: "true", 不认可，提请政务数据
// 主管部门协调; "false", 认可对方数据, or none (the form asks no choice of the
// authoritative source's department, which never disputes), read as
// false (the API's disputed left out keeps the side's position instead).
// Anything else, which the form never sends, is refused rather
// than read as either.
func formDisputed(s string) (bool, error) {
	switch s {
	case "true":
		return true, nil
	case "false", "":
		return false, nil
	}
	return false, errs.Field("disputed", "invalid_disputed", "请选择认可对方数据或不认可")
}

func (w *Web) resolveDiscrepancy(rw http.ResponseWriter, r *http.Request) error {
	authority, err := formAuthority(r.PostFormValue("authority"))
	return w.discrepancyAction(rw, r, "records.discrepancy.resolve", "resolved", err, func(tx *sqldb.Tx, by records.Reviewer, id int64, now time.Time) error {
		_, err := records.Resolve(r.Context(), tx, by, id, authority, r.PostFormValue("note"), now)
		// The API's authoritative_entry_id is the form's authority: a
		// missing choice (missing_authority, when the catalog names
		// neither entry) or a wrong one is shown beside the select.
		if e := errs.As(err); e != nil && e.Field == "authoritative_entry_id" {
			return errs.Field("authority", e.Code, e.Message)
		}
		return err
	})
}

// formAuthority reads the resolve form's authority: the id of the entry
// whose value is right, or 0 when it is left out (the catalog's
// authoritative source decides). Anything else sent, which the form never
// sends, is refused as the API refuses an authoritative_entry_id that is
// no integer, rather than read as none.
func formAuthority(s string) (int64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, errs.Field("authority", "invalid_authority", "以哪个数据资源为准应为差异涉及的两个数据资源之一")
	}
	return id, nil
}
