// Package api serves Hutong's JSON API under /api/v1. Handlers return
// errors; one adapter turns them into application/problem+json responses
// with a stable code and a Chinese message, checks the caller's scope and
// CSRF token, and replays responses for repeated Idempotency-Keys.
package api

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"mime"
	"net/http"
	"path"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hutong-gov/hutong/internal/allow"
	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/auth"
	"github.com/hutong-gov/hutong/internal/calendar"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/ident"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/reqlog"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/text"
)

// API holds what the handlers need.
type API struct {
	DB       *sqldb.DB
	Log      *slog.Logger
	Now      func() time.Time
	Auth     *auth.Authenticator
	Calendar *calendar.Calendar

	routes    []Route
	reads     *audit.Group // audit rows of data reads, group-committed
	readsOnce sync.Once
	ops       *records.Pushes // operations pushed one at a time, group-committed
	opsOnce   sync.Once
	keySweep  atomic.Int64       // when expired idempotency keys were last deleted (Unix ns)
	entries   records.EntryCache // the published entries that reads of records check against
}

// readAudit returns the group that commits the audit rows of data reads.
func (a *API) readAudit() *audit.Group {
	a.readsOnce.Do(func() { a.reads = audit.NewGroup(a.DB) })
	return a.reads
}

// pushes returns the group that commits operations pushed one at a time.
func (a *API) pushes() *records.Pushes {
	a.opsOnce.Do(func() { a.ops = records.NewPushes(a.DB, a.Calendar, a.Now) })
	return a.ops
}

// Body limits: a JSON request is small; an upload (a catalog workbook, a
// batch of records) may be large but is still bounded.
const (
	MaxJSONBody   = 1 << 20
	MaxUploadBody = 256 << 20
)

// Route is one registered endpoint. Scope "" means any authenticated caller;
// Public routes need no authentication at all.
type Route struct {
	Method, Path string
	Scope        string
	Public       bool
	// Idempotent marks a POST that creates: it honours Idempotency-Key
	// (idempotent). A Long one keys its requests itself, hashing its
	// upload as it reads it rather than holding it whole for the hash
	// (importCatalogFile).
	Idempotent bool
	// Recheck, on an Idempotent route, is the part of the handler's
	// rules of who may make the request that its Allow and Scope do not
	// hold (what its body or path names: the department a new app is
	// for, the role of a new account, the discrepancy a feedback is on),
	// run before a stored answer is replayed (recheck) so that a caller
	// who may no longer make the request gets the fresh request's refusal,
	// not the answer. It is the function the handler checks with, and
	// writes nothing: it reads, if at all, on a read connection. Nil when
	// Allow and Scope, checked before any replay, are all the rules.
	Recheck func(r *http.Request) error
	// OwnDepartment marks an Idempotent route whose body's department_id,
	// left out or 0, is the caller's department: the key's request then
	// holds the caller's department (impliedDepartment), so that a retry
	// by a caller moved since to another department is another request
	// (409 idempotency_key_reused), not answered with what the first
	// department's request was answered.
	OwnDepartment bool
	// SecretBody marks an Idempotent route whose body holds a secret (a
	// new account's password): the key keeps a salted argon2id hash of the
	// request, as passwords are kept, never a fast one that would let
	// whoever reads the database or a backup guess the secret offline.
	SecretBody bool
	// Long marks an upload whose handler reads the formats it knows (any
	// Content-Type reaches it), up to MaxUploadBody. Other routes take JSON
	// only, up to MaxJSONBody.
	Long bool
	// MaxBody, when set, is the route's body limit instead.
	MaxBody int64
	// Allow, when set, is the route's own rule of who may call it, narrower
	// than Scope. It refuses a caller before its body is read (for a large
	// body only some callers may send) and before Scope is checked, so that
	// a refusal says the rule rather than a scope the caller may lack.
	Allow func(p *auth.Principal) error
	// Query is every query parameter the route takes, none when nil: any
	// other is refused (400 unknown_parameter) rather than ignored, so that
	// a misspelt filter or another list's cursor parameter is not silently
	// read as "none". The OpenAPI operation lists the same parameters.
	// Each is taken once: given twice it is refused (400
	// repeated_parameter) rather than read as its first value, unless
	// Repeatable names it.
	Query []string
	// Repeatable are the parameters of Query that the handler reads as a
	// list, every value it is given (the audit log's action): the
	// OpenAPI operation documents them as arrays.
	Repeatable []string
	// IfMatch marks a route whose handler reads If-Match (ifMatch): a
	// header that is neither "*" nor a list of strong entity tags is
	// refused 400 bad_if_match once the caller is authorized (Allow,
	// Scope), with the query, before the handler reads or writes
	// anything (parseIfMatch). The OpenAPI operation lists If-Match.
	IfMatch bool
	// anyQuery marks the catch-all, which answers a request no route
	// takes (404, or 405 for a method its path does not take) whatever its
	// query: a parameter there is no reason to refuse it.
	anyQuery bool
	// Audit, when set, names the administrative action the route performs
	// and the kind of object it acts on, for the denied row a refused
	// caller leaves (auth.AuditRefusal): refused by Allow, Scope or the
	// handler, with an Idempotency-Key or without.
	Audit *Audited
	// Provisional marks a route a session whose account must change the
	// password someone else set (org.User.PasswordChangeRequired) may
	// call: the change itself, reading its account and logging out. Any
	// other refuses such a session 403 password_change_required.
	Provisional bool
	// Read, when set, marks a route that reads personal data and refuses
	// some callers before its handler (by Allow or Scope): it is the row
	// the read leaves (audit.LogReadEvent), which a caller refused, there
	// or by the handler (403), leaves denied, with the refusal's code as
	// its reason (auth.DeniedRead), as a refused read of records does. The
	// records routes take any caller and audit a refusal in their handler
	// (auditDenied).
	Read    func(r *http.Request) audit.Event
	Handler func(w http.ResponseWriter, r *http.Request) error
}

