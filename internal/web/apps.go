package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hutong-gov/hutong/internal/auth"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/text"
)

// MaxGraceHours bounds how long a rotated key stays valid.
const MaxGraceHours = 24 * 30

// appNotices are the messages a redirect after an app action may show; the
// query names one by key, so that no text comes from the URL.
var appNotices = map[string]string{
	"revoked":     "应用已注销，其全部密钥已吊销。",
	"key_revoked": "密钥已吊销。",
}

type keyRow struct {
	org.Key
	Status string
	Active bool
}

type appRow struct {
	org.AppListing
	Keys []keyRow
	// Manage is whether the caller may rotate, revoke the app and its keys
	// (auth.Principal.RevokeApp): the page offers no action it would refuse.
	Manage bool
}

type scopeOption struct {
	Name, Label string
	Checked     bool
}

type appForm struct {
	Name, Description string
	Department        string // as typed: a name, short name or credit code
	FormID            string // the form's form_id (createForms)
}

// maxDeptChoices is how many departments the create form suggests at a
// time: a province has thousands.
const maxDeptChoices = 20

// deptChoice is a department the create form suggests (its datalist) or
// offers after a department it could not tell: Value is what to type,
// Detail what tells it apart.
type deptChoice struct {
	Value, Detail string
}

// deptChoices are the choices of ls: their names, or their unified social
// credit codes when byCode or where two of ls share a name, which then
// names neither. A disabled department is no choice: it gets no new
// account or app.
func deptChoices(ls []org.DepartmentListing, byCode bool) []deptChoice {
	ls = slices.DeleteFunc(slices.Clone(ls), func(l org.DepartmentListing) bool { return l.Disabled })
	named := map[string]int{}
	for _, l := range ls {
		named[l.Name]++
	}
	out := make([]deptChoice, 0, len(ls))
	for _, l := range ls {
		c := deptChoice{Value: l.Name}
		parts := []string{l.ShortName, l.Region.Name, l.USCC}
		if byCode || named[l.Name] > 1 {
			c.Value, parts = l.USCC, []string{l.Name, l.ShortName, l.Region.Name}
		}
		parts = slices.DeleteFunc(parts, func(s string) bool { return s == "" })
		c.Detail = strings.Join(parts, " · ")
		out = append(out, c)
	}
	return out
}

type appsData struct {
	Apps        []appRow
	Total       int    // apps on every page
	Q           string // the name search
	Clear       string // URL without the search, "" without one
	Pager       pager  // the list's first and next pages
	Back        string // the page's address, for its forms' back field
	Scopes      []scopeOption
	DeptChoices []deptChoice        // departments to choose from, for the operator
	AllDepts    bool                // the list shows every department's apps
	Dept        int64               // the department the operator's list is filtered by, 0 for none
	DeptName    string              // its name
	DeptFilter  []org.DepartmentRef // the departments the operator may filter by
	Form        appForm
	formErrors  // the create form's refusals, by field: name, department, description, scopes
	Notice      string
	// Repeat is the app the create form sent again made the first time
	// (createForms): its key was shown then, never again.
	Repeat     *createdByForm
	MaxGrace   int
	MaxChoices int // suggestions of a department at most
	// Action is the refusal of a form of an app on the list, shown at
	// that form; ActionLost, that the app is not on the page shown, the
	// refusal then above the list alone.
	Action     appAction
	ActionLost bool
}

// appAction is the refusal of a form of an app on the apps list: the app,
// which of its forms (rotate, rotate-confirm, rotate-stale: a rotation of
// keys rotated since, revoke, or key: a key's revocation, of Key), the
// refusal's message and status, and the grace hours as typed in a
// rotation.
type appAction struct {
	App    int64
	Form   string
	Key    string
	Error  string
	Grace  string
	Status int
}

// refused files e, a refusal of a form of app, in a to be shown at that
// form (renderAppAction), and returns it, to end the transaction.
func (a *appAction) refused(app org.App, form, key string, e *errs.Error) error {
	*a = appAction{App: app.ID, Form: form, Key: key, Error: e.Message, Grace: a.Grace, Status: e.Kind.HTTPStatus()}
	return e
}

