package org_test

import (
	"context"
	"errors"
	"math"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/org/orgtest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// lockWaiters is how many other backends of db's database wait for a
// lock; a failed count fails t and answers more than any.
func lockWaiters(t *testing.T, db *sqldb.DB) int {
	t.Helper()
	var n int
	if err := db.Read().QueryRowContext(context.Background(), `SELECT count(*) FROM pg_stat_activity
		WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`).Scan(&n); err != nil {
		t.Error(err)
		return math.MaxInt
	}
	return n
}

// awaitLockWaiters returns once n backends of db's database wait for a lock.
func awaitLockWaiters(t *testing.T, db *sqldb.DB, n int) {
	t.Helper()
	for lockWaiters(t, db) < n {
		time.Sleep(10 * time.Millisecond)
	}
}

// concurrently runs f(0) and f(1), each in its own transaction of db, and
// answers their errors.
func concurrently(db *sqldb.DB, f func(i int, tx *sqldb.Tx) error) [2]error {
	var wg sync.WaitGroup
	var answers [2]error
	for i := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			answers[i] = db.Tx(context.Background(), func(tx *sqldb.Tx) error { return f(i, tx) })
		}()
	}
	wg.Wait()
	return answers
}

// heldTogether runs f(0) and f(1) as concurrently does, each transaction
// held after its f, before it commits, until the other's f has returned
// too or a backend waits for a lock: both commit holding the rows their
// f locked, and the checks of their credentials as they commit
// (audit.CheckCredential) meet those locks.
func heldTogether(t *testing.T, db *sqldb.DB, f func(i int, tx *sqldb.Tx) error) [2]error {
	var arrived sync.WaitGroup
	arrived.Add(2)
	both := make(chan struct{})
	go func() { arrived.Wait(); close(both) }()
	return concurrently(db, func(i int, tx *sqldb.Tx) error {
		err := f(i, tx)
		arrived.Done()
		if err != nil {
			return err
		}
		for lockWaiters(t, db) == 0 {
			select {
			case <-both:
				return nil
			case <-time.After(10 * time.Millisecond):
			}
		}
		return nil
	})
}

// eachPostgres runs f as sqldbtest.Each does on PostgreSQL only: SQLite's
// one writer runs one write transaction at a time.
func eachPostgres(t *testing.T, f func(t *testing.T, db *sqldb.DB)) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		if db.Dialect != sqldb.Postgres {
			t.Skip("SQLite runs one write transaction at a time")
		}
		f(t, db)
	})
}

// wantCommitted fails t for each of answers that is an error, what[i]
// saying whose answers[i] is.
func wantCommitted(t *testing.T, answers [2]error, what [2]string) {
	t.Helper()
	for i, err := range answers {
		if err != nil {
			t.Errorf("%s: %v; want committed", what[i], err)
		}
	}
}

// sessionActor logs u in and answers the actor of its session
// (SessionActor).
func sessionActor(t *testing.T, db *sqldb.DB, u org.User) audit.Actor {
	t.Helper()
	s, u, err := org.Login(context.Background(), db, u.Username, password, org.Client{RemoteAddr: "127.0.0.1"}, t0)
	if err != nil {
		t.Fatal(err)
	}
	return org.SessionActor(u, s, "127.0.0.1")
}

