package server_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/calendar"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/org/orgtest"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/server"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
	"github.com/hutong-gov/hutong/internal/testclock"
)

// TestMaintainPrunesLogins: one pass of the server's upkeep deletes the
// sessions expired more than org.PruneMargin ago, which only a logout
// deleted before (a staff member who closed the browser left a row for
// every login), and the counts of failed logins whose window is over as
// long, which every username tried left for ever; a session still open and a count whose window runs stay. It
// logs how many it deleted.
func TestMaintainPrunesLogins(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		clock := testclock.New(time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC))
		dept := recordstest.Department(t, db, "公安分局", 1)
		const password = "Correct-Horse-9"
		if err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			_, err := orgtest.CreateUser(ctx, tx, audit.Actor{Kind: audit.ActorSystem, ID: "test"}, org.NewUser{Username: "gaj.admin",
				DisplayName: "管理员", DepartmentID: dept, Role: org.DeptAdmin, Password: password}, clock.Now())
			return err
		}); err != nil {
			t.Fatal(err)
		}
		login := func(username, pw string) org.Session {
			t.Helper()
			s, _, err := org.Login(ctx, db, username, pw, org.Client{}, clock.Now())
			if (err == nil) != (pw == password) {
				t.Fatalf("login %s: %v", username, err)
			}
			return s
		}
		login("gaj.admin", password)
		login("nobody.old", "Wrong-Horse-9")
		clock.Add(org.SessionTTL + org.PruneMargin + time.Minute)
		live := login("gaj.admin", password)
		login("nobody.new", "Wrong-Horse-9")

		var logs bytes.Buffer
		s, err := server.New(server.Config{DB: db, Log: slog.New(slog.NewTextHandler(&logs, nil)), Now: clock.Now,
			Calendar: calendar.Default()})
		if err != nil {
			t.Fatal(err)
		}
		s.MaintainOnce(ctx, map[int]bool{})
		var sessions int
		var failures []string
		if err := db.Read().QueryRowContext(ctx, `SELECT count(*) FROM sessions`).Scan(&sessions); err != nil {
			t.Fatal(err)
		}
		rows, err := db.Read().QueryContext(ctx, `SELECT username FROM login_failures`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var u string
			if err := rows.Scan(&u); err != nil {
				t.Fatal(err)
			}
			failures = append(failures, u)
		}
		rows.Close()
		if sessions != 1 {
			t.Errorf("%d sessions left, want the one open", sessions)
		}
		if _, _, err := org.SessionUser(ctx, db.Read(), live.Token, clock.Now()); err != nil {
			t.Errorf("the open session: %v", err)
		}
		if len(failures) != 1 || failures[0] != "nobody.new" {
			t.Errorf("counts of failed logins left %v, want nobody.new's", failures)
		}
		for _, want := range []string{`msg="deleted expired sessions" deleted=1`,
			`msg="deleted counts of failed logins whose window is over" deleted=1`} {
			if !strings.Contains(logs.String(), want) {
				t.Errorf("log: %q, want %s", logs.String(), want)
			}
		}
	})
}
