package records_test

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// retire retires entry id through the catalog in tx.
func retire(ctx context.Context, tx *sqldb.Tx, id int64, now time.Time) error {
	_, err := catalog.Retire(ctx, tx, catalog.Actor{Actor: audit.Actor{Kind: audit.ActorSystem, ID: "test"}, Operator: true},
		id, "不再提供", now)
	return err
}

// bumpVersion stands for the approval of a new version of entry id: its
// version is one more.
func bumpVersion(ctx context.Context, tx *sqldb.Tx, id int64, _ time.Time) error {
	_, err := tx.ExecContext(ctx, `UPDATE catalog_entries SET version = version + 1, published_version = version + 1 WHERE id = $1`, id)
	return err
}

func versionsOf(t *testing.T, db *sqldb.DB, entry int64) int {
	t.Helper()
	var n int
	if err := db.Read().QueryRowContext(context.Background(), `SELECT count(*) FROM record_versions WHERE entry_id = $1`,
		entry).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// A batch already running when its entry is retired, or a new version of
// it approved, commits nothing: it was checked against the entry as it was
// before its transaction began. On PostgreSQL the change commits while the
// batch reads its lines, and the batch is refused; on SQLite the change
// waits for the one writer the batch holds, and the batch, committed
// first, is applied.
func TestBatchWhileEntryChanges(t *testing.T) {
	for _, tt := range []struct {
		name   string
		change func(context.Context, *sqldb.Tx, int64, time.Time) error
		code   string
	}{
		{"retired", retire, "entry_not_published"},
		{"new version", bumpVersion, "entry_version_changed"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
				f := setup(t, db)
				const n = 1500 // more than 100 KiB of lines: several reads, several chunks
				pr, pw := io.Pipe()
				type outcome struct {
					res records.BatchResult
					err error
				}
				done := make(chan outcome, 1)
				go func() {
					res, err := records.Ingest(f.ctx, db, f.pusher, f.hj, records.JSONLines(pr), f.receivedAt, records.Options{})
					pr.CloseWithError(io.ErrClosedPipe) // a batch that stopped reading fails the writes below
					done <- outcome{res, err}
				}()
				// A pipe's Write returns once the batch has read it all:
				// its transaction is open.
				if _, err := io.Copy(pw, strings.NewReader(people(0, n))); err != nil {
					t.Fatalf("write lines: %v (batch: %+v)", err, <-done)
				}
				changed := make(chan error, 1)
				go func() {
					changed <- db.Tx(f.ctx, func(tx *sqldb.Tx) error { return tt.change(f.ctx, tx, f.hj, f.receivedAt) })
				}()
				if db.Dialect == sqldb.Postgres {
					select {
					case err := <-changed:
						if err != nil {
							t.Fatalf("change the entry: %v", err)
						}
					case <-time.After(30 * time.Second):
						t.Fatal("the change of the entry waits for the batch")
					}
				}
				if _, err := io.WriteString(pw, line("add", recordstest.CitizenID(n), monday, map[string]string{"姓名": "最后"}, "")); err != nil {
					t.Fatalf("write the last line: %v", err)
				}
				pw.Close()
				got := <-done
				if db.Dialect == sqldb.SQLite {
					if err := <-changed; err != nil {
						t.Fatalf("change the entry: %v", err)
					}
					if got.err != nil || got.res.Applied != n+1 || versionsOf(t, db, f.hj) != n+1 {
						t.Fatalf("batch: %+v, %v, %d versions; want %d applied before the change", got.res, got.err,
							versionsOf(t, db, f.hj), n+1)
					}
					return
				}
				if code(got.err) != tt.code {
					t.Fatalf("batch: %+v, %v; want %s", got.res, got.err, tt.code)
				}
				if v := versionsOf(t, db, f.hj); v != 0 {
					t.Fatalf("%d record versions; want none", v)
				}
			})
		})
	}
}

// An operation pushed in real time whose round read the entry before it
// was retired is refused, and one whose round read it before a new version
// was approved is checked again against that version and applied: the
// round re-reads the entry in its transaction. The round is held at the
// entry's counters, locked by the transaction that changes the entry
// (PostgreSQL only: on SQLite the round reads the entry and waits for the
// writer in one window no test can hold open).
func TestPushWhileEntryChanges(t *testing.T) {
	for _, tt := range []struct {
		name     string
		change   func(context.Context, *sqldb.Tx, int64, time.Time) error
		code     string
		versions int // record versions of the entry after the push
		catalog  int // the catalog version its counters name
	}{
		{"retired", retire, "entry_not_published", 1, 1},
		{"new version", bumpVersion, "", 2, 2},
	} {
		t.Run(tt.name, func(t *testing.T) {
			sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
				if db.Dialect != sqldb.Postgres {
					t.Skip("PostgreSQL only: see the comment")
				}
				f := setup(t, db)
				f.push(f.pusher, f.hj, people(0, 1), records.Options{}) // the entry's counters exist
				p := records.NewPushes(db, nil, func() time.Time { return f.receivedAt })
				done := make(chan error, 1)
				err := db.Tx(f.ctx, func(tx *sqldb.Tx) error {
					if _, err := tx.ExecContext(f.ctx, `UPDATE record_entry_stats SET ops = ops WHERE entry_id = $1`, f.hj); err != nil {
						return err
					}
					go func() {
						_, err := p.Push(f.pusher, f.hj, records.Op{Op: records.Add, SubjectID: recordstest.CitizenID(1), ProducedAt: monday,
							Values: map[string]string{"姓名": "人1"}})
						done <- err
					}()
					// Wait for the round to queue on the counters' lock:
					// it has read the entry as it was.
					sqldbtest.AwaitLockWait(t, db, "the push never waited for the counters")
					return tt.change(f.ctx, tx, f.hj, f.receivedAt)
				})
				if err != nil {
					t.Fatal(err)
				}
				if err := <-done; code(err) != tt.code || tt.code == "" && err != nil {
					t.Fatalf("push: %v; want code %q", err, tt.code)
				}
				if v := versionsOf(t, db, f.hj); v != tt.versions {
					t.Fatalf("%d record versions; want %d", v, tt.versions)
				}
				var cv int
				if err := db.Read().QueryRowContext(f.ctx, `SELECT catalog_version FROM record_entry_stats WHERE entry_id = $1`,
					f.hj).Scan(&cv); err != nil {
					t.Fatal(err)
				}
				if cv != tt.catalog {
					t.Fatalf("counters of catalog version %d; want %d", cv, tt.catalog)
				}
			})
		})
	}
}
