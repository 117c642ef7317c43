package audit_test

import (
	"context"
	"testing"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestLogReadEventNamesTheSubject: a read of the log filtered by one
// subject names that subject as the rows of reads of its data do
// (records.ParseSubject's Named form), whichever parameter the channel
// calls it by (subject_id from the API, subject from the console and the
// CLI) and however it was typed, so that the subject's filter with
// action=audit.read finds who searched the log for it, a passport's or
// another document's holder too (such rows named none: the audit package
// read citizen IDs and credit codes only); a filter naming no valid
// identifier, or several values, names none. On both engines.
func TestLogReadEventNamesTheSubject(t *testing.T) {
	by := audit.Actor{Kind: audit.ActorUser, ID: "7"}
	for _, c := range []struct {
		key    string
		values []string
	}{
		{"subject_id", []string{" 11010519491231002x "}},
		{"subject", []string{"１１０１０５１９４９１２３１００２Ｘ"}},
		{"subject", []string{"110105491231002"}},
		{"subject_id", []string{"91350100M000100Y43"}},
		{"subject", []string{"张三"}},
		{"subject_id", []string{"e12345678"}},
		{"subject", []string{"H1234567801"}},
		{"subject", []string{"南字第0123456号"}},
		{"subject_id", []string{"11010519491231002"}},
		{"subject", []string{"11010519491231002X", "91350100M000100Y43"}},
		{"subject_id", []string{""}},
	} {
		ev := audit.LogReadEvent(by, map[string][]string{c.key: c.values}, []string{"subject", "subject_id"})
		want := ""
		if len(c.values) == 1 {
			if forms, err := records.ParseSubject(c.values[0]); err == nil {
				want = forms.Named()
			}
		}
		if ev.SubjectID != want {
			t.Errorf("%s=%q: subject %q, want %q", c.key, c.values, ev.SubjectID, want)
		}
	}
	// A passport's or a permit's holder is named as a person with a
	// citizen ID is: the rows named none.
	for in, want := range map[string]string{"e12345678": "E12345678", "H1234567801": "H1234567801"} {
		if ev := audit.LogReadEvent(by, map[string][]string{"subject": {in}}, []string{"subject"}); ev.SubjectID != want {
			t.Errorf("subject=%q: named %q, want %q", in, ev.SubjectID, want)
		}
	}
	if ev := audit.LogReadEvent(by, map[string][]string{"subject": {"11010519491231002X"}}, []string{"action"}); ev.SubjectID != "" {
		t.Errorf("a subject the caller does not keep: named %q", ev.SubjectID)
	}

	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		for _, key := range []string{"subject_id", "subject"} {
			read := audit.LogReadEvent(by, map[string][]string{key: {"11010519491231002x"}}, []string{key})
			if err := db.Tx(ctx, func(tx *sqldb.Tx) error { return audit.Record(ctx, tx, read, t0) }); err != nil {
				t.Fatal(err)
			}
		}
		const typed = "１１０１０５１９４９１２３１００２ｘ"
		rows, _, err := audit.List(ctx, db.Read(), audit.Filter{SubjectID: typed, SubjectForms: records.AuditSubjectForms(typed), Action: "audit.read"})
		if err != nil || len(rows) != 2 {
			t.Fatalf("audit.read rows of the subject: %d (%v), want 2", len(rows), err)
		}
		if rep := verify(t, db); rep.Problem != nil {
			t.Errorf("chain: %+v", rep.Problem)
		}
	})
}
