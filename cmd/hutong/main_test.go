package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/demo"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
	"github.com/hutong-gov/hutong/internal/testlog"
)

func TestMain(m *testing.M) {
	code := sqldbtest.Main(m)
	if built.dir != "" {
		os.RemoveAll(built.dir)
	}
	os.Exit(code)
}

// built is the command built once for the tests that run it as a child
// process (builtHutong), in a folder TestMain removes.
var built struct {
	once     sync.Once
	dir, bin string
	err      error
}

// builtHutong is the path of the hutong binary built from this package,
// built at the first call of a test run.
func builtHutong(t *testing.T) string {
	t.Helper()
	built.once.Do(func() {
		if built.dir, built.err = os.MkdirTemp("", "hutong-bin-"); built.err != nil {
			return
		}
		built.bin = filepath.Join(built.dir, "hutong")
		if out, err := exec.Command("go", "build", "-o", built.bin, ".").CombinedOutput(); err != nil {
			built.err = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if built.err != nil {
		t.Fatal(built.err)
	}
	return built.bin
}

// hutong runs the command in-process and returns what it printed.
func hutong(t *testing.T, vars map[string]string, args ...string) (string, error) {
	t.Helper()
	var out testlog.Buffer
	err := run(context.Background(), args, func(k string) string { return vars[k] }, &out, &out)
	return out.String(), err
}

// hutongApart is hutong with what the command prints on standard output
// and on standard error apart.
func hutongApart(t *testing.T, vars map[string]string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut testlog.Buffer
	err = run(context.Background(), args, func(k string) string { return vars[k] }, &out, &errOut)
	return out.String(), errOut.String(), err
}

// mustHutong returns a runner of the command with vars that fails the test
// when the command fails, and returns what it printed.
func mustHutong(t *testing.T, vars map[string]string) func(args ...string) string {
	return func(args ...string) string {
		t.Helper()
		out, err := hutong(t, vars, args...)
		if err != nil {
			t.Fatalf("hutong %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return out
	}
}

// mustNanhai creates, with must, the regions most tests' departments are
// in: the province 广东省 (440000) and its district 南海区 (440605).
func mustNanhai(must func(args ...string) string) {
	must("org", "region-create", "-code", "440000", "-name", "广东省", "-level", "province")
	must("org", "region-create", "-code", "440605", "-name", "南海区", "-level", "district", "-parent", "440000")
}

// mustNanhaiBureau migrates the database dsn names, creates 南海区
// (mustNanhai) and its operator department 南海区政务服务数据管理局
// (department 1), and returns the command line's variables, with the
// password HUTONG_PASSWORD gives accounts, and a runner that fails the test
// on an error.
func mustNanhaiBureau(t *testing.T, dsn string) (map[string]string, func(args ...string) string) {
	vars := map[string]string{"HUTONG_DB": dsn, "HUTONG_PASSWORD": "Correct-Horse-9", "USER": "tester"}
	must := mustHutong(t, vars)
	must("migrate")
	mustNanhai(must)
	must("org", "department-create", "-name", "南海区政务服务数据管理局", "-uscc", demo.USCC("440605", 1), "-region", "440605", "-operator")
	return vars, must
}

func TestIdentExitStatus(t *testing.T) {
	out, err := hutong(t, nil, "ident", "11010519491231002X", "91350100M000100Y43", "D2143569-X")
	if err != nil {
		t.Fatalf("valid identifiers: %v\n%s", err, out)
	}
	out, err = hutong(t, nil, "ident", "11010519491231002X", "110105194912310021")
	if !errors.Is(err, errInvalidInput) {
		t.Fatalf("invalid citizen ID: got %v, want errInvalidInput\n%s", err, out)
	}
	if !strings.Contains(out, "校验") {
		t.Errorf("output does not say why:\n%s", out)
	}
	if _, err := hutong(t, nil, "ident", "-lenient", "91350100M0001TGQXM"); err != nil {
		t.Errorf("lenient early code: %v", err)
	}
}

func TestHelp(t *testing.T) {
	out, err := hutong(t, nil, "help")
	if err != nil || !strings.Contains(out, "serve") || !strings.Contains(out, "calendar") {
		t.Fatalf("help: %v\n%s", err, out)
	}
	for name := range commands() {
		if out, err := hutong(t, nil, "help", name); err != nil || !strings.Contains(out, "Usage: hutong "+name) {
			t.Errorf("help %s: %v\n%s", name, err, out)
		}
	}
	if _, err := hutong(t, nil, "frobnicate"); err == nil {
		t.Error("unknown command accepted")
	}
}

func TestCalendarCommand(t *testing.T) {
	out, err := hutong(t, nil, "calendar", "2026")
	if err != nil || !strings.Contains(out, "春节") {
		t.Fatalf("calendar 2026: %v\n%s", err, out)
	}
	// 2027 has no arrangement: the statutory holidays fixed in the solar
	// calendar are off, and the command says what it does not know.
	out, err = hutong(t, nil, "calendar", "2027")
	if err != nil {
		t.Fatalf("calendar 2027: %v\n%s", err, out)
	}
	for _, want := range []string{
		"元旦、春节、清明节、劳动节、端午节、中秋节、国庆节由通知安排的放假日期和调休上班日均未标出",
		"2027-05-03 至 2027-05-04  劳动节补假",
		" 1休  2    3 ",
		"2027-05-01 至 2027-05-02",
		"工作日 255 天",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("calendar 2027 does not say %q:\n%s", want, out)
		}
	}
}

func get(t *testing.T, url, key string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// startServe runs 'hutong serve' until the returned stop function cancels it
// the way SIGTERM does, and returns its base URL and what it prints.
func startServe(t *testing.T, vars map[string]string, cmd ...string) (string, *testlog.Buffer, func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var out testlog.Buffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append(cmd, "-addr", "127.0.0.1:0"), func(k string) string { return vars[k] }, &out, &out)
	}()
	re := regexp.MustCompile(`http://127\.0\.0\.1:\d+`)
	// demo fills its records first: about 11 s on a quiet machine, several
	// times that beside other test packages.
	deadline := time.Now().Add(3 * time.Minute)
	for time.Now().Before(deadline) {
		if url := re.FindString(out.String()); url != "" {
			return url, &out, func() error {
				cancel()
				select {
				case err := <-done:
					return err
				case <-time.After(30 * time.Second):
					return errors.New("server did not shut down")
				}
			}
		}
		select {
		case err := <-done:
			cancel()
			t.Fatalf("serve exited: %v\n%s", err, out.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	cancel()
	t.Fatalf("serve did not start:\n%s", out.String())
	return "", nil, nil
}

// TestServeAndAdminCommands sets up a platform from the CLI, serves it,
// uses the API key the CLI issued, shuts down gracefully and verifies the
// audit chain — then tampers with it. On both engines.
func TestServeAndAdminCommands(t *testing.T) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		vars := map[string]string{"HUTONG_DB": dsn, "HUTONG_PASSWORD": "Correct-Horse-9", "USER": "tester"}
		steps := [][]string{
			{"migrate"},
			{"org", "region-create", "-code", "440000", "-name", "广东省", "-level", "province"},
			{"org", "region-create", "-code", "440605", "-name", "南海区", "-level", "district", "-parent", "440000"},
			{"org", "department-create", "-name", "南海区政务服务数据管理局", "-uscc", demo.USCC("440605", 1), "-region", "440605", "-operator"},
			{"user", "create", "-username", "nh.admin", "-name", "陈志远", "-department", "南海区政务服务数据管理局", "-role", "operator", "-temporary=false"},
		}
		for _, s := range steps {
			if out, err := hutong(t, vars, s...); err != nil {
				t.Fatalf("%v: %v\n%s", s, err, out)
			}
		}
		if out, err := hutong(t, vars, "org", "department-create", "-name", "某局", "-uscc", "91350100M000100Y4Z", "-region", "440605"); err == nil {
			t.Errorf("invalid credit code accepted:\n%s", out)
		}
		// A wrong check digit is accepted (real early codes have one), with a warning.
		if out, err := hutong(t, vars, "org", "department-create", "-name", "某早期登记单位", "-uscc", "91350100M000100Y44", "-region", "440605"); err != nil ||
			!strings.Contains(out, "校验码不符，应为 3") {
			t.Errorf("credit code with a wrong check digit: %v\n%s", err, out)
		}
		out, err := hutong(t, vars, "app", "create", "-name", "运维", "-department", "1", "-scopes", "admin,audit.read")
		if err != nil {
			t.Fatalf("app create: %v\n%s", err, out)
		}
		key := regexp.MustCompile(`htk_\S+`).FindString(out)
		// A second department is refused another's short name, naming it.
		if out, err := hutong(t, vars, "org", "department-create", "-name", "南海区档案馆", "-short", "档案",
			"-uscc", demo.USCC("440605", 2), "-region", "440605"); err != nil {
			t.Fatalf("department-create 南海区档案馆: %v\n%s", err, out)
		}
		args := []string{"org", "department-create", "-name", "南海区档案局", "-uscc", demo.USCC("440605", 3), "-region", "440605"}
		if out, err := hutong(t, vars, append(args, "-short", "档案")...); err == nil || !strings.Contains(err.Error(), "南海区档案馆") {
			t.Errorf("department-create with another's short name: %v, want it refused naming 南海区档案馆\n%s", err, out)
		}
		if out, err := hutong(t, vars, args...); err != nil {
			t.Fatalf("department-create 南海区档案局: %v\n%s", err, out)
		}
		// A short name two departments share, as a database from before
		// that refusal may hold, is refused as -department, naming both;
		// the credit code tells them apart.
		old, err := sqldb.Open(t.Context(), dsn, sqldb.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := old.Write().ExecContext(t.Context(), `UPDATE departments SET short_name = '档案' WHERE name = '南海区档案局'`); err != nil {
			t.Fatal(err)
		}
		old.Close()
		if out, err := hutong(t, vars, "app", "list", "-department", "档案"); err == nil ||
			!strings.Contains(err.Error(), "南海区档案馆") || !strings.Contains(err.Error(), "南海区档案局") {
			t.Errorf("app list -department 档案: %v, want both departments named\n%s", err, out)
		}
		if out, err := hutong(t, vars, "app", "list", "-department", demo.USCC("440605", 3)); err != nil {
			t.Errorf("app list -department by credit code: %v\n%s", err, out)
		}
		for _, l := range []struct {
			args []string
			want []string
		}{
			{[]string{"user", "list"}, []string{"用户名", "nh.admin", "陈志远", "南海区政务服务数据管理局", "正常"}},
			{[]string{"app", "list", "-department", "南海区政务服务数据管理局"}, []string{"权限范围", "运维", "南海区政务服务数据管理局", "admin audit.read", "在用"}},
		} {
			out, err := hutong(t, vars, l.args...)
			for _, w := range l.want {
				if err != nil || !strings.Contains(out, w) {
					t.Errorf("%v: %v, want %q in:\n%s", l.args, err, w, out)
				}
			}
		}

		url, _, stop := startServe(t, vars, "serve", "-db-conns", "3")
		if code, body := get(t, url+"/readyz", ""); code != 200 {
			t.Errorf("readyz: %d %s", code, body)
		}
		if code, body := get(t, url+"/api/v1/me", key); code != 200 || !strings.Contains(body, "运维") {
			t.Errorf("me with CLI-issued key: %d %s", code, body)
		}
		if code, _ := get(t, url+"/api/v1/me", key+"x"); code != 401 {
			t.Errorf("forged key: got %d, want 401", code)
		}
		if code, body := get(t, url+"/metrics", ""); code != 200 || !strings.Contains(body, "hutong_http_requests_total") ||
			!strings.Contains(body, `go_sql_max_open_connections{db_name="read"} 3`) {
			t.Errorf("metrics: %d, want the request counter and the read pool of -db-conns 3:\n%s", code, body)
		}
		if err := stop(); err != nil {
			t.Fatalf("graceful shutdown: %v", err)
		}

		if out, err := hutong(t, vars, "audit", "verify"); err != nil || !strings.Contains(out, "完整") {
			t.Fatalf("audit verify: %v\n%s", err, out)
		}
		db, err := sqldb.Open(context.Background(), dsn, sqldb.Options{})
		if err != nil {
			t.Fatal(err)
		}
		_, err = db.Write().ExecContext(context.Background(), `UPDATE audit_log SET actor_name = 'someone else' WHERE seq = 2`)
		db.Close()
		if err != nil {
			t.Fatal(err)
		}
		out, err = hutong(t, vars, "audit", "verify")
		if !errors.Is(err, errReported) || !strings.Contains(out, "审计链校验失败（row_edited）") ||
			!strings.Contains(out, "首个异常行：序号 2") || !strings.Contains(out, " -before 3\n") {
			t.Errorf("tampered audit log: got %v\n%s", err, out)
		}
	})
}

// TestDemoRefusesOtherPlatform: demo on a database that holds departments
// other than the demo's adds nothing to it and says why, in Chinese.
func TestDemoRefusesOtherPlatform(t *testing.T) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		vars := map[string]string{"HUTONG_DB": dsn, "HUTONG_ADDR": "127.0.0.1:0"}
		must := mustHutong(t, vars)
		must("migrate")
		must("org", "region-create", "-code", "350000", "-name", "福建省", "-level", "province")
		must("org", "department-create", "-name", "福建省大数据管理局", "-uscc", demo.USCC("350000", 1), "-region", "350000", "-operator")
		out, err := hutong(t, vars, "demo")
		if !errors.Is(err, demo.ErrNotDemo) || !strings.Contains(err.Error(), "：数据库中已有部门，但不是演示区的") {
			t.Errorf("demo on another platform's database: got %v, want ErrNotDemo in Chinese\n%s", err, out)
		}
	})
}

// TestDemo interrupts the first start of the demo while it fills the
// records, as Ctrl-C would: it has shown the demo apps' API keys, printed
// before the records are filled (it did not before, so that no start
// showed them). The next start completes the records and, the keys having
// been shown by the start that created them, says how to issue one; the
// key shown and the key it issues work. The start after that reuses the
// database as it is.
func TestDemo(t *testing.T) {
	path := filepath.Join(t.TempDir(), "demo.db")
	vars := map[string]string{"HUTONG_DB": path}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out testlog.Buffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"demo", "-addr", "127.0.0.1:0"}, func(k string) string { return vars[k] }, &out, &out)
	}()
	// Interrupt once the first entry's records have committed.
	var db *sqldb.DB
	for batches := 0; batches == 0; {
		select {
		case err := <-done:
			t.Fatalf("demo exited before it was interrupted: %v\n%s", err, out.String())
		case <-time.After(50 * time.Millisecond):
		}
		if db == nil {
			if _, err := os.Stat(path); err != nil {
				continue
			}
			var err error
			if db, err = sqldb.Open(ctx, path, sqldb.Options{}); err != nil {
				t.Fatal(err)
			}
			defer db.Close()
		}
		db.Read().QueryRowContext(ctx, `SELECT count(*) FROM record_batches`).Scan(&batches)
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "再次运行 hutong demo") ||
		!strings.Contains(err.Error(), "的演示记录：") {
		t.Fatalf("interrupted demo: got %v, want context.Canceled and what to do\n%s", err, out.String())
	}
	emptyEntries := func() int {
		t.Helper()
		var n int
		err := db.Read().QueryRowContext(context.Background(), `SELECT count(*) FROM catalog_entries e WHERE e.status = 'published'
			AND e.subject_kind IN ('person', 'legal_entity') AND NOT EXISTS (SELECT 1 FROM record_versions r WHERE r.entry_id = e.id)`).Scan(&n)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := emptyEntries(); n == 0 {
		t.Fatal("the interrupted demo filled every entry")
	}
	shown := regexp.MustCompile(`演示应用的 API 密钥（只在创建演示数据的这次启动时显示）：\n  [^\n]+\n    (htk_\S+)`).FindStringSubmatch(out.String())
	if shown == nil {
		t.Fatalf("the interrupted demo, which created the apps, did not show their API keys:\n%s", out.String())
	}

	url, printed, stop := startServe(t, vars, "demo")
	// The server answers once it has printed its banner.
	if code, body := get(t, url+"/login", ""); code != 200 || !strings.Contains(body, "登录") {
		t.Errorf("login page: %d", code)
	}
	if n := emptyEntries(); n != 0 {
		t.Errorf("the second start left %d entries without records\n%s", n, printed)
	}
	// The database came from HUTONG_DB, which app rotate reads too.
	m := regexp.MustCompile(`hutong app rotate -id (\d+)`).FindStringSubmatch(printed.String())
	if m == nil || !strings.Contains(printed.String(), "数据库取自环境变量 HUTONG_DB") {
		t.Fatalf("the second start does not say how to issue an API key:\n%s", printed)
	}
	if !strings.Contains(printed.String(), "旧密钥 24 小时后失效") {
		t.Errorf("the second start does not say the old key stays valid 24 hours after rotate:\n%s", printed)
	}
	if code, body := get(t, url+"/api/v1/me", shown[1]); code != 200 {
		t.Errorf("me with the key the interrupted start showed: %d %s", code, body)
	}
	key := regexp.MustCompile(`htk_\S+`).FindString(mustHutong(t, vars)("app", "rotate", "-id", m[1]))
	if code, body := get(t, url+"/api/v1/me", key); code != 200 {
		t.Errorf("me with the key rotate issued: %d %s", code, body)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}

	url, printed, stop = startServe(t, vars, "demo")
	if code, _ := get(t, url+"/readyz", ""); code != 200 {
		t.Errorf("reused demo not ready: %d", code)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(printed.String(), "演示记录") {
		t.Errorf("the complete demo was filled again:\n%s", printed)
	}
}

// TestMissingDatabase runs the commands on a mistyped SQLite path: each
// but migrate refuses it, saying so and how to create a database, and
// leaves no file behind; migrate creates it.
func TestMissingDatabase(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "typo.db")
	vars := map[string]string{"HUTONG_DB": path, "HUTONG_PASSWORD": "Correct-Horse-9"}
	csv := filepath.Join(dir, "catalog.csv")
	if err := os.WriteFile(csv, []byte("资源名称\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"audit", "verify"},
		{"audit", "list"},
		{"user", "list"},
		{"user", "create", "-username", "u", "-name", "某", "-department", "1", "-role", "auditor"},
		{"app", "list"},
		{"app", "rotate", "-id", "1"},
		{"org", "list"},
		{"migrate", "-status"},
		{"records", "quality"},
		{"import", "records", "-entry", "1", "-file", csv},
		{"import", "catalog", "-file", csv, "-department", "1"},
		{"export", "catalog", "-o", filepath.Join(dir, "out.csv")},
		{"serve", "-addr", "127.0.0.1:0"},
	} {
		out, err := hutong(t, vars, args...)
		if err == nil || !strings.Contains(err.Error(), "数据库 "+path+" 不存在") || !strings.Contains(err.Error(), "hutong migrate -db "+path) {
			t.Errorf("%v on a missing database: got %v, want it refused\n%s", args, err, out)
		}
		if entries, _ := os.ReadDir(dir); len(entries) != 1 {
			t.Fatalf("%v on a missing database left files behind: %v", args, entries)
		}
	}
	mustHutong(t, vars)("migrate")
	if out := mustHutong(t, vars)("migrate", "-status"); !strings.Contains(out, "0 个迁移待应用") {
		t.Errorf("migrate -status after migrate: %s", out)
	}
}

// TestAppRotateGrace refuses a negative grace, which revoked the old keys
// at once while saying they stayed valid, and one over the console's and
// the API's 720 hours; a valid one leaves the old key valid until then,
// none 24 hours (it revoked them at once), -grace 0 none.
func TestAppRotateGrace(t *testing.T) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		vars := map[string]string{"HUTONG_DB": dsn}
		must := mustHutong(t, vars)
		mustNanhai(must)
		must("org", "department-create", "-name", "南海区政务服务数据管理局", "-uscc", demo.USCC("440605", 1), "-region", "440605", "-operator")
		must("app", "create", "-name", "运维", "-department", "1", "-scopes", "catalog.read")
		for _, grace := range []string{"-5h", "-1ns", "721h"} {
			if out, err := hutong(t, vars, "app", "rotate", "-id", "1", "-grace", grace); err == nil || !strings.Contains(err.Error(), "到 720 小时") {
				t.Errorf("rotate -grace %s: got %v, want it refused\n%s", grace, err, out)
			}
		}
		if out := must("app", "show", "-id", "1"); strings.Count(out, "有效") != 1 || strings.Contains(out, "已吊销") {
			t.Errorf("a refused rotation changed the keys:\n%s", out)
		}
		if out := must("app", "rotate", "-id", "1", "-grace", "720h"); !strings.Contains(out, " 在 720 小时内（至北京时间 ") {
			t.Errorf("rotate -grace 720h: %s", out)
		}
		if out := must("app", "show", "-id", "1"); strings.Count(out, "宽限期至 ") != 1 || strings.Count(out, "有效") != 1 {
			t.Errorf("after rotate -grace 720h, want the old key expiring and the new one active:\n%s", out)
		}
		if out := must("app", "rotate", "-id", "1"); !strings.Contains(out, " 在 24 小时内（至北京时间 ") || strings.Contains(out, "已立即吊销") {
			t.Errorf("rotate without -grace, want the old key valid for 24 hours, as the usage, the console and the API: %s", out)
		}
		if out := must("app", "rotate", "-id", "1", "-grace", "0"); strings.Count(out, " 已立即吊销") != 3 {
			t.Errorf("rotate -grace 0: %s", out)
		}
	})
}

// TestAppShowDepartment: app show names the app's department as app list
// does, by its name (with its id), not by its id alone ("部门 6"). On both
// engines.
func TestAppShowDepartment(t *testing.T) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		must := mustHutong(t, map[string]string{"HUTONG_DB": dsn})
		must("org", "region-create", "-code", "440000", "-name", "广东省", "-level", "province")
		must("org", "department-create", "-name", "广东省政务服务数据管理局", "-uscc", demo.USCC("440000", 1), "-region", "440000", "-operator")
		must("org", "department-create", "-name", "广东省公安厅", "-uscc", demo.USCC("440000", 2), "-region", "440000")
		must("app", "create", "-name", "人口库同步", "-department", "广东省公安厅", "-scopes", "catalog.read")
		want := `应用 1“人口库同步”，部门 广东省公安厅（ID 2），权限范围 catalog.read`
		if out := must("app", "show", "-id", "1"); !strings.HasPrefix(out, want+"\n") {
			t.Errorf("app show: want %q first:\n%s", want, out)
		}
	})
}
