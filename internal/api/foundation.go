package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/auth"
	"github.com/hutong-gov/hutong/internal/calendar"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/ident"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/text"
)

func (a *API) foundationRoutes() {
	a.add(Route{Method: "GET", Path: "/api/v1/openapi.json", Public: true, Handler: a.openAPI})
	a.add(Route{Method: "POST", Path: "/api/v1/auth/login", Public: true, Handler: a.login})
	a.add(Route{Method: "POST", Path: "/api/v1/auth/logout", Provisional: true, Handler: a.logout})
	a.add(Route{Method: "GET", Path: "/api/v1/me", Provisional: true, Handler: a.me})
	a.add(Route{Method: "POST", Path: "/api/v1/me/password", Provisional: true, Handler: a.changePassword})
	a.add(Route{Method: "GET", Path: "/api/v1/regions", Query: []string{"limit", "cursor"}, Handler: a.listRegions})
	a.add(Route{Method: "POST", Path: "/api/v1/regions", Scope: "admin", Idempotent: true, Audit: &Audited{"region.create", "region"}, Handler: a.createRegion})
	a.add(Route{Method: "GET", Path: "/api/v1/departments", Query: []string{"q", "limit", "cursor"}, Handler: a.listDepartments})
	a.add(Route{Method: "POST", Path: "/api/v1/departments", Scope: "admin", Idempotent: true, Audit: &Audited{"department.create", "department"}, Handler: a.createDepartment})
	a.add(Route{Method: "GET", Path: "/api/v1/departments/{id}", Handler: a.getDepartment})
	a.add(Route{Method: "PUT", Path: "/api/v1/departments/{id}", IfMatch: true, Scope: "admin", Audit: &Audited{"department.update", "department"}, Handler: a.updateDepartment})
	a.add(Route{Method: "POST", Path: "/api/v1/departments/{id}/disable", IfMatch: true, Scope: "admin", Audit: &Audited{"department.disable", "department"}, Handler: a.disableDepartment})
	a.add(Route{Method: "POST", Path: "/api/v1/departments/{id}/enable", IfMatch: true, Scope: "admin", Audit: &Audited{"department.enable", "department"}, Handler: a.enableDepartment})
	a.add(Route{Method: "GET", Path: "/api/v1/users", Query: []string{"q", "department_id", "disabled", "role", "limit", "cursor"}, Allow: listsUsers, Handler: a.listUsers})
	a.add(Route{Method: "POST", Path: "/api/v1/users", Allow: createsUsers, Idempotent: true, SecretBody: true, Audit: &Audited{"user.create", "user"},
		OwnDepartment: true, Recheck: checkRequest(userToCreate), Handler: a.createUser})
	a.add(Route{Method: "GET", Path: "/api/v1/users/{id}", Allow: listsUsers, Handler: a.getUser})
	a.add(Route{Method: "PATCH", Path: "/api/v1/users/{id}", IfMatch: true, Allow: managesUsers, Audit: &Audited{"user.update", "user"}, Handler: a.updateUser})
	a.add(Route{Method: "POST", Path: "/api/v1/users/{id}/disable", IfMatch: true, Allow: managesUsers, Audit: &Audited{"user.disable", "user"}, Handler: a.disableUser})
	a.add(Route{Method: "POST", Path: "/api/v1/users/{id}/enable", IfMatch: true, Allow: managesUsers, Audit: &Audited{"user.enable", "user"}, Handler: a.enableUser})
	a.add(Route{Method: "POST", Path: "/api/v1/users/{id}/password", IfMatch: true, Allow: managesUsers, Audit: &Audited{"user.password", "user"}, Handler: a.resetPassword})
	a.add(Route{Method: "GET", Path: "/api/v1/apps", Query: []string{"q", "department_id", "limit", "cursor"}, Allow: listsApps, Handler: a.listApps})
	a.add(Route{Method: "POST", Path: "/api/v1/apps", Idempotent: true, Audit: &Audited{"app.create", "app"},
		OwnDepartment: true, Recheck: checkRequest(appToCreate), Handler: a.createApp})
	a.add(Route{Method: "GET", Path: "/api/v1/apps/{id}", Allow: listsApps, Handler: a.getApp})
	a.add(Route{Method: "POST", Path: "/api/v1/apps/{id}/rotate", IfMatch: true, Allow: managesApps, Idempotent: true, Audit: &Audited{"app.key.rotate", "app"},
		Recheck: a.mayRotate, Handler: a.rotateKey})
	a.add(Route{Method: "POST", Path: "/api/v1/apps/{id}/revoke", Allow: managesApps, Audit: &Audited{"app.revoke", "app"}, Handler: a.revokeApp})
	a.add(Route{Method: "DELETE", Path: "/api/v1/apps/{id}/keys/{key_id}", Allow: managesApps, Audit: &Audited{"app.key.revoke", "app"}, Handler: a.revokeKey})
	a.add(Route{Method: "GET", Path: "/api/v1/audit", Query: auditListParams, Repeatable: []string{"action", "outcome"}, Scope: "audit.read",
		Read: logRead(auditListParams), Handler: a.listAudit})
	// Verifying the chain reads hashes and sequence numbers, not personal
	// data: it is not audited, permitted or refused (no Read).
	a.add(Route{Method: "GET", Path: "/api/v1/audit/verify", Query: []string{"anchor", "from"}, Scope: "audit.read", Handler: a.verifyAudit})
	a.add(Route{Method: "GET", Path: "/api/v1/ident/{value}", Query: []string{"lenient"}, Handler: a.checkIdent})
	a.add(Route{Method: "GET", Path: "/api/v1/calendar/{year}", Handler: a.calendarYear})
	a.add(Route{Method: "GET", Path: "/api/v1/calendar/deadline", Query: []string{"from", "days"}, Handler: a.deadline})
}

type loginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

func (a *API) login(w http.ResponseWriter, r *http.Request) error {
	var req loginRequest
	if err := Decode(r, &req); err != nil {
		return err
	}
	s, u, err := org.Login(r.Context(), a.DB, req.Username, req.Password,
		org.Client{RemoteAddr: auth.RemoteAddr(r), UserAgent: r.UserAgent()}, a.Now())
	if err != nil {
		return err
	}
	a.Auth.SetSessionCookie(w, s)
	return JSON(w, http.StatusOK, map[string]any{"user": u, "csrf_token": s.CSRFToken, "expires_at": s.ExpiresAt})
}

func (a *API) logout(w http.ResponseWriter, r *http.Request) error {
	p := auth.From(r.Context())
	if p.Session == nil {
		return errs.E(errs.Invalid, "no_session", "API 密钥调用无需登出")
	}
	if err := org.Logout(r.Context(), a.DB, *p.User, p.Session.Token, p.Actor.RemoteAddr, a.Now()); err != nil {
		return err
	}
	a.Auth.ClearSessionCookie(w)
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *API) me(w http.ResponseWriter, r *http.Request) error {
	p := auth.From(r.Context())
	dept, err := org.DepartmentByID(r.Context(), a.DB.Read(), p.DepartmentID())
	if err != nil {
		return err
	}
	out := map[string]any{"department": dept}
	if p.User != nil {
		// A lock-out keeps the sessions open before it: the account sees it
		// as its administrator does.
		u := *p.User
		if err := u.ReadLock(r.Context(), a.DB.Read(), a.Now()); err != nil {
			return err
		}
		out["user"] = u
		out["csrf_token"] = p.Session.CSRFToken
	} else {
		out["app"] = map[string]any{"id": p.App.ID, "name": p.App.Name, "scopes": p.App.Scopes, "key_id": p.KeyID}
	}
	return JSON(w, http.StatusOK, out)
}

func (a *API) listRegions(w http.ResponseWriter, r *http.Request) error {
	p, err := keysetParams(r, "regions")
	if err != nil {
		return err
	}
	if strings.Trim(p.After, "0123456789") != "" {
		return errKeysetCursor() // a region code is digits
	}
	rs, next, err := org.FindRegions(r.Context(), a.DB.Read(), org.RegionFilter{After: p.After, Limit: p.Limit})
	if err != nil {
		return err
	}
	return JSON(w, http.StatusOK, p.items(rs, next))
}

func (a *API) createRegion(w http.ResponseWriter, r *http.Request) error {
	var reg org.Region
	if err := Decode(r, &reg); err != nil {
		return err
	}
	err := a.DB.Tx(r.Context(), func(tx *sqldb.Tx) error {
		return org.CreateRegion(r.Context(), tx, auth.From(r.Context()).Actor, &reg, a.Now())
	})
	if err != nil {
		return err
	}
	return JSON(w, http.StatusCreated, reg)
}

func (a *API) listDepartments(w http.ResponseWriter, r *http.Request) error {
	p, err := keysetParams(r, "departments")
	if err != nil {
		return err
	}
	f := org.DepartmentFilter{Limit: p.Limit}
	if f.Q, err = org.Search("q", r.URL.Query().Get("q")); err != nil {
		return err
	}
	if f.After, err = p.afterID(); err != nil {
		return err
	}
	ds, next, err := org.FindDepartments(r.Context(), a.DB.Read(), f)
	if err != nil {
		return err
	}
	return JSON(w, http.StatusOK, p.items(ds, idKey(next)))
}

type departmentRequest struct {
	Name       string `json:"name"`
	ShortName  string `json:"short_name"`
	USCC       string `json:"uscc"`
	RegionCode string `json:"region_code"`
	ParentID   int64  `json:"parent_id"`
}

func (a *API) createDepartment(w http.ResponseWriter, r *http.Request) error {
	var req departmentRequest
	if err := Decode(r, &req); err != nil {
		return err
	}
	d := org.Department{Name: req.Name, ShortName: req.ShortName, USCC: req.USCC, RegionCode: req.RegionCode, ParentID: req.ParentID}
	err := a.DB.Tx(r.Context(), func(tx *sqldb.Tx) error {
		return org.CreateDepartment(r.Context(), tx, auth.From(r.Context()).Actor, &d, a.Now())
	})
	if err != nil {
		return err
	}
	return JSON(w, http.StatusCreated, d)
}

func (a *API) getDepartment(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	d, err := org.DepartmentByID(r.Context(), a.DB.Read(), id)
	if err != nil {
		return err
	}
	writeETag(w, d.Tag())
	return JSON(w, http.StatusOK, d)
}

// departmentPut is the body of PUT /departments/{id}: the change it saves
// and, accepted and ignored as the catalog's PUT ignores them (entryPut),
// the fields the server sets in the department as GET answers it
// (readOnly in the OpenAPI document), so that a client may GET a
// department, edit it and PUT it back. Any other field is refused.
type departmentPut struct {
	org.DepartmentChange
	ID          json.RawMessage `json:"id"`
	IsOperator  json.RawMessage `json:"is_operator"`
	CreatedAt   json.RawMessage `json:"created_at"`
	Warnings    json.RawMessage `json:"warnings"`
	USCCInvalid json.RawMessage `json:"uscc_invalid"`
	Disabled    json.RawMessage `json:"disabled"`
}