// renderAppAction answers a refused form of an app on the apps list: the
// page of the list it was sent from (list), again, with the refusal at
// the form and what was typed in it, the app's keys as now stored.
func (w *Web) renderAppAction(rw http.ResponseWriter, r *http.Request, a appAction, list appsList) error {
	return w.renderApps(rw, r, a.Status, appsData{Action: a}, nil, list)
}

func keyStatus(k org.Key, now time.Time) (string, bool) {
	switch {
	case k.RevokedAt != nil:
		return "已吊销", false
	case k.ExpiresAt != nil && !k.ExpiresAt.After(now):
		return "已过期", false
	case k.ExpiresAt != nil:
		return "宽限期至 " + formatTime(*k.ExpiresAt), true
	}
	return "有效", true
}

// appsList is a page of the apps list: its name search (parameter q), its
// department (department_id, 0 for none) and where it starts (cursor:
// after this app id, 0 for the first page).
type appsList struct {
	Q     string
	Dept  int64
	After int64
}

// appsParams are the parameters /apps takes: its list's and the notice of
// a redirect (msg). It refuses any other (checkParams).
var appsParams = []string{"q", "department_id", "cursor", "msg"}

// parseAppsList reads a page of the apps list from the query of /apps.
// Whether the caller may see the department's apps is renderApps' to tell.
func parseAppsList(v url.Values) (appsList, error) {
	var l appsList
	var err error
	if l.Q, err = listQuery(v, "q"); err != nil {
		return l, err
	}
	if s := v.Get("department_id"); s != "" {
		if l.Dept, err = strconv.ParseInt(s, 10, 64); err != nil || l.Dept <= 0 || strconv.FormatInt(l.Dept, 10) != s {
			return l, errs.Field("department_id", "invalid_filter", "筛选条件“部门”的取值“"+s+"”无效，请从列出的部门中选择")
		}
	}
	l.After, err = parseListCursor(v, "cursor", "apps")
	return l, err
}

// appsBack reads the page of the apps list a POST was sent from, to go
// back to: its form field back, the address of that page as the page gave
// it ("/apps", "/apps?q=…&cursor=…"), none for the first page. Anything
// else (another path, a scheme or a host, a fragment, another parameter or
// one given twice, a bad search or cursor) is refused before the POST
// changes anything, and the way back is built again from the search and
// cursor read: it never leads off the list.
func appsBack(r *http.Request) (appsList, error) {
	bad := errs.Field("back", "invalid_back", "返回地址无效，请回到应用列表重新操作")
	s := r.PostFormValue("back")
	if s == "" {
		return appsList{}, nil
	}
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "" || u.Opaque != "" || u.User != nil || u.Host != "" || u.Path != "/apps" ||
		u.RawPath != "" || u.Fragment != "" || u.RawFragment != "" {
		return appsList{}, bad
	}
	v, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return appsList{}, bad
	}
	for k, vs := range v {
		if (k != "q" && k != "department_id" && k != "cursor") || len(vs) != 1 {
			return appsList{}, bad
		}
	}
	l, err := parseAppsList(v)
	if err != nil {
		return appsList{}, bad
	}
	return l, nil
}

// url is the address of the page l, with more parameters (name and value
// pairs).
func (l appsList) url(more ...string) string {
	v := url.Values{}
	if l.Q != "" {
		v.Set("q", l.Q)
	}
	if l.Dept != 0 {
		v.Set("department_id", strconv.FormatInt(l.Dept, 10))
	}
	if l.After != 0 {
		v.Set("cursor", listCursor("apps", l.After))
	}
	for i := 0; i+1 < len(more); i += 2 {
		v.Set(more[i], more[i+1])
	}
	if len(v) == 0 {
		return "/apps"
	}
	return "/apps?" + v.Encode()
}

