package main

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestAuditVerifyRewrittenTime: the auditor's case. On SQLite a row's time
// rewritten as the same instant in another text (ISO "T…Z", or +08:00),
// which hides the row from audit list -since/-until of its day, fails
// audit verify (exit 1, the row named as edited); on PostgreSQL the same
// UPDATE stores the same instant, the day's list still has the row and
// the chain verifies. On both engines.
func TestAuditVerifyRewrittenTime(t *testing.T) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		vars := map[string]string{"HUTONG_DB": dsn}
		must := mustHutong(t, vars)
		must("migrate")
		ctx := context.Background()
		db, err := sqldb.Open(ctx, dsn, sqldb.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		at := time.Date(2026, 12, 5, 1, 33, 56, 278296000, time.UTC)
		ev := audit.Event{Action: "catalog.update", ObjectType: "catalog_entry", ObjectID: "7", Purpose: "待查"}
		if err := db.Tx(ctx, func(tx *sqldb.Tx) error { return audit.Record(ctx, tx, ev, at) }); err != nil {
			t.Fatal(err)
		}
		for _, text := range []string{"2026-12-05T01:33:56.278296Z", "2026-12-05 09:33:56.278296+08:00"} {
			if _, err := db.Write().ExecContext(ctx, `UPDATE audit_log SET at = $1 WHERE seq = 1`, text); err != nil {
				t.Fatal(err)
			}
			out, err := hutong(t, vars, "audit", "verify")
			if db.Dialect == sqldb.Postgres {
				if err != nil || !strings.Contains(out, "审计链完整") {
					t.Errorf("at = %q on PostgreSQL: %v\n%s", text, err, out)
				}
				if list := must("audit", "list", "-action", "catalog.update", "-since", "2026-12-05", "-until", "2026-12-05"); !strings.Contains(list, "待查") {
					t.Errorf("at = %q on PostgreSQL: the day's list lost the row:\n%s", text, list)
				}
				continue
			}
			if !errors.Is(err, errReported) || !strings.Contains(out, "第 1 条的时间被改写为“"+text+"”") {
				t.Errorf("at = %q: %v, want exit 1 naming row 1's time\n%s", text, err, out)
			}
		}
	})
}
