package org_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/org/orgtest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// login opens a session of username, failing t otherwise.
func login(t *testing.T, db *sqldb.DB, username, pw string, at time.Time) org.Session {
	t.Helper()
	s, _, err := org.Login(context.Background(), db, username, pw, org.Client{RemoteAddr: "10.1.2.3"}, at)
	if err != nil {
		t.Fatalf("login %s: %v", username, err)
	}
	return s
}

func setDisabled(db *sqldb.DB, by audit.Actor, id int64, disabled bool) (org.User, error) {
	var u org.User
	err := db.Tx(context.Background(), func(tx *sqldb.Tx) (err error) {
		u, err = org.SetDisabledIf(context.Background(), tx, by, id, disabled, nil, t0)
		return err
	})
	return u, err
}

// audited counts the audit rows of action with outcome.
func audited(t *testing.T, db *sqldb.DB, action, outcome string) int {
	t.Helper()
	rows, _, err := audit.List(context.Background(), db.Read(), audit.Filter{Action: action, Outcome: outcome})
	if err != nil {
		t.Fatal(err)
	}
	return len(rows)
}

// TestSetDisabledRules: nobody disables their own account, the last
// enabled operator account stays enabled, setting the state an account
// has changes and audits nothing, and disabling ends the sessions.
func TestSetDisabledRules(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		d, users := seed(t, db)
		op, reviewer := users[org.Operator], users[org.Reviewer]
		if _, err := setDisabled(db, org.UserActor(op, ""), op.ID, true); code(err) != "self_disable" {
			t.Errorf("operator disables itself: %v, want self_disable", err)
		}
		if _, err := setDisabled(db, admin, op.ID, true); code(err) != "last_operator" {
			t.Errorf("the only operator disabled: %v, want last_operator", err)
		}
		if u, err := org.UserByID(ctx, db.Read(), op.ID); err != nil || u.Disabled {
			t.Errorf("after the refusals: %+v %v, want enabled", u, err)
		}
		s := login(t, db, reviewer.Username, password, t0)
		u, err := setDisabled(db, org.UserActor(op, ""), reviewer.ID, true)
		if err != nil || !u.Disabled {
			t.Fatalf("operator disables a reviewer: %+v %v", u, err)
		}
		if _, _, err := org.SessionUser(ctx, db.Read(), s.Token, t0); code(err) != "session_invalid" {
			t.Errorf("session of the disabled account: %v", err)
		}
		var sessions int
		if err := db.Read().QueryRowContext(ctx, `SELECT count(*) FROM sessions WHERE user_id = $1`, reviewer.ID).Scan(&sessions); err != nil || sessions != 0 {
			t.Errorf("sessions left of the disabled account: %d %v", sessions, err)
		}
		if _, err := setDisabled(db, admin, reviewer.ID, true); err != nil {
			t.Errorf("disabled again: %v", err)
		}
		if n := audited(t, db, "user.disable", audit.OK); n != 1 {
			t.Errorf("user.disable rows = %d, want 1 (disabling again changes nothing)", n)
		}
		if u, err := setDisabled(db, admin, reviewer.ID, false); err != nil || u.Disabled {
			t.Errorf("re-enabled: %+v %v", u, err)
		}
		if n := audited(t, db, "user.enable", audit.OK); n != 1 {
			t.Errorf("user.enable rows = %d, want 1", n)
		}
		login(t, db, reviewer.Username, password, t0)

		// With a second operator, either may go, but not both.
		var op2 org.User
		err = db.Tx(ctx, func(tx *sqldb.Tx) (err error) {
			op2, err = orgtest.CreateUser(ctx, tx, admin, org.NewUser{Username: "u.operator2", DisplayName: "第二主管",
				DepartmentID: d.ID, Role: org.Operator, Password: password}, t0)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := setDisabled(db, org.UserActor(op2, ""), op.ID, true); err != nil {
			t.Errorf("one of two operators disabled: %v", err)
		}
		if _, err := setDisabled(db, admin, op2.ID, true); code(err) != "last_operator" {
			t.Errorf("the other then: %v, want last_operator", err)
		}
	})
}

