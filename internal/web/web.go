// Package web serves Hutong's staff console: server-rendered HTML pages
// (html/template, zh-CN) with a little htmx, embedded in the binary.
//
// Handlers are methods of Web that return an error; one adapter (console,
// admin or public) checks the session, the CSRF token and the role first,
// and turns a returned error into a Chinese error page, logging internal
// errors once; admin also audits a refusal of an administrative action.
// Forms that change state are POSTs that redirect (POST-redirect-GET), with
// one exception: a newly issued API key is rendered in the POST response
// itself (Cache-Control: no-store), because redirecting would mean keeping
// the secret somewhere between the two requests.
//
// Templates and static files are parsed once from the embedded copies; with
// Config.Dev they are read again from internal/web/{templates,static}
// (relative to the working directory) on every request, so that edits show
// without a rebuild.
package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path"
	"strings"
	"time"

	"github.com/hutong-gov/hutong/internal/allow"
	"github.com/hutong-gov/hutong/internal/auth"
	"github.com/hutong-gov/hutong/internal/calendar"
	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/ident"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/reqlog"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/text"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// DevDir is where Dev mode reads templates and static files from, relative
// to the working directory (the repository root).
const DevDir = "internal/web"

// PlatformName is shown in every page header and title.
const PlatformName = "互通 · 政务数据共享互认平台"

// Body limits of the console's requests, chosen by route (see Register),
// never by the request's Content-Type: a form is small; an upload (a
// catalog workbook, a batch of records) may be large but is still bounded.
const (
	MaxFormBody   = 1 << 20
	MaxUploadBody = 256 << 20
	// MaxEntryFormBody bounds the form of a catalog entry (POST
	// /catalog/new and /catalog/{id}/edit), so that any entry the catalog
	// accepts can be saved from its edit form: the largest, every text,
	// name and count at its limit (catalog.MaxItems data items with
	// descriptions of catalog.MaxText characters, about 1.08 million
	// characters), is 12 MiB urlencoded with every character at its
	// dearest (a character outside the Basic Multilingual Plane, four
	// bytes of UTF-8, is twelve; a CJK one nine), where MaxFormBody
	// refused such an entry of CJK text, 9 MiB (TestMaximalEntryFormSaved).
	// The form is read whole into memory, as every form is.
	MaxEntryFormBody = 16 << 20
)

// Config is what New needs.
type Config struct {
	DB       *sqldb.DB
	Log      *slog.Logger
	Now      func() time.Time // defaults to time.Now
	Auth     *auth.Authenticator
	Calendar *calendar.Calendar // defaults to calendar.Default()
	// Dev re-reads templates and static files from disk on every request.
	Dev bool
}

// Web is the staff console.
type Web struct {
	cfg Config

	// Parsed once at New, unless Dev.
	pages   map[string]*template.Template
	static  fs.FS
	version map[string]string // static file name → short content hash

	// routes is the mux Register added the console's routes to: whether
	// a path is a page (isPage).
	routes *http.ServeMux

	// forms holds what the create forms made, for their repeats.
	forms createForms
}

// New parses the embedded templates and returns the console.
func New(cfg Config) (*Web, error) {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.Calendar == nil {
		cfg.Calendar = calendar.Default()
	}
	if cfg.DB == nil || cfg.Auth == nil {
		return nil, errors.New("web: Config.DB and Config.Auth are required")
	}
	w := &Web{cfg: cfg}
	tfs, sfs := w.sources()
	var err error
	if w.static, w.version, err = loadStatic(sfs); err != nil {
		return nil, err
	}
	if w.pages, err = w.parse(tfs, w.version); err != nil {
		return nil, err
	}
	return w, nil
}

// sources returns the template and static file systems: embedded, or the
// directories on disk in Dev mode.
func (w *Web) sources() (templates, static fs.FS) {
	if w.cfg.Dev {
		return os.DirFS(DevDir), os.DirFS(path.Join(DevDir, "static"))
	}
	sub, err := fs.Sub(staticFS, "static")
	if err != nil {
		panic(err) // the embedded directory exists
	}
	return templateFS, sub
}

// loadStatic hashes every static file, for cache-busting URLs.
func loadStatic(fsys fs.FS) (fs.FS, map[string]string, error) {
	version := make(map[string]string)
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		version[p] = hex.EncodeToString(sum[:5])
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("web: static files: %w", err)
	}
	return fsys, version, nil
}

