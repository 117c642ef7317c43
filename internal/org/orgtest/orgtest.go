// Package orgtest helps tests of other packages set up accounts.
package orgtest

import (
	"context"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
)

// CreateUser is org.CreateUser of nu hashed by NewUser.Hash, whose
// refusal it returns first: test setup, which hashes in the transaction
// where the console and the API hash before it. The account is ready to
// use (NewUser.Permanent): a test of the change forced at the first
// login creates its account as the console or the API does.
func CreateUser(ctx context.Context, tx *sqldb.Tx, by audit.Actor, nu org.NewUser, now time.Time) (org.User, error) {
	nu.Permanent = true
	nu, err := nu.Hash(ctx)
	if err != nil {
		return org.User{}, err
	}
	return org.CreateUser(ctx, tx, by, nu, now)
}
