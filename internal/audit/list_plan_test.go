package audit_test

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// fillLog appends n rows shaped as a platform's log is: mostly audited
// reads by 300 apps of as many departments, 1 % logins and 1 % catalog
// changes by 500 staff of 1,000 departments (a catalog change in 100 a
// retirement), 1 % system rows; 0.3 % denied (staff's logins among them)
// and 0.1 % failed; one row every 100 ms from t0 (so the log spans
// n/36,000 hours).
func fillLog(tb testing.TB, db *sqldb.DB, n int) {
	tb.Helper()
	fillRows(tb, db, n, logRow)
}

// fillRows appends the rows row gives for 0 to n-1 and analyzes the log's
// tables (fillLog).
func fillRows(tb testing.TB, db *sqldb.DB, n int, row func(int) (audit.Event, time.Time)) {
	tb.Helper()
	ctx := context.Background()
	const round = 2048
	for start := 0; start < n; start += round {
		k := min(round, n-start)
		evs, ats := make([]audit.Event, k), make([]time.Time, k)
		for j := range k {
			evs[j], ats[j] = row(start + j)
		}
		if err := db.Tx(ctx, func(tx *sqldb.Tx) error { audit.AppendAll(tx, evs, ats); return nil }); err != nil {
			tb.Fatal(err)
		}
	}
	for _, table := range []string{"audit_log", "audit_subjects"} {
		if err := db.Analyze(ctx, table); err != nil {
			tb.Fatal(err)
		}
	}
}

// logRow is fillLog's i-th row and its time.
func logRow(i int) (audit.Event, time.Time) {
	ev := audit.Event{Action: "records.read", ObjectType: "catalog_entry", ObjectID: fmt.Sprint(i % 500),
		SubjectID: fmt.Sprintf("1101051949%08d", i%100000), Fields: "姓名,出生日期", Purpose: fmt.Sprint("NH2026-", i)}
	if i%7 == 3 { // a read that served another person's ID too
		ev.Subjects = []string{fmt.Sprintf("1101051950%08d", i%100000)}
	}
	app := i % 300
	ev.Actor = audit.Actor{Kind: audit.ActorApp, ID: fmt.Sprint("app-", app), Name: fmt.Sprint("业务系统", app),
		DepartmentID: int64(app + 1), RemoteAddr: "10.0.0.8"}
	staff := audit.Actor{Kind: audit.ActorUser, ID: fmt.Sprint(i / 100 % 500), Name: fmt.Sprint("staff", i/100%500),
		DepartmentID: int64(i%1000 + 1), RemoteAddr: "10.0.0.9"}
	switch i % 100 {
	case 1:
		ev.Action, ev.Actor = "auth.login", staff
	case 2:
		ev.Action, ev.Actor = "catalog.update", staff
		if i%10000 == 2 {
			ev.Action = "catalog.retire"
		}
	case 3:
		ev.Action = "records.deadline"
		ev.Actor = audit.Actor{Kind: audit.ActorSystem}
	}
	switch i % 1000 {
	case 5, 505, 201:
		ev.Outcome = audit.Denied
	case 777:
		ev.Outcome = audit.Failed
	}
	return ev, t0.Add(time.Duration(i) * 100 * time.Millisecond)
}

