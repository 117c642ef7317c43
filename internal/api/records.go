package api

import (
	"context"
	"io"
	"mime"
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
	"github.com/hutong-gov/hutong/internal/text"
)

func (a *API) recordsRoutes() {
	a.add(Route{Method: "POST", Path: "/api/v1/records/entries/{id}/ops", Scope: "records.write",
		Audit: &Audited{"records.batch", "catalog_entry"}, Handler: a.pushOp})
	a.add(Route{Method: "POST", Path: "/api/v1/records/entries/{id}/batches", Scope: "records.write", Long: true,
		Audit: &Audited{"records.batch", "catalog_entry"}, Handler: a.pushBatch})
	a.add(Route{Method: "GET", Path: "/api/v1/records/batches", Query: []string{"entry_id", "department_id", "before", "limit"},
		Handler: a.listBatches})
	a.add(Route{Method: "GET", Path: "/api/v1/records/batches/{id}", Allow: (*auth.Principal).ReadBatches, Handler: a.getBatch})
	a.add(Route{Method: "GET", Path: "/api/v1/records/entries/{id}/subjects/{subject}", Query: []string{"purpose", "at"}, Handler: a.getRecord})
	a.add(Route{Method: "GET", Path: "/api/v1/records/entries/{id}/subjects/{subject}/history", Query: []string{"purpose", "cursor", "limit"},
		Handler: a.recordHistory})
	a.add(Route{Method: "GET", Path: "/api/v1/records/entries/{id}/changes", Query: []string{"after", "limit", "purpose"},
		Handler: a.recordChanges})
	a.add(Route{Method: "GET", Path: "/api/v1/records/entries/{id}/rule", Handler: a.getRecordRule})
	a.add(Route{Method: "PUT", Path: "/api/v1/records/entries/{id}/rule", Scope: "admin", Allow: adminOnly("设置归集数据的时效规则"),
		Handler: a.setRecordRule})
	a.add(Route{Method: "GET", Path: "/api/v1/records/quality", Query: []string{"by", "entry_id", "department_id", "cursor", "limit"},
		Handler: a.recordQuality})
	a.add(Route{Method: "GET", Path: "/api/v1/records/stale", Query: []string{"department_id", "cursor", "limit"}, Handler: a.staleEntries})
	a.add(Route{Method: "GET", Path: "/api/v1/records/discrepancies",
		Query: []string{"status", "entry_id", "subject_id", "department_id", "after", "limit", "purpose"}, Handler: a.listDiscrepancies})
	a.add(Route{Method: "POST", Path: "/api/v1/records/discrepancies/{id}/feedback", IfMatch: true, Idempotent: true,
		Audit: &Audited{"records.discrepancy.feedback", "record_discrepancy"}, Recheck: a.mayGiveFeedback,
		Handler: a.discrepancyFeedback})
	a.add(Route{Method: "POST", Path: "/api/v1/records/discrepancies/{id}/resolve", Idempotent: true,
		Audit: &Audited{"records.discrepancy.resolve", "record_discrepancy"}, Recheck: a.mayResolve,
		Handler: a.resolveDiscrepancy})
	a.add(Route{Method: "POST", Path: "/api/v1/records/crosscheck", Scope: "admin", Allow: adminOnly("发起全量差异比对"), Handler: a.crossCheck})
}

// adminOnly is the Allow of a records route that is the platform
// operator's or its apps' (scope admin) to call, what doing: setting the timeliness
// rule an entry's pushes are judged by, sweeping every entry for
// discrepancies. A department administrator, who manages its accounts
// and apps, is told that rather than the scope's description,
// 管理部门、账号与应用.
func adminOnly(doing string) func(*auth.Principal) error {
	return func(p *auth.Principal) error {
		if !p.Can("admin") {
			return errs.E(errs.Forbidden, "forbidden", "只有平台管理员（或其持有 admin 权限的应用）可以"+doing)
		}
		return nil
	}
}

func pusher(p *auth.Principal) records.Pusher {
	return records.Pusher{Actor: p.Actor, DepartmentID: p.DepartmentID()}
}

