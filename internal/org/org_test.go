package org_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/org/orgtest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

func TestMain(m *testing.M) { os.Exit(sqldbtest.Main(m)) }

var (
	t0    = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	admin = audit.Actor{Kind: audit.ActorSystem, ID: "test", Name: "test"}
)

const password = "Correct-Horse-9"

// seed creates a region, the platform operator's department and one user
// of each role.
func seed(t *testing.T, db *sqldb.DB) (org.Department, map[org.Role]org.User) {
	t.Helper()
	ctx := context.Background()
	d := org.Department{Name: "佛山市公安局南海分局", USCC: "91350100M000100Y43", RegionCode: "440605", IsOperator: true}
	users := map[org.Role]org.User{}
	err := db.Tx(ctx, func(tx *sqldb.Tx) error {
		for _, r := range []org.Region{{Code: "440000", Name: "广东省", Level: org.Province},
			{Code: "440605", Name: "南海区", Level: org.District, ParentCode: "440000"}} {
			if err := org.CreateRegion(ctx, tx, admin, &r, t0); err != nil {
				return err
			}
		}
		if err := org.CreateDepartment(ctx, tx, admin, &d, t0); err != nil {
			return err
		}
		for _, r := range org.Roles {
			u, err := orgtest.CreateUser(ctx, tx, admin, org.NewUser{Username: "u." + string(r), DisplayName: "测试" + r.Label(),
				DepartmentID: d.ID, Role: r, Password: password}, t0)
			if err != nil {
				return err
			}
			users[r] = u
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return d, users
}

func code(err error) string {
	if e := errs.As(err); e != nil {
		return e.Code
	}
	if err != nil {
		return "internal: " + err.Error()
	}
	return ""
}

func TestPasswordHash(t *testing.T) {
	ctx := context.Background()
	hash := func(pw string) string {
		t.Helper()
		h, err := org.HashPassword(ctx, pw)
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	check := func(h, pw string) bool {
		t.Helper()
		ok, err := org.CheckPassword(ctx, h, pw)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	h := hash("Secret-Pass-1")
	if !strings.HasPrefix(h, "$argon2id$") {
		t.Fatalf("got %q, want an argon2id PHC string", h)
	}
	if !check(h, "Secret-Pass-1") {
		t.Error("right password refused")
	}
	for _, bad := range []string{"Secret-Pass-2", "", "secret-pass-1"} {
		if check(h, bad) {
			t.Errorf("wrong password %q accepted", bad)
		}
	}
	if check("$argon2id$garbage", "x") {
		t.Error("malformed hash accepted")
	}
	if h == hash("Secret-Pass-1") {
		t.Error("two hashes of one password are equal: salt missing")
	}
}

func TestCreateValidation(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		d, _ := seed(t, db)
		tests := []struct {
			name string
			f    func(tx *sqldb.Tx) error
			want string
		}{
			{"bad credit code", func(tx *sqldb.Tx) error {
				return org.CreateDepartment(ctx, tx, admin, &org.Department{Name: "某局", USCC: "91350100M000100Y4Z", RegionCode: "440605"}, t0)
			}, "invalid_uscc"},
			{"duplicate credit code", func(tx *sqldb.Tx) error {
				return org.CreateDepartment(ctx, tx, admin, &org.Department{Name: "某局", USCC: d.USCC, RegionCode: "440605"}, t0)
			}, "department_exists"},
			{"unknown region", func(tx *sqldb.Tx) error {
				return org.CreateDepartment(ctx, tx, admin, &org.Department{Name: "某局", USCC: "11440605MB2C9235XX", RegionCode: "999999"}, t0)
			}, "unknown_region"},
			{"no region", func(tx *sqldb.Tx) error {
				return org.CreateDepartment(ctx, tx, admin, &org.Department{Name: "某局", USCC: "11440605MB2C9235XX"}, t0)
			}, "region_required"},
			{"unknown parent", func(tx *sqldb.Tx) error {
				return org.CreateDepartment(ctx, tx, admin, &org.Department{Name: "某局", USCC: "11440605MB2C9235XX", RegionCode: "440605", ParentID: 9999}, t0)
			}, "unknown_department"},
			{"weak password", func(tx *sqldb.Tx) error {
				_, err := orgtest.CreateUser(ctx, tx, admin, org.NewUser{Username: "weak", DisplayName: "弱", DepartmentID: d.ID, Role: org.Reviewer, Password: "abcdefghij"}, t0)
				return err
			}, "weak_password"},
			{"duplicate username", func(tx *sqldb.Tx) error {
				_, err := orgtest.CreateUser(ctx, tx, admin, org.NewUser{Username: "U.Operator", DisplayName: "重", DepartmentID: d.ID, Role: org.Reviewer, Password: password}, t0)
				return err
			}, "username_taken"},
			{"no department", func(tx *sqldb.Tx) error {
				_, err := orgtest.CreateUser(ctx, tx, admin, org.NewUser{Username: "x.y", DisplayName: "某", Role: org.Reviewer, Password: password}, t0)
				return err
			}, "department_required"},
			{"unknown role", func(tx *sqldb.Tx) error {
				_, err := orgtest.CreateUser(ctx, tx, admin, org.NewUser{Username: "x.y", DisplayName: "某", DepartmentID: d.ID, Role: "root", Password: password}, t0)
				return err
			}, "invalid_role"},
			{"unknown scope", func(tx *sqldb.Tx) error {
				_, _, err := org.CreateApp(ctx, tx, admin, org.NewApp{Name: "a", DepartmentID: d.ID, Scopes: []string{"catalog.read everything"}}, t0)
				return err
			}, "unknown_scope"},
		}
		for _, tt := range tests {
			err := db.Tx(ctx, tt.f)
			if got := code(err); got != tt.want {
				t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
			}
		}
		var n int
		if err := db.Read().QueryRowContext(ctx, `SELECT count(*) FROM departments`).Scan(&n); err != nil || n != 1 {
			t.Errorf("refused writes changed the database: %d departments, %v", n, err)
		}
	})
}

// TestDepartmentCheckDigitWarning checks that a credit code with a wrong
// check digit is accepted with a warning, which the audit row keeps, but
// not eighteen digits with a wrong check: a citizen ID's shape, which a
// record refuses as a subject (ident.LegalEntityMode), so the department
// could never be one under its own code.
func TestDepartmentCheckDigitWarning(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		seed(t, db)
		d := org.Department{Name: "某早期登记单位", USCC: "91350100M000100Y44", RegionCode: "440605"}
		if err := db.Tx(ctx, func(tx *sqldb.Tx) error { return org.CreateDepartment(ctx, tx, admin, &d, t0) }); err != nil {
			t.Fatal(err)
		}
		// The check digit's first; an enterprise's code of another region
		// is told too (TestDepartmentCodeWarnings).
		if len(d.Warnings) == 0 || d.Warnings[0] != "校验码不符，应为 3" {
			t.Errorf("got warnings %q, want the check digit's first", d.Warnings)
		}
		digits := org.Department{Name: "某数字代码单位", USCC: "114406051154099990", RegionCode: "440605"}
		err := db.Tx(ctx, func(tx *sqldb.Tx) error { return org.CreateDepartment(ctx, tx, admin, &digits, t0) })
		if e := errs.As(err); e == nil || e.Code != "invalid_uscc" || e.Field != "uscc" || !strings.Contains(e.Message, "校验码错误") {
			t.Errorf("eighteen digits with a wrong check: got %v, want invalid_uscc on uscc", err)
		}
		rows, _, err := audit.List(ctx, db.Read(), audit.Filter{Action: "department.create"})
		if err != nil || len(rows) != 2 || !strings.Contains(rows[0].Detail, "校验码不符") {
			t.Errorf("audit of the creation: %+v %v", rows, err)
		}
	})
}

func TestLogin(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		_, users := seed(t, db)
		c := org.Client{RemoteAddr: "10.1.2.3", UserAgent: "test"}
		s, u, err := org.Login(ctx, db, "U.Reviewer", password, c, t0)
		if err != nil {
			t.Fatal(err)
		}
		if u.ID != users[org.Reviewer].ID || s.Token == "" || s.CSRFToken == "" {
			t.Fatalf("got user %d, session %+v", u.ID, s)
		}
		if _, got, err := org.SessionUser(ctx, db.Read(), s.Token, t0.Add(time.Hour)); err != nil || got.ID != u.ID {
			t.Fatalf("session lookup: got %d, %v", got.ID, err)
		}
		if _, _, err := org.SessionUser(ctx, db.Read(), s.Token, t0.Add(org.SessionTTL+time.Second)); code(err) != "session_invalid" {
			t.Errorf("expired session: got %v, want session_invalid", err)
		}
		if _, _, err := org.SessionUser(ctx, db.Read(), s.Token+"x", t0); code(err) != "session_invalid" {
			t.Errorf("forged session: got %v, want session_invalid", err)
		}
		if _, _, err := org.Login(ctx, db, "nobody", password, c, t0); code(err) != "invalid_credentials" {
			t.Errorf("unknown user: got %v", err)
		}
		if _, _, err := org.Login(ctx, db, "u.reviewer", "wrong", c, t0); code(err) != "invalid_credentials" {
			t.Errorf("wrong password: got %v", err)
		}
		err = db.Tx(ctx, func(tx *sqldb.Tx) error { _, err := org.SetDisabledIf(ctx, tx, admin, u.ID, true, nil, t0); return err })
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := org.SessionUser(ctx, db.Read(), s.Token, t0); code(err) != "session_invalid" {
			t.Errorf("session of disabled account: got %v", err)
		}
		if _, _, err := org.Login(ctx, db, "u.reviewer", password, c, t0); code(err) != "account_disabled" {
			t.Errorf("disabled account: got %v", err)
		}
		entries, _, err := audit.List(ctx, db.Read(), audit.Filter{Action: "auth.login"})
		if err != nil {
			t.Fatal(err)
		}
		var ok, denied int
		for _, e := range entries {
			switch e.Outcome {
			case audit.OK:
				ok++
			case audit.Denied:
				denied++
			}
		}
		if ok != 1 || denied != 3 {
			t.Errorf("audited logins: got %d ok and %d denied, want 1 and 3", ok, denied)
		}
	})
}