// Audited is a route's audited action and the type of its object, whose
// id is the path's {id} unless the handler names it (aimAt).
type Audited struct{ Action, ObjectType string }

// BodyLimit is the most a request body of the route may hold: the
// route's own, never chosen from the request's headers. A route that takes
// more than MaxJSONBody is an upload: an authenticated caller gets
// auth.LongRequest for it to arrive and be answered.
func (rt Route) BodyLimit() int64 {
	switch {
	case rt.MaxBody > 0:
		return rt.MaxBody
	case rt.Long:
		return MaxUploadBody
	}
	return MaxJSONBody
}

// DocPath is the route's path as the OpenAPI document writes it: a
// wildcard that takes the rest of the path, {name...}, is {name} there
// (OpenAPI has no such template; the parameter's description says that it
// may hold a slash).
func (rt Route) DocPath() string {
	if rest, ok := strings.CutSuffix(rt.Path, "...}"); ok {
		return rest + "}"
	}
	return rt.Path
}

// Routes returns every registered route, for the OpenAPI test.
func (a *API) Routes() []Route { return a.routes }

// Register adds the API's routes to mux, and tells the authenticator
// (Auth) whose data a request refused for its key aimed at (keyAims).
func (a *API) Register(mux *http.ServeMux) {
	a.routes = nil
	a.foundationRoutes()
	a.recordsRoutes()
	a.catalogRoutes()
	a.catalogIORoutes()
	a.transferRoutes()
	// routes knows the routes only, to tell a path that exists under other
	// methods (405) from one that does not (404).
	if a.Auth != nil {
		a.Auth.Aim = newKeyAims(a).aim
	}
	routes := http.NewServeMux()
	for _, rt := range a.routes {
		mux.Handle(rt.Method+" "+rt.Path, a.adapt(rt))
		routes.Handle(rt.Method+" "+rt.Path, http.NotFoundHandler())
	}
	// The catch-all reads no body: any Content-Type will do (Long), up to
	// MaxJSONBody; nor any query parameter (anyQuery).
	catchAll := func(w http.ResponseWriter, r *http.Request) error {
		if methods := allow.Methods(routes, r); len(methods) > 0 {
			w.Header().Set("Allow", strings.Join(methods, ", "))
			return &methodError{method: r.Method, path: r.URL.Path, allow: methods}
		}
		return routeNotFound(r)
	}
	mux.Handle("/api/", a.adapt(Route{Public: true, Long: true, MaxBody: MaxJSONBody, anyQuery: true, Handler: catchAll}))
}