// parse builds one template set per page: the layout in base.html plus the
// page's own file, which defines "content" (and "fragment" for htmx).
func (w *Web) parse(fsys fs.FS, version map[string]string) (map[string]*template.Template, error) {
	names, err := fs.Glob(fsys, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("web: templates: %w", err)
	}
	pages := make(map[string]*template.Template)
	for _, n := range names {
		name := strings.TrimSuffix(path.Base(n), ".html")
		if name == "base" {
			continue
		}
		t, err := template.New(name).Funcs(funcs(version)).ParseFS(fsys, "templates/base.html", n)
		if err != nil {
			return nil, fmt.Errorf("web: parse %s: %w", n, err)
		}
		pages[name] = t
	}
	if len(pages) == 0 {
		return nil, errors.New("web: no page templates found")
	}
	return pages, nil
}

// templates returns the page templates, re-read from disk in Dev mode.
func (w *Web) templates() (map[string]*template.Template, fs.FS, map[string]string, error) {
	if !w.cfg.Dev {
		return w.pages, w.static, w.version, nil
	}
	tfs, sfs := w.sources()
	static, version, err := loadStatic(sfs)
	if err != nil {
		return nil, nil, nil, err
	}
	pages, err := w.parse(tfs, version)
	if err != nil {
		return nil, nil, nil, err
	}
	return pages, static, version, nil
}

