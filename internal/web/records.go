package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/auth"
	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/ident"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/text"
)

// rolesRecords may open the aggregation (数据归集) pages that show
// subjects' data (a record, the discrepancies with both sources' values):
// the operator sees every department's data, a department administrator
// and a reviewer their own (and read the entries of others
// auth.Principal.ReadRecords allows), as the scope data.read lets them in
// the API. rolesRecordsOverview open the pages of figures without
// anyone's data (the overview of quality and stale entries, the batches),
// and so does the auditor, who oversees the platform and reads them
// through the API (GET /records/quality, /records/stale, /records/batches)
// but no subject's data (no data.read). rolesRecordsWrite also act on
// discrepancies: give feedback on one and resolve it, as the API lets a
// holder of records.write or the operator. rolesRecordsPush upload data,
// as records.write lets only a department administrator push in the API
// (its department's data): the operator, who may act on discrepancies,
// pushes none. A reviewer and the auditor read and do none of that, as
// in the API.
var (
	rolesRecords         = []org.Role{org.Operator, org.DeptAdmin, org.Reviewer}
	rolesRecordsOverview = []org.Role{org.Operator, org.DeptAdmin, org.Reviewer, org.Auditor}
	rolesRecordsWrite    = []org.Role{org.Operator, org.DeptAdmin}
	rolesRecordsPush     = []org.Role{org.DeptAdmin}
)

// score is a quality score as a table cell: a percentage and a bar.
type score struct {
	Label   string
	Percent float64 // 0..100, as records.Percent gives it
	// NA: the score judges nothing (新鲜度 of entries none of whose
	// staleness is judged: Quality.ScheduledEntries 0), shown 不适用, not
	// 100%.
	NA bool
}

func scoresOf(q records.Quality) []score {
	pct := records.Percent
	return []score{
		{"完整性", pct(q.Completeness), false}, {"有效性", pct(q.Validity), false}, {"及时性", pct(q.Timeliness), false},
		{"新鲜度", pct(q.Freshness), q.ScheduledEntries == 0}, {"一致性", pct(q.Consistency), false}, {"覆盖率", pct(q.Coverage), false},
	}
}

// scoreLabels head the score columns, in the order of scoresOf.
var scoreLabels = []string{"完整性", "有效性", "及时性", "新鲜度", "一致性", "覆盖率"}

type recordsEntryRow struct {
	ID         int64
	Code, Name string
	Department string
	Frequency  string
	Rule       records.EntryRule // the timeliness rule its pushes are judged by
	Records    int64
	Ops        int64
	LateOps    int64
	Open       int64 // open discrepancies
	Awaiting   int64 // discrepancies awaiting its correction
	LastPush   *time.Time
	Stale      bool
	HasData    bool
	Scores     []score
}

type recordsDeptRow struct {
	ID         int64
	Department string
	Published  int // its published entries
	Entries    int // its entries that received data
	Records    int64
	Ops        int64
	LateOps    int64
	Stale      int
	Open       int64 // open discrepancies
	Awaiting   int64 // discrepancies awaiting its correction
	LastPush   *time.Time
	HasData    bool
	Scores     []score
}

type recordsData struct {
	Operator    bool            // the entries are every department's, and the departments' overview is shown
	ReadsData   bool            // the caller may look up records and discrepancies (rolesRecords)
	CanUpload   bool            // the caller may upload data (rolesRecordsPush)
	Department  *org.Department // the department of /records/departments/{id}, nil on /records
	Entries     []recordsEntryRow
	Entry       pagedList // the list of entries: its search (as the catalog's), count and pages
	Dept        pagedList // the operator's list of departments
	Departments []recordsDeptRow
	ScoreLabels []string
	Open        int64 // open discrepancies of the department
	Overdue     int64
	Lookup      lookupForm // the record lookup form, empty
}

// entriesQuery is the catalog search of the published entries of
// departmentID (every department's when 0) whose name, abstract or items
// hold text, by name.
func entriesQuery(departmentID int64, text string) catalog.Query {
	return catalog.Query{Text: text, DepartmentID: departmentID, Statuses: []catalog.Status{catalog.Published}, Sort: catalog.ByName}
}