// routeNotFound is the error of a request for a path that is no route.
func routeNotFound(r *http.Request) error {
	return errs.E(errs.NotFound, "route_not_found", "接口不存在："+r.Method+" "+r.URL.Path)
}

// CleanPaths answers a request for an API path that is not in its clean
// form (an empty segment, a . or .. segment: /api/v1//records, /api/v1/./me)
// with 404 non_canonical_path, a problem document, before next: an
// http.ServeMux would redirect it to the clean path (text/html), which a
// client follows as a GET without its body, or not at all. The path is
// compared as sent (escaped), as the mux compares it: a %2F or %2E in a
// segment is part of the segment (a record's subject
// https:%2F%2Fexample.gov.cn, ..), not a separator or a dot segment. /api,
// which the mux would redirect to /api/, is no route: 404 route_not_found,
// as any other.
func CleanPaths(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api" {
			WriteProblem(w, ProblemFor(routeNotFound(r)))
			return
		}
		p := r.URL.EscapedPath()
		clean := cleanPath(p)
		if clean != p && (clean == "/api" || strings.HasPrefix(clean, "/api/")) {
			WriteProblem(w, Problem{Type: "about:blank", Title: kindTitle[errs.NotFound], Status: http.StatusNotFound,
				Code: "non_canonical_path", Detail: "接口地址不规范（含有空路径段 // 或 .、.. 段）：" + p + "，请使用 " + clean})
			return
		}
		next.ServeHTTP(w, r)
	})
}

// cleanPath is p as http.ServeMux cleans it: path.Clean, keeping a
// trailing slash.
func cleanPath(p string) string {
	if p == "" {
		return "/"
	}
	if p[0] != '/' {
		p = "/" + p
	}
	np := path.Clean(p)
	if p[len(p)-1] == '/' && np != "/" {
		np += "/"
	}
	return np
}

// methodError is a request of a method its path does not take: 405.
type methodError struct {
	method, path string
	allow        []string
}

func (e *methodError) Error() string { return "method " + e.method + " not allowed on " + e.path }

func (a *API) add(rt Route) { a.routes = append(a.routes, rt) }