// Register adds the console's routes to mux. Routes of other areas go
// beside these, and their navigation entries into nav (nav.go). Each route
// bounds its own request body: an upload route (upload) to MaxUploadBody,
// a catalog entry's form (entryForm) to MaxEntryFormBody, every other one
// (handle) to MaxFormBody; and has its work detached from its connection
// once its form is read whole (detachable). An entry's form is bounded
// inside detachable, so that the body its form is parsed from is the
// limit's own reader: net/http cuts any other at 10 MiB.
func (w *Web) Register(mux *http.ServeMux) {
	w.routes = mux
	handle := func(pattern string, h http.Handler) {
		mux.Handle(pattern, http.MaxBytesHandler(detachable(h), MaxFormBody))
	}
	entryForm := func(pattern string, h http.Handler) {
		mux.Handle(pattern, detachable(http.MaxBytesHandler(h, MaxEntryFormBody)))
	}
	upload := func(pattern string, h http.Handler) { mux.Handle(pattern, w.longUpload(detachable(h))) }

	handle("GET /static/", http.StripPrefix("/static/", http.HandlerFunc(w.serveStatic)))

	handle("GET /login", w.public(w.loginPage))
	handle("POST /login", w.public(w.login))
	handle("POST /logout", w.public(w.logout))

	handle("GET /{$}", w.console(rolesAll, w.home))
	handle("GET /org", w.console(rolesOrg, w.orgPage))
	handle("GET /org/departments/new", w.console(rolesOrg, w.newDepartmentPage))
	handle("POST /org/departments/new", w.admin(rolesOrg, "department.create", "department", w.createDepartment))
	handle("GET /org/departments/{id}/edit", w.console(rolesOrg, w.editDepartmentPage))
	handle("POST /org/departments/{id}/edit", w.admin(rolesOrg, "department.update", "department", w.updateDepartment))
	handle("POST /org/departments/{id}/disable", w.admin(rolesOrg, "department.disable", "department", w.disableDepartment))
	handle("POST /org/departments/{id}/enable", w.admin(rolesOrg, "department.enable", "department", w.enableDepartment))
	handle("GET /org/departments/{id}/transfer", w.console(rolesOrg, w.transferPage))
	handle("POST /org/departments/{id}/transfer", w.admin(rolesOrg, "catalog.transfer", "department", w.transferEntries))
	handle("GET /org/users", w.console(rolesUsers, w.usersPage))
	handle("GET /org/users/new", w.console(rolesUsers, w.newUserPage))
	handle("POST /org/users/new", w.admin(rolesUsers, "user.create", "user", w.createUser))
	handle("GET /org/users/{id}", w.console(rolesUsers, w.userPage))
	handle("POST /org/users/{id}/disable", w.admin(rolesUsers, "user.disable", "user", w.disableUser))
	handle("POST /org/users/{id}/enable", w.admin(rolesUsers, "user.enable", "user", w.enableUser))
	handle("POST /org/users/{id}/password", w.admin(rolesUsers, "user.password", "user", w.resetPassword))
	handle("POST /org/users/{id}/edit", w.admin(rolesUsers, "user.update", "user", w.editUser))
	handle("GET "+passwordPath, w.console(rolesAll, w.passwordPage))
	handle("POST "+passwordPath, w.console(rolesAll, w.changePassword))
	handle("GET /apps", w.console(rolesApps, w.appsPage))
	handle("POST /apps", w.admin(rolesApps, "app.create", "app", w.createApp))
	handle("GET /apps/departments", w.console(rolesApps, w.departmentChoices))
	handle("POST /apps/{id}/rotate", w.admin(rolesApps, "app.key.rotate", "app", w.rotateKey))
	handle("POST /apps/{id}/revoke", w.admin(rolesApps, "app.revoke", "app", w.revokeApp))
	handle("POST /apps/{id}/keys/{key}/revoke", w.admin(rolesApps, "app.key.revoke", "app", w.revokeKey))
	handle("GET /audit", w.staff(rolesAudit, w.logReadRefused(auditPageQuery), w.auditPage))
	handle("GET /audit/verify", w.console(rolesAudit, w.verifyAudit)) // hashes only: not audited, refused or not
	handle("GET /calendar", w.console(rolesAll, w.calendarPage))

	handle("GET /catalog", w.console(rolesCatalog, w.catalogPage))
	handle("GET /catalog/new", w.console(rolesCatalogWrite, w.newEntryPage))
	entryForm("POST /catalog/new", w.console(rolesCatalogWrite, w.createEntry))
	handle("GET /catalog/item-row", w.console(rolesCatalogWrite, w.itemRowFragment))
	handle("GET /catalog/import", w.console(rolesCatalogWrite, w.importPage))
	upload("POST /catalog/import", w.console(rolesCatalogWrite, w.importCatalog))
	handle("GET /catalog/import-mappings", w.console(rolesCatalogWrite, w.mappingsPage))
	handle("POST /catalog/import-mappings", w.console(rolesCatalogWrite, w.saveMapping))
	handle("GET /catalog/import-mappings/new", w.console(rolesCatalogWrite, w.newMappingPage))
	upload("POST /catalog/import-mappings/new", w.console(rolesCatalogWrite, w.mappingFromFile))
	handle("GET /catalog/import-mappings/edit", w.console(rolesCatalogWrite, w.editMappingPage))
	handle("GET /catalog/export", w.console(rolesCatalog, w.exportCatalog))
	handle("GET /catalog/security-levels", w.console(rolesCatalog, w.securityLevelsPage))
	handle("POST /catalog/security-levels", w.console(rolesOrg, w.setSecurityLevel))
	handle("GET /catalog/{id}", w.console(rolesCatalog, w.catalogEntryPage))
	handle("GET /catalog/{id}/edit", w.console(rolesCatalogWrite, w.editEntryPage))
	entryForm("POST /catalog/{id}/edit", w.console(rolesCatalogWrite, w.updateEntry))
	handle("POST /catalog/{id}/submit", w.console(rolesCatalogWrite, w.submitEntry))
	handle("POST /catalog/{id}/approve", w.review("catalog.approve", w.approveEntry))
	handle("POST /catalog/{id}/reject", w.review("catalog.reject", w.rejectEntry))
	handle("POST /catalog/{id}/retire", w.console(rolesCatalogWrite, w.retireEntry))
	handle("POST /catalog/{id}/retire/approve", w.review("catalog.retire.approve", w.approveRetire))
	handle("POST /catalog/{id}/retire/reject", w.review("catalog.retire.reject", w.rejectRetire))
	handle("POST /catalog/{id}/retire/withdraw", w.console(rolesCatalogWrite, w.withdrawRetire))
	handle("POST /catalog/{id}/delete", w.console(rolesCatalogWrite, w.deleteEntry))
	handle("POST /catalog/{id}/revision/discard", w.console(rolesCatalogWrite, w.discardRevision))
	handle("POST /catalog/{id}/conflicts/{conflict}", w.review("catalog.source.decide", w.decideConflict))
	handle("GET /catalog/{id}/versions/{n}/diff", w.console(rolesCatalog, w.catalogDiffPage))
	handle("GET /records", w.console(rolesRecordsOverview, w.recordsPage))
	handle("GET /records/departments/{id}", w.console(rolesRecordsOverview, w.recordsPage))
	handle("GET /records/lookup", w.staff(rolesRecords, w.readRefused(w.lookupDenied), w.lookupRecord))
	handle("GET /records/upload", w.console(rolesRecordsPush, w.uploadPage))
	handle("GET /records/entries", w.console(rolesRecords, w.entryChoices))
	handle("GET /records/batches", w.console(rolesRecordsOverview, w.batchesPage))
	upload("POST /records/upload", w.admin(rolesRecordsPush, "records.batch", "catalog_entry", w.uploadRecords))
	handle("GET /records/discrepancies", w.staff(rolesRecords, w.readRefused(discrepanciesDenied), w.discrepanciesPage))
	handle("POST /records/discrepancies/{id}/feedback", w.admin(rolesRecordsWrite, "records.discrepancy.feedback", "record_discrepancy", w.discrepancyFeedback))
	handle("POST /records/discrepancies/{id}/resolve", w.admin(rolesRecordsWrite, "records.discrepancy.resolve", "record_discrepancy", w.resolveDiscrepancy))
	handle("GET /records/entries/{id}/subjects/{subject}", w.staff(rolesRecords, w.readRefused(w.recordDenied), w.recordPage))
	// /public, as people shorten the catalog's address, is the catalog.
	publicHome := w.public(func(rw http.ResponseWriter, r *http.Request) error {
		target := "/public/catalog"
		if r.URL.RawQuery != "" {
			target += "?" + r.URL.RawQuery
		}
		return redirect(rw, r, target)
	})
	handle("GET /public", publicHome)
	handle("GET /public/{$}", publicHome)
	handle("GET /public/catalog", w.public(w.publicCatalogPage))
	handle("GET /public/catalog/{code...}", w.public(w.publicEntryPage))

	// Anything else that no other handler claims is a method a path routed
	// for others does not take (a console page's, or the server's
	// /healthz): 405, before public's CSRF check, as nothing runs; or a
	// page that does not exist.
	notFound := w.public(func(rw http.ResponseWriter, r *http.Request) error {
		return errs.E(errs.NotFound, "page_not_found", "页面不存在："+r.URL.Path)
	})
	handle("/", http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if methods := allow.Methods(mux, r); len(methods) > 0 {
			w.methodNotAllowed(rw, r, methods)
			return
		}
		notFound.ServeHTTP(rw, r)
	}))
}

