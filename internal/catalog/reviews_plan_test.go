package catalog_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestReviewsPlan: on SQLite an entry's review history reads the review
// steps of that entry from their partial index (audit_log_catalog_entry,
// migration 0032), where it scanned the whole audit log at every load of
// an entry's page; and the index holds the review steps alone, not the
// audited reads of the entry's records, which name the entry as their
// object too: an index of them all would grow with each read and be
// walked at each load of a much-read entry's page.
func TestReviewsPlan(t *testing.T) {
	db := sqldbtest.SQLite(t)
	w := newWorld(t, db)
	ctx := t.Context()
	e := publish(t, w, w.gaj, household())
	other := household()
	other.Name = "户籍迁移登记信息"
	publish(t, w, w.gaj, other)
	err := db.Tx(ctx, func(tx *sqldb.Tx) error {
		for i := range 200 {
			ev := records.ReadEvent(audit.Actor{Kind: audit.ActorSystem, ID: "test"}, "records.read", e.ID, "s"+strconv.Itoa(i), "姓名", "核验")
			if err := audit.Record(ctx, tx, ev, t0); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Analyze(ctx); err != nil {
		t.Fatal(err)
	}
	p := &planner{Querier: db.Read(), t: t}
	rs, err := catalog.Reviews(ctx, p, w.gaj, e.ID)
	if err != nil || len(rs) == 0 {
		t.Fatalf("reviews: %v, %v", rs, err)
	}
	indexed := false
	for _, step := range p.steps {
		if strings.Contains(step, "audit_log") {
			indexed = indexed || strings.Contains(step, "USING INDEX audit_log_catalog_entry")
		}
	}
	if !indexed {
		t.Errorf("plan %q, want audit_log_catalog_entry", p.steps)
	}
	// SQLite answers a query through a partial index only when its WHERE
	// implies the index's: that the entry's rows, reads and all, cannot be
	// read through it says that the index leaves the reads out.
	var n int
	err = db.Read().QueryRowContext(ctx, `SELECT count(*) FROM audit_log INDEXED BY audit_log_catalog_entry
		WHERE object_type = 'catalog_entry' AND object_id = $1`, strconv.FormatInt(e.ID, 10)).Scan(&n)
	if err == nil || !strings.Contains(err.Error(), "no query solution") {
		t.Errorf("the index holds every row about the entry (%d rows, %v), its audited reads too", n, err)
	}
}
