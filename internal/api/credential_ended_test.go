package api_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/auth"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/org/orgtest"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// heldUpload is an upload whose body the test holds on a pipe: its
// headers are sent, and the server reads its body as the test writes it.
type heldUpload struct {
	body *io.PipeWriter
	done chan heldAnswer
}

type heldAnswer struct {
	status int
	body   map[string]any
	err    error
}

// holdUpload starts a POST of path on base, its body on a pipe, with hdr's
// name and value pairs as headers.
func holdUpload(t *testing.T, base, path string, hdr ...string) *heldUpload {
	t.Helper()
	pr, pw := io.Pipe()
	req, err := http.NewRequest("POST", base+path, pr)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	u := &heldUpload{body: pw, done: make(chan heldAnswer, 1)}
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			pr.CloseWithError(err)
			u.done <- heldAnswer{err: err}
			return
		}
		defer resp.Body.Close()
		a := heldAnswer{status: resp.StatusCode}
		b, _ := io.ReadAll(resp.Body)
		json.Unmarshal(b, &a.body)
		u.done <- a
	}()
	t.Cleanup(func() { pw.Close() })
	return u
}

// send writes s to the body: it returns once the client has taken it.
func (u *heldUpload) send(t *testing.T, s string) {
	t.Helper()
	if _, err := io.WriteString(u.body, s); err != nil {
		t.Fatalf("send the body: %v", err)
	}
}

// finish ends the body and returns the answer.
func (u *heldUpload) finish(t *testing.T) heldAnswer {
	t.Helper()
	u.body.Close()
	a := <-u.done
	if a.err != nil {
		t.Fatalf("upload: %v", a.err)
	}
	return a
}

// padding is whitespace lines that a batch of JSON lines skips, more than
// a loopback connection buffers (tcp_rmem and tcp_wmem's largest): sent
// whole, the server has read part of it, so it has authenticated the
// request and is reading its body.
var padding = strings.Repeat(strings.Repeat(" ", 1<<20-1)+"\n", 64)

// awaitKeyUse waits until the key keyID is recorded used after before
// (auth's touch, as the middleware authenticates a request with it).
func awaitKeyUse(t *testing.T, db *sqldb.DB, keyID string, before *time.Time) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		var used *time.Time
		if err := db.Read().QueryRowContext(context.Background(), `SELECT last_used_at FROM app_keys WHERE key_id = $1`, keyID).
			Scan(&used); err != nil {
			t.Fatal(err)
		}
		if used != nil && (before == nil || !used.Equal(*before)) {
			return
		}
	}
	t.Fatalf("key %s: the request was not authenticated", keyID)
}

// keyIDOf is the key id of a whole key, htk_<key id>_<secret>.
func keyIDOf(key string) string { return strings.Split(key, "_")[1] }