// scope is the department whose data the caller sees: 0 for the operator.
func scope(p *auth.Principal) int64 {
	if p.HasRole(org.Operator) {
		return 0
	}
	return p.DepartmentID()
}

// departmentParam is the department a list names in ?department_id=,
// within what the caller sees (seen: scope, or 0 for every department,
// as the catalog export passes for everyone): none named, or 0 (every
// department, as the catalog list and the API read it, and as the list's
// export link carries it), is seen; whoever sees every department names
// any; anyone else their own, and is refused another's (403, forbidden,
// refused in refusal's words), as the API refuses it, never answered with
// their own. A value that is no number, or is negative, is refused first,
// for everyone (invalid_number).
func departmentParam(r *http.Request, seen int64, refusal string) (int64, error) {
	v := r.URL.Query().Get("department_id")
	if v == "" {
		return seen, nil
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id < 0 {
		return 0, errs.Field("department_id", "invalid_number", "部门编号（department_id）应为非负整数（0 为全部部门）")
	}
	if id == 0 {
		return seen, nil
	}
	if seen != 0 && id != seen {
		return 0, errs.E(errs.Forbidden, "forbidden", refusal)
	}
	return id, nil
}

// overview is the department whose aggregation overview the caller sees:
// 0, every department's, for the operator and for the auditor, to whom
// the API gives every department's quality and stale entries; scope for
// others.
func overview(p *auth.Principal) int64 {
	if p.HasRole(org.Auditor) {
		return 0
	}
	return scope(p)
}

// recordsParams are the /records page's parameters: the search and cursor
// of the operator's list of departments, and of the entries.
var recordsParams = []string{"dept_q", "dept_cursor", "q", "cursor"}

// recordsPage shows the aggregation overview: for the operator and the
// auditor (overview) every department that is the source of a published entry, whether it pushed
// data or not (尚未推送), orgPageSize at a time by id with a name search
// (dept_q) and cursor (dept_cursor) as /org's, each with its entries'
// quality and stale entries and a link to its own page; then the published
// entries the caller sees (the operator and the auditor every
// department's, a department administrator its own), orgPageSize at a time by name, with a search (q,
// as the catalog's) and the catalog's cursor, each with its timeliness
// rule and where it comes from, its data's quality and staleness. Only the
// pages' departments and entries are read. The record lookup and the
// discrepancies are offered to those who may read them (ReadsData).
//
// As /records/departments/{id} it shows one department's entries so, for
// the operator, the auditor or the department's administrator.
func (w *Web) recordsPage(rw http.ResponseWriter, r *http.Request) error {
	ctx, now := r.Context(), w.cfg.Now()
	p := auth.From(ctx)
	dept := overview(p)
	path, params := "/records", recordsParams
	var department *org.Department
	if r.PathValue("id") != "" {
		dp, err := w.recordsDepartment(r, dept)
		if err != nil {
			return err
		}
		department, dept = &dp, dp.ID
		path, params = fmt.Sprintf("/records/departments/%d", dp.ID), entriesParams
	}
	v := r.URL.Query()
	if err := checkParams(v, params); err != nil {
		return err
	}
	query := entriesQuery(dept, strings.TrimSpace(v.Get("q")))
	query.Cursor, query.Limit, query.Count = v.Get("cursor"), orgPageSize, true
	d := recordsData{Operator: dept == 0, ReadsData: p.HasRole(rolesRecords...), CanUpload: p.HasRole(rolesRecordsPush...),
		Department: department, ScoreLabels: scoreLabels,
		Lookup: lookupForm{MaxChoices: maxEntryChoices},
		Dept:   deptList("/records"), Entry: pagedList{Name: "entries", Path: path, Fragment: "entries", Param: "q", Cursor: "cursor", QLimit: "catalog.MaxQueryChars",
			Placeholder: "数据资源名称、摘要或信息项", Search: "搜索数据资源", Button: "搜索", Q: query.Text}}
	df := org.DepartmentFilter{Limit: orgPageSize}
	if d.Operator {
		var err error
		if df.Q, err = listQuery(v, "dept_q"); err != nil {
			return err
		}
		if df.After, err = parseListCursor(v, "dept_cursor", "departments"); err != nil {
			return err
		}
		d.Dept.Q = df.Q
	}

	// The pages, their counts and their figures in one snapshot, so that
	// they agree while entries are published and data pushed.
	var page catalog.Page
	var qs, dq []records.Quality
	var stale []records.StaleEntry
	var rules map[int64]records.EntryRule
	var depts []catalog.PublishingDepartment
	var deptNext int64
	var staleBy map[int64]int
	var c records.DiscrepancyCounts
	err := w.cfg.DB.Snapshot(ctx, func(q sqldb.Querier) (err error) {
		if page, err = catalog.Search(ctx, q, catalogActor(p), query); err != nil {
			return err
		}
		ids := make([]int64, len(page.Items))
		for i, e := range page.Items {
			ids[i] = e.ID
		}
		if qs, err = records.EntryQualityOf(ctx, q, w.cfg.Calendar, ids, now); err != nil {
			return err
		}
		if stale, err = records.StaleOf(ctx, q, w.cfg.Calendar, ids, now); err != nil {
			return err
		}
		if rules, err = records.RulesOf(ctx, q, ids); err != nil {
			return err
		}
		if d.Operator {
			if depts, deptNext, err = catalog.PublishingDepartments(ctx, q, df); err != nil {
				return err
			}
			if d.Dept.Total, err = catalog.CountPublishingDepartments(ctx, q, df); err != nil {
				return err
			}
			deptIDs := make([]int64, len(depts))
			for i, dd := range depts {
				deptIDs[i] = dd.ID
			}
			if dq, err = records.DepartmentQualityOf(ctx, q, w.cfg.Calendar, deptIDs, now); err != nil {
				return err
			}
			if staleBy, err = records.StaleByDepartment(ctx, q, w.cfg.Calendar, deptIDs, now); err != nil {
				return err
			}
		}
		if c, err = records.CountDiscrepancies(ctx, q, w.cfg.DB.Dialect, records.DiscrepancyFilter{DepartmentID: dept, Status: "open"}, now); err != nil {
			return err
		}
		names := deptNames{}
		if department != nil {
			names.add(department.ID, &department.Name)
		}
		for i := range page.Items {
			names.add(page.Items[i].DepartmentID, &page.Items[i].DepartmentName)
		}
		for i := range depts {
			names.add(depts[i].ID, &depts[i].Name)
		}
		return names.label(ctx, q)
	})
	if err != nil {
		return err
	}
	d.Open, d.Overdue = c.Total, c.Overdue
	d.Entry.Total = page.Total
	d.Entry.links(v, params, page.NextCursor, query.Cursor != "")
	byEntry := make(map[int64]records.Quality, len(qs))
	for _, qa := range qs {
		byEntry[qa.EntryID] = qa
	}
	isStale := make(map[int64]bool, len(stale))
	for _, s := range stale {
		isStale[s.EntryID] = true
	}
	for _, e := range page.Items {
		row := recordsEntryRow{ID: e.ID, Code: e.Code, Name: e.Name, Department: e.DepartmentName,
			Frequency: catalog.Label("update_frequency", string(e.UpdateFrequency)), Rule: rules[e.ID], Stale: isStale[e.ID]}
		if qa, ok := byEntry[e.ID]; ok {
			row.HasData, row.Records, row.Ops, row.LateOps, row.LastPush = true, qa.LiveRecords, qa.Ops, qa.LateOps, qa.LastReceivedAt
			row.Open, row.Awaiting = qa.OpenDiscrepancies, qa.AwaitingCorrection
			row.Scores = scoresOf(qa)
		}
		d.Entries = append(d.Entries, row)
	}
	if d.Operator {
		d.Dept.links(v, recordsParams, listCursor("departments", deptNext), df.After != 0)
		byDept := make(map[int64]records.Quality, len(dq))
		for _, qa := range dq {
			byDept[qa.DepartmentID] = qa
		}
		for _, dd := range depts {
			row := recordsDeptRow{ID: dd.ID, Department: dd.Name, Published: dd.Published, Stale: staleBy[dd.ID]}
			if qa, ok := byDept[dd.ID]; ok && qa.LastReceivedAt != nil {
				row.HasData, row.Entries, row.Records, row.Ops, row.LateOps = true, qa.PublishedEntries-qa.EntriesWithoutData, qa.LiveRecords, qa.Ops, qa.LateOps
				row.Open, row.Awaiting, row.LastPush, row.Scores = qa.OpenDiscrepancies, qa.AwaitingCorrection, qa.LastReceivedAt, scoresOf(qa)
			}
			d.Departments = append(d.Departments, row)
		}
	}
	title := "数据归集"
	if department != nil {
		title += " · " + department.Name
	}
	return w.render(rw, r, http.StatusOK, "records", title, d)
}

// entriesParams are the parameters of /records/departments/{id}: the
// search and cursor of its entries.
var entriesParams = []string{"q", "cursor"}

// recordsDepartment reads the department of /records/departments/{id}:
// one whose data the caller sees, who sees department sees' (every
// department's when 0).
func (w *Web) recordsDepartment(r *http.Request, sees int64) (org.Department, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return org.Department{}, errs.E(errs.NotFound, "department_not_found", "部门不存在")
	}
	if sees != 0 && sees != id {
		return org.Department{}, errs.E(errs.Forbidden, "forbidden", "只能查看本部门的数据归集情况")
	}
	return org.DepartmentByID(r.Context(), w.cfg.DB.Read(), id)
}

