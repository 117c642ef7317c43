package server_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/calendar"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/server"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
	"github.com/hutong-gov/hutong/internal/testclock"
)

// TestMaintainPrunesUnchangedKeys: the server's upkeep deletes the keys of
// unchanged record changes kept longer than its retention and
// records.PruneMargin, keeps the others, and logs how many it deleted. A
// server whose clock is 13 hours ahead keeps a key within its retention by
// the right time: it deleted the key as soon as its clock passed the
// retention.
func TestMaintainPrunesUnchangedKeys(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		clock := testclock.New(time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC))
		dept := recordstest.Department(t, db, "公安分局", 1)
		entry := recordstest.Entry(t, db, dept, recordstest.Spec{Code: "101001/000001", Name: "户籍人口信息", SubjectKind: "person",
			Items: []records.Item{{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true}, {Name: "姓名", Type: "C", Length: 10}}})
		push := func(op string, n int) records.BatchResult {
			t.Helper()
			line := fmt.Sprintf(`{"op":%q,"subject_id":%q,"produced_at":%q,"values":{"姓名":"张三"}}`, op, recordstest.CitizenID(n),
				clock.Now().Format(time.RFC3339))
			res, err := records.Ingest(ctx, db, recordstest.Pusher(dept), entry, records.JSONLines(strings.NewReader(line)), clock.Now(),
				records.Options{})
			if err != nil {
				t.Fatalf("ingest: %v", err)
			}
			return res
		}
		push("add", 1)
		push("add", 2)
		if res := push("change", 1); res.Unchanged != 1 {
			t.Fatalf("unchanged change: %+v", res)
		}
		clock.Add(20 * 24 * time.Hour)
		if res := push("change", 2); res.Unchanged != 1 {
			t.Fatalf("unchanged change: %+v", res)
		}
		clock.Add(12 * 24 * time.Hour)

		var logs bytes.Buffer
		s, err := server.New(server.Config{DB: db, Log: slog.New(slog.NewTextHandler(&logs, nil)), Now: clock.Now,
			UnchangedKeyRetention: 30 * 24 * time.Hour})
		if err != nil {
			t.Fatal(err)
		}
		s.PruneUnchangedKeys(ctx)
		var left int
		if err := db.Read().QueryRowContext(ctx, `SELECT count(*) FROM record_unchanged_keys`).Scan(&left); err != nil {
			t.Fatal(err)
		}
		if left != 1 {
			t.Errorf("%d keys left, want the one kept 12 days ago", left)
		}
		if !strings.Contains(logs.String(), "msg=\"pruned keys of unchanged record changes\" deleted=1 kept_before=2026-03-03T02:00:00.000Z") {
			t.Errorf("log: %q, want the key deleted", logs.String())
		}

		// The key left was kept at 2026-03-22 02:00: 29 days 23 hours
		// later by the right time, 30 days 12 hours by a clock 13 hours
		// ahead.
		ahead := testclock.New(time.Date(2026, 4, 21, 14, 0, 0, 0, time.UTC))
		s, err = server.New(server.Config{DB: db, Log: slog.New(slog.NewTextHandler(&logs, nil)), Now: ahead.Now,
			UnchangedKeyRetention: 30 * 24 * time.Hour})
		if err != nil {
			t.Fatal(err)
		}
		s.PruneUnchangedKeys(ctx)
		if err := db.Read().QueryRowContext(ctx, `SELECT count(*) FROM record_unchanged_keys`).Scan(&left); err != nil {
			t.Fatal(err)
		}
		if left != 1 {
			t.Errorf("%d keys left by a clock 13 hours ahead, want the one within its retention", left)
		}
	})
}

