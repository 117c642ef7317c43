package catalog_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// named is household under another name, relating to codes.
func named(name string, codes ...string) catalog.Resource {
	r := household()
	r.Name, r.RelatedCodes = name, codes
	return r
}

// statusOf reads an entry's status and how many audit rows name action for it.
func statusOf(t *testing.T, w *world, id int64, action string) (catalog.Status, int) {
	t.Helper()
	var st catalog.Status
	var n int
	ctx := context.Background()
	if err := w.db.Read().QueryRowContext(ctx, `SELECT status FROM catalog_entries WHERE id = $1`, id).Scan(&st); err != nil {
		t.Fatal(err)
	}
	if err := w.db.Read().QueryRowContext(ctx, `SELECT count(*) FROM audit_log WHERE action = $1 AND object_id = $2`,
		action, strconv.FormatInt(id, 10)).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return st, n
}

// relatedRefusal checks err is the refusal code of related_codes[i] naming
// related, of kind.
func relatedRefusal(t *testing.T, err error, kind errs.Kind, code string, i int, related string) {
	t.Helper()
	e := errs.As(err)
	if e == nil || e.Kind != kind || e.Code != code || e.Field != "related_codes["+strconv.Itoa(i)+"]" ||
		!strings.Contains(e.Message, related) {
		t.Fatalf("got %v; want %s %s on related_codes[%d] naming %s", err, kind, code, i, related)
	}
}

// Submit refuses a related code that is the entry's own, that no entry has
// or that a retired entry has, on the field of the code, with nothing
// written; a published entry and a draft may be named.
func TestSubmitRelatedCodes(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		pub := publish(t, w, w.gaj, named("户籍迁移信息"))
		old := publish(t, w, w.gaj, named("暂住登记信息"))
		if _, err := step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return retireApproved(ctx, tx, w, w.gaj, old.ID, "业务调整")
		}); err != nil {
			t.Fatal(err)
		}
		draft := create(t, w, w.gaj, named("户籍变动草稿信息"))
		x := create(t, w, w.gaj, named("户籍人口基本信息"))
		unknown := x.Classification.Code() + "/999999"
		for _, tt := range []struct {
			codes []string
			code  string
			i     int
			named string
		}{
			{[]string{pub.Code, x.Code}, "related_code_self", 1, x.Code},
			{[]string{unknown}, "related_code_unknown", 0, unknown},
			{[]string{pub.Code, draft.Code, old.Code}, "related_code_retired", 2, old.Code},
		} {
			if _, err := step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
				return catalog.Update(ctx, tx, w.gaj, x.ID, named(x.Name, tt.codes...), t0)
			}); err != nil {
				t.Fatal(err)
			}
			_, err := step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
				return catalog.Submit(ctx, tx, w.gaj, x.ID, t0)
			})
			relatedRefusal(t, err, errs.Invalid, tt.code, tt.i, tt.named)
			if st, n := statusOf(t, w, x.ID, "catalog.submit"); st != catalog.Draft || n != 0 {
				t.Fatalf("after the refusal: %s, %d submit audit rows; want draft and none", st, n)
			}
		}
		if _, err := step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Update(ctx, tx, w.gaj, x.ID, named(x.Name, pub.Code, draft.Code), t0)
		}); err != nil {
			t.Fatal(err)
		}
		if _, err := step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Submit(ctx, tx, w.gaj, x.ID, t0)
		}); err != nil {
			t.Fatalf("submit relating to a published entry and a draft: %v", err)
		}
	})
}

// Approve requires every related entry to be published or under review
// when it approves, and refuses one retired since the submission, with
// nothing written.
func TestApproveRelatedCodes(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		pub := publish(t, w, w.gaj, named("户籍迁移信息"))
		draft := create(t, w, w.gaj, named("户籍变动草稿信息"))
		x := create(t, w, w.gaj, named("户籍人口基本信息", pub.Code, draft.Code))
		submit := func(id int64) {
			t.Helper()
			if _, err := step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
				return catalog.Submit(ctx, tx, w.gaj, id, t0)
			}); err != nil {
				t.Fatal(err)
			}
		}
		approve := func(id int64) error {
			_, err := step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
				return catalog.Approve(ctx, tx, w.operator, id, t0)
			})
			return err
		}
		submit(x.ID)
		relatedRefusal(t, approve(x.ID), errs.Conflict, "related_code_unpublished", 1, draft.Code)
		if st, n := statusOf(t, w, x.ID, "catalog.approve"); st != catalog.Submitted || n != 0 {
			t.Fatalf("after the refusal: %s, %d approve audit rows; want submitted and none", st, n)
		}
		submit(draft.ID) // under review now
		if _, err := step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return retireApproved(ctx, tx, w, w.gaj, pub.ID, "业务调整")
		}); err != nil {
			t.Fatal(err)
		}
		relatedRefusal(t, approve(x.ID), errs.Conflict, "related_code_retired", 0, pub.Code)
		if st, n := statusOf(t, w, x.ID, "catalog.approve"); st != catalog.Submitted || n != 0 {
			t.Fatalf("after the refusal: %s, %d approve audit rows; want submitted and none", st, n)
		}

		y := create(t, w, w.gaj, named("户籍人口补充信息", draft.Code))
		submit(y.ID)
		if err := approve(y.ID); err != nil {
			t.Fatalf("approve relating to an entry under review: %v", err)
		}
	})
}

