package web

import (
	"errors"
	"net/http"
)

// ErrorPage shows err as the console's Chinese error page, as the console
// shows its pages' own errors (internal errors logged once, shown as 内部错误
// without detail), for errors met before the console's handlers: in the
// server's middleware.
func (w *Web) ErrorPage(rw http.ResponseWriter, r *http.Request, err error) {
	w.renderError(rw, r, err)
}

// InternalErrorPage shows the console's 内部错误 page and logs nothing, for
// a failure its caller logged itself (a recovered panic).
func (w *Web) InternalErrorPage(rw http.ResponseWriter, r *http.Request) {
	status, e := userError(errors.New("internal error"))
	w.showError(rw, r, status, e)
}
