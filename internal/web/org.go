package web

import (
	"context"
	"encoding/base64"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/hutong-gov/hutong/internal/auth"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/ident"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
)

// orgPageSize is how many rows one page of the organisation lists
// (departments, accounts, apps) shows.
const orgPageSize = 50

// pager is the "pager" template's dot: the URLs of a list's first page
// (on a later page) and of its next (when more follow), "" for none.
type pager struct{ First, Next string }

// listCursor is the cursor of the page of list after id, as the API gives
// it: base64url of the list's name and the last id of the page before; ""
// for id 0, when no page follows.
func listCursor(list string, id int64) string {
	if id == 0 {
		return ""
	}
	return base64.RawURLEncoding.EncodeToString([]byte(list + ":" + strconv.FormatInt(id, 10)))
}

// parseListCursor reads the cursor in parameter param of a page of list:
// the id after which the page starts, 0 for the first page (no cursor).
// One that no page of list gave is 400 invalid_cursor.
func parseListCursor(v url.Values, param, list string) (int64, error) {
	c := v.Get(param)
	if c == "" {
		return 0, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(c)
	key, ok := strings.CutPrefix(string(b), list+":")
	id, perr := strconv.ParseInt(key, 10, 64)
	if err != nil || !ok || perr != nil || id <= 0 || strconv.FormatInt(id, 10) != key {
		return 0, errs.Field(param, "invalid_cursor", "分页游标无效，请从第一页重新查询")
	}
	return id, nil
}

// listQuery reads a name search from parameter param, as org.Search
// checks it.
func listQuery(v url.Values, param string) (string, error) {
	return org.Search(param, v.Get(param))
}

// orgParams are the /org page's parameters: each list's search and cursor.
var orgParams = []string{"dept_q", "dept_cursor", "user_q", "user_cursor", "user_dept", "user_status"}

// orgPageParams are every parameter /org takes: its lists' and the notice
// of a redirect (msg).
var orgPageParams = append(slices.Clone(orgParams), "msg")

// listURL is the URL of path, a page of lists, with those of its
// parameters params that v holds, changed by set (name, value pairs; an
// empty value removes the parameter), and the fragment of the list the
// link is about.
func listURL(path string, params []string, v url.Values, fragment string, set ...string) string {
	out := url.Values{}
	for _, k := range params {
		if s := v.Get(k); s != "" {
			out.Set(k, s)
		}
	}
	for i := 0; i+1 < len(set); i += 2 {
		if set[i+1] == "" {
			out.Del(set[i])
		} else {
			out.Set(set[i], set[i+1])
		}
	}
	u := path
	if len(out) > 0 {
		u += "?" + out.Encode()
	}
	return u + "#" + fragment
}

// pagedList is one of the lists of a page that shows several, each with
// its own search and cursor (/org's departments and accounts, /records'
// departments and entries), or a page's one list (/org/users): what the
// "list-search" template block shows of its search form and "list-pager"
// (or "pager") of its pages.
type pagedList struct {
	Name        string // dept, user or entries: the start of its elements' ids
	Label       string // 部门 or 账号: what its pager is named
	Path        string // the page: /org, /org/users or /records
	Fragment    string // the list's element id, which its links go to
	Param       string // its search's parameter
	QLimit      string // the limit of its search, as textmax names it (textLimits)
	Cursor      string // its cursor's parameter
	Placeholder string // the search box's
	Search      string // the search box's label
	Button      string // the search button's text
	Q           string
	Total       int
	Clear       string // URL without the search, "" without one
	Pager       pager
	Hidden      []hiddenField // the page's other lists' searches and cursors, for the search form to carry
}

// deptList is the departments' list of the page path (/org, /records),
// searched by name as org.Search does.
func deptList(path string) pagedList {
	return pagedList{Name: "dept", Label: "部门", Path: path, Fragment: "departments", Param: "dept_q", Cursor: "dept_cursor",
		QLimit: "org.MaxSearch", Placeholder: "部门名称或简称的一部分", Search: "搜索部门", Button: "搜索部门"}
}

// userList is the accounts' list of the page path (/org, /org/users),
// searched by username or display name as org.Search does, in the
// parameter param, paged by the parameter cursor.
func userList(path, param, cursor string) pagedList {
	return pagedList{Name: "user", Label: "账号", Path: path, Fragment: "users", Param: param, Cursor: cursor,
		QLimit: "org.MaxSearch", Placeholder: "用户名或姓名的一部分", Search: "搜索账号", Button: "搜索账号"}
}

// links sets what l's search form carries and where its links go, for
// the page of v whose parameters are params: next is the cursor of the
// page after this one ("" on the last) and later whether this one is not
// the first. Each link keeps the other lists' parameters; 清除搜索 drops
// l's search and cursor.
func (l *pagedList) links(v url.Values, params []string, next string, later bool) {
	for _, k := range params {
		if s := v.Get(k); s != "" && k != l.Param && k != l.Cursor {
			l.Hidden = append(l.Hidden, hiddenField{k, s})
		}
	}
	u := func(set ...string) string { return listURL(l.Path, params, v, l.Fragment, set...) }
	if next != "" {
		l.Pager.Next = u(l.Cursor, next)
	}
	if later {
		l.Pager.First = u(l.Cursor, "")
	}
	if l.Q != "" {
		l.Clear = u(l.Param, "", l.Cursor, "")
	}
}

type orgData struct {
	Departments []org.DepartmentListing
	Users       []org.UserListing
	Dept, User  pagedList
	DeptCode    string // the credit code the departments' search found
	Notice      string
	// The accounts' filters: a department as typed (its name, short
	// name, credit code or id), its name as found, and enabled or disabled;
	// FilterHidden the page's other parameters, for the filter form.
	UserDept, UserDeptName, UserStatus string
	UserDeptErrors                     []string // why UserDept names no one department
	FilterHidden                       []hiddenField
}

// orgPage lists departments and staff accounts, for the platform operator,
// a page of each at a time: each list has its own name search (dept_q,
// which a whole credit code also answers, user_q) and keyset cursor (dept_cursor, user_cursor), and the links of
// one keep the other's.
func (w *Web) orgPage(rw http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	v := r.URL.Query()
	if err := checkParams(v, orgPageParams); err != nil {
		return err
	}
	df := org.DepartmentFilter{Limit: orgPageSize}
	uf := org.UserFilter{Limit: orgPageSize, Now: w.cfg.Now()}
	var err error
	if df.Q, err = listQuery(v, "dept_q"); err != nil {
		return err
	}
	if df.After, err = parseListCursor(v, "dept_cursor", "departments"); err != nil {
		return err
	}
	if uf.Q, err = listQuery(v, "user_q"); err != nil {
		return err
	}
	if uf.After, err = parseListCursor(v, "user_cursor", "users"); err != nil {
		return err
	}
	// A department typed that names none, or several, is told beside the
	// filter (UserDeptErrors), the page kept and its accounts not filtered
	// by department; the page's status is the refusal's.
	var userDept org.Department
	var userDeptErr *errs.Error
	status := http.StatusOK
	userDeptRef := strings.TrimSpace(v.Get("user_dept"))
	if userDeptRef != "" {
		if userDept, err = org.DepartmentByRef(ctx, w.cfg.DB.Read(), userDeptRef); err != nil {
			if userDeptErr = errs.As(err); userDeptErr == nil {
				return err
			}
			if status, _ = userError(userDeptErr); status >= http.StatusInternalServerError {
				return err
			}
		}
		uf.DepartmentID = userDept.ID
	}
	switch s := v.Get("user_status"); s {
	case "":
	case "enabled", "disabled":
		disabled := s == "disabled"
		uf.Disabled = &disabled
	default:
		return errs.Field("user_status", "invalid_status", "账号状态只能为 enabled（启用）或 disabled（停用）："+s)
	}
	d := orgData{Dept: deptList("/org"), User: userList("/org", "user_q", "user_cursor"), Notice: orgNotices[v.Get("msg")]}
	d.Dept.Placeholder = "部门名称或简称的一部分，或统一社会信用代码"
	d.Dept.Q, d.User.Q = df.Q, uf.Q
	d.UserDept, d.UserDeptName, d.UserStatus = userDeptRef, userDept.Name, v.Get("user_status")
	if userDeptErr != nil {
		d.UserDeptErrors = []string{userDeptErr.Message}
	}
	for _, k := range []string{"dept_q", "dept_cursor", "user_q"} {
		if s := v.Get(k); s != "" {
			d.FilterHidden = append(d.FilterHidden, hiddenField{k, s})
		}
	}

	// A whole credit code (as a department's is stored: any case, spaces
	// around) finds the department that holds it, which no name holds.
	var code string
	if res, err := ident.USCC(df.Q, ident.Lenient); err == nil && df.After == 0 {
		code = res.Normalized
	}

	// Each page and its count in one snapshot, so that they agree while
	// departments and accounts are added or renamed.
	var deptNext, userNext int64
	err = w.cfg.DB.Snapshot(ctx, func(q sqldb.Querier) (err error) {
		if code != "" {
			ls, err := org.DepartmentsNamed(ctx, q, code, 0)
			if err != nil {
				return err
			}
			d.Departments = slices.DeleteFunc(ls, func(l org.DepartmentListing) bool { return l.USCC != code })
			if d.Dept.Total = len(d.Departments); d.Dept.Total > 0 {
				d.DeptCode = code
			}
		}
		if d.Dept.Total == 0 {
			if d.Departments, deptNext, err = org.FindDepartmentListings(ctx, q, df); err != nil {
				return err
			}
			if d.Dept.Total, err = org.CountDepartments(ctx, q, df); err != nil {
				return err
			}
		}
		if d.Users, userNext, err = org.FindUserListings(ctx, q, uf); err != nil {
			return err
		}
		d.User.Total, err = org.CountUsers(ctx, q, uf)
		return err
	})
	if err != nil {
		return err
	}
	d.Dept.links(v, orgParams, listCursor("departments", deptNext), df.After != 0)
	d.User.links(v, orgParams, listCursor("users", userNext), uf.After != 0)
	return w.render(rw, r, status, "org", "部门与账号", d)
}

// orgNotices are the messages a redirect to /org after a department's
// form may show; the query names one by key, so that no text comes from
// the URL.
var orgNotices = map[string]string{
	"department_created":        "部门已新增。",
	"department_warned":         "部门已新增。" + codeWarned,
	"department_updated":        "部门信息已修改。",
	"department_updated_warned": "部门信息已修改。" + codeWarned,
	"department_unchanged":      "未作修改：所填名称和统一社会信用代码与原来相同。",
	"department_disabled":       "部门已停用，其账号已一并停用（会话已结束），其应用及密钥已一并注销。",
	"department_enabled":        "部门已启用。其账号和应用保持停用、注销状态：如需使用，请逐个启用账号、重新创建应用。",
	"department_unswitched":     "部门本已处于该状态，未作改变。",
}

// codeWarned tells the operator that a credit code was taken with
// warnings (org.Department.Warnings: a wrong check character, an
// organisation code inside it failing its own check, a registration
// authority other than 机构编制, region digits not the department's), which
// the list and the department's 修改 page keep showing.
const codeWarned = "其统一社会信用代码有需要核对之处（校验位、登记管理部门或行政区划码），已接受；列表中标有“代码需核对”，修改页列出详情，请与该部门核对。"

// deptForm is what a department's form holds, as typed.
type deptForm struct {
	Name, ShortName, USCC, Region, Parent string
}

type deptFormData struct {
	Form       deptForm
	Regions    []org.Region // to choose the new department's from
	DeptChoice []deptChoice // parent departments to choose from
	formErrors
}

// deptFormFields are the new department form's fields, in its order.
var deptFormFields = []string{"name", "short_name", "uscc", "region", "parent"}

// addErrors files the form's refusals under the field that shows them
// (the parent's, the app form's department field, under parent), in the
// order of the fields, so that the summary reads as the form does.
func (d *deptFormData) addErrors(list []*errs.Error) {
	field := func(e *errs.Error) string {
		switch e.Field {
		case "department", "parent_id":
			return "parent"
		case "region_code":
			return "region"
		}
		return e.Field
	}
	place := func(e *errs.Error) int {
		if i := slices.Index(deptFormFields, field(e)); i >= 0 {
			return i
		}
		return len(deptFormFields)
	}
	list = slices.Clone(list)
	slices.SortStableFunc(list, func(a, b *errs.Error) int { return place(a) - place(b) })
	d.add(list, field)
}

// usccLength is the characters of a unified social credit code, which
// the forms' credit code fields take (maxlength).
const usccLength = 18

// overlongNote is what a field's refusals add when its typed value is not
// shown again (dropOverlong).
const overlongNote = "（所填内容过长，未保留，请重新填写）"

// dropOverlong empties *v, the value typed into the form's field, when it
// has more than twice max characters, max being what the field takes: a
// form shown again with its refusals keeps the values typed, but not one
// nobody typed into the field (its maxlength stops typing at max; twice
// leaves room for counts that differ), which the page would send back
// whole (a name of 1 MB, a page of 1 MB). The field's refusals say so.
func (f *formErrors) dropOverlong(field string, v *string, max int) {
	if utf8.RuneCountInString(*v) <= 2*max {
		return
	}
	*v = ""
	for i := range f.Messages {
		if f.Messages[i].Field == field {
			f.Messages[i].Text += overlongNote
		}
	}
	for i := range f.Errors[field] {
		f.Errors[field][i] += overlongNote
	}
}

// renderDeptForm shows the new department's form with d and the regions
// to choose from.
func (w *Web) renderDeptForm(rw http.ResponseWriter, r *http.Request, status int, d deptFormData) error {
	var err error
	if d.Regions, err = org.Regions(r.Context(), w.cfg.DB.Read()); err != nil {
		return err
	}
	return w.render(rw, r, status, "department_form", "新增部门", d)
}

func (w *Web) newDepartmentPage(rw http.ResponseWriter, r *http.Request) error {
	return w.renderDeptForm(rw, r, http.StatusOK, deptFormData{})
}

// createDepartment adds a department (org.CreateDepartment), as POST
// /api/v1/departments does, for the operator: its region chosen from the
// list, its parent, if any, named as the app form names a department
// (appDepartment). Every problem of the input is told at once, beside its
// field, the typed values kept.
func (w *Web) createDepartment(rw http.ResponseWriter, r *http.Request) error {
	form := deptForm{Name: r.PostFormValue("name"), ShortName: r.PostFormValue("short_name"), USCC: r.PostFormValue("uscc"),
		Parent: strings.TrimSpace(r.PostFormValue("parent"))}
	d := org.Department{Name: form.Name, ShortName: form.ShortName, USCC: form.USCC}
	var problems []*errs.Error
	var choices []deptChoice
	if form.Parent != "" {
		id, ch, err := w.appDepartment(r, "上级部门", form.Parent)
		if e := errs.As(err); e != nil && e.Kind == errs.Invalid {
			problems, choices = append(problems, e), ch
		} else if err != nil {
			return err
		}
		d.ParentID = id
	}
	regions, err := org.Regions(r.Context(), w.cfg.DB.Read())
	if err != nil {
		return err
	}
	// The region's code is read (org.ReadRegionCode: folded, a long one
	// refused before) as the API reads it, then looked for in the list.
	region := r.PostFormValue("region")
	code, err := org.ReadRegionCode("region", "行政区划代码", region)
	switch {
	case strings.TrimSpace(region) == "":
		problems = append(problems, errs.Field("region", "region_required", "请选择行政区划"))
	case err != nil:
		problems = append(problems, errs.As(err))
	case !slices.ContainsFunc(regions, func(g org.Region) bool { return g.Code == code }):
		problems = append(problems, errs.Field("region", "unknown_region", "行政区划不存在，请从列表中选择"))
	}
	form.Region, d.RegionCode = code, code
	problems, err = w.writeForm(r, append(problems, d.Check()...), func(tx *sqldb.Tx) error {
		return org.CreateDepartment(r.Context(), tx, auth.From(r.Context()).Actor, &d, w.cfg.Now())
	})
	if err != nil {
		return err
	}
	if len(problems) > 0 {
		fd := deptFormData{Form: form, DeptChoice: choices}
		fd.addErrors(problems)
		fd.dropOverlong("name", &fd.Form.Name, org.MaxDeptName)
		fd.dropOverlong("short_name", &fd.Form.ShortName, org.MaxShortName)
		fd.dropOverlong("uscc", &fd.Form.USCC, usccLength)
		fd.dropOverlong("parent", &fd.Form.Parent, org.MaxSearch)
		status, _ := userError(problems[0])
		return w.renderDeptForm(rw, r, status, fd)
	}
	msg := "department_created"
	if len(d.Warnings) > 0 {
		msg = "department_warned"
	}
	return redirect(rw, r, "/org?msg="+msg+"#departments")
}

type deptEditData struct {
	Dept org.Department // as stored
	// Reach is what disabling the department would disable and revoke,
	// which the confirmation of 停用部门 states.
	Reach org.DepartmentReach
	// SwitchError is why disabling or enabling the department was
	// refused, shown above the 停用部门 form.
	SwitchError string
	Form        org.DepartmentChange
	// Tag names the department as the form was filled from (org.Department.Tag),
	// sent back in edit_tag: a save is refused when someone else changed the
	// department since (concurrent_update), and the form then shows Dept as
	// now stored beside the typed values, with the new tag.
	Tag   string
	Stale bool
	// Current is Dept with its region and parent's name, shown when Stale:
	// the tag covers them too, which the form does not edit, so a change
	// made through the API (a new parent) is seen in the panel.
	Current org.DepartmentListing
	formErrors
}

// deptEditOf is the edit page of d as stored: the form filled from it,
// with its tag.
func deptEditOf(d org.Department) deptEditData {
	return deptEditData{Dept: d, Form: org.DepartmentChange{Name: d.Name, ShortName: &d.ShortName, USCC: d.USCC}, Tag: d.Tag()}
}

// filteredDepartment is the department a list page is filtered by, id
// (its department_id as read), none for 0: one that names no department is
// not found (404 department_not_found, 部门不存在, on the error page), as
// /records/batches and GET /api/v1/… lists answer it, never a list of
// nothing as if the department had nothing in it. Every console list
// filtered by department reads it here.
func filteredDepartment(ctx context.Context, q sqldb.Querier, id int64) (org.Department, error) {
	if id == 0 {
		return org.Department{}, nil
	}
	return org.DepartmentByID(ctx, q, id)
}

// department reads the department named in the path.
func (w *Web) department(r *http.Request) (org.Department, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return org.Department{}, errs.E(errs.NotFound, "department_not_found", "部门不存在")
	}
	return org.DepartmentByID(r.Context(), w.cfg.DB.Read(), id)
}

