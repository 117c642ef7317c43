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
// against the decision recorded, not the body. A decision for the entry
// the catalog named as the item's source when it was made (not
// Override), and one made before migration 0054 recorded that (Override
// not Valid), are judged as the department of the entry decided right
// or the operator (Reviewer.decidesFor), whatever the catalog names
// since, so that a catalog that names the item's source no more, or
// names another, neither refuses a caller whose rights did not change
// nor asks the operator for the entry its body left to the catalog. A
// decision that overrode the catalog (Override), the operator's alone
// when it was made, is judged as that decision asked for afresh
// (Reviewer.decides with the entry it recorded and the catalog's source
// now): the operator may, and an account no longer the operator only
// where the catalog now names that entry and it is of its department, so
// that an operator demoted since to the department of the entry decided
// right is refused as a fresh request is. The API checks it before it
// replays a resolution's stored answer under its Idempotency-Key, so that
// a caller who may no longer decide it is refused as a fresh resolution
// is.
func CheckResolve(ctx context.Context, q sqldb.Querier, by Reviewer, id, authority int64, now time.Time) error {
	d, err := seen(ctx, q, by, "records.discrepancy.resolve", id, now)
	if err != nil {
		return err
	}
	open := d.Status == "open"
	if !open && !d.Override.Bool {
		return by.decidesFor(d, d.Authority)
	}
	source, err := namedSourceOf(ctx, q, id)
	if err != nil {
		return err
	}
	if !open {
		authority = d.Authority
	}
	_, err = by.decides(d, source, authority)
	return err
}
