package main

import (
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
)

// TestAuditVerifyAnchor: audit verify prints the chain's head as SEQ:HASH,
// and -anchor with a head printed before tells the rows deleted from the
// end with the head rewritten, which the chain alone takes for intact.
func TestAuditVerifyAnchor(t *testing.T) {
	path := filepath.Join(t.TempDir(), "h.db")
	vars := map[string]string{"HUTONG_DB": path}
	must := mustHutong(t, vars)
	must("migrate")
	must("org", "region-create", "-code", "440000", "-name", "广东省", "-level", "province")
	must("org", "region-create", "-code", "440600", "-name", "佛山市", "-level", "city", "-parent", "440000")
	out := must("audit", "verify")
	m := regexp.MustCompile(`链头：(\d+:[0-9a-f]{64})`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("audit verify prints no head:\n%s", out)
	}
	head := m[1]
	if out := must("audit", "verify", "-anchor", head); !strings.Contains(out, "锚点 "+head+" 仍在链中") {
		t.Errorf("audit verify -anchor %s:\n%s", head, out)
	}
	if out, err := hutong(t, vars, "audit", "verify", "-anchor", "12"); err == nil || !strings.Contains(err.Error(), "锚点应为") {
		t.Errorf("a malformed anchor: %v\n%s", err, out)
	}

	// The last row deleted and the head set to the row before it.
	db, err := sqldb.Open(context.Background(), path, sqldb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`DELETE FROM audit_log WHERE seq = (SELECT seq FROM audit_head)`,
		`UPDATE audit_head SET seq = seq - 1, hash = (SELECT hash FROM audit_log WHERE seq = audit_head.seq - 1)`} {
		if _, err := db.Write().ExecContext(context.Background(), q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	must("audit", "verify")
	out, err = hutong(t, vars, "audit", "verify", "-anchor", head)
	if err == nil || !strings.Contains(out, "审计链校验失败") || !strings.Contains(out, "末尾记录连同链头被删除") {
		t.Errorf("audit verify -anchor of a truncated log: %v\n%s", err, out)
	}
}
