package web

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/auth"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/text"
)

// auditPageSize is how many rows one page of the audit log shows.
const auditPageSize = 50

// auditFilter is the audit page's filter as the form sends it: its
// parameters are the fields' names in lower case, actor_kind for
// ActorKind.
type auditFilter struct {
	Action     string // an action, a prefix ending in ".", or audit.GroupPrefix and a group's key
	Subject    string // whose data: citizen ID, credit code
	Outcome    string // an outcome, or several joined by "," (denied,failed)
	ActorKind  string
	Actor      string // an account's username, an app's name
	Department string // as typed: name, short name or credit code
	Since      string // dates in Beijing time, 2006-01-02; Until inclusive
	Until      string
}

// auditParam is one of the audit page's filter parameters: its name, the
// field of an auditFilter it fills, and whether it is a time, read as the
// API reads one (text.QueryTime: an offset's + sent unencoded is not
// refused for the space the query made of it).
type auditParam struct {
	name  string
	field func(*auditFilter) *string
	time  bool
}

// auditFilterParams are the audit page's filter parameters, in the form's
// order: the one list of them that reading, linking and auditing a filter
// go by.
var auditFilterParams = []auditParam{
	{name: "action", field: func(f *auditFilter) *string { return &f.Action }},
	{name: "subject", field: func(f *auditFilter) *string { return &f.Subject }},
	{name: "actor_kind", field: func(f *auditFilter) *string { return &f.ActorKind }},
	{name: "actor", field: func(f *auditFilter) *string { return &f.Actor }},
	{name: "department", field: func(f *auditFilter) *string { return &f.Department }},
	{name: "since", field: func(f *auditFilter) *string { return &f.Since }, time: true},
	{name: "until", field: func(f *auditFilter) *string { return &f.Until }, time: true},
	{name: "outcome", field: func(f *auditFilter) *string { return &f.Outcome }},
}

// auditParams are the names of auditFilterParams.
var auditParams = func() []string {
	var names []string
	for _, p := range auditFilterParams {
		names = append(names, p.name)
	}
	return names
}()

// auditPageQuery are the audit page's query parameters: its filter's and
// the page's cursor.
var auditPageQuery = append(slices.Clip(auditParams), "before")

func (f auditFilter) values() url.Values {
	v := url.Values{}
	for _, p := range auditFilterParams {
		if s := *p.field(&f); s != "" {
			v.Set(p.name, s)
		}
	}
	return v
}

// readAuditFilter is the audit page's filter in q, each value without
// white space around it.
func readAuditFilter(q url.Values) auditFilter {
	var f auditFilter
	for _, p := range auditFilterParams {
		v := q.Get(p.name)
		if p.time {
			v = text.QueryTime(q, p.name)
		}
		*p.field(&f) = strings.TrimSpace(v)
	}
	return f
}

type auditRow struct {
	audit.Entry
	Department string
	Object     string // the object's kind in Chinese, and its name when objectNames has one
	Items      string // the data items of Fields, each once, joined with 、
	Details    []audit.DetailField
}

// maxDetailValue bounds a detail value on the page, in characters; the
// API's audit log gives it whole.
const maxDetailValue = 200

// countDetails are the detail keys whose values are counts, shown with
// their thousands separated (写入 4,756); identifiers (batch_id,
// first_seq…) are not.
var countDetails = map[string]bool{"applied": true, "duplicates": true, "unchanged": true, "late": true,
	"pairs": true, "compared": true, "found": true, "resolved": true, "closed": true, "rows": true,
	"created": true, "updated": true, "errors": true, "source_conflicts": true}

// details returns the members of detail, the JSON object of an audit
// row of the action of with outcome, as audit.DetailFields reads them, each value
// clipped to maxDetailValue characters, a count's thousands separated.
func details(of, outcome, detail string) []audit.DetailField {
	fields := audit.DetailFields(of, outcome, detail)
	for i, f := range fields {
		if n, err := strconv.ParseInt(f.Value, 10, 64); err == nil && countDetails[f.Key] && f.Raw == "" {
			f.Value, _ = formatCount(n)
		}
		fields[i].Value = clip(f.Value)
		if f.Raw != "" {
			fields[i].Raw = clip(f.Raw)
		}
	}
	return fields
}

// clip is s cut to maxDetailValue characters, an ellipsis marking the cut.
func clip(s string) string {
	if r := []rune(s); len(r) > maxDetailValue {
		return string(r[:maxDetailValue]) + "…"
	}
	return s
}

