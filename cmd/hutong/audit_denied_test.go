package main

import (
	"database/sql"
	"net/url"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestAuditVerifyPermissionDenied: audit verify (and list) as a role that
// may not read the audit tables says so in one Chinese line naming the
// table and the remedy, as migrate and serve do, where it printed
// "audit: read head: ERROR: permission denied for table audit_head
// (SQLSTATE 42501)". The first table it reads is schema_migrations, whose
// version it checks before the audit tables.
func TestAuditVerifyPermissionDenied(t *testing.T) {
	dsn := sqldbtest.PostgresDSN(t)
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	role := "reader_" + strings.TrimPrefix(u.Path, "/")
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	if _, err := admin.ExecContext(t.Context(), `CREATE ROLE `+role+` LOGIN`); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if _, err := admin.Exec(`DROP ROLE ` + role); err != nil {
			t.Error(err)
		}
	})
	u.User = url.User(role)
	vars := map[string]string{"HUTONG_DB": u.String()}
	for _, verb := range []string{"verify", "list"} {
		out, err := hutong(t, vars, "audit", verb)
		if err == nil || !strings.HasPrefix(message(err), "无法访问数据库 "+u.String()+"：数据库用户无权访问表 schema_migrations") ||
			!strings.Contains(message(err), "恢复时请以数据库所有者身份还原") {
			t.Errorf("audit %s without grants: %v, want 数据库用户无权访问表 …\n%s", verb, err, out)
		}
	}
}
