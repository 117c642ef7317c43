// Package auth finds out who is calling — a staff user with a session cookie
// or a system with a bearer API key — and carries that Principal through the
// request context. It also guards cookie-authenticated requests with a
// per-session CSRF token.
package auth

import (
	"context"
	"crypto/subtle"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"mime/multipart"
	"net"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
)

// SessionCookie names the staff session cookie.
const SessionCookie = "hutong_session"

// CSRFHeader carries the CSRF token on API calls made with a session cookie;
// HTML forms send it as the field CSRFField.
const (
	CSRFHeader = "X-CSRF-Token"
	CSRFField  = "csrf_token"
)

// Principal is the authenticated caller of a request.
type Principal struct {
	User      *org.User // set for staff sessions
	App       *org.App  // set for API keys
	KeyID     string
	Session   *org.Session
	Actor     audit.Actor
	viaCookie bool
}

// DepartmentID is the caller's department.
func (p *Principal) DepartmentID() int64 {
	if p.User != nil {
		return p.User.DepartmentID
	}
	return p.App.DepartmentID
}

// Platform reports whether the caller is of the platform operator's
// department (政务数据主管部门), which hosts the shared data.
func (p *Principal) Platform() bool {
	if p.User != nil {
		return p.User.Platform
	}
	return p.App.Platform
}

// HasRole reports whether a staff caller has one of the roles. Apps have no role.
func (p *Principal) HasRole(roles ...org.Role) bool {
	return p.User != nil && slices.Contains(roles, p.role())
}

// role is the staff caller's role, none ("") for a platform-wide role
// (operator, auditor) outside the platform operator's department: no
// version stores such an account, and one stored by hand is not trusted
// with the platform's powers.
func (p *Principal) role() org.Role {
	if p.User.Role.PlatformOnly() && !p.User.Platform {
		return ""
	}
	return p.User.Role
}

// ReviewsCatalog reports whether the caller reviews the catalog (approves,
// rejects, decides one-data-one-source conflicts): the platform operator,
// or a reviewer (审核员) of the platform operator's department. A reviewer
// of another department reviews nothing: it only reads its department's
// data. Apps review nothing.
func (p *Principal) ReviewsCatalog() bool {
	return p.HasRole(org.Operator) || (p.HasRole(org.Reviewer) && p.Platform())
}

// Can reports whether the caller may act within scope: apps by their scopes,
// staff by the scope's role mapping. A platform-wide scope
// (org.PlatformOnlyScope) is granted only to an app of the platform
// operator's department: no version stores it for another's, and one
// stored by hand is not trusted with the platform's powers, as role does
// for staff.
func (p *Principal) Can(scope string) bool {
	if p.App != nil {
		return p.App.HasScope(scope) && (p.App.Platform || !org.PlatformOnlyScope(scope))
	}
	return slices.Contains(scopeRoles[scope], p.role())
}

// scopeRoles says which staff roles hold which API scope.
var scopeRoles = map[string][]org.Role{
	"catalog.read":  org.Roles,
	"catalog.write": {org.Operator, org.DeptAdmin},
	"records.write": {org.DeptAdmin},
	"data.read":     {org.Operator, org.DeptAdmin, org.Reviewer},
	"audit.read":    {org.Operator, org.Auditor},
	"admin":         {org.Operator},
}

type ctxKey struct{}

// From returns the request's principal, or nil for anonymous requests.
func From(ctx context.Context) *Principal {
	p, _ := ctx.Value(ctxKey{}).(*Principal)
	return p
}

// refusedKey carries, in the context of a request that sent a session
// cookie SessionUser refused, the refusal.
type refusedKey struct{}

// SessionRefused is the refusal of the session cookie the request of ctx
// sent (session_invalid: expired, ended by a logout, a password change or
// an administrator, its account disabled, or unknown), nil when it sent
// none or one that authenticated it. The API answers it to a request that
// needs a caller, rather than saying that none was given; the console
// asks to log in, as it does without a cookie.
func SessionRefused(ctx context.Context) error {
	err, _ := ctx.Value(refusedKey{}).(error)
	return err
}

