package records

import (
	"context"
	"time"

	"github.com/hutong-gov/hutong/internal/sqldb"
)

// CheckSees refuses by the feedback or resolution (action,
// records.discrepancy.feedback or records.discrepancy.resolve) of
// discrepancy id as Feedback and Resolve do, without its body: 404
// discrepancy_not_found for one that does not exist, and for one by may
// not see (hiddenDiscrepancy, with the denied row of the attempt:
// RefusedEvent). The API checks it before it reads the body, so that a
// body it refuses (400) tells no caller that the discrepancy exists;
// Feedback and Resolve check again in their transaction.
func CheckSees(ctx context.Context, q sqldb.Querier, by Reviewer, action string, id int64, now time.Time) error {
	d, err := getDiscrepancy(ctx, q, id, now)
	if err != nil {
		return err
	}
	if !by.sees(d) {
		return hidden(by, action, d)
	}
	return nil
}
