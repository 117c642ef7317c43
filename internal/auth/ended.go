package auth

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/hutong-gov/hutong/internal/audit"
)

// AuditEnded records the refusal err of r's write when its principal's
// credential ended while the request ran (audit.ErrCredentialEnded: a key
// revoked or rotated without grace, a session ended, its account disabled
// or moved), in a transaction of its own after the write's rolled back,
// as the refusal of the credential at the request's start would be: an
// API key's as a key that cannot be used (auditKeyFailure, a denied
// auth.key row naming its app), a session's as a denied auth.session row
// of its account, its reason session_invalid. It returns err, or the
// audit's own error when the row cannot be written; any other error is
// returned as it is.
func (a *Authenticator) AuditEnded(r *http.Request, err error) error {
	p := From(r.Context())
	if p == nil || !errors.Is(err, audit.ErrCredentialEnded) {
		return err
	}
	now := a.Now()
	var aerr error
	if p.App != nil {
		aerr = a.auditKeyFailure(r, p.KeyID, true, now)
	} else {
		aerr = audit.RecordDenied(r.Context(), a.DB, audit.Event{Actor: p.Actor, Action: "auth.session", ObjectType: "user",
			ObjectID: strconv.FormatInt(p.User.ID, 10), Detail: audit.Detail("reason", "session_invalid", "path", r.URL.Path)}, now)
	}
	if aerr != nil {
		return aerr
	}
	return err
}
