package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/demo"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestUserStateCommands: user disable, enable and password (passwd) act
// as the API's routes do: the last enabled operator account stays
// enabled, and setting the state an account has says so. On both engines.
func TestUserStateCommands(t *testing.T) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		vars, must := mustNanhaiBureau(t, dsn)
		must("user", "create", "-username", "nh.op", "-name", "主管", "-department", "1", "-role", "operator")
		must("user", "create", "-username", "nh.rev", "-name", "审核", "-department", "1", "-role", "reviewer")
		if out, err := hutong(t, vars, "user", "disable", "-username", "nh.op"); err == nil || !strings.Contains(err.Error(), "最后一个启用的平台管理员账号") {
			t.Errorf("disable the only operator: %v\n%s", err, out)
		}
		for _, step := range []struct {
			args []string
			want string
		}{
			{[]string{"user", "disable", "-username", "nh.rev"}, "nh.rev：已停用，已结束其会话"},
			{[]string{"user", "disable", "-username", "nh.rev"}, "nh.rev：本已停用，未作改变"},
			{[]string{"user", "enable", "-username", "nh.rev"}, "nh.rev：已启用"},
			{[]string{"user", "enable", "-username", "nh.rev"}, "nh.rev：本已启用，未作改变"},
			{[]string{"user", "password", "-username", "nh.rev"}, "nh.rev：已设置新密码"},
			{[]string{"user", "passwd", "-username", "nh.op"}, "nh.op：已设置新密码"},
		} {
			if out := must(step.args...); !strings.Contains(out, step.want) {
				t.Errorf("%s: %q, want %q", strings.Join(step.args, " "), out, step.want)
			}
		}
		vars["HUTONG_PASSWORD"] = "short"
		if out, err := hutong(t, vars, "user", "password", "-username", "nh.rev"); err == nil || !strings.Contains(err.Error(), "密码至少需要") {
			t.Errorf("weak password: %v\n%s", err, out)
		}

		// user list shows an account locked out by wrong passwords as
		// such, where it said 正常, the time said to be Beijing time.
		ctx := context.Background()
		db, err := sqldb.Open(ctx, dsn, sqldb.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		now := time.Now()
		for i := range org.MaxLoginFailures {
			if _, _, err := org.Login(ctx, db, "nh.rev", fmt.Sprintf("wrong-%d", i), org.Client{}, now); err == nil {
				t.Fatal("a wrong password logged in")
			}
		}
		out := must("user", "list")
		if want := "已锁定至 " + org.LockClock(now.Add(org.LockDuration)) + "（北京时间）"; !strings.Contains(userLine(t, out, "nh.rev"), want) || strings.Contains(out, "正常") {
			t.Errorf("user list of a locked account lacks %q, or says 正常:\n%s", want, out)
		}
	})
}

// TestAdminVerbFlags: a flag of user, app and org that only other verbs
// read is refused before the database is opened, not ignored: app list
// -id 5 listed every app, user list -username u every account.
func TestAdminVerbFlags(t *testing.T) {
	vars := map[string]string{"HUTONG_DB": filepath.Join(t.TempDir(), "none.db")} // never opened
	for args, want := range map[string]string{
		"user list -username u":                     "-username 只用于 user create、password、passwd、disable、enable、update（用法见 hutong user list -h）",
		"user disable -role dept_admin -username u": "-role 只用于 user create、update（用法见 hutong user disable -h）",
		"app list -id 5":                            "-id 只用于 app show、rotate、revoke（用法见 hutong app list -h）",
		"app show -id 5 -grace 1h":                  "-grace 只用于 app rotate（用法见 hutong app show -h）",
		"app revoke -id 5 -q x":                     "-q 只用于 app list（用法见 hutong app revoke -h）",
		"org list -uscc x":                          "-uscc 只用于 org department-create（用法见 hutong org list -h）",
		"org region-create -code 440605 -operator":  "-operator 只用于 org department-create（用法见 hutong org region-create -h）",
	} {
		if out, err := hutong(t, vars, strings.Fields(args)...); err == nil || err.Error() != want {
			t.Errorf("hutong %s: got %v, want %q\n%s", args, err, want, out)
		}
	}
}

