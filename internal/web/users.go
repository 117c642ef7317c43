package web

import (
	"maps"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/hutong-gov/hutong/internal/auth"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
)

// userNotices are the messages a redirect after an account action may
// show; the query names one by key, so that no text comes from the URL.
var userNotices = map[string]string{
	"disabled": "账号已停用，其登录已全部退出。",
	"updated":  "账号信息已修改；角色或部门有变更的，该账号的登录已全部退出。",
	"enabled":  "账号已启用。",
	"password": "已设置新密码，该账号的登录已全部退出，登录锁定已解除。请通过安全渠道告知本人；其下次登录时须先修改密码。",
	"changed":  "密码已修改。您在其他设备上的登录已退出。",
	"created":  "账号已创建。请通过安全渠道将初始密码告知本人；其首次登录时须先修改密码。",
	"repeated": "账号已由第一次提交创建，本次重复提交未再创建。请通过安全渠道将初始密码告知本人；其首次登录时须先修改密码。",
}

// passwordPath is the page where the logged-in user changes their
// password: the only one an account whose password someone else set may
// open until it has (org.User.PasswordChangeRequired), which tells it
// org.PasswordChangeRequiredMessage, the API's refusal.
const passwordPath = "/account/password"

// passwordNext is the page an account led to passwordPath to change the
// password someone else set goes on to once it has (its next), as the
// login page takes it (safeNext): "" for none, for one that is not a path
// on this site, and for home, where a login asking for nothing lands;
// without one the password page shows that the password was changed.
func passwordNext(next string) string {
	if next == "" || next == "/" || safeNext(next) != next {
		return ""
	}
	return next
}

type usersData struct {
	Users []org.UserListing
	List  pagedList // its search by username or display name, count and pages
}

// usersParams are /org/users' parameters: its search and cursor, named as
// /org names those of its accounts' list.
var usersParams = []string{"user_q", "user_cursor"}

// usersRenamed are the names /org/users' parameters had before they were
// named as /org's, and their names now.
var usersRenamed = map[string]string{"q": "user_q", "cursor": "user_cursor"}

// renamedParams is v with the parameters named by an old name of renamed
// given their new one, and whether any was; one whose new name v holds too
// is left, for the page to refuse.
func renamedParams(v url.Values, renamed map[string]string) (url.Values, bool) {
	out, changed := maps.Clone(v), false
	for old, name := range renamed {
		if _, ok := out[old]; ok && !out.Has(name) {
			out[name] = out[old]
			delete(out, old)
			changed = true
		}
	}
	return out, changed
}

// usersPage lists the accounts of a department administrator's department,
// a page at a time, each linked to its account page, searched by a part of
// the username or display name (user_q, paged by user_cursor) as the
// operator's list on /org is, under the same names. A link with the names
// the page had (q, cursor) is redirected to them; another parameter is
// refused (checkParams). The operator's list of every account is /org,
// where the operator is sent with the search.
func (w *Web) usersPage(rw http.ResponseWriter, r *http.Request) error {
	v := r.URL.Query()
	if nv, ok := renamedParams(v, usersRenamed); ok {
		return redirect(rw, r, "/org/users?"+nv.Encode())
	}
	if err := checkParams(v, usersParams); err != nil {
		return err
	}
	p := auth.From(r.Context())
	if p.HasRole(org.Operator) {
		return redirect(rw, r, listURL("/org", usersParams, v, "users"))
	}
	f := org.UserFilter{DepartmentID: p.User.DepartmentID, Limit: orgPageSize, Now: w.cfg.Now()}
	var err error
	if f.Q, err = listQuery(v, "user_q"); err != nil {
		return err
	}
	if f.After, err = parseListCursor(v, "user_cursor", "users"); err != nil {
		return err
	}
	d := usersData{List: userList("/org/users", "user_q", "user_cursor")}
	d.List.Q = f.Q
	var next int64
	err = w.cfg.DB.Snapshot(r.Context(), func(q sqldb.Querier) (err error) {
		if d.Users, next, err = org.FindUserListings(r.Context(), q, f); err != nil {
			return err
		}
		d.List.Total, err = org.CountUsers(r.Context(), q, f)
		return err
	})
	if err != nil {
		return err
	}
	d.List.links(v, usersParams, listCursor("users", next), f.After != 0)
	return w.render(rw, r, http.StatusOK, "users", "本部门账号", d)
}