// TestMaintainStoresCompleteness: the server's upkeep stores the
// completeness of a record entry that migration 0023 left to be counted
// again on every quality read (fill_version 0), and logs it, once.
func TestMaintainStoresCompleteness(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		clock := testclock.New(time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC))
		dept := recordstest.Department(t, db, "公安分局", 1)
		entry := recordstest.Entry(t, db, dept, recordstest.Spec{Code: "101001/000001", Name: "户籍人口信息", SubjectKind: "person",
			Items: []records.Item{{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true}, {Name: "姓名", Type: "C", Length: 10}}})
		line := fmt.Sprintf(`{"op":"add","subject_id":%q,"produced_at":%q,"values":{"姓名":"张三"}}`, recordstest.CitizenID(1),
			clock.Now().Format(time.RFC3339))
		if _, err := records.Ingest(ctx, db, recordstest.Pusher(dept), entry, records.JSONLines(strings.NewReader(line)), clock.Now(),
			records.Options{}); err != nil {
			t.Fatal(err)
		}
		sqldbtest.Exec(t, db, `UPDATE record_entry_stats SET fill_version = 0, filled_values = 0`)
		var logs bytes.Buffer
		s, err := server.New(server.Config{DB: db, Log: slog.New(slog.NewTextHandler(&logs, nil)), Now: clock.Now})
		if err != nil {
			t.Fatal(err)
		}
		for range 2 {
			s.MaintainOnce(ctx, map[int]bool{})
		}
		var filled int
		var current bool
		if err := db.Read().QueryRowContext(ctx, `SELECT s.filled_values, s.fill_version = c.version FROM record_entry_stats s
			JOIN catalog_entries c ON c.id = s.entry_id WHERE s.entry_id = $1`, entry).Scan(&filled, &current); err != nil || filled != 1 || !current {
			t.Errorf("after the upkeep: %d values stored, for the version published %v, %v; want 1 for it", filled, current, err)
		}
		if n := strings.Count(logs.String(), "stored completeness of record entries published in another version since their last batch\" entries=1"); n != 1 {
			t.Errorf("log: %q, want the entry stored once", logs.String())
		}
	})
}

// TestMaintainWarnsOfCalendarGaps: the server's upkeep warns of a year
// whose holidays the calendar does not know, the current one or, in
// December, the coming one, once however many passes find it, and says
// nothing while it knows them; the warning names the holidays missing, all
// of the notice's or those a partial year's file left out, and says that
// the fixed holidays are counted with their 补假 (calendar.StatutoryMakeup:
// it said they were counted alone).
func TestMaintainWarnsOfCalendarGaps(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		var logs bytes.Buffer
		clock := testclock.New(time.Date(2026, 10, 1, 2, 0, 0, 0, time.UTC))
		s, err := server.New(server.Config{DB: db, Log: slog.New(slog.NewTextHandler(&logs, nil)), Now: clock.Now})
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		warned := map[int]bool{}
		for _, tt := range []struct {
			now  time.Time
			want []string // the years warned of by this pass
		}{
			{time.Date(2026, 10, 1, 2, 0, 0, 0, time.UTC), nil},
			{time.Date(2030, 11, 30, 2, 0, 0, 0, time.UTC), []string{"year=2030 missing=元旦、春节、清明节、劳动节、端午节、中秋节、国庆节"}},
			{time.Date(2030, 11, 30, 3, 0, 0, 0, time.UTC), nil},
			{time.Date(2030, 12, 1, 2, 0, 0, 0, time.UTC), []string{"year=2031"}},
			{time.Date(2030, 12, 1, 3, 0, 0, 0, time.UTC), nil},
		} {
			clock.Add(tt.now.Sub(clock.Now()))
			logs.Reset()
			s.MaintainOnce(ctx, warned)
			if got := strings.Count(logs.String(), "the calendar has no holiday arrangements"); got != len(tt.want) {
				t.Errorf("%v: %d warnings, want %d:\n%s", tt.now, got, len(tt.want), logs.String())
			}
			for _, w := range tt.want {
				if !strings.Contains(logs.String(), w) {
					t.Errorf("%v: no warning for %s:\n%s", tt.now, w, logs.String())
				}
			}
		}
		// Maintain itself warns from its first pass.
		logs.Reset()
		cancelled, cancel := context.WithCancel(ctx)
		cancel()
		s.Maintain(cancelled)
		if !strings.Contains(logs.String(), "year=2030") || !strings.Contains(logs.String(), "year=2031") {
			t.Errorf("Maintain's first pass on 2030-12-01 warned:\n%s", logs.String())
		}
		if !strings.Contains(logs.String(), "(元旦, 劳动节, 国庆节) with their 补假") {
			t.Errorf("the warning does not say the fixed holidays are counted with their 补假:\n%s", logs.String())
		}

		// A year whose file arranges only some holidays is warned of, naming
		// the others.
		rules, err := calendar.Parse(strings.NewReader("2027-02-06..2027-02-14 holiday 春节\n2027-10-01..2027-10-07 holiday 国庆节\n"))
		if err != nil {
			t.Fatal(err)
		}
		partial, err := calendar.Default().With(rules)
		if err != nil {
			t.Fatal(err)
		}
		clock.Add(time.Date(2027, 3, 1, 2, 0, 0, 0, time.UTC).Sub(clock.Now()))
		s, err = server.New(server.Config{DB: db, Log: slog.New(slog.NewTextHandler(&logs, nil)), Now: clock.Now, Calendar: partial})
		if err != nil {
			t.Fatal(err)
		}
		logs.Reset()
		s.MaintainOnce(ctx, map[int]bool{})
		if !strings.Contains(logs.String(), "year=2027 missing=元旦、清明节、劳动节、端午节、中秋节") {
			t.Errorf("a partial 2027 warned:\n%s", logs.String())
		}
	})
}

