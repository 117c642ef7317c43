package web

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/hutong-gov/hutong/internal/auth"
	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
)

// transferData is the page of a department's 转移数据资源到其他部门
// (docs/catalog-transfer.md): the form, its confirmation or the report
// of a transfer done.
type transferData struct {
	From        org.Department
	Departments []org.Department // those that may receive: every other enabled one
	Entries     []catalog.TransferredEntry
	ToID        int64
	Selected    map[int64]bool
	// Confirm is the confirmation step: To receives Moving, once the
	// operator confirms; All when none was ticked, Moving being every
	// entry of the department. The confirmation sends back the ids of
	// Moving, and All.
	Confirm bool
	All     bool
	To      org.Department
	Moving  []catalog.TransferredEntry
	// Moved is the count of the entries of the transfer just done, to
	// department To (Done).
	Done  bool
	Moved int
	Error *errs.Error
	// labels are every department's label (org.DepartmentLabel) by id,
	// read with the form: To is named by it.
	labels map[int64]string
}

// setTo makes to the receiving department, named by its label.
func (d *transferData) setTo(to org.Department) {
	if l, ok := d.labels[to.ID]; ok {
		to.Name = l
	}
	d.To = to
}

// transferPage shows the form of the department in the path: the
// receiving department, the department's entries to tick (none ticked:
// every one), and after a transfer (moved, to) its report.
func (w *Web) transferPage(rw http.ResponseWriter, r *http.Request) error {
	d, err := w.transferForm(r)
	if err != nil {
		return err
	}
	if n, err := strconv.Atoi(r.URL.Query().Get("moved")); err == nil && n > 0 {
		if to, err := strconv.ParseInt(r.URL.Query().Get("to"), 10, 64); err == nil {
			if to, err := org.DepartmentByID(r.Context(), w.cfg.DB.Read(), to); err == nil {
				d.setTo(to)
				d.Done, d.Moved = true, n
			}
		}
	}
	return w.render(rw, r, http.StatusOK, "catalog_transfer", "转移数据资源："+d.From.Name, d)
}

// transferForm reads the department of the path, the departments and its
// entries. The departments are named by their labels (org.DepartmentLabel),
// read in one query: the receiving one is chosen among departments that
// may share a name (every district has its 区市场监督管理局).
func (w *Web) transferForm(r *http.Request) (transferData, error) {
	var d transferData
	from, err := w.department(r)
	if err != nil {
		return d, err
	}
	q := w.cfg.DB.Read()
	all, err := org.Departments(r.Context(), q)
	if err != nil {
		return d, err
	}
	names := deptNames{}
	names.add(from.ID, &from.Name)
	for i := range all {
		names.add(all[i].ID, &all[i].Name)
	}
	if err := names.label(r.Context(), q); err != nil {
		return d, err
	}
	d.labels = make(map[int64]string, len(all))
	for _, o := range all {
		d.labels[o.ID] = o.Name
	}
	d.From, d.Selected = from, map[int64]bool{}
	for _, o := range all {
		// A disabled department receives nothing: it is being wound up.
		if o.ID != from.ID && !o.Disabled {
			d.Departments = append(d.Departments, o)
		}
	}
	d.Entries, err = catalog.DepartmentEntries(r.Context(), q, catalogActor(auth.From(r.Context())), from.ID)
	return d, err
}