// updateDepartment renames a department and changes its credit code
// (org.UpdateDepartment): the code is checked only when it changes, so
// that a department whose stored code fails the check can be renamed. An
// If-Match header makes the change conditional on the department's ETag
// (org.DepartmentChange.IfMatch, as the catalog's PUT), refusing one
// started from a department someone else has changed since
// (409 concurrent_update); the answer carries the new ETag.
func (a *API) updateDepartment(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var put departmentPut
	if err := Decode(r, &put); err != nil {
		return err
	}
	c := put.DepartmentChange
	c.IfMatch = ifMatch(r)
	var d org.Department
	err = a.DB.Tx(r.Context(), func(tx *sqldb.Tx) (err error) {
		d, err = org.UpdateDepartment(r.Context(), tx, auth.From(r.Context()).Actor, id, c, a.Now())
		return err
	})
	if err != nil {
		return err
	}
	writeETag(w, d.Tag())
	return JSON(w, http.StatusOK, d)
}

func (a *API) disableDepartment(w http.ResponseWriter, r *http.Request) error {
	return a.setDepartmentDisabled(w, r, true)
}

func (a *API) enableDepartment(w http.ResponseWriter, r *http.Request) error {
	return a.setDepartmentDisabled(w, r, false)
}

// setDepartmentDisabled disables a department with its accounts and apps,
// or re-enables the department alone (org.SetDepartmentDisabled), with no
// body: 200 with what was done and, in message, what it means in Chinese.
// An If-Match header makes it conditional on the department's ETag, as
// PUT; the answer carries the ETag. A disable refused by a rule
// (department_holds_entries, last_operator) leaves a denied row
// (org.AuditDisableRefusal), its answer unchanged.
func (a *API) setDepartmentDisabled(w http.ResponseWriter, r *http.Request, disabled bool) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var res org.DepartmentDisabling
	by := auth.From(r.Context()).Actor
	err = a.DB.Tx(r.Context(), func(tx *sqldb.Tx) (err error) {
		res, err = org.SetDepartmentDisabled(r.Context(), tx, by, id, disabled, ifMatch(r), a.Now())
		return err
	})
	if err != nil {
		if aerr := org.AuditDisableRefusal(r.Context(), a.DB, by, res.Department, err, a.Now()); aerr != nil {
			return aerr
		}
		return err
	}
	writeETag(w, res.Department.Tag())
	return JSON(w, http.StatusOK, res)
}

// departmentFilter is a list's department filter, department_id of v, 0
// for none: a value that is no non-negative integer is refused (400
// invalid_number), and one that names no department is not found (404
// department_not_found, 部门不存在, as GET /departments/{id} and the
// console's pages answer it), never answered with an empty list as if the
// department had nothing to list. Every list that filters by department
// reads it here.
func departmentFilter(ctx context.Context, q sqldb.Querier, v url.Values) (int64, error) {
	dept, err := optInt(v.Get("department_id"), "department_id")
	if err != nil || dept == 0 {
		return dept, err
	}
	if _, err := org.DepartmentByID(ctx, q, dept); err != nil {
		return 0, err
	}
	return dept, nil
}

// listedDepartment is the department whose accounts or apps (what) a list
// shows, from its department_id: the operator (scope admin) names any
// department, or none for all of them; anyone else lists its own
// department's and is refused another's, never answered with its own. A
// department_id that is no number or names no department is refused first
// (departmentFilter), for everyone.
func (a *API) listedDepartment(r *http.Request, what string) (int64, error) {
	dept, err := departmentFilter(r.Context(), a.DB.Read(), r.URL.Query())
	if err != nil {
		return 0, err
	}
	if caller := auth.From(r.Context()); !caller.Can("admin") {
		if dept != 0 {
			if err := readsDepartment(caller, dept, what); err != nil {
				return 0, err
			}
		}
		dept = caller.DepartmentID()
	}
	return dept, nil
}

// readsDepartment refuses p a read of department dept's what (账号, 应用)
// unless p is the operator (scope admin) or of dept: a department
// administrator reads its own department's, as its lists show them.
func readsDepartment(p *auth.Principal, dept int64, what string) error {
	if !p.Can("admin") && dept != p.DepartmentID() {
		return errs.E(errs.Forbidden, "forbidden", "只能查看本部门的"+what)
	}
	return nil
}

// listsUsers lets the operator (scope admin) list every department's
// accounts and a department administrator its own department's, which it
// manages.
func listsUsers(p *auth.Principal) error {
	return p.Administers("查看账号")
}

// managesUsers is the Allow of the routes that change an account (PATCH,
// disable, enable, password): the operator (scope admin) and department
// administrators manage accounts, which ones the handler checks
// (auth.Principal.ManageUser). Anyone else is refused before the body is
// read, a password hashed or the account looked up: 403 for an account
// that does not exist as for one that does, as GET answers.
func managesUsers(p *auth.Principal) error {
	return p.Administers("管理账号")
}

// managesApps is the Allow of the routes that change an app (rotate,
// revoke it or a key), as managesUsers is of those of accounts: the
// operator and department administrators manage apps, which ones the
// handler checks (auth.Principal.ManageApps). createApp checks it itself,
// once it knows the department the denied row aims at.
func managesApps(p *auth.Principal) error {
	return p.Administers("管理应用")
}