// With returns ctx carrying p.
func With(ctx context.Context, p *Principal) context.Context {
	return context.WithValue(ctx, ctxKey{}, p)
}

// RemoteAddr is the client's IP address without the port.
func RemoteAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// Authenticator resolves principals. Failures of presented credentials are
// audited as security events.
type Authenticator struct {
	DB  *sqldb.DB
	Log *slog.Logger
	Now func() time.Time
	// Monotonic is the clock the in-memory throttle of failed
	// authentication measures its windows by (throttleNow): time.Now,
	// whose monotonic reading a step of the wall clock (an NTP
	// correction, a VM resumed) does not move, where a stepped-back Now
	// throttled an address for the window plus the step. Now when nil,
	// so that tests moving Now move the throttle too; server.New sets it
	// when it runs on the real clock.
	Monotonic func() time.Time
	Secure    bool // mark cookies Secure (behind HTTPS)
	// Aim, when set, says whose data a request refused for its API key
	// aimed at, for its denied auth.key row: the router that knows which
	// of its routes' path values is a subject (api.API.Register sets it),
	// so that the row is found by the subject as a read's row is.
	Aim func(r *http.Request) KeyAim

	keys org.KeyCache
	// Failed keys and failed logins per client address, counted apart
	// (throttle.go).
	keyFailures, loginFailures failures
}

// KeyAim is whose data a request refused for its key aimed at: the
// subject as a read's audit row names it, and the purpose the request
// gave; either "" when none (or not one a read would take).
type KeyAim struct{ SubjectID, Purpose string }

// touchWait bounds how long a request waits to record its key's use: on
// SQLite the write goes through the one writer, which a batch may hold for
// minutes, and the use is worth a line in the key list, not a request.
const touchWait = 100 * time.Millisecond

// touch records the key's use, best effort: a use not recorded now is
// recorded by a later request.
func (a *Authenticator) touch(ctx context.Context, keyID string, now time.Time) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), touchWait)
	defer cancel()
	if err := org.TouchKey(ctx, a.DB.Write(), keyID, now); err != nil {
		a.Log.Debug("api key use not recorded", "key_id", keyID, "err", err)
	}
}