func (w *Web) appsPage(rw http.ResponseWriter, r *http.Request) error {
	if err := checkParams(r.URL.Query(), appsParams); err != nil {
		return err
	}
	list, err := parseAppsList(r.URL.Query())
	if err != nil {
		return err
	}
	d := appsData{Notice: appNotices[r.URL.Query().Get("msg")]}
	return w.renderApps(rw, r, http.StatusOK, d, nil, list)
}

// renderApps renders the apps page with d's form, error and notice: the
// page list of the apps the caller may manage (the operator every
// department's, a department's administrator their department's), with
// their keys, in a fixed number of queries.
func (w *Web) renderApps(rw http.ResponseWriter, r *http.Request, status int, d appsData, checked []string, list appsList) error {
	ctx := r.Context()
	p := auth.From(ctx)
	q := w.cfg.DB.Read()
	now := w.cfg.Now()
	var err error
	f := org.AppFilter{DepartmentID: p.User.DepartmentID, Q: list.Q, After: list.After, Limit: orgPageSize}
	// A department that is not one is not found, for everyone, before
	// another department's is refused.
	named, err := filteredDepartment(ctx, q, list.Dept)
	if err != nil {
		return err
	}
	if p.HasRole(org.Operator) {
		// The operator's list is every department's, or the one chosen.
		f.DepartmentID, d.AllDepts = list.Dept, true
		if d.DeptFilter, err = org.AppDepartments(ctx, q, list.Dept); err != nil {
			return err
		}
		d.Dept, d.DeptName = list.Dept, named.Name
	} else if list.Dept != 0 && list.Dept != p.User.DepartmentID {
		// Anyone else lists their own department's, as the API does, and
		// is refused another's, never shown their own instead.
		return errs.E(errs.Forbidden, "forbidden", "只能查看本部门的应用")
	} else {
		list.Dept = 0 // their list is their department's anyway
	}
	if d.Form.FormID == "" {
		d.Form.FormID = newFormID()
	}
	if d.AllDepts && d.Form.Department == "" {
		// The operator creates apps for any department, their own unless
		// they type another: by its name, or its credit code where the
		// name is another department's too (sent as shown, it must name
		// theirs).
		own, err := org.DepartmentByID(ctx, q, p.User.DepartmentID)
		if err != nil {
			return err
		}
		named, err := org.DepartmentsNamed(ctx, q, own.Name, 2)
		if err != nil {
			return err
		}
		d.Form.Department = own.Name
		if len(named) != 1 || named[0].ID != own.ID {
			d.Form.Department = own.USCC
		}
	}
	// The page and its count in one snapshot, so that they agree while
	// apps are created or renamed.
	var apps []org.AppListing
	var next int64
	err = w.cfg.DB.Snapshot(ctx, func(q sqldb.Querier) (err error) {
		if apps, next, err = org.FindAppListings(ctx, q, f); err != nil {
			return err
		}
		d.Total, err = org.CountApps(ctx, q, f)
		return err
	})
	if err != nil {
		return err
	}
	for _, a := range apps {
		row := appRow{AppListing: a, Manage: p.RevokeApp(a.App) == nil}
		for _, k := range a.Keys {
			st, active := keyStatus(k, now)
			row.Keys = append(row.Keys, keyRow{Key: k, Status: st, Active: active})
		}
		d.Apps = append(d.Apps, row)
	}
	if d.Action.App != 0 {
		d.ActionLost = !slices.ContainsFunc(d.Apps, func(a appRow) bool { return a.ID == d.Action.App })
	}
	if next != 0 {
		d.Pager.Next = appsList{Q: list.Q, Dept: list.Dept, After: next}.url()
	}
	if list.After != 0 {
		d.Pager.First = appsList{Q: list.Q, Dept: list.Dept}.url()
	}
	if d.Q = list.Q; d.Q != "" || list.Dept != 0 {
		d.Clear = appsList{}.url()
	}
	d.Back = list.url()
	for _, s := range sortedScopes() {
		if p.Grant([]string{s}) != nil {
			continue // not the caller's to grant
		}
		d.Scopes = append(d.Scopes, scopeOption{Name: s, Label: org.Scopes[s], Checked: slices.Contains(checked, s)})
	}
	d.MaxGrace, d.MaxChoices = MaxGraceHours, maxDeptChoices
	return w.render(rw, r, status, "apps", "应用与密钥", d)
}