// TestLastOperatorConcurrent: two operators disabling each other at once
// leave one of them enabled.
func TestLastOperatorConcurrent(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		d, users := seed(t, db)
		op := users[org.Operator]
		var op2 org.User
		err := db.Tx(ctx, func(tx *sqldb.Tx) (err error) {
			op2, err = orgtest.CreateUser(ctx, tx, admin, org.NewUser{Username: "u.operator2", DisplayName: "第二主管",
				DepartmentID: d.ID, Role: org.Operator, Password: password}, t0)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		for round := range 5 {
			var wg sync.WaitGroup
			errs := make([]error, 2)
			for i, pair := range [][2]org.User{{op, op2}, {op2, op}} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					_, errs[i] = setDisabled(db, org.UserActor(pair[0], ""), pair[1].ID, true)
				}()
			}
			wg.Wait()
			var enabled int
			if err := db.Read().QueryRowContext(ctx, `SELECT count(*) FROM users WHERE role = 'operator' AND NOT disabled`).Scan(&enabled); err != nil {
				t.Fatal(err)
			}
			if enabled != 1 || code(errs[0])+code(errs[1]) != "last_operator" {
				t.Fatalf("round %d: %d operators enabled, errors %v, want 1 and one last_operator", round, enabled, errs)
			}
			for _, u := range []org.User{op, op2} {
				if _, err := setDisabled(db, admin, u.ID, false); err != nil {
					t.Fatal(err)
				}
			}
		}
	})
}

// TestChangePassword: the account's own change needs the current password;
// a wrong one is audited and counts towards the lock-out; a right one ends
// the account's other sessions, not the one it was made in.
func TestChangePassword(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		_, users := seed(t, db)
		u := users[org.Reviewer]
		here, other := login(t, db, u.Username, password, t0), login(t, db, u.Username, password, t0)
		change := func(current, pw string, at time.Time) error {
			return org.ChangePassword(ctx, db, u, here.Token, current, pw, "10.1.2.3", at)
		}
		const next = "Battery-Staple-7"
		for _, tc := range []struct{ current, pw, want string }{
			{"", next, "current_password_required"},
			{password, "short", "weak_password"},
			{password, password, "same_password"},
			{"Wrong-Horse-9", next, "wrong_password"},
		} {
			if err := change(tc.current, tc.pw, t0); code(err) != tc.want {
				t.Errorf("change from %q to %q: %v, want %s", tc.current, tc.pw, err, tc.want)
			}
		}
		if n := audited(t, db, "user.password", audit.Denied); n != 1 {
			t.Errorf("denied user.password rows = %d, want 1", n)
		}
		if err := change(password, next, t0); err != nil {
			t.Fatal(err)
		}
		if _, _, err := org.SessionUser(ctx, db.Read(), here.Token, t0); err != nil {
			t.Errorf("session the change was made in: %v", err)
		}
		if _, _, err := org.SessionUser(ctx, db.Read(), other.Token, t0); code(err) != "session_invalid" {
			t.Errorf("other session: %v, want session_invalid", err)
		}
		if _, _, err := org.Login(ctx, db, u.Username, password, org.Client{}, t0); code(err) != "invalid_credentials" {
			t.Errorf("old password: %v", err)
		}
		login(t, db, u.Username, next, t0)
		if n := audited(t, db, "user.password", audit.OK); n != 1 {
			t.Errorf("user.password rows = %d, want 1", n)
		}

		// Guessing the current password locks the username, as logins do.
		now := t0.Add(time.Hour)
		for i := range org.MaxLoginFailures {
			if err := change("Wrong-Horse-9", "Another-Pass-5", now); code(err) != "wrong_password" {
				t.Fatalf("guess %d: %v", i+1, err)
			}
		}
		if err := change(next, "Another-Pass-5", now); code(err) != "login_locked" {
			t.Errorf("right password after the guesses: %v, want login_locked", err)
		}
		if _, _, err := org.Login(ctx, db, u.Username, next, org.Client{}, now); code(err) != "login_locked" {
			t.Errorf("login after the guesses: %v, want login_locked", err)
		}
	})
}

