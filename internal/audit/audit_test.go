package audit_test

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

func TestMain(m *testing.M) { os.Exit(sqldbtest.Main(m)) }

var t0 = time.Date(2026, 3, 2, 9, 30, 0, 123456789, time.UTC)

// appendN writes n audit rows, each in its own transaction.
func appendN(t *testing.T, db *sqldb.DB, n int) {
	t.Helper()
	ctx := context.Background()
	for i := range n {
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			return audit.Record(ctx, tx, audit.Event{
				Actor:  audit.Actor{Kind: audit.ActorUser, ID: "7", Name: "gaj.admin", DepartmentID: 4, RemoteAddr: "10.0.0.8"},
				Action: "data.query", ObjectType: "catalog_entry", ObjectID: "12", SubjectID: "11010519491231002X",
				Fields: "姓名,出生日期", Purpose: "NH2026-000" + string(rune('1'+i%9)),
			}, t0.Add(time.Duration(i)*time.Second))
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

func verify(t *testing.T, db *sqldb.DB) audit.Report {
	t.Helper()
	rep, err := audit.Verify(context.Background(), db.Read())
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func exec(t *testing.T, db *sqldb.DB, query string, args ...any) {
	t.Helper()
	if _, err := db.Write().ExecContext(context.Background(), query, args...); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

// rowHash is the hash stored with the log's row seq.
func rowHash(t *testing.T, db *sqldb.DB, seq int64) string {
	t.Helper()
	var hash string
	if err := db.Read().QueryRowContext(context.Background(), `SELECT hash FROM audit_log WHERE seq = $1`, seq).Scan(&hash); err != nil {
		t.Fatal(err)
	}
	return hash
}

func TestChainIntact(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		if rep := verify(t, db); rep.Problem != nil || rep.Rows != 0 {
			t.Fatalf("empty log: got %+v, want intact and empty", rep)
		}
		appendN(t, db, 5)
		rep := verify(t, db)
		if rep.Problem != nil {
			t.Fatalf("intact chain reported broken: %+v", rep.Problem)
		}
		if rep.Rows != 5 || rep.Head != 5 {
			t.Errorf("got rows %d head %d, want 5 and 5", rep.Rows, rep.Head)
		}
	})
}

func TestRolledBackActionLeavesNoRow(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		appendN(t, db, 1)
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			if err := audit.Record(ctx, tx, audit.Event{Action: "x"}, t0); err != nil {
				return err
			}
			return context.Canceled // the action fails after auditing
		})
		if err == nil {
			t.Fatal("want the transaction to fail")
		}
		appendN(t, db, 1)
		if rep := verify(t, db); rep.Problem != nil || rep.Rows != 2 {
			t.Fatalf("got %+v (problem %v), want 2 intact rows", rep, rep.Problem)
		}
	})
}

func TestTamperingDetected(t *testing.T) {
	tests := []struct {
		name    string
		tamper  func(t *testing.T, db *sqldb.DB)
		wantSeq int64
		reason  string
	}{
		{"edit a field", func(t *testing.T, db *sqldb.DB) {
			exec(t, db, `UPDATE audit_log SET subject_id = '440605199001011234' WHERE seq = 3`)
		}, 3, "篡改"},
		{"edit the time", func(t *testing.T, db *sqldb.DB) {
			exec(t, db, `UPDATE audit_log SET at = $1 WHERE seq = 2`, t0.Add(-time.Hour))
		}, 2, "篡改"},
		{"edit row and its hash", func(t *testing.T, db *sqldb.DB) {
			exec(t, db, `UPDATE audit_log SET outcome = 'denied', hash = 'ff' WHERE seq = 2`)
		}, 2, ""},
		{"delete a middle row", func(t *testing.T, db *sqldb.DB) {
			exec(t, db, `DELETE FROM audit_log WHERE seq = 3`)
		}, 3, "删除"},
		{"delete the last rows", func(t *testing.T, db *sqldb.DB) {
			exec(t, db, `DELETE FROM audit_log WHERE seq >= 4`)
		}, 4, "删除"},
		{"delete the first row and renumber", func(t *testing.T, db *sqldb.DB) {
			exec(t, db, `DELETE FROM audit_log WHERE seq = 1`)
			exec(t, db, `UPDATE audit_log SET seq = seq - 1`)
			exec(t, db, `UPDATE audit_head SET seq = seq - 1`)
		}, 1, ""},
		{"swap two rows", func(t *testing.T, db *sqldb.DB) {
			exec(t, db, `UPDATE audit_log SET seq = -2 WHERE seq = 2`)
			exec(t, db, `UPDATE audit_log SET seq = 2 WHERE seq = 3`)
			exec(t, db, `UPDATE audit_log SET seq = 3 WHERE seq = -2`)
		}, 2, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
				appendN(t, db, 5)
				tt.tamper(t, db)
				rep := verify(t, db)
				if rep.Problem == nil {
					t.Fatal("tampering not detected")
				}
				if rep.Problem.Seq != tt.wantSeq {
					t.Errorf("got first broken row %d (%s), want %d", rep.Problem.Seq, rep.Problem.Reason, tt.wantSeq)
				}
				if !strings.Contains(rep.Problem.Reason, tt.reason) {
					t.Errorf("reason %q does not mention %q", rep.Problem.Reason, tt.reason)
				}
			})
		})
	}
}