// maxEntryChoices is how many entries the entry fields of the records
// pages suggest at a time: a province publishes tens of thousands.
const maxEntryChoices = 20

// entryChoice is an entry an entry field suggests: its resource code, to
// type, and its name and department.
type entryChoice struct {
	Code, Name, Department string
}

// entryChoices answers the suggestions of an entry field as the user types
// (htmx): the options of its datalist, the first maxEntryChoices published
// entries whose name, abstract or items hold the text, by name. They are
// of the entries the field takes: with upload=1 those of the caller's
// department (only the source department pushes data), else any
// department's, as the record lookup and the discrepancies' filter take
// any published entry (whether the caller may read it is the read's to
// say).
func (w *Web) entryChoices(rw http.ResponseWriter, r *http.Request) error {
	if r.Header.Get("HX-Request") != "true" {
		return redirect(rw, r, "/records")
	}
	if err := checkParams(r.URL.Query(), entryChoicesParams); err != nil {
		return err
	}
	p := auth.From(r.Context())
	var dept int64
	if r.URL.Query().Get("upload") == "1" {
		dept = p.DepartmentID()
	}
	var d recordsEntriesData
	if s := strings.TrimSpace(r.URL.Query().Get("entry")); s != "" {
		query := entriesQuery(dept, s)
		query.Limit = maxEntryChoices
		page, err := catalog.Search(r.Context(), w.cfg.DB.Read(), catalogActor(p), query)
		if err != nil {
			return err
		}
		for _, e := range page.Items {
			d.Choices = append(d.Choices, entryChoice{Code: e.Code, Name: e.Name, Department: e.DepartmentName})
		}
	}
	return w.render(rw, r, http.StatusOK, "records_entries", "数据资源", d)
}