// TestSetPasswordNotOwn: an administrator's reset is for others' accounts;
// their own takes the current password.
func TestSetPasswordNotOwn(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		_, users := seed(t, db)
		op, reviewer := users[org.Operator], users[org.Reviewer]
		set := func(by audit.Actor, id int64) error {
			pw, err := org.HashNewPassword(context.Background(), "Battery-Staple-7")
			if err != nil {
				t.Fatal(err)
			}
			return db.Tx(ctx, func(tx *sqldb.Tx) error { return org.SetPassword(ctx, tx, by, id, pw, t0) })
		}
		if err := set(org.UserActor(op, ""), op.ID); code(err) != "own_password" {
			t.Errorf("operator resets its own password: %v, want own_password", err)
		}
		if err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			return org.SetPassword(ctx, tx, admin, reviewer.ID, org.NewPassword{}, t0)
		}); err == nil {
			t.Error("a password not hashed by HashNewPassword stored")
		}
		s := login(t, db, reviewer.Username, password, t0)
		if err := set(org.UserActor(op, ""), reviewer.ID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := org.SessionUser(ctx, db.Read(), s.Token, t0); code(err) != "session_invalid" {
			t.Errorf("session after the reset: %v, want session_invalid", err)
		}
		if err := set(admin, 999999); code(err) != "user_not_found" || !strings.Contains(err.Error(), "账号不存在") {
			t.Errorf("unknown account: %v", err)
		}
	})
}

// TestCreateUserHashed: NewUser.Hash refuses the first of Check's
// problems, a user field's before the password's, and CreateUser stores
// only a NewUser made by Hash, the password it hashed.
func TestCreateUserHashed(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		d, _ := seed(t, db)
		if _, err := (org.NewUser{Username: "x", DisplayName: "某", DepartmentID: d.ID, Role: org.Reviewer,
			Password: "abc"}).Hash(context.Background()); code(err) != "invalid_username" {
			t.Errorf("bad username and weak password: %v, want invalid_username", err)
		}
		nu := org.NewUser{Username: "Hash.Me", DisplayName: "某", DepartmentID: d.ID, Role: org.Reviewer, Password: password}
		if err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			_, err := org.CreateUser(ctx, tx, admin, nu, t0)
			return err
		}); err == nil {
			t.Error("a new user not hashed by NewUser.Hash stored")
		}
		hashed, err := nu.Hash(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if hashed.Password != "" {
			t.Error("Hash kept the typed password")
		}
		if err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			_, err := org.CreateUser(ctx, tx, admin, hashed, t0)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		login(t, db, "hash.me", password, t0)
	})
}

// TestPlatformRoles: operator and auditor are roles of the platform
// operator's department only. CreateUser refuses them for another
// department (role_platform_only); an account stored so before (by hand,
// by an older version) does not log in, its open session is refused, and
// as an operator it does not count towards the last enabled operator.
func TestPlatformRoles(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		_, users := seed(t, db)
		other := org.Department{Name: "佛山市南海区民政局", USCC: "11440605MB2C9235XX", RegionCode: "440605"}
		var bad org.User
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			if err := org.CreateDepartment(ctx, tx, admin, &other, t0); err != nil {
				return err
			}
			for _, r := range []org.Role{org.Operator, org.Auditor} {
				_, err := orgtest.CreateUser(ctx, tx, admin, org.NewUser{Username: "mz." + string(r), DisplayName: "某",
					DepartmentID: other.ID, Role: r, Password: password}, t0)
				if e := errs.As(err); e == nil || e.Code != "role_platform_only" || e.Field != "role" {
					t.Errorf("%s in another department: %v, want role_platform_only", r, err)
				}
			}
			var err error
			bad, err = orgtest.CreateUser(ctx, tx, admin, org.NewUser{Username: "mz.admin", DisplayName: "某",
				DepartmentID: other.ID, Role: org.DeptAdmin, Password: password}, t0)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		s := login(t, db, "mz.admin", password, t0)
		if _, err := db.Write().ExecContext(ctx, `UPDATE users SET role = 'operator' WHERE id = $1`, bad.ID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := org.SessionUser(ctx, db.Read(), s.Token, t0); code(err) != "session_invalid" {
			t.Errorf("session of an operator outside the platform: %v, want session_invalid", err)
		}
		if _, _, err := org.Login(ctx, db, "mz.admin", password, org.Client{}, t0); code(err) != "role_platform_only" {
			t.Errorf("login of an operator outside the platform: %v, want role_platform_only", err)
		}
		if _, err := setDisabled(db, admin, users[org.Operator].ID, true); code(err) != "last_operator" {
			t.Errorf("disabling the platform's only operator: %v, want last_operator", err)
		}
	})
}