// TestMaintainRecomputesDueDates: the server's first upkeep pass moves the
// feedback deadline of a discrepancy stored by a calendar that did not
// know the year's holidays (found on 2027-02-03, due 02-10 in the Spring
// Festival) to the one of the calendar it runs with (02-18), logs it, and
// does not do it again on the next pass. Before, a stored deadline was
// never recomputed and the departments were overdue on holiday. A server
// whose calendar lacks 2027's whole arrangement leaves it, and says so.
func TestMaintainRecomputesDueDates(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		found := time.Date(2027, 2, 3, 10, 0, 0, 0, calendar.Location()).UTC()
		items := []records.Item{{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true}, {Name: "姓名", Type: "C", Length: 10}}
		var depts, entries []int64
		for i, name := range []string{"公安分局", "人社局"} {
			dept := recordstest.Department(t, db, name, i+1)
			depts = append(depts, dept)
			entries = append(entries, recordstest.Entry(t, db, dept, recordstest.Spec{Code: fmt.Sprintf("10100%d/000001", i+1),
				Name: name + "人员信息", SubjectKind: "person", Items: items}))
		}
		for i, v := range []string{"张三", "张叁"} {
			line := fmt.Sprintf(`{"op":"add","subject_id":%q,"produced_at":"2027-02-03T09:00:00+08:00","values":{"姓名":%q}}`,
				recordstest.CitizenID(1), v)
			if _, err := records.Ingest(ctx, db, recordstest.Pusher(depts[i]), entries[i], records.JSONLines(strings.NewReader(line)),
				found, records.Options{}); err != nil {
				t.Fatal(err)
			}
		}
		dueAt := func() time.Time {
			t.Helper()
			var due time.Time
			if err := db.Read().QueryRowContext(ctx, `SELECT due_at FROM record_discrepancies WHERE status = 'open'`).Scan(&due); err != nil {
				t.Fatal(err)
			}
			return due
		}
		if due, want := dueAt(), time.Date(2027, 2, 10, 23, 59, 59, 999999000, calendar.Location()); !due.Equal(want) {
			t.Fatalf("stored due %s, want %s", due, want)
		}

		withRules := func(file string) *calendar.Calendar {
			t.Helper()
			rules, err := calendar.Parse(strings.NewReader(file))
			if err != nil {
				t.Fatal(err)
			}
			cal, err := calendar.Default().With(rules)
			if err != nil {
				t.Fatal(err)
			}
			return cal
		}
		// A calendar without 2027's whole arrangement leaves it.
		var partialLogs bytes.Buffer
		partial, err := server.New(server.Config{DB: db, Log: slog.New(slog.NewTextHandler(&partialLogs, nil)),
			Calendar: withRules("2027-02-05..2027-02-13 holiday 春节\n"), Now: func() time.Time { return found }})
		if err != nil {
			t.Fatal(err)
		}
		partial.MaintainOnce(ctx, map[int]bool{})
		if due, want := dueAt(), time.Date(2027, 2, 10, 23, 59, 59, 999999000, calendar.Location()); !due.Equal(want) {
			t.Errorf("after the upkeep of a calendar without 2027: due %s, want %s kept", due, want)
		}
		if !strings.Contains(partialLogs.String(), "as stored; load them with --calendar (hutong help calendar)\" discrepancies=1") {
			t.Errorf("log: %q, want the discrepancy left", partialLogs.String())
		}

		var logs bytes.Buffer
		s, err := server.New(server.Config{DB: db, Log: slog.New(slog.NewTextHandler(&logs, nil)), Calendar: withRules(`2027-01-01..2027-01-03 holiday 元旦
2027-02-05..2027-02-13 holiday 春节
2027-04-03..2027-04-05 holiday 清明节
2027-05-01..2027-05-05 holiday 劳动节
2027-06-09..2027-06-11 holiday 端午节
2027-09-15 holiday 中秋节
2027-10-01..2027-10-07 holiday 国庆节
`), Now: func() time.Time { return found }})
		if err != nil {
			t.Fatal(err)
		}
		s.MaintainOnce(ctx, map[int]bool{})
		if due, want := dueAt(), time.Date(2027, 2, 18, 23, 59, 59, 999999000, calendar.Location()); !due.Equal(want) {
			t.Errorf("after the upkeep: due %s, want %s", due, want)
		}
		const msg = "recomputed the feedback deadlines of discrepancies not closed by the calendar the server runs with\" discrepancies=1"
		if strings.Count(logs.String(), msg) != 1 {
			t.Errorf("log: %q, want the discrepancy recomputed", logs.String())
		}
		sqldbtest.Exec(t, db, `UPDATE record_discrepancies SET due_at = $1`, found)
		s.MaintainOnce(ctx, map[int]bool{})
		if due := dueAt(); !due.Equal(found) {
			t.Errorf("second pass: due %s, want %s left (recomputed at start only)", due, found)
		}
	})
}