// An approval that waits for the retirement of the entry it relates to
// reads that entry again once the retirement commits, and is refused
// (PostgreSQL only: on SQLite the approval waits for the one writer before
// it reads anything).
func TestApproveWhileRelatedRetires(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		if db.Dialect != sqldb.Postgres {
			t.Skip("PostgreSQL only: see the comment")
		}
		w := newWorld(t, db)
		ctx := context.Background()
		pub := publish(t, w, w.gaj, named("户籍迁移信息"))
		x := create(t, w, w.gaj, named("户籍人口基本信息", pub.Code))
		if _, err := step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Submit(ctx, tx, w.gaj, x.ID, t0)
		}); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			if _, err := retireApproved(ctx, tx, w, w.gaj, pub.ID, "业务调整"); err != nil {
				return err
			}
			go func() {
				_, err := step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
					return catalog.Approve(ctx, tx, w.operator, x.ID, t0)
				})
				done <- err
			}()
			sqldbtest.AwaitLockWait(t, db, "the approval never waited for the retirement")
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		relatedRefusal(t, <-done, errs.Conflict, "related_code_retired", 0, pub.Code)
		if st, n := statusOf(t, w, x.ID, "catalog.approve"); st != catalog.Submitted || n != 0 {
			t.Fatalf("after the refusal: %s, %d approve audit rows; want submitted and none", st, n)
		}
	})
}

// Another department's entry never published is not visible to a
// department (catalog.Get answers entry_not_found): naming it as a related
// code is refused exactly as naming a code no entry has, at submission and
// at approval, whatever its status; its own department may name it, and
// anyone a published entry.
func TestRelatedCodesOtherDepartmentsDraft(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		ctx := context.Background()
		pub := publish(t, w, w.gaj, named("户籍迁移信息"))
		draft := create(t, w, w.gaj, named("户籍变动草稿信息"))
		if _, err := catalog.Get(ctx, w.db.Read(), w.rsj, draft.ID); !errs.Is(err, errs.NotFound) {
			t.Fatalf("人社局 reading 公安局's draft: %v; want not found", err)
		}
		unknown := draft.Classification.Code() + "/999999"
		x := create(t, w, w.rsj, named("社保参保登记信息"))
		submit := func(by catalog.Actor, id int64) error {
			_, err := step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
				return catalog.Submit(ctx, tx, by, id, t0)
			})
			return err
		}
		update := func(codes ...string) {
			t.Helper()
			if _, err := step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
				return catalog.Update(ctx, tx, w.rsj, x.ID, named(x.Name, codes...), t0)
			}); err != nil {
				t.Fatal(err)
			}
		}
		same := func(got, want error) {
			t.Helper()
			g, u := errs.As(got), errs.As(want)
			if g == nil || u == nil || g.Kind != u.Kind || g.Code != u.Code || g.Field != u.Field ||
				g.Message != strings.ReplaceAll(u.Message, unknown, draft.Code) {
				t.Fatalf("naming another department's draft: %v; want as an unknown code: %v", got, want)
			}
		}
		update(pub.Code, unknown)
		unknownErr := submit(w.rsj, x.ID)
		relatedRefusal(t, unknownErr, errs.Invalid, "related_code_unknown", 1, unknown)
		update(pub.Code, draft.Code)
		same(submit(w.rsj, x.ID), unknownErr)
		if st, n := statusOf(t, w, x.ID, "catalog.submit"); st != catalog.Draft || n != 0 {
			t.Fatalf("after the refusal: %s, %d submit audit rows; want draft and none", st, n)
		}

		// Under review, then at approval: still not visible.
		if err := submit(w.gaj, draft.ID); err != nil {
			t.Fatal(err)
		}
		same(submit(w.rsj, x.ID), unknownErr)
		// At approval: an entry named when it was published, found never
		// published (as data from before the submission's check may be),
		// is refused as the code of no entry is.
		other := publish(t, w, w.gaj, named("户籍注销信息"))
		update(pub.Code, other.Code)
		if err := submit(w.rsj, x.ID); err != nil {
			t.Fatal(err)
		}
		approve := func() error {
			_, err := step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
				return catalog.Approve(ctx, tx, w.operator, x.ID, t0)
			})
			return err
		}
		if _, err := w.db.Write().ExecContext(ctx, `UPDATE catalog_entries SET status = 'submitted', published_version = 0 WHERE id = $1`,
			other.ID); err != nil {
			t.Fatal(err)
		}
		hidden := approve()
		if _, err := w.db.Write().ExecContext(ctx, `UPDATE catalog_entries SET code = $1 WHERE id = $2`, unknown, other.ID); err != nil {
			t.Fatal(err)
		}
		gone := approve()
		relatedRefusal(t, gone, errs.Conflict, "related_code_unknown", 1, other.Code)
		if g, u := errs.As(hidden), errs.As(gone); g == nil || *g != *u {
			t.Fatalf("approval naming another department's entry never published: %v; want as an unknown code: %v", hidden, gone)
		}
	})
}
