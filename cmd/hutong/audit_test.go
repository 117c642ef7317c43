package main

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/calendar"
	"github.com/hutong-gov/hutong/internal/demo"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
	"github.com/hutong-gov/hutong/internal/testlog"
)

// TestAuditVerifyAnchor: audit verify prints the chain's head as SEQ:HASH,
// and -anchor with a head printed before tells the rows deleted from the
// end with the head rewritten, which the chain alone takes for intact.
func TestAuditVerifyAnchor(t *testing.T) {
	path := filepath.Join(t.TempDir(), "h.db")
	vars := map[string]string{"HUTONG_DB": path}
	must := mustHutong(t, vars)
	must("migrate")
	must("org", "region-create", "-code", "440000", "-name", "广东省", "-level", "province")
	must("org", "region-create", "-code", "440600", "-name", "佛山市", "-level", "city", "-parent", "440000")
	out := must("audit", "verify")
	m := regexp.MustCompile(`链头：(\d+:[0-9a-f]{64})`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("audit verify prints no head:\n%s", out)
	}
	head := m[1]
	if out := must("audit", "verify", "-anchor", head); !strings.Contains(out, "锚点 "+head+" 仍在链中") {
		t.Errorf("audit verify -anchor %s:\n%s", head, out)
	}
	if out, err := hutong(t, vars, "audit", "verify", "-anchor", "12"); err == nil || !strings.Contains(err.Error(), "锚点应为") {
		t.Errorf("a malformed anchor: %v\n%s", err, out)
	}

	// The last row deleted and the head set to the row before it.
	db, err := sqldb.Open(context.Background(), path, sqldb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`DELETE FROM audit_log WHERE seq = (SELECT seq FROM audit_head)`,
		`UPDATE audit_head SET seq = seq - 1, hash = (SELECT hash FROM audit_log WHERE seq = audit_head.seq - 1)`} {
		if _, err := db.Write().ExecContext(context.Background(), q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	must("audit", "verify")
	out, err = hutong(t, vars, "audit", "verify", "-anchor", head)
	if err == nil || !strings.Contains(out, "审计链校验失败") || !strings.Contains(out, "末尾记录连同链头被删除") {
		t.Errorf("audit verify -anchor of a truncated log: %v\n%s", err, out)
	}
}

// TestAuditListFilters: audit list takes the filters of the console's
// audit page and of GET /api/v1/audit, with the same meaning, and refuses
// a value it cannot read naming the flag; it names each action by the
// console's Chinese label with its code (an action without a label by its
// code), and each actor as the console does, by the label of its kind and
// its name (应用 一窗受理系统, not app:一窗受理系统). On both engines.
func TestAuditListFilters(t *testing.T) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		vars := map[string]string{"HUTONG_DB": dsn}
		must := mustHutong(t, vars)
		must("migrate")
		must("org", "region-create", "-code", "440000", "-name", "广东省", "-level", "province")
		must("org", "department-create", "-name", "广东省公安厅", "-short", "公安厅", "-uscc", demo.USCC("440000", 1), "-region", "440000")
		ctx := context.Background()
		db, err := sqldb.Open(ctx, dsn, sqldb.Options{})
		if err != nil {
			t.Fatal(err)
		}
		dept, err := org.DepartmentByName(ctx, db.Read(), "公安厅")
		if err != nil {
			t.Fatal(err)
		}
		bj := func(day, hour int) time.Time { return time.Date(2026, 10, day, hour, 0, 0, 0, calendar.Location()) }
		police := audit.Actor{Kind: audit.ActorUser, ID: "1", Name: "gat.admin", DepartmentID: dept.ID}
		window := audit.Actor{Kind: audit.ActorApp, ID: "k1", Name: "一窗受理系统"}
		for _, r := range []struct {
			at              time.Time
			actor           audit.Actor
			action, outcome string
		}{
			{bj(1, 9), police, "legacy.read", audit.OK}, // an action no longer written: no label
			{bj(1, 10), police, "records.read", audit.OK},
			{bj(1, 23), window, "records.feed", audit.OK},
			{bj(3, 9), police, "records.read", audit.Denied},
			{bj(3, 10), police, "records.batch", audit.OK},
		} {
			err := db.Tx(ctx, func(tx *sqldb.Tx) error {
				return audit.Record(ctx, tx, audit.Event{Actor: r.actor, Action: r.action, ObjectType: "catalog_entry", ObjectID: "1",
					SubjectID: "11010519491231002X", Outcome: r.outcome}, r.at)
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		db.Close()

		for _, c := range []struct {
			args []string
			want []string // the rows' 操作者 (kind by its label, name) and 操作 (label and code), newest first
		}{
			{[]string{"-action", "group:read"}, []string{"工作人员 gat.admin 查询记录（records.read）", "应用 一窗受理系统 读取变更流（records.feed）", "工作人员 gat.admin 查询记录（records.read）"}},
			{[]string{"-action", "group:push", "-action", "records.feed"}, []string{"工作人员 gat.admin 推送数据（records.batch）", "应用 一窗受理系统 读取变更流（records.feed）"}},
			{[]string{"-action", "records.", "-actor", "gat.admin"}, []string{"工作人员 gat.admin 推送数据（records.batch）", "工作人员 gat.admin 查询记录（records.read）", "工作人员 gat.admin 查询记录（records.read）"}},
			{[]string{"-actor-kind", "app"}, []string{"应用 一窗受理系统 读取变更流（records.feed）"}},
			{[]string{"-department", "公安厅", "-action", "records.", "-outcome", "denied"}, []string{"工作人员 gat.admin 查询记录（records.read）"}},
			{[]string{"-action", "records.read", "-outcome", "denied,ok"}, []string{"工作人员 gat.admin 查询记录（records.read）", "工作人员 gat.admin 查询记录（records.read）"}},
			{[]string{"-action", "group:read", "-until", "2026-10-01"}, []string{"应用 一窗受理系统 读取变更流（records.feed）", "工作人员 gat.admin 查询记录（records.read）"}},
			{[]string{"-action", "legacy.read"}, []string{"工作人员 gat.admin legacy.read"}},
			{[]string{"-since", "2026-10-02", "-until", "2026-10-03T09:30:00+08:00"}, []string{"工作人员 gat.admin 查询记录（records.read）"}},
		} {
			out := must(append([]string{"audit", "list"}, c.args...)...)
			var got []string
			for i, actor := range auditColumn(t, out, "操作者") {
				got = append(got, actor+" "+auditColumn(t, out, "操作")[i])
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("audit list %s: got %q, want %q\n%s", strings.Join(c.args, " "), got, c.want, out)
			}
		}

		for _, c := range []struct {
			args []string
			want string
		}{
			{[]string{"-action", "group:nothing"}, "-action: invalid_action: 没有这一类操作"},
			{[]string{"-actor-kind", "robot"}, "-actor-kind: invalid_actor_kind: 操作者类型应为"},
			{[]string{"-outcome", "maybe"}, "-outcome: invalid_outcome: 结果应为"},
			{[]string{"-since", "10/3"}, "-since: invalid_time:"},
			{[]string{"-since", "2026-10-03", "-until", "2026-10-01"}, "-until: invalid_range: 截止时间应晚于起始时间"},
			{[]string{"-department", "不存在的厅"}, "department_not_found: 部门不存在"},
		} {
			out, err := hutong(t, vars, append([]string{"audit", "list"}, c.args...)...)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("audit list %s: got %v, want %q\n%s", strings.Join(c.args, " "), err, c.want, out)
			}
		}
	})
}

// TestAuditVerbFlags: a flag of audit list given to verify, or verify's
// -anchor given to list, is refused before the database is opened, not
// ignored: audit verify -action auth. verified the whole chain as if
// filtered, audit list -anchor checked nothing.
func TestAuditVerbFlags(t *testing.T) {
	vars := map[string]string{"HUTONG_DB": filepath.Join(t.TempDir(), "none.db")} // never opened
	for args, want := range map[string]string{
		"verify -action auth.":                      "-action 只用于 audit list（用法见 hutong audit verify -h）",
		"verify -limit 5":                           "-limit 只用于 audit list（用法见 hutong audit verify -h）",
		"list -anchor 3:" + strings.Repeat("0", 64): "-anchor 只用于 audit verify（用法见 hutong audit list -h）",
	} {
		if out, err := hutong(t, vars, append([]string{"audit"}, strings.Fields(args)...)...); err == nil || err.Error() != want {
			t.Errorf("hutong audit %s: got %v, want %q\n%s", args, err, want, out)
		}
	}
}

// TestAuditListRefusals: a value audit list cannot read is refused before
// the database is opened, in one Chinese line that names the flag once
// ("-since：应为日期…", not "-since：since 应为日期…").
func TestAuditListRefusals(t *testing.T) {
	vars := map[string]string{"HUTONG_DB": filepath.Join(t.TempDir(), "none.db")} // never opened
	for args, want := range map[string]string{
		"-since 2026-13-01": "-since：应为日期（如 2026-10-01，北京时间）或 RFC 3339 时间（如 2026-10-01T08:00:00+08:00）",
		"-until 10/3":       "-until：应为日期（如 2026-10-01，北京时间）或 RFC 3339 时间（如 2026-10-01T08:00:00+08:00）",
		"-limit 0":          "-limit 应在 1 到 500 之间",
		"-limit -1":         "-limit 应在 1 到 500 之间",
		"-limit 501":        "-limit 应在 1 到 500 之间",
		"-before 0":         "-before 应为序号（上一页末尾“更早的记录：加 -before N”中的 N）",
		"-before -3":        "-before 应为序号（上一页末尾“更早的记录：加 -before N”中的 N）",
		"-format csv":       "-format “csv”：应为 table 或 json",
	} {
		out, err := hutong(t, vars, append([]string{"audit", "list"}, strings.Fields(args)...)...)
		if err == nil || message(err) != want {
			t.Errorf("audit list %s: got %v, want %q\n%s", args, err, want, out)
		}
	}
}

// TestAuditListColumns: audit list shows what the console's audit page
// shows of a row, its data items (信息项), purpose (事由) and detail (a
// refusal's reason, in Chinese with its code), one row a line whatever a purpose holds,
// its object by the label of its kind and its id (数据资源：7, not
// catalog_entry:7) and its outcome by its label (成功, 拒绝, not ok, denied); -format json
// prints every field of each row as the API's items, one object a line;
// -before lists the rows older than a page, as the API's cursor, and a
// page with older rows after it names the -before that lists them. On both
// engines.
func TestAuditListColumns(t *testing.T) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		vars := map[string]string{"HUTONG_DB": dsn}
		must := mustHutong(t, vars)
		must("migrate")
		ctx := context.Background()
		db, err := sqldb.Open(ctx, dsn, sqldb.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		at := time.Date(2026, 10, 9, 9, 0, 0, 0, calendar.Location())
		window := audit.Actor{Kind: audit.ActorApp, ID: "k1", Name: "一窗受理系统", RemoteAddr: "10.0.0.7"}
		for _, ev := range []audit.Event{
			{Actor: window, Action: "records.read", ObjectType: "catalog_entry", ObjectID: "7", SubjectID: "11010519491231002X",
				Fields: "姓名,住址,姓名", Purpose: "办理低保\t（2026）第 12 号"},
			{Actor: window, Action: "records.read", ObjectType: "catalog_entry", ObjectID: "7", SubjectID: "11010519491231002X",
				Fields: "姓名", Purpose: "核验", Outcome: audit.Denied, Detail: audit.Detail("reason", "share_consent_required", "at", "2026-10-01")},
			{Actor: window, Action: "records.read", ObjectType: "catalog_entry", ObjectID: "8", SubjectID: "440602199001011234"},
		} {
			if err := db.Tx(ctx, func(tx *sqldb.Tx) error { return audit.Record(ctx, tx, ev, at) }); err != nil {
				t.Fatal(err)
			}
		}
		all, _, err := audit.List(ctx, db.Read(), audit.Filter{Action: "records.read"})
		if err != nil || len(all) != 3 {
			t.Fatalf("audit.List: %d rows, %v", len(all), err)
		}

		out := must("audit", "list", "-action", "records.read")
		lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
		if len(lines) != 4 || !strings.HasPrefix(lines[0], "序号") {
			t.Fatalf("audit list: want a header and 3 rows, one a line:\n%s", out)
		}
		for _, h := range []string{"信息项", "事由", "详情"} {
			if !strings.Contains(lines[0], h) {
				t.Errorf("audit list header %q has no %s", lines[0], h)
			}
		}
		for i, want := range [][]string{
			{"数据资源：8", "440602199001011234", " -  ", " 成功 "},
			{"姓名  ", "核验", " 拒绝 ", "查询时点=2026-10-01；原因=有条件共享，须经数源部门同意（share_consent_required）"},
			{"数据资源：7", "姓名、住址  ", "办理低保 （2026）第 12 号", " 成功 "},
		} {
			for _, w := range want {
				if !strings.Contains(lines[i+1], w) {
					t.Errorf("audit list row %d: no %q in %q", i+1, w, lines[i+1])
				}
			}
		}

		var stdout, stderr testlog.Buffer
		if err := run(ctx, []string{"audit", "list", "-action", "records.read", "-format", "json"},
			func(k string) string { return vars[k] }, &stdout, &stderr); err != nil {
			t.Fatalf("audit list -format json: %v\n%s", err, stderr.String())
		}
		var got []audit.Entry
		dec := json.NewDecoder(strings.NewReader(stdout.String()))
		for dec.More() {
			var en audit.Entry
			if err := dec.Decode(&en); err != nil {
				t.Fatalf("audit list -format json: %v\n%s", err, stdout.String())
			}
			got = append(got, en)
		}
		if d := cmp.Diff(all, got); d != "" || strings.Count(stdout.String(), "\n") != 3 || stderr.String() != "" {
			t.Errorf("audit list -format json: (-audit.List +printed)\n%s\nstdout:\n%s\nstderr:\n%s", d, stdout.String(), stderr.String())
		}

		// Pages of 2: the second lists the row the first names.
		out = must("audit", "list", "-action", "records.read", "-limit", "2")
		hint := fmt.Sprintf("更早的记录：加 -before %d\n", all[1].Seq)
		if got := column(t, strings.TrimSuffix(out, hint), "序号", 0); !slices.Equal(got, []string{fmt.Sprint(all[0].Seq), fmt.Sprint(all[1].Seq)}) || !strings.HasSuffix(out, hint) {
			t.Errorf("audit list -limit 2: rows %q, want %d and %d, then %q:\n%s", got, all[0].Seq, all[1].Seq, hint, out)
		}
		out = must("audit", "list", "-action", "records.read", "-limit", "2", "-before", fmt.Sprint(all[1].Seq))
		if got := column(t, out, "序号", 0); !slices.Equal(got, []string{fmt.Sprint(all[2].Seq)}) || strings.Contains(out, "更早的记录") {
			t.Errorf("audit list -before %d: rows %q, want only %d and no hint:\n%s", all[1].Seq, got, all[2].Seq, out)
		}
		stdout, stderr = testlog.Buffer{}, testlog.Buffer{}
		if err := run(ctx, []string{"audit", "list", "-action", "records.read", "-format", "json", "-limit", "1"},
			func(k string) string { return vars[k] }, &stdout, &stderr); err != nil {
			t.Fatal(err)
		}
		if want := fmt.Sprintf("更早的记录：加 -before %d\n", all[0].Seq); strings.Count(stdout.String(), "\n") != 1 || stderr.String() != want {
			t.Errorf("audit list -format json -limit 1: want one line and %q on standard error\nstdout:\n%s\nstderr:\n%s", want, stdout.String(), stderr.String())
		}
	})
}

