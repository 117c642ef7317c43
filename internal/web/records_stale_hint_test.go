package web_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestRecordsStaleHintFirstPublication: the operator's overview of the
// departments says an entry that never received data is judged stale from
// its first publication (自首次发布起), as records judges it since a
// revision's approval no longer restarts its clock, where it said 自发布起,
// which read as from its latest publication. On both engines.
func TestRecordsStaleHintFirstPublication(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		publishNamePair(t, f)
		op := f.loggedIn(t, "operator")
		r := op.get("/records")
		wantBody(t, "/records", r, "从未收到数据的数据资源自首次发布起计算是否停更")
		wantNoBody(t, "/records", r, "自发布起")
	})
}
