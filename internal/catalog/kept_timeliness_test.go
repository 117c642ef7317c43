package catalog_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestKeptTimelinessNextDay: a licence entry published with 次日更新 before
// 2026-12-05, when 次日 read as real time, failed every write once 次日
// came to read as 1 day (timeliness_exceeds_rule): an edit of its abstract,
// the approval of a revision keeping it, the yearly confirmation and a
// re-import of its own export with a changed abstract. A 时效要求 an edit
// keeps from the version in force of an entry that was a licence already is
// not refused for that reading, as a name kept is not for its characters;
// a new licence entry with 次日更新, a 时效要求 changed to another 次日, and
// an entry renamed to a licence keeping its 次日 still are.
func TestKeptTimelinessNextDay(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		lic := household()
		lic.Name, lic.Timeliness = "枪支持有许可证信息", "实时推送"
		e := publish(t, w, w.gaj, lic)
		// As a release before 2026-12-05 stored it.
		data, err := json.Marshal(func() catalog.Resource { r := e.Resource; r.Timeliness = "次日更新"; return r }())
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{`UPDATE catalog_entry_versions SET data = $2 WHERE entry_id = $1`,
			`UPDATE catalog_entries SET data = $2 WHERE id = $1`} {
			if _, err := db.Write().ExecContext(ctx, q, e.ID, string(data)); err != nil {
				t.Fatal(err)
			}
		}
		stored, err := catalog.Get(ctx, db.Read(), w.gaj, e.ID)
		if err != nil || stored.Timeliness != "次日更新" {
			t.Fatalf("stored %q (%v)", stored.Timeliness, err)
		}
		refused := func(what string, err error) {
			t.Helper()
			if ee := errs.As(err); ee == nil || ee.Code != "timeliness_exceeds_rule" {
				t.Errorf("%s: %v, want timeliness_exceeds_rule", what, err)
			}
		}

		r := stored.Resource
		r.Abstract = "辖区枪支持有许可证的核发和注销记录"
		mustStep(t, w, "edit", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Update(ctx, tx, w.gaj, e.ID, r, t0.Add(time.Hour))
		})
		mustStep(t, w, "submit", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Submit(ctx, tx, w.gaj, e.ID, t0.Add(2*time.Hour))
		})
		got := mustStep(t, w, "approve", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Approve(ctx, tx, w.operator, e.ID, t0.Add(3*time.Hour))
		})
		if got.Timeliness != "次日更新" || got.Abstract != r.Abstract {
			t.Errorf("published %q, %q", got.Timeliness, got.Abstract)
		}

		// The yearly confirmation of the version in force, unchanged.
		if _, err := db.Write().ExecContext(ctx, `UPDATE catalog_entries SET reviewed_at = $2 WHERE id = $1`,
			e.ID, time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)); err != nil {
			t.Fatal(err)
		}
		now := time.Now().UTC().Truncate(time.Microsecond)
		mustStep(t, w, "confirm", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Submit(ctx, tx, w.gaj, e.ID, now)
		})
		mustStep(t, w, "approve the confirmation", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Approve(ctx, tx, w.operator, e.ID, now.Add(time.Minute))
		})

		// Its own export, re-imported with a changed abstract.
		var file bytes.Buffer
		if _, err := catalogio.Export(ctx, db, w.gaj, &file, catalogio.CSV, catalogio.ExportOptions{DepartmentID: w.gajID}); err != nil {
			t.Fatal(err)
		}
		edited := strings.ReplaceAll(file.String(), r.Abstract, "辖区枪支持有许可证的核发、变更和注销记录")
		if edited == file.String() {
			t.Fatalf("export holds no abstract %q:\n%s", r.Abstract, file.String())
		}
		rep, err := catalogio.Import(ctx, db, w.gaj, strings.NewReader(edited), catalogio.CSV,
			catalogio.Options{DepartmentID: w.gajID, Now: now.Add(2 * time.Minute)})
		if err != nil || rep.Updated != 1 || len(rep.Errors) != 0 {
			t.Errorf("re-import: %v, updated %d, errors %v", err, rep.Updated, rep.Errors)
		}

		// A 时效要求 changed to another 次日 is refused.
		r, err = func() (catalog.Resource, error) {
			e, err := catalog.Working(ctx, db.Read(), w.gaj, e.ID)
			return e.Resource, err
		}()
		if err != nil {
			t.Fatal(err)
		}
		r.Timeliness = "次日内推送"
		_, err = step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Update(ctx, tx, w.gaj, e.ID, r, now.Add(3*time.Minute))
		})
		refused("changed to 次日内推送", err)

		// A new licence entry with 次日更新 is refused.
		n := household()
		n.Name, n.Timeliness = "居住证签注信息", "次日更新"
		n.Items[0].Name = "持证人公民身份号码"
		err = w.db.Tx(ctx, func(tx *sqldb.Tx) error {
			_, err := catalog.Create(ctx, tx, w.gaj, w.gajID, n, t0)
			return err
		})
		refused("new licence entry", err)

		// Business data with 次日更新 (1 day, within the rule) renamed to
		// a licence, keeping its 次日, is refused.
		b := household()
		b.Name, b.Timeliness = "户籍迁移登记信息", "次日更新"
		be := publish(t, w, w.gaj, b)
		b = be.Resource
		b.Name = "户籍迁移许可证信息"
		_, err = step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Update(ctx, tx, w.gaj, be.ID, b, t0.Add(time.Hour))
		})
		refused("renamed to a licence", err)
	})
}

