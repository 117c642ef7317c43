package server_test

import (
	"context"
	"fmt"
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
		id := submitReview(t, db, catalogtest.NewDistrict(t, db, reviewAt), "户籍人员信息")
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

// TestMaintainSkipsUndecodableReviews: a catalog version under review
// whose metadata cannot be decoded does not stop the upkeep's repair of
// the item keys of the others, and the upkeep warns naming it.
func TestMaintainSkipsUndecodableReviews(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		d := catalogtest.NewDistrict(t, db, reviewAt)
		broken, missing := submitReview(t, db, d, "户籍人员信息"), submitReview(t, db, d, "居住人员信息")
		sqldbtest.Exec(t, db, `UPDATE catalog_entry_versions SET data = '{' WHERE entry_id = $1`, broken)
		sqldbtest.Exec(t, db, `DELETE FROM catalog_review_item_keys WHERE entry_id = $1`, missing)
		logs := maintainOnceLogged(t, db).String()
		if keys := sqldbtest.Column(t, db, `SELECT item_key FROM catalog_review_item_keys WHERE entry_id = $1`, missing); !slices.Equal(keys, []string{"户籍地址"}) {
			t.Fatalf("review item keys %q, want 户籍地址", keys)
		}
		if want := fmt.Sprintf("the other versions were checked\" versions=\"entry %d version 1\"", broken); !strings.Contains(logs, want) {
			t.Fatalf("log: %q, want %q", logs, want)
		}
	})
}

// reviewAt is when submitReview submits.
var reviewAt = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// submitReview creates and submits in d's police department an entry
// named name of a person's 户籍地址, and returns its id.
func submitReview(t *testing.T, db *sqldb.DB, d catalogtest.District, name string) int64 {
	t.Helper()
	r := catalogtest.Maximal("x")
	r.Name, r.SubjectKind, r.RelatedCodes = name, catalog.Person, nil
	r.Items = []catalog.Item{{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true}, {Name: "户籍地址", Type: "C", Length: 200}}
	var id int64
	err := db.Tx(context.Background(), func(tx *sqldb.Tx) error {
		e, err := catalog.Create(context.Background(), tx, d.GAJ, d.GAJ.DepartmentID, r, reviewAt)
		if err == nil {
			_, err = catalog.Submit(context.Background(), tx, d.GAJ, e.ID, reviewAt)
		}
		id = e.ID
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}
