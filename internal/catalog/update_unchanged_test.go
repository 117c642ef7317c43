package catalog_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestUpdateUnchanged: an Update of what the entry's editable view holds
// (the draft, the revision, or the version in force when there is none),
// the same text with CR LF line breaks or the share methods in another
// order too, writes nothing: a published entry opens no revision, a draft
// keeps its tag, no audit row is added, and UpdateIfChanged says it
// changed nothing. A text stored with CR LF (before writes made it LF)
// equals the LF one. An Update with a change still saves.
func TestUpdateUnchanged(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		count := func(query string, args ...any) int {
			t.Helper()
			var n int
			if err := db.Read().QueryRowContext(ctx, query, args...).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		state := func(id int64) (catalog.Entry, string, int, int) {
			t.Helper()
			e, err := catalog.Working(ctx, db.Read(), w.gaj, id)
			if err != nil {
				t.Fatal(err)
			}
			tag, err := catalog.EditTag(ctx, db.Read(), e)
			if err != nil {
				t.Fatal(err)
			}
			return e, tag, count(`SELECT count(*) FROM audit_log WHERE action LIKE 'catalog.%'`),
				count(`SELECT count(*) FROM catalog_entry_versions WHERE entry_id = $1`, id)
		}
		lf := household()
		lf.Abstract = "辖区户籍人口的身份\n户籍地址和变动情况"
		crlf := household()
		crlf.Abstract = "辖区户籍人口的身份\r\n户籍地址和变动情况"
		crlf.ShareMethods = []catalog.ShareMethod{"verify", "query"}
		unchanged := func(what string, id int64, r catalog.Resource, tags []string) {
			t.Helper()
			before, tag, rows, versions := state(id)
			got, changed, err := step2(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, bool, error) {
				return catalog.UpdateIfChanged(ctx, tx, w.gaj, id, tags, r, t0.Add(1))
			})
			if err != nil || changed {
				t.Errorf("%s: changed %v, %v", what, changed, err)
			}
			after, tagAfter, rowsAfter, versionsAfter := state(id)
			if !reflect.DeepEqual(after, before) || !reflect.DeepEqual(got, before) || tagAfter != tag {
				t.Errorf("%s: entry\n%+v, answered\n%+v, tag %s, was\n%+v, tag %s", what, after, got, tagAfter, before, tag)
			}
			if rowsAfter != rows || versionsAfter != versions {
				t.Errorf("%s: %d catalog audit rows and %d versions, were %d and %d", what, rowsAfter, versionsAfter, rows, versions)
			}
		}
		draftRes := lf
		draftRes.Name = "户籍人口变动信息"
		draft := create(t, w, w.gaj, draftRes)
		published := publish(t, w, w.gaj, lf)
		for _, e := range []catalog.Entry{draft, published} {
			_, tag, _, _ := state(e.ID)
			same, sameCRLF := lf, crlf
			same.Name, sameCRLF.Name = e.Name, e.Name
			unchanged(e.Name+" identical", e.ID, same, nil)
			unchanged(e.Name+" identical with its tag", e.ID, same, []string{tag})
			unchanged(e.Name+" CR LF, share methods reordered", e.ID, sameCRLF, nil)
			if _, err := step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
				return catalog.Update(ctx, tx, w.gaj, e.ID, sameCRLF, t0.Add(1))
			}); err != nil {
				t.Fatal(err)
			}
			if after, tagAfter, _, _ := state(e.ID); tagAfter != tag || after.WorkingVersion != e.WorkingVersion {
				t.Errorf("%s: Update unchanged: tag %s working version %d, were %s and %d", e.Name, tagAfter,
					after.WorkingVersion, tag, e.WorkingVersion)
			}
		}

		// A text stored with CR LF is the same as the LF one.
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			for _, q := range []string{`UPDATE catalog_entry_versions SET data = REPLACE(data, '\n', '\r\n') WHERE entry_id = $1`,
				`UPDATE catalog_entries SET data = REPLACE(data, '\n', '\r\n') WHERE id = $1`} {
				if _, err := tx.ExecContext(ctx, q, draft.ID); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if e, _, _, _ := state(draft.ID); e.Abstract != "辖区户籍人口的身份\r\n户籍地址和变动情况" {
			t.Fatalf("draft stored with CR LF: abstract %q", e.Abstract)
		}
		same := lf
		same.Name = draft.Name
		unchanged("draft stored with CR LF", draft.ID, same, nil)

		// A change saves; the next identical Update compares with the
		// revision it opened.
		revised := lf
		revised.ShareScope = "全市政务部门"
		_, _, rows, _ := state(published.ID)
		got, changed, err := step2(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, bool, error) {
			return catalog.UpdateIfChanged(ctx, tx, w.gaj, published.ID, nil, revised, t0.Add(1))
		})
		if err != nil || !changed || got.WorkingVersion != 2 {
			t.Fatalf("change: changed %v, working version %d, %v", changed, got.WorkingVersion, err)
		}
		if _, _, n, _ := state(published.ID); n != rows+1 {
			t.Errorf("change: %d catalog audit rows, want %d", n, rows+1)
		}
		unchanged("revision identical", published.ID, revised, nil)
	})
}

// step2 runs fn in a transaction.
func step2(w *world, fn func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, bool, error)) (catalog.Entry, bool, error) {
	var e catalog.Entry
	var changed bool
	err := w.db.Tx(context.Background(), func(tx *sqldb.Tx) (err error) {
		e, changed, err = fn(context.Background(), tx)
		return err
	})
	return e, changed, err
}