// Middleware attaches the principal, if any, to every request. A query
// Go would read in part, holding a semicolon or a malformed
// percent-escape, is refused first, before authentication (checkQuery). A presented but invalid credential is an error:
// bearer keys get 401 at once through fail, and count towards their
// address's limit of failed keys (throttle.go) — once it is reached, a
// failed key from the address is answered 429 and not audited, while a
// valid one passes; an invalid session cookie authenticates no one, its
// refusal kept for the API to answer (SessionRefused; the page asks to
// log in). A session's request that another site made is
// marked (markCrossSite). An authenticated request's writes check its
// credential again as they commit at the time a.Now reads then, a
// session's expiry at the request's arrival (audit.WithClock).
// An Authorization header of another scheme than Bearer is refused under
// /api/, where it can only be a client's mistaken credential, and ignored
// elsewhere: a console behind a reverse proxy doing HTTP Basic
// authentication receives the proxy's credentials with every request.
func (a *Authenticator) Middleware(fail func(http.ResponseWriter, *http.Request, error)) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if err := checkQuery(r); err != nil {
				fail(w, r, err)
				return
			}
			ctx := r.Context()
			now := a.Now()
			h := r.Header.Get("Authorization")
			// The scheme is read in any case (RFC 7235).
			scheme, token, ok := strings.Cut(h, " ")
			bearer := strings.EqualFold(scheme, "Bearer")
			// A login made by the request, whatever key it carries, is
			// refused while the address is throttled for failed logins,
			// and counted when refused (org.Login).
			ctx = org.WithAttempts(ctx, &loginAttempts{a: a, w: w, r: r})
			if h != "" && (bearer || strings.HasPrefix(r.URL.Path, "/api/")) {
				if !bearer || !ok {
					fail(w, r, errs.E(errs.Unauthenticated, "invalid_authorization", "Authorization 头应为 Bearer 加 API 密钥"))
					return
				}
				// The key's lookup, as the session's below, is bounded
				// (sqldb.Bounded): a database that does not answer fails
				// the request with 503 in bounded time.
				var app org.App
				var key org.Key
				var touch bool
				err := a.DB.Bounded(ctx, func(ctx context.Context) (err error) {
					app, key, touch, err = a.keys.Authenticate(ctx, a.DB.Read(), strings.TrimSpace(token), now)
					return err
				})
				if err != nil {
					if errs.Is(err, errs.Unauthenticated) {
						// Throttled for failed keys, the address's failed
						// keys write no more rows: the flood stops at the
						// limit, valid keys unaffected.
						if wait := a.keyFailures.throttled(clientKey(RemoteAddr(r)), a.throttleNow()); wait > 0 {
							fail(w, r, keysThrottled(w, wait))
							return
						}
						if aerr := errors.Join(a.auditKeyFailure(r, key.ID, org.KeyInactive(err), now), a.failed(ctx, r, keyFailures, now)); aerr != nil {
							fail(w, r, aerr)
							return
						}
					}
					fail(w, r, err)
					return
				}
				if touch {
					a.touch(ctx, key.ID, now)
				}
				p := &Principal{App: &app, KeyID: key.ID, Actor: org.KeyActor(app, key.ID, RemoteAddr(r))}
				next.ServeHTTP(w, r.WithContext(audit.WithClock(With(ctx, p), now, a.Now)))
				return
			}
			if c, err := r.Cookie(SessionCookie); err == nil && c.Value != "" {
				var s org.Session
				var u org.User
				err := a.DB.Bounded(ctx, func(ctx context.Context) (err error) {
					s, u, err = org.SessionUser(ctx, a.DB.Read(), c.Value, now)
					return err
				})
				if err == nil {
					p := &Principal{User: &u, Session: &s, Actor: org.SessionActor(u, s, RemoteAddr(r)), viaCookie: true}
					w = markCrossSite(w, r, p)
					ctx = audit.WithClock(With(ctx, p), now, a.Now)
				} else if errs.Is(err, errs.Unauthenticated) {
					ctx = context.WithValue(ctx, refusedKey{}, err)
				} else {
					fail(w, r, err)
					return
				}
			}
			if From(ctx) == nil {
				limitBodyTime(w, r)
			}
			next.ServeHTTP(w, r.WithContext(ctx))
		})
	}
}

// auditKeyFailure records a refused API key (of id keyID, "" when the
// token had none) as a security event: a denied auth.key row of an
// anonymous actor, with the request's path. A key whose secret was right
// but which cannot be used (inactive: revoked, expired, its app revoked)
// names its app as the actor's name and department, though the caller is
// not authenticated, so that the attempts made with an app's revoked or
// expired key are found under the app and its department. A wrong secret
// names no app: key ids are not secret (rows' actor_id, app lists), and
// anyone could otherwise write rows shown as a department's; the key id
// stays the row's object. The row's subject and purpose are those the
// request aimed at (Aim), so that who tried to read someone's data is
// found under that someone. No part of the secret is kept. The app is
// read before the write, not in its transaction, so that a flood of bad
// keys holds SQLite's one writer no longer than the row's insert.
func (a *Authenticator) auditKeyFailure(r *http.Request, keyID string, inactive bool, now time.Time) error {
	ctx := r.Context()
	ev := audit.Event{Actor: audit.Actor{Kind: audit.ActorAnonymous, ID: keyID, RemoteAddr: RemoteAddr(r)},
		Action: "auth.key", ObjectType: "app_key", ObjectID: keyID, Outcome: audit.Denied,
		Detail: audit.Detail("path", r.URL.Path)}
	if a.Aim != nil {
		aim := a.Aim(r)
		ev.SubjectID, ev.Purpose = aim.SubjectID, aim.Purpose
	}
	if inactive && keyID != "" {
		err := a.DB.Read().QueryRowContext(ctx, `SELECT a.name, a.department_id FROM app_keys k JOIN apps a ON a.id = k.app_id
			WHERE k.key_id = $1`, keyID).Scan(&ev.Actor.Name, &ev.Actor.DepartmentID)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("app of key: %w", err)
		}
	}
	return a.DB.Tx(ctx, func(tx *sqldb.Tx) error { return audit.Record(ctx, tx, ev, now) })
}