// methodNotAllowed answers r, of a method its path is not routed for,
// 405 on an error page, its Allow header listing the methods the path is
// routed for (methods), as the API answers.
func (w *Web) methodNotAllowed(rw http.ResponseWriter, r *http.Request, methods []string) {
	rw.Header().Set("Allow", strings.Join(methods, ", "))
	e := errs.E(errs.Invalid, "method_not_allowed",
		"页面 "+r.URL.Path+" 不支持 "+r.Method+" 请求，可用："+strings.Join(methods, "、"))
	w.showTitled(rw, r, http.StatusMethodNotAllowed, "不支持的请求方法", e)
}

func (w *Web) serveStatic(rw http.ResponseWriter, r *http.Request) {
	_, static, version, err := w.templates()
	if err != nil {
		w.renderError(rw, r, err)
		return
	}
	name := r.URL.Path
	if fi, err := fs.Stat(static, name); !fs.ValidPath(name) || err != nil || fi.IsDir() {
		w.renderError(rw, r, errs.E(errs.NotFound, "not_found", "文件不存在：/static/"+name))
		return
	}
	switch {
	case w.cfg.Dev:
		rw.Header().Set("Cache-Control", "no-cache")
	case r.URL.Query().Get("v") != "" && r.URL.Query().Get("v") == version[r.URL.Path]:
		// Versioned URLs (see the static template function) never change.
		rw.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	default:
		rw.Header().Set("Cache-Control", "public, max-age=3600")
	}
	rw.Header().Set("X-Content-Type-Options", "nosniff")
	http.ServeFileFS(rw, r, static, name)
}