// listsApps lets the operator (scope admin) list every department's apps
// and a department administrator its own department's, which it manages.
func listsApps(p *auth.Principal) error {
	return p.Administers("查看应用")
}

func (a *API) listUsers(w http.ResponseWriter, r *http.Request) error {
	p, err := keysetParams(r, "users")
	if err != nil {
		return err
	}
	f := org.UserFilter{Limit: p.Limit, Now: a.Now()}
	if f.DepartmentID, err = a.listedDepartment(r, "账号"); err != nil {
		return err
	}
	if f.Q, err = org.Search("q", r.URL.Query().Get("q")); err != nil {
		return err
	}
	if f.Disabled, err = userStatus(r.URL.Query().Get("disabled")); err != nil {
		return err
	}
	if v := r.URL.Query().Get("role"); v != "" {
		if f.Role = org.Role(v); !f.Role.Valid() {
			return errs.Field("role", "invalid_role", "角色应为 operator、dept_admin、reviewer 或 auditor："+v)
		}
	}
	if f.After, err = p.afterID(); err != nil {
		return err
	}
	us, next, err := org.FindUsers(r.Context(), a.DB.Read(), f)
	if err != nil {
		return err
	}
	return JSON(w, http.StatusOK, p.items(us, idKey(next)))
}

// userStatus reads a list's disabled filter: true for the disabled
// accounts, false for the enabled ones, "" for both; anything else is
// refused (invalid_boolean).
func userStatus(v string) (*bool, error) {
	switch v {
	case "":
		return nil, nil
	case "true", "false":
		b := v == "true"
		return &b, nil
	}
	return nil, errs.Field("disabled", "invalid_boolean", "disabled 只能为 true 或 false："+v)
}

// updateUser changes an account's display name, role and department
// (org.UpdateUser), each when given: the operator any account, a
// department administrator one of its own department whose role it
// manages, and only to a role it manages within its own department
// (auth.Principal.ManageUser, before and after the change). A change of
// role or department ends the account's sessions. An If-Match header
// makes the change conditional on the account's ETag
// (org.UserChange.IfMatch), as a department's PUT: one started from an
// account someone else has changed since is refused (409
// concurrent_update); the answer carries the new ETag. Whether the
// caller manages the account as it is is checked before the body is
// read: one that may not is refused whatever it sends.
func (a *API) updateUser(w http.ResponseWriter, r *http.Request) error {
	if _, err := a.loadUser(r, a.DB.Read()); err != nil {
		return err
	}
	var c org.UserChange
	if err := Decode(r, &c); err != nil {
		return err
	}
	c.IfMatch = ifMatch(r)
	var u org.User
	err := a.DB.Tx(r.Context(), func(tx *sqldb.Tx) error {
		target, err := a.loadUser(r, tx)
		if err != nil {
			return err
		}
		if err := auth.From(r.Context()).ManageUser(c.Apply(target)); err != nil {
			return err
		}
		if u, err = org.UpdateUser(r.Context(), tx, auth.From(r.Context()).Actor, target.ID, c, a.Now()); err != nil {
			return err
		}
		return u.ReadLock(r.Context(), tx, a.Now())
	})
	if err != nil {
		return err
	}
	writeETag(w, u.Tag())
	return JSON(w, http.StatusOK, u)
}

type userRequest struct {
	Username     string   `json:"username"`
	DisplayName  string   `json:"display_name"`
	DepartmentID int64    `json:"department_id"`
	Role         org.Role `json:"role"`
	Password     string   `json:"password"`
}

// createsUsers lets the operator (scope admin) add accounts to any
// department and a department administrator to its own (createUser
// checks which).
func createsUsers(p *auth.Principal) error {
	return p.Administers("新增账号")
}

// createUser adds a staff account: the operator's to any department, a
// department administrator's to its own (department_id its own or left
// out) with a role whose accounts it manages (auth.Principal.ManageUser),
// as the console's form does.
func (a *API) createUser(w http.ResponseWriter, r *http.Request) error {
	req, err := userToCreate(r)
	if err != nil {
		return err
	}
	nu, err := org.NewUser{Username: req.Username, DisplayName: req.DisplayName, DepartmentID: req.DepartmentID,
		Role: req.Role, Password: req.Password}.Hash(r.Context())
	if err != nil {
		return err
	}
	var u org.User
	err = a.DB.Tx(r.Context(), func(tx *sqldb.Tx) (err error) {
		if u, err = org.CreateUser(r.Context(), tx, auth.From(r.Context()).Actor, nu, a.Now()); err != nil {
			return err
		}
		// Failed logins as the username, before it was an account's,
		// lock it out all the same.
		return u.ReadLock(r.Context(), tx, a.Now())
	})
	if err != nil {
		return err
	}
	return JSON(w, http.StatusCreated, u)
}

// userToCreate is the account r asks to create, its department the
// caller's own when it names none and the caller is no operator, once the
// caller is found to manage such accounts (auth.Principal.ManageUser):
// createUser's check, and its Recheck before a replay.
func userToCreate(r *http.Request) (userRequest, error) {
	var req userRequest
	if err := Decode(r, &req); err != nil {
		return req, err
	}
	p := auth.From(r.Context())
	if req.DepartmentID == 0 && !p.Can("admin") {
		req.DepartmentID = p.DepartmentID()
	}
	if err := p.ManageUser(org.User{DepartmentID: req.DepartmentID, Role: req.Role}); err != nil {
		aimAt(r, "department", strconv.FormatInt(req.DepartmentID, 10))
		return req, err
	}
	return req, nil
}

