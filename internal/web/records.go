package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/auth"
	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/sqldb"
)

// rolesRecords may open the aggregation (数据归集) pages: the operator sees
// every department's data, a department administrator its own.
var rolesRecords = []org.Role{org.Operator, org.DeptAdmin}

// score is a quality score as a table cell: a percentage and a bar.
type score struct {
	Label   string
	Percent int // 0..100
}

func scoresOf(q records.Quality) []score {
	pct := func(f float64) int { return int(f*100 + 0.5) }
	return []score{
		{"完整性", pct(q.Completeness)}, {"有效性", pct(q.Validity)}, {"及时性", pct(q.Timeliness)},
		{"新鲜度", pct(q.Freshness)}, {"一致性", pct(q.Consistency)},
	}
}

// scoreLabels head the score columns, in the order of scoresOf.
var scoreLabels = []string{"完整性", "有效性", "及时性", "新鲜度", "一致性"}

type recordsEntryRow struct {
	ID         int64
	Code, Name string
	Department string
	Frequency  string
	Records    int64
	Ops        int64
	LateOps    int64
	LastPush   *time.Time
	Stale      bool
	HasData    bool
	Scores     []score
}

type recordsDeptRow struct {
	Department string
	Entries    int
	Records    int64
	Ops        int64
	LateOps    int64
	Stale      int
	Open       int64
	LastPush   *time.Time
	Scores     []score
}

type recordsData struct {
	Operator    bool
	Entries     []recordsEntryRow
	Departments []recordsDeptRow
	ScoreLabels []string
	Open        int64 // open discrepancies of the department
	Overdue     int64
}

// publishedEntries lists the published catalog entries of departmentID
// (every department's when 0) through the catalog's search.
func publishedEntries(ctx context.Context, q sqldb.Querier, by catalog.Actor, departmentID int64) ([]catalog.Summary, error) {
	var out []catalog.Summary
	query := catalog.Query{DepartmentID: departmentID, Statuses: []catalog.Status{catalog.Published}, Limit: 100,
		Sort: catalog.ByName}
	for range 100 {
		page, err := catalog.Search(ctx, q, by, query)
		if err != nil {
			return nil, err
		}
		out = append(out, page.Items...)
		if page.NextCursor == "" {
			break
		}
		query.Cursor = page.NextCursor
	}
	return out, nil
}

// scope is the department whose data the caller sees: 0 for the operator.
func scope(p *auth.Principal) int64 {
	if p.HasRole(org.Operator) {
		return 0
	}
	return p.DepartmentID()
}

func (w *Web) recordsPage(rw http.ResponseWriter, r *http.Request) error {
	ctx, q, now := r.Context(), w.cfg.DB.Read(), w.cfg.Now()
	p := auth.From(ctx)
	dept := scope(p)
	entries, err := publishedEntries(ctx, q, catalogActor(p), dept)
	if err != nil {
		return err
	}
	qs, err := records.EntryQuality(ctx, q, w.cfg.Calendar, 0, dept, now)
	if err != nil {
		return err
	}
	stale, err := records.Stale(ctx, q, w.cfg.Calendar, dept, now)
	if err != nil {
		return err
	}
	names, err := org.DepartmentNames(ctx, q)
	if err != nil {
		return err
	}
	byEntry := make(map[int64]records.Quality, len(qs))
	for _, qa := range qs {
		byEntry[qa.EntryID] = qa
	}
	isStale := make(map[int64]bool, len(stale))
	for _, s := range stale {
		isStale[s.EntryID] = true
	}
	d := recordsData{Operator: dept == 0, ScoreLabels: scoreLabels}
	for _, e := range entries {
		row := recordsEntryRow{ID: e.ID, Code: e.Code, Name: e.Name, Department: names[e.DepartmentID],
			Frequency: catalog.Label("update_frequency", string(e.UpdateFrequency)), Stale: isStale[e.ID]}
		if qa, ok := byEntry[e.ID]; ok {
			row.HasData, row.Records, row.Ops, row.LateOps, row.LastPush = true, qa.LiveRecords, qa.Ops, qa.LateOps, qa.LastReceivedAt
			row.Scores = scoresOf(qa)
		}
		d.Entries = append(d.Entries, row)
	}
	if d.Operator {
		dq, err := records.DepartmentQuality(ctx, q, w.cfg.Calendar, 0, now)
		if err != nil {
			return err
		}
		staleBy := map[int64]int{}
		for _, s := range stale {
			staleBy[s.DepartmentID]++
		}
		for _, qa := range dq {
			d.Departments = append(d.Departments, recordsDeptRow{Department: names[qa.DepartmentID], Entries: qa.Entries,
				Records: qa.LiveRecords, Ops: qa.Ops, LateOps: qa.LateOps, Stale: staleBy[qa.DepartmentID],
				Open: qa.OpenDiscrepancies, LastPush: qa.LastReceivedAt, Scores: scoresOf(qa)})
		}
	}
	c, err := records.CountDiscrepancies(ctx, q, w.cfg.DB.Dialect, records.DiscrepancyFilter{DepartmentID: dept, Status: "open"}, now)
	if err != nil {
		return err
	}
	d.Open, d.Overdue = c.Total, c.Overdue
	return w.render(rw, r, http.StatusOK, "records", "数据归集", d)
}

