package main

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestCLIWriteClock: the time a command writes (hutong catalog transfer's
// updated_at here) is whole microseconds, the time the server's clock
// gives (server.Clock), so that both engines store and read back the
// same value. The commands wrote time.Now: SQLite kept its nanoseconds,
// PostgreSQL dropped them.
func TestCLIWriteClock(t *testing.T) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		db, vars := openRecordsDB(t, dsn)
		must := mustHutong(t, vars)
		ga := recordstest.Department(t, db, "公安分局", 1)
		mz := recordstest.Department(t, db, "民政局", 2)
		var ids []int64
		for i := range 3 {
			spec := hujiSpec
			spec.Code, spec.Name = "101001/00000"+strconv.Itoa(i+1), "户籍人口信息"+strconv.Itoa(i+1)
			ids = append(ids, recordstest.Entry(t, db, ga, spec))
		}
		before := time.Now()
		must("catalog", "transfer", "-from", strconv.FormatInt(ga, 10), "-to", strconv.FormatInt(mz, 10))
		for _, id := range ids {
			var at time.Time
			if err := db.Read().QueryRowContext(context.Background(), `SELECT updated_at FROM catalog_entries WHERE id = $1`, id).Scan(&at); err != nil {
				t.Fatal(err)
			}
			if at.Before(before.Truncate(time.Microsecond)) || at.Nanosecond()%1000 != 0 {
				t.Errorf("entry %d transferred at %s, want a time since %s in whole microseconds", id, at.Format(time.RFC3339Nano), before.Format(time.RFC3339Nano))
			}
		}
	})
}

// TestCLIImportCatalogClock: hutong import catalog writes server.Clock's
// time, UTC in whole microseconds, as the server does: it passed no Now,
// and catalogio took time.Now to the nanosecond, which SQLite stored whole
// and PostgreSQL to the microsecond.
func TestCLIImportCatalogClock(t *testing.T) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		db, vars := openRecordsDB(t, dsn)
		must := mustHutong(t, vars)
		cliDepartments(must)
		in := tempFile(t, "in.csv", cliCatalogCSV)
		before := time.Now()
		must("import", "catalog", "-file", in, "-department", "区市监局", "-submit")
		var created, updated time.Time
		if err := db.Read().QueryRowContext(context.Background(), `SELECT created_at, updated_at FROM catalog_entries`).
			Scan(&created, &updated); err != nil {
			t.Fatal(err)
		}
		for _, at := range []time.Time{created, updated} {
			if at.Before(before.Truncate(time.Microsecond)) || at.Nanosecond()%1000 != 0 {
				t.Errorf("entry imported at %s, want a time since %s in whole microseconds", at.Format(time.RFC3339Nano), before.Format(time.RFC3339Nano))
			}
		}
	})
}