// object is the 对象 cell of e: its kind in Chinese, with the object's
// name when names has one.
func object(e audit.Entry, names objectNames) string {
	kind := audit.ObjectKindLabel(e.ObjectType)
	if name := names.of(e); name != "" {
		return kind + "：" + name
	}
	return kind
}

// objectNames are the names the 对象 cells of a page show, by id:
// departments', catalog entries' (code and name), accounts' (username)
// and apps'; and by key id, the names of the apps whose keys they are.
type objectNames struct {
	departments, entries, users, apps map[int64]string
	keys                              map[string]string
}

// objectID is e's object id when it is a department, a catalog entry, an
// app or an account named by id, 0 otherwise. A login refused before it knew the
// account (its actor anonymous) names the account by the username typed,
// which may read as a number.
func objectID(e audit.Entry) int64 {
	switch {
	case e.ObjectType == "user" && e.Actor.Kind == audit.ActorAnonymous:
		return 0
	case e.ObjectType == "department", e.ObjectType == "catalog_entry", e.ObjectType == "user", e.ObjectType == "app":
		id, err := strconv.ParseInt(e.ObjectID, 10, 64)
		if err != nil || id <= 0 {
			return 0
		}
		return id
	}
	return 0
}

// objectKey is e's object's key id when it is an app's key, "" otherwise.
func objectKey(e audit.Entry) string {
	if e.ObjectType == "app_key" {
		return e.ObjectID
	}
	return ""
}

// of is the name of e's object, "" when it has none here: a key's is its
// app's.
func (n objectNames) of(e audit.Entry) string {
	if k := objectKey(e); k != "" {
		return n.keys[k]
	}
	byID := map[string]map[int64]string{"department": n.departments, "catalog_entry": n.entries, "user": n.users, "app": n.apps}[e.ObjectType]
	return byID[objectID(e)]
}

// auditDepartments are the departments entries name: their actors' and
// the departments they are about.
func auditDepartments(entries []audit.Entry) []int64 {
	var ids []int64
	for _, e := range entries {
		ids = append(ids, e.Actor.DepartmentID)
		if e.ObjectType == "department" {
			ids = append(ids, objectID(e))
		}
	}
	return ids
}

// lookupObjects reads the names of the catalog entries, accounts, apps
// and apps' keys that entries are about, one query for each kind;
// departments are given, the labels the page reads for its 部门 column
// too (auditDepartments).
func lookupObjects(ctx context.Context, q sqldb.Querier, entries []audit.Entry, departments map[int64]string) (objectNames, error) {
	ids := map[string][]int64{}
	var keys []string
	for _, e := range entries {
		if id := objectID(e); id != 0 && !slices.Contains(ids[e.ObjectType], id) {
			ids[e.ObjectType] = append(ids[e.ObjectType], id)
		}
		if k := objectKey(e); k != "" && !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
	}
	n := objectNames{departments: departments}
	var err error
	if n.entries, err = namesByID(ctx, q, `SELECT id, code || ' ' || name FROM catalog_entries WHERE id IN `, ids["catalog_entry"]); err != nil {
		return n, err
	}
	if n.users, err = namesByID(ctx, q, `SELECT id, username FROM users WHERE id IN `, ids["user"]); err != nil {
		return n, err
	}
	if n.apps, err = namesByID(ctx, q, `SELECT id, name FROM apps WHERE id IN `, ids["app"]); err != nil {
		return n, err
	}
	n.keys, err = namesByID(ctx, q, `SELECT k.key_id, a.name FROM app_keys k JOIN apps a ON a.id = k.app_id WHERE k.key_id IN `, keys)
	return n, err
}

// namesByID runs query, which selects an id and a name and ends in "IN ",
// for ids (a page's, at most auditPageSize: the list is padded to that
// many with the last id, so that the statement's text, prepared once, is
// always the same).
func namesByID[K int64 | string](ctx context.Context, q sqldb.Querier, query string, ids []K) (map[K]string, error) {
	out := map[K]string{}
	if len(ids) == 0 {
		return out, nil
	}
	var args []any
	in := sqldb.In(q, &args, ids, auditPageSize)
	rows, err := q.QueryContext(ctx, query+in, args...)
	if err != nil {
		return nil, fmt.Errorf("names by id: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id K
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, fmt.Errorf("names by id: %w", err)
		}
		out[id] = name
	}
	return out, rows.Err()
}