type userData struct {
	Account    org.User
	Department string
	Self       bool // the account is the caller's
	MinLen     int  // of a password
	Notice     string
	Error      string
	ErrorField string
	Password   formErrors // the reset password form's refusals
	Back       string     // the accounts' list (usersList) and its name
	BackLabel  string
	Roles      []roleChoice // the roles the caller may give the account
	AllDepts   bool         // the caller may move the account to another department (the operator)
	// Tag names the account as the page shows it (org.User.Tag), sent
	// back in every form's edit_tag: a form sent once someone else has
	// changed the account is refused (concurrent_update), nothing
	// changed, and the page then shows the account as now stored (Stale)
	// with its new tag.
	Tag   string
	Stale bool
	// Edit is what 修改账号 was sent with, shown again when it is refused;
	// nil shows the account as stored.
	Edit *userEdit
}

// userEdit is what 修改账号 holds, as typed.
type userEdit struct {
	DisplayName, Role, Department string
}

// usersList is the list of accounts the caller manages, and its name in
// the navigation: the operator's on /org, an administrator's on
// /org/users.
func usersList(p *auth.Principal) (path, label string) {
	if p.HasRole(org.Operator) {
		return "/org#users", "部门与账号"
	}
	return "/org/users", "本部门账号"
}

// loadUser reads the account named in the path and checks that the caller
// may manage it (auth.Principal.ManageUser).
func loadUser(r *http.Request, q sqldb.Querier) (org.User, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return org.User{}, errs.E(errs.NotFound, "user_not_found", "账号不存在")
	}
	u, err := org.UserByID(r.Context(), q, id)
	if err != nil {
		return u, err
	}
	return u, auth.From(r.Context()).ManageUser(u)
}

func (w *Web) userPage(rw http.ResponseWriter, r *http.Request) error {
	return w.renderUser(rw, r, http.StatusOK, userData{Notice: userNotices[r.URL.Query().Get("msg")]})
}

// renderUser shows the account page with d's notice or error: the
// account, and what the caller may do to it.
func (w *Web) renderUser(rw http.ResponseWriter, r *http.Request, status int, d userData) error {
	u, err := loadUser(r, w.cfg.DB.Read())
	if err != nil {
		return err
	}
	if err := u.ReadLock(r.Context(), w.cfg.DB.Read(), w.cfg.Now()); err != nil {
		return err
	}
	dept, err := org.DepartmentByID(r.Context(), w.cfg.DB.Read(), u.DepartmentID)
	if err != nil {
		return err
	}
	d.Account, d.Department = u, dept.Name
	p := auth.From(r.Context())
	d.Self, d.MinLen = u.ID == p.User.ID, org.MinPasswordLen
	d.Back, d.BackLabel = usersList(p)
	d.AllDepts = p.HasRole(org.Operator)
	d.Tag = u.Tag()
	role := string(u.Role)
	if d.Edit != nil {
		role = d.Edit.Role
	}
	d.Roles = roleChoices(p, u.DepartmentID, role)
	return w.render(rw, r, status, "user", "账号："+u.Username, d)
}