func TestLoginThrottle(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		seed(t, db)
		c := org.Client{RemoteAddr: "10.1.2.3"}
		now := t0
		for i := range org.MaxLoginFailures {
			if _, _, err := org.Login(ctx, db, "u.auditor", "wrong", c, now); code(err) != "invalid_credentials" {
				t.Fatalf("attempt %d: got %v", i+1, err)
			}
			now = now.Add(time.Second)
		}
		if _, _, err := org.Login(ctx, db, "u.auditor", password, c, now); code(err) != "login_locked" {
			t.Fatalf("right password while locked: got %v, want login_locked", err)
		}
		if _, _, err := org.Login(ctx, db, "u.auditor", password, c, now.Add(org.LockDuration+time.Second)); err != nil {
			t.Fatalf("after the lock: %v", err)
		}
		// Failures spread wider than the window never lock.
		for i := range org.MaxLoginFailures + 2 {
			now = now.Add(org.LoginWindow + time.Minute)
			if _, _, err := org.Login(ctx, db, "u.operator", "wrong", c, now); code(err) != "invalid_credentials" {
				t.Fatalf("slow attempt %d: got %v", i+1, err)
			}
		}
	})
}

// TestLoginThrottleConcurrent: wrong passwords sent at once each hash
// outside a transaction; still exactly MaxLoginFailures of them count, the
// rest are refused as locked, and the lock holds for the right password.
func TestLoginThrottleConcurrent(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		seed(t, db)
		c := org.Client{RemoteAddr: "10.1.2.3"}
		const attempts = 3 * org.MaxLoginFailures
		codes := make(chan string, attempts)
		var wg sync.WaitGroup
		for range attempts {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, _, err := org.Login(ctx, db, "u.auditor", "wrong", c, t0)
				codes <- code(err)
			}()
		}
		wg.Wait()
		close(codes)
		got := map[string]int{}
		for c := range codes {
			got[c]++
		}
		if got["invalid_credentials"] != org.MaxLoginFailures || got["login_locked"] != attempts-org.MaxLoginFailures {
			t.Errorf("%d wrong passwords at once: %v, want %d invalid_credentials and the rest login_locked",
				attempts, got, org.MaxLoginFailures)
		}
		if _, _, err := org.Login(ctx, db, "u.auditor", password, c, t0.Add(time.Minute)); code(err) != "login_locked" {
			t.Errorf("right password after them: %v, want login_locked", err)
		}
	})
}