// checkRequest is the Recheck (Route) of a route whose check decodes its
// request: check's refusal, its request dropped.
func checkRequest[T any](check func(r *http.Request) (T, error)) func(r *http.Request) error {
	return func(r *http.Request) error {
		_, err := check(r)
		return err
	}
}

// loadUser reads the account in the path and checks that the caller may
// manage it.
func (a *API) loadUser(r *http.Request, q sqldb.Querier) (org.User, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return org.User{}, err
	}
	u, err := org.UserByID(r.Context(), q, id)
	if err != nil {
		return u, err
	}
	return u, auth.From(r.Context()).ManageUser(u)
}

// getUser serves an account to those who list it (listsUsers): the
// operator any, a department administrator its own department's,
// whatever its role, as the list shows them (readsDepartment), with its
// tag (org.User.Tag) as the ETag, for If-Match of PATCH, disable and
// enable.
func (a *API) getUser(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	u, err := org.UserByID(r.Context(), a.DB.Read(), id)
	if err != nil {
		return err
	}
	if err := readsDepartment(auth.From(r.Context()), u.DepartmentID, "账号"); err != nil {
		return err
	}
	if err := u.ReadLock(r.Context(), a.DB.Read(), a.Now()); err != nil {
		return err
	}
	writeETag(w, u.Tag())
	return JSON(w, http.StatusOK, u)
}

func (a *API) disableUser(w http.ResponseWriter, r *http.Request) error {
	return a.setDisabled(w, r, true)
}

func (a *API) enableUser(w http.ResponseWriter, r *http.Request) error {
	return a.setDisabled(w, r, false)
}

// setDisabled disables or enables the account in the path
// (org.SetDisabledIf) for those who manage it. An If-Match header makes
// it conditional on the account's ETag, as PATCH; the answer carries the
// ETag.
func (a *API) setDisabled(w http.ResponseWriter, r *http.Request, disabled bool) error {
	var u org.User
	err := a.DB.Tx(r.Context(), func(tx *sqldb.Tx) error {
		target, err := a.loadUser(r, tx)
		if err != nil {
			return err
		}
		if u, err = org.SetDisabledIf(r.Context(), tx, auth.From(r.Context()).Actor, target.ID, disabled, ifMatch(r), a.Now()); err != nil {
			return err
		}
		return u.ReadLock(r.Context(), tx, a.Now())
	})
	if err != nil {
		return err
	}
	writeETag(w, u.Tag())
	return JSON(w, http.StatusOK, u)
}

// hashNewPassword hashes a reset's new password (org.HashNewPassword): a
// variable, for the tests to count the hashes.
var hashNewPassword = org.HashNewPassword

type passwordRequest struct {
	Password string `json:"password"`
}

// resetPassword sets another account's password (org.SetPasswordIf) for
// those who manage it. An If-Match header makes it conditional on the
// account's ETag, as PATCH: a reset meant for the account as read is
// refused (409 concurrent_update) once it has been renamed, moved or
// disabled since; the answer carries the ETag, which the reset leaves.
// Whether the caller manages the account is checked before the body is
// read and the password hashed (a hash holds one of the process's few
// hash slots, which logins wait for), and again in the transaction.
func (a *API) resetPassword(w http.ResponseWriter, r *http.Request) error {
	if _, err := a.loadUser(r, a.DB.Read()); err != nil {
		return err
	}
	var req passwordRequest
	if err := Decode(r, &req); err != nil {
		return err
	}
	pw, err := hashNewPassword(r.Context(), req.Password)
	if err != nil {
		return err
	}
	var u org.User
	err = a.DB.Tx(r.Context(), func(tx *sqldb.Tx) error {
		target, err := a.loadUser(r, tx)
		if err != nil {
			return err
		}
		u, err = org.SetPasswordIf(r.Context(), tx, auth.From(r.Context()).Actor, target.ID, pw, ifMatch(r), a.Now())
		return err
	})
	if err != nil {
		return err
	}
	writeETag(w, u.Tag())
	w.WriteHeader(http.StatusNoContent)
	return nil
}

type changePasswordRequest struct {
	CurrentPassword string `json:"current_password"`
	Password        string `json:"password"`
}

func (a *API) changePassword(w http.ResponseWriter, r *http.Request) error {
	p := auth.From(r.Context())
	if p.Session == nil {
		return errs.E(errs.Invalid, "no_session", "API 密钥调用没有本人密码，请登录后修改")
	}
	var req changePasswordRequest
	if err := Decode(r, &req); err != nil {
		return err
	}
	err := org.ChangePassword(r.Context(), a.DB, *p.User, p.Session.Token, req.CurrentPassword, req.Password,
		p.Actor.RemoteAddr, a.Now())
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *API) listApps(w http.ResponseWriter, r *http.Request) error {
	dept, err := a.listedDepartment(r, "应用")
	if err != nil {
		return err
	}
	pg, err := keysetParams(r, "apps")
	if err != nil {
		return err
	}
	f := org.AppFilter{DepartmentID: dept, Limit: pg.Limit}
	if f.Q, err = org.Search("q", r.URL.Query().Get("q")); err != nil {
		return err
	}
	if f.After, err = pg.afterID(); err != nil {
		return err
	}
	as, next, err := org.FindApps(r.Context(), a.DB.Read(), f)
	if err != nil {
		return err
	}
	return JSON(w, http.StatusOK, pg.items(as, idKey(next)))
}

type appRequest struct {
	Name         string   `json:"name"`
	DepartmentID int64    `json:"department_id"`
	Scopes       []string `json:"scopes"`
	Description  string   `json:"description"`
}

