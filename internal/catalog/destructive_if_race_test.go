package catalog_test

import (
	"context"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// tagOf is the tag of entry id as by reads it: EditTag of Get, or of
// Working when working.
func tagOf(t *testing.T, w *world, by catalog.Actor, id int64, working bool) string {
	t.Helper()
	get := catalog.Get
	if working {
		get = catalog.Working
	}
	e, err := get(context.Background(), w.db.Read(), by, id)
	if err != nil {
		t.Fatal(err)
	}
	tag, err := catalog.EditTag(context.Background(), w.db.Read(), e)
	if err != nil {
		t.Fatal(err)
	}
	return tag
}

// wantConcurrent fails unless err is concurrent_update.
func wantConcurrent(t *testing.T, what string, err error) {
	t.Helper()
	if e := errs.As(err); e == nil || e.Code != "concurrent_update" {
		t.Errorf("%s: %v, want concurrent_update", what, err)
	}
}

// raceUpdate races an update of entry id to next, which commits, against
// act, waiting for it, and returns act's error; it fails the test unless
// the update commits.
func raceUpdate(t *testing.T, w *world, id int64, next catalog.Resource, act func(ctx context.Context, tx *sqldb.Tx) error) error {
	t.Helper()
	updateErr, actErr := sqldbtest.Race(t, w.db, func(ctx context.Context, tx *sqldb.Tx) error {
		_, err := catalog.Update(ctx, tx, w.gaj, id, next, t0)
		return err
	}, act)
	if updateErr != nil {
		t.Fatalf("update: %v", updateErr)
	}
	return actErr
}

// TestDeleteIfWhileUpdated: a deletion from the tag of the draft as read,
// waiting for an edit that commits meanwhile, checks the tag against the
// draft as it locks it, edited: refused with concurrent_update, and the
// edited draft stays. A check against a read before the lock would have
// deleted it.
func TestDeleteIfWhileUpdated(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		e := create(t, w, w.gaj, household())
		tag := tagOf(t, w, w.gaj, e.ID, false)
		deleteErr := raceUpdate(t, w, e.ID, edited(), func(ctx context.Context, tx *sqldb.Tx) error {
			return catalog.DeleteIf(ctx, tx, w.gaj, e.ID, []string{tag}, t0)
		})
		wantConcurrent(t, "delete", deleteErr)
		got, err := catalog.Working(context.Background(), db.Read(), w.gaj, e.ID)
		if err != nil || got.Name != edited().Name {
			t.Errorf("after the refused deletion: %q, %v; want the edited draft", got.Name, err)
		}
	})
}

// TestDiscardRevisionIfWhileUpdated: a discard from the revision's tag as
// read, waiting for an edit of the revision, is refused with
// concurrent_update, and the edited revision stays.
func TestDiscardRevisionIfWhileUpdated(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		e := publish(t, w, w.gaj, household())
		if _, err := step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Update(ctx, tx, w.gaj, e.ID, edited(), t0)
		}); err != nil {
			t.Fatalf("open revision: %v", err)
		}
		tag := tagOf(t, w, w.gaj, e.ID, true)
		again := edited()
		again.Name = "户籍人口信息（再次修改）"
		discardErr := raceUpdate(t, w, e.ID, again, func(ctx context.Context, tx *sqldb.Tx) error {
			_, err := catalog.DiscardRevisionIf(ctx, tx, w.gaj, e.ID, []string{tag}, t0)
			return err
		})
		wantConcurrent(t, "discard", discardErr)
		got, err := catalog.Working(context.Background(), db.Read(), w.gaj, e.ID)
		if err != nil || got.WorkingVersion == 0 || got.Name != again.Name {
			t.Errorf("after the refused discard: revision %d %q, %v; want the edited revision", got.WorkingVersion, got.Name, err)
		}
	})
}

// TestRetireIfWhileRevised: a retirement request from the tag of the entry
// as read, waiting for an edit that opens a revision, is refused with
// concurrent_update, and no request is made.
func TestRetireIfWhileRevised(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		e := publish(t, w, w.gaj, household())
		tag := tagOf(t, w, w.gaj, e.ID, false)
		retireErr := raceUpdate(t, w, e.ID, edited(), func(ctx context.Context, tx *sqldb.Tx) error {
			_, err := catalog.RetireIf(ctx, tx, w.gaj, e.ID, []string{tag}, "职能调整", t0)
			return err
		})
		wantConcurrent(t, "retire", retireErr)
		got, err := catalog.Get(context.Background(), db.Read(), w.gaj, e.ID)
		if err != nil || got.Status != catalog.Published || got.RetireRequest != nil {
			t.Errorf("after the refused retirement: %s, request %v, %v; want published with none", got.Status, got.RetireRequest, err)
		}
	})
}