type option struct{ Value, Label string }

type optionGroup struct {
	Label   string
	Options []option
}

type auditData struct {
	Filter     auditFilter
	Rows       []auditRow
	Next       string // URL of the next page, "" on the last
	First      string // URL of the first page, "" on the first
	Actions    []optionGroup
	Other      *option // the filter's action when no option is it: typed into the URL
	ActorKinds []option
	Outcomes   []option
	Error      string // why the filter was refused; then no rows
	ErrorField string
}

// recordReads writes the audit rows of a read, in order, in a transaction
// of their own, before what was read is shown: an error (audit_unavailable
// when the log cannot be written) refuses the read, and is kept for the
// server's readiness (audit.RecordReads).
func (w *Web) recordReads(ctx context.Context, now time.Time, evs ...audit.Event) error {
	return audit.RecordReads(ctx, w.cfg.DB, evs, now)
}

// logReadRefused is the refusal of a page of the audit log (staff's
// refused), whose query parameters are params: a caller refused it (403,
// by its role) leaves a denied audit.read row naming it and the filter it
// gave, with the refusal's code (auth.DeniedRead), as the API's refusal
// does: reading the log is a read of personal data, and a refused attempt
// at it leaves a trace as a refused read of a record does.
func (w *Web) logReadRefused(params []string) func(*http.Request, error) error {
	return func(r *http.Request, err error) error {
		if !errs.Is(err, errs.Forbidden) {
			return err
		}
		ev := auth.DeniedRead(audit.LogReadEvent(auth.From(r.Context()).Actor, audit.LogFilter(r.URL.Query()), params), err)
		if aerr := w.recordReads(context.WithoutCancel(r.Context()), w.cfg.Now(), ev); aerr != nil {
			return aerr
		}
		return err
	}
}

// auditPage lists the audit log, newest first, a page at a time, by
// action (one, a group, a prefix), subject, actor, department, time and
// outcome. A filter it cannot read shows the form with the reason.
func (w *Web) auditPage(rw http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q := r.URL.Query()
	if target, err := auditAliases(q); err != nil || target != "" {
		if err != nil {
			return err
		}
		if err := w.auditDepartmentID(r); err != nil {
			return err
		}
		http.Redirect(rw, r, target, http.StatusSeeOther)
		return nil
	}
	if err := checkParams(q, auditPageQuery); err != nil {
		return err
	}
	f := readAuditFilter(q)
	before, err := pageCursor(q, "before")
	if err != nil {
		return err
	}
	d := auditData{Filter: f}
	d.Actions, d.Other = actionOptions(f.Action)
	for _, k := range []string{audit.ActorUser, audit.ActorApp, audit.ActorApplicant, audit.ActorSystem, audit.ActorAnonymous} {
		d.ActorKinds = append(d.ActorKinds, option{k, audit.ActorKindLabel(k)})
	}
	d.Outcomes = outcomeOptions(f.Outcome)
	af, err := w.auditQuery(r, f)
	if err != nil {
		e := errs.As(err)
		if !errs.Is(err, errs.Invalid) {
			return err
		}
		d.Error, d.ErrorField = e.Message, e.Field
		return w.render(rw, r, http.StatusBadRequest, "audit", "审计日志", d)
	}
	af.Before, af.Limit = before, auditPageSize
	entries, next, err := audit.List(ctx, w.cfg.DB.Read(), af)
	if err != nil {
		return err
	}
	// The rows are personal data: their read is audited before they are
	// shown, and refused when it cannot be (audit.LogReadEvent).
	read := audit.LogReadEvent(auth.From(ctx).Actor, audit.LogFilter(q), auditPageQuery)
	if err := w.recordReads(ctx, w.cfg.Now(), read); err != nil {
		return err
	}
	// The departments the rows name, in their 部门 and 对象 columns, by
	// their labels (org.DepartmentLabel), read in one query.
	depts, err := org.DepartmentLabels(ctx, w.cfg.DB.Read(), auditDepartments(entries))
	if err != nil {
		return err
	}
	objects, err := lookupObjects(ctx, w.cfg.DB.Read(), entries, depts)
	if err != nil {
		return err
	}
	for _, e := range entries {
		d.Rows = append(d.Rows, auditRow{Entry: e, Department: depts[e.Actor.DepartmentID], Object: object(e, objects),
			Items: strings.Join(e.Items(), "、"), Details: details(e.Action, e.Outcome, e.Detail)})
	}
	page := func(cursor int64) string {
		v := f.values()
		if cursor > 0 {
			v.Set("before", strconv.FormatInt(cursor, 10))
		}
		if len(v) == 0 {
			return "/audit"
		}
		return "/audit?" + v.Encode()
	}
	if next != 0 {
		d.Next = page(next)
	}
	if before != 0 {
		d.First = page(0)
	}
	return w.render(rw, r, http.StatusOK, "audit", "审计日志", d)
}

