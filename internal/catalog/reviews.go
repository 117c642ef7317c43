package catalog

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
)

// Review is one step of the review of an entry's version: its submission,
// its rejection (with the reason) or its approval; the entry's transfer to
// another department (transfer, Reason naming both); or a step of a
// request to retire it: the request (retire_request, with its reason), its
// rejection (retire_reject, with the reviewer's reason), its approval
// (retire_approve) or its withdrawal (retire_withdraw); or the operator's
// retirement of it without a request (retire, with the reason).
type Review struct {
	Version int       `json:"version"` // 0 when the audit row names none, and for a transfer or a retirement request
	Action  string    `json:"action"`  // submit, reject, approve, transfer, retire, retire_request, retire_reject, retire_approve or retire_withdraw
	At      time.Time `json:"at"`
	By      string    `json:"by"` // the actor's name
	Reason  string    `json:"reason,omitempty"`
}

// Reviews lists the reviews of an entry's versions, oldest first, for its
// department and the reviewers. A version's row keeps only its last
// rejection's reason, cleared when it is approved; the audit rows of
// catalog.submit, catalog.reject and catalog.approve (Submit, Reject,
// Approve) keep every step, and those of catalog.retire the operator's
// retirement (Retire) but where it closed a request under review, which
// is that request's retire_approve. The entry's transfers (TransferEntries) and
// the steps of its retirement requests (catalog_retire_requests, every
// request kept with its outcome) are among them: the audit rows in their
// sequence, the requests' steps in their order (mergeSteps).
func Reviews(ctx context.Context, q sqldb.Querier, by Actor, id int64) ([]Review, error) {
	e, err := Get(ctx, q, by, id)
	if err != nil {
		return nil, err
	}
	if !by.mayRead(e.DepartmentID) {
		return nil, errs.E(errs.Forbidden, "forbidden", "只能查看本部门数据资源的审核记录")
	}
	rows, err := q.QueryContext(ctx, `SELECT seq, at, action, actor_name, detail FROM audit_log
		WHERE action IN ('catalog.submit', 'catalog.reject', 'catalog.approve', 'catalog.retire') AND object_type = 'catalog_entry'
		AND object_id = $1 AND outcome = $2 ORDER BY seq`, strconv.FormatInt(id, 10), audit.OK)
	if err != nil {
		return nil, fmt.Errorf("reviews of catalog entry %d: %w", id, err)
	}
	defer rows.Close()
	out := []Review{}
	var seqs []int64 // of out's steps
	for rows.Next() {
		var r Review
		var seq int64
		var action, detail string
		if err := rows.Scan(&seq, &r.At, &action, &r.By, &detail); err != nil {
			return nil, fmt.Errorf("reviews of catalog entry %d: %w", id, err)
		}
		var kv map[string]string
		if err := json.Unmarshal([]byte(detail), &kv); err != nil {
			return nil, fmt.Errorf("reviews of catalog entry %d: %w", id, err)
		}
		if action == "catalog.retire" && kv["requested_by"] != "" {
			continue // a request it closed: the request's retire_approve is the step
		}
		r.Action = action[len("catalog."):]
		if v, err := strconv.Atoi(kv["version"]); err == nil {
			r.Version = v
		}
		r.Reason = kv["reason"]
		r.At = r.At.UTC()
		out, seqs = append(out, r), append(seqs, seq)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reviews of catalog entry %d: %w", id, err)
	}
	if out, err = withTransfers(ctx, q, id, out, seqs); err != nil {
		return nil, err
	}
	return withRetireRequests(ctx, q, id, out)
}

// mergeSteps merges the steps more into rs, each in the order its steps
// happened (the audit log's sequence, the order of the requests), and
// keeps both orders: a step of more goes before the first of rs stamped
// later. The times order only steps of different lists, not those of one:
// a server clock that was stepped back (or one of several servers over
// one database behind another) stamps a later step earlier.
func mergeSteps(rs, more []Review) []Review {
	out := make([]Review, 0, len(rs)+len(more))
	for len(rs) > 0 && len(more) > 0 {
		if more[0].At.Before(rs[0].At) {
			out, more = append(out, more[0]), more[1:]
		} else {
			out, rs = append(out, rs[0]), rs[1:]
		}
	}
	return append(append(out, rs...), more...)
}
