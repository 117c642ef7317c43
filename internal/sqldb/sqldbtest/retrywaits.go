package sqldbtest

import (
	"time"

	"github.com/hutong-gov/hutong/internal/sqldb"
)

// RetryWaits runs fn until it returns anything but a wait that outlasted
// its bound (sqldb.IsWaitTimeout), for a step that must succeed on a
// database opened with a short wait bound (200 ms) once nothing holds
// what it waits for: on a loaded machine a BEGIN, or a bounded read
// (sqldb.DB.Bounded) or transaction (DB.BoundedTx), can outlast such a
// bound with nothing held. It gives up after a minute, returning fn's
// last error.
func RetryWaits(fn func() error) error {
	deadline := time.Now().Add(time.Minute)
	for {
		err := fn()
		if !sqldb.IsWaitTimeout(err) || time.Now().After(deadline) {
			return err
		}
		time.Sleep(10 * time.Millisecond)
	}
}
