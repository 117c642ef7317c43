package sqldb_test

import (
	"context"
	"errors"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// counter is a Deferred writing its value to the row k of deferred_rows.
type counter struct {
	k string
	v int64
}

func (c counter) Flush(ctx context.Context, tx *sqldb.Tx) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO deferred_rows (k, v) VALUES ($1, $2)
		ON CONFLICT (k) DO UPDATE SET v = excluded.v`, c.k, c.v)
	return err
}

// TestDeferredFollowsSavepoints: a transaction's Deferreds are written
// before it commits, in the order of their first use, once; a rollback to a
// savepoint takes them back to what they were when it was set (and drops
// those first used after it), as it does the rows, whatever the savepoints
// nested, released or rolled back to twice; FlushDeferred writes them
// mid-transaction and forgets them; a failed write rolls the transaction
// back; a rolled back transaction writes none.
func TestDeferredFollowsSavepoints(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		if _, err := db.Write().ExecContext(ctx, `CREATE TABLE deferred_rows (k TEXT PRIMARY KEY, v BIGINT NOT NULL)`); err != nil {
			t.Fatal(err)
		}
		exec := func(tx *sqldb.Tx, q string) {
			t.Helper()
			if _, err := tx.ExecContext(ctx, q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		get := func(tx *sqldb.Tx, k string) int64 {
			t.Helper()
			c, ok := tx.Deferred(k).(counter)
			if !ok {
				return -1
			}
			return c.v
		}
		set := func(tx *sqldb.Tx, k string, v int64) { tx.SetDeferred(k, counter{k, v}) }
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			set(tx, "a", 1)
			exec(tx, `SAVEPOINT one`)
			set(tx, "a", 2)
			set(tx, "b", 20)
			exec(tx, `savepoint two`)
			set(tx, "a", 3)
			exec(tx, `ROLLBACK TO SAVEPOINT two`)
			if got := get(tx, "a"); got != 2 {
				t.Errorf("after ROLLBACK TO two: a = %d, want 2", got)
			}
			set(tx, "a", 4)
			exec(tx, `ROLLBACK TO two`) // again: the savepoint stays
			if got := get(tx, "a"); got != 2 {
				t.Errorf("after a second ROLLBACK TO two: a = %d, want 2", got)
			}
			exec(tx, `RELEASE SAVEPOINT two`)
			exec(tx, `ROLLBACK TO SAVEPOINT one`)
			if a, b := get(tx, "a"), get(tx, "b"); a != 1 || b != -1 {
				t.Errorf("after ROLLBACK TO one: a = %d, b = %d; want 1 and none", a, b)
			}
			set(tx, "c", 300)
			exec(tx, `RELEASE one`)
			set(tx, "a", 5)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		rows := func() map[string]int64 {
			t.Helper()
			got := map[string]int64{}
			rs, err := db.Read().QueryContext(ctx, `SELECT k, v FROM deferred_rows`)
			if err != nil {
				t.Fatal(err)
			}
			defer rs.Close()
			for rs.Next() {
				var k string
				var v int64
				if err := rs.Scan(&k, &v); err != nil {
					t.Fatal(err)
				}
				got[k] = v
			}
			return got
		}
		if got := rows(); len(got) != 2 || got["a"] != 5 || got["c"] != 300 {
			t.Fatalf("committed rows = %v, want a=5 c=300", got)
		}

		// Flushed mid-transaction, then rolled back to a savepoint of
		// before the flush: the row and the value go back together.
		err = db.Tx(ctx, func(tx *sqldb.Tx) error {
			exec(tx, `SAVEPOINT s`)
			set(tx, "a", 6)
			if err := tx.FlushDeferred(ctx); err != nil {
				return err
			}
			if got := get(tx, "a"); got != -1 {
				t.Errorf("after FlushDeferred: a = %d, want none", got)
			}
			exec(tx, `ROLLBACK TO SAVEPOINT s`)
			set(tx, "c", 301)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if got := rows(); got["a"] != 5 || got["c"] != 301 {
			t.Fatalf("rows = %v, want a=5 c=301", got)
		}

		// A transaction that fails keeps nothing; one whose write fails
		// fails and keeps nothing either.
		boom := errors.New("boom")
		if err := db.Tx(ctx, func(tx *sqldb.Tx) error { set(tx, "a", 7); return boom }); !errors.Is(err, boom) {
			t.Fatalf("Tx = %v, want boom", err)
		}
		err = db.Tx(ctx, func(tx *sqldb.Tx) error {
			set(tx, "a", 8)
			tx.SetDeferred("bad", failing{})
			return nil
		})
		if err == nil {
			t.Fatal("Tx with a failing Deferred committed")
		}
		if got := rows(); got["a"] != 5 || got["c"] != 301 || len(got) != 2 {
			t.Fatalf("rows = %v, want a=5 c=301", got)
		}
	})
}

// failing is a Deferred whose write fails.
type failing struct{}

func (failing) Flush(ctx context.Context, tx *sqldb.Tx) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO no_such_table (k) VALUES (1)`)
	return err
}

// final is a Final Deferred writing, as row k of deferred_rows, how many
// rows the table holds when it is flushed.
type final struct{ k string }

func (f final) Flush(ctx context.Context, tx *sqldb.Tx) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO deferred_rows (k, v) VALUES ($1, (SELECT count(*) FROM deferred_rows))`, f.k)
	return err
}

func (final) FlushesLast() {}

// TestFinalFlushedLast: a Final Deferred (the audit log's rows) is written
// after the others, though first used before them, so that the lock its
// write takes (the audit log's head) is the last a transaction takes.
func TestFinalFlushedLast(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		if _, err := db.Write().ExecContext(ctx, `CREATE TABLE deferred_rows (k TEXT PRIMARY KEY, v BIGINT NOT NULL)`); err != nil {
			t.Fatal(err)
		}
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			tx.SetDeferred("z", final{"z"})
			tx.SetDeferred("a", counter{"a", 1})
			tx.SetDeferred("b", counter{"b", 2})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		var v int64
		if err := db.Read().QueryRowContext(ctx, `SELECT v FROM deferred_rows WHERE k = 'z'`).Scan(&v); err != nil {
			t.Fatal(err)
		}
		if v != 2 {
			t.Fatalf("the Final found %d rows written before it, want both others", v)
		}
	})
}