// auditAliasParams are the names GET /api/v1/audit gives the filters the
// page has under another name: a link or a habit from the API finds the
// same rows.
var auditAliasParams = map[string]string{"subject_id": "subject", "department_id": "department", "cursor": "before"}

// auditAliases is the page's URL for q with the API's names of its
// filters (auditAliasParams) renamed to the page's, "" when q has none.
// A filter given under both names is refused. Parameters the page does
// not take at all are left to checkParams.
func auditAliases(q url.Values) (string, error) {
	renamed := false
	v := url.Values{}
	for _, name := range slices.Sorted(maps.Keys(q)) {
		to, ok := auditAliasParams[name]
		if !ok {
			v[name] = q[name]
			continue
		}
		if q.Has(to) {
			return "", errs.Field(name, "duplicate_parameter", "查询参数“"+name+"”与“"+to+"”是同一筛选条件，只能给出其一")
		}
		v[to], renamed = q[name], true
	}
	if !renamed {
		return "", nil
	}
	return "/audit?" + v.Encode(), nil
}

// auditDepartmentID refuses the API's department_id, a department's id
// as on every list filtered by department, when it names no department:
// 404 部门不存在 on the error page (filteredDepartment), as GET
// /api/v1/audit answers it, not the form's field error of a department
// typed that matches none. Any other value is left to the department
// field it is renamed to, as before.
func (w *Web) auditDepartmentID(r *http.Request) error {
	id, err := strconv.ParseInt(r.URL.Query().Get("department_id"), 10, 64)
	if err != nil || id <= 0 {
		return nil
	}
	_, err = filteredDepartment(r.Context(), w.cfg.DB.Read(), id)
	return err
}

// auditQuery reads the page's filter into audit.List's, or says which
// field it cannot read.
func (w *Web) auditQuery(r *http.Request, f auditFilter) (audit.Filter, error) {
	af := audit.Filter{Outcomes: audit.ParseOutcomes(f.Outcome), ActorKind: f.ActorKind}
	var err error
	if af.Actions, err = audit.ParseActions("action", f.Action); err != nil {
		return af, err
	}
	if err := af.Check(); err != nil {
		return af, err
	}
	if af.SubjectID, err = org.Search("subject", f.Subject); err != nil {
		return af, err
	}
	af.SubjectForms = records.AuditSubjectForms(af.SubjectID)
	if af.ActorName, err = org.Search("actor", f.Actor); err != nil {
		return af, err
	}
	if f.Department != "" {
		dept, err := org.Search("department", f.Department)
		if err != nil {
			return af, err
		}
		if af.DepartmentID, err = w.departmentField(r, dept); err != nil {
			return af, err
		}
	}
	af.Since, af.Until, err = audit.ParseRange(f.Since, f.Until)
	if e := errs.As(err); e != nil && e.Kind == errs.Invalid {
		// ParseRange's messages name the API's parameters; the form's
		// fields are dates.
		msg := "截止日期不能早于起始日期"
		if e.Code != "invalid_range" {
			msg = map[string]string{"since": "起始日期", "until": "截止日期"}[e.Field] + "应为年-月-日，如 2026-10-01"
		}
		return af, errs.Field(e.Field, e.Code, msg)
	}
	return af, err
}

// departmentField resolves the department typed in a filter's field
// department as org.DepartmentByRef reads it (id, credit code, name or
// short name); none, or several, is a field error.
func (w *Web) departmentField(r *http.Request, s string) (int64, error) {
	d, err := org.DepartmentByRef(r.Context(), w.cfg.DB.Read(), s)
	e := errs.As(err)
	switch {
	case e != nil && e.Kind == errs.NotFound:
		return 0, errs.Field("department", e.Code, "没有 ID、名称、简称或统一社会信用代码为“"+s+"”的部门，请检查后重新填写")
	case e != nil && e.Kind == errs.Conflict:
		return 0, errs.Field("department", e.Code, e.Message)
	}
	return d.ID, err
}