// TestWriteRefusedOnceCredentialEnded: a write whose request began while
// its credential was valid, and whose body was still on its way as the
// credential ended — its app revoked, its key rotated without grace, its
// session's account disabled or given another role, its catalog import's
// app revoked — is refused 401 with the code of the credential's refusal
// (invalid_api_key, session_invalid), leaves nothing of the write (no
// batch, no record, no entry, no row of the write) and is audited as a
// refused key (a denied auth.key row) or session (a denied auth.session
// row). Until 2026-12-06 each was applied (201), the credential checked
// only as the request's headers arrived.
func TestWriteRefusedOnceCredentialEnded(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf := newRecordsFixture(t, db)
		ctx := context.Background()
		sys := audit.Actor{Kind: audit.ActorSystem, ID: "test"}
		change := func(f func(tx *sqldb.Tx) error) {
			t.Helper()
			if err := db.Tx(ctx, f); err != nil {
				t.Fatal(err)
			}
		}
		batches := "/api/v1/records/entries/" + strconv.FormatInt(rf.entryA, 10) + "/batches"
		line := opLine("add", recordstest.CitizenID(7), beijing(t0.Add(-time.Hour)), map[string]string{"姓名": "张三"}) + "\n"
		nothingWritten := func(what string) {
			t.Helper()
			for _, q := range []string{`SELECT count(*) FROM record_batches`, `SELECT count(*) FROM record_versions`,
				`SELECT count(*) FROM audit_log WHERE action = 'records.batch'`} {
				if n := rf.countWhere(t, q); n != 0 {
					t.Errorf("%s: %s = %d, want 0", what, q, n)
				}
			}
		}
		refused := func(what string, a heldAnswer, code string) {
			t.Helper()
			if a.status != http.StatusUnauthorized || a.body["code"] != code {
				t.Errorf("%s: %d %v, want 401 %s", what, a.status, a.body, code)
			}
		}

		// Apps of 公安 pushing records, each key not used yet.
		newPusher := func(name string) (org.App, string) {
			t.Helper()
			var app org.App
			var key string
			change(func(tx *sqldb.Tx) (err error) {
				app, key, err = org.CreateApp(ctx, tx, sys, org.NewApp{Name: name, DepartmentID: rf.gaID, Scopes: []string{"records.write"}}, t0)
				return err
			})
			return app, key
		}
		for i, c := range []struct {
			what string
			end  func(tx *sqldb.Tx, app org.App) error
		}{
			{"app revoked", func(tx *sqldb.Tx, app org.App) error { return org.RevokeApp(ctx, tx, sys, app.ID, t0) }},
			{"key rotated without grace", func(tx *sqldb.Tx, app org.App) error {
				_, _, err := org.RotateKey(ctx, tx, sys, app.ID, 0, t0)
				return err
			}},
		} {
			app, key := newPusher("推送" + strconv.Itoa(i))
			u := holdUpload(t, rf.srv.URL, batches, "Authorization", "Bearer "+key, "Content-Type", "application/x-ndjson")
			u.send(t, line)
			awaitKeyUse(t, db, keyIDOf(key), nil)
			change(func(tx *sqldb.Tx) error { return c.end(tx, app) })
			refused(c.what, u.finish(t), "invalid_api_key")
			nothingWritten(c.what)
			if n := rf.countWhere(t, `SELECT count(*) FROM audit_log WHERE action = 'auth.key' AND outcome = 'denied'
				AND object_id = $1 AND actor_name = $2`, keyIDOf(key), app.Name); n != 1 {
				t.Errorf("%s: %d denied auth.key rows of the key, want 1", c.what, n)
			}
		}

		// Sessions of 公安's department administrators.
		var admins []int64
		change(func(tx *sqldb.Tx) error {
			for _, name := range []string{"ga.admin1", "ga.admin2"} {
				u, err := orgtest.CreateUser(ctx, tx, sys, org.NewUser{Username: name, DisplayName: name,
					DepartmentID: rf.gaID, Role: org.DeptAdmin, Password: password}, t0)
				if err != nil {
					return err
				}
				admins = append(admins, u.ID)
			}
			return nil
		})
		reviewer := org.Reviewer
		for i, c := range []struct {
			what string
			end  func(tx *sqldb.Tx, id int64) error
		}{
			{"account disabled", func(tx *sqldb.Tx, id int64) error {
				_, err := org.SetDisabledIf(ctx, tx, sys, id, true, nil, t0)
				return err
			}},
			{"account made a reviewer", func(tx *sqldb.Tx, id int64) error {
				_, err := org.UpdateUser(ctx, tx, sys, id, org.UserChange{Role: &reviewer}, t0)
				return err
			}},
		} {
			r := rf.do(t, "POST", "/api/v1/auth/login", "", `{"username":"ga.admin`+strconv.Itoa(i+1)+`","password":"`+password+`"}`)
			if r.status != http.StatusOK {
				t.Fatalf("login: %d %v", r.status, r.body)
			}
			cookie := auth.SessionCookie + "=" + strings.Split(strings.TrimPrefix(r.header.Get("Set-Cookie"), auth.SessionCookie+"="), ";")[0]
			u := holdUpload(t, rf.srv.URL, batches, "Cookie", cookie, auth.CSRFHeader, r.body["csrf_token"].(string),
				"Content-Type", "application/x-ndjson")
			u.send(t, line+padding)
			change(func(tx *sqldb.Tx) error { return c.end(tx, admins[i]) })
			refused(c.what, u.finish(t), "session_invalid")
			nothingWritten(c.what)
			if n := rf.countWhere(t, `SELECT count(*) FROM audit_log WHERE action = 'auth.session' AND outcome = 'denied'
				AND actor_id = $1`, strconv.FormatInt(admins[i], 10)); n != 1 {
				t.Errorf("%s: %d denied auth.session rows of the account, want 1", c.what, n)
			}
		}

		// A catalog import whose app is revoked as its workbook arrives.
		key := catalogKey(t, rf.fixture)
		if r := rf.do(t, "POST", "/api/v1/catalog/import-mappings", key, `{"name":"民政","columns":{},"defaults":{"数据类型":"C","长度":"18"}}`); r.status != 200 {
			t.Fatalf("save mapping: %d %v", r.status, r.body)
		}
		var used time.Time
		var appID int64
		if err := db.Read().QueryRowContext(ctx, `SELECT last_used_at, app_id FROM app_keys WHERE key_id = $1`, keyIDOf(key)).
			Scan(&used, &appID); err != nil {
			t.Fatal(err)
		}
		rf.clock.Add(2 * org.KeyTouchInterval) // the import's request records the key's use again
		u := holdUpload(t, rf.srv.URL, "/api/v1/catalog/import?format=csv&good_only=true&mapping="+url.QueryEscape("民政"),
			"Authorization", "Bearer "+key, "Content-Type", "text/csv")
		half := len(importCSV) / 2
		u.send(t, importCSV[:half])
		awaitKeyUse(t, db, keyIDOf(key), &used)
		change(func(tx *sqldb.Tx) error { return org.RevokeApp(ctx, tx, sys, appID, t0) })
		u.send(t, importCSV[half:])
		refused("catalog import, app revoked", u.finish(t), "invalid_api_key")
		if n := rf.countWhere(t, `SELECT count(*) FROM catalog_entries WHERE name = '婚姻登记信息'`); n != 0 {
			t.Errorf("catalog import, app revoked: %d entries stored, want 0", n)
		}
		if n := rf.countWhere(t, `SELECT count(*) FROM audit_log WHERE action = 'catalog.import'`); n != 0 {
			t.Errorf("catalog import, app revoked: %d catalog.import rows, want 0", n)
		}
		if n := rf.countWhere(t, `SELECT count(*) FROM audit_log WHERE action = 'auth.key' AND outcome = 'denied'
			AND object_id = $1`, keyIDOf(key)); n != 1 {
			t.Errorf("catalog import, app revoked: %d denied auth.key rows of the key, want 1", n)
		}
	})
}
