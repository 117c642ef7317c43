package catalog_test

import (
	"context"
	"encoding/json"
	"strconv"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestReviewBoundToTag: version 1 (有条件共享, level 2) is submitted, read
// by the reviewer, sent back, changed (无条件共享, level 1, open) and
// submitted again, still version 1. ApproveIf and RejectIf with the tag the
// reviewer read are refused with concurrent_update and the entry stays
// submitted; ApproveIf with the tag of what is submitted publishes it.
// SubmitIf with a tag read before an edit is refused. The audit rows of
// the two submissions of version 1 tell the contents apart
// (content_digest), and the approval names the second. Before, the review
// took no tag and approved whatever was submitted, and the rows of one
// version number could not be told apart.
func TestReviewBoundToTag(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		r := household()
		r.ShareType, r.ShareConditions, r.SecurityLevel = catalog.Conditional, "仅限户籍业务办理", 2
		e := create(t, w, w.gaj, r)
		tagOf := func(by catalog.Actor) string {
			t.Helper()
			got, err := catalog.Working(ctx, db.Read(), by, e.ID)
			if err != nil {
				t.Fatal(err)
			}
			tag, err := catalog.EditTag(ctx, db.Read(), got)
			if err != nil {
				t.Fatal(err)
			}
			return tag
		}
		must := func(what string, fn func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error)) {
			t.Helper()
			if _, err := step(w, fn); err != nil {
				t.Fatalf("%s: %v", what, err)
			}
		}
		refused := func(what string, fn func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error)) {
			t.Helper()
			_, err := step(w, fn)
			if ee := errs.As(err); ee == nil || ee.Code != "concurrent_update" {
				t.Errorf("%s: %v, want concurrent_update", what, err)
			}
		}
		must("submit", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.SubmitIf(ctx, tx, w.gaj, e.ID, []string{tagOf(w.gaj)}, t0)
		})
		seen := tagOf(w.operator)
		must("reject", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.RejectIf(ctx, tx, w.operator, e.ID, []string{seen}, "共享条件不明确", t0)
		})
		stale := tagOf(w.gaj)
		open := household()
		open.ShareType, open.SecurityLevel, open.OpenAttribute = catalog.Unconditional, 1, catalog.Open
		must("edit", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Update(ctx, tx, w.gaj, e.ID, open, t0)
		})
		refused("submit with a tag read before the edit", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.SubmitIf(ctx, tx, w.gaj, e.ID, []string{stale}, t0)
		})
		must("resubmit", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.SubmitIf(ctx, tx, w.gaj, e.ID, []string{tagOf(w.gaj)}, t0)
		})
		refused("approve what the reviewer read", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.ApproveIf(ctx, tx, w.operator, e.ID, []string{seen}, t0)
		})
		refused("reject what the reviewer read", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.RejectIf(ctx, tx, w.operator, e.ID, []string{seen}, "仍不明确", t0)
		})
		if got, err := catalog.Get(ctx, db.Read(), w.operator, e.ID); err != nil || got.Status != catalog.Submitted {
			t.Fatalf("after the refusals: %v %v, want submitted", got.Status, err)
		}
		must("approve what is submitted", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.ApproveIf(ctx, tx, w.operator, e.ID, []string{tagOf(w.operator)}, t0)
		})

		rows, err := db.Read().QueryContext(ctx, `SELECT action, detail FROM audit_log
			WHERE action IN ('catalog.submit', 'catalog.reject', 'catalog.approve') AND object_id = $1 ORDER BY seq`, strconv.FormatInt(e.ID, 10))
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var digests []string
		for rows.Next() {
			var action, detail string
			if err := rows.Scan(&action, &detail); err != nil {
				t.Fatal(err)
			}
			var d map[string]string
			if err := json.Unmarshal([]byte(detail), &d); err != nil {
				t.Fatal(err)
			}
			if d["version"] != "1" || d["content_digest"] == "" {
				t.Errorf("%s: detail %s, want version 1 and its content_digest", action, detail)
			}
			digests = append(digests, action+" "+d["content_digest"])
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		if len(digests) != 4 {
			t.Fatalf("audit rows %v, want submit, reject, submit, approve", digests)
		}
		first, second := digests[0][len("catalog.submit "):], digests[2][len("catalog.submit "):]
		if first == second || digests[1] != "catalog.reject "+first || digests[3] != "catalog.approve "+second {
			t.Errorf("audit rows %v: the submissions of version 1 not told apart, or the review naming the other", digests)
		}
	})
}