// entryChoicesParams are the parameters of an entry field's suggestions:
// the text typed, and whether the field takes the entries to upload to.
var entryChoicesParams = []string{"entry", "upload"}

type recordsEntriesData struct {
	Choices []entryChoice
}

// recordsEntry reads the entry typed into an entry field (parameter
// param): its resource code as suggested, its exact name if one of the
// published entries of departmentID (every department's when 0) bears it,
// or its id (as links give it). Whether the caller may use the entry is
// for the action to check.
func (w *Web) recordsEntry(r *http.Request, s, param string, departmentID int64) (int64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, errs.Field(param, "missing_entry", "请选择数据资源")
	}
	if id, err := strconv.ParseInt(s, 10, 64); err == nil && id > 0 {
		return id, nil
	}
	if !text.Plain(s, false) || utf8.RuneCountInString(s) > catalog.MaxQueryChars {
		return 0, errs.Field(param, "entry_not_found", "请从建议中选择数据资源，或填写其资源代码")
	}
	ctx, q := r.Context(), w.cfg.DB.Read()
	id, err := records.EntryByCode(ctx, q, s)
	if !errs.Is(err, errs.NotFound) {
		return id, err
	}
	named, err := catalog.PublishedNamed(ctx, q, s, departmentID, maxEntryChoices)
	if err != nil {
		return 0, err
	}
	switch len(named) {
	case 0:
		return 0, errs.Field(param, "entry_not_found", noPublishedEntry(s))
	case 1:
		return named[0].ID, nil
	}
	codes := make([]string, len(named))
	for i, e := range named {
		codes[i] = e.Code + "（" + e.DepartmentName + "）"
	}
	return 0, errs.Field(param, "entry_ambiguous", "名称为“"+s+"”的数据资源不止一个，请填写资源代码："+strings.Join(codes, "、"))
}