// TestKeptTimelinessInForceOnly: a licence's 次日 stored before 2026-12-05
// is kept only from the version in force, by an edit as by the submission
// and the approval. Until 2026-12-05 an edit kept it from the version
// edited: a licence draft never published, stored with 次日更新, was saved
// with a changed abstract and its submission then refused; so was a
// published licence's revision set to 次日更新 while the version in force
// said 实时推送. Both edits are now refused up front
// (timeliness_exceeds_rule), with the submission's message.
func TestKeptTimelinessInForceOnly(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		// storeNextDay stores 次日更新 in version v of entry id (and in the
		// entry's data if entry), as a release before 2026-12-05 did.
		storeNextDay := func(r catalog.Resource, id int64, v int, entry bool) {
			t.Helper()
			r.Timeliness = "次日更新"
			data, err := json.Marshal(r)
			if err != nil {
				t.Fatal(err)
			}
			qs := []string{`UPDATE catalog_entry_versions SET data = $2 WHERE entry_id = $1 AND version = ` + strconv.Itoa(v)}
			if entry {
				qs = append(qs, `UPDATE catalog_entries SET data = $2 WHERE id = $1`)
			}
			for _, q := range qs {
				if _, err := db.Write().ExecContext(ctx, q, id, string(data)); err != nil {
					t.Fatal(err)
				}
			}
		}
		refusedAs := func(what string, err, want error) {
			t.Helper()
			ee, we := errs.As(err), errs.As(want)
			if ee == nil || we == nil || ee.Code != "timeliness_exceeds_rule" || ee.Code != we.Code || ee.Message != we.Message {
				t.Errorf("%s: %v, want timeliness_exceeds_rule as the submission's %v", what, err, want)
			}
		}

		// A draft never published.
		lic := household()
		lic.Name, lic.Timeliness = "枪支持有许可证信息", "实时推送"
		var draft catalog.Entry
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			var err error
			draft, err = catalog.Create(ctx, tx, w.gaj, w.gajID, lic, t0)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		storeNextDay(draft.Resource, draft.ID, draft.WorkingVersion, true)
		_, submitErr := step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Submit(ctx, tx, w.gaj, draft.ID, t0.Add(time.Hour))
		})
		r, err := catalog.Working(ctx, db.Read(), w.gaj, draft.ID)
		if err != nil || r.Timeliness != "次日更新" {
			t.Fatalf("draft stored %q (%v)", r.Timeliness, err)
		}
		r.Abstract = "辖区枪支持有许可证的核发和注销记录"
		_, err = step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Update(ctx, tx, w.gaj, draft.ID, r.Resource, t0.Add(time.Hour))
		})
		refusedAs("edit of a draft never published", err, submitErr)

		// A published licence whose revision says 次日更新, its version in
		// force 实时推送.
		lic2 := household()
		lic2.Name, lic2.Timeliness = "烟花爆竹经营许可证信息", "实时推送"
		lic2.Items[0].Name = "经营者公民身份号码"
		pub := publish(t, w, w.gaj, lic2)
		rev := pub.Resource
		rev.Abstract = "烟花爆竹经营许可的核发记录"
		revised := mustStep(t, w, "open a revision", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Update(ctx, tx, w.gaj, pub.ID, rev, t0.Add(time.Hour))
		})
		storeNextDay(revised.Resource, pub.ID, revised.WorkingVersion, false)
		_, submitErr = step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Submit(ctx, tx, w.gaj, pub.ID, t0.Add(2*time.Hour))
		})
		r, err = catalog.Working(ctx, db.Read(), w.gaj, pub.ID)
		if err != nil || r.Timeliness != "次日更新" {
			t.Fatalf("revision stored %q (%v)", r.Timeliness, err)
		}
		r.Abstract = "烟花爆竹经营许可的核发和注销记录"
		_, err = step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Update(ctx, tx, w.gaj, pub.ID, r.Resource, t0.Add(2*time.Hour))
		})
		refusedAs("edit of a revision", err, submitErr)
	})
}