// listFilters are the filters the console (/audit), the API (GET
// /api/v1/audit) and the CLI (hutong audit list) offer, alone and
// combined as they are used, on a log of n rows from fillLog, each with
// the index a plan must read audit_log through.
func listFilters(n int) []struct {
	name  string
	f     audit.Filter
	index string
} {
	at := func(i int) time.Time { _, t := logRow(i); return t.Truncate(time.Microsecond) } // as stored
	return []struct {
		name  string
		f     audit.Filter
		index string
	}{
		{"subject", audit.Filter{SubjectID: "110105194900001234"}, "audit_log_subject"},
		{"other_subject", audit.Filter{SubjectID: "110105195000001235"}, "audit_subjects"},
		{"subject_day", audit.Filter{SubjectID: "110105194900001234", Since: at(0), Until: at(n / 2)}, "audit_log_subject"},
		{"action", audit.Filter{Actions: []string{"catalog.update"}}, "audit_log_action"},
		{"action_prefix", audit.Filter{Actions: []string{"auth."}}, "audit_log_action"},
		{"actor_name", audit.Filter{ActorName: "staff41"}, "audit_log_actor_name"},
		{"actor_name_none", audit.Filter{ActorName: "nobody"}, "audit_log_actor_name"},
		{"department", audit.Filter{DepartmentID: 42}, "audit_log_department"},
		{"outcome_not_ok", audit.Filter{Outcomes: []string{audit.Denied, audit.Failed}}, "audit_log_not_ok"},
		{"outcome_denied", audit.Filter{Outcomes: []string{audit.Denied}}, "audit_log_not_ok"},
		{"day", audit.Filter{Since: at(n / 3), Until: at(n/3 + 2000)}, "audit_log_at"},
		{"until_old", audit.Filter{Until: at(n / 50)}, "audit_log_at"},
		{"since_future", audit.Filter{Since: at(2 * n)}, "audit_log_at"},
		{"department_not_ok", audit.Filter{DepartmentID: 42, Outcomes: []string{audit.Denied, audit.Failed}}, "audit_log_"},
		{"actor_name_day", audit.Filter{ActorName: "staff41", Since: at(n / 3), Until: at(n/3 + 2000)}, "audit_log_"},
		{"actor_kind_not_ok", audit.Filter{ActorKind: audit.ActorUser, Outcomes: []string{audit.Denied}}, "audit_log_not_ok"},
		{"actor_kind_not_ok_both", audit.Filter{ActorKind: audit.ActorUser, Outcomes: []string{audit.Denied, audit.Failed}}, "audit_log_not_ok"},
		{"actor_kind_action_rare", audit.Filter{ActorKind: audit.ActorUser, Actions: []string{"catalog.retire"}}, "audit_log_action"},
		{"actor_kind", audit.Filter{ActorKind: audit.ActorSystem}, "audit_log_actor_kind"},
		{"actor_kind_next_page", audit.Filter{ActorKind: audit.ActorSystem, Before: int64(n / 2)}, "audit_log_actor_kind"},
		{"actor_kind_none", audit.Filter{ActorKind: audit.ActorApplicant}, "audit_log_actor_kind"},
		{"department_action_day", audit.Filter{DepartmentID: 42, Actions: []string{"auth."}, Since: at(n / 3), Until: at(n/3 + 2000)}, "audit_log_"},
		{"action_prefix_most", audit.Filter{Actions: []string{"records."}}, "audit_log_action"},
		{"action_prefix_most_next_page", audit.Filter{Actions: []string{"records."}, Before: int64(n / 2)}, "audit_log_action"},
		{"action_group", audit.Filter{Actions: groupActions("read")}, "audit_log_action"},
		{"action_group_rare", audit.Filter{Actions: groupActions("account")}, "audit_log_action"},
		{"action_prefixes_and_action", audit.Filter{Actions: []string{"records.", "auth.", "catalog.update"}}, "audit_log_action"},
		{"action_and_actions", audit.Filter{Action: "records.", Actions: []string{"records.deadline", "auth."}}, "audit_log_action"},
		{"subject_action_prefix", audit.Filter{SubjectID: "110105194900001234", Actions: []string{"records."}}, "audit_log_subject"},
		{"department_action_prefix", audit.Filter{DepartmentID: 42, Actions: []string{"records.", "auth."}}, "audit_log_"},
		{"actor_kind_action_prefix_day", audit.Filter{ActorKind: audit.ActorApp, Actions: []string{"records."}, Since: at(n / 3), Until: at(n/3 + 2000)}, "audit_log_"},
	}
}

// groupActions is the action filter of the group key (group:key), as
// audit.ParseActions reads it.
func groupActions(key string) []string {
	actions, err := audit.ParseActions("action", audit.GroupPrefix+key)
	if err != nil {
		panic(err)
	}
	return actions
}

