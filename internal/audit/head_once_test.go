package audit_test

import (
	"context"
	"testing"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// gajEvent is gaj.admin's (user 7) action on the catalog entry id.
func gajEvent(action, id string) audit.Event {
	return audit.Event{Actor: audit.Actor{Kind: audit.ActorUser, ID: "7", Name: "gaj.admin"},
		Action: action, ObjectType: "catalog_entry", ObjectID: id}
}

// execIn runs q in tx, failing the test if it cannot.
func execIn(t *testing.T, tx *sqldb.Tx, q string) {
	t.Helper()
	if _, err := tx.ExecContext(context.Background(), q); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// headUpdates returns how many times tx has updated audit_head so far: on
// PostgreSQL from its statistics, on SQLite from a temporary trigger that
// watch, run first in tx, sets up (and its returned function drops).
func headUpdates(t *testing.T, tx *sqldb.Tx) (watch func() func(), count func() int64) {
	ctx := context.Background()
	if tx.Dialect == sqldb.Postgres {
		return func() func() { return func() {} }, func() int64 {
			t.Helper()
			var n int64
			if err := tx.QueryRowContext(ctx, `SELECT COALESCE(SUM(n_tup_upd), 0) FROM pg_stat_xact_user_tables
				WHERE relname = 'audit_head'`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
	}
	return func() func() {
			execIn(t, tx, `CREATE TEMP TABLE head_updates (n INTEGER NOT NULL)`)
			execIn(t, tx, `INSERT INTO head_updates VALUES (0)`)
			execIn(t, tx, `CREATE TEMP TRIGGER count_head_updates AFTER UPDATE ON main.audit_head BEGIN UPDATE head_updates SET n = n + 1; END`)
			return func() { execIn(t, tx, `DROP TRIGGER count_head_updates`); execIn(t, tx, `DROP TABLE head_updates`) }
		}, func() int64 {
			t.Helper()
			var n int64
			if err := tx.QueryRowContext(ctx, `SELECT n FROM head_updates`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
}

// TestHeadWrittenOnceATransaction: a transaction appending many rows keeps
// them until its deferred rows are written (FlushDeferred, which DB.Tx
// calls as it commits) and appends them then, updating audit_head once:
// the head is neither locked nor updated before (another session takes
// it), and locked after. It locked the head at its first append until it
// committed, and updated it twice per append before that, each update a
// version of the row that PostgreSQL stepped past at every later one.
// Rows recorded under a savepoint rolled back are not appended, also when
// they were the first. Once written, the transaction reads its rows
// (Verify, List); rolled back to a savepoint of before the write, they are
// appended again at the commit. The chain verifies, in the transaction and
// after it.
func TestHeadWrittenOnceATransaction(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		appendN(t, db, 3)
		ev := func(i int) audit.Event { return gajEvent("catalog.create", string(rune('a'+i))) }
		record := func(tx *sqldb.Tx, i int) {
			t.Helper()
			if err := audit.Record(ctx, tx, ev(i), t0); err != nil {
				t.Fatal(err)
			}
		}
		// headFree tells, on PostgreSQL, whether another session can
		// lock the head now.
		headFree := func() bool {
			_, err := db.Read().ExecContext(ctx, `SELECT 1 FROM audit_head WHERE id = 1 FOR UPDATE NOWAIT`)
			return err == nil
		}
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			watch, count := headUpdates(t, tx)
			defer watch()()
			execIn(t, tx, `SAVEPOINT first`)
			record(tx, 0)
			execIn(t, tx, `ROLLBACK TO SAVEPOINT first`)
			execIn(t, tx, `RELEASE SAVEPOINT first`)
			before := count()
			for i := 1; i <= 10; i++ {
				record(tx, i)
			}
			if db.Dialect == sqldb.Postgres && !headFree() {
				t.Error("audit_head locked by a transaction that recorded rows, before it commits")
			}
			execIn(t, tx, `SAVEPOINT later`)
			record(tx, 11)
			record(tx, 12)
			execIn(t, tx, `ROLLBACK TO SAVEPOINT later`)
			record(tx, 13)
			if err := audit.RecordAll(ctx, tx, []audit.Event{ev(14), ev(15)}, t0); err != nil {
				return err
			}
			if n := count() - before; n != 0 {
				t.Errorf("audit_head updated %d times by 13 rows recorded, want none before the commit", n)
			}
			execIn(t, tx, `SAVEPOINT read`)
			if err := tx.FlushDeferred(ctx); err != nil {
				return err
			}
			rep, err := audit.Verify(ctx, tx)
			if err != nil {
				return err
			}
			if rep.Problem != nil || rep.Rows != 16 || rep.Head != 16 {
				t.Errorf("in the transaction: %+v, want intact, 16 rows", rep)
			}
			if n := count() - before; n != 1 {
				t.Errorf("audit_head updated %d times by 13 rows appended, want once", n)
			}
			if db.Dialect == sqldb.Postgres && headFree() {
				t.Error("audit_head not locked by the transaction that appended rows")
			}
			record(tx, 16)
			if err := tx.FlushDeferred(ctx); err != nil {
				return err
			}
			entries, _, err := audit.List(ctx, tx, audit.Filter{Limit: 2})
			if err != nil {
				return err
			}
			if len(entries) != 2 || entries[0].Seq != 17 || entries[0].ObjectID != "q" || entries[1].ObjectID != "p" {
				t.Errorf("listed in the transaction: %+v, want its rows 17 (q) and 16 (p)", entries)
			}
			execIn(t, tx, `ROLLBACK TO SAVEPOINT read`)
			execIn(t, tx, `RELEASE SAVEPOINT read`)
			record(tx, 16)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		rep := verify(t, db)
		if rep.Problem != nil || rep.Rows != 17 || rep.Head != 17 {
			t.Fatalf("after commit: %+v, want intact, 17 rows", rep)
		}
		var ids string
		if err := db.Read().QueryRowContext(ctx, `SELECT `+map[sqldb.Dialect]string{sqldb.SQLite: `group_concat(object_id, '')`,
			sqldb.Postgres: `string_agg(object_id, '' ORDER BY seq)`}[db.Dialect]+` FROM (SELECT object_id, seq FROM audit_log
			WHERE seq > 3 ORDER BY seq) r`).Scan(&ids); err != nil {
			t.Fatal(err)
		}
		if ids != "bcdefghijknopq" {
			t.Fatalf("rows appended: %q, want bcdefghijknopq", ids)
		}
	})
}
