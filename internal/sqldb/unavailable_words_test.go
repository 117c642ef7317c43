package sqldb_test

import (
	"context"
	"database/sql"
	"net"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestUnavailableWords: a wait that outlasted its bound on a database that
// answers (a write behind another transaction holding the writer or the
// table, a bounded operation such as a login) is said busy, 数据库繁忙, as
// the audit log's timed-out write is, where it was said unreachable; a
// connection refused is still 数据库暂时无法访问. Both are
// database_unavailable, 503 with Retry-After.
func TestUnavailableWords(t *testing.T) {
	want := func(t *testing.T, what string, err error, prefix string) {
		t.Helper()
		e := sqldb.Unavailable(err)
		if e == nil || e.Kind != errs.Unavailable || e.Code != "database_unavailable" || !strings.HasPrefix(e.Message, prefix) {
			t.Errorf("%s (%v): got %+v, want database_unavailable %s…", what, err, e, prefix)
		}
	}
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		db := openBounded(t, dsn)
		ctx := context.Background()
		held, done := make(chan struct{}), make(chan struct{})
		holder := make(chan error, 1)
		go func() {
			holder <- db.Tx(ctx, func(tx *sqldb.Tx) error {
				if db.Dialect == sqldb.Postgres {
					if _, err := tx.ExecContext(ctx, `LOCK TABLE wait_probe IN ACCESS EXCLUSIVE MODE`); err != nil {
						return err
					}
				}
				close(held)
				<-done
				return nil
			})
		}()
		<-held
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO wait_probe (n) VALUES (1)`)
			return err
		})
		close(done)
		if err := <-holder; err != nil {
			t.Fatal(err)
		}
		if !sqldb.IsWaitTimeout(err) {
			t.Fatalf("a write behind a held transaction: %v, want the wait timed out", err)
		}
		want(t, "a write behind a held transaction", err, "数据库繁忙")
		err = db.Bounded(ctx, func(ctx context.Context) error {
			<-ctx.Done()
			return ctx.Err()
		})
		want(t, "a bounded operation out of time", err, "数据库繁忙")
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	refused, err := sql.Open("pgx", "postgres://hutong@"+addr+"/hutong?connect_timeout=5")
	if err != nil {
		t.Fatal(err)
	}
	defer refused.Close()
	err = refused.PingContext(context.Background())
	if err == nil {
		t.Fatalf("a connection to %s (closed) was made", addr)
	}
	want(t, "a connection refused", err, "数据库暂时无法访问")
}