// fillSelected is the seq of the newest rows, at most limit, of
// fillRows' n of row that f selects, worked out from row.
func fillSelected(row func(int) (audit.Event, time.Time), n int, f audit.Filter, limit int) []int64 {
	var out []int64
	for i := n - 1; i >= 0 && len(out) < limit; i-- {
		ev, at := row(i)
		at = at.Truncate(time.Microsecond) // as stored
		action := func(a string) bool {
			return ev.Action == a || (strings.HasSuffix(a, ".") && strings.HasPrefix(ev.Action, a))
		}
		ok := (f.SubjectID == "" || ev.SubjectID == f.SubjectID || slices.Contains(ev.Subjects, f.SubjectID)) &&
			(f.Action == "" || action(f.Action)) && (len(f.Actions) == 0 || slices.ContainsFunc(f.Actions, action)) &&
			(f.Before == 0 || int64(i+1) < f.Before) &&
			(f.ActorKind == "" || ev.Actor.Kind == f.ActorKind) &&
			(f.ActorName == "" || ev.Actor.Name == f.ActorName) &&
			(f.DepartmentID == 0 || ev.Actor.DepartmentID == f.DepartmentID) &&
			(len(f.Outcomes) == 0 || slices.Contains(f.Outcomes, cmp.Or(ev.Outcome, audit.OK))) &&
			(f.Since.IsZero() || !at.Before(f.Since)) && (f.Until.IsZero() || at.Before(f.Until))
		if ok {
			out = append(out, int64(i+1))
		}
	}
	return out
}

// explain returns the plan of query, step by step: SQLite's EXPLAIN QUERY
// PLAN details, PostgreSQL's EXPLAIN lines.
func explain(t *testing.T, db *sqldb.DB, query string, args ...any) string {
	t.Helper()
	return query + "\n\t" + strings.Join(sqldbtest.Plan(t, db.Dialect, db.Read(), query, args...), "\n\t")
}

// TestListPlan: each filter of the audit log's pages, alone and combined
// as the console, the API and the CLI give them, reads audit_log through
// an index of its own (migration 0035; 0049 by actor kind: before it the
// system rows walked the log) rather than walking the whole log
// in seq order, on both engines, with the planners' statistics of a log of
// 40,000 rows: on SQLite no step scans audit_log (SCAN audit_log, with or
// without the primary key's index), on PostgreSQL no Seq Scan and no walk
// of audit_log_pkey. Before 0035 the actor, department, outcome and time
// filters, and a prefix of actions on SQLite, scanned the log. On SQLite
// no plan sorts the rows it reads through audit_log_action
// (sortedActions): several actions, a group's or a prefix's ("records.",
// which most rows have), are read each newest first and a page of each
// merged, where the range of a prefix, or the actions' IN, read all of
// their rows and sorted them (seconds on 1,000,000 rows). List runs the
// query on each filter and gives the rows it selects, on both engines.
func TestListPlan(t *testing.T) {
	const n = 40000
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		fillLog(t, db, n)
		for _, tt := range listFilters(n) {
			t.Run(tt.name, func(t *testing.T) {
				checkList(t, db, logRow, n, tt.f, tt.index)
			})
		}
	})
}

// checkList checks the plan of List's query of f's page (checkPlan) and
// that List gives the rows f selects of fillRows' n of row.
func checkList(t *testing.T, db *sqldb.DB, row func(int) (audit.Event, time.Time), n int, f audit.Filter, index string) {
	t.Helper()
	checkPlan(t, db, f, index)
	got, _, err := audit.List(t.Context(), db.Read(), f)
	if err != nil {
		t.Fatal(err)
	}
	var seqs []int64
	for _, e := range got {
		seqs = append(seqs, e.Seq)
	}
	if want := fillSelected(row, n, f, 50); !slices.Equal(seqs, want) {
		t.Errorf("List: got rows %v, want %v", seqs, want)
	}
}

// youngRow is logRow on a young platform's log, whose staff have only
// logged in so far: three actions, as many as the actor kinds.
func youngRow(i int) (audit.Event, time.Time) {
	ev, at := logRow(i)
	if ev.Actor.Kind == audit.ActorUser {
		ev.Action = "auth.login"
	}
	return ev, at
}

// TestListPlanYoungLog: on a log of few actions (youngRow's), a page of an
// actor kind's rows of an action, or of several, reads audit_log_action,
// on both engines, as on fillLog's (TestListPlan): SQLite, whose
// statistics there take an action for as many rows as a kind, read the
// staff's rows through audit_log_actor_kind newest first and walked them
// all for an action none of them has (1 s a page on a log of 300,000 rows
// and two actions), until the kind was written +actor_kind beside
// actions. A kind alone still reads audit_log_actor_kind.
func TestListPlanYoungLog(t *testing.T) {
	const n = 40000
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		fillRows(t, db, n, youngRow)
		for _, tt := range []struct {
			name  string
			f     audit.Filter
			index string
		}{
			{"actor_kind_action_none", audit.Filter{ActorKind: audit.ActorUser, Actions: []string{"catalog.retire"}}, "audit_log_action"},
			{"actor_kind_actions_none", audit.Filter{ActorKind: audit.ActorUser, Actions: []string{"catalog.retire", "catalog.update"}}, "audit_log_action"},
			{"actor_kind", audit.Filter{ActorKind: audit.ActorSystem}, "audit_log_actor_kind"},
		} {
			t.Run(tt.name, func(t *testing.T) {
				checkList(t, db, youngRow, n, tt.f, tt.index)
			})
		}
	})
}