// CheckCSRF refuses unsafe requests authenticated by a session cookie that do
// not carry the session's CSRF token (header or form field). Bearer-key
// requests carry no ambient credentials and need no token.
func CheckCSRF(r *http.Request) error {
	p := From(r.Context())
	if p == nil || !p.viaCookie {
		return nil
	}
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return nil
	}
	token := r.Header.Get(CSRFHeader)
	if token == "" {
		// Read the form here, so that a body over the size limit or not
		// parseable is reported as such, not as a missing token.
		if err := ReadForm(r); err != nil {
			return err
		}
		token = r.PostForm.Get(CSRFField)
	}
	if subtle.ConstantTimeCompare([]byte(token), []byte(p.Session.CSRFToken)) != 1 {
		return errs.E(errs.Forbidden, "csrf_failed", "请求校验失败（CSRF），请刷新页面后重试")
	}
	return nil
}

// ReadForm parses r's form, URL-encoded or multipart (up to 32 MiB in
// memory, the rest in temporary files, for RemoveForm to remove), and
// reports its failure as FormError does, so that a body over the size
// limit or not a form is not read as an empty form.
func ReadForm(r *http.Request) error {
	err := r.ParseForm()
	if err == nil {
		if err = r.ParseMultipartForm(32 << 20); errors.Is(err, http.ErrNotMultipart) {
			err = nil
		}
	}
	return FormError(err, "表单格式错误，无法读取提交的内容")
}

// FormError is err, the failure to read a request's form, as its caller is
// told it: a body over the size limit (body_too_large); a full temporary
// directory, where a multipart form's files are spilled, as the server's
// temporary condition it is (errs.TempSpace: 503 temp_space_full); else a
// form that could not be read (bad_form, saying msg). It is nil when err
// is.
func FormError(err error, msg string) error {
	var mbe *http.MaxBytesError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &mbe) || errors.Is(err, multipart.ErrMessageTooLarge):
		return errs.Wrap(errs.TooLarge, "body_too_large", "提交内容过大", err)
	case errs.IsTempSpace(err):
		return errs.TempSpace(err)
	}
	return errs.Wrap(errs.Invalid, "bad_form", msg, err)
}

// RemoveForm removes the temporary files of each request's multipart form,
// if it has one. Whoever hands a handler r calls it once the handler is
// done: net/http removes those of the request it made only, not those of a
// copy (WithContext, http.MaxBytesHandler) that parsed the form.
func RemoveForm(rs ...*http.Request) {
	for _, r := range rs {
		if r.MultipartForm != nil {
			r.MultipartForm.RemoveAll()
		}
	}
}

// SetSessionCookie sets the session cookie after a login.
func (a *Authenticator) SetSessionCookie(w http.ResponseWriter, s org.Session) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: s.Token, Path: "/", Expires: s.ExpiresAt,
		HttpOnly: true, Secure: a.Secure, SameSite: http.SameSiteLaxMode})
}

// ClearSessionCookie removes the session cookie.
func (a *Authenticator) ClearSessionCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: a.Secure, SameSite: http.SameSiteLaxMode})
}

// LongRequest is how long an authenticated upload (a catalog workbook, a
// batch of records) may take to arrive and be answered: the server's read
// and write timeouts, a few minutes, suit every other request, and keep
// anonymous clients from holding connections open.
const LongRequest = 30 * time.Minute

// ExtendDeadlines gives an authenticated request LongRequest, from now, to
// be read and answered. It must run before the body is read; requests
// without a principal keep the server's timeouts.
func ExtendDeadlines(w http.ResponseWriter, r *http.Request) error {
	if From(r.Context()) == nil {
		return nil
	}
	rc := http.NewResponseController(w)
	deadline := time.Now().Add(LongRequest)
	err := errors.Join(rc.SetReadDeadline(deadline), rc.SetWriteDeadline(deadline))
	if errors.Is(err, http.ErrNotSupported) {
		return nil
	}
	return err
}