// userAction runs an action on the account in the path, in one
// transaction with the check that the caller may manage it, then shows
// the account page with the notice msg; an error of the input or the
// account's state shows the page d with it, the account as now stored
// when the form's edit_tag was stale (Stale).
func (w *Web) userAction(rw http.ResponseWriter, r *http.Request, msg string, d userData, act func(tx *sqldb.Tx, u org.User) error) error {
	err := w.cfg.DB.Tx(r.Context(), func(tx *sqldb.Tx) error {
		u, err := loadUser(r, tx)
		if err != nil {
			return err
		}
		return act(tx, u)
	})
	// The page shows the error, or (renderUser) the refusal to show the
	// account at all, once a refusal is recorded (admin).
	if e := errs.As(err); e != nil && e.Kind != errs.Internal && e.Kind != errs.Unavailable {
		status, _ := userError(err)
		d.Error, d.ErrorField, d.Stale = e.Message, e.Field, e.Code == "concurrent_update"
		return &shownError{err: err, show: func() error {
			return w.renderUser(rw, r, status, d)
		}}
	}
	if err != nil {
		return err
	}
	return redirect(rw, r, "/org/users/"+r.PathValue("id")+"?msg="+msg)
}

func (w *Web) disableUser(rw http.ResponseWriter, r *http.Request) error {
	if r.PostFormValue("confirm") != "yes" {
		return w.renderUser(rw, r, http.StatusBadRequest, userData{Error: "请勾选“确认停用”后再提交", ErrorField: "confirm"})
	}
	return w.userAction(rw, r, "disabled", userData{}, func(tx *sqldb.Tx, u org.User) error {
		_, err := org.SetDisabledIf(r.Context(), tx, auth.From(r.Context()).Actor, u.ID, true, editTags(r), w.cfg.Now())
		return err
	})
}

// editUser changes the account's display name, role and department
// (org.UpdateUser), as PATCH /api/v1/users/{id} does: a department
// administrator only to a role it manages within its own department
// (auth.Principal.ManageUser of the account as changed, refused and
// audited otherwise). Another department named by a department
// administrator is so refused (403, 只能管理本部门的账号, a denied
// user.update row), as PATCH's department_id is; until 2026-12-06 the
// field was read for the operator alone, and the form answered 已修改
// with the move dropped. A change of role or department ends the
// account's sessions. The department is named as the new account form
// names it (appDepartment); left blank, it is kept. The form's edit_tag
// makes the save conditional, as If-Match does PATCH's: an account
// changed by someone else since the page was opened is not overwritten
// (concurrent_update). A refused form is shown again as typed.
func (w *Web) editUser(rw http.ResponseWriter, r *http.Request) error {
	p := auth.From(r.Context())
	edit := userEdit{DisplayName: r.PostFormValue("display_name"), Role: r.PostFormValue("role"),
		Department: strings.TrimSpace(r.PostFormValue("department"))}
	role := org.Role(edit.Role)
	c := org.UserChange{DisplayName: &edit.DisplayName, Role: &role, IfMatch: editTags(r)}
	if edit.Department != "" {
		id, _, err := w.appDepartment(r, "所属部门", edit.Department)
		if e := errs.As(err); e != nil && e.Kind == errs.Invalid {
			return w.renderUser(rw, r, http.StatusBadRequest, userData{Error: e.Message, ErrorField: "department", Edit: &edit})
		} else if err != nil {
			return err
		}
		c.DepartmentID = &id
	}
	return w.userAction(rw, r, "updated", userData{Edit: &edit}, func(tx *sqldb.Tx, u org.User) error {
		if err := p.ManageUser(c.Apply(u)); err != nil {
			return err
		}
		_, err := org.UpdateUser(r.Context(), tx, p.Actor, u.ID, c, w.cfg.Now())
		return err
	})
}

func (w *Web) enableUser(rw http.ResponseWriter, r *http.Request) error {
	return w.userAction(rw, r, "enabled", userData{}, func(tx *sqldb.Tx, u org.User) error {
		_, err := org.SetDisabledIf(r.Context(), tx, auth.From(r.Context()).Actor, u.ID, false, editTags(r), w.cfg.Now())
		return err
	})
}

