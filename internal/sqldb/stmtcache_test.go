package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

func openSQLiteTest(t testing.TB) *DB {
	t.Helper()
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "cache.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Write().ExecContext(context.Background(), `CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	for i := range 100 {
		if _, err := db.Write().ExecContext(context.Background(), `INSERT INTO t VALUES ($1, $2)`, i, fmt.Sprint("v", i)); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

// TestStmtCacheEvicts runs more distinct queries than the cache holds, from
// many goroutines, one of them reading its rows while its statement is
// evicted: every answer is right and the cache stays within its bound.
func TestStmtCacheEvicts(t *testing.T) {
	db := openSQLiteTest(t)
	ctx := t.Context()
	c := newStmtCache(db.read, 4)

	rows, err := c.QueryContext(ctx, `SELECT k FROM t WHERE k < $1 ORDER BY k`, 10)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 200 {
				q := fmt.Sprintf(`SELECT v FROM t WHERE k = $1 AND %d = %d`, (g+i)%12, (g+i)%12)
				var v string
				if err := c.QueryRowContext(ctx, q, i%100).Scan(&v); err != nil || v != fmt.Sprint("v", i%100) {
					t.Errorf("%s with %d: %q, %v", q, i%100, v, err)
					return
				}
			}
		})
	}
	wg.Wait()
	n := 0
	for rows.Next() {
		var k int
		if err := rows.Scan(&k); err != nil || k != n {
			t.Fatalf("row %d of a statement evicted meanwhile: %d, %v", n, k, err)
		}
		n++
	}
	if err := rows.Close(); err != nil || n != 10 {
		t.Fatalf("%d rows, %v", n, err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.lru.Len() > 4 || len(c.m) != c.lru.Len() {
		t.Errorf("cache holds %d statements (%d by query), want at most 4", c.lru.Len(), len(c.m))
	}
	for e := c.lru.Front(); e != nil; e = e.Next() {
		if s := e.Value.(*cached); s.users != 0 || s.evicted {
			t.Errorf("%q: %d users, evicted %v after every call ended", s.query, s.users, s.evicted)
		}
	}
}

// TestStmtCacheSchemaChange reads through a cached statement after the
// writer has rebuilt its table with other columns: SQLite prepares the
// statement again and the answer follows the new table.
func TestStmtCacheSchemaChange(t *testing.T) {
	db := openSQLiteTest(t)
	ctx := t.Context()
	const q = `SELECT v FROM t WHERE k = $1`
	var v string
	if err := db.Read().QueryRowContext(ctx, q, 1).Scan(&v); err != nil || v != "v1" {
		t.Fatalf("before: %q, %v", v, err)
	}
	if _, err := db.Write().ExecContext(ctx, `DROP TABLE t; CREATE TABLE t (x TEXT, v TEXT NOT NULL, k INTEGER PRIMARY KEY);
		INSERT INTO t VALUES ('x', 'new', 1)`); err != nil {
		t.Fatal(err)
	}
	if err := db.Read().QueryRowContext(ctx, q, 1).Scan(&v); err != nil || v != "new" {
		t.Fatalf("after the table was rebuilt: %q, %v", v, err)
	}
}

// BenchmarkRead compares a primary-key read through the reader pool
// prepared anew each time with one through the statement cache.
func BenchmarkRead(b *testing.B) {
	db := openSQLiteTest(b)
	for _, c := range []struct {
		name string
		q    Querier
	}{{"prepared-each-time", db.read}, {"cached", db.Read()}} {
		b.Run(c.name, func(b *testing.B) {
			b.RunParallel(func(pb *testing.PB) {
				ctx := context.Background()
				i := 0
				for pb.Next() {
					var v string
					if err := c.q.QueryRowContext(ctx, `SELECT v FROM t WHERE k = $1`, i%100).Scan(&v); err != nil {
						b.Error(err)
						return
					}
					i++
				}
			})
		})
	}
}

// TestWriteStmts runs queries in write transactions from many goroutines: a
// query run twice unprepared is prepared for the next transaction and used
// from then on, one whose text is run once is not, every answer is right,
// and a rolled-back write through a prepared statement leaves nothing.
func TestWriteStmts(t *testing.T) {
	db := openSQLiteTest(t)
	ctx := t.Context()
	const upd, sel = `UPDATE t SET v = $2 WHERE k = $1`, `SELECT v FROM t WHERE k = $1`
	prepared := func(q string) bool {
		db.writes.mu.Lock()
		defer db.writes.mu.Unlock()
		_, ok := db.writes.m[q]
		return ok
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 20 {
				k, want := (g*20+i)%100, fmt.Sprintf("w%d-%d", g, i)
				var got string
				err := db.Tx(ctx, func(tx *Tx) error {
					if _, err := tx.ExecContext(ctx, upd, k, want); err != nil {
						return err
					}
					if _, err := tx.ExecContext(ctx, fmt.Sprintf(`UPDATE t SET v = v WHERE k = %d`, 1000+g*20+i)); err != nil {
						return err
					}
					return tx.QueryRowContext(ctx, sel, k).Scan(&got)
				})
				if err != nil || got != want {
					t.Errorf("transaction %d of %d: read %q, %v; want %q", i, g, got, err, want)
					return
				}
			}
		})
	}
	wg.Wait()
	if !prepared(upd) || !prepared(sel) {
		t.Fatalf("after 160 transactions: update prepared %v, select prepared %v; want both", prepared(upd), prepared(sel))
	}
	db.writes.mu.Lock()
	n := len(db.writes.m)
	db.writes.mu.Unlock()
	if n != 2 {
		t.Errorf("%d statements prepared, want 2: queries run once are not", n)
	}

	// In one transaction: a prepared query is bound once for all its runs,
	// even while rows of it are still being read; a long one is never
	// prepared. The query below, run first here, is prepared for the
	// second transaction.
	const below = `SELECT v FROM t WHERE k < $1 ORDER BY k`
	long := `SELECT v FROM t WHERE k = $1 AND '` + strings.Repeat("x", maxPreparedQuery) + `' <> ''`
	for round := range 3 {
		err := db.Tx(ctx, func(tx *Tx) error {
			rows, err := tx.QueryContext(ctx, below, 50)
			if err != nil {
				return err
			}
			defer rows.Close()
			for i := 0; rows.Next(); i++ {
				var v string
				if err := rows.Scan(&v); err != nil {
					return err
				}
				if err := tx.QueryRowContext(ctx, below, 1).Scan(&v); err != nil || v == "" {
					return fmt.Errorf("run %d while its rows are open: %q, %w", i, v, err)
				}
				if _, err := tx.ExecContext(ctx, upd, i, v); err != nil {
					return err
				}
				if err := tx.QueryRowContext(ctx, long, i).Scan(&v); err != nil {
					return err
				}
			}
			if err := rows.Err(); err != nil {
				return err
			}
			if round > 0 && (len(tx.bound) != 2 || len(tx.held) != 2) {
				return fmt.Errorf("%d statements bound to the transaction, %d held; want 2 (update and the query below)", len(tx.bound), len(tx.held))
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if prepared(long) {
		t.Errorf("a query of %d bytes was prepared", len(long))
	}

	// A run under a context already done fails alone: the transaction's
	// next run of the prepared query, under a live context, succeeds.
	done, cancel := context.WithCancel(ctx)
	cancel()
	err := db.Tx(ctx, func(tx *Tx) error {
		var v string
		if err := tx.QueryRowContext(done, sel, 1).Scan(&v); !errors.Is(err, context.Canceled) {
			return fmt.Errorf("run under a cancelled context: %q, %v; want context.Canceled", v, err)
		}
		return tx.QueryRowContext(ctx, sel, 1).Scan(&v)
	})
	if err != nil {
		t.Fatal(err)
	}

	errRollback := errors.New("roll back")
	err = db.Tx(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, upd, 1, "rolled back"); err != nil {
			return err
		}
		return errRollback
	})
	var v string
	if e := db.Read().QueryRowContext(ctx, sel, 1).Scan(&v); !errors.Is(err, errRollback) || e != nil || v == "rolled back" {
		t.Errorf("rolled back: %v; then read %q, %v", err, v, e)
	}

	// A query on a table its transaction created, and rolled back, fails
	// to prepare between transactions: it is tried once, then runs as it
	// is in the transactions that create the table again.
	const ins = `INSERT INTO scratch (v) VALUES ($1)`
	for round := range 3 {
		err := db.Tx(ctx, func(tx *Tx) error {
			if _, err := tx.ExecContext(ctx, `CREATE TABLE scratch (v TEXT)`); err != nil {
				return err
			}
			for range 2 {
				if _, err := tx.ExecContext(ctx, ins, "x"); err != nil {
					return err
				}
			}
			return errRollback
		})
		if !errors.Is(err, errRollback) {
			t.Fatalf("round %d: %v", round, err)
		}
		db.writes.mu.Lock()
		state, pending := db.writes.runs[ins], slices.Contains(db.writes.pending, ins)
		db.writes.mu.Unlock()
		want := unpreparable
		if round == 0 {
			want = toPrepare
		}
		if state != want || pending != (round == 0) {
			t.Errorf("round %d: state %d, pending %v; want %d, %v", round, state, pending, want, round == 0)
		}
	}
}

// TestTxPreparesRepeatedQueries runs, in one transaction, queries the
// writer has not prepared (the first transaction of the process, and one
// longer than maxPreparedQuery) many times: from their second run they are
// prepared for the transaction alone and every answer is right, also after
// a savepoint rolled back; a query that does not prepare keeps failing as
// it is. TestTxOwnStatementsClosed checks that they end with it.
func TestTxPreparesRepeatedQueries(t *testing.T) {
	db := openSQLiteTest(t)
	ctx := t.Context()
	const upd, sel = `UPDATE t SET v = $2 WHERE k = $1`, `SELECT v FROM t WHERE k = $1`
	long := `SELECT v FROM t WHERE k = $1 AND '` + strings.Repeat("x", maxPreparedQuery) + `' <> ''`
	const bad = `SELECT v FROM missing WHERE k = $1`
	for round := range 2 {
		err := db.Tx(ctx, func(tx *Tx) error {
			for i := range 50 {
				want := fmt.Sprintf("r%d-%d", round, i)
				if _, err := tx.ExecContext(ctx, upd, i, want); err != nil {
					return err
				}
				var v string
				if err := tx.QueryRowContext(ctx, long, i).Scan(&v); err != nil || v != want {
					return fmt.Errorf("run %d of the long query: %q, %v; want %q", i, v, err, want)
				}
				if err := tx.QueryRowContext(ctx, bad, i).Scan(&v); err == nil || !strings.Contains(err.Error(), "missing") {
					return fmt.Errorf("run %d of a query on a missing table: %v", i, err)
				}
			}
			if _, err := tx.ExecContext(ctx, `SAVEPOINT s`); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, upd, 1, "rolled back"); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `ROLLBACK TO SAVEPOINT s`); err != nil {
				return err
			}
			var v string
			if err := tx.QueryRowContext(ctx, long, 1).Scan(&v); err != nil || v != fmt.Sprintf("r%d-1", round) {
				return fmt.Errorf("after the savepoint rolled back: %q, %v", v, err)
			}
			if _, ok := tx.own[long]; !ok {
				return fmt.Errorf("round %d: the long query was not prepared for the transaction", round)
			}
			if _, ok := tx.own[bad]; ok {
				return fmt.Errorf("round %d: a query on a missing table was prepared", round)
			}
			if _, ok := tx.own[upd]; round == 0 && !ok {
				return errors.New("the update, unprepared in the writer's first transaction, was not prepared for it")
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// TestTxOwnStatementsClosed: the statements a transaction prepares for
// itself (ownStmt) are closed when it commits and when it rolls back: run
// after, each fails with database/sql's "statement is closed", so none
// stays open on the writer's connection beyond the transaction.
func TestTxOwnStatementsClosed(t *testing.T) {
	db := openSQLiteTest(t)
	ctx := t.Context()
	long := `SELECT v FROM t WHERE k = $1 AND '` + strings.Repeat("y", maxPreparedQuery) + `' <> ''`
	for _, outcome := range []error{nil, errors.New("rolled back")} {
		var own []*sql.Stmt
		err := db.Tx(ctx, func(tx *Tx) error {
			for i := range 3 {
				var v string
				if err := tx.QueryRowContext(ctx, long, i).Scan(&v); err != nil {
					return err
				}
			}
			for _, st := range tx.own {
				own = append(own, st)
			}
			return outcome
		})
		if !errors.Is(err, outcome) {
			t.Fatalf("outcome %v: %v", outcome, err)
		}
		if len(own) == 0 {
			t.Fatalf("outcome %v: the long query was not prepared for the transaction", outcome)
		}
		for _, st := range own {
			var v string
			if err := st.QueryRowContext(ctx, 1).Scan(&v); err == nil || !strings.Contains(err.Error(), "statement is closed") {
				t.Errorf("outcome %v: a statement of the ended transaction still runs: %q, %v", outcome, v, err)
			}
		}
	}
}