func TestList(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		appendN(t, db, 7)
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			return audit.Record(ctx, tx, audit.Event{Action: "auth.login", Outcome: audit.Denied,
				Actor: audit.Actor{Kind: audit.ActorAnonymous, ID: "nobody"}}, t0.Add(time.Hour))
		})
		if err != nil {
			t.Fatal(err)
		}
		page, next, err := audit.List(ctx, db.Read(), audit.Filter{SubjectID: "11010519491231002X", Limit: 3})
		if err != nil {
			t.Fatal(err)
		}
		if len(page) != 3 || page[0].Seq != 7 || next != 5 {
			t.Fatalf("first page: got %d rows from %d, next %d; want 3 rows from 7, next 5", len(page), page[0].Seq, next)
		}
		if page[0].Fields != "姓名,出生日期" || page[0].Actor.DepartmentID != 4 || !page[0].At.Equal(t0.Add(6*time.Second).Truncate(time.Microsecond)) {
			t.Errorf("row not read back as written: %+v", page[0])
		}
		page, next, err = audit.List(ctx, db.Read(), audit.Filter{SubjectID: "11010519491231002X", Limit: 3, Before: 2})
		if err != nil || len(page) != 1 || next != 0 {
			t.Fatalf("last page: got %d rows, next %d, err %v; want 1 row, no next", len(page), next, err)
		}
		page, _, err = audit.List(ctx, db.Read(), audit.Filter{Action: "auth.", Outcome: audit.Denied})
		if err != nil || len(page) != 1 || page[0].Actor.ID != "nobody" {
			t.Fatalf("prefix filter: got %+v, %v", page, err)
		}
		page, _, err = audit.List(ctx, db.Read(), audit.Filter{Actions: []string{"auth.login", "data.query"}, Limit: audit.MaxList})
		if err != nil || len(page) != 8 {
			t.Fatalf("any of two actions: got %d rows, %v; want 8", len(page), err)
		}
		page, _, err = audit.List(ctx, db.Read(), audit.Filter{Actions: []string{"auth.logout", "auth.login"}})
		if err != nil || len(page) != 1 || page[0].Action != "auth.login" {
			t.Fatalf("any of two actions, one written: got %+v, %v", page, err)
		}
		page, _, err = audit.List(ctx, db.Read(), audit.Filter{Actions: []string{"auth.", "data.query"}, Limit: audit.MaxList})
		if err != nil || len(page) != 8 {
			t.Fatalf("a prefix or an action: got %d rows, %v; want 8", len(page), err)
		}
		page, _, err = audit.List(ctx, db.Read(), audit.Filter{Actions: []string{"auth.", "user."}, Limit: audit.MaxList})
		if err != nil || len(page) != 1 || page[0].Action != "auth.login" {
			t.Fatalf("any of two prefixes: got %+v, %v", page, err)
		}
		// LIKE's wildcards in a prefix are letters: in the check that some
		// row has it (data.query does not make dat_. a prefix) and in the
		// list (a row of dat_.x does not bring data.query's).
		for _, f := range []audit.Filter{{Action: "dat_."}, {Actions: []string{"dat_."}}, {Actions: []string{"%."}}} {
			if _, _, err = audit.List(ctx, db.Read(), f); errs.As(err) == nil || errs.As(err).Code != "invalid_action" {
				t.Fatalf("%+v: got %v; want invalid_action", f, err)
			}
		}
		if err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			return audit.Record(ctx, tx, audit.Event{Action: "dat_.x", Actor: audit.Actor{Kind: audit.ActorSystem, ID: "legacy"}}, t0)
		}); err != nil {
			t.Fatal(err)
		}
		for _, f := range []audit.Filter{{Action: "dat_."}, {Actions: []string{"dat_."}}} {
			page, _, err = audit.List(ctx, db.Read(), f)
			if err != nil || len(page) != 1 || page[0].Action != "dat_.x" {
				t.Fatalf("%+v: got %d rows, %v; want the row of dat_.x", f, len(page), err)
			}
		}
		page, _, err = audit.List(ctx, db.Read(), audit.Filter{ActorName: "gaj.admin", Limit: audit.MaxList})
		if err != nil || len(page) != 7 {
			t.Fatalf("by actor name: got %d rows, %v; want 7", len(page), err)
		}
		page, _, err = audit.List(ctx, db.Read(), audit.Filter{ActorName: "gaj"})
		if err != nil || len(page) != 0 {
			t.Fatalf("by part of an actor name: got %d rows, %v; want none", len(page), err)
		}
	})
}

