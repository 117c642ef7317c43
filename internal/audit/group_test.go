package audit_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestGroup appends rows from many goroutines at once through a Group:
// every row is stored once, in a chain that verifies; then, with the log
// unwritable, every caller gets audit_unavailable and nothing is stored.
func TestGroup(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		g := audit.NewGroup(db)
		const callers, each = 32, 25
		record := func(c, i int) error {
			return g.Record(audit.Event{Actor: audit.Actor{Kind: audit.ActorApp, ID: fmt.Sprint(c)}, Action: "records.read",
				ObjectType: "catalog_entry", ObjectID: "1", SubjectID: fmt.Sprintf("%d-%d", c, i)}, t0.Add(time.Duration(i)*time.Second))
		}
		var wg sync.WaitGroup
		errc := make(chan error, callers*each)
		for c := range callers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range each {
					if err := record(c, i); err != nil {
						errc <- err
					}
				}
			}()
		}
		wg.Wait()
		close(errc)
		for err := range errc {
			t.Fatal(err)
		}
		rep := verify(t, db)
		if rep.Problem != nil || rep.Rows != callers*each {
			t.Fatalf("after %d grouped rows: %+v", callers*each, rep)
		}
		var distinct int
		if err := db.Read().QueryRowContext(t.Context(), `SELECT count(DISTINCT subject_id) FROM audit_log`).Scan(&distinct); err != nil {
			t.Fatal(err)
		}
		if distinct != callers*each {
			t.Errorf("%d distinct rows, want %d", distinct, callers*each)
		}

		sqldbtest.BlockAudit(t, db)
		var failed sync.WaitGroup
		for c := range 8 {
			failed.Add(1)
			go func() {
				defer failed.Done()
				err := record(100+c, 0)
				if e := errs.As(err); e == nil || e.Code != "audit_unavailable" {
					t.Errorf("with the log unwritable: %v, want audit_unavailable", err)
				}
			}()
		}
		failed.Wait()
		if rep := verify(t, db); rep.Rows != callers*each {
			t.Errorf("rows after refused appends: %d, want %d", rep.Rows, callers*each)
		}
	})
}

// TestGroupStoresAnyText: a purpose or subject a caller sent with NUL or
// bytes that are not UTF-8 is stored (as U+FFFD) on both engines, and
// fails neither its row nor its neighbours' in the round.
func TestGroupStoresAnyText(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		g := audit.NewGroup(db)
		const callers = 30
		var wg sync.WaitGroup
		errc := make(chan error, callers)
		for c := range callers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				purpose := "办件 NH2026-0001"
				if c%10 == 3 {
					purpose = "a\x00b\xff"
				}
				errc <- g.Record(audit.Event{Actor: audit.Actor{Kind: audit.ActorApp, ID: fmt.Sprint(c)}, Action: "records.read",
					ObjectType: "catalog_entry", ObjectID: "1", SubjectID: "x\x00" + fmt.Sprint(c), Purpose: purpose}, t0)
			}()
		}
		wg.Wait()
		close(errc)
		for err := range errc {
			if err != nil {
				t.Error(err)
			}
		}
		var n int
		if err := db.Read().QueryRowContext(t.Context(), `SELECT count(*) FROM audit_log WHERE purpose = $1`, "a\uFFFDb\uFFFD").Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 3 {
			t.Errorf("rows with the purpose stored as a\uFFFDb\uFFFD: %d, want 3", n)
		}
		if rep := verify(t, db); rep.Problem != nil || rep.Rows != callers {
			t.Errorf("chain: %+v", rep)
		}
	})
}

// TestVerifyWhileWriting: a verification during appends sees one moment
// of the log and never takes rows being written for tampering.
func TestVerifyWhileWriting(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		appendN(t, db, 2000) // a log long enough that reading it overlaps appends
		g := audit.NewGroup(db)
		stop := make(chan struct{})
		var wg sync.WaitGroup
		for w := range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; ; i++ {
					select {
					case <-stop:
						return
					default:
					}
					if err := g.Record(audit.Event{Actor: audit.Actor{Kind: audit.ActorApp, ID: fmt.Sprint(w)}, Action: "records.read",
						ObjectType: "catalog_entry", ObjectID: "1", SubjectID: fmt.Sprint(i)}, t0); err != nil {
						t.Error(err)
						return
					}
				}
			}()
		}
		for range 30 {
			rep, err := audit.VerifyDB(t.Context(), db)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Problem != nil || rep.Rows != rep.Head {
				t.Errorf("verify during appends: %+v", rep)
				break
			}
		}
		close(stop)
		wg.Wait()
	})
}