// TestCredentialCheckAdminsEditEachOther: two administrators, each signed
// in with a session (SessionActor), renaming each other's account at
// once both commit. Each rename waits, before it commits, until the other
// has written too or waits for a lock: the rename's lock of the other's
// account and the commit's check of its own session's account
// (audit.CheckCredential) deadlocked (PostgreSQL 40P01) when each held
// the account row the other's check waited for. PostgreSQL only: SQLite's
// one writer runs one transaction at a time.
func TestCredentialCheckAdminsEditEachOther(t *testing.T) {
	eachPostgres(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		d, users := seed(t, db)
		var o2 org.User
		if err := db.Tx(ctx, func(tx *sqldb.Tx) (err error) {
			o2, err = orgtest.CreateUser(ctx, tx, admin, org.NewUser{Username: "u.op2", DisplayName: "二号", DepartmentID: d.ID,
				Role: org.Operator, Password: password}, t0)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		o1 := users[org.Operator]
		actors := map[int64]audit.Actor{o1.ID: sessionActor(t, db, o1), o2.ID: sessionActor(t, db, o2)}
		by := [2]org.User{o1, o2}
		answers := heldTogether(t, db, func(i int, tx *sqldb.Tx) error {
			name := "新名" + string(rune('A'+i))
			_, err := org.UpdateUser(ctx, tx, actors[by[i].ID], by[1-i].ID, org.UserChange{DisplayName: &name}, t0)
			return err
		})
		wantCommitted(t, answers, [2]string{o1.Username + " renaming " + o2.Username, o2.Username + " renaming " + o1.Username})
	})
}

// TestCredentialCheckSelfRevokeTwice: an app's key revoking itself
// (RevokeKey), and an app revoking itself (RevokeApp), twice at once:
// one commits, the other is refused as a revoked key is (401
// invalid_api_key) or as a revoked app (409 app_revoked). A third
// transaction share-locking the rows both write holds both up until both
// wait for a lock: each had share-locked the app's and key's rows
// (KeyCredential.Check) before writing them, and then waited for the
// other's share lock (PostgreSQL 40P01). PostgreSQL only, as
// TestCredentialCheckAdminsEditEachOther.
func TestCredentialCheckSelfRevokeTwice(t *testing.T) {
	eachPostgres(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		d, _ := seed(t, db)
		app, key := createApp(t, db, d, "admin")
		keyID := strings.Split(key, "_")[1]
		var app2 org.App
		var key2 string
		if err := db.Tx(ctx, func(tx *sqldb.Tx) (err error) {
			app2, key2, err = org.CreateApp(ctx, tx, admin, org.NewApp{Name: "二号应用", DepartmentID: d.ID, Scopes: []string{"admin"}}, t0)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name, hold string
			revoke     func(tx *sqldb.Tx) error
		}{
			{"key", `SELECT 1 FROM app_keys WHERE key_id = '` + keyID + `' FOR SHARE`, func(tx *sqldb.Tx) error {
				return org.RevokeKey(ctx, tx, org.KeyActor(app, keyID, "127.0.0.1"), keyID, t0)
			}},
			{"app", `SELECT 1 FROM apps WHERE id = ` + strconv.FormatInt(app2.ID, 10) + ` FOR SHARE`, func(tx *sqldb.Tx) error {
				return org.RevokeApp(ctx, tx, org.KeyActor(app2, strings.Split(key2, "_")[1], "127.0.0.1"), app2.ID, t0)
			}},
		} {
			hold, err := db.Pools()["read"].BeginTx(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := hold.ExecContext(ctx, c.hold); err != nil {
				t.Fatal(err)
			}
			done := make(chan [2]error)
			go func() { done <- concurrently(db, func(_ int, tx *sqldb.Tx) error { return c.revoke(tx) }) }()
			awaitLockWaiters(t, db, 2)
			if err := hold.Rollback(); err != nil {
				t.Fatal(err)
			}
			answers := <-done
			var ok, refused int
			for _, err := range answers {
				var e *errs.Error
				switch {
				case err == nil:
					ok++
				case errors.As(err, &e) && (e.Code == "invalid_api_key" || e.Code == "app_revoked"):
					refused++
				default:
					t.Errorf("%s revoking itself: %v; want committed or refused as revoked", c.name, err)
				}
			}
			if ok != 1 || refused != 1 {
				t.Errorf("%s revoking itself twice: %v / %v; want one committed, one refused", c.name, answers[0], answers[1])
			}
		}
	})
}

// TestCredentialCheckDeptAdminDisablesWhileEdited: a department's
// administrator disabling an account of the department (SetDisabledIf)
// while an operator renames the administrator's account (UpdateUser):
// both commit. The disable locks the enabled operator accounts
// (lockOperators), the operator's among them, and the account it
// disables; the rename locks the administrator's account; each commits
// holding them (heldTogether). lockOperators took the operators' rows in
// table order before the administrator's credential was checked, as the
// disable committed (audit.CheckCredential, which share-locks the
// administrator's row): the disable waited for the rename's lock of
// that row, and the rename's check of the operator's session for the
// disable's lock of the operator's row (PostgreSQL 40P01). The accounts
// are made so that ids order them: the account disabled, the
// administrator, the operator. PostgreSQL only, as
// TestCredentialCheckAdminsEditEachOther.
func TestCredentialCheckDeptAdminDisablesWhileEdited(t *testing.T) {
	eachPostgres(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		d, _ := seed(t, db)
		var clerk, deptAdmin, op org.User
		if err := db.Tx(ctx, func(tx *sqldb.Tx) (err error) {
			rsj := org.Department{Name: "南海区人力资源和社会保障局", USCC: "11440605MB2C92631D", RegionCode: "440605"}
			if err := org.CreateDepartment(ctx, tx, admin, &rsj, t0); err != nil {
				return err
			}
			for _, n := range []struct {
				u   *org.User
				new org.NewUser
			}{
				{&clerk, org.NewUser{Username: "rsj.reviewer", DisplayName: "人社审核员", DepartmentID: rsj.ID, Role: org.Reviewer}},
				{&deptAdmin, org.NewUser{Username: "rsj.admin", DisplayName: "人社管理员", DepartmentID: rsj.ID, Role: org.DeptAdmin}},
				{&op, org.NewUser{Username: "u.op2", DisplayName: "二号", DepartmentID: d.ID, Role: org.Operator}},
			} {
				n.new.Password = password
				if *n.u, err = orgtest.CreateUser(ctx, tx, admin, n.new, t0); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		byAdmin, byOp := sessionActor(t, db, deptAdmin), sessionActor(t, db, op)
		answers := heldTogether(t, db, func(i int, tx *sqldb.Tx) error {
			if i == 0 {
				_, err := org.SetDisabledIf(ctx, tx, byAdmin, clerk.ID, true, nil, t0)
				return err
			}
			name := "新名"
			_, err := org.UpdateUser(ctx, tx, byOp, deptAdmin.ID, org.UserChange{DisplayName: &name}, t0)
			return err
		})
		wantCommitted(t, answers, [2]string{"the administrator disabling an account", "the operator renaming the administrator"})
	})
}

// TestCredentialCheckDeptDisableWhileRenamed: an operator disabling a
// department (SetDepartmentDisabled) while another operator renames an
// account of it (UpdateUser), the rename's body done first: both commit.
// The disable locked every enabled operator account (lockOperators), the
// renaming operator's among them, and then waited for the department's
// row and its accounts, while the rename, holding the account it renamed,
// checked its operator's session as it committed (audit.CheckCredential,
// which share-locks the operator's row) and waited for the disable
// (PostgreSQL 40P01). The disable now takes the department's accounts
// with the operators' in the order of their ids. The accounts are made
// so that ids order them: the disabling operator, the account renamed,
// the renaming operator. PostgreSQL only, as
// TestCredentialCheckAdminsEditEachOther.
func TestCredentialCheckDeptDisableWhileRenamed(t *testing.T) {
	eachPostgres(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		d, users := seed(t, db)
		rsj := org.Department{Name: "南海区人力资源和社会保障局", USCC: "11440605MB2C92631D", RegionCode: "440605"}
		var clerk, op2 org.User
		if err := db.Tx(ctx, func(tx *sqldb.Tx) (err error) {
			if err := org.CreateDepartment(ctx, tx, admin, &rsj, t0); err != nil {
				return err
			}
			clerk, err = orgtest.CreateUser(ctx, tx, admin, org.NewUser{Username: "rsj.reviewer", DisplayName: "人社审核员",
				DepartmentID: rsj.ID, Role: org.Reviewer, Password: password}, t0)
			if err != nil {
				return err
			}
			op2, err = orgtest.CreateUser(ctx, tx, admin, org.NewUser{Username: "u.op2", DisplayName: "二号",
				DepartmentID: d.ID, Role: org.Operator, Password: password}, t0)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		op1 := users[org.Operator]
		if !(op1.ID < clerk.ID && clerk.ID < op2.ID) {
			t.Fatalf("ids %d, %d, %d; want the disabling operator's, the renamed account's, the renaming operator's in order",
				op1.ID, clerk.ID, op2.ID)
		}
		byOp1, byOp2 := sessionActor(t, db, op1), sessionActor(t, db, op2)
		renamed := make(chan struct{})
		answers := heldTogether(t, db, func(i int, tx *sqldb.Tx) error {
			if i == 1 {
				defer close(renamed)
				name := "新名"
				_, err := org.UpdateUser(ctx, tx, byOp2, clerk.ID, org.UserChange{DisplayName: &name}, t0)
				return err
			}
			<-renamed
			_, err := org.SetDepartmentDisabled(ctx, tx, byOp1, rsj.ID, true, nil, t0)
			return err
		})
		wantCommitted(t, answers, [2]string{"the operator disabling the department", "the operator renaming its account"})
	})
}
