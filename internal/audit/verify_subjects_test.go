package audit_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestVerifySubjects: audit_subjects, which the filter by subject reads,
// holds each row's other subjects exactly as its detail (other_subjects,
// covered by the hash) names them. A row deleted from it hid a read from
// the subject's search, and one inserted filed an unrelated read under a
// subject, while Verify reported the chain intact; now each is
// subjects_mismatch naming the row, through Verify and VerifyDB, and so
// is a row of the table naming no row of the log.
func TestVerifySubjects(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		appendN(t, db, 2)
		if err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			return audit.Record(ctx, tx, audit.Event{Actor: audit.Actor{Kind: audit.ActorUser, ID: "7", Name: "gaj.admin"},
				Action: "data.query", ObjectType: "catalog_entry", ObjectID: "12", SubjectID: "11010519491231002X",
				Subjects: []string{"440605199001010028", "E12345678"}}, t0.Add(time.Minute))
		}); err != nil {
			t.Fatal(err)
		}
		appendN(t, db, 1)
		check := func(what string, seq int64) {
			t.Helper()
			for _, rep := range []audit.Report{verify(t, db), verifyDB(t, db)} {
				switch {
				case seq == 0 && rep.Problem != nil:
					t.Errorf("%s: %+v, want intact", what, rep.Problem)
				case seq != 0 && (rep.Problem == nil || rep.Problem.Code != audit.SubjectsMismatch || rep.Problem.Seq != seq ||
					!strings.Contains(rep.Problem.Reason, "audit_subjects")):
					t.Errorf("%s: %+v, want subjects_mismatch at row %d", what, rep.Problem, seq)
				}
				if rep.Rows != 4 {
					t.Errorf("%s: %d rows checked, want 4", what, rep.Rows)
				}
			}
		}
		check("intact", 0)
		exec(t, db, `DELETE FROM audit_subjects WHERE subject_id = 'E12345678'`)
		check("a subject deleted", 3)
		exec(t, db, `INSERT INTO audit_subjects (subject_id, seq) VALUES ('E12345678', 3)`)
		check("restored", 0)
		exec(t, db, `INSERT INTO audit_subjects (subject_id, seq) VALUES ('E12345678', 2)`)
		check("a subject added to a row naming none", 2)
		exec(t, db, `DELETE FROM audit_subjects WHERE seq = 2`)
		exec(t, db, `INSERT INTO audit_subjects (subject_id, seq) VALUES ('M12345678', 3)`)
		check("a subject added to a row naming others", 3)
		exec(t, db, `DELETE FROM audit_subjects WHERE subject_id = 'M12345678'`)
		exec(t, db, `INSERT INTO audit_subjects (subject_id, seq) VALUES ('E12345678', 9)`)
		check("a row of no audit row", 9)
	})
}
