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

// TestVerifyAtText: on SQLite a row's time is text, which the date
// filters compare: the same instant written in another form (ISO "T…Z",
// another offset, no offset) keeps the row's hash, which covers the
// instant, and hides or moves the row in filters. Verify reports such a
// row as edited (row_edited), by itself and through VerifyDB. On
// PostgreSQL at is a TIMESTAMPTZ: the same rewrite stores the same
// instant, the filters still find the row and the chain is intact.
func TestVerifyAtText(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		appendN(t, db, 5)
		for _, rep := range []audit.Report{verify(t, db), verifyDB(t, db)} {
			if rep.Problem != nil || rep.Rows != 5 {
				t.Fatalf("untampered log: %+v", rep)
			}
		}
		at := t0.Add(2 * time.Second).UTC().Truncate(time.Microsecond) // row 3's
		day := audit.Filter{Since: at.Truncate(time.Hour), Until: at.Truncate(time.Hour).Add(time.Hour), Limit: 10}
		for _, text := range []string{
			at.Format("2006-01-02T15:04:05.000000Z"),
			at.In(time.FixedZone("CST", 8*3600)).Format("2006-01-02 15:04:05.999999-07:00"),
			at.Format("2006-01-02 15:04:05.999999"),
			at.Format("2006-01-02T15:04:05.999999-07:00"),
		} {
			exec(t, db, `UPDATE audit_log SET at = $1 WHERE seq = 3`, text)
			if db.Dialect == sqldb.Postgres {
				rows, _, err := audit.List(ctx, db.Read(), day)
				if err != nil || len(rows) != 5 {
					t.Errorf("at = %q: the day's filter lists %d rows (%v), want 5", text, len(rows), err)
				}
				if rep := verify(t, db); rep.Problem != nil {
					t.Errorf("at = %q on PostgreSQL (the same instant): %+v, want intact", text, rep.Problem)
				}
				continue
			}
			for _, rep := range []audit.Report{verify(t, db), verifyDB(t, db)} {
				if p := rep.Problem; p == nil || p.Seq != 3 || p.Code != "row_edited" || !strings.Contains(p.Reason, text) {
					t.Errorf("at = %q: %+v, want row_edited at 3 naming the text", text, p)
				}
			}
		}
	})
}

func verifyDB(t *testing.T, db *sqldb.DB, anchors ...audit.Anchor) audit.Report {
	t.Helper()
	rep, err := audit.VerifyDB(context.Background(), db, anchors...)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// TestVerifyCodes: each kind of break Verify tells has its stable code,
// for programs (the API's problem.code), beside the reason in Chinese; and
// the report names the row to look at, the list's page that starts with
// it (Problem.Before).
func TestVerifyCodes(t *testing.T) {
	for _, c := range []struct {
		name, code string
		seq        int64
		tamper     []string
		anchor     func(hash10 string) audit.Anchor
	}{
		{name: "edited", code: "row_edited", seq: 4, tamper: []string{`UPDATE audit_log SET purpose = 'x' WHERE seq = 4`}},
		{name: "missing", code: "row_missing", seq: 4, tamper: []string{`DELETE FROM audit_log WHERE seq = 4`}},
		{name: "reordered", code: "prev_hash_mismatch", seq: 5, tamper: []string{
			`UPDATE audit_log SET prev_hash = (SELECT hash FROM audit_log WHERE seq = 2) WHERE seq = 5`}},
		{name: "tail deleted", code: "chain_truncated", seq: 9, tamper: []string{`DELETE FROM audit_log WHERE seq > 8`}},
		{name: "head rewritten", code: "head_mismatch", seq: 10, tamper: []string{`UPDATE audit_head SET hash = 'x' WHERE id = 1`}},
		{name: "anchor", code: "anchor_mismatch", seq: 10,
			anchor: func(string) audit.Anchor { return audit.Anchor{Seq: 10, Hash: strings.Repeat("0", 64)} }},
		{name: "tail and head deleted", code: "chain_truncated", seq: 9, tamper: []string{`DELETE FROM audit_log WHERE seq > 8`,
			`UPDATE audit_head SET seq = 8, hash = (SELECT hash FROM audit_log WHERE seq = 8) WHERE id = 1`},
			anchor: func(h string) audit.Anchor { return audit.Anchor{Seq: 10, Hash: h} }},
	} {
		t.Run(c.name, func(t *testing.T) {
			sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
				appendN(t, db, 10)
				hash10 := rowHash(t, db, 10)
				for _, q := range c.tamper {
					exec(t, db, q)
				}
				var anchors []audit.Anchor
				if c.anchor != nil {
					anchors = append(anchors, c.anchor(hash10))
				}
				p := verifyDB(t, db, anchors...).Problem
				if p == nil || p.Code != c.code || p.Seq != c.seq || p.Reason == "" || p.Before() != c.seq+1 {
					t.Fatalf("got %+v, want %s at %d", p, c.code, c.seq)
				}
			})
		})
	}
}