// TestParseActions: the action filter takes actions, prefixes and whole
// groups, and refuses a group there is not with the groups there are.
func TestParseActions(t *testing.T) {
	got, err := audit.ParseActions("action", "group:read", " auth.login ", "", "records.")
	want := []string{"records.read", "records.history", "records.feed", "records.discrepancy.read", "records.batch.read", "auth.login", "records."}
	if err != nil || !slices.Equal(got, want) {
		t.Errorf("got %q, %v; want %q", got, err, want)
	}
	// Actions are lower case; SQLite's LIKE ignores case and PostgreSQL's
	// does not, so the filter is read in lower case for both to agree.
	if got, err := audit.ParseActions("action", "Records.", "AUTH.Login"); err != nil || !slices.Equal(got, []string{"records.", "auth.login"}) {
		t.Errorf("upper case: got %q, %v; want the actions in lower case", got, err)
	}
	if got, err := audit.ParseActions("action"); err != nil || got != nil {
		t.Errorf("no values: got %q, %v; want no filter", got, err)
	}
	for _, v := range []string{"group:nothing", "group:", "records.read\x00", strings.Repeat("a", 101)} {
		_, err := audit.ParseActions("action", "auth.login", v)
		e := errs.As(err)
		if e == nil || e.Code != "invalid_action" || e.Field != "action" || !errs.Is(err, errs.Invalid) {
			t.Errorf("%q: got %v, want invalid_action", v, err)
		}
	}
	_, err = audit.ParseActions("action", "group:nothing")
	if msg := errs.As(err).Message; !strings.Contains(msg, "没有这一类操作：group:nothing") || !strings.Contains(msg, "group:read（数据读取）") {
		t.Errorf("message %q names neither the value nor the groups", msg)
	}
}

// TestListUnknownAction: List refuses an action or prefix that neither
// ActionGroups nor any row has (a misspelt action, which would match
// nothing), and lists an empty page as [] rather than nil; an action only
// older rows have (data.query here) is still found. On both engines.
func TestListUnknownAction(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		appendN(t, db, 2)
		for _, v := range []string{"bogus", "record.read", "records.rea", "recordz.", "data.quer", "data.query.", "_."} {
			_, _, err := audit.List(ctx, db.Read(), audit.Filter{Actions: []string{"auth.login", v}})
			if e := errs.As(err); e == nil || e.Code != "invalid_action" || e.Field != "action" || !strings.Contains(e.Message, v) {
				t.Errorf("%q: got %v, want invalid_action naming it", v, err)
			}
		}
		for _, v := range []string{"data.query", "data.", "records.read", "app.key."} {
			page, _, err := audit.List(ctx, db.Read(), audit.Filter{Actions: []string{v}})
			if err != nil || page == nil {
				t.Errorf("%q: got %v, %v; want a list", v, page, err)
			}
		}
		if page, _, err := audit.List(ctx, db.Read(), audit.Filter{Actions: []string{"data."}}); err != nil || len(page) != 2 {
			t.Errorf("data.: got %d rows, %v; want the 2 older rows", len(page), err)
		}
	})
}

// TestFilterCheck: an actor kind or an outcome no row can have is refused.
func TestFilterCheck(t *testing.T) {
	for _, tt := range []struct {
		f    audit.Filter
		code string
	}{
		{audit.Filter{}, ""},
		{audit.Filter{ActorKind: audit.ActorApp, Outcome: audit.Denied}, ""},
		{audit.Filter{ActorKind: "robot"}, "invalid_actor_kind"},
		{audit.Filter{Outcome: "maybe"}, "invalid_outcome"},
	} {
		err := tt.f.Check()
		if code := errs.As(err); (code == nil) != (tt.code == "") || (code != nil && code.Code != tt.code) {
			t.Errorf("%+v: got %v, want %q", tt.f, err, tt.code)
		}
	}
}