// noPublishedEntry is the refusal of an entry field whose text s names no
// published entry the caller may use: no entry bears it as its code or
// name, or it names one not published, or one the caller may not see.
func noPublishedEntry(s string) string {
	return "没有资源代码或名称为“" + s + "”的已发布数据资源，请从建议中选择"
}

// lookupForm is the record lookup form: what was typed, and why a field
// was refused, by its name (entry, subject, purpose).
type lookupForm struct {
	Entry, Subject, Purpose string
	Errors                  map[string]string
	MaxChoices              int // suggestions of an entry at most
}

// purposeMessages word records.CheckPurpose's refusals for the form, by
// code: its own name the API's parameter.
var purposeMessages = map[string]string{
	"invalid_characters": "查询用途含有控制字符、换行、不可见的格式字符（如零宽空格、BOM、文字方向控制符）或无效的字符编码，请删除后再提交",
	"too_long":           fmt.Sprintf("查询用途不能超过 %d 个字", records.MaxPurpose),
}

// purposeRequired refuses a record lookup without a purpose: a staff
// member reading someone's record in the console says why, and the audit
// row of the read keeps it.
const purposeRequired = "请填写查询用途（如：核查多源差异，或办件的受理号），查看记录会连同用途记入审计日志"

// lookupParams are the lookup form's fields, the parameters of
// /records/lookup.
var lookupParams = []string{"entry", "subject", "purpose"}

// lookupRecord turns the lookup form into the record page's path, the
// subject in its canonical form for the entry. A lookup it cannot make
// shows the form again (400), with what was typed and each refused
// field's reason beside it. Whether the caller may read the entry is the
// record page's to check, and audit.
func (w *Web) lookupRecord(rw http.ResponseWriter, r *http.Request) error {
	v := r.URL.Query()
	if err := checkParams(v, lookupParams); err != nil {
		return err
	}
	form := lookupForm{Entry: v.Get("entry"), Subject: v.Get("subject"), Purpose: v.Get("purpose"),
		Errors: map[string]string{}, MaxChoices: maxEntryChoices}
	// refuse shows err beside field when the input is at fault; any
	// other error is returned.
	refuse := func(field string, err error) error {
		e := errs.As(err)
		if e == nil || e.Kind != errs.Invalid {
			return err
		}
		form.Errors[field] = e.Message
		return nil
	}
	subject := strings.TrimSpace(form.Subject)
	if subject == "" {
		form.Errors["subject"] = "请填写主体标识（公民身份号码或统一社会信用代码）"
	}
	purpose, err := records.CheckPurpose(form.Purpose)
	switch e := errs.As(err); {
	case e != nil && purposeMessages[e.Code] != "":
		form.Errors["purpose"] = purposeMessages[e.Code]
	case err != nil:
		return err
	case purpose == "":
		form.Errors["purpose"] = purposeRequired
	}
	// Any published entry, by name as by code: a consuming department
	// looks up other departments' records.
	id, err := w.recordsEntry(r, form.Entry, "entry", 0)
	if err := refuse("entry", err); err != nil {
		return err
	}
	var e *records.Entry
	if id != 0 {
		e, err = records.LoadEntry(r.Context(), w.cfg.DB.Read(), id)
		switch {
		case errs.Is(err, errs.NotFound), errs.Is(err, errs.Conflict): // none, or not published
			form.Errors["entry"] = noPublishedEntry(strings.TrimSpace(form.Entry))
		case err != nil:
			return err
		}
	}
	switch {
	case subject == "":
	case form.Errors["entry"] == "":
		subject, err = e.Subject(subject)
		if err := refuse("subject", err); err != nil {
			return err
		}
	default:
		// Without its entry, the subject is checked as the identifier
		// the form asks for, so that it is told along with the entry.
		_, err := ident.Validate(subject, ident.Lenient)
		if err := refuse("subject", err); err != nil {
			return err
		}
	}
	if len(form.Errors) > 0 {
		return w.render(rw, r, http.StatusBadRequest, "records_lookup", "查询记录", form)
	}
	// An entry the caller may not read is refused here, audited by
	// readRefused (lookupDenied), the form shown again with the reason
	// beside the entry.
	if err := auth.From(r.Context()).ReadRecords(e.DepartmentID, e.ShareType); err != nil {
		return w.lookupRefused(rw, r, form, err)
	}
	target := fmt.Sprintf("/records/entries/%d/subjects/%s?purpose=%s", id, url.PathEscape(subject), url.QueryEscape(purpose))
	return redirect(rw, r, target)
}

