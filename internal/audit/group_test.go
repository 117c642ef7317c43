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

		if db.Dialect == sqldb.SQLite {
			exec(t, db, `CREATE TRIGGER audit_block BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'disk full'); END`)
		} else {
			exec(t, db, `CREATE FUNCTION audit_block() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk full'; END $$`)
			exec(t, db, `CREATE TRIGGER audit_block BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_block()`)
		}
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
