package catalog_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestStoredBeforeRules: metadata stored before a rule it breaks was made
// (here a 时效要求 of 5 working days, published or submitted before the
// timeliness rule) is listed by ListNonconforming with the rule's code; the
// yearly review cannot confirm it unchanged and says which rule it breaks
// and that it must be edited; and a version submitted before the rule is
// not approved unchecked.
func TestStoredBeforeRules(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		e := publish(t, w, w.gaj, household())
		store := func(version int, timeliness string) {
			t.Helper()
			v, err := catalog.GetVersion(ctx, db.Read(), w.operator, e.ID, version)
			if err != nil {
				t.Fatal(err)
			}
			v.Resource.Timeliness = timeliness
			data, err := json.Marshal(v.Resource)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.Write().ExecContext(ctx, `UPDATE catalog_entry_versions SET data = $3
				WHERE entry_id = $1 AND version = $2`, e.ID, version, string(data)); err != nil {
				t.Fatal(err)
			}
			if _, err := db.Write().ExecContext(ctx, `UPDATE catalog_entries SET data = $3
				WHERE id = $1 AND version = $2`, e.ID, version, string(data)); err != nil {
				t.Fatal(err)
			}
		}
		store(1, "业务办结后5个工作日内更新")

		found, err := catalog.ListNonconforming(ctx, db.Read())
		if err != nil {
			t.Fatal(err)
		}
		if len(found) != 1 || found[0].Code != e.Code || found[0].Name != "户籍人口基本信息" ||
			len(found[0].Errors) != 1 || found[0].Errors[0].Code != "timeliness_exceeds_rule" {
			t.Errorf("ListNonconforming: %+v, want %s with timeliness_exceeds_rule", found, e.Code)
		}

		if _, err := db.Write().ExecContext(ctx, `UPDATE catalog_entries SET reviewed_at = $2 WHERE id = $1`,
			e.ID, time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)); err != nil {
			t.Fatal(err)
		}
		_, err = step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Submit(ctx, tx, w.gaj, e.ID, time.Now())
		})
		if ee := errs.As(err); ee == nil || ee.Code != "timeliness_exceeds_rule" || ee.Field != "timeliness" ||
			!strings.Contains(ee.Message, "年度复核不能原样确认") || !strings.Contains(ee.Message, "新建版本修改") ||
			!strings.Contains(ee.Message, "5个工作日内") {
			t.Errorf("unchanged confirmation of an entry breaking a rule: %v", err)
		}

		// A revision submitted, then the rule made: approval re-validates.
		r := household()
		r.Abstract = "辖区户籍人口的身份、户籍地址、变动情况"
		if _, err := step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			if _, err := catalog.Update(ctx, tx, w.gaj, e.ID, r, t0); err != nil {
				return catalog.Entry{}, err
			}
			return catalog.Submit(ctx, tx, w.gaj, e.ID, t0)
		}); err != nil {
			t.Fatal(err)
		}
		store(2, "每月5日前更新上月数据")
		_, err = step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Approve(ctx, tx, w.operator, e.ID, t0)
		})
		if ee := errs.As(err); ee == nil || ee.Code != "timeliness_exceeds_rule" || !strings.Contains(ee.Message, catalog.ApprovalRefused) {
			t.Errorf("approving a version breaking a rule made after its submission: %v", err)
		}
		if got, err := catalog.Get(ctx, db.Read(), w.operator, e.ID); err != nil || got.Version != 1 {
			t.Errorf("after the refused approval: version %d (%v), want 1", got.Version, err)
		}
	})
}
