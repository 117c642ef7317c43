package web_test

import (
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestUploadRefusedOnceSessionEnded: a console records upload whose
// account is disabled while its file arrives is refused as its batch
// commits (the session ended), shown on the form (401 登录已失效), keeps
// nothing, and leaves a denied auth.session row of the account, as the
// API's refusal does. Until 2026-12-06 the console's refusal left no row.
func TestUploadRefusedOnceSessionEnded(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		people := peopleEntry(t, f)
		c := f.client(t)
		tok := c.login("police.admin")
		u := f.users["police.admin"]

		pr, pw := io.Pipe()
		t.Cleanup(func() { pw.Close() })
		mw := multipart.NewWriter(pw)
		req, err := http.NewRequest("POST", f.srv.URL+"/records/upload", pr)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", mw.FormDataContentType())
		answer := make(chan response, 1)
		go func() {
			resp, err := c.http.Do(req)
			if err != nil {
				pr.CloseWithError(err)
				answer <- response{Body: err.Error()}
				return
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			answer <- response{Status: resp.StatusCode, Body: string(b)}
		}()
		mw.WriteField("csrf_token", tok)
		mw.WriteField("entry", strconv.FormatInt(people, 10))
		fw, err := mw.CreateFormFile("file", "people.jsonl")
		if err != nil {
			t.Fatal(err)
		}
		produced := f.clock.Now().Add(-time.Hour).Format(time.RFC3339)
		// Blank lines, which a batch skips, more than a loopback
		// connection buffers: once they are taken, the server is reading
		// the form, the request authenticated.
		padding := strings.Repeat(strings.Repeat(" ", 1<<20-1)+"\n", 64)
		if _, err := io.WriteString(fw, `{"op":"add","subject_id":"`+recordstest.CitizenID(2)+`","produced_at":"`+produced+
			`","values":{"性别":"女"}}`+"\n"+padding); err != nil {
			t.Fatalf("send the form: %v", err)
		}
		ctx := context.Background()
		if err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			_, err := org.SetDisabledIf(ctx, tx, audit.Actor{Kind: audit.ActorSystem, ID: "test"}, u.ID, true, nil, f.clock.Now())
			return err
		}); err != nil {
			t.Fatal(err)
		}
		mw.Close()
		pw.Close()
		r := <-answer
		if r.Status != http.StatusUnauthorized || !strings.Contains(r.Body, "登录已失效") {
			t.Errorf("upload, account disabled meanwhile: %d, want 401 and 登录已失效 on the form\n%.2000s", r.Status, r.Body)
		}
		count := func(query string, args ...any) int {
			t.Helper()
			var n int
			if err := db.Read().QueryRowContext(ctx, query, args...).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		if n := count(`SELECT count(*) FROM record_versions WHERE entry_id = $1`, people); n != 0 {
			t.Errorf("upload, account disabled meanwhile: %d versions stored, want 0", n)
		}
		if n := count(`SELECT count(*) FROM audit_log WHERE action = 'auth.session' AND outcome = 'denied' AND actor_id = $1`,
			strconv.FormatInt(u.ID, 10)); n != 1 {
			t.Errorf("upload, account disabled meanwhile: %d denied auth.session rows of the account, want 1", n)
		}
	})
}