// createApp adds an app to a department, the caller's own unless
// department_id names another, and answers its first key. A caller that
// manages no apps (managesApps) is refused whatever its body, as
// transferEntries refuses one, once the body has named the department
// the denied row aims at (the console's form aims so too).
func (a *API) createApp(w http.ResponseWriter, r *http.Request) error {
	req, err := appToCreate(r)
	if err != nil {
		return err
	}
	p := auth.From(r.Context())
	var app org.App
	var key string
	err = a.DB.Tx(r.Context(), func(tx *sqldb.Tx) (err error) {
		app, key, err = org.CreateApp(r.Context(), tx, p.Actor, org.NewApp(req), a.Now())
		return err
	})
	if err != nil {
		return err
	}
	return secretJSON(w, http.StatusCreated, map[string]any{"app": app, "api_key": key,
		"notice": "API 密钥只显示这一次，请妥善保存"},
		map[string]any{"app": app, "api_key_withheld": true, "notice": fmt.Sprintf(
			"重复请求：应用已由首次请求创建，API 密钥只在首次响应中显示，不再重放。如未保存密钥，请轮换密钥（POST /api/v1/apps/%d/rotate）", app.ID)})
}

// appToCreate is the app r asks to create, in the caller's department
// unless it names another, once the caller is found to manage that
// department's apps (auth.Principal.ManageApps) and to hold the scopes it
// grants (Grant): createApp's check, and its Recheck before a replay.
func appToCreate(r *http.Request) (appRequest, error) {
	var req appRequest
	derr := Decode(r, &req)
	p := auth.From(r.Context())
	if req.DepartmentID == 0 {
		req.DepartmentID = p.DepartmentID()
	}
	if derr == nil {
		aimAt(r, "department", strconv.FormatInt(req.DepartmentID, 10))
	}
	if err := managesApps(p); err != nil {
		return req, err
	}
	if derr != nil {
		return req, derr
	}
	if err := p.ManageApps(req.DepartmentID); err != nil {
		return req, err
	}
	return req, p.Grant(req.Scopes)
}

// loadApp reads an app and checks that the caller may manage it.
func (a *API) loadApp(r *http.Request, q sqldb.Querier) (org.App, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return org.App{}, err
	}
	app, err := org.AppByID(r.Context(), q, id)
	if err != nil {
		return app, err
	}
	return app, auth.From(r.Context()).ManageApps(app.DepartmentID)
}

// getApp serves an app to those who list it (listsApps): the operator
// any, a department administrator its own department's (readsDepartment).
func (a *API) getApp(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	app, err := org.AppByID(r.Context(), a.DB.Read(), id)
	if err != nil {
		return err
	}
	if err := readsDepartment(auth.From(r.Context()), app.DepartmentID, "应用"); err != nil {
		return err
	}
	writeETag(w, app.KeyTag())
	return JSON(w, http.StatusOK, app)
}

type rotateRequest struct {
	GraceHours *int `json:"grace_hours"`
}

// defaultGraceHours is the grace of the replaced key when a rotation does
// not say: a day, as the console's form offers, so that a rotation never
// cuts off deployed systems unless asked to (grace_hours 0).
const defaultGraceHours = 24

// rotateKey issues the app in the path a new key, the replaced one
// valid for grace_hours more. Whether the caller manages the app and may
// grant its scopes is checked before the body is read, and again in the
// transaction: one that may not is refused whatever it sends. An If-Match
// header names the keys it rotates (App.KeyTag, the ETag of GET
// /apps/{id} and of a rotation): a request retried once it has rotated
// (without Idempotency-Key) is refused (409 concurrent_update), nothing
// issued or revoked, the key the first answered still valid. The answer
// carries the new keys' ETag.
func (a *API) rotateKey(w http.ResponseWriter, r *http.Request) error {
	if err := a.mayRotate(r); err != nil {
		return err
	}
	var req rotateRequest
	if r.ContentLength != 0 {
		if err := Decode(r, &req); err != nil {
			return err
		}
	}
	grace := defaultGraceHours
	if req.GraceHours != nil {
		grace = *req.GraceHours
	}
	if grace < 0 || grace > 24*30 {
		return errs.Field("grace_hours", "invalid_grace", "旧密钥宽限期应在0到720小时之间")
	}
	var app org.App
	var k org.Key
	var secret string
	err := a.DB.Tx(r.Context(), func(tx *sqldb.Tx) (err error) {
		if app, err = a.rotated(r, tx); err != nil {
			return err
		}
		k, secret, err = org.RotateKeyIf(r.Context(), tx, auth.From(r.Context()).Actor, app.ID,
			ifMatch(r), time.Duration(grace)*time.Hour, a.Now())
		return err
	})
	if err != nil {
		return err
	}
	writeETag(w, k.ID)
	return secretJSON(w, http.StatusCreated, map[string]any{"key": k, "api_key": secret, "notice": "API 密钥只显示这一次，请妥善保存"},
		map[string]any{"key": k, "api_key_withheld": true, "notice": fmt.Sprintf(
			"重复请求：新密钥已由首次请求签发，只在首次响应中显示，不再重放。如未保存，请用新的 Idempotency-Key 再次轮换（POST /api/v1/apps/%d/rotate）", app.ID)})
}

// mayRotate checks, on a read connection, that the caller may rotate the
// key of the app in the path (rotated): rotateKey's check before it reads
// the body, and its Recheck before a replay.
func (a *API) mayRotate(r *http.Request) error {
	_, err := a.rotated(r, a.DB.Read())
	return err
}

