package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/org"
)

// auditPageSize is how many rows one page of the audit log shows.
const auditPageSize = 50

type auditFilter struct {
	Action, Subject, Outcome string
}

type auditRow struct {
	audit.Entry
	Department string
}

type option struct{ Value, Label string }

type auditData struct {
	Filter   auditFilter
	Rows     []auditRow
	Next     string // URL of the next page, "" on the last
	First    string // URL of the first page, "" on the first
	Actions  []option
	Outcomes []option
}

func (w *Web) auditPage(rw http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q := r.URL.Query()
	f := auditFilter{Action: strings.TrimSpace(q.Get("action")), Subject: strings.TrimSpace(q.Get("subject")),
		Outcome: q.Get("outcome")}
	if _, ok := outcomeLabels[f.Outcome]; !ok && f.Outcome != "" {
		return errs.Field("outcome", "invalid_outcome", "结果应为成功、拒绝或失败")
	}
	var before int64
	if v := q.Get("before"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			return errs.Field("before", "invalid_cursor", "分页参数无效")
		}
		before = n
	}
	entries, next, err := audit.List(ctx, w.cfg.DB.Read(), audit.Filter{Action: f.Action, SubjectID: f.Subject,
		Outcome: f.Outcome, Before: before, Limit: auditPageSize})
	if err != nil {
		return err
	}
	depts, err := org.Departments(ctx, w.cfg.DB.Read())
	if err != nil {
		return err
	}
	names := make(map[int64]string, len(depts))
	for _, d := range depts {
		names[d.ID] = d.Name
	}
	d := auditData{Filter: f}
	for _, e := range entries {
		d.Rows = append(d.Rows, auditRow{Entry: e, Department: names[e.Actor.DepartmentID]})
	}
	page := func(cursor int64) string {
		v := url.Values{}
		for k, s := range map[string]string{"action": f.Action, "subject": f.Subject, "outcome": f.Outcome} {
			if s != "" {
				v.Set(k, s)
			}
		}
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
	for _, p := range actionPrefixes {
		d.Actions = append(d.Actions, option{p.Prefix, p.Label})
	}
	for _, a := range sortedKeys(actionLabels) {
		d.Actions = append(d.Actions, option{a, actionLabels[a] + "（" + a + "）"})
	}
	d.Outcomes = []option{{audit.OK, outcomeLabels[audit.OK]}, {audit.Denied, outcomeLabels[audit.Denied]},
		{audit.Failed, outcomeLabels[audit.Failed]}}
	return w.render(rw, r, http.StatusOK, "audit", "审计日志", d)
}

type verifyData struct {
	Report audit.Report
	Intact bool
}

// verifyAudit walks the whole chain. It only reads, so it is a GET; htmx
// asks for the result fragment, without JavaScript the full page shows.
func (w *Web) verifyAudit(rw http.ResponseWriter, r *http.Request) error {
	rep, err := audit.VerifyDB(r.Context(), w.cfg.DB)
	if err != nil {
		return err
	}
	return w.render(rw, r, http.StatusOK, "audit_verify", "校验审计链", verifyData{Report: rep, Intact: rep.Problem == nil})
}

func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
