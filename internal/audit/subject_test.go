package audit_test

import (
	"context"
	"testing"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestListSubjectForms: a subject filter matches the rows naming the
// subject as typed or any of its forms (Filter.SubjectForms), empty and
// repeated forms ignored; forms without a subject select nothing more.
// On both engines.
func TestListSubjectForms(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		appendN(t, db, 2) // 11010519491231002X
		for _, s := range []string{"91350100M000100Y43", "110105491231002"} {
			err := db.Tx(ctx, func(tx *sqldb.Tx) error {
				return audit.Record(ctx, tx, audit.Event{Action: "data.query", SubjectID: s,
					Actor: audit.Actor{Kind: audit.ActorApp, ID: "k1"}}, t0)
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		for _, tc := range []struct {
			f    audit.Filter
			want int
		}{
			{audit.Filter{SubjectID: "11010519491231002x"}, 0},
			{audit.Filter{SubjectID: "11010519491231002x", SubjectForms: []string{"11010519491231002X", ""}}, 2},
			{audit.Filter{SubjectID: "110105491231002", SubjectForms: []string{"11010519491231002X", "11010519491231002X"}}, 3},
			{audit.Filter{SubjectID: "91350100m000100y43", SubjectForms: []string{"", "91350100M000100Y43"}}, 1},
			{audit.Filter{SubjectForms: []string{"91350100M000100Y43"}}, 4},
		} {
			rows, _, err := audit.List(ctx, db.Read(), tc.f)
			if err != nil || len(rows) != tc.want {
				t.Errorf("List(%+v): %d rows, %v; want %d", tc.f, len(rows), err, tc.want)
			}
		}
	})
}