// pushOp applies one operation in real time, group-committed with the
// operations other requests push at the same time (records.Pushes). The
// Idempotency-Key header, if any, is the operation's key: given with
// another key in the body, it is refused (conflicting_keys); a bad one is
// refused naming the header, not the body's key. The operation is
// received when its request arrives (its timeliness is judged by that),
// before its body is read and it waits for its round. The round checks
// that the caller may push to the entry; a request refused before it (its
// header or body) checks that first (pushRefused), so that a caller who
// may not (another department's: 403 not_provider, audited by
// Route.Audit) is told so, never what is wrong with the operation or its
// key. Only the request's transport-level form is checked before, by the
// route for every caller alike (adapt: a query parameter, a
// Content-Encoding, a Content-Type other than JSON), which says nothing
// of the entry.
func (a *API) pushOp(w http.ResponseWriter, r *http.Request) error {
	received := a.Now()
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	op, err := readOp(r)
	if err != nil {
		return a.pushRefused(r, id, err)
	}
	op.ReceivedAt = received
	res, err := a.pushes().Push(pusher(auth.From(r.Context())), id, op)
	if err != nil {
		return records.ForPush(err, catalogActor(r))
	}
	status := http.StatusCreated
	if res.Applied == 0 {
		status = http.StatusOK // a repeated operation
	}
	return JSON(w, status, res)
}

// readOp reads the operation of a push (pushOp) from r's body, its key
// from the Idempotency-Key header when the body names none.
func readOp(r *http.Request) (records.Op, error) {
	h, err := idempotencyKey(r)
	if err != nil {
		return records.Op{}, err
	}
	var wire records.WireOp
	if err := Decode(r, &wire); err != nil {
		return records.Op{}, records.ValueField(err)
	}
	op, err := wire.Parse()
	if err != nil {
		return records.Op{}, err
	}
	if op.Key == "" {
		op.Key = h
	} else if h != "" && h != op.Key {
		return records.Op{}, errs.Field("key", "conflicting_keys",
			"请求体中的幂等键 key 与请求头 Idempotency-Key 不一致，无法确定操作的幂等键：请只给出其中一个，或在两处给出相同的键")
	}
	return op, nil
}

// pushRefused is the answer to a push to entry id whose request is
// refused (err) before the push checked its caller: the refusal of a
// caller who may not push to the entry (records.CheckPusher: another
// department's, not_provider; an entry it does not see), or err.
func (a *API) pushRefused(r *http.Request, id int64, err error) error {
	if perr := records.CheckPusher(r.Context(), a.DB.Read(), pusher(auth.From(r.Context())), id); perr != nil {
		return records.ForPush(perr, catalogActor(r))
	}
	return err
}