// lookupRefused is the refusal err (Forbidden) of the read form asks for:
// returned for its adapter to audit (readRefused), then shown as the
// lookup form again, what was typed kept and the reason beside the entry.
func (w *Web) lookupRefused(rw http.ResponseWriter, r *http.Request, form lookupForm, err error) error {
	return &shownError{err: err, show: func() error {
		form.Errors = map[string]string{"entry": errs.As(err).Message}
		return w.render(rw, r, http.StatusForbidden, "records_lookup", "查询记录", form)
	}}
}

// readRefused is the refusal adapter (staff) of a console page that reads
// subjects' data: a refusal of its caller (err, a Forbidden error: its
// role's or the page's own) is recorded before it is shown, as the API's
// refusal of the read is, by the denied row that denied makes for the
// purpose given, the refusal's code as its reason. Without a purpose the
// page reads nothing and nothing is recorded, nor when denied finds
// nothing the read aims at (nil). It returns err, unless the row cannot be
// written; other errors are returned as they are.
func (w *Web) readRefused(denied func(r *http.Request, purpose string, err error) (*audit.Event, error)) func(*http.Request, error) error {
	return func(r *http.Request, err error) error {
		if !errs.Is(err, errs.Forbidden) {
			return err
		}
		purpose, perr := records.CheckPurpose(r.URL.Query().Get("purpose"))
		if perr != nil || purpose == "" {
			return err
		}
		ev, derr := denied(r, purpose, err)
		if derr != nil {
			return derr
		}
		if ev == nil {
			return err
		}
		if aerr := w.recordReads(r.Context(), w.cfg.Now(), *ev); aerr != nil {
			return aerr
		}
		return err
	}
}

// recordDenied is the denied row of a record page refused to its caller
// (readRefused): a records.read of the path's entry and subject, as the
// API's refused read of a record. An entry that does not exist, or is not
// published, is none: the API answers 404.
func (w *Web) recordDenied(r *http.Request, purpose string, err error) (*audit.Event, error) {
	id, ierr := entryID(r)
	if ierr != nil {
		return nil, nil
	}
	return w.entryDenied(r, id, r.PathValue("subject"), purpose, err)
}

// lookupDenied is the denied row of a lookup refused to its caller
// (readRefused): the record page's (recordDenied) of the entry and subject
// the form names, the entry by its id, code or name. A lookup without a
// subject or of no one entry aims at no record, and is none.
func (w *Web) lookupDenied(r *http.Request, purpose string, err error) (*audit.Event, error) {
	v := r.URL.Query()
	subject := strings.TrimSpace(v.Get("subject"))
	if subject == "" {
		return nil, nil
	}
	id, ierr := w.recordsEntry(r, v.Get("entry"), "entry", 0)
	switch {
	case errs.Is(ierr, errs.Invalid):
		return nil, nil
	case ierr != nil:
		return nil, ierr
	}
	return w.entryDenied(r, id, subject, purpose, err)
}