func (a *API) adapt(rt Route) http.Handler {
	limit := rt.BodyLimit()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// A session's CSRF check without the header reads a multipart form
		// into r: its temporary files go once answered, however it fared.
		in := r
		defer func() { auth.RemoveForm(in, r) }()
		// Its work is detached from its connection once its body is read
		// whole: a client that half-closed its connection after it is
		// answered (reqlog.Detachable).
		r, release := reqlog.Detachable(r)
		defer release()
		r.Body = clientBody{http.MaxBytesReader(w, r.Body, limit)}
		if r.ContentLength > limit {
			a.Error(w, r, &http.MaxBytesError{Limit: limit})
			return
		}
		if !text.StorableURL(r.URL) {
			a.Error(w, r, errs.E(errs.Invalid, "invalid_text", "请求地址或参数含有无效字符（NUL 或非 UTF-8 字节）"))
			return
		}
		if err := a.authenticate(rt, r); err != nil {
			a.Error(w, r, err)
			return
		}
		var aim *objectAim
		if rt.Audit != nil {
			aim = &objectAim{id: r.PathValue("id")}
			r = r.WithContext(context.WithValue(r.Context(), aimKey{}, aim))
		}
		refused := func(err error) error {
			if a.Auth != nil && errors.Is(err, audit.ErrCredentialEnded) {
				return a.Auth.AuditEnded(r, err)
			}
			if rt.Read != nil && errs.Is(err, errs.Forbidden) {
				if aerr := a.readAudit().Record(auth.DeniedRead(rt.Read(r), err), a.Now()); aerr != nil {
					return aerr
				}
				return err
			}
			if rt.Audit == nil {
				return err
			}
			return auth.AuditRefusal(r.Context(), a.DB, auth.From(r.Context()), a.Now(), rt.Audit.Action,
				cmp.Or(aim.objectType, rt.Audit.ObjectType), aim.id, err)
		}
		if err := authorize(rt, r); err != nil {
			a.Error(w, r, refused(err))
			return
		}
		if err := checkQuery(rt, r); err != nil {
			a.Error(w, r, err)
			return
		}
		if rt.IfMatch {
			tags, err := parseIfMatch(r.Header.Values("If-Match"))
			if err != nil {
				a.Error(w, r, err)
				return
			}
			r = r.WithContext(context.WithValue(r.Context(), ifMatchKey{}, tags))
		}
		if err := checkEncoding(r); err != nil {
			a.Error(w, r, err)
			return
		}
		if err := checkBody(rt, r); err != nil {
			a.Error(w, r, err)
			return
		}
		if limit > MaxJSONBody {
			if err := auth.ExtendDeadlines(w, r); err != nil {
				a.Log.Warn("extend upload deadlines", "path", ident.Mask(r.URL.Path), "err", err)
			}
		}
		var err error
		if rt.Idempotent && !rt.Long && r.Header.Get("Idempotency-Key") != "" {
			err = a.idempotent(w, r, rt)
		} else {
			err = rt.Handler(w, r)
		}
		if err != nil {
			a.Error(w, r, refused(err))
		}
	})
}

// aimKey carries a route's *objectAim in a request's context.
type aimKey struct{}

// objectAim is the object an audited route's request aims at.
type objectAim struct{ objectType, id string }

// aimAt names the object r aims at when the path does not (a new app's
// department), for the denied row of a refusal (Route.Audit).
func aimAt(r *http.Request, objectType, id string) {
	if aim, ok := r.Context().Value(aimKey{}).(*objectAim); ok {
		aim.objectType, aim.id = objectType, id
	}
}

// checkQuery refuses a query parameter the route does not take
// (Route.Query), then one given more than once that the route does not
// read as a list (Route.Repeatable). The catch-all checks none.
func checkQuery(rt Route, r *http.Request) error {
	if rt.anyQuery {
		return nil
	}
	q := r.URL.Query()
	names := slices.Sorted(maps.Keys(q))
	for _, name := range names {
		if !slices.Contains(rt.Query, name) {
			if len(rt.Query) == 0 {
				return errs.Field(name, "unknown_parameter", "不支持的参数 "+name+"，该接口不接受查询参数")
			}
			return errs.Field(name, "unknown_parameter", "不支持的参数 "+name+"，该接口的参数为："+strings.Join(rt.Query, "、"))
		}
	}
	for _, name := range names {
		if len(q[name]) > 1 && !slices.Contains(rt.Repeatable, name) {
			return errs.Field(name, "repeated_parameter", "参数 "+name+" 只能给出一次")
		}
	}
	return nil
}

// encodingError is a request body compressed or otherwise encoded
// (Content-Encoding other than identity): 415. No route decodes one, and
// read as it arrives it would be taken for text that is not UTF-8 (a
// batch's every line refused, and counted against the entry).
type encodingError struct{ coding string }

func (e *encodingError) Error() string { return "unsupported Content-Encoding " + e.coding }