// pushBatch streams a batch (JSON lines or CSV) into one transaction. It
// answers 201 when it applied operations, 200 when it applied none or
// replays the batch applied before under its Idempotency-Key. The batch
// is received when its request arrives, before its body is uploaded: a
// slow upload does not make its operations late. Once uploaded whole, it
// is applied even if its client half-closes or drops its connection.
func (a *API) pushBatch(w http.ResponseWriter, r *http.Request) error {
	received := a.Now()
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	by := pusher(auth.From(r.Context()))
	// Refuse a batch the caller may not push before it is uploaded, and
	// before its type: such a caller learns nothing of what it sent but
	// what the route checks for every caller alike (adapt: a query
	// parameter, a Content-Encoding).
	if err := records.CheckPusher(r.Context(), a.DB.Read(), by, id); err != nil {
		return records.ForPush(err, catalogActor(r))
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	var read func(io.Reader) records.Source
	switch ct {
	case "text/csv":
		read = records.CSV
	case "application/x-ndjson", "application/jsonl", "application/jsonlines", "application/x-jsonlines", "":
		read = records.JSONLines
	default:
		return errs.E(errs.Invalid, "unsupported_media_type", "批次应为 application/x-ndjson（JSON Lines）或 text/csv")
	}
	body, err := records.Spool(r.Body)
	if err != nil {
		return err
	}
	defer body.Close()
	res, err := records.IngestSpooled(r.Context(), a.DB, by, id, body, read, received,
		records.Options{BatchKey: r.Header.Get("Idempotency-Key"), Calendar: a.Calendar})
	if err != nil {
		return records.ForPush(err, catalogActor(r))
	}
	res.Advise(resendAs)
	switch {
	case res.RejectedCount > 0:
		return JSON(w, http.StatusUnprocessableEntity, res)
	case res.Replayed:
		w.Header().Set("Idempotent-Replayed", "true")
		return JSON(w, http.StatusOK, res)
	case res.Applied == 0:
		// Every operation a duplicate or unchanged: 200, as for one
		// operation (pushOp). The batch is still recorded.
		return JSON(w, http.StatusOK, res)
	}
	return JSON(w, http.StatusCreated, res)
}

// resendAs tells the pusher of a batch whose body is not what its
// Content-Type says how to send it again (BatchResult.Advise).
var resendAs = map[string]string{
	"json_is_csv":      "CSV 批次请以 Content-Type: text/csv 推送",
	"csv_is_json":      "JSON Lines 批次请以 Content-Type: application/x-ndjson 推送",
	"json_spreadsheet": "另存后以 CSV 批次（Content-Type: text/csv）重新推送",
	"csv_spreadsheet":  "另存后重新推送",
}

func (a *API) getBatch(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	res, dept, err := records.Batch(r.Context(), a.DB.Read(), id)
	if err != nil {
		return err
	}
	p := auth.From(r.Context())
	if dept != p.DepartmentID() && !p.HasRole(org.Operator) {
		return records.BatchNotFound(id)
	}
	if ev, ok := records.BatchRead(p.Actor, res); ok {
		if err := a.readAudit().Record(ev, a.Now()); err != nil {
			return err
		}
	}
	return JSON(w, http.StatusOK, res)
}

// listBatches lists the caller's department's batches (any department's
// for the operator, department_id), newest first: ?before= (the next_cursor
// of the page before) and ?limit= (default 50).
func (a *API) listBatches(w http.ResponseWriter, r *http.Request) error {
	p, qi := auth.From(r.Context()), intParams(r)
	f := records.BatchFilter{DepartmentID: qi.department(r.Context(), a.DB.Read(), p, "批次"), EntryID: qi.get("entry_id"), BeforeID: qi.get("before")}
	f.Limit = pageSize(qi.get("limit"), 50)
	if qi.err != nil {
		return qi.err
	}
	bs, next, err := records.Batches(r.Context(), a.DB.Read(), f)
	if err != nil {
		return err
	}
	named, err := nameActors(r.Context(), a.DB.Read(), bs)
	if err != nil {
		return err
	}
	return JSON(w, http.StatusOK, withNext(map[string]any{"batches": named}, next))
}

// pageSize is how many items a page of a records list paged by its own
// cursor parameter serves: def when ?limit= is absent or 0, at most
// records.MaxPage.
func pageSize(limit int64, def int) int {
	if limit <= 0 {
		return def
	}
	return int(min(limit, records.MaxPage))
}

// readPurpose checks the purpose of a read of subjects' data (?purpose=),
// which its audit rows keep: required, as the console requires it (the
// citizen sees who read their data and why), and one that can be audited
// as given (records.CheckPurpose). A read refused here reads nothing, so
// nothing is audited.
func readPurpose(q url.Values) error {
	purpose, err := records.CheckPurpose(q.Get("purpose"))
	if err == nil && purpose == "" {
		err = errs.Field("purpose", "purpose_required", "请填写查询用途 purpose（如：核查多源差异，或办件的受理号），读取的数据会连同用途记入审计日志")
	}
	return err
}

// readEntry loads the entry of the path and checks the caller may read it.
// The purpose is checked first (readPurpose): refused, nothing is read, so
// nothing is audited. An entry not published (retired) is refused in a
// read's words, one the caller may not see in the catalog answered as none
// (records.ForRead).
func (a *API) readEntry(r *http.Request) (*records.Entry, error) {
	if err := readPurpose(r.URL.Query()); err != nil {
		return nil, err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	e, err := a.entries.Load(r.Context(), a.DB.Read(), id, a.Now())
	if err != nil {
		return nil, records.ForRead(err, catalogActor(r))
	}
	return e, auth.From(r.Context()).ReadRecords(e.DepartmentID, e.ShareType)
}

// auditRead records a read of subjects' data in entry e before the data
// is served, one row per subject naming the items served (fields of the
// values maps) and the other subjects whose identifiers they hold
// (records.ReadOf), committed with other requests' reads (audit.Group). A
// subject's values are in vals[subject], when found; detail, when not
// empty, is each subject's row's (the time a read ?at= asked for).
func (a *API) auditRead(r *http.Request, e *records.Entry, action string, subjects []string, vals map[string][]map[string]string,
	detail string, also ...audit.Event) error {
	p := auth.From(r.Context())
	evs := make([]audit.Event, len(subjects), len(subjects)+len(also))
	for i, s := range subjects {
		evs[i] = records.ReadOf(p.Actor, action, e, s, vals[s], r.URL.Query().Get("purpose"))
		evs[i].Detail = detail
	}
	return a.readAudit().RecordAll(append(evs, also...), a.Now())
}

// auditDenied records a read of entry e's data that the caller may not
// make (readEntry's Forbidden error), before it is refused; it returns
// err, the refusal, unless the row cannot be written. Other errors (no
// such entry, not published) are returned as they are.
func (a *API) auditDenied(r *http.Request, e *records.Entry, action, subject string, err error) error {
	if e == nil || !errs.Is(err, errs.Forbidden) {
		return err
	}
	ev := records.DeniedEvent(auth.From(r.Context()).Actor, action, e.ID, auditSubject(e, subject), r.URL.Query().Get("purpose"), err)
	if aerr := a.readAudit().Record(ev, a.Now()); aerr != nil {
		return aerr
	}
	return err
}

// auditMiss records a lookup of a subject that found no record (at the
// time at, when the read asked for one), so that asking whether someone
// is in an entry leaves a trace too; it returns err, the lookup's answer,
// unless the row cannot be written.
func (a *API) auditMiss(r *http.Request, e *records.Entry, action, subject, at string, err error) error {
	if !errs.Is(err, errs.NotFound) {
		return err
	}
	ev := records.MissEvent(auth.From(r.Context()).Actor, action, e.ID, auditSubject(e, subject), r.URL.Query().Get("purpose"), err)
	if at != "" {
		ev.Detail = audit.Detail("reason", errs.As(err).Code, "at", at)
	}
	if aerr := a.readAudit().Record(ev, a.Now()); aerr != nil {
		return aerr
	}
	return err
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

func (a *API) getRecord(w http.ResponseWriter, r *http.Request) error {
	e, err := a.readEntry(r)
	if err != nil {
		return a.auditDenied(r, e, "records.read", r.PathValue("subject"), err)
	}
	subject := r.PathValue("subject")
	var rec records.Record
	var at string // the time the read asks for, for its audit row
	if q := text.QueryTime(r.URL.Query(), "at"); q != "" {
		t, perr := records.ParseAt(q)
		if perr != nil {
			return errs.Field("at", "invalid_time", "at 应为时间：RFC 3339（如 2026-03-01T09:00:00+08:00），或北京时间的 YYYY-MM-DD HH:MM[:SS]、YYYY-MM-DD")
		}
		at = t.UTC().Format(time.RFC3339Nano)
		rec, err = records.At(r.Context(), a.DB.Read(), e, subject, t)
	} else {
		rec, err = records.Get(r.Context(), a.DB.Read(), e, subject)
	}
	if err != nil {
		return a.auditMiss(r, e, "records.read", subject, at, err)
	}
	var detail string
	if at != "" {
		detail = audit.Detail("at", at)
	}
	p := auth.From(r.Context())
	shown, err := rec.Withhold(r.Context(), a.DB.Read(), e, p.DepartmentID(), p.ReadRecords)
	if err != nil {
		return err
	}
	if err := a.auditRead(r, e, "records.read", []string{rec.SubjectID}, map[string][]map[string]string{rec.SubjectID: {rec.Values}}, detail,
		records.DisputeReads(p.Actor, rec.SubjectID, r.URL.Query().Get("purpose"), shown)...); err != nil {
		return err
	}
	return JSON(w, http.StatusOK, rec)
}

// recordHistory is a page of a record's versions, oldest first:
// ?cursor=SEQ&limit=N; next_cursor, when there is more, resumes. Every
// page of a subject's record is audited, an empty one too.
func (a *API) recordHistory(w http.ResponseWriter, r *http.Request) error {
	e, err := a.readEntry(r)
	if err != nil {
		return a.auditDenied(r, e, "records.history", r.PathValue("subject"), err)
	}
	pg, err := recordsPage(r)
	if err != nil {
		return err
	}
	h, next, err := records.HistoryPage(r.Context(), a.DB.Read(), e, r.PathValue("subject"), pg)
	if err != nil {
		return a.auditMiss(r, e, "records.history", r.PathValue("subject"), "", err)
	}
	// A page after the last version serves no values, but its 200 (where
	// a subject without a record gets 404) tells that the subject is in
	// the entry: it leaves a row too, naming no items, with the cursor
	// asked for. (An empty page of the change feed names no subject.)
	subject, detail := auditSubject(e, r.PathValue("subject")), ""
	if len(h) == 0 {
		detail = audit.Detail("cursor", strconv.FormatInt(pg.After, 10))
	}
	if err := a.auditRead(r, e, "records.history", []string{subject}, versionValues(h), detail); err != nil {
		return err
	}
	return JSON(w, http.StatusOK, withNext(map[string]any{"versions": h}, next))
}

// recordsPage reads a keyset page of a list: ?cursor= (the next_cursor of the
// page before) and ?limit= (default and at most records.MaxPage).
func recordsPage(r *http.Request) (records.Page, error) {
	qi := intParams(r)
	after, limit := qi.get("cursor"), qi.get("limit")
	if qi.err != nil {
		return records.Page{}, qi.err
	}
	return records.Page{After: after, Limit: int(min(limit, records.MaxPage))}, nil
}

// withNext adds next_cursor to a page's answer when there is more.
func withNext(out map[string]any, next int64) map[string]any {
	if next != 0 {
		out["next_cursor"] = next
	}
	return out
}

// versionValues groups versions' values by subject.
func versionValues(vs []records.Version) map[string][]map[string]string {
	out := map[string][]map[string]string{}
	for _, v := range vs {
		out[v.SubjectID] = append(out[v.SubjectID], v.Values)
	}
	return out
}

// recordChanges is the change feed: ?after=SEQ&limit=N (default 100);
// next_cursor, while more follow, resumes. Each subject on the page is
// audited.
func (a *API) recordChanges(w http.ResponseWriter, r *http.Request) error {
	e, err := a.readEntry(r)
	if err != nil {
		return a.auditDenied(r, e, "records.feed", "", err)
	}
	qi := intParams(r)
	after, limit := qi.get("after"), pageSize(qi.get("limit"), 100)
	if qi.err != nil {
		return qi.err
	}
	vs, next, err := records.Changes(r.Context(), a.DB.Read(), e, after, limit)
	if err != nil {
		return err
	}
	if len(vs) > 0 {
		vals := versionValues(vs)
		subjects := make([]string, 0, len(vals))
		seen := make(map[string]bool, len(vals))
		for _, v := range vs {
			if !seen[v.SubjectID] {
				seen[v.SubjectID] = true
				subjects = append(subjects, v.SubjectID)
			}
		}
		if err := a.auditRead(r, e, "records.feed", subjects, vals, ""); err != nil {
			return err
		}
	}
	return JSON(w, http.StatusOK, withNext(map[string]any{"changes": vs}, next))
}

// ruleRequest is PUT …/rule's body. Rule is a pointer: only an explicit
// "" removes the operator's rule, a body without rule (or null) is refused.
type ruleRequest struct {
	Rule *string `json:"rule"`
	Note string  `json:"note"`
}

func (a *API) setRecordRule(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var req ruleRequest
	if err := Decode(r, &req); err != nil {
		return err
	}
	if req.Rule == nil {
		return errs.Field("rule", "missing_rule", "缺少时效规则 rule（realtime、within2 或 quarterly；\"\" 恢复默认规则）")
	}
	e, err := records.LoadEntry(r.Context(), a.DB.Read(), id)
	if err != nil {
		return records.ForRule(err, catalogActor(r))
	}
	err = a.DB.Tx(r.Context(), func(tx *sqldb.Tx) error {
		return records.SetRule(r.Context(), tx, auth.From(r.Context()).Actor, id, records.Rule(*req.Rule), req.Note, a.Now())
	})
	if err != nil {
		return err
	}
	rule, err := records.RuleFor(r.Context(), a.DB.Read(), e)
	if err != nil {
		return err
	}
	return JSON(w, http.StatusOK, rule)
}

// getRecordRule answers the timeliness rule in force for an entry and
// where it comes from. It is for whoever may read the catalog (catalog.read),
// the entry's source department (whose pushes it judges) and the operator:
// the rule cites the catalog's 时效要求, which the public catalog does not show.
func (a *API) getRecordRule(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	e, err := a.entries.Load(r.Context(), a.DB.Read(), id, a.Now())
	if err != nil {
		return records.ForRuleRead(err, catalogActor(r))
	}
	p := auth.From(r.Context())
	if !p.Can("catalog.read") && !p.Can("admin") && p.DepartmentID() != e.DepartmentID {
		return errs.E(errs.Forbidden, "forbidden", "无权查看该目录的时效规则（需要权限 catalog.read："+org.Scopes["catalog.read"]+"，或为该目录的数源部门）")
	}
	rule, err := records.RuleFor(r.Context(), a.DB.Read(), e)
	if err != nil {
		return err
	}
	return JSON(w, http.StatusOK, rule)
}

// queryInts reads non-negative integer query parameters; the first
// malformed one is kept in err (400 invalid_number naming it), and later
// reads return 0.
type queryInts struct {
	q   url.Values
	err error
}

func intParams(r *http.Request) *queryInts { return &queryInts{q: r.URL.Query()} }

func (p *queryInts) get(name string) int64 {
	if p.err != nil {
		return 0
	}
	n, err := optInt(p.q.Get(name), name)
	p.err = err
	return n
}

// departmentID is a list's department filter, department_id, 0 for none,
// as departmentFilter reads it: a value that is no number is refused
// (invalid_number), and one that names no department is not found (404
// department_not_found).
func (p *queryInts) departmentID(ctx context.Context, q sqldb.Querier) int64 {
	if p.err != nil {
		return 0
	}
	dept, err := departmentFilter(ctx, q, p.q)
	p.err = err
	return dept
}

// department is a list's department filter, from department_id, which
// what names for a refusal: the operator names any department, or none for
// all of them; anyone else lists its own department's and is refused
// another's (403, as GET /apps refuses it), never answered with its own.
// A value that is no number (invalid_number) or names no department
// (department_not_found) is refused first (departmentID), for everyone.
func (p *queryInts) department(ctx context.Context, q sqldb.Querier, by *auth.Principal, what string) int64 {
	dept := p.departmentID(ctx, q)
	if p.err != nil || by.HasRole(org.Operator) {
		return dept
	}
	if dept != 0 && dept != by.DepartmentID() {
		p.err = errs.E(errs.Forbidden, "forbidden", "只能查看本部门的"+what)
		return 0
	}
	return by.DepartmentID()
}

// recordQuality: ?by=department for departments, else entries; filters
// entry_id (entries only: refused with by=department) and department_id; a page at a time (cursor, limit), in entry
// or department id order.
func (a *API) recordQuality(w http.ResponseWriter, r *http.Request) error {
	qi := intParams(r)
	entry, dept := qi.get("entry_id"), qi.departmentID(r.Context(), a.DB.Read())
	if qi.err != nil {
		return qi.err
	}
	pg, err := recordsPage(r)
	if err != nil {
		return err
	}
	switch by := r.URL.Query().Get("by"); by {
	case "", "entry", "department":
	default:
		return errs.Field("by", "invalid_by", "by 应为 entry 或 department："+by)
	}
	if r.URL.Query().Get("by") == "department" && entry != 0 {
		// A department's quality sums all its entries; one entry's is by=entry.
		return errs.Field("entry_id", "unsupported_filter", "按部门汇总（by=department）时不能按 entry_id 筛选；查看一个资源的质量请去掉 by 或使用 by=entry")
	}
	var qs []records.Quality
	var next int64
	if r.URL.Query().Get("by") == "department" {
		qs, next, err = records.DepartmentQualityPage(r.Context(), a.DB.Read(), a.Calendar, dept, pg, a.Now())
	} else {
		qs, next, err = records.EntryQualityPage(r.Context(), a.DB.Read(), a.Calendar, entry, dept, pg, a.Now())
	}
	if err != nil {
		return err
	}
	return JSON(w, http.StatusOK, withNext(map[string]any{"quality": qs}, next))
}

// staleEntries lists stale entries a page at a time (cursor, limit), in
// entry id order.
func (a *API) staleEntries(w http.ResponseWriter, r *http.Request) error {
	qi := intParams(r)
	dept := qi.departmentID(r.Context(), a.DB.Read())
	if qi.err != nil {
		return qi.err
	}
	pg, err := recordsPage(r)
	if err != nil {
		return err
	}
	s, next, err := records.StalePage(r.Context(), a.DB.Read(), a.Calendar, dept, pg, a.Now())
	if err != nil {
		return err
	}
	return JSON(w, http.StatusOK, withNext(map[string]any{"entries": s}, next))
}

// listDiscrepancies lists the caller's department's discrepancies (all of
// them for the operator); ?status=open|awaiting_correction|resolved,
// disputed (the open ones a side disputes, which wait for the operator:
// records.Discrepancy.Contested), or all (every status, as none), entry_id, subject_id (a citizen ID or a credit
// code in any form the console takes), after (cursor), limit (default 100).
//
// The purpose is checked first (readPurpose): refused, nothing is read, so
// nothing is audited. A caller who may not read the list (neither
// data.read nor records.write, or another department named) is refused
// after the filter is read, and the refusal audited (auditDiscrepanciesDenied).
func (a *API) listDiscrepancies(w http.ResponseWriter, r *http.Request) error {
	p, q, qi := auth.From(r.Context()), r.URL.Query(), intParams(r)
	status := q.Get("status")
	if status != "" { // none: every status; all as well, as the console's 全部
		s, ok := records.DiscrepancyStatusFilter(status)
		if !ok {
			return errs.Field("status", "invalid_status", "status 应为 open、awaiting_correction、resolved、disputed 或 all："+status)
		}
		status = s
	}
	if err := readPurpose(q); err != nil {
		return err
	}
	f := records.DiscrepancyFilter{DepartmentID: qi.get("department_id"), EntryID: qi.get("entry_id"),
		Status: status, AfterID: qi.get("after")}
	// The subject as the console reads it: a citizen ID or a legal
	// entity's code, compared in the form each kind's records store it.
	if s := q.Get("subject_id"); s != "" {
		forms, err := records.ParseSubject(s)
		if e := errs.As(err); e != nil {
			return errs.Field("subject_id", e.Code, e.Message)
		}
		f.Subject = forms
	}
	f.Limit = pageSize(qi.get("limit"), 100)
	if qi.err != nil {
		return qi.err
	}
	if !p.Can("data.read") && !p.Can("records.write") {
		return a.auditDiscrepanciesDenied(r, f, errs.E(errs.Forbidden, "forbidden", "无权查看多源校核差异（需要权限 data.read："+org.Scopes["data.read"]+"，或权限 records.write："+org.Scopes["records.write"]+"）"))
	}
	dept := qi.department(r.Context(), a.DB.Read(), p, "多源校核差异")
	if errs.Is(qi.err, errs.NotFound) {
		return qi.err // no department: nothing refused to read
	}
	if qi.err != nil {
		return a.auditDiscrepanciesDenied(r, f, qi.err)
	}
	f.DepartmentID = dept
	ds, next, err := records.Discrepancies(r.Context(), a.DB.Read(), f, a.Now())
	if err != nil {
		return err
	}
	if err := records.WithholdValues(r.Context(), a.DB.Read(), ds, p.ReadRecords); err != nil {
		return err
	}
	// Each difference shows both sources' values of a subject: a read.
	evs := records.DiscrepancyReads(p.Actor, ds, q.Get("purpose"))
	if err := a.readAudit().RecordAll(evs, a.Now()); err != nil {
		return err
	}
	return JSON(w, http.StatusOK, withNext(map[string]any{"discrepancies": ds}, next))
}

// auditDiscrepanciesDenied records a list of discrepancies that the
// caller may not read (err, a Forbidden error) before it is refused, as a
// refused read of a record is (auditDenied): a denied row naming the
// purpose, the subject asked about, if any, and in its detail the reason
// and the department and entry asked for. It returns err, unless the row
// cannot be written.
func (a *API) auditDiscrepanciesDenied(r *http.Request, f records.DiscrepancyFilter, err error) error {
	var kv []string
	if f.DepartmentID != 0 {
		kv = append(kv, "department_id", strconv.FormatInt(f.DepartmentID, 10))
	}
	if f.EntryID != 0 {
		kv = append(kv, "entry_id", strconv.FormatInt(f.EntryID, 10))
	}
	ev := records.DiscrepanciesDenied(auth.From(r.Context()).Actor, f.Subject.Named(), r.URL.Query().Get("purpose"), err, kv...)
	if aerr := a.readAudit().Record(ev, a.Now()); aerr != nil {
		return aerr
	}
	return err
}

// reviewer is the caller deciding on a discrepancy: a source department's
// system or administrator (records.write), or the operator.
func reviewer(p *auth.Principal) (records.Reviewer, error) {
	if !p.Can("records.write") && !p.HasRole(org.Operator) {
		return records.Reviewer{}, errs.E(errs.Forbidden, "forbidden", "无权处理多源校核差异（需要权限 records.write："+org.Scopes["records.write"]+"，或为平台管理员）")
	}
	return records.Reviewer{Actor: p.Actor, DepartmentID: p.DepartmentID(), Operator: p.HasRole(org.Operator)}, nil
}

// seenDiscrepancy is the discrepancy in the path, by its id, and the
// caller deciding on it (reviewer), checked before the body is read to
// see it for action, records.discrepancy.feedback or .resolve
// (records.CheckSees): one it may not see is refused as one that does not
// exist, its denied row recorded (auditHidden).
func (a *API) seenDiscrepancy(r *http.Request, action string) (int64, records.Reviewer, error) {
	id, by, err := decider(r)
	if err != nil {
		return 0, by, err
	}
	if err := records.CheckSees(r.Context(), a.DB.Read(), by, action, id, a.Now()); err != nil {
		return 0, by, a.auditHidden(r, err)
	}
	return id, by, nil
}

// decider is the id of the discrepancy in the path and the caller
// deciding on it (reviewer).
func decider(r *http.Request) (int64, records.Reviewer, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return 0, records.Reviewer{}, err
	}
	by, err := reviewer(auth.From(r.Context()))
	return id, by, err
}

// mayGiveFeedback is the Recheck (Route) of a feedback: the caller
// deciding on it (decider) and records.CheckFeedback, which refuses it by
// FeedbackIf's rules (a discrepancy it may not see, not_party), on a read
// connection, the denied row of a discrepancy it may not see left for
// after (afterTx).
func (a *API) mayGiveFeedback(r *http.Request) error {
	id, by, err := decider(r)
	if err != nil {
		return err
	}
	return a.auditHidden(r, records.CheckFeedback(r.Context(), a.DB.Read(), by, id, a.Now()))
}

// mayResolve is the Recheck (Route) of a resolution: the caller deciding
// on it (decider) and records.CheckResolve, which refuses it by Resolve's
// rules (a discrepancy it may not see, not_authoritative): for the entry
// its body names while the discrepancy is open, for the decision it
// recorded once resolved, as a retry finds it. On a read connection, the
// denied row of a discrepancy it may not see left for after (afterTx).
func (a *API) mayResolve(r *http.Request) error {
	id, by, err := decider(r)
	if err != nil {
		return err
	}
	var req resolveRequest
	if err := Decode(r, &req); err != nil {
		return err
	}
	return a.auditHidden(r, records.CheckResolve(r.Context(), a.DB.Read(), by, id, req.AuthoritativeEntryID, a.Now()))
}

// feedbackRequest is a feedback's body: Disputed, whether it disputes
// the other source's value and asks the operator to coordinate (true) or
// accepts it (false), as records.Feedback takes it; left out, the
// department's position stays as it is (a follow-up note).
type feedbackRequest struct {
	Feedback string `json:"feedback"`
	Disputed *bool  `json:"disputed"`
}

// discrepancyFeedback gives the caller's department's feedback; an
// If-Match header makes it conditional on the discrepancy's feedback_tag
// (records.FeedbackIf), as the console's form is on its edit_tag. The
// answer's ETag is the tag after it.
func (a *API) discrepancyFeedback(w http.ResponseWriter, r *http.Request) error {
	id, by, err := a.seenDiscrepancy(r, "records.discrepancy.feedback")
	if err != nil {
		return err
	}
	var req feedbackRequest
	if err := Decode(r, &req); err != nil {
		return err
	}
	var d records.Discrepancy
	err = a.DB.Tx(r.Context(), func(tx *sqldb.Tx) error {
		d, err = records.FeedbackIf(r.Context(), tx, by, id, ifMatch(r), req.Feedback, req.Disputed, a.Now())
		return err
	})
	if err != nil {
		return a.auditHidden(r, err)
	}
	writeETag(w, d.FeedbackTag())
	return JSON(w, http.StatusOK, d)
}

type resolveRequest struct {
	AuthoritativeEntryID int64  `json:"authoritative_entry_id"`
	Note                 string `json:"note"`
}

func (a *API) resolveDiscrepancy(w http.ResponseWriter, r *http.Request) error {
	id, by, err := a.seenDiscrepancy(r, "records.discrepancy.resolve")
	if err != nil {
		return err
	}
	var req resolveRequest
	if err := Decode(r, &req); err != nil {
		return err
	}
	var d records.Discrepancy
	err = a.DB.Tx(r.Context(), func(tx *sqldb.Tx) error {
		d, err = records.Resolve(r.Context(), tx, by, id, req.AuthoritativeEntryID, req.Note, a.Now())
		return err
	})
	if err != nil {
		return a.auditHidden(r, err)
	}
	return JSON(w, http.StatusOK, d)
}

// auditHidden records the denied row of a feedback or resolution refused
// because its caller may not see the discrepancy (records.RefusedEvent),
// once its transaction has rolled back (afterTx: an Idempotency-Key's, when
// r runs in one), and returns err, answered as for a missing discrepancy,
// unless the row cannot be written.
func (a *API) auditHidden(r *http.Request, err error) error {
	ev, ok := records.RefusedEvent(err)
	if !ok {
		return err
	}
	if aerr := a.afterTx(r, ev); aerr != nil {
		return aerr
	}
	return err
}

func (a *API) crossCheck(w http.ResponseWriter, r *http.Request) error {
	res, err := records.Sweep(r.Context(), a.DB, a.Calendar, auth.From(r.Context()).Actor, a.Now())
	if err != nil {
		return err
	}
	return JSON(w, http.StatusOK, res)
}
