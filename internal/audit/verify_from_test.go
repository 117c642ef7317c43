package audit_test

import (
	"context"
	"testing"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestVerifyFrom: a verify from a recorded head (row 5 of 10) checks
// that row's hash and the rows after it only: a row before it tampered
// with is not read (the anchor vouches for it), one after it is
// reported; an anchor whose hash is not its row's, or that names a row
// past the head, is reported at once, the rows after it unread.
func TestVerifyFrom(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		appendN(t, db, 10)
		hash5 := rowHash(t, db, 5)
		from := audit.Anchor{Seq: 5, Hash: hash5}
		verifyFrom := func(from audit.Anchor, anchors ...audit.Anchor) audit.Report {
			t.Helper()
			rep, err := audit.VerifyFromDB(ctx, db, from, anchors...)
			if err != nil {
				t.Fatal(err)
			}
			return rep
		}
		if rep := verifyFrom(from); rep.Problem != nil || rep.Rows != 5 || rep.From != 5 || rep.Head != 10 {
			t.Fatalf("intact log from row 5: %+v, want intact, 5 rows checked", rep)
		}
		exec(t, db, `UPDATE audit_log SET purpose = 'x' WHERE seq = 3`)
		if rep := verifyFrom(from); rep.Problem != nil || rep.Rows != 5 {
			t.Errorf("row 3 edited, verify from 5: %+v, want intact (row 3 not read)", rep.Problem)
		}
		if rep := verifyDB(t, db); rep.Problem == nil || rep.Problem.Seq != 3 {
			t.Errorf("row 3 edited, whole log: %+v, want row_edited at 3", rep.Problem)
		}
		exec(t, db, `UPDATE audit_log SET purpose = 'x' WHERE seq = 7`)
		if p := verifyFrom(from).Problem; p == nil || p.Seq != 7 || p.Code != audit.RowEdited {
			t.Errorf("row 7 edited, verify from 5: %+v, want row_edited at 7", p)
		}
		wrong := audit.Anchor{Seq: 5, Hash: hash5[:63] + "0"}
		if hash5[63] == '0' {
			wrong.Hash = hash5[:63] + "1"
		}
		if rep := verifyFrom(wrong); rep.Problem == nil || rep.Problem.Seq != 5 || rep.Problem.Code != audit.AnchorMismatch || rep.Rows != 0 {
			t.Errorf("wrong hash for row 5: %+v, want anchor_mismatch at 5, no row read", rep)
		}
		if p := verifyFrom(audit.Anchor{Seq: 11, Hash: hash5}).Problem; p == nil || p.Code != audit.ChainTruncated || p.Seq != 11 {
			t.Errorf("anchor past the head: %+v, want chain_truncated at 11", p)
		}
		// An anchor before from is looked up by its row.
		if p := verifyFrom(from, wrong).Problem; p == nil || p.Code != audit.AnchorMismatch {
			t.Errorf("anchor at from's row with another hash: %+v, want anchor_mismatch", p)
		}
	})
}

// TestVerifyServedOne: a server runs one verify of the whole log at a
// time; a second is refused (429 audit_verify_running) while the first
// holds its slot, a verify from an anchor is not, and once the first is
// done a whole verify runs again.
func TestVerifyServedOne(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		appendN(t, db, 3)
		head := verifyDB(t, db)
		release := audit.HoldFullVerify()
		_, err := audit.VerifyServed(ctx, db, audit.Anchor{})
		if e := errs.As(err); e == nil || e.Code != "audit_verify_running" || e.Kind.HTTPStatus() != 429 {
			t.Errorf("whole verify while another runs: %v, want 429 audit_verify_running", err)
		}
		if rep, err := audit.VerifyServed(ctx, db, audit.Anchor{Seq: head.Head, Hash: head.HeadHash}); err != nil || rep.Problem != nil {
			t.Errorf("verify from the head while a whole one runs: %+v, %v, want intact", rep, err)
		}
		release()
		if rep, err := audit.VerifyServed(ctx, db, audit.Anchor{}); err != nil || rep.Problem != nil || rep.Rows != 3 {
			t.Errorf("whole verify after the first: %+v, %v, want intact", rep, err)
		}
	})
}

// TestVerifyFromAnchorRowEdited: a verify from an anchor recomputes the
// anchor's row's hash from its content, as a whole verify does: a row
// rewritten in place with its hash columns left is reported row_edited
// at it, not vouched for because its stored hash is the anchor's.
func TestVerifyFromAnchorRowEdited(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		appendN(t, db, 10)
		hash5 := rowHash(t, db, 5)
		exec(t, db, `UPDATE audit_log SET purpose = 'tampered' WHERE seq = 5`)
		rep, err := audit.VerifyFromDB(ctx, db, audit.Anchor{Seq: 5, Hash: hash5})
		if err != nil {
			t.Fatal(err)
		}
		if p := rep.Problem; p == nil || p.Seq != 5 || p.Code != audit.RowEdited {
			t.Errorf("anchor's row edited, verify from it: %+v, want row_edited at 5", p)
		}
	})
}

// TestVerifyServedFromFar: a verify from an anchor that would read more
// rows than servedFullRows (here 3) takes the whole verify's slot as a
// whole verify does, so an anchor at row 1 is no way round the limit; one
// near the head is not limited.
func TestVerifyServedFromFar(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		appendN(t, db, 10)
		anchor := func(seq int64) audit.Anchor { return audit.Anchor{Seq: seq, Hash: rowHash(t, db, seq)} }
		defer audit.SetServedFullRows(3)()
		release := audit.HoldFullVerify()
		defer release()
		_, err := audit.VerifyServed(ctx, db, anchor(1))
		if e := errs.As(err); e == nil || e.Code != "audit_verify_running" {
			t.Errorf("verify from row 1 of 10 while a whole one runs: %v, want audit_verify_running", err)
		}
		if rep, err := audit.VerifyServed(ctx, db, anchor(8)); err != nil || rep.Problem != nil || rep.Rows != 2 {
			t.Errorf("verify from row 8 of 10 while a whole one runs: %+v, %v, want intact, 2 rows", rep, err)
		}
	})
}