// transferEntries takes the form: without confirm it shows what moves
// (the entries ticked, else every entry of the department) and asks to
// confirm; with confirm it transfers them (catalog.TransferEntries, all
// or none) and leads back to the form with its report. A refusal of the
// input (the same department, entries under review …) is shown on the
// form, the choices kept.
func (w *Web) transferEntries(rw http.ResponseWriter, r *http.Request) error {
	d, err := w.transferForm(r)
	if err != nil {
		return err
	}
	t := catalog.Transfer{FromDepartmentID: d.From.ID}
	t.ToDepartmentID, _ = strconv.ParseInt(r.PostFormValue("to_department_id"), 10, 64)
	d.ToID = t.ToDepartmentID
	for _, v := range r.PostForm["entry"] {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return errs.Field("entry", "invalid_entry", "数据资源编号无效："+v)
		}
		t.EntryIDs = append(t.EntryIDs, id)
		d.Selected[id] = true
	}
	if r.PostFormValue("confirm") != "1" {
		return w.confirmTransfer(rw, r, d, t, nil)
	}
	// The confirmation moves the entries it listed, named: never every
	// entry the department has by then.
	if len(t.EntryIDs) == 0 {
		return errs.Field("entry", "entry_required", "确认转移时未列出数据资源，请返回重新选择")
	}
	all := r.PostFormValue("all") == "1"
	var res catalog.TransferResult
	problems, err := w.writeForm(r, nil, func(tx *sqldb.Tx) (err error) {
		by := catalogActor(auth.From(r.Context()))
		if all {
			now, err := catalog.DepartmentEntries(r.Context(), tx, by, d.From.ID)
			if err != nil {
				return err
			}
			if !sameEntries(now, d.Selected) {
				return errs.E(errs.Conflict, "transfer_entries_changed", fmt.Sprintf(
					"确认期间部门“%s”的数据资源有变化（列出 %d 个，现有 %d 个），未转移。请核对以下数据资源后重新确认",
					d.From.Name, len(d.Selected), len(now)))
			}
		}
		res, err = catalog.TransferEntries(r.Context(), tx, by, t, w.cfg.Now())
		return err
	})
	if err != nil {
		return err
	}
	if len(problems) > 0 && problems[0].Code == "transfer_entries_changed" {
		// The department's current entries, every one, to confirm again.
		if d, err = w.transferForm(r); err != nil {
			return err
		}
		d.ToID = t.ToDepartmentID
		return w.confirmTransfer(rw, r, d, catalog.Transfer{FromDepartmentID: d.From.ID, ToDepartmentID: t.ToDepartmentID}, problems[0])
	}
	if len(problems) > 0 {
		status, e := userError(problems[0])
		d.Error = e
		return w.render(rw, r, status, "catalog_transfer", "转移数据资源："+d.From.Name, d)
	}
	return redirect(rw, r, "/org/departments/"+strconv.FormatInt(d.From.ID, 10)+"/transfer?moved="+
		strconv.Itoa(len(res.Entries))+"&to="+strconv.FormatInt(res.ToDepartmentID, 10))
}

// sameEntries tells whether ids are exactly the entries es.
func sameEntries(es []catalog.TransferredEntry, ids map[int64]bool) bool {
	if len(es) != len(ids) {
		return false
	}
	for _, e := range es {
		if !ids[e.ID] {
			return false
		}
	}
	return true
}

// confirmTransfer shows what t moves, and where, for the operator to
// confirm; a receiving department not chosen, or the department itself,
// is told on the form. A confirmation refused as the entries changed
// since (changed, 409) is shown with the entries to confirm again.
func (w *Web) confirmTransfer(rw http.ResponseWriter, r *http.Request, d transferData, t catalog.Transfer, changed *errs.Error) error {
	var problem *errs.Error
	switch {
	case t.ToDepartmentID <= 0:
		problem = errs.Field("to_department_id", "to_department_required", "请选择接收部门")
	case t.ToDepartmentID == d.From.ID:
		problem = errs.Field("to_department_id", "same_department", "接收部门与转出部门相同，无需转移")
	case len(d.Entries) == 0:
		problem = errs.E(errs.Conflict, "no_entries", "部门“"+d.From.Name+"”没有数据资源，无可转移")
	}
	if problem == nil {
		to, err := org.DepartmentByID(r.Context(), w.cfg.DB.Read(), t.ToDepartmentID)
		if errs.KindOf(err) == errs.NotFound {
			problem = errs.Field("to_department_id", "department_not_found", "接收部门不存在")
		} else if err != nil {
			return err
		}
		d.setTo(to)
	}
	if problem != nil {
		d.Error = problem
		return w.render(rw, r, problem.Kind.HTTPStatus(), "catalog_transfer", "转移数据资源："+d.From.Name, d)
	}
	for _, e := range d.Entries {
		if len(d.Selected) == 0 || d.Selected[e.ID] {
			d.Moving = append(d.Moving, e)
		}
	}
	if len(d.Moving) != len(d.Selected) && len(d.Selected) > 0 {
		d.Error = errs.Field("entry", "entry_not_of_department", "所选数据资源中有不属于本部门的，请刷新后重新选择")
		return w.render(rw, r, http.StatusConflict, "catalog_transfer", "转移数据资源："+d.From.Name, d)
	}
	d.Confirm, d.All = true, len(d.Selected) == 0
	status := http.StatusOK
	if changed != nil {
		d.Error, status = changed, http.StatusConflict
	}
	return w.render(rw, r, status, "catalog_transfer", "确认转移数据资源："+d.From.Name, d)
}