func sortedScopes() []string {
	out := make([]string, 0, len(org.Scopes))
	for s := range org.Scopes {
		out = append(out, s)
	}
	slices.Sort(out)
	return out
}

type keyData struct {
	App     org.App
	Key     org.Key
	Secret  string
	Rotated bool
	// What a rotation did to the old keys, from the app's keys after it
	// (not from the grace asked for): Kept, those still valid, with when
	// each stops; Grace, the hours they all stay valid when they stop
	// together at the grace asked for, else 0; Cut, how many valid keys
	// it revoked at once.
	Kept  []keyRow
	Grace int
	Cut   int
	Back  string // the page of the apps list the form was on
}

// rotated tells d what the rotation of app (its keys as they were before)
// did to the old keys, by after, the app's keys once rotated, at now with
// the grace asked for.
func (d *keyData) rotated(before, after []org.Key, grace int, now time.Time) {
	d.Rotated = true
	kept := map[string]bool{}
	until := now.Add(time.Duration(grace) * time.Hour)
	together := grace > 0
	for _, k := range after {
		if k.ID == d.Key.ID {
			continue
		}
		if st, active := keyStatus(k, now); active {
			kept[k.ID] = true
			d.Kept = append(d.Kept, keyRow{Key: k, Status: st, Active: true})
			together = together && k.ExpiresAt != nil && k.ExpiresAt.Equal(until)
		}
	}
	if together && len(d.Kept) > 0 {
		d.Grace = grace
	}
	for _, k := range before {
		if _, active := keyStatus(k, now); active && !kept[k.ID] {
			d.Cut++
		}
	}
}

func (w *Web) createApp(rw http.ResponseWriter, r *http.Request) error {
	p := auth.From(r.Context())
	if err := r.ParseForm(); err != nil {
		return errs.Wrap(errs.Invalid, "bad_form", "表单格式错误", err)
	}
	form := appForm{Name: r.PostForm.Get("name"), Description: r.PostForm.Get("description"),
		Department: strings.TrimSpace(r.PostForm.Get("department")), FormID: readFormID(r.PostForm)}
	scopes := r.PostForm["scopes"]
	// Every problem of the input is told at once: the department's, then
	// the others (org.NewApp.Check), the form's way.
	var problems []*errs.Error
	deptID, choices, err := w.appDepartment(r, "所属部门", form.Department)
	if e := errs.As(err); e != nil && e.Kind == errs.Invalid {
		problems = append(problems, e)
	} else if err != nil {
		return err
	} else {
		aimAtNewApp(r, deptID)
		if err := p.ManageApps(deptID); err != nil {
			return err
		}
	}
	if err := p.Grant(scopes); err != nil {
		return err
	}
	// The way back is read once the caller may create the app, as
	// rotateKey and revokeApp read it: a refusal of the caller is audited
	// whatever it names.
	list, err := appsBack(r)
	if err != nil {
		return err
	}
	// refuse shows the form again with every problem beside its field,
	// the one status of the first.
	refuse := func(problems []*errs.Error, choices []deptChoice) error {
		d := appsData{Form: form, DeptChoices: choices}
		d.addErrors(problems)
		status, _ := userError(problems[0])
		return w.renderApps(rw, r, status, d, scopes, list)
	}
	if problems = append(problems, org.NewApp{Name: form.Name, Scopes: scopes, Description: form.Description}.Check()...); len(problems) > 0 {
		return refuse(problems, choices)
	}
	// The same form sent again is answered with the app its first
	// submission made, whose key is not shown again.
	made, finish, err := w.forms.claim(r.Context(), p.User.ID, form.FormID, w.cfg.Now())
	if err != nil {
		return err
	}
	if made != nil {
		return w.renderApps(rw, r, http.StatusOK, appsData{Repeat: made}, nil, list)
	}
	// created is the app once its transaction committed: app holds its ID
	// from the INSERT on, also when the audit row or the COMMIT then
	// failed, and a submission that made nothing is forgotten.
	var app, created org.App
	var secret string
	defer func() { finish(created.ID, created.Name) }()
	err = w.cfg.DB.Tx(r.Context(), func(tx *sqldb.Tx) (err error) {
		app, secret, err = org.CreateApp(r.Context(), tx, p.Actor, org.NewApp{Name: form.Name,
			DepartmentID: deptID, Scopes: scopes, Description: form.Description}, w.cfg.Now())
		return err
	})
	if e := inputRefusal(err); e != nil {
		return refuse([]*errs.Error{e}, nil)
	} else if err != nil {
		return err
	}
	created = app
	// The secret is shown in this response only (no redirect: see the package doc).
	return w.render(rw, r, http.StatusCreated, "app_key", "应用密钥", keyData{App: app, Key: app.Keys[0], Secret: secret,
		Back: list.url()})
}

