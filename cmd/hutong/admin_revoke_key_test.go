package main

import (
	"regexp"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/demo"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestAppRevokeKeyChecksSecret: app revoke-key given a whole key checks
// its secret: a wrong one is refused, naming the key id and not the
// secret given, and the key stays active; it revoked the key of that id
// whatever followed it. The right whole key, and the id alone, revoke.
// On both engines.
func TestAppRevokeKeyChecksSecret(t *testing.T) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		vars := map[string]string{"HUTONG_DB": dsn}
		must := mustHutong(t, vars)
		mustNanhai(must)
		must("org", "department-create", "-name", "南海区政务服务数据管理局", "-uscc", demo.USCC("440605", 1), "-region", "440605", "-operator")
		keyRe := regexp.MustCompile(`htk_([0-9a-f]{12})_(\S+)`)
		newKey := func() (whole, id, secret string) {
			m := keyRe.FindStringSubmatch(must("app", "rotate", "-id", "1", "-grace", "720h"))
			if m == nil {
				t.Fatal("app rotate printed no key")
			}
			return m[0], m[1], m[2]
		}
		m := keyRe.FindStringSubmatch(must("app", "create", "-name", "运维", "-department", "1", "-scopes", "catalog.read"))
		if m == nil {
			t.Fatal("app create printed no key")
		}
		whole, id, secret := m[0], m[1], m[2]
		wrong := "htk_" + id + "_WRONGSECRET" + secret[:4]
		out, err := hutong(t, vars, "app", "revoke-key", "-key", wrong)
		if err == nil || !strings.Contains(err.Error(), "与密钥 "+id+" 不符，未吊销") {
			t.Errorf("revoke-key with a wrong secret: got %v, want it refused\n%s", err, out)
		}
		if err != nil && strings.Contains(err.Error()+out, "WRONGSECRET") {
			t.Errorf("revoke-key repeated the secret given: %v\n%s", err, out)
		}
		if show := must("app", "show", "-id", "1"); strings.Contains(show, "已吊销") {
			t.Errorf("a refused revoke-key revoked the key:\n%s", show)
		}
		if out := must("app", "revoke-key", "-key", whole); !strings.Contains(out, "已吊销密钥 "+id) || strings.Contains(out, secret) {
			t.Errorf("revoke-key with the whole key: %s", out)
		}
		_, id2, _ := newKey()
		if out := must("app", "revoke-key", "-key", id2); !strings.Contains(out, "已吊销密钥 "+id2) {
			t.Errorf("revoke-key with the key id: %s", out)
		}
		if show := must("app", "show", "-id", "1"); strings.Count(show, "已吊销") != 2 {
			t.Errorf("after two keys revoked:\n%s", show)
		}
	})
}