// TestUnknownVerb: a verb that user, app, org, audit and records do not
// have is refused first, with the verbs they have, before their flags are
// checked and the database opened: org bogus said the database did not
// exist, app bogus -id 3 that -id was only for show, rotate and revoke.
func TestUnknownVerb(t *testing.T) {
	vars := map[string]string{"HUTONG_DB": filepath.Join(t.TempDir(), "none.db")} // never opened
	for args, want := range map[string]string{
		"user bogus -username u": `未知子命令“bogus”，可用的子命令：create、list、password、passwd、disable、enable、update（用法见 hutong user -h）`,
		"app bogus -id 3":        `未知子命令“bogus”，可用的子命令：create、list、show、rotate、revoke、revoke-key（用法见 hutong app -h）`,
		"org bogus":              `未知子命令“bogus”，可用的子命令：region-create、department-create、department-disable、department-enable、list（用法见 hutong org -h）`,
		"audit bogus -limit 0":   `未知子命令“bogus”，可用的子命令：verify、list（用法见 hutong audit -h）`,
		"records bogus -by x":    `未知子命令“bogus”，可用的子命令：batches、crosscheck、stale、quality（用法见 hutong records -h）`,
	} {
		if out, err := hutong(t, vars, strings.Fields(args)...); err == nil || err.Error() != want {
			t.Errorf("hutong %s: got %v, want %q\n%s", args, err, want, out)
		}
	}
}

// TestUserCreateChecksBeforePassword: user create refuses a malformed or
// taken username, an empty name and a role the department may not have
// before it reads the password, which at a terminal is typed twice: the
// operator typed it and then learnt the username was wrong. Standard input
// is empty here, so a password read would fail with 未提供密码.
func TestUserCreateChecksBeforePassword(t *testing.T) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		vars, must := mustNanhaiBureau(t, dsn)
		must("org", "department-create", "-name", "南海区公安分局", "-uscc", demo.USCC("440605", 2), "-region", "440605")
		must("user", "create", "-username", "nh.op", "-name", "主管", "-department", "1", "-role", "operator")
		delete(vars, "HUTONG_PASSWORD")
		stdin := func(text string) {
			f, err := os.CreateTemp(t.TempDir(), "stdin")
			if err != nil {
				t.Fatal(err)
			}
			if _, err := f.WriteString(text); err != nil {
				t.Fatal(err)
			}
			if _, err := f.Seek(0, 0); err != nil {
				t.Fatal(err)
			}
			saved := os.Stdin
			os.Stdin = f
			t.Cleanup(func() { os.Stdin = saved; f.Close() })
		}
		stdin("")
		for _, c := range []struct {
			username, name, dept, role, want string
		}{
			{"x", "审核", "1", "reviewer", "用户名应为3–64位"},
			{"NH.OP", "审核", "1", "reviewer", "用户名已存在：nh.op"},
			{"nh.rev", " ", "1", "reviewer", "姓名不能为空"},
			{"nh.rev", "审核", "2", "operator", "角色只能授予政务数据主管部门"},
		} {
			args := []string{"user", "create", "-username", c.username, "-name", c.name, "-department", c.dept, "-role", c.role}
			stdout, stderr, err := hutongApart(t, vars, args...)
			if err == nil || !strings.Contains(message(err), c.want) || strings.Contains(stderr, "密码") {
				t.Errorf("%q: %v, want %q before the password is read\nstdout:\n%s\nstderr:\n%s", args, err, c.want, stdout, stderr)
			}
		}
		stdin("short\n")
		if out, err := hutong(t, vars, "user", "create", "-username", "nh.rev", "-name", "审核", "-department", "1", "-role", "reviewer"); err == nil || !strings.Contains(message(err), "密码至少需要") {
			t.Errorf("weak password: %v\n%s", err, out)
		}
		stdin("Correct-Horse-9\n")
		if out := must("user", "create", "-username", "nh.rev", "-name", "审核", "-department", "1", "-role", "reviewer"); !strings.Contains(out, "已创建账号 nh.rev") {
			t.Errorf("user create: %s", out)
		}
	})
}

