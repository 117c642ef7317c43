package catalog_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestReviewsPlan: on SQLite an entry's review history reads the audit rows
// of that entry from their partial index (audit_log_catalog_entry,
// migration 0032), where it read every submission, rejection and approval
// of the catalog through audit_log_action, at every load of an entry's
// page.
func TestReviewsPlan(t *testing.T) {
	db := sqldbtest.SQLite(t)
	w := newWorld(t, db)
	e := publish(t, w, w.gaj, household())
	other := household()
	other.Name = "户籍迁移登记信息"
	publish(t, w, w.gaj, other)
	if err := db.Analyze(t.Context()); err != nil {
		t.Fatal(err)
	}
	p := &planner{Querier: db.Read(), t: t}
	rs, err := catalog.Reviews(t.Context(), p, w.gaj, e.ID)
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
}