// newPasswordProblems are the problems of a password form's new password
// for the account username, all of them: the password policy's refusal
// (the one org.NewUser.Check files under password, password_has_username
// included) and a second typing that differs.
func newPasswordProblems(r *http.Request, username string) []*errs.Error {
	var out []*errs.Error
	for _, e := range (org.NewUser{Username: username, Password: r.PostFormValue("password")}).Check() {
		if e.Field == "password" {
			out = append(out, e)
		}
	}
	if r.PostFormValue("password") != r.PostFormValue("password_confirm") {
		out = append(out, errs.Field("password_confirm", "password_mismatch", "两次输入的新密码不一致"))
	}
	return out
}

// hashNewPassword hashes a reset's new password (org.HashNewPassword): a
// variable, for the tests to count the hashes.
var hashNewPassword = org.HashNewPassword

// resetPassword sets another account's password (org.SetPasswordIf); every
// problem of the new password is told at once, beside its field, its
// holding the account's username among them. Whether the caller manages
// the account (loadUser) is checked first, on the read pool, before the
// password is checked or hashed (a hash holds one of the process's few
// hash slots, which logins wait for), as POST /api/v1/users/{id}/password
// checks it: an account that cannot be read or managed is refused (a
// denied row, admin) whatever the form holds, and no password is hashed
// for it. userAction checks it again in the write. The form's edit_tag
// makes the reset conditional, as If-Match does the API's: an account
// renamed, moved or disabled since the page was opened is refused
// (concurrent_update).
func (w *Web) resetPassword(rw http.ResponseWriter, r *http.Request) error {
	u, err := loadUser(r, w.cfg.DB.Read())
	if err != nil {
		return err
	}
	if problems := newPasswordProblems(r, u.Username); len(problems) > 0 {
		d := userData{}
		d.Password.add(problems, func(e *errs.Error) string { return e.Field })
		return w.renderUser(rw, r, http.StatusBadRequest, d)
	}
	pw, err := hashNewPassword(r.Context(), r.PostFormValue("password"))
	if err != nil {
		return err
	}
	return w.userAction(rw, r, "password", userData{}, func(tx *sqldb.Tx, u org.User) error {
		_, err := org.SetPasswordIf(r.Context(), tx, auth.From(r.Context()).Actor, u.ID, pw, editTags(r), w.cfg.Now())
		return err
	})
}

type passwordData struct {
	Notice string
	// Forced: the password was set by someone else and is to be changed
	// before anything else (org.User.PasswordChangeRequired); the page
	// then shows only the form and 退出登录 (the layout no navigation).
	Forced bool
	Next   string // passwordNext: the page to go on to once changed
	formErrors
	MinLen      int
	MaxFailures int // wrong current passwords that lock the account out
	LockMinutes int // for so long
}

// renderPassword shows the password form with d.
func (w *Web) renderPassword(rw http.ResponseWriter, r *http.Request, status int, d passwordData) error {
	d.Forced = auth.From(r.Context()).User.PasswordChangeRequired
	if d.Forced && d.Notice == "" {
		d.Notice = org.PasswordChangeRequiredMessage
	}
	d.MinLen, d.MaxFailures, d.LockMinutes = org.MinPasswordLen, org.MaxLoginFailures, int(org.LockDuration.Minutes())
	return w.render(rw, r, status, "password", "修改密码", d)
}

func (w *Web) passwordPage(rw http.ResponseWriter, r *http.Request) error {
	return w.renderPassword(rw, r, http.StatusOK, passwordData{Notice: userNotices[r.URL.Query().Get("msg")],
		Next: passwordNext(r.URL.Query().Get("next"))})
}