// MissingScope is the refusal of a caller without scope: an app key,
// told the scope its app lacks by name and label.
func MissingScope(scope string) error {
	return errs.E(errs.Forbidden, "forbidden", "无权执行此操作（需要权限 "+scope+"："+org.Scopes[scope]+"）")
}

// Administers reports whether p manages accounts and apps at all: the
// operator (or an app with scope admin) and department administrators do.
// An app without scope admin is told the scope (MissingScope), other staff
// (reviewers, auditors) the roles that may do what (查看应用, 管理账号 …),
// whichever department they aim at.
func (p *Principal) Administers(what string) error {
	switch {
	case p.Can("admin") || p.HasRole(org.DeptAdmin):
		return nil
	case p.App != nil:
		return MissingScope("admin")
	}
	return errs.E(errs.Forbidden, "forbidden", "只有平台管理员和部门管理员可以"+what)
}

// ManageApps reports whether p may manage the API apps of a department:
// the operator (or an app with scope admin) any department's, a
// department administrator its own; others none (Administers).
func (p *Principal) ManageApps(departmentID int64) error {
	if err := p.Administers("管理应用"); err != nil {
		return err
	}
	if p.Can("admin") || p.DepartmentID() == departmentID {
		return nil
	}
	return errs.E(errs.Forbidden, "forbidden", "只能管理本部门的应用")
}

// RevokeApp reports whether p may revoke the app a or one of its keys:
// manage its department's apps (ManageApps) and hold every scope it
// holds, as Grant asks of its creation and rotation, or a department
// administrator of the platform operator's department would cut off the
// operator's apps holding audit.read or admin, which it may not make (as
// ManageUser keeps it from the accounts of such roles).
func (p *Principal) RevokeApp(a org.App) error {
	if err := p.ManageApps(a.DepartmentID); err != nil || p.Can("admin") {
		return err
	}
	for _, s := range a.Scopes {
		if !p.Can(s) {
			return errs.E(errs.Forbidden, "scope_not_manageable", "不能注销持有本人没有的权限范围（"+org.Scopes[s]+"，"+s+
				"）的应用或其密钥，请联系平台管理员")
		}
	}
	return nil
}

// ManageUser reports whether p may disable, enable or reset the password
// of the staff account u: the operator (or an app with scope admin) any
// account; a department administrator the accounts of its own department
// whose role holds no scope the administrator lacks — other administrators
// and reviewers, not an operator's account nor an auditor's, who audits
// the administrator (as Grant keeps an app from holding more than its
// maker), nor in the platform operator's department a reviewer, who
// reviews the catalog (ReviewsCatalog), a power no scope names: with its
// password the administrator would approve its own department's entries.
// Others none (Administers). Whether p may do it to its own account is the
// action's rule.
func (p *Principal) ManageUser(u org.User) error {
	if err := p.Administers("管理账号"); err != nil {
		return err
	}
	if p.Can("admin") {
		return nil
	}
	if p.DepartmentID() != u.DepartmentID {
		return errs.E(errs.Forbidden, "forbidden", "只能管理本部门的账号")
	}
	for scope, roles := range scopeRoles {
		if slices.Contains(roles, u.Role) && !p.Can(scope) {
			return errs.E(errs.Forbidden, "role_not_manageable", "部门管理员不能管理"+u.Role.Label()+"的账号，请联系平台管理员")
		}
	}
	if u.Role == org.Reviewer && p.Platform() {
		return errs.E(errs.Forbidden, "role_not_manageable", "部门管理员不能管理平台审核员的账号（审核员审核数据资源目录），请联系平台管理员")
	}
	return nil
}

// AuditRefusal records, in a transaction of its own, that p was refused
// an administrative action (err, a Forbidden error): a denied row of
// action on the object aimed at, with the refusal's code as reason, as a
// refused read of data is recorded. Attempts to gain power — a scope p
// may not grant, an account it may not manage — leave a trace though
// nothing changed. It returns err, or the audit's own error when the row
// cannot be written; errors of other kinds are returned as they are. The
// refused action's transaction must have ended, and ctx must not carry it
// (sqldb.WithTx): the row would roll back with it, and on SQLite it needs
// the one writer.
func AuditRefusal(ctx context.Context, db *sqldb.DB, p *Principal, now time.Time, action, objectType, objectID string, err error) error {
	e := errs.As(err)
	if p == nil || e == nil || e.Kind != errs.Forbidden {
		return err
	}
	ev := audit.Event{Actor: p.Actor, Action: action, ObjectType: objectType, ObjectID: objectID,
		Detail: audit.Detail("reason", e.Code)}
	if aerr := audit.RecordDenied(ctx, db, ev, now); aerr != nil {
		return aerr
	}
	return err
}

