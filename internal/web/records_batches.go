package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/hutong-gov/hutong/internal/auth"
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
}

type batchRow struct {
	records.BatchInfo
	Department, ActorKind, ActorID string
}

// batchesPage lists the department's applied batches (every department's
// for the operator), newest first: who pushed what, when, into which entry.
func (w *Web) batchesPage(rw http.ResponseWriter, r *http.Request) error {
	ctx, q := r.Context(), w.cfg.DB.Read()
	p := auth.From(ctx)
	before, _ := strconv.ParseInt(r.URL.Query().Get("before"), 10, 64)
	bs, err := records.Batches(ctx, q, records.BatchFilter{DepartmentID: scope(p), BeforeID: before, Limit: batchesPageSize})
	if err != nil {
		return err
	}
	names, err := org.DepartmentNames(ctx, q)
	if err != nil {
		return err
	}
	d := batchesData{Operator: p.HasRole(org.Operator)}
	for _, b := range bs {
		row := batchRow{BatchInfo: b, Department: names[b.DepartmentID]}
		row.ActorKind, row.ActorID, _ = strings.Cut(b.Actor, ":")
		d.Rows = append(d.Rows, row)
	}
	if before > 0 {
		d.First = "/records/batches"
	}
	if len(bs) == batchesPageSize {
		d.Next = "/records/batches?before=" + strconv.FormatInt(bs[len(bs)-1].BatchID, 10)
	}
	return w.render(rw, r, http.StatusOK, "records_batches", "归集批次", d)
}
