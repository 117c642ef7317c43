package records_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/api"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestWritesBusyAfterRetries: a write that PostgreSQL aborts for a
// serialization failure (or a deadlock) on every try, past its retries, is
// answered 503 database_busy with Retry-After — it would succeed when sent
// again — not 500 internal: a push round, a spooled batch, a file. Each
// of its tries is made (the trigger counts them), and nothing is written. SQLite
// has one writer: nothing to retry.
func TestWritesBusyAfterRetries(t *testing.T) {
	s := recordstest.CitizenID(1)
	add := line("add", s, monday, map[string]string{"姓名": "张三"}, "")
	for name, write := range map[string]func(f *fixture) (records.BatchResult, error){
		"push round": func(f *fixture) (records.BatchResult, error) {
			p := records.NewPushes(f.db, nil, func() time.Time { return f.receivedAt })
			return p.Push(f.pusher, f.hj, records.Op{Op: "add", SubjectID: s, ProducedAt: monday,
				Values: map[string]string{"姓名": "张三"}})
		},
		"spooled batch": func(f *fixture) (records.BatchResult, error) {
			body, err := records.Spool(strings.NewReader(add))
			if err != nil {
				return records.BatchResult{}, err
			}
			defer body.Close()
			return records.IngestSpooled(f.ctx, f.db, f.pusher, f.hj, body, records.JSONLines, f.receivedAt, records.Options{})
		},
		"file": func(f *fixture) (records.BatchResult, error) {
			return records.IngestFile(f.ctx, f.db, f.pusher, f.hj, strings.NewReader(add), records.JSONLines, f.receivedAt,
				records.Options{})
		},
	} {
		t.Run(name, func(t *testing.T) {
			sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
				if db.Dialect != sqldb.Postgres {
					t.Skip("one writer: no serialization failure")
				}
				f := setup(t, db)
				if _, err := db.Write().ExecContext(f.ctx, `CREATE SEQUENCE busy_tries;
					CREATE FUNCTION busy() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
						PERFORM nextval('busy_tries');
						RAISE EXCEPTION 'could not serialize access' USING ERRCODE = '40001'; END $$;
					CREATE TRIGGER busy BEFORE INSERT ON record_batches FOR EACH ROW EXECUTE FUNCTION busy()`); err != nil {
					t.Fatal(err)
				}
				_, err := write(f)
				p := api.ProblemFor(err)
				if err == nil || p.Status != http.StatusServiceUnavailable || p.Code != "database_busy" {
					t.Fatalf("write failing to serialize on every try: %v, answered %+v; want 503 database_busy", err, p)
				}
				w := httptest.NewRecorder()
				api.WriteProblem(w, p)
				if w.Header().Get("Retry-After") == "" {
					t.Error("no Retry-After")
				}
				var tries int
				if err := db.Read().QueryRowContext(f.ctx, `SELECT last_value FROM busy_tries`).Scan(&tries); err != nil {
					t.Fatal(err)
				}
				if tries != 3 {
					t.Errorf("%d tries, want 3 (retries)", tries)
				}
				if n := f.count("record_batches"); n != 0 {
					t.Errorf("%d batches written, want none", n)
				}
			})
		})
	}
}