// entryDenied is the denied records.read row of entry id's subject, in
// its canonical form when it is one of the entry's, or none (nil) when the
// entry does not exist or is not published.
func (w *Web) entryDenied(r *http.Request, id int64, subject, purpose string, err error) (*audit.Event, error) {
	e, lerr := records.LoadEntry(r.Context(), w.cfg.DB.Read(), id)
	switch {
	case errs.Is(lerr, errs.NotFound), errs.Is(lerr, errs.Conflict):
		return nil, nil
	case lerr != nil:
		return nil, lerr
	}
	ev := records.DeniedEvent(auth.From(r.Context()).Actor, "records.read", e.ID, auditSubject(e, subject), purpose, err)
	return &ev, nil
}

// auditSubject is subject as a denied or missed read's row names it: in
// its canonical form when it is one of e's identifiers, as a served read's
// row names it (a 15-digit citizen ID as its 18-digit one), so that both
// are found under the same ID; as given when it is none.
func auditSubject(e *records.Entry, subject string) string {
	if s, err := e.Subject(subject); err == nil {
		return s
	}
	return subject
}

type valueRow struct {
	Item, Value string
	Disputed    *records.DisputedItem
}

type recordData struct {
	Entry    *records.Entry
	Dept     string
	Record   records.Record
	Values   []valueRow
	History  []historyRow // a page of its versions, newest first
	Versions int          // its versions, on every page
	First    string       // URL of the history's first page, "" on it
	Next     string       // URL of its next page, "" on the last
	Purpose  string
	Disputes int
}

// checkRecordParams refuses the record page's parameters other than its
// purpose and its history's cursor (before): a past version (at, as the API's record read takes it) in
// words of its own, since the page shows the current values with every
// version below them, any other as the other pages refuse it.
func checkRecordParams(v url.Values) error {
	if v.Has("at") {
		return errs.Field("at", "unknown_parameter", "本页不支持按时间（at）查看记录：页面显示记录的当前值，其下的“历史版本”列出每一版本及其时间，请在其中查看该时刻的值")
	}
	return checkParams(v, []string{"purpose", "before"})
}

