package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/ident"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/org/orgtest"
	"github.com/hutong-gov/hutong/internal/server"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestThrottleClock: on the real clock (Config.Now nil) the throttle of
// failed authentication measures its windows by a clock whose readings
// carry time.Now's monotonic reading (auth.Authenticator.Monotonic), which
// a step of the wall clock does not move (auth's
// TestThrottleAfterStepBack); Clock's readings carry none (UTC and
// Truncate strip it), and measured by them a 10-minute throttle lasted 10
// minutes plus a step back. On a clock of the tests (Config.Now), the
// throttle follows it.
func TestThrottleClock(t *testing.T) {
	db := sqldbtest.SQLite(t)
	s, err := server.New(server.Config{DB: db, Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if m := s.API.Auth.Monotonic; m == nil || !strings.Contains(m().String(), " m=") {
		t.Error("the throttle's clock on the real clock carries no monotonic reading")
	}
	s, err = server.New(server.Config{DB: db, Log: slog.New(slog.DiscardHandler), Now: server.Clock})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.API.Auth.Monotonic != nil {
		t.Error("the throttle has a clock of its own beside the clock of the tests")
	}
}

// TestWriteTimesReadBack: the created_at a POST of a department, a user
// and an app answers (the app's key's too), and its idempotent replay,
// and the updated_at a PUT of a security level answers, are the times a
// later GET reads, on both engines, with the server's default clock. It
// gave nanoseconds, which PostgreSQL dropped below the microsecond on
// storing: the write answered …03.287789817Z and the GET …03.287789Z.
func TestWriteTimesReadBack(t *testing.T) {
	if now := server.Clock(); now.Location() != time.UTC || now.Nanosecond()%1000 != 0 {
		t.Errorf("Clock() = %v, want UTC to the microsecond", now)
	}
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		sys := audit.Actor{Kind: audit.ActorSystem, ID: "test", Name: "test"}
		var deptID int64
		var opKey string
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			if err := org.CreateRegion(ctx, tx, sys, &org.Region{Code: "440000", Name: "广东省", Level: org.Province}, time.Now()); err != nil {
				return err
			}
			code, err := ident.MakeUSCC("11440000", "00734567")
			if err != nil {
				return err
			}
			d := org.Department{Name: "广东省政务服务数据管理局", USCC: code, RegionCode: "440000", IsOperator: true}
			if err := org.CreateDepartment(ctx, tx, sys, &d, time.Now()); err != nil {
				return err
			}
			deptID = d.ID
			if _, err := orgtest.CreateUser(ctx, tx, sys, org.NewUser{Username: "gd.op", DisplayName: "运维", DepartmentID: d.ID,
				Role: org.Operator, Password: "Hutong-Test-2026"}, time.Now()); err != nil {
				return err
			}
			_, opKey, err = org.CreateApp(ctx, tx, sys, org.NewApp{Name: "运维", DepartmentID: d.ID, Scopes: []string{"admin"}}, time.Now())
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		ts := newServer(t, db)
		do := func(c *http.Client, method, path string, header http.Header, body string, want int) map[string]any {
			t.Helper()
			req, err := http.NewRequest(method, ts.URL+path, bytes.NewReader([]byte(body)))
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range header {
				req.Header[k] = v
			}
			if body != "" {
				req.Header.Set("Content-Type", "application/json")
			}
			resp, err := c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != want {
				t.Fatalf("%s %s: %d %s, want %d", method, path, resp.StatusCode, b, want)
			}
			var v map[string]any
			if err := json.Unmarshal(b, &v); err != nil {
				t.Fatalf("%s %s: %v in %s", method, path, err, b)
			}
			return v
		}
		keyed := http.Header{"Authorization": {"Bearer " + opKey}}
		// create POSTs body to path with an Idempotency-Key, replays it,
		// and returns both answers.
		create := func(path, body, key string) (first, replay map[string]any) {
			t.Helper()
			h := keyed.Clone()
			h.Set("Idempotency-Key", key)
			return do(http.DefaultClient, "POST", path, h, body, 201), do(http.DefaultClient, "POST", path, h, body, 201)
		}
		same := func(what string, wrote, replayed, read any) {
			t.Helper()
			if wrote == nil || wrote != replayed || wrote != read {
				t.Errorf("%s: the write answered %v, its replay %v, a later GET %v; want one time", what, wrote, replayed, read)
			}
		}
		id := func(v any) string { return strconv.FormatFloat(v.(float64), 'f', 0, 64) }

		code, err := ident.MakeUSCC("11440000", "00734568")
		if err != nil {
			t.Fatal(err)
		}
		d, dr := create("/api/v1/departments", `{"name":"广东省教育厅","uscc":"`+code+`","region_code":"440000"}`, "dept")
		got := do(http.DefaultClient, "GET", "/api/v1/departments/"+id(d["id"]), keyed, "", 200)
		same("department created_at", d["created_at"], dr["created_at"], got["created_at"])

		u, ur := create("/api/v1/users", `{"username":"clerk","display_name":"李编制","department_id":`+strconv.FormatInt(deptID, 10)+
			`,"role":"reviewer","password":"Hutong-Test-2026"}`, "user")
		got = do(http.DefaultClient, "GET", "/api/v1/users/"+id(u["id"]), keyed, "", 200)
		same("user created_at", u["created_at"], ur["created_at"], got["created_at"])

		a, ar := create("/api/v1/apps", `{"name":"查询","department_id":`+strconv.FormatInt(deptID, 10)+`,"scopes":["catalog.read"]}`, "app")
		app, replayed := a["app"].(map[string]any), ar["app"].(map[string]any)
		got = do(http.DefaultClient, "GET", "/api/v1/apps/"+id(app["id"]), keyed, "", 200)
		same("app created_at", app["created_at"], replayed["created_at"], got["created_at"])
		key := func(app map[string]any) any {
			keys, _ := app["keys"].([]any)
			if len(keys) != 1 {
				t.Fatalf("app keys %v, want one", app["keys"])
			}
			return keys[0].(map[string]any)["created_at"]
		}
		same("app key created_at", key(app), key(replayed), key(got))

		c, csrf := consoleLogin(t, ts.URL, "gd.op")
		set := do(c, "PUT", "/api/v1/catalog/security-levels/3", http.Header{"X-CSRF-Token": {csrf}},
			`{"name":"3级","description":"泄露后对个人合法权益造成一般损害"}`, 200)
		levels := do(c, "GET", "/api/v1/catalog/security-levels", nil, "", 200)
		var read any
		for _, l := range levels["items"].([]any) {
			if l := l.(map[string]any); l["level"] == float64(3) {
				read = l["updated_at"]
			}
		}
		same("security level updated_at", set["updated_at"], set["updated_at"], read)
	})
}