// TestAuditListAuditsRead: audit list leaves an audit.read row, as the
// API's and the console's reads of the log do (its rows hold full citizen
// IDs), naming the command's actor (cli:ACCOUNT) and the flags given; when
// that row cannot be written it prints no row and fails (audit_unavailable).
// On both engines.
func TestAuditListAuditsRead(t *testing.T) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		vars := map[string]string{"HUTONG_DB": dsn}
		must := mustHutong(t, vars)
		must("migrate")
		ctx := context.Background()
		db, err := sqldb.Open(ctx, dsn, sqldb.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		const subject = "11010519491231002X"
		ev := audit.Event{Actor: audit.Actor{Kind: audit.ActorApp, ID: "k1", Name: "一窗受理系统"}, Action: "records.read",
			ObjectType: "catalog_entry", ObjectID: "7", SubjectID: subject}
		if err := db.Tx(ctx, func(tx *sqldb.Tx) error { return audit.Record(ctx, tx, ev, time.Now()) }); err != nil {
			t.Fatal(err)
		}
		if out := must("audit", "list", "-subject", subject, "-action", "records.", "-limit", "10"); !strings.Contains(out, subject) {
			t.Fatalf("audit list -subject %s:\n%s", subject, out)
		}
		reads, _, err := audit.List(ctx, db.Read(), audit.Filter{Action: "audit.read"})
		if err != nil {
			t.Fatal(err)
		}
		want := cliActor(&env{Getenv: func(k string) string { return vars[k] }})
		wantDetail := audit.Detail("action", "records.", "limit", "10", "subject", subject)
		if len(reads) != 1 || reads[0].Actor != want || reads[0].ObjectType != "audit_log" || reads[0].Detail != wantDetail ||
			reads[0].Outcome != audit.OK {
			t.Fatalf("audit.read rows: got %+v, want one of %+v, audit_log, %s", reads, want, wantDetail)
		}

		unblock := sqldbtest.BlockAudit(t, db)
		out, err := hutong(t, vars, "audit", "list", "-subject", subject)
		if e := errs.As(err); e == nil || e.Code != "audit_unavailable" || strings.Contains(out, subject) {
			t.Errorf("audit list with the audit log down: got %v, want audit_unavailable and no row\n%s", err, out)
		}
		unblock()
		if reads, _, err := audit.List(ctx, db.Read(), audit.Filter{Action: "audit.read"}); err != nil || len(reads) != 1 {
			t.Errorf("audit.read rows after a refused read: %d, %v; want 1", len(reads), err)
		}
	})
}