// longUpload serves an upload route: its body may hold up to
// MaxUploadBody, and a logged-in user's upload gets auth.LongRequest to
// arrive and be answered (a large file on a slow line, then thousands of
// rows stored while the page shows progress). Both are set, and the time
// the request arrived is taken (arrivedAt), before anything reads the
// body (the CSRF check reads the form).
func (w *Web) longUpload(next http.Handler) http.Handler {
	next = http.MaxBytesHandler(next, MaxUploadBody)
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		r = r.WithContext(context.WithValue(r.Context(), arrivedKey{}, w.cfg.Now()))
		if err := auth.ExtendDeadlines(rw, r); err != nil {
			w.cfg.Log.Warn("extend upload deadlines", "path", logPath(r), "err", err)
		}
		next.ServeHTTP(rw, r)
	})
}

// detachable serves h with its request's work detached from its
// connection once its form has been read whole (reqlog.Detachable),
// whoever reads it (the CSRF check, the handler): a client that
// half-closed its connection after sending its form is answered, and
// what the form asked for is not cut short. A client that left before
// its form was whole left (reqlog.ClientLeft).
func detachable(h http.Handler) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		r, release := reqlog.Detachable(r)
		defer release()
		h.ServeHTTP(rw, r)
	})
}

// arrivedKey keys the time an upload's request arrived in its context.
type arrivedKey struct{}

// arrivedAt is when the upload r arrived, as longUpload took it before
// its body was read: what it pushes is received then (its timeliness is
// judged by that), not once a slow upload's last bytes have come.
func arrivedAt(r *http.Request) time.Time {
	t, _ := r.Context().Value(arrivedKey{}).(time.Time)
	return t
}

// handlerFunc is a page handler: it writes a response or returns an error
// for the adapter to render.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// public serves pages that need no login. POSTs still check the CSRF token
// when a session cookie comes with them.
func (w *Web) public(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if !isSafe(r.Method) {
			// Without a session CSRF checks read nothing: the form is read
			// here, before a handler could take a body too large or not a
			// form for an empty one.
			if err := auth.ReadForm(r); err != nil {
				w.renderError(rw, r, err)
				return
			}
			if err := auth.CheckCSRF(r); err != nil {
				w.renderError(rw, r, err)
				return
			}
		}
		if err := h(rw, r); err != nil {
			w.renderError(rw, r, err)
		}
	})
}

// roleRefusal tells a user whose role may not open a page, or take an
// action (a method that changes something), which roles may.
func roleRefusal(role org.Role, roles []org.Role, method string) string {
	what := "访问此页面"
	if !isSafe(method) {
		what = "执行此操作"
	}
	labels := make([]string, len(roles))
	for i, r := range roles {
		labels[i] = r.Label()
	}
	return "您的角色（" + role.Label() + "）无权" + what + "（仅限" + strings.Join(labels, "、") + "）"
}

// console serves pages for logged-in staff with one of roles: others are sent
// to the login page, or shown 403 when logged in with another role.
func (w *Web) console(roles []org.Role, h handlerFunc) http.Handler {
	return w.staff(roles, nil, h)
}

// review serves a review of the catalog (approve, reject, decide a
// source), the audited action, to rolesCatalogReview; anyone else logged
// in is refused in the catalog's words (catalog.NotReviewer), as the API
// and the catalog refuse a reviewer of another department, rather than
// told which roles may. A refusal leaves a denied row of action on the
// entry (admin), as the API's review routes do.
func (w *Web) review(action string, h handlerFunc) http.Handler {
	return w.admin(rolesAll, action, "catalog_entry", func(rw http.ResponseWriter, r *http.Request) error {
		if !auth.From(r.Context()).HasRole(rolesCatalogReview...) {
			return catalog.NotReviewer()
		}
		return h(rw, r)
	})
}

