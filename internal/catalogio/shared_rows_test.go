package catalogio_test

import (
	"bytes"
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/catalogio/catalogiotest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// sharedRowsCSV is n generated rows of three classification codes, two
// update frequencies and two security levels.
func sharedRowsCSV(n int) []byte {
	lines := strings.Split(strings.TrimSuffix(string(catalogiotest.GeneratedCSV(n)), "\n"), "\n")
	for i := 1; i < len(lines); i++ {
		l := strings.Replace(lines[i], ",001,登记,", fmt.Sprintf(",00%d,登记,", 1+i%3), 1)
		if i%2 == 0 {
			l = strings.Replace(l, ",每年,,,1,", ",每月,,,2,", 1)
		}
		lines[i] = l
	}
	return []byte(strings.Join(lines, "\n") + "\n")
}

// updateCounter counts the updates tx makes of tables: on PostgreSQL from
// its statistics, on SQLite with temporary triggers, which the returned
// function drops.
func updateCounter(t *testing.T, tx *sqldb.Tx, tables ...string) (count func() map[string]int64, drop func()) {
	ctx := context.Background()
	run := func(q string) {
		t.Helper()
		if _, err := tx.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if tx.Dialect == sqldb.Postgres {
		return func() map[string]int64 {
			t.Helper()
			got := map[string]int64{}
			for _, table := range tables {
				var n int64
				if err := tx.QueryRowContext(ctx, `SELECT COALESCE(SUM(n_tup_upd), 0) FROM pg_stat_xact_user_tables
					WHERE relname = $1`, table).Scan(&n); err != nil {
					t.Fatal(err)
				}
				got[table] = n
			}
			return got
		}, func() {}
	}
	run(`CREATE TEMP TABLE row_updates (t TEXT PRIMARY KEY, n INTEGER NOT NULL)`)
	for _, table := range tables {
		run(`INSERT INTO row_updates VALUES ('` + table + `', 0)`)
		run(`CREATE TEMP TRIGGER count_` + table + ` AFTER UPDATE ON main.` + table +
			` BEGIN UPDATE row_updates SET n = n + 1 WHERE t = '` + table + `'; END`)
	}
	return func() map[string]int64 {
			t.Helper()
			got := map[string]int64{}
			for _, table := range tables {
				var n int64
				if err := tx.QueryRowContext(ctx, `SELECT n FROM row_updates WHERE t = $1`, table).Scan(&n); err != nil {
					t.Fatal(err)
				}
				got[table] = n
			}
			return got
		}, func() {
			for _, table := range tables {
				run(`DROP TRIGGER count_` + table)
			}
			run(`DROP TABLE row_updates`)
		}
}

// sharedState is what every entry of an import adds to: the codes, the
// sequences they are taken from, the facet counts and the audit chain.
type sharedState struct {
	codes, sequences, facets []string
	audit                    audit.Report
}

func readShared(t *testing.T, db *sqldb.DB) sharedState {
	t.Helper()
	ctx := context.Background()
	var s sharedState
	for q, into := range map[string]*[]string{
		`SELECT name || '=' || code FROM catalog_entries`:                                                                &s.codes,
		`SELECT class_code || '=' || CAST(last AS TEXT) FROM catalog_code_sequences`:                                     &s.sequences,
		`SELECT status || share_type || facet || value || '=' || CAST(n AS TEXT) FROM catalog_facet_counts WHERE n <> 0`: &s.facets,
	} {
		rows, err := db.Read().QueryContext(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var v string
			if err := rows.Scan(&v); err != nil {
				t.Fatal(err)
			}
			*into = append(*into, v)
		}
		if err := rows.Close(); err != nil {
			t.Fatal(err)
		}
		slices.Sort(*into)
	}
	rep, err := audit.Verify(ctx, db.Read())
	if err != nil {
		t.Fatal(err)
	}
	s.audit = rep
	return s
}

// TestImportWritesSharedRowsOnce: an import updates the rows every entry
// adds to — the audit head, the code sequence of each classification code,
// on PostgreSQL the facet counts (at its commit) — once, not once per entry
// (each update on PostgreSQL a version of the row that every later one
// stepped past: 45 rows/s for 5,000 entries), and
// leaves them as importing its rows one per transaction does: the same
// codes, sequences and facet counts, and an audit chain that verifies, its
// head its last row. The import runs in a transaction of the caller's
// after a dry run of it there, rolled back to its savepoint, which took the
// same codes first; the facet counts read in the transaction after it are
// those read after its commit.
func TestImportWritesSharedRowsOnce(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		const n = 30
		data := sharedRowsCSV(n)
		w := newWorld(t, db)
		ctx := context.Background()
		var updates map[string]int64
		var inTx catalog.Page
		listed := catalog.Query{Statuses: []catalog.Status{catalog.Published, catalog.Draft}, Facets: true, Limit: 1}
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			count, drop := updateCounter(t, tx, "audit_head", "catalog_code_sequences", "catalog_facet_counts")
			defer drop()
			joined := sqldb.WithTx(ctx, tx)
			rep, err := catalogio.Import(joined, db, w.gaj, bytes.NewReader(data), catalogio.CSV,
				catalogio.Options{DepartmentID: w.gajID, Now: t0, DryRun: true})
			if err != nil || rep.Created != n || rep.Imported {
				t.Fatalf("dry run: created %d, imported %v, err %v", rep.Created, rep.Imported, err)
			}
			before := count()
			rep, err = catalogio.Import(joined, db, w.gaj, bytes.NewReader(data), catalogio.CSV,
				catalogio.Options{DepartmentID: w.gajID, Now: t0})
			if err != nil || rep.Created != n || !rep.Imported {
				t.Fatalf("import: created %d, imported %v, err %v", rep.Created, rep.Imported, err)
			}
			updates = count()
			for k := range updates {
				updates[k] -= before[k]
			}
			// Read in the transaction, the facet counts are the import's.
			inTx, err = catalog.Search(ctx, tx, w.operator, listed)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		// Once each, at the first use; the sequences of classification
		// codes used before (by the world's entries) are updated, new ones
		// inserted.
		if updates["audit_head"] > 1 || updates["catalog_code_sequences"] > 3 {
			t.Errorf("an import of %d entries updated %v times, want audit_head once and each of 3 sequences at most once", n, updates)
		}
		// On PostgreSQL the facet counts are written at the commit, each
		// row once (SQLite updates its rows in place).
		if db.Dialect == sqldb.Postgres && updates["catalog_facet_counts"] != 0 {
			t.Errorf("an import of %d entries updated catalog_facet_counts %d times before its commit, want none", n, updates["catalog_facet_counts"])
		}
		got := readShared(t, db)
		after, err := catalog.Search(ctx, db.Read(), w.operator, listed)
		if err != nil {
			t.Fatal(err)
		}
		if inTx.Total != after.Total || inTx.Total < n || !reflect.DeepEqual(inTx.Facets, after.Facets) {
			t.Errorf("facets read in the transaction: %d %v; after it: %d %v", inTx.Total, inTx.Facets, after.Total, after.Facets)
		}

		o := newWorld(t, otherDB(t, db))
		lines := strings.SplitAfter(strings.TrimSuffix(string(data), "\n"), "\n")
		for _, l := range lines[1:] {
			rep, err := importFile(o, o.gaj, []byte(lines[0]+l), catalogio.CSV, catalogio.Options{})
			if err != nil || rep.Created != 1 || !rep.Imported {
				t.Fatalf("import of one row: created %d, imported %v, err %v", rep.Created, rep.Imported, err)
			}
		}
		want := readShared(t, o.db)
		if !slices.Equal(got.codes, want.codes) || !slices.Equal(got.sequences, want.sequences) ||
			!slices.Equal(got.facets, want.facets) {
			t.Errorf("one import:\n codes %v\n sequences %v\n facets %v\nrows one per import:\n codes %v\n sequences %v\n facets %v",
				got.codes, got.sequences, got.facets, want.codes, want.sequences, want.facets)
		}
		for _, s := range []sharedState{got, want} {
			if s.audit.Problem != nil || s.audit.Head != s.audit.Rows || s.audit.Rows == 0 {
				t.Errorf("audit chain: %+v, want intact, its head its last row", s.audit)
			}
		}
		// The one import wrote a row per entry and one for itself; the
		// imports of one row each one for each.
		if got, want := got.audit.Rows-want.audit.Rows, int64(1-n); got != want {
			t.Errorf("audit rows: the one import wrote %d more than the %d imports, want %d", got, n, want)
		}
	})
}
