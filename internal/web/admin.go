package web

import (
	"cmp"
	"net/http"

	"github.com/hutong-gov/hutong/internal/auth"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/org"
)

// admin serves a console form that performs the administrative action
// on an object of objectType, as console does: a refusal of its caller
// (a Forbidden error: its role's, one h returns or one h shows on its own
// page, shownError) leaves a denied row of action on the object aimed at
// — the path's {id} unless h names another (aimAt, aimsFirst) — with the
// refusal's code as reason, through auth.AuditRefusal, as the API's routes
// of the same actions do (api.Route.Audit). h's transaction has ended when
// it returns, as AuditRefusal needs.
func (w *Web) admin(roles []org.Role, action, objectType string, h handlerFunc) http.Handler {
	return w.staff(roles, func(r *http.Request, err error) error {
		aim, _ := r.Context().Value(aimKey{}).(*objectAim)
		if e := errs.As(err); e != nil && e.Kind == errs.Forbidden && aim.objectType == "" && aimsFirst[action] != nil {
			aimsFirst[action](w, r)
		}
		return auth.AuditRefusal(r.Context(), w.cfg.DB, auth.From(r.Context()), w.cfg.Now(), action,
			cmp.Or(aim.objectType, objectType), aim.id, err)
	}, h)
}

// aimsFirst names, for an action whose handler names its object (aimAt),
// that object when the handler did not run: the caller's role was
// refused first. The API checks the role after it has aimed.
var aimsFirst = map[string]func(*Web, *http.Request){"app.create": (*Web).aimNewApp}

// aimKey carries an admin form's *objectAim in its request's context.
type aimKey struct{}

// objectAim is the object an admin form's request aims at.
type objectAim struct{ objectType, id string }

// aimAt names the object r aims at when the path does not (a new app's
// department), for the denied row of a refusal (admin).
func aimAt(r *http.Request, objectType, id string) {
	if aim, ok := r.Context().Value(aimKey{}).(*objectAim); ok {
		aim.objectType, aim.id = objectType, id
	}
}

// shownError is an error its handler answers with a page of its own (the
// form again, with the reason beside it) rather than the error page: the
// adapter records a refusal (admin) as it records one returned, then
// calls show, whose error is shown as any other.
type shownError struct {
	err  error
	show func() error
}

func (s *shownError) Error() string { return s.err.Error() }
func (s *shownError) Unwrap() error { return s.err }