// staff serves a console page: for logged-in staff with one of roles,
// after the CSRF check of a form. A write of h refused as it committed,
// the session having ended since the request began, leaves a denied
// auth.session row (Authenticator.AuditEnded), as the API's does. A
// refusal of the caller, by its role or by h, goes through refused
// (admin), nil for none, before it is shown; an error h shows on a page
// of its own (shownError) is shown by it. Once answered, however the
// caller fared, the form's temporary files (of an upload over 32 MiB) are
// removed, whether the CSRF check or h read it.
func (w *Web) staff(roles []org.Role, refused func(*http.Request, error) error, h handlerFunc) http.Handler {
	audited := refused != nil
	if !audited {
		refused = func(_ *http.Request, err error) error { return err }
	}
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		// The CSRF check reads the form into r, h into the r it gets.
		in := r
		defer func() { auth.RemoveForm(in, r) }()
		p := auth.From(r.Context())
		if p == nil || p.User == nil {
			target := loginTarget(w.loginNext(r), !isSafe(r.Method))
			if r.Header.Get("HX-Request") == "true" {
				rw.Header().Set("HX-Redirect", target)
				rw.WriteHeader(http.StatusUnauthorized)
				return
			}
			http.Redirect(rw, r, target, http.StatusSeeOther)
			return
		}
		// A forged form is refused first: it is no caller's attempt.
		if !isSafe(r.Method) {
			if err := auth.CheckCSRF(r); err != nil {
				w.renderError(rw, r, err)
				return
			}
		}
		// An account whose password someone else set changes it before
		// anything else (org.User.PasswordChangeRequired): every other
		// page leads to the change, keeping the page asked for, as the
		// login page keeps it, to go on to once changed.
		if p.User.PasswordChangeRequired && r.URL.Path != passwordPath {
			target := passwordPath
			if next := passwordNext(w.loginNext(r)); next != "" {
				target += "?next=" + url.QueryEscape(next)
			}
			if r.Header.Get("HX-Request") == "true" {
				rw.Header().Set("HX-Redirect", target)
				rw.WriteHeader(http.StatusForbidden)
				return
			}
			http.Redirect(rw, r, target, http.StatusSeeOther)
			return
		}
		if audited {
			r = r.WithContext(context.WithValue(r.Context(), aimKey{}, &objectAim{id: r.PathValue("id")}))
		}
		if !p.HasRole(roles...) {
			w.renderError(rw, r, refused(r, errs.E(errs.Forbidden, "forbidden", roleRefusal(p.User.Role, roles, r.Method))))
			return
		}
		// A write refused as it committed because the session ended
		// meanwhile is audited as the API's is (auth.AuditEnded).
		err := refused(r, w.cfg.Auth.AuditEnded(r, h(rw, r)))
		if s := (*shownError)(nil); errors.As(err, &s) {
			err = s.show()
		}
		if err != nil {
			w.renderError(rw, r, err)
		}
	})
}

func isSafe(method string) bool {
	return method == http.MethodGet || method == http.MethodHead || method == http.MethodOptions
}

var kindTitle = map[errs.Kind]string{
	errs.Internal:        "内部错误",
	errs.Invalid:         "请求无效",
	errs.Unauthenticated: "未登录",
	errs.Forbidden:       "无权访问",
	errs.NotFound:        "未找到",
	errs.Conflict:        "操作冲突",
	errs.TooLarge:        "提交内容过大",
	errs.TooMany:         "操作过于频繁",
	errs.Unavailable:     "服务暂不可用",
}

// formErrors are a form's refusals, in the order they came: each under
// the form field that shows it and all in the form's summary.
type formErrors struct {
	Errors   map[string][]string // by the form's field name
	Messages []refusal           // every refusal, for the form's summary
}

// refusal is one refusal in a form's summary (the template
// "form-errors"): its text and the name of the form field that shows it,
// which the summary links to ("" or a name the form has no field for: the
// summary alone).
type refusal struct {
	Field, Text string
	ID          string // the id of the field's input, for a field the template cannot name (a row the browser added)
}

// add files list, each refusal under the form field field names for it.
func (f *formErrors) add(list []*errs.Error, field func(*errs.Error) string) {
	if f.Errors == nil {
		f.Errors = map[string][]string{}
	}
	for _, e := range list {
		name := field(e)
		f.Messages = append(f.Messages, refusal{Field: name, Text: e.Message})
		f.Errors[name] = append(f.Errors[name], e.Message)
	}
}

// inputRefusal returns err when it refuses the input (Invalid or
// Conflict: the user corrects the form), nil for nil or any other error.
func inputRefusal(err error) *errs.Error {
	if e := errs.As(err); e != nil && (e.Kind == errs.Invalid || e.Kind == errs.Conflict) {
		return e
	}
	return nil
}