// recordPage shows a subject's record: its current values (with the
// disputed ones marked) and its history, historyPageSize versions at a
// time newest first (cursor before, a version's seq). The read is audited with the
// subject and the purpose, as the API's reads are (records.read, and
// records.history for the versions), and so is its refusal
// (readRefused, recordDenied); without a purpose, or with one it cannot
// audit, it reads nothing and shows the lookup form asking for one.
func (w *Web) recordPage(rw http.ResponseWriter, r *http.Request) error {
	ctx, q := r.Context(), w.cfg.DB.Read()
	id, err := entryID(r)
	if err != nil {
		return err
	}
	if err := checkRecordParams(r.URL.Query()); err != nil {
		return err
	}
	before, err := pageCursor(r.URL.Query(), "before")
	if err != nil {
		return err
	}
	typed := r.URL.Query().Get("purpose")
	purpose, err := records.CheckPurpose(typed)
	refused := purposeRequired
	switch e := errs.As(err); {
	case e != nil && purposeMessages[e.Code] != "":
		refused = purposeMessages[e.Code]
	case err != nil:
		return err
	}
	if err != nil || purpose == "" {
		// Nothing is read without a purpose it can audit, so nothing is
		// audited: the lookup form asks for one in its words, the entry,
		// subject and purpose typed filled in, the entry by its code
		// as the form takes it (its id when there is none).
		entry := strconv.FormatInt(id, 10)
		switch e, err := records.LoadEntry(ctx, q, id); {
		case err == nil:
			entry = e.Code
		case !errs.Is(err, errs.NotFound) && !errs.Is(err, errs.Conflict):
			return err
		}
		form := lookupForm{Entry: entry, Subject: r.PathValue("subject"), Purpose: typed,
			Errors: map[string]string{"purpose": refused}, MaxChoices: maxEntryChoices}
		return w.render(rw, r, http.StatusBadRequest, "records_lookup", "查询记录", form)
	}
	e, err := records.LoadEntry(ctx, q, id)
	if err != nil {
		return records.ForRead(err, catalogActor(auth.From(ctx)))
	}
	p := auth.From(ctx)
	subject := r.PathValue("subject")
	if err := p.ReadRecords(e.DepartmentID, e.ShareType); err != nil {
		// Audited by readRefused (recordDenied), then the lookup form.
		return w.lookupRefused(rw, r, lookupForm{Entry: e.Code, Subject: subject, Purpose: typed, MaxChoices: maxEntryChoices}, err)
	}
	rec, err := records.Get(ctx, q, e, subject)
	// The lookup form again, what was typed kept, the miss or the
	// refusal beside the subject: the user corrects a digit and asks
	// again.
	form := lookupForm{Entry: e.Code, Subject: subject, Purpose: typed, MaxChoices: maxEntryChoices}
	switch ge := errs.As(err); {
	case errs.Is(err, errs.NotFound):
		miss := records.MissEvent(p.Actor, "records.read", e.ID, auditSubject(e, subject), purpose, err)
		if aerr := w.recordReads(ctx, w.cfg.Now(), miss); aerr != nil {
			return aerr
		}
		form.Errors = map[string]string{"subject": "“" + e.Name + "”中没有此主体的记录：" + subject}
		return w.render(rw, r, http.StatusNotFound, "records_lookup", "查询记录", form)
	case ge != nil && ge.Kind == errs.Invalid:
		// No identifier of the entry: nothing is looked up, and nothing
		// audited, as the API audits no read of such a subject.
		form.Errors = map[string]string{"subject": ge.Message}
		return w.render(rw, r, http.StatusBadRequest, "records_lookup", "查询记录", form)
	case err != nil:
		return err
	}
	hist, err := records.History(ctx, q, e, rec.SubjectID)
	if err != nil {
		return err
	}
	rows, shown, next := historyPage(e, hist, before)
	past := make([]map[string]string, len(shown))
	for i, v := range shown {
		past[i] = v.Values
	}
	// Its current values are a records.read, as the API's record read is;
	// the versions a records.history, below.
	read := records.ReadOf(p.Actor, "records.read", e, rec.SubjectID, []map[string]string{rec.Values}, purpose)
	disputes, err := rec.Withhold(ctx, q, e, p.DepartmentID(), p.ReadRecords)
	if err != nil {
		return err
	}
	evs := []audit.Event{read}
	// The page shows a page of the versions too: a history read of
	// those, as the API's (records.history), so that the subject's access
	// log tells that past values were seen.
	if len(shown) > 0 {
		evs = append(evs, records.ReadOf(p.Actor, "records.history", e, rec.SubjectID, past, purpose))
	}
	evs = append(evs, records.DisputeReads(p.Actor, rec.SubjectID, purpose, disputes)...)
	err = w.recordReads(ctx, w.cfg.Now(), evs...)
	if err != nil {
		return err
	}
	names, err := org.DepartmentNames(ctx, q)
	if err != nil {
		return err
	}
	d := recordData{Entry: e, Dept: names[e.DepartmentID], Record: rec, History: rows, Versions: len(hist), Purpose: purpose,
		Disputes: len(rec.Disputed)}
	// The history's pages keep the purpose, and show the history.
	link := func(before int64) string {
		v := url.Values{"purpose": {purpose}}
		if before > 0 {
			v.Set("before", strconv.FormatInt(before, 10))
		}
		return r.URL.Path + "?" + v.Encode() + "#history"
	}
	if before > 0 {
		d.First = link(0)
	}
	if next != 0 {
		d.Next = link(next)
	}
	for _, it := range e.Items {
		if it.IdentifiesSubject {
			continue
		}
		v := valueRow{Item: it.Name, Value: rec.Values[it.Name]}
		for i := range rec.Disputed {
			if rec.Disputed[i].Item == it.Name {
				v.Disputed = &rec.Disputed[i]
			}
		}
		d.Values = append(d.Values, v)
	}
	return w.render(rw, r, http.StatusOK, "records_record", e.Name+" · "+rec.SubjectID, d)
}
