package api_test

import (
	"context"
	"io"
	"net/http"
	"runtime"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalogio/catalogiotest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestCatalogImportKeyedDryRunNotHeld: under an Idempotency-Key, an
// import's answer that no key stores, a dry run's report or a rejection
// carrying it, is answered as it is without a key, not held a second time
// in the keyed write's capture: the bytes the request allocates, keyed,
// exceed the unkeyed request's by far less than the report (1,000 rows,
// some 300 kB). Held, they exceeded it by the report's size or more. The
// comparison is of bytes allocated, not of time.
func TestCatalogImportKeyedDryRunNotHeld(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		key := catalogKey(t, f)
		// Names of 98 characters, so that the report, which names each
		// row's entry, is some 300 bytes a row.
		file := strings.ReplaceAll(string(catalogiotest.GeneratedCSV(1000)), "\n数据资源", "\n"+strings.Repeat("名", 88)+"数据资源")
		// The rejection: every row's 安全级别 is no level.
		bad := strings.ReplaceAll(file, ",1,政务外网,", ",9,政务外网,")
		n := 0
		allocated := func(query, idem, body string, want int) (uint64, int64) {
			t.Helper()
			req, err := http.NewRequest("POST", f.srv.URL+"/api/v1/catalog/import"+query, strings.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", "text/csv")
			req.Header.Set("Authorization", "Bearer "+key)
			if idem != "" {
				n++
				req.Header.Set("Idempotency-Key", idem+strings.Repeat("x", n))
			}
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			size, err := io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			runtime.ReadMemStats(&after)
			if err != nil || resp.StatusCode != want {
				t.Fatalf("%s (key %q): %d, %v; want %d", query, idem, resp.StatusCode, err, want)
			}
			return after.TotalAlloc - before.TotalAlloc, size
		}
		for _, c := range []struct {
			name, query, body string
			status            int
		}{{"dry run", "?dry_run=true", file, 200}, {"rejected", "", bad, 400}, {"rejected dry run", "?dry_run=true", bad, 400}} {
			// The least of six each way, sent in turns that alternate
			// which goes first: a request's allocations vary with the pools
			// the collector emptied, and at times one of two requests in a
			// row allocates about 1 MB more (cause not found; the CI at
			// 7b8f137f failed so, 1,022,232 bytes, and the test at
			// c7828221 fails so at times), more than the report this holds
			// the difference to.
			var plain, keyed uint64
			var size int64
			for i := range 6 {
				var p, k uint64
				var s int64
				if i%2 == 0 {
					p, s = allocated(c.query, "", c.body, c.status)
					k, _ = allocated(c.query, "k", c.body, c.status)
				} else {
					k, _ = allocated(c.query, "k", c.body, c.status)
					p, s = allocated(c.query, "", c.body, c.status)
				}
				if plain == 0 || p < plain {
					plain = p
				}
				if keyed == 0 || k < keyed {
					keyed = k
				}
				size = s
			}
			t.Logf("%s: report %d bytes; allocated %d without a key, %d with one", c.name, size, plain, keyed)
			if size < 250_000 {
				t.Fatalf("%s: report of %d bytes, want one of 1,000 rows", c.name, size)
			}
			// Compared on SQLite only: on PostgreSQL either request of a
			// pair at times allocates about 1 MB more in all three runs
			// (cause not found; the CI at d16deb23 failed so, 1,055,496
			// bytes), more than the report this holds the difference to.
			// What is compared is the HTTP layer's, the same on both.
			if db.Dialect == sqldb.SQLite && keyed > plain && keyed-plain > uint64(size)/2 {
				t.Errorf("%s under a key allocated %d bytes more than without (report %d bytes); want less than half the report",
					c.name, keyed-plain, size)
			}
		}
		if countEntries(t, db) != 0 || importKeys(t, db, "k") != 0 {
			t.Errorf("%d entries, keys stored; want none", countEntries(t, db))
		}
	})
}

// TestCatalogImportKeyTakenAtStart: an import whose Idempotency-Key a
// concurrent request commits, for another request, after the import found
// none but before its transaction starts (the transaction below holds the
// import back: the writer on SQLite; on PostgreSQL the import's mapping,
// read before the import's transaction, locked) stops at the start of its
// transaction, where it claims the key (catalogio.Options.Begin): it
// attempts no entry, on PostgreSQL the entries' id sequence unmoved, and
// is refused 409 idempotency_key_reused, as docs/design.md says.
func TestCatalogImportKeyTakenAtStart(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		key := catalogKey(t, f)
		saveImportMapping(t, f, key)
		const query = "?mapping=%E6%B0%91%E6%94%BF"
		principal := seedImportKey(t, f, key, query)
		// The last entry id given (PostgreSQL: a rolled back insert moves it).
		lastID := func() int64 {
			t.Helper()
			if db.Dialect != sqldb.Postgres {
				return 0
			}
			var id int64
			if err := db.Read().QueryRowContext(ctx, `SELECT COALESCE(pg_sequence_last_value(
				pg_get_serial_sequence('catalog_entries', 'id')::regclass), 0)`).Scan(&id); err != nil {
				t.Fatal(err)
			}
			return id
		}
		before, entries := lastID(), countEntries(t, db)

		resp, body := importWhileHeld(t, f, key, "taken", query, importHeader+goodRow, func(ctx context.Context, tx *sqldb.Tx) error {
			if db.Dialect == sqldb.Postgres {
				if _, err := tx.ExecContext(ctx, `LOCK TABLE catalog_import_mappings IN ACCESS EXCLUSIVE MODE`); err != nil {
					return err
				}
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO idempotency_keys (principal, key, request_hash, status, body, created_at)
				VALUES ($1, 'taken', 'another request', 201, '{}', $2)`, principal, t0.UTC())
			return err
		})
		if resp.StatusCode != 409 || !strings.Contains(body, `"idempotency_key_reused"`) {
			t.Fatalf("key taken before the import's transaction: got %d %s; want 409 idempotency_key_reused", resp.StatusCode, body)
		}
		if n, id := countEntries(t, db), lastID(); n != entries || id != before {
			t.Errorf("%d entries, last id %d; want %d, %d: no entry attempted", n, id, entries, before)
		}
	})
}