// aimAtNewApp aims a refusal of a new app (app.create) at the department
// it would have been made in, deptID (appDepartment), as POST
// /api/v1/apps aims at its department_id: at none when the form names no
// department alone.
func aimAtNewApp(r *http.Request, deptID int64) {
	if deptID != 0 {
		aimAt(r, "department", strconv.FormatInt(deptID, 10))
	}
}

// aimNewApp aims the refusal of a new app by the caller's role, which
// comes before createApp, at its department as createApp would
// (aimAtNewApp): the one the form names, or the caller's own. A form whose
// department cannot be read leaves the app aimed at.
func (w *Web) aimNewApp(r *http.Request) {
	if deptID, _, err := w.appDepartment(r, "所属部门", strings.TrimSpace(r.PostForm.Get("department"))); err == nil {
		aimAtNewApp(r, deptID)
	}
}

// addErrors files the create form's refusals under the field that shows
// them, as the catalog form does (catalogFormData.addErrors): an app's
// name taken under the name, one of no field (department_id) in the
// summary alone.
func (d *appsData) addErrors(list []*errs.Error) {
	d.add(list, func(e *errs.Error) string {
		if e.Code == "app_exists" {
			return "name"
		}
		return e.Field
	})
}

// appDepartment resolves the department typed in a create form's field,
// whose label its refusals name (所属部门, 上级部门), as
// org.DepartmentsNamed reads it (credit code, name, short name): none
// typed is the caller's own. The operator's text that names no department
// or several is a form error (department_not_found with the departments
// whose names contain it, department_ambiguous with those it names, to be
// told apart by their credit codes); anyone else's is the department it
// names alone, or 0, for the caller to refuse as it refuses another
// department (auth.Principal.ManageApps, ManageUser).
func (w *Web) appDepartment(r *http.Request, label, s string) (int64, []deptChoice, error) {
	ctx := r.Context()
	p := auth.From(ctx)
	q := w.cfg.DB.Read()
	if s == "" {
		return p.User.DepartmentID, nil, nil
	}
	if !text.Plain(s, false) {
		return 0, nil, errs.Field("department", "invalid_characters", label+"含有控制字符或无效的字符编码")
	}
	if utf8.RuneCountInString(s) > org.MaxSearch {
		return 0, nil, errs.Field("department", "too_long", label+"不能超过 "+strconv.Itoa(org.MaxSearch)+" 个字")
	}
	ls, err := org.DepartmentsNamed(ctx, q, s, maxDeptChoices)
	if err != nil {
		return 0, nil, err
	}
	if !p.HasRole(org.Operator) {
		if len(ls) == 1 {
			return ls[0].ID, nil, nil
		}
		return 0, nil, nil
	}
	switch len(ls) {
	case 1:
		return ls[0].ID, nil, nil
	case 0:
		ls, _, err := org.FindDepartmentListings(ctx, q, org.DepartmentFilter{Q: s, Limit: maxDeptChoices})
		if err != nil {
			return 0, nil, err
		}
		msg := "没有名称、简称或统一社会信用代码为“" + s + "”的部门，请检查后重新填写"
		if len(ls) > 0 {
			msg = "没有名称、简称或统一社会信用代码为“" + s + "”的部门，请从下列名称或简称含有“" + s + "”的部门中选择，照所列填写名称或统一社会信用代码"
		}
		return 0, deptChoices(ls, false), errs.Field("department", "department_not_found", msg)
	}
	msg := "名称或简称为“" + s + "”的部门不止一个，请从下列部门中选择，填写其统一社会信用代码"
	for _, l := range ls {
		if l.Name != s && l.ShortName != s { // found by names alike (DepartmentsNamed)
			msg = "没有名称或简称恰为“" + s + "”的部门，名称或简称与之看起来相同的部门不止一个，请从下列部门中选择，填写其统一社会信用代码"
			break
		}
	}
	return 0, deptChoices(ls, true), errs.Field("department", "department_ambiguous", msg)
}

