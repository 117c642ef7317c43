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
	_, err := seen(ctx, q, by, action, id, now)
	return err
}

// seen is discrepancy id once by is found to see it (CheckSees).
func seen(ctx context.Context, q sqldb.Querier, by Reviewer, action string, id int64, now time.Time) (Discrepancy, error) {
	d, err := getDiscrepancy(ctx, q, id, now)
	if err != nil {
		return d, err
	}
	if !by.sees(d) {
		return d, hidden(by, action, d)
	}
	return d, nil
}

// CheckFeedback refuses by a feedback on discrepancy id as FeedbackIf
// refuses its caller, whatever the discrepancy's state and the
// feedback: as CheckSees does, and a caller that sees it but is neither
// of its sides (the operator: not_party, Reviewer.party). The API checks
// it before it replays a feedback's stored answer under its
// Idempotency-Key, so that a caller who may no longer give it is refused
// as a fresh feedback is.
func CheckFeedback(ctx context.Context, q sqldb.Querier, by Reviewer, id int64, now time.Time) error {
	d, err := seen(ctx, q, by, "records.discrepancy.feedback", id, now)
	if err != nil {
		return err
	}
	return by.party(d)
}

// CheckResolve refuses by the resolution of discrepancy id in favour of
// authority (0: the catalog's source) as Resolve refuses its caller: as
// CheckSees does, and, while the discrepancy is open, by Resolve's rules
// of who decides (Reviewer.decides: not_authoritative, and
// discrepancy_disputed while the other side contests it). Once it is no
// longer open, as a resolution's retry always finds it, by is judged
// against the decision recorded, not the catalog as it is now: the
// operator may, and anyone else only from the department of the entry
// decided right (Reviewer.decidesFor), so that a catalog that names the item's source
// no more, or names another, neither refuses a caller whose rights did
// not change nor asks the operator for the entry its body left to the
// catalog. The API checks it before it replays a resolution's stored
// answer under its Idempotency-Key, so that a caller who may no longer
// decide it is refused as a fresh resolution is.
func CheckResolve(ctx context.Context, q sqldb.Querier, by Reviewer, id, authority int64, now time.Time) error {
	d, err := seen(ctx, q, by, "records.discrepancy.resolve", id, now)
	if err != nil {
		return err
	}
	if d.Status != "open" {
		return by.decidesFor(d, d.Authority)
	}
	source, err := namedSourceOf(ctx, q, id)
	if err != nil {
		return err
	}
	_, err = by.decides(d, source, authority)
	return err
}