func TestAPIKeys(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		d, _ := seed(t, db)
		app, key1 := createApp(t, db, d, "data.read,catalog.read")
		if !strings.HasPrefix(key1, "htk_") || !app.HasScope("data.read") || app.HasScope("admin") {
			t.Fatalf("got key %q, scopes %v", key1, app.Scopes)
		}
		var stored string
		if err := db.Read().QueryRowContext(ctx, `SELECT secret_hash FROM app_keys`).Scan(&stored); err != nil || strings.Contains(key1, stored) {
			t.Fatalf("secret stored in clear: %q %v", stored, err)
		}
		got, _, _, err := new(org.KeyCache).Authenticate(ctx, db.Read(), key1, t0)
		if err != nil || got.ID != app.ID {
			t.Fatalf("authenticate: got %d, %v", got.ID, err)
		}
		for _, bad := range []string{"", "htk_", key1[:len(key1)-1] + "x", "Bearer " + key1, strings.Replace(key1, "htk_", "xyz_", 1)} {
			if _, _, _, err := new(org.KeyCache).Authenticate(ctx, db.Read(), bad, t0); code(err) != "invalid_api_key" {
				t.Errorf("key %q: got %v, want invalid_api_key", bad, err)
			}
		}

		// Rotation with a grace period: both keys work until it ends.
		var key2 string
		err = db.Tx(ctx, func(tx *sqldb.Tx) (err error) {
			_, key2, err = org.RotateKey(ctx, tx, admin, app.ID, time.Hour, t0)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			key  string
			at   time.Time
			want string
		}{
			{key1, t0.Add(59 * time.Minute), ""},
			{key1, t0.Add(61 * time.Minute), "invalid_api_key"},
			{key2, t0.Add(61 * time.Minute), ""},
		} {
			if _, _, _, err := new(org.KeyCache).Authenticate(ctx, db.Read(), tc.key, tc.at); code(err) != tc.want {
				t.Errorf("after rotation at %s: got %v, want %q", tc.at, err, tc.want)
			}
		}
		err = db.Tx(ctx, func(tx *sqldb.Tx) error { return org.RevokeApp(ctx, tx, admin, app.ID, t0) })
		if err != nil {
			t.Fatal(err)
		}
		if _, _, _, err := new(org.KeyCache).Authenticate(ctx, db.Read(), key2, t0); code(err) != "invalid_api_key" {
			t.Errorf("key of revoked app: got %v", err)
		}
		err = db.Tx(ctx, func(tx *sqldb.Tx) error {
			_, _, err := org.RotateKey(ctx, tx, admin, app.ID, 0, t0)
			return err
		})
		if code(err) != "app_revoked" {
			t.Errorf("rotate revoked app: got %v", err)
		}
		if rep, err := audit.Verify(ctx, db.Read()); err != nil || rep.Problem != nil {
			t.Errorf("audit chain after admin actions: %v %v", err, rep.Problem)
		}
	})
}