// rotated reads the app whose key r rotates and checks that the caller
// may manage it and grant its scopes, which a new key carries.
func (a *API) rotated(r *http.Request, q sqldb.Querier) (org.App, error) {
	app, err := a.loadApp(r, q)
	if err != nil {
		return app, err
	}
	return app, auth.From(r.Context()).Grant(app.Scopes)
}

// revoked reads the app whose keys r revokes, all of them or one, and
// checks that the caller may manage it and revoke it
// (auth.Principal.RevokeApp), as rotated checks a rotation.
func (a *API) revoked(r *http.Request, q sqldb.Querier) (org.App, error) {
	app, err := a.loadApp(r, q)
	if err != nil {
		return app, err
	}
	return app, auth.From(r.Context()).RevokeApp(app)
}

func (a *API) revokeApp(w http.ResponseWriter, r *http.Request) error {
	err := a.DB.Tx(r.Context(), func(tx *sqldb.Tx) error {
		app, err := a.revoked(r, tx)
		if err != nil {
			return err
		}
		return org.RevokeApp(r.Context(), tx, auth.From(r.Context()).Actor, app.ID, a.Now())
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *API) revokeKey(w http.ResponseWriter, r *http.Request) error {
	err := a.DB.Tx(r.Context(), func(tx *sqldb.Tx) error {
		app, err := a.revoked(r, tx)
		if err != nil {
			return err
		}
		keyID := r.PathValue("key_id")
		if err := org.CheckKeyID(keyID); err != nil {
			return err
		}
		found := false
		for _, k := range app.Keys {
			found = found || k.ID == keyID
		}
		if !found {
			return errs.E(errs.NotFound, "key_not_found", "该应用没有此密钥："+keyID)
		}
		return org.RevokeKey(r.Context(), tx, auth.From(r.Context()).Actor, keyID, a.Now())
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// logRead is the Read of a route that reads the audit log with the
// query parameters params: the audit.read row naming the caller and the
// filter it gave (audit.LogReadEvent), its times as meant (audit.LogFilter).
func logRead(params []string) func(*http.Request) audit.Event {
	return func(r *http.Request) audit.Event {
		return audit.LogReadEvent(auth.From(r.Context()).Actor, audit.LogFilter(r.URL.Query()), params)
	}
}

// auditListParams are the query parameters of GET /api/v1/audit.
var auditListParams = []string{"action", "actor", "actor_id", "actor_kind", "subject_id", "department", "department_id",
	"outcome", "since", "until", "cursor", "limit"}

// listAudit lists the audit log with the filters of the console's audit
// page, read as it reads them (audit.ParseActions, Filter.Check), and the
// ids the console does not offer; a value it cannot read is refused (400)
// with the parameter it names. The read leaves an audit.read row
// (audit.LogReadEvent) before the rows are served: they are personal data.
func (a *API) listAudit(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := audit.Filter{ActorKind: q.Get("actor_kind"), Outcomes: audit.ParseOutcomes(q["outcome"]...)}
	var err error
	if f.Actions, err = audit.ParseActions("action", q["action"]...); err != nil {
		return err
	}
	if err := f.Check(); err != nil {
		return err
	}
	for name, dst := range map[string]*string{"subject_id": &f.SubjectID, "actor": &f.ActorName, "actor_id": &f.ActorID} {
		if *dst, err = org.Search(name, q.Get(name)); err != nil {
			return err
		}
	}
	f.SubjectForms = records.AuditSubjectForms(f.SubjectID)
	// A department_id is read as every list's (departmentFilter): one that
	// names no department is not found, not a department without rows;
	// departments are never deleted, so every department_id the log holds
	// names one.
	if f.DepartmentID, err = departmentFilter(r.Context(), a.DB.Read(), q); err != nil {
		return err
	}
	ref, err := org.Search("department", q.Get("department"))
	if err != nil {
		return err
	}
	if ref != "" {
		if f.DepartmentID != 0 {
			return errs.Field("department", "invalid_department", "department 与 department_id 只能给出其一")
		}
		if f.DepartmentID, err = a.auditDepartment(r, ref); err != nil {
			return err
		}
	}
	// The cursor is the seq below which to list, as next_cursor gives it:
	// 0 has none below it, and is refused as the keyset lists refuse it.
	if c := q.Get("cursor"); c != "" {
		if f.Before, err = cursorID(c); err != nil {
			return err
		}
	}
	limit, err := optInt(q.Get("limit"), "limit")
	if err != nil {
		return err
	}
	f.Limit = int(limit)
	if f.Since, f.Until, err = audit.ParseRange(text.QueryTime(q, "since"), text.QueryTime(q, "until")); err != nil {
		return err
	}
	entries, next, err := audit.List(r.Context(), a.DB.Read(), f)
	if err != nil {
		return err
	}
	if err := a.readAudit().Record(audit.LogReadEvent(auth.From(r.Context()).Actor, audit.LogFilter(q), auditListParams), a.Now()); err != nil {
		return err
	}
	out := map[string]any{"items": entries}
	if next != 0 {
		out["next_cursor"] = strconv.FormatInt(next, 10)
	}
	return JSON(w, http.StatusOK, out)
}

// auditDepartment resolves the audit filter's department as the console
// does (id, credit code, name or short name). None is not found (404
// department_not_found), as a department_id of no department is on every
// list (departmentFilter); several is the filter's error (400
// department_ambiguous), not the resource's.
func (a *API) auditDepartment(r *http.Request, ref string) (int64, error) {
	d, err := org.DepartmentByRef(r.Context(), a.DB.Read(), ref)
	if e := errs.As(err); e != nil && e.Kind == errs.Conflict {
		return 0, errs.Field("department", e.Code, e.Message)
	}
	return d.ID, err
}

// optInt reads a non-negative integer query parameter, 0 when absent. A
// page size (limit) beyond int64 reads as the largest, which its list
// clamps to its maximum as it clamps 1001: asking for more than a page
// holds is no error. Another parameter that large is refused as out of
// range, not as "not a non-negative integer"; both keep invalid_number.
func optInt(s, field string) (int64, error) {
	if s == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if errors.Is(err, strconv.ErrRange) && n > 0 {
		if field == "limit" {
			return n, nil
		}
		return 0, errs.Field(field, "invalid_number", fmt.Sprintf("%s 超出范围，应为不大于 %d 的非负整数", field, n))
	}
	if err != nil || n < 0 {
		return 0, errs.Field(field, "invalid_number", field+" 应为非负整数")
	}
	return n, nil
}

// verifyAudit walks the chain; ?anchor=SEQ:HASH, a head reported before,
// must still be in it; ?from=SEQ:HASH, the last head recorded, must be in
// it too, and only the rows after it are verified (audit.VerifyFrom). A
// verify of the whole log (or from an anchor far from the head) while
// another runs in this server is refused 429 audit_verify_running
// (audit.VerifyServed).
func (a *API) verifyAudit(w http.ResponseWriter, r *http.Request) error {
	var anchors []audit.Anchor
	if s := r.URL.Query().Get("anchor"); s != "" {
		an, err := audit.ParseAnchor(s)
		if err != nil {
			return err
		}
		anchors = append(anchors, an)
	}
	var from audit.Anchor
	if s := r.URL.Query().Get("from"); s != "" {
		var err error
		if from, err = audit.ParseAnchor(s); err != nil {
			return errs.Field("from", "invalid_anchor", errs.As(err).Message)
		}
	}
	rep, err := audit.VerifyServed(r.Context(), a.DB, from, anchors...)
	if err != nil {
		return err
	}
	return JSON(w, http.StatusOK, map[string]any{"from": rep.From, "rows": rep.Rows, "head": rep.Head, "head_hash": rep.HeadHash,
		"intact": rep.Problem == nil, "problem": rep.Problem})
}

func (a *API) checkIdent(w http.ResponseWriter, r *http.Request) error {
	lenient, err := queryBool(r, "lenient")
	if err != nil {
		return err
	}
	mode := ident.Strict
	if lenient {
		mode = ident.Lenient
	}
	res, err := ident.Validate(r.PathValue("value"), mode)
	out := map[string]any{"kind": res.Kind.String(), "kind_label": res.Kind.Label(), "input": res.Input,
		"valid": err == nil, "normalized": res.Normalized, "warnings": res.Warnings}
	if err != nil {
		e := errs.As(err)
		out["code"], out["reason"] = e.Code, e.Message
	}
	if res.Upgraded {
		out["upgraded"] = true
	}
	return JSON(w, http.StatusOK, out)
}

var dayKindCodes = map[calendar.Kind]string{calendar.Workday: "workday", calendar.Weekend: "weekend",
	calendar.Holiday: "holiday", calendar.AdjustedWorkday: "adjusted_workday"}

type dayJSON struct {
	Date string `json:"date"`
	Kind string `json:"kind"`
	Name string `json:"name,omitempty"`
}

func (a *API) calendarYear(w http.ResponseWriter, r *http.Request) error {
	year, err := calendar.ParseYear(r.PathValue("year"))
	if err != nil {
		return err
	}
	var days []dayJSON
	working := 0
	for d := time.Date(year, 1, 1, 12, 0, 0, 0, calendar.Location()); d.Year() == year; d = d.AddDate(0, 0, 1) {
		kind, name := a.Calendar.DayKind(d)
		if a.Calendar.IsWorkingDay(d) {
			working++
		}
		if kind == calendar.Holiday || kind == calendar.AdjustedWorkday {
			days = append(days, dayJSON{Date: d.Format("2006-01-02"), Kind: dayKindCodes[kind], Name: name})
		}
	}
	return JSON(w, http.StatusOK, map[string]any{"year": year, "covered": a.Calendar.Covers(year),
		"working_days": working, "special_days": days})
}

func (a *API) deadline(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	from := a.Now()
	if v := strings.TrimSpace(text.QueryTime(q, "from")); v != "" {
		t, err := calendar.ParseStart(v)
		if err != nil {
			return errs.Field("from", "invalid_time", "from 应为日期（2026-01-02）或 RFC 3339 时间")
		}
		from = t
	}
	days, err := strconv.Atoi(strings.TrimSpace(q.Get("days")))
	if err != nil || days < 0 || days > 3650 {
		return errs.Field("days", "invalid_days", "days 应为0到3650之间的整数（工作日）")
	}
	due := a.Calendar.AddWorkingDays(from, days)
	if !calendar.InRange(from, due) {
		return errs.Field("from", "invalid_time", "from 与到期日应在公元 0 至 9999 年之间")
	}
	return JSON(w, http.StatusOK, map[string]any{"from": from.In(calendar.Location()), "working_days": days,
		"due": due, "due_date": due.In(calendar.Location()).Format("2006-01-02"), "covered": a.Calendar.CoversSpan(from, due)})
}