// lookupRecord turns the lookup form into the record page's path.
func (w *Web) lookupRecord(rw http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.URL.Query().Get("entry"), 10, 64)
	subject := strings.TrimSpace(r.URL.Query().Get("subject"))
	if err != nil || id <= 0 || subject == "" {
		return errs.Field("subject", "missing_subject", "请选择数据资源并填写主体标识（公民身份号码或统一社会信用代码）")
	}
	target := fmt.Sprintf("/records/entries/%d/subjects/%s", id, url.PathEscape(subject))
	purpose, err := records.CheckPurpose(r.URL.Query().Get("purpose"))
	if err != nil {
		return err
	}
	if purpose != "" {
		target += "?purpose=" + url.QueryEscape(purpose)
	}
	return redirect(rw, r, target)
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
	History  []records.Version
	Items    []string // item names in catalog order, for the history table
	Purpose  string
	Disputes int
}

// recordPage shows a subject's record: its current values (with the
// disputed ones marked) and its full history. The read is audited with the
// subject, as the API's reads are.
func (w *Web) recordPage(rw http.ResponseWriter, r *http.Request) error {
	ctx, q := r.Context(), w.cfg.DB.Read()
	id, err := entryID(r)
	if err != nil {
		return err
	}
	purpose, err := records.CheckPurpose(r.URL.Query().Get("purpose"))
	if err != nil {
		return err
	}
	e, err := records.LoadEntry(ctx, q, id)
	if err != nil {
		return err
	}
	p := auth.From(ctx)
	subject := r.PathValue("subject")
	if err := p.ReadRecords(e.DepartmentID, e.ShareType); err != nil {
		// A refused attempt at someone's data is audited, as in the API.
		denied := records.DeniedEvent(p.Actor, "records.read", e.ID, subject, purpose, err)
		if aerr := w.cfg.DB.Tx(ctx, func(tx *sqldb.Tx) error { return audit.Record(ctx, tx, denied, w.cfg.Now()) }); aerr != nil {
			return aerr
		}
		return err
	}
	rec, err := records.Get(ctx, q, e, subject)
	if errs.Is(err, errs.NotFound) {
		miss := records.MissEvent(p.Actor, "records.read", e.ID, subject, purpose, err)
		if aerr := w.cfg.DB.Tx(ctx, func(tx *sqldb.Tx) error { return audit.Record(ctx, tx, miss, w.cfg.Now()) }); aerr != nil {
			return aerr
		}
	}
	if err != nil {
		return err
	}
	hist, err := records.History(ctx, q, e, rec.SubjectID)
	if err != nil {
		return err
	}
	vals := []map[string]string{rec.Values}
	for _, v := range hist {
		vals = append(vals, v.Values)
	}
	read := records.ReadEvent(p.Actor, "records.read", e.ID, rec.SubjectID, e.Fields(vals), purpose)
	shown, err := rec.Withhold(ctx, q, e, p.DepartmentID(), p.ReadRecords)
	if err != nil {
		return err
	}
	evs := append([]audit.Event{read}, records.DisputeReads(p.Actor, rec.SubjectID, purpose, shown)...)
	err = w.cfg.DB.Tx(ctx, func(tx *sqldb.Tx) error { return audit.RecordAll(ctx, tx, evs, w.cfg.Now()) })
	if err != nil {
		return err
	}
	names, err := org.DepartmentNames(ctx, q)
	if err != nil {
		return err
	}
	d := recordData{Entry: e, Dept: names[e.DepartmentID], Record: rec, History: hist, Purpose: purpose, Disputes: len(rec.Disputed)}
	for _, it := range e.Items {
		d.Items = append(d.Items, it.Name)
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
	// Newest first.
	for i, j := 0, len(d.History)-1; i < j; i, j = i+1, j-1 {
		d.History[i], d.History[j] = d.History[j], d.History[i]
	}
	return w.render(rw, r, http.StatusOK, "records_record", e.Name+" · "+rec.SubjectID, d)
}
