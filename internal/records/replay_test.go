package records_test

import (
	"encoding/json"
	"testing"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestReplayIsTheFirstAnswer: a batch resent under its Idempotency-Key
// answers its first result again, whole: late lines' late_rule included.
func TestReplayIsTheFirstAnswer(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		f.receivedAt = monday.AddDate(0, 0, 7) // produced a week before: late by 2 working days
		opt := records.Options{BatchKey: "big-1"}
		first := f.push(f.pusher, f.hj, people(0, 3), opt)
		if first.Late != 3 || first.LateRule == "" {
			t.Fatalf("first answer: late %d, late_rule %q; want 3 late with the rule", first.Late, first.LateRule)
		}
		// The rule the operator sets later is not the one these lines missed.
		if err := db.Tx(f.ctx, func(tx *sqldb.Tx) error {
			return records.SetRule(f.ctx, tx, audit.Actor{Kind: "user", ID: "1"}, f.hj, records.RealTime, "经批准", f.receivedAt)
		}); err != nil {
			t.Fatal(err)
		}
		again := f.push(f.pusher, f.hj, people(0, 3), opt)
		if !again.Replayed {
			t.Fatalf("resent: %+v, want a replay", again)
		}
		first.Replayed = true
		want, _ := json.Marshal(first)
		got, _ := json.Marshal(again)
		if string(got) != string(want) {
			t.Errorf("replay:\n%s\nwant the first answer:\n%s", got, want)
		}
	})
}