// departmentChoices answers the suggestions of the create form's
// department as the operator types (htmx): the options of its datalist,
// the first maxDeptChoices departments whose name or short name contains
// the text, by the same search as the organisation page.
func (w *Web) departmentChoices(rw http.ResponseWriter, r *http.Request) error {
	if r.Header.Get("HX-Request") != "true" {
		return redirect(rw, r, "/apps#new-app")
	}
	if !auth.From(r.Context()).HasRole(org.Operator) {
		return errs.E(errs.Forbidden, "forbidden", "只有平台管理员可以为其他部门创建应用")
	}
	s, err := listQuery(r.URL.Query(), "department")
	if err != nil {
		return err
	}
	var d appsData
	if s != "" {
		ls, _, err := org.FindDepartmentListings(r.Context(), w.cfg.DB.Read(), org.DepartmentFilter{Q: s, Limit: maxDeptChoices})
		if err != nil {
			return err
		}
		d.DeptChoices = deptChoices(ls, false)
	}
	return w.render(rw, r, http.StatusOK, "apps", "所属部门", d)
}

// loadApp reads the app named in the path inside tx and checks that the
// caller may manage it.
func loadApp(r *http.Request, q sqldb.Querier) (org.App, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return org.App{}, errs.E(errs.NotFound, "app_not_found", "应用不存在")
	}
	app, err := org.AppByID(r.Context(), q, id)
	if err != nil {
		return app, err
	}
	return app, auth.From(r.Context()).ManageApps(app.DepartmentID)
}

// rotateKey issues the app a new key, the old one kept for the form's
// grace_hours; a grace of 0, which revokes the old keys at once, is
// confirmed (confirm=yes). The form is read once the caller may act on
// the app (loadApp, Grant): one who may not is told so, whatever the form
// holds. Its edit_tag names the keys it was rendered with (App.KeyTag):
// the form sent again once a key has been issued since (the result page
// refreshed or resubmitted, a list opened before the rotation) is refused
// (409, rotate-stale) with nothing issued or revoked, so that the key the
// first showed stays valid.
func (w *Web) rotateKey(rw http.ResponseWriter, r *http.Request) error {
	var d keyData
	var list appsList
	refused := appAction{Grace: r.PostFormValue("grace_hours")}
	err := w.cfg.DB.Tx(r.Context(), func(tx *sqldb.Tx) error {
		app, err := loadApp(r, tx)
		if err != nil {
			return err
		}
		// A new key carries the app's scopes.
		if err := auth.From(r.Context()).Grant(app.Scopes); err != nil {
			return err
		}
		if list, err = appsBack(r); err != nil {
			return err
		}
		grace, err := strconv.Atoi(strings.TrimSpace(r.PostFormValue("grace_hours")))
		if err != nil || grace < 0 || grace > MaxGraceHours {
			return refused.refused(app, "rotate", "", errs.Field("grace_hours", "invalid_grace",
				"旧密钥宽限期应为 0 到 "+strconv.Itoa(MaxGraceHours)+" 之间的整数（小时）"))
		}
		// Without grace the old keys stop at once: asked as revoking a
		// key is.
		if grace == 0 && r.PostFormValue("confirm") != "yes" {
			return refused.refused(app, "rotate-confirm", "", errs.Field("confirm", "confirm_required",
				"宽限期为 0 时旧密钥立即吊销，请勾选“确认轮换”后再提交"))
		}
		now := w.cfg.Now()
		k, secret, err := org.RotateKeyIf(r.Context(), tx, auth.From(r.Context()).Actor, app.ID,
			editTags(r), time.Duration(grace)*time.Hour, now)
		if e := errs.As(err); e != nil && e.Code == "concurrent_update" {
			return refused.refused(app, "rotate-stale", "", e)
		}
		if err != nil {
			return err
		}
		// What stays valid is read from the keys, not from the form:
		// a key revoked or expiring already is not kept by a grace.
		after, err := org.AppByID(r.Context(), tx, app.ID)
		if err != nil {
			return err
		}
		d = keyData{App: app, Key: k, Secret: secret, Back: list.url()}
		d.rotated(app.Keys, after.Keys, grace, now)
		return nil
	})
	if refused.App != 0 {
		return w.renderAppAction(rw, r, refused, list)
	}
	if err != nil {
		return err
	}
	return w.render(rw, r, http.StatusCreated, "app_key", "应用密钥", d)
}