// maintainOnceLogged runs one first pass of the upkeep of a server on db
// with the default calendar and returns what it logged.
func maintainOnceLogged(t *testing.T, db *sqldb.DB) *bytes.Buffer {
	t.Helper()
	var logs bytes.Buffer
	s, err := server.New(server.Config{DB: db, Log: slog.New(slog.NewTextHandler(&logs, nil)), Calendar: calendar.Default()})
	if err != nil {
		t.Fatal(err)
	}
	s.MaintainOnce(context.Background(), map[int]bool{})
	return &logs
}

// TestMaintainRekeysNames: the server's upkeep rewrites, on its first pass,
// the name key of a catalog entry stored before names were compared as they
// look (catalog.RekeyNames), and logs how many it rewrote.
func TestMaintainRekeysNames(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		dept := recordstest.Department(t, db, "民政局", 1)
		id := recordstest.Entry(t, db, dept, recordstest.Spec{Code: "101001/000001", Name: "殡葬服务记录信息", SubjectKind: "person",
			Items: []records.Item{{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true}}})
		sqldbtest.StaleEntryName(t, db, id, "殡葬服务\u200b记录信息")
		logs := maintainOnceLogged(t, db)
		var key string
		if err := db.Read().QueryRowContext(ctx, `SELECT name_key FROM catalog_entries WHERE id = $1`, id).Scan(&key); err != nil {
			t.Fatal(err)
		}
		if key != "殡葬服务记录信息" {
			t.Errorf("name key %q, want 殡葬服务记录信息", key)
		}
		if !strings.Contains(logs.String(), "rewrote the name keys or search tokens of catalog entries stored before names were compared as they look\" entries=1") {
			t.Errorf("log: %q, want the entry rekeyed", logs.String())
		}
	})
}

// TestMaintainRekeysDepartments: the server's upkeep rewrites, on its
// first pass, the name key of a department stored with another (as
// migration 0045 starts it, its name; org.RekeyDepartments), and logs how
// many it rewrote.
func TestMaintainRekeysDepartments(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		dept := recordstest.Department(t, db, "佛山市南海区（民政局）", 1)
		sqldbtest.Exec(t, db, `UPDATE departments SET name_key = name WHERE id = $1`, dept)
		logs := maintainOnceLogged(t, db)
		var key string
		if err := db.Read().QueryRowContext(ctx, `SELECT name_key FROM departments WHERE id = $1`, dept).Scan(&key); err != nil {
			t.Fatal(err)
		}
		if key != "佛山市南海区民政局" {
			t.Errorf("name key %q, want 佛山市南海区民政局", key)
		}
		if !strings.Contains(logs.String(), "rewrote the name keys and search forms of departments stored without those of their names (by an older release, or before names were compared as they look now)\" departments=1") {
			t.Errorf("log: %q, want the department rekeyed", logs.String())
		}
	})
}

