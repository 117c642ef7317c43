package api

import (
	"context"
	"net/http"
	"slices"
	"strings"

	"github.com/hutong-gov/hutong/internal/auth"
	"github.com/hutong-gov/hutong/internal/ident"
	"github.com/hutong-gov/hutong/internal/records"
)

// keyAims answers, for a request refused for its API key before any
// route saw it, whose data it aimed at (auth.Authenticator.Aim): the
// routes that read a subject's data ({subject} in the path) or take a
// read's purpose, matched as the API's mux matches them, so that their
// path values are read as the routes read them, not parsed again.
type keyAims struct {
	a   *API
	mux *http.ServeMux
}

// newKeyAims registers the routes of a that read personal data.
func newKeyAims(a *API) *keyAims {
	k := &keyAims{a: a, mux: http.NewServeMux()}
	for _, rt := range a.routes {
		if strings.Contains(rt.Path, "{subject}") || slices.Contains(rt.Query, "purpose") {
			k.mux.HandleFunc(rt.Method+" "+rt.Path, k.capture)
		}
	}
	return k
}

// aimOut carries the *auth.KeyAim capture fills in.
type aimOut struct{}

// aim is whose data r aims at, none when r is no route's that reads it.
func (k *keyAims) aim(r *http.Request) auth.KeyAim {
	var out auth.KeyAim
	k.mux.ServeHTTP(discard{}, r.WithContext(context.WithValue(r.Context(), aimOut{}, &out)))
	return out
}

// capture fills in the aim of a request a route of k matched: its
// purpose when a read would take it (records.CheckPurpose), and its
// subject when it is a citizen ID or a legal entity's code
// (ident.ParseSubject's Person and LegalEntity forms): where the path
// names an entry whose subjects are persons or legal entities, only as
// that entry takes it, in its canonical form there (as a read's row names
// it, auditSubject), and not at all when the entry refuses it; else (no
// such entry) as either kind reads it. Nothing else is kept: not another
// document's number, which records take from nearly any letters and
// digits (a 证件号码's 4 to 32), nor a key of an entry of subject kind
// none (which takes any text): the caller is not authenticated, and the
// path is in the row's detail anyway. The entry is read whether or not
// it exists, and the caller is answered 401 either way.
func (k *keyAims) capture(_ http.ResponseWriter, r *http.Request) {
	out, _ := r.Context().Value(aimOut{}).(*auth.KeyAim)
	if out == nil {
		return
	}
	if p, err := records.CheckPurpose(r.URL.Query().Get("purpose")); err == nil {
		out.Purpose = p
	}
	subject := strings.TrimSpace(r.PathValue("subject"))
	f, err := ident.ParseSubject(subject)
	if subject == "" || err != nil || f.Person == "" && f.LegalEntity == "" {
		return
	}
	if id, err := pathID(r, "id"); err == nil {
		e, err := k.a.entries.Load(r.Context(), k.a.DB.Read(), id, k.a.Now())
		if err == nil && (e.SubjectKind == records.Person || e.SubjectKind == records.LegalEntity) {
			if s, err := e.Subject(subject); err == nil {
				out.SubjectID = s
			}
			return
		}
	}
	out.SubjectID = ident.SubjectForms{Person: f.Person, LegalEntity: f.LegalEntity}.Named()
}

// discard is the response writer of a match for an aim: nothing is
// answered.
type discard struct{}

func (discard) Header() http.Header         { return http.Header{} }
func (discard) Write(b []byte) (int, error) { return len(b), nil }
func (discard) WriteHeader(int)             {}
