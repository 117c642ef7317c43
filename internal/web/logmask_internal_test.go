package web

import (
	"bytes"
	"errors"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/auth"
	"github.com/hutong-gov/hutong/internal/sqldb"
)

// TestErrorLogMasksSubject: the console's error lines name a subject in
// the path masked, as the server's request log does; the audit log keeps
// it whole.
func TestErrorLogMasksSubject(t *testing.T) {
	var log bytes.Buffer
	w, err := New(Config{DB: &sqldb.DB{}, Auth: &auth.Authenticator{}, Log: slog.New(slog.NewTextHandler(&log, nil))})
	if err != nil {
		t.Fatal(err)
	}
	const id = "440605195001010008"
	r := httptest.NewRequest("GET", "/records/entries/1/subjects/"+id, nil)
	w.renderError(httptest.NewRecorder(), r, errors.New("boom"))
	if got := log.String(); strings.Contains(got, id) || !strings.Contains(got, "440605**********08") {
		t.Errorf("error log %q: want the subject masked", got)
	}
}