// revokeApp revokes the app and its keys. The confirmation is asked once
// the caller may act on the app (loadApp, auth.Principal.RevokeApp), as
// rotateKey reads its form.
func (w *Web) revokeApp(rw http.ResponseWriter, r *http.Request) error {
	var list appsList
	var refused appAction
	err := w.cfg.DB.Tx(r.Context(), func(tx *sqldb.Tx) error {
		app, err := loadApp(r, tx)
		if err != nil {
			return err
		}
		if err := auth.From(r.Context()).RevokeApp(app); err != nil {
			return err
		}
		if list, err = appsBack(r); err != nil {
			return err
		}
		if r.PostFormValue("confirm") != "yes" {
			return refused.refused(app, "revoke", "", errs.Field("confirm", "confirm_required", "请勾选“确认注销”后再提交"))
		}
		return org.RevokeApp(r.Context(), tx, auth.From(r.Context()).Actor, app.ID, w.cfg.Now())
	})
	if refused.App != 0 {
		return w.renderAppAction(rw, r, refused, list)
	}
	if err != nil {
		return err
	}
	return redirect(rw, r, list.url("msg", "revoked"))
}

// revokeKey revokes one key of the app once confirmed (confirm=yes).
func (w *Web) revokeKey(rw http.ResponseWriter, r *http.Request) error {
	keyID := r.PathValue("key")
	var list appsList
	var refused appAction
	err := w.cfg.DB.Tx(r.Context(), func(tx *sqldb.Tx) error {
		app, err := loadApp(r, tx)
		if err != nil {
			return err
		}
		if err := auth.From(r.Context()).RevokeApp(app); err != nil {
			return err
		}
		// A key id that is not one is a bad address, not a key not found.
		if org.CheckKeyID(keyID) != nil {
			return errs.E(errs.Invalid, "invalid_key_id", "不是有效的密钥编号：应为 12 位小写十六进制数字")
		}
		if !slices.ContainsFunc(app.Keys, func(k org.Key) bool { return k.ID == keyID }) {
			return errs.E(errs.NotFound, "key_not_found", "该应用没有此密钥："+keyID)
		}
		// A key revoked stops at once, the app's last one with it: asked
		// as revoking the app is.
		if list, err = appsBack(r); err != nil {
			return err
		}
		if r.PostFormValue("confirm") != "yes" {
			return refused.refused(app, "key", keyID, errs.Field("confirm", "confirm_required", "请勾选“确认吊销”后再提交"))
		}
		return org.RevokeKey(r.Context(), tx, auth.From(r.Context()).Actor, keyID, w.cfg.Now())
	})
	if refused.App != 0 {
		return w.renderAppAction(rw, r, refused, list)
	}
	if err != nil {
		return err
	}
	return redirect(rw, r, list.url("msg", "key_revoked"))
}