// DeniedRead is ev, the row a read of personal data leaves (an
// audit.read of the audit log, audit.LogReadEvent), as the row of the
// read refused to its caller by err (a Forbidden error): denied, with the
// refusal's code as the reason beside ev's detail, as a refused read of
// records is recorded (records.DeniedEvent). A caller refused the audit
// log leaves a trace of whom it asked about, as one refused a record does.
func DeniedRead(ev audit.Event, err error) audit.Event {
	detail := map[string]string{}
	if ev.Detail != "" {
		if jerr := json.Unmarshal([]byte(ev.Detail), &detail); jerr != nil {
			detail = map[string]string{"detail": ev.Detail}
		}
	}
	detail["reason"] = errs.As(err).Code
	kv := make([]string, 0, 2*len(detail))
	for k, v := range detail {
		kv = append(kv, k, v)
	}
	ev.Outcome, ev.Detail = audit.Denied, audit.Detail(kv...)
	return ev
}

// Grant reports whether p may hand out scopes, in a new app or a new key
// of an app: the operator (scope admin, who manages accounts anyway) any,
// others only scopes they hold themselves, or a department administrator
// could give itself the operator's powers through a key.
func (p *Principal) Grant(scopes []string) error {
	if p.Can("admin") {
		return nil
	}
	parsed, err := org.ParseScopes(scopes)
	if err != nil {
		return nil // not scopes at all: org.CreateApp refuses them with this error
	}
	for _, s := range parsed {
		if !p.Can(s) {
			e := errs.E(errs.Forbidden, "scope_not_grantable", "不能授予本人没有的权限范围："+org.Scopes[s]+"（"+s+"）")
			e.Field = "scopes"
			return e
		}
	}
	return nil
}

// ReadRecords reports whether p may read the records of a catalog entry
// whose source department is provider and whose share type (as the
// catalog spells it) is share: with scope data.read (or, in the source
// department, records.write). Data not shared (none, or a share type it
// does not know) is read only by the source department. Until share
// requests exist, data shared on conditions is read by the source
// department and the platform operator's department, which hosts the data
// and coordinates disputes — any other department needs the source
// department's consent — and data shared unconditionally by any
// department.
func (p *Principal) ReadRecords(provider int64, share string) error {
	switch {
	case p.DepartmentID() == provider && (p.Can("data.read") || p.Can("records.write")):
		return nil
	case !p.Can("data.read"):
		return errs.E(errs.Forbidden, "forbidden", "无权读取该目录的数据（需要数源部门或数据查询权限）")
	case share == "unconditional":
		return nil
	case share == "conditional" && p.Platform():
		return nil
	case share == "conditional":
		return errs.E(errs.Forbidden, "share_consent_required", "该目录为有条件共享，须经数源部门审核同意后方可读取")
	}
	return errs.E(errs.Forbidden, "not_shared", "该目录不予共享，只有数源部门可以读取")
}

// ReadBatches refuses a caller who may neither push records
// (records.write) nor read them (data.read) the warnings of a batch: they
// name each operation warned of (its key, its subject masked) and the
// item that disagrees with its subject's citizen ID, data of the records
// pushed that the same caller could not read as a record. Whose batches a
// caller so entitled opens is the department's rule (its own; every
// department's for the platform operator).
func (p *Principal) ReadBatches() error {
	if p.Can("records.write") || p.Can("data.read") {
		return nil
	}
	return errs.E(errs.Forbidden, "forbidden", "无权查看归集批次的明细（需要权限 records.write："+org.Scopes["records.write"]+
		"，或 data.read："+org.Scopes["data.read"]+"）")
}
