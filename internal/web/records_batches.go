package web

import (
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/hutong-gov/hutong/internal/auth"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/records"
)

// batchesPageSize is how many batches one page of the console lists.
const batchesPageSize = 50

type batchesData struct {
	Operator bool
	Rows     []batchRow
	First    string // URL of the first page, "" on it
	Next     string // URL of the next page, "" on the last
	// Batch is the batch of ?batch=, whose warnings are shown above the list.
	Batch *records.BatchResult
	// Named is whether its warnings name their operations (key, masked
	// subject): those stored before they did do not, and show without.
	Named bool
	// Open: the caller may open a batch's warnings (?batch=,
	// auth.Principal.ReadBatches); an auditor, who may not, sees their
	// counts without links.
	Open bool
}

type batchRow struct {
	records.BatchInfo
	Department, ActorKind, ActorID string
	ActorName                      string // the app's name, the account's username; "" when unknown
	// Warnings is the URL of its warnings on this page: its filter and
	// cursor kept; "" when the caller may not open them (batchesData.Open).
	Warnings string
}

// batchesParams are the parameters of /records/batches: the batch whose
// warnings are shown, the operator's department filter and the cursor.
var batchesParams = []string{"batch", "department_id", "before"}

// batchesPage lists the department's applied batches (every department's
// for the operator, or the one of ?department_id=; one that names no
// department is not found, for everyone, and another department's is
// refused to anyone else, departmentParam), newest first: who pushed what, when, into which entry,
// and how many warnings its lines drew. With ?batch=ID it shows that
// batch's warnings above the list (a batch of another department is not
// found, as in the API).
func (w *Web) batchesPage(rw http.ResponseWriter, r *http.Request) error {
	ctx, q := r.Context(), w.cfg.DB.Read()
	p := auth.From(ctx)
	if err := checkParams(r.URL.Query(), batchesParams); err != nil {
		return err
	}
	before, err := pageCursor(r.URL.Query(), "before")
	if err != nil {
		return err
	}
	d := batchesData{Operator: p.HasRole(org.Operator), Open: p.ReadBatches() == nil}
	// In the API's order (departmentFilter, then the caller's scope): a
	// value that is no number is refused, then a department that is not
	// one is not found, for everyone, not a department without batches,
	// before another department's is refused.
	named, err := departmentParam(r, 0, "")
	if err != nil {
		return err
	}
	if _, err := filteredDepartment(ctx, q, named); err != nil {
		return err
	}
	dept, err := departmentParam(r, scope(p), "只能查看本部门的批次")
	if err != nil {
		return err
	}
	bs, next, err := records.Batches(ctx, q, records.BatchFilter{DepartmentID: dept, BeforeID: before, Limit: batchesPageSize})
	if err != nil {
		return err
	}
	names, err := org.DepartmentNames(ctx, q)
	if err != nil {
		return err
	}
	pushers := make([]string, len(bs))
	for i, b := range bs {
		pushers[i] = b.Actor
	}
	actors, err := org.ActorNames(ctx, q, pushers)
	if err != nil {
		return err
	}
	// The batch is read, and its read recorded, once nothing else can
	// refuse the page: a page refused for its department must leave no
	// records.batch.read row.
	if v := r.URL.Query().Get("batch"); v != "" {
		b, err := w.batch(r, v)
		if err != nil {
			return err
		}
		d.Batch = &b
		d.Named = slices.ContainsFunc(b.Warnings, func(w records.LineError) bool { return w.Key != "" || w.SubjectMasked != "" })
	}
	// The pages keep the department named (the operator's filter), and
	// the links to a batch's warnings the page's cursor too.
	page := url.Values{}
	if v := r.URL.Query().Get("department_id"); v != "" {
		page.Set("department_id", v)
	}
	link := func(v url.Values) string {
		if len(v) == 0 {
			return "/records/batches"
		}
		return "/records/batches?" + v.Encode()
	}
	here := maps.Clone(page)
	if before > 0 {
		here.Set("before", strconv.FormatInt(before, 10))
	}
	for _, b := range bs {
		row := batchRow{BatchInfo: b, Department: names[b.DepartmentID], ActorName: actors[b.Actor]}
		row.ActorKind, row.ActorID, _ = strings.Cut(b.Actor, ":")
		if d.Open {
			here.Set("batch", strconv.FormatInt(b.BatchID, 10))
			row.Warnings = link(here) + "#batch-warnings"
		}
		d.Rows = append(d.Rows, row)
	}
	if before > 0 {
		d.First = link(page)
	}
	if next != 0 {
		page.Set("before", strconv.FormatInt(next, 10))
		d.Next = link(page)
	}
	return w.render(rw, r, http.StatusOK, "records_batches", "归集批次", d)
}

// batch reads the batch whose id is v, with its warnings, for its viewer
// entitled to them (auth.Principal.ReadBatches: not an auditor): the
// operator any batch, a department its own.
func (w *Web) batch(r *http.Request, v string) (records.BatchResult, error) {
	if err := auth.From(r.Context()).ReadBatches(); err != nil {
		return records.BatchResult{}, err
	}
	notFound := errs.E(errs.NotFound, "batch_not_found", "批次不存在")
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return records.BatchResult{}, notFound
	}
	b, dept, err := records.Batch(r.Context(), w.cfg.DB.Read(), id)
	if err != nil {
		return b, err
	}
	p := auth.From(r.Context())
	if own := scope(p); own != 0 && own != dept {
		return records.BatchResult{}, records.BatchNotFound(id)
	}
	if ev, ok := records.BatchRead(p.Actor, b); ok {
		ctx := r.Context()
		if err := w.recordReads(ctx, w.cfg.Now(), ev); err != nil {
			return records.BatchResult{}, err
		}
	}
	return b, nil
}