func (w *Web) editDepartmentPage(rw http.ResponseWriter, r *http.Request) error {
	d, err := w.department(r)
	if err != nil {
		return err
	}
	return w.renderDeptEdit(rw, r, http.StatusOK, deptEditOf(d))
}

// renderDeptEdit shows the department's edit page with d, with what
// disabling it would touch.
func (w *Web) renderDeptEdit(rw http.ResponseWriter, r *http.Request, status int, d deptEditData) error {
	var err error
	if d.Reach, err = org.ReachOf(r.Context(), w.cfg.DB.Read(), d.Dept.ID); err != nil {
		return err
	}
	return w.render(rw, r, status, "department_edit", "修改部门："+d.Dept.Name, d)
}

func (w *Web) disableDepartment(rw http.ResponseWriter, r *http.Request) error {
	return w.switchDepartment(rw, r, true)
}

func (w *Web) enableDepartment(rw http.ResponseWriter, r *http.Request) error {
	return w.switchDepartment(rw, r, false)
}

// switchDepartment disables the department in the path with its accounts
// and apps, or enables it alone (org.SetDepartmentDisabled), as POST
// /api/v1/departments/{id}/disable and /enable do, for the operator.
// Disabling needs the confirmation ticked (confirm=yes), which states how
// many accounts and apps it disables and revokes; the form's edit_tag
// makes it conditional as If-Match does. A refusal (entries still held,
// the last operator, a stale tag) is told on the edit page, nothing
// changed; one by a rule leaves a denied row (org.AuditDisableRefusal),
// as the API's does.
func (w *Web) switchDepartment(rw http.ResponseWriter, r *http.Request, disabled bool) error {
	d, err := w.department(r)
	if err != nil {
		return err
	}
	ed := deptEditOf(d)
	if disabled && r.PostFormValue("confirm") != "yes" {
		ed.SwitchError = "请勾选“确认停用”后再提交"
		return w.renderDeptEdit(rw, r, http.StatusBadRequest, ed)
	}
	var res org.DepartmentDisabling
	by := auth.From(r.Context()).Actor
	problems, err := w.writeForm(r, nil, func(tx *sqldb.Tx) (err error) {
		res, err = org.SetDepartmentDisabled(r.Context(), tx, by, d.ID, disabled, editTags(r), w.cfg.Now())
		return err
	})
	if err != nil {
		return err
	}
	if len(problems) > 0 {
		if err := org.AuditDisableRefusal(r.Context(), w.cfg.DB, by, d, problems[0], w.cfg.Now()); err != nil {
			return err
		}
		if ed.Dept, err = org.DepartmentByID(r.Context(), w.cfg.DB.Read(), d.ID); err != nil {
			return err
		}
		ed.Tag, ed.SwitchError = ed.Dept.Tag(), problems[0].Message
		status, _ := userError(problems[0])
		return w.renderDeptEdit(rw, r, status, ed)
	}
	msg := "department_enabled"
	switch {
	case !res.Changed:
		msg = "department_unswitched"
	case disabled:
		msg = "department_disabled"
	}
	return redirect(rw, r, "/org?msg="+msg+"#departments")
}