// TestListGenericPlan: on PostgreSQL the server runs List's queries as
// prepared statements (the driver keeps them), whose plan after a few runs
// may be the generic one, made without the arguments' values. A page of
// the rows of an actor kind (the console's 操作者类型, the API's
// actor_kind) reads audit_log_actor_kind (migration 0049) in that plan
// too, as TestListPlan says of the plans with them: the kind is in the
// query as a literal. As a parameter, the generic plan took any kind for
// a third of the rows and walked audit_log_pkey newest first, through
// every row for system rows (1.5 s a page on 1,000,000 rows), with the
// index or without it.
func TestListGenericPlan(t *testing.T) {
	const n = 40000
	db := sqldbtest.Postgres(t)
	fillLog(t, db, n)
	for _, tt := range listFilters(n) {
		if tt.index != "audit_log_actor_kind" {
			continue
		}
		t.Run(tt.name, func(t *testing.T) {
			checkPlanOf(t, db, tt.f, tt.index, genericPlan)
		})
	}
}

// genericPlan is PostgreSQL's generic plan of query, step by step as
// explain's, on one connection: the query prepared with plan_cache_mode
// force_generic_plan and explained as executed with args (strings,
// times, numbers).
func genericPlan(t *testing.T, db *sqldb.DB, query string, args ...any) string {
	t.Helper()
	ctx := t.Context()
	conn, err := db.Pools()["read"].Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	exec := func(stmt string) {
		t.Helper()
		if _, err := conn.ExecContext(ctx, stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	exec(`SET plan_cache_mode = force_generic_plan`)
	defer exec(`RESET plan_cache_mode`)
	exec(`PREPARE list_page AS ` + query)
	defer exec(`DEALLOCATE list_page`)
	execute := `EXPLAIN EXECUTE list_page`
	if len(args) > 0 {
		// EXECUTE takes no parameters of its own: the arguments as
		// literals, which the generic plan does not look at.
		values := make([]string, len(args))
		for i, a := range args {
			switch a := a.(type) {
			case string:
				values[i] = "'" + strings.ReplaceAll(a, "'", "''") + "'"
			case time.Time:
				values[i] = "'" + a.UTC().Format(time.RFC3339Nano) + "'"
			default:
				values[i] = fmt.Sprint(a)
			}
		}
		execute += `(` + strings.Join(values, ", ") + `)`
	}
	rows, err := conn.QueryContext(ctx, execute)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var steps []string
	for rows.Next() {
		var step string
		if err := rows.Scan(&step); err != nil {
			t.Fatal(err)
		}
		steps = append(steps, step)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return query + "\n\t" + strings.Join(steps, "\n\t")
}

// checkPlan checks the plan of List's query of f's page, as TestListPlan
// says. A prefix of actions, or several actions, on PostgreSQL are not
// checked: a prefix is a LIKE there (actionCond), which audit_log_action
// cannot serve in a database not ordered by "C", and the planner reads
// the actions most rows have (a group's, "records.") walking the log
// newest first, which finds a page at once.
func checkPlan(t *testing.T, db *sqldb.DB, f audit.Filter, index string) {
	t.Helper()
	checkPlanOf(t, db, f, index, explain)
}

// checkPlanOf is checkPlan of the plan that planOf gives (explain's,
// genericPlan's).
func checkPlanOf(t *testing.T, db *sqldb.DB, f audit.Filter, index string, planOf func(*testing.T, *sqldb.DB, string, ...any) string) {
	t.Helper()
	actions := slices.DeleteFunc(append([]string{f.Action}, f.Actions...), func(a string) bool { return a == "" })
	if db.Dialect == sqldb.Postgres && (len(actions) > 1 || slices.ContainsFunc(actions, func(a string) bool { return strings.HasSuffix(a, ".") })) {
		return
	}
	query, args, _, err := audit.PageQuery(t.Context(), db.Read(), f, 50)
	if err != nil {
		t.Fatal(err)
	}
	if query == "" { // actions that exclude each other: no query
		return
	}
	if db.Dialect == sqldb.SQLite {
		sortedActions(t, db, query, args...)
	}
	plan := planOf(t, db, query, args...)
	// SQLite's SCAN of a partial index (audit_log_not_ok) reads
	// its rows alone. A row looked up by its seq (the subject's
	// rows of audit_subjects: SQLite's seq=?, PostgreSQL's
	// Index Cond seq = …) is no walk.
	steps := strings.Split(plan, "\n\t")[1:]
	walk := func(i int) bool {
		step := strings.TrimSpace(steps[i])
		return step == "SCAN audit_log" || strings.Contains(step, "sqlite_autoindex_audit_log_1") && !strings.Contains(step, "(seq=?)")
	}
	if db.Dialect == sqldb.Postgres {
		walk = func(i int) bool {
			step := steps[i]
			lookup := strings.Contains(step, "Index Scan using audit_log_pkey") && i+1 < len(steps) &&
				strings.Contains(steps[i+1], "Index Cond: (seq = ")
			return strings.Contains(step, "Seq Scan on audit_log") || strings.Contains(step, "audit_log_pkey") && !lookup
		}
	}
	for i, step := range steps {
		if walk(i) {
			t.Errorf("plan walks the log (%s):\n%s", step, plan)
		}
	}
	if !strings.Contains(plan, index) {
		t.Errorf("plan does not read %s:\n%s", index, plan)
	}
}

// sortedActions fails t when SQLite's plan of query sorts the rows it
// reads through audit_log_action: a step USE TEMP B-TREE FOR ORDER BY
// beside one reading audit_log_action (of the same parent), which sorts
// every row of the actions read, where a walk of one action reads its
// rows in seq order and stops at the page's end. A sort of the walks'
// pages (beside the steps reading them) sorts a page of each.
func sortedActions(t *testing.T, db *sqldb.DB, query string, args ...any) {
	t.Helper()
	steps := sqldbtest.QueryRows(t, db.Read(), "EXPLAIN QUERY PLAN "+query, args...)
	for _, sort := range steps {
		if sort[3] != "USE TEMP B-TREE FOR ORDER BY" {
			continue
		}
		for _, step := range steps {
			if step[1] == sort[1] && strings.Contains(step[3], "audit_log_action") {
				t.Errorf("plan sorts the rows read through audit_log_action (%s):\n%s", step[3], explain(t, db, query, args...))
			}
		}
	}
}

// BenchmarkAuditListFiltered reads the first page (50 rows) of each filter
// of listFilters from a log of 200,000 rows, on each engine.
func BenchmarkAuditListFiltered(b *testing.B) {
	const n = 200000
	for _, engine := range []struct {
		name string
		open func(testing.TB) *sqldb.DB
	}{{"sqlite", sqldbtest.SQLite}, {"postgres", sqldbtest.Postgres}} {
		b.Run(engine.name, func(b *testing.B) {
			db := engine.open(b)
			fillLog(b, db, n)
			for _, tt := range listFilters(n) {
				b.Run(tt.name, func(b *testing.B) {
					for b.Loop() {
						if _, _, err := audit.List(b.Context(), db.Read(), tt.f); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		})
	}
}

// BenchmarkAppendRound appends rounds of 64 rows of fillLog's shape, as
// audit.Group commits concurrent audited reads, onto a log of 200,000
// rows: the cost of the log's indexes on the write path.
func BenchmarkAppendRound(b *testing.B) {
	const n, round = 200000, 64
	for _, engine := range []struct {
		name string
		open func(testing.TB) *sqldb.DB
	}{{"sqlite", sqldbtest.SQLite}, {"postgres", sqldbtest.Postgres}} {
		b.Run(engine.name, func(b *testing.B) {
			db := engine.open(b)
			fillLog(b, db, n)
			ctx := b.Context()
			i := n
			for b.Loop() {
				evs, ats := make([]audit.Event, round), make([]time.Time, round)
				for j := range round {
					evs[j], ats[j] = logRow(i)
					i++
				}
				if err := db.Tx(ctx, func(tx *sqldb.Tx) error { audit.AppendAll(tx, evs, ats); return nil }); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
