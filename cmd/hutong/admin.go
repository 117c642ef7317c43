package main

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/user"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"golang.org/x/term"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/durable"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/ident"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/server"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/web"
)

// cliActor is the audit actor of administration commands run from a shell:
// cli:ACCOUNT, the operating system's account that runs the command (its
// uid, uid=N, when the system cannot name it), which the person cannot
// choose. $USER is missing under systemd, cron and in many containers, and
// anyone may set it: one that differs from the account is kept beside it
// as what it is, a claim (cli:root(USER=admin)).
func cliActor(e *env) audit.Actor {
	account := "uid=" + strconv.Itoa(os.Getuid())
	if u, err := user.Current(); err == nil {
		account = u.Username
	}
	name := "cli:" + account
	if claimed := e.Getenv("USER"); claimed != "" && claimed != account {
		name += "(USER=" + claimed + ")"
	}
	return audit.Actor{Kind: audit.ActorSystem, ID: "cli", Name: name}
}

// subcommand splits "VERB args…", printing usage when the verb is missing
// (on standard error) or help is asked for (on standard output).
func subcommand(e *env, args []string, usage string) (string, []string, error) {
	if len(args) == 0 {
		fmt.Fprint(e.Stderr, usage)
		return "", nil, errors.New("未指定子命令")
	}
	if args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(e.Stdout, usage)
		return "", nil, errHelp
	}
	if strings.HasPrefix(args[0], "-") {
		fmt.Fprint(e.Stderr, usage)
		first, _, _ := strings.Cut(usage, "\n")
		return "", nil, fmt.Errorf("子命令应写在参数之前：%s", strings.TrimPrefix(first, "Usage: "))
	}
	return args[0], args[1:], nil
}

// verbFlags is subcommand for command cmd, whose verbs are those
// commands() gives it (and hutong help lists), with the verb's flag set
// (newFlags, named "cmd verb"), whose -h prints usage and then the flags:
// a verb it does not have is refused before its flags are read or its
// database opened, which would answer about them instead ("app bogus -id
// 3": -id 只用于 app show…).
func verbFlags(e *env, cmd string, args []string, usage string) (string, []string, *flag.FlagSet, error) {
	verbs := commands()[cmd].verbs
	verb, rest, err := subcommand(e, args, usage+fmt.Sprintf("\nRun 'hutong %s VERB -h' for a verb's flags.\n", cmd))
	if err == nil && !slices.Contains(verbs, verb) {
		err = fmt.Errorf("未知子命令“%s”，可用的子命令：%s（用法见 hutong %s -h）", verb, strings.Join(verbs, "、"), cmd)
	}
	if err != nil {
		return "", nil, nil, err
	}
	return verb, rest, newFlags(e, cmd+" "+verb, usage+"\nFlags:\n"), nil
}

