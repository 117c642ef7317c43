package server_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/catalog/catalogtest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestMaintainRepairsReviewKeys: the server's upkeep writes the item keys
// of a catalog version under review stored without them (as a server of
// the previous release submits it; catalog.RepairReviewKeys), on every
// pass, and logs how many it wrote.
func TestMaintainRepairsReviewKeys(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
		d := catalogtest.NewDistrict(t, db, at)
		r := catalogtest.Maximal("x")
		r.SubjectKind, r.RelatedCodes = catalog.Person, nil
		r.Items = []catalog.Item{{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true}, {Name: "户籍地址", Type: "C", Length: 200}}
		var id int64
		err := db.Tx(context.Background(), func(tx *sqldb.Tx) error {
			e, err := catalog.Create(context.Background(), tx, d.GAJ, d.GAJ.DepartmentID, r, at)
			if err == nil {
				_, err = catalog.Submit(context.Background(), tx, d.GAJ, e.ID, at)
			}
			id = e.ID
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		for range 2 {
			sqldbtest.Exec(t, db, `DELETE FROM catalog_review_item_keys WHERE entry_id = $1`, id)
			logs := maintainOnceLogged(t, db).String()
			if keys := sqldbtest.Column(t, db, `SELECT item_key FROM catalog_review_item_keys WHERE entry_id = $1`, id); !slices.Equal(keys, []string{"户籍地址"}) {
				t.Fatalf("review item keys %q, want 户籍地址", keys)
			}
			if !strings.Contains(logs, "and detected their source conflicts again\" versions=1") {
				t.Fatalf("log: %q, want the version repaired", logs)
			}
		}
	})
}