// updateDepartment renames the department in the path and changes its
// short name and credit code (org.UpdateDepartment), as PUT /api/v1/departments/{id}
// does, for the operator: the code is checked only when it is not the
// stored one, so a department whose code fails the check can be renamed;
// a change that leaves both as stored is told 未作修改.
// The form's edit_tag makes the save conditional, as If-Match does the
// API's: a department changed by someone else since the form was opened
// is not overwritten (concurrent_update), and the form shows it as now
// stored.
// Every problem is told at once, beside its field, the typed values kept.
func (w *Web) updateDepartment(rw http.ResponseWriter, r *http.Request) error {
	d, err := w.department(r)
	if err != nil {
		return err
	}
	short := r.PostFormValue("short_name")
	c := org.DepartmentChange{Name: r.PostFormValue("name"), ShortName: &short, USCC: r.PostFormValue("uscc"), IfMatch: editTags(r)}
	var updated org.Department
	problems, err := w.writeForm(r, c.Check(d), func(tx *sqldb.Tx) (err error) {
		updated, err = org.UpdateDepartment(r.Context(), tx, auth.From(r.Context()).Actor, d.ID, c, w.cfg.Now())
		return err
	})
	if err != nil {
		return err
	}
	if len(problems) > 0 {
		ed := deptEditData{Dept: d, Form: c, Tag: r.PostFormValue("edit_tag")}
		if n := len(d.Tag()); len(ed.Tag) > n { // no tag, which no save matches: not sent back whole
			ed.Tag = strings.ToValidUTF8(ed.Tag[:n], "")
		}
		if problems[0].Code == "concurrent_update" {
			ed.Tag, ed.Stale = d.Tag(), true
			if ed.Current, err = org.DepartmentListingByID(r.Context(), w.cfg.DB.Read(), d.ID); err != nil {
				return err
			}
		}
		ed.add(problems, func(e *errs.Error) string { return e.Field })
		ed.dropOverlong("name", &ed.Form.Name, org.MaxDeptName)
		ed.dropOverlong("short_name", ed.Form.ShortName, org.MaxShortName)
		ed.dropOverlong("uscc", &ed.Form.USCC, usccLength)
		status, _ := userError(problems[0])
		return w.renderDeptEdit(rw, r, status, ed)
	}
	// org.UpdateDepartment writes nothing when the change leaves the name,
	// short name and code as stored (the code's case and spaces aside).
	// The code's warnings are told when the code changed only: a stored
	// one's stay on the form (uscc-warnings), not on every rename.
	msg := "department_updated"
	switch {
	case updated.Name == d.Name && updated.ShortName == d.ShortName && updated.USCC == d.USCC:
		msg = "department_unchanged"
	case updated.USCC != d.USCC && len(updated.Warnings) > 0:
		msg = "department_updated_warned"
	}
	return redirect(rw, r, "/org?msg="+msg+"#departments")
}
