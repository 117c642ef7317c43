package catalogio_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestImportBegin: Options.Begin runs once in the transaction of an
// import, a dry run's too, and twice when the import is made again once
// its submissions were refused (errResubmit: good rows only, submitting,
// a row relating to a code of no entry); its error ends the import, which
// stores nothing, and is returned.
func TestImportBegin(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		counted := func(opt catalogio.Options, file string) (int, *catalogio.Report, error) {
			n := 0
			opt.Begin = func(tx *sqldb.Tx) error { n++; return nil }
			rep, err := importFile(w, w.gaj, []byte(file), catalogio.CSV, opt)
			return n, rep, err
		}
		n, rep, err := counted(catalogio.Options{DryRun: true}, csvHeader+good("甲项"))
		if err != nil || rep.Imported || n != 1 {
			t.Fatalf("dry run: imported %v, err %v, Begin run %d times; want once", rep.Imported, err, n)
		}
		n, rep, err = counted(catalogio.Options{}, csvHeader+good("乙项"))
		if err != nil || !rep.Imported || n != 1 {
			t.Fatalf("import: imported %v, err %v, Begin run %d times; want once", rep.Imported, err, n)
		}
		file := csvHeader + relatedRow("丙项", "301001/000007", "301001/000099") + relatedRow("丁项", "301001/000008")
		n, rep, err = counted(catalogio.Options{Submit: true, GoodOnly: true}, file)
		if err != nil || !rep.Imported || rep.Submitted != 1 || n != 2 {
			t.Fatalf("a submission refused: imported %v, submitted %d, err %v, Begin run %d times; want twice",
				rep.Imported, rep.Submitted, err, n)
		}

		before := entriesOf(t, w, w.gajID)
		refused := errors.New("refused at its start")
		_, err = importFile(w, w.gaj, []byte(csvHeader+good("戊项")), catalogio.CSV,
			catalogio.Options{Begin: func(tx *sqldb.Tx) error { return refused }})
		if !errors.Is(err, refused) || entriesOf(t, w, w.gajID) != before {
			t.Fatalf("Begin's error: %v, %d entries; want it returned, %d entries", err, entriesOf(t, w, w.gajID), before)
		}
	})
}

// TestImportBeginInCallersTx: under the caller's transaction
// (sqldb.WithTx), what Begin writes is the import's, as in the import's
// own transaction: undone with a dry run and a rejected import, and with
// the attempt made again after a refused submission (the second attempt's
// Begin writes the same key again), so that the caller, committing, keeps
// only a stored import's.
func TestImportBeginInCallersTx(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		keys := func(q sqldb.Querier, key string) int {
			t.Helper()
			var n int
			if err := q.QueryRowContext(ctx, `SELECT count(*) FROM idempotency_keys WHERE key = $1`, key).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		inTx := func(key, file string, opt catalogio.Options) (rep *catalogio.Report, left int, err error) {
			opt.DepartmentID, opt.Now = w.gajID, t0
			opt.Begin = func(tx *sqldb.Tx) error {
				_, err := tx.ExecContext(ctx, `INSERT INTO idempotency_keys (principal, key, request_hash, status, body, created_at)
					VALUES ('user:1', $1, 'h', 200, '{}', $2)`, key, t0)
				return err
			}
			if txErr := db.Tx(ctx, func(tx *sqldb.Tx) error {
				rep, err = catalogio.Import(sqldb.WithTx(ctx, tx), db, w.gaj, bytes.NewReader([]byte(file)), catalogio.CSV, opt)
				left = keys(tx, key)
				return nil // the caller commits whatever Import left
			}); txErr != nil {
				t.Fatal(txErr)
			}
			return rep, left, err
		}
		rep, left, err := inTx("dry", csvHeader+good("甲项"), catalogio.Options{DryRun: true})
		if err != nil || rep.Imported || left != 0 || keys(db.Read(), "dry") != 0 {
			t.Fatalf("dry run: imported %v, err %v, %d of Begin's rows left in the caller's transaction, %d committed; want none",
				rep.Imported, err, left, keys(db.Read(), "dry"))
		}
		_, left, err = inTx("bad", csvHeader+relatedRow("乙项", "301001/000005", "301001/000099"), catalogio.Options{Submit: true})
		if !catalogio.Rejected(err) || left != 0 || keys(db.Read(), "bad") != 0 {
			t.Fatalf("rejected: err %v, %d of Begin's rows left, %d committed; want rejected, none", err, left, keys(db.Read(), "bad"))
		}
		file := csvHeader + relatedRow("丙项", "301001/000007", "301001/000099") + relatedRow("丁项", "301001/000008")
		rep, left, err = inTx("again", file, catalogio.Options{Submit: true, GoodOnly: true})
		if err != nil || !rep.Imported || rep.Submitted != 1 || left != 1 || keys(db.Read(), "again") != 1 {
			t.Fatalf("made again: imported %v, err %v, %d of Begin's rows left, %d committed; want imported, 1",
				rep != nil && rep.Imported, err, left, keys(db.Read(), "again"))
		}
		if n := entriesOf(t, w, w.gajID); n != 1 {
			t.Errorf("%d entries, want the one stored (%s)", n, fmt.Sprint(rep.Entries))
		}
	})
}
