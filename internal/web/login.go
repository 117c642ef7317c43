package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/hutong-gov/hutong/internal/auth"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/org"
)

type loginData struct {
	Username    string
	Next        string
	Ended       bool // a form was sent without a session: its submission is lost (loginTarget)
	Error       string
	Notice      string
	MaxFailures int
	LockMinutes int
}

func (w *Web) renderLogin(rw http.ResponseWriter, r *http.Request, status int, d loginData) error {
	if d.Ended {
		d.Notice = endedNotice
	}
	d.MaxFailures, d.LockMinutes = org.MaxLoginFailures, int(org.LockDuration.Minutes())
	return w.render(rw, r, status, "login", "登录", d)
}

// safeNext returns next if it is a path on this site, else "/". It refuses
// absolute and scheme-relative URLs ("//evil", "/\evil") and the login page
// itself.
func safeNext(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") ||
		strings.ContainsAny(next, "\\\r\n\t") {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Path == "/login" || u.Path == "/logout" {
		return "/"
	}
	return next
}

// loginTarget is the login page a request without a session is sent to,
// to return to next (loginNext) once logged in. A form's (lost, a method
// that changes something) adds ended=1, for the login page to say that
// its submission was not saved and how to get the typed text back
// (endedNotice): the form's content itself is kept in neither the URL nor
// a cookie.
func loginTarget(next string, lost bool) string {
	q := url.Values{}
	if next != "" {
		q.Set("next", next)
	}
	if lost {
		q.Set("ended", "1")
	}
	if len(q) == 0 {
		return "/login"
	}
	return "/login?" + q.Encode()
}

// endedNotice tells a user whose form was sent after the session had
// ended (logged out, the password or the account changed, in another tab
// or by an administrator; expired) that nothing was saved, and how the
// typed text comes back: the login leads to the form's page afresh, empty;
// the page it was typed on is two steps back in the tab's history (the
// login page between, which now leads on to the form's page again), and
// Chromium shows it with what was typed (internal/e2e
// TestFormAfterSessionEnded). It shows the page as the server renders it
// again, though: the rows added on the page (添加信息项, in the browser)
// are not there, and the rows removed there are back, which the notice
// says (rowsNote).
const endedNotice = "登录已失效（可能已在其他窗口退出、修改了密码，或账号被调整），刚才提交的内容未保存。" +
	"请重新登录；登录后打开的是一张空白表单，请按浏览器的“后退”按钮回到填写过的那一页（通常按两次），已填写的内容仍在，" + rowsNote

// rowsNote ends the console's advice to go back to a form and send it
// again (endedNotice, staleForm): the page gone back to is rendered
// afresh, without the rows added on it and with the rows removed there.
const rowsNote = "但在页面上新添加的行（如信息项）需重新添加，删除过的行会重新出现，请核对后再次提交。"

// loginNext is the page a request without a session returns to once
// logged in: a GET's own; a form's (POST) the page it was on, as its
// same-origin Referer names it (the site's Referrer-Policy sends it), or
// else its own path when that is a page too (/records/upload), so that a
// clerk whose session expired while filling it is brought back to the
// form rather than the home page. "" when none is a page of the console.
func (w *Web) loginNext(r *http.Request) string {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return r.URL.RequestURI()
	}
	if ref, err := url.Parse(r.Referer()); err == nil && ref.Host == r.Host && (ref.Scheme == "http" || ref.Scheme == "https") {
		if next := ref.RequestURI(); safeNext(next) == next && w.isPage(next) {
			return next
		}
	}
	if next := r.URL.RequestURI(); safeNext(next) == next && w.isPage(next) {
		return next
	}
	return ""
}

// isPage reports whether a GET of uri (a path and query on this site)
// reaches one of the console's routes.
func (w *Web) isPage(uri string) bool {
	if w.routes == nil {
		return false
	}
	req, err := http.NewRequest(http.MethodGet, uri, nil)
	if err != nil {
		return false
	}
	_, pattern := w.routes.Handler(req)
	return strings.HasPrefix(pattern, "GET ")
}

func (w *Web) loginPage(rw http.ResponseWriter, r *http.Request) error {
	next := safeNext(r.URL.Query().Get("next"))
	if p := auth.From(r.Context()); p != nil && p.User != nil {
		return redirect(rw, r, next)
	}
	d := loginData{Next: next, Ended: r.URL.Query().Get("ended") == "1"}
	if r.URL.Query().Get("out") == "1" {
		d.Notice = "您已安全退出。"
	}
	return w.renderLogin(rw, r, http.StatusOK, d)
}

func (w *Web) login(rw http.ResponseWriter, r *http.Request) error {
	username, password := r.PostFormValue("username"), r.PostFormValue("password")
	next := safeNext(r.PostFormValue("next"))
	ended := r.PostFormValue("ended") == "1"
	if strings.TrimSpace(username) == "" || password == "" {
		return w.renderLogin(rw, r, http.StatusBadRequest, loginData{Username: username, Next: next, Ended: ended, Error: "请输入用户名和密码"})
	}
	s, _, err := org.Login(r.Context(), w.cfg.DB, username, password,
		org.Client{RemoteAddr: auth.RemoteAddr(r), UserAgent: r.UserAgent()}, w.cfg.Now())
	if err != nil {
		status, e := userError(err)
		switch e.Kind {
		case errs.Unauthenticated, errs.TooMany, errs.Invalid:
			return w.renderLogin(rw, r, status, loginData{Username: username, Next: next, Ended: ended, Error: e.Message})
		}
		return err
	}
	w.cfg.Auth.SetSessionCookie(rw, s)
	return redirect(rw, r, next)
}

func (w *Web) logout(rw http.ResponseWriter, r *http.Request) error {
	p := auth.From(r.Context())
	if p == nil || p.User == nil {
		w.cfg.Auth.ClearSessionCookie(rw)
		return redirect(rw, r, "/login")
	}
	if err := org.Logout(r.Context(), w.cfg.DB, *p.User, p.Session.Token, p.Actor.RemoteAddr, w.cfg.Now()); err != nil {
		return err
	}
	w.cfg.Auth.ClearSessionCookie(rw)
	return redirect(rw, r, "/login?out=1")
}
