package backup_test

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/backup"
	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/demo"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/org/orgtest"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/server"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

func TestMain(m *testing.M) { os.Exit(sqldbtest.Main(m)) }

const region = "440605"

var by = audit.Actor{Kind: audit.ActorSystem, ID: "test", Name: "test"}

// seed creates a region, departments, a user and apps through the domain
// functions, so that every row has its audit row.
func seed(t *testing.T, db *sqldb.DB) {
	t.Helper()
	ctx := t.Context()
	now := time.Now()
	err := db.Tx(ctx, func(tx *sqldb.Tx) error {
		if err := org.CreateRegion(ctx, tx, by, &org.Region{Code: "440000", Name: "广东省", Level: org.Province}, now); err != nil {
			return err
		}
		if err := org.CreateRegion(ctx, tx, by, &org.Region{Code: region, Name: "南海区", Level: org.District, ParentCode: "440000"}, now); err != nil {
			return err
		}
		var first int64
		for i := range 20 {
			// The first is the platform operator's, whose account follows.
			d := org.Department{Name: fmt.Sprintf("南海区第%d局", i), USCC: demo.USCC(region, i+1), RegionCode: region, IsOperator: i == 0}
			if err := org.CreateDepartment(ctx, tx, by, &d, now); err != nil {
				return err
			}
			if i == 0 {
				first = d.ID
			}
		}
		if _, err := orgtest.CreateUser(ctx, tx, by, org.NewUser{Username: "nh.admin", DisplayName: "陈志远",
			DepartmentID: first, Role: org.Operator, Password: "Correct-Horse-9"}, now); err != nil {
			return err
		}
		for i := range 3 {
			if _, _, err := org.CreateApp(ctx, tx, by, org.NewApp{Name: fmt.Sprintf("系统%d", i), DepartmentID: first,
				Scopes: []string{"catalog.read data.read"}}, now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("seed: %v", err)
	}
}

// recordsPerEntry is how many subjects each demo entry that takes records
// gets in seedDemo: enough for cross-checks to find differences, few
// enough that the demo district seeds in seconds on both engines.
const recordsPerEntry = 40

// opList is a records.Source over operations built in memory.
type opList []records.Op

func (l *opList) Next(op *records.Op) (int, error) {
	if len(*l) == 0 {
		return 0, io.EOF
	}
	*op, *l = (*l)[0], (*l)[1:]
	return 1, nil
}

// seedDemo fills db with the demo district, so that a backup holds rows in
// every table: demo.Seed's regions, departments, accounts, apps and
// catalog; on every demo entry that takes records, recordsPerEntry
// subjects pushed through records.Ingest (on PostgreSQL written with
// binary COPY), then changed, changed to the values they hold (kept as
// unchanged keys) and cancelled, some names differing from the base
// entries' so that the cross-check opens discrepancies; a discrepancy's
// feedback, an entry's timeliness rule, an import mapping, an entry whose
// item was decided distinct from the others' (不是同一数据项), an entry
// under review, a session, a
// failed login, and a department created through the API with an
// Idempotency-Key.
func seedDemo(t *testing.T, db *sqldb.DB) {
	t.Helper()
	ctx := t.Context()
	now := time.Now()
	if _, err := demo.Seed(ctx, db, now); err != nil {
		t.Fatalf("demo.Seed: %v", err)
	}
	rows, err := db.Read().QueryContext(ctx, `SELECT id FROM catalog_entries WHERE status = 'published'
		AND subject_kind IN ('person', 'legal_entity') ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	var entries, base []*records.Entry
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		e, err := records.LoadEntry(ctx, db.Read(), id)
		if err != nil {
			t.Fatal(err)
		}
		// Base entries first, so that the others are cross-checked against them.
		if e.Class == "basic" && (e.CategoryCode == "01" || e.CategoryCode == "02") {
			base = append(base, e)
		} else {
			entries = append(entries, e)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	rows.Close()
	skewed := map[int64]bool{}
	for _, e := range entries {
		skewed[e.ID] = true
	}
	for _, e := range append(base, entries...) {
		by := records.Pusher{DepartmentID: e.DepartmentID,
			Actor: audit.Actor{Kind: audit.ActorSystem, ID: "test", Name: "test", DepartmentID: e.DepartmentID}}
		var adds, later opList
		for n := range recordsPerEntry {
			id := demo.PersonID(n)
			if e.SubjectKind == records.LegalEntity {
				id = demo.CompanyUSCC(n)
			}
			vals := demo.Values(e, id, n)
			produced := now.Add(-time.Duration(n+60) * time.Minute)
			if skewed[e.ID] && n%10 == 3 {
				for k, v := range vals {
					if key := catalog.ItemKey(k); key == "姓名" || key == "企业名称" {
						r := []rune(v)
						r[len(r)-1] = '某'
						vals[k] = string(r)
					}
				}
			}
			adds = append(adds, records.Op{Op: records.Add, SubjectID: id, Values: vals, ProducedAt: produced})
			switch n % 5 {
			case 1: // to the values it holds: acknowledged as unchanged
				later = append(later, records.Op{Op: records.Change, SubjectID: id, Values: vals, ProducedAt: now})
			case 2: // to other values
				later = append(later, records.Op{Op: records.Change, SubjectID: id, Values: demo.Values(e, id, n+recordsPerEntry), ProducedAt: now})
			case 4:
				later = append(later, records.Op{Op: records.Cancel, SubjectID: id, ProducedAt: now})
			}
		}
		for i, src := range []*opList{&adds, &later} {
			res, err := records.Ingest(ctx, db, by, e.ID, src, now, records.Options{})
			if err != nil {
				t.Fatalf("entry %s batch %d: %v", e.Code, i+1, err)
			}
			if res.RejectedCount > 0 {
				t.Fatalf("entry %s batch %d: line %d rejected: %s", e.Code, i+1, res.Rejected[0].Line, res.Rejected[0].Reason)
			}
		}
	}

	var discrepancy, party int64
	if err := db.Read().QueryRowContext(ctx, `SELECT id, department_a FROM record_discrepancies WHERE status <> 'resolved' ORDER BY id LIMIT 1`).Scan(&discrepancy, &party); err != nil {
		t.Fatalf("no discrepancy: %v", err)
	}
	var operator int64
	if err := db.Read().QueryRowContext(ctx, `SELECT id FROM departments WHERE is_operator`).Scan(&operator); err != nil {
		t.Fatal(err)
	}
	err = db.Tx(ctx, func(tx *sqldb.Tx) error {
		if _, err := records.Feedback(ctx, tx, records.Reviewer{Actor: by, DepartmentID: party}, discrepancy, "已核实，以户籍登记为准", new(false), now); err != nil {
			return err
		}
		if err := records.SetRule(ctx, tx, by, base[0].ID, records.Quarterly, "经市政务办审核", now); err != nil {
			return err
		}
		if _, err := catalogio.SaveMapping(ctx, tx, catalog.Actor{Actor: audit.Actor{Kind: audit.ActorSystem, ID: "test", Name: "test",
			DepartmentID: operator}, Editor: true}, catalogio.MappingFrom("省目录表", nil, map[string]string{"更新周期": "每月"}), now); err != nil {
			return err
		}
		// An entry whose 登记日期 the reviewer decided is not the same data
		// item as the other departments' (catalog_distinct_items).
		reviewer := catalog.Actor{Actor: audit.Actor{Kind: audit.ActorSystem, ID: "test", Name: "test", DepartmentID: operator}, Operator: true}
		editor := catalog.Actor{Actor: audit.Actor{Kind: audit.ActorSystem, ID: "test", Name: "test",
			DepartmentID: base[0].DepartmentID}, Editor: true}
		model, err := catalog.Get(ctx, tx, reviewer, base[0].ID)
		if err != nil {
			return err
		}
		r := model.Resource
		r.Name, r.Items = "备份测试登记信息", []catalog.Item{{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true},
			{Name: "登记日期", Type: "D"}}
		separate, err := catalog.Create(ctx, tx, editor, editor.DepartmentID, r, now)
		if err != nil {
			return err
		}
		if _, err := catalog.Submit(ctx, tx, editor, separate.ID, now); err != nil {
			return err
		}
		cs, err := catalog.Conflicts(ctx, tx, reviewer, separate.ID)
		if err != nil || len(cs) == 0 {
			return fmt.Errorf("conflicts of %s: %v %v", r.Name, cs, err)
		}
		for _, c := range cs {
			if _, err := catalog.DecideDistinct(ctx, tx, reviewer, separate.ID, c.ID, now); err != nil {
				return err
			}
		}
		if _, err := catalog.Approve(ctx, tx, reviewer, separate.ID, now); err != nil {
			return err
		}
		// An entry left under review (catalog_review_item_keys).
		r.Name = "备份测试待审登记信息"
		waiting, err := catalog.Create(ctx, tx, editor, editor.DepartmentID, r, now)
		if err != nil {
			return err
		}
		if _, err := catalog.Submit(ctx, tx, editor, waiting.ID, now); err != nil {
			return err
		}
		// A department's retirement of a published entry waits for review
		// (catalog_retire_requests).
		last := entries[len(entries)-1]
		if _, err := catalog.Retire(ctx, tx, catalog.Actor{Actor: audit.Actor{Kind: audit.ActorSystem, ID: "test", Name: "test",
			DepartmentID: last.DepartmentID}, Editor: true}, last.ID, "业务调整，停止采集", now); err != nil {
			return err
		}
		// A read serving another person's identifier too (audit_subjects).
		read := records.ReadEvent(by, "records.read", base[0].ID, demo.PersonID(1), "", "备份测试")
		read.Subjects = []string{demo.PersonID(2)}
		return audit.Record(ctx, tx, read, now)
	})
	if err != nil {
		t.Fatalf("feedback, rule, mapping, separated items, entry under review, retirement request and read: %v", err)
	}
	if _, _, err := org.Login(ctx, db, "admin", demo.Password, org.Client{RemoteAddr: "127.0.0.1"}, now); err != nil {
		t.Fatalf("login: %v", err)
	}
	if _, _, err := org.Login(ctx, db, "reviewer", "wrong", org.Client{RemoteAddr: "127.0.0.1"}, now); err == nil {
		t.Fatal("login with a wrong password succeeded")
	}

	var key string
	err = db.Tx(ctx, func(tx *sqldb.Tx) error {
		_, key, err = org.CreateApp(ctx, tx, by, org.NewApp{Name: "备份测试管理", DepartmentID: operator, Scopes: []string{"admin"}}, now)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	s, err := server.New(server.Config{DB: db, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s)
	defer ts.Close()
	req, _ := http.NewRequest("POST", ts.URL+"/api/v1/departments",
		strings.NewReader(`{"name":"南海区备份测试局","uscc":"`+demo.USCC(region, 900)+`","region_code":"`+region+`"}`))
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", "backup-seed-1")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("POST /api/v1/departments: %d %s", resp.StatusCode, body)
	}
}

// writer creates departments, one transaction each, until stop is closed;
// it returns how many it committed.
func writer(t *testing.T, db *sqldb.DB, committed *atomic.Int64, stop <-chan struct{}) {
	ctx := context.Background()
	for i := 1000; ; i++ {
		select {
		case <-stop:
			return
		default:
		}
		d := org.Department{Name: fmt.Sprintf("并发写入%d", i), USCC: demo.USCC(region, i), RegionCode: region}
		if err := db.Tx(ctx, func(tx *sqldb.Tx) error { return org.CreateDepartment(ctx, tx, by, &d, time.Now()) }); err != nil {
			t.Errorf("writer: %v", err)
			return
		}
		committed.Add(1)
	}
}

// TestBackupWhileWriting backs up the demo district while a writer keeps
// committing, restores the copy and compares every table of the schema
// with the source, row for row: the tables the writer does not touch are
// equal, but for the sessions, which no backup holds; its departments and audit rows in the copy are a prefix of the
// source's, holding everything committed before the backup began and no
// half transaction; the audit chain verifies. The copy then takes writes,
// its sequences restored with the rows.
func TestBackupWhileWriting(t *testing.T) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		ctx := t.Context()
		db, err := sqldb.Open(ctx, dsn, sqldb.Options{Durable: true})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		seeding := time.Now()
		seedDemo(t, db)
		t.Logf("%s: demo district and its records seeded in %v", db.Dialect, time.Since(seeding).Round(time.Millisecond))

		var committed atomic.Int64
		stop := make(chan struct{})
		var wg sync.WaitGroup
		wg.Go(func() { writer(t, db, &committed, stop) })
		for committed.Load() < 20 { // the writer is well under way
			time.Sleep(5 * time.Millisecond)
		}
		before := count(t, db.Read(), "departments")

		out := filepath.Join(t.TempDir(), backup.DefaultName(db.Dialect, time.Now()))
		res, err := backup.Run(ctx, db, dsn, out, nil)
		if err != nil {
			close(stop)
			wg.Wait()
			t.Fatal(err)
		}
		for n := committed.Load(); committed.Load() < n+20; { // and keeps going afterwards
			time.Sleep(5 * time.Millisecond)
		}
		close(stop)
		wg.Wait()
		t.Logf("%s backup: %s in %v; %d departments written concurrently", db.Dialect, backup.Size(res.Bytes), res.Took, committed.Load())

		if _, err := backup.Run(ctx, db, dsn, out, nil); err == nil || err.Error() != out+" 已存在：备份从不覆盖已有文件，请另选文件名" {
			t.Errorf("second backup to the same file: %v, want a refusal", err)
		}
		// A folder that cannot take the backup is named before the copy
		// is made, in Chinese, not by VACUUM INTO's or pg_dump's error.
		missing := filepath.Join(filepath.Dir(out), "missing")
		if _, err := backup.Run(ctx, db, dsn, filepath.Join(missing, "b.db"), nil); err == nil ||
			err.Error() != "文件夹 "+missing+" 不存在：请先创建，或另选输出路径" {
			t.Errorf("backup into a missing folder: %v", err)
		}
		if _, err := backup.Run(ctx, db, dsn, filepath.Join(out, "b.db"), nil); err == nil || err.Error() != out+" 不是文件夹" {
			t.Errorf("backup into a file as a folder: %v", err)
		}
		if _, err := backup.Verify(ctx, out); err != nil {
			t.Errorf("Verify: %v", err)
		}

		restored := restore(t, db.Dialect, dsn, out)
		defer restored.Close()
		if pending, err := restored.Pending(ctx); err != nil || len(pending) != 0 {
			t.Errorf("restored copy: pending migrations %q, %v", pending, err)
		}
		rep, err := audit.Verify(ctx, restored.Read())
		if err != nil || rep.Problem != nil {
			t.Fatalf("audit.Verify on the copy: %+v, %v", rep.Problem, err)
		}

		tables := tableNames(t, db)
		if diff := cmp.Diff(tables, tableNames(t, restored)); diff != "" {
			t.Errorf("tables differ (-source +copy):\n%s", diff)
		}
		var empty []string
		rows := 0
		for _, table := range tables {
			src, cp := sqldbtest.TableRows(t, db.Read(), table), sqldbtest.TableRows(t, restored.Read(), table)
			rows += len(cp)
			if len(src) == 0 {
				empty = append(empty, table)
			}
			switch table {
			case "departments", "audit_log":
				// Written during the backup: the copy holds at least what
				// was committed before it began, each row as in the source.
				if len(cp) > len(src) {
					t.Errorf("copy has %d rows of %s, the source only %d", len(cp), table, len(src))
				} else if diff := cmp.Diff(src[:len(cp)], cp); diff != "" {
					t.Errorf("%s of the copy are not a prefix of the source (-source +copy):\n%s", table, diff)
				}
			case "audit_head": // the copy's head: compared with the source's row below
			case "sessions": // left out of every backup
				if len(cp) != 0 {
					t.Errorf("copy has %d sessions, want none", len(cp))
				}
			default:
				slices.Sort(src)
				slices.Sort(cp)
				if diff := cmp.Diff(src, cp); diff != "" {
					t.Errorf("%s differ (-source +copy):\n%s", table, diff)
				}
			}
		}
		t.Logf("%s: %d tables compared, %d rows in the copy", db.Dialect, len(tables), rows)
		if len(empty) > 0 {
			t.Errorf("the seed leaves tables empty, so their round trip is not tested: %v", empty)
		}
		if n := count(t, restored.Read(), "departments"); n < before {
			t.Errorf("copy has %d departments; want at least the %d committed before the backup began", n, before)
		}
		// No half-applied transactions: every department has its audit row.
		var orphans int
		if err := restored.Read().QueryRowContext(ctx, `SELECT count(*) FROM departments d WHERE NOT EXISTS
			(SELECT 1 FROM audit_log a WHERE a.action = 'department.create' AND a.object_id = CAST(d.id AS TEXT))`).Scan(&orphans); err != nil {
			t.Fatal(err)
		}
		if orphans != 0 {
			t.Errorf("%d departments in the copy lack their audit row", orphans)
		}
		if audits := count(t, restored.Read(), "audit_log"); audits != int(rep.Head) {
			t.Errorf("copy: %d audit rows, head %d", audits, rep.Head)
		}
		var srcHash string
		if err := db.Read().QueryRowContext(ctx, `SELECT hash FROM audit_log WHERE seq = $1`, rep.Head).Scan(&srcHash); err != nil {
			t.Fatal(err)
		}
		var headHash string
		if err := restored.Read().QueryRowContext(ctx, `SELECT hash FROM audit_head`).Scan(&headHash); err != nil {
			t.Fatal(err)
		}
		if srcHash != headHash {
			t.Errorf("copy's audit head %d has hash %s, source row has %s", rep.Head, headHash, srcHash)
		}

		writeRestored(t, restored, rep.Head)
	})
}

// writeRestored writes to a restored copy as a server would: it creates
// an app and pushes a record, which take new ids from the sequences
// (PostgreSQL) and AUTOINCREMENT counters (SQLite) the backup restored, so
// a copy restored without them collides with its own rows. The audit chain
// then goes on from the copy's head.
func writeRestored(t *testing.T, db *sqldb.DB, head int64) {
	t.Helper()
	ctx := t.Context()
	now := time.Now()
	var maxApp int64
	if err := db.Read().QueryRowContext(ctx, `SELECT max(id) FROM apps`).Scan(&maxApp); err != nil {
		t.Fatal(err)
	}
	var app org.App
	err := db.Tx(ctx, func(tx *sqldb.Tx) (err error) {
		app, _, err = org.CreateApp(ctx, tx, by, org.NewApp{Name: "恢复后新建", DepartmentID: 1, Scopes: []string{"catalog.read"}}, now)
		return err
	})
	if err != nil {
		t.Fatalf("create an app in the restored copy: %v", err)
	}
	if app.ID <= maxApp {
		t.Errorf("app created in the copy has id %d, not after the restored %d", app.ID, maxApp)
	}
	var entryID, lastSeq, maxBatch int64
	if err := db.Read().QueryRowContext(ctx, `SELECT e.id, s.last_seq FROM catalog_entries e JOIN record_entry_stats s ON s.entry_id = e.id
		WHERE e.subject_kind = 'person' AND s.last_seq > 0 ORDER BY e.id LIMIT 1`).Scan(&entryID, &lastSeq); err != nil {
		t.Fatal(err)
	}
	if err := db.Read().QueryRowContext(ctx, `SELECT max(id) FROM record_batches`).Scan(&maxBatch); err != nil {
		t.Fatal(err)
	}
	e, err := records.LoadEntry(ctx, db.Read(), entryID)
	if err != nil {
		t.Fatal(err)
	}
	id := demo.PersonID(recordsPerEntry)
	src := opList{{Op: records.Add, SubjectID: id, Values: demo.Values(e, id, recordsPerEntry), ProducedAt: now}}
	res, err := records.Ingest(ctx, db, records.Pusher{DepartmentID: e.DepartmentID,
		Actor: audit.Actor{Kind: audit.ActorSystem, ID: "test", Name: "test", DepartmentID: e.DepartmentID}}, entryID, &src, now, records.Options{})
	if err != nil || res.Applied != 1 || res.RejectedCount != 0 {
		t.Fatalf("push a record to the restored copy: %+v, %v", res, err)
	}
	if res.BatchID <= maxBatch || res.FirstSeq != lastSeq+1 {
		t.Errorf("record pushed to the copy: batch %d, seq %d; want a batch after %d and seq %d", res.BatchID, res.FirstSeq, maxBatch, lastSeq+1)
	}
	rep, err := audit.Verify(ctx, db.Read())
	if err != nil || rep.Problem != nil || rep.Head <= head {
		t.Errorf("audit chain of the copy after writing: head %d (restored %d), %+v, %v", rep.Head, head, rep.Problem, err)
	}
}

// tableNames lists the tables of db's schema (SQLite's virtual tables and
// their shadow tables included, its own sqlite_ tables not).
func tableNames(t *testing.T, db *sqldb.DB) []string {
	t.Helper()
	q := `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY name`
	if db.Dialect == sqldb.Postgres {
		q = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()
			AND table_type = 'BASE TABLE' ORDER BY table_name`
	}
	rows, err := db.Read().QueryContext(t.Context(), q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		names = append(names, n)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return names
}

func count(t *testing.T, q sqldb.Querier, table string) int {
	t.Helper()
	var n int
	if err := q.QueryRowContext(context.Background(), `SELECT count(*) FROM `+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// restore opens the backup as the server would after a restore: a SQLite
// copy in place of the database file; a dump restored with pg_restore into
// a fresh, empty PostgreSQL database.
func restore(t *testing.T, d sqldb.Dialect, dsn, file string) *sqldb.DB {
	t.Helper()
	ctx := t.Context()
	target := file
	if d == sqldb.Postgres {
		target = emptyDatabase(t, dsn)
		pgRestore, err := backup.Tool("pg_restore")
		if err != nil {
			t.Fatal(err)
		}
		out, err := exec.CommandContext(ctx, pgRestore, "--no-owner", "--exit-on-error", "--dbname="+target, file).CombinedOutput()
		if err != nil {
			t.Fatalf("pg_restore: %v\n%s", err, out)
		}
	}
	db, err := sqldb.Open(ctx, target, sqldb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// emptyDatabase creates an empty database on the server of dsn (the test
// server, where we are superuser) and returns its DSN; it is dropped when
// the test ends.
func emptyDatabase(t *testing.T, dsn string) string {
	t.Helper()
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	name := fmt.Sprintf("restored_%d", time.Now().UnixNano())
	if _, err := admin.ExecContext(t.Context(), `CREATE DATABASE `+name+` TEMPLATE template0`); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		admin, err := sql.Open("pgx", dsn)
		if err != nil {
			t.Error(err)
			return
		}
		defer admin.Close()
		if _, err := admin.ExecContext(context.Background(), `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`); err != nil {
			t.Errorf("drop %s: %v", name, err)
		}
	})
	u.Path = "/" + name
	return u.String()
}

// TestVerifyRefusesOtherFiles: a file that is missing, a folder, not a backup, or a
// SQLite database other than Hutong's is refused, saying so in Chinese.
func TestVerifyRefusesOtherFiles(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(p, []byte("not a backup"), 0o644); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(dir, "other.db")
	db, err := sqldb.Open(t.Context(), other, sqldb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Write().ExecContext(t.Context(), `CREATE TABLE notes (body TEXT)`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	for _, c := range []struct{ path, want string }{
		{filepath.Join(dir, "none.db"), "文件 " + filepath.Join(dir, "none.db") + " 不存在"},
		{p, p + " 既不是 SQLite 数据库，也不是 pg_dump 自定义格式（custom）的归档"},
		{dir, dir + " 是文件夹，不是文件：请给出备份文件的路径"},
		{other, other + " 不像互通数据库的备份：没有 schema_migrations、regions、departments、users、apps、app_keys、audit_log 表"},
	} {
		if _, err := backup.Verify(t.Context(), c.path); err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("Verify %s: %v, want %q", c.path, err, c.want)
		}
	}
}

// TestToolMissing: a HUTONG_PG_BIN without the program is named.
func TestToolMissing(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("HUTONG_PG_BIN", dir)
	if _, err := backup.Tool("pg_dump"); err == nil || err.Error() != "HUTONG_PG_BIN="+dir+" 中没有可执行的 pg_dump" {
		t.Errorf("Tool in an empty HUTONG_PG_BIN: %v", err)
	}
}

// TestBackupPathsNeedingEscapes backs up a SQLite file whose path holds
// characters that mean something in a file: URI ('#', '?', '%', a leading
// "file:") to such paths: each backup is a copy of that database, and no
// other file appears.
func TestBackupPathsNeedingEscapes(t *testing.T) {
	ctx := t.Context()
	t.Chdir(t.TempDir())
	for _, d := range []string{"d#x%41", "file:out"} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	src := "d#x%41/h?.db"
	db, err := sqldb.Open(ctx, src, sqldb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	seed(t, db)
	// A catalog entry and its records, which the copy counts too.
	dept := recordstest.Department(t, db, "备份测试局", 900)
	entry := recordstest.Entry(t, db, dept, recordstest.Spec{Code: "101001/000900", Name: "备份测试信息", SubjectKind: "person",
		Items: []records.Item{{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true}, {Name: "姓名", Type: "C", Length: 20}}})
	var lines string
	for i := range 2 {
		lines += `{"op":"add","subject_id":"` + recordstest.CitizenID(i) + `","produced_at":"2026-03-02T10:00:00+08:00","values":{"姓名":"张三"}}` + "\n"
	}
	if _, err := records.Ingest(ctx, db, recordstest.Pusher(dept), entry, records.JSONLines(strings.NewReader(lines)), time.Now(),
		records.Options{}); err != nil {
		t.Fatal(err)
	}
	for _, out := range []string{"d#x%41/b?#%25.db", "file:out/b.db"} {
		if _, err := backup.Run(ctx, db, src, out, nil); err != nil {
			t.Fatalf("backup to %s: %v", out, err)
		}
		c, err := backup.Verify(ctx, out)
		if err != nil {
			t.Fatalf("verify %s: %v", out, err)
		}
		if _, ok := c.Counts["record_discrepancy_feedback"]; !ok {
			t.Errorf("%s: no count of the discrepancies' feedback: %v", out, c.Counts)
		}
		if c.Counts["departments"] != 21 || c.Counts["apps"] != 3 || c.Counts["catalog_entries"] != 1 ||
			c.Counts["record_batches"] != 1 || c.Counts["record_versions"] != 2 {
			t.Errorf("%s holds %v, want the 21 departments, 3 apps, 1 catalog entry, 1 batch and 2 record versions of %s",
				out, c.Counts, src)
		}
	}
	var files []string
	filepath.WalkDir(".", func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, p)
		}
		return err
	})
	want := []string{"d#x%41/b?#%25.db", "d#x%41/h?.db", "d#x%41/h?.db-shm", "d#x%41/h?.db-wal", "file:out/b.db"}
	if diff := cmp.Diff(want, files); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
}

// TestVerifyDamagedDump: -verify reads a PostgreSQL dump to its end, so a
// dump cut short or with bytes overwritten is refused, in Chinese, quoting
// pg_restore's own error; an intact one reports the rows of each table.
func TestVerifyDamagedDump(t *testing.T) {
	ctx := t.Context()
	dsn := sqldbtest.PostgresDSN(t)
	db, err := sqldb.Open(ctx, dsn, sqldb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	seed(t, db)
	// Enough rows that most of the dump is data, not its table of
	// contents, which pg_restore --list reads.
	err = db.Tx(ctx, func(tx *sqldb.Tx) error {
		for i := range 2000 {
			d := org.Department{Name: fmt.Sprintf("南海区第%d所", i), USCC: demo.USCC(region, 1000+i), RegionCode: region}
			if err := org.CreateDepartment(ctx, tx, by, &d, time.Now()); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	good := filepath.Join(dir, "nh.dump")
	if _, err := backup.Run(ctx, db, dsn, good, nil); err != nil {
		t.Fatal(err)
	}
	c, err := backup.Verify(ctx, good)
	if err != nil {
		t.Fatalf("Verify of an intact dump: %v", err)
	}
	if c.Objects == 0 || c.Counts["departments"] != 2020 || c.Counts["users"] != 1 || c.Counts["apps"] != 3 ||
		c.Counts["audit_log"] != int64(count(t, db.Read(), "audit_log")) {
		t.Errorf("Verify of an intact dump: %d objects, counts %v; want 2020 departments, 1 user, 3 apps and every audit row",
			c.Objects, c.Counts)
	}
	if _, ok := c.Counts["record_discrepancy_feedback"]; !ok {
		t.Errorf("no count of an empty table: %v", c.Counts)
	}
	summary := c.Summary("nh.dump")
	if want := fmt.Sprintf("nh.dump：pg_dump 归档完整可读：pg_restore 读完了目录（%d 个对象）和每张表的数据；"+
		"审计链须恢复后以 hutong audit verify 校验\n", c.Objects); !strings.HasPrefix(summary, want) ||
		!strings.Contains(summary, "\n  departments                 2020\n") {
		t.Errorf("Summary:\n%s\nwant it to start %q and count the 2020 departments", summary, want)
	}

	// A dump of another database is not taken for Hutong's.
	other := emptyDatabase(t, dsn)
	odb, err := sqldb.Open(ctx, other, sqldb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer odb.Close()
	if _, err := odb.Write().ExecContext(ctx, `CREATE TABLE notes (body TEXT)`); err != nil {
		t.Fatal(err)
	}
	otherDump := filepath.Join(dir, "other.dump")
	if _, err := backup.Run(ctx, odb, other, otherDump, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := backup.Verify(ctx, otherDump); err == nil || err.Error() != otherDump+" 不像互通数据库的备份：归档中没有 "+
		"schema_migrations、regions、departments、users、apps、app_keys、audit_log 表的数据" {
		t.Errorf("Verify of another database's dump: %v", err)
	}

	data, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	zeroed := append([]byte(nil), data...)
	at := len(data) * 3 / 4
	copy(zeroed[at:min(at+500, len(data))], make([]byte, 500))
	pgRestore, err := backup.Tool("pg_restore")
	if err != nil {
		t.Fatal(err)
	}
	for name, b := range map[string][]byte{"truncated.dump": data[:len(data)*3/4], "zeroed.dump": zeroed} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.CommandContext(ctx, pgRestore, "--list", p).CombinedOutput(); err != nil {
			t.Fatalf("%s: the damage reaches the table of contents: %v\n%s", name, err, out)
		}
		_, err := backup.Verify(ctx, p)
		if err == nil {
			t.Errorf("Verify %s: passed", name)
			continue
		}
		msg := err.Error()
		if !strings.HasPrefix(msg, p+"：pg_dump 归档已损坏或不完整：pg_restore 读取时报错“pg_restore: error: ") ||
			strings.Contains(msg, "exit status") || strings.Contains(msg, "\n") {
			t.Errorf("Verify %s: %q, want the Chinese refusal quoting pg_restore's last error line", name, msg)
		}
	}
}

// TestVerifyForeignKeys: a SQLite copy whose rows reference rows that are
// not there (written with foreign keys off) is refused, naming each table,
// the table it references and how many rows do so.
func TestVerifyForeignKeys(t *testing.T) {
	ctx := t.Context()
	db := sqldbtest.SQLite(t)
	seed(t, db)
	dept := recordstest.Department(t, db, "外键测试局", 901)
	recordstest.Entry(t, db, dept, recordstest.Spec{Code: "101001/000901", Name: "外键测试信息", SubjectKind: "person",
		Items: []records.Item{{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true}}})
	good := filepath.Join(t.TempDir(), "good.db")
	if _, err := backup.Run(ctx, db, db.Source, good, nil); err != nil {
		t.Fatal(err)
	}
	c, err := backup.Verify(ctx, good)
	if err != nil {
		t.Fatalf("Verify of a consistent copy: %v", err)
	}
	if c.ForeignKeys == 0 {
		t.Errorf("Verify of a consistent copy checked no foreign keys")
	}
	if summary, want := c.Summary("good.db"), fmt.Sprintf("good.db：SQLite 完整性检查（integrity_check）通过；"+
		"外键检查（foreign_key_check，%d 个外键）通过，没有引用不存在的行；审计链完整（%d 行，链头序号 %d）\n",
		c.ForeignKeys, c.Audit.Rows, c.Audit.Head); !strings.HasPrefix(summary, want) ||
		!strings.Contains(summary, "\n  catalog_entries             1\n") {
		t.Errorf("Summary:\n%s\nwant it to start %q and count the catalog entry", summary, want)
	}

	bad := filepath.Join(t.TempDir(), "bad.db")
	if _, err := backup.Run(ctx, db, db.Source, bad, nil); err != nil {
		t.Fatal(err)
	}
	w, err := sql.Open("sqlite", bad)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	w.SetMaxOpenConns(1)
	for _, q := range []string{`PRAGMA foreign_keys = OFF`,
		`UPDATE catalog_entries SET department_id = 999`,
		`DELETE FROM departments WHERE id = (SELECT department_id FROM users)`} {
		if _, err := w.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	w.Close()
	_, err = backup.Verify(ctx, bad)
	want := bad + "：外键检查未通过：apps 表有 3 行引用的 departments 行不存在；catalog_entries 表有 1 行引用的 departments 行不存在；" +
		"users 表有 1 行引用的 departments 行不存在"
	if err == nil || err.Error() != want {
		t.Errorf("Verify of a copy with dangling references:\n got %v\nwant %s", err, want)
	}
}

// olderDatabase returns the DSN of a database as the release whose last
// migration was through left it: the migrations up to it applied, from the
// source tree, and recorded in schema_migrations as Migrate records them.
// On PostgreSQL it is a new database on the server of dsn. It returns the
// database and its DSN.
func olderDatabase(t *testing.T, d sqldb.Dialect, dsn, through string) (*sqldb.DB, string) {
	t.Helper()
	ctx := t.Context()
	target := filepath.Join(t.TempDir(), "older.db")
	if d == sqldb.Postgres {
		target = emptyDatabase(t, dsn)
	}
	db, err := sqldb.Open(ctx, target, sqldb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	names, err := sqldb.Migrations(d)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Write().ExecContext(ctx, `CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied_at TIMESTAMP NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		if name > through {
			break
		}
		body, err := os.ReadFile(filepath.Join("..", "sqldb", "migrations", d.String(), name))
		if err != nil {
			t.Fatal(err)
		}
		err = db.Tx(ctx, func(tx *sqldb.Tx) error {
			if _, err := tx.ExecContext(ctx, string(body)); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (name, applied_at) VALUES ($1, $2)`, name, time.Now().UTC())
			return err
		})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	return db, target
}

// TestVerifyOlderRelease: a backup made by an earlier release, whose schema
// lacks tables added since, passes -verify, which counts the tables it has
// and says its schema version and that a restore upgrades it; restored, it
// migrates to the current schema.
func TestVerifyOlderRelease(t *testing.T) {
	const through = "0017_catalog_search_abbreviations.sql"
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		ctx := t.Context()
		d := sqldb.SQLite
		if strings.HasPrefix(dsn, "postgres") {
			d = sqldb.Postgres
		}
		db, target := olderDatabase(t, d, dsn, through)
		out := filepath.Join(t.TempDir(), backup.DefaultName(d, time.Now()))
		if _, err := backup.Run(ctx, db, target, out, nil); err != nil {
			t.Fatal(err)
		}
		c, err := backup.Verify(ctx, out)
		if err != nil {
			t.Fatalf("Verify of a backup made by an earlier release: %v", err)
		}
		if c.Schema != through {
			t.Errorf("schema version %q, want %q", c.Schema, through)
		}
		if _, ok := c.Counts["record_discrepancy_feedback"]; ok {
			t.Errorf("counts a table the backup does not have: %v", c.Counts)
		}
		if _, ok := c.Counts["departments"]; !ok {
			t.Errorf("no count of the departments: %v", c.Counts)
		}
		names, err := sqldb.Migrations(d)
		if err != nil {
			t.Fatal(err)
		}
		if summary, want := c.Summary("b"), "  数据库结构版本 "+through+"：由较早版本创建，恢复时会升级到 "+names[len(names)-1]+"\n"; !strings.Contains(summary, want) {
			t.Errorf("Summary:\n%s\nwant the line %q", summary, want)
		}
		restored := restore(t, d, dsn, out)
		defer restored.Close()
		if _, err := restored.Migrate(ctx); err != nil {
			t.Fatalf("migrating the restored backup: %v", err)
		}
	})
}

// TestVerifyDamagedSQLite: a SQLite copy cut short, or whose pages after
// the header are overwritten, is refused in Chinese as damaged or
// incomplete, as a damaged dump is, without SQLite's English error.
func TestVerifyDamagedSQLite(t *testing.T) {
	ctx := t.Context()
	db := sqldbtest.SQLite(t)
	seed(t, db)
	dir := t.TempDir()
	good := filepath.Join(dir, "good.db")
	if _, err := backup.Run(ctx, db, db.Source, good, nil); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	garbled := append([]byte(nil), data...)
	for i := 16; i < len(garbled); i++ {
		garbled[i] = byte(i * 7)
	}
	for name, b := range map[string][]byte{"truncated.db": data[:len(data)/2], "garbled.db": garbled} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := backup.Verify(ctx, p)
		if err == nil {
			t.Errorf("Verify %s: passed", name)
			continue
		}
		if why, ok := strings.CutPrefix(err.Error(), p+"：备份已损坏或不完整："); !ok || strings.ContainsAny(strings.ReplaceAll(why, "SQLite", ""), "abcdefghijklmnopqrstuvwxyz()") {
			t.Errorf("Verify %s: %v, want the Chinese refusal of a damaged backup", name, err)
		}
	}
}
