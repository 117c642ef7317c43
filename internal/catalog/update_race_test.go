package catalog_test

import (
	"context"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// edited is household renamed, with two items fewer.
func edited() catalog.Resource {
	r := household()
	r.Name, r.Items = "户籍人口信息（修改）", r.Items[:2]
	return r
}

// TestUpdateWhileSubmitted: an edit that read the draft before a submission
// committed, and writes after it, is refused as an edit of a submitted
// version is; the submitted version stays as submitted. On PostgreSQL the
// edit used to go on with what it had read and change the version under
// review.
func TestUpdateWhileSubmitted(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		e := create(t, w, w.gaj, household())
		submitErr, updateErr := sqldbtest.Race(t, db, func(ctx context.Context, tx *sqldb.Tx) error {
			_, err := catalog.Submit(ctx, tx, w.gaj, e.ID, t0)
			return err
		}, func(ctx context.Context, tx *sqldb.Tx) error {
			_, err := catalog.Update(ctx, tx, w.gaj, e.ID, edited(), t0)
			return err
		})
		if submitErr != nil {
			t.Fatalf("submit: %v", submitErr)
		}
		if e := errs.As(updateErr); e == nil || e.Code != "entry_submitted" {
			t.Errorf("update: %v, want entry_submitted", updateErr)
		}
		work, err := catalog.Working(context.Background(), db.Read(), w.gaj, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		if work.WorkingStatus != catalog.Submitted || work.Name != household().Name || len(work.Items) != 4 {
			t.Errorf("working version %s %q with %d items, want submitted %q with 4",
				work.WorkingStatus, work.Name, len(work.Items), household().Name)
		}
	})
}

// TestUpdateWhileRetired: an edit of a published entry that read it before
// its retirement committed is refused as an edit of a retired entry is, and
// opens no revision. On PostgreSQL it used to open a draft of the retired
// entry.
func TestUpdateWhileRetired(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		e := publish(t, w, w.gaj, household())
		retireErr, updateErr := sqldbtest.Race(t, db, func(ctx context.Context, tx *sqldb.Tx) error {
			_, err := retireApproved(ctx, tx, w, w.gaj, e.ID, "职能调整")
			return err
		}, func(ctx context.Context, tx *sqldb.Tx) error {
			_, err := catalog.Update(ctx, tx, w.gaj, e.ID, edited(), t0)
			return err
		})
		if retireErr != nil {
			t.Fatalf("retire: %v", retireErr)
		}
		if e := errs.As(updateErr); e == nil || e.Code != "entry_retired" {
			t.Errorf("update: %v, want entry_retired", updateErr)
		}
		got, err := catalog.Working(context.Background(), db.Read(), w.gaj, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != catalog.Retired || got.WorkingVersion != 0 {
			t.Errorf("entry %s with working version %d, want retired with none", got.Status, got.WorkingVersion)
		}
	})
}

// TestSubmitWhileUpdated: a submission that waits for an edit sees the
// edit: the edited name, another published entry's, is refused. On
// PostgreSQL the submission used to check the name it had read before the
// edit committed and submit the edit unchecked.
func TestSubmitWhileUpdated(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		other := household()
		other.Name = "户籍人口变动信息"
		publish(t, w, w.gaj, other)
		e := create(t, w, w.gaj, household())
		renamed := household()
		renamed.Name = other.Name
		updateErr, submitErr := sqldbtest.Race(t, db, func(ctx context.Context, tx *sqldb.Tx) error {
			_, err := catalog.Update(ctx, tx, w.gaj, e.ID, renamed, t0)
			return err
		}, func(ctx context.Context, tx *sqldb.Tx) error {
			_, err := catalog.Submit(ctx, tx, w.gaj, e.ID, t0)
			return err
		})
		if updateErr != nil {
			t.Fatalf("update: %v", updateErr)
		}
		if e := errs.As(submitErr); e == nil || e.Code != "duplicate_entry_name" {
			t.Errorf("submit: %v, want duplicate_entry_name", submitErr)
		}
		got, err := catalog.Working(context.Background(), db.Read(), w.gaj, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.WorkingStatus != catalog.Draft {
			t.Errorf("working version %s, want draft", got.WorkingStatus)
		}
	})
}