// TestNewUserCheckRole: a role left out or unknown is refused on its
// field (invalid_role), in words the console's users read: the roles'
// labels, not their API names.
func TestNewUserCheckRole(t *testing.T) {
	for role, want := range map[org.Role]string{
		"":     "角色不能为空",
		"root": "角色应为平台管理员、部门管理员、审核员或审计员",
	} {
		nu := org.NewUser{Username: "x.y", DisplayName: "某", Role: role, Password: password}
		got := nu.Check()
		if len(got) != 1 || got[0].Field != "role" || got[0].Code != "invalid_role" || got[0].Message != want {
			t.Errorf("role %q: %v, want invalid_role on role: %s", role, got, want)
		}
	}
}

// TestNewUserCheckLengths: a name is as long as it is stored, trimmed, so
// spaces around it do not count; a password has 128 characters at most.
func TestNewUserCheckLengths(t *testing.T) {
	name := strings.Repeat("名", 50)
	long := password + strings.Repeat("x", 128-utf8.RuneCountInString(password))
	for _, c := range []struct {
		name, pw string
		want     string // field: code of the one problem, "" for none
	}{
		{" " + name + " ", password, ""},
		{name + "名", password, "display_name: too_long"},
		{"某", long, ""},
		{"某", long + "x", "password: too_long"},
	} {
		nu := org.NewUser{Username: "x.y", DisplayName: c.name, Role: org.Reviewer, Password: c.pw}
		var got string
		for _, e := range nu.Check() {
			got += e.Field + ": " + e.Code
		}
		if got != c.want {
			t.Errorf("name of %d characters, password of %d: %q, want %q", utf8.RuneCountInString(c.name),
				utf8.RuneCountInString(c.pw), got, c.want)
		}
	}
	if ps := (org.NewUser{Username: "x.y", DisplayName: "某", Role: org.Reviewer, Password: long + "x"}).Check(); len(ps) != 1 || ps[0].Message != "密码不能超过 128 个字符" {
		t.Errorf("a password too long: %v, want 密码不能超过 128 个字符", ps)
	}
}

// TestDemoteAndDisableOperatorsConcurrent: an operator demoting a second
// one while the second disables the first do not deadlock on PostgreSQL
// (UpdateUser locked its account before the enabled operators, SetDisabledIf
// the enabled operators first, so each could hold a row the other waited
// for): both take the operators' locks first. One of the two changes goes
// in, the other is refused last_operator or goes in after it; an enabled
// operator always remains. On both engines.
func TestDemoteAndDisableOperatorsConcurrent(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		d, users := seed(t, db)
		op := users[org.Operator]
		var op2 org.User
		err := db.Tx(ctx, func(tx *sqldb.Tx) (err error) {
			op2, err = orgtest.CreateUser(ctx, tx, admin, org.NewUser{Username: "u.operator2", DisplayName: "第二主管",
				DepartmentID: d.ID, Role: org.Operator, Password: password}, t0)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		reviewer, operator := org.Reviewer, org.Operator
		for round := range 30 {
			var wg sync.WaitGroup
			errs := make([]error, 2)
			start := make(chan struct{})
			wg.Add(2)
			go func() {
				defer wg.Done()
				<-start
				errs[0] = db.Tx(ctx, func(tx *sqldb.Tx) error {
					_, err := org.UpdateUser(ctx, tx, org.UserActor(op, ""), op2.ID, org.UserChange{Role: &reviewer}, t0)
					return err
				})
			}()
			go func() {
				defer wg.Done()
				<-start
				_, errs[1] = setDisabled(db, org.UserActor(op2, ""), op.ID, true)
			}()
			close(start)
			wg.Wait()
			for _, err := range errs {
				if err != nil && code(err) != "last_operator" {
					t.Fatalf("round %d: %v, want success or last_operator", round, err)
				}
			}
			var enabled int
			if err := db.Read().QueryRowContext(ctx, `SELECT count(*) FROM users WHERE role = 'operator' AND NOT disabled`).Scan(&enabled); err != nil {
				t.Fatal(err)
			}
			if enabled != 1 {
				t.Fatalf("round %d: %d operators enabled, errors %v, want 1", round, enabled, errs)
			}
			if _, err := setDisabled(db, admin, op.ID, false); err != nil {
				t.Fatal(err)
			}
			if err := db.Tx(ctx, func(tx *sqldb.Tx) error {
				_, err := org.UpdateUser(ctx, tx, admin, op2.ID, org.UserChange{Role: &operator}, t0)
				return err
			}); err != nil {
				t.Fatal(err)
			}
		}
	})
}