// TestKeyCache reads a key once per KeyCacheTTL, checks the secret and the
// expiry on every request, refuses a key the moment this process's
// revocation commits, and one revoked behind its back (another process)
// once KeyCacheTTL has passed; of the requests after KeyTouchInterval, one
// is told to record the use.
func TestKeyCache(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		d, _ := seed(t, db)
		newKey := func() (org.App, string) {
			var app org.App
			var key string
			err := db.Tx(ctx, func(tx *sqldb.Tx) (err error) {
				app, key, err = org.CreateApp(ctx, tx, admin, org.NewApp{Name: fmt.Sprint("应用", time.Now().UnixNano()),
					DepartmentID: d.ID, Scopes: []string{"data.read"}}, t0)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			return app, key
		}
		var c org.KeyCache
		auth := func(key string, at time.Time) (bool, string) {
			t.Helper()
			_, _, touch, err := c.Authenticate(ctx, db.Read(), key, at)
			return touch, code(err)
		}
		_, key := newKey()
		keyID := strings.Split(key, "_")[1]
		if touch, err := auth(key, t0); err != "" || !touch {
			t.Fatalf("first use: touch %v, %q; want accepted and touched", touch, err)
		}
		if touch, err := auth(key, t0.Add(time.Millisecond)); err != "" || touch {
			t.Fatalf("second use: touch %v, %q; want accepted, not touched", touch, err)
		}
		if _, err := auth(key[:len(key)-1]+"x", t0); err != "invalid_api_key" {
			t.Errorf("cached key with a wrong secret: %q", err)
		}

		// Revoked behind the cache's back: still trusted for KeyCacheTTL.
		if _, err := db.Write().ExecContext(ctx, `UPDATE app_keys SET revoked_at = $1 WHERE key_id = $2`, t0, keyID); err != nil {
			t.Fatal(err)
		}
		if _, err := auth(key, t0.Add(org.KeyCacheTTL/2)); err != "" {
			t.Errorf("within the TTL: %q, want the cached key", err)
		}
		if _, err := auth(key, t0.Add(org.KeyCacheTTL)); err != "invalid_api_key" {
			t.Errorf("after the TTL: %q, want the revocation seen", err)
		}

		// Revoked by this process: refused at once, at the same instant.
		_, key2 := newKey()
		if _, err := auth(key2, t0); err != "" {
			t.Fatal(err)
		}
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			if err := org.RevokeKey(ctx, tx, admin, strings.Split(key2, "_")[1], t0); err != nil {
				return err
			}
			if _, err := auth(key2, t0); err != "" {
				t.Errorf("before the revocation commits: %q", err)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := auth(key2, t0); err != "invalid_api_key" {
			t.Errorf("after RevokeKey committed: %q, want refused", err)
		}

		// Rotation with a grace period: the old key expires on time, and
		// of the requests after KeyTouchInterval one is told to touch.
		app3, key3 := newKey()
		if _, err := auth(key3, t0); err != "" {
			t.Fatal(err)
		}
		var key4 string
		err = db.Tx(ctx, func(tx *sqldb.Tx) (err error) {
			_, key4, err = org.RotateKey(ctx, tx, admin, app3.ID, time.Hour, t0)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		later := t0.Add(org.KeyTouchInterval)
		var touched int
		for range 5 {
			touch, err := auth(key3, later)
			if err != "" {
				t.Fatalf("old key within grace: %q", err)
			}
			if touch {
				touched++
			}
		}
		if touched != 1 {
			t.Errorf("%d of 5 uses after KeyTouchInterval told to touch, want 1", touched)
		}
		if _, err := auth(key3, t0.Add(time.Hour)); err != "invalid_api_key" {
			t.Errorf("old key after grace: %q", err)
		}
		if _, err := auth(key4, t0.Add(time.Hour)); err != "" {
			t.Errorf("new key: %q", err)
		}
	})
}

// TestKeyCacheConcurrentRevoke authenticates one key from many goroutines
// while it is revoked: no request that starts after RevokeKey's
// transaction committed is accepted.
func TestKeyCacheConcurrentRevoke(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		d, _ := seed(t, db)
		var key string
		err := db.Tx(ctx, func(tx *sqldb.Tx) (err error) {
			_, key, err = org.CreateApp(ctx, tx, admin, org.NewApp{Name: "并发", DepartmentID: d.ID, Scopes: []string{"data.read"}}, t0)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		var c org.KeyCache
		var revoked atomic.Bool
		var wg, ready sync.WaitGroup // ready: each goroutine has been accepted once
		for range 8 {
			ready.Add(1)
			wg.Go(func() {
				_, _, _, err := c.Authenticate(ctx, db.Read(), key, t0)
				ready.Done()
				if err != nil {
					t.Error(err)
					return
				}
				for refused := 0; refused < 50; {
					after := revoked.Load()
					_, _, _, err := c.Authenticate(ctx, db.Read(), key, t0)
					switch {
					case after && err == nil:
						t.Error("accepted after the revocation committed")
						return
					case after:
						refused++
					case err != nil && code(err) != "invalid_api_key":
						t.Error(err)
						return
					}
				}
			})
		}
		ready.Wait()
		err = db.Tx(ctx, func(tx *sqldb.Tx) error { return org.RevokeKey(ctx, tx, admin, strings.Split(key, "_")[1], t0) })
		if err != nil {
			t.Fatal(err)
		}
		revoked.Store(true)
		wg.Wait()
	})
}

// TestRevokeKeyByWholeKey: an operator who holds a leaked key revokes it
// with the whole key as well as with its id; the refusal of a key already
// revoked names the id, never the secret.
func TestRevokeKeyByWholeKey(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		d, _ := seed(t, db)
		var app org.App
		var key string
		err := db.Tx(ctx, func(tx *sqldb.Tx) (err error) {
			app, key, err = org.CreateApp(ctx, tx, admin, org.NewApp{Name: "一窗受理审批系统", DepartmentID: d.ID,
				Scopes: []string{"data.read"}}, t0)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		revoke := func(ref string) error {
			return db.Tx(ctx, func(tx *sqldb.Tx) error { return org.RevokeKey(ctx, tx, admin, ref, t0) })
		}
		if err := revoke(" " + key + "\n"); err != nil {
			t.Fatalf("revoke by the whole key: %v", err)
		}
		got, err := org.AppByID(ctx, db.Read(), app.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Keys) != 1 || got.Keys[0].RevokedAt == nil {
			t.Errorf("after revoking by the whole key: %+v, want the key revoked", got.Keys)
		}
		var c org.KeyCache
		if _, _, _, err := c.Authenticate(ctx, db.Read(), key, t0); code(err) != "invalid_api_key" {
			t.Errorf("revoked key: %q, want invalid_api_key", code(err))
		}
		secret := strings.SplitN(key, "_", 3)[2]
		err = revoke(key)
		if code(err) != "key_not_found" || strings.Contains(err.Error(), secret) {
			t.Errorf("revoke again: %v, want key_not_found naming the id only", err)
		}
	})
}

// TestRotationKeepsEarlierGrace: a rotation gives the key it replaces its
// grace and leaves the grace an earlier rotation gave an older key alone,
// shorter or longer; a rotation with no grace revokes every older key at
// once (a leak), and revoke-key ends one key's grace. On both engines.
func TestRotationKeepsEarlierGrace(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		d, _ := seed(t, db)
		app, key1 := createApp(t, db, d, "data.read")
		rotate := func(grace time.Duration, at time.Time) string {
			t.Helper()
			var key string
			err := db.Tx(ctx, func(tx *sqldb.Tx) (err error) {
				_, key, err = org.RotateKey(ctx, tx, admin, app.ID, grace, at)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			return key
		}
		check := func(step, key string, at time.Time, want string) {
			t.Helper()
			if _, _, _, err := new(org.KeyCache).Authenticate(ctx, db.Read(), key, at); code(err) != want {
				t.Errorf("%s: key %s at %s: got %q, want %q", step, key[:16], at.Format(time.TimeOnly), code(err), want)
			}
		}
		key2 := rotate(time.Hour, t0)                      // key1 until t0+1h
		key3 := rotate(3*time.Second, t0.Add(time.Minute)) // key2 until t0+1m3s; key1 still until t0+1h
		check("second rotation", key1, t0.Add(30*time.Minute), "")
		check("second rotation", key1, t0.Add(61*time.Minute), "invalid_api_key")
		check("second rotation", key2, t0.Add(time.Minute+2*time.Second), "")
		check("second rotation", key2, t0.Add(time.Minute+5*time.Second), "invalid_api_key")
		key4 := rotate(2*time.Hour, t0.Add(2*time.Minute)) // key3 until t0+2h2m: longer than key1's, which stays
		check("longer grace", key1, t0.Add(61*time.Minute), "invalid_api_key")
		check("longer grace", key3, t0.Add(2*time.Hour), "")
		got, err := org.AppByID(ctx, db.Read(), app.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := []time.Time{t0.Add(time.Hour), t0.Add(time.Minute + 3*time.Second), t0.Add(2*time.Hour + 2*time.Minute)}
		for i, k := range got.Keys[:3] {
			if k.ExpiresAt == nil || !k.ExpiresAt.Equal(want[i]) {
				t.Errorf("key %d expires %v, want %s", i+1, k.ExpiresAt, want[i])
			}
		}
		if got.Keys[3].ExpiresAt != nil {
			t.Errorf("the new key expires %v", got.Keys[3].ExpiresAt)
		}

		// revoke-key ends a grace at once; a rotation without grace
		// revokes every older key.
		if err := db.Tx(ctx, func(tx *sqldb.Tx) error { return org.RevokeKey(ctx, tx, admin, got.Keys[2].ID, t0.Add(3*time.Minute)) }); err != nil {
			t.Fatal(err)
		}
		check("revoke-key", key3, t0.Add(4*time.Minute), "invalid_api_key")
		key5 := rotate(time.Hour, t0.Add(5*time.Minute)) // key4 until t0+1h5m
		rotate(0, t0.Add(6*time.Minute))
		check("rotation without grace", key4, t0.Add(7*time.Minute), "invalid_api_key")
		check("rotation without grace", key5, t0.Add(7*time.Minute), "invalid_api_key")
	})
}

// createApp creates the app 一窗受理 of d with scopes at t0 and returns it
// and its key.
func createApp(t *testing.T, db *sqldb.DB, d org.Department, scopes string) (org.App, string) {
	t.Helper()
	var app org.App
	var key string
	err := db.Tx(context.Background(), func(tx *sqldb.Tx) (err error) {
		app, key, err = org.CreateApp(context.Background(), tx, admin, org.NewApp{Name: "一窗受理", DepartmentID: d.ID, Scopes: []string{scopes}}, t0)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return app, key
}

// TestRegionHierarchy: a region sits under the level above it, or where
// GB/T 2260 skips one under the level above that (a municipality's
// district under its province, a town of a city without districts under
// the city), never under its own level or below; its code has its level's
// form and begins with its parent's. Refusals name the field, with a
// stable code and a Chinese message. On both engines.
func TestRegionHierarchy(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		create := func(r org.Region) error {
			return db.Tx(ctx, func(tx *sqldb.Tx) error { return org.CreateRegion(ctx, tx, admin, &r, t0) })
		}
		for _, r := range []org.Region{
			{Code: "440000", Name: "广东省", Level: org.Province},
			{Code: "440600", Name: "佛山市", Level: org.City, ParentCode: "440000"},
			{Code: "440605", Name: "南海区", Level: org.District, ParentCode: "440600"},
			{Code: "440605011", Name: "桂城街道", Level: org.Town, ParentCode: "440605"},
			{Code: "441900", Name: "东莞市", Level: org.City, ParentCode: "440000"},
			{Code: "441900003", Name: "东城街道", Level: org.Town, ParentCode: "441900"},
			{Code: "110000", Name: "北京市", Level: org.Province},
			{Code: "110101", Name: "东城区", Level: org.District, ParentCode: "110000"},
		} {
			if err := create(r); err != nil {
				t.Errorf("%s %s: %v", r.Code, r.Name, err)
			}
		}
		for _, c := range []struct {
			r           org.Region
			field, code string
		}{
			{org.Region{Code: "450000", Name: "广西", Level: org.Province, ParentCode: "440605"}, "parent_code", "invalid_parent_level"},
			{org.Region{Code: "440605012", Name: "某镇", Level: org.Town, ParentCode: "440000"}, "parent_code", "invalid_parent_level"},
			{org.Region{Code: "440700", Name: "江门市", Level: org.City, ParentCode: "440600"}, "parent_code", "invalid_parent_level"},
			{org.Region{Code: "440606", Name: "顺德区", Level: org.District, ParentCode: "440605"}, "parent_code", "invalid_parent_level"},
			{org.Region{Code: "450105", Name: "江南区", Level: org.District, ParentCode: "440600"}, "code", "region_code_parent"},
			{org.Region{Code: "450100", Name: "南宁市", Level: org.City, ParentCode: "440000"}, "code", "region_code_parent"},
			{org.Region{Code: "440604011", Name: "某街道", Level: org.Town, ParentCode: "440605"}, "code", "region_code_parent"},
			{org.Region{Code: "440606", Name: "顺德区", Level: org.Province}, "code", "region_code_level"},
			{org.Region{Code: "440000", Name: "某市", Level: org.City, ParentCode: "440000"}, "code", "region_code_level"},
			{org.Region{Code: "440606", Name: "顺德区", Level: org.City, ParentCode: "440000"}, "code", "region_code_level"},
			{org.Region{Code: "440700", Name: "江门市", Level: org.District, ParentCode: "440000"}, "code", "region_code_level"},
			{org.Region{Code: "440606", Name: "某镇", Level: org.Town, ParentCode: "440605"}, "code", "region_code_level"},
			{org.Region{Code: "440605000", Name: "某镇", Level: org.Town, ParentCode: "440605"}, "code", "region_code_level"},
			{org.Region{Code: "440607", Name: "三水区", Level: org.District, ParentCode: "440699"}, "parent_code", "unknown_region"},
		} {
			err := create(c.r)
			e := errs.As(err)
			if e == nil || e.Code != c.code || e.Field != c.field || !strings.ContainsFunc(e.Message, func(r rune) bool { return r >= 0x4e00 && r <= 0x9fff }) {
				t.Errorf("%s %s (%s under %q): got %v, want %s of %s", c.r.Code, c.r.Name, c.r.Level, c.r.ParentCode, err, c.code, c.field)
			}
		}
		if rs, err := org.Regions(ctx, db.Read()); err != nil || len(rs) != 8 {
			t.Errorf("regions: %d, %v; want the 8 accepted", len(rs), err)
		}
	})
}

// TestStoredCodeInvalid: a department stored before eighteen digits with
// a wrong check character were refused (9f197a0) keeps its code, and
// every read of it says that the code fails the check a new department's
// passes (USCCInvalid), so that the operator sees it and corrects it; a
// valid code, and an early code with letters whose check fails (taken
// with a warning), are not marked.
func TestStoredCodeInvalid(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		good, _ := seed(t, db)
		stored := map[string]string{"114406051154099990": "旧数字代码单位", "91350100M000100Y44": "某早期登记单位",
			good.USCC: good.Name}
		for code, name := range stored {
			if code == good.USCC {
				continue // seed stored it
			}
			if _, err := db.Write().ExecContext(ctx, `INSERT INTO departments (name, short_name, uscc, region_code, is_operator, created_at)
				VALUES ($1, '', $2, '440605', false, $3)`, name, code, t0); err != nil {
				t.Fatal(err)
			}
		}
		want := func(code string) bool { return code == "114406051154099990" }
		ls, _, err := org.FindDepartmentListings(ctx, db.Read(), org.DepartmentFilter{})
		if err != nil {
			t.Fatal(err)
		}
		ds, err := org.Departments(ctx, db.Read())
		if err != nil {
			t.Fatal(err)
		}
		seen := 0
		for i, d := range ds {
			if _, ok := stored[d.USCC]; !ok {
				continue
			}
			seen++
			if d.USCCInvalid != want(d.USCC) || ls[i].USCCInvalid != want(d.USCC) {
				t.Errorf("%s: listed USCCInvalid %v, in the listing %v, want %v", d.USCC, d.USCCInvalid, ls[i].USCCInvalid, want(d.USCC))
			}
			byID, err := org.DepartmentByID(ctx, db.Read(), d.ID)
			if err != nil || byID.USCCInvalid != want(d.USCC) {
				t.Errorf("%s by id: USCCInvalid %v (%v), want %v", d.USCC, byID.USCCInvalid, err, want(d.USCC))
			}
			byRef, err := org.DepartmentByRef(ctx, db.Read(), d.USCC)
			if err != nil || byRef.ID != d.ID || byRef.USCCInvalid != want(d.USCC) {
				t.Errorf("%s by its code: %+v %v, want the department, USCCInvalid %v", d.USCC, byRef, err, want(d.USCC))
			}
		}
		if seen != len(stored) {
			t.Errorf("listed %d of the %d departments stored", seen, len(stored))
		}
	})
}