// writeForm runs write in a transaction when the form has no problems yet
// and returns the problems with the write's refusal of the input added;
// any other error of the write is its second result.
func (w *Web) writeForm(r *http.Request, problems []*errs.Error, write func(tx *sqldb.Tx) error) ([]*errs.Error, error) {
	if len(problems) > 0 {
		return problems, nil
	}
	err := w.cfg.DB.Tx(r.Context(), write)
	if e := inputRefusal(err); e != nil {
		return append(problems, e), nil
	}
	return problems, err
}

// userError returns the status and user-facing error for err; anything
// that is not an *errs.Error is internal and shown without detail.
func userError(err error) (int, *errs.Error) {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		err = errs.E(errs.TooLarge, "body_too_large", "提交内容超过 "+text.Size(mbe.Limit)+" 上限")
	}
	e := errs.As(err)
	if u := sqldb.Unavailable(err); u != nil {
		e = u
	}
	if e == nil || e.Kind == errs.Internal {
		return http.StatusInternalServerError, errs.E(errs.Internal, "internal", "服务器内部错误，请稍后重试。如问题持续，请联系平台运维。")
	}
	return e.Kind.HTTPStatus(), e
}

type errorData struct {
	Status  int
	Title   string
	Message string
	Code    string
	Back    string // where the page leads back to: the console's home, or the public catalog
	BackTo  string // the link's text
	// RequestID is the request's ID (X-Request-ID), shown with an
	// internal error for the user to quote to the platform's operators.
	RequestID string
}

// logPath is r's path as the console's log lines name it: a subject's
// identifier masked (ident.Mask), as in the server's request log.
func logPath(r *http.Request) string { return ident.Mask(r.URL.Path) }

// renderError shows err as a Chinese error page. Internal errors are
// shown as 内部错误 without detail, with the request's ID, and logged
// once (failed). A request whose client left is not answered, its error
// logged at info level (reqlog.Entry.Left), its connection dropped
// (reqlog.Abort) rather than answered an empty 200; one the server's
// shutdown gave up on failed for the server, 503 (reqlog.ShutDown).
func (w *Web) renderError(rw http.ResponseWriter, r *http.Request, err error) {
	err = reqlog.ShutDown(r, err)
	if w.clientLeft(r, err) {
		reqlog.Abort()
	}
	status, e := userError(err)
	if status >= 500 {
		w.failed(r, status, err)
	}
	w.showError(rw, r, status, e)
}

// failed logs err, the server's failure to answer r with status: on the
// server's request log line, beside the request ID (reqlog), or here
// when r has none.
func (w *Web) failed(r *http.Request, status int, err error) {
	if !reqlog.From(r.Context()).Fail(status, err) {
		w.cfg.Log.Error("web request failed", "method", r.Method, "path", logPath(r), "err", err)
	}
}

// clientLeft reports whether r's client left (reqlog.ClientLeft), err
// being what the request's work failed with then, recorded for the
// request's log line at info level: the client's leaving is no failure
// of the server's.
func (w *Web) clientLeft(r *http.Request, err error) bool {
	if !reqlog.ClientLeft(r) {
		return false
	}
	if !reqlog.From(r.Context()).Left(err) {
		w.cfg.Log.Info("client left", "method", r.Method, "path", logPath(r), "err", err)
	}
	return true
}

// showError renders the error page of e, answered with status. Under
// /public/ it is the public catalog's, in its layout and leading back to
// it: its visitors have no console to go back to ("/" sends them to the
// staff login). A form refused for its CSRF token is shown as the page
// gone stale it is (staleForm), not as a refusal of the user.
func (w *Web) showError(rw http.ResponseWriter, r *http.Request, status int, e *errs.Error) {
	if e.Code == "csrf_failed" {
		w.showTitled(rw, r, status, "页面已过期", staleForm)
		return
	}
	w.showTitled(rw, r, status, kindTitle[e.Kind], e)
}

