// Package orgtest helps tests of other packages set up accounts.
package orgtest

import (
	"context"
	"encoding/base64"
	"fmt"
	"reflect"
	"sync"
	"time"

	"golang.org/x/crypto/argon2"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
)

// CreateUser is org.CreateUser of nu hashed by NewUser.Hash, whose
// refusal it returns first: test setup, which hashes in the transaction
// where the console and the API hash before it. The account is ready to
// use (NewUser.Permanent): a test of the change forced at the first
// login creates its account as the console or the API does.
//
// The accounts a test binary creates with one password share its hash
// (hashOnce): each password is hashed once. The hash stored is then one
// of the lowest argon2id cost (lightHash), which a login checks as it
// checks any (the PHC string carries its parameters): a login's check of
// a hash at the server's cost took about 30 ms of CPU, and tests log in
// thousands of times. A password set through the console, the API or the
// command line is hashed at the server's cost.
func CreateUser(ctx context.Context, tx *sqldb.Tx, by audit.Actor, nu org.NewUser, now time.Time) (org.User, error) {
	nu.Permanent = true
	pw := nu.Password
	nu, err := hashOnce(ctx, nu)
	if err != nil {
		return org.User{}, err
	}
	u, err := org.CreateUser(ctx, tx, by, nu, now)
	if err != nil {
		return org.User{}, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = $1 WHERE id = $2`, lightHash(pw), u.ID); err != nil {
		return org.User{}, err
	}
	return u, nil
}

// lightHash returns an argon2id hash of pw in the PHC string format of
// org.HashPassword, at the lowest cost argon2id allows (8 KiB, one pass):
// microseconds where the server's takes tens of milliseconds.
func lightHash(pw string) string {
	const m, t, p = 8, 1, 1
	salt := []byte("hutong-test-salt")
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, m, t, p,
		b64.EncodeToString(salt), b64.EncodeToString(argon2.IDKey([]byte(pw), salt, t, m, p, 32)))
}

// hashed holds, by password, the first account NewUser.Hash made with it.
var hashed struct {
	sync.Mutex
	by map[string]org.NewUser
}

// hashOnce is nu.Hash(ctx), but for the hash itself: nu takes the one
// made for the first account with its password, salt and all. An
// argon2id hash takes tens of milliseconds of CPU (19 MiB, two passes)
// and tests create thousands of accounts, most with one password; a
// login checks a shared hash as it checks any, and a password set
// through the console, the API or the command line is hashed afresh.
// nu is checked (NewUser.Check, the password beside its own username)
// before its hash is looked up, as Hash checks it.
func hashOnce(ctx context.Context, nu org.NewUser) (org.NewUser, error) {
	if problems := nu.Check(); len(problems) > 0 {
		return org.NewUser{}, problems[0]
	}
	hashed.Lock()
	defer hashed.Unlock()
	first, ok := hashed.by[nu.Password]
	if !ok {
		h, err := nu.Hash(ctx)
		if err != nil {
			return org.NewUser{}, err
		}
		if hashed.by == nil {
			hashed.by = map[string]org.NewUser{}
		}
		hashed.by[nu.Password], first = h, h
	}
	// first with nu's fields: every exported one but the password, which
	// Hash cleared, the unexported hash staying first's.
	out, in := reflect.ValueOf(&first).Elem(), reflect.ValueOf(nu)
	for i := range in.NumField() {
		if f := in.Type().Field(i); f.IsExported() && f.Name != "Password" {
			out.Field(i).Set(in.Field(i))
		}
	}
	return first, nil
}