func BenchmarkRecord(b *testing.B) {
	db := sqldbtest.SQLite(b)
	ctx := context.Background()
	for b.Loop() {
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			return audit.Record(ctx, tx, audit.Event{Action: "data.verify", SubjectID: "11010519491231002X"}, t0)
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// TestAppendManyRows appends more rows in one transaction than one INSERT
// carries: every row is stored once, in order, with its own fields, and
// the chain verifies.
func TestAppendManyRows(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		appendN(t, db, 2)
		n := 2*audit.InsertRows + 5
		evs, ats := make([]audit.Event, n), make([]time.Time, n)
		for i := range evs {
			evs[i] = audit.Event{Actor: audit.Actor{Kind: audit.ActorApp, ID: "k1", Name: "审批系统"},
				Action: "records.read", ObjectType: "catalog_entry", ObjectID: "3", SubjectID: fmt.Sprint("S", i),
				Purpose: fmt.Sprint("case-", i)}
			ats[i] = t0.Add(time.Duration(i) * time.Millisecond)
		}
		if err := db.Tx(ctx, func(tx *sqldb.Tx) error { audit.AppendAll(tx, evs, ats); return nil }); err != nil {
			t.Fatal(err)
		}
		if rep := verify(t, db); rep.Problem != nil || rep.Rows != int64(n+2) || rep.Head != int64(n+2) {
			t.Fatalf("after %d rows in one transaction: %+v", n, rep)
		}
		rows, err := db.Read().QueryContext(ctx, `SELECT seq, subject_id, purpose FROM audit_log WHERE seq > 2 ORDER BY seq`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		i := 0
		for ; rows.Next(); i++ {
			var seq int64
			var subject, purpose string
			if err := rows.Scan(&seq, &subject, &purpose); err != nil {
				t.Fatal(err)
			}
			if seq != int64(i+3) || subject != fmt.Sprint("S", i) || purpose != fmt.Sprint("case-", i) {
				t.Fatalf("row %d: seq %d, subject %s, purpose %s", i, seq, subject, purpose)
			}
		}
		if err := rows.Err(); err != nil || i != n {
			t.Fatalf("%d rows read (%v), want %d", i, err, n)
		}
	})
}

// TestAnchor: the chain alone takes rows deleted from its end, with
// audit_head set to the last row left, for an intact log; a head reported
// earlier and kept elsewhere (an anchor) tells it, and a chain rewritten
// with new hashes, and holds for the log it was taken from and its growth.
func TestAnchor(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		appendN(t, db, 10)
		rep := verify(t, db)
		last := rowHash(t, db, 10)
		if rep.Problem != nil || rep.Head != 10 || rep.HeadHash != last {
			t.Fatalf("report = %+v, want intact with head 10:%s", rep, last)
		}
		head, err := audit.ParseAnchor(fmt.Sprintf(" %d:%s ", rep.Head, strings.ToUpper(rep.HeadHash)))
		if err != nil || head != (audit.Anchor{Seq: 10, Hash: last}) {
			t.Fatalf("ParseAnchor(head) = %+v, %v", head, err)
		}
		withAnchor := func(a audit.Anchor) audit.Report {
			t.Helper()
			rep, err := audit.VerifyDB(ctx, db, a)
			if err != nil {
				t.Fatal(err)
			}
			return rep
		}
		appendN(t, db, 2)
		if rep := withAnchor(head); rep.Problem != nil || rep.Head != 12 {
			t.Errorf("grown log against its earlier head: %+v", rep)
		}
		if rep := withAnchor(audit.Anchor{Seq: 10, Hash: strings.Repeat("0", 64)}); rep.Problem == nil || rep.Problem.Seq != 10 {
			t.Errorf("an anchor of another hash: %+v, want a problem at 10", rep)
		}
		// Rows 9 to 12 deleted and the head set to row 8.
		exec(t, db, `DELETE FROM audit_log WHERE seq > 8`)
		exec(t, db, `UPDATE audit_head SET seq = 8, hash = (SELECT hash FROM audit_log WHERE seq = 8) WHERE id = 1`)
		if rep := verify(t, db); rep.Problem != nil {
			t.Fatalf("the chain alone: %+v, want intact (what an anchor is for)", rep)
		}
		if rep := withAnchor(head); rep.Problem == nil || rep.Problem.Seq != 9 || !strings.Contains(rep.Problem.Reason, "末尾记录连同链头被删除") {
			t.Errorf("truncated log against its earlier head: %+v, want a problem at 9", rep)
		}
		for _, bad := range []string{"", "10", "10:", ":" + last, "0:" + last, "-1:" + last, "x:" + last, "10:" + last[1:], "10:" + last + "00",
			"10:" + strings.Repeat("g", 64)} {
			if _, err := audit.ParseAnchor(bad); err == nil {
				t.Errorf("ParseAnchor(%q) accepted", bad)
			}
		}
	})
}