// TestMaintainRekeysApps: the server's upkeep rewrites the name keys of
// the apps stored with their names as keys (as migration 0053 starts
// them; org.RekeyApps), logs how many it rewrote, and warns of two apps of
// one department whose names only look different, both kept and active.
func TestMaintainRekeysApps(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		dept := recordstest.Department(t, db, "民政局", 1)
		for _, name := range []string{"ETL推送测试", "ＥＴＬ推送测试"} {
			sqldbtest.Exec(t, db, `INSERT INTO apps (name, name_key, department_id, scopes, created_at) VALUES ($1, $1, $2, 'data.read', $3)`,
				name, dept, time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
		}
		logs := maintainOnceLogged(t, db).String()
		if got := sqldbtest.Column(t, db, `SELECT name_key FROM apps ORDER BY id`); !slices.Equal(got, []string{"etl推送测试", "ＥＴＬ推送测试"}) {
			t.Errorf("keys %q, want the first app's rewritten, the second's kept", got)
		}
		if !strings.Contains(logs, `apps=1`) || !strings.Contains(logs, "two active apps of one department have names that only look different") ||
			!strings.Contains(logs, "app=ＥＴＬ推送测试") || !strings.Contains(logs, "holder=ETL推送测试") {
			t.Errorf("log: %q, want the app rekeyed and the other warned of", logs)
		}
	})
}

// TestMaintainRekeysItems: the server's upkeep rewrites, on its first pass,
// the item key of a catalog entry stored before item names were compared
// as they look (catalog.RekeyItems), and logs how many it rewrote.
func TestMaintainRekeysItems(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		dept := recordstest.Department(t, db, "民政局", 1)
		id := recordstest.Entry(t, db, dept, recordstest.Spec{Code: "101001/000001", Name: "殡葬服务记录信息", SubjectKind: "person",
			Items: []records.Item{{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true},
				{Name: "死亡\u200b日期", Type: "D"}}})
		sqldbtest.StaleItemKey(t, db, id, "死亡\u200b日期")
		logs := maintainOnceLogged(t, db)
		var key string
		if err := db.Read().QueryRowContext(ctx, `SELECT item_key FROM catalog_item_keys WHERE entry_id = $1`, id).Scan(&key); err != nil {
			t.Fatal(err)
		}
		if key != "死亡日期" {
			t.Errorf("item key %q, want 死亡日期", key)
		}
		if !strings.Contains(logs.String(), "rewrote the item keys of catalog entries stored before item names were compared as they look\" entries=1") {
			t.Errorf("log: %q, want the entry rekeyed", logs.String())
		}
	})
}

// TestMaintainRekeysRecordItems: the server's upkeep rewrites, on its
// first pass, the item keys the records' cross-check stored before item
// names were compared as they look — the entries' (record_item_keys) and
// an open discrepancy's — (records.RekeyItems), and logs how many.
func TestMaintainRekeysRecordItems(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		var entries, depts [2]int64
		for i, name := range []string{"民政局", "卫健委"} {
			dept := recordstest.Department(t, db, name, i+1)
			id := recordstest.Entry(t, db, dept, recordstest.Spec{Code: fmt.Sprintf("30%d001/000001", i+3), Name: name + "死亡信息",
				SubjectKind: "person", Items: []records.Item{{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true},
					{Name: "死亡\u200b日期", Type: "D"}}})
			sqldbtest.StaleRecordItemKey(t, db, id, "死亡\u200b日期")
			entries[i], depts[i] = id, dept
		}
		at := time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)
		sqldbtest.StaleDiscrepancy(t, db, "死亡\u200b日期", recordstest.CitizenID(1), entries, depts, at)
		logs := maintainOnceLogged(t, db)
		var n int
		if err := db.Read().QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM record_item_keys WHERE item_key = '死亡日期')
			+ (SELECT COUNT(*) FROM record_discrepancies WHERE item_key = '死亡日期')`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 3 {
			t.Errorf("%d rows keyed 死亡日期, want the 2 entries' and the discrepancy", n)
		}
		if !strings.Contains(logs.String(), "rewrote the item keys of the records' cross-check stored before item names were compared as they look\" "+
			"entries=2 discrepancies=1 merged=0") {
			t.Errorf("log: %q, want the entries and the discrepancy rekeyed", logs.String())
		}
	})
}
