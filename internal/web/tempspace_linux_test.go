package web_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"strings"
	"syscall"
	"testing"

	"github.com/hutong-gov/hutong/internal/auth"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/reqlog"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// onFullTmpDir runs fn on an OS thread of its own, in a mount namespace of
// its own where TMPDIR is a 64 KiB tmpfs, too small for a form's spill:
// the thread is never unlocked, so it ends, and its namespace with it,
// when fn returns. Mounting needs root; the test is skipped without it.
func onFullTmpDir(t *testing.T, fn func()) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("mounting a small tmpfs for TMPDIR needs root")
	}
	dir := t.TempDir()
	t.Setenv("TMPDIR", dir)
	done := make(chan error)
	go func() {
		runtime.LockOSThread()
		if err := syscall.Unshare(syscall.CLONE_NEWNS); err != nil {
			done <- err
			return
		}
		if err := syscall.Mount("", "/", "", syscall.MS_REC|syscall.MS_PRIVATE, ""); err != nil {
			done <- err
			return
		}
		if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size=64k"); err != nil {
			done <- err
			return
		}
		fn()
		done <- nil
	}()
	if err := <-done; err != nil {
		t.Fatalf("mount a small tmpfs for TMPDIR: %v", err)
	}
}

// TestUploadTempSpaceFull: a console upload over what a form keeps in
// memory, whose file cannot be spooled to a full temporary directory, is
// refused as the server's temporary condition (503 temp_space_full with
// Retry-After, logged at error level with the ENOSPC), not as a form that
// cannot be read (400 bad_form at info level): a records upload, a
// catalog import and a column mapping's sample file (POST
// /catalog/import-mappings/new, 用文件生成列映射; 477b96b's message named
// it /catalog/mappings, a route that does not exist), their form read by
// the CSRF check (token in the form) or by the handler (token in the
// header, as the console's script sends an import); a streamed import
// gets its 503 as its JSON-lines result, with the code temp_space_full
// by which the page's script says the cause (服务器临时空间不足).
func TestUploadTempSpaceFull(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		c := f.client(t)
		tok := c.login("police.admin")
		ct, body := uploadForm(t, tok, "big.csv", 33<<20)
		type answer struct {
			response
			level slog.Level
			err   string
		}
		post := func(path string, header ...string) answer {
			req := httptest.NewRequest(http.MethodPost, path, bytes.NewReader(body))
			req.Header.Set("Content-Type", ct)
			for i := 0; i+1 < len(header); i += 2 {
				req.Header.Set(header[i], header[i+1])
			}
			for _, ck := range c.http.Jar.Cookies(nil) {
				req.AddCookie(ck)
			}
			rl := &reqlog.Entry{ID: "req-1"}
			rec := httptest.NewRecorder()
			f.h.ServeHTTP(rec, req.WithContext(reqlog.With(req.Context(), rl)))
			_, level, attrs := rl.Line(rec.Code)
			a := answer{response: response{Status: rec.Code, Header: rec.Header(), Body: rec.Body.String()}, level: level}
			for _, at := range attrs {
				if at.Key == "err" {
					a.err = at.Value.String()
				}
			}
			return a
		}
		var got []answer
		onFullTmpDir(t, func() {
			got = append(got,
				post("/records/upload"),
				post("/records/upload", auth.CSRFHeader, tok),
				post("/catalog/import"),
				post("/catalog/import", auth.CSRFHeader, tok, "Accept", "application/x-ndjson"),
				post("/catalog/import-mappings/new"),
				post("/catalog/import-mappings/new", auth.CSRFHeader, tok))
		})
		for i, a := range got {
			if a.Status != http.StatusServiceUnavailable || a.Header.Get("Retry-After") == "" ||
				!strings.Contains(a.Body, "服务器临时空间已满") {
				t.Errorf("upload %d: %d, Retry-After %q\n%s; want 503 temp_space_full with Retry-After", i, a.Status, a.Header.Get("Retry-After"), a.Body)
			}
			if a.level != slog.LevelError || !strings.Contains(a.err, syscall.ENOSPC.Error()) {
				t.Errorf("upload %d logged at %v with %q; want error level with the ENOSPC", i, a.level, a.err)
			}
		}
		if len(got) == 6 {
			var res struct {
				Status     int    `json:"status"`
				Code       string `json:"code"`
				HTML       string `json:"html"`
				RetryAfter int    `json:"retry_after"`
			}
			a := got[3]
			if err := json.Unmarshal([]byte(a.Body), &res); err != nil || res.Status != http.StatusServiceUnavailable || res.Code != "temp_space_full" ||
				res.RetryAfter == 0 || !strings.Contains(res.HTML, errs.TempSpaceMessage[:len("服务器临时空间已满")]) {
				t.Errorf("streamed import: %q (%v); want its JSON-lines result, 503 temp_space_full with retry_after and the message", a.Body, err)
			}
		}
	})
}