// checkEncoding refuses, before anything reads it, a body whose
// Content-Encoding is other than identity (or none).
func checkEncoding(r *http.Request) error {
	if r.ContentLength == 0 {
		return nil
	}
	codings := strings.Join(r.Header.Values("Content-Encoding"), ", ")
	for c := range strings.SplitSeq(codings, ",") {
		if c = strings.TrimSpace(c); c != "" && !strings.EqualFold(c, "identity") {
			return &encodingError{coding: codings}
		}
	}
	return nil
}

// checkBody refuses, before anything reads it, a body that is not JSON
// sent to a route that takes JSON only.
func checkBody(rt Route, r *http.Request) error {
	switch {
	case rt.Long, r.ContentLength == 0:
		return nil
	case r.Method == http.MethodPost, r.Method == http.MethodPut, r.Method == http.MethodPatch:
		return checkJSON(r)
	}
	return nil
}

// checkJSON refuses a request whose Content-Type is set and is not JSON.
func checkJSON(r *http.Request) error {
	ct := r.Header.Get("Content-Type")
	if ct == "" {
		return nil
	}
	if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/json" {
		return errs.E(errs.Invalid, "unsupported_media_type", "请求体应为 application/json")
	}
	return nil
}

// authenticate refuses a request to a route that is not public without a
// principal (session_invalid when it sent a session cookie that was
// refused, auth.SessionRefused; else unauthenticated), or authenticated
// by a session cookie without its CSRF token, or by a session whose
// account must change its password first, to a route that is not
// Provisional.
func (a *API) authenticate(rt Route, r *http.Request) error {
	if rt.Public {
		return nil
	}
	p := auth.From(r.Context())
	if p == nil {
		if err := auth.SessionRefused(r.Context()); err != nil {
			return err
		}
		return errs.E(errs.Unauthenticated, "unauthenticated", "需要登录或提供 API 密钥")
	}
	if err := auth.CheckCSRF(r); err != nil {
		return err
	}
	if p.User != nil && p.User.PasswordChangeRequired && !rt.Provisional {
		return org.ErrPasswordChangeRequired()
	}
	return nil
}

// authorize refuses an authenticated caller the route's rule (Allow) or
// scope does not admit.
func authorize(rt Route, r *http.Request) error {
	if rt.Public {
		return nil
	}
	p := auth.From(r.Context())
	if rt.Allow != nil {
		if err := rt.Allow(p); err != nil {
			return err
		}
	}
	if rt.Scope != "" && !p.Can(rt.Scope) {
		return auth.MissingScope(rt.Scope)
	}
	return nil
}

var kindTitle = map[errs.Kind]string{
	errs.Internal:        "内部错误",
	errs.Invalid:         "请求无效",
	errs.Unauthenticated: "未登录或认证失败",
	errs.Forbidden:       "无权访问",
	errs.NotFound:        "未找到",
	errs.Conflict:        "状态冲突",
	errs.TooLarge:        "请求体过大",
	errs.TooMany:         "请求过于频繁",
	errs.Unavailable:     "服务暂不可用",
}

// Problem is an RFC 9457 problem document.
type Problem struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Status int    `json:"status"`
	Code   string `json:"code"`
	Detail string `json:"detail,omitempty"`
	Field  string `json:"field,omitempty"`
	// RequestID is the request's ID (X-Request-ID), given with an
	// internal error for the user to quote to the platform's operators.
	RequestID string `json:"request_id,omitempty"`
	// RetryAfter, when above 0, is the seconds the Retry-After header
	// says: how long a refusal that ends by itself has left (errs.Retry).
	RetryAfter int `json:"-"`
}

