package main

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestAuditVerifyFrom: audit verify -from, the head a verify printed
// before, checks that row's hash and verifies only the rows after it: a
// row before it rewritten is not read (the whole verify reports it), one
// after it is; a -from whose hash is not its row's fails naming the
// anchor, as does its row rewritten in place with its hash left
// (row_edited at it), and one that does not read as SEQ:HASH is refused.
// An intact check says the rows before -from were not re-checked.
// On both engines.
func TestAuditVerifyFrom(t *testing.T) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		vars := map[string]string{"HUTONG_DB": dsn}
		must := mustHutong(t, vars)
		must("migrate")
		must("org", "region-create", "-code", "440000", "-name", "广东省", "-level", "province")
		must("org", "region-create", "-code", "440100", "-name", "广州市", "-level", "city", "-parent", "440000")
		m := regexp.MustCompile(`链头：((\d+):([0-9a-f]{64}))`).FindStringSubmatch(must("audit", "verify"))
		if m == nil {
			t.Fatal("audit verify prints no head")
		}
		from, fromSeq := m[1], m[2]
		must("org", "region-create", "-code", "440600", "-name", "佛山市", "-level", "city", "-parent", "440000")
		must("org", "region-create", "-code", "440700", "-name", "江门市", "-level", "city", "-parent", "440000")
		if out := must("audit", "verify", "-from", from); !strings.Contains(out, "已校验第 "+fromSeq+" 条之后的 2 行") || !strings.Contains(out, "起点之前的记录未复核") {
			t.Errorf("audit verify -from %s, two rows after it:\n%s", from, out)
		}
		tamper := func(q string) {
			t.Helper()
			db, err := sqldb.Open(context.Background(), dsn, sqldb.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if _, err := db.Write().ExecContext(context.Background(), q); err != nil {
				t.Fatal(err)
			}
		}
		tamper(`UPDATE audit_log SET purpose = 'x' WHERE seq = 1`)
		if out := must("audit", "verify", "-from", from); !strings.Contains(out, "其后的审计链完整") {
			t.Errorf("row 1 rewritten, audit verify -from %s:\n%s", from, out)
		}
		if out, err := hutong(t, vars, "audit", "verify"); err == nil || !strings.Contains(out, "序号 1") {
			t.Errorf("row 1 rewritten, the whole verify: %v\n%s", err, out)
		}
		tamper(`UPDATE audit_log SET purpose = 'x' WHERE seq = ` + fromSeq + ` + 1`)
		if out, err := hutong(t, vars, "audit", "verify", "-from", from); err == nil || !strings.Contains(out, "row_edited") {
			t.Errorf("the row after -from rewritten: %v\n%s", err, out)
		}
		wrong := fromSeq + ":" + strings.Repeat("0", 64)
		if out, err := hutong(t, vars, "audit", "verify", "-from", wrong); err == nil || !strings.Contains(out, "anchor_mismatch") || !strings.Contains(out, "锚点抄错") {
			t.Errorf("-from with another hash: %v\n%s", err, out)
		}
		tamper(`UPDATE audit_log SET purpose = 'x' WHERE seq = ` + fromSeq)
		if out, err := hutong(t, vars, "audit", "verify", "-from", from); err == nil || !strings.Contains(out, "第 "+fromSeq+" 条的内容与其哈希不符") {
			t.Errorf("the row of -from rewritten in place: %v\n%s", err, out)
		}
		if out, err := hutong(t, vars, "audit", "verify", "-from", "12"); err == nil || !strings.Contains(err.Error(), "-from 锚点应为“序号:哈希”") {
			t.Errorf("a malformed -from: %v\n%s", err, out)
		}
	})
}