// staleForm is the console's csrf_failed: a form sent from a page opened
// under an earlier session (the user logged in again since, in this tab
// or another), whose token is that session's. Reloading the refused
// page would send the same form again; going back to the form reloads it
// with this session's token and keeps what was typed (Chromium,
// internal/e2e TestStaleFormAfterLoginAgain), but for the rows added on
// the page and with the rows removed there (rowsNote), to be sent again.
// The code stays the API's.
var staleForm = errs.E(errs.Forbidden, "csrf_failed",
	"此页面是在上次登录时打开的，登录状态已变化，本次提交未执行。请按浏览器的“后退”按钮回到刚才的页面，已填写的内容仍在，"+rowsNote)

// showTitled is showError with the page's title, title, rather than its
// kind's. A 503 (the database unavailable or busy, the audit log
// unwritable, the server shutting down) says when to retry, Retry-After 5,
// as the API's problem does (api.WriteProblem).
func (w *Web) showTitled(rw http.ResponseWriter, r *http.Request, status int, title string, e *errs.Error) {
	if status == http.StatusServiceUnavailable {
		rw.Header().Set("Retry-After", "5")
	}
	d := errorData{Status: status, Title: title, Message: e.Message, Code: e.Code, Back: "/", BackTo: "返回首页"}
	if status >= 500 {
		d.RequestID = reqlog.ID(r.Context())
	}
	root := "layout"
	if strings.HasPrefix(r.URL.Path, "/public/") {
		d.Back, d.BackTo, root = "/public/catalog", "返回共享互认目录", "public-layout"
	}
	if err := w.renderIn(rw, r, status, "error", root, d.Title, d); err != nil {
		w.cfg.Log.Error("render error page", "path", logPath(r), "err", err)
		http.Error(rw, d.Title, status)
	}
}

// page is what every template gets: the layout's fields and the page's Data.
type page struct {
	Title    string
	Platform string
	User     *org.User
	Dept     string // the user's department name
	CSRF     string
	Nav      []navLink
	Data     any
}

// render executes the page template name inside the layout. It buffers, so
// that a template error becomes an error page rather than half a page.
func (w *Web) render(rw http.ResponseWriter, r *http.Request, status int, name, title string, data any) error {
	return w.renderIn(rw, r, status, name, "layout", title, data)
}

// renderIn is render with the layout root: "layout", or "public-layout"
// for a page of the public catalog that is not its own template.
func (w *Web) renderIn(rw http.ResponseWriter, r *http.Request, status int, name, root, title string, data any) error {
	buf, err := w.execute(r, name, root, title, data)
	if err != nil {
		return err
	}
	h := rw.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
	h.Add("Vary", "HX-Request")
	rw.WriteHeader(status)
	_, err = buf.WriteTo(rw)
	if err != nil {
		// The client went away; nothing more to tell it.
		w.cfg.Log.Debug("write page", "path", logPath(r), "err", err)
	}
	return nil
}

// execute runs the template root ("layout" for the whole page) of the page
// template name into a buffer. htmx requests get the page's "fragment"
// instead of its layout when it has one.
func (w *Web) execute(r *http.Request, name, root, title string, data any) (*bytes.Buffer, error) {
	pages, _, _, err := w.templates()
	if err != nil {
		return nil, err
	}
	t, ok := pages[name]
	if !ok {
		return nil, fmt.Errorf("web: no template %q", name)
	}
	pd := page{Title: title, Platform: PlatformName, Data: data}
	if p := auth.From(r.Context()); p != nil && p.User != nil {
		pd.User = p.User
		pd.CSRF = p.Session.CSRFToken
		// Until the password someone else set is changed, every page
		// leads to 修改密码: no navigation to pages that all lead back.
		if !p.User.PasswordChangeRequired {
			pd.Nav = navFor(p.User.Role, r.URL.Path)
		}
		d, err := org.DepartmentByID(r.Context(), w.cfg.DB.Read(), p.User.DepartmentID)
		if err != nil {
			return nil, err
		}
		pd.Dept = d.Name
	}
	if root == "layout" && r.Header.Get("HX-Request") == "true" && t.Lookup("fragment") != nil {
		root = "fragment" // htmx asks for the part of the page it swaps
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, root, pd); err != nil {
		return nil, fmt.Errorf("web: execute %s: %w", name, err)
	}
	return &buf, nil
}

// redirect ends a successful POST (POST-redirect-GET).
func redirect(rw http.ResponseWriter, r *http.Request, target string) error {
	http.Redirect(rw, r, target, http.StatusSeeOther)
	return nil
}