// ProblemFor converts err into the status and problem document users see.
// Internal errors show no detail.
func ProblemFor(err error) Problem {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		err = errs.E(errs.TooLarge, "body_too_large", fmt.Sprintf("请求体超过 %d 字节上限", mbe.Limit))
	}
	var me *methodError
	if errors.As(err, &me) {
		return Problem{Type: "about:blank", Title: "请求方法不允许", Status: http.StatusMethodNotAllowed, Code: "method_not_allowed",
			Detail: fmt.Sprintf("接口 %s 不支持 %s 方法，可用：%s", me.path, me.method, strings.Join(me.allow, "、"))}
	}
	var ee *encodingError
	if errors.As(err, &ee) {
		return Problem{Type: "about:blank", Title: "不支持的内容编码", Status: http.StatusUnsupportedMediaType, Code: "unsupported_content_encoding",
			Detail: "请求体不能压缩（Content-Encoding: " + ee.coding + "），请发送未经压缩的请求体", Field: "Content-Encoding"}
	}
	e := errs.As(err)
	if u := sqldb.Unavailable(err); u != nil {
		e = u
	}
	if e == nil {
		e = errs.E(errs.Internal, "internal", "服务器内部错误，请稍后重试")
	}
	status := e.Kind.HTTPStatus()
	p := Problem{Type: "about:blank", Title: kindTitle[e.Kind], Status: status, Code: e.Code, Detail: e.Message, Field: e.Field}
	var retry errs.Retry
	if errors.As(err, &retry) && retry.After > 0 {
		p.RetryAfter = int((retry.After + time.Second - 1) / time.Second)
	}
	return p
}

// Error writes err as a problem response. A body the client cut short
// (body_incomplete) is a 400 whose log line says why. Otherwise, a
// request whose client left is not answered, its error logged at info
// level (reqlog.Entry.Left), its connection dropped (reqlog.Abort) rather
// than answered an empty 200, and an internal error is logged once: by
// the server's request log line, which carries the request ID (reqlog),
// or here when the request has none; its problem carries the request ID
// for the user to quote. A request the server's shutdown gave up on
// failed for the server, whatever its work failed with: 503
// shutting_down, logged as an error (reqlog.ShutDown).
func (a *API) Error(w http.ResponseWriter, r *http.Request, err error) {
	rl := reqlog.From(r.Context())
	err = reqlog.ShutDown(r, err)
	p := ProblemFor(err)
	switch {
	case p.Code == bodyIncomplete:
		rl.Note(err)
	case reqlog.ClientLeft(r):
		if !rl.Left(err) {
			a.Log.Info("client left", "method", r.Method, "path", ident.Mask(r.URL.Path), "err", err)
		}
		reqlog.Abort()
	case p.Status >= 500:
		p.RequestID = reqlog.ID(r.Context())
		if !rl.Fail(p.Status, err) {
			a.Log.Error("request failed", "method", r.Method, "path", ident.Mask(r.URL.Path), "err", err)
		}
	}
	WriteProblem(w, p)
}

// bodyIncomplete is the code of a request whose body the client did not
// send whole (clientBody).
const bodyIncomplete = "body_incomplete"

// clientBody is a request's body whose failed reads are the client's: a
// connection closed or reset, or timed out, before the body was whole is
// refused as body_incomplete (400), not failed as the server's error. A
// body over the route's limit stays an *http.MaxBytesError.
type clientBody struct{ io.ReadCloser }

func (b clientBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	var mbe *http.MaxBytesError
	if err != nil && err != io.EOF && !errors.As(err, &mbe) {
		err = errs.Wrap(errs.Invalid, bodyIncomplete, "请求体未完整收到：上传未完成连接就已中断，请重新发送", err)
	}
	return n, err
}

// WriteProblem writes p as a problem response and logs nothing, for a
// caller that logged the error itself.
func WriteProblem(w http.ResponseWriter, p Problem) {
	switch p.Status {
	case http.StatusUnauthorized:
		w.Header().Set("WWW-Authenticate", `Bearer realm="hutong"`)
	case http.StatusServiceUnavailable:
		w.Header().Set("Retry-After", "5")
	}
	if p.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(p.RetryAfter))
	}
	write(w, p.Status, "application/problem+json", p)
}