// TestDepartmentDisableCommands: org department-disable disables a
// department with its accounts and apps, and says how many; the
// department of the last enabled operator account is refused; org list
// shows the state; department-enable re-enables the department alone, and
// saying so. On both engines.
func TestDepartmentDisableCommands(t *testing.T) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		vars, must := mustNanhaiBureau(t, dsn)
		must("org", "department-create", "-name", "南海区档案局", "-uscc", demo.USCC("440605", 2), "-region", "440605")
		must("user", "create", "-username", "nh.op", "-name", "主管", "-department", "1", "-role", "operator")
		must("user", "create", "-username", "da.admin", "-name", "档案", "-department", "南海区档案局", "-role", "dept_admin")
		must("app", "create", "-name", "档案查询", "-department", "2", "-scopes", "catalog.read")
		if out, err := hutong(t, vars, "org", "department-disable", "-department", "1"); err == nil || !strings.Contains(err.Error(), "最后一个启用的平台管理员账号") {
			t.Errorf("disable the operator's department: %v\n%s", err, out)
		}
		if out, err := hutong(t, vars, "org", "department-disable"); err == nil || !strings.Contains(err.Error(), "-department") {
			t.Errorf("no -department: %v\n%s", err, out)
		}
		for _, step := range []struct {
			args []string
			want string
		}{
			{[]string{"org", "department-disable", "-department", "南海区档案局"}, "已停用部门“南海区档案局”，同时停用其 1 个账号（已结束其会话）、注销其 1 个应用及其密钥"},
			{[]string{"org", "department-disable", "-department", "2"}, "部门“南海区档案局”本已停用，未作改变"},
			{[]string{"org", "list"}, "已停用"},
			{[]string{"user", "list"}, "已停用"},
			{[]string{"org", "department-enable", "-department", "2"}, "已启用部门“南海区档案局”。其账号和应用保持停用、注销状态"},
		} {
			if out := must(step.args...); !strings.Contains(out, step.want) {
				t.Errorf("%s: %q, want %q", strings.Join(step.args, " "), out, step.want)
			}
		}
		if out := must("org", "list"); strings.Contains(out, "已停用") {
			t.Errorf("org list after enable:\n%s", out)
		}
	})
}

// TestUserUpdateCommand: user update changes the name, role and
// department given, keeps the others, refuses a move into a disabled
// department and the last operator's demotion, as PATCH /users/{id}. On
// both engines.
func TestUserUpdateCommand(t *testing.T) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		vars, must := mustNanhaiBureau(t, dsn)
		must("org", "department-create", "-name", "南海区档案局", "-uscc", demo.USCC("440605", 2), "-region", "440605")
		must("org", "department-create", "-name", "南海区档案馆", "-uscc", demo.USCC("440605", 3), "-region", "440605")
		must("user", "create", "-username", "nh.op", "-name", "主管", "-department", "1", "-role", "operator")
		must("user", "create", "-username", "da.rev", "-name", "档案", "-department", "2", "-role", "reviewer")
		must("org", "department-disable", "-department", "3")
		for _, step := range []struct {
			args []string
			want string
		}{
			{[]string{"user", "update", "-username", "da.rev", "-name", "档案审核员"}, "da.rev：姓名改为“档案审核员”"},
			{[]string{"user", "update", "-username", "da.rev", "-role", "dept_admin"}, "da.rev：角色改为部门管理员，已结束其会话"},
			{[]string{"user", "update", "-username", "da.rev", "-role", "dept_admin", "-name", "档案审核员"}, "da.rev：与现有信息相同，未作改变"},
		} {
			if out := must(step.args...); !strings.Contains(out, step.want) {
				t.Errorf("%s: %q, want %q", strings.Join(step.args, " "), out, step.want)
			}
		}
		for _, c := range [][2]string{
			{"user update -username da.rev", "请至少指定 -name、-role、-department 之一"},
			{"user update -username da.rev -role boss", "-role：应为 operator、dept_admin、reviewer 或 auditor"},
			{"user update -username da.rev -department 南海区档案馆", "已停用"},
			{"user update -username nh.op -role reviewer", "不能改动最后一个启用的平台管理员账号的角色或部门"},
			{"user update -username da.rev -department 1 -role auditor", ""},
		} {
			args, want := c[0], c[1]
			out, err := hutong(t, vars, strings.Fields(args)...)
			if want == "" {
				if err != nil {
					t.Errorf("hutong %s: %v\n%s", args, err, out)
				}
				continue
			}
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("hutong %s: got %v, want %q\n%s", args, err, want, out)
			}
		}
		if out := must("user", "list"); !strings.Contains(out, "审计员") {
			t.Errorf("user list after the move:\n%s", out)
		}
	})
}
