package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http/httptest"
	"strings"
	"syscall"
	"testing"

	"github.com/hutong-gov/hutong/internal/api"
	"github.com/hutong-gov/hutong/internal/errs"
)

// TestTempSpaceFullAnswered: a batch or an export that could not be
// spooled for a full temporary directory (records.Spool's and
// catalogio.Export's error, errs.TempSpace) is answered 503
// temp_space_full, with Retry-After and the Chinese message, and logged
// at error level with its cause for the operator, where it was answered
// 500 internal. Another failure of the temporary file stays 500.
func TestTempSpaceFullAnswered(t *testing.T) {
	var logged bytes.Buffer
	a := &api.API{Log: slog.New(slog.NewJSONHandler(&logged, nil))}
	full := errs.TempSpace(fmt.Errorf("spool batch: %w", &fs.PathError{Op: "write", Path: "/tmp/hutong-batch-1", Err: syscall.ENOSPC}))
	w := httptest.NewRecorder()
	a.Error(w, httptest.NewRequest("POST", "/api/v1/records/entries/1/batches", nil), full)
	var p api.Problem
	if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil {
		t.Fatal(err)
	}
	if w.Code != 503 || w.Header().Get("Retry-After") == "" || p.Code != "temp_space_full" || p.Detail != errs.TempSpaceMessage {
		t.Errorf("got %d, Retry-After %q, %+v; want 503 temp_space_full with Retry-After", w.Code, w.Header().Get("Retry-After"), p)
	}
	if !strings.Contains(logged.String(), `"level":"ERROR"`) || !strings.Contains(logged.String(), "no space left on device") {
		t.Errorf("log: %s; want an error naming the cause", logged.String())
	}
	other := errs.TempSpace(&fs.PathError{Op: "open", Path: "/tmp/hutong-batch-1", Err: syscall.EACCES})
	if p := api.ProblemFor(other); p.Status != 500 || p.Code != "internal" {
		t.Errorf("permission denied: %+v; want 500 internal", p)
	}
}