// JSON writes v with the given status. v is encoded before anything is
// written, so that an error encoding it is answered as an error.
func JSON(w http.ResponseWriter, status int, v any) error {
	return write(w, status, "application/json; charset=utf-8", v)
}

// write encodes v, then writes it with the status and content type.
func write(w http.ResponseWriter, status int, contentType string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	setJSONHeaders(w.Header(), contentType)
	w.WriteHeader(status)
	_, err = w.Write(append(b, '\n'))
	return err
}

// setJSONHeaders sets the headers of every JSON answer: its content type,
// and no-store, for no answer of the API is to be kept by a cache. A
// replayed answer of an Idempotency-Key gets them too.
func setJSONHeaders(h http.Header, contentType string) {
	h.Set("Content-Type", contentType)
	h.Set("Cache-Control", "no-store")
}

// Decode reads one JSON object from the body into v, refusing unknown
// fields (a key naming a field only in another case too: encoding/json
// matches keys case-insensitively), a key given twice (errs.JSONKeys)
// and trailing data, and text that is not UTF-8 (invalid_text):
// encoding/json would store U+FFFD in its place, as it would for an
// escaped surrogate that is not half of a pair. A UTF-8 byte order mark
// at the start of the body, which Windows Notepad and PowerShell write,
// is skipped, as JSON Lines batches skip it; a syntax error's offset then
// counts from after it. Body size is limited by the route
// (Route.BodyLimit).
func Decode(r *http.Request, v any) error {
	if err := checkJSON(r); err != nil {
		return err
	}
	const bom = "\ufeff"
	br := bufio.NewReaderSize(r.Body, 16) // reads of 16 bytes or more bypass the buffer
	if head, _ := br.Peek(len(bom)); string(head) == bom {
		br.Discard(len(bom)) // cannot fail: the bytes are buffered
	}
	var body bytes.Buffer
	dec := json.NewDecoder(io.TeeReader(br, &body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var mbe *http.MaxBytesError
		switch {
		case errors.As(err, &mbe):
			return err
		case errors.Is(err, io.EOF):
			return errs.E(errs.Invalid, "empty_body", "请求体不能为空")
		}
		// The object was read whole unless it is malformed (CheckJSONKeys
		// then finds nothing): its keys' refusal comes first.
		if kerr := errs.CheckJSONKeys(body.Bytes()[:dec.InputOffset()], reflect.TypeOf(v)); kerr != nil {
			return kerr
		}
		switch {
		case errs.As(err) != nil:
			return err // a type's own refusal (records.WireOp: a field given twice)
		}
		return errs.JSONIn(err, body.Bytes())
	}
	// encoding/json took a key for the field it names in another case, and
	// kept the last of a key given twice.
	if err := errs.CheckJSONKeys(body.Bytes()[:dec.InputOffset()], reflect.TypeOf(v)); err != nil {
		return err
	}
	// Only the end of the body may follow: More is false before a closing
	// bracket or brace, which Token reports as a delimiter.
	var mbe *http.MaxBytesError
	switch _, err := dec.Token(); {
	case errors.Is(err, io.EOF):
		if field, bad := text.BadJSON(body.Bytes()); bad {
			if field == "" {
				return errs.E(errs.Invalid, "invalid_text", "请求体"+text.BadJSONText)
			}
			return errs.Field(field, "invalid_text", "请求体的字段 "+field+" "+text.BadJSONText)
		}
		return nil
	case errors.As(err, &mbe):
		return err
	case errs.As(err) != nil:
		return err // the body cut short after the object (clientBody: body_incomplete)
	}
	return notOneObject()
}

// notOneObject is Decode's refusal of a body holding more than one JSON
// object, or anything but white space after it.
func notOneObject() error {
	return errs.E(errs.Invalid, "malformed_json", "请求体只能包含一个 JSON 对象")
}

// pathID parses a numeric path value.
func pathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, errs.E(errs.NotFound, "not_found", "编号无效："+r.PathValue(name))
	}
	return id, nil
}