// notOK is the outcome filter of the rows that were not ok: refused or
// failed, as the home page counts them (今日拒绝或失败).
const notOK = audit.Denied + "," + audit.Failed

// outcomeOptions are the outcome filter's choices: each outcome, those
// not ok together, and the filter's outcomes when none of them is it
// (typed into the URL), named by their labels.
func outcomeOptions(current string) []option {
	var out []option
	for _, o := range []string{audit.OK, audit.Denied, audit.Failed} {
		out = append(out, option{o, audit.OutcomeLabel(o)})
	}
	out = append(out, option{notOK, audit.OutcomeLabel(audit.Denied) + "或" + audit.OutcomeLabel(audit.Failed)})
	if current == "" || slices.ContainsFunc(out, func(o option) bool { return o.Value == current }) {
		return out
	}
	var labels []string
	for _, o := range audit.ParseOutcomes(current) {
		labels = append(labels, cmp.Or(audit.OutcomeLabel(o), o))
	}
	return append(out, option{current, strings.Join(labels, "或")})
}

// actionOptions are the filter's actions by group, each group first as a
// whole, and the filter's action when none of them is it (a prefix such
// as "records." or an action no longer written, typed into the URL).
func actionOptions(current string) ([]optionGroup, *option) {
	var out []optionGroup
	found := current == ""
	for _, g := range audit.ActionGroups {
		og := optionGroup{Label: g.Label, Options: []option{{audit.GroupPrefix + g.Key, g.Label + "（全部）"}}}
		for _, a := range g.Actions {
			og.Options = append(og.Options, option{a.Action, a.Label + "（" + a.Action + "）"})
		}
		for _, o := range og.Options {
			found = found || o.Value == current
		}
		out = append(out, og)
	}
	if found {
		return out, nil
	}
	if strings.HasSuffix(current, ".") {
		return out, &option{current, "以 " + current + " 开头的操作"}
	}
	return out, &option{current, audit.ActionDisplay(current)}
}

type verifyData struct {
	Report audit.Report
	Intact bool
	Anchor string // as typed: a head reported before, SEQ:HASH; "" for none
	From   string // as typed: the last head recorded, SEQ:HASH, to verify the rows after it; "" for the whole log
	Error  string // why the anchor or from was refused; then no report
	Field  string // the field refused: anchor or from
}

// verifyAudit walks the chain, and with anchor (SEQ:HASH, a head
// reported before and kept off the machine) checks that the chain still
// holds that row with that hash, as GET /api/v1/audit/verify?anchor=
// does; with from (the last head recorded) it checks that row and
// verifies only the rows after it (?from=). A verify of the whole log
// (or from an anchor far from the head) while another runs in the
// server is refused (audit.VerifyServed). It only reads, so it is a GET;
// htmx asks for the result fragment, without JavaScript the full page
// shows. An anchor it cannot read, and a verify refused while another
// runs, are answered with the reason: 400 or 429 on the page, in a
// fragment htmx swaps in (it swaps only a 2xx).
func (w *Web) verifyAudit(rw http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	if err := checkParams(q, []string{"anchor", "from"}); err != nil {
		return err
	}
	d := verifyData{Anchor: strings.TrimSpace(q.Get("anchor")), From: strings.TrimSpace(q.Get("from"))}
	refuse := func(field, label string, err error) error {
		e := errs.As(err)
		d.Error, d.Field = label+e.Message, field
		status := e.Kind.HTTPStatus()
		if r.Header.Get("HX-Request") == "true" {
			status = http.StatusOK
		}
		return w.render(rw, r, status, "audit_verify", "校验审计链", d)
	}
	var anchors []audit.Anchor
	if d.Anchor != "" {
		a, err := audit.ParseAnchor(d.Anchor)
		if err != nil {
			return refuse("anchor", "", err)
		}
		anchors = append(anchors, a)
	}
	var from audit.Anchor
	if d.From != "" {
		var err error
		if from, err = audit.ParseAnchor(d.From); err != nil {
			return refuse("from", "起点：", err)
		}
	}
	rep, err := audit.VerifyServed(r.Context(), w.cfg.DB, from, anchors...)
	if errors.Is(err, audit.ErrVerifyRunning) {
		return refuse("", "", err)
	}
	if err != nil {
		return err
	}
	d.Report, d.Intact = rep, rep.Problem == nil
	return w.render(rw, r, http.StatusOK, "audit_verify", "校验审计链", d)
}