// readPassword reads a password from the environment variable named by
// envName, or else from standard input: at a terminal without echo, twice
// (a typo cannot be seen); from a pipe its first line. So it never shows in
// the process list, the shell history or on the screen. A value of the
// variable with a control character, or space before or after it, is
// refused, not trimmed: a CRLF env file leaves "\r" at its end, which
// would set a password no one can type, and trimming would set another
// than the one written.
func readPassword(ctx context.Context, e *env, envName string, stdin io.Reader) (string, error) {
	if pw := e.Getenv(envName); pw != "" {
		if strings.TrimSpace(pw) != pw || strings.ContainsFunc(pw, unicode.IsControl) {
			return "", fmt.Errorf("%s 的值首尾有空白或含控制字符（如 Windows 换行留下的 \\r）：请去掉后重试；不会自动去除，以免设成与所写不同的密码", envName)
		}
		return pw, nil
	}
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		return promptPassword(ctx, e.Stderr, int(f.Fd()), envName)
	}
	// Not a terminal: no one would see a prompt, which would only clutter
	// a script's log.
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && line == "" {
		if errors.Is(err, io.EOF) {
			return "", fmt.Errorf("未提供密码：标准输入为空，也不是终端；请设置 %s，或用管道输入密码", envName)
		}
		return "", fmt.Errorf("无法从标准输入读取密码（%v）；请设置 %s，或用管道输入密码", durable.Reason(err), envName)
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// promptPassword asks for a password twice at the terminal fd, echo off,
// prompting on w. Ctrl-C cancels ctx rather than ending the process: it
// ends the prompt with the terminal's echo back on.
func promptPassword(ctx context.Context, w io.Writer, fd int, envName string) (string, error) {
	state, err := term.GetState(fd)
	if err != nil {
		return "", fmt.Errorf("无法在终端读取密码（%v）；请改为设置 %s", durable.Reason(err), envName)
	}
	read := func(prompt string) (string, error) {
		fmt.Fprint(w, prompt)
		type result struct {
			pw  []byte
			err error
		}
		done := make(chan result, 1)
		go func() {
			pw, err := term.ReadPassword(fd)
			done <- result{pw, err}
		}()
		select {
		case r := <-done:
			fmt.Fprintln(w)
			if errors.Is(r.err, io.EOF) {
				return "", errors.New("未输入密码")
			}
			if r.err != nil {
				return "", fmt.Errorf("无法在终端读取密码（%v）；请改为设置 %s", durable.Reason(r.err), envName)
			}
			return string(r.pw), nil
		case <-ctx.Done():
			term.Restore(fd, state)
			fmt.Fprintln(w)
			return "", ctx.Err()
		}
	}
	pw, err := read(fmt.Sprintf("密码（或设置 %s）：", envName))
	if err != nil {
		return "", err
	}
	again, err := read("再次输入密码：")
	if err != nil {
		return "", err
	}
	if pw != again {
		return "", errors.New("两次输入的密码不一致")
	}
	return pw, nil
}

// temporaryNote tells, after an account's password was set, that it must
// be changed at the next login (-temporary).
func temporaryNote(temporary bool) string {
	if temporary {
		return "；首次登录须修改密码"
	}
	return ""
}

const userUsage = `Usage: hutong user VERB [flags]

Manage staff accounts. Passwords are read from HUTONG_PASSWORD or standard
input (typed twice without echo at a terminal, the first line from a pipe),
never from the command line.

Verbs:
  create -username U -name 姓名 -department D -role ROLE [-temporary=false]
         roles: operator (平台管理员), dept_admin (部门管理员), reviewer (审核员), auditor (审计员);
         a reviewer of an operator's department reviews the catalog (approves,
         rejects, decides sources), one of another department reads its data
  list   [-department D] [-q TEXT]
         -q: only accounts whose username or name contains TEXT (ASCII
         letters in any case), as the API's and the console's search
  password -username U [-temporary=false]
                            set a new password, end the user's sessions and lift
                            a lock-out of failed logins (passwd: the same)
  disable -username U       stop an account from logging in and end its sessions;
                            the last enabled operator account cannot be disabled
  enable -username U         an account of a disabled department stays disabled
  update -username U [-name 姓名] [-role ROLE] [-department D]
                            change the name, role or department given (the
                            others are kept); a change of role or department
                            ends the account's sessions, and the last enabled
                            operator account keeps its role and department

The password create and password set is temporary: the account must change
it at its next login (console or API) before doing anything else.
-temporary=false makes it the holder's own, not to be changed: for an
operator setting up their own account (the platform's first), never for
another person's.

password, disable, enable and update are the API's POST
/api/v1/users/{id}/password, /disable, /enable and PATCH /api/v1/users/{id}
and the console's account page, without their check of who may manage the
account.
`

func cmdUser(ctx context.Context, e *env, args []string) error {
	verb, rest, fs, err := verbFlags(e, "user", args, userUsage)
	if err != nil {
		return err
	}
	dsn := dbFlag(fs, e)
	username := fs.String("username", "", "login name")
	name := fs.String("name", "", "display name (create, update)")
	dept := fs.String("department", "", "department: id, credit code, name or short name")
	role := fs.String("role", "", "role (create, update)")
	search := fs.String("q", "", "only accounts whose username or name contains this, ASCII letters in any case (list)")
	temporary := fs.Bool("temporary", true, "the password must be changed at the next login (create, password)")
	if err := parse(e, fs, rest); err != nil {
		return err
	}
	one := []string{"password", "passwd", "disable", "enable", "update"}
	err = onlyFor(fs, verb, map[string][]string{"username": append([]string{"create"}, one...), "name": {"create", "update"},
		"role": {"create", "update"}, "department": {"create", "list", "update"}, "q": {"list"},
		"temporary": {"create", "password", "passwd"}})
	if err != nil {
		return err
	}
	q, err := org.Search("q", *search)
	if err != nil {
		return err
	}
	switch verb {
	case "create":
		err = required(fs, "username", "name", "department", "role")
		if err == nil && !org.Role(*role).Valid() {
			err = errors.New("-role：应为 operator、dept_admin、reviewer 或 auditor") // before the password is typed
		}
	case "password", "passwd", "disable", "enable":
		err = required(fs, "username")
	case "update":
		err = required(fs, "username")
		if err == nil && !given(fs, "name", "role", "department") {
			err = errors.New("请至少指定 -name、-role、-department 之一（用法见 hutong user update -h）")
		}
		if err == nil && given(fs, "role") && !org.Role(*role).Valid() {
			err = errors.New("-role：应为 operator、dept_admin、reviewer 或 auditor")
		}
	}
	if err != nil {
		return err
	}
	db, err := openDB(ctx, e, *dsn, sqldb.Options{Durable: true}, false)
	if err != nil {
		return err
	}
	defer db.Close()
	now := server.Clock()
	switch verb {
	case "create":
		d, err := org.DepartmentByRef(ctx, db.Read(), *dept)
		if err != nil {
			return err
		}
		nu := org.NewUser{Username: *username, DisplayName: *name, DepartmentID: d.ID, Role: org.Role(*role),
			Permanent: !*temporary}
		if err := checkNewUser(ctx, db, nu, d); err != nil {
			return err
		}
		if nu.Password, err = readPassword(ctx, e, "HUTONG_PASSWORD", os.Stdin); err != nil {
			return err
		}
		if nu, err = nu.Hash(ctx); err != nil {
			return err
		}
		// The prompt may have waited while others wrote: the account is
		// created now.
		now = server.Clock()
		var u org.User
		err = db.Tx(ctx, func(tx *sqldb.Tx) (err error) {
			u, err = org.CreateUser(ctx, tx, cliActor(e), nu, now)
			return err
		})
		if err != nil {
			return err
		}
		fmt.Fprintf(e.Stdout, "已创建账号 %s（%d），%s，%s%s\n", u.Username, u.ID, d.Name, u.Role.Label(), temporaryNote(*temporary))
	case "list":
		f := org.UserFilter{Q: q, Now: now}
		if f.DepartmentID, err = departmentFilter(ctx, db, *dept); err != nil {
			return err
		}
		none := noneFound("账号", q != "" || *dept != "")
		return printTable(e, "ID\t用户名\t姓名\t角色\t部门\t状态", none, func(tw io.Writer) error {
			return eachPage(func(after int64, limit int) ([]org.UserListing, int64, error) {
				f.After, f.Limit = after, limit
				return org.FindUserListings(ctx, db.Read(), f)
			}, func(u org.UserListing) {
				var states []string
				if u.Disabled {
					states = append(states, "已停用")
				}
				if u.LockedUntil != nil {
					states = append(states, "已锁定至 "+org.LockClock(*u.LockedUntil)+beijingLabel)
				}
				if u.PasswordChangeRequired {
					states = append(states, org.PasswordChangeRequiredState)
				}
				status := strings.Join(states, "，")
				if status == "" {
					status = "正常"
				}
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", u.ID, u.Username, u.DisplayName, u.Role.Label(), u.DepartmentName, status)
			})
		})
	case "update":
		return userUpdate(ctx, e, db, fs, *username, *name, *role, *dept, now)
	case "password", "passwd", "disable", "enable":
		u, err := org.UserByName(ctx, db.Read(), *username)
		if err != nil {
			return err
		}
		if verb == "password" || verb == "passwd" {
			pw, err := readPassword(ctx, e, "HUTONG_PASSWORD", os.Stdin)
			if err != nil {
				return err
			}
			np, err := org.HashNewPassword(ctx, pw)
			if err != nil {
				return err
			}
			np.Permanent = !*temporary
			now = server.Clock() // after the prompt, as for create
			err = db.Tx(ctx, func(tx *sqldb.Tx) error { return org.SetPassword(ctx, tx, cliActor(e), u.ID, np, now) })
			if err != nil {
				return err
			}
			fmt.Fprintf(e.Stdout, "%s：已设置新密码，已结束其会话并解除登录锁定%s\n", u.Username, temporaryNote(*temporary))
			return nil
		}
		was := u.Disabled
		err = db.Tx(ctx, func(tx *sqldb.Tx) (err error) {
			u, err = org.SetDisabledIf(ctx, tx, cliActor(e), u.ID, verb == "disable", nil, now)
			return err
		})
		if err != nil {
			return err
		}
		switch {
		case was == u.Disabled && u.Disabled:
			fmt.Fprintf(e.Stdout, "%s：本已停用，未作改变\n", u.Username)
		case was == u.Disabled:
			fmt.Fprintf(e.Stdout, "%s：本已启用，未作改变\n", u.Username)
		case u.Disabled:
			fmt.Fprintf(e.Stdout, "%s：已停用，已结束其会话\n", u.Username)
		default:
			fmt.Fprintf(e.Stdout, "%s：已启用\n", u.Username)
		}
	}
	return nil
}

// given reports whether any of the flags names was set on the command
// line.
func given(fs *flag.FlagSet, names ...string) bool {
	var set bool
	fs.Visit(func(f *flag.Flag) { set = set || slices.Contains(names, f.Name) })
	return set
}

// userUpdate changes the account username's display name, role and
// department, those of them given, as PATCH /api/v1/users/{id} does
// (org.UpdateUser), and says what it changed.
func userUpdate(ctx context.Context, e *env, db *sqldb.DB, fs *flag.FlagSet, username, name, role, dept string, now time.Time) error {
	old, err := org.UserByName(ctx, db.Read(), username)
	if err != nil {
		return err
	}
	var c org.UserChange
	if given(fs, "name") {
		c.DisplayName = &name
	}
	if given(fs, "role") {
		r := org.Role(role)
		c.Role = &r
	}
	var deptName string // the department given, named
	if given(fs, "department") {
		d, err := org.DepartmentByRef(ctx, db.Read(), dept)
		if err != nil {
			return err
		}
		c.DepartmentID, deptName = &d.ID, d.Name
	}
	var u org.User
	err = db.Tx(ctx, func(tx *sqldb.Tx) (err error) {
		u, err = org.UpdateUser(ctx, tx, cliActor(e), old.ID, c, now)
		return err
	})
	if err != nil {
		return err
	}
	var changes []string
	if u.DisplayName != old.DisplayName {
		changes = append(changes, "姓名改为“"+u.DisplayName+"”")
	}
	if u.Role != old.Role {
		changes = append(changes, "角色改为"+u.Role.Label())
	}
	if u.DepartmentID != old.DepartmentID {
		changes = append(changes, "部门改为“"+deptName+"”")
	}
	switch {
	case len(changes) == 0:
		fmt.Fprintf(e.Stdout, "%s：与现有信息相同，未作改变\n", u.Username)
	case u.Role != old.Role || u.DepartmentID != old.DepartmentID:
		fmt.Fprintf(e.Stdout, "%s：%s，已结束其会话\n", u.Username, strings.Join(changes, "，"))
	default:
		fmt.Fprintf(e.Stdout, "%s：%s\n", u.Username, strings.Join(changes, "，"))
	}
	return nil
}

// checkNewUser returns the first problem of the account nu of department
// d but its password (its username, name, role, and the username taken),
// which user create tells before the password is read: at a terminal it is
// typed twice. NewUser.Hash checks them again, with the password.
func checkNewUser(ctx context.Context, db *sqldb.DB, nu org.NewUser, d org.Department) error {
	for _, p := range nu.CheckIn(d) {
		if p.Field != "password" {
			return p
		}
	}
	return org.UsernameFree(ctx, db.Read(), nu.Username)
}

// departmentFilter resolves an optional -department flag: 0 means all.
func departmentFilter(ctx context.Context, db *sqldb.DB, ref string) (int64, error) {
	if ref == "" {
		return 0, nil
	}
	d, err := org.DepartmentByRef(ctx, db.Read(), ref)
	return d.ID, err
}

const appUsage = `Usage: hutong app VERB [flags]

Manage API apps: systems of a department that call the API with bearer keys.
A key is printed once when it is issued and stored only as a hash.

Verbs:
  create -name N -department D -scopes "catalog.read data.read" [-description T]
  list   [-department D] [-q TEXT]
         -q: only apps whose name contains TEXT (ASCII letters in any case),
         as the API's and the console's search
  show   -id N
  rotate -id N [-grace 24h]   issue a new key; old keys stay valid for -grace (default 24h, as on the
                              console and the API; 0: revoked now, the answer to a leak; at most 720h)
  revoke -id N                revoke the app and all its keys
  revoke-key -key KEYID       revoke one key: its id, as app show lists it, or the whole htk_… key,
                              whose secret must then be the key's (a wrong one is refused)

Scopes: catalog.read, catalog.write, records.write, data.read, audit.read, admin
`

// shownOnce is why an API key that app create or app rotate could not
// print is lost.
const shownOnce = "密钥只显示一次，平台只保存其摘要，无法再显示"

// defaultGrace is how long app rotate leaves the replaced key valid
// without -grace: the console's and the API's default, time to switch the
// systems that use it. Revoking it at once is asked for with -grace 0.
const defaultGrace = 24 * time.Hour

func cmdApp(ctx context.Context, e *env, args []string) error {
	verb, rest, fs, err := verbFlags(e, "app", args, appUsage)
	if err != nil {
		return err
	}
	dsn := dbFlag(fs, e)
	name := fs.String("name", "", "app name (create)")
	dept := fs.String("department", "", "department: id, credit code, name or short name")
	scopes := fs.String("scopes", "", "space- or comma-separated scopes (create)")
	desc := fs.String("description", "", "what the app is (create)")
	id := fs.Int64("id", 0, "app id")
	keyID := fs.String("key", "", "key id, or the whole key (revoke-key)")
	grace := fs.Duration("grace", defaultGrace, fmt.Sprintf("how long old keys stay valid after rotate: 0 (revoked at once) to %dh", web.MaxGraceHours))
	search := fs.String("q", "", "only apps whose name contains this, ASCII letters in any case (list)")
	if err := parse(e, fs, rest); err != nil {
		return err
	}
	create := []string{"create"}
	err = onlyFor(fs, verb, map[string][]string{"name": create, "scopes": create, "description": create,
		"department": {"create", "list"}, "id": {"show", "rotate", "revoke"}, "key": {"revoke-key"},
		"grace": {"rotate"}, "q": {"list"}})
	if err != nil {
		return err
	}
	q, err := org.Search("q", *search)
	if err != nil {
		return err
	}
	if *grace < 0 || *grace > web.MaxGraceHours*time.Hour {
		given := zhDuration(*grace)
		if *grace < 0 {
			given = "不能为负数"
		}
		return fmt.Errorf("-grace %s：应为 0（旧密钥立即吊销）到 %s，与控制台和 API 相同", given, zhDuration(web.MaxGraceHours*time.Hour))
	}
	switch verb {
	case "create":
		err = required(fs, "name", "department", "scopes")
	case "show", "rotate", "revoke":
		err = required(fs, "id")
	case "revoke-key":
		err = required(fs, "key")
	}
	if err != nil {
		return err
	}
	if (verb == "create" || verb == "rotate") && e.nullOutput() {
		undone := "未创建应用"
		if verb == "rotate" {
			undone = "未签发新密钥，也未吊销任何密钥"
		}
		return fmt.Errorf("标准输出已关闭或为 /dev/null，只显示一次的 API 密钥将无处显示：%s；请让标准输出指向终端、文件或管道后重试", undone)
	}
	db, err := openDB(ctx, e, *dsn, sqldb.Options{Durable: true}, false)
	if err != nil {
		return err
	}
	defer db.Close()
	now := server.Clock()
	by := cliActor(e)
	switch verb {
	case "create":
		d, err := org.DepartmentByRef(ctx, db.Read(), *dept)
		if err != nil {
			return err
		}
		var a org.App
		var key string
		err = db.Tx(ctx, func(tx *sqldb.Tx) (err error) {
			a, key, err = org.CreateApp(ctx, tx, by, org.NewApp{Name: *name, DepartmentID: d.ID,
				Scopes: []string{*scopes}, Description: *desc}, now)
			return err
		})
		if err != nil {
			return err
		}
		defer e.showOnce(fmt.Sprintf("已创建应用 %d“%s”，但其 API 密钥未能输出（%s）：请运行 hutong app rotate -id %d -grace 0 "+
			"签发新密钥，未能输出的密钥随之吊销", a.ID, a.Name, shownOnce, a.ID))()
		fmt.Fprintf(e.Stdout, "已为%s创建应用 %d“%s”，权限范围 %s\nAPI 密钥（只显示这一次，请立即保存）：\n%s\n",
			d.Name, a.ID, a.Name, strings.Join(a.Scopes, " "), key)
	case "list":
		f := org.AppFilter{Q: q}
		if f.DepartmentID, err = departmentFilter(ctx, db, *dept); err != nil {
			return err
		}
		none := noneFound("应用", q != "" || *dept != "")
		return printTable(e, "ID\t名称\t部门\t权限范围\t状态", none, func(tw io.Writer) error {
			return eachPage(func(after int64, limit int) ([]org.AppListing, int64, error) {
				f.After, f.Limit = after, limit
				return org.FindAppListings(ctx, db.Read(), f)
			}, func(a org.AppListing) {
				status := "在用"
				if a.RevokedAt != nil {
					status = "已注销 " + beijingTime(*a.RevokedAt) + beijingLabel
				}
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", a.ID, a.Name, a.DepartmentName, strings.Join(a.Scopes, " "), status)
			})
		})
	case "show":
		a, err := org.AppByID(ctx, db.Read(), *id)
		if err != nil {
			return err
		}
		d, err := org.DepartmentByID(ctx, db.Read(), a.DepartmentID)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.Stdout, "应用 %d“%s”，部门 %s（ID %d），权限范围 %s\n", a.ID, a.Name, d.Name, d.ID, strings.Join(a.Scopes, " "))
		tw := newTable(e.Stdout)
		fmt.Fprintln(tw, "密钥编号\t签发时间"+beijingLabel+"\t状态\t最近使用"+beijingLabel)
		for _, k := range a.Keys {
			status := "有效"
			switch {
			case k.RevokedAt != nil:
				status = "已吊销"
			case k.ExpiresAt != nil && !k.ExpiresAt.After(now):
				status = "已过期"
			case k.ExpiresAt != nil:
				status = "宽限期至 " + beijingTime(*k.ExpiresAt) + beijingLabel
			}
			used := "-"
			if k.LastUsedAt != nil {
				used = beijingTime(*k.LastUsedAt)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", k.ID, beijingTime(k.CreatedAt), status, used)
		}
		return tw.Flush()
	case "rotate":
		var before org.App // its keys before the rotation
		var k org.Key
		var key string
		err = db.Tx(ctx, func(tx *sqldb.Tx) (err error) {
			if before, err = org.AppByID(ctx, tx, *id); err != nil {
				return err
			}
			k, key, err = org.RotateKey(ctx, tx, by, *id, *grace, now)
			return err
		})
		if err != nil {
			return err
		}
		revoked := ""
		if *grace == 0 && slices.ContainsFunc(before.Keys, func(old org.Key) bool { return old.Active(now) }) {
			revoked = "；旧密钥已立即吊销，应用暂无可用的密钥"
		}
		defer e.showOnce(fmt.Sprintf("已为应用 %d 签发新密钥 %s，但它未能输出（%s）%s：请运行 hutong app revoke-key -key %s 吊销它，"+
			"再运行 hutong app rotate -id %d 签发新密钥", *id, k.ID, shownOnce, revoked, k.ID, *id))()
		fmt.Fprintf(e.Stdout, "已为应用 %d 签发新密钥 %s\n", *id, k.ID)
		for _, old := range before.Keys {
			switch {
			case !old.Active(now):
			case *grace == 0:
				fmt.Fprintf(e.Stdout, "旧密钥 %s 已立即吊销\n", old.ID)
			case old.ExpiresAt == nil:
				fmt.Fprintf(e.Stdout, "旧密钥 %s 在 %s内（至北京时间 %s）仍然有效，请在此期间完成切换\n",
					old.ID, zhDuration(*grace), beijingTime(now.Add(*grace)))
			default:
				fmt.Fprintf(e.Stdout, "更早的密钥 %s 仍按此前轮换所给的宽限期有效，至北京时间 %s（立即停用：hutong app revoke-key -key %s）\n",
					old.ID, beijingTime(*old.ExpiresAt), old.ID)
			}
		}
		fmt.Fprintf(e.Stdout, "API 密钥（只显示这一次，请立即保存）：\n%s\n", key)
	case "revoke":
		if err := db.Tx(ctx, func(tx *sqldb.Tx) error { return org.RevokeApp(ctx, tx, by, *id, now) }); err != nil {
			return err
		}
		fmt.Fprintf(e.Stdout, "已注销应用 %d，其全部密钥已吊销\n", *id)
	case "revoke-key":
		if err := db.Tx(ctx, func(tx *sqldb.Tx) error { return org.RevokeKey(ctx, tx, by, *keyID, now) }); err != nil {
			return err
		}
		shown := strings.TrimSpace(*keyID) // the id, never a whole key's secret
		if rest, ok := strings.CutPrefix(shown, "htk_"); ok {
			shown, _, _ = strings.Cut(rest, "_")
		}
		fmt.Fprintf(e.Stdout, "已吊销密钥 %s\n", shown)
	}
	return nil
}

const auditUsage = `Usage: hutong audit VERB [flags]

Verbs:
  verify    walk the hash chain; print the first row that was edited, deleted
            or reordered and exit with status 1, or confirm the chain is intact
            and print its head as SEQ:HASH. Record the head off this machine
            (daily, say) and check it later with [-anchor SEQ:HASH]: the chain
            alone cannot tell rows deleted from its end, or rewritten, when the
            head is rewritten with them (docs/keys.md). [-from SEQ:HASH], the
            last head recorded, checks that row (its hash, and its content
            against it) and verifies only the rows after it: the daily check,
            which reads the day's rows, where the whole log takes about 15 s a
            million rows. The rows before it are not re-checked: run the
            whole verify weekly, say, and after an incident or a restore
  list      print recent rows, newest first, each action by its Chinese name and
            its code, with the filters of the console's audit page and the
            API's GET /api/v1/audit: [-action A]... [-subject ID]
            [-actor NAME] [-actor-kind KIND] [-department REF] [-outcome O]
            [-since T] [-until T] [-limit N] [-before SEQ] [-format F]. Each row
            shows the actor's department (部门), the data items read
            (信息项), the purpose (事由) and the detail (a refusal's
            reason), its time in Beijing time; -format json prints every
            field of each row, as the API's items, one JSON object a line,
            times in UTC as the API gives them. When older
            rows match, the last line says the -before that lists them (on
            standard error with -format json), as the API's next_cursor.
            The read leaves an audit.read row, as the API's and the console's,
            and prints nothing when that row cannot be written

A flag of the other verb is refused (audit verify -action auth.).
`

// auditListFlags are audit list's flags that its audit.read row keeps
// when given: its filter and its page.
var auditListFlags = []string{"action", "subject", "actor", "actor-kind", "department", "outcome", "since", "until",
	"before", "limit"}

func cmdAudit(ctx context.Context, e *env, args []string) error {
	verb, rest, fs, err := verbFlags(e, "audit", args, auditUsage)
	if err != nil {
		return err
	}
	dsn := dbFlag(fs, e)
	var actions repeated
	groups := make([]string, len(audit.ActionGroups))
	for i, g := range audit.ActionGroups {
		groups[i] = g.Key
	}
	fs.Var(&actions, "action", "only rows with `ACTION`: an action (records.read), a prefix ending in '.' (records.), or "+audit.GroupPrefix+
		"KEY for a whole group: "+strings.Join(groups, ", ")+"; repeat for any of several (list)")
	subject := fs.String("subject", "", "only rows about this subject: citizen ID or credit code, in any case or width or an old 15-digit ID (list)")
	actor := fs.String("actor", "", "only rows of this actor: an account's username, an app's name, exact (list)")
	actorKind := fs.String("actor-kind", "", "only rows of this kind of actor: user, app, applicant, system, anonymous (list)")
	dept := fs.String("department", "", "only rows of this department's actors: id, credit code, name or short name (list)")
	outcome := fs.String("outcome", "", "only rows with this outcome: ok, denied, failed, or several joined by \",\" (denied,failed) (list)")
	since := fs.String("since", "", "only rows from this RFC 3339 time, or this date's start in Beijing time, e.g. 2026-10-01 (list)")
	until := fs.String("until", "", "only rows before this RFC 3339 time, or to this date's end in Beijing time, the day included (list)")
	limit := fs.Int("limit", 50, fmt.Sprintf("rows to print, 1 to %d (list)", audit.MaxList))
	before := fs.Int64("before", 0, "only rows older than this `SEQ`: the next page, as the last line of the one before names it, the API's cursor (list)")
	format := fs.String("format", "table", "table, or json: every field of each row as the API gives it, times in UTC, one JSON object a line (list)")
	anchor := fs.String("anchor", "", "SEQ:HASH, a head an earlier verify printed: fail unless the chain still holds that row with that hash (verify)")
	fromFlag := fs.String("from", "", "SEQ:HASH, the last head recorded: fail unless the chain holds that row with that hash, and verify only the rows after it (verify)")
	if err := parse(e, fs, rest); err != nil {
		return err
	}
	list := []string{"list"}
	err = onlyFor(fs, verb, map[string][]string{"anchor": {"verify"}, "from": {"verify"}, "action": list, "subject": list, "actor": list,
		"actor-kind": list, "department": list, "outcome": list, "since": list, "until": list, "limit": list,
		"before": list, "format": list})
	if err != nil {
		return err
	}
	if *format != "table" && *format != "json" {
		return fmt.Errorf("-format “%s”：应为 table 或 json", *format)
	}
	f, err := auditListFilter(actions, *subject, *actor, *actorKind, *outcome, *since, *until)
	if err != nil {
		return err
	}
	if *limit < 1 || *limit > audit.MaxList {
		return fmt.Errorf("-limit 应在 1 到 %d 之间", audit.MaxList)
	}
	f.Limit = *limit
	// The flags given: -before 0 is refused, and the list's audit.read
	// row keeps them.
	given := map[string][]string{}
	fs.Visit(func(fl *flag.Flag) { given[fl.Name] = []string{fl.Value.String()} })
	if _, ok := given["before"]; ok && *before <= 0 {
		return errors.New("-before 应为序号（上一页末尾“更早的记录：加 -before N”中的 N）")
	}
	f.Before = *before
	var anchors []audit.Anchor
	if *anchor != "" {
		a, err := audit.ParseAnchor(*anchor)
		if err != nil {
			return err
		}
		anchors = append(anchors, a)
	}
	var from audit.Anchor
	if *fromFlag != "" {
		if from, err = audit.ParseAnchor(*fromFlag); err != nil {
			return fmt.Errorf("-from %s", errs.As(err).Message)
		}
	}
	db, err := openDB(ctx, e, *dsn, sqldb.Options{Durable: true}, false)
	if err != nil {
		return err
	}
	defer db.Close()
	switch verb {
	case "verify":
		rep, err := audit.VerifyFromDB(ctx, db, from, anchors...)
		if err != nil {
			return db.AccessError(err)
		}
		if rep.Problem != nil {
			fmt.Fprintf(e.Stdout, "审计链校验失败（%s）：%s\n首个异常行：序号 %d（已校验 %d 行，链头序号 %d）\n",
				rep.Problem.Code, rep.Problem.Reason, rep.Problem.Seq, rep.Rows, rep.Head)
			dbArg, dbNote := dbArgument(e, fs, *dsn, db.Source)
			fmt.Fprint(e.Stdout, brokenChainHint(db, rep.Problem.Seq, dbArg, dbNote))
			return errReported
		}
		if from.Seq > 0 {
			fmt.Fprintf(e.Stdout, "起点 %s 在链中，哈希一致；其后的审计链完整：已校验第 %d 条之后的 %d 行，链头序号 %d\n", from, from.Seq, rep.Rows, rep.Head)
			fmt.Fprintln(e.Stdout, "起点之前的记录未复核：其中被原地改写的记录只有校验整条链才能发现，请定期（如每周）并在安全事件或恢复备份后运行 hutong audit verify")
		} else {
			fmt.Fprintf(e.Stdout, "审计链完整：已校验 %d 行，链头序号 %d\n", rep.Rows, rep.Head)
		}
		for _, a := range anchors {
			fmt.Fprintf(e.Stdout, "锚点 %s 仍在链中，哈希一致\n", a)
		}
		if rep.Head > 0 {
			fmt.Fprintf(e.Stdout, "链头：%s（请记录在本机以外，日后以 -anchor 核对，或以 -from 只校验此后的记录）\n", audit.Anchor{Seq: rep.Head, Hash: rep.HeadHash})
		}
	case "list":
		if *dept != "" {
			d, err := org.DepartmentByRef(ctx, db.Read(), *dept)
			if err != nil {
				return err
			}
			f.DepartmentID = d.ID
		}
		entries, next, err := audit.List(ctx, db.Read(), f)
		if err != nil {
			return db.AccessError(err)
		}
		// The rows are personal data: their read is audited before they
		// are printed, and refused when it cannot be, as the API's and
		// the console's (audit.LogReadEvent).
		if len(actions) > 0 {
			given["action"] = actions
		}
		read := audit.LogReadEvent(cliActor(e), given, auditListFlags)
		if err := db.Tx(ctx, func(tx *sqldb.Tx) error { return audit.Record(ctx, tx, read, server.Clock()) }); err != nil {
			return err
		}
		var depts map[int64]string
		if *format == "table" {
			if depts, err = org.DepartmentNames(ctx, db.Read()); err != nil {
				return db.AccessError(err)
			}
		}
		filtered := slices.ContainsFunc(auditListFlags, func(name string) bool { _, ok := given[name]; return ok && name != "limit" })
		return printAudit(e, entries, depts, next, *format, filtered)
	}
	return nil
}

// printAudit prints the rows of audit list in format (table or json) and,
// when next is not 0, the flag that lists the rows after them, or when
// there are none, 没有符合条件的审计记录 (filtered: a filter or -before was
// given) or 没有审计记录: on standard output under a
// table, as records batches does, on standard error after JSON Lines,
// which stay only rows (none at all for an empty list). A table names the actor's
// department by depts (id to name), as the console's 部门 column does.
func printAudit(e *env, entries []audit.Entry, depts map[int64]string, next int64, format string, filtered bool) error {
	hint := e.Stdout
	if format == "json" {
		enc := json.NewEncoder(e.Stdout)
		enc.SetEscapeHTML(false)
		for _, en := range entries {
			if err := enc.Encode(en); err != nil {
				return err
			}
		}
		hint = e.Stderr
	} else {
		tw := newTable(e.Stdout)
		fmt.Fprintln(tw, "序号\t时间"+beijingLabel+"\t操作者\t部门\t操作\t对象\t数据主体\t信息项\t事由\t结果\t详情")
		for _, en := range entries {
			shown := audit.ActionDisplay(en.Action)
			if shown != en.Action {
				shown += "（" + en.Action + "）"
			}
			detail := detailCell(en.Action, en.Outcome, en.Detail)
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", en.Seq, beijingTime(en.At),
				cell(actorCell(en.Actor)), cell(depts[en.Actor.DepartmentID]), cell(shown), cell(objectCell(en.Event)), cell(en.SubjectID),
				cell(strings.Join(en.Items(), "、")), cell(en.Purpose), cell(outcomeCell(en.Outcome)), cell(detail))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	if len(entries) == 0 {
		fmt.Fprintln(hint, noneFound("审计记录", filtered))
	}
	if next != 0 {
		fmt.Fprintf(hint, "更早的记录：加 -before %d\n", next)
	}
	return nil
}

// actorCell is a row's actor as the console's audit page shows it: the
// label of its kind, then its name (工作人员 gat.admin); a kind without a
// label as stored.
func actorCell(a audit.Actor) string {
	return strings.TrimSpace(cmp.Or(audit.ActorKindLabel(a.Kind), a.Kind) + " " + a.Name)
}

// objectCell is a row's object: the label of its kind (its type as stored
// when it has none), then its id (数据资源：7).
func objectCell(ev audit.Event) string {
	kind := cmp.Or(audit.ObjectKindLabel(ev.ObjectType), ev.ObjectType)
	if ev.ObjectID == "" {
		return kind
	}
	return kind + "：" + ev.ObjectID
}

// outcomeCell is a row's outcome by its label (成功, 拒绝, 失败), as
// stored when it has none; a row written with none is 成功, as the
// log's readers take it.
func outcomeCell(outcome string) string {
	outcome = cmp.Or(outcome, audit.OK)
	return cmp.Or(audit.OutcomeLabel(outcome), outcome)
}

// detailCell is the detail of a row of the action of with outcome as the console's
// audit page shows it, in one cell: each member as label=value, a value shown in
// Chinese followed by its code as written (原因=密码错误（bad_password）),
// a time stored as RFC 3339 (the until of an auth.throttle row) in Beijing
// time, labelled so (beijingLabel: the header labels only the 时间 column),
// followed by it as written
// (截止=2026-12-05 12:23:32（北京时间）（2026-12-05T04:23:32Z）), as
// audit.DetailFields gives them to the console's audit page too (whose
// footer says the times are Beijing time), members joined by "；".
func detailCell(of, outcome, detail string) string {
	var parts []string
	for _, f := range audit.DetailFields(of, outcome, detail) {
		v := f.Value
		if f.Time {
			v += beijingLabel
		}
		if f.Raw != "" {
			v += "（" + f.Raw + "）"
		}
		parts = append(parts, f.Label+"="+v)
	}
	return strings.Join(parts, "；")
}

// cell is s as one cell of a table: "-" when empty, so that every row has
// every column, and a control character (a tab or a line break a caller
// wrote into a purpose) as a space, which would break the row.
func cell(s string) string {
	if s = strings.TrimSpace(s); s == "" {
		return "-"
	}
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
}

// auditListFilter reads audit list's filter flags as the API reads its
// parameters; a value it cannot read is an error that names the flag.
func auditListFilter(actions []string, subject, actor, actorKind, outcome, since, until string) (audit.Filter, error) {
	f := audit.Filter{ActorKind: actorKind, Outcomes: audit.ParseOutcomes(outcome)}
	err := func() error {
		var err error
		if f.Actions, err = audit.ParseActions("action", actions...); err != nil {
			return err
		}
		if err := f.Check(); err != nil {
			return err
		}
		if f.SubjectID, err = org.Search("subject", subject); err != nil {
			return err
		}
		f.SubjectForms = records.AuditSubjectForms(f.SubjectID)
		if f.ActorName, err = org.Search("actor", actor); err != nil {
			return err
		}
		f.Since, f.Until, err = audit.ParseRange(since, until)
		return err
	}()
	if e := errs.As(err); e != nil && e.Field != "" {
		// The flag is named before the message, which may start with
		// the parameter's name as the API shows it ("since 应为日期…").
		e.Message = strings.TrimPrefix(e.Message, e.Field+" ")
		e.Field = "-" + strings.ReplaceAll(e.Field, "_", "-")
	}
	return f, err
}

// repeated is a flag that may be given several times.
type repeated []string

func (r *repeated) String() string { return strings.Join(*r, ",") }
func (r *repeated) Set(s string) error {
	*r = append(*r, s)
	return nil
}

const orgUsage = `Usage: hutong org VERB [flags]

Manage administrative regions (GB/T 2260) and departments: enough to set up
a fresh platform before creating accounts with 'hutong user'.

Verbs:
  region-create -code 440605 -name 南海区 -level district -parent 440600
                levels: province, city, district, town
  department-create -name 部门全称 -uscc 统一社会信用代码 -region 440605 [-short 简称] [-parent ID] [-operator]
  department-disable -department D
                disable a department in an organisational change (机构改革):
                its enabled accounts are disabled (their sessions end) and
                its apps revoked with their keys; refused while it holds
                catalog entries published or under review (transfer them
                first: hutong catalog transfer) and for the department of
                the last enabled operator account
  department-enable -department D
                enable a disabled department again, alone: its accounts stay
                disabled and its apps revoked
                (D: id, credit code, name or short name; both are the API's
                POST /api/v1/departments/{id}/disable and /enable)
  list [-q TEXT] print regions and departments; with -q no regions (they are
                not searched) and only the departments whose name or short
                name contains TEXT (ASCII letters in any case, full-width
                forms as half-width ones); white space in TEXT or the name,
                the name's punctuation and radicals (⻔ for 门) do not count
                when TEXT holds no punctuation, symbol or letter beyond
                ASCII with case (市 公安局 finds 佛山市公安局); (筹), C++
                and the like are looked for as typed but for white space in
                TEXT or the name, left out, and radicals, read as their
                ideographs (区 市场监督管理局（筹） finds
                佛山市南海区市场监督管理局（筹）, 政务⻔户（筹） finds
                政务门户（筹）), as the API's and the console's department
                search
`

func cmdOrg(ctx context.Context, e *env, args []string) error {
	verb, rest, fs, err := verbFlags(e, "org", args, orgUsage)
	if err != nil {
		return err
	}
	dsn := dbFlag(fs, e)
	code := fs.String("code", "", "region code (region-create)")
	name := fs.String("name", "", "name")
	level := fs.String("level", "", "region level (region-create)")
	parent := fs.String("parent", "", "parent region code, or parent department id")
	uscc := fs.String("uscc", "", "unified social credit code (department-create)")
	region := fs.String("region", "", "region code (department-create)")
	short := fs.String("short", "", "short name (department-create)")
	operator := fs.Bool("operator", false, "the department is a platform operator 政务数据主管部门 (department-create)")
	search := fs.String("q", "", "only departments whose name or short name contains this, ASCII letters in any case, white space in either ignored, and the name's punctuation when it holds no punctuation, symbol or letter beyond ASCII with case, and no regions (list)")
	dept := fs.String("department", "", "department: id, credit code, name or short name (department-disable, department-enable)")
	if err := parse(e, fs, rest); err != nil {
		return err
	}
	switchVerbs := []string{"department-disable", "department-enable"}
	regionVerb, deptVerb := []string{"region-create"}, []string{"department-create"}
	err = onlyFor(fs, verb, map[string][]string{"code": regionVerb, "level": regionVerb,
		"name": {"region-create", "department-create"}, "parent": {"region-create", "department-create"},
		"uscc": deptVerb, "region": deptVerb, "short": deptVerb, "operator": deptVerb, "q": {"list"}, "department": switchVerbs})
	if err == nil && slices.Contains(switchVerbs, verb) {
		err = required(fs, "department")
	}
	if err != nil {
		return err
	}
	q, err := org.Search("q", *search)
	if err != nil {
		return err
	}
	db, err := openDB(ctx, e, *dsn, sqldb.Options{Durable: true}, false)
	if err != nil {
		return err
	}
	defer db.Close()
	now := server.Clock()
	switch verb {
	case "region-create":
		r := org.Region{Code: *code, Name: *name, Level: org.Level(*level), ParentCode: *parent}
		if err := db.Tx(ctx, func(tx *sqldb.Tx) error { return org.CreateRegion(ctx, tx, cliActor(e), &r, now) }); err != nil {
			return err
		}
		fmt.Fprintf(e.Stdout, "已创建行政区划 %s %s\n", r.Code, r.Name)
	case "department-create":
		d := org.Department{Name: *name, ShortName: *short, USCC: *uscc, RegionCode: *region, IsOperator: *operator}
		if *parent != "" {
			if d.ParentID, err = strconv.ParseInt(*parent, 10, 64); err != nil {
				return fmt.Errorf("-parent “%s”：应为上级部门的 ID（数字）", *parent)
			}
		}
		if err := db.Tx(ctx, func(tx *sqldb.Tx) error { return org.CreateDepartment(ctx, tx, cliActor(e), &d, now) }); err != nil {
			return err
		}
		fmt.Fprintf(e.Stdout, "已创建部门 %d %s（%s）\n", d.ID, d.Name, d.USCC)
		// The warnings of hutong ident, on one line; only a wrong check
		// character is one that its default, strict check refuses, which
		// the line says it accepted, once.
		if len(d.Warnings) > 0 {
			lenient := ""
			if _, err := ident.USCC(d.USCC, ident.Strict); err != nil {
				lenient = "，按宽松规则接受（早期代码有此情形；hutong ident 加 -lenient 同此）"
			}
			fmt.Fprintf(e.Stderr, "注意：统一社会信用代码%s%s\n", strings.Join(d.Warnings, "；"), lenient)
		}
	case "department-disable", "department-enable":
		d, err := org.DepartmentByRef(ctx, db.Read(), *dept)
		if err != nil {
			return err
		}
		var res org.DepartmentDisabling
		err = db.Tx(ctx, func(tx *sqldb.Tx) (err error) {
			res, err = org.SetDepartmentDisabled(ctx, tx, cliActor(e), d.ID, verb == "department-disable", nil, now)
			return err
		})
		if err != nil {
			// A disable refused by a rule leaves a denied row, as the
			// API's and the console's do.
			if aerr := org.AuditDisableRefusal(ctx, db, cliActor(e), d, err, now); aerr != nil {
				return aerr
			}
			return err
		}
		fmt.Fprintln(e.Stdout, res.Message)
	case "list":
		if q == "" {
			err := printTable(e, "区划代码\t名称\t级别\t上级区划", noneFound("行政区划", false), func(tw io.Writer) error {
				return eachPage(func(after string, limit int) ([]org.Region, string, error) {
					return org.FindRegions(ctx, db.Read(), org.RegionFilter{After: after, Limit: limit})
				}, func(r org.Region) {
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.Code, r.Name, r.Level.Label(), r.ParentCode)
				})
			})
			if err != nil {
				return err
			}
			fmt.Fprintln(e.Stdout)
		}
		f := org.DepartmentFilter{Q: q}
		return printTable(e, "ID\t部门名称\t统一社会信用代码\t行政区划\t状态", noneFound("部门", q != ""), func(tw io.Writer) error {
			return eachPage(func(after int64, limit int) ([]org.Department, int64, error) {
				f.After, f.Limit = after, limit
				return org.FindDepartments(ctx, db.Read(), f)
			}, func(d org.Department) {
				code := d.USCC
				if d.USCCInvalid {
					code += "（校验位有误，请核对）"
				}
				state := "正常"
				if d.Disabled {
					state = "已停用"
				}
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", d.ID, d.Name, code, d.RegionCode, state)
			})
		})
	}
	return nil
}

// listPageSize is how many rows a list command reads from the store at a
// time.
var listPageSize = 500

// eachPage calls row for each item find selects, read listPageSize at a
// time by the store's keyset cursor: find reads the page after the cursor
// after (the zero value for the first page) and returns the cursor of the
// next, the zero value after the last. No query reads the whole list, and
// each page's items are let go once their rows are written.
func eachPage[T any, K comparable](find func(after K, limit int) ([]T, K, error), row func(T)) error {
	var after K
	for {
		items, next, err := find(after, listPageSize)
		if err != nil {
			return err
		}
		for _, it := range items {
			row(it)
		}
		var zero K
		if next == zero {
			return nil
		}
		after = next
	}
}

// printTable prints a table on standard output: header, then the rows
// that rows writes, each ending in a line feed. It is printed when rows
// returns: the table's columns are as wide as their widest cells, which
// only the last row may hold, so every row's text is held until then.
// When rows wrote none, the line none follows the header (没有符合条件的账号),
// so that an empty list is not taken for a header printed alone.
func printTable(e *env, header, none string, rows func(tw io.Writer) error) error {
	tw := newTable(e.Stdout)
	fmt.Fprintln(tw, header)
	counted := &lineCounter{w: tw}
	if err := rows(counted); err != nil {
		return err
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if counted.lines == 0 {
		fmt.Fprintln(e.Stdout, none)
	}
	return nil
}

// lineCounter counts the line feeds written through it to w.
type lineCounter struct {
	w     io.Writer
	lines int
}

func (c *lineCounter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.lines += bytes.Count(p[:n], []byte{'\n'})
	return n, err
}

// noneFound is the line a list prints when nothing is listed: that nothing
// matched its filters (filtered), else that there is none of what.
func noneFound(what string, filtered bool) string {
	if filtered {
		return "没有符合条件的" + what
	}
	return "没有" + what
}

// brokenChainHint says how to look at the rows up to seq, the first that
// failed verification, without changing the evidence: a read of the audit
// log is itself audited (an audit.read row), so the rows are listed on a
// copy, made first with hutong backup, and -db names that copy, not the
// database hutong audit verify read (docs/backup.md, When the audit chain
// does not verify). The backup names the database as dbArgument returns
// it: dbArg, the -db the operator gave (never a password: a masked one
// would be taken for the real one), or none, HUTONG_DB then naming it, as
// dbNote says.
func brokenChainHint(db *sqldb.DB, seq int64, dbArg, dbNote string) string {
	backup := "hutong backup"
	if dbArg != "" {
		backup += " -db " + dbArg
	}
	head := "查看该行及之前的行须在副本上进行：查看审计日志本身会向所读的数据库追加一条 audit.read 记录，证据库不得改动。先复制，再在副本上查看：\n"
	if dbNote != "" {
		head += "  " + dbNote + "\n"
	}
	tail := "处置步骤见 docs/backup.md（审计链校验失败时）\n"
	if db.Dialect == sqldb.Postgres {
		return head +
			fmt.Sprintf("  %s -o audit-evidence.dump\n", backup) +
			"  createdb -T template0 -E UTF8 --locale=C.UTF-8 audit_copy\n" +
			"  pg_restore --no-owner --exit-on-error -d postgres://…/audit_copy audit-evidence.dump\n" +
			fmt.Sprintf("  hutong audit list -db postgres://…/audit_copy -before %d\n", seq+1) + tail
	}
	return head +
		fmt.Sprintf("  %s -o audit-copy.db\n", backup) +
		fmt.Sprintf("  hutong audit list -db audit-copy.db -before %d\n", seq+1) + tail
}