// changePassword changes the logged-in user's password
// (org.ChangePassword): this session goes on, the others end. Every
// problem of the form is told at once, beside its field: a current
// password left empty and the new password's (newPasswordProblems). The
// current password itself is checked only when there are none, by
// ChangePassword, which counts a wrong one towards the lockout: checked
// beside a new password that is refused anyway, it could be guessed
// without ever being counted. Changed, it goes on to the page the form
// carries (next, passwordNext), else shows that it was changed.
func (w *Web) changePassword(rw http.ResponseWriter, r *http.Request) error {
	p := auth.From(r.Context())
	var problems []*errs.Error
	if r.PostFormValue("current_password") == "" {
		problems = append(problems, errs.Field("current_password", "current_password_required", "请输入当前密码"))
	}
	problems = append(problems, newPasswordProblems(r, p.User.Username)...)
	var err error
	if len(problems) > 0 {
		err = problems[0]
	} else {
		err = org.ChangePassword(r.Context(), w.cfg.DB, *p.User, p.Session.Token, r.PostFormValue("current_password"),
			r.PostFormValue("password"), p.Actor.RemoteAddr, w.cfg.Now())
		if e := errs.As(err); e != nil && e.Kind != errs.Internal && e.Kind != errs.Unavailable {
			problems = []*errs.Error{e}
		}
	}
	next := passwordNext(r.PostFormValue("next"))
	if len(problems) > 0 {
		status, _ := userError(err)
		d := passwordData{Next: next}
		d.add(problems, func(e *errs.Error) string { return e.Field })
		return w.renderPassword(rw, r, status, d)
	}
	if err != nil {
		return err
	}
	if next != "" {
		return redirect(rw, r, next)
	}
	return redirect(rw, r, "/account/password?msg=changed")
}

// accountForm is what the new account form holds, as typed; the
// passwords are never shown again.
type accountForm struct {
	Username, DisplayName, Role, Department string
}

// roleChoice is a role the account page or the new account form offers.
type roleChoice struct {
	Value, Label string
	Selected     bool
}

// roleChoices are the roles p may give an account of the department
// deptID (auth.Principal.ManageUser), in org.Roles' order, selected the
// one named selected: those the account page and the new account form
// offer.
func roleChoices(p *auth.Principal, deptID int64, selected string) []roleChoice {
	var out []roleChoice
	for _, role := range org.Roles {
		if p.ManageUser(org.User{DepartmentID: deptID, Role: role}) == nil {
			out = append(out, roleChoice{Value: string(role), Label: role.Label(), Selected: selected == string(role)})
		}
	}
	return out
}

type newUserData struct {
	Form       accountForm
	FormID     string // the form's form_id (createForms)
	Roles      []roleChoice
	AllDepts   bool         // the form names the department (the operator's)
	DeptChoice []deptChoice // departments to choose from
	formErrors
	MinLen     int
	MaxChoices int
	Back       string // the list the form came from
}

// addErrors files the form's refusals under the field that shows them, as
// the app form does: a username taken under the username, one of the
// department under the department.
func (d *newUserData) addErrors(list []*errs.Error) {
	d.add(list, func(e *errs.Error) string {
		switch {
		case e.Code == "username_taken":
			return "username"
		case e.Field == "department_id":
			return "department"
		}
		return e.Field
	})
}

// renderNewUser shows the new account form with d: the roles the caller
// may give (auth.Principal.ManageUser: an administrator those of its own
// department's accounts it manages), and for the operator the department.
func (w *Web) renderNewUser(rw http.ResponseWriter, r *http.Request, status int, d newUserData) error {
	p := auth.From(r.Context())
	d.AllDepts = p.HasRole(org.Operator)
	d.MinLen, d.MaxChoices = org.MinPasswordLen, maxDeptChoices
	d.Back, _ = usersList(p)
	d.Roles = roleChoices(p, p.User.DepartmentID, d.Form.Role)
	if d.FormID == "" {
		d.FormID = newFormID()
	}
	return w.render(rw, r, status, "user_new", "新增账号", d)
}

// newUserPage shows the new account form empty: for the operator, its
// department field too, which must be filled in. Filled with the
// operator's own department, an account meant for another department was
// created in the platform operator's when the field was left as it was,
// and a 审核员 there reviews every department's catalog
// (auth.Principal.ReviewsCatalog).
func (w *Web) newUserPage(rw http.ResponseWriter, r *http.Request) error {
	return w.renderNewUser(rw, r, http.StatusOK, newUserData{})
}

