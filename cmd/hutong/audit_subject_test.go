package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestAuditListSubjectForms: audit list -subject finds a subject's rows
// however its identifier is typed (lower-case x, the old 15-digit citizen
// ID, full-width digits, a credit code in lower case), as the API does,
// and a text no identifier's as typed. On both engines.
func TestAuditListSubjectForms(t *testing.T) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		vars := map[string]string{"HUTONG_DB": dsn}
		mustHutong(t, vars)("migrate")
		ctx := context.Background()
		db, err := sqldb.Open(ctx, dsn, sqldb.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		const person, company, bad = "11010519491231002X", "91350100M000100Y43", "110105194912310099"
		for _, s := range []string{person, person, company, bad} {
			ev := audit.Event{Actor: audit.Actor{Kind: audit.ActorApp, ID: "k1", Name: "一窗受理系统"}, Action: "records.read",
				ObjectType: "catalog_entry", ObjectID: "7", SubjectID: s}
			if err := db.Tx(ctx, func(tx *sqldb.Tx) error { return audit.Record(ctx, tx, ev, time.Now()) }); err != nil {
				t.Fatal(err)
			}
		}
		for _, c := range []struct {
			subject string
			want    int
		}{
			{person, 2},
			{"11010519491231002x", 2},
			{"110105491231002", 2},
			{"１１０１０５１９４９１２３１００２Ｘ", 2},
			{"91350100m000100y43", 1},
			{bad, 1},
			{"110105194912310029", 0},
		} {
			stdout, _, err := hutongApart(t, vars, "audit", "list", "-subject", c.subject, "-action", "records.read", "-format", "json")
			if n := strings.Count(stdout, "\n"); err != nil || n != c.want {
				t.Errorf("audit list -subject %q: %d rows, %v; want %d\n%s", c.subject, n, err, c.want, stdout)
			}
		}
	})
}