// createUser adds a staff account (org.CreateUser), as POST /api/v1/users
// does, with the password typed twice: the operator to any department it
// names (none named is a form error), as the app form reads it
// (appDepartment), a department administrator to its own department only
// (none named, or its own: its form has no such field) and with a role
// whose accounts it manages (auth.Principal.ManageUser), any other refused
// (403, audited as denied by admin on the department named). Every problem
// of the input is told at once, beside its field, the typed values kept
// but for the passwords: a username taken too, looked up before the insert
// (org.UsernameFree), whose refusal of it stays for an account created in
// between.
func (w *Web) createUser(rw http.ResponseWriter, r *http.Request) error {
	p := auth.From(r.Context())
	form := accountForm{Username: r.PostFormValue("username"), DisplayName: r.PostFormValue("display_name"),
		Role: r.PostFormValue("role"), Department: strings.TrimSpace(r.PostFormValue("department"))}
	nu := org.NewUser{Username: form.Username, DisplayName: form.DisplayName, Role: org.Role(form.Role),
		DepartmentID: p.User.DepartmentID, Password: r.PostFormValue("password")}
	var problems []*errs.Error
	var choices []deptChoice
	if p.HasRole(org.Operator) && form.Department == "" {
		nu.DepartmentID = 0
		problems = append(problems, errs.Field("department", "department_required", "请填写所属部门"))
	} else if form.Department != "" {
		id, ch, err := w.appDepartment(r, "所属部门", form.Department)
		if e := errs.As(err); e != nil && e.Kind == errs.Invalid {
			problems, choices = append(problems, e), ch
		} else if err != nil {
			return err
		}
		nu.DepartmentID = id
	}
	if nu.DepartmentID != 0 {
		aimAt(r, "department", strconv.FormatInt(nu.DepartmentID, 10))
	}
	if err := p.ManageUser(org.User{DepartmentID: nu.DepartmentID, Role: nu.Role}); err != nil {
		return err
	}
	// The same form sent again leads to the account its first submission
	// made, where its username would be refused as taken.
	formID := readFormID(r.PostForm)
	made, finish, err := w.forms.claim(r.Context(), p.User.ID, formID, w.cfg.Now())
	if err != nil {
		return err
	}
	if made != nil {
		return redirect(rw, r, "/org/users/"+strconv.FormatInt(made.ID, 10)+"?msg=repeated")
	}
	// created is the account once its transaction committed: CreateUser
	// returns u with its ID also beside a refused audit row, and a
	// submission that made nothing is forgotten.
	var u, created org.User
	defer func() { finish(created.ID, created.Username) }()
	if nu.DepartmentID != 0 {
		dept, err := org.DepartmentByID(r.Context(), w.cfg.DB.Read(), nu.DepartmentID)
		if err != nil {
			return err
		}
		problems = append(problems, nu.CheckIn(dept)...)
	} else {
		problems = append(problems, nu.Check()...)
	}
	if err := org.UsernameFree(r.Context(), w.cfg.DB.Read(), nu.Username); err != nil {
		taken := inputRefusal(err)
		if taken == nil {
			return err
		}
		problems = append(problems, taken)
	}
	if r.PostFormValue("password") != r.PostFormValue("password_confirm") {
		problems = append(problems, errs.Field("password_confirm", "password_mismatch", "两次输入的密码不一致"))
	}
	if len(problems) == 0 {
		// Hash refuses only the problems Check found, and it found none.
		var err error
		if nu, err = nu.Hash(r.Context()); err != nil {
			return err
		}
	}
	problems, err = w.writeForm(r, problems, func(tx *sqldb.Tx) (err error) {
		u, err = org.CreateUser(r.Context(), tx, p.Actor, nu, w.cfg.Now())
		return err
	})
	if err != nil {
		return err
	}
	if len(problems) > 0 {
		d := newUserData{Form: form, FormID: formID, DeptChoice: choices}
		d.addErrors(problems)
		status, _ := userError(problems[0])
		return w.renderNewUser(rw, r, status, d)
	}
	created = u
	return redirect(rw, r, "/org/users/"+strconv.FormatInt(u.ID, 10)+"?msg=created")
}
